"""The one YAML writer: files vbtool writes for people to edit (skeleton drafts from
derive, report-from, tong-hop, import; registries from `don-vi tao`).

Each starts with the editor's schema line (`# yaml-language-server: $schema=…`, relative to
where the file is written), then comment lines, then the data: keys in the order given, text
in UTF-8, a value with line breaks as one double-quoted line ("ỦY BAN NHÂN DÂN\\nXÃ A"), and a
`Flow` list on one line (`danh_so: [I., 1., 1.1., a)]`).
"""
from __future__ import annotations

import os
from collections.abc import Iterable

import yaml

from .schema import SCHEMA_DIR


class Flow(list):
    """A short list written on one line: danh_so: [I., 1., 1.1., a)]."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML, readable: line breaks inside a value are written as \\n in double quotes."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def schema_line(out_path: str | os.PathLike, schema: str = "van-ban.schema.json") -> str:
    """`# yaml-language-server: $schema=…` with the schema's path relative to the file's folder."""
    rel = os.path.relpath(SCHEMA_DIR / schema, os.path.dirname(os.path.abspath(out_path)))
    return f"# yaml-language-server: $schema={rel.replace(os.sep, '/')}"


def dump(data: object, width: int = 100) -> str:
    """The data as YAML text (no header)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=width,
                     default_flow_style=False)


def document(data: object, out_path: str | os.PathLike, comments: Iterable[str] = (),
             schema: str = "van-ban.schema.json", width: int = 100) -> str:
    """A whole file: the schema line, `# comment` lines, then the data."""
    head = "".join(f"# {c}\n" for c in comments)
    return f"{schema_line(out_path, schema)}\n{head}{dump(data, width)}"
