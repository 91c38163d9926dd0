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
import csv
import json
import multiprocessing as mp
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from . import stamp
from .document import expand_expressions, placeholders, to_docx
from .loader import InputError, Source, load_file
from .model import build
from .package import write_atomic
from .registry import Registry, Unit
from .schema import SCHEMA_DIR, message_for, validate

OVERRIDE_KEYS = ("so", "ngay", "so_lieu", "them_nhiem_vu")


@dataclass
class Job:
    """Everything a worker needs; built once, inherited by forked workers."""

    base: Source
    registry: Registry
    overrides: dict = field(default_factory=dict)
    outdir: Path = Path("out")
    naming: str = "ten"            # ten | slug | id


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


def safe_name(unit: Unit, naming: str) -> str:
    """A file name that cannot escape the output directory."""
    if naming == "id":
        name = unit.id
    else:
        name = unit.name_in_text
        if naming == "slug":
            name = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
            name = "".join(c for c in name if not unicodedata.combining(c)).lower()
            name = re.sub(r"[^a-z0-9]+", "-", name).strip("-")
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .")
    return (name or unit.id)[:120]


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
    out = job.outdir / f"{safe_name(unit, job.naming)}.docx"
    try:
        data = stamp.for_job(job).render(unit).data     # render_unit's bytes, without its warnings
        write_atomic(out, data)
        return unit_id, str(out), None
    except InputError as exc:
        return unit_id, None, "; ".join(f"{p.path}: {p.message}" if p.path else p.message for p in exc.problems)
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


def _ignore_sigint() -> None:
    """Ctrl-C is handled once, by the parent; workers just stop with it."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run(job: Job, unit_ids: list[str], jobs: int = 1, progress=None) -> list[tuple[str, str | None, str | None]]:
    """Render every unit; returns (unit id, output path, error) per unit, in order."""
    global _JOB
    _JOB = job
    job.outdir.mkdir(parents=True, exist_ok=True)
    results = []
    if jobs <= 1 or len(unit_ids) < 2:
        for uid in unit_ids:
            results.append(_work(uid))
            if progress:
                progress(1)
        return results
    ctx = mp.get_context("fork")
    chunk = max(1, min(64, len(unit_ids) // (jobs * 8)))
    with ctx.Pool(jobs, initializer=_ignore_sigint) as pool:
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
        try:
            rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
        except (OSError, UnicodeDecodeError):
            raise InputError([Source(str(path), None).problem((), "không đọc được tệp CSV (cần mã UTF-8)")]) from None
        for line, row in enumerate(rows, start=2):
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
        raise InputError([src.problem((), "tệp ghi đè phải là nhóm mã đơn vị: {mã: {so, ngay, so_lieu, them_nhiem_vu}}")])
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
