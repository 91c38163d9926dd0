"""Turn the form's data back into YAML text, keeping the user's comments.

The page edits a plain JSON copy of the document. When it sends the data back,
the previous YAML text is loaded with ruamel.yaml's round-trip loader and the
new data is merged into it key by key and item by item, so comments, key order,
quoting and folded (``>-``) blocks of everything that did not change stay as the
user wrote them. Where the old text cannot be parsed, the data is dumped fresh and
the leading comment lines of the old text are kept.
"""
from __future__ import annotations

import datetime as dt
import io

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 4096                 # never fold a long line the user did not fold
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    y.allow_duplicate_keys = False
    # "so: null" as the skeletons write it, not an empty value
    y.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return y


def leading_comments(text: str) -> str:
    """The comment lines (and blank lines) at the top of a YAML text."""
    out = []
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("#") or not line.strip():
            out.append(line)
        else:
            break
    return "".join(out)


def _same_scalar(old, new) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new or (isinstance(old, bool) and isinstance(new, bool) and old == new)
    if isinstance(old, (dt.date, dt.datetime)) and isinstance(new, str):
        return old.isoformat()[:10] == new
    if isinstance(old, str) and isinstance(new, str):
        return str(old) == new
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return old == new
    return old is None and new is None


def _fresh(value):
    """New data as ruamel objects; multi-line strings as literal blocks."""
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _fresh(v)
        return m
    if isinstance(value, list):
        s = CommentedSeq()
        s.extend(_fresh(v) for v in value)
        return s
    if isinstance(value, str) and "\n" in value.strip("\n"):
        return LiteralScalarString(value)
    return value


def _merge(old, new):
    if isinstance(new, dict):
        if not isinstance(old, CommentedMap):
            return _fresh(new)
        for k in [k for k in old if k not in new]:
            del old[k]
        for k, v in new.items():
            old[k] = _merge(old[k], v) if k in old else _fresh(v)
        return old
    if isinstance(new, list):
        if not isinstance(old, CommentedSeq):
            return _fresh(new)
        for i, v in enumerate(new):
            if i < len(old):
                old[i] = _merge(old[i], v)
            else:
                old.append(_fresh(v))
        del old[len(new):]
        return old
    if _same_scalar(old, new):
        return old
    if isinstance(new, str) and isinstance(old, FoldedScalarString) and "\n" not in new:
        return FoldedScalarString(new)
    return _fresh(new)


def dump(data: dict, old_text: str = "") -> str:
    """YAML text for ``data``, keeping what can be kept of ``old_text``."""
    y = _yaml()
    root = None
    if old_text.strip():
        try:
            root = y.load(old_text)
        except (YAMLError, ValueError, TypeError):
            root = None
    buf = io.StringIO()
    if isinstance(root, CommentedMap):
        y.dump(_merge(root, data), buf)
        return buf.getvalue()
    y.dump(_fresh(data), buf)
    return leading_comments(old_text) + buf.getvalue()
