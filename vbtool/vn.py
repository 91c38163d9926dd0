"""Vietnamese formatting helpers: dates, số và ký hiệu, numbering, NFC.

Every function here is pure and takes the regime's conventions as arguments
(from the profile), so the same code serves NĐ 30 (state) and HD 36 (Party).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

BLANK_DAY = " " * 6  # what a văn thư fills in by hand; plain spaces: LibreOffice widens NBSP runs


def nfc(text: str) -> str:
    """Normalise to NFC: TCVN 6909:2001 text is precomposed Unicode."""
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Ngay:
    """A document date; day and month may be left blank in a draft."""

    nam: int
    thang: int | None = None
    ngay: int | None = None

    @property
    def is_blank(self) -> bool:
        return self.ngay is None

    def latest_day(self) -> "dt.date":
        """The date, or the last day it may still be when day or month is blank (a draft is
        issued later, so it takes the rules in force at the end of its period)."""
        import calendar
        month = self.thang or 12
        return dt.date(self.nam, month, self.ngay or calendar.monthrange(self.nam, month)[1])


def pad_day(day: int) -> str:
    """Days 1–9 get a leading zero (NĐ 30 Phụ lục I, ô 4)."""
    return f"{day:02d}"


def pad_month(month: int) -> str:
    """Months 1 and 2 get a leading zero, 3–12 do not (NĐ 30 Phụ lục I, ô 4).

    The zero keeps "tháng 01" from being altered into "tháng 11" by hand.
    """
    return f"{month:02d}" if month < 3 else str(month)


def date_line(place: str, d: Ngay) -> str:
    """`Bình Thuận, ngày 05 tháng 10 năm 2023`, or with blanks in a draft."""
    if d.ngay is None or d.thang is None:
        return f"{place}, ngày{BLANK_DAY}tháng{BLANK_DAY}năm {d.nam}"
    return f"{place}, ngày {pad_day(d.ngay)} tháng {pad_month(d.thang)} năm {d.nam}"


def short_date(d: Ngay) -> str:
    """Citation form `30/3/2023`, `09/11/2022`: day padded, month padded below 10.

    Real citations pad the day always and the month when below 10
    (`05/12/2022`, `28/01/2022`, `30/3/2023`): the seeds write 30/3/2023 but
    28/01/2022, i.e. the same leading-zero rule as the date line.
    """
    if d.ngay is None or d.thang is None:
        return f"{BLANK_DAY}/{BLANK_DAY}/{d.nam}"
    return f"{pad_day(d.ngay)}/{pad_month(d.thang)}/{d.nam}"


def so_ky_hieu(pattern: str, so: int | None, loai: str, co_quan: str, blank: str) -> str:
    """Compose the number line from the profile's pattern.

    `pattern` uses {so}, {loai}, {co_quan}: state `Số: {so}/{loai}-{co_quan}`,
    Party `Số {so}-{loai}/{co_quan}`. Numbers below 10 get a leading zero in
    both regimes; a draft leaves the number blank for the văn thư.
    """
    number = blank if so is None else f"{so:02d}"
    return pattern.format(so=number, loai=loai, co_quan=co_quan)


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    if not 0 < n < 4000:
        raise ValueError(f"không viết được số La Mã cho {n}")
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


# Vietnamese alphabet order for điểm: a, b, c, d, đ, e … (NĐ 30 Phụ lục I §II.6).
VN_LETTERS = "abcdđeghiklmnopqrstuvxy"


def letter(n: int) -> str:
    if not 0 < n <= len(VN_LETTERS):
        raise ValueError(f"quá nhiều điểm (tối đa {len(VN_LETTERS)})")
    return VN_LETTERS[n - 1]


def number_label(styles: list[str], path: list[int]) -> str:
    """The numbering label of the item at `path` (1-based numbers per level).

    Styles per level: `I.` `I-` (Roman), `1.` `1-` (Arabic), `1.1.` (dotted
    path from the first Arabic level down), `a)` `a-` (Vietnamese letters),
    `-` and `+` (bullets).
    """
    style, n = styles[len(path) - 1], path[-1]
    if style in ("-", "+"):
        return style
    if style.startswith("I"):
        return roman(n) + style[1:]
    if style.startswith("a"):
        return letter(n) + style[1:]
    if style == "1.1.":
        first = next((i for i, s in enumerate(styles) if s[0] == "1"), 0)
        return ".".join(str(x) for x in path[first:]) + "."
    if style.startswith("1"):
        return str(n) + style[1:]
    raise ValueError(f"kiểu đánh số không hợp lệ: {style!r}")


def join_units(units: list[str]) -> str:
    """Join a list of units as prose.

    Group phrases contain commas ("UBND các huyện, thị xã, thành phố"), so a
    comma-joined list would be ambiguous: use "; " whenever any item has one.
    """
    sep = "; " if any("," in u for u in units) else ", "
    return sep.join(units)


def strip_marks(text: str) -> str:
    """Text without Vietnamese diacritics, case kept: "Lâm Đồng" → "Lam Dong" (đ/Đ included)."""
    base = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in base if not unicodedata.combining(c))


def upper_vn(text: str) -> str:
    """Upper-case that keeps NFC (str.upper is correct for Vietnamese)."""
    return nfc(text.upper())


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def number_code(pattern: str, so: int | None, loai: str, co_quan: str, blank: str) -> str:
    """The số ký hiệu without its "Số:"/"Số" label, as cited in running text:
    `12/KH-UBND` (state), `98-KH/BDVTU` (Party)."""
    return so_ky_hieu(pattern.split(" ", 1)[1], so, loai, co_quan, blank).strip()
