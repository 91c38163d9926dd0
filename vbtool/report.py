"""`vbtool report-from PLAN.yaml`: the draft of a Báo cáo on the results of a plan.

Why generate it: a body that issued a Kế hoạch must later report on it, task
by task, and the clerk starts by retyping the plan's number, date and every
task. This module writes that skeleton from the plan's *model* (not its raw
YAML): the trích yếu and opening cite the plan in the regime's citation
style, section II has one entry per task with its number in the plan, its
text and assigned units, and a ``ket_qua`` placeholder; issuing body, regime,
signature and Nơi nhận are the plan's. Everything the drafter must still
write is a ``[[…]]`` placeholder, so ``vbtool validate`` lists what is left
and ``--strict`` refuses a report that is not filled in.

The output is YAML text with a ``# yaml-language-server`` first line, written
atomically, never over an existing file.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click
import yaml

from . import inline
from . import profile as profiles
from .loader import InputError
from .model import UNIT_FIELDS, Document, Section, Task
from .schema import SCHEMA_DIR
from .vn import Ngay, lower_first

CONTEXT = {"help_option_names": ["-h", "--help"]}
SECTIONS = ("Công tác quán triệt, triển khai", "Kết quả thực hiện các nhiệm vụ",
            "Tồn tại, hạn chế và nguyên nhân", "Phương hướng, nhiệm vụ thời gian tới", "Kiến nghị, đề xuất")




def _task_refs(plan: Document) -> list[tuple[Task, Section | None, str]]:
    """Each task with its top-level section and how the report cites it ("2.3", "1 mục II").

    A task numbered "1." alone is ambiguous across sections, so the section's
    number is added; a dotted number ("2.3.") already names its section.
    """
    out = []

    def walk(nodes, top: Section | None):
        for n in nodes:
            if isinstance(n, Task):
                num = n.number_text
                if num and "." not in num and top is not None and top.label:
                    num = f"{num} mục {top.label.rstrip('.-)').strip()}"
                out.append((n, top, num))
            if isinstance(n, (Section, Task)):
                walk(n.children, top if top is not None or not isinstance(n, Section) else n)
    walk(plan.body, None)
    return out


def _entry(task: Task, num: str, display: list[dict]) -> dict:
    """One report entry: the plan task's text and units, then the result to write."""
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
    entry["ket_qua"] = f"[[Kết quả thực hiện nhiệm vụ{' ' + num if num else ''}: việc đã làm, số liệu, " \
                       "sản phẩm; việc chưa hoàn thành và lý do.]]"
    return entry


def report_data(plan: Document, year: int | None = None) -> dict:
    """The report as plain data, in the order a drafter reads it."""
    if plan.kind != "ke_hoach":
        raise ValueError("chỉ lập báo cáo từ một Kế hoạch (loai: ke_hoach)")
    year = year or dt.date.today().year
    pinned = plan.source is not None and isinstance(plan.source.data, dict) and plan.source.data.get("ho_so")
    # the report's own profile: the plan's when pinned, else its regime's in force in the report's year
    prof = plan.profile if pinned else profiles.for_date(plan.regime, Ngay(year).latest_day())
    cite = plan.citation(prof)
    name = plan.agency.name_in_text
    subject = f"đánh giá kết quả thực hiện {cite}"
    if prof.trich_yeu.chu_dau == "hoa":
        subject = subject[0].upper() + subject[1:]
    about = lower_first(plan.subject)
    shown = {**plan.profile["nhiem_vu"], **plan.task_display}
    display = shown["truong"]
    shown_units = [s for s in display if s["truong"] in UNIT_FIELDS]

    groups: dict[int, tuple[Section | None, list]] = {}
    for task, top, num in _task_refs(plan):
        key = id(top)
        groups.setdefault(key, (top, []))[1].append(_entry(task, num, display))
    results: list = []
    for top, entries in groups.values():
        if top is None:
            results.extend(entries)
        else:
            results.append({"muc": inline.strip_refs(top.title), "noi_dung": entries})
    if not results:
        results = ["[[Kế hoạch không có nhiệm vụ được đánh số: ghi kết quả theo từng nội dung của Kế hoạch.]]"]

    a = plan.agency
    co_quan = {k: v for k, v in (("cap_tren", a.cap_tren), ("ten", a.ten), ("ky_hieu", a.ky_hieu),
                                 ("ten_goi", a.ten_goi)) if v}
    s = plan.signature
    ky = {k: getattr(s, k) for k in ("thay_mat", "ky_thay", "thua_lenh", "thua_uy_quyen") if getattr(s, k)}
    if s.quyen:
        ky["quyen"] = True
    ky.update(chuc_vu=s.chuc_vu, ho_ten=s.ho_ten)
    recipients: list = []
    for r in plan.recipients:
        if len(r.names) > 1:
            recipients.append({"nhom": list(r.names), **({"ghi_chu": r.note} if r.note else {})})
        elif r.note:
            recipients.append({"ten": r.names[0], "ghi_chu": r.note})
        else:
            recipients.append(r.names[0])

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
    if prof.kinh_gui.trong_bao_cao:
        data["kinh_gui"] = "[[Cơ quan nhận báo cáo]]"
    data.update({
        "mo_dau": [f"Thực hiện {cite} {about}, {name} báo cáo kết quả thực hiện "
                   "[[kỳ báo cáo: từ ngày … đến ngày …]] như sau:"],
        "danh_so": _Flow(["I.", "1.", "1.1.", "a)"]),
        "hien_thi_nhiem_vu": {"dau_dong": shown.get("dau_dong", ""),
                              "truong": [*({"truong": x["truong"], "nhan": x["nhan"]} for x in shown_units),
                                         {"truong": "ket_qua", "nhan": "Kết quả thực hiện"}]},
        "noi_dung": [
            {"muc": SECTIONS[0], "noi_dung": [
                "[[Việc quán triệt, phổ biến Kế hoạch; các văn bản chỉ đạo, hướng dẫn, kế hoạch cụ thể đã ban hành "
                "(số, ngày, trích yếu).]]"]},
            {"muc": SECTIONS[1], "noi_dung": results},
            {"muc": SECTIONS[2], "noi_dung": [
                {"muc": "Tồn tại, hạn chế", "noi_dung": ["[[Những việc chưa làm được, chậm tiến độ.]]"]},
                {"muc": "Nguyên nhân", "noi_dung": ["[[Nguyên nhân khách quan, chủ quan.]]"]}]},
            {"muc": SECTIONS[3], "noi_dung": ["[[Nhiệm vụ trọng tâm thời gian tới.]]"]},
            {"muc": SECTIONS[4], "noi_dung": ["[[Kiến nghị, đề xuất với cấp trên (nếu có).]]"]},
        ],
        "ky": ky,
        "noi_nhan": recipients,
    })
    if plan.archive:
        data["luu"] = _Flow(plan.archive)
    return data


class _Flow(list):
    """A short list written on one line: danh_so: [I., 1., 1.1., a)]."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML, readable: line breaks inside a value are written as \\n in double quotes."""


def _str(dumper, value: str):
    style = '"' if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def report_yaml(plan: Document, out_path: str | os.PathLike, plan_path: str, year: int | None = None) -> str:
    """The report draft as YAML text, with the schema line and a short guide as comments."""
    schema = os.path.relpath(SCHEMA_DIR / "van-ban.schema.json", os.path.dirname(os.path.abspath(out_path)))
    body = yaml.dump(report_data(plan, year), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
    return (f"# yaml-language-server: $schema={schema}\n"
            f"# Dự thảo Báo cáo đánh giá kết quả thực hiện {plan.citation()},\n"
            f"# lập bằng `vbtool report-from {plan_path}`. Điền các chỗ [[…]] (ket_qua của từng nhiệm vụ),\n"
            f"# bỏ nhiệm vụ không cần báo cáo, rồi kiểm tra: vbtool validate --strict TỆP.yaml\n"
            f"{body}")


@click.command("report-from", context_settings=CONTEXT)
@click.argument("plan", type=click.Path(path_type=Path), metavar="KẾ_HOẠCH.yaml")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp YAML sẽ tạo (mặc định: drafts/bc-<tên kế hoạch>.yaml).")
@click.option("--nam", "year", type=int, help="Năm của báo cáo (mặc định: năm nay).")
def report_from_cmd(plan: Path, output: Path | None, year: int | None) -> None:
    """Lập dự thảo Báo cáo đánh giá kết quả thực hiện một Kế hoạch.

    Báo cáo có trích yếu và phần mở đầu dẫn số, ngày của Kế hoạch; mục
    "Kết quả thực hiện các nhiệm vụ" có từng nhiệm vụ của Kế hoạch (số, nội
    dung, đơn vị được giao) và chỗ [[…]] để ghi kết quả. Không bao giờ ghi đè
    tệp đã có."""
    from .document import load_document
    from .package import write_atomic
    output = output or Path("drafts") / f"bc-{plan.stem}.yaml"
    if output.suffix.lower() not in (".yaml", ".yml"):
        click.echo(f"{output}: tệp kết quả phải có đuôi .yaml", err=True)
        sys.exit(1)
    if output.exists():
        click.echo(f"{output}: tệp đã tồn tại, không ghi đè. Hãy chọn tên khác với -o.", err=True)
        sys.exit(1)
    try:
        doc = load_document(plan)
    except InputError as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        sys.exit(1)
    if doc.kind != "ke_hoach":
        click.echo(str(doc.source.problem(("loai",), f"chỉ lập báo cáo từ một Kế hoạch (loai: ke_hoach), "
                                          f"tệp này là {doc.kind_name}")), err=True)
        sys.exit(1)
    text = report_yaml(doc, output, str(plan), year)
    write_atomic(output, text.encode("utf-8"))
    n = len(doc.tasks())
    click.echo(f"Đã tạo {output} ({n} nhiệm vụ cần ghi kết quả)")
