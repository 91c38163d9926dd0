"""YAML mistakes a clerk actually makes: a targeted Vietnamese hint at the line of the mistake.

Each row edits the hand-written sample, runs `vbtool validate` and asserts the line
reported (the line of the mistake, not where the parser gave up) and the hint.
"""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from samples import STATE
from vbtool.cli import main
from vbtool.model import parse_date


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def validate(tmp_path, text: str) -> tuple[int, str]:
    src = tmp_path / "vb.yaml"
    src.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(src)])
    assert "Traceback" not in res.output
    return res.exit_code, res.output


MISTAKES = [
    # (what, old, new, line of the mistake (needle), hint)
    ("tab", "  ten: Sở Tư pháp", "\tten: Sở Tư pháp", "ten: Sở Tư pháp",
     "có ký tự Tab ở dòng {line}, cột 1: YAML chỉ nhận dấu cách"),
    ("unclosed double quote", "dia_danh: Bình Thuận", 'dia_danh: "Bình Thuận', "dia_danh:",
     "dấu nháy kép \" mở ở dòng {line} chưa được đóng"),
    ("unclosed single quote", "dia_danh: Bình Thuận", "dia_danh: 'Bình Thuận", "dia_danh:",
     "dấu nháy đơn ' mở ở dòng {line} chưa được đóng"),
    ("sentence with ': ' taken as a field", "          - Nâng cao nhận thức pháp luật.",
     "          - Mục tiêu: nâng cao nhận thức pháp luật.", "Mục tiêu:",
     "câu văn có dấu \": \" nên YAML tưởng \"Mục tiêu\" là tên trường; hãy đặt cả câu trong dấu nháy kép"),
    ("sentence with two ': '", "dia_danh: Bình Thuận", "dia_danh: Bình Thuận: tỉnh", "dia_danh:",
     "dấu hai chấm không đúng chỗ: câu văn có \": \" nên YAML tưởng là tên trường; hãy đặt cả câu trong dấu nháy "
     "kép: dia_danh: \"Bình Thuận: tỉnh\""),
    ("value starting with [", "dia_danh: Bình Thuận", "dia_danh: [Bình] Thuận", "dia_danh:",
     "giá trị bắt đầu bằng \"[\" bị YAML hiểu là danh sách; nếu đây là chữ, hãy đặt cả giá trị trong dấu nháy kép"),
    ("value starting with {", "dia_danh: Bình Thuận", "dia_danh: {Bình} Thuận", "dia_danh:",
     "giá trị bắt đầu bằng \"{\" bị YAML hiểu là nhóm trường"),
    ("value starting with *", "dia_danh: Bình Thuận", "dia_danh: *Bình Thuận", "dia_danh:",
     "giá trị bắt đầu bằng \"*\" bị YAML hiểu là bí danh YAML"),
    ("value starting with &", "dia_danh: Bình Thuận", "dia_danh: &Bình Thuận", "dia_danh:",
     "giá trị bắt đầu bằng \"&\" bị YAML hiểu là neo YAML"),
    ("dash glued to a list item", "          - Nâng cao nhận thức pháp luật.", "          -Các thôn, khu phố.",
     "-Các thôn", "có dấu \"-\" dính liền chữ (\"-Các thôn, khu phố.\"): sau dấu \"-\" phải có một dấu cách"),
    ("dash glued on a continuation line", "          - Nâng cao nhận thức pháp luật.",
     "          - Nâng cao nhận thức pháp luật\n            -Các thôn, khu phố.", "-Các thôn",
     "có dấu \"-\" dính liền chữ"),
    ("date in another form", "ngay: 2024-02-05", "ngay: 05.02.2024", "ngay:",
     "giá trị \"05.02.2024\" không đúng dạng; các dạng được nhận: 2026-01-15, 15/01/2026, \"ngày 15 tháng 01 năm "
     "2026\", hoặc chỉ năm (2026)"),
]


@pytest.mark.parametrize("what,old,new,needle,hint", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_mistake_hint_at_its_line(tmp_path, what, old, new, needle, hint):
    assert old in STATE
    bad = STATE.replace(old, new, 1)
    code, out = validate(tmp_path, bad)
    assert code == 1, out
    line = line_of(bad, needle)
    hit = [ln for ln in out.splitlines() if hint.replace("{line}", str(line)) in ln]
    assert hit, out
    assert hit[0].startswith(f"{tmp_path / 'vb.yaml'}:{line}:"), (hit[0], line)


def test_place_in_the_documents_own_words(tmp_path):
    bad = STATE.replace("        chu_tri: [Sở Tư pháp]", "        chu_tri: 5")
    code, out = validate(tmp_path, bad)
    assert code == 1
    assert f"vb.yaml:{line_of(bad, 'chu_tri: 5')}:" in out
    assert "noi_dung[1].noi_dung[0].chu_tri: phải là danh sách hoặc chuỗi chữ" in out
    assert out.rstrip().endswith("[ở Mục II › nhiệm vụ 1 › chu_tri]")


def test_place_counts_sections_and_tasks_like_the_numbering(tmp_path):
    bad = STATE.replace("              - muc: Cán bộ\n                noi_dung:\n                  - Cán bộ, công chức.",
                        "              - muc: Cán bộ\n                noi_dung:\n                  - {doan: 5}")
    code, out = validate(tmp_path, bad)
    assert code == 1
    assert "[ở Mục I › Mục 1 › Mục 1.1 › Mục a › đoạn 1 › doan]" in out, out


@pytest.mark.parametrize("text", ["ngày 15 tháng 01 năm 2026", "Ngày 15 tháng 1 năm 2026", "15/01/2026",
                                  "2026-01-15"])
def test_accepted_date_forms(tmp_path, text):
    assert (parse_date(text).nam, parse_date(text).thang, parse_date(text).ngay) == (2026, 1, 15)
    good = STATE.replace("ngay: 2024-02-05", f"ngay: {text}")
    code, out = validate(tmp_path, good)
    assert code == 0, out


def test_real_date_checked_in_words_form(tmp_path):
    code, out = validate(tmp_path, STATE.replace("ngay: 2024-02-05", "ngay: ngày 31 tháng 02 năm 2026"))
    assert code == 1 and "ngày 31/02/2026 không có thật" in out


def test_a_real_flow_list_is_not_mistaken(tmp_path):
    code, out = validate(tmp_path, STATE)
    assert code == 0, out
    assert "luu: [VT, PBGDPL]" in STATE
