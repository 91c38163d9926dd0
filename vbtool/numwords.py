"""Vietnamese number words and number formatting for administrative documents.

Written by hand rather than with ``num2words`` so that the reading rules
expected on Vietnamese financial documents ("không trăm" for inner groups,
"linh"/"lẻ", "mốt", "lăm", "tư") are fixed by this project's tests, not by an
upstream release, and without an extra dependency for ~150 lines of rules.

Conventions (documented because they are choices, not facts):

* Integers are read in groups of three digits; a non-leading group that is
  non-zero is always read in full ("một nghìn không trăm linh năm"), all-zero
  groups are skipped, and "tỷ" repeats above 10^9 ("một nghìn tỷ", "một triệu
  tỷ").
* The fractional part is read "as written": leading zeros one by one ("không"),
  then the rest as a number when it has at most three digits ("98,23" ->
  "chín mươi tám phẩy hai mươi ba", "2,05" -> "hai phẩy không năm"), digit by
  digit when longer ("3,14159" -> "ba phẩy một bốn một năm chín"), since a
  reading like "mười bốn nghìn..." after "phẩy" is never used.
* A float is taken through ``Decimal(str(x))`` so 1.5 stays 1.5; an integral
  float (2.0) is treated as the integer, because its ".0" is an artefact of
  float repr, not a digit someone wrote.  ``Decimal`` keeps its digits exactly.
* Formatting uses "." for thousands and "," for decimals; rounding is half-up.

All functions raise ``ValueError`` with a Vietnamese message on anything that
is not an int, float or Decimal (``str``, ``bool`` and ``None`` included), so a
template error surfaces as a readable message rather than wrong text.
"""

from decimal import Decimal
from fractions import Fraction
import math

__all__ = ["so_thanh_chu", "number_to_words", "so_tien_bang_chu", "so_thu_tu",
           "dinh_dang_so", "ty_le", "phan_so", "so_dem", "BO_LOC"]

_CHU_SO = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _so_hoa(x):
    """Validate ``x`` and return it as a Decimal (floats via their repr).

    bool is rejected explicitly: it is an int subclass, but ``True`` in a
    document is always a data error, never the number one.
    """
    if isinstance(x, bool) or not isinstance(x, (int, float, Decimal)):
        raise ValueError(f"không phải là số: {x!r}")
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ValueError(f"không phải là số hữu hạn: {x!r}")
        return Decimal(int(x)) if x.is_integer() else Decimal(str(x))
    if not x.is_finite():
        raise ValueError(f"không phải là số hữu hạn: {x!r}")
    return x


def _so_nguyen(x, ten="giá trị"):
    """Return ``x`` as an int, refusing fractions (counts and ranks are whole)."""
    d = _so_hoa(x)
    if d != d.to_integral_value():
        raise ValueError(f"{ten} phải là số nguyên: {x!r}")
    return int(d)


def _doc_nhom(n, day_du, linh, tu):
    """Words for 0 < n < 1000; ``day_du`` forces "không trăm" (inner groups)."""
    tram, chuc, dv = n // 100, n // 10 % 10, n % 10
    ra = [_CHU_SO[tram], "trăm"] if (tram or day_du) else []
    if chuc == 0:
        if dv:
            ra += [linh, _CHU_SO[dv]] if ra else [_CHU_SO[dv]]
        return ra
    if chuc == 1:
        ra.append("mười")
    else:
        ra += [_CHU_SO[chuc], "mươi"]
    if dv == 5:
        ra.append("lăm")
    elif dv == 1 and chuc >= 2:
        ra.append("mốt")
    elif dv == 4 and chuc >= 2 and tu:
        ra.append("tư")
    elif dv:
        ra.append(_CHU_SO[dv])
    return ra


def _doc_nguyen(n, dau, linh, tu, nghin):
    """Words for n > 0; ``dau`` says whether n starts the whole number.

    Numbers are split at 10^9 recursively, so the part above a billion is read
    as a number of its own followed by "tỷ" ("một triệu một nghìn tỷ").
    """
    ty, du = divmod(n, 10**9)
    ra = _doc_nguyen(ty, dau, linh, tu, nghin) + ["tỷ"] if ty else []
    dau = dau and not ty
    for bac, ten in ((10**6, "triệu"), (10**3, nghin), (1, "")):
        nhom = du // bac % 1000
        if nhom:
            ra += _doc_nhom(nhom, not dau, linh, tu) + ([ten] if ten else [])
            dau = False
    return ra


def so_thanh_chu(n, *, linh="linh", tu=True, nghin="nghìn", viet_hoa=False):
    """Read a number in Vietnamese words (Northern style by default).

    ``linh="lẻ"``, ``nghin="ngàn"`` and ``tu=False`` ("bốn" instead of "tư")
    give the Southern/alternative readings.
    """
    d = _so_hoa(n)
    chuoi = format(abs(d), "f")
    nguyen, _, le = chuoi.partition(".")
    ra = ["âm"] if d < 0 else []
    so = int(nguyen)
    ra += _doc_nguyen(so, True, linh, tu, nghin) if so else ["không"]
    if le:
        ra.append("phẩy")
        rut = le.lstrip("0")
        ra += ["không"] * (len(le) - len(rut))
        if len(rut) > 3:
            ra += [_CHU_SO[int(c)] for c in rut]
        elif rut:
            ra += _doc_nguyen(int(rut), True, linh, tu, nghin)
    chu = " ".join(ra)
    return chu[0].upper() + chu[1:] if viet_hoa else chu


number_to_words = so_thanh_chu


def so_tien_bang_chu(n, don_vi="đồng", **kw):
    """Amount in words as written on financial documents: capitalised + unit."""
    kw.setdefault("viet_hoa", True)
    chu = so_thanh_chu(n, **kw)
    return f"{chu} {don_vi}" if don_vi else chu


def so_thu_tu(n):
    """Ordinal ("thứ nhất", "thứ tư"); only 1 and 4 have irregular forms."""
    n = _so_nguyen(n, "số thứ tự")
    if n < 1:
        raise ValueError(f"số thứ tự phải lớn hơn 0: {n}")
    return {1: "thứ nhất", 4: "thứ tư"}.get(n) or "thứ " + so_thanh_chu(n)


def _lam_tron(d, chu_so):
    """Round half-up (away from zero), not banker's rounding as in round()."""
    if chu_so < 0:
        raise ValueError(f"số chữ số thập phân không được âm: {chu_so}")
    q = Fraction(d) * 10**chu_so
    r = math.floor(abs(q) + Fraction(1, 2))
    return Decimal(-r if q < 0 else r).scaleb(-chu_so)


def dinh_dang_so(x, chu_so_thap_phan=None):
    """Format with "." thousands and "," decimals ("5.648.145", "98,23")."""
    d = _so_hoa(x)
    if chu_so_thap_phan is not None:
        d = _lam_tron(d, _so_nguyen(chu_so_thap_phan, "số chữ số thập phân"))
    nguyen, _, le = format(abs(d), "f").partition(".")
    nhom = f"{int(nguyen):,}".replace(",", ".")
    dau = "-" if d < 0 else ""  # -0.001 rounded to 0,00 must not read "-0,00"
    return dau + nhom + ("," + le if le else "")


def ty_le(tu_so, mau_so, chu_so_thap_phan=1, phan_tram=True):
    """Ratio, as a percentage by default: ty_le(1487, 1611) -> "92,3%"."""
    a, b = _so_hoa(tu_so), _so_hoa(mau_so)
    if b == 0:
        raise ValueError(f"mẫu số bằng 0, không tính được tỷ lệ {tu_so}/{mau_so}")
    q = Fraction(a) / Fraction(b) * (100 if phan_tram else 1)
    k = _so_nguyen(chu_so_thap_phan, "số chữ số thập phân")
    so = dinh_dang_so(_lam_tron(q, k))
    return so + "%" if phan_tram else so


def phan_so(a, b):
    """"a/b" with Vietnamese thousands separators ("1.487/1.611")."""
    return f"{dinh_dang_so(a)}/{dinh_dang_so(b)}"


def so_dem(n, do_rong=2):
    """Zero-padded count ("03"), as used for "có 03 nội dung"."""
    n = _so_nguyen(n, "số đếm")
    if n < 0:
        raise ValueError(f"số đếm không được âm: {n}")
    return str(n).zfill(_so_nguyen(do_rong, "độ rộng"))


BO_LOC = {"so_chu": so_thanh_chu, "tien_chu": so_tien_bang_chu,
          "thu_tu": so_thu_tu, "so": dinh_dang_so, "ty_le": ty_le,
          "phan_so": phan_so, "so_dem": so_dem}
