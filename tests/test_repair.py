"""Tests for vbtool.repair: PDF-extraction damage in Vietnamese text.

Damaged inputs are taken from tests/fixtures/002_*.txt (seed 002); the
expected values are the correct Vietnamese spelling, written by hand.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from vbtool.repair import is_syllable, repair_text, strip_page_artifacts

FIXTURE = Path(__file__).parent / "fixtures" / "002_149c204966d593d6.txt"
DOT = "\u0323"  # combining dot below (dấu nặng), the mark the extractor split off

DAMAGED = [
    # 1. marks split off their vowel
    ("thư" + "c" + DOT + " hiê" + "n" + DOT, "thực hiện"),
    ("nhiê" + "m" + DOT + " vu " + DOT + " giao", "nhiệm vụ giao"),
    ("phối hơ" + "p" + DOT, "phối hợp"),
    ("vâ " + "n" + DOT + " hành", "vận hành"),
    ("hiêu" + DOT, "hiệu"),
    ("Chỉ đao" + DOT, "Chỉ đạo"),
    ("dân tô" + "c" + DOT, "dân tộc"),
    ("đươ" + "c" + DOT + " giao", "được giao"),
    ("Thường trư" + "c" + DOT, "Thường trực"),
    ("nhiêṃ vu ̣Thường trưc̣ Ban Chỉ đaọ", "nhiệm vụ Thường trực Ban Chỉ đạo"),
    ("các nhiêṃ vu ̣  đươc̣ giao", "các nhiệm vụ được giao"),
    ("phối hơp̣ vâ ṇ hành và quản lý hiêụ quả", "phối hợp vận hành và quản lý hiệu quả"),
    # 2. tone on the final glide instead of the nucleus
    ("giao taị", "giao tại"),
    ("taị", "tại"),
    ("đaọ", "đạo"),
    ("hiêụ", "hiệu"),
    ("TAỊ", "TẠI"),
    ("cuả", "của"),
    ("ngoaì", "ngoài"),
    # 3. syllables cut by a stray space
    ("các xã thuầ n, thôn", "các xã thuần, thôn"),
    ("Đ ề án 05-", "Đề án 05-"),
    ("thưc̣ hi ện", "thực hiện"),
    ("nhiệ m vụ", "nhiệm vụ"),
    ("Đảng Cộ ng sản", "Đảng Cộng sản"),
    ("hoà ng", "hoàng"),
    ("ngườ i dân", "người dân"),
    # 4. spaces
    ("Đề  án", "Đề án"),
    ("đồng bào dân tôc̣ thiểu số ;", "đồng bào dân tộc thiểu số;"),
    ("lực lượng vũ trang ; chỉ đạo", "lực lượng vũ trang; chỉ đạo"),
    ("- Ban Dân vận TW (HN, T78),  (Báo", "- Ban Dân vận TW (HN, T78), (Báo"),
    ("(xem trang 3 )", "(xem trang 3)"),
    ("Kế hoạch : như sau .", "Kế hoạch: như sau."),
    ("thưc̣ hiêṇ Đ ề án 05-\nĐA/TU", "thực hiện Đề án 05-\nĐA/TU"),
]

UNCHANGED = [
    "hoá", "hóa", "Hòa", "hoà", "quý", "thuỷ", "thủy", "khoẻ", "khỏe", "tuỳ",
    "khuya", "khuỷu", "nguyễn", "Nguyễn", "giữ", "gìn", "già", "Quốc", "huỳnh",
    "rượu", "thuở", "chủ nghĩa", "Phú Quý", "UBND", "PAR Index", "27-NQ/TW",
    "05/12/2022", "Thời gian thực hiện: Thường xuyên.", "Đặng Hồng Sỹ",
    "cho ăn", "Khu A", "số n", "thứ V (XI)", "điểm a khoản 1", "Đắk Lắk",
    "Covid-19", "(khóa XIV).  ", "  - Thụt lề", "Đ\nề án", "thuầ\nn",
]


@pytest.mark.parametrize("damaged, expected", DAMAGED)
def test_repairs_damage(damaged, expected):
    assert repair_text(damaged) == unicodedata.normalize("NFC", expected)


@pytest.mark.parametrize("text", UNCHANGED)
def test_leaves_valid_text_alone(text):
    assert repair_text(text) == text


@pytest.mark.parametrize("text", ["quả n lý", "số n", "thứ c", "thu ế", "thu ông"])
def test_does_not_join_when_unsure(text):
    # Both sides are words, or a lone consonant follows a whole word (it may be
    # a label such as "số n"): without a lexicon the join is a guess, so none.
    assert repair_text(text) == text


def test_output_is_nfc():
    out = repair_text(unicodedata.normalize("NFD", "Thực hiện Đề án"))
    assert out == unicodedata.normalize("NFC", out) == "Thực hiện Đề án"


@pytest.mark.parametrize("word, valid", [
    ("thuần", True), ("thuầ", False), ("Đ", False), ("vâ", False), ("hiện", True),
    ("quyền", True), ("khuya", True), ("gìn", True), ("thức", True), ("thừc", False),
    ("PAR", False), ("Index", False), ("ki", True), ("ci", False),
])
def test_is_syllable(word, valid):
    assert is_syllable(word) is valid


def test_strip_page_artifacts():
    lines = ["Kế hoạch", "2", "- 3 -", "Trang 4", " 12 ", "— 7 —", "Trang 4/9",
             "2024", "Điều 2", "1.", "a", "", "năm 2024"]
    assert strip_page_artifacts(lines) == ["Kế hoạch", "2024", "Điều 2", "1.", "a", "",
                                           "năm 2024"]


def test_whole_seed_002():
    raw = FIXTURE.read_text(encoding="utf-8")
    fixed = repair_text(raw)
    nfc = unicodedata.normalize("NFC", raw)
    damaged = ["thưc̣ hiêṇ", "nhiêṃ vu ̣", "taị", "thuầ n", "Đ ề án", "hi ện", "Đề  án",
               "tôc̣ thiểu số ;", "vâ ṇ hành", "hiêụ quả", "phối hơp̣", "đaọ", " ;"]
    for form in damaged:
        form = unicodedata.normalize("NFC", form)
        assert form in nfc, form  # the fixture really has it
        assert form not in fixed, form
    assert not any(unicodedata.combining(c) for c in fixed)
    assert fixed.count("\n") == raw.count("\n")
    before, after = len(raw.split()), len(fixed.split())
    assert abs(before - after) <= 0.02 * before
    for word in ["thực hiện", "nhiệm vụ", "tại Đề án", "thuần", "vận hành", "hiệu quả",
                 "phối hợp", "Chỉ đạo", "dân tộc thiểu số;"]:
        assert word in fixed, word
