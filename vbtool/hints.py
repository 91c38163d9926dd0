"""Explain YAML mistakes the way a clerk makes them, at the line where they are.

PyYAML reports where the parser gave up, which is often lines after the real
mistake and in parser words ("expected <block end>"). A clerk's mistakes are
few and recognisable from the source text itself: a Tab, a quote never closed,
a value starting with a character YAML reserves, a dash glued to its text, a
sentence whose ": " turned it into a field. This module looks at the text
around the parser's mark and names the mistake, its line and the fix.

It also describes a JSON path in the document's own words
("Mục II › nhiệm vụ 3 › chu_tri"), next to the line, column and raw path.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .vn import number_label

# Label styles used only to *describe* a location in a message; both profiles
# number sections this way unless the document sets `danh_so`.
DESCRIBE_LABELS = ("I.", "1.", "1.1.", "a)")

_RESERVED_START = {
    "[": "danh sách", "{": "nhóm trường", "*": "bí danh YAML", "&": "neo YAML", "!": "thẻ YAML",
    "|": "khối chữ nhiều dòng", ">": "khối chữ gấp dòng", "%": "chỉ thị YAML", "@": "ký tự dành riêng",
    "`": "ký tự dành riêng",
}
# `key: value` or `- value` where value starts with a reserved character and
# is followed by more text (so it is not a real flow list such as `[VT, TH]`).
_VALUE = re.compile(r"^(\s*(?:-\s+)?(?:[A-Za-z_][\w]*\s*:\s+)?)(.*)$")
_NEW_ENTRY = re.compile(r"^\s*(?:-\s|[A-Za-z_]\w*:(?:\s|$))")
_DASH_GLUED = re.compile(r"^(\s*)-([^\W\d_].*)$")


@dataclass(frozen=True)
class Hint:
    """A mistake found in the source text: where it is and what to do."""

    line: int
    col: int
    message: str


def syntax_hint(text: str, line: int, parser_problem: str) -> Hint | None:
    """The clerk's mistake behind a YAML syntax error reported at `line` (1-based).

    Checked in the order that explains most: a Tab anywhere up to the error,
    then an unclosed quote opened on or before it, then a reserved first
    character on the error line or just above.
    """
    lines = text.split("\n")
    upto = lines[: max(line, 1)]
    for no, src in enumerate(upto, 1):
        col = src.find("\t")
        if col >= 0:
            return Hint(no, col + 1, f"có ký tự Tab ở dòng {no}, cột {col + 1}: YAML chỉ nhận dấu cách; "
                                     "hãy thay Tab bằng dấu cách (thụt lề bằng 2 dấu cách)")
    opened = _unclosed_quote(lines, line)
    if opened:
        no, col, quote = opened
        name = "nháy kép" if quote == '"' else "nháy đơn"
        return Hint(no, col, f"dấu {name} {quote} mở ở dòng {no} chưa được đóng; hãy thêm {quote} ở cuối giá trị")
    for no in (line, line - 1):
        if 1 <= no <= len(lines):
            h = _reserved_start(lines[no - 1], no)
            if h:
                return h
    glued = glued_dash(text, line - 3, line)
    if glued:
        return glued
    if "mapping values are not allowed" in parser_problem and 1 <= line <= len(lines):
        m = _VALUE.match(lines[line - 1])
        lead, value = (m.group(1), m.group(2).strip()) if m else ("", lines[line - 1].strip())
        fixed = f"{lead.strip()} \"{value}\"".strip()
        return Hint(line, len(lead) + 1, "dấu hai chấm không đúng chỗ: câu văn có \": \" nên YAML tưởng là tên "
                                         f"trường; hãy đặt cả câu trong dấu nháy kép: {fixed}")
    return None


def _unclosed_quote(lines: list[str], upto: int) -> tuple[int, int, str] | None:
    """The (line, col, quote) of a quoted value opened and never closed."""
    for no in range(1, min(upto, len(lines)) + 1):
        src = lines[no - 1]
        m = _VALUE.match(src)
        value = m.group(2) if m else ""
        if m is None or not value or value[0] not in "\"'":
            continue
        quote, body = value[0], value[1:]
        if quote == '"':
            closed = re.search(r'(?<!\\)(?:\\\\)*"', body) is not None
        else:
            closed = re.search(r"'(?!')", body.replace("''", "")) is not None
        # A quoted value may go on over several lines; one whose next line starts
        # a new field or list item was simply never closed.
        if not closed and (no == len(lines) or _NEW_ENTRY.match(lines[no])):
            return no, len(m.group(1)) + 1, quote
    return None


def _reserved_start(src: str, no: int) -> Hint | None:
    m = _VALUE.match(src)
    if not m:
        return None
    value = m.group(2).rstrip()
    if not value or value[0] not in _RESERVED_START:
        return None
    first = value[0]
    closing = {"[": "]", "{": "}"}.get(first)
    if closing and (value.endswith(closing) or closing not in value):
        return None  # a flow collection, well formed or left open: the parser's message says it
    what = _RESERVED_START[first]
    return Hint(no, len(m.group(1)) + 1, f"giá trị bắt đầu bằng \"{first}\" bị YAML hiểu là {what}; nếu đây là "
                                         "chữ, hãy đặt cả giá trị trong dấu nháy kép, ví dụ: \"" + value[:40] + "\"")


def glued_dash(text: str, first: int, last: int) -> Hint | None:
    """A line `-Các thôn` (dash with no space) between lines `first` and `last`:
    YAML read it as text, not as a list item."""
    lines = text.split("\n")
    for no in range(max(first, 1), min(last, len(lines)) + 1):
        m = _DASH_GLUED.match(lines[no - 1])
        if m:
            return Hint(
                no,
                len(m.group(1)) + 1,
                f'dòng {no} có dấu "-" dính liền chữ ("-{m.group(2)[:20]}"): '
                'sau dấu "-" phải có một dấu cách, ví dụ "- ' + m.group(2)[:20] + '"',
            )
    return None


def looks_like_sentence_key(key: str) -> bool:
    """A mapping key that is prose (spaces, diacritics, capitals), not a field name."""
    return not re.fullmatch(r"[a-z_][a-z0-9_]*", key)


_TOP_NAMES = {
    "co_quan": "cơ quan ban hành", "mo_dau": "phần mở đầu", "noi_dung": "nội dung", "ky": "chữ ký",
    "noi_nhan": "Nơi nhận", "kinh_gui": "Kính gửi", "phu_luc": "phụ lục", "chu_thich": "chú thích",
    "so_lieu": "số liệu", "luu": "Lưu",
}


def describe(data, path: tuple) -> str:
    """The place of `path` in the document's own words, or "" when the raw
    path says it as well ("so", "ngay").

    noi_dung[1].noi_dung[2].chu_tri → "Mục II › nhiệm vụ 2.3 › chu_tri".
    """
    if len(path) < 2 or not isinstance(data, dict):
        return ""
    styles = data.get("danh_so")
    if not (isinstance(styles, list) and styles and all(isinstance(s, str) for s in styles)):
        styles = list(DESCRIBE_LABELS)
    words: list[str] = [_TOP_NAMES.get(path[0], str(path[0]))] if path[0] != "noi_dung" else []
    node = data.get(path[0])
    prefix: list[int] = []
    i = 1
    while i < len(path):
        key = path[i]
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            item = node[key]
            in_body = path[i - 1] == "noi_dung"
            if in_body and isinstance(item, dict) and ("muc" in item or "nhiem_vu" in item):
                n = sum(1 for x in node[: key + 1] if isinstance(x, dict) and ("muc" in x or "nhiem_vu" in x))
                prefix = prefix + [n]
                label = _label(styles, prefix)
                words.append(f"Mục {label}" if "muc" in item else f"nhiệm vụ {label}")
            elif in_body and isinstance(item, dict) and "gach" in item:
                words.append(f"đoạn gạch đầu dòng {key + 1}")
            elif in_body:
                words.append(f"đoạn {key + 1}")
            else:
                words.append(f"mục {key + 1}")
            node = item
        elif isinstance(node, dict) and key in node:
            if key != "noi_dung":
                words.append(str(key))
            node = node[key]
        else:
            words.append(str(key))
            node = None
        i += 1
    return " › ".join(words)


def _label(styles: list[str], number: list[int]) -> str:
    if len(number) > len(styles):
        return ".".join(map(str, number))
    try:
        return number_label(styles, number).rstrip(".-)")
    except ValueError:
        return ".".join(map(str, number))
