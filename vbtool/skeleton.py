"""Commented YAML skeletons for `vbtool new`.

A skeleton must validate and render as it is (tested), so that a drafter
starts from something that works and the comments teach the format. Places
the drafter must fill are marked [[…]] and reported by `vbtool validate`.

Without a registry the issuer is neutral and current (two-level local
government from 01/7/2025: a Sở of a province, a UBND xã, or their Party
counterparts, names left as [[…]]). With a registry unit (`--danh-muc REG
--don-vi ID`) the header, ký hiệu, địa danh, signer and Lưu come from it and
the signature fits the issuer: a Sở signs KT. GIÁM ĐỐC, a UBND TM. ỦY BAN
NHÂN DÂN, a cấp ủy T/M BAN THƯỜNG VỤ.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

_COMMON_HEAD = """\
# yaml-language-server: $schema={schema}
# Khung {ten_loai} theo thể thức {ten_the_thuc}{cua}. Sửa các chỗ [[…]] rồi chạy:
#   vbtool validate TỆP.yaml    (liệt kê chỗ còn thiếu)
#   vbtool render TỆP.yaml      (dựng .docx vào thư mục out/)
loai: {loai}
the_thuc: {the_thuc}
co_quan:
{cap_tren_line}  ten: {ten_cq}          # tên cơ quan ban hành; xuống dòng bằng \\n
  ky_hieu: {ky_hieu}     # chữ viết tắt trong số ký hiệu
  ten_goi: {ten_goi_q}     # tên dùng trong câu văn và trích dẫn
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
kinh_gui: {kinh_gui}
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


_Q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731 - a YAML double-quoted scalar


@dataclass
class Issuer:
    """Who issues the skeleton's document, and what follows from it."""

    the_thuc: str
    ten: str
    ky_hieu: str
    ten_goi: str
    dia_danh: str
    ky: dict
    noi_nhan: list                          # names, or {ten, ghi_chu}
    luu: list[str] | str
    cap_tren: str | None = None
    kinh_gui: str = "[[Cơ quan nhận báo cáo]]"
    label: str = ""                         # "Sở Tư pháp" in the skeleton's first comment
    comments: dict = field(default_factory=dict)


_KY_COMMENT = {"nha_nuoc": "TM. (thay_mat), KT. (ky_thay), TL. (thua_lenh), TUQ. (thua_uy_quyen)",
               "dang": "T/M (thay_mat), K/T (ky_thay), T/L (thua_lenh); người đứng đầu ban ký trực tiếp"}

# Neutral, current issuers (no province named; no district level since 01/7/2025).
DEFAULTS = {
    ("nha_nuoc", "tinh"): Issuer(
        "nha_nuoc", "Sở [[Tên sở]]", "[[Ký hiệu sở]]", "Sở [[Tên sở]]", "[[Tên tỉnh]]",
        {"ky_thay": "Giám đốc", "chuc_vu": "Phó Giám đốc", "ho_ten": "[[Họ và tên người ký]]"},
        ["UBND tỉnh [[Tên tỉnh]] (để báo cáo)", "Giám đốc, các Phó Giám đốc Sở", "Các phòng, đơn vị thuộc Sở",
         "UBND các xã, phường, đặc khu"],
        ["VT", "[[mã đơn vị soạn thảo]]"], cap_tren="UBND tỉnh [[Tên tỉnh]]",
        kinh_gui="Ủy ban nhân dân tỉnh [[Tên tỉnh]]"),
    ("nha_nuoc", "xa"): Issuer(
        "nha_nuoc", "Ủy ban nhân dân\nxã [[Tên xã]]", "UBND", "Ủy ban nhân dân xã", "[[Tên xã]]",
        {"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": "[[Họ và tên người ký]]"},
        ["Thường trực Đảng ủy xã", "Thường trực HĐND xã", "Chủ tịch, các Phó Chủ tịch UBND xã",
         "Các ban, ngành, đoàn thể xã", "[[Các thôn, tổ dân phố]]"],
        ["VT", "[[mã bộ phận soạn thảo]]"], kinh_gui="Ủy ban nhân dân tỉnh [[Tên tỉnh]]"),
    ("dang", "tinh"): Issuer(
        "dang", "Ban Tuyên giáo và Dân vận", "BTGDVTU", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "[[Tên tỉnh]]",
        {"ky_thay": "Trưởng ban", "chuc_vu": "Phó Trưởng ban", "ho_ten": "[[Họ và tên người ký]]"},
        [{"ten": "Thường trực Tỉnh ủy", "ghi_chu": "b/c"}, "Các phòng thuộc Ban"], "Văn thư",
        cap_tren="Tỉnh ủy [[Tên tỉnh]]", kinh_gui="Ban Thường vụ Tỉnh ủy"),
    ("dang", "xa"): Issuer(
        "dang", "Đảng ủy xã [[Tên xã]]", "ĐU", "Đảng ủy xã", "[[Tên xã]]",
        {"thay_mat": "Ban Thường vụ", "chuc_vu": "Bí thư", "ho_ten": "[[Họ và tên người ký]]"},
        [{"ten": "Ban Thường vụ Tỉnh ủy", "ghi_chu": "b/c"}, "Các chi bộ trực thuộc"], "Văn thư",
        cap_tren="Đảng bộ tỉnh [[Tên tỉnh]]", kinh_gui="Ban Thường vụ Tỉnh ủy"),
}

REGIMES = tuple(dict.fromkeys(regime for regime, _ in DEFAULTS))  # `vbtool new --the-thuc` choices


def issuer_for(unit, registry=None) -> Issuer:
    """The issuer of a registry unit (vbtool.registry.Unit): header, signer fitting its kind, recipients."""
    regime = unit.the_thuc
    name = unit.name_in_text
    parent = registry.units.get(unit.thuoc) if registry is not None and unit.thuoc else None
    ky = dict(unit.ky) if unit.ky else _default_signer(unit)
    cap = unit.cap or ""
    recipients: list[str | dict[str, str]]         # a name, or {ten, ghi_chu}
    if regime == "nha_nuoc":
        if cap == "xa":
            recipients = [f"Thường trực Đảng ủy {_place_kind(unit)}", f"Thường trực HĐND {_place_kind(unit)}",
                          f"Chủ tịch, các Phó Chủ tịch UBND {_place_kind(unit)}",
                          f"Các ban, ngành, đoàn thể {_place_kind(unit)}", "[[Các thôn, tổ dân phố]]"]
        elif cap == "tinh":
            recipients = ["Thường trực Tỉnh ủy", "Thường trực HĐND tỉnh", "Chủ tịch, các Phó Chủ tịch UBND tỉnh",
                          "Các sở, ban, ngành", "UBND các xã, phường, đặc khu"]
        else:
            recipients = [f"{parent.ten if parent else '[[Cơ quan cấp trên]]'} (để báo cáo)",
                          "Lãnh đạo " + name, f"Các phòng, đơn vị thuộc {name}"]
    else:
        if cap == "tinh" and not parent:          # the Tỉnh ủy / Thành ủy itself
            recipients = [{"ten": "Ban Bí thư Trung ương Đảng", "ghi_chu": "b/c"},
                          f"Các ban, cơ quan tham mưu, giúp việc {name}", "Đảng ủy các xã, phường, đặc khu"]
        else:
            top = parent.ten if parent else "[[Cấp ủy cấp trên]]"
            top = f"Ban Thường vụ {top}" if parent and parent.cap == "tinh" and parent.the_thuc == "dang" else top
            recipients = [{"ten": top, "ghi_chu": "b/c"},
                          "Các chi bộ trực thuộc" if cap == "xa" else f"Các phòng thuộc {name}"]
    kinh_gui = parent.ten if parent else "[[Cơ quan nhận báo cáo]]"
    if parent and regime == "dang" and parent.the_thuc == "dang" and parent.cap == "tinh":
        kinh_gui = f"Ban Thường vụ {parent.ten}"
    elif regime == "dang" and cap == "tinh" and not parent:
        kinh_gui = "Ban Bí thư Trung ương Đảng"
    luu = unit.luu or (["VT"] if regime == "nha_nuoc" else "Văn thư")
    return Issuer(regime, unit.ten_dau or unit.ten, unit.ky_hieu, name, unit.dia_danh, ky,
                  recipients, luu, unit.cap_tren, kinh_gui, label=unit.ten)


def _place_kind(unit) -> str:
    from .registry import LOAI_TEXT
    return LOAI_TEXT.get(unit.loai or "", "xã")


def _default_signer(unit) -> dict:
    name = unit.ten.lower()
    if unit.the_thuc == "dang":
        if unit.cap in ("tinh", "xa") and ("ủy" in name.split()[0] or name.startswith("đảng ủy")):
            return {"thay_mat": "Ban Thường vụ", "chuc_vu": "Bí thư", "ho_ten": "[[Họ và tên người ký]]"}
        return {"ky_thay": "Trưởng ban", "chuc_vu": "Phó Trưởng ban", "ho_ten": "[[Họ và tên người ký]]"}
    if name.startswith("ủy ban nhân dân") or name.startswith("ubnd"):
        return {"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": "[[Họ và tên người ký]]"}
    if name.startswith("sở"):
        return {"ky_thay": "Giám đốc", "chuc_vu": "Phó Giám đốc", "ho_ten": "[[Họ và tên người ký]]"}
    return {"chuc_vu": "[[Chức vụ người ký]]", "ho_ten": "[[Họ và tên người ký]]"}


def _tail(issuer: Issuer, nhu_tren: bool) -> str:
    lines = [f"ky:                        # {_KY_COMMENT[issuer.the_thuc]}"]
    for key in ("thay_mat", "ky_thay", "thua_lenh", "thua_uy_quyen", "chuc_vu", "ho_ten"):
        if issuer.ky.get(key):
            lines.append(f"  {key}: {_Q(issuer.ky[key])}")
    if issuer.ky.get("quyen"):
        lines.append("  quyen: true")
    lines.append("noi_nhan:")
    recipients = issuer.noi_nhan
    if nhu_tren:
        # the Kính gửi body is covered by "Như trên" (NĐ 30, Phụ lục I, ô 9b): not listed again
        from .meaning import _bare
        lines.append("  - Như trên")
        recipients = [r for r in recipients
                      if _bare(r["ten"] if isinstance(r, dict) else r) != _bare(issuer.kinh_gui)]
    for r in recipients:
        lines.append(
            f"  - {{ten: {_Q(r['ten'])}, ghi_chu: {_Q(r['ghi_chu'])}}}" if isinstance(r, dict) else f"  - {_Q(r)}"
        )
    if isinstance(issuer.luu, str):
        lines.append(f"luu: {_Q(issuer.luu)}                # → \"- Lưu {issuer.luu}.\"")
    else:
        lines.append("luu: [" + ", ".join(_Q(x) for x in issuer.luu) + "]   # → \"- Lưu: …\"")
    return "\n".join(lines) + "\n"


def skeleton(loai: str, the_thuc: str, nam: int | None = None, schema: str = "schemas/van-ban.schema.json",
             issuer: Issuer | None = None, cap: str = "tinh") -> str:
    import datetime as dt
    from . import kinds, skeleton_kinds
    issuer = issuer or DEFAULTS[(the_thuc, cap)]
    the_thuc = issuer.the_thuc
    nam = nam or dt.date.today().year
    values = dict(loai=loai, the_thuc=the_thuc, nam=nam, schema=schema, ten_loai=kinds.get(loai).name,
                  ten_the_thuc="NĐ 30/2020/NĐ-CP" if the_thuc == "nha_nuoc" else "HD 36-HD/VPTW",
                  cua=f" của {issuer.label}" if issuer.label else "",
                  cap_tren_line=(f"  cap_tren: {_Q(issuer.cap_tren)}   # cơ quan chủ quản / cấp trên trực tiếp\n"
                                 if issuer.cap_tren else
                                 "  # không có cap_tren: UBND không in cơ quan chủ quản (NĐ 30, Phụ lục I, II.2.a)\n"
                                 if the_thuc == "nha_nuoc" else ""),
                  ten_cq=_Q(issuer.ten), ky_hieu=_Q(issuer.ky_hieu), ten_goi_q=_Q(issuer.ten_goi),
                  ten_goi=issuer.ten_goi, dia_danh=_Q(issuer.dia_danh), kinh_gui=_Q(issuer.kinh_gui))
    nhu_tren = False
    from . import profile as profiles
    # the trích yếu's first letter, as the regime's profile in force that year wants it
    upper = profiles.for_date(the_thuc, dt.date(nam, 12, 31)).trich_yeu.chu_dau == "hoa"

    def cased(text: str) -> str:
        return text[:1].upper() + text[1:] if upper else text
    if skeleton_kinds.has(loai, the_thuc):       # the other kinds (skeleton_kinds.py)
        values["trich_yeu"] = skeleton_kinds.SUBJECTS[loai][the_thuc]
        body = skeleton_kinds.BODIES[loai][the_thuc]
    elif loai == "ke_hoach":
        values["trich_yeu"] = cased("thực hiện [[tên nhiệm vụ]] năm ") + str(nam)
        body = _KE_HOACH
    else:
        values["trich_yeu"] = cased("kết quả thực hiện [[nội dung]] năm ") + str(nam)
        body = _BAO_CAO
        nhu_tren = True
    return _COMMON_HEAD.format(**values) + body.format(**values) + _tail(issuer, nhu_tren=nhu_tren)
