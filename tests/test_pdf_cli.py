"""`--pdf` on render and batch (LibreOffice must be installed: CI installs it)."""
from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from conftest import EXAMPLES, ROOT
from test_derive_batch import BATCH_DOC, REG
from vbtool.cli import main
from vbtool.pdf import pdf_text


def test_render_pdf_writes_pdf_beside_docx(tmp_path):
    src = next(EXAMPLES.glob("000-*.yaml"))
    out = tmp_path / "kh.docx"
    r = CliRunner().invoke(main, ["render", str(src), "-o", str(out), "--pdf"])
    assert r.exit_code == 0, r.output
    text = pdf_text(tmp_path / "kh.pdf")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Nguyễn Linh Nhơn" in text


def test_batch_pdf_one_pdf_per_unit(tmp_path):
    doc = tmp_path / "kh.yaml"
    doc.write_text(BATCH_DOC, encoding="utf-8")
    r = CliRunner().invoke(main, ["batch", str(doc), "--don-vi", str(REG), "--nhom",
                                  "Ban Dân vận các huyện, thị, thành ủy", "-o", str(tmp_path / "ra"),
                                  "-j", "2", "--pdf", "--ten-tep", "id"])
    assert r.exit_code == 0, r.output
    pdfs = sorted((tmp_path / "ra").glob("*.pdf"))
    assert len(pdfs) == 10
    text = pdf_text(tmp_path / "ra" / "ban-dan-van-tuy-phong.pdf")
    assert "HUYỆN ỦY TUY PHONG" in text and "BAN DÂN VẬN" in text and "Tuy Phong, ngày" in text


def test_pdf_without_libreoffice_fails_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    src = next(EXAMPLES.glob("000-*.yaml"))
    out = tmp_path / "kh.docx"
    r = CliRunner().invoke(main, ["render", str(src), "-o", str(out), "--pdf"])
    assert r.exit_code == 1
    assert "apt-get install" in r.output and "libreoffice-writer-nogui" in r.output
    assert not out.exists()            # failed before writing anything


def test_bench_pdf_smoke():
    """bench/pdf.py runs end to end with a small N (no timing assertion)."""
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "pdf.py"), "-n", "6", "--sample", "1", "--vbtool"],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    assert "tỉ lệ tốc độ" in r.stdout and "lỗi: 0/6" in r.stdout
