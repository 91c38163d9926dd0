"""One document, one version per unit: `vbtool batch`.

Each version is issued by its unit (header, ký hiệu, địa danh, signer and Lưu
code from the registry unless the document pins them in `hang_loat`), may use
the unit's fields in its text (`{{ don_vi.ten_goi }}`), and may take per-unit
overrides (số, ngày, số liệu, extra tasks) from a YAML or CSV keyed by unit
id. The output for a unit is byte-for-byte what `vbtool render` gives for the
merged document (`merged_data` is that document).

Speed: the base document is parsed and schema-checked once; per unit we copy
the data, apply the unit, evaluate expressions, build the model without
re-running the schema, lay it out and zip it. Workers are forked processes.
In practice most units skip all that: stamp.py renders the document once per
regime and stamps each unit's issuer into it (byte-identical, checked).
"""
from __future__ import annotations

import copy
import errno
import json
import multiprocessing as mp
import os
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from . import stamp
from .csvfile import read_rows
from .document import expand_expressions, placeholders, to_docx
from .loader import InputError, Source, load_file
from .model import build
from .package import write_atomic
from .registry import Registry, Unit
from .schema import SCHEMA_DIR, message_for, validate
from .vn import strip_marks

OVERRIDE_KEYS = ("so", "ngay", "so_lieu", "them_nhiem_vu")


@dataclass
class Job:
    """Everything a worker needs; built once, inherited by forked workers."""

    base: Source
    registry: Registry
    overrides: dict = field(default_factory=dict)
    outdir: Path = Path("out")
    naming: str = "ten"            # ten | slug | id
    names: dict = field(default_factory=dict)   # unit id -> file name (plan_names), set by run()


_JOB: Job | None = None


def merged_data(base: dict, unit: Unit, override: dict | None) -> dict:
    """The document as issued by `unit` (plain data, ready for the model)."""
    data = copy.deepcopy(base)
    pinned = set((data.pop("hang_loat", None) or {}).get("giu_nguyen", []))
    if "co_quan" not in pinned:
        co_quan = {"ten": unit.ten_dau or unit.ten, "ky_hieu": unit.ky_hieu, "ten_goi": unit.name_in_text}
        if unit.cap_tren:
            co_quan["cap_tren"] = unit.cap_tren
        data["co_quan"] = co_quan
    if "dia_danh" not in pinned:
        data["dia_danh"] = unit.dia_danh
    if "ky" not in pinned and unit.ky:
        data["ky"] = dict(unit.ky)
    if "luu" not in pinned and unit.luu:
        data["luu"] = unit.luu
    if "the_thuc" not in pinned:
        data["the_thuc"] = unit.the_thuc
    for key, value in (override or {}).items():
        if key == "so_lieu":
            data["so_lieu"] = {**data.get("so_lieu", {}), **value}
        elif key == "them_nhiem_vu":
            _append_tasks(data["noi_dung"], value)
        else:
            data[key] = value
    return data


def _append_tasks(body: list, extra: list) -> None:
    """Extra tasks go after the last task of the document (same section)."""
    target = None

    def walk(nodes):
        nonlocal target
        for n in nodes:
            if isinstance(n, dict):
                if "nhiem_vu" in n:
                    target = nodes
                walk(n.get("noi_dung", []))
    walk(body)
    (target if target is not None else body).extend(copy.deepcopy(extra))


MAX_NAME_BYTES = 200      # + ".docx" and the ".….tmp" of write_atomic stays under NAME_MAX (255 bytes)
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.I)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_marks(text).lower()).strip("-")


def _clean(name: str) -> str:
    name = " ".join(name.split())           # line breaks of a header name become spaces
    return re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", name).strip(" .")


def _cut(name: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8 (a Vietnamese letter takes 2–3 bytes), on a character boundary."""
    raw = name.encode("utf-8")
    if len(raw) <= limit:
        return name
    return raw[:limit].decode("utf-8", "ignore").rstrip(" .-")


def safe_name(unit: Unit, naming: str, suffix: str = "") -> str:
    """A file name (without .docx) that cannot escape the output directory,
    fits a file system's name limit and is not a name Windows reserves.
    `suffix` tells apart units whose names are the same ("(Bình Thuận)")."""
    if naming == "id":
        name = unit.id
    elif naming == "slug":
        name = _slug(unit.name_in_text)
    else:
        name = _clean(unit.name_in_text)
    name = name or unit.id
    if suffix:
        suffix = ("-" + _slug(suffix)) if naming == "slug" else f" ({_clean(suffix)})"
    name = _cut(name, MAX_NAME_BYTES - len(suffix.encode("utf-8"))) + suffix
    if _WINDOWS_RESERVED.match(name):
        name += "_"
    return name


def _key(name: str) -> str:
    """Two names that one file system may take for one file (case-insensitive, NFC/NFD)."""
    return unicodedata.normalize("NFC", name).casefold()


def _parent_label(registry: Registry, unit: Unit) -> str:
    """What tells a unit apart from a namesake: the place of the unit above it."""
    parent = registry.units.get(unit.thuoc) if unit.thuoc else None
    if parent is not None:
        return parent.dia_danh or parent.name_in_text
    return " ".join((unit.cap_tren or "").split())


@dataclass
class Naming:
    """The file name of each unit, decided before anything is written."""

    names: dict[str, str]                       # unit id -> file name without .docx
    renamed: list[tuple[str, str]]              # (unit id, file name) of units whose name was shared


def plan_names(registry: Registry, unit_ids: list[str], naming: str) -> Naming:
    """One distinct file name per unit.

    A name shared by several units ("UBND xã Tân Thành" exists in many
    provinces; "a/b" and "a_b" both give "a_b"; two long names may agree on
    their first 200 bytes) gets the place of the unit above it in brackets,
    "UBND xã Tân Thành (Gia Lai)"; when that is still shared, the unit id,
    "UBND xã Tân Thành (xa-tan-thanh-2)", which the registry keeps unique."""
    units = [registry.units[u] for u in unit_ids]
    names = {u.id: safe_name(u, naming) for u in units}

    def clashes(current: dict[str, str]) -> set[str]:
        seen: dict[str, list[str]] = {}
        for uid, name in current.items():
            seen.setdefault(_key(name), []).append(uid)
        return {uid for ids in seen.values() if len(ids) > 1 for uid in ids}

    shared = clashes(names)
    renamed = set(shared)
    if shared and naming != "id":
        for uid in shared:
            label = _parent_label(registry, registry.units[uid])
            if label:
                names[uid] = safe_name(registry.units[uid], naming, label)
        shared = clashes(names)
        for uid in shared:
            names[uid] = safe_name(registry.units[uid], naming, uid)
        shared = clashes(names)
    n = 2
    while shared:                                   # only when a name already looks like "X (id)"
        for uid in sorted(shared)[1:]:
            names[uid] = safe_name(registry.units[uid], naming, f"{uid} {n}")
            renamed.add(uid)
        shared, n = clashes(names), n + 1
    return Naming(names, [(uid, names[uid]) for uid in unit_ids if uid in renamed])


def render_unit(job: Job, unit: Unit) -> tuple[bytes, list]:
    """(docx bytes, placeholder warnings) for one unit; raises InputError."""
    data = merged_data(job.base.data, unit, job.overrides.get(unit.id))
    src = Source(job.base.file, data, job.base.positions)
    expand_expressions(src, unit.as_context())
    doc = build(src, schema_checked=True)
    return to_docx(doc), placeholders(src)


def _work(unit_id: str) -> tuple[str, str | None, str | None]:
    """Worker: render and write one unit; never raises (failure isolation)."""
    job = _JOB
    assert job is not None                # set by the pool initializer (or run) before any work
    unit = job.registry.units[unit_id]
    out = job.outdir / f"{job.names.get(unit_id) or safe_name(unit, job.naming)}.docx"
    try:
        data = stamp.for_job(job).render(unit).data     # render_unit's bytes, without its warnings
        write_atomic(out, data)
        return unit_id, str(out), None
    except InputError as exc:
        return unit_id, None, "; ".join(f"{p.path}: {p.message}" if p.path else p.message for p in exc.problems)
    except OSError as exc:
        if exc.errno in _FATAL_ERRNO:
            raise BatchStopped(exc.errno, exc.strerror, str(job.outdir)) from None
        return unit_id, None, f"không ghi được {out} ({exc.strerror or exc})"
    except Exception as exc:  # noqa: BLE001 - isolate one unit's crash from the others
        return unit_id, None, f"lỗi không lường trước: {type(exc).__name__}: {exc}"


def check_base(base: Source, registry: Registry, unit_ids: list[str]) -> None:
    """Validate the document once, as issued by the first unit (the schema
    needs co_quan etc., which the registry supplies)."""
    if not unit_ids:
        return
    data = merged_data(base.data, registry.units[unit_ids[0]], None)
    problems = validate(Source(base.file, data, base.positions), "van-ban.schema.json")
    if problems:
        raise InputError(problems)


def _worker_init() -> None:
    """Ctrl-C is handled once, by the parent; workers just stop with it. A
    worker also dies with its parent (kill -9 of the batch), quietly: no
    BrokenPipeError tracebacks from workers writing to a dead parent."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)               # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    sys.stderr = open(os.devnull, "w")              # errors come back as results, never as tracebacks


_FATAL_ERRNO = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


class BatchStopped(OSError):
    """The output folder cannot take more files (disk full, read-only): stop at the first unit."""


class BatchBusy(Exception):
    """Another batch is writing into the same folder."""


STALE_TMP_SECONDS = 60


def effective_jobs(jobs: int, units: int) -> int:
    """Workers actually started: never more than the CPUs or the units."""
    return max(1, min(jobs, os.cpu_count() or 1, units))


def lock_outdir(outdir: Path):
    """An exclusive lock on the output folder (released when the process ends).
    Two batches writing into one folder would overwrite each other's files."""
    import fcntl
    outdir.mkdir(parents=True, exist_ok=True)
    fd = os.open(outdir, os.O_RDONLY | os.O_DIRECTORY)     # the folder itself: no lock file left behind
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise BatchBusy(str(outdir)) from None
    return fd


def clean_stale_tmp(outdir: Path, now: float | None = None) -> int:
    """Remove the hidden `.NAME.docx.XXXX.tmp` files an earlier run left when it
    was killed (a kill -9 cannot clean up); returns how many. Only files older
    than a minute: a `vbtool render` writing there right now keeps its own."""
    now = time.time() if now is None else now
    removed = 0
    for p in outdir.glob(".*.docx.*.tmp"):
        try:
            if p.is_file() and now - p.stat().st_mtime > STALE_TMP_SECONDS:
                p.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def run(job: Job, unit_ids: list[str], jobs: int = 1, progress=None) -> list[tuple[str, str | None, str | None]]:
    """Render every unit; returns (unit id, output path, error) per unit, in order.

    Raises BatchStopped at the first unit that cannot be written because the
    folder is full or read-only (instead of one failure line per unit)."""
    global _JOB
    _JOB = job
    if not job.names:
        job.names = plan_names(job.registry, unit_ids, job.naming).names
    job.outdir.mkdir(parents=True, exist_ok=True)
    jobs = effective_jobs(jobs, len(unit_ids))
    results = []
    if jobs <= 1:
        for uid in unit_ids:
            results.append(_work(uid))
            if progress:
                progress(1)
        return results
    ctx = mp.get_context("fork")
    chunk = max(1, min(64, len(unit_ids) // (jobs * 8)))
    with ctx.Pool(jobs, initializer=_worker_init) as pool:
        for r in pool.imap(_work, unit_ids, chunksize=chunk):
            results.append(r)
            if progress:
                progress(1)
    return results


# -- overrides ---------------------------------------------------------------

def _override_validator() -> jsonschema.Draft202012Validator:
    doc = json.loads((SCHEMA_DIR / "van-ban.schema.json").read_text(encoding="utf-8"))
    props = doc["properties"]
    entry = {"type": "object", "additionalProperties": False, "properties": {
        "so": props["so"], "ngay": props["ngay"], "so_lieu": props["so_lieu"],
        "them_nhiem_vu": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}
    return jsonschema.Draft202012Validator({"$defs": doc["$defs"], "type": "object",
                                            "additionalProperties": entry})


def load_overrides(path: Path, registry: Registry) -> dict:
    """Per-unit overrides from YAML ({unit id: {so, ngay, so_lieu, them_nhiem_vu}})
    or CSV (columns id, so, ngay; any other column is a figure in so_lieu)."""
    if path.suffix.lower() == ".csv":
        data, positions = {}, {}
        for r in read_rows(path):
            line, row = r.line, r.cells
            uid = (row.pop("id", "") or "").strip()
            entry: dict = {}
            for k, v in row.items():
                v = (v or "").strip()
                if not v:
                    continue
                if k == "so":
                    entry["so"] = int(v) if v.isdigit() else v
                elif k == "ngay":
                    entry["ngay"] = v
                else:
                    entry.setdefault("so_lieu", {})[k] = _number(v)
            data[uid] = entry
            positions[(uid,)] = (line, 1)
        src = Source(str(path), data, positions)
    else:
        src = load_file(path)
    problems = []
    if not isinstance(src.data, dict):
        raise InputError(
            [src.problem((), "tệp ghi đè phải là nhóm mã đơn vị: {mã: {so, ngay, so_lieu, them_nhiem_vu}}")]
        )
    for uid in src.data:
        if uid not in registry.units:
            problems.append(src.problem((uid,), f"không có đơn vị \"{uid}\" trong danh mục"))
    for err in _override_validator().iter_errors(src.data):
        p, msg = message_for(err)
        problems.append(src.problem(p, msg))
    if problems:
        raise InputError(problems)
    return src.data


def _number(v: str):
    try:
        return int(v)
    except ValueError:
        try:
            return float(v.replace(",", "."))
        except ValueError:
            return v


def select_units(registry: Registry, group: str | None) -> list[str]:
    if not group:
        return list(registry.units)
    gid = registry.group_by_phrase(group)
    if not gid:
        assert registry.source is not None    # a registry loaded from a file (registry.load)
        raise InputError([registry.source.problem(("nhom",), f"không có nhóm \"{group}\" trong danh mục; có: "
                                                  + ", ".join(registry.groups))])
    return [u.id for u in registry.members(gid)]


def as_issued_by(path: Path, registry: Registry, unit: Unit):
    """A batch template checked as `unit`'s version: (Document, warnings about the
    template's own unit's names left in it). Used by `vbtool validate --don-vi`."""
    from . import meaning
    from .document import placeholders as _placeholders
    base = load_file(path)
    data = merged_data(base.data, unit, None)
    src = Source(base.file, data, base.positions)
    expand_expressions(src, unit.as_context())
    doc = build(src)
    doc.warnings = _placeholders(src)
    own = meaning.template_unit(base.data, registry)
    if own is not None and own.id == unit.id:
        return doc, []
    return doc, meaning.leftover_names(base, meaning.own_names(base.data, own))
