"""Document kinds (Kế hoạch, Báo cáo, Quyết định, Công văn, Tờ trình …), defined by data.

A kind is a YAML file in ``data/kinds/``: its tên loại (or none), its type code
per regime, the parts it is made of in print order, the fields only it uses and
what its body may hold. Schema, model, render, check and ``vbtool new`` ask the
kind instead of branching on ``loai``; the layout of each part is in the
profiles. Adding a kind is adding a file (docs/them-loai-van-ban.md); tests and
extensions may add a directory of kind files with ``add_dir``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import DATA
from .loader import InputError, load_file
from .schema import validate

KIND_DIR = DATA / "kinds"
# Body node types of a kind that does not say otherwise (Kế hoạch, Báo cáo).
DEFAULT_NODES = ("muc", "nhiem_vu", "doan", "gach")

_extra_dirs: list[Path] = []
_cache: dict[str, "Kind"] | None = None


@dataclass(frozen=True)
class Kind:
    code: str                              # the value of `loai`: ke_hoach, quyet_dinh …
    name: str                              # "Kế hoạch", "Công văn": in sentences and citations
    printed_name: str | None               # the tên loại line, None for a công văn
    type_codes: dict                       # regime -> "KH" | None (state công văn)
    parts: tuple[str, ...]                 # part names in print order (see parts.PARTS)
    fields: tuple[str, ...] = ()           # fields of this kind only
    required: tuple[str, ...] = ()
    nodes: tuple[str, ...] = DEFAULT_NODES
    subject_under_number: bool = False     # the trích yếu is the "V/v …" line of a công văn
    first_recipient: str | None = None     # "Như Điều {dieu_cuoi}"
    issued_by_decision: bool = False       # may be issued with a Quyết định (ban_hanh_kem)
    source: str = ""
    path: Path | None = field(default=None, compare=False)

    def regimes(self) -> list[str]:
        return list(self.type_codes)

    def type_code(self, regime: str) -> str:
        """The type code in the number ("KH", "QĐ"); "" for a kind without one (state công văn)."""
        return self.type_codes.get(regime) or ""


def _from_file(path: Path) -> Kind:
    src = load_file(path)
    problems = validate(src, "loai-van-ban.schema.json")
    if problems:
        raise InputError(problems)
    d = src.data
    from .parts import PARTS
    bad = [p for p in d["phan"] if p not in PARTS]
    if bad:
        raise InputError([src.problem(("phan",), f"phần \"{bad[0]}\" không có; các phần có: "
                                      + ", ".join(sorted(PARTS)))])
    return Kind(code=d["ma"], name=d["ten"], printed_name=d.get("ten_loai"), type_codes=dict(d["ky_hieu"]),
                parts=tuple(d["phan"]), fields=tuple(d.get("truong", ())), required=tuple(d.get("bat_buoc", ())),
                nodes=tuple(d.get("noi_dung", DEFAULT_NODES)), subject_under_number=bool(d.get("trich_yeu_duoi_so")),
                first_recipient=d.get("noi_nhan_dau"),
                issued_by_decision=bool(d.get("ban_hanh_kem_quyet_dinh")), source=d.get("nguon", ""), path=path)


def _load() -> dict[str, Kind]:
    global _cache
    if _cache is None:
        out: dict[str, Kind] = {}
        for directory in [KIND_DIR, *_extra_dirs]:
            for path in sorted(Path(directory).glob("*.yaml")):
                kind = _from_file(path)
                out[kind.code] = kind
        _cache = out
    return _cache


def add_dir(directory: str | Path) -> None:
    """Add the kinds defined in `directory` (a kind with an existing code replaces it)."""
    _extra_dirs.append(Path(directory))
    _reset()


def remove_dir(directory: str | Path) -> None:
    _extra_dirs.remove(Path(directory))
    _reset()


def _reset() -> None:
    global _cache
    _cache = None
    from . import schema
    for cached in (schema.load_schema, schema.validator, schema._is_valid):   # `loai` lists the kinds
        cached.cache_clear()


def all_kinds() -> list[Kind]:
    return list(_load().values())


def codes() -> list[str]:
    return list(_load())


def get(code: str) -> Kind:
    """The kind of `loai`; KeyError if there is none."""
    return _load()[code]


def by_printed_name(name: str) -> Kind | None:
    """The kind whose tên loại is `name` (any case), e.g. "QUYẾT ĐỊNH"."""
    key = name.strip().upper()
    return next((k for k in _load().values() if k.printed_name and k.printed_name.upper() == key), None)


def own_fields() -> set[str]:
    """Fields that belong to some kind (tham_quyen, can_cu …): other kinds may not use them."""
    return {f for k in _load().values() for f in k.fields}
