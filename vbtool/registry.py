"""The unit registry: who issues what, and the phrases plans use for groups.

A registry (``drafts/don-vi/*.yaml``, validated by ``schemas/don-vi.schema.json``)
lists units with what their own documents need (header names, ký hiệu, địa
danh, usual signer, Lưu code) and named groups with the phrases real plans use
for them ("UBND các huyện, thị xã, thành phố"). ``derive`` uses it to decide
which of a parent plan's tasks fall to a unit; ``batch`` to issue one version
per unit. Units may also come from CSV files (one row per commune, say).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .csvfile import read_rows
from .loader import InputError, Source, load_file
from .schema import validate

_CSV_LIST_FIELDS = {"nhom", "bi_danh"}
LOAI_TEXT = {"xa": "xã", "phuong": "phường", "dac_khu": "đặc khu"}   # what {{ don_vi.loai }} prints
_SIG_PREFIX = "ky."


@dataclass
class Unit:
    id: str
    ten: str
    ky_hieu: str
    dia_danh: str
    the_thuc: str
    nhom: list[str]
    ten_dau: str | None = None
    ten_goi: str | None = None
    bi_danh: list[str] = field(default_factory=list)
    cap_tren: str | None = None
    cap: str | None = None
    thuoc: str | None = None
    ky: dict | None = None
    luu: list[str] | str | None = None
    thuoc_tinh: dict = field(default_factory=dict)
    loai: str | None = None                  # xa | phuong | dac_khu (commune-level units)
    tinh: str | None = None                  # the province, for units of a national registry

    @property
    def name_in_text(self) -> str:
        return self.ten_goi or self.ten

    def names(self) -> list[str]:
        return [self.ten, *( [self.ten_goi] if self.ten_goi else []), *self.bi_danh]

    def as_context(self) -> dict:
        """What `{{ don_vi.… }}` sees in a document."""
        return {"id": self.id, "ten": self.ten, "ten_goi": self.name_in_text, "ky_hieu": self.ky_hieu,
                "dia_danh": self.dia_danh, "cap": self.cap, "cap_tren": self.cap_tren,
                "loai": LOAI_TEXT.get(self.loai or "", ""), "tinh": self.tinh,
                "thuoc_tinh": dict(self.thuoc_tinh)}


def norm(text: str) -> str:
    """Comparison key: NFC, lower case, single spaces, no trailing punctuation."""
    text = unicodedata.normalize("NFC", text).lower().replace("ủy ban nhân dân", "ubnd")
    text = re.sub(r"\s+", " ", text).strip(" .;,")
    return text


_DESCRIPTION = re.compile(r"\s*[-–(,]|\s+(chủ trì|phối hợp)\b")
_GROUPISH = re.compile(r"^(các|ubnd các|ban dân vận các|những)\b")


@dataclass
class _Index:
    phrases: dict[str, str]                  # normalised group phrase -> group id
    members: dict[str, list["Unit"]]         # group id -> units, in registry order
    names: dict[str, int]                    # normalised unit name -> order of the first unit bearing it
    order: list["Unit"]
    vague: set[str]
    resolved: dict = field(default_factory=dict)     # phrase -> (ids, kind)

    @classmethod
    def of(cls, reg: "Registry") -> "_Index":
        phrases: dict[str, str] = {}
        for gid, ps in reg.groups.items():
            for p in ps:
                phrases.setdefault(norm(p), gid)
        members: dict[str, list[Unit]] = {}
        names: dict[str, int] = {}
        order = list(reg.units.values())
        for i, u in enumerate(order):
            for g in u.nhom:
                members.setdefault(g, []).append(u)
            for name in u.names():
                names.setdefault(norm(name), i)
        return cls(phrases, members, names, order, {norm(v) for v in reg.vague})


@dataclass
class Registry:
    units: dict[str, Unit]
    groups: dict[str, list[str]]             # group id -> phrases
    vague: list[str]                         # phrases naming no unit
    source: Source | None = None

    def _index(self) -> "_Index":
        """Lookup tables built on first use (a registry is not changed after loading): a national
        registry has ~7,500 units and derive resolves every task's units once per unit of a group."""
        idx = self.__dict__.get("_idx")
        if idx is None:
            idx = self.__dict__["_idx"] = _Index.of(self)
        return idx

    def members(self, group_id: str) -> list[Unit]:
        return list(self._index().members.get(group_id, []))

    def group_by_phrase(self, phrase: str) -> str | None:
        gid = self._index().phrases.get(norm(phrase))
        if gid:
            return gid
        return phrase if phrase in self.groups else None

    def resolve(self, phrase: str) -> tuple[set[str], str]:
        """Units a task's unit string designates.

        Returns (unit ids, kind) where kind is "don_vi", "nhom", "khong_chi_dinh"
        or "" (not recognised). A unit matches by any of its names, alone or
        followed by a description ("Sở Tư pháp - Cơ quan thường trực …").
        """
        cache = self._index().resolved
        if phrase not in cache:
            cache[phrase] = self._resolve(phrase)
        ids, kind = cache[phrase]
        return set(ids), kind

    def _resolve(self, phrase: str) -> tuple[set[str], str]:
        idx = self._index()
        key = norm(phrase)
        gid = self.group_by_phrase(phrase)
        if gid:
            return {u.id for u in self.members(gid)}, "nhom"
        if key in idx.vague:
            return set(), "khong_chi_dinh"
        # the first unit (registry order) named by the whole phrase, or by its start followed by a description
        hits = [idx.names[key]] if key in idx.names else []
        for m in _DESCRIPTION.finditer(key):
            if m.start() and key[:m.start()] in idx.names:
                hits.append(idx.names[key[:m.start()]])
        if hits:
            return {idx.order[min(hits)].id}, "don_vi"
        # "Sở Tư pháp và các cơ quan, đơn vị có liên quan": several designations in one item
        parts = [x for x in re.split(r"\s+và\s+|;\s*", phrase) if x.strip()]
        if len(parts) > 1:
            found = [self.resolve(x) for x in parts]
            ids = set().union(*(f[0] for f in found))
            kinds = [f[1] for f in found if f[1]]
            if kinds:
                return ids, "nhom" if "nhom" in kinds else kinds[0]
        return set(), ""

    @staticmethod
    def is_groupish(phrase: str) -> bool:
        return bool(_GROUPISH.match(norm(phrase)))


def load(path: str | Path) -> Registry:
    """Load and check a registry; raise InputError with every problem found."""
    src = load_file(path)
    problems = validate(src, "don-vi.schema.json")
    if problems:
        raise InputError(problems)
    d = src.data
    groups: dict[str, list[str]] = {}
    for i, g in enumerate(d["nhom"]):
        if g["id"] in groups:
            problems.append(
                src.problem(("nhom", i, "id"), f'mã nhóm "{g["id"]}" bị trùng (gộp các cụm từ vào một nhóm)')
            )
        groups.setdefault(g["id"], g["cum_tu"])
    if problems:
        raise InputError(problems)
    raw_units: list[tuple[dict, tuple, Source]] = [(u, ("don_vi", i), src) for i, u in enumerate(d.get("don_vi", []))]
    for j, name in enumerate(d.get("don_vi_csv", [])):
        raw_units += _csv_units(Path(path).parent / name, src, ("don_vi_csv", j))
    problems = []
    units: dict[str, Unit] = {}
    for u, upath, usrc in raw_units:
        if u["id"] in units:
            problems.append(usrc.problem(upath + ("id",), f"mã đơn vị \"{u['id']}\" bị trùng"))
            continue
        if not u.get("nhom"):
            problems.append(usrc.problem(upath + ("nhom",), f"đơn vị \"{u['id']}\" không thuộc nhóm nào"))
        for k, g in enumerate(u.get("nhom", [])):
            if g not in groups:
                problems.append(usrc.problem(upath + ("nhom", k), f"nhóm \"{g}\" chưa được khai báo trong mục nhom"))
        units[u["id"]] = Unit(**u)
    for u, upath, usrc in raw_units:
        if u.get("thuoc") and u["thuoc"] not in units:
            problems.append(usrc.problem(upath + ("thuoc",), f"không có đơn vị cấp trên \"{u['thuoc']}\""))
    if problems:
        raise InputError(problems)
    return Registry(units, groups, list(d.get("khong_chi_dinh", [])), src)


def _csv_units(path: Path, src: Source, where: tuple) -> list[tuple[dict, tuple, Source]]:
    """Units from a CSV: columns named like the YAML fields; lists split on ";";
    the signer in columns ky.thay_mat, ky.ky_thay, ky.chuc_vu, ky.ho_ten …"""
    if not path.is_file():
        raise InputError([src.problem(where, f"không đọc được tệp CSV {path}")])
    out = []
    name = str(path)
    for row in read_rows(path):
        i = row.line
        u: dict = {}
        sig: dict = {}
        for k, v in row.cells.items():
            v = (v or "").strip()                 # the file is NFC already (csvfile), once, not per cell
            if not k or not v:
                continue
            if k.startswith(_SIG_PREFIX):
                sig[k[len(_SIG_PREFIX):]] = v
            elif k in _CSV_LIST_FIELDS or k == "luu":
                u[k] = [x.strip() for x in v.split(";") if x.strip()]
            else:
                u[k] = v.replace("\\n", "\n")
        if sig:
            u["ky"] = sig
        row_src = Source(name, {"nhom": [], "don_vi": [u]}, {("don_vi", 0): (i, 1)})
        if not unit_is_valid(u):         # the schema only for a row that fails the fast check: its messages
            raise InputError(validate(row_src, "don-vi.schema.json"))
        out.append((u, ("don_vi", 0), row_src))
    return out


@lru_cache(maxsize=None)
def _unit_check():
    """The compiled check of one registry unit, or None when the schema uses what fastschema
    does not compile (then every row goes through jsonschema)."""
    from .fastschema import Unsupported, compile_part
    from .schema import load_schema
    try:
        return compile_part(load_schema("don-vi.schema.json"), "properties", "don_vi", "items")
    except Unsupported:
        return None


def unit_is_valid(unit: dict) -> bool:
    """True when a registry unit (one `don_vi` item) is valid; False means: run the schema for its messages.
    Thousands of CSV rows are checked this way in a fraction of jsonschema's time."""
    check = _unit_check()
    return check is not None and check(unit)
