"""Text from a PDF through pdftotext (bounded in time and memory), and page orientation."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import safezip
from .source import ImportFailure, POPPLER_HINT


def pdf_text(path: Path, layout: bool = False) -> str:
    """Text of a PDF by ``pdftotext -raw`` (or ``-layout``, for rebuilding tables).

    Raw mode keeps the content-stream order and the hyphens at line ends
    ("27-" / "NQ/TW"); the default mode drops those hyphens ("27NQ/TW") and
    glues the rule under the trích yếu to the next paragraph.
    """
    tool = shutil.which("pdftotext")
    if not tool:
        raise ImportFailure(f"Không tìm thấy pdftotext (poppler-utils). Cài đặt: {POPPLER_HINT}")
    timeout = safezip.scaled_timeout(path)
    with tempfile.TemporaryDirectory(prefix="vbtool-pdftotext-") as tmp:
        out = Path(tmp) / "text.txt"
        try:
            proc = subprocess.run([tool, "-layout" if layout else "-raw", "-enc", "UTF-8", str(path), str(out)],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  timeout=timeout, preexec_fn=safezip.child_limits())
        except subprocess.TimeoutExpired:
            raise ImportFailure(f"{path}: pdftotext chạy quá {timeout:.0f} giây, đã dừng (PDF quá phức tạp?)") from None
        if proc.returncode < 0 or (proc.returncode != 0 and b"alloc" in proc.stderr.lower()):
            raise ImportFailure(f"{path}: pdftotext vượt giới hạn bộ nhớ ({safezip.CHILD_MEMORY // 2**30} GB) hoặc"
                                f" kích thước văn bản ({safezip.CHILD_OUTPUT // 2**20} MB), đã dừng; PDF này không"
                                " nhập được")
        text = out.read_bytes().decode("utf-8", "replace") if proc.returncode == 0 else ""
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ImportFailure(f"{path}: pdftotext không đọc được tệp (mã thoát {proc.returncode})"
                            + (f": {detail[-1]}" if detail else ""))
    if not text.replace("\f", "").strip():
        raise ImportFailure(f"{path}: PDF không có lớp chữ (có thể là bản quét); cần nhận dạng chữ (OCR) trước")
    return text


def _landscape_page(path: Path, page: int) -> bool:
    """Is this page of the PDF wider than tall (a landscape phụ lục)? pdfinfo says; unknown → no."""
    tool = shutil.which("pdfinfo")
    if not tool:
        return False
    try:
        out = subprocess.run([tool, "-f", str(page), "-l", str(page), str(path)], stdin=subprocess.DEVNULL,
                             capture_output=True, timeout=min(30, safezip.scaled_timeout(path)),
                             preexec_fn=safezip.child_limits()).stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return False
    m = re.search(rf"^Page\s+{page}\s+size:\s+([\d.]+)\s+x\s+([\d.]+)", out, re.M)
    return m is not None and float(m.group(1)) > float(m.group(2))


# --------------------------------------------------------------------------- docx
