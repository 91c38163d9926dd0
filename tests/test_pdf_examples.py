"""Every example, rendered and printed through LibreOffice, keeps all its words and its page numbering.

These tests never skip: CI installs LibreOffice and poppler, and a PDF check
that silently skips would hide a broken pipeline.  All examples are converted
by ONE ``convert_many`` call (module fixture), because soffice start-up, not
conversion, is what costs time.

Why words and not lines: LibreOffice breaks lines differently from Word, so
the text is compared as words (regex ``\\w+``, NFC, diacritics included).
No distinct word of the .docx may be missing from the PDF, and no word may
occur fewer times there (the PDF has more: page numbers, footnote texts).
Two printing effects are undone first, and only these: a footnote mark is
glued to the word before it ("giao" + "8" → "giao8"), and pdftotext drops a
hyphen at the end of a line and joins the halves ("60-" / "CTr" → "60CTr").
"""
from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from lxml import etree

from conftest import EXAMPLES, words
from samples import STATE
from vbtool.document import load_document, to_docx
from vbtool.commands.preview import preview_cmd
from vbtool.pdf import convert_many, pdf_text

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """example stem → (rendered .docx, PDF path); one soffice batch for all examples."""
    root = tmp_path_factory.mktemp("pdf-examples")
    docs = {}
    for path in EXAMPLE_FILES:
        data = to_docx(load_document(path))
        target = root / f"{path.stem}.docx"
        target.write_bytes(data)
        docs[path.stem] = (target, docx_text(data))
    result = convert_many([t for t, _ in docs.values()], jobs=2)
    out = {}
    for stem, (target, text) in docs.items():
        pdf = result[target]
        assert isinstance(pdf, Path), f"{stem}: {pdf}"
        out[stem] = (text, pdf)
    return out


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes) -> str:
    """Text of every paragraph of the body (table cells included); breaks and tabs are spaces."""
    import io
    import zipfile
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    lines = []
    for p in root.iter(W + "p"):
        parts = []
        for el in p.iter(W + "t", W + "br", W + "cr", W + "tab"):
            parts.append(el.text or "" if el.tag == W + "t" else " ")
        lines.append("".join(parts))
    return unicodedata.normalize("NFC", "\n".join(lines))


_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")


def tokens(text: str) -> list[str]:
    """\\w+ words, with a letter→digit boundary split (a footnote mark printed after a word)."""
    return [part for word in words(text) for part in _LETTER_DIGIT.split(word) if part]


def undo_line_hyphens(pdf_words: list[str], vocabulary: set[str]) -> list[str]:
    """Split a PDF word that is not in the .docx but is two .docx words run together.

    pdftotext removes the hyphen of a word broken across lines ("60-" /
    "CTr/TU") and joins the halves; this is the only join undone.
    """
    out = []
    for word in pdf_words:
        if word not in vocabulary:
            split = next((i for i in range(1, len(word)) if word[:i] in vocabulary and word[i:] in vocabulary), None)
            if split is not None:
                out += [word[:split], word[split:]]
                continue
        out.append(word)
    return out


def page_text(pdf: Path, page: int) -> str:
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, check=True, stdin=subprocess.DEVNULL)
    return unicodedata.normalize("NFC", proc.stdout.decode("utf-8"))


def page_count(pdf: Path) -> int:
    proc = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, stdin=subprocess.DEVNULL)
    return int(re.search(r"^Pages:\s+(\d+)", proc.stdout.decode(), re.M).group(1))


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def test_examples_exist():
    assert len(EXAMPLE_FILES) >= 3


@pytest.mark.parametrize("stem", [p.stem for p in EXAMPLE_FILES])
def test_every_word_of_the_docx_is_in_the_pdf(converted, stem):
    text, pdf = converted[stem]
    docx_words = tokens(text)                           # paragraphs and table cells, NFC
    pdf_words = undo_line_hyphens(tokens(re.sub(r"\s+", " ", pdf_text(pdf))), set(docx_words))
    assert docx_words, stem
    missing = sorted(set(docx_words) - set(pdf_words))
    assert missing == [], f"{stem}: words missing from the PDF: {missing[:20]}"
    short = Counter(docx_words) - Counter(pdf_words)
    assert not short, f"{stem}: words printed fewer times than written: {dict(short.most_common(10))}"
    # diacritics really are there (not stripped to ASCII by a font fallback)
    assert any(unicodedata.normalize("NFD", w_) != w_ for w_ in pdf_words)


# Plans and reports run over several pages; a công văn, a tờ trình or a decision often fits on one.
MULTI_PAGE_KINDS = {"ke_hoach", "bao_cao"}


@pytest.mark.parametrize("stem", [p.stem for p in EXAMPLE_FILES])
def test_page_numbers_start_on_page_two(converted, stem):
    _, pdf = converted[stem]
    pages = page_count(pdf)
    if load_document(EXAMPLES / f"{stem}.yaml").kind in MULTI_PAGE_KINDS:
        assert pages >= 2, f"{stem}: a one-page example cannot show the page numbering"
    top = first_line(page_text(pdf, 1))
    assert not re.fullmatch(r"\d+", top), f"{stem}: page 1 starts with a page number: {top!r}"
    if pages >= 2:
        assert first_line(page_text(pdf, 2)) == "2", f"{stem}: page 2 starts with {first_line(page_text(pdf, 2))!r}"


def test_multi_page_examples_exist_of_the_other_kinds(converted):
    """The page numbering of a decision and a tờ trình is seen on a second page too."""
    longer = {load_document(EXAMPLES / f"{s}.yaml").kind for s, (_, pdf) in converted.items() if page_count(pdf) >= 2}
    assert {"quyet_dinh", "to_trinh"} <= longer


def test_preview_writes_pdf_and_png_pages(tmp_path):
    source = tmp_path / "ke-hoach.yaml"
    source.write_text(STATE, encoding="utf-8")
    outdir = tmp_path / "xem"
    (outdir).mkdir()
    (outdir / "ke-hoach-9.png").write_bytes(b"stale")       # a page of an older, longer version
    result = CliRunner().invoke(preview_cmd, [str(source), "-o", str(outdir)])
    assert result.exit_code == 0, result.output
    pdf = outdir / "ke-hoach.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF-")
    pngs = sorted(outdir.glob("ke-hoach-*.png"))
    assert pngs and len(pngs) == page_count(pdf)
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pngs)
    assert not (outdir / "ke-hoach-9.png").exists()
    assert f"Đã ghi {pdf}" in result.output
    assert not list(tmp_path.glob("*.docx")), "a YAML preview must not leave a .docx beside the source"


@pytest.mark.parametrize("name,content,expected", [
    ("sai.yaml", "loai: ke_hoach\nthe_thuc: nha_nuoc\n", "sai.yaml:"),
    ("ghi-chu.txt", "x", "chỉ xem trước được tệp .yaml hoặc .docx"),
    ("khong-co.yaml", None, "Không tìm thấy tệp"),
])
def test_preview_errors_exit_one_without_traceback(tmp_path, name, content, expected):
    source = tmp_path / name
    if content is not None:
        source.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(preview_cmd, [str(source), "-o", str(tmp_path / "xem")])
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_word_comparison_forgives_only_line_hyphens_and_footnote_marks():
    docx_words = tokens("Chương trình số 60-CTr/TU, dự toán được giao.")
    vocabulary = set(docx_words)
    printed = undo_line_hyphens(tokens("Chương trình số 60CTr/TU, dự toán được giao8."), vocabulary)
    assert not Counter(docx_words) - Counter(printed)
    lost = undo_line_hyphens(tokens("Chương trình số 60CTr/TU, dự toán giao8."), vocabulary)
    assert set(docx_words) - set(lost) == {"được"}
