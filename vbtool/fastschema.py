"""A yes/no JSON Schema check without importing jsonschema.

Why: importing jsonschema (with referencing, attrs, rpds) costs more than
everything else `vbtool render` does, yet nearly every file it validates is
valid. So a schema is compiled once into plain Python closures that answer
only "valid or not"; ``schema.validate`` asks them first and imports
jsonschema only for an invalid document, to word its errors exactly as before.

The answer must be jsonschema's (Draft 2020-12, no format checker) for every
instance, so only the keywords our schemas use are compiled, each with
jsonschema's own semantics (which types a keyword applies to, bool not being
an integer, ``re.search`` for patterns …). A schema with any other keyword
raises ``Unsupported`` at compile time and the caller falls back to
jsonschema. tests/test_fastschema.py compares both on every YAML in the
repository and on thousands of mutations of them.
"""
from __future__ import annotations

import numbers
import re
from typing import Callable

Check = Callable[[object], bool]

# keywords that never affect validity (annotations; format without a format checker)
_IGNORED = {"$schema", "$id", "$comment", "$defs", "definitions", "title", "description", "default", "examples",
            "deprecated", "readOnly", "writeOnly", "format", "markdownDescription", "deprecationMessage"}


class Unsupported(ValueError):
    """The schema uses a keyword this module does not compile."""


def _is_integer(x) -> bool:
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


def _is_number(x) -> bool:
    return not isinstance(x, bool) and isinstance(x, numbers.Number)


_TYPES: dict[str, Check] = {
    "string": lambda x: isinstance(x, str),
    "integer": _is_integer,
    "number": _is_number,
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
}


def _true(_x) -> bool:
    return True


def _false(_x) -> bool:
    return False


class _Compiler:
    def __init__(self, root):
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: str) -> Check:
        if pointer in self.refs:
            return self.refs[pointer]
        if not pointer.startswith("#"):
            raise Unsupported(f"$ref {pointer}")
        target = self.root
        for part in [p for p in pointer[1:].split("/") if p]:
            part = part.replace("~1", "/").replace("~0", "~")
            try:
                target = target[int(part)] if isinstance(target, list) else target[part]
            except (KeyError, IndexError, ValueError, TypeError):
                raise Unsupported(f"$ref {pointer}") from None
        slot: list[Check] = []
        self.refs[pointer] = lambda x: slot[0](x)      # recursive schemas: bound after compiling
        slot.append(self.compile(target))
        return self.refs[pointer]

    def compile(self, s) -> Check:
        if s is True:
            return _true
        if s is False:
            return _false
        if not isinstance(s, dict):
            raise Unsupported(f"schema {s!r}")
        checks: list[Check] = []
        obj: list[Check] = []          # checks that apply to objects only
        for key, v in s.items():
            if key == "$id" and s is not self.root:
                raise Unsupported("$id below the root")      # would change what "#/…" refers to
            if key in _IGNORED or key.startswith("x-") or key in ("then", "else"):
                continue        # annotations (x-…: our own, e.g. x-cac-dang); then/else go with "if"
            if key == "$ref":
                checks.append(self.ref(v))
            elif key == "type":
                types = v if isinstance(v, list) else [v]
                if not all(t in _TYPES for t in types):
                    raise Unsupported(f"type {v!r}")
                fns = [_TYPES[t] for t in types]
                checks.append(fns[0] if len(fns) == 1 else (lambda x, fns=fns: any(f(x) for f in fns)))
            elif key == "enum":
                checks.append(_enum(v))
            elif key == "pattern":
                rx = re.compile(v)
                checks.append(lambda x, rx=rx: not isinstance(x, str) or rx.search(x) is not None)
            elif key == "minLength":
                checks.append(lambda x, n=v: not isinstance(x, str) or len(x) >= n)
            elif key == "maxLength":
                checks.append(lambda x, n=v: not isinstance(x, str) or len(x) <= n)
            elif key == "minimum":
                checks.append(lambda x, m=v: not _is_number(x) or x >= m)
            elif key == "maximum":
                checks.append(lambda x, m=v: not _is_number(x) or x <= m)
            elif key == "exclusiveMinimum":
                checks.append(lambda x, m=v: not _is_number(x) or x > m)
            elif key == "exclusiveMaximum":
                checks.append(lambda x, m=v: not _is_number(x) or x < m)
            elif key == "minItems":
                checks.append(lambda x, n=v: not isinstance(x, list) or len(x) >= n)
            elif key == "maxItems":
                checks.append(lambda x, n=v: not isinstance(x, list) or len(x) <= n)
            elif key == "items":
                if "prefixItems" in s:
                    raise Unsupported("prefixItems")
                item = self.compile(v)
                checks.append(lambda x, item=item: not isinstance(x, list) or all(item(e) for e in x))
            elif key == "required":
                obj.append(lambda x, req=tuple(v): all(k in x for k in req))
            elif key == "minProperties":
                obj.append(lambda x, n=v: len(x) >= n)
            elif key == "maxProperties":
                obj.append(lambda x, n=v: len(x) <= n)
            elif key == "properties":
                props = {k: self.compile(sub) for k, sub in v.items()}
                obj.append(lambda x, props=props: all(c(x[k]) for k, c in props.items() if k in x))
            elif key == "additionalProperties":
                if "patternProperties" in s:
                    raise Unsupported("patternProperties")
                known = frozenset(s.get("properties", {}))
                extra = self.compile(v)
                if extra is _true:
                    continue
                if extra is _false:
                    obj.append(lambda x, known=known: all(k in known for k in x))
                else:
                    obj.append(lambda x, known=known, extra=extra:
                               all(extra(val) for k, val in x.items() if k not in known))
            elif key == "propertyNames":
                names = self.compile(v)
                obj.append(lambda x, names=names: all(names(k) for k in x))
            elif key in ("allOf", "anyOf", "oneOf"):
                subs = [self.compile(sub) for sub in v]
                if key == "allOf":
                    checks.append(lambda x, subs=subs: all(c(x) for c in subs))
                elif key == "anyOf":
                    checks.append(lambda x, subs=subs: any(c(x) for c in subs))
                else:
                    checks.append(lambda x, subs=subs: sum(1 for c in subs if c(x)) == 1)
            elif key == "if":
                cond, then = self.compile(v), self.compile(s.get("then", True))
                other = self.compile(s.get("else", True))
                checks.append(lambda x, cond=cond, then=then, other=other: then(x) if cond(x) else other(x))
            elif key == "const":
                checks.append(_enum([v]))
            elif key == "not":
                sub = self.compile(v)
                checks.append(lambda x, sub=sub: not sub(x))
            else:
                raise Unsupported(key)
        if obj:
            checks.append(lambda x, obj=obj: not isinstance(x, dict) or all(c(x) for c in obj))
        if not checks:
            return _true
        if len(checks) == 1:
            return checks[0]
        return lambda x, checks=checks: all(c(x) for c in checks)


def _enum(values) -> Check:
    """jsonschema's `equal`: strings compare as strings; True/False never equal 1/0."""
    if not isinstance(values, list) or any(isinstance(e, (list, dict)) for e in values):
        raise Unsupported("enum")
    strings = frozenset(e for e in values if isinstance(e, str))
    others = [e for e in values if not isinstance(e, str)]

    def check(x) -> bool:
        if isinstance(x, str):
            return x in strings
        if isinstance(x, (list, dict)):
            return False
        return any(x is e or (not isinstance(x, bool) and not isinstance(e, bool) and x == e) for e in others)
    return check


def compile_schema(schema) -> Check:
    """A function telling whether an instance is valid; raises Unsupported."""
    return _Compiler(schema).compile(schema)


def compile_part(schema, *pointer: str) -> Check:
    """The check of the sub-schema at `pointer` (keys) of `schema`, its $refs resolved against
    the whole schema: one registry unit (`properties/don_vi/items`) checked row by row."""
    node = schema
    for key in pointer:
        node = node[key]
    return _Compiler(schema).compile(node)
