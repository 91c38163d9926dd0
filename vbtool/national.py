"""Today's two-level local government as a unit registry: `vbtool don-vi`.

Since 01/7/2025 Vietnam has 34 provinces and centrally-run cities and 3,321
commune-level units (xã, phường, đặc khu), with no districts. The list comes
from the ``vietnam-provinces`` package (codes, names and kinds after the July
2025 rearrangement); vbtool keeps none of it. What a registry adds to that
list (the usual provincial Sở and Party bodies, their ký hiệu and signers,
the phrases plans use for groups) is data in ``data/don-vi/cap-tinh.yaml``,
which a province can replace with its own copy.

A generated registry is a small YAML file (groups, phrases, the CSV's name)
and a CSV with one unit per row, which `registry.load` reads quickly (a
national registry of ~7,500 units loads in a fraction of a second; a YAML
list of that size would take seconds to parse with line positions).

Header lines follow NĐ 30/2020/NĐ-CP, Phụ lục I, mục II.2.a (ô 2): the name
of the chủ quản body is printed only "nếu có"; a UBND tỉnh or UBND xã has
none in practice, so a commune's header is the two lines "ỦY BAN NHÂN DÂN" /
"XÃ X" (../shared/spec/format-rules.md §3.1, row 2: [C-PL1] and [P]).
A Đảng ủy xã prints its superior đảng bộ above it: "ĐẢNG BỘ TỈNH …" /
"ĐẢNG ỦY XÃ X" (HD 36-HD/VPTW, Phụ lục 3 sample; format-rules §4.4).

The module stays whole (about 620 lines): reading the library and the provincial template,
building units and groups, and writing the YAML + CSV pair are one command's stages passing
the same typed values (Province, Commune, Template).
"""
from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from . import DATA, yamlwrite
from .loader import InputError, Problem, load_file
from .vn import strip_marks

TEMPLATE = DATA / "don-vi" / "cap-tinh.yaml"
KIND = {"xã": "xa", "phường": "phuong", "đặc khu": "dac_khu"}
CSV_COLUMNS = [
    "id",
    "ten",
    "ten_dau",
    "ten_goi",
    "bi_danh",
    "cap_tren",
    "ky_hieu",
    "cap",
    "loai",
    "tinh",
    "thuoc",
    "dia_danh",
    "the_thuc",
    "nhom",
    "ky.thay_mat",
    "ky.ky_thay",
    "ky.thua_lenh",
    "ky.thua_uy_quyen",
    "ky.chuc_vu",
    "ky.ho_ten",
    "luu",
]
SIGNER = "[[Họ và tên người ký]]"


def fold(text: str) -> str:
    """Comparison key without diacritics: "Lâm Đồng" → "lam dong"."""
    return re.sub(r"[\s_\-.,]+", " ", strip_marks(text).lower()).strip()


@dataclass(frozen=True)
class Province:
    code: int
    name: str            # "Lâm Đồng", "Hà Nội", "Hồ Chí Minh"
    is_city: bool        # thành phố trực thuộc trung ương
    codename: str        # "lam-dong"

    @property
    def kind_word(self) -> str:
        return "thành phố" if self.is_city else "tỉnh"

    @property
    def full(self) -> str:
        """"tỉnh Lâm Đồng", "thành phố Hà Nội": as written after UBND, in running text."""
        return f"{self.kind_word} {self.name}"

    @property
    def official(self) -> str:
        """"Lâm Đồng", "Thành phố Hà Nội": the official name."""
        return f"Thành phố {self.name}" if self.is_city else self.name

    @property
    def place(self) -> str:
        """Địa danh (NĐ 30 ô 4): the short name; units named after a person take the full name."""
        return "Thành phố Hồ Chí Minh" if self.name == "Hồ Chí Minh" else self.name

    @property
    def committee(self) -> str:
        return "Thành ủy" if self.is_city else "Tỉnh ủy"


@dataclass(frozen=True)
class Commune:
    code: int
    name: str            # "Mũi Né"
    kind: str            # xa | phuong | dac_khu
    kind_word: str       # "phường"
    province: Province
    codename: str        # "phuong-mui-ne" (unique in its province)

    @property
    def full(self) -> str:
        """"phường Mũi Né": the name after UBND or Đảng ủy."""
        return f"{self.kind_word} {self.name}"

    @property
    def place(self) -> str:
        """Địa danh: "Mũi Né"; a name that starts with a number keeps its kind ("Phường 1 Bảo Lộc")."""
        return self.full[:1].upper() + self.full[1:] if self.name[:1].isdigit() else self.name


@lru_cache(maxsize=1)
def library_version() -> tuple[str, str]:
    import vietnam_provinces as vp
    return vp.__version__, getattr(vp, "__data_version__", "")


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    from vietnam_provinces import Province as P, VietNamDivisionType as T
    out = []
    for p in P.iter_all():
        city = p.division_type == T.THANH_PHO_TRUNG_UONG
        name = re.sub(r"^Thành phố\s+", "", p.name) if city else p.name
        out.append(Province(int(p.code), name, city, p.codename.replace("_", "-")))
    return tuple(sorted(out, key=lambda x: x.code))


@lru_cache(maxsize=1)
def communes() -> tuple[Commune, ...]:
    """Every commune-level unit, by province code then library order."""
    from vietnam_provinces import Ward
    by_code = {p.code: p for p in provinces()}
    out = []
    for w in Ward.iter_all():
        word = w.division_type.value
        name = w.name[len(word) + 1:] if w.name.lower().startswith(word + " ") else w.name
        out.append(Commune(int(w.code), name, KIND[word], word, by_code[int(w.province_code)],
                           w.codename.replace("_", "-")))
    return tuple(sorted(out, key=lambda c: (c.province.code, c.code)))


@lru_cache(maxsize=1)
def _slugs() -> dict[int, str]:
    """Commune code → the part of its unit ids: "phuong-mui-ne"; "xa-tan-thanh-lam-dong" when the
    codename recurs in another province; "xa-van-lang-thai-nguyen-1234" when it recurs within one
    ("Văn Lang" and "Vân Lang" share a codename).

    Computed over the national list, so a unit has the same id in a provincial
    and in the national registry."""
    everywhere = Counter(c.codename for c in communes())
    in_province = Counter((c.codename, c.province.code) for c in communes())
    out = {}
    for c in communes():
        s = c.codename
        if everywhere[s] > 1:
            s += f"-{c.province.codename}"
        if in_province[(c.codename, c.province.code)] > 1:
            s += f"-{c.code}"
        out[c.code] = s
    return out


def commune_slug(c: Commune) -> str:
    return _slugs()[c.code]


class NotFound(Exception):
    """A province name that matches nothing; carries close names (or the merged-into province) for the message."""

    def __init__(self, text: str, close: list[str], merged_into: Province | None = None, old_name: str = ""):
        self.text, self.close, self.merged_into = text, close, merged_into
        msg = f"không có tỉnh, thành phố \"{text}\" trong danh sách 34 tỉnh, thành phố từ 01/7/2025."
        if merged_into is not None:
            msg += (f" {old_name} đã hợp nhất vào {merged_into.full} (Nghị quyết 202/2025/QH15): "
                    f"dùng --tinh \"{merged_into.name}\".")
        elif close:
            msg += f" Gần giống: {', '.join(close)}."
        else:
            msg += " Các tỉnh, thành phố: " + ", ".join(p.name for p in provinces()) + "."
        super().__init__(msg)


@lru_cache(maxsize=1)
def _merged() -> dict[str, tuple[str, str]]:
    """Folded pre-2025 province name -> (its name, today's province name)."""
    data = yaml.safe_load((DATA / "don-vi" / "tinh-truoc-2025.yaml").read_text(encoding="utf-8"))
    return {fold(old): (old, new) for old, new in data.items()}


def find_province(text: str) -> Province:
    """By name with or without diacritics ("Lâm Đồng", "lam dong", "TP Hà Nội"), codename ("lam-dong") or code (68)."""
    key = fold(text)
    key = re.sub(r"^(tinh|thanh pho|tp)\s*", "", key) or key
    key = {"hcm": "ho chi minh", "sai gon": "ho chi minh", "saigon": "ho chi minh"}.get(key, key)
    for p in provinces():
        if key in (fold(p.name), fold(p.codename), str(p.code), f"{p.code:02d}"):
            return p
    if key in _merged():
        old, new = _merged()[key]
        raise NotFound(text, [], find_province(new), old)
    names = {fold(p.name): p.official for p in provinces()}
    close = [names[n] for n in difflib.get_close_matches(key, list(names), n=4, cutoff=0.6)]
    raise NotFound(text, close)


@dataclass
class Hit:
    id: str
    name: str
    province: str


def search(text: str) -> list[Hit]:
    """Provinces and communes whose name contains `text` (diacritics optional)."""
    key = fold(text)
    with_marks = unicodedata.normalize("NFC", text).lower().strip()
    exact = key != with_marks      # the user typed diacritics: honour them

    def match(name: str) -> bool:
        return (with_marks in name.lower()) if exact else (key in fold(name))
    out = [Hit(f"ubnd-{p.codename}", f"Ủy ban nhân dân {p.full}", p.official) for p in provinces()
           if match(p.name)]
    out += [Hit(f"ubnd-{commune_slug(c)}", f"Ủy ban nhân dân {c.full}", c.province.official) for c in communes()
            if match(c.full)]
    return out


# -- the template of provincial bodies and group phrases ----------------------------------------

@dataclass
class Body:
    ma: str
    ten: str
    ky_hieu: str
    ten_goi: str | None = None
    bi_danh: list[str] = field(default_factory=list)
    ky: dict | None = None


@dataclass
class Template:
    state: list[Body]                       # cơ quan chuyên môn thuộc UBND tỉnh
    party: list[Body]                       # cơ quan tham mưu, giúp việc cấp ủy tỉnh
    groups: dict[str, list[tuple[str, str | None]]]      # group -> [(phrase, condition)]
    national_groups: dict[str, list[str]]
    vague: list[str]
    source: str


_TEMPLATE_KEYS = {"co_quan_chuyen_mon", "co_quan_dang", "nhom", "ca_nuoc_nhom", "khong_chi_dinh"}
_BODY_KEYS = {"ma", "ten", "ky_hieu", "ten_goi", "bi_danh", "ky"}


def load_template(path: str | Path | None = None) -> Template:
    """The bodies and phrases of `path` (default: the packaged cap-tinh.yaml); InputError on a bad file."""
    src = load_file(path or TEMPLATE)
    d, problems = src.data, []
    if not isinstance(d, dict):
        raise InputError([src.problem((), "tệp mẫu phải là nhóm trường: co_quan_chuyen_mon, co_quan_dang, nhom")])
    for k in d:
        if k not in _TEMPLATE_KEYS:
            problems.append(src.problem((k,), f"trường không được phép \"{k}\"; các trường hợp lệ: "
                                        + ", ".join(sorted(_TEMPLATE_KEYS))))

    def bodies(key: str) -> list[Body]:
        out = []
        for i, b in enumerate(d.get(key) or []):
            where = (key, i)
            if not isinstance(b, dict) or not all(
                isinstance(b.get(x), str) and b.get(x) for x in ("ma", "ten", "ky_hieu")
            ):
                problems.append(src.problem(where, "mỗi cơ quan cần ma, ten, ky_hieu (chuỗi chữ)"))
                continue
            extra = set(b) - _BODY_KEYS
            if extra:
                problems.append(
                    src.problem(where + (sorted(extra)[0],), f'trường không được phép "{sorted(extra)[0]}"')
                )
                continue
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", b["ma"]):
                problems.append(src.problem(where + ("ma",), f"mã \"{b['ma']}\" chỉ gồm chữ thường không dấu, số và -"))
            out.append(Body(b["ma"], b["ten"], b["ky_hieu"], b.get("ten_goi"), list(b.get("bi_danh") or []),
                            b.get("ky")))
        return out

    def phrases(key: str, conditional: bool) -> dict:
        out: dict = {}
        for gid, items in (d.get(key) or {}).items():
            lst = []
            for j, it in enumerate(items or []):
                if isinstance(it, str):
                    lst.append((it, None) if conditional else it)
                elif conditional and isinstance(it, dict) and isinstance(it.get("cum_tu"), str) \
                        and it.get("khi") in ("co_dac_khu", "khong_dac_khu"):
                    lst.append((it["cum_tu"], it["khi"]))
                else:
                    problems.append(src.problem((key, gid, j), "cụm từ phải là chuỗi chữ hoặc {cum_tu: …, khi: "
                                                "co_dac_khu | khong_dac_khu}"))
            out[gid] = lst
        return out
    state, party = bodies("co_quan_chuyen_mon"), bodies("co_quan_dang")
    groups = phrases("nhom", True)
    national = phrases("ca_nuoc_nhom", False)
    for gid in ("ubnd-cap-xa", "dang-uy-cap-xa", "co-quan-chuyen-mon", "co-quan-dang", "tat-ca"):
        if gid not in groups:
            problems.append(src.problem(("nhom",), f"thiếu nhóm \"{gid}\""))
    if problems:
        raise InputError(problems)
    return Template(state, party, groups, national, [str(x) for x in d.get("khong_chi_dinh") or []], src.file)


# -- building a registry ------------------------------------------------------------------------

@dataclass
class Generated:
    """A registry ready to be written: the YAML head's content and the CSV rows."""

    title: str
    groups: dict[str, list[str]]
    vague: list[str]
    rows: list[dict]                 # one dict per unit, keys as CSV_COLUMNS (ky as a dict)
    provinces: list[Province]

    def count(self, kind: str | None = None, cap: str = "xa", regime: str = "nha_nuoc") -> int:
        return sum(1 for r in self.rows if r.get("cap") == cap and r["the_thuc"] == regime
                   and (kind is None or r.get("loai") == kind))


def _fill(text: str, p: Province, national: bool) -> str:
    return text.format(cap=p.full if national else p.kind_word, tinh=p.full, ten_tinh=p.name,
                       uy=f"{p.committee} {p.name}" if national else p.committee)


def build(chosen: list[Province], template: Template | None = None, national: bool = False) -> Generated:
    """The units and groups of the given provinces.

    In a provincial registry group ids and phrases are the plain ones ("UBND
    các xã, phường, đặc khu"). In the national one those plain phrases name
    the group across all provinces, and each province has its own groups
    ("ubnd-cap-xa-lam-dong": "UBND các xã, phường, đặc khu tỉnh Lâm Đồng").
    """
    t = template or load_template()
    groups: dict[str, list[str]] = {}
    rows: list[dict] = []
    by_province: dict[int, list[Commune]] = {}
    for c in communes():
        by_province.setdefault(c.province.code, []).append(c)
    if national:
        for group_id, phrases in t.national_groups.items():
            groups[group_id] = list(phrases)
        for commune_group in ("ubnd-cap-xa", "dang-uy-cap-xa"):
            groups[commune_group] = [ph for ph, cond in t.groups[commune_group] if cond is None and "{" not in ph
                           and ph != "các địa phương"]
    for p in chosen:
        mine = by_province.get(p.code, [])
        has_sez = any(c.kind == "dac_khu" for c in mine)
        sfx = f"-{p.codename}" if national else ""

        def gid(name: str, sfx: str = sfx) -> str:
            return name + sfx

        for g, items in t.groups.items():
            phrases = []
            # a phrase made for this kind of province ("UBND các xã, phường" without đặc khu) goes first
            for ph, cond in sorted(items, key=lambda it: it[1] is None):
                if cond == "co_dac_khu" and not has_sez or cond == "khong_dac_khu" and has_sez:
                    continue
                if national:
                    ph = _fill(ph, p, True) if "{" in ph else f"{ph} {p.full}"
                else:
                    ph = _fill(ph, p, False)
                phrases.append(ph)
            # national: the first phrase per province group keeps the YAML head small (fast to load)
            groups[gid(g)] = phrases[:1] if national else phrases
        groups[gid("cap-uy-tinh")] = [f"Ban Chấp hành Đảng bộ {p.full}"]
        rows += _province_rows(p, t, national, gid)
        rows += _commune_rows(p, mine, national, gid)
    if len(chosen) == 1 and not national:
        title = f"Đơn vị {chosen[0].full} (chính quyền hai cấp, từ 01/7/2025)"
    else:
        title = "Đơn vị cả nước: 34 tỉnh, thành phố và các xã, phường, đặc khu (từ 01/7/2025)"
    return Generated(title, groups, list(t.vague), rows, list(chosen))


def _row(**kw) -> dict:
    return {k: v for k, v in kw.items() if v not in (None, "", [])}


def _province_rows(p: Province, t: Template, national: bool, gid) -> list[dict]:
    uid = p.codename
    ubnd = f"ubnd-{uid}"
    tinh_uy = f"tinh-uy-{uid}"
    generic = not national      # "UBND tỉnh" names one unit only in a provincial registry
    rows = [_row(id=ubnd, ten=f"Ủy ban nhân dân {p.full}", ten_dau=f"Ủy ban nhân dân\n{p.full}",
                 ten_goi=f"Ủy ban nhân dân {p.kind_word}",
                 bi_danh=[f"UBND {p.full}"] + ([f"UBND {p.kind_word}"] if generic else []),
                 ky_hieu="UBND", cap="tinh", tinh=p.official, dia_danh=p.place, the_thuc="nha_nuoc",
                 ky={"thay_mat": "Ủy ban nhân dân", "ky_thay": "Chủ tịch", "chuc_vu": "Phó Chủ tịch", "ho_ten": SIGNER},
                 luu=["VT"], nhom=[gid("tat-ca")] + (["ubnd-tinh"] if national else []))]
    for b in t.state:
        name = _fill(b.ten, p, False)
        rows.append(_row(
            id=f"{b.ma}-{uid}", ten=f"{name} {p.full}" if not name.endswith(p.kind_word) else f"{name} {p.name}",
            ten_dau=name, ten_goi=_fill(b.ten_goi, p, False) if b.ten_goi else name,
            bi_danh=[_fill(x, p, False) for x in b.bi_danh] if generic else [],
            cap_tren=f"UBND {p.full}", ky_hieu=b.ky_hieu, cap="so", tinh=p.official, thuoc=ubnd, dia_danh=p.place,
            the_thuc="nha_nuoc", ky={**(b.ky or {"ky_thay": "Giám đốc", "chuc_vu": "Phó Giám đốc"}), "ho_ten": SIGNER},
            luu=["VT"], nhom=[gid("co-quan-chuyen-mon"), gid("tat-ca")]))
    rows.append(_row(id=tinh_uy, ten=f"{p.committee} {p.name}", ten_dau=f"{p.committee} {p.name}",
                     ten_goi=p.committee if generic else f"{p.committee} {p.name}",
                     bi_danh=[f"Ban Thường vụ {p.committee}"] if generic else [],
                     ky_hieu="TU", cap="tinh", tinh=p.official, dia_danh=p.place, the_thuc="dang",
                     ky={"thay_mat": "Ban Thường vụ", "chuc_vu": "Bí thư", "ho_ten": SIGNER},
                     luu=[f"Văn phòng {p.committee}"], nhom=[gid("cap-uy-tinh")] + (["tinh-uy"] if national else [])))
    for b in t.party:
        name = _fill(b.ten, p, False)
        rows.append(_row(
            id=f"{b.ma}-{uid}", ten=f"{name} {p.committee} {p.name}", ten_dau=name,
            ten_goi=_fill(b.ten_goi, p, False) if b.ten_goi and generic else f"{name} {p.committee} {p.name}",
            bi_danh=[_fill(x, p, False) for x in b.bi_danh] if generic else [],
            cap_tren=f"{p.committee} {p.name}", ky_hieu=b.ky_hieu, cap="ban", tinh=p.official, thuoc=tinh_uy,
            dia_danh=p.place, the_thuc="dang",
            ky={**(b.ky or {"ky_thay": "Trưởng ban", "chuc_vu": "Phó Trưởng ban"}), "ho_ten": SIGNER},
            luu=["Văn thư"], nhom=[gid("co-quan-dang")]))
    return rows


def _commune_rows(p: Province, mine: list[Commune], national: bool, gid) -> list[dict]:
    rows = []
    for c in mine:
        s = commune_slug(c)
        rows.append(_row(id=f"ubnd-{s}", ten=f"Ủy ban nhân dân {c.full}", ten_dau=f"Ủy ban nhân dân\n{c.full}",
                         ten_goi=f"UBND {c.full}", ky_hieu="UBND", cap="xa", loai=c.kind, tinh=p.official,
                         thuoc=f"ubnd-{p.codename}", dia_danh=c.place, the_thuc="nha_nuoc",
                         ky={"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": SIGNER}, luu=["VT"],
                         nhom=[gid("ubnd-cap-xa"), gid("tat-ca")] + (["ubnd-cap-xa"] if national else [])))
    for c in mine:
        s = commune_slug(c)
        rows.append(_row(id=f"dang-uy-{s}", ten=f"Đảng ủy {c.full}", ten_dau=f"Đảng ủy {c.full}",
                         cap_tren=f"Đảng bộ {p.full}", ky_hieu="ĐU", cap="xa", loai=c.kind, tinh=p.official,
                         thuoc=f"tinh-uy-{p.codename}", dia_danh=c.place, the_thuc="dang",
                         ky={"thay_mat": "Ban Thường vụ", "chuc_vu": "Bí thư", "ho_ten": SIGNER}, luu=["Văn thư"],
                         nhom=[gid("dang-uy-cap-xa")] + (["dang-uy-cap-xa"] if national else [])))
    return rows


# -- signers from a CSV -------------------------------------------------------------------------

_PREFIXES = [("TUQ.", "thua_uy_quyen"), ("TM.", "thay_mat"), ("T/M", "thay_mat"), ("KT.", "ky_thay"),
             ("K/T", "ky_thay"), ("TL.", "thua_lenh"), ("T/L", "thua_lenh")]


def _header_key(name: str) -> str:
    return fold(name).replace(" ", "_")


def _authority(text: str) -> tuple[dict, str | None]:
    """"TM. Ủy ban nhân dân; KT. Chủ tịch" → {thay_mat: …, ky_thay: …}; (…, error) when a part has no prefix."""
    out: dict = {}
    for part in [x.strip() for x in re.split(r"[;\n]", text) if x.strip()]:
        for pre, key in _PREFIXES:
            if part.upper().startswith(pre):
                body = part[len(pre):].strip()
                if not body:
                    return out, f"\"{part}\" thiếu tên sau {pre}"
                out[key] = body[:1].upper() + body[1:].lower() if body.isupper() else body
                break
        else:
            return out, (f"không hiểu quyền hạn \"{part}\" (dùng TM., KT., TL., TUQ. hoặc T/M, K/T, T/L; "
                         "nhiều phần cách nhau bằng ;)")
    return out, None


def apply_signers(gen: Generated, path: Path) -> int:
    """Fill signers from a CSV (columns: id or ten, quyen_han, chuc_vu, ho_ten); returns rows applied.

    Every problem is reported with its line; nothing is applied if any row is wrong."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            [Problem(name, 1, 1, "", "tệp CSV không phải mã UTF-8 (hãy lưu lại với mã hóa UTF-8)")]
        ) from None
    text = unicodedata.normalize("NFC", text)
    first = text.split("\n", 1)[0]
    # Excel with Vietnamese regional settings saves CSV with ";" (the comma is the decimal mark)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [_header_key(h) for h in next(reader)]
    except StopIteration:
        raise InputError([Problem(name, 1, 1, "", "tệp CSV rỗng")]) from None
    aliases = {"ten_don_vi": "ten", "don_vi": "ten", "ma": "id", "ma_don_vi": "id", "quyen": "quyen_han",
               "ho_va_ten": "ho_ten"}
    header = [aliases.get(h, h) for h in header]
    problems: list[Problem] = []
    if "id" not in header and "ten" not in header:
        raise InputError([Problem(name, 1, 1, "", "cần cột id hoặc ten (tên đơn vị)")])
    for col in ("chuc_vu", "ho_ten"):
        if col not in header:
            problems.append(Problem(name, 1, 1, "", f"thiếu cột {col}"))
    if problems:
        raise InputError(problems)
    by_id = {r["id"]: r for r in gen.rows}
    from .registry import norm
    by_name: dict[str, list[dict]] = {}          # exact names (case, "UBND" = "Ủy ban nhân dân" aside)
    folded: dict[str, dict] = {}                 # without diacritics: only for suggestions
    for r in gen.rows:
        for n in {norm(x) for x in (r["ten"], r.get("ten_goi") or r["ten"], *r.get("bi_danh", []))}:
            by_name.setdefault(n, []).append(r)
            folded.setdefault(fold(n), r)
    updates = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        row = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
        uid, uname = row.get("id", ""), row.get("ten", "")
        if uid:
            unit = by_id.get(uid)
            if unit is None:
                close = difflib.get_close_matches(uid, list(by_id), n=3)
                problems.append(Problem(name, line, 1, "id", f"không có đơn vị mã \"{uid}\" trong danh mục"
                                        + (f" (gần giống: {', '.join(close)})" if close else "")))
                continue
        else:
            found = by_name.get(norm(uname), [])
            if len(found) != 1:
                if found:
                    msg = (f"tên \"{uname}\" khớp {len(found)} đơn vị ("
                           + ", ".join(r["id"] for r in found[:5]) + "); hãy ghi cột id")
                else:
                    close = difflib.get_close_matches(fold(norm(uname)), list(folded), n=3)
                    msg = f"không có đơn vị tên \"{uname}\" trong danh mục" + (
                        f" (gần giống: {', '.join(dict.fromkeys(folded[c]['ten'] for c in close))})" if close else "")
                problems.append(Problem(name, line, 1, "ten", msg))
                continue
            unit = found[0]
        auth, err = _authority(row.get("quyen_han", ""))
        if err:
            problems.append(Problem(name, line, 1, "quyen_han", err))
            continue
        if not row.get("chuc_vu") or not row.get("ho_ten"):
            problems.append(Problem(name, line, 1, "chuc_vu" if not row.get("chuc_vu") else "ho_ten",
                                    "không được để trống"))
            continue
        updates.append((unit, {**auth, "chuc_vu": row["chuc_vu"], "ho_ten": row["ho_ten"]}))
    if problems:
        raise InputError(problems)
    for unit, ky in updates:
        unit["ky"] = ky
    return len(updates)


# -- writing ------------------------------------------------------------------------------------

def to_files(gen: Generated, yaml_path: Path, command: str) -> tuple[str, str, Path]:
    """(YAML text, CSV text, CSV path) of a generated registry; the CSV sits next to the YAML."""
    csv_path = yaml_path.with_suffix(".csv")
    version, data_date = library_version()
    head = {"ten": gen.title, "nhom": [{"id": g, "cum_tu": p} for g, p in gen.groups.items() if p],
            "khong_chi_dinh": gen.vague, "don_vi_csv": [csv_path.name]}
    lines = [
        yamlwrite.schema_line(yaml_path, "don-vi.schema.json"),
        f"# {gen.title}.",
        f"# Sinh bằng: {command}",
        f"# Danh sách tỉnh, xã, phường, đặc khu: gói vietnam-provinces {version} (dữ liệu {data_date}); "
        "cơ quan cấp tỉnh và cụm từ nhóm: vbtool/data/don-vi/cap-tinh.yaml.",
        f"# Các đơn vị ở {csv_path.name} (mỗi dòng một đơn vị; sửa được bằng bảng tính, giữ mã UTF-8).",
        "# Đầu văn bản UBND xã, phường, đặc khu và UBND tỉnh chỉ có tên cơ quan ban hành, không có dòng cơ quan chủ",
        "# quản: NĐ 30/2020/NĐ-CP, Phụ lục I, mục II.2.a (tên cơ quan chủ quản chỉ ghi \"nếu có\").",
        "# Họ tên người ký để [[…]]: điền bằng --ky TỆP.csv (cột id hoặc ten, quyen_han, chuc_vu, ho_ten).",
    ]
    body = yamlwrite.dump(head, width=110)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    # only the columns some unit uses: fewer cells to read on every load
    columns = [c for c in CSV_COLUMNS if any((r.get("ky") or {}).get(c[3:]) if c.startswith("ky.") else r.get(c)
                                             for r in gen.rows)]
    w.writerow(columns)
    for r in gen.rows:
        ky = r.get("ky") or {}
        out = []
        for col in columns:
            if col.startswith("ky."):
                v = ky.get(col[3:], "")
            else:
                v = r.get(col, "")
            if isinstance(v, list):
                v = ";".join(v)
            out.append(str(v).replace("\n", "\\n"))
        w.writerow(out)
    return "\n".join(lines) + "\n" + body, buf.getvalue(), csv_path
