"""Import an existing Kế hoạch or Báo cáo (.docx, .pdf, extracted .txt) into vbtool YAML.

Why: offices keep years of plans and reports as Word files and PDFs, and a new
plan usually starts from last year's. Retyping it as YAML is the slow part, so
``vbtool import`` reads the document back into the same data a drafter would
have written: metadata, numbered sections, tasks with their units, Nơi nhận,
signature, footnotes and phụ lục tables.

How, in five steps, each one tolerant of what extraction does to a document:

1. *Read.* Every format becomes a list of ``Line``: a physical line of text
   (``.txt`` and ``.pdf`` through ``pdftotext -raw``, which keeps hyphens and
   reading order) or a Word paragraph (``.docx``, read in body order with its
   tables, auto-numbering and footnotes). Each keeps its number in the source,
   so every warning points at a line. Extracted text is repaired
   (``repair.repair_text``) and page numbers are dropped.
2. *Regions.* Header (before the tên loại), trích yếu, Kính gửi, opening and
   body, closing (from "Nơi nhận"), phụ lục. A region that extraction lost is
   simply empty.
3. *Paragraphs* (text only). A line that ends mid-sentence continues on the
   next; a numbering marker, a bullet or a task label starts a new paragraph;
   a short line ends one.
4. *Structure.* Numbering markers (``I.``, ``II -``, ``1.``, ``1-``, ``1.1.``,
   ``a)``, ``-``, ``+``) drive a small state machine: a marker is accepted
   only where its number continues the numbering, otherwise the line stays a
   plain paragraph and is reported. The style of each level is kept in
   ``danh_so`` and the labels of task fields in ``hien_thi_nhiem_vu``, so the
   rendering reproduces the document.
5. *Write.* ``yaml.safe_dump`` plus comments for every guess; the YAML is
   validated with vbtool's own loader before it is written (atomically).

The importer never invents: what is missing becomes a ``[[…]]`` placeholder
(``vbtool validate`` lists them), or, where the schema demands a value of a
fixed form (``co_quan.ky_hieu``, ``ngay``), a neutral value with a YAML comment
that says it must be checked.

The package is those steps as modules, each passing typed values to the next:
``source`` (Line, Source, Para, Marker, Node), ``text`` and ``docx``/``pdf`` (the
readers), ``patterns`` (header, numbering and task-field patterns), ``parser``
with its ``closing`` and ``assemble`` stages (warnings collected in ``state``),
and ``output`` (Imported, the YAML text). The click command is
``vbtool.commands.import_``.
"""
from __future__ import annotations

from ..ooxml.read import Styles as Styles
from .docx import _DocxReader as _DocxReader, _Numbering as _Numbering, read_docx as read_docx
from .output import (Imported as Imported, import_docx as import_docx, import_file as import_file,
                     import_pdf as import_pdf, import_text as import_text, yaml_for as yaml_for)
from .patterns import _DATE as _DATE, marker as marker, split_units as split_units, task_field as task_field
from .pdf import pdf_text as pdf_text
from .source import ImportFailure as ImportFailure, Line as Line, Source as Source
from .text import read_text as read_text

__all__ = ["ImportFailure", "Imported", "import_file", "import_text", "import_docx", "import_pdf",
           "split_units"]
