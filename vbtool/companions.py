"""Drafts of the documents that travel with a plan, written from the plan itself.

* ``decision_for``: the Quyết định that issues the plan (NĐ 30 Phụ lục III,
  Mẫu 1.3): authority, căn cứ, articles "ban hành kèm theo / hiệu lực / trách
  nhiệm thi hành", Nơi nhận from the plan's; ``ban_hanh_kem`` names the plan so
  that ``vbtool render`` lays the plan out as issued with it.
* ``letter_for``: the Công văn that sends the plan to a group of units (Kính gửi
  from the registry group, or the plan's own recipients), citing the plan and
  leaving the reporting deadline as a [[…]] placeholder.

Both return the YAML data (a dict) of a draft that validates and renders as it
is; what only the drafter knows is left as [[…]], which `vbtool validate` lists.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .model import Document
from .registry import Registry
from .vn import join_units, lower_first, short_date

_MAX_NAMED_UNITS = 6     # Điều 3 names the lead units of a short plan; a long one says "các cơ quan … được giao"


def _base(plan: Document, kind: str, year: int | None) -> dict:
    src = plan.source.data
    return {"loai": kind, "the_thuc": plan.regime, "co_quan": dict(src["co_quan"]), "so": None,
            "ngay": year or dt.date.today().year, "dia_danh": plan.place}


def _leads(plan: Document) -> list[str]:
    out: list[str] = []
    for t in plan.tasks():
        for u in t.fields.get("chu_tri", []) + t.fields.get("thuc_hien", []):
            if u not in out:
                out.append(u)
    return out


def _recipients(plan: Document) -> list:
    return [r for r in plan.source.data.get("noi_nhan", [])]


def decision_for(plan: Document, plan_path: Path, out_path: Path, year: int | None = None) -> dict:
    state = plan.regime == "nha_nuoc"
    d = _base(plan, "quyet_dinh", year)
    subject = f"{plan.kind_name} {lower_first(plan.subject)}"
    d["trich_yeu"] = ("Ban hành " if state else "ban hành ") + subject
    full = plan.agency.ten.replace("\n", " ")
    if state:
        d["tham_quyen"] = (f"Chủ tịch {full[:1].upper()}{full[1:]}" if full.lower().startswith("ủy ban nhân dân")
                           else "[[Thẩm quyền ban hành: chức vụ người đứng đầu hoặc tên tập thể]]")
        d["can_cu"] = ["Căn cứ [[văn bản quy định thẩm quyền ban hành, ví dụ Luật Tổ chức chính quyền địa phương]]",
                       "Căn cứ [[văn bản cấp trên mà kế hoạch thực hiện]]"]
        d["theo_de_nghi"] = "Theo đề nghị của [[người đứng đầu cơ quan tham mưu]]"
    else:
        d["tham_quyen"] = plan.agency.name_in_text
        d["can_cu"] = ["Căn cứ [[Quy chế làm việc …]]", "Căn cứ [[văn bản cấp trên mà kế hoạch thực hiện]]"]
        d["theo_de_nghi"] = "Xét đề nghị của [[cơ quan, bộ phận tham mưu]]"
    d["ban_hanh_kem"] = os.path.relpath(plan_path.resolve(), out_path.resolve().parent)
    leads = _leads(plan)
    who = (f"thủ trưởng {join_units(leads)}" if 0 < len(leads) <= _MAX_NAMED_UNITS
           else f"thủ trưởng các cơ quan, đơn vị được giao nhiệm vụ tại {plan.kind_name}")
    this = "Quyết định này" if state else "Quyết định"
    d["noi_dung"] = [
        {"dieu": f"Ban hành kèm theo Quyết định này {subject}."},
        {"dieu": f"{this} có hiệu lực thi hành kể từ ngày ký." if state else f"{this} có hiệu lực kể từ ngày ký."},
        {"dieu": f"[[Chánh Văn phòng …]], {who} và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành "
                 "Quyết định này."},
    ]
    ky = dict(plan.source.data["ky"])
    if state and d["tham_quyen"].startswith("Chủ tịch"):
        ky.pop("thay_mat", None)            # a decision of the chairman is signed as CHỦ TỊCH / KT. CHỦ TỊCH
    d["ky"] = ky
    d["noi_nhan"] = _recipients(plan)       # "- Như Điều 3;" is put first by the kind
    if "luu" in plan.source.data:
        d["luu"] = plan.source.data["luu"]
    return d


def letter_for(plan: Document, out_path: Path, registry: Registry | None = None, unit_ids: list[str] | None = None,
               year: int | None = None) -> dict:
    state = plan.regime == "nha_nuoc"
    d = _base(plan, "cong_van", year)
    if state:
        drafting = [x for x in plan.archive if x.strip() and x.strip() != plan.profile["noi_nhan"].get("luu_dau")]
        d["co_quan"]["ky_hieu"] = (f"{plan.agency.ky_hieu}-{drafting[0].strip()}" if drafting
                                   else "[[ký hiệu cơ quan-đơn vị soạn thảo, ví dụ UBND-VX]]")
    number = plan.number_code("[[số]]")
    cited = f"{plan.kind_name} số {number}"
    d["trich_yeu"] = f"triển khai thực hiện {cited}"
    if registry is not None and unit_ids:
        names = [registry.units[u].ten.replace("\n", " ") for u in unit_ids]
    else:
        names = []
        for r in _recipients(plan):
            if isinstance(r, str):
                names.append(r)
            elif "ten" in r and not r.get("ghi_chu"):
                names.append(r["ten"])
            elif "nhom" in r and not r.get("ghi_chu"):
                names += r["nhom"]
        names = names or ["[[Cơ quan, đơn vị nhận]]"]
    d["kinh_gui"] = names[0] if len(names) == 1 else names
    who = plan.agency.name_in_text
    when = f"Ngày {short_date(plan.date)}, {who} ban hành" if not plan.date.is_blank else f"{who} đã ban hành"
    d["mo_dau"] = [f"{when} {cited} {lower_first(plan.subject)} (gửi kèm theo). "
                   f"Để triển khai thực hiện {plan.kind_name} đạt hiệu quả, {who} đề nghị các cơ quan, đơn vị:"]
    d["danh_so"] = ["1."]
    d["noi_dung"] = [
        {"nhiem_vu": f"Căn cứ nhiệm vụ được giao tại {cited}, xây dựng kế hoạch và tổ chức triển khai thực hiện "
                     "tại cơ quan, đơn vị, địa phương mình."},
        {"nhiem_vu": f"Báo cáo kết quả thực hiện về {who} trước ngày [[ngày/tháng/năm]] để tổng hợp, báo cáo "
                     "theo quy định."},
    ]
    d["ky"] = dict(plan.source.data["ky"])
    d["noi_nhan"] = [r for r in _recipients(plan) if isinstance(r, dict) and r.get("ghi_chu")]
    if "luu" in plan.source.data:
        d["luu"] = plan.source.data["luu"]
    return d
