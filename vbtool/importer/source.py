"""Values read from a document: constants, Line and Source (what a reader gives), Para, Marker, Node."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..ooxml.ns import MC_NS, W_NS


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


@dataclass(frozen=True)
class Plain:
    """A paragraph inside a numbered item, not numbered itself."""

    text: str
    no: int


@dataclass
class Bullet:
    """A "- " line, with the "+ " lines under it."""

    text: str
    subs: list[str] = field(default_factory=list)


@dataclass
class Bullets:
    """A run of "- " lines inside a numbered item (printed as one gach block)."""

    items: list[Bullet]
    no: int


@dataclass(frozen=True)
class TaskField:
    """A "Chủ trì: …" line of a task: its field key, the label as written, its leading dash, its value."""

    key: str
    label: str
    dash: str
    value: str
    no: int


@dataclass
class Node:
    """A numbered item while the structure is being built; becomes muc or nhiem_vu at the end."""

    style: str
    depth: int
    number: int
    text: str
    no: int
    heading: bool
    entries: list[Entry] = field(default_factory=list)


Entry = Plain | Bullets | TaskField | Node      # what a numbered item holds, in order
