"""Fast validation of many small records against a part of a JSON Schema.

Running jsonschema on each row of a 7,000-row registry CSV costs about a
second; a national registry must load in well under that. This module
compiles the subset of JSON Schema used by a registry unit (type, required,
additionalProperties: false, properties, enum, pattern, minLength, minItems,
items) into plain Python checks. A record that passes them is valid; a record
that fails is handed to jsonschema for the usual located Vietnamese messages,
so the messages are exactly those of ``schema.validate``. A schema using any
other keyword is not compiled: every record then goes through jsonschema.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from .schema import SCHEMA_DIR

_KNOWN = {"type", "required", "additionalProperties", "properties", "enum", "pattern", "minLength", "minItems",
          "items", "description", "title", "$schema"}
_TYPES = {"string": str, "object": dict, "array": list, "boolean": bool, "integer": int, "number": (int, float)}


def _all(checks: list):
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks
        return lambda v: a(v) and b(v)
    return lambda v: all(c(v) for c in checks)


def _simple(schema: dict):
    """One-test predicates for the commonest shapes (a string, with a pattern or a minimum length;
    a list of strings): a registry has thousands of rows, each with a dozen such fields."""
    keys = set(schema) - {"description", "title"}
    if schema.get("type") == "string":
        if keys == {"type"}:
            return lambda v: type(v) is str
        if keys == {"type", "pattern"}:
            rx = re.compile(schema["pattern"]).search
            return lambda v: type(v) is str and rx(v) is not None
        if keys == {"type", "minLength"}:
            n = schema["minLength"]
            return lambda v: type(v) is str and len(v) >= n
    if schema.get("type") == "array" and keys == {"type", "items"} and \
            set(schema["items"]) - {"description", "title"} == {"type"} and schema["items"]["type"] == "string":
        return lambda v: type(v) is list and all(type(x) is str for x in v)
    if keys == {"enum"}:
        allowed = frozenset(x for x in schema["enum"] if isinstance(x, str))
        if len(allowed) == len(schema["enum"]):
            return lambda v: type(v) is str and v in allowed
    return None


def _compile(schema: dict):
    """A predicate for `schema`, or None when the schema uses a keyword we do not handle."""
    if not isinstance(schema, dict) or set(schema) - _KNOWN:
        return None
    special = _simple(schema)
    if special is not None:
        return special
    checks = []
    t = schema.get("type")
    if t is not None:
        names = t if isinstance(t, list) else [t]
        if any(n not in _TYPES for n in names):
            return None
        types = tuple(x for n in names for x in (_TYPES[n] if isinstance(_TYPES[n], tuple) else (_TYPES[n],)))
        if "boolean" in names or not any(x in (int, float) for x in types):
            checks.append(lambda v: isinstance(v, types))
        else:
            checks.append(lambda v: isinstance(v, types) and not isinstance(v, bool))
    if "enum" in schema:
        allowed = list(schema["enum"])
        checks.append(lambda v: v in allowed)
    if "pattern" in schema:
        rx = re.compile(schema["pattern"])
        checks.append(lambda v: not isinstance(v, str) or rx.search(v) is not None)
    if "minLength" in schema:
        n = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= n)
    if "minItems" in schema:
        n = schema["minItems"]
        checks.append(lambda v: not isinstance(v, list) or len(v) >= n)
    if "items" in schema:
        item = _compile(schema["items"])
        if item is None:
            return None
        checks.append(lambda v: not isinstance(v, list) or all(map(item, v)))
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        props = {}
        for k, sub in schema.get("properties", {}).items():
            props[k] = _compile(sub)
            if props[k] is None:
                return None
        required = list(schema.get("required", []))
        closed = schema.get("additionalProperties", True) is False
        if schema.get("additionalProperties", False) not in (True, False):
            return None

        def obj(v):
            if not isinstance(v, dict):
                return True
            for k in required:
                if k not in v:
                    return False
            for k, x in v.items():
                p = props.get(k)
                if p is None:
                    if closed:
                        return False
                elif not p(x):
                    return False
            return True
        checks.append(obj)
    if not checks:
        return lambda v: True
    return _all(checks)


@lru_cache(maxsize=None)
def compiled(schema_name: str, *pointer: str):
    """The predicate for the sub-schema at `pointer` (keys) of a schema file, or None."""
    node = json.loads((SCHEMA_DIR / schema_name).read_text(encoding="utf-8"))
    for key in pointer:
        node = node[key]
    return _compile(node)


def unit_is_valid(unit: dict) -> bool:
    """True when a registry unit (one `don_vi` item) is valid; False means: run the schema for messages."""
    check = compiled("don-vi.schema.json", "properties", "don_vi", "items")
    return check is not None and check(unit)
