"""Write a rendered document into the template package, atomically.

The template (``data/van-ban.docx``) is read once per process. Its Jinja
parts (document.xml, core.xml) are used in the form docxtpl prepares them
(``DocxTemplate.patch_xml``: Word's split runs joined, ``{{p …}}`` made a
paragraph-level tag); that form is computed at build time by
tools/make_template.py and shipped as ``data/van-ban.prepared.json`` next to
the .docx, so rendering imports neither docxtpl nor python-docx. If the .docx
no longer matches it (a restyled template), the parts are prepared again with
docxtpl, as before.

A prepared part made only of text and ``{{ name }}`` tags is filled by plain
substitution with Jinja2's autoescape rules (values escaped like markupsafe,
``__html__`` values as they are); any other Jinja is rendered by a sandboxed
Jinja2 environment with autoescape. Parts that do not change are deflated once
per process and copied as compressed bytes (zipwrite.py); a part equal to the
one of the previous document is not compressed again either. So in a batch
only document.xml is compressed per unit.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from . import DATA, zipwrite
from .problem import InputError, Problem
from .render import Rendered
from .xmlchars import UnsafeXmlError, check_xml

TEMPLATE = DATA / "van-ban.docx"
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_JINJA_PARTS = ("word/document.xml", "docProps/core.xml")
COMPRESSLEVEL = 1       # parts that change per document (deflate level 1: 5x faster than 6, ~25 % larger)
STATIC_LEVEL = 9        # parts deflated once per process
_TAG = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def prepared_path(path: Path) -> Path:
    """data/van-ban.docx -> data/van-ban.prepared.json"""
    return path.with_name(path.stem + ".prepared.json")


def prepare(xml: str) -> str:
    """docxtpl's preparation of one part (only when the template changed since it was prepared)."""
    from docxtpl import DocxTemplate
    return DocxTemplate.patch_xml(None, xml)


class Raw(str):
    """A value inserted as it is (the generated body XML), like markupsafe.Markup for Jinja2."""

    def __html__(self) -> str:
        return self


def _escape(value) -> str:
    """markupsafe.escape, as Jinja2's autoescape applies it to {{ value }}."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return (str(value).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


class Fill:
    """One prepared part: filled by substitution when it holds only {{ name }} tags, else by Jinja2."""

    def __init__(self, source: str):
        pieces = _TAG.split(source)
        self.literals, self.names = pieces[0::2], pieces[1::2]
        self.jinja = None
        if "\r" in source or any(t in lit for lit in self.literals for t in ("{{", "{%", "{#")):
            from jinja2 import StrictUndefined
            from jinja2.sandbox import ImmutableSandboxedEnvironment
            env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
            self.jinja = env.from_string(source)
        elif source.endswith("\n"):            # Jinja2 drops one trailing newline (keep_trailing_newline=False)
            self.literals[-1] = self.literals[-1][:-1]

    def render(self, context: dict) -> str:
        if self.jinja is not None:
            return self.jinja.render(context)
        out = [self.literals[0]]
        for name, literal in zip(self.names, self.literals[1:]):
            out.append(_escape(context[name]))
            out.append(literal)
        return "".join(out)


class Template:
    def __init__(self, path: Path):
        import zipfile
        self.path = path
        self.parts: dict[str, bytes] = {}
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                self.parts[info.filename] = z.read(info)
        shipped = {}
        try:
            shipped = json.loads(prepared_path(path).read_text(encoding="utf-8"))["parts"]
        except FileNotFoundError:
            pass
        self.fills: dict[str, Fill] = {}
        for name in _JINJA_PARTS:
            if name in self.parts:
                xml = self.parts[name].decode("utf-8")
                known = shipped.get(name)
                source = known["prepared"] if known and known["xml"] == xml else prepare(xml)
                self.fills[name] = Fill(source)
        self.static = {name: zipwrite.member(name, data, STATIC_LEVEL) for name, data in self.parts.items()
                       if name not in self.fills}
        self._last: dict[str, tuple[bytes, zipwrite.Member]] = {}

    def _member(self, name: str, data: bytes) -> zipwrite.Member:
        """The compressed part, reused when it is the same as in the previous document."""
        last = self._last.get(name)
        if last is not None and last[0] == data:
            return last[1]
        m = zipwrite.member(name, data, COMPRESSLEVEL)
        self._last[name] = (data, m)
        return m

    def build(self, rendered: Rendered, title: str, source: str = "<văn bản>") -> bytes:
        """The .docx bytes for one rendered document.

        Guard: whatever path a text took, a character XML 1.0 forbids never
        reaches the file (Word and LibreOffice would refuse to open it)."""
        try:
            check_xml(rendered.body_xml, "word/document.xml")
            check_xml(title, "docProps/core.xml")
            for name, xml in rendered.parts.items():
                check_xml(xml, name)
        except UnsafeXmlError as exc:
            raise InputError([Problem(source, 1, 1, "", str(exc))]) from None
        context = {"noi_dung": Raw(rendered.body_xml), "tieu_de": title}
        members = []
        for name in self.parts:
            if name in self.fills:
                members.append(self._member(name, self.fills[name].render(context).encode("utf-8")))
            elif name in rendered.parts:
                members.append(self._member(name, rendered.parts[name].encode("utf-8")))
            else:
                members.append(self.static[name])
        return zipwrite.archive(members)


@lru_cache(maxsize=4)
def template(path: Path = TEMPLATE) -> Template:
    return Template(path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory, then rename.

    A crash or a full disk never leaves a half-written .docx behind, and a
    reader never sees one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)      # mkstemp makes 0600; colleagues must be able to open it
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
