"""Report where any .docx departs from the layout rules of its regime (``vbtool check``).

Why this package exists: vbtool's own output is laid out from the profiles, but
clerks also receive documents written in Word or LibreOffice, and a rendered
file can be edited afterwards.  The checker reopens a .docx made by anyone
and compares what a reader *sees* with the regime's rules (NĐ 30/2020 for the
state, HD 36-HD/VPTW for the Party), reading every size, text and prefix from
the same profile files the renderer uses.

How it is built, and why:

* ``docx``       reads the package (all file and ZIP access in ``read_parts``);
* ``flatten``    resolves effective formatting (``vbtool.ooxml.read``) and
  flattens the body into paragraphs and *pieces* (one line of a paragraph,
  split further at tabs), since Word users build headers with tables, tabs,
  line breaks or separate paragraphs;
* ``landmarks``  finds each element once, by what it says (the quốc hiệu /
  tiêu đề by its letters, the number line by "Số", the date line by ", ngày",
  the tên loại by the type name, the signature by its authority prefix, "Nơi
  nhận" by its label) into a frozen ``Landmarks``;
* ``rules``      small functions grouped by area, each reading the frozen
  ``Context`` (``context``) and yielding findings, independent of order;
* ``detect``     chooses the profile: pinned by name, or the regime recognised
  from the header over all profiles, then the profile in force on the date;
* ``findings``   the ``Finding`` and ``Report`` types.

Rule ids are ``<REGIME>.<element>.<property>`` (``ND30.tieu-ngu.text``,
``HD36.so-ky-hieu.format``): the prefix comes from the profile name, the
element from the profile key, and the profile element's ``nguon`` goes into
the JSON output. A rule whose source is confirmed in the regulation (a
``[C-…]`` tag) is an error; one known only from practice, recollection or
secondary summaries (``[P]``, ``[M]``, ``[S]``) is a warning.

Every message a user can see is Vietnamese; identifiers and comments are English.
The command (``vbtool check``) is in ``vbtool.commands.check``.
"""
from __future__ import annotations

from typing import Optional

from ..ooxml.read import Styles, Theme
from . import context, rules
from .detect import choose_profile
from .docx import DocxError, Package
from .findings import Finding, Report, rule_prefix, severity_of

__all__ = ["Finding", "Report", "DocxError", "check_docx", "Styles", "Theme", "rule_prefix", "severity_of"]


def check_docx(source, regime: Optional[str] = None, ho_so: Optional[str] = None,
               rule_list: Optional[tuple] = None) -> Report:
    """Check a .docx (a path or its bytes) against a regime ("nha_nuoc", "dang") or a pinned profile.

    Without either, the regime is recognised from the header; the regime's
    profile is the one in force on the document's date.  Raises DocxError
    (Vietnamese message) when the file is not a readable .docx, KeyError for
    an unknown profile name.  ``rule_list`` replaces ``rules.RULES`` (tests).
    """
    pkg = Package(source)
    prof, detected, unknown = choose_profile(pkg, regime, ho_so)
    ctx = context.build(pkg, prof)
    findings = []
    if unknown:
        findings.append(Finding("VB.the-thuc.detect", "warning", "phần đầu văn bản", "",
                                "Không nhận ra thể thức (không thấy quốc hiệu hay tiêu đề Đảng); kiểm tra "
                                "theo thể thức nhà nước. Dùng --the-thuc để chọn.", ""))
    findings += rules.run(ctx, rules.RULES if rule_list is None else rule_list)
    return Report(pkg.name, prof.name, prof.regime, detected, findings)
