"""Safe YAML loading that remembers where every value came from.

Why not ``yaml.safe_load``: error messages must name the file, line and field
of every problem, including the ones found after parsing (schema, dates,
footnotes). So the YAML is *composed* into nodes with the safe loader, and
converted to plain Python while a ``Positions`` map records the line and
column of each JSON path. The conversion also refuses what safe_load would let
through silently: anchors and aliases (the "billion laughs" bomb), duplicate
keys, control characters, oversized files. Timestamps stay strings so that
dates are checked by our rules, not by PyYAML's.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .hints import describe, glued_dash, syntax_hint
from .problem import InputError, Path_, Problem, format_path  # noqa: F401 - re-exported; the CLI imports them without yaml

MAX_BYTES = 2 * 1024 * 1024  # a 20-page plan is ~100 KB; refuse anything absurd
MAX_NODES = 200_000
MAX_DEPTH = 100              # a plan nests a few levels; PyYAML recurses once per level
MAX_INT_DIGITS = 30          # no figure in a document is longer; Python refuses > 4300 digits anyway
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\ufeff"
                      r"\ud800-\udfff\ufffe\uffff]")
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")}

_GLUED_DASH = re.compile(r"^[ \t]*-[^\W\d_]", re.M)  # "-Các thôn": a dash glued to a word
_DESCRIBED = {"noi_dung", "phu_luc"}  # trees whose raw paths a clerk cannot read


def iter_strings(data, path: Path_ = ()):
    """Yield (path, container, key, text) for every string in parsed YAML data.

    The container and key let a caller replace the string in place.
    """
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for k, v in items:
        if isinstance(v, str):
            yield path + (k,), data, k, v
        else:
            yield from iter_strings(v, path + (k,))


@dataclass
class Source:
    """Parsed YAML data plus the position of each path, for error messages."""

    file: str
    data: Any                     # parsed YAML: dict, list, str, number … (checked against a schema)
    positions: dict = field(default_factory=dict)
    text: str = ""                # the YAML text itself, for hints that read the source lines

    def where(self, path: Path_) -> tuple[int, int]:
        """Line and column (1-based) of a path, or of its closest ancestor."""
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def problem(self, path: Path_, message: str, warning: bool = False) -> Problem:
        line, col = self.where(path)
        place = describe(self.data, tuple(path)) if path and path[0] in _DESCRIBED else ""
        return Problem(self.file, line, col, format_path(path), message, warning, place)


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: "2023-10-05" stays a string."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


_CONSTRUCTOR = _Loader("")

_CLoader: type[yaml.CSafeLoader] | None
try:
    class _CSafeLoader(yaml.CSafeLoader):
        """The same loader on libyaml (several times faster); the resolvers are shared Python code."""

    _CSafeLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _CLoader = _CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _CLoader = None


def _compose(text: str):
    """The node tree, from libyaml when available. libyaml and PyYAML's pure-Python
    parser give the same tree for valid YAML (tests/test_yaml_c.py compares them on
    every YAML we have); a file libyaml refuses is parsed again in Python so that
    the error message and position are PyYAML's, as before."""
    if _CLoader is not None:
        try:
            return yaml.compose(text, Loader=_CLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Loader)


def load_text(text: str, file: str) -> Source:
    """Parse YAML text; raise InputError with Vietnamese messages on failure."""
    text = unicodedata.normalize("NFC", text)
    src = Source(file, None, text=text)
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        hint = syntax_hint(text, line, f"{exc.context or ''} {exc.problem or ''}")
        if hint:
            raise InputError([Problem(file, hint.line, hint.col, "", f"lỗi cú pháp YAML: {hint.message}")]) from None
        raise InputError([Problem(file, line, col, "", _yaml_message(exc))]) from None
    except yaml.reader.ReaderError as exc:
        # a raw control character (e.g. \x0b pasted from Word): PyYAML gives an offset, not a line
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError([Problem(file, line, col, "", f"có ký tự điều khiển U+{code:04X} không được phép "
                                  "(thường do dán từ Word); hãy xóa ký tự này")]) from None
    except yaml.YAMLError:  # pragma: no cover - defensive
        raise InputError([Problem(file, 1, 1, "", "YAML không hợp lệ")]) from None
    except RecursionError:
        raise InputError([Problem(file, 1, 1, "", f"lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)")]) from None
    if root is None:
        raise InputError([Problem(file, 1, 1, "", "tệp rỗng, không có nội dung YAML")])
    problems: list[Problem] = []
    try:
        src.data = _convert(root, (), src, problems, [0], set())
    except RecursionError:
        raise InputError([Problem(file, 1, 1, "", f"lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)")]) from None
    except yaml.YAMLError:
        if _CLoader is None:
            raise
        # e.g. an unknown !tag: let the pure-Python nodes raise it, exactly as before
        problems, src.positions = [], {}
        src.data = _convert(yaml.compose(text, Loader=_Loader), (), src, problems, [0], set())
    if problems:
        raise InputError(problems)
    return src


def read_limited(path: str | Path, limit: int) -> bytes | None:
    """At most `limit` bytes of a file, or None when it is longer.

    `st_size` is 0 for /dev/zero, pipes and /proc files, so the size is
    checked on what is actually read."""
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    return None if len(data) > limit else data


def load_file(path: str | Path) -> Source:
    p = Path(path)
    name = str(path)
    if p.is_dir():
        raise InputError([Problem(name, 1, 1, "", "đây là thư mục, không phải tệp YAML")])
    try:
        raw = read_limited(p, MAX_BYTES)
    except OSError:
        raise InputError(
            [Problem(name, 1, 1, "", "không đọc được tệp (không tồn tại hoặc không có quyền đọc)")]
        ) from None
    if raw is None:
        raise InputError([Problem(name, 1, 1, "", f"tệp quá lớn (hơn {MAX_BYTES // 1024} KB)")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [Problem(name, line, 1, "", "tệp không phải mã UTF-8 (hãy lưu lại với mã hóa UTF-8)")]
        ) from None
    return load_text(text, name)


_YAML_MESSAGES = [
    (
        "found character that cannot start any token",
        "có ký tự không được phép ở đầu giá trị (tab hoặc ký tự đặc biệt); hãy đặt giá trị trong dấu nháy",
    ),
    (
        "mapping values are not allowed here",
        'dấu hai chấm không đúng chỗ; nếu giá trị có chứa ": " hãy đặt nó trong dấu nháy',
    ),
    ("could not find expected ':'", "thiếu dấu hai chấm sau tên trường"),
    ("found unexpected end of stream", "tệp kết thúc đột ngột (thiếu dấu nháy đóng?)"),
    ("found undefined alias", "dùng bí danh YAML (*) chưa được định nghĩa"),
    ("special characters are not allowed", "có ký tự điều khiển không được phép"),
    ("found unacceptable character", "có ký tự điều khiển không được phép"),
    ("did not find expected key", 'thụt lề không đúng hoặc thiếu dấu "-"'),
    ("did not find expected '-' indicator", "thụt lề không đúng trong danh sách"),
    ("found a tab character", "dùng ký tự tab để thụt lề; YAML chỉ nhận dấu cách"),
    ("expected <block end>", "thụt lề không khớp với dòng trên"),
    ("found duplicate anchor", "neo YAML (&) bị trùng"),
    ("expected ',' or ']'", 'thiếu dấu "]" đóng danh sách hoặc dấu phẩy'),
    ("expected ',' or '}'", 'thiếu dấu "}" đóng nhóm hoặc dấu phẩy'),
    ("found unknown escape character", "chuỗi trong dấu nháy kép có ký tự \\ không hợp lệ (dùng nháy đơn)"),
    ("expected the node content", 'thiếu giá trị sau dấu "-" hoặc ":"'),
    ("while scanning a quoted scalar", "thiếu dấu nháy đóng"),
    ("while scanning a simple key", "thiếu dấu hai chấm sau tên trường"),
]


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    text = f"{exc.context or ''} {exc.problem or ''}"
    for needle, vi in _YAML_MESSAGES:
        if needle in text:
            return f"lỗi cú pháp YAML: {vi}"
    return "lỗi cú pháp YAML: không phân tích được dòng này (thiếu dấu nháy, ngoặc hoặc thụt lề sai?)"


def _convert(node, path, src: Source, problems: list[Problem], counter, seen) -> object:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        if counter[0] == MAX_NODES + 1:
            problems.append(src.problem(path, f"tệp có quá nhiều phần tử (hơn {MAX_NODES})"))
        return None
    src.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if len(path) > MAX_DEPTH:
        if not any(p.message.startswith("lồng nhau quá sâu") for p in problems):
            problems.append(Problem(src.file, node.start_mark.line + 1, node.start_mark.column + 1, "",
                                    f"lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)"))
        return None
    # The composer hands back the *same* node object for every alias of an
    # anchor, so a second visit means an alias: refuse it instead of expanding.
    if id(node) in seen:
        problems.append(src.problem(path, "không dùng bí danh YAML (*): hãy viết đầy đủ giá trị"))
        return None
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:                # `!foo`, `!!python/object…`, `!!timestamp`, `!!set` …
        problems.append(src.problem(path, f"không dùng thẻ YAML {node.tag.replace('tag:yaml.org,2002:', '!!')}:"
                                          " hãy bỏ thẻ và viết giá trị thường"))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(src.problem(path, "không dùng khóa gộp YAML (<<)"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(src.problem(path, "tên trường phải là chữ"))
                continue
            key = unicodedata.normalize("NFC", key_node.value)
            kpath = path + (key,)
            bad = _CONTROL.search(key)
            if bad:
                problems.append(
                    Problem(
                        src.file,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        format_path(path),
                        f"tên trường có ký tự U+{ord(bad.group()):04X} không được phép",
                    )
                )
                continue
            if key in out:
                problems.append(Problem(src.file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                        format_path(kpath), "trường bị khai báo hai lần"))
                continue
            src.positions[kpath] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = _convert(value_node, kpath, src, problems, counter, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(v, path + (i,), src, problems, counter, seen) for i, v in enumerate(node.value)]
    # scalars: let the safe constructor resolve int/float/bool/null/str
    if node.tag == "tag:yaml.org,2002:int" and len(node.value.lstrip("+-")) > MAX_INT_DIGITS:
        problems.append(
            src.problem(path, f"số quá lớn (hơn {MAX_INT_DIGITS} chữ số); nếu là mã số, hãy đặt trong dấu nháy")
        )
        return None
    try:
        value = node.value if node.tag == "tag:yaml.org,2002:str" else _CONSTRUCTOR.construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError):
        problems.append(src.problem(path, f"giá trị \"{node.value[:40]}\" không đúng kiểu "
                                          f"{node.tag.replace('tag:yaml.org,2002:', '!!')}"))
        return None
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
        if not node.style and "-" in value and _GLUED_DASH.search(
                src.text[node.start_mark.index:node.end_mark.index]):
            glued = glued_dash(src.text, node.start_mark.line + 1, node.end_mark.line + 1)
            if glued:
                problems.append(Problem(src.file, glued.line, glued.col, format_path(path), glued.message))
        bad = _CONTROL.search(value)
        if bad:
            problems.append(
                src.problem(path, f"có ký tự điều khiển U+{ord(bad.group()):04X} không được phép trong văn bản")
            )
    return value
