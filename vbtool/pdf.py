"""Convert rendered .docx files to PDF (and PDF to PNG/text) with LibreOffice and poppler.

Why this module is shaped the way it is:

* Starting ``soffice`` costs about 0.9 s, converting a file inside an already
  running ``soffice`` costs a few hundredths of a second.  So files are batched:
  one ``soffice`` call converts a whole chunk (measured on a 2-core machine:
  ~0.9 s/file one call per file, ~0.064 s/file one call for 200 files,
  ~0.037 s/file with two calls in parallel).
* Two ``soffice`` processes sharing one user profile talk to each other (the
  second one hands its job to the first and exits) or fight over the profile
  lock, so every parallel worker gets its OWN throw-away profile directory via
  ``-env:UserInstallation``.  That also keeps us away from the user's real
  LibreOffice profile and from any LibreOffice window they have open.
* ``soffice`` exits 0 even when it could not load a file, and it happily
  "converts" random bytes named ``x.docx`` through its plain-text import.  The
  exit code therefore proves nothing: inputs are checked to be real OOXML
  packages first, and success is judged per file by the PDF that appears.
* A crashed or hung ``soffice`` is retried once for the files that have no PDF
  yet; anything still missing is reported as a Vietnamese error string in the
  result, never skipped silently.

Every message a user can see is in Vietnamese; identifiers and comments are English.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import unicodedata
import zipfile
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from .safezip import child_limits

__all__ = [
    "PdfError",
    "find_soffice",
    "convert_many",
    "convert_one",
    "pdf_to_png",
    "pdf_text",
]

INSTALL_HINT = (
    "sudo apt-get install -y --no-install-recommends "
    "libreoffice-writer-nogui fonts-liberation2 poppler-utils"
)
POPPLER_HINT = "sudo apt-get install -y --no-install-recommends poppler-utils"

# Start-up allowance of one soffice call, in units of ``timeout_per_file``:
# a cold start with a fresh profile takes ~2 s, far more than one file.
_STARTUP_FILES = 2

Progress = Callable[[int, int], object]


class PdfError(Exception):
    """A PDF tool is missing or a conversion failed; the message is in Vietnamese."""


# --------------------------------------------------------------------------- tools


def find_soffice() -> str:
    """Return the LibreOffice executable, so a missing install fails with the fix, not a traceback."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(f"Không tìm thấy LibreOffice (soffice). Cài đặt: {INSTALL_HINT}")


def _find_poppler(tool: str) -> str:
    """Return a poppler tool (pdftoppm, pdftotext) or explain how to install it."""
    found = shutil.which(tool)
    if not found:
        raise PdfError(f"Không tìm thấy {tool} (poppler-utils). Cài đặt: {POPPLER_HINT}")
    return found


# ---------------------------------------------------------------- input checking


def _check_docx(path: Path) -> Optional[str]:
    """Return a Vietnamese error if ``path`` is not a usable .docx, else None.

    Needed because soffice exits 0 for unreadable files and turns arbitrary
    bytes into a PDF of garbage through its text import: checking the package
    here is the only way to report a corrupt file instead of "converting" it.
    """
    if not path.exists():
        return f"Không tìm thấy tệp: {path}"
    if not path.is_file():
        return f"Không phải là tệp: {path}"
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "Tệp .docx bị hỏng hoặc sai định dạng (không đọc được gói ZIP của Word)"
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        return "Tệp .docx bị hỏng hoặc sai định dạng (thiếu word/document.xml)"
    return None


def _pdf_looks_complete(pdf: Path) -> bool:
    """Tell a finished PDF from a stub left by a soffice killed mid-write."""
    try:
        size = pdf.stat().st_size
        if size < 64:
            return False
        with open(pdf, "rb") as fh:
            head = fh.read(5)
            fh.seek(max(0, size - 2048))
            tail = fh.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


# --------------------------------------------------------------- soffice calls


@dataclass
class _CallResult:
    """Outcome of one soffice process; ``reason`` is a Vietnamese description when it failed."""

    ok: bool
    reason: str = ""
    stderr: str = ""


SOFFICE_MEMORY = 4 * 1024 * 1024 * 1024     # address space of one soffice (it needs ~1 GB)


def _run_soffice(
    soffice: str, profile: Path, outdir: Path, files: list[Path], timeout: float
) -> _CallResult:
    """Run one soffice conversion; on timeout kill its whole process group.

    The ``soffice`` launcher forks ``oosplash`` which forks ``soffice.bin``;
    killing only the launcher would leave a hung ``soffice.bin`` holding the
    profile, so the call gets its own session and the group is killed.
    """
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *(str(f) for f in files),
    ]
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=child_limits(SOFFICE_MEMORY),   # a crafted document cannot take the machine
        )
    except OSError as exc:
        return _CallResult(False, f"không chạy được LibreOffice: {exc}")
    try:
        _out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        return _CallResult(False, f"LibreOffice bị treo, đã dừng sau {timeout:.0f} giây")
    stderr = err.decode("utf-8", "replace")
    if proc.returncode < 0:
        name = _signal_name(-proc.returncode)
        return _CallResult(False, f"LibreOffice bị dừng đột ngột bởi tín hiệu {name}", stderr)
    if proc.returncode != 0:
        return _CallResult(
            False, f"LibreOffice dừng bất thường, mã thoát {proc.returncode}", stderr
        )
    return _CallResult(True, "", stderr)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process group of a still-running leader (its pgid is then surely ours)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    except PermissionError:
        proc.kill()


class _ProfilePool:
    """Hands each running soffice a private user profile, one per parallel slot.

    A profile is reused by the chunks of its slot (a warm profile starts ~1 s
    faster), and thrown away after a crash or a kill, since a half-written
    profile is a classic cause of the next soffice failing too.
    """

    def __init__(self, root: Path, slots: int):
        self._root = root
        self._free: list[Path] = [self._fresh() for _ in range(slots)]
        self._lock = threading.Lock()
        self._available = threading.Semaphore(slots)

    def _fresh(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="profile-", dir=self._root))

    def acquire(self) -> Path:
        self._available.acquire()
        with self._lock:
            return self._free.pop()

    def release(self, profile: Path, damaged: bool) -> None:
        if damaged:
            shutil.rmtree(profile, ignore_errors=True)
            profile = self._fresh()
        with self._lock:
            self._free.append(profile)
        self._available.release()


@dataclass
class _Chunk:
    """Files of one directory converted by one soffice call (plus at most one retry)."""

    outdir: Path
    files: list[Path]
    results: dict[Path, "Path | str"] = field(default_factory=dict)


def _harvest(tmpdir: Path, pending: list[Path], chunk: _Chunk) -> None:
    """Move finished PDFs from the temp outdir into place, atomically."""
    for src in list(pending):
        produced = tmpdir / (src.stem + ".pdf")
        if _pdf_looks_complete(produced):
            target = chunk.outdir / (src.stem + ".pdf")
            os.replace(produced, target)
            chunk.results[src] = target
            pending.remove(src)


def _convert_chunk(
    soffice: str, pool: _ProfilePool, chunk: _Chunk, timeout_per_file: float
) -> _Chunk:
    """Convert a chunk, retrying once the files that got no PDF.

    On a crash or hang, the first file without a PDF is the one soffice was
    working on (it converts in argument order), so the retry puts that file
    LAST: a document that reliably kills soffice then fails alone instead of
    taking every later file of the chunk down with it on the second attempt.
    """
    try:
        tmpdir = Path(tempfile.mkdtemp(prefix=".vbtool-pdf-", dir=chunk.outdir))
    except OSError as exc:
        msg = f"Không tạo được thư mục tạm trong {chunk.outdir}: {exc.strerror or exc}"
        chunk.results.update({f: msg for f in chunk.files})
        return chunk
    try:
        pending = list(chunk.files)
        last = _CallResult(True)
        for attempt in (1, 2):
            timeout = timeout_per_file * (len(pending) + _STARTUP_FILES)
            profile = pool.acquire()
            last = _CallResult(False, "không rõ nguyên nhân")
            try:
                last = _run_soffice(soffice, profile, tmpdir, pending, timeout)
            finally:
                pool.release(profile, damaged=not last.ok)
            try:
                _harvest(tmpdir, pending, chunk)
            except OSError as exc:
                msg = f"Không ghi được PDF vào {chunk.outdir}: {exc.strerror or exc}"
                chunk.results.update({f: msg for f in pending})
                return chunk
            if not pending or attempt == 2:
                break
            if not last.ok:
                pending.append(pending.pop(0))
        for src in pending:
            chunk.results[src] = _failure_message(last)
        return chunk
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _failure_message(last: _CallResult) -> str:
    """Word the error of a file that still has no PDF after both attempts."""
    base = "LibreOffice không tạo được PDF sau 2 lần thử"
    if not last.ok:
        return f"{base}: {last.reason}"
    if "could not be loaded" in last.stderr:
        return f"{base}: LibreOffice không mở được tệp"
    return base


# ----------------------------------------------------------------- public API


def _plan_chunks(
    files: list[Path], jobs: int, chunk_size: int
) -> list[_Chunk]:
    """Group files by output directory (one --outdir per call) and cut even chunks.

    Chunks are at most ``chunk_size`` and small enough that every one of the
    ``jobs`` workers gets work; they are returned largest first so that the
    pool finishes at about the same time on every worker.
    """
    by_dir: dict[Path, list[Path]] = {}
    for f in files:
        by_dir.setdefault(f.parent, []).append(f)
    target = max(1, min(chunk_size, math.ceil(len(files) / jobs)))
    chunks: list[_Chunk] = []
    for outdir, group in by_dir.items():
        n = math.ceil(len(group) / target)
        size, extra = divmod(len(group), n)
        start = 0
        for i in range(n):
            end = start + size + (1 if i < extra else 0)
            chunks.append(_Chunk(outdir, group[start:end]))
            start = end
    chunks.sort(key=lambda c: len(c.files), reverse=True)
    return chunks


def convert_many(
    docx_paths: list[Path],
    jobs: int = 2,
    chunk_size: int = 50,
    timeout_per_file: float = 20.0,
    progress: Optional[Progress] = None,
) -> dict[Path, "Path | str"]:
    """Convert each .docx to a PDF beside it (same stem); map input -> PDF path or Vietnamese error.

    Batched and parallel because soffice start-up dominates the cost (see the
    module docstring).  Every input appears in the result: a Path when the PDF
    was written, a Vietnamese message when it was not.  ``progress`` (if given)
    is called as ``progress(n_done, n_total)`` in the caller's thread.  Raises
    PdfError only when LibreOffice itself is not installed.
    """
    keys = list(dict.fromkeys(Path(p) for p in docx_paths))
    results: dict[Path, Path | str] = {}
    if not keys:
        return results
    total = len(keys)
    jobs = max(1, int(jobs))
    chunk_size = max(1, int(chunk_size))

    # Several keys may name one file ("a.docx", "/abs/a.docx"): convert it once.
    keys_of: dict[Path, list[Path]] = {}
    for key in keys:
        keys_of.setdefault(Path(os.path.abspath(key)), []).append(key)

    done = 0

    def report(files: list[Path], value_of: Callable[[Path], "Path | str"]) -> None:
        nonlocal done
        for f in files:
            for key in keys_of[f]:
                results[key] = value_of(f)
                done += 1
        if progress is not None and files:
            progress(done, total)

    # Preflight: bad inputs never reach soffice; two inputs must not share a PDF.
    bad: dict[Path, str] = {}
    good: list[Path] = []
    claimed: dict[Path, Path] = {}
    for f in keys_of:
        err = _check_docx(f)
        target = f.parent / (f.stem + ".pdf")
        if err is None and target in claimed:
            err = f"Trùng tên PDF với {claimed[target].name}: cả hai cùng ghi ra {target.name}"
        if err is None:
            claimed[target] = f
            good.append(f)
        else:
            bad[f] = err
    # A missing LibreOffice is a setup problem, not a per-file one: fail loudly, first.
    soffice = find_soffice() if good else ""
    if bad:
        report(list(bad), bad.__getitem__)
    if good:
        _convert_valid(soffice, good, jobs, chunk_size, timeout_per_file, report)
    return {key: results[key] for key in keys}


def _convert_valid(
    soffice: str,
    good: list[Path],
    jobs: int,
    chunk_size: int,
    timeout_per_file: float,
    report: Callable[[list[Path], Callable[[Path], "Path | str"]], None],
) -> None:
    """Run the chunks of checked inputs on ``jobs`` soffice workers, reporting each chunk as it ends."""
    chunks = _plan_chunks(good, jobs, chunk_size)
    workers = min(jobs, len(chunks))
    with tempfile.TemporaryDirectory(prefix="vbtool-soffice-") as root:
        pool = _ProfilePool(Path(root), workers)
        executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="soffice")
        try:
            running = {
                executor.submit(_convert_chunk, soffice, pool, c, timeout_per_file)
                for c in chunks
            }
            while running:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    chunk = fut.result()
                    report(chunk.files, chunk.results.__getitem__)
        finally:
            # If progress() raised, do not start chunks nobody will look at.
            executor.shutdown(wait=True, cancel_futures=True)


def convert_one(docx: Path) -> Path:
    """Convert a single .docx; raise PdfError instead of returning an error string."""
    docx = Path(docx)
    result = convert_many([docx], jobs=1)[docx]
    if isinstance(result, str):
        raise PdfError(f"Không chuyển được {docx.name} sang PDF: {result}")
    return result


def _require_pdf(pdf: Path) -> Path:
    pdf = Path(pdf)
    if not pdf.is_file():
        raise PdfError(f"Không tìm thấy tệp PDF: {pdf}")
    return pdf


def _tool_error(tool: str, proc: subprocess.CompletedProcess, pdf: Path) -> PdfError:
    detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    tail = f": {detail[-1]}" if detail else ""
    return PdfError(f"{tool} không đọc được {pdf.name} (mã thoát {proc.returncode}){tail}")


def pdf_to_png(pdf: Path, outdir: Path, dpi: int = 70) -> list[Path]:
    """Render every page to PNG (for visual checks); return the images in page order.

    pdftoppm pads page numbers to the page count ("-1", "-01", ...) so the
    order is taken from the number, not the name.  Pages are rendered into a
    temp dir first so leftovers of an older, longer PDF are never returned.
    """
    tool = _find_poppler("pdftoppm")
    pdf = _require_pdf(pdf)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".vbtool-png-", dir=outdir) as tmp:
        proc = subprocess.run(
            [tool, "-r", str(int(dpi)), "-png", str(pdf), str(Path(tmp) / pdf.stem)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
        )
        if proc.returncode != 0:
            raise _tool_error("pdftoppm", proc, pdf)
        pages: list[tuple[int, Path]] = []
        for png in Path(tmp).glob("*.png"):
            number = png.stem.rsplit("-", 1)[-1]
            if number.isdigit():
                pages.append((int(number), png))
        if not pages:
            raise PdfError(f"pdftoppm không tạo được ảnh nào từ {pdf.name}")
        out: list[Path] = []
        for _, png in sorted(pages):
            target = outdir / png.name
            os.replace(png, target)
            out.append(target)
    return out


def pdf_text(pdf: Path) -> str:
    """Extract the text of a PDF, NFC-normalised so it compares equal to Python strings.

    Fonts may store Vietnamese letters decomposed (base + combining marks);
    normalising here spares every caller from false mismatches.
    """
    tool = _find_poppler("pdftotext")
    pdf = _require_pdf(pdf)
    proc = subprocess.run(
        [tool, "-enc", "UTF-8", str(pdf), "-"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    if proc.returncode != 0:
        raise _tool_error("pdftotext", proc, pdf)
    return unicodedata.normalize("NFC", proc.stdout.decode("utf-8", "replace"))


# ------------------------------------------------------------- vbtool preview
#
# For `vbtool preview` (the command is vbtool.commands.preview): one call that
# shows what a document will look like on paper, so a drafter can eyeball the
# layout (or attach PNGs to a review) without opening Word.

import re as _re  # noqa: E402

__all__ += ["preview"]

PREVIEW_DPI = 70


def preview(source: Path, outdir: Path, dpi: int = PREVIEW_DPI) -> tuple[Path, list[Path]]:
    """Render ``source`` (.yaml or .docx) to ``outdir/<stem>.pdf`` and one PNG per page.

    The conversion happens in a private temp dir: converting a .docx in place
    would write a PDF beside the user's file, and a YAML has no .docx yet.
    PNGs of an earlier, longer version of the same document are removed, so
    the directory always shows exactly the current pages.  Raises PdfError,
    or InputError (vbtool.loader) for a YAML that does not validate.
    """
    source = Path(source)
    outdir = Path(outdir)
    suffix = source.suffix.lower()
    if suffix not in (".yaml", ".yml", ".docx"):
        raise PdfError(f"{source}: chỉ xem trước được tệp .yaml hoặc .docx")
    if not source.is_file():
        raise PdfError(f"Không tìm thấy tệp: {source}")
    with tempfile.TemporaryDirectory(prefix="vbtool-preview-") as tmp:
        docx = Path(tmp) / f"{source.stem}.docx"
        if suffix == ".docx":
            shutil.copyfile(source, docx)
        else:
            from .document import load_document, to_docx

            docx.write_bytes(to_docx(load_document(source)))
        pdf = convert_one(docx)
        try:
            outdir.mkdir(parents=True, exist_ok=True)
            target = outdir / pdf.name
            shutil.copyfile(pdf, target)
        except OSError as exc:
            raise PdfError(f"Không ghi được vào {outdir}: {exc.strerror or exc}") from None
    stale = _re.compile(rf"{_re.escape(target.stem)}-\d+\.png")
    for old in outdir.glob(f"{target.stem}-*.png"):
        if stale.fullmatch(old.name):
            old.unlink()
    return target, pdf_to_png(target, outdir, dpi=dpi)
