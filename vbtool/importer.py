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
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click
import yaml
from lxml import etree

from . import import_kinds, inline, kinds, layout_table, safezip
from . import profile as profiles
from .ooxml.ns import MC_NS, W_NS
from .ooxml.read import Styles, Theme
from .ooxml.units import twips_mm
from .loader import InputError, Problem, iter_strings
from .repair import repair_text, strip_page_artifacts
from .vn import VN_LETTERS

__all__ = ["ImportFailure", "Imported", "import_file", "import_text", "import_docx", "import_pdf",
           "split_units", "import_cmd"]

W = "{%s}" % W_NS
MC_FALLBACK = f"{{{MC_NS}}}Fallback"
POPPLER_HINT = "sudo apt-get install -y --no-install-recommends poppler-utils"
NOTE_OPEN, NOTE_CLOSE = "\ue000", "\ue001"   # footnote reference inside a Line until the YAML is written
_NOTE_SENTINEL = re.compile(NOTE_OPEN + r"([\w.-]+)" + NOTE_CLOSE)
# Emphasis marked in the source text (`**…**`, `*…*`), kept apart from literal asterisks
# until the YAML is written: body text gets vbtool markup back, other fields drop it.
BOLD_OPEN, BOLD_CLOSE, ITALIC_OPEN, ITALIC_CLOSE = "\ue002", "\ue003", "\ue004", "\ue005"
_EMPHASIS = re.compile("[\ue002-\ue005]")
_BOLD_SPAN = re.compile(r"\*\*([^*\s](?:[^*]*[^*\s])?)\*\*")
_ITALIC_SPAN = re.compile(r"(?<![\w*])\*([^*\s](?:[^*]*[^*\s])?)\*(?![\w*])")


class ImportFailure(Exception):
    """The file cannot be imported at all; the message is Vietnamese and ready to print."""


# --------------------------------------------------------------------------- patterns

_GAP = re.compile(r"[ \t\u00a0]{3,}")                 # a wide gap inside one column piece
_COLS = re.compile(r"[ \t\u00a0]{2,}")                # a column gap in extracted text
_TEN_LOAI = {k.printed_name.upper(): k.code for k in kinds.all_kinds() if k.printed_name}   # data/kinds
_QUOC_HIEU = re.compile(r"CỘNG\s+H[OÒ][AÀ]\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM", re.I)
_TIEU_NGU = re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc", re.I)
_DANG = re.compile(r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM")
_SO_STATE = re.compile(r"\bSố\s*(?P<colon>:)?\s*(?P<so>\d+)?\s*/\s*(?P<loai>[A-ZĐ][A-ZĐa-z]{0,5})\s*-\s*"
                       r"(?P<cq>[A-ZĐa-z0-9][A-ZĐa-z0-9.\-]*)")
_SO_PARTY = re.compile(r"\bSố\s*(?P<colon>:)?\s*(?P<so>\d+)?\s*-\s*(?P<loai>[A-ZĐ][A-ZĐa-z]{0,5})\s*/\s*"
                       r"(?P<cq>[A-ZĐa-z0-9][A-ZĐa-z0-9.\-]*)")
_DATE = re.compile(r"(?P<place>[^,\d\n]*?)\s*,\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*"
                   r"năm\s*(?P<y>\d{4})")
_RULE = re.compile(r"^[-–—_*=.·\s]{3,}$|^\*$")
_RULE_GLUED = re.compile(r"^[-–—_]{3,}\s*(?=\S)")
_OPENING = re.compile(r"^(Căn cứ|Thực hiện|Triển khai|Để|Nhằm|Theo|Trên cơ sở|Qua|Xét|Ngày \d|Kính gửi)\b")
_KINH_GUI = re.compile(r"^Kính\s+gửi\s*:?\s*(?P<rest>.*)$")
_NOI_NHAN = re.compile(r"^\s*Nơi\s+nhận\s*:?\s*", re.I)
_LUU = re.compile(r"^[-–]?\s*Lưu\s*(?P<colon>:)?\s*(?P<rest>.*)$")
_SIG_PREFIX = re.compile(r"^(?P<p>(?i:TM\.|T/M|KT\.|K/T|TL\.|T/L|TUQ\.)|Q\.)\s*(?P<rest>\S.*)$")
# A signer's title, whatever the case of its letters in the source ("PHÓ Bí THƯ").
_TITLE = re.compile(r"^(?:phó\s+)?(?:bí\s+thư|chủ\s+tịch|giám\s+đốc|trưởng\s+ban|chánh\s+văn\s+phòng|"
                    r"trưởng\s+phòng|chủ\s+nhiệm|chánh\s+thanh\s+tra|viện\s+trưởng|hiệu\s+trưởng|"
                    r"tổng\s+biên\s+tập|thủ\s+trưởng|tổng\s+cục\s+trưởng|cục\s+trưởng|vụ\s+trưởng)\b"
                    r"[^\d]{0,40}$", re.I)
_PHU_LUC = re.compile(r"^(PHỤ\s+LỤC|Phụ\s+lục)(\s+([IVXLC]+|\d{1,2}))?\s*$")
_KEM_THEO = re.compile(r"^\(?\s*Kèm\s+theo\b", re.I)
_ENDS_SENTENCE = re.compile(r"[.;:!?…][\"”’)\]]*\s*$")
_YEAR = re.compile(r"\b(?:năm|/)\s*((?:19|20)\d\d)\b")
_GENERIC_BODY = re.compile(r"^(ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN$|^HỘI\s+ĐỒNG\s+NHÂN\s+DÂN$")
_LOCALITY = re.compile(r"^(TỈNH|THÀNH\s+PHỐ|HUYỆN|QUẬN|THỊ\s+XÃ|XÃ|PHƯỜNG|THỊ\s+TRẤN)\b")

# Numbering markers, tried in this order (dotted before plain Arabic).
_M_ROMAN = re.compile(r"^(?P<n>[IVXL]{1,6})\s*(?P<s>[.\-–])\s*(?P<rest>\S.*)$")
_M_DOTTED = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<rest>\S.*)$")
_M_ARABIC = re.compile(r"^(?P<n>\d{1,2})\s*(?P<s>[.\-–)])\s+(?P<rest>\S.*)$")
_M_LETTER = re.compile(r"^(?P<n>[a-zđ])\s*(?P<s>[)\-–])\s+(?P<rest>\S.*)$")
_M_DASH = re.compile(r"^[-–—•]\s*(?P<rest>[^\s\-–—].*)$")
_M_PLUS = re.compile(r"^\+\s*(?P<rest>\S.*)$")
_ROMAN_OK = re.compile(r"^(XL|L?X{0,3})(IX|IV|V?I{0,3})$")

# Task field labels (case-insensitive, the whole text before the colon).
_FIELD_LABELS = [
    ("lanh_dao_phu_trach", r"lãnh đạo(?: [^\s:]+){0,2} phụ trách"),
    ("chu_tri", r"(?:cơ quan |đơn vị )?chủ trì(?: thực hiện)?"),
    ("phoi_hop", r"(?:cơ quan |đơn vị )?phối hợp(?: thực hiện)?"),
    ("thuc_hien", r"(?:cơ quan |đơn vị )?thực hiện"),
    ("tham_muu", r"(?:phòng |cơ quan |đơn vị )?tham mưu"),
    ("thoi_gian", r"thời (?:gian|hạn)(?: thực hiện| hoàn thành)?"),
    ("san_pham", r"sản phẩm(?: đầu ra)?|kết quả đầu ra"),
    ("ket_qua", r"kết quả thực hiện"),
]
_FIELD = re.compile(r"^(?P<dash>[-–]\s*)?(?P<label>[^:\d()]{2,45}?)\s*:\s*(?P<value>.*)$")
UNIT_FIELDS = ("chu_tri", "thuc_hien", "phoi_hop", "lanh_dao_phu_trach", "tham_muu")
FIELD_ORDER = ("chu_tri", "thuc_hien", "phoi_hop", "lanh_dao_phu_trach", "tham_muu", "thoi_gian", "san_pham",
               "ket_qua")

# A recipient's note in brackets: "(báo cáo)", "(b/c)", "(để theo dõi)".
_NOTE_WORDS = re.compile(r"^(?:để\s+)?(?:báo\s*cáo|b/c|bc|theo\s+dõi|t/d|thực\s+hiện|t/h|phối\s+hợp|p/h|biết|"
                         r"chỉ\s+đạo|đăng\s+tải|đăng\s+tin|xem\s+xét|giám\s+sát|kiểm\s+tra|"
                         r"tuyên\s+truyền|thông\s+báo)$", re.I)
_ANNEX_HEADER = ["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian", "Sản phẩm"]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _join(a: str, b: str) -> str:
    """Join two pieces of a wrapped line: no space after a word cut at its hyphen ("27-" + "NQ/TW")."""
    if not a:
        return b
    if re.search(r"[\w/]-$", a[-2:]) and b[:1].isalnum():     # the tail only: a grows line by line
        return a + b
    if b[:1] in ",.;:)!?…" or a.endswith(NOTE_CLOSE) and b[:1] in ",.;:":
        return a + b
    return a + " " + b


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _sentence_case(text: str) -> str:
    """"PHÓ TRƯỞNG BAN" -> "Phó trưởng ban": the renderer prints it upper case again."""
    low = text.strip().lower()
    return low[:1].upper() + low[1:]


def _lower_start(text: str) -> bool:
    return bool(text) and text[0].isalpha() and text[0].islower()


# --------------------------------------------------------------------------- lines

@dataclass
class Line:
    """One unit of the source: a physical line of extracted text or a Word paragraph."""

    text: str
    no: int                               # line (text, pdf) or paragraph (docx) number, 1-based
    cols: list[str] = field(default_factory=list)   # pieces separated by wide gaps (extracted text)
    blank: bool = False                   # a separator: whitespace-only line, empty paragraph
    heading: bool = False                 # docx: every piece of text is bold or italic
    bold: bool = False                    # docx: every piece of text is bold
    italic: bool = False                  # docx: every piece of text is italic
    where: str = ""                       # docx: "header", "closing" (table cells), "table"; text: "num"
    group: int | None = None              # docx: Nơi nhận items sharing one bracketed note
    note: str | None = None               # docx: that note
    rows: list | None = None              # docx "table": rows of (paragraphs, span, bold, italic)
    widths: list | None = None            # docx "table": grid column widths in mm
    page_end: bool = False                # text: last line before a page break
    section: int = 0                      # docx: section index (landscape phụ lục)
    indent: int = 0                       # text: leading spaces of the physical line
    gap_before: bool = False              # text: a blank line comes just before this one


@dataclass
class Source:
    lines: list[Line]
    name: str
    whole: bool                           # lines are whole paragraphs (docx)
    unit: str                             # "dòng" or "đoạn", for messages
    notes: dict = field(default_factory=dict)        # footnote id -> paragraphs (docx)
    landscape: dict = field(default_factory=dict)    # section index -> True (docx)
    paragraph_lines: bool = False         # text: one paragraph per line (exported from a word processor)
    layout_tables: list = field(default_factory=list)  # pdf: GridTable read from `pdftotext -layout`
    blank_breaks: bool = False            # text: a blank line after a sentence ends its paragraph


def read_text(text: str, name: str = "<chuỗi>") -> Source:
    """Lines of extracted text: repaired, NFC, page numbers dropped, column gaps kept as `cols`.

    Columns are split before repair because repair_text folds runs of spaces,
    and the gap is what separates the two columns of a header or closing.
    """
    text = _nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    # Text exported from a word processor marks bold as **…**; a whole bold line (a heading,
    # the tên loại) is the evidence. Without it, asterisks are literal text.
    marked = any(_WHOLE_BOLD.match(x.strip()) for x in text.split("\n") if "**" in x)
    unwrap = _unwrap_markup if marked else _Markup
    lines: list[Line] = []
    gap = False
    for no, raw in enumerate(text.split("\n"), 1):
        if "\f" in raw:
            if lines:
                lines[-1].page_end = True
            raw = raw.replace("\f", "")
        if not raw.strip():
            if raw:
                lines.append(Line("", no, blank=True))
            gap = True
            continue
        if re.fullmatch(r"\s*\d{1,3}\s*", raw):   # a page number, or the number of a footnote
            lines.append(Line(raw.strip(), no, where="num"))
            continue
        if not strip_page_artifacts([raw]):
            if lines:
                lines[-1].page_end = True
            continue
        pieces = [unwrap(repair_text(c).strip()) for c in _COLS.split(raw.strip())]
        pieces = [c for c in pieces if c.text]
        cols = [c.text for c in pieces]
        whole = unwrap(repair_text(raw.strip()).strip())
        bold = whole.bold or bool(pieces) and all(c.bold for c in pieces)
        italic = whole.italic or bool(pieces) and all(c.italic for c in pieces)
        line_text = whole.text if (whole.bold or whole.italic) else "  ".join(cols) if bold or italic \
            else whole.text
        if marked:
            line_text = _emphasis(line_text)
            cols = [_emphasis(c) for c in cols]
        lines.append(Line(line_text, no, cols, bold=bold, italic=italic, heading=bold or italic,
                          indent=len(raw) - len(raw.lstrip(" \t")), gap_before=gap))
        gap = False
    content = [x for x in lines if not x.blank and x.where != "num"]
    long_lines = sum(1 for x in content if len(x.text) > 160)
    followed = sum(1 for a, b in zip(content, content[1:]) if b.gap_before)
    return Source(lines, name, whole=False, unit="dòng", paragraph_lines=long_lines >= 2,
                  blank_breaks=len(content) > 1 and followed < 0.5 * (len(content) - 1))


@dataclass(frozen=True)
class _Markup:
    text: str
    bold: bool = False
    italic: bool = False


_WHOLE_BOLD = re.compile(r"^\*\*(?P<t>(?:(?!\*\*).)+)\*\*(?P<end>[:.;,]?)$")
_WHOLE_ITALIC = re.compile(r"^\*(?P<t>[^*\s](?:[^*]*[^*\s])?)\*(?P<end>[:.;,]?)$")


def _emphasis(text: str) -> str:
    """`**…**` and `*…*` inside a line become emphasis sentinels; a bold lead-in that is
    a numbering marker ("**1. Mục đích**, …") is a heading's own bold and just goes."""
    if "*" not in text:
        return text
    text = _ITALIC_SPAN.sub(ITALIC_OPEN + r"\1" + ITALIC_CLOSE, _BOLD_SPAN.sub(BOLD_OPEN + r"\1" + BOLD_CLOSE, text))
    if text.startswith((BOLD_OPEN, ITALIC_OPEN)):
        lead = text[1:].replace(BOLD_CLOSE, "", 1) if text[0] == BOLD_OPEN else text[1:].replace(ITALIC_CLOSE, "", 1)
        if marker(lead):
            return lead
    return text


def _unwrap_markup(text: str) -> _Markup:
    """A line wholly marked `**…**` or `*…*` (text exported from a word processor):
    the marks go, the line is bold or italic like a Word paragraph. Marks around
    part of a line stay: they are vbtool emphasis in a body paragraph."""
    m = _WHOLE_BOLD.match(text)
    if m:
        inner = _unwrap_markup(m.group("t").strip())
        return _Markup(inner.text + m.group("end"), True, inner.italic)
    m = _WHOLE_ITALIC.match(text)
    if m:
        return _Markup(m.group("t").strip() + m.group("end"), False, True)
    return _Markup(text)


def pdf_text(path: Path, layout: bool = False) -> str:
    """Text of a PDF by ``pdftotext -raw`` (or ``-layout``, for rebuilding tables).

    Raw mode keeps the content-stream order and the hyphens at line ends
    ("27-" / "NQ/TW"); the default mode drops those hyphens ("27NQ/TW") and
    glues the rule under the trích yếu to the next paragraph.
    """
    tool = shutil.which("pdftotext")
    if not tool:
        raise ImportFailure(f"Không tìm thấy pdftotext (poppler-utils). Cài đặt: {POPPLER_HINT}")
    timeout = safezip.scaled_timeout(path)
    with tempfile.TemporaryDirectory(prefix="vbtool-pdftotext-") as tmp:
        out = Path(tmp) / "text.txt"
        try:
            proc = subprocess.run([tool, "-layout" if layout else "-raw", "-enc", "UTF-8", str(path), str(out)],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  timeout=timeout, preexec_fn=safezip.child_limits())
        except subprocess.TimeoutExpired:
            raise ImportFailure(f"{path}: pdftotext chạy quá {timeout:.0f} giây, đã dừng (PDF quá phức tạp?)") from None
        if proc.returncode < 0 or (proc.returncode != 0 and b"alloc" in proc.stderr.lower()):
            raise ImportFailure(f"{path}: pdftotext vượt giới hạn bộ nhớ ({safezip.CHILD_MEMORY // 2**30} GB) hoặc"
                                f" kích thước văn bản ({safezip.CHILD_OUTPUT // 2**20} MB), đã dừng; PDF này không"
                                " nhập được")
        text = out.read_bytes().decode("utf-8", "replace") if proc.returncode == 0 else ""
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ImportFailure(f"{path}: pdftotext không đọc được tệp (mã thoát {proc.returncode})"
                            + (f": {detail[-1]}" if detail else ""))
    if not text.replace("\f", "").strip():
        raise ImportFailure(f"{path}: PDF không có lớp chữ (có thể là bản quét); cần nhận dạng chữ (OCR) trước")
    return text


def _landscape_page(path: Path, page: int) -> bool:
    """Is this page of the PDF wider than tall (a landscape phụ lục)? pdfinfo says; unknown → no."""
    tool = shutil.which("pdfinfo")
    if not tool:
        return False
    try:
        out = subprocess.run([tool, "-f", str(page), "-l", str(page), str(path)], stdin=subprocess.DEVNULL,
                             capture_output=True, timeout=min(30, safezip.scaled_timeout(path)),
                             preexec_fn=safezip.child_limits()).stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return False
    m = re.search(rf"^Page\s+{page}\s+size:\s+([\d.]+)\s+x\s+([\d.]+)", out, re.M)
    return m is not None and float(m.group(1)) > float(m.group(2))


# --------------------------------------------------------------------------- docx

class _Numbering:
    """Labels of Word's automatic numbering, so "1." typed by Word counts like "1." typed by hand."""

    def __init__(self, xml: bytes | None):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        if not xml:
            return
        root = etree.fromstring(xml)
        abstract = {}
        for a in root.iter(W + "abstractNum"):
            lv = {}
            for lvl in a.iter(W + "lvl"):
                fmt = lvl.find(W + "numFmt")
                txt = lvl.find(W + "lvlText")
                start = lvl.find(W + "start")
                lv[int(lvl.get(W + "ilvl", "0"))] = (     # w:val is required on the three (ECMA-376)
                    fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                    txt.get(W + "val", "") if txt is not None else "",
                    int(start.get(W + "val", "1")) if start is not None else 1)
            abstract[a.get(W + "abstractNumId", "")] = lv
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is not None and ref.get(W + "val") in abstract:
                self.levels[num.get(W + "numId", "")] = abstract[ref.get(W + "val", "")]

    def label(self, num_id: str, ilvl: int) -> str:
        lv = self.levels.get(num_id)
        if not lv or ilvl not in lv:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        fmt, text, start = lv[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return "+" if text.strip() == "+" else "-"
        if fmt == "none":
            return ""

        def one(level: int) -> str:
            n = counters[level] or lv.get(level, ("decimal", "", 1))[2]
            f = lv.get(level, ("decimal", "", 1))[0]
            if f in ("upperRoman", "lowerRoman"):
                from .vn import roman
                r = roman(n)
                return r if f == "upperRoman" else r.lower()
            if f in ("lowerLetter", "upperLetter"):
                c = VN_LETTERS[(n - 1) % len(VN_LETTERS)]
                return c if f == "lowerLetter" else c.upper()
            return str(n)
        return re.sub(r"%(\d)", lambda m: one(int(m.group(1)) - 1), text).strip()


class _DocxReader:
    """Walks word/document.xml in body order: paragraphs, tables (header, closing, data), sections."""

    def __init__(self, z: zipfile.ZipFile, name: str):
        names = set(z.namelist())
        self.numbering = _Numbering(
            safezip.read_member(z, "word/numbering.xml") if "word/numbering.xml" in names else None
        )
        self.notes = _footnotes(safezip.read_member(z, "word/footnotes.xml")) if "word/footnotes.xml" in names else {}
        # effective formatting (styles, defaults, toggles), the same reader as vbtool check
        parts = {n: etree.fromstring(safezip.read_member(z, n))
                 for n in ("word/styles.xml", "word/theme/theme1.xml") if n in names}
        self.styles = Styles(parts.get("word/styles.xml"), Theme(parts.get("word/theme/theme1.xml")))
        self.lines: list[Line] = []
        self.no = 0
        self.section = 0
        self.landscape: dict[int, bool] = {}
        self.seen_title = False
        self.tables = 0
        self.groups = 0
        self.name = name

    def walk(self, container) -> None:
        for el in container:
            tag = el.tag
            if tag == W + "p":
                self.lines.append(self.para(el))
                sect = el.find(f"{W}pPr/{W}sectPr")
                if sect is not None:
                    self.end_section(sect)
            elif tag == W + "tbl":
                self.table(el)
            elif tag == W + "sdt":
                content = el.find(W + "sdtContent")
                if content is not None:
                    self.walk(content)
            elif tag == W + "sectPr":
                self.end_section(el)

    def end_section(self, sect) -> None:
        size = sect.find(W + "pgSz")
        if size is not None and size.get(W + "orient") == "landscape":
            self.landscape[self.section] = True
        self.section += 1

    def para(self, p, **kw) -> Line:
        self.no += 1
        parts: list[str] = []
        flags: list[tuple[bool, bool]] = []
        for r in _runs(p):
            fmt = self.styles.run(r, p)
            bold, italic = fmt.bold, fmt.italic
            for node in r:
                if node.tag == W + "t" and node.text:
                    parts.append(node.text)
                    if node.text.strip():
                        flags.append((bold, italic))
                elif node.tag == W + "tab":
                    parts.append(" ")
                elif node.tag in (W + "br", W + "cr"):
                    parts.append("\n")
                elif node.tag == W + "noBreakHyphen":
                    parts.append("-")
                elif node.tag == W + "footnoteReference":
                    parts.append(f"{NOTE_OPEN}{node.get(W + 'id')}{NOTE_CLOSE}")
        text = _nfc("".join(parts))
        text = "\n".join(" ".join(x.split()) for x in text.split("\n")).strip()
        num = p.find(f"{W}pPr/{W}numPr")
        if num is None or num.find(W + "numId") is None:
            num = self.styles.numbering(p)
        if num is not None and text:
            ilvl = num.find(W + "ilvl")
            nid = num.find(W + "numId")
            if nid is not None:
                label = self.numbering.label(nid.get(W + "val"), int(ilvl.get(W + "val")) if ilvl is not None else 0)
                if label:
                    text = f"{label} {text}"
        if text in _TEN_LOAI:
            self.seen_title = True
        return Line(text, self.no, blank=not text, heading=bool(flags) and all(b or i for b, i in flags),
                    bold=bool(flags) and all(b for b, _ in flags), italic=bool(flags) and all(i for _, i in flags),
                    section=self.section, **kw)

    def table(self, tbl) -> None:
        self.tables += 1
        text = " ".join(t.text or "" for t in tbl.iter(W + "t"))
        if not self.seen_title and self.tables == 1 and (
                _QUOC_HIEU.search(text) or _DANG.search(text) or re.search(r"\bSố\b", text)):
            self.cells(tbl, "header")
        elif re.search(r"Nơi\s+nhận", text, re.I) or re.search(r"(^|\s)(TM\.|KT\.|T/M|K/T|TL\.|T/L)\s", text):
            self.cells(tbl, "closing")
        else:
            self.data_table(tbl)

    def cells(self, tbl, where: str) -> None:
        for tr in tbl.findall(W + "tr"):
            for tc in tr.findall(W + "tc"):
                for el in tc:
                    if el.tag == W + "p":
                        self.lines.append(self.para(el, where=where, cols=[]))
                        self.lines[-1].cols = [x for x in self.lines[-1].text.split("\n")]
                    elif el.tag == W + "tbl":
                        self.nested(el, where)

    def nested(self, tbl, where: str) -> None:
        """A bracket table inside Nơi nhận (items left, "(báo cáo)" right) is one recipient group."""
        rows = tbl.findall(W + "tr")
        cells = rows[0].findall(W + "tc") if len(rows) == 1 else []
        note_text = " ".join("".join(t.text or "" for t in cells[1].iter(W + "t")).split()) if len(cells) == 2 else ""
        if re.fullmatch(r"\(.+\)", note_text):
            self.groups += 1
            for el in cells[0]:
                if el.tag == W + "p":
                    line = self.para(el, where=where, group=self.groups, note=note_text[1:-1].strip())
                    if not line.blank:
                        self.lines.append(line)
            self.no += 1                       # the note paragraph
            return
        self.cells(tbl, where)

    def data_table(self, tbl) -> None:
        grid = [twips_mm(int(g.get(W + "w", "0"))) for g in tbl.iter(W + "gridCol")]
        rows = []
        first_no = self.no + 1
        for tr in tbl.findall(W + "tr"):
            row = []
            for tc in tr.findall(W + "tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                paras = [self.para(p) for p in tc.findall(W + "p")]
                texts = [x.text.replace("\n", " ") for x in paras if x.text]
                full = [x for x in paras if x.text]
                row.append((texts, int(span.get(W + "val")) if span is not None else 1,
                            bool(full) and all(x.bold for x in full), bool(full) and all(x.italic for x in full)))
            rows.append(row)
        self.lines.append(Line("", first_no, where="table", rows=rows, widths=grid, section=self.section))


def _runs(p):
    """The runs of a paragraph in order, including those in hyperlinks and smart tags, never a Fallback copy."""
    out = []

    def walk(el):
        for child in el:
            if child.tag == MC_FALLBACK or child.tag == W + "pPr":
                continue
            if child.tag == W + "r":
                out.append(child)
            elif child.tag not in (W + "del", W + "moveFrom"):
                walk(child)
    walk(p)
    return out


def _footnotes(xml: bytes) -> dict[str, list[str]]:
    """Footnote id -> its paragraphs, without the number mark Word prints."""
    out = {}
    for fn in etree.fromstring(xml).iter(W + "footnote"):
        if fn.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paras = []
        for p in fn.iter(W + "p"):
            t = "".join(x.text or "" for x in p.iter(W + "t"))
            t = " ".join(_nfc(t).split())
            if t:
                paras.append(t)
        if paras:
            out[fn.get(W + "id", "")] = paras
    return out


def read_docx(path: Path) -> Source:
    try:
        with zipfile.ZipFile(path) as z:
            if "word/document.xml" not in z.namelist():
                raise ImportFailure(f"{path}: tệp .docx bị hỏng (thiếu word/document.xml)")
            root = etree.fromstring(safezip.read_member(z, "word/document.xml"))
            reader = _DocxReader(z, str(path))
    except safezip.ZipLimitError as exc:
        raise ImportFailure(f"{path}: {exc}") from None
    except (zipfile.BadZipFile, OSError, etree.XMLSyntaxError):
        raise ImportFailure(f"{path}: tệp .docx bị hỏng hoặc không phải tệp Word (.docx)") from None
    body = root.find(W + "body")
    if body is None:
        raise ImportFailure(f"{path}: tệp .docx không có phần thân văn bản")
    reader.walk(body)
    return Source(reader.lines, str(path), whole=True, unit="đoạn", notes=reader.notes,
                  landscape=reader.landscape)


# --------------------------------------------------------------------------- structure

@dataclass
class Para:
    text: str
    no: int
    heading: bool = False


@dataclass
class Marker:
    style: str                # "I.", "I-", "1.", "1-", "1.1.", "a)", "a-", "-", "+"
    nums: list[int]
    rest: str


def marker(text: str) -> Marker | None:
    """The numbering marker that starts `text`, or None."""
    m = _M_DOTTED.match(text)
    if m:
        return Marker("1.1.", [int(x) for x in m.group("n").split(".")], m.group("rest"))
    m = _M_ROMAN.match(text)
    if m and _ROMAN_OK.match(m.group("n")):
        return Marker("I." if m.group("s") == "." else "I-", [_roman_value(m.group("n"))], m.group("rest"))
    m = _M_ARABIC.match(text)
    if m:
        sep = m.group("s")
        return Marker({".": "1.", ")": "1)"}.get(sep, "1-"), [int(m.group("n"))], m.group("rest"))
    m = _M_LETTER.match(text)
    if m and m.group("n") in VN_LETTERS:
        return Marker("a)" if m.group("s") == ")" else "a-", [VN_LETTERS.index(m.group("n")) + 1], m.group("rest"))
    m = _M_DASH.match(text)
    if m and (text[1:2].isspace() or re.match(r"[^\W\d_][^\W\d_]", m.group("rest")) and
              m.group("rest")[1].islower()):         # "- Ý", "-Tổ chức"; never "-KH/BDVTU"
        return Marker("-", [], m.group("rest"))
    m = _M_PLUS.match(text)
    if m:
        return Marker("+", [], m.group("rest"))
    return None


def _roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(s):
        v = vals[ch]
        total += -v if i + 1 < len(s) and vals[s[i + 1]] > v else v
    return total


def task_field(text: str) -> tuple[str, str, str, str] | None:
    """(field, label, dash, value) when `text` is a labelled task line such as "- Chủ trì: Sở Tư pháp."."""
    m = _FIELD.match(text)
    if not m:
        return None
    label = " ".join(m.group("label").split())
    for key, rx in _FIELD_LABELS:
        if re.fullmatch(rx, label, re.I):
            return key, label, "- " if m.group("dash") else "", m.group("value").strip()
    return None


_GROUP_WORD = re.compile(r"^(các|những|mọi)\b")


def split_units(value: str) -> list[str]:
    """Split a unit list ("Sở Tư pháp, Sở Nội vụ; UBND các huyện, thị xã, thành phố.") into units.

    ";" separates units; inside each part "," does too, except inside brackets
    and before a lower-case piece that continues a group phrase ("UBND các
    huyện, thị xã, thành phố", "các cơ quan, đơn vị"): a piece starting with a
    lower-case word other than "các/những/mọi" belongs to the unit before it.
    "và" is never a separator ("Sở Kế hoạch và Đầu tư"), so the rendering keeps the words.
    """
    value = value.strip().rstrip(".;,").strip()
    out: list[str] = []
    for part in _split_outside_brackets(value, ";"):
        pieces = _split_outside_brackets(part, ",")
        units: list[str] = []
        for piece in pieces:
            if units and _lower_start(piece) and not _GROUP_WORD.match(piece):
                units[-1] = units[-1] + ", " + piece
            else:
                units.append(piece)
        out += units
    return [u for u in (x.strip() for x in out) if u]


def _split_outside_brackets(text: str, sep: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([“\"" and not (ch == '"' and depth):
            depth += 1
        elif ch in ")]”" or (ch == '"' and depth):
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [x for x in out if x]


@dataclass
class Node:
    """A numbered item while the structure is being built; becomes muc or nhiem_vu at the end."""

    style: str
    depth: int
    number: int
    text: str
    no: int
    heading: bool
    entries: list = field(default_factory=list)   # ("p", text, no) | ("g", items, no) | ("n", Node) | ("f", ...)


# --------------------------------------------------------------------------- the parser

class _Parser:
    def __init__(self, src: Source):
        self.src = src
        self.L = src.lines
        self.warnings: list[Problem] = []
        self.comments: dict[str, list[str]] = {}     # top-level key -> comment lines above it
        self.tail: list[str] = []                     # comment block at the end of the file
        self.signals: Counter[str] = Counter()        # regime evidence: nha_nuoc / dang
        self.notes: dict[str, list[str]] = {}         # chu_thich name -> paragraphs
        self.data: dict = {}

    # -- helpers
    def warn(self, no: int, message: str) -> None:
        self.warnings.append(Problem(self.src.name, no, 1, "", message, warning=True))

    def comment(self, key: str, text: str) -> None:
        self.comments.setdefault(key, []).append(text)

    # -- regions
    def parse(self) -> dict:
        self.extract_footnotes()
        L, n = self.L, len(self.L)
        if not any(not x.blank for x in L):
            raise ImportFailure(f"{self.src.name}: không có chữ nào để nhập")
        t = next((i for i, x in enumerate(L[:120]) if not x.blank and x.where != "closing"
                  and " ".join(x.text.split()) in _TEN_LOAI), None)
        if t is not None:
            header, pos = L[:t], t + 1
            kind = _TEN_LOAI[" ".join(L[t].text.split())]
        else:
            pos = 0
            while pos < n and (L[pos].blank or L[pos].where == "header" or self.header_like(L[pos].text)):
                pos += 1
            header, kind = L[:pos], None
        c = self.find_closing(pos)
        a = next((i for i in range(c, n) if _PHU_LUC.match(L[i].text)), n)
        meta = self.header(header)
        subject, pos = self.trich_yeu(pos, c) if t is not None else (None, pos)
        if t is None:                      # a công văn from a PDF: its "V/v …" lines follow the header
            pos = import_kinds.vv_lines(L, pos, c, meta)
        kinh_gui, pos = self.kinh_gui(pos, c)
        paras = self.paragraphs(L[pos:c])
        ending = self.strip_ending(paras)
        opening, body = self.structure(paras)
        self.styled = self.src.whole and any(p.heading and marker(p.text) for p in paras)
        closing = self.closing(L[c:a])
        self.appendices(L[a:])
        return self.assemble(kind, meta, subject, kinh_gui, opening, body, ending, closing)

    def header_like(self, text: str) -> bool:
        """A line that can only belong to a header (used when the tên loại line is missing)."""
        if (_QUOC_HIEU.search(text) or _TIEU_NGU.search(text) or _DANG.search(text) or _SO_STATE.search(text)
                or _SO_PARTY.search(text) or _DATE.search(text) or _RULE.match(text)):
            return True
        return _is_upper(text) and len(text.split()) <= 8 and marker(text) is None

    def find_closing(self, start: int) -> int:
        L, n = self.L, len(self.L)
        for i in range(start, n):
            if L[i].where == "closing" or _NOI_NHAN.match(L[i].text):
                return i
        for i in range(n - 1, start - 1, -1):
            if L[i].text.rstrip().endswith("/."):
                return i + 1
        for i in range(max(start, n - 40), n):
            if _SIG_PREFIX.match(L[i].text):
                return i
        return n

    # -- header
    def header(self, lines: list[Line]) -> dict:
        meta: dict = {}
        agency: list[tuple[str, bool, int]] = []
        for line in lines:
            if line.blank:
                continue
            for seg in (line.cols or [line.text]):
                s = seg
                if _QUOC_HIEU.search(s):
                    self.signals["nha_nuoc"] += 5
                    s = _QUOC_HIEU.sub(" ", s)
                s = _TIEU_NGU.sub(" ", s)
                if _DANG.search(s):
                    self.signals["dang"] += 5
                    s = _DANG.sub(" ", s)
                for rx, regime in ((_SO_STATE, "nha_nuoc"), (_SO_PARTY, "dang")):
                    m = rx.search(s)
                    if m and "loai" not in meta:
                        self.signals[regime] += 2
                        self.signals["nha_nuoc" if m.group("colon") else "dang"] += 1
                        meta.update(so=int(m.group("so")) if m.group("so") and int(m.group("so")) > 0 else None,
                                    loai=m.group("loai"), ky_hieu=m.group("cq").rstrip(".-"), so_no=line.no)
                        s = s[:m.start()] + " " + s[m.end():]
                m = _DATE.search(s)
                if m and "nam" not in meta:
                    place = m.group("place").strip(" *-–,.")
                    place = _GAP.split(place)[-1].strip() if place else ""
                    meta.update(place=place or None, nam=int(m.group("y")),
                                thang=int(m.group("m")) if m.group("m") else None,
                                ngay=int(m.group("d")) if m.group("d") else None, date_no=line.no)
                    s = s[:m.start()] + " " + s[m.end():]
                rest = "\n".join(" ".join(x.split()) for x in s.split("\n")).strip(" \n*-–_")
                if not re.search(r"\w", rest):
                    continue
                if import_kinds.VV.match(rest) and "vv" not in meta:     # a công văn's trích yếu
                    meta["vv"] = " ".join(rest.split())
                elif _is_upper(rest):
                    agency.append((rest, line.bold, line.no))
                else:
                    self.warn(line.no, f"phần đầu văn bản có chữ không nhận ra, đã bỏ: «{rest}»")
        if agency:
            meta["agency"] = self.agency(agency)
        return meta

    def agency(self, parts: list[tuple[str, bool, int]]) -> dict:
        """Superior body and issuing body from the upper-case lines of the header."""
        bold = [p for p in parts if p[1]]
        plain = [p for p in parts if not p[1]]
        if bold and plain:                         # Word: the issuing body is bold, its superior is not
            return {"cap_tren": " ".join(p[0].replace("\n", " ") for p in plain),
                    "ten": "\n".join(p[0] for p in bold)}
        if len(parts) == 1 and "\n" in parts[0][0]:
            return {"ten": parts[0][0]}
        lines = [x.strip() for p in parts for x in p[0].split("\n") if x.strip()]
        if len(lines) == 1:
            return {"ten": lines[0]}
        if len(lines) == 2 and _GENERIC_BODY.match(lines[0]) and _LOCALITY.match(lines[1]):
            return {"ten": "\n".join(lines)}
        return {"cap_tren": " ".join(lines[:-1]), "ten": lines[-1]}

    # -- title, Kính gửi
    def trich_yeu(self, pos: int, end: int) -> tuple[str | None, int]:
        L = self.L
        parts: list[str] = []
        i = pos
        while i < end:
            line = L[i]
            if line.blank or line.where == "table":
                i += 1
                if parts:
                    break
                continue
            txt = line.text.replace("\n", " ")
            if _RULE.match(txt):
                i += 1
                break
            glued = _RULE_GLUED.match(txt)
            if glued:                      # "-----Thực hiện …": the rule glued to the next paragraph
                L[i] = replace(line, text=txt[glued.end():], cols=[])
                break
            if parts and (_OPENING.match(txt) or marker(txt) or _KINH_GUI.match(txt)):
                break
            if not parts and (marker(txt) or _KINH_GUI.match(txt)):
                break
            if len(parts) >= 8:
                break
            parts.append(txt)
            i += 1
        subject = ""
        for p in parts:
            subject = _join(subject, p)
        return (subject.strip() or None), i

    def kinh_gui(self, pos: int, end: int) -> tuple[list[str], int]:
        L = self.L
        i = pos
        while i < end and L[i].blank:
            i += 1
        m = _KINH_GUI.match(L[i].text) if i < end else None
        if not m:
            return [], pos
        names = []
        rest = m.group("rest").strip()
        i += 1
        if rest and not rest.startswith(("-", "–")):
            return [rest.rstrip(";.").strip()], i
        if rest:
            names.append(rest.lstrip("-– ").rstrip(";.").strip())
        while i < end and (L[i].blank or re.match(r"^[-–]\s", L[i].text)):
            if not L[i].blank:
                names.append(L[i].text[1:].strip().rstrip(";.").strip())
            i += 1
        return names, i

    # -- paragraphs
    def paragraphs(self, lines: list[Line]) -> list[Para]:
        out: list[Para] = []
        content = []
        for line in lines:
            if line.where == "table":
                self.unplaced_table(line)
            elif not line.blank:
                content.append(line)
        if self.src.whole or self.src.paragraph_lines:
            return [Para(x.text.replace("\n", " "), x.no, x.heading) for x in content]
        full = _full_width([len(x.text) for x in content])
        base_indent = min((x.indent for x in content), default=0)
        prev: Line | None = None
        pieces: list[list[str]] = []      # each paragraph's pieces, joined once: `text + line` each time is quadratic
        keep = len(NOTE_CLOSE) + 2        # what _join looks at in the text before
        for line in content:
            # a sentence that ends before a blank line (where blank lines are not on every
            # line) or before a newly indented line ends its paragraph
            ended = prev is not None and _ENDS_SENTENCE.search(_bare(prev.text)) is not None and (
                (self.src.blank_breaks and line.gap_before) or line.indent > base_indent + 1 >= prev.indent)
            if out and prev is not None and not ended and self.continues(prev, line.text, full):
                parts = pieces[-1]
                tail = "".join(parts[-keep:])[-keep:]
                parts.append(_join(tail, line.text)[len(tail):])
            else:
                out.append(Para(line.text, line.no))
                pieces.append([line.text])
            prev = line
        for para, parts in zip(out, pieces):
            para.text = "".join(parts)
        return out

    @staticmethod
    def continues(prev: Line, text: str, full: float) -> bool:
        """Does `text` continue the paragraph whose last line is `prev`? (a wrapped line, not a new one)"""
        last = _bare(prev.text)
        if marker(text) or task_field(text):
            # "chính trị" / "- xã hội": a hyphen at the start of a wrapped line is not a bullet
            return bool(re.match(r"^[-–]\s+\S", text)) and _lower_start(text[1:].strip()) \
                and not _ENDS_SENTENCE.search(last)
        if re.search(r"[\w/]-$", last) and text[:1].isalnum():
            return True
        if text[:1] in ",.;:)!?…" or _lower_start(text):
            return True
        if re.search(r"[,;]\s*$", last):       # a list goes on ("…thuộc UBND tỉnh;" / "UBND các huyện…")
            return not _OPENING.match(text)
        if len(last) < 0.8 * full:
            return False
        if not _ENDS_SENTENCE.search(last):
            return True
        return not _OPENING.match(text)

    def strip_ending(self, paras: list[Para]) -> bool:
        """Remove the "./." that ends the body (the renderer adds the regime's ending again).

        "quy định./." keeps its full stop ("quy định."), so the rendering gives
        "quy định./." back; footnote references after the ending stay at the end.
        """
        if not paras:
            return False
        text = paras[-1].text.rstrip()
        m = re.search(f"(?:{NOTE_OPEN}[\\w.-]+{NOTE_CLOSE})*$", text)
        assert m is not None          # the pattern also matches the empty string at the end
        core, refs = text[:m.start()].rstrip(), text[m.start():]
        e = re.search(r"\.?/\.$", core)
        if not e:
            return False
        paras[-1].text = (core[:-2] if core.endswith("./.") else core[:e.start()]) + refs
        return True

    # -- structure
    def structure(self, paras: list[Para]) -> tuple[list[str], list]:
        opening: list[str] = []
        root: list = []
        stack: list[Node] = []
        self.level_style: dict[int, str] = {}
        self.style_level: dict[str, int] = {}
        self.dashes: Counter[str] = Counter()
        self.labels: dict[str, Counter] = {}
        self.field_orders: list[list[str]] = []

        def target() -> list:
            return stack[-1].entries if stack else root

        for para in paras:
            text = para.text.strip()
            f = task_field(text)
            if f and stack:
                key, label, dash, value = f
                stack[-1].entries.append(("f", key, label, dash, value, para.no))
                self.dashes[dash] += 1
                self.labels.setdefault(key, Counter())[label] += 1
                continue
            if f:
                self.warn(para.no, f"dòng \"{f[1]}:\" không thuộc nhiệm vụ có đánh số nào, giữ thành đoạn văn")
            m = None if f else marker(text)
            if m is None:
                self.plain(text, para, stack, opening)
                continue
            if m.style == "-":
                entries = target() if stack else None
                if entries is None:
                    opening.append(text)
                    continue
                if entries and entries[-1][0] == "g":
                    entries[-1][1].append([m.rest, []])
                else:
                    entries.append(("g", [[m.rest, []]], para.no))
                continue
            if m.style == "+":
                entries = target()
                if entries and entries[-1][0] == "g":
                    entries[-1][1][-1][1].append(m.rest)
                else:
                    self.warn(para.no, "dòng \"+\" không đứng sau một dòng \"-\", giữ thành đoạn văn")
                    self.plain(text, para, stack, opening)
                continue
            depth, why = self.place(m, stack, root)
            if depth is None:
                self.warn(para.no, f"{why}, giữ thành đoạn văn: «{_short(text)}»")
                self.plain(text, para, stack, opening)
                continue
            node = Node(m.style, depth, m.nums[-1], m.rest, para.no, para.heading)
            del stack[depth:]
            (stack[-1].entries if stack else root).append(("n", node))
            stack.append(node)
            self.level_style.setdefault(depth, m.style)
            self.style_level.setdefault(m.style, depth)
        return opening, root

    def plain(self, text: str, para: Para, stack: list[Node], opening: list[str]) -> None:
        if stack:
            stack[-1].entries.append(("p", text, para.no))
        else:
            opening.append(text)

    def place(self, m: Marker, stack: list[Node], root: list) -> tuple[int | None, str]:
        """The depth of a numbered item, or None with the reason it does not fit the numbering."""
        if m.style == "1.1.":
            arabic = next((d for s, d in self.style_level.items() if s in ("1.", "1-")), None)
            if arabic is None:
                return None, "số \"1.1.\" không có cấp \"1.\" bên trên"
            depth = arabic + len(m.nums) - 1
            for j, num in enumerate(m.nums[:-1]):
                d = arabic + j
                if d >= len(stack) or stack[d].number != num:
                    return None, f"số {'.'.join(map(str, m.nums))} không khớp với mục đang mở"
        elif m.style in self.style_level:
            depth = self.style_level[m.style]
        else:
            depth = len(stack)
            if depth in self.level_style and self.level_style[depth] != m.style:
                return None, (f"cấp {depth + 1} đã dùng kiểu \"{self.level_style[depth]}\", "
                              f"không dùng thêm \"{m.style}\"")
        if depth > len(stack):
            return None, "số mục nhảy cấp"
        if depth in self.level_style and self.level_style[depth] != m.style:
            return None, f"cấp {depth + 1} đã dùng kiểu \"{self.level_style[depth]}\""
        parent = stack[depth - 1].entries if depth > 0 else root
        siblings = sum(1 for e in parent if e[0] == "n")
        if m.nums[-1] != siblings + 1:
            return None, f"số mục không liền mạch (chờ {siblings + 1})"
        return depth, ""

    # -- closing
    def closing(self, lines: list[Line]) -> dict:
        """Nơi nhận, Lưu, quyền hạn, chức vụ, họ tên — in whatever order extraction left them.

        Recipients keep their raw text until the end, so that a wrapped item
        ("- Mặt trận Tổ quốc Việt Nam," / "các tổ chức …") is joined with its
        comma. A bracketed note on the right of several items ("(Báo" … "cáo)",
        or a "(báo cáo)" line after them) makes those items one group.
        """
        out: dict = {"recipients": [], "luu": None, "auth": [], "upper": [], "name": None, "quyen": False}
        recips: list[dict] = out["recipients"]
        state: dict[str, Any] = {"open": None, "noted": 0}  # open: a note spread over lines; noted: items already noted
        groups: dict[int, dict] = {}

        def close_group(start: int, note: str) -> None:
            members = recips[start:]
            names = [n for x in members for n in x["names"]]
            del recips[start:]
            if names:
                recips.append({"names": names, "note": note, "no": members[0]["no"]})
            state["noted"] = len(recips)

        def note_piece(piece: str, current: dict | None) -> None:
            whole = re.fullmatch(r"\((.+)\)[;,.]?", piece)
            if whole and state["open"] is None:
                note = whole.group(1).strip()
                if current is not None:
                    current["note"] = note
                    state["noted"] = len(recips)
                elif len(recips) - state["noted"] == 1:
                    recips[-1]["note"] = note
                    state["noted"] = len(recips)
                elif len(recips) > state["noted"]:
                    close_group(state["noted"], note)
                return
            if state["open"] is None:
                start = recips.index(current) if current is not None else len(recips)
                state["open"] = {"start": start, "parts": [piece.lstrip("(")]}
            else:
                state["open"]["parts"].append(piece)
            if piece.rstrip(";,.").endswith(")"):
                parts = state["open"]["parts"]
                parts[-1] = parts[-1].rstrip(";,.").rstrip(")")
                start = state["open"]["start"]
                state["open"] = None
                close_group(start, " ".join(p.strip() for p in parts if p.strip()))

        for line in lines:
            if line.blank or line.where == "table":
                continue
            if line.group is not None:            # docx bracket table: one group with its note
                g = groups.get(line.group)
                if g is None:
                    g = groups[line.group] = {"names": [], "note": line.note, "no": line.no}
                    recips.append(g)
                g["names"].append(line.text)
                state["noted"] = len(recips)
                continue
            pieces = [line.text] if self.src.whole else list(line.cols or [line.text])
            current: dict | None = None
            k = 0
            while k < len(pieces):
                piece = pieces[k].strip()
                k += 1
                if not piece:
                    continue
                nn = _NOI_NHAN.match(piece)
                if nn:
                    rest = piece[nn.end():].strip()
                    if rest:
                        pieces.insert(k, rest)
                    continue
                lm = _LUU.match(piece)
                if lm and (lm.group("colon") or piece.startswith(("-", "–"))):
                    self.signals["nha_nuoc" if lm.group("colon") else "dang"] += 1
                    out["luu"] = lm.group("rest").strip().rstrip(".").strip()
                    current = None
                    continue
                if re.match(r"^[-–]\s*\S", piece) and not _SIG_PREFIX.match(piece):
                    name, note = _recipient_text(piece)
                    current = {"names": [name if note else re.sub(r"^[-–]\s*", "", piece)], "note": None,
                               "no": line.no}
                    recips.append(current)
                    if note:
                        note_piece(f"({note})", current)
                    continue
                if piece.startswith("(") or (state["open"] is not None and piece.rstrip(";,.").endswith(")")):
                    note_piece(piece, current)
                    continue
                sig = _SIG_PREFIX.match(piece)
                if sig:
                    p = sig.group("p").upper()
                    self.signals["dang" if "/" in p else "nha_nuoc"] += 2
                    if p == "Q.":
                        out["quyen"] = True
                        out["upper"].append(sig.group("rest"))
                    else:
                        out["auth"].append((p, sig.group("rest")))
                    continue
                if _is_upper(piece) or (out["auth"] or out["upper"]) and _TITLE.match(piece):
                    out["upper"].append(piece)
                    continue
                if _lower_start(piece) and recips:       # a wrapped recipient ("và các tổ chức …")
                    recips[-1]["names"][-1] = _join(recips[-1]["names"][-1].rstrip(), piece)
                    continue
                if _looks_like_name(piece):
                    out["name"] = piece
                    continue
                self.warn(line.no, f"phần cuối văn bản có dòng không nhận ra, đã bỏ: «{_short(piece)}»")
        if state["open"] is not None:
            self.warn(lines[-1].no if lines else 1, "ghi chú nơi nhận mở ngoặc mà không đóng, đã bỏ")
        for r in recips:
            r["names"] = [_recipient_text(n)[0] for n in r["names"]]
        return out

    # -- phụ lục
    def appendices(self, lines: list[Line]) -> None:
        self.phu_luc: list[dict] = []
        self.task_annex: bool | dict[str, str] | None = None
        i, n = 0, len(lines)
        while i < n:
            if not _PHU_LUC.match(lines[i].text):
                if not lines[i].blank:
                    self.unplaced(lines[i])
                i += 1
                continue
            head = lines[i]
            i += 1
            title: list[str] = []
            while i < n and (lines[i].blank or (not _KEM_THEO.match(lines[i].text) and lines[i].where != "table"
                                                 and len(title) < 4 and not _PHU_LUC.match(lines[i].text))):
                if not lines[i].blank:
                    title.append(lines[i].text)
                i += 1
            if i < n and _KEM_THEO.match(lines[i].text):
                kem = lines[i].text
                i += 1
                while i < n and ")" not in kem and not lines[i].blank and lines[i].where != "table":
                    kem = _join(kem, lines[i].text)
                    i += 1
                m = re.search(r"\bcủa\s+(.+?)\)?\s*$", kem)
                if m:
                    self.ten_goi = m.group(1).strip()
            j = i
            while j < n and not _PHU_LUC.match(lines[j].text):
                j += 1
            self.appendix(head, " ".join(title), lines[i:j])
            i = j

    def appendix(self, head: Line, title: str, body: list[Line]) -> None:
        ten = title.strip() or "[[Tên phụ lục]]"
        tables = [x for x in body if x.where == "table"]
        words = " ".join(x.text for x in body[:12] if not x.blank)
        if (tables and tables[0].rows and [" ".join(c[0]) for c in tables[0].rows[0]] == _ANNEX_HEADER) or \
                (not self.src.whole and re.search(r"\bTT\b.*Nhiệm vụ.*Chủ trì.*Phối hợp.*Thời gian.*Sản phẩm", words)):
            self.task_annex = True if ten.upper() == "DANH MỤC NHIỆM VỤ" else {"tieu_de": ten}
            return
        content: list = []
        if self.src.whole:
            for x in body:
                if x.where == "table":
                    content.append({"bang": self.table(x)})
                elif not x.blank:
                    m = marker(x.text)
                    if m and m.style in ("-", "+"):
                        if content and isinstance(content[-1], dict) and "gach" in content[-1]:
                            content[-1]["gach"].append(_markup(m.rest))
                        else:
                            content.append({"gach": [_markup(m.rest)]})
                    else:
                        content.append(_markup(x.text))
        elif self.src.layout_tables and re.search(r"\b(?:S?TT|Số\s+TT)\b", words):
            grid = self.src.layout_tables.pop(0)
            content = [{"bang": self.table(Line("", head.no, where="table", rows=grid.as_rows()))}]
            if grid.landscape:
                self.src.landscape[head.section] = True
        else:
            paras = self.paragraphs(body)
            content = [_markup(p.text) for p in paras]
            if paras:
                page = 1 + sum(1 for x in self.L if x.page_end and x.no < paras[0].no)
                self.warn(paras[0].no, f"phụ lục «{_short(ten)}» (trang {page}): bảng trong bản trích chữ không "
                          "dựng lại được, nội dung giữ thành các đoạn văn")
        ap: dict[str, object] = {"ten": ten}
        if self.src.landscape.get(head.section):
            ap["ngang"] = True
        if content:
            ap["noi_dung"] = content
        self.phu_luc.append(ap)

    def table(self, line: Line) -> dict:
        """A Word table as a `bang`: header row, groups, and the TT column when it holds exactly the
        numbers vbtool prints (then ``so_thu_tu`` regenerates them and the rows leave that cell out)."""
        rows = line.rows or []
        header = [" ".join(c[0]) for c in rows[0]] if rows else []
        ncols = len(header)
        data = rows[1:]

        def group(r) -> str | None:
            if len(r) == 2 and r[1][1] == ncols - 1 or len(r) == 1 and r[0][1] == ncols and ncols > 1:
                return "nhom_con" if r[-1][3] else "nhom"
            return None

        restart = None
        if header and header[0].strip().upper() in ("TT", "STT", "SỐ TT"):
            restart = next((mode for mode in ("nhom", "nhom_con", "khong") if _tt_ok(data, ncols, group, mode)),
                           None)
        cols = [{"ten": h} for h in header]
        if line.widths and len(line.widths) == ncols:
            for c, w in zip(cols, line.widths):
                c["rong_mm"] = round(w, 1)
        out_rows: list = []
        for r in data:
            kind = group(r)
            if kind:
                out_rows.append({kind: _markup(" ".join(r[-1][0])) or "[[Nhóm]]"})
                continue
            cells = r[1:] if restart else r
            row = []
            for c in cells:
                texts = [_markup(t) for t in c[0]]
                row.append(texts[0] if len(texts) == 1 else (texts or ""))
                row.extend([""] * (c[1] - 1))
            want = ncols - (1 if restart else 0)
            out_rows.append((row + [""] * want)[:want])
        if not any(isinstance(r, list) for r in out_rows):
            out_rows.append([""] * (ncols - (1 if restart else 0)))
        out: dict[str, object] = {"cot": cols}
        if restart:
            out["so_thu_tu"] = True
            if restart != "nhom":
                out["danh_so_lai"] = restart
        out["dong"] = out_rows
        return out

    def unplaced_table(self, line: Line) -> None:
        self.warn(line.no, "bảng giữa phần nội dung không có chỗ trong YAML (chỉ phụ lục có bảng); "
                  "nội dung bảng ghi thành chú thích YAML ở cuối tệp")
        self.tail.append(f"Bảng ở đoạn {line.no} (chưa đặt được vào nội dung):")
        for r in line.rows or []:
            self.tail.append("  | " + " | ".join(" ".join(c[0]) for c in r) + " |")

    def unplaced(self, line: Line) -> None:
        self.warn(line.no, f"dòng sau phần chữ ký không nhận ra, đã bỏ: «{_short(line.text)}»")

    # -- footnotes
    def extract_footnotes(self) -> None:
        """Footnotes: Word's come with the file; in extracted text a note sits at the bottom of its page.

        pdftotext prints a note as its number alone on a line, then its text;
        other extractors print "(1) text" or "1 text". A run of such notes is
        taken as notes only if it fills the page's tail, the numbers follow on
        from the previous page, and each number occurs as a reference earlier
        on the same page ("(1)", or a digit glued to a word: "Nhân dân1"). The
        reference becomes [^n], the note goes to chu_thich. Every other bare
        number line is a page number and is dropped.
        """
        if self.src.whole:
            self.notes.update(self.src.notes)
            return
        L = self.L
        pages, start = [], 0
        for i, line in enumerate(L):
            if line.page_end:
                pages.append((start, i + 1))
                start = i + 1
        pages.append((start, len(L)))
        drop: set[int] = set()
        expected = 1
        for a, b in pages:
            for j in range(a, b):
                found = self.note_run(j, b, expected)
                if found and self.link_notes(a, j, found):
                    for number, paras in found:
                        self.notes[str(number)] = paras
                    expected = found[-1][0] + 1
                    drop.update(range(j, b))
                    break
        self.L = [x for i, x in enumerate(L) if i not in drop and x.where != "num"]

    def note_run(self, j: int, end: int, expected: int) -> list | None:
        """Notes numbered `expected`, `expected`+1… filling L[j:end], or None."""
        L = self.L
        notes: list = []
        texts: list[str] = []
        for i in range(j, end):
            line = L[i]
            if line.blank:
                continue
            want = expected + len(notes)
            m = re.fullmatch(r"\(?(\d{1,3})\)?(?:\s+(\S.*))?", line.text)
            if m and int(m.group(1)) == want and (line.where == "num" or m.group(2)):
                if notes:
                    notes[-1][1].extend(_note_paragraphs(texts))
                notes.append((want, []))
                texts = [m.group(2)] if m.group(2) else []
                continue
            if not notes or line.where == "num":
                return None
            texts.append(line.text)
        if not notes:
            return None
        notes[-1][1].extend(_note_paragraphs(texts))
        return notes if all(p for _, p in notes) else None

    def link_notes(self, a: int, j: int, notes: list) -> bool:
        """Replace each note's reference on lines a..j-1 with a sentinel; False if one is missing."""
        L = self.L
        pos = (a, 0)
        edits = []
        for number, _paras in notes:
            after = r"(?=[\s.,;:)”\"]|$)"
            forms = [re.compile(rf"\({number}\)"),                              # "(1)"
                     re.compile(rf"(?<=[^\s\d(/.,:-]){number}{after}"),           # "Nhân dân1", "(PCI)2"
                     re.compile(rf"(?<!\d)(?:19|20)\d\d({number}){after}")]       # "năm 20241": 2024 + 1
            hit = None
            for i in range(pos[0], j):
                if L[i].where == "num" or L[i].blank:
                    continue
                start = pos[1] if i == pos[0] else 0
                found = [m for m in (rx.search(L[i].text, start) for rx in forms) if m]
                if found:
                    m = min(found, key=lambda x: x.start(x.lastindex or 0))
                    g = m.lastindex or 0
                    hit = (i, m.start(g), m.end(g))
                    break
            if hit is None:
                return False
            i, s0, e0 = hit
            edits.append((i, s0, e0, number))
            pos = (i, s0 + 1)
        for i, s, e, number in reversed(edits):
            t = L[i].text
            L[i] = replace(L[i], text=t[:s] + f"{NOTE_OPEN}{number}{NOTE_CLOSE}" + t[e:], cols=[])
        return True

    # -- assembling the YAML data
    def assemble(self, kind, meta, subject, kinh_gui, opening, body, ending, closing) -> dict:
        d: dict = {}
        regime = self.regime(meta)
        kind, subject = import_kinds.letter(kind, meta, subject, regime)
        if kind is None:
            code = meta.get("loai")
            guess = {"KH": "ke_hoach", "BC": "bao_cao"}.get(code or "")
            if guess is None:
                head = " ".join(opening[:2]).lower()
                guess = "bao_cao" if "báo cáo" in head and "kế hoạch" not in head else "ke_hoach"
                self.comment("loai", "nhập: không thấy tên loại (KẾ HOẠCH/BÁO CÁO), đoán theo nội dung — cần kiểm tra")
                self.warn(1, f"không thấy tên loại văn bản; đoán là {'Báo cáo' if guess == 'bao_cao' else 'Kế hoạch'}")
            kind = guess
        d["loai"] = kind
        d["the_thuc"] = regime
        ag = meta.get("agency") or {}
        co_quan: dict = {}
        if ag.get("cap_tren"):
            co_quan["cap_tren"] = ag["cap_tren"]
        co_quan["ten"] = ag.get("ten") or "[[Tên cơ quan ban hành]]"
        if not ag.get("ten"):
            self.warn(1, "không thấy tên cơ quan ban hành: để [[Tên cơ quan ban hành]]")
        if meta.get("ky_hieu"):
            co_quan["ky_hieu"] = meta["ky_hieu"]
        else:
            co_quan["ky_hieu"] = "[[ký hiệu cơ quan]]"
            self.comment("co_quan", "nhập: không thấy số, ký hiệu văn bản")
            self.warn(1, "không thấy số, ký hiệu văn bản: ký hiệu cơ quan để [[ký hiệu cơ quan]], số để trống")
        if getattr(self, "ten_goi", None):
            co_quan["ten_goi"] = self.ten_goi
        d["co_quan"] = co_quan
        d["so"] = meta.get("so")
        code = meta.get("loai")
        if code and code != kinds.get(kind).type_code(regime):
            d["ky_hieu_loai"] = code
        d["ngay"] = self.date(meta, subject, opening)
        if meta.get("place"):
            d["dia_danh"] = meta["place"]
        else:
            d["dia_danh"] = "[[Địa danh]]"
            self.warn(meta.get("date_no", 1), "không thấy địa danh: để [[Địa danh]]")
        if subject:
            d["trich_yeu"] = subject
        else:
            d["trich_yeu"] = "[[Trích yếu nội dung]]"
            self.warn(1, "không thấy trích yếu: để [[Trích yếu nội dung]]")
        if kinh_gui:
            d["kinh_gui"] = kinh_gui[0] if len(kinh_gui) == 1 else kinh_gui
        if opening:
            d["mo_dau"] = [_markup(x) for x in opening]
        nodes = [self.node_yaml(e[1]) for e in body]
        depth = max(self.level_style) + 1 if self.level_style else 0
        if depth:
            d["danh_so"] = [self.level_style.get(k, "1.") for k in range(depth)]
        shown = self.task_display()
        if shown:
            d["hien_thi_nhiem_vu"] = shown
        if not nodes:
            nodes = ["[[Nội dung]]"]
            self.warn(1, "không tìm thấy phần nội dung có đánh số: để [[Nội dung]]")
        d["noi_dung"] = nodes
        if not ending:
            d["ket_thuc"] = ""
        d["ky"] = self.signature(closing, regime)
        recips = []
        for r in closing["recipients"]:
            names = [x for x in r["names"] if x]
            if not names:
                continue
            if len(names) == 1:
                recips.append({"ten": names[0], "ghi_chu": r["note"]} if r.get("note") else names[0])
            else:
                item = {"nhom": names}
                if r.get("note"):
                    item["ghi_chu"] = r["note"]
                recips.append(item)
        d["noi_nhan"] = recips
        luu = closing["luu"]
        if luu:
            parts = [x.strip() for x in luu.split(",") if x.strip()]
            # a regime whose Lưu line opens with a fixed entry ("VT") keeps the list form
            d["luu"] = parts if len(parts) > 1 or profiles.for_regime(regime).noi_nhan.luu_dau else parts[0]
        if self.notes:
            d["chu_thich"] = {k: (_markup(v[0]) if len(v) == 1 else [_markup(x) for x in v])
                              for k, v in self.notes.items()}
        if self.phu_luc:
            self.fit_tables(regime)
            d["phu_luc"] = self.phu_luc
        if self.task_annex is not None:
            d["phu_luc_nhiem_vu"] = self.task_annex
        import_kinds.refine(d, self.warnings)
        self.check_refs(d)
        return d

    def fit_tables(self, regime: str) -> None:
        """Column widths as read, shrunk to the page of the profile if they do not fit; the widest
        column is left free (it takes the rest), so rounding can never overflow the page."""
        prof = profiles.for_regime(regime)
        for ap in self.phu_luc:
            page = prof.landscape_width_mm if ap.get("ngang") else prof.text_width_mm
            for item in ap.get("noi_dung", []):
                if not (isinstance(item, dict) and "bang" in item):
                    continue
                cols = item["bang"]["cot"]
                widths = [c.get("rong_mm") for c in cols]
                if not widths or None in widths:
                    for c in cols:
                        c.pop("rong_mm", None)
                    continue
                scale = min(1.0, page / sum(widths))
                widest = max(range(len(cols)), key=lambda k: widths[k])
                for k, c in enumerate(cols):
                    if k == widest:
                        del c["rong_mm"]
                    else:
                        c["rong_mm"] = round(widths[k] * scale, 1)

    def regime(self, meta: dict) -> str:
        s = self.signals
        text = " ".join(x.text for x in self.L[:40] if not x.blank)
        if re.search(r"\b(ỦY BAN NHÂN DÂN|UBND|SỞ)\b", text):
            s["nha_nuoc"] += 1
        if re.search(r"\b(TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|ĐẢNG ỦY|BAN DÂN VẬN|BAN TUYÊN GIÁO|BAN TỔ CHỨC)\b", text):
            s["dang"] += 1
        if s["dang"] > s["nha_nuoc"]:
            regime = "dang"
        else:
            regime = "nha_nuoc"
        if max(s["dang"], s["nha_nuoc"]) < 5:
            self.comment("the_thuc", "nhập: không có quốc hiệu hay tiêu đề Đảng; thể thức đoán theo chữ ký, "
                         "dòng Lưu, số ký hiệu — cần kiểm tra")
        return regime

    def date(self, meta: dict, subject: str | None, opening: list[str]):
        if meta.get("nam"):
            y, m, dd = meta["nam"], meta.get("thang"), meta.get("ngay")
            if m and dd:
                return f"{y:04d}-{m:02d}-{dd:02d}"
            return y
        text = " ".join([subject or ""] + opening[:3])
        years = Counter(int(y) for y in re.findall(r"\bnăm\s+((?:19|20)\d\d)\b", text))
        if years:
            year = max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]
        else:
            found = [int(y) for y in _YEAR.findall(text)] or \
                    [int(y) for x in self.L for y in _YEAR.findall(x.text)]
            year = max(found) if found else __import__("datetime").date.today().year
        self.comment("ngay", f"nhập: không thấy ngày ban hành; năm {year} đoán từ nội dung — cần điền "
                     "[[Ngày ban hành]]")
        self.warn(1, f"không thấy ngày ban hành: chỉ ghi năm {year} (đoán từ nội dung)")
        return year

    def signature(self, closing: dict, regime: str) -> dict:
        ky: dict = {}
        keys = {"TM.": "thay_mat", "T/M": "thay_mat", "KT.": "ky_thay", "K/T": "ky_thay", "TL.": "thua_lenh",
                "T/L": "thua_lenh", "TUQ.": "thua_uy_quyen"}
        for p, rest in closing["auth"]:
            key = keys[p]
            if key not in profiles.for_regime(regime).chu_ky.tien_to:
                self.warn(1, f"thể thức này không có hình thức ký {p}, đã bỏ")
                continue
            delegated = [k for k in ("ky_thay", "thua_lenh", "thua_uy_quyen") if k in ky]
            if key != "thay_mat" and delegated:      # vbtool allows one of KT., TL., TUQ.
                self.warn(1, f"chữ ký có nhiều hơn một hình thức ký thay/thừa lệnh; bỏ \"{p} {rest}\"")
                continue
            ky.setdefault(key, _sentence_case(rest))
        if closing["quyen"]:
            ky["quyen"] = True
        upper = closing["upper"]
        if upper:
            ky["chuc_vu"] = _sentence_case(" ".join(upper))
        else:
            ky["chuc_vu"] = "[[Chức vụ người ký]]"
            self.warn(1, "không thấy chức vụ người ký: để [[Chức vụ người ký]]")
        if closing["name"]:
            ky["ho_ten"] = closing["name"]
        else:
            ky["ho_ten"] = "[[Họ và tên người ký]]"
            self.warn(1, "không thấy họ tên người ký: để [[Họ và tên người ký]]")
        order = ["thay_mat", "ky_thay", "thua_lenh", "thua_uy_quyen", "quyen", "chuc_vu", "ho_ten"]
        return {k: ky[k] for k in order if k in ky}

    def task_display(self) -> dict | None:
        if not self.labels:
            return None
        order: list[str] = []
        for seq in self.field_orders:
            prev: str | None = None
            for key in seq:
                if key not in order:
                    order.insert(order.index(prev) + 1 if prev is not None and prev in order else 0, key)
                prev = key
        for key in self.labels:
            if key not in order:
                order.append(key)
        dash = "- " if self.dashes["- "] > self.dashes[""] else ""
        if self.dashes["- "] and self.dashes[""]:
            self.comment("hien_thi_nhiem_vu", "nhập: các dòng nhãn nhiệm vụ lúc có lúc không có \"- \"; "
                         "chọn cách dùng nhiều hơn")
        return {"dau_dong": dash,
                "truong": [{"truong": k, "nhan": self.labels[k].most_common(1)[0][0]} for k in order]}

    def node_yaml(self, node: Node):
        items = [e for e in node.entries if e[0] == "n"]
        gach = [e for e in node.entries if e[0] == "g"]
        fields = [e for e in node.entries if e[0] == "f"]
        heading = self.is_heading(node)
        if fields:
            return self.task_yaml(node, heading)
        if items or gach:
            if self.styled and not node.heading:
                return {"nhiem_vu": _markup(node.text), "noi_dung": self.children(node.entries)}
            return {"muc": _markup(node.text), "noi_dung": self.children(node.entries)}
        paras = [e[1] for e in node.entries if e[0] == "p"]
        if paras:
            if heading:
                return {"muc": _markup(node.text), "noi_dung": [_markup(p) for p in paras]}
            return {"nhiem_vu": [_markup(node.text)] + [_markup(p) for p in paras]}
        if node.depth == 0 or (self.styled and node.heading):
            return {"muc": _markup(node.text)}
        return {"nhiem_vu": _markup(node.text)}

    def is_heading(self, node: Node) -> bool:
        """Is a numbered item a heading (muc, tieu_de) rather than a sentence of a task?

        A Word file that sets its headings in bold or italic says so itself (that
        is how vbtool prints them); otherwise a heading is text that does not end
        like a sentence.
        """
        if self.styled:
            return node.heading
        return not _ENDS_SENTENCE.search(_bare(node.text))

    def children(self, entries: list) -> list:
        out: list = []                # paragraph strings and {gach: …} / table dicts
        for e in entries:
            if e[0] == "p":
                out.append(_markup(e[1]))
            elif e[0] == "g":
                out.append(
                    {
                        "gach": [
                            _markup(t) if not subs else {"doan": _markup(t), "cong": [_markup(s) for s in subs]}
                            for t, subs in e[1]
                        ]
                    }
                )
            elif e[0] == "n":
                out.append(self.node_yaml(e[1]))
        return out

    def task_yaml(self, node: Node, heading: bool) -> dict:
        entries = node.entries
        k = 0
        lead = []
        while k < len(entries) and entries[k][0] == "p":
            lead.append(entries[k][1])
            k += 1
        fields: dict = {}
        order: list[str] = []
        rest = []
        after_fields = False
        last_key = None
        for e in entries[k:]:
            if e[0] == "f":
                _, key, label, dash, value, no = e
                after_fields = True
                last_key = key
                if key in fields and key != "ket_qua":
                    self.warn(no, f"nhiệm vụ có hai dòng \"{label}\"; nối vào dòng trước")
                    fields[key] = fields[key] + "; " + value if isinstance(fields[key], str) else fields[key]
                    continue
                order.append(key)
                fields[key] = value
                if key == "ket_qua":
                    fields[key] = [value] if value else []
                continue
            if after_fields and e[0] == "p" and last_key == "ket_qua":
                fields["ket_qua"].append(e[1])
                continue
            if after_fields:
                self.warn(e[2] if e[0] != "n" else e[1].no,
                          "nội dung đứng sau các dòng nhãn của nhiệm vụ; khi dựng lại sẽ in trước các dòng nhãn")
            rest.append(e)
        self.field_orders.append(order)
        d: dict = {}
        if lead and heading:
            d["tieu_de"] = _markup(node.text)
            d["nhiem_vu"] = _markup(lead[0]) if len(lead) == 1 else [_markup(x) for x in lead]
        elif lead:
            d["nhiem_vu"] = [_markup(node.text)] + [_markup(x) for x in lead]
        else:
            d["nhiem_vu"] = _markup(node.text)
        if rest:
            d["noi_dung"] = self.children(rest)
        for key in FIELD_ORDER:
            if key not in fields:
                continue
            value = fields[key]
            if key in UNIT_FIELDS:
                units = split_units(value)
                d[key] = [_markup(u) for u in units] or ["[[Đơn vị]]"]
            elif key == "ket_qua":
                d[key] = [_markup(x) for x in value] or ["[[Kết quả thực hiện]]"]
            else:
                d[key] = _markup(value) or "[[…]]"
        return d

    def check_refs(self, d: dict) -> None:
        """Keep chu_thich consistent with the [^…] references: vbtool refuses an unused note or a lost one."""
        if "chu_thich" not in d:
            return
        used: list[str] = []
        for _path, _c, _k, text in iter_strings(d):
            used += inline.refs(text)
        for name in list(d["chu_thich"]):
            if name not in used:
                self.tail.append(f"Chú thích {name} không có chỗ dẫn trong nội dung: "
                                 + " ".join(_as_list(d["chu_thich"][name])))
                self.warn(1, f"chú thích {name} không có chỗ dẫn trong nội dung; ghi thành chú thích YAML ở cuối tệp")
                del d["chu_thich"][name]
        if not d["chu_thich"]:
            del d["chu_thich"]


def _as_list(v) -> list:
    return v if isinstance(v, list) else [v]


def _full_width(lengths: list[int]) -> float:
    """The length of a full line: most lines of a paragraph are full, so a high percentile."""
    xs = sorted(x for x in lengths if x >= 20)
    if not xs:
        return 80.0
    return float(xs[min(len(xs) - 1, int(len(xs) * 0.8))])


def _note_paragraphs(lines: list[str]) -> list[str]:
    """The paragraphs of a footnote: a line after a sentence end that starts upper case starts one."""
    out: list[str] = []
    for t in lines:
        if out and (_lower_start(t) or not _ENDS_SENTENCE.search(out[-1]) or len(out[-1]) > 60):
            out[-1] = _join(out[-1], t)
        else:
            out.append(t)
    return out


def _bare(text: str) -> str:
    """Text without footnote sentinels, for the checks that look at how a line ends."""
    return _NOTE_SENTINEL.sub("", text)


def _tt_ok(data: list, ncols: int, group, mode: str) -> bool:
    """Does the TT column hold what vbtool would print with this restart mode (I, II for groups)?"""
    from .vn import roman
    groups = n = 0
    for r in data:
        kind = group(r)
        label = " ".join(r[0][0]) if len(r) == 2 or kind is None else ""
        if kind == "nhom":
            groups += 1
            if mode in ("nhom", "nhom_con"):
                n = 0
            if label != roman(groups):
                return False
        elif kind == "nhom_con":
            if mode == "nhom_con":
                n = 0
            if label:
                return False
        else:
            n += 1
            if len(r) != ncols or label != str(n):
                return False
    return True


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _recipient_text(piece: str) -> tuple[str, str | None]:
    """"- Thường trực Tỉnh ủy, (báo cáo);" -> ("Thường trực Tỉnh ủy", "báo cáo")."""
    text = re.sub(r"^[-–]\s*", "", piece.strip()).strip()
    text = text.rstrip(";,. ").strip()
    note = None
    m = re.match(r"^(?P<name>.*?)[\s,;]*\((?P<note>[^()]+)\)$", text)
    if m and _NOTE_WORDS.match(m.group("note").strip()):
        text, note = m.group("name").rstrip(",; ").strip(), m.group("note").strip()
    return text, note


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 6 and all(w[0].isupper() and (len(w) == 1 or not w.isupper()) and w.isalpha()
                                        for w in words)


def _markup(text: str) -> str:
    """Text for a field that vbtool reads as inline markup: literal asterisks and brackets are escaped
    (only when they would otherwise be read as markup), footnote sentinels become [^name]."""
    if not isinstance(text, str):
        return text
    parts = _NOTE_SENTINEL.split(text)
    literal = _EMPHASIS.sub("", "".join(parts[0::2]))
    if inline.plain(literal) != literal or inline.refs(literal):
        parts[0::2] = [inline.escape(p) for p in parts[0::2]]
    out = []
    for i, p in enumerate(parts):
        out.append(p if i % 2 == 0 else f"[^{p}]")
    joined = "".join(out).strip()
    for sentinel, mark in ((BOLD_OPEN, "**"), (BOLD_CLOSE, "**"), (ITALIC_OPEN, "*"), (ITALIC_CLOSE, "*")):
        joined = joined.replace(sentinel, mark)
    return joined


def _drop_emphasis(data) -> None:
    """Emphasis sentinels left in fields that are not inline markup (headers, trích yếu,
    signature, recipients) go: those parts carry their own formatting."""
    for _, container, key, text in list(iter_strings(data)):
        if _EMPHASIS.search(text):
            container[key] = _EMPHASIS.sub("", text)


# --------------------------------------------------------------------------- public API

@dataclass
class Imported:
    """The result of an import: YAML data, the warnings (Problem), comments for the guesses."""

    data: dict
    warnings: list[Problem]
    comments: dict
    tail: list[str]
    source: str

    def placeholders(self) -> int:
        return sum(t.count("[[") for _p, _c, _k, t in iter_strings(self.data))

    def to_yaml(self, schema: str = "../../schemas/van-ban.schema.json") -> str:
        """The YAML text: schema line, a note on the source, then each top-level key (with its comments)."""
        out = [f"# yaml-language-server: $schema={schema}",
               f"# Nhập từ {Path(self.source).name} bằng vbtool import. Kiểm tra các chỗ [[…]] và các ghi chú",
               "# \"nhập:\" bên dưới, rồi chạy: vbtool validate TỆP.yaml"]
        for key, value in self.data.items():
            for c in self.comments.get(key, []):
                out += [f"# {line}" for line in _wrap(c)]
            if key == "danh_so":           # short and read as a whole: one line, as in the examples
                out.append("danh_so: [" + ", ".join(f'"{x}"' for x in value) + "]")
                continue
            out.append(yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=100,
                                      default_flow_style=False).rstrip("\n"))
        if self.tail:
            out.append("")
            out += [f"# {line}" for t in self.tail for line in _wrap(t)]
        return _nfc("\n".join(out) + "\n")


def _wrap(text: str, width: int = 96) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return lines + ([cur] if cur else [])


def _run(src: Source) -> Imported:
    p = _Parser(src)
    data = p.parse()
    _drop_emphasis(data)
    _literal(data)
    return Imported(data, p.warnings, p.comments, p.tail, src.name)


def _literal(data) -> None:
    """Imported text is literal: `{{ 2+2 }}` typed in Word stays `{{ 2+2 }}` (escaped
    as `\\{{`, which vbtool prints as `{{` and never evaluates), and characters a
    Word file or vbtool's loader refuse (controls, zero-width marks) are dropped."""
    from .loader import _CONTROL
    for _path, container, key, text in list(iter_strings(data)):
        clean = _CONTROL.sub("", text)
        if "{{" in clean:
            clean = clean.replace("{{", "\\{{")     # a typed `\{{` becomes `\\{{`, printed `\{{`
        if clean != text:
            container[key] = clean


def import_text(text: str, name: str = "<chuỗi>") -> Imported:
    """Import text extracted from a PDF (like ../shared/seeds/*.txt)."""
    return _run(read_text(text, name))


def import_docx(path: str | Path) -> Imported:
    return _run(read_docx(Path(path)))


def import_pdf(path: str | Path) -> Imported:
    path = Path(path)
    src = read_text(pdf_text(path), str(path))
    if any(_PHU_LUC.match(x.text) for x in src.lines):
        src.layout_tables = layout_table.tables(pdf_text(path, layout=True))
        for grid in src.layout_tables:
            grid.landscape = _landscape_page(path, grid.page)
    return _run(src)


def import_file(path: str | Path) -> Imported:
    """Import a .docx, .pdf or .txt file, chosen by its extension."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailure(f"{path}: không tìm thấy tệp (hoặc đây là thư mục)")
    ext = path.suffix.lower()
    if ext == ".docx":
        return import_docx(path)
    if ext == ".pdf":
        return import_pdf(path)
    if ext in (".txt", ".text"):
        try:
            raw = safezip.read_file(path, 16 * 1024 * 1024)
        except safezip.ZipLimitError as exc:
            raise ImportFailure(f"{path}: {exc}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailure(f"{path}: tệp chữ không phải mã UTF-8 (hãy lưu lại với mã hóa UTF-8)") from None
        return _run(read_text(text, str(path)))
    if ext == ".doc":
        raise ImportFailure(f"{path}: tệp .doc (Word 97–2003) chưa đọc được; hãy lưu lại thành .docx")
    raise ImportFailure(f"{path}: chỉ nhập được tệp .docx, .pdf hoặc .txt")


def yaml_for(imported: Imported, output: Path) -> str:
    """The YAML text for `output`, with the schema path relative to its folder; validated by vbtool."""
    from .document import load_document_text
    from .schema import SCHEMA_DIR
    schema = os.path.relpath(SCHEMA_DIR / "van-ban.schema.json", output.resolve().parent)
    text = imported.to_yaml(schema.replace(os.sep, "/"))
    try:
        load_document_text(text, str(output))
    except InputError as exc:
        raise ImportFailure("YAML nhập ra không hợp lệ (lỗi của vbtool import, xin báo lại):\n"
                            + "\n".join(str(p) for p in exc.problems)) from None
    return text


# --------------------------------------------------------------------------- command

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar="TỆP")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp YAML sẽ ghi (mặc định: drafts/<tên tệp>.yaml).")
@click.option("--force", is_flag=True, help="Cho phép ghi đè tệp YAML đã có.")
def import_cmd(file: Path, output: Path | None, force: bool) -> None:
    """Nhập Kế hoạch, Báo cáo có sẵn (TỆP .docx, .pdf hoặc .txt trích từ PDF) thành tệp YAML của vbtool.

    Đọc thông tin đầu văn bản, mục và nhiệm vụ theo đánh số, các dòng Chủ trì,
    Phối hợp, Thời gian…, Nơi nhận, chữ ký, chú thích và bảng phụ lục. Chỗ
    thiếu để [[…]]; dòng không xếp được in thành cảnh báo kèm số dòng. Không ghi
    đè tệp đã có (dùng --force)."""
    from .package import write_atomic
    output = output or Path("drafts") / f"{file.stem}.yaml"
    if output.suffix.lower() not in (".yaml", ".yml"):
        click.echo(f"{output}: tệp kết quả phải có đuôi .yaml", err=True)
        sys.exit(1)
    if output.exists() and not force:
        click.echo(f"{output}: tệp đã tồn tại, không ghi đè. Dùng --force để ghi đè hoặc chọn tên khác với -o.",
                   err=True)
        sys.exit(1)
    if output.exists() and file.exists() and output.resolve() == file.resolve():
        click.echo(f"{output}: không được ghi đè lên tệp nguồn", err=True)
        sys.exit(1)
    try:
        imported = import_file(file)
        text = yaml_for(imported, output)
    except ImportFailure as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for w in sorted(imported.warnings, key=lambda p: p.line):
        click.echo(str(w), err=True)
    write_atomic(output, text.encode("utf-8"))
    holes = imported.placeholders()
    click.echo(f"Đã ghi {output} ({len(imported.warnings)} cảnh báo, {holes} chỗ cần điền [[…]])")
