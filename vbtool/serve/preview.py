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

import json
import os
import select
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


HELPER = Path(__file__).resolve().parent / "uno_helper.py"
UNO_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")


def _clean_env() -> dict:
    """The helper runs on the system Python: vbtool's virtual environment must not leak into it."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    return env


def find_uno_python() -> str | None:
    """A Python that can ``import uno`` (Debian: /usr/bin/python3 with python3-uno), or None."""
    for cand in (os.environ.get("VBTOOL_UNO_PYTHON"), *UNO_PYTHONS):
        if cand and os.path.exists(cand):
            try:
                r = subprocess.run([cand, "-c", "import uno"], env=_clean_env(), capture_output=True, timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if r.returncode == 0:
                return cand
    return None


class _Dead(Exception):
    """The warm LibreOffice died or hung; ``hung`` tells which."""

    def __init__(self, message: str, hung: bool = False):
        super().__init__(message)
        self.hung = hung


class _Warm:
    """One running soffice driven through uno_helper.py (a child of the system Python)."""

    def __init__(self, python: str, soffice: str, profile: Path, owner: "Converter", startup: float = 90.0):
        pipe = f"vbtool{os.getpid()}x{id(self)}"
        # its own process group: LibreOffice runs inside it, so one killpg ends everything
        self.proc = subprocess.Popen([python, str(HELPER), soffice, profile.as_uri(), pipe], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     env=_clean_env(), start_new_session=True)
        owner._starting = self            # close() can end a LibreOffice that is still starting
        try:
            ready = self._read(startup)
        finally:
            owner._starting = None
        if not ready or not ready.get("ready"):
            self.close()
            raise PdfError("LibreOffice không khởi động được ở chế độ chạy nền")

    def _read(self, timeout: float) -> dict | None:
        out = self.proc.stdout
        assert out is not None             # Popen(stdout=PIPE)
        ready, _, _ = select.select([out], [], [], timeout)
        if not ready:
            return None
        line = out.readline()
        try:
            return json.loads(line) if line else {"eof": True}
        except ValueError:
            return {"eof": True}

    def convert(self, docx: Path, pdf: Path, timeout: float) -> None:
        stdin = self.proc.stdin
        assert stdin is not None           # Popen(stdin=PIPE)
        try:
            stdin.write(json.dumps({"docx": str(docx), "pdf": str(pdf)}) + "\n")
            stdin.flush()
        except (BrokenPipeError, OSError):
            self.close()
            raise _Dead("LibreOffice chạy nền đã dừng") from None
        reply = self._read(timeout)
        if reply is None:
            self.close()
            raise _Dead(f"LibreOffice bị treo, đã dừng sau {timeout:.0f} giây", hung=True)
        if reply.get("eof") or (not reply.get("ok") and reply.get("dead")):
            self.close()
            raise _Dead("LibreOffice bị dừng đột ngột khi chuyển văn bản")
        if not reply.get("ok"):
            raise PdfError(f"LibreOffice không chuyển được văn bản sang PDF ({reply.get('error', '')})")

    @property
    def group(self) -> int:
        return self.proc.pid

    def close(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for f in filter(None, (self.proc.stdin, self.proc.stdout)):
            try:
                f.close()
            except OSError:
                pass


class Converter:
    """.docx → PDF, one conversion at a time (a lock).

    With a Python that has LibreOffice's ``uno`` module, one soffice is kept running
    (uno_helper.py) and each conversion costs a few tenths of a second; a crashed or
    hung soffice is killed and a new one started for the next conversion (a crash is
    retried once on a fresh one). Without it, or when ``soffice`` is given
    explicitly, each conversion is one ``soffice --convert-to pdf`` call with a
    private profile kept between calls.
    """

    def __init__(self, workdir: Path, soffice: str | None = None, timeout: float = 60.0, warm: bool | None = None):
        self.workdir = workdir
        self.soffice = soffice
        self.timeout = timeout
        self.lock = threading.Lock()
        self.profile = workdir / "lo-profile"
        self._use_warm = (soffice is None) if warm is None else warm
        self._uno_python: str | None = None
        self._warm: _Warm | None = None
        self._starting: _Warm | None = None
        self._closed = False

    def _reset_profile(self) -> None:
        shutil.rmtree(self.profile, ignore_errors=True)

    @property
    def warm_group(self) -> int:
        """Process group of the running LibreOffice and its helper (0 when none), for tests."""
        return self._warm.group if self._warm else 0

    def close(self) -> None:
        """End the running LibreOffice now, even in the middle of a conversion or of its start."""
        self._closed = True
        for w in (self._warm, self._starting):
            if w is not None:
                w.close()
        self._warm = None

    def to_pdf(self, docx: bytes, name: str = "van-ban") -> bytes:
        """PDF bytes of a .docx; raises PdfError with a Vietnamese message."""
        with self.lock:
            if self._closed:
                raise PdfError("Máy chủ đang dừng")
            if self._use_warm:
                if self._uno_python is None:
                    self._uno_python = find_uno_python() or ""
                if self._uno_python:
                    try:
                        return self._warm_pdf(docx, name)
                    except _StartFailed:
                        if self._closed:
                            raise PdfError("Máy chủ đang dừng") from None
                        self._use_warm = False          # fall back to one soffice call per conversion
            return self._one_shot(docx, name)

    def _warm_pdf(self, docx: bytes, name: str) -> bytes:
        assert self._uno_python            # called only once a UNO-capable Python was found
        with tempfile.TemporaryDirectory(prefix="conv-", dir=self.workdir) as tmp:
            src, pdf = Path(tmp) / f"{name}.docx", Path(tmp) / f"{name}.pdf"
            src.write_bytes(docx)
            for attempt in (1, 2):
                if self._warm is None:
                    try:
                        self._warm = _Warm(self._uno_python, self.soffice or find_soffice(),
                                           self.workdir / "lo-warm-profile", self)
                    except PdfError:
                        if attempt == 1:
                            raise _StartFailed() from None
                        raise
                try:
                    self._warm.convert(src, pdf, self.timeout)
                except _Dead as exc:
                    self._warm = None
                    shutil.rmtree(self.workdir / "lo-warm-profile", ignore_errors=True)
                    if exc.hung or attempt == 2:
                        raise PdfError(str(exc)) from None
                    continue
                if not pdf.is_file() or pdf.stat().st_size < 64:
                    raise PdfError("LibreOffice không tạo ra PDF")
                return pdf.read_bytes()
        raise PdfError("LibreOffice không tạo ra PDF")  # pragma: no cover

    def _one_shot(self, docx: bytes, name: str) -> bytes:
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


class _StartFailed(Exception):
    """The warm LibreOffice could not be started at all."""


class PreviewWorker:
    """Renders submitted YAML texts in a background thread; the newest submission wins."""

    def __init__(
        self, workdir: Path, converter: Converter, render, dpi: int = PREVIEW_DPI, warm_text: str | None = None
    ):
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
        self.converter.close()            # ends a conversion in progress too
        self._thread.join(timeout=5)

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
                assert self._pending is not None       # the wait above ends with work or with _stop
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
