"""Regime profiles: the layout rules of NĐ 30 or HD 36, read from data files.

A profile is a YAML file in ``data/profiles/``; every size, text and prefix that
differs between regimes lives there with its source (``nguon``). Code asks the
profile ("what size is the tên loại?") and never hard-codes an answer, so that
new rules (the 2026 Party rules, say) are one more file, not code.

Each file is validated once against ``profile.schema.json`` (unknown keys are
errors, every key the code reads is required) and loaded into the frozen
dataclasses below. A profile says which regime it serves (``the_thuc``) and
from which date it applies (``ap_dung_tu``): a document gets the profile of its
regime in force on its date, unless it pins one by name (``ho_so``).

The section classes keep the YAML key names as field names (Vietnamese, as in
the files) and allow read access by key too (``spec["co_chu"]``,
``spec.get("dam")``, ``{**spec}``), so code can read a section like the file it
comes from; the values are immutable either way.
"""
from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Optional

from . import DATA
from .loader import InputError, load_file
from .ooxml import RunProps
from .schema import validate

PROFILE_DIR = DATA / "profiles"

Range = tuple[float, float]


class _Record:
    """Read access by YAML key for the frozen section classes.

    A field left out of the file (``None``) reads as absent: ``key in spec`` is
    false and ``spec[key]`` raises KeyError, as it would on the YAML mapping.
    """

    def __getitem__(self, key: str):
        value = getattr(self, key, None) if key in self._names() else None
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default=None):
        value = getattr(self, key, None) if key in self._names() else None
        return default if value is None else value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def keys(self) -> list[str]:
        return [n for n in self._names() if getattr(self, n) is not None]

    def values(self) -> list:
        return [getattr(self, n) for n in self.keys()]

    def items(self) -> list[tuple[str, object]]:
        return [(n, getattr(self, n)) for n in self.keys()]

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]


_frozen = dataclass(frozen=True, kw_only=True)


@_frozen
class Margins(_Record):
    tren: float
    duoi: float
    trai: float
    phai: float


@_frozen
class MarginRanges(_Record):
    tren: Range
    duoi: Range
    trai: Range
    phai: Range


@_frozen
class Page(_Record):
    nguon: str
    kho_giay_mm: tuple[float, float]
    le_mm: Margins
    le_khoang_mm: MarginRanges
    khoang_dau_trang_mm: float


@_frozen
class FontFamily(_Record):
    nguon: str
    ten: str


@_frozen
class HeaderGrid(_Record):
    nguon: str
    cot_trai_mm: float
    cot_phai_mm: float


@_frozen
class TitleLine(_Record):
    chu: str
    co_chu: float
    khoang: Range
    dam: bool = False
    nghieng: bool = False


@_frozen
class Title(_Record):
    nguon: str
    dong: tuple[TitleLine, ...]
    duong_ke_mm: float


@_frozen
class Mark(_Record):
    """What sits under an element: a rule line, a text mark ("*", "-----"), or nothing."""

    kieu: str                         # duong_ke | chu | khong
    do_dai_mm: Optional[float] = None
    chu: Optional[str] = None


@_frozen
class Element(_Record):
    """A text element of the document: its size (emitted and allowed range) and style."""

    nguon: str
    co_chu: float
    khoang: Range
    dam: bool = False
    nghieng: bool = False
    gach_chan: bool = False
    in_hoa: bool = False


@_frozen
class Issuer(Element):
    duoi: Mark


@_frozen
class NumberLine(Element):
    mau: str                          # "Số: {so}/{loai}-{co_quan}"
    so_trong: str                     # the blank number of a draft
    mau_khong_loai: Optional[str] = None   # a kind without type code (state công văn): "Số: {so}/{co_quan}"


@_frozen
class KindName(Element):
    khoang_truoc: float = 12


@_frozen
class Subject(Element):
    chu_dau: str                      # hoa | thuong: the first letter
    duoi: Mark


@_frozen
class Addressee(_Record):
    nguon: str
    nhan: str
    co_chu: float
    le_trai_mm: float
    trong_bao_cao: bool               # a báo cáo drafted by report-from gets a Kính gửi line to fill


@_frozen
class Body(Element):
    thut_dau_dong_mm: float
    khoang_truoc: float
    khoang_sau: float
    gian_dong_pt: float
    ket_thuc: str
    gian_dong_khoang_dong: Range      # allowed line spacing, in single lines (checked)
    cach_doan_toi_thieu: float        # minimum space between paragraphs, pt (checked)


@_frozen
class HeadingLevel(_Record):
    dam: bool = False
    nghieng: bool = False
    in_hoa: bool = False


@_frozen
class Headings(_Record):
    nguon: str
    danh_so: tuple[str, ...]
    cap: tuple[HeadingLevel, ...]


@_frozen
class TaskField(_Record):
    truong: str
    nhan: str


@_frozen
class TaskDisplay(_Record):
    nguon: str
    dau_dong: str
    truong: tuple[TaskField, ...]


@_frozen
class Prefixes(_Record):
    thay_mat: str
    ky_thay: str
    thua_lenh: str
    thua_uy_quyen: Optional[str] = None
    quyen: Optional[str] = None


@_frozen
class SignatureBlock(Element):
    tien_to: Prefixes
    quyen_han_dam: bool
    chuc_vu_dam: bool
    ho_ten_dam: bool
    dong_trong: int
    cot_trai_phan_tram: float


@_frozen
class Recipients(_Record):
    nguon: str
    nhan: str
    nhan_co_chu: float
    nhan_dam: bool = False
    nhan_nghieng: bool = False
    nhan_gach_chan: bool = False
    co_chu: float
    ket_muc: str
    luu_mau: str                      # "Lưu: {ds}."
    luu_dau: str                      # first archive entry ("VT"), or ""
    luu_mac_dinh: str                 # archive entry of a generated draft
    nhu_tren: str
    nhu_tren_tu_dong: tuple[str, ...]


@_frozen
class Footnotes(_Record):
    nguon: str
    co_chu: float
    khoang: Range


@_frozen
class Appendix(_Record):
    nguon: str
    tieu_de: str
    danh_so: str                      # la_ma | a_rap
    tieu_de_co_chu: float
    ten_co_chu: float
    kem_theo_mau: str
    kem_theo_co_chu: float
    kem_theo_ngay: str                # dai: "ngày 05 tháng 02 năm 2024" | ngan: "05/02/2024"
    so_khi_mot: bool
    duoi: Mark
    bang_co_chu: float


@_frozen
class AnnexColumn(_Record):
    nhan: str
    noi_dung: str                     # nhiem_vu, chu_tri, phoi_hop, thoi_gian, san_pham
    rong_mm: Optional[float] = None   # None: the column takes the rest of the page


@_frozen
class TaskAnnex(_Record):
    nguon: str
    tieu_de: str
    cot_stt: AnnexColumn
    cot: tuple[AnnexColumn, ...]


@_frozen
class Citation(_Record):
    nguon: str
    mau: str


# ---- elements of the kinds other than Kế hoạch and Báo cáo (data/kinds); a profile may lack them,
# and a document of a kind that needs one is then refused with a message naming it (parts.py)

@_frozen
class Authority(Element):
    """tham_quyen: the authority issuing a decision."""

    vi_tri: str                       # rieng_dong | cung_dong_quyet_dinh
    khoang_truoc: Optional[float] = None
    khoang_sau: Optional[float] = None


@_frozen
class Bases(Element):
    """can_cu: the "Căn cứ …;" lines and "Theo đề nghị của …" of a decision."""

    dau_dong: str
    ket_dong: str
    ket_de_nghi: str
    ket_cuoi: str


@_frozen
class Decides(Element):
    """quyet_dinh: the "QUYẾT ĐỊNH:" line before the articles."""

    chu: str
    khoang_truoc: Optional[float] = None
    khoang_sau: Optional[float] = None


@_frozen
class ArticleLabel(_Record):
    """dieu: the label of an article ("Điều {so}.")."""

    nguon: str
    nhan: str
    dam: bool = True


@_frozen
class LetterSubject(Element):
    """trich_yeu_cong_van: the "V/v …" line under the number of a công văn."""

    tien_to: str
    chu_dau: Optional[str] = None     # thuong: the subject after the prefix starts in lower case
    khoang_truoc: Optional[float] = None


@_frozen
class Attachments(_Record):
    """kem_theo: the documents attached to a tờ trình."""

    nguon: str
    nhan: str
    nghieng: bool = False


@_frozen
class IssuedWith(Element):
    """ban_hanh_kem: "(Ban hành kèm theo Quyết định số …)" under the trích yếu of an issued document."""

    mau: str


@_frozen
class Profile(_Record):
    """One profile file, validated and typed."""

    ten: str
    the_thuc: str
    ap_dung_tu: dt.date
    mo_ta: str = ""
    trang: Page
    phong_chu: FontFamily
    bang_dau: HeaderGrid
    tieu_de: Title
    co_quan_cap_tren: Element
    co_quan_ban_hanh: Issuer
    so_ky_hieu: NumberLine
    dia_danh_ngay: Element
    ten_loai: KindName
    trich_yeu: Subject
    kinh_gui: Addressee
    than_van_ban: Body
    muc: Headings
    nhiem_vu: TaskDisplay
    chu_ky: SignatureBlock
    noi_nhan: Recipients
    so_trang: Element
    chu_thich: Footnotes
    phu_luc: Appendix
    phu_luc_nhiem_vu: TaskAnnex
    trich_dan: Citation
    tham_quyen: Optional[Authority] = None
    can_cu: Optional[Bases] = None
    quyet_dinh: Optional[Decides] = None
    dieu: Optional[ArticleLabel] = None
    trich_yeu_cong_van: Optional[LetterSubject] = None
    kem_theo: Optional[Attachments] = None
    ban_hanh_kem: Optional[IssuedWith] = None

    @property
    def name(self) -> str:
        return self.ten

    @property
    def regime(self) -> str:
        return self.the_thuc

    @property
    def font_name(self) -> str:
        return self.phong_chu.ten

    def font(self, element: str, **override) -> RunProps:
        """The run font of an element such as "ten_loai" or "so_ky_hieu"."""
        e = self[element]
        f = RunProps(self.font_name, e["co_chu"], bold=e.get("dam", False), italic=e.get("nghieng", False),
                 underline=e.get("gach_chan", False))
        return f.but(**override) if override else f

    @property
    def text_width_mm(self) -> float:
        page = self.trang
        return page.kho_giay_mm[0] - page.le_mm.trai - page.le_mm.phai

    @property
    def landscape_width_mm(self) -> float:
        page = self.trang
        return page.kho_giay_mm[1] - page.le_mm.trai - page.le_mm.phai


# ---------------------------------------------------------------- building


def _build(tp, value):
    """A value of the file as the annotated type: dataclasses, tuples, dates, numbers."""
    origin = typing.get_origin(tp)
    if origin is typing.Union:                               # Optional[X]
        inner = [a for a in typing.get_args(tp) if a is not type(None)][0]
        return None if value is None else _build(inner, value)
    if origin is tuple:
        args = typing.get_args(tp)
        item = args[0]
        return tuple(_build(item, v) for v in value)
    if isinstance(tp, type) and issubclass(tp, _Record):
        hints = typing.get_type_hints(tp)
        known = {f.name for f in fields(tp)}               # type: ignore[arg-type]
        return tp(**{k: _build(hints[k], v) for k, v in value.items() if k in known})
    if tp is dt.date:
        return dt.date.fromisoformat(str(value))
    return value                      # numbers keep their YAML type: 14 stays 14, as written


def from_data(data: dict) -> Profile:
    """A Profile from schema-valid data."""
    return _build(Profile, data)


# ---------------------------------------------------------------- loading

def _paths() -> list[Path]:
    return sorted(PROFILE_DIR.glob("*.yaml"))


def available() -> list[str]:
    """Names of the profile files, sorted."""
    return [p.stem for p in _paths()]


@lru_cache(maxsize=None)
def load(name: str) -> Profile:
    """The profile of that file name; KeyError when there is none, InputError when it is invalid."""
    path = PROFILE_DIR / f"{name}.yaml"
    if not re.fullmatch(r"[\w.-]+", name) or not path.is_file():
        raise KeyError(name)
    src = load_file(path)
    problems = validate(src, "profile.schema.json")
    if not problems:
        data = src.data
        if data["ten"] != name:
            problems.append(src.problem(("ten",), f"tên hồ sơ \"{data['ten']}\" phải trùng tên tệp \"{name}\""))
        try:
            dt.date.fromisoformat(str(data["ap_dung_tu"]))
        except ValueError:
            problems.append(src.problem(("ap_dung_tu",), f"ngày \"{data['ap_dung_tu']}\" phải có dạng 2020-03-05"))
    if problems:
        raise InputError(problems)
    return from_data(src.data)


def all_profiles() -> list[Profile]:
    """Every profile file, loaded (each once); raises InputError on the first invalid one."""
    return [load(name) for name in available()]


def regimes() -> list[str]:
    """The regimes the profiles serve ("dang", "nha_nuoc"), sorted."""
    return sorted({p.regime for p in all_profiles()})


def of_regime(regime: str) -> list[Profile]:
    """The profiles of a regime, oldest first."""
    return sorted((p for p in all_profiles() if p.regime == regime), key=lambda p: (p.ap_dung_tu, p.name))


def for_date(regime: str, on: Optional[dt.date] = None) -> Profile:
    """The profile of a regime in force on a date: the latest whose ``ap_dung_tu`` is not after it.

    Without a date, the newest profile. A date before every profile gets the
    oldest one. KeyError when no profile serves the regime.
    """
    found = of_regime(regime)
    if not found:
        raise KeyError(regime)
    if on is None:
        return found[-1]
    applicable = [p for p in found if p.ap_dung_tu <= on]
    return applicable[-1] if applicable else found[0]


def choose(regime: str, on: Optional[dt.date] = None, pinned: Optional[str] = None) -> Profile:
    """The profile a document uses: the pinned one (``ho_so``) or its regime's on its date."""
    return load(pinned) if pinned else for_date(regime, on)


def reset() -> None:
    """Forget loaded profiles (after PROFILE_DIR changed, in tests)."""
    load.cache_clear()



def for_regime(regime: str, name: Optional[str] = None) -> Profile:
    """The named profile, or the newest of the regime (callers that know no date)."""
    return choose(regime, None, name)
