"""Write a rendered document into the template package, atomically.

The template (``data/van-ban.docx``) is read once per process: its parts
are kept as bytes, and its document.xml is prepared once the way docxtpl does
it (``DocxTemplate.patch_xml``: Word's split runs are joined, ``{{p …}}``
becomes a paragraph-level tag) and compiled once by a sandboxed Jinja2
environment with autoescape. Each document then costs one Jinja render and
one zip write, which is what makes batch production fast (see bench/).
"""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from . import DATA
from .loader import InputError, Problem
from .render import Rendered
from .xmlchars import UnsafeXmlError, check_xml

TEMPLATE = DATA / "van-ban.docx"
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_JINJA_PARTS = ("word/document.xml", "docProps/core.xml")


class Template:
    def __init__(self, path: Path):
        self.path = path
        env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
        self.parts: dict[str, bytes] = {}
        self.templates = {}
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                data = z.read(info)
                if info.filename in _JINJA_PARTS:
                    xml = DocxTemplate.patch_xml(None, data.decode("utf-8"))
                    self.templates[info.filename] = env.from_string(xml)
                self.parts[info.filename] = data

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
        context = {"noi_dung": Markup(rendered.body_xml), "tieu_de": title}
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for name, data in self.parts.items():
                if name in self.templates:
                    data = self.templates[name].render(context).encode("utf-8")
                elif name in rendered.parts:
                    data = rendered.parts[name].encode("utf-8")
                z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data,
                           compress_type=zipfile.ZIP_DEFLATED)
        return buf.getvalue()


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
