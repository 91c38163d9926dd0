"""Shared helpers: render YAML (text or file) and read the resulting .docx."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from vbtool.document import load_document, load_document_text, to_docx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "drafts" / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


class Rendered:
    """A rendered .docx opened both with python-docx and as raw XML parts."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.doc = docx.Document(io.BytesIO(data))

    def xml(self, part: str = "word/document.xml"):
        return etree.fromstring(self.zip.read(part))

    def paragraphs(self) -> list[str]:
        """Text of every paragraph in document order, table cells included."""
        return ["".join(t.text or "" for t in p.iter(W + "t")) for p in self.xml().iter(W + "p")]

    def text(self) -> str:
        return "\n".join(self.paragraphs())

    def runs_with(self, text: str):
        """(run element, its rPr) for each run whose text contains `text`."""
        out = []
        for r in self.xml().iter(W + "r"):
            t = "".join(x.text or "" for x in r.iter(W + "t"))
            if text in t:
                out.append(r)
        return out


def run_size(r) -> float:
    return int(r.find(f"{W}rPr/{W}sz").get(W + "val")) / 2


def run_flag(r, tag: str) -> bool:
    return r.find(f"{W}rPr/{W}{tag}") is not None


@pytest.fixture(scope="session")
def render_text():
    def _render(yaml_text: str) -> Rendered:
        return Rendered(to_docx(load_document_text(yaml_text, "test.yaml")))
    return _render


@pytest.fixture(scope="session")
def example():
    cache = {}

    def _example(prefix: str) -> Rendered:
        if prefix not in cache:
            path = next(EXAMPLES.glob(f"{prefix}*.yaml"))
            cache[prefix] = Rendered(to_docx(load_document(path)))
        return cache[prefix]
    return _example


def words(text: str) -> list[str]:
    """Word tokens as the textsim tool counts them (letters and digits)."""
    import unicodedata
    return re.findall(r"\w+", unicodedata.normalize("NFC", text))
