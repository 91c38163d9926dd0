"""Reading a .docx for the checker: the archive read once, its XML parts parsed on demand.

All access to the file and the ZIP archive is in ``read_parts``: it returns the
bytes of the parts the checker may need (XML and relationships), so bounded
reading (limits against ZIP bombs) belongs there and nowhere else.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from lxml import etree

from .. import safezip
from ..ooxml.ns import PKG_REL_NS, STRICT_W_NS, w

# A real Kế hoạch is a few hundred KB of XML; anything near this is a zip bomb
# or not a document, and parsing it would only exhaust memory.

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


class DocxError(Exception):
    """The file is not a readable .docx; the message is Vietnamese (exit code 2)."""


@dataclass(frozen=True)
class DocxParts:
    name: str                         # the file name as given, or "<bytes>"
    parts: dict                       # part name → bytes, XML and relationship parts only


def _wanted(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def read_parts(source) -> DocxParts:
    """The XML parts of a .docx given as a path or as bytes; DocxError (Vietnamese) when unreadable."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
        name = "<bytes>"
    else:
        path = Path(source)
        name = str(source)
        if not path.exists():
            raise DocxError("không tìm thấy tệp")
        if not path.is_file():
            raise DocxError("không phải là tệp .docx (là một thư mục)")
        try:
            data = safezip.read_file(path)
        except safezip.ZipLimitError as exc:
            raise DocxError(str(exc)) from None
        except OSError as exc:
            raise DocxError(f"không đọc được tệp: {exc.strerror or exc}") from None
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DocxError("tệp là .doc cũ hoặc .docx có mật khẩu, không phải .docx đọc được; "
                        "hãy mở bằng Word/LibreOffice và lưu lại dạng .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if _wanted(i.filename)]
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DocxError("không phải tệp .docx đọc được (không mở được gói ZIP của Word)") from None
    parts = {}
    for info in infos:
        try:
            parts[info.filename] = safezip.read_member(archive, info.filename)
        except safezip.ZipLimitError as exc:
            raise DocxError(str(exc)) from None
    return DocxParts(name, parts)


class Package:
    """The parts of a .docx, parsed once each, with relationship targets resolved."""

    def __init__(self, source):
        got = read_parts(source)
        self.name = got.name
        self._parts = got.parts
        self._cache: dict[str, object] = {}
        self.main = self._main_part()
        if self.main not in self._parts:
            raise DocxError("không phải tệp .docx đọc được (thiếu word/document.xml)")
        root = self.xml(self.main)
        if root is None or root.find(w("body")) is None:
            raise DocxError("không phải tệp .docx đọc được (word/document.xml không có phần thân văn bản)")

    def xml(self, name: str):
        """The parsed part, or None when the package has no such part."""
        if name in self._cache:
            return self._cache[name]
        data = self._parts.get(name)
        root = None
        if data is not None:
            try:
                root = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError as exc:
                raise DocxError(f"phần {name} không phải XML hợp lệ ({exc.msg})") from None
            if root.tag.startswith(f"{{{STRICT_W_NS}}}"):
                raise DocxError("tệp lưu ở dạng Strict Open XML, chưa hỗ trợ; hãy lưu lại dạng "
                                "\"Word Document (.docx)\" thông thường")
        self._cache[name] = root
        return root

    def _main_part(self) -> str:
        for rtype, target in self.rels("").values():
            if rtype.endswith("/officeDocument"):
                return target
        return "word/document.xml"

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (relationship type, target part name) of ``part`` ("" for the package)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels") if part else "_rels/.rels"
        root = self.xml(rels_name)
        out: dict[str, tuple[str, str]] = {}
        if root is None:
            return out
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id", "")] = (rel.get("Type", ""), name)
        return out

    def related(self, suffix: str) -> Optional[str]:
        """The first part of the main part's relationships whose type ends with ``suffix``."""
        for rtype, target in self.rels(self.main).values():
            if rtype.endswith(suffix):
                return target
        return None
