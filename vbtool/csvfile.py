"""CSV files as spreadsheets write them: read with the csv module on the file.

A spreadsheet writes a two-line header cell as a quoted cell with a line
break inside; Excel adds a BOM and, in many locales, uses ";" as separator.
Splitting the text into lines first (what the registry used to do) breaks
such a cell in two. Here the whole file is read (bounded), decoded as UTF-8
with a located message when it is not, the separator is guessed among
",", ";" and tab from the header line, and every cell is checked for
characters a Word file cannot carry.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .loader import InputError, Problem, read_limited
from .xmlchars import describe, first_illegal

MAX_BYTES = 16 * 1024 * 1024       # a national registry (~10,000 communes) is ~3 MB


@dataclass
class Row:
    """One data row: its first line in the file and its cells by column name."""

    line: int
    cells: dict[str, str]


def _fail(name: str, line: int, message: str) -> InputError:
    return InputError([Problem(name, line, 1, "", message)])


def read_rows(path: Path) -> list[Row]:
    """Rows of a CSV file with a header line; raise InputError with the file and line."""
    name = str(path)
    try:
        raw = read_limited(path, MAX_BYTES)
    except OSError:
        raise _fail(name, 1, "không đọc được tệp CSV (không tồn tại hoặc không có quyền đọc)") from None
    if raw is None:
        raise _fail(name, 1, f"tệp CSV quá lớn (hơn {MAX_BYTES // (1024 * 1024)} MB)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(name, line, "tệp CSV không phải mã UTF-8 (trong Excel: Lưu thành → \"CSV UTF-8\")") from None
    text = unicodedata.normalize("NFC", text)
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count) if any(c in header for c in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True,
                        skipinitialspace=False, strict=False)
    rows: list[Row] = []
    try:
        fields = next(reader, None)
        if fields is None:
            return []
        fields = [f.strip() for f in fields]
        start = reader.line_num + 1
        for values in reader:
            line, start = start, reader.line_num + 1
            if not any(v.strip() for v in values):
                continue
            for col, v in enumerate(values):
                bad = first_illegal(v)
                if bad:
                    col_name = fields[col] if col < len(fields) else f"cột {col + 1}"
                    raise InputError([Problem(name, line, col + 1, col_name, describe(bad))])
            rows.append(Row(line, {fields[i]: v.replace("\r\n", "\n").replace("\r", "\n")
                                   for i, v in enumerate(values) if i < len(fields)}))
    except csv.Error as exc:
        raise _fail(name, reader.line_num, f"tệp CSV không đọc được ({exc})") from None
    for col, f in enumerate(fields):
        bad = first_illegal(f)
        if bad:
            raise InputError([Problem(name, 1, col + 1, "", "tên cột " + describe(bad))])
    return rows
