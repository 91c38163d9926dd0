"""Bad input: a Vietnamese message naming file, line and field; exit 1; no output."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from samples import PARTY, STATE
from vbtool.cli import main


def run(args, cwd: Path):
    runner = CliRunner()
    import os
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def render_bad(tmp_path: Path, text: str | bytes):
    src = tmp_path / "vb.yaml"
    if isinstance(text, bytes):
        src.write_bytes(text)
    else:
        src.write_text(text, encoding="utf-8")
    out = tmp_path / "out" / "vb.docx"
    result = run(["render", str(src), "-o", str(out)], tmp_path)
    assert result.exit_code == 1, result.output
    assert not (tmp_path / "out").exists()          # nothing written, not even a temp file
    assert "Traceback" not in result.output
    return result.output


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_yaml_syntax_error(tmp_path):
    bad = STATE.replace("dia_danh: Bình Thuận", "dia_danh: Bình Thuận: x")
    out = render_bad(tmp_path, bad)
    assert f"vb.yaml:{line_of(bad, 'dia_danh')}:" in out
    assert "lỗi cú pháp YAML" in out and "dấu hai chấm" in out


def test_wrong_type(tmp_path):
    bad = STATE.replace("so: 5", "so: năm")
    out = render_bad(tmp_path, bad)
    assert f"vb.yaml:{line_of(bad, 'so: năm')}:1: so: phải là số nguyên hoặc để trống, không phải chuỗi chữ" in out


def test_missing_required_field(tmp_path):
    bad = STATE.replace("trich_yeu: triển khai công tác phổ biến pháp luật năm 2024\n", "")
    out = render_bad(tmp_path, bad)
    assert "vb.yaml:1:1: thiếu trường bắt buộc \"trich_yeu\"" in out


def test_unknown_key_with_suggestion(tmp_path):
    bad = STATE.replace("noi_nhan:", "noi_nhann:")
    out = render_bad(tmp_path, bad)
    ln = line_of(bad, "noi_nhann")
    assert f"vb.yaml:{ln}:1: noi_nhann: trường không được phép \"noi_nhann\" (có phải ý bạn là \"noi_nhan\"?)" in out


def test_unknown_nested_key_points_at_its_line(tmp_path):
    bad = STATE.replace("        chu_tri: [Sở Tư pháp]", "        chu_tr: [Sở Tư pháp]")
    out = render_bad(tmp_path, bad)
    ln = line_of(bad, "chu_tr:")
    assert f"vb.yaml:{ln}:9: noi_dung[1].noi_dung[0].chu_tr: trường không được phép" in out
    assert "có phải ý bạn là \"chu_tri\"" in out


@pytest.mark.parametrize("date,msg", [("2024-02-31", "ngày 31/02/2024 không có thật"),
                                      ("31/02/2023", "ngày 31/02/2023 không có thật"),
                                      ("5-2-2024", "không đúng dạng")])
def test_impossible_date(tmp_path, date, msg):
    bad = STATE.replace("ngay: 2024-02-05", f"ngay: \"{date}\"")
    out = render_bad(tmp_path, bad)
    assert f"vb.yaml:{line_of(bad, 'ngay:')}:1: ngay:" in out and msg in out


def test_control_characters(tmp_path):
    bad = STATE.replace("dia_danh: Bình Thuận", 'dia_danh: "Bình\\x07 Thuận"')
    out = render_bad(tmp_path, bad)
    assert f"vb.yaml:{line_of(bad, 'dia_danh')}:1: dia_danh: có ký tự điều khiển U+0007" in out


def test_huge_file(tmp_path):
    big = STATE + "# " + "x" * (50 * 1024 * 1024) + "\n"
    out = render_bad(tmp_path, big)
    assert "tệp quá lớn" in out


def test_alias_bomb(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi"))
    out = render_bad(tmp_path, bomb)
    assert "bí danh YAML" in out


def test_duplicate_key(tmp_path):
    bad = STATE.replace("so: 5", "so: 5\nso: 6")
    out = render_bad(tmp_path, bad)
    assert f"vb.yaml:{line_of(bad, 'so: 6')}:1: so: trường bị khai báo hai lần" in out


def test_not_utf8(tmp_path):
    out = render_bad(tmp_path, STATE.encode("cp1258", errors="replace"))
    assert "không phải mã UTF-8" in out


def test_tuq_refused_in_party_document(tmp_path):
    bad = PARTY.replace("ky_thay: Trưởng ban", "thua_uy_quyen: Trưởng ban")
    out = render_bad(tmp_path, bad)
    assert "ky.thua_uy_quyen: thể thức hd36-2018 không có hình thức ký này" in out


def test_node_with_two_kinds(tmp_path):
    bad = STATE.replace("      - nhiem_vu: Tổ chức hội nghị phổ biến.",
                        "      - nhiem_vu: Tổ chức hội nghị phổ biến.\n        muc: X")
    out = render_bad(tmp_path, bad)
    assert "noi_dung[1].noi_dung[0]: mỗi phần tử nội dung phải có đúng một trong các trường" in out


def test_validate_reports_every_problem_one_per_line(tmp_path):
    bad = STATE.replace("so: 5", "so: -1").replace("loai: ke_hoach", "loai: ke_hoachh")
    src = tmp_path / "vb.yaml"
    src.write_text(bad, encoding="utf-8")
    result = run(["validate", str(src)], tmp_path)
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.startswith(str(src))]
    assert len(lines) == 2
    assert lines[0].startswith(f"{src}:1:1: loai: giá trị \"ke_hoachh\" không hợp lệ")
    assert "so: phải lớn hơn hoặc bằng 1" in lines[1]


def test_render_never_overwrites_its_source(tmp_path):
    src = tmp_path / "vb.docx"
    src.write_text(STATE, encoding="utf-8")
    result = run(["render", str(src), "-o", str(src)], tmp_path)
    assert result.exit_code == 1
    assert src.read_text(encoding="utf-8") == STATE


def test_failed_render_keeps_previous_output(tmp_path):
    src = tmp_path / "vb.yaml"
    out = tmp_path / "vb.docx"
    out.write_bytes(b"previous")
    src.write_text(STATE.replace("so: 5", "so: x"), encoding="utf-8")
    result = run(["render", str(src), "-o", str(out)], tmp_path)
    assert result.exit_code == 1
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vb.docx", "vb.yaml"]   # no temp file left


def test_unit_name_split_by_a_flow_list_comma(tmp_path):
    bad = STATE.replace("chu_tri: [Sở Tư pháp]", "chu_tri: [Sở Tư pháp (Phòng PBGDPL, Phòng HCTP)]")
    out = render_bad(tmp_path, bad)
    assert f"vb.yaml:{line_of(bad, 'chu_tri')}:" in out
    assert "chu_tri[0]: tên đơn vị \"Sở Tư pháp (Phòng PBGDPL\" thiếu dấu ngoặc" in out


def test_recipient_group_split_by_a_flow_list_comma(tmp_path):
    bad = STATE.replace("nhom: [Thường trực Tỉnh ủy, Thường trực HĐND tỉnh]",
                        "nhom: [Ban Dân vận TW (HN, T78), Thường trực Tỉnh ủy]")
    out = render_bad(tmp_path, bad)
    assert "noi_nhan[1].nhom[0]: tên đơn vị \"Ban Dân vận TW (HN\" thiếu dấu ngoặc" in out


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path):
    src = tmp_path / "vb.yaml"
    src.write_text(STATE, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(["render", str(src), "-o", str(blocker / "sub" / "vb.docx")], tmp_path)
    assert result.exit_code == 1
    assert "không đọc/ghi được tệp" in result.output and "Traceback" not in result.output


def test_raw_control_character_names_its_line(tmp_path):
    bad = STATE.replace("dia_danh: Bình Thuận", "dia_danh: Bình\x0bThuận")
    out = render_bad(tmp_path, bad)
    assert f"vb.yaml:{line_of(bad, 'dia_danh')}:15: có ký tự điều khiển U+000B" in out


def test_click_messages_are_vietnamese(tmp_path):
    r = run(["render"], tmp_path)
    assert r.exit_code == 2 and "Lỗi: Thiếu đối số 'TỆP'." in r.output and "Missing" not in r.output
    r = run(["new", "ke-hoach", "--the-thuc", "dang2"], tmp_path)
    assert "không thuộc các giá trị: 'nha-nuoc', 'dang'" in r.output
    r = run(["--help"], tmp_path)
    assert "Hiện hướng dẫn này rồi thoát." in r.output and "Show this message" not in r.output


def test_written_files_follow_the_umask(tmp_path):
    import os
    src = tmp_path / "vb.yaml"
    src.write_text(STATE, encoding="utf-8")
    old = os.umask(0o022)
    try:
        assert run(["render", str(src), "-o", str(tmp_path / "vb.docx")], tmp_path).exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "vb.docx").stat().st_mode & 0o777 == 0o644
