"""Units' reports on plan 200 made by templating (as `batch` does): one frame, each unit's own
header, signer and figures. Used by the tests and to make the examples 201–203.

The frame is the plan's report-from draft cut to the tasks of "UBND các huyện, thị xã, thành
phố", with results written as sentences over ``so_lieu`` (what a unit writes by hand).
"""
from __future__ import annotations

import copy

from vbtool.model import Document
from vbtool.registry import Unit
from vbtool.report import SECTIONS, TARGETS_SECTION, report_data

# plan task (as the report cites it) -> its result, and the figures the sentence needs
RESULTS = {
    "1.1": ("Đăng tải {{ so_lieu.tin_bai | so }} tin, bài về chuyển đổi số trên trang thông tin điện tử và hệ "
            "thống truyền thanh cơ sở.", ("tin_bai",)),
    "1.2": ("Tổ chức {{ so_lieu.lop_tap_huan | so }} lớp tập huấn kỹ năng số cho {{ so_lieu.luot_tap_huan | so }} "
            "lượt cán bộ, công chức và người dân.", ("lop_tap_huan", "luot_tap_huan")),
    "2.1": ("Tiếp nhận {{ so_lieu.ho_so_tiep_nhan | so }} hồ sơ thủ tục hành chính, trong đó "
            "{{ so_lieu.ho_so_truc_tuyen | so }} hồ sơ trực tuyến toàn trình, đạt {{ so_lieu.ty_le_truc_tuyen }}.",
            ("ho_so_tiep_nhan", "ho_so_truc_tuyen")),
    "2.2": ("Số hóa {{ so_lieu.ho_so_so_hoa | so }} hồ sơ, kết quả giải quyết thủ tục hành chính tại bộ phận "
            "một cửa.", ("ho_so_so_hoa",)),
    "3.1": ("Kiện toàn {{ so_lieu.to_cnsc | so }} tổ công nghệ số cộng đồng với {{ so_lieu.thanh_vien_to | so }} "
            "thành viên.", ("to_cnsc", "thanh_vien_to")),
    "2 mục IV": ("Đã ban hành kế hoạch thực hiện tại địa phương; báo cáo đúng thời hạn.", ()),
}
RATIO = "{{ ty_le(so_lieu.ho_so_truc_tuyen, so_lieu.ho_so_tiep_nhan) }}"


def unit_report(plan: Document, unit: Unit, figures: dict, so: int, ngay: str, signer: str | None = None) -> dict:
    """The report of `unit` on `plan` with its `figures` (a figure left out: its sentence says so)."""
    data = report_data(plan, 2024)
    data["co_quan"] = {k: v for k, v in (("cap_tren", unit.cap_tren), ("ten", unit.ten_dau or unit.ten),
                                          ("ky_hieu", unit.ky_hieu), ("ten_goi", unit.name_in_text)) if v}
    data.update(so=so, ngay=ngay, dia_danh=unit.dia_danh, kinh_gui="Ủy ban nhân dân tỉnh")
    data["so_lieu"] = dict(figures)
    if "ho_so_truc_tuyen" in figures and "ho_so_tiep_nhan" in figures:
        data["so_lieu"]["ty_le_truc_tuyen"] = RATIO
    data["mo_dau"] = [f"Thực hiện {plan.citation()} về chuyển đổi số tỉnh Bình Thuận năm 2024, "
                      f"{unit.name_in_text} báo cáo kết quả thực hiện năm 2024 như sau:"]
    body = [s for s in data["noi_dung"] if s["muc"] != TARGETS_SECTION]
    for s in body:
        if s["muc"] == SECTIONS[1]:
            kept = []
            for group in s["noi_dung"]:
                entries = []
                for e in group["noi_dung"]:
                    num = e["nhiem_vu"].split(":*", 1)[0].removeprefix("*Nhiệm vụ ")
                    if num not in RESULTS:
                        continue
                    text, needs = RESULTS[num]
                    e = copy.deepcopy(e)
                    e["ket_qua"] = text if all(k in figures for k in needs) else \
                        "Đang triển khai; số liệu sẽ báo cáo trong kỳ sau."
                    entries.append(e)
                if entries:
                    kept.append({**group, "noi_dung": entries})
            s["noi_dung"] = kept
        elif s["muc"] == SECTIONS[0]:
            s["noi_dung"] = [f"{unit.name_in_text} đã ban hành kế hoạch triển khai và tổ chức quán triệt đến các "
                             "phòng, ban và Ủy ban nhân dân cấp xã."]
        elif s["muc"] == SECTIONS[2]:
            s["noi_dung"] = [{"muc": "Tồn tại, hạn chế", "noi_dung": [
                                 "Hạ tầng mạng ở một số thôn vùng sâu chưa ổn định."]},
                             {"muc": "Nguyên nhân", "noi_dung": ["Nguồn lực đầu tư còn hạn chế."]}]
        elif s["muc"] == SECTIONS[3]:
            s["noi_dung"] = ["Tiếp tục đẩy mạnh giải quyết hồ sơ trực tuyến toàn trình."]
        else:
            s["noi_dung"] = ["Đề nghị tỉnh hỗ trợ kinh phí nâng cấp hạ tầng mạng cho các xã vùng sâu."]
    data["noi_dung"] = body
    data["ky"] = dict(unit.ky or {"chuc_vu": "Chủ tịch", "ho_ten": "[[Họ và tên]]"})
    if signer:
        data["ky"]["ho_ten"] = signer
    data["noi_nhan"] = ["Sở Thông tin và Truyền thông", "Chủ tịch, các PCT UBND " + unit.dia_danh]
    data["luu"] = ["VT"]
    data["hien_thi_nhiem_vu"]["truong"] = [f for f in data["hien_thi_nhiem_vu"]["truong"]
                                           if f["truong"] in ("thoi_gian", "ket_qua")]
    for s in data["noi_dung"]:
        for group in s["noi_dung"] if s["muc"] == SECTIONS[1] else []:
            for e in group["noi_dung"]:
                for k in ("thuc_hien", "phoi_hop", "san_pham"):
                    e.pop(k, None)
    return data
