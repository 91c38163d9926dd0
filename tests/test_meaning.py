"""Checks of meaning in `vbtool validate` (warnings; errors with --strict) and in `derive`."""
from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLES
from vbtool.cli import main

PLAN = """\
loai: ke_hoach
the_thuc: nha_nuoc
co_quan: {cap_tren: UBND tỉnh Lâm Đồng, ten: Sở Tư pháp, ky_hieu: STP, ten_goi: Sở Tư pháp}
so: null
ngay: 2026
dia_danh: Lâm Đồng
trich_yeu: Phổ biến pháp luật năm 2026
noi_dung:
  - muc: Nhiệm vụ
    noi_dung:
      - nhiem_vu: Tổ chức hội nghị.
        chu_tri: [Sở Tư pháp]
        phoi_hop: [Sở Nội vụ]
      - nhiem_vu: Biên soạn tài liệu.
        chu_tri: [Sở Tư pháp]
ky: {ky_thay: Giám đốc, chuc_vu: Phó Giám đốc, ho_ten: Nguyễn Văn A}
noi_nhan: [UBND tỉnh]
luu: [VT]
"""


def validate(tmp_path, text, *extra):
    f = tmp_path / "x.yaml"
    f.write_text(text, encoding="utf-8")
    r = CliRunner().invoke(main, ["validate", *extra, str(f)])
    return r, f


def test_clean_plan_has_no_warning(tmp_path):
    r, f = validate(tmp_path, PLAN, "--strict")
    assert r.exit_code == 0 and r.output == f"{f}: hợp lệ\n"


def test_task_without_lead(tmp_path):
    text = PLAN.replace("        chu_tri: [Sở Tư pháp]\n        phoi_hop", "        phoi_hop")
    r, f = validate(tmp_path, text)
    assert r.exit_code == 0
    assert f"{f}:11:9: noi_dung[0].noi_dung[0]: cảnh báo: nhiệm vụ 1 chưa có đơn vị chủ trì/thực hiện" in r.output
    r, _ = validate(tmp_path, text, "--strict")
    assert r.exit_code == 1


def test_task_with_empty_lead_list(tmp_path):
    r, f = validate(tmp_path, PLAN.replace("chu_tri: [Sở Tư pháp]\n        phoi_hop", "chu_tri: []\n        phoi_hop"))
    assert f"{f}:12:9: noi_dung[0].noi_dung[0].chu_tri: cảnh báo: nhiệm vụ 1 chưa có đơn vị chủ trì/thực hiện" \
        in r.output


def test_numbered_paragraph_is_not_a_task_without_lead(tmp_path):
    """A nhiem_vu with no data among others with none (a purpose, a closing instruction) is prose."""
    text = PLAN.replace("        chu_tri: [Sở Tư pháp]\n        phoi_hop: [Sở Nội vụ]\n", "").replace(
        "        chu_tri: [Sở Tư pháp]\nky", "ky")
    r, f = validate(tmp_path, text, "--strict")
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("old, new, where, message", [
    ("ky: {ky_thay: Giám đốc, chuc_vu: Phó Giám đốc,", "ky: {thay_mat: Ủy ban nhân dân, chuc_vu: Phó Giám đốc,",
     "ky.thay_mat", "Sở Tư pháp không ký TM. ỦY BAN NHÂN DÂN"),
    ("co_quan: {cap_tren: UBND tỉnh Lâm Đồng, ten: Sở Tư pháp, ky_hieu: STP, ten_goi: Sở Tư pháp}\n"
     "so: null", "co_quan: {ten: Tỉnh ủy Lâm Đồng, ky_hieu: TU}\nso: null", "ky.ky_thay",
     "Tỉnh ủy Lâm Đồng là cơ quan Đảng nhưng văn bản theo thể thức nhà nước (ký KT.)"),
    ("the_thuc: nha_nuoc\nco_quan: {cap_tren: UBND tỉnh Lâm Đồng, ten: Sở Tư pháp, ky_hieu: STP, ten_goi: Sở Tư pháp}",
     "the_thuc: dang\nco_quan: {ten: \"Ủy ban nhân dân\\nxã Hàm Thuận\", ky_hieu: UBND}", "the_thuc",
     "Ủy ban nhân dân xã Hàm Thuận là cơ quan nhà nước nhưng văn bản theo thể thức Đảng (ký K/T)"),
])
def test_signer_must_fit_the_issuer(tmp_path, old, new, where, message):
    assert old in PLAN
    r, f = validate(tmp_path, PLAN.replace(old, new))
    assert r.exit_code == 0, r.output
    line = next(ln for ln in r.output.splitlines() if message in ln)
    assert line.startswith(f"{f}:") and f" {where}: cảnh báo: " in line
    r, _ = validate(tmp_path, PLAN.replace(old, new), "--strict")
    assert r.exit_code == 1


def test_ubnd_signing_for_another_collective(tmp_path):
    text = PLAN.replace("co_quan: {cap_tren: UBND tỉnh Lâm Đồng, ten: Sở Tư pháp, ky_hieu: STP, ten_goi: Sở Tư pháp}",
                        "co_quan: {ten: \"Ủy ban nhân dân\\nxã Hàm Thuận\", ky_hieu: UBND}").replace(
        "ky: {ky_thay: Giám đốc, chuc_vu: Phó Giám đốc,", "ky: {thay_mat: Ban Thường vụ, chuc_vu: Chủ tịch,")
    r, f = validate(tmp_path, text)
    assert f"{f}:16:6: ky.thay_mat: cảnh báo: Ủy ban nhân dân xã Hàm Thuận ký TM. ỦY BAN NHÂN DÂN" in r.output


@pytest.mark.parametrize("items, fragment, joined, col", [
    ("[Các thôn, khu phố]", "khu phố", "Các thôn, khu phố", 30),
    ("[Sở Văn hóa, Thể thao và Du lịch]", "Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch", 32),
])
def test_unit_list_split_at_a_comma(tmp_path, items, fragment, joined, col):
    r, f = validate(tmp_path, PLAN.replace("phoi_hop: [Sở Nội vụ]", f"phoi_hop: {items}"))
    assert f"{f}:13:{col}: noi_dung[0].noi_dung[0].phoi_hop[1]: cảnh báo: \"{fragment}\" có vẻ là phần sau của " \
        f"\"{joined}\" bị tách ở dấu phẩy" in r.output


@pytest.mark.parametrize("items", ['["Các thôn, khu phố"]', '[Sở Nội vụ, Sở Y tế]', '["Sở Nội vụ", "các cơ quan, đơn vị liên quan"]',
                                   "\n          - Các thôn\n          - khu phố"])
def test_unit_lists_that_are_not_split(tmp_path, items):
    r, f = validate(tmp_path, PLAN.replace("phoi_hop: [Sở Nội vụ]", f"phoi_hop: {items}"), "--strict")
    assert r.exit_code == 0, r.output


REPORT = PLAN.replace("loai: ke_hoach", "loai: bao_cao").replace(
    "trich_yeu: Phổ biến pháp luật năm 2026", "trich_yeu: Kết quả phổ biến pháp luật năm 2026\n"
    "kinh_gui: Ủy ban nhân dân tỉnh Lâm Đồng")


def test_kinh_gui_repeated_in_noi_nhan(tmp_path):
    text = REPORT.replace("noi_nhan: [UBND tỉnh]", "noi_nhan: [Như trên, Ủy ban nhân dân tỉnh Lâm Đồng, Sở Nội vụ]")
    r, f = validate(tmp_path, text)
    assert f"{f}:18:22: noi_nhan[1]: cảnh báo: \"Ủy ban nhân dân tỉnh Lâm Đồng\" đã ở Kính gửi" in r.output
    r, f = validate(tmp_path, REPORT.replace("noi_nhan: [UBND tỉnh]", "noi_nhan: [Như trên, Sở Nội vụ]"), "--strict")
    assert r.exit_code == 0, r.output


def test_kinh_gui_check_is_for_state_reports_only(tmp_path):
    text = REPORT.replace("noi_nhan: [UBND tỉnh]", "noi_nhan: [Ủy ban nhân dân tỉnh Lâm Đồng]").replace(
        "loai: bao_cao", "loai: ke_hoach").replace("kinh_gui: Ủy ban nhân dân tỉnh Lâm Đồng", "kinh_gui: X")
    r, _ = validate(tmp_path, text)
    assert "đã ở Kính gửi" not in r.output


# --- derive ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def lam_dong(tmp_path_factory):
    d = tmp_path_factory.mktemp("ld")
    r = CliRunner().invoke(main, ["don-vi", "tao", "--tinh", "Lâm Đồng", "-o", str(d / "lam-dong.yaml")])
    assert r.exit_code == 0, r.output
    return d / "lam-dong.yaml"


def derive(tmp_path, parent_text, *args):
    parent = tmp_path / "cap-tren.yaml"
    parent.write_text(parent_text, encoding="utf-8")
    r = CliRunner().invoke(main, ["derive", str(parent), *args])
    return r, parent


PARENT = """\
loai: ke_hoach
the_thuc: nha_nuoc
co_quan: {ten: "ỦY BAN NHÂN DÂN\\nTỈNH LÂM ĐỒNG", ky_hieu: UBND}
so: 15
ngay: 2026-03-02
dia_danh: Lâm Đồng
trich_yeu: Chuyển đổi số năm 2026
noi_dung:
  - muc: Nhiệm vụ
    noi_dung:
      - nhiem_vu: Số hóa hồ sơ.
        chu_tri: [Sở Khoa học và Công nghệ]
        phoi_hop: ["UBND các xã, phường, đặc khu"]
  - muc: Tổ chức thực hiện
    noi_dung:
      - "Giao UBND các xã, phường, đặc khu xây dựng kế hoạch của địa phương."
ky: {thay_mat: Ủy ban nhân dân, chuc_vu: Chủ tịch, ho_ten: Nguyễn Văn A}
noi_nhan: [Các sở, ban, ngành]
luu: [VT]
"""


def test_derive_names_the_parent_by_its_registry_name(tmp_path, lam_dong):
    out = tmp_path / "con.yaml"
    r, _ = derive(tmp_path, PARENT, "--danh-muc", str(lam_dong), "--don-vi", "ubnd-phuong-mui-ne", "-o", str(out))
    assert r.exit_code == 0, r.output
    child = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert child["mo_dau"][0].startswith("Thực hiện Kế hoạch số 15/KH-UBND ngày 02/3/2026 của Ủy ban nhân dân tỉnh "
                                         "về chuyển đổi số")
    assert "ỦY BAN NHÂN DÂN" not in out.read_text(encoding="utf-8").split("noi_dung:")[1]
    assert child["noi_nhan"][0] == {"ten": "Ủy ban nhân dân tỉnh", "ghi_chu": "báo cáo"}


def test_derive_warns_when_the_parent_is_from_another_province(tmp_path, lam_dong):
    parent = next(EXAMPLES.glob("001-*.yaml"))
    r = CliRunner().invoke(main, ["derive", str(parent), "--danh-muc", str(lam_dong), "--don-vi",
                                  "so-tu-phap-lam-dong", "-o", str(tmp_path / "c.yaml")])
    assert f"{parent}:10:3: co_quan.ten: cảnh báo: cơ quan ban hành \"Ủy ban nhân dân tỉnh Bình Thuận\" không có " \
        "trong danh mục (Đơn vị tỉnh Lâm Đồng" in r.output


def test_derive_zero_tasks_but_group_phrase_in_prose(tmp_path, lam_dong):
    text = PARENT.replace('        phoi_hop: ["UBND các xã, phường, đặc khu"]\n', "")
    r, parent = derive(tmp_path, text, "--danh-muc", str(lam_dong), "--don-vi", "ubnd-phuong-mui-ne",
                       "-o", str(tmp_path / "c.yaml"))
    assert r.exit_code == 0, r.output
    assert "(0 nhiệm vụ)" in r.output
    assert f"{parent}:15:9: noi_dung[1].noi_dung[0]: cảnh báo: không có nhiệm vụ nào giao cho UBND phường Mũi Né " \
        "qua chu_tri/thuc_hien/phoi_hop, nhưng câu văn ở đây nhắc \"ubnd các xã, phường, đặc khu\"" in r.output
    # with the task assigned through the group, no such warning
    r, _ = derive(tmp_path, PARENT, "--danh-muc", str(lam_dong), "--don-vi", "ubnd-phuong-mui-ne",
                  "-o", str(tmp_path / "c2.yaml"))
    assert "(1 nhiệm vụ)" in r.output and "câu văn ở đây nhắc" not in r.output
