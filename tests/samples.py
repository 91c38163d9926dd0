"""Small hand-written documents used by several tests."""

STATE = """\
loai: ke_hoach
the_thuc: nha_nuoc
co_quan:
  cap_tren: UBND tỉnh Bình Thuận
  ten: Sở Tư pháp
  ky_hieu: STP
so: 5
ngay: 2024-02-05
dia_danh: Bình Thuận
trich_yeu: triển khai công tác phổ biến pháp luật năm 2024
mo_dau:
  - Thực hiện Kế hoạch số 12/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh, Sở Tư pháp ban hành Kế hoạch như sau.
noi_dung:
  - muc: Mục đích, yêu cầu
    noi_dung:
      - muc: Mục đích
        noi_dung:
          - Nâng cao nhận thức pháp luật.
          - muc: Đối tượng
            noi_dung:
              - muc: Cán bộ
                noi_dung:
                  - Cán bộ, công chức.
  - muc: Nhiệm vụ
    noi_dung:
      - nhiem_vu: Tổ chức hội nghị phổ biến.
        chu_tri: [Sở Tư pháp]
        phoi_hop: [Sở Nội vụ, "UBND các huyện, thị xã, thành phố"]
        thoi_gian: Quý II/2024
ky:
  ky_thay: Giám đốc
  chuc_vu: Phó Giám đốc
  ho_ten: Nguyễn Văn A
noi_nhan:
  - UBND tỉnh
  - {nhom: [Thường trực Tỉnh ủy, Thường trực HĐND tỉnh], ghi_chu: báo cáo}
luu: [VT, PBGDPL]
"""

PARTY = """\
loai: ke_hoach
the_thuc: dang
co_quan:
  cap_tren: Tỉnh ủy Bình Thuận
  ten: Ban Dân vận
  ky_hieu: BDVTU
so: null
ngay: 2024
dia_danh: Bình Thuận
trich_yeu: Thực hiện công tác dân vận năm 2024
noi_dung:
  - muc: Nhiệm vụ
    noi_dung:
      - Nắm chắc tình hình Nhân dân.
ky:
  ky_thay: Trưởng ban
  chuc_vu: Phó Trưởng ban
  ho_ten: Nguyễn Linh Nhơn
noi_nhan:
  - {ten: Thường trực Tỉnh ủy, ghi_chu: b/c}
  - Các phòng thuộc Ban
luu: Văn thư
"""
