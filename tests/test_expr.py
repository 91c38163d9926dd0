"""Expressions in YAML text: gate, strict names, and bounds."""
import pytest

from vbtool.expr import ExprError, expand

CTX = {"so_lieu": {"dat": 1487, "tong": 1611, "ten": "abc"}, "don_vi": None}


@pytest.mark.parametrize("text,expected", [
    ("{{ ty_le(so_lieu.dat, so_lieu.tong) }}", "92,3%"),
    ("{{ phan_so(so_lieu.dat, so_lieu.tong) }}", "1.487/1.611"),
    ("{{ 2024 | so_chu }}", "hai nghìn không trăm hai mươi tư"),
    ("{{ 3 | so_dem }} kỳ thi", "03 kỳ thi"),
    ("{{ x }} và {% if %}", "{{ x }} và {% if %}"),        # not vbtool names: printed literally
])
def test_expressions(text, expected):
    assert expand(text, CTX) == expected


@pytest.mark.parametrize("text,message", [
    ("{{ so_lieu.khong_co | so }}", "không có trường này (khong_co)"),
    ("{{ ty_le(so_lieu.khong_co, 5) }}", "không có trường này (khong_co)"),
    ("{{ ty_le(1, 0) }}", "mẫu số bằng 0"),
    ('{{ "abc" | so_chu }}', "không phải là số: 'abc'"),
    ("{{ so_lieu.ten | so_chu }}", "không phải là số: 'abc'"),
    ("{{ 1 ~ 'x' * 100000000 }}", "lặp chuỗi quá nhiều lần"),
    ("{{ 2 ** 100000 }}", "số mũ quá lớn"),
    ("{{ don_vi.ten }}", "chỉ dùng khi dựng hàng loạt"),
])
def test_expression_errors_are_vietnamese(text, message):
    with pytest.raises(ExprError) as e:
        expand(text, CTX)
    assert message in str(e.value)
