"""One OOXML layer: what vbtool knows about WordprocessingML, in one place.

* ``ns``     namespaces and the ``w()`` name helper;
* ``units``  lengths: millimetres, points, twips, half-points;
* ``text``   escaping of user text;
* ``props``  run and paragraph property objects (``RunProps``, ``ParaProps``)
  that write w:rPr / w:pPr children in schema order;
* ``build``  runs, ``Paragraph`` objects, tables, sections, header and footnote
  parts (writing: used by ``render``);
* ``read``   the effective-formatting reader (``Styles`` → ``RunFormat``,
  ``ParaLayout``) over lxml trees (reading: used by ``check``).

Nothing here knows a regime or a profile; it imports nothing from vbtool.
"""
from .build import (Block, Cell, Paragraph, Row, SectionProps, empty_header, footnote_reference, footnotes_part,
                    page_number_header, para, rule_para, run, serialise, tab_run, table)
from .ns import W_NS, R_NS, w
from .props import ParaProps, RunProps
from .read import ParaLayout, RunFormat, Styles, Theme
from .text import esc
from .units import half_points, twips

__all__ = ["Block", "Cell", "Paragraph", "Row", "SectionProps", "empty_header", "footnote_reference",
           "footnotes_part", "page_number_header", "para", "rule_para", "run", "serialise", "tab_run", "table",
           "W_NS", "R_NS", "w", "ParaProps", "RunProps", "ParaLayout", "RunFormat", "Styles", "Theme", "esc",
           "half_points", "twips"]
