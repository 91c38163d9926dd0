"""Derive a lower-level plan draft from a parent plan, for one unit.

The child keeps the parent's tasks that fall to the unit (as lead: chủ trì /
thực hiện; or as partner: phối hợp), directly or through a group it belongs
to, each with its content, its number in the parent and the unit's role. What
only the unit can decide (its own assignees, deadlines) is left as [[…]]
placeholders that `vbtool validate` reports. The output is YAML text that
validates and renders as it is.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass


from . import inline, yamlwrite
from . import profile as profiles
from .loader import InputError
from .model import Document, Section, Task
from .registry import Registry, Unit
from .vn import Ngay, join_units, lower_first

LEAD_FIELDS = ("chu_tri", "thuc_hien")
PARTNER_FIELDS = ("phoi_hop",)


@dataclass
class Picked:
    task: Task
    role: str                 # "chu_tri" | "phoi_hop"
    heading: str | None       # title of the parent section the task sits in (below the top level)


def child_profile(regime: str, year: int) -> profiles.Profile:
    """The profile of the child plan: its regime's, in force at the end of its year (a draft has no day)."""
    return profiles.for_date(regime, Ngay(year).latest_day())


def citation(parent: Document, child_regime: str, year: int | None = None) -> str:
    """`Kế hoạch số 12/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh` in the child's style."""
    return parent.citation(child_profile(child_regime, year or dt.date.today().year))


def check_phrases(parent: Document, reg: Registry) -> None:
    """A group-like phrase in a parent task that no registry group knows is an error:
    silently skipping it would drop tasks from every child plan."""
    problems = []
    for t in parent.tasks():
        for f in LEAD_FIELDS + PARTNER_FIELDS:
            for i, phrase in enumerate(t.fields.get(f, [])):
                ids, kind = reg.resolve(phrase)
                if not kind and reg.is_groupish(phrase):
                    problems.append(parent.source.problem(
                        t.path + (f, i), f"nhiệm vụ {t.number_text}: cụm từ \"{phrase}\" không khớp nhóm nào "
                        "trong danh mục đơn vị (thêm vào nhom[].cum_tu hoặc khong_chi_dinh)"))
    if problems:
        raise InputError(problems)


def unrecognised(parent: Document, reg: Registry) -> list:
    """Warnings for task units the registry does not know.

    Often legitimate (a body outside the registry), but also the sign of a
    YAML flow list split at a comma inside a name ("[Sở Văn hóa, Thể thao và
    Du lịch]"), which would silently drop the task from that unit's plan.
    """
    out = []
    for t in parent.tasks():
        for f in LEAD_FIELDS + PARTNER_FIELDS:
            for i, phrase in enumerate(t.fields.get(f, [])):
                if not reg.resolve(phrase)[1]:
                    out.append(parent.source.problem(
                        t.path + (f, i), f"nhiệm vụ {t.number_text}: không nhận ra \"{phrase}\" trong danh mục "
                        "đơn vị; nếu là tên có dấu phẩy, hãy đặt trong dấu nháy", warning=True))
    return out


def pick(parent: Document, reg: Registry, unit: Unit) -> list[Picked]:
    out: list[Picked] = []

    def role_of(t: Task) -> str | None:
        for fields, role in ((LEAD_FIELDS, "chu_tri"), (PARTNER_FIELDS, "phoi_hop")):
            for f in fields:
                if any(unit.id in reg.resolve(ph)[0] for ph in t.fields.get(f, [])):
                    return role
        return None

    def walk(nodes, heading, depth):
        for n in nodes:
            if isinstance(n, Section):
                walk(n.children, n.title if depth >= 1 else heading, depth + 1)
            elif isinstance(n, Task):
                role = role_of(n)
                if role:
                    out.append(Picked(n, role, heading))
                walk(n.children, heading, depth + 1)
    walk(parent.body, None, 0)
    return out


def lead_unit(parent: Document) -> str | None:
    """The unit the parent names to follow up and collect reports: "(qua Sở Tư pháp)"."""
    for t in parent.tasks():
        for text in t.text:
            m = re.search(r"\(qua ([^)]+)\)", text)
            if m:
                return m.group(1).strip()
    return None


def child_plan(parent: Document, reg: Registry, unit: Unit, year: int | None = None) -> dict:
    """The child plan's data. Call check_phrases(parent, reg) once first: for a group
    of units it is the same check every time."""
    picked = pick(parent, reg, unit)
    regime = unit.the_thuc
    year = year or dt.date.today().year
    prof = child_profile(regime, year)
    cite = parent.citation(prof)
    name = unit.name_in_text
    subject = f"triển khai thực hiện {cite}"
    if prof.trich_yeu.chu_dau == "hoa":
        subject = subject[0].upper() + subject[1:]
    about = lower_first(parent.subject)
    tasks_by_heading: dict[str | None, list] = {}
    for p in picked:
        t = p.task
        leads = [x for f in LEAD_FIELDS for x in t.fields.get(f, [])]
        if p.role == "chu_tri":
            role = f"{name} chủ trì thực hiện"
        else:
            role = f"{name} phối hợp với {join_units(leads) if leads else '[[đơn vị chủ trì]]'} thực hiện"
        entry: dict = {}
        if t.title:
            entry["tieu_de"] = inline.strip_refs(t.title)
        # footnote references belong to the parent's notes: drop them from the copy
        entry["nhiem_vu"] = [*(inline.strip_refs(x) for x in t.text), f"(Nhiệm vụ {t.number_text} tại {cite}; {role}.)"]
        entry["chu_tri"] = [f"[[Phòng, bộ phận chủ trì thuộc {name}]]"]
        entry["phoi_hop"] = ["[[Phòng, bộ phận phối hợp]]"]
        parent_time = t.fields.get("thoi_gian")
        entry["thoi_gian"] = f"[[Thời hạn{'; cấp trên giao: ' + parent_time if parent_time else ''}]]"
        tasks_by_heading.setdefault(p.heading, []).append(entry)
    body_tasks: list = []
    for heading, entries in tasks_by_heading.items():
        if heading:
            body_tasks.append({"muc": inline.strip_refs(heading), "noi_dung": entries})
        else:
            body_tasks.extend(entries)
    if not body_tasks:
        body_tasks = ["[[Kế hoạch cấp trên không giao nhiệm vụ nào cho đơn vị này: ghi các nhiệm vụ đơn vị tự đề ra.]]"]
    lead = lead_unit(parent)
    if lead and unit.id in reg.resolve(lead)[0]:
        lead = None          # the unit is itself the parent's lead: it reports directly
    parent_name = parent.agency.name_in_text
    report_to = parent_name + (f" (qua {lead})" if lead else "")
    recipients: list = [{"ten": parent_name, "ghi_chu": "báo cáo"}]
    if lead:
        recipients.append(lead)
    recipients.append(f"[[Các phòng, đơn vị thuộc {name}]]")
    co_quan = {"ten": unit.ten_dau or unit.ten, "ky_hieu": unit.ky_hieu, "ten_goi": name}
    if unit.cap_tren:
        co_quan = {"cap_tren": unit.cap_tren, **co_quan}
    doc = {
        "loai": "ke_hoach",
        "the_thuc": regime,
        "co_quan": co_quan,
        "so": None,
        "ngay": year,
        "dia_danh": unit.dia_danh,
        "trich_yeu": subject,
        "mo_dau": [f"Thực hiện {cite} về {about}; {name} ban hành Kế hoạch triển khai thực hiện như sau:"],
        "hien_thi_nhiem_vu": {"dau_dong": "- ", "truong": [
            {"truong": "chu_tri", "nhan": "Đơn vị chủ trì"}, {"truong": "phoi_hop", "nhan": "Đơn vị phối hợp"},
            {"truong": "thoi_gian", "nhan": "Thời gian thực hiện"}]},
        "noi_dung": [
            {"muc": "Mục đích, yêu cầu", "noi_dung": [
                f"[[Mục đích, yêu cầu của {name} khi triển khai {cite}.]]"]},
            {"muc": "Nhiệm vụ, giải pháp", "noi_dung": body_tasks},
            {"muc": "Tổ chức thực hiện", "noi_dung": [
                {"nhiem_vu": f"[[Phân công các phòng, bộ phận thuộc {name} triển khai thực hiện.]]"},
                {"nhiem_vu": f"Định kỳ [[6 tháng, hằng năm]] hoặc khi có yêu cầu, {name} báo cáo kết quả "
                             f"thực hiện về {report_to}."}]},
        ],
        "ky": unit.ky or {"chuc_vu": "[[Chức vụ người ký]]", "ho_ten": "[[Họ và tên]]"},
        "noi_nhan": recipients,
        "luu": unit.luu or prof.noi_nhan.luu_mac_dinh,
    }
    return doc


def to_yaml(doc: dict, out_path: os.PathLike, note: str) -> str:
    return yamlwrite.document(doc, out_path, [note])


# -- checks of meaning for a derivation ---------------------------------------------------------

def registry_name(parent: Document, reg: Registry) -> Unit | None:
    """The registry unit that issued the parent, found by its full name (any case, "\\n" as a space)."""
    ids, kind = reg.resolve(re.sub(r"\s+", " ", parent.agency.ten))
    return reg.units[next(iter(ids))] if kind == "don_vi" and len(ids) == 1 else None


def adopt_registry_name(parent: Document, reg: Registry) -> None:
    """Name the parent in the child's sentences by its registry ten_goi ("Ủy ban nhân dân tỉnh"),
    not by the upper-case header form its YAML may carry ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG")."""
    unit = registry_name(parent, reg)
    if unit is not None and not parent.agency.ten_goi:
        parent.agency.ten_goi = unit.name_in_text


def issuer_outside(parent: Document, reg: Registry) -> list:
    """A warning when the registry does not know the parent's issuer: a plan of another province
    (or of a province before the 2025 rearrangement) used with this registry."""
    if registry_name(parent, reg) is not None:
        return []
    where = (reg.source.data.get("ten") if reg.source and isinstance(reg.source.data, dict) else None) or \
        (reg.source.file if reg.source else "danh mục")
    return [parent.source.problem(("co_quan", "ten"), f"cơ quan ban hành \"{' '.join(parent.agency.ten.split())}\" "
                                  f"không có trong danh mục ({where}): kế hoạch cấp trên có thể thuộc tỉnh khác hoặc "
                                  "trước sắp xếp 2025", warning=True)]


def phrase_in_prose(parent: Document, reg: Registry, unit: Unit) -> list:
    """When no task falls to `unit`: the places where the parent's prose names one of the unit's
    groups ("UBND các xã, phường, đặc khu"), a sign that tasks are assigned in sentences."""
    from .loader import iter_strings
    from .registry import norm
    phrases = sorted({p for g in unit.nhom for p in reg.groups.get(g, [])}, key=len, reverse=True)
    if not phrases:
        return []
    rx = re.compile("|".join(re.escape(norm(p)) for p in phrases))
    out = []
    for path, _, _, text in iter_strings(parent.source.data):
        unit_field = any(isinstance(k, str) and k in LEAD_FIELDS + PARTNER_FIELDS for k in path[-2:])
        if unit_field or path[:1] in (("co_quan",), ("noi_nhan",), ("ky",)):
            continue
        m = rx.search(norm(text))
        if m:
            out.append(parent.source.problem(path, f"không có nhiệm vụ nào giao cho {unit.name_in_text} qua "
                                             "chu_tri/thuc_hien/phoi_hop, nhưng câu văn ở đây nhắc \""
                                             f"{m.group(0)}\": nhiệm vụ có thể được giao trong câu văn",
                                             warning=True))
    return out
