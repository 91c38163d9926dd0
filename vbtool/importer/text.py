"""Plain text to Lines (read_text), emphasis markup, and small text helpers the stages share."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import inline
from ..loader import iter_strings
from ..repair import repair_text, strip_page_artifacts
from .source import (BOLD_CLOSE, BOLD_OPEN, ITALIC_CLOSE, ITALIC_OPEN, Line, Source, _BOLD_SPAN, _EMPHASIS,
                     _ITALIC_SPAN, _NOTE_SENTINEL, _join, _lower_start, _nfc)
from .patterns import _COLS, _ENDS_SENTENCE, _NOTE_WORDS, marker


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
    from ..vn import roman
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
