"""Simple grid tables rebuilt from ``pdftotext -layout`` text.

A phụ lục table in a PDF has no table structure left, only text placed in columns.
``-layout`` keeps the columns as runs of spaces, so a table whose first header cell is
"TT" (or "STT") can be read back: the columns are the runs of characters that the
table's rows occupy, the header is the block of lines around the "TT" line, a row
starts with a number (or a Roman numeral for a group), a line with no number is the
wrapped continuation of the row above, and a lone line in the second column before a
numbered row is a sub-group ("Nghị quyết", "Chỉ thị"). Page numbers and the header
repeated on every page are skipped.

What cannot be rebuilt this way (no TT column, merged cells inside rows, tables side
by side) is left to the caller, which says so with the page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_PIECE = re.compile(r"\S+(?: \S+)*")          # text separated by two or more spaces
_TT_HEAD = re.compile(r"^(?:S?TT|Số\s+TT)$", re.I)
_TT = re.compile(r"^(?:\d{1,4}|[IVXLC]{1,6})\.?$")
_ROMAN = re.compile(r"^[IVXLC]{1,6}\.?$")
_PAGE_NO = re.compile(r"^\s*[-–]?\s*\d{1,3}\s*[-–]?\s*$")
_APPENDIX = re.compile(r"^\s*(PHỤ\s+LỤC|Phụ\s+lục)\b")
MAX_LINES = 20_000                              # a table longer than this is not a phụ lục


@dataclass(frozen=True)
class Piece:
    text: str
    start: int
    end: int


@dataclass
class Cell:
    texts: list[str]
    span: int = 1
    bold: bool = False
    italic: bool = False

    def as_tuple(self) -> tuple:
        """The (texts, span, bold, italic) form the Word reader gives a cell."""
        return (self.texts, self.span, self.bold, self.italic)


@dataclass
class GridTable:
    """A table read from layout text: the header row first, then data and group rows."""

    rows: list[list[Cell]]
    page: int                                  # 1-based page of its header
    columns: list[tuple[int, int]] = field(default_factory=list)
    landscape: bool = False                    # set by the caller, which knows the page size

    def as_rows(self) -> list[list[tuple]]:
        return [[c.as_tuple() for c in r] for r in self.rows]


def pieces(line: str) -> list[Piece]:
    return [Piece(m.group(), m.start(), m.end()) for m in _PIECE.finditer(line)]


def tables(text: str) -> list[GridTable]:
    """Every table with a TT column found in `text` (pages separated by form feeds)."""
    lines: list[tuple[int, str]] = []
    for page, chunk in enumerate(text.split("\f"), 1):
        lines.extend((page, ln.rstrip()) for ln in chunk.split("\n"))
    lines = lines[:MAX_LINES * 5]
    out: list[GridTable] = []
    i = 0
    while i < len(lines):
        ps = pieces(lines[i][1])
        if len(ps) >= 3 and _TT_HEAD.match(ps[0].text):
            table, i = _read_table(lines, i)
            if table:
                out.append(table)
            continue
        i += 1
    return out


def _header_block(lines: list[tuple[int, str]], tt: int) -> tuple[int, int]:
    """First and last index of the header lines around the "TT" line."""
    first = tt
    while first - 1 >= 0 and lines[first - 1][1].strip() and first > tt - 3 \
            and not _APPENDIX.match(lines[first - 1][1]) and not lines[first - 1][1].lstrip().startswith("("):
        first -= 1
    last = tt
    while last + 1 < len(lines) and lines[last + 1][1].strip() and last < tt + 3 \
            and not _row_number(pieces(lines[last + 1][1]), pieces(lines[tt][1])[0].end + 2):
        last += 1
    return first, last


def _row_number(ps: list[Piece], tt_end: int) -> str | None:
    if ps and ps[0].start < tt_end and _TT.match(ps[0].text.split(" ")[0]):
        return ps[0].text.split(" ")[0]
    return None


def _read_table(lines: list[tuple[int, str]], tt: int) -> tuple[GridTable | None, int]:
    first, last = _header_block(lines, tt)
    header_lines = [lines[k][1] for k in range(first, last + 1)]
    header_keys = {" ".join(h.split()) for h in header_lines}
    tt_end = pieces(lines[tt][1])[0].end + 2
    # the data lines: until the next appendix or the end
    body: list[tuple[int, str]] = []
    k = last + 1
    while k < len(lines) and not _APPENDIX.match(lines[k][1]) and len(body) < MAX_LINES:
        text = lines[k][1]
        if text.strip() and not _PAGE_NO.match(text) and " ".join(text.split()) not in header_keys:
            body.append(lines[k])
        k += 1
    # Each page is laid out on its own, so columns are found page by page; a page whose
    # rows give another number of columns keeps the columns of the page before.
    page_columns: dict[int, list[tuple[int, int]]] = {}
    columns: list[tuple[int, int]] = []
    for page in sorted({pg for pg, _ in body}):
        found = _columns([pieces(t) for pg, t in body if pg == page and len(pieces(t)) >= 3])
        if not columns or len(found) == len(columns):
            columns = found
        page_columns[page] = columns
    columns = page_columns.get(body[0][0], []) if body else []
    if len(columns) < 3:
        return None, k
    ncols = len(columns)
    header = [Cell([]) for _ in columns]
    for h in header_lines:
        for p in pieces(h):
            header[_column_of(p, columns)].texts.append(p.text)
    header = [Cell([" ".join(c.texts)]) for c in header]
    rows: list[list[Cell]] = [header]
    current: list[Cell] | None = None
    for n, (page, text) in enumerate(body):
        columns = page_columns[page]
        ps = pieces(text)
        number = _row_number(ps, tt_end)
        rest = ps[1:] if number and ps[0].text == number else ps
        if number is None and ps and " " in ps[0].text and _TT.match(ps[0].text.split(" ")[0]) \
                and ps[0].start < tt_end:
            number, rest = (
                ps[0].text.split(" ")[0],
                [Piece(ps[0].text.split(" ", 1)[1], ps[0].start, ps[0].end)] + ps[1:],
            )
        if number and _ROMAN.match(number) and len(rest) == 1:
            rows.append([Cell([number]), Cell([rest[0].text], ncols - 1, bold=True)])
            current = rows[-1]
            continue
        if number:
            current = [Cell([]) for _ in columns]
            current[0].texts.append(number)
            for p in rest:
                current[_column_of(p, columns)].texts.append(p.text)
            rows.append(current)
            continue
        nxt = pieces(body[n + 1][1]) if n + 1 < len(body) else []
        # a sub-group title ("Nghị quyết") starts upper case; a wrapped cell goes on in lower case
        if len(ps) == 1 and _column_of(ps[0], columns) == 1 and ps[0].text[:1].isupper() \
                and (not nxt or _row_number(nxt, tt_end)):
            rows.append([Cell([""]), Cell([ps[0].text], ncols - 1, italic=True)])
            current = None
            continue
        if current is None:
            rows.append([Cell([]) for _ in columns])
            current = rows[-1]
        for p in ps:
            col = _column_of(p, columns) if len(current) == ncols else len(current) - 1
            cell = current[min(col, len(current) - 1)]
            if cell.texts:
                cell.texts[-1] = _join(cell.texts[-1], p.text)
            else:
                cell.texts.append(p.text)
    for r in rows:
        for c in r:
            c.texts = [" ".join(c.texts)] if c.texts else [""]
    return GridTable(rows, lines[tt][0], page_columns[body[0][0]]), k


def _columns(rows: list[list[Piece]]) -> list[tuple[int, int]]:
    """Column spans: runs of positions occupied by the rows' pieces, split where no row
    has a character across a gap of two or more positions."""
    width = max((p.end for r in rows for p in r), default=0)
    used = [False] * (width + 1)
    for r in rows:
        for p in r:
            for x in range(p.start, p.end):
                used[x] = True
    spans, start = [], None
    for x, u in enumerate(used + [False, False]):
        if u and start is None:
            start = x
        elif not u and start is not None and (x + 1 >= len(used) or not used[x + 1]):
            spans.append((start, x))
            start = None
    return spans


def _column_of(p: Piece, columns: list[tuple[int, int]]) -> int:
    """The column a piece overlaps most (the nearest one when it overlaps none)."""
    best, best_overlap = 0, -1
    for i, (a, b) in enumerate(columns):
        overlap = min(b, p.end) - max(a, p.start)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


def _join(a: str, b: str) -> str:
    if re.search(r"[\w/]-$", a) and b[:1].isalnum():
        return a + b
    return f"{a} {b}"
