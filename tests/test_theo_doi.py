"""`vbtool theo-doi`: the tracking workbook, and `report-from --ket-qua` reading it back."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLES
from vbtool.cli import main
from vbtool.document import load_document
from vbtool.report import reportable_tasks

PLAN = EXAMPLES / "200-kh-ubnd-chuyen-doi-so-2024.yaml"
REGISTRY = EXAMPLES.parent / "don-vi" / "binh-thuan.yaml"
HEADER = ["STT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Sản phẩm", "Tiến độ", "Kết quả", "Số liệu",
          "Ghi chú"]
DISTRICTS = ["UBND thành phố Phan Thiết", "UBND thị xã La Gi", "UBND huyện Tuy Phong", "UBND huyện Bắc Bình",
             "UBND huyện Hàm Thuận Bắc", "UBND huyện Hàm Thuận Nam", "UBND huyện Hàm Tân", "UBND huyện Đức Linh",
             "UBND huyện Tánh Linh", "UBND huyện Phú Quý"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("td") / "theo-doi.xlsx"
    res = run("theo-doi", PLAN, "--danh-muc", REGISTRY, "-o", out)
    assert res.exit_code == 0, res.output
    return res, out


def sheet_rows(path):
    ws = openpyxl.load_workbook(path)["Theo dõi"]
    return ws, [[c.value for c in row] for row in ws.iter_rows(min_row=4)]


def test_one_row_per_task_and_lead_unit_groups_expanded(book):
    res, out = book
    ws, rows = sheet_rows(out)
    # 1.1: the department and the ten districts (group "UBND các huyện, thị xã, thành phố")
    assert [r[2] for r in rows if r[0] == "1.1"] == ["Sở Thông tin và Truyền thông", *DISTRICTS]
    assert [r[2] for r in rows if r[0] == "2.1"] == ["Văn phòng UBND tỉnh", *DISTRICTS]
    assert [r[2] for r in rows if r[0] == "2.3"] == ["Sở Thông tin và Truyền thông"]
    assert [r[2] for r in rows if r[0] == "1 mục IV"] == [None]          # no unit named: one row, blank
    assert len(rows) == 11 + 10 + 11 + 10 + 1 + 10 + 1 + 1 == 55
    assert "Đã tạo" in res.output and "(55 dòng cho 8 nhiệm vụ)" in res.output
    r = next(r for r in rows if r[0] == "1.2")
    assert r[1].startswith("Tổ chức tập huấn kỹ năng số cho cán bộ") and r[3] == "Sở Thông tin và Truyền thông"
    assert r[4:7] == ["Quý II, quý III năm 2024.", "Các lớp tập huấn kỹ năng số.", "Chưa thực hiện"]
    # without a registry: one row per task, the plan's wording
    plain = out.parent / "mot-dong.xlsx"
    assert run("theo-doi", PLAN, "-o", plain).exit_code == 0
    _, rows = sheet_rows(plain)
    plan = load_document(PLAN)
    assert [r[0] for r in rows] == [num for _, _, num in reportable_tasks(plan)]
    assert rows[0][2] == "Sở Thông tin và Truyền thông; UBND các huyện, thị xã, thành phố"


def test_layout_for_screen_and_print(book):
    _, out = book
    ws = openpyxl.load_workbook(out)["Theo dõi"]
    assert ws["A1"].value == "BẢNG THEO DÕI THỰC HIỆN KẾ HOẠCH"
    assert ws["A2"].value == ("(Kèm theo Kế hoạch số 85/KH-UBND ngày 15/3/2024 của Ủy ban nhân dân tỉnh về chuyển "
                              "đổi số tỉnh Bình Thuận năm 2024)")
    assert [c.value for c in ws[3]] == HEADER and all(c.font.b for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:J58"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9   # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    dv = next(d for d in ws.data_validations.dataValidation if d.type == "list")
    assert dv.formula1 == '"Chưa thực hiện,Đang thực hiện,Hoàn thành,Quá hạn"' and str(dv.sqref) == "G4:G58"
    assert dv.showErrorMessage
    assert ws["B4"].alignment.wrap_text and ws["H4"].alignment.wrap_text and ws["B4"].font.name == "Times New Roman"
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFGHIJ"}
    assert widths["B"] == max(widths.values()) and widths["H"] > widths["C"] and sum(widths.values()) <= 180
    # a row is tall enough for its longest cell: ~1.2 characters per width unit, 15.5 pt a line
    lines = -(-len(ws["B4"].value) // (int(widths["B"] * 1.2) - 1))
    assert ws.row_dimensions[4].height >= lines * 15.5
    assert openpyxl.load_workbook(out)["vbtool"].sheet_state == "veryHidden"


def fill(src, dst, edit):
    wb = openpyxl.load_workbook(src)
    edit(wb["Theo dõi"])
    wb.save(dst)


def test_round_trip_two_rows_back_into_report_from(book, tmp_path):
    _, out = book
    filled = tmp_path / "da-ghi.xlsx"

    def edit(ws):
        ws["G5"], ws["H5"], ws["I5"] = "Hoàn thành", "Đăng 186 tin, bài.\nMở chuyên mục trên cổng.", \
            "tin_bai: 186\nchuyen_muc: 1"
        ws["H6"], ws["I6"] = "Đăng 94 tin, bài.", "tin_bai: 94; luot_xem: 12.500"
        ws["H15"], ws["I15"] = "Mở 5 lớp tập huấn.", "lop_tap_huan = 5"
    fill(out, filled, edit)
    report = tmp_path / "bc.yaml"
    res = run("report-from", PLAN, "--ket-qua", filled, "-o", report, "--nam", 2024)
    assert res.exit_code == 0, res.output
    assert "2 nhiệm vụ đã có kết quả từ" in res.output and "4 số liệu" in res.output
    d = yaml.safe_load(report.read_text(encoding="utf-8"))
    assert d["so_lieu"] == {"chi_tieu_2": 100, "chi_tieu_3": 50, "chi_tieu_4": 2, "chi_tieu_5": 5000,
                            "tin_bai": 280, "chuyen_muc": 1, "luot_xem": 12500, "lop_tap_huan": 5}
    entries = {e["nhiem_vu"].split(":*")[0]: e for s in d["noi_dung"] if s["muc"] == "Kết quả thực hiện các nhiệm vụ"
               for g in s["noi_dung"] for e in g["noi_dung"]}
    assert entries["*Nhiệm vụ 1.1"]["ket_qua"] == ["*UBND thành phố Phan Thiết:* Đăng 186 tin, bài.",
                                                   "Mở chuyên mục trên cổng.", "*UBND thị xã La Gi:* Đăng 94 tin, bài."]
    assert entries["*Nhiệm vụ 1.2"]["ket_qua"] == "*UBND thành phố Phan Thiết:* Mở 5 lớp tập huấn."   # row 15
    assert entries["*Nhiệm vụ 2.1"]["ket_qua"].startswith("[[Kết quả thực hiện nhiệm vụ 2.1")
    assert run("validate", report).exit_code == 0


def _refused(book, tmp_path, edit, *needles):
    _, out = book
    bad = tmp_path / "sai.xlsx"
    fill(out, bad, edit)
    report = tmp_path / "bc.yaml"
    res = run("report-from", PLAN, "--ket-qua", bad, "-o", report)
    assert res.exit_code == 1, res.output
    for n in needles:
        assert n in res.output, res.output
    assert not report.exists()
    return res


def test_a_deleted_row_is_named(book, tmp_path):
    _refused(book, tmp_path, lambda ws: ws.delete_rows(8),
             f"{tmp_path / 'sai.xlsx'}: trang \"Theo dõi\": thiếu dòng của nhiệm vụ 1.1 (UBND huyện Bắc Bình), theo "
             "Kế hoạch là dòng 8 (dòng đã bị xóa?)")


def test_a_reordered_row_is_named(book, tmp_path):
    def swap(ws):
        a, b = [c.value for c in ws[6]], [c.value for c in ws[7]]
        for i, (x, y) in enumerate(zip(a, b), 1):
            ws.cell(6, i, y)
            ws.cell(7, i, x)
    res = _refused(book, tmp_path, swap, "dòng 6: các dòng đã bị sắp xếp lại: dòng 6 là nhiệm vụ 1.1 (UBND huyện Tuy "
                   "Phong) nhưng theo thứ tự Kế hoạch phải là nhiệm vụ 1.1 (UBND thị xã La Gi)")
    assert res.output.count("sắp xếp lại") == 1                   # one message, not one per row after


def test_edited_cells_are_named(book, tmp_path):
    def edit(ws):
        ws["B10"] = ws["B10"].value.replace("Tuyên truyền", "Tuyên truyền, phổ biến")
        ws["C20"] = "Sở Nội vụ"
        ws["A30"] = "9.9"
    _refused(book, tmp_path, edit, "dòng 10: nội dung nhiệm vụ 1.1 đã bị sửa, khác với Kế hoạch",
             "dòng 20: chủ trì \"Sở Nội vụ\" không phải đơn vị được giao nhiệm vụ 1.2",
             "dòng 30: cột STT \"9.9\" đã bị sửa (nội dung là nhiệm vụ 2.1 của Kế hoạch)")


def test_bad_figures_are_named_with_row_and_column(book, tmp_path):
    def edit(ws):
        ws["I5"] = "Số hội nghị: 12"
        ws["I6"] = "ty_le: 85%"
        ws["I7"] = "tin_bai: nhiều"
    _refused(book, tmp_path, edit,
             "dòng 5, cột Số liệu: tên số liệu \"Số hội nghị\" phải viết chữ thường không dấu",
             "dòng 6, cột Số liệu: \"ty_le: 85%\": không ghi tỷ lệ phần trăm; hãy ghi tử số và mẫu số",
             "dòng 7, cột Số liệu: \"tin_bai: nhiều\": giá trị \"nhiều\" không phải là số")


def test_workbook_of_another_plan_is_refused(tmp_path):
    other = tmp_path / "khac.xlsx"
    assert run("theo-doi", EXAMPLES / "001-kh-ubnd-nq27.yaml", "-o", other).exit_code == 0
    res = run("report-from", PLAN, "--ket-qua", other, "-o", tmp_path / "bc.yaml")
    assert res.exit_code == 1
    assert "bảng theo dõi này lập cho Kế hoạch 12/KH-UBND, không phải Kế hoạch số 85/KH-UBND" in res.output


def _zip(path, parts: dict[str, bytes], blank_mb: int = 0):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        if blank_mb:                                   # streamed: the test itself must not hold it in memory
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                for _ in range(blank_mb):
                    f.write(b" " * (1024 * 1024))


def test_hostile_or_wrong_files_are_refused_before_parsing(tmp_path):
    bomb = tmp_path / "bom.xlsx"
    _zip(bomb, {"xl/workbook.xml": b"<workbook/>"}, blank_mb=80)
    assert bomb.stat().st_size < 1_000_000                      # 80 MB inside a file of a few hundred KB
    ratio = tmp_path / "ty-le.xlsx"                             # small in total, but 1000× compressed
    _zip(ratio, {"xl/workbook.xml": b"<workbook/>", "xl/sharedStrings.xml": b" " * (5 * 1024 * 1024)})
    entities = tmp_path / "dtd.xlsx"
    _zip(entities, {"xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook>&a;'
                                       b"</workbook>"})
    not_zip = tmp_path / "cu.xlsx"
    not_zip.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)        # an old .xls renamed
    huge = tmp_path / "lon.xlsx"
    huge.write_bytes(b"PK" + b"\0" * (11 * 1024 * 1024))
    cases = {bomb: "nội dung giải nén quá lớn", ratio: "thành phần xl/sharedStrings.xml nén bất thường", entities: "có khai báo DTD/ENTITY",
             not_zip: "không phải tệp Excel .xlsx", huge: "tệp quá lớn", tmp_path / "khong-co.xlsx": "không đọc được tệp"}
    for path, message in cases.items():
        res = run("report-from", PLAN, "--ket-qua", path, "-o", tmp_path / "bc.yaml")
        assert res.exit_code == 1 and f"{path}: " in res.output and message in res.output, (path, res.output)
        assert "Traceback" not in res.output and not (tmp_path / "bc.yaml").exists()


def test_too_many_rows_are_refused(book, tmp_path, monkeypatch):
    from vbtool import tracking
    monkeypatch.setattr(tracking, "MAX_ROWS", 40)
    _, out = book
    res = run("report-from", PLAN, "--ket-qua", out, "-o", tmp_path / "bc.yaml")
    assert res.exit_code == 1 and "có quá nhiều dòng (tối đa 40)" in res.output


def test_never_overwrites(book):
    _, out = book
    before = out.read_bytes()
    res = run("theo-doi", PLAN, "-o", out)
    assert res.exit_code == 1 and "không ghi đè" in res.output and out.read_bytes() == before
    res = run("theo-doi", PLAN, "-o", out.with_suffix(".xls"))
    assert res.exit_code == 1 and "phải có đuôi .xlsx" in res.output


def test_workbook_bytes_are_a_valid_zip(book):
    _, out = book
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        assert z.testzip() is None and "xl/worksheets/sheet1.xml" in z.namelist()
