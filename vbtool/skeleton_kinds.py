"""Commented YAML skeletons of the kinds other than Kế hoạch and Báo cáo (`vbtool new`).

skeleton.py writes the common head (loai, co_quan, số, ngày, trích yếu) and
the regime's signature and Nơi nhận; this module gives each kind its trích yếu
and body. A kind without an entry here has no skeleton yet (the command says so).
"""
from __future__ import annotations

# trích yếu per regime (state starts with a capital, Party with a lower-case letter)
SUBJECTS = {
    "quyet_dinh": {"nha_nuoc": "Ban hành [[Kế hoạch …]]", "dang": "ban hành [[Kế hoạch …]]"},
    "cong_van": {"nha_nuoc": "triển khai thực hiện [[Kế hoạch số …]]",
                 "dang": "triển khai thực hiện [[Kế hoạch số …]]"},
    "to_trinh": {"nha_nuoc": "Về việc ban hành [[Kế hoạch …]]", "dang": "về dự thảo [[Kế hoạch …]]"},
}

BODIES = {
    "quyet_dinh": {
        "nha_nuoc": """\
tham_quyen: Giám đốc {ten_goi}   # thẩm quyền ban hành, in hoa dưới trích yếu (NĐ 30 PL III, Mẫu 1.3)
can_cu:                    # mỗi dòng một căn cứ, in nghiêng; dấu ";" tự thêm
  - Căn cứ [[Luật Tổ chức chính quyền địa phương …]]
  - Căn cứ [[văn bản cấp trên]]
theo_de_nghi: Theo đề nghị của [[người đứng đầu cơ quan tham mưu]]
# ban_hanh_kem: ke-hoach.yaml   # kế hoạch ban hành kèm theo: vbtool render dựng cả hai
noi_dung:                  # các điều, tự đánh số Điều 1., Điều 2., …
  - dieu: Ban hành kèm theo Quyết định này [[Kế hoạch …]].
  - dieu: Quyết định này có hiệu lực thi hành kể từ ngày ký.
  - dieu: "[[Chánh Văn phòng …]], thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này."
""",
        "dang": """\
tham_quyen: "[[Ban Thường vụ Tỉnh ủy]]"   # in hoa trước chữ QUYẾT ĐỊNH
can_cu:                    # "- Căn cứ …;" chữ đứng
  - Căn cứ Điều lệ Đảng Cộng sản Việt Nam
  - Căn cứ [[Quy chế làm việc …]]
theo_de_nghi: Xét đề nghị của [[cơ quan tham mưu]]
noi_dung:
  - dieu: Ban hành kèm theo Quyết định này [[Kế hoạch …]].
  - dieu: Quyết định có hiệu lực kể từ ngày ký.
  - dieu: "[[Các cơ quan, đơn vị …]] căn cứ Quyết định thi hành."
""",
    },
    "cong_van": {
        "nha_nuoc": """\
kinh_gui:
  - "[[Cơ quan nhận thứ nhất]]"
  - "[[Cơ quan nhận thứ hai]]"
mo_dau:
  - "[[Nội dung công văn.]]"
noi_dung:
  - "Đề nghị các cơ quan, đơn vị báo cáo kết quả trước ngày [[ngày/tháng/năm]]."
""",
        "dang": """\
kinh_gui: "[[Cơ quan nhận]]"
mo_dau:
  - "[[Nội dung công văn.]]"
noi_dung:
  - "Đề nghị các đồng chí báo cáo kết quả trước ngày [[ngày/tháng/năm]]."
""",
    },
    "to_trinh": {
        "nha_nuoc": """\
kinh_gui: "[[Cơ quan có thẩm quyền]]"
mo_dau:
  - "Thực hiện [[…]], {ten_goi} kính trình [[…]] như sau:"
danh_so: ["I.", "1."]
noi_dung:
  - muc: Sự cần thiết
    noi_dung:
      - "[[Sự cần thiết ban hành.]]"
  - muc: Nội dung chính của dự thảo
    noi_dung:
      - "[[Bố cục, nội dung chính.]]"
  - muc: Kiến nghị
    noi_dung:
      - "{ten_goi} kính trình [[…]] xem xét, quyết định."
kem_theo:                  # tài liệu gửi kèm, in sau phần nội dung
  - "[[Dự thảo …]]"
""",
        "dang": """\
kinh_gui: "[[Ban Thường vụ Tỉnh ủy]]"
mo_dau:
  - "[[Nội dung tờ trình.]]"
noi_dung:
  - "{ten_goi} kính trình [[…]] xem xét, cho ý kiến."
kem_theo:
  - "[[Dự thảo …]]"
""",
    },
}


def has(loai: str, the_thuc: str) -> bool:
    return the_thuc in BODIES.get(loai, {})
