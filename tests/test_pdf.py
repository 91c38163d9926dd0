"""Tests of vbtool.pdf against the real LibreOffice and poppler.

These tests deliberately do NOT skip when soffice is missing: CI installs
LibreOffice, and a silently skipped PDF test would hide a broken pipeline.
Crash, poison-file and hang handling use small wrapper scripts named
``soffice`` placed first on PATH; the wrappers call the real soffice.
"""

from __future__ import annotations

import os
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from vbtool import pdf
from vbtool.pdf import PdfError, convert_many, convert_one, find_soffice, pdf_text, pdf_to_png

VN_LINES = [
    "Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập - Tự do - Hạnh phúc",
    "Ủy ban nhân dân tỉnh thực hiện nhiệm vụ được giao",
]
VN_WORDS = [
    "Cộng", "hòa", "xã", "hội", "chủ", "nghĩa", "Việt", "Độc", "lập", "Tự",
    "Hạnh", "phúc", "thực", "hiện", "nhiệm", "vụ", "Ủy", "ban", "nhân", "dân", "tỉnh",
]


def make_docx(path: Path, tag: str, pages: int = 1) -> Path:
    """Write a small Times New Roman document with Vietnamese text (one line per page + a tag)."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    for page in range(pages):
        if page:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for line in VN_LINES:
            doc.add_paragraph(line)
        doc.add_paragraph(f"Mã tệp {tag} trang {page + 1}")
    doc.save(path)
    return path


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fake_soffice(bindir: Path, body: str) -> Path:
    """Install a Python script named ``soffice`` in ``bindir``; ``REAL`` is the real soffice."""
    bindir.mkdir(parents=True, exist_ok=True)
    script = bindir / "soffice"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, subprocess, sys, time\n"
        f"REAL = {find_soffice()!r}\n"
        f"LOG = {str(bindir / 'calls.log')!r}\n"
        "files = [a for a in sys.argv[1:] if a.endswith('.docx')]\n"
        "opts = [a for a in sys.argv[1:] if not a.endswith('.docx')]\n"
        "with open(LOG, 'a') as fh:\n"
        "    fh.write(' '.join(os.path.basename(f) for f in files) + '\\n')\n"
        + body,
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def calls(bindir: Path) -> list[list[str]]:
    return [line.split() for line in (bindir / "calls.log").read_text().splitlines()]


# ------------------------------------------------------------------ real soffice


def test_convert_many_parallel_keeps_vietnamese_text(tmp_path):
    docs = [make_docx(tmp_path / f"vb{i}.docx", f"VB{i}") for i in range(5)]
    seen = []
    result = convert_many(docs, jobs=2, progress=lambda d, t: seen.append((d, t)))

    assert list(result) == docs
    for i, docx in enumerate(docs):
        out = result[docx]
        assert isinstance(out, Path), out
        assert out == docx.with_suffix(".pdf") and out.is_file()
        text = pdf_text(out)
        assert unicodedata.is_normalized("NFC", text)
        for line in VN_LINES:
            assert nfc(line) in text
        words = set(text.split())
        for word in VN_WORDS:
            assert nfc(word) in words, word
        assert f"VB{i}" in text
    assert seen and seen[-1] == (5, 5)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    # No temp outdirs left behind beside the documents.
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".vbtool")]


def test_corrupt_docx_reported_others_converted(tmp_path):
    good = [make_docx(tmp_path / f"ok{i}.docx", f"OK{i}") for i in range(3)]
    corrupt = tmp_path / "x.docx"
    corrupt.write_bytes(os.urandom(4096))
    missing = tmp_path / "khong-co.docx"

    result = convert_many([good[0], corrupt, good[1], missing, good[2]], jobs=2)

    assert isinstance(result[corrupt], str) and "hỏng" in result[corrupt]
    assert not corrupt.with_suffix(".pdf").exists()
    assert isinstance(result[missing], str) and "Không tìm thấy" in result[missing]
    with pytest.raises(PdfError, match="x.docx"):
        convert_one(corrupt)
    for i, docx in enumerate(good):
        assert isinstance(result[docx], Path), result[docx]
        assert f"OK{i}" in pdf_text(result[docx])


def test_zip_with_broken_document_xml_fails_after_two_attempts(tmp_path):
    """soffice exits 0 for a file it cannot load: the missing PDF must still be reported."""
    import zipfile

    src = make_docx(tmp_path / "src.docx", "SRC")
    broken = tmp_path / "hong.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = b"<w:document" if item.filename == "word/document.xml" else zin.read(item)
            zout.writestr(item, data)

    result = convert_many([broken, src], jobs=1)

    assert "sau 2 lần thử" in result[broken]
    assert isinstance(result[src], Path)


def test_pdf_to_png_one_image_per_page(tmp_path):
    docx = make_docx(tmp_path / "hai-trang.docx", "P", pages=2)
    out = convert_one(docx)
    text = pdf_text(out)
    assert text.count("\f") == 2  # pdftotext ends every page with a form feed
    assert "trang 1" in text and "trang 2" in text

    pngs = pdf_to_png(out, tmp_path / "png", dpi=30)

    assert [p.name for p in pngs] == ["hai-trang-1.png", "hai-trang-2.png"]
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------- missing tools


def test_missing_soffice_says_how_to_install(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    docx = make_docx(tmp_path / "a.docx", "A")
    monkeypatch.setenv("PATH", str(empty))

    with pytest.raises(PdfError) as info:
        find_soffice()
    assert "Không tìm thấy LibreOffice" in str(info.value)
    assert "apt-get install" in str(info.value)
    with pytest.raises(PdfError, match="apt-get install"):
        convert_many([docx])
    with pytest.raises(PdfError, match="poppler-utils"):
        pdf_text(tmp_path / "a.pdf")


# ------------------------------------------------------ crashes, poison, hangs


def test_crash_is_retried_once(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    fake_soffice(bindir, (
        "marker = LOG + '.crashed'\n"
        "if not os.path.exists(marker):\n"
        "    open(marker, 'w').close()\n"
        "    sys.exit(134)\n"
        "sys.exit(subprocess.call([REAL, *opts, *files]))\n"
    ))
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    docs = [make_docx(tmp_path / f"c{i}.docx", f"C{i}") for i in range(2)]

    result = convert_many(docs, jobs=1)

    assert all(isinstance(result[d], Path) for d in docs), result
    # After a crash the file soffice was on is suspected and retried last.
    assert calls(bindir) == [["c0.docx", "c1.docx"], ["c1.docx", "c0.docx"]]


def test_poison_file_fails_alone(tmp_path, monkeypatch):
    """soffice dying on one document must not cost the documents after it their PDF."""
    bindir = tmp_path / "bin"
    fake_soffice(bindir, (
        "before = []\n"
        "for f in files:\n"
        "    if os.path.basename(f).startswith('poison'):\n"
        "        if before:\n"
        "            subprocess.call([REAL, *opts, *before])\n"
        "        sys.exit(139)\n"
        "    before.append(f)\n"
        "sys.exit(subprocess.call([REAL, *opts, *files]))\n"
    ))
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    names = ["a", "b", "poison", "c", "d"]
    docs = [make_docx(tmp_path / f"{n}.docx", n.upper()) for n in names]

    result = convert_many(docs, jobs=1)

    poison = tmp_path / "poison.docx"
    assert "sau 2 lần thử" in result[poison] and "mã thoát 139" in result[poison]
    for d in docs:
        if d != poison:
            assert isinstance(result[d], Path), (d, result[d])
    # Second call retries only the files without PDF, suspect last.
    assert calls(bindir) == [
        ["a.docx", "b.docx", "poison.docx", "c.docx", "d.docx"],
        ["c.docx", "d.docx", "poison.docx"],
    ]


def _alive(pid: int) -> bool:
    """True if ``pid`` runs (a zombie waiting for its reaper counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_hung_soffice_killed_with_its_children(tmp_path, monkeypatch):
    bindir = tmp_path / "bin"
    fake_soffice(bindir, (
        "child = subprocess.Popen(['sleep', '300'])\n"
        "with open(LOG + '.pids', 'a') as fh:\n"
        "    fh.write(f'{child.pid}\\n')\n"
        "child.wait()\n"
    ))
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    docx = make_docx(tmp_path / "treo.docx", "T")

    start = time.monotonic()
    result = convert_many([docx], jobs=1, timeout_per_file=0.5)
    elapsed = time.monotonic() - start

    assert "sau 2 lần thử" in result[docx] and "treo" in result[docx]
    assert elapsed < 10
    assert len(calls(bindir)) == 2
    pids = [int(p) for p in (bindir / "calls.log.pids").read_text().split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids), "the grandchild 'sleep' survived the timeout"


def test_chunks_split_by_directory_and_balanced(tmp_path):
    files = [tmp_path / "a" / f"{i}.docx" for i in range(7)] + [tmp_path / "b" / "z.docx"]
    chunks = pdf._plan_chunks(files, jobs=2, chunk_size=3)
    assert sorted(len(c.files) for c in chunks) == [1, 2, 2, 3]
    assert all(len({f.parent for f in c.files}) == 1 for c in chunks)
    assert all(c.outdir == c.files[0].parent for c in chunks)
    assert sorted(f for c in chunks for f in c.files) == sorted(files)
