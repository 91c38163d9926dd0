"""`vbtool tong-hop`: merge the units' reports on one plan into the draft of the parent's report.

Why: a province collects one report per unit (124 communes, 20 departments)
on the plan it issued, then writes its own report from them. Done by hand,
that is days of copying paragraphs and adding up figures with a calculator.
Here the draft is the plan's ``report-from`` frame with:

- ``so_lieu``: every figure summed across units. Integers are added exactly
  and decimals through ``Decimal``; a percentage is never averaged: a unit
  writes it as ``"{{ ty_le(so_lieu.dat, so_lieu.tong) }}"`` and the merged
  value is the same expression over the summed numerator and denominator. A
  percentage given as a bare number cannot be merged and is listed, as is a
  figure missing from some reports (it is not counted as zero).
- a phụ lục table of the figures per unit with a total row;
- under each task, every unit's ``ket_qua`` with the unit's name in front
  (their footnotes carried over), ready to be condensed by the drafter;
- with a group of the registry: the units that have not reported, named.

A report that does not validate, is not on this plan (it must cite the
plan's số, ký hiệu, and its date if it gives one), or repeats a unit already
reported is an error naming the file; then nothing is written.

Units' reports are YAML, or .docx/.pdf read back by ``vbtool import`` (their
figures are then only in the text: an imported report has no ``so_lieu``).
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import cast
from pathlib import Path

from . import inline
from .loader import InputError, load_file
from .problem import MessagesError
from .model import Bullets, Document, Paragraph, Section, Task
from .numwords import ty_le
from .registry import Registry, Unit, norm
from .report import SECTIONS, TARGETS_SECTION, Findings, Flow, add_figure, report_data, reportable_tasks
from .vn import short_date

RATIO = re.compile(r"^\s*\{\{\s*ty_le\(\s*so_lieu\.(\w+)\s*,\s*so_lieu\.(\w+)\s*(?:,\s*(\d)\s*)?\)\s*\}\}\s*$")
TARGET_PREFIX = "chi_tieu_"          # the plan's targets (report-from): the same in every report, not summed
NO_VALUE = "–"
MAX_FIGURE_COLUMNS = 6               # figures per phụ lục table, so that a landscape page holds them
_LABEL = re.compile(r"^\*?Nhiệm vụ [^:*]{1,40}:\*?\s*")
_CITED_TASK = re.compile(r"\(Nhiệm vụ ([\d.]+(?: mục [IVXLC]+)?) tại ([^;)]+)")


class MergeError(MessagesError):
    """Nothing can be merged; ``lines`` name the file of each problem."""


@dataclass
class UnitReport:
    """One unit's report, validated and identified."""

    file: str
    doc: Document
    raw_figures: dict                # so_lieu as written (a ratio is still its expression)
    name: str                        # the unit's name in running text
    unit: Unit | None = None

    @property
    def key(self) -> str:
        return self.unit.id if self.unit else norm(self.name)


@dataclass
class Figure:
    """One so_lieu key across the reports."""

    key: str
    kind: str                        # so | ty_le | chu (text) | khong_gop (cannot be merged)
    values: dict[str, object] = field(default_factory=dict)    # unit key -> value as reported
    ratio: tuple[str, str, int] | None = None                  # numerator, denominator, decimals
    total: object = None
    reason: str = ""

    @property
    def ratio_keys(self) -> tuple[str, str, int]:
        """The ratio of a "ty_le" figure (kind "ty_le" is set together with ratio)."""
        assert self.ratio is not None
        return self.ratio


@dataclass
class Merged:
    data: dict                       # the draft, ready for report.dump
    reports: list[UnitReport]
    figures: list[Figure]
    missing_units: list[str]
    warnings: list[str]


# --------------------------------------------------------------------------- reading the reports

def load_report(path: Path) -> UnitReport:
    """A unit's report (YAML, .docx or .pdf), validated; raise MergeError."""
    from .document import expand_expressions, load_document_text, placeholders
    from .model import build
    name = str(path)
    ext = path.suffix.lower()
    if not path.is_file():
        raise MergeError([f"{name}: không tìm thấy tệp (hoặc đây là thư mục)"])
    try:
        if ext in (".yaml", ".yml"):
            src = load_file(path)                     # parsed once (YAML parsing is most of the time)
            raw = src.data.get("so_lieu") if isinstance(src.data, dict) else None
            raw = copy.deepcopy(raw) if isinstance(raw, dict) else {}   # before "{{ ty_le(…) }}" is computed
            expand_expressions(src)
            doc = build(src)
            doc.warnings = placeholders(src)
        elif ext in (".docx", ".pdf"):
            from .importer import ImportFailure, import_file
            try:
                imported = import_file(path)
            except ImportFailure as exc:
                raise MergeError([str(exc)]) from None
            doc = load_document_text(imported.to_yaml(), name)
            raw = {}
        else:
            raise MergeError([f"{name}: chỉ tổng hợp được báo cáo .yaml, .docx hoặc .pdf"])
    except InputError as exc:
        raise MergeError([f"{name}: báo cáo không hợp lệ, sửa rồi tổng hợp lại:"]
                         + [f"  {p}" for p in exc.problems]) from None
    if doc.kind != "bao_cao":
        raise MergeError([str(doc.source.problem(("loai",), f"cần một Báo cáo, tệp này là {doc.kind_name}"))])
    return UnitReport(name, doc, raw, doc.agency.name_in_text)


def cites_plan(doc: Document, plan: Document) -> str | None:
    """None when the report cites the plan in its trích yếu or opening; else why not."""
    code = plan.number_code()
    texts = [inline.plain(t) for t in (doc.subject, *doc.opening)]
    found = False
    for text in texts:
        for m in re.finditer(r"(?<![\w/])" + re.escape(code) + r"(?![\w/-])", text):
            found = True
            d = re.match(r",?\s*ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})", text[m.end():])
            if d and not plan.date.is_blank and (int(d[1]), int(d[2]), int(d[3])) != \
                    (plan.date.ngay, plan.date.thang, plan.date.nam):
                return (f"báo cáo dẫn Kế hoạch số {code} ngày {d[1]}/{d[2]}/{d[3]}, còn Kế hoạch được tổng hợp "
                        f"ngày {short_date(plan.date)}")
    if not found:
        return f"trích yếu và phần mở đầu của báo cáo không dẫn Kế hoạch số {code}"
    return None


def identify(report: UnitReport, reg: Registry | None) -> None:
    """Attach the registry unit that issued the report (by any of its names)."""
    if reg is None:
        return
    a = report.doc.agency
    wanted = {norm(x) for x in (a.ten.replace("\n", " "), a.ten_goi) if x}
    for u in reg.units.values():
        names = [*u.names(), *([u.ten_dau.replace("\n", " ")] if u.ten_dau else [])]
        if wanted & {norm(n) for n in names}:
            report.unit = u
            report.name = u.name_in_text
            return


# --------------------------------------------------------------------------- figures

def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def merge_figures(reports: list[UnitReport]) -> list[Figure]:
    """Each so_lieu key across the reports, in order of first appearance."""
    figures: dict[str, Figure] = {}
    for r in reports:
        for key, value in r.raw_figures.items():
            if key.startswith(TARGET_PREFIX):
                continue
            f = figures.setdefault(key, Figure(key, ""))
            f.values[r.key] = value
    for f in figures.values():
        kinds, ratios = set(), set()
        for v in f.values.values():
            m = RATIO.match(v) if isinstance(v, str) else None
            if m:
                kinds.add("ty_le")
                ratios.add((m[1], m[2], int(m[3]) if m[3] else 1))
            elif _number(v):
                kinds.add("so")
            else:
                kinds.add("chu")
        if len(kinds) > 1:
            f.kind, f.reason = "khong_gop", "các đơn vị ghi khác kiểu (số, tỷ lệ, chữ)"
        elif kinds == {"ty_le"}:
            if len(ratios) > 1:
                f.kind, f.reason = "khong_gop", "các đơn vị tính tỷ lệ từ những số liệu khác nhau"
            else:
                f.kind, f.ratio = "ty_le", ratios.pop()
        elif kinds == {"so"}:
            if f.key.startswith("ty_le"):
                f.kind, f.reason = "khong_gop", "tỷ lệ ghi bằng số, không kèm tử số và mẫu số"
            else:
                f.kind = "so"
                total: dict = {}
                for v in f.values.values():
                    add_figure(total, f.key, cast("int | float", v))     # kind "so": each passed _number
                f.total = total[f.key]
        else:
            values = set(map(str, f.values.values()))
            if any(v.strip().endswith("%") for v in values):
                f.kind, f.reason = "khong_gop", "tỷ lệ ghi bằng chữ, không kèm tử số và mẫu số"
            elif len(values) == 1:
                f.kind, f.total = "chu", next(iter(values))
            else:
                f.kind, f.reason = "khong_gop", "chữ khác nhau giữa các đơn vị"
    by_key = {f.key: f for f in figures.values()}
    for f in figures.values():
        if f.kind == "ty_le":
            a, b, _ = f.ratio_keys
            if not (a in by_key and by_key[a].kind == "so" and b in by_key and by_key[b].kind == "so"):
                f.kind, f.reason = "khong_gop", f"thiếu tử số {a} hoặc mẫu số {b} để tính lại"
            elif by_key[b].total == 0:
                f.kind, f.reason = "khong_gop", f"tổng mẫu số {b} bằng 0"
            else:
                f.total = "{{ ty_le(so_lieu.%s, so_lieu.%s%s) }}" % (
                    a,
                    b,
                    f", {f.ratio_keys[2]}" if f.ratio_keys[2] != 1 else "",
                )
    return list(figures.values())


def _shown(f: Figure, r: UnitReport, by_key: dict[str, Figure]):
    """The value of figure f for report r as a table cell."""
    if r.key not in f.values:
        return NO_VALUE
    if f.kind == "ty_le":
        a, b, n = f.ratio_keys
        va, vb = by_key[a].values.get(r.key), by_key[b].values.get(r.key)
        if not (_number(va) and _number(vb)) or vb == 0:
            return NO_VALUE
        return ty_le(va, vb, n)
    return f.values[r.key]


def _total_shown(f: Figure, by_key: dict[str, Figure]):
    if f.kind == "ty_le":
        a, b, n = f.ratio_keys
        return ty_le(by_key[a].total, by_key[b].total, n)
    return f.total


def figures_appendix(reports: list[UnitReport], figures: list[Figure], landscape_mm: float) -> dict | None:
    """Phụ lục: a table per group of figures, one row per unit and a total row."""
    shown = [f for f in figures if f.kind in ("so", "ty_le")]
    if not shown:
        return None
    by_key = {f.key: f for f in figures}
    content: list = []
    for start in range(0, len(shown), MAX_FIGURE_COLUMNS):
        chunk = shown[start:start + MAX_FIGURE_COLUMNS]
        rows: list = [Flow([r.name, *(_shown(f, r, by_key) for f in chunk)]) for r in reports]
        rows.append({"tong": Flow(["Tổng cộng", *(_total_shown(f, by_key) for f in chunk)])})
        width = (landscape_mm - 12 - 70) / len(chunk)        # the unit's name keeps about 70 mm
        # titles: the so_lieu keys, spaced so that they wrap; the drafter gives them their real names
        cols = [{"ten": "TT", "rong_mm": 12}, {"ten": "Đơn vị"},
                *({"ten": f.key.replace("_", " "), "rong_mm": int(width * 10) / 10, "can": "phai"} for f in chunk)]
        content.append({"bang": {"cot": cols, "so_thu_tu": True, "dong": rows}})
    # the note goes under the tables, as "Ghi chú" does in a printed table (and a PDF import keeps it apart)
    content.append(f"Ghi chú: số liệu tổng hợp từ báo cáo của {len(reports)} đơn vị. Ô \"{NO_VALUE}\": đơn vị không "
                   "báo cáo số liệu này (không tính là 0). Tỷ lệ ở dòng tổng cộng được tính lại từ tổng tử số và tổng "
                   "mẫu số, không lấy trung bình. Tên cột là tên số liệu (so_lieu) của các đơn vị.")
    missing = [f for f in shown if len(f.values) < len(reports)]
    if missing:
        names = {r.key: r.name for r in reports}
        content.append({"gach": [f"{f.key}: chưa có trong báo cáo của "
                                 + ", ".join(names[r.key] for r in reports if r.key not in f.values) + "."
                                 for f in missing]})
    return {"ten": "Số liệu tổng hợp theo đơn vị", "ngang": True, "noi_dung": content}


# --------------------------------------------------------------------------- results per task

def _key(text: str) -> str:
    return re.sub(r"\s+", " ", inline.plain(_LABEL.sub("", inline.strip_refs(text)))).strip().rstrip(".").lower()


def _has_result(task: Task) -> bool:
    paras = task.fields.get("ket_qua") or []
    return any(p.strip() and not re.fullmatch(r"\s*\[\[.*\]\]\s*", p, re.S) for p in paras)


def match_tasks(plan: Document, report: UnitReport) -> tuple[dict[int, Task], list[Task]]:
    """The report's tasks with a result, each matched to a plan task (its position in reportable_tasks):
    by the plan's text copied into the report, else by "(Nhiệm vụ 2.3 tại Kế hoạch số …)" of a derived plan."""
    plan_tasks = reportable_tasks(plan)
    by_text = {_key(t.text[0]): i for i, (t, _, _) in enumerate(plan_tasks)}
    by_number: dict[str, list[int]] = {}
    for pos, (t, _, num) in enumerate(plan_tasks):
        by_number.setdefault(t.number_text, []).append(pos)
        if num != t.number_text:
            by_number.setdefault(num, []).append(pos)
    code = plan.number_code()
    matched: dict[int, Task] = {}
    unmatched: list[Task] = []
    for t in report.doc.tasks():
        if not _has_result(t):
            continue
        i = next((by_text[_key(x)] for x in t.text if _key(x) in by_text), None)
        if i is None:
            for x in t.text:
                m = _CITED_TASK.search(inline.plain(x))
                if m and code in m[2] and len(by_number.get(m[1], [])) == 1:
                    i = by_number[m[1]][0]
                    break
        if i is None or i in matched:
            unmatched.append(t)
        else:
            matched[i] = t
    return matched, unmatched


def _carry(paragraphs: list[str], report: UnitReport, tag: str, notes: dict) -> list[str]:
    """The unit's paragraphs with its name in front of the first, footnotes renamed and carried."""
    out = []
    for p in paragraphs:
        for name in inline.refs(p):
            if name in report.doc.notes:
                notes[f"{tag}-{name}"] = list(report.doc.notes[name])
                p = p.replace(f"[^{name}]", f"[^{tag}-{name}]")
            else:
                p = p.replace(f"[^{name}]", "")
        out.append(p)
    if out and not norm(inline.plain(out[0])).startswith(norm(report.name)):
        out[0] = f"*{inline.escape(report.name)}:* {out[0]}"
    return out


def _section_paragraphs(doc: Document, titles: tuple[str, ...]) -> list[str]:
    """Paragraphs a unit wrote under a section of its report, found by the titles of the section and its
    parents (report-from's titles: "Tồn tại, hạn chế và nguyên nhân" › "Nguyên nhân"); placeholders left out."""
    out: list[str] = []

    def collect(nodes):
        for n in nodes:
            if isinstance(n, Paragraph):
                out.append(n.text)
            elif isinstance(n, Bullets):
                out.extend(f"- {item}" for item, _ in n.items)
            elif isinstance(n, Section):
                collect(n.children)

    def find(nodes, rest):
        for n in nodes:
            if isinstance(n, Section) and norm(inline.plain(n.title)) == norm(rest[0]):
                if len(rest) == 1:
                    collect(n.children)
                else:
                    find(n.children, rest[1:])
    find(doc.body, titles)
    return [p for p in out if p.strip() and "[[" not in p]


def _gather(sections: list, reports: list[UnitReport], notes: dict, parents: tuple = ()) -> None:
    """Under each section of the draft without sub-sections, what the units wrote under the same one."""
    for s in sections:
        if not isinstance(s, dict) or "muc" not in s:
            continue
        titles = (*parents, s["muc"])
        subs = [c for c in s["noi_dung"] if isinstance(c, dict) and "muc" in c]
        if subs:
            _gather(subs, reports, notes, titles)
            continue
        s["noi_dung"] += [p for n, r in enumerate(reports, 1)
                          for p in _carry(_section_paragraphs(r.doc, titles), r, f"dv{n}", notes)]


# --------------------------------------------------------------------------- the merge

def merge(plan: Document, paths: list[Path], reg: Registry | None = None, group_ids: list[str] | None = None,
          year: int | None = None) -> Merged:
    """Validate every report, then build the merged draft; raise MergeError listing every bad file."""
    if plan.kind != "ke_hoach":
        raise MergeError([str(plan.source.problem(("loai",), f"cần một Kế hoạch, tệp này là {plan.kind_name}"))])
    if plan.number is None:
        raise MergeError([str(plan.source.problem(("so",), "Kế hoạch chưa có số: không đối chiếu được báo cáo "
                                                           "các đơn vị dẫn Kế hoạch nào"))])
    errors: list[str] = []
    reports: list[UnitReport] = []
    seen: dict[str, UnitReport] = {}
    warnings: list[str] = []
    for path in paths:
        try:
            r = load_report(path)
        except MergeError as exc:
            errors += exc.lines
            continue
        why = cites_plan(r.doc, plan)
        if why:
            errors.append(f"{r.file}: không phải báo cáo về {plan.citation()}: {why}")
            continue
        identify(r, reg)
        if reg is not None and r.unit is None:
            warnings.append(f"{r.file}: cơ quan ban hành \"{r.name}\" không có trong danh mục đơn vị")
        if r.key in seen:
            errors.append(f"{r.file}: trùng đơn vị với {seen[r.key].file} (cùng là báo cáo của {r.name}); "
                          "chỉ giữ một báo cáo cho mỗi đơn vị")
            continue
        if group_ids is not None and (r.unit is None or r.unit.id not in group_ids):
            warnings.append(f"{r.file}: {r.name} không thuộc nhóm được tổng hợp (vẫn được tổng hợp)")
        seen[r.key] = r
        reports.append(r)
    if errors:
        raise MergeError(errors)
    if reg is not None:                               # registry order: the order the province reads
        order = {uid: i for i, uid in enumerate(reg.units)}
        reports.sort(key=lambda r: order.get(r.unit.id, len(order)) if r.unit else len(order))

    figures = merge_figures(reports)
    findings = Findings()
    for f in figures:
        if f.kind in ("so", "ty_le", "chu"):
            findings.so_lieu[f.key] = f.total
    unmatched_all: list[str] = []
    for n, r in enumerate(reports, 1):
        matched, unmatched = match_tasks(plan, r)
        for i, task in matched.items():
            findings.ket_qua.setdefault(i, []).extend(_carry(task.fields["ket_qua"], r, f"dv{n}", findings.notes))
        for t in unmatched:
            warnings.append(f"{r.file}: {t.number_text or ''} \"{inline.plain(t.text[0])[:60]}…\" không khớp nhiệm "
                            "vụ nào của Kế hoạch: kết quả được đưa vào mục \"Kết quả khác\"")
            text = _LABEL.sub("", inline.plain(inline.strip_refs(t.text[0])))
            unmatched_all += _carry([f"({text}) {p}" if k == 0 else p for k, p in enumerate(t.fields["ket_qua"])],
                                    r, f"dv{n}", findings.notes)

    data = report_data(plan, year, findings)
    missing: list[str] = []
    if group_ids is not None:
        assert reg is not None                  # group ids come from the registry
        got = {r.unit.id for r in reports if r.unit}
        missing = [reg.units[u].name_in_text for u in group_ids if u not in got]
    total = len(group_ids) if group_ids is not None else None
    cover = (f"Báo cáo được tổng hợp từ báo cáo của {len(reports)}"
             + (f"/{total}" if total is not None else "") + " đơn vị: " + ", ".join(r.name for r in reports) + ".")
    if missing:
        cover += f" Còn {len(missing)} đơn vị chưa gửi báo cáo: " + ", ".join(missing) + "."
    data["mo_dau"].append(cover)

    results = next(s for s in data["noi_dung"] if s["muc"] == SECTIONS[1])["noi_dung"]
    _gather([s for s in data["noi_dung"] if s["muc"] not in (SECTIONS[1], TARGETS_SECTION)], reports,
            findings.notes)
    if unmatched_all:
        results.append({"muc": "Kết quả khác", "noi_dung": unmatched_all})
    appendix = figures_appendix(reports, figures, plan.profile.landscape_width_mm)
    if appendix:
        results.insert(0, "Số liệu tổng hợp theo từng đơn vị tại Phụ lục kèm theo Báo cáo này.")
        data["phu_luc"] = [appendix]
    skipped = [f for f in figures if f.kind == "khong_gop"]
    if skipped:
        data["phu_luc"] = data.get("phu_luc") or [{"ten": "Số liệu tổng hợp theo đơn vị", "ngang": True,
                                                   "noi_dung": []}]
        data["phu_luc"][0]["noi_dung"].append({"gach": [f"{f.key}: không tổng hợp được ({f.reason})."
                                                        for f in skipped]})
        warnings += [f"số liệu {f.key}: không tổng hợp được ({f.reason})" for f in skipped]
    if findings.notes:
        data["chu_thich"] = findings.notes
    for f in figures:
        if f.kind in ("so", "ty_le") and len(f.values) < len(reports):
            absent = [r.name for r in reports if r.key not in f.values]
            warnings.append(f"số liệu {f.key}: chưa có trong báo cáo của " + ", ".join(absent) + " (không tính là 0)")
    return Merged(data, reports, figures, missing, warnings)

