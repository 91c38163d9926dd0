"""Regime profiles: the layout rules of NĐ 30 or HD 36, read from data files.

A profile is a YAML file in ``data/profiles/``; every size, text and prefix that
differs between regimes lives there with its source. Code asks the profile
("what size is the tên loại?") and never hard-codes an answer, so that the
2026 Party rules can be added as one more file.
"""
from __future__ import annotations

from functools import lru_cache

from . import DATA
from .loader import InputError, load_file
from .oxml import Font
from .schema import validate

PROFILE_DIR = DATA / "profiles"
DEFAULT = {"nha_nuoc": "nd30-2020", "dang": "hd36-2018"}


class Profile:
    """Read-only view of one profile file."""

    def __init__(self, name: str, data: dict):
        self.name = name
        self.data = data
        self.font_name = data["phong_chu"]["ten"]

    def __getitem__(self, key: str) -> dict:
        return self.data[key]

    @property
    def regime(self) -> str:
        return self.data["the_thuc"]

    def font(self, element: str, **override) -> Font:
        """The run font of an element such as "ten_loai" or "so_ky_hieu"."""
        e = self.data[element]
        f = Font(self.font_name, e["co_chu"], bold=e.get("dam", False), italic=e.get("nghieng", False),
                 underline=e.get("gach_chan", False))
        return f.but(**override) if override else f

    @property
    def text_width_mm(self) -> float:
        page = self.data["trang"]
        return page["kho_giay_mm"][0] - page["le_mm"]["trai"] - page["le_mm"]["phai"]

    @property
    def landscape_width_mm(self) -> float:
        page = self.data["trang"]
        return page["kho_giay_mm"][1] - page["le_mm"]["trai"] - page["le_mm"]["phai"]


def available() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


@lru_cache(maxsize=None)
def load(name: str) -> Profile:
    path = PROFILE_DIR / f"{name}.yaml"
    if not path.is_file():
        raise KeyError(name)
    src = load_file(path)
    problems = validate(src, "profile.schema.json")
    if problems:
        raise InputError(problems)
    return Profile(name, src.data)


def for_regime(regime: str, name: str | None = None) -> Profile:
    return load(name or DEFAULT[regime])
