"""JSON Schema validation with Vietnamese messages that point at the YAML line.

The schemas in ``schemas/`` are the single source of what a document may hold;
editors use the same files through the ``# yaml-language-server`` line. This
module only runs them and rewords jsonschema's English for a Vietnamese clerk,
adding "có phải ý bạn là …" for mistyped keys.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

from . import DATA
from .fastschema import Unsupported, compile_schema
from .hints import looks_like_sentence_key
from .loader import Problem, Source

if TYPE_CHECKING:
    import jsonschema

SCHEMA_DIR = DATA / "schemas"

_TYPE_VI = {"string": "chuỗi chữ", "integer": "số nguyên", "number": "số", "boolean": "true/false",
            "array": "danh sách", "object": "nhóm trường (khóa: giá trị)", "null": "để trống"}


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    if name == "van-ban.schema.json":       # `loai`: the kinds defined in data/kinds (kinds.py)
        from .kinds import codes
        schema["properties"]["loai"]["enum"] = codes()
    return schema


@lru_cache(maxsize=None)
def validator(name: str) -> jsonschema.Draft202012Validator:
    import jsonschema     # only to word the errors of an invalid file (see fastschema.py)
    return jsonschema.Draft202012Validator(load_schema(name))


@lru_cache(maxsize=None)
def _is_valid(name: str):
    """The compiled yes/no check of a schema, or None if fastschema cannot compile it."""
    try:
        return compile_schema(load_schema(name))
    except Unsupported:
        return None


def _vi_type(t) -> str:
    if isinstance(t, list):
        return " hoặc ".join(_TYPE_VI.get(x, x) for x in t)
    return _TYPE_VI.get(t, t)


def message_for(err: jsonschema.ValidationError) -> tuple[tuple, str]:
    """Return (path, Vietnamese message) for one jsonschema error."""
    path = tuple(err.absolute_path)
    v, val = err.validator, err.validator_value
    if v == "required":
        missing = [k for k in val if not isinstance(err.instance, dict) or k not in err.instance]
        name = missing[0] if missing else "?"
        return path, f"thiếu trường bắt buộc \"{name}\""
    if v == "additionalProperties":
        known = list(err.schema.get("properties", {}))
        extra = [k for k in err.instance if k not in known]
        key = extra[0] if extra else "?"
        if looks_like_sentence_key(key):
            return path + (key,), (f"câu văn có dấu \": \" nên YAML tưởng \"{key}\" là tên trường; hãy đặt cả câu "
                                   f"trong dấu nháy kép, ví dụ: - \"{key}: …\"")
        import difflib
        hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        msg = f"trường không được phép \"{key}\""
        if hint:
            msg += f" (có phải ý bạn là \"{hint[0]}\"?)"
        else:
            msg += f"; các trường hợp lệ: {', '.join(known)}"
        return path + (key,), msg
    if v == "type":
        msg = f"phải là {_vi_type(val)}, không phải {_vi_type(_json_type(err.instance))}"
        if "array" in (val if isinstance(val, list) else [val]) and isinstance(err.instance, str) \
                and err.instance.startswith("-"):
            msg += "; sau dấu \"-\" đầu dòng phải có một dấu cách (\"- Các thôn\", không phải \"-Các thôn\")"
        return path, msg
    if v == "enum":
        return path, f"giá trị \"{err.instance}\" không hợp lệ; chọn một trong: {', '.join(map(str, val))}"
    if v == "minLength":
        return path, "không được để trống"
    if v == "minItems":
        return path, f"cần ít nhất {val} mục"
    if v == "minProperties":
        return path, "không được để trống"
    if v == "minimum":
        return path, f"phải lớn hơn hoặc bằng {val}"
    if v == "pattern":
        forms = err.schema.get("x-cac-dang")  # the accepted forms, said in the schema itself
        if forms:
            return path, f"giá trị \"{err.instance}\" không đúng dạng; các dạng được nhận: {forms}"
        return path, f"giá trị \"{err.instance}\" không đúng dạng"
    return path, err.message


def _json_type(x) -> str:
    if x is None:
        return "null"
    if isinstance(x, bool):
        return "boolean"
    if isinstance(x, int):
        return "integer"
    if isinstance(x, float):
        return "number"
    if isinstance(x, str):
        return "string"
    if isinstance(x, list):
        return "array"
    return "object"


def validate(src: Source, schema_name: str) -> list[Problem]:
    """All schema problems of a source, in file order."""
    is_valid = _is_valid(schema_name)
    if is_valid is not None and is_valid(src.data):
        return []
    problems = []
    for err in validator(schema_name).iter_errors(src.data):
        path, msg = message_for(err)
        problems.append(src.problem(path, msg))
    problems.sort(key=lambda p: (p.line, p.col))
    return problems
