"""Specification of vbtool.numwords: every expected string here is written by
hand from Vietnamese reading rules, never copied from the function's output."""

import unicodedata
from decimal import Decimal

import pytest

from vbtool.numwords import (
    BO_LOC, dinh_dang_so, number_to_words, phan_so, so_dem, so_thanh_chu,
    so_thu_tu, so_tien_bang_chu, ty_le,
)

SO_CHU = [
    (0, "không"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi tư"),
    (25, "hai mươi lăm"),
    (55, "năm mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (1000, "một nghìn"),
    (1005, "một nghìn không trăm linh năm"),
    (1010, "một nghìn không trăm mười"),
    (2024, "hai nghìn không trăm hai mươi tư"),
    (10000, "mười nghìn"),
    (15000, "mười lăm nghìn"),
    (523056, "năm trăm hai mươi ba nghìn không trăm năm mươi sáu"),
    (1000000, "một triệu"),
    (1005000, "một triệu không trăm linh năm nghìn"),
    (145001000, "một trăm bốn mươi lăm triệu không trăm linh một nghìn"),
    (150000000, "một trăm năm mươi triệu"),
    (1000000000, "một tỷ"),
    (1000000005, "một tỷ không trăm linh năm"),
    (10**12, "một nghìn tỷ"),
    (1230950880055, "một nghìn hai trăm ba mươi tỷ chín trăm năm mươi triệu "
                    "tám trăm tám mươi nghìn không trăm năm mươi lăm"),
    (10**15, "một triệu tỷ"),
    (10**18, "một tỷ tỷ"),
    (-1, "âm một"),
    (-25, "âm hai mươi lăm"),
    # decimals: leading zeros digit by digit, then the rest as a number
    (1.5, "một phẩy năm"),
    (2.05, "hai phẩy không năm"),
    (0.05, "không phẩy không năm"),
    (98.23, "chín mươi tám phẩy hai mươi ba"),
    (-0.5, "âm không phẩy năm"),
    (3.14159, "ba phẩy một bốn một năm chín"),  # > 3 digits: digit by digit
    (2.0, "hai"),  # integral float: ".0" is repr, not a written digit
    (Decimal("1.5"), "một phẩy năm"),
    (Decimal("1.50"), "một phẩy năm mươi"),  # Decimal keeps written digits
    (Decimal("150000000"), "một trăm năm mươi triệu"),
]


@pytest.mark.parametrize("n, expected", SO_CHU)
def test_so_thanh_chu(n, expected):
    assert so_thanh_chu(n) == expected
    assert number_to_words(n) == expected


@pytest.mark.parametrize("n, kw, expected", [
    (24, {"tu": False}, "hai mươi bốn"),
    (2024, {"tu": False}, "hai nghìn không trăm hai mươi bốn"),
    (14, {"tu": False}, "mười bốn"),
    (105, {"linh": "lẻ"}, "một trăm lẻ năm"),
    (1005, {"linh": "lẻ"}, "một nghìn không trăm lẻ năm"),
    (1000, {"nghin": "ngàn"}, "một ngàn"),
    (523056, {"nghin": "ngàn"},
     "năm trăm hai mươi ba ngàn không trăm năm mươi sáu"),
    (150000000, {"viet_hoa": True}, "Một trăm năm mươi triệu"),
    (-1, {"viet_hoa": True}, "Âm một"),
])
def test_so_thanh_chu_tuy_chon(n, kw, expected):
    assert so_thanh_chu(n, **kw) == expected


@pytest.mark.parametrize("n", [1, 24, 1230950880055, 98.23, -0.5])
def test_ket_qua_la_nfc(n):
    s = so_thanh_chu(n)
    assert s == unicodedata.normalize("NFC", s)


@pytest.mark.parametrize("n, kw, expected", [
    (150000000, {}, "Một trăm năm mươi triệu đồng"),
    (1005, {}, "Một nghìn không trăm linh năm đồng"),
    (2024, {"don_vi": "đô la Mỹ"}, "Hai nghìn không trăm hai mươi tư đô la Mỹ"),
    (105, {"linh": "lẻ"}, "Một trăm lẻ năm đồng"),
    (21, {"viet_hoa": False}, "hai mươi mốt đồng"),
    (1000, {"don_vi": ""}, "Một nghìn"),
])
def test_so_tien_bang_chu(n, kw, expected):
    assert so_tien_bang_chu(n, **kw) == expected


@pytest.mark.parametrize("n, expected", [
    (1, "thứ nhất"),
    (2, "thứ hai"),
    (3, "thứ ba"),
    (4, "thứ tư"),
    (10, "thứ mười"),
    (14, "thứ mười bốn"),
    (21, "thứ hai mươi mốt"),
])
def test_so_thu_tu(n, expected):
    assert so_thu_tu(n) == expected


@pytest.mark.parametrize("args, expected", [
    ((5648145,), "5.648.145"),
    ((1487,), "1.487"),
    ((-1200,), "-1.200"),
    ((0,), "0"),
    ((999,), "999"),
    ((98.23, 2), "98,23"),
    ((98.23,), "98,23"),
    ((1234.5,), "1.234,5"),
    ((1234.5, 2), "1.234,50"),
    ((2.345, 2), "2,35"),  # half-up, not banker's / not binary float error
    ((0.125, 2), "0,13"),
    ((-0.001, 2), "0,00"),  # no "-0,00"
    ((1487, 1), "1.487,0"),
    ((Decimal("1234567.891"),), "1.234.567,891"),
])
def test_dinh_dang_so(args, expected):
    assert dinh_dang_so(*args) == expected


@pytest.mark.parametrize("args, kw, expected", [
    ((1487, 1611), {}, "92,3%"),
    ((1487, 1611, 2), {}, "92,30%"),
    ((1, 16), {}, "6,3%"),  # 6,25 -> 6,3 (half-up); banker's would give 6,2
    ((-1, 16), {}, "-6,3%"),
    ((1, 8, 0), {}, "13%"),  # 12,5 -> 13
    ((0, 5), {}, "0,0%"),
    ((5, 5), {}, "100,0%"),
    ((1, 4, 2), {"phan_tram": False}, "0,25"),
])
def test_ty_le(args, kw, expected):
    assert ty_le(*args, **kw) == expected


def test_ty_le_mau_so_bang_0():
    with pytest.raises(ValueError, match="mẫu số bằng 0"):
        ty_le(3, 0)


@pytest.mark.parametrize("a, b, expected", [
    (1487, 1611, "1.487/1.611"),
    (3, 12, "3/12"),
])
def test_phan_so(a, b, expected):
    assert phan_so(a, b) == expected


@pytest.mark.parametrize("args, expected", [
    ((3,), "03"),
    ((12,), "12"),
    ((0,), "00"),
    ((123,), "123"),
    ((7, 3), "007"),
])
def test_so_dem(args, expected):
    assert so_dem(*args) == expected


KHONG_PHAI_SO = ["abc", "12", True, False, None, [1], float("nan"),
                 float("inf"), Decimal("NaN")]


@pytest.mark.parametrize("ham", [
    so_thanh_chu, so_tien_bang_chu, so_thu_tu, dinh_dang_so, so_dem,
    lambda x: ty_le(x, 3), lambda x: ty_le(3, x),
    lambda x: phan_so(x, 3), lambda x: phan_so(3, x),
])
@pytest.mark.parametrize("x", KHONG_PHAI_SO)
def test_loi_khong_phai_so(ham, x):
    with pytest.raises(ValueError, match="không phải là số"):
        ham(x)


def test_thong_bao_loi_tieng_viet():
    with pytest.raises(ValueError) as e:
        so_thanh_chu("abc")
    assert str(e.value) == "không phải là số: 'abc'"


@pytest.mark.parametrize("ham, x", [
    (so_thu_tu, 0),
    (so_thu_tu, -3),
    (so_thu_tu, 1.5),
    (so_dem, -1),
    (so_dem, 2.5),
])
def test_loi_gia_tri(ham, x):
    with pytest.raises(ValueError):
        ham(x)


def test_bo_loc():
    assert BO_LOC == {
        "so_chu": so_thanh_chu, "tien_chu": so_tien_bang_chu,
        "thu_tu": so_thu_tu, "so": dinh_dang_so, "ty_le": ty_le,
        "phan_so": phan_so, "so_dem": so_dem,
    }


def test_khong_nhap_jinja2():
    import inspect
    import vbtool.numwords as m
    assert "jinja2" not in inspect.getsource(m)
