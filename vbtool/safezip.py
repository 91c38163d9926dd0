"""Bounded reading of .docx packages and bounded child processes.

A .docx is a zip: 95 KB on disk may inflate to 64 MB of XML that builds
millions of elements (check ran 261 s and ~10 GB on one; import had no limit
at all). So before a part is parsed:

* the member must be stored or deflated and not encrypted (otherwise
  zipfile raises NotImplementedError/RuntimeError: a traceback);
* it is inflated through a stream that stops at MAX_PART_BYTES, whatever its
  header claims, and all parts read from one package share MAX_TOTAL_BYTES;
* its elements are counted (every ``<`` that opens a tag) against MAX_ELEMENTS.

And the external tools we run on a user's file (pdftotext, soffice) run under
an address-space limit (RLIMIT_AS), an output-size limit and a timeout that
grows with the input, so a crafted PDF cannot take the machine.
"""
from __future__ import annotations

import resource
import weakref
import zipfile
from pathlib import Path

MAX_FILE_BYTES = 100 * 1024 * 1024     # a .docx with its pictures; the XML parts are bounded below
MAX_PART_BYTES = 16 * 1024 * 1024      # a 300-page report's document.xml is ~5 MB
MAX_TOTAL_BYTES = 48 * 1024 * 1024     # all XML parts read from one package
MAX_ELEMENTS = 600_000                 # a 300-page report has ~150,000 elements
_CHUNK = 1 << 16


class ZipLimitError(ValueError):
    """A package refused; the message is Vietnamese and says what was refused."""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def read_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file, at most `limit` (a device or pipe has st_size 0)."""
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ZipLimitError(f"tệp quá lớn (hơn {_mb(limit)})")
    return data


# Bytes inflated so far per open package: all parts of one package share MAX_TOTAL_BYTES.
_INFLATED: weakref.WeakKeyDictionary[zipfile.ZipFile, int] = weakref.WeakKeyDictionary()


def read_member(zf: zipfile.ZipFile, name: str, limit: int = MAX_PART_BYTES,
                max_elements: int | None = MAX_ELEMENTS) -> bytes:
    """One member of a zip, inflated under a size limit; for XML (max_elements
    not None) also under an element-count limit. Raises ZipLimitError."""
    info = zf.getinfo(name)
    if info.flag_bits & 0x1:
        raise ZipLimitError(f"phần {name} được mã hóa (tệp có mật khẩu); hãy mở bằng Word và lưu lại không mật khẩu")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ZipLimitError(f"phần {name} nén theo cách không hỗ trợ (mã {info.compress_type});"
                            " hãy mở bằng Word và lưu lại dạng .docx")
    if info.file_size > limit:
        raise ZipLimitError(f"phần {name} quá lớn khi giải nén ({_mb(info.file_size)}, tối đa {_mb(limit)});"
                            " không phải văn bản thông thường, đã từ chối")
    used = _INFLATED.get(zf, 0)
    budget = min(limit, MAX_TOTAL_BYTES - used)
    chunks, size = [], 0
    try:
        with zf.open(info) as f:
            while True:
                chunk = f.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > budget:
                    raise ZipLimitError(f"phần {name} giải nén ra quá lớn (hơn {_mb(budget)}, dù khai báo"
                                        f" {_mb(info.file_size)}); đã từ chối")
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, NotImplementedError) as exc:
        if isinstance(exc, ZipLimitError):
            raise
        raise ZipLimitError(f"gói ZIP bị hỏng, không đọc được {name} ({exc})") from None
    _INFLATED[zf] = used + size
    data = b"".join(chunks)
    if max_elements is not None:
        count = data.count(b"<") - data.count(b"</") - data.count(b"<?") - data.count(b"<!")
        if count > max_elements:
            raise ZipLimitError(f"phần {name} có quá nhiều phần tử XML ({count:,}, tối đa {max_elements:,});"
                                " không phải văn bản thông thường, đã từ chối".replace(",", "."))
    return data


# --------------------------------------------------------------------------- child processes

CHILD_MEMORY = 2 * 1024 * 1024 * 1024       # address space of pdftotext / soffice
CHILD_OUTPUT = 256 * 1024 * 1024             # largest file a child may write


def child_limits(memory: int = CHILD_MEMORY, output: int = CHILD_OUTPUT):
    """A preexec_fn that caps the child's memory and the files it writes
    (a runaway child is killed by the kernel instead of taking the machine)."""
    def apply() -> None:
        for which, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_FSIZE, output)):
            soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)         # never above what we were given ourselves
            if soft == resource.RLIM_INFINITY or soft > value:
                resource.setrlimit(which, (value, hard))
    return apply


def scaled_timeout(path: Path, base: float = 20.0, per_mb: float = 20.0, cap: float = 300.0) -> float:
    """Seconds a tool may take on a file: a base plus some per megabyte, capped."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return min(cap, base + per_mb * size / (1024 * 1024))
