"""Live preview: the newest edit rendered to real pages, one conversion at a time.

One background thread owns LibreOffice. The page submits the YAML text after each
pause in typing; only the newest submission is kept (older ones that were not yet
started are dropped: newest edit wins), so a fast typist never queues conversions.
The LibreOffice user profile is kept between conversions (a warm profile starts
about a second faster than a new one) and thrown away after a crash or a hang.

Every failure (invalid YAML, a renderer exception, LibreOffice crashing or
hanging, poppler missing) becomes a Vietnamese ``error`` in the result: the
thread keeps running and the server keeps serving.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..pdf import PdfError, find_soffice, pdf_text

PREVIEW_DPI = 96
# JPEG, not PNG: pdftoppm took 1.5 s to write the 7 PNG pages of example 001 at 96 dpi and
# 0.08 s to write them as JPEG (same machine, same PDF); the page images are only looked at.
JPEG_QUALITY = 90


def pdf_to_jpeg(pdf: Path, outdir: Path, dpi: int = PREVIEW_DPI) -> list[Path]:
    """Every page of ``pdf`` as ``page-N.jpg`` in ``outdir``, in page order."""
    tool = shutil.which("pdftoppm")
    if not tool:
        raise PdfError("Không tìm thấy pdftoppm (poppler-utils). Cài đặt: "
                       "sudo apt-get install -y --no-install-recommends poppler-utils")
    proc = subprocess.run([tool, "-r", str(dpi), "-jpeg", "-jpegopt", f"quality={JPEG_QUALITY}", str(pdf),
                           str(outdir / "page")], stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    if proc.returncode != 0:
        raise PdfError(f"pdftoppm không đọc được PDF (mã thoát {proc.returncode})")
    pages = sorted(outdir.glob("page-*.jpg"), key=lambda p: int(p.stem.rsplit("-", 1)[-1]))
    if not pages:
        raise PdfError("pdftoppm không tạo được ảnh trang nào")
    return pages


@dataclass
class PreviewResult:
    rev: int
    ok: bool
    pages: list[Path] = field(default_factory=list)
    pdf: Path | None = None
    text: str = ""
    error: str = ""
    seconds: float = 0.0


class Converter:
    """soffice --convert-to pdf with a private profile kept warm; serialised by a lock."""

    def __init__(self, workdir: Path, soffice: str | None = None, timeout: float = 60.0):
        self.workdir = workdir
        self.soffice = soffice
        self.timeout = timeout
        self.lock = threading.Lock()
        self.profile = workdir / "lo-profile"

    def _reset_profile(self) -> None:
        shutil.rmtree(self.profile, ignore_errors=True)

    def to_pdf(self, docx: bytes, name: str = "van-ban") -> bytes:
        """PDF bytes of a .docx; raises PdfError with a Vietnamese message."""
        with self.lock:
            soffice = self.soffice or find_soffice()
            with tempfile.TemporaryDirectory(prefix="conv-", dir=self.workdir) as tmp:
                src = Path(tmp) / f"{name}.docx"
                src.write_bytes(docx)
                cmd = [soffice, f"-env:UserInstallation={self.profile.as_uri()}", "--headless", "--norestore",
                       "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf", "--outdir", tmp, str(src)]
                try:
                    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, start_new_session=True)
                except OSError as exc:
                    raise PdfError(f"không chạy được LibreOffice: {exc.strerror or exc}") from None
                try:
                    proc.communicate(timeout=self.timeout)
                except subprocess.TimeoutExpired:
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        proc.kill()
                    proc.communicate()
                    self._reset_profile()
                    raise PdfError(f"LibreOffice bị treo, đã dừng sau {self.timeout:.0f} giây") from None
                pdf = Path(tmp) / f"{name}.pdf"
                if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size < 64:
                    self._reset_profile()
                    how = (f"bị dừng đột ngột (tín hiệu {-proc.returncode})" if proc.returncode < 0
                           else f"mã thoát {proc.returncode}" if proc.returncode else "không tạo ra PDF")
                    raise PdfError(f"LibreOffice không chuyển được văn bản sang PDF ({how})")
                return pdf.read_bytes()


class PreviewWorker:
    """Renders submitted YAML texts in a background thread; the newest submission wins."""

    def __init__(self, workdir: Path, converter: Converter, render, dpi: int = PREVIEW_DPI, warm_text: str | None = None):
        self.workdir = workdir
        self.converter = converter
        self.render = render            # text -> .docx bytes; raises InputError for bad input
        self.dpi = dpi
        self._cond = threading.Condition()
        self._pending: tuple[int, str] | None = None
        self._rev = 0
        self._busy_rev = 0
        self.latest: PreviewResult | None = None
        self._stop = False
        self._warm_text = warm_text
        self._thread = threading.Thread(target=self._loop, name="vbtool-preview", daemon=True)
        self._thread.start()

    def submit(self, text: str) -> int:
        with self._cond:
            self._rev += 1
            self._pending = (self._rev, text)
            self._cond.notify_all()
            return self._rev

    def status(self) -> tuple[int, int, PreviewResult | None]:
        """(last submitted rev, rev being converted or 0, newest finished result)."""
        with self._cond:
            return self._rev, self._busy_rev, self.latest

    def wait(self, rev: int, timeout: float) -> PreviewResult | None:
        """Block until a result for ``rev`` or newer exists (for tests and the long poll)."""
        end = time.monotonic() + timeout
        with self._cond:
            while not (self.latest and self.latest.rev >= rev):
                left = end - time.monotonic()
                if left <= 0:
                    return self.latest
                self._cond.wait(left)
            return self.latest

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    def _warm_up(self) -> None:
        """Convert a small document once at start: a new LibreOffice profile costs seconds the
        first time, and the clerk's first preview should not pay for it."""
        if self._warm_text is None:
            return
        try:
            self.converter.to_pdf(self.render(self._warm_text))
        except Exception:  # the real preview will report the problem
            pass

    def _loop(self) -> None:
        self._warm_up()
        while True:
            with self._cond:
                while self._pending is None and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                rev, text = self._pending
                self._pending = None
                self._busy_rev = rev
            result = self._run(rev, text)
            with self._cond:
                self._busy_rev = 0
                self.latest = result
                self._cond.notify_all()
            self._cleanup(keep=rev)

    def _run(self, rev: int, text: str) -> PreviewResult:
        from ..loader import InputError
        start = time.perf_counter()
        outdir = self.workdir / f"rev-{rev}"
        try:
            docx = self.render(text)
            pdf_bytes = self.converter.to_pdf(docx)
            outdir.mkdir(parents=True, exist_ok=True)
            pdf = outdir / "van-ban.pdf"
            pdf.write_bytes(pdf_bytes)
            pages = pdf_to_jpeg(pdf, outdir, dpi=self.dpi)
            return PreviewResult(rev, True, pages, pdf, pdf_text(pdf), seconds=time.perf_counter() - start)
        except InputError as exc:
            first = exc.problems[0]
            more = f" (và {len(exc.problems) - 1} lỗi khác)" if len(exc.problems) > 1 else ""
            return PreviewResult(rev, False, error=f"Văn bản còn lỗi, chưa xem trước được: dòng {first.line}: "
                                 f"{first.path + ': ' if first.path else ''}{first.message}{more}",
                                 seconds=time.perf_counter() - start)
        except PdfError as exc:
            return PreviewResult(rev, False, error=f"Không xem trước được: {exc}", seconds=time.perf_counter() - start)
        except Exception as exc:  # a renderer bug must not stop the preview thread or the server
            return PreviewResult(rev, False, error=f"Lỗi nội bộ khi dựng văn bản ({type(exc).__name__}: {exc}); "
                                 "nội dung đã nhập vẫn được giữ", seconds=time.perf_counter() - start)

    def _cleanup(self, keep: int) -> None:
        for d in self.workdir.glob("rev-*"):
            try:
                n = int(d.name[4:])
            except ValueError:
                continue
            if n < keep - 1:
                shutil.rmtree(d, ignore_errors=True)
