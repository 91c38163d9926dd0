"""`vbtool report-from PLAN.yaml`: the draft of a Báo cáo on the results of a plan.

Why generate it: a body that issued a Kế hoạch must later report on it, task
by task, and the clerk starts by retyping the plan's number, date and every
task. This module writes that skeleton from the plan's *model* (not its raw
YAML): the trích yếu and opening cite the plan and its topic in the regime's
citation style; the plan's targets ("Mục tiêu" section) get a section of
their own with a ``so_lieu`` entry per recognised figure; the results section
has one entry per task with its number in the plan, its text, assigned units,
deadline and product (what the result is judged against) and a ``ket_qua``
placeholder; issuing body, regime, signature and Nơi nhận are the plan's,
the bodies the plan was sent to "để báo cáo" becoming the Kính gửi. Everything
the drafter must still write is a ``[[…]]`` placeholder, so ``vbtool validate``
lists what is left and ``--strict`` refuses a report that is not filled in.

Results already known (a tracking workbook, the units' reports) come in as
``Findings`` and replace the placeholders: ``tracking`` and ``merge`` build
on ``report_data``. No click here: the command is ``commands/report_from.py``.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal


from . import inline, yamlwrite
from . import profile as profiles
from .model import UNIT_FIELDS, Bullets, Document, Paragraph, Section, Task
from .registry import norm
from .vn import Ngay, lower_first
from .yamlwrite import Flow

SECTIONS = ("Công tác quán triệt, triển khai", "Kết quả thực hiện các nhiệm vụ",
            "Tồn tại, hạn chế và nguyên nhân", "Phương hướng, nhiệm vụ thời gian tới", "Kiến nghị, đề xuất")
TARGETS_SECTION = "Kết quả thực hiện các mục tiêu"
# Fields of a plan task copied next to its result: what the result is judged against.
JUDGED_FIELDS = ("thoi_gian", "san_pham")
_TARGETS_TITLE = re.compile(r"\bmục tiêu\b", re.I)


@dataclass
class Target:
    """A target of the plan ("Mục tiêu" section) and the figures recognised in it."""

    text: str                                   # as written in the plan (markup kept, footnotes dropped)
    figures: list[tuple[str, int | float, str]] = field(default_factory=list)   # (so_lieu key, value, "%" or "")


@dataclass
class Findings:
    """What is already known of the results, to put in the draft instead of placeholders.

    ``ket_qua`` maps a task's position in ``reportable_tasks(plan)`` to its
    result paragraphs; ``so_lieu`` holds the figures; ``notes`` footnotes the
    result paragraphs refer to.
    """

    ket_qua: dict[int, list[str]] = field(default_factory=dict)
    so_lieu: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)


def add_figure(totals: dict, key: str, value: int | float) -> None:
    """Sum exactly: integers as integers, decimals through Decimal (0,1 + 0,2 = 0,3)."""
    if key not in totals:
        totals[key] = value
        return
    s = Decimal(str(totals[key])) + Decimal(str(value))
    totals[key] = int(s) if s == s.to_integral_value() and isinstance(totals[key], int) and \
        isinstance(value, int) else float(s)


def _in_targets(section: Section | None) -> bool:
    return section is not None and bool(_TARGETS_TITLE.search(inline.plain(section.title)))


def reportable_tasks(plan: Document) -> list[tuple[Task, Section | None, str]]:
    """The tasks a report answers for, in plan order: every task outside a "Mục tiêu" section
    (whose items are reported as targets), with its top-level section and how the report cites it."""
    return [(t, top, num) for t, top, num, inside in _task_refs(plan) if not inside]


def targets(plan: Document) -> list[Target]:
    """Every item of the plan's "Mục tiêu" sections, with a so_lieu key per recognised figure."""
    texts: list[str] = []

    def collect(nodes):
        for n in nodes:
            if isinstance(n, Paragraph):
                texts.append(n.text)
            elif isinstance(n, Bullets):
                for item, subs in n.items:
                    texts.append(item)
                    texts.extend(subs)
            elif isinstance(n, Task):
                texts.append(" ".join(n.text))
                collect(n.children)
            elif isinstance(n, Section):
                collect(n.children)

    def walk(nodes):
        for n in nodes:
            if isinstance(n, Section):
                if _in_targets(n):
                    collect(n.children)
                else:
                    walk(n.children)
    walk(plan.body)
    out = []
    for i, text in enumerate(texts, 1):
        text = inline.strip_refs(text).strip()
        found = figures(inline.plain(text))
        keys = [f"chi_tieu_{i}"] if len(found) == 1 else [f"chi_tieu_{i}_{k}" for k in range(1, len(found) + 1)]
        out.append(Target(text, [(k, v, unit) for k, (v, unit) in zip(keys, found)]))
    return out


_NUMBER = re.compile(r"(?<![\w/.,-])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?(?![\w/-]|[.,]\d)(\s*%)?")
_NOT_A_FIGURE = re.compile(r"(năm|giai đoạn|số|khóa|khoá|ngày|tháng|quý|điều|khoản|điểm|mục|nghị quyết|chỉ thị|"
                           r"quyết định|kế hoạch|đến|từ)\s*$", re.I)


def figures(text: str) -> list[tuple[int | float, str]]:
    """The target figures in a sentence: percentages and counts, not years, dates or document numbers.

    "Phấn đấu 100% hồ sơ … ; 15 xã đạt chuẩn đến năm 2025" → [(100, "%"), (15, "")].
    """
    out = []
    for m in _NUMBER.finditer(text):
        whole, dec, pct = m.group(1), m.group(2), m.group(3)
        before = text[: m.start()]
        if not pct:
            if _NOT_A_FIGURE.search(before) or (len(whole) == 4 and not dec and 1900 <= int(whole) <= 2100):
                continue
            if not re.match(r"\s+\w", text[m.end():]):       # a count is followed by what it counts
                continue
        value = Decimal(whole.replace(".", "") + ("." + dec if dec else ""))
        out.append((int(value) if value == value.to_integral_value() else float(value), "%" if pct else ""))
    return out


def _task_refs(plan: Document) -> list[tuple[Task, Section | None, str, bool]]:
    """Each task with its top-level section and how the report cites it ("2.3", "1 mục II").

    A task numbered "1." alone is ambiguous across sections, so the section's
    number is added; a dotted number ("2.3.") already names its section.
    """
    out = []

    def walk(nodes, top: Section | None, inside: bool):
        for n in nodes:
            if isinstance(n, Task):
                num = n.number_text
                if num and "." not in num and top is not None and top.label:
                    num = f"{num} mục {top.label.rstrip('.-)').strip()}"
                out.append((n, top, num, inside))
            if isinstance(n, (Section, Task)):
                walk(n.children, top if top is not None or not isinstance(n, Section) else n,
                     inside or (isinstance(n, Section) and _in_targets(n)))
    walk(plan.body, None, False)
    return out


def _entry(task: Task, num: str, display: list[dict], result: list[str] | None = None) -> dict:
    """One report entry: the plan task's text and units, its deadline and product, then the result."""
    texts = [inline.strip_refs(t).strip() for t in task.text]
    if num:
        texts[0] = f"*Nhiệm vụ {num}:* {texts[0]}"
    entry: dict = {}
    if task.title:
        entry["tieu_de"] = inline.strip_refs(task.title).strip()
    entry["nhiem_vu"] = texts if len(texts) > 1 else texts[0]
    for spec in display:
        units = task.fields.get(spec["truong"])
        if spec["truong"] in UNIT_FIELDS and units:
            entry[spec["truong"]] = [inline.strip_refs(u) for u in units]
    for name in JUDGED_FIELDS:
        value = task.fields.get(name)
        if value:
            entry[name] = inline.strip_refs(value).strip()
    if result:
        entry["ket_qua"] = result if len(result) > 1 else result[0]
        return entry
    entry["ket_qua"] = f"[[Kết quả thực hiện nhiệm vụ{' ' + num if num else ''}: việc đã làm, số liệu, " \
                       "sản phẩm; việc chưa hoàn thành và lý do.]]"
    return entry


_NO_ABOUT = ("thực hiện ", "triển khai ", "về ")


def topic(plan: Document) -> str:
    """What the plan is about, to follow its citation: "về chuyển đổi số năm 2026",
    or the plan's own verb phrase ("thực hiện Nghị quyết số 77/NQ-CP …")."""
    about = lower_first(plan.subject)
    return about if about.lower().startswith(_NO_ABOUT) else f"về {about}"


def _reported_to(plan: Document) -> tuple[list[str], list]:
    """(Kính gửi, Nơi nhận) of the report: the bodies the plan was sent to "để báo cáo" are the ones the
    report is addressed to, and leave the Nơi nhận (the state profile prints "- Như trên;" for them)."""
    addressees = [n for r in plan.recipients if r.note and re.search(r"báo cáo|\bb/c\b", r.note.lower())
                  for n in r.names]
    keys = {norm(n) for n in addressees}
    nn = plan.profile["noi_nhan"]
    recipients: list = []
    for r in plan.recipients:
        names = [n for n in r.names if norm(n) not in keys and norm(n) != norm(nn["nhu_tren"])]
        if not names:
            continue
        if len(names) > 1:
            recipients.append({"nhom": names, **({"ghi_chu": r.note} if r.note else {})})
        elif r.note:
            recipients.append({"ten": names[0], "ghi_chu": r.note})
        else:
            recipients.append(names[0])
    return addressees, recipients


def _target_entries(found: list[Target]) -> list:
    out: list = []
    for i, t in enumerate(found, 1):
        out.append(f"*Mục tiêu {i}:* {t.text}")
        if t.figures:
            aim = ", ".join(f"{{{{ so_lieu.{k} | so }}}}{unit}" for k, _, unit in t.figures)
            out.append(f"Kết quả đạt được: [[kết quả so với chỉ tiêu {aim}]]")
        else:
            out.append(f"Kết quả đạt được: [[kết quả thực hiện mục tiêu {i}]]")
    return out


def report_data(plan: Document, year: int | None = None, findings: Findings | None = None) -> dict:
    """The report as plain data, in the order a drafter reads it.

    `findings`: results already known (from a tracking workbook or the units' reports), put in place of
    the ``ket_qua`` placeholders; their figures join the targets' in ``so_lieu``.
    """
    if plan.kind != "ke_hoach":
        raise ValueError("chỉ lập báo cáo từ một Kế hoạch (loai: ke_hoach)")
    findings = findings or Findings()
    year = year or dt.date.today().year
    pinned = plan.source is not None and isinstance(plan.source.data, dict) and plan.source.data.get("ho_so")
    # the report's own profile: the plan's when pinned, else its regime's in force in the report's year
    prof = plan.profile if pinned else profiles.for_date(plan.regime, Ngay(year).latest_day())
    cite = plan.citation(prof)
    name = plan.agency.name_in_text
    state = prof.kinh_gui.trong_bao_cao       # a report with Kính gửi (state): addressed to the plan's reported-to
    about = topic(plan)
    subject = f"kết quả thực hiện {cite} {about}"
    if prof.trich_yeu.chu_dau == "hoa":
        subject = subject[0].upper() + subject[1:]
    shown = {**plan.profile["nhiem_vu"], **plan.task_display}
    display = shown["truong"]
    shown_units = [s for s in display if s["truong"] in UNIT_FIELDS]
    tasks = reportable_tasks(plan)
    labels = {s["truong"]: s["nhan"] for s in (*plan.profile["nhiem_vu"]["truong"], *display)}
    judged = [f for f in JUDGED_FIELDS if any(t.fields.get(f) for t, _, _ in tasks)]

    groups: dict[int, tuple[Section | None, list]] = {}
    for i, (task, top, num) in enumerate(tasks):
        key = id(top)
        groups.setdefault(key, (top, []))[1].append(_entry(task, num, display, findings.ket_qua.get(i)))
    results: list = []
    for top, entries in groups.values():
        if top is None:
            results.extend(entries)
        else:
            results.append({"muc": inline.strip_refs(top.title), "noi_dung": entries})
    if not results:
        results = ["[[Kế hoạch không có nhiệm vụ được đánh số: ghi kết quả theo từng nội dung của Kế hoạch.]]"]
    found = targets(plan)
    so_lieu = {k: v for t in found for k, v, _ in t.figures}
    so_lieu.update(findings.so_lieu)

    a = plan.agency
    co_quan = {k: v for k, v in (("cap_tren", a.cap_tren), ("ten", a.ten), ("ky_hieu", a.ky_hieu),
                                 ("ten_goi", a.ten_goi)) if v}
    s = plan.signature
    ky = {k: getattr(s, k) for k in ("thay_mat", "ky_thay", "thua_lenh", "thua_uy_quyen") if getattr(s, k)}
    if s.quyen:
        ky["quyen"] = True
    ky.update(chuc_vu=s.chuc_vu, ho_ten=s.ho_ten)
    addressees, recipients = _reported_to(plan) if state else ([], _reported_to_party(plan))

    data: dict = {"loai": "bao_cao", "the_thuc": plan.regime}
    if plan.source is not None and isinstance(plan.source.data, dict) and plan.source.data.get("ho_so"):
        data["ho_so"] = plan.source.data["ho_so"]
    data.update({
        "co_quan": co_quan,
        "so": None,
        "ngay": year,
        "dia_danh": plan.place,
        "trich_yeu": subject,
    })
    if state:
        data["kinh_gui"] = (addressees[0] if len(addressees) == 1 else addressees) if addressees \
            else "[[Cơ quan nhận báo cáo]]"
    if so_lieu:
        data["so_lieu"] = so_lieu      # before the text: a ratio written in so_lieu is computed before it is used
    sections: list = [
        {"muc": SECTIONS[0], "noi_dung": [
            "[[Việc quán triệt, phổ biến Kế hoạch; các văn bản chỉ đạo, hướng dẫn, kế hoạch cụ thể đã ban hành "
            "(số, ngày, trích yếu).]]"]},
        {"muc": SECTIONS[1], "noi_dung": results},
        {"muc": SECTIONS[2], "noi_dung": [
            {"muc": "Tồn tại, hạn chế", "noi_dung": ["[[Những việc chưa làm được, chậm tiến độ.]]"]},
            {"muc": "Nguyên nhân", "noi_dung": ["[[Nguyên nhân khách quan, chủ quan.]]"]}]},
        {"muc": SECTIONS[3], "noi_dung": ["[[Nhiệm vụ trọng tâm thời gian tới.]]"]},
        {"muc": SECTIONS[4], "noi_dung": ["[[Kiến nghị, đề xuất với cấp trên (nếu có).]]"]},
    ]
    if found:
        sections.insert(1, {"muc": TARGETS_SECTION, "noi_dung": _target_entries(found)})
    data.update({
        "mo_dau": [f"Thực hiện {cite} {about}, {name} báo cáo kết quả thực hiện "
                   "[[kỳ báo cáo: từ ngày … đến ngày …]] như sau:"],
        "danh_so": Flow(["I.", "1.", "1.1.", "a)"]),
        "hien_thi_nhiem_vu": {"dau_dong": shown.get("dau_dong", ""),
                              "truong": [*({"truong": x["truong"], "nhan": x["nhan"]} for x in shown_units),
                                         *({"truong": f, "nhan": labels[f]} for f in judged),
                                         {"truong": "ket_qua", "nhan": "Kết quả thực hiện"}]},
        "noi_dung": sections,
        "ky": ky,
        "noi_nhan": recipients,
    })
    if findings.notes:
        data["chu_thich"] = dict(findings.notes)
    if plan.archive:
        data["luu"] = Flow(plan.archive)
    return data


def _reported_to_party(plan: Document) -> list:
    """A Party report has no Kính gửi: the plan's Nơi nhận as they are."""
    out: list = []
    for r in plan.recipients:
        if len(r.names) > 1:
            out.append({"nhom": list(r.names), **({"ghi_chu": r.note} if r.note else {})})
        elif r.note:
            out.append({"ten": r.names[0], "ghi_chu": r.note})
        else:
            out.append(r.names[0])
    return out


def dump(data: dict, out_path: str | os.PathLike, comments: list[str]) -> str:
    """YAML text of a document for `out_path`: the schema line, comment lines, then the data."""
    return yamlwrite.document(data, out_path, comments)


def report_yaml(plan: Document, out_path: str | os.PathLike, plan_path: str, year: int | None = None,
                findings: Findings | None = None, source_note: str = "") -> str:
    """The report draft as YAML text, with the schema line and a short guide as comments."""
    return dump(report_data(plan, year, findings), out_path, [
        f"Dự thảo Báo cáo kết quả thực hiện {plan.citation()},",
        f"lập bằng `vbtool report-from {plan_path}`{source_note}. Điền các chỗ [[…]] (ket_qua của từng nhiệm vụ),",
        "bỏ nhiệm vụ không cần báo cáo, rồi kiểm tra: vbtool validate --strict TỆP.yaml"])
