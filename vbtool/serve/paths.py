"""Resolve names sent by the browser to files inside the served folder, and nowhere else."""
from __future__ import annotations

import os
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")
AUTOSAVE_SUFFIX = ".tu-luu"


class PathError(Exception):
    """A name the page may not use; the message is Vietnamese and safe to show."""


def safe_path(root: Path, name: str, suffixes: tuple[str, ...] = YAML_SUFFIXES) -> Path:
    """The file ``name`` (relative, '/'-separated) inside ``root``.

    Refused: empty names, NUL bytes, absolute paths (POSIX or Windows style), any
    ``..`` part, hidden parts (".git", side files), a suffix not in ``suffixes``, and
    a path that after following symlinks lands outside ``root``.
    """
    if not isinstance(name, str) or not name.strip():
        raise PathError("thiếu tên tệp")
    if "\x00" in name or len(name) > 400:
        raise PathError("tên tệp không hợp lệ")
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        raise PathError(f"\"{name}\": chỉ dùng đường dẫn tương đối trong thư mục đang mở")
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise PathError(f"\"{name}\": không được ra ngoài thư mục đang mở (..)")
    if not parts or any(p.startswith(".") for p in parts):
        raise PathError(f"\"{name}\": tên tệp không hợp lệ")
    if suffixes and not parts[-1].lower().endswith(suffixes):
        raise PathError(f"\"{name}\": chỉ mở và ghi được tệp {', '.join(suffixes)}")
    base = root.resolve()
    target = (base / Path(*parts)).resolve()
    if target != base and base not in target.parents:
        raise PathError(f"\"{name}\": tệp nằm ngoài thư mục đang mở (liên kết tượng trưng)")
    return target


def autosave_path(target: Path) -> Path:
    """The side file where unsaved edits of ``target`` are kept: ``.<name>.tu-luu`` beside it."""
    return target.with_name(f".{target.name}{AUTOSAVE_SUFFIX}")


def unsaved_autosaves(root: Path, limit: int = 100) -> list[str]:
    """Names of documents that exist only as an autosave side file (a new document never saved)."""
    base = root.resolve()
    found = []
    for side in sorted(base.rglob(f".*{AUTOSAVE_SUFFIX}")):
        if any(p.startswith(".") for p in side.relative_to(base).parts[:-1]) or side.is_symlink():
            continue
        main = side.with_name(side.name[1:-len(AUTOSAVE_SUFFIX)])
        if main.suffix.lower() in YAML_SUFFIXES and not main.exists():
            found.append(main.relative_to(base).as_posix())
            if len(found) >= limit:
                break
    return found


def relative(root: Path, target: Path) -> str:
    return target.relative_to(root.resolve()).as_posix()


def list_yaml(root: Path, limit: int = 500) -> list[str]:
    """YAML files under ``root`` (hidden folders and side files skipped, symlinks not followed out)."""
    base = root.resolve()
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in ("out", "__pycache__"))
        for f in sorted(filenames):
            if f.startswith(".") or not f.lower().endswith(YAML_SUFFIXES):
                continue
            p = Path(dirpath) / f
            try:
                real = p.resolve()
            except OSError:
                continue
            if real != base and base not in real.parents:
                continue
            found.append(p.relative_to(base).as_posix())
            if len(found) >= limit:
                return found
    return found
