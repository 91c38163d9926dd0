"""Commented YAML skeletons for `vbtool new`.

A skeleton must validate and render as it is (tested), so that a drafter
starts from something that works and the comments teach the format. Places
the drafter must fill are marked [[…]] and reported by `vbtool validate`.
"""
from __future__ import annotations

_COMMON_HEAD = """\
# yaml-language-server: $schema={schema}
# Khung {ten_loai} theo thể thức {ten_the_thuc}. Sửa các chỗ [[…]] rồi chạy:
#   vbtool validate TỆP.yaml    (liệt kê chỗ còn thiếu)
#   vbtool render TỆP.yaml      (dựng .docx vào thư mục out/)
loai: {loai}
the_thuc: {the_thuc}
co_quan:
  cap_tren: {cap_tren}   # cơ quan chủ quản / cấp trên trực tiếp (bỏ dòng này nếu không có)
  ten: {ten_cq}          # tên cơ quan ban hành; xuống dòng bằng \\n
  ky_hieu: {ky_hieu}     # chữ viết tắt trong số ký hiệu
  ten_goi: {ten_goi}     # tên dùng trong câu văn và trích dẫn
so: null                  # để trống: văn thư ghi số khi ban hành
ngay: {nam}               # chỉ ghi năm thì ngày, tháng để trống; hoặc 2024-03-15
dia_danh: {dia_danh}
trich_yeu: "{trich_yeu}"
"""

_KE_HOACH = """\
mo_dau:
  - "Thực hiện [[văn bản cấp trên: loại, số ký hiệu, ngày, cơ quan ban hành, trích yếu]], {ten_goi} ban hành Kế hoạch thực hiện như sau:"
danh_so: ["I.", "1.", "1.1.", "a)"]   # kiểu đánh số theo cấp; Đảng có thể dùng "I-", "1-"
noi_dung:
  - muc: Mục đích, yêu cầu
    noi_dung:
      - muc: Mục đích
        noi_dung:
          - "[[Mục đích của kế hoạch.]]"
      - muc: Yêu cầu
        noi_dung:
          - gach:
              - "[[Yêu cầu thứ nhất.]]"
  - muc: Nhiệm vụ, giải pháp
    noi_dung:
      - nhiem_vu: "[[Nội dung nhiệm vụ.]]"
        chu_tri: ["[[Đơn vị chủ trì]]"]
        phoi_hop: ["[[Đơn vị phối hợp]]"]
        thoi_gian: "[[Thường xuyên.]]"
        san_pham: "[[Kế hoạch, báo cáo…]]"
  - muc: Tổ chức thực hiện
    noi_dung:
      - "[[Phân công tổ chức thực hiện, chế độ báo cáo.]]"
"""

_BAO_CAO = """\
kinh_gui: "[[Cơ quan nhận báo cáo]]"
mo_dau:
  - "Thực hiện [[văn bản yêu cầu báo cáo]], {ten_goi} báo cáo như sau:"
danh_so: ["I.", "1.", "1.1.", "a)"]
noi_dung:
  - muc: Kết quả thực hiện
    noi_dung:
      - "[[Kết quả đạt được.]]"
  - muc: Tồn tại, hạn chế và nguyên nhân
    noi_dung:
      - "[[Tồn tại, hạn chế.]]"
  - muc: Phương hướng, nhiệm vụ thời gian tới
    noi_dung:
      - "[[Phương hướng.]]"
  - muc: Kiến nghị, đề xuất
    noi_dung:
      - "[[Kiến nghị.]]"
"""

_TAIL = {
    "nha_nuoc": """\
ky:                        # TM. (thay_mat), KT. (ky_thay), TL. (thua_lenh), TUQ. (thua_uy_quyen)
  thay_mat: Ủy ban nhân dân
  ky_thay: Chủ tịch
  chuc_vu: Phó Chủ tịch
  ho_ten: "[[Họ và tên người ký]]"
noi_nhan:
{nhu_tren}  - Thường trực Tỉnh ủy
  - Thường trực HĐND tỉnh
  - Chủ tịch, các PCT UBND tỉnh
  - Các sở, ban, ngành
  - UBND các huyện, thị xã, thành phố
luu: [VT, "[[mã đơn vị soạn thảo]]"]   # → "- Lưu: VT, …."
""",
    "dang": """\
ky:                        # T/M (thay_mat), K/T (ky_thay), T/L (thua_lenh); người đứng đầu ban ký trực tiếp
  ky_thay: Trưởng ban
  chuc_vu: Phó Trưởng ban
  ho_ten: "[[Họ và tên người ký]]"
noi_nhan:
{nhu_tren}  - {{ten: Thường trực Tỉnh ủy, ghi_chu: b/c}}
  - Các phòng thuộc Ban
luu: Văn thư                # → "- Lưu Văn thư."
""",
}

_REGIME = {
    "nha_nuoc": dict(ten_the_thuc="NĐ 30/2020/NĐ-CP", cap_tren="UBND tỉnh Bình Thuận", ten_cq="Sở Tư pháp",
                     ky_hieu="STP", ten_goi="Sở Tư pháp", dia_danh="Bình Thuận"),
    "dang": dict(ten_the_thuc="HD 36-HD/VPTW", cap_tren="Tỉnh ủy Bình Thuận", ten_cq="Ban Dân vận",
                 ky_hieu="BDVTU", ten_goi="Ban Dân vận Tỉnh ủy", dia_danh="Bình Thuận"),
}

REGIMES = tuple(_REGIME)          # the regimes a skeleton is written for (`vbtool new --the-thuc`)


def skeleton(loai: str, the_thuc: str, nam: int | None = None, schema: str = "schemas/van-ban.schema.json") -> str:
    import datetime as dt
    from . import kinds, skeleton_kinds
    values = dict(_REGIME[the_thuc], loai=loai, the_thuc=the_thuc, nam=nam or dt.date.today().year, schema=schema,
                  ten_loai=kinds.get(loai).name)
    from . import profile as profiles
    # the trích yếu's first letter, as the regime's profile in force that year wants it
    upper = profiles.for_date(the_thuc, dt.date(values["nam"], 12, 31)).trich_yeu.chu_dau == "hoa"

    def cased(text: str) -> str:
        return text[:1].upper() + text[1:] if upper else text
    if skeleton_kinds.has(loai, the_thuc):       # the other kinds (skeleton_kinds.py)
        values["trich_yeu"] = skeleton_kinds.SUBJECTS[loai][the_thuc]
        body = skeleton_kinds.BODIES[loai][the_thuc]
        nhu_tren = ""
    elif loai == "ke_hoach":
        values["trich_yeu"] = cased("thực hiện [[tên nhiệm vụ]] năm ") + str(values["nam"])
        body = _KE_HOACH
        nhu_tren = ""
    else:
        values["trich_yeu"] = cased("kết quả thực hiện [[nội dung]] năm ") + str(values["nam"])
        body = _BAO_CAO
        nhu_tren = "  - Như trên\n"
    text = _COMMON_HEAD.format(**values) + body.format(**values) + _TAIL[the_thuc].format(nhu_tren=nhu_tren)
    return text
