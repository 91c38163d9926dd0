"""The document model between parsing and rendering.

Renderers, ``derive`` and ``batch`` work on these objects, never on raw YAML.
``build`` turns a schema-valid ``Source`` into a ``Document``, checking what a
schema cannot express (real calendar dates, one kind per body node, regime
specific signatures) and assigning the numbering of every section and task,
which derivation needs to cite "nhiệm vụ 2.3 của Kế hoạch …".

The module stays whole (about 650 lines) because the dataclasses and the builder that
checks them are one stage of the pipeline: split, each object would sit apart from the
checks that make it valid.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from . import inline, kinds, parts
from . import profile as profiles
from .loader import InputError, Problem, Source, format_path, iter_strings
from .numwords import dinh_dang_so
from .schema import validate
from .vn import Ngay, nfc, number_code, number_label, roman, short_date

TASK_FIELDS = ("chu_tri", "thuc_hien", "phoi_hop", "lanh_dao_phu_trach", "tham_muu", "thoi_gian", "san_pham",
               "ket_qua")
UNIT_FIELDS = ("chu_tri", "thuc_hien", "phoi_hop", "lanh_dao_phu_trach", "tham_muu")
# Fields holding one or more paragraphs of prose (a report's result), kept as lists.
PARAGRAPH_FIELDS = ("ket_qua",)
# Names and type codes of the kinds in data/kinds (kinds.py is the source; these are kept for callers).
KIND_NAMES = {k.code: k.name for k in kinds.all_kinds()}
KIND_CODES = {k.code: k.type_code("nha_nuoc") or k.type_code("dang") or None for k in kinds.all_kinds()}


@dataclass
class Agency:
    ten: str                     # as printed in the header, \n for line breaks
    ky_hieu: str
    cap_tren: str | None = None
    ten_goi: str | None = None   # name used in running text

    @property
    def name_in_text(self) -> str:
        """"Ủy ban nhân dân tỉnh": the name used in sentences and citations."""
        return self.ten_goi or self.ten.replace("\n", " ")


@dataclass
class Signature:
    chuc_vu: str
    ho_ten: str
    thay_mat: str | None = None
    ky_thay: str | None = None
    thua_lenh: str | None = None
    thua_uy_quyen: str | None = None
    quyen: bool = False


@dataclass
class Recipient:
    names: list[str]             # several names share one note, e.g. "(báo cáo)"
    note: str | None = None


@dataclass
class Paragraph:
    text: str
    path: tuple = ()


@dataclass
class Bullets:
    items: list[tuple[str, list[str]]]   # ("- " text, ["+ " sub-items])
    path: tuple = ()


@dataclass
class Section:
    """A numbered heading with children (I. MỤC ĐÍCH, YÊU CẦU; 1. Mục đích)."""

    title: str
    children: list = field(default_factory=list)
    number: list[int] = field(default_factory=list)
    label: str = ""
    path: tuple = ()


@dataclass
class Task:
    """A numbered task: its text plus data fields (chủ trì, phối hợp, …).

    Unit fields are lists so that ``derive`` can select by unit or group.
    """

    text: list[str]
    fields: dict = field(default_factory=dict)
    title: str | None = None
    code: str | None = None
    children: list = field(default_factory=list)
    number: list[int] = field(default_factory=list)
    label: str = ""
    path: tuple = ()

    @property
    def number_text(self) -> str:
        """"2.3" — the dotted number used when citing the task elsewhere."""
        return self.label.rstrip(".-)").strip() if self.label else ""


@dataclass
class Column:
    """A column of a phụ lục table; the width is resolved against the page."""

    name: str
    width_mm: float
    align: str = "left"          # left | center | right


@dataclass
class TableRow:
    """One row: a group ("nhom", spans the table), a sub-group, data cells, or a total.

    ``cells`` holds, per cell, its paragraphs (inline markup allowed);
    ``label`` is the number printed in the TT column (I, II for groups; 1, 2
    for rows, restarting per group), empty when the table has no TT column.
    """

    kind: str                    # nhom | nhom_con | dong | tong
    cells: list[list[str]]
    label: str = ""
    path: tuple = ()


@dataclass
class Table:
    columns: list[Column]
    rows: list[TableRow]
    numbered: bool = False       # first column is the generated TT
    path: tuple = ()


@dataclass
class Appendix:
    """A phụ lục after the signature: its own section, page numbers restart."""

    title: str
    content: list                # Paragraph | Bullets | Table
    landscape: bool = False
    path: tuple = ()


@dataclass
class Document:
    kind: str                    # a kind code of data/kinds: ke_hoach, bao_cao, quyet_dinh …
    regime: str                  # nha_nuoc | dang
    profile: profiles.Profile
    agency: Agency
    number: int | None
    type_code: str
    date: Ngay
    place: str
    subject: str
    kinh_gui: list[str]
    opening: list[str]
    numbering: list[str]
    task_display: dict
    body: list
    ending: str
    signature: Signature
    recipients: list[Recipient]
    archive: list[str]
    source: Source                                     # the parsed YAML it was built from
    task_annex: dict | None = None
    notes: dict = field(default_factory=dict)          # footnote name -> paragraphs (inline markup)
    appendices: list = field(default_factory=list)     # Appendix, in print order
    warnings: list = field(default_factory=list)
    extras: parts.KindParts = field(default_factory=parts.KindParts)   # the kind's own elements

    @property
    def kind_def(self) -> kinds.Kind:
        return kinds.get(self.kind)

    @property
    def kind_name(self) -> str:
        return self.kind_def.name

    def citation(self, style: "profiles.Profile | None" = None) -> str:
        """`Kế hoạch số 12/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh`, in the citation
        style of `style` (the citing document's regime; default this document's own).

        A document still in draft has no number or date: they become [[…]] placeholders,
        which `vbtool validate` reports in whatever cites it.
        """
        mau = (style or self.profile)["trich_dan"]["mau"]
        date = short_date(self.date) if not self.date.is_blank else f"[[ngày/tháng]]/{self.date.nam}"
        return mau.format(loai=self.kind_name, so_ky_hieu=self.number_code("[[số]]"), ngay=date,
                          co_quan=self.agency.name_in_text)

    def number_code(self, blank: str | None = None) -> str:
        """`12/KH-UBND` / `98-KH/BDVTU`: the số ký hiệu as cited, without "Số:"."""
        sk = self.profile["so_ky_hieu"]
        pattern = parts.number_pattern(self.profile, self.type_code)      # a công văn may have no type code
        return number_code(pattern, self.number, self.type_code, self.agency.ky_hieu,
                           sk["so_trong"] if blank is None else blank)

    def tasks(self) -> list[Task]:
        """All tasks in document order."""
        out: list[Task] = []

        def walk(nodes):
            for n in nodes:
                if isinstance(n, Task):
                    out.append(n)
                if isinstance(n, (Task, Section)):
                    walk(n.children)
        walk(self.body)
        return out


_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_VN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$|^[Nn]gày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})$")


def parse_date(value) -> Ngay:
    """2023-10-05, 05/10/2023, or a bare year for a draft with blank day/month."""
    if isinstance(value, int):
        if not 1900 <= value <= 2200:
            raise ValueError(f"năm {value} không hợp lý")
        return Ngay(value)
    m = _DATE_ISO.match(value)
    if m:
        y, mo, d = map(int, m.groups())
    else:
        m = _DATE_VN.match(value)
        if not m:
            raise ValueError(f"ngày \"{value}\" phải có dạng 2023-10-05, 05/10/2023 hoặc \"ngày 05 tháng 10 năm 2023\"")
        d, mo, y = map(int, [g for g in m.groups() if g is not None])
    try:
        dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"ngày {d:02d}/{mo:02d}/{y} không có thật") from None
    return Ngay(y, mo, d)


def _cell_text(v) -> str:
    """A table cell value as text: numbers get Vietnamese separators (1.234,5)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if isinstance(v, (int, float)):
        return dinh_dang_so(v)
    return v


def _as_list(v) -> list[str]:
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


class _Builder:
    def __init__(self, src: Source, prof: profiles.Profile, shown_fields: set[str] | None = None):
        self.src = src
        self.prof = prof
        self.problems: list[Problem] = []
        self.refs: list[tuple[str, tuple]] = []     # footnote references in document order
        self.rich_paths: set[tuple] = set()         # strings where inline markup and [^…] are allowed
        self.shown_fields = shown_fields if shown_fields is not None else set(TASK_FIELDS)

    def err(self, path, msg):
        self.problems.append(self.src.problem(path, msg))

    def rich(self, text: str, path: tuple, notes: bool = True) -> str:
        """Register a text that is printed with inline markup; collect its footnote references.

        The text is kept as written (the renderer parses it again, cached), so
        that ``derive`` and ``report-from`` can copy it with its markup.
        """
        self.rich_paths.add(tuple(path))
        for name in inline.refs(text):
            if notes:
                self.refs.append((name, tuple(path)))
            else:
                self.err(path, f"chú thích không chứa chú thích khác ([^{name}])")
        return text

    def nodes(self, items, path) -> list:
        out: list = []                 # Section | Paragraph | Bullets | parts.Article | Task
        for i, item in enumerate(items):
            p = path + (i,)
            if isinstance(item, str):
                out.append(Paragraph(self.rich(item, p), p))
                continue
            kinds = [k for k in ("muc", "nhiem_vu", "doan", "gach", "dieu") if k in item]
            if len(kinds) != 1:
                self.err(p, "mỗi phần tử nội dung phải có đúng một trong các trường muc, nhiem_vu, doan, gach"
                         + (f" (đang có: {', '.join(kinds)})" if kinds else ""))
                continue
            kind = kinds[0]
            task_keys = [k for k in TASK_FIELDS + ("tieu_de", "ma") if k in item]
            if kind != "nhiem_vu" and task_keys:
                self.err(p + (task_keys[0],), f"trường \"{task_keys[0]}\" chỉ dùng cho nhiem_vu")
                continue
            if kind in ("doan", "gach") and "noi_dung" in item:
                self.err(p + ("noi_dung",), "đoạn văn và danh sách gạch đầu dòng không có noi_dung con")
                continue
            if kind == "muc":
                title = self.rich(item["muc"], p + ("muc",))
            children = self.nodes(item.get("noi_dung", []), p + ("noi_dung",))
            if kind == "muc":
                out.append(Section(title, children, path=p))
            elif kind == "doan":
                out.append(Paragraph(self.rich(item["doan"], p + ("doan",)), p))
            elif kind == "gach":
                out.append(self.bullets(item["gach"], p))
            elif kind == "dieu":
                out.append(parts.article(self, item, p))
            else:
                fields = {}
                for k in TASK_FIELDS:
                    if k in item:
                        fields[k] = _as_list(item[k]) if k in UNIT_FIELDS + PARAGRAPH_FIELDS else item[k]
                        if k in UNIT_FIELDS:
                            self.check_units(fields[k], item[k], p + (k,))
                        if k in self.shown_fields:
                            self.rich_field(fields[k], item[k], p + (k,))
                task_title = self.rich(item["tieu_de"], p + ("tieu_de",)) if "tieu_de" in item else None
                texts = _as_list(item["nhiem_vu"])
                for j, t in enumerate(texts):
                    self.rich(t, p + ("nhiem_vu",) + ((j,) if isinstance(item["nhiem_vu"], list) else ()))
                out.append(Task(texts, fields, task_title, item.get("ma"), children, path=p))
        return out

    def rich_field(self, value, raw, path) -> None:
        if isinstance(raw, list):
            for j, v in enumerate(raw):
                self.rich(v, path + (j,))
        else:
            self.rich(raw, path)

    def bullets(self, items, p) -> Bullets:
        out: list[tuple[str, list[str]]] = []
        for j, g in enumerate(items):
            gp = p + ("gach", j)
            if isinstance(g, str):
                out.append((self.rich(g, gp), []))
            else:
                subs = [self.rich(c, gp + ("cong", k)) for k, c in enumerate(g.get("cong", []))]
                out.append((self.rich(g["doan"], gp + ("doan",)), subs))
        return Bullets(out, p)

    # -- phụ lục ---------------------------------------------------------
    def appendix(self, a: dict, path: tuple) -> Appendix:
        landscape = bool(a.get("ngang", False))
        width = self.prof.landscape_width_mm if landscape else self.prof.text_width_mm
        content: list[Paragraph | Bullets | Table] = []
        for j, item in enumerate(a.get("noi_dung", [])):
            p = path + ("noi_dung", j)
            if isinstance(item, str):
                content.append(Paragraph(self.rich(item, p), p))
                continue
            kinds = [k for k in ("doan", "gach", "bang") if k in item]
            if len(kinds) != 1:
                self.err(p, "mỗi phần tử nội dung phụ lục phải có đúng một trong các trường doan, gach, bang"
                         + (f" (đang có: {', '.join(kinds)})" if kinds else ""))
                continue
            if kinds[0] == "doan":
                content.append(Paragraph(self.rich(item["doan"], p + ("doan",)), p))
            elif kinds[0] == "gach":
                content.append(self.bullets(item["gach"], p))
            else:
                content.append(self.table(item["bang"], p + ("bang",), width))
        return Appendix(a["ten"], content, landscape, path)

    def table(self, t: dict, path: tuple, page_width: float) -> Table:
        cols = t["cot"]
        given = sum(c.get("rong_mm", 0) for c in cols)
        free = [c for c in cols if "rong_mm" not in c]
        rest = page_width - given
        if rest < (10 * len(free) if free else 0) - 0.05:
            where = "ngang" if page_width > 200 else "dọc"
            self.err(path + ("cot",), f"tổng độ rộng các cột ({given:g} mm{' và các cột tự co' if free else ''}) "
                     f"vượt bề rộng trang {where} ({page_width:g} mm)")
            rest = 10 * len(free)       # go on checking the rows: one message per mistake, not a cascade
        share = rest / len(free) if free else 0
        numbered = bool(t.get("so_thu_tu", False))
        align_vi = {"trai": "left", "giua": "center", "phai": "right", "deu": "both"}
        columns = [Column(c["ten"], round(c.get("rong_mm", share), 2),
                          align_vi[c.get("can", "giua" if numbered and i == 0 else "trai")])
                   for i, c in enumerate(cols)]
        expected = len(cols) - (1 if numbered else 0)
        restart = t.get("danh_so_lai", "nhom")
        groups = n = 0
        rows = []
        for k, row in enumerate(t["dong"]):
            rp = path + ("dong", k)
            total = isinstance(row, dict) and "tong" in row
            if total:
                if len(row) != 1:
                    self.err(rp, "dòng tổng cộng chỉ có trường tong")
                    continue
                row, rp = row["tong"], rp + ("tong",)
            elif isinstance(row, dict):
                kind = "nhom" if "nhom" in row else "nhom_con"
                if ("nhom" in row) == ("nhom_con" in row):
                    self.err(rp, "dòng nhóm có đúng một trong hai trường nhom hoặc nhom_con")
                    continue
                label = ""
                if kind == "nhom":
                    groups += 1
                    label = roman(groups)
                    if restart in ("nhom", "nhom_con"):
                        n = 0
                elif restart == "nhom_con":
                    n = 0
                rows.append(TableRow(kind, [[self.rich(row[kind], rp + (kind,))]], label if numbered else "", rp))
                continue
            if len(row) != expected:
                hint = (f" (cột đầu \"{cols[0]['ten']}\" tự đánh số, nên mỗi dòng cần {expected} ô)"
                        if numbered else "")
                self.err(rp, f"dòng có {len(row)} ô nhưng bảng có {len(cols)} cột{hint}")
                continue
            cells = []
            for c, cell in enumerate(row):
                cp = rp + (c,)
                if isinstance(cell, list):
                    cells.append([self.rich(_cell_text(v), cp + (m,)) for m, v in enumerate(cell)])
                elif isinstance(cell, str):
                    cells.append([self.rich(line, cp) for line in cell.split("\n")])
                else:
                    cells.append([_cell_text(cell)])
            if total:                   # a total row is not counted
                rows.append(TableRow("tong", cells, "", rp))
                continue
            n += 1
            rows.append(TableRow("dong", cells, str(n) if numbered else "", rp))
        return Table(columns, rows, numbered, path)

    def number(self, nodes, styles, prefix: list[int], path):
        n = 0
        for node in nodes:
            if isinstance(node, (Section, Task)):
                n += 1
                node.number = prefix + [n]
                depth = len(node.number) - 1
                if depth >= len(styles):
                    self.err(node.path, f"mục lồng quá sâu: cấp {depth + 1} chưa có kiểu đánh số trong danh_so")
                    continue
                node.label = number_label(styles, node.number)
                self.number(node.children, styles, node.number, path)

    def check_units(self, units: list[str], raw, path) -> None:
        """A unit name with an unbalanced bracket is almost always a YAML flow
        list split at a comma inside it: [Ban Dân vận TW (HN, T78), …]."""
        for i, u in enumerate(units):
            if u.count("(") != u.count(")"):
                where = path + ((i,) if isinstance(raw, list) else ())
                self.err(where, f"tên đơn vị \"{u}\" thiếu dấu ngoặc: nếu tên có dấu phẩy, hãy đặt nó trong "
                         "dấu nháy, ví dụ [\"Ban Dân vận TW (HN, T78)\"]")

    def signature(self, d: dict) -> Signature:
        names: dict[str, Any] = {k: d.get(k) for k in ("chuc_vu", "ho_ten", "thay_mat", "ky_thay", "thua_lenh",
                                                        "thua_uy_quyen")}     # schema-checked strings
        sig = Signature(**names, quyen=bool(d.get("quyen", False)))
        prefixes = self.prof["chu_ky"]["tien_to"]
        for key in ("thay_mat", "ky_thay", "thua_lenh", "thua_uy_quyen"):
            if getattr(sig, key) and key not in prefixes:
                self.err(("ky", key), f"thể thức {self.prof.name} không có hình thức ký này")
        if sig.quyen and "quyen" not in prefixes:
            self.err(("ky", "quyen"), f"thể thức {self.prof.name} không có hình thức ký \"Q.\"")
        delegations = [k for k in ("ky_thay", "thua_lenh", "thua_uy_quyen") if getattr(sig, k)]
        if len(delegations) > 1:
            self.err(("ky", delegations[1]), "chỉ chọn một trong ky_thay, thua_lenh, thua_uy_quyen")
        return sig


def _agency(a: dict) -> Agency:
    return Agency(a["ten"], a["ky_hieu"], a.get("cap_tren"), a.get("ten_goi"))


@dataclass
class Issuer:
    """What a document takes from its issuing unit (co_quan, dia_danh, ky, luu)."""

    agency: Agency
    place: str
    signature: Signature
    archive: list[str]


def issuer(src: Source, prof: profiles.Profile) -> tuple[Issuer, list[Problem]]:
    """The issuing unit's part of a Document, built and checked as `build` does (build
    calls it), with the problems found in it. `vbtool batch` stamps it per unit (stamp.py)."""
    d = src.data
    b = _Builder(src, prof)
    fields = Issuer(_agency(d["co_quan"]), d["dia_danh"], b.signature(d["ky"]), _as_list(d.get("luu")))
    return fields, b.problems


def build(src: Source, schema_checked: bool = False) -> Document:
    """Validate a parsed source and build the Document; raise InputError.

    `schema_checked`: the caller already validated this data against the
    schema (batch validates the base document once, not once per unit).
    """
    problems = [] if schema_checked else validate(src, "van-ban.schema.json")
    if problems:
        raise InputError(problems)
    d = src.data
    try:
        date, date_problem = parse_date(d["ngay"]), None
    except ValueError as exc:
        date, date_problem = Ngay(2000), str(exc)
    prof = choose_profile(src, d["the_thuc"], date, d.get("ho_so"))
    display = {**prof["nhiem_vu"], **(d.get("hien_thi_nhiem_vu") or {})}
    b = _Builder(src, prof, {spec["truong"] for spec in display["truong"]})
    if date_problem:
        b.err(("ngay",), date_problem)
    opening = _as_list(d.get("mo_dau"))
    for i, text in enumerate(opening):
        b.rich(text, ("mo_dau",) + ((i,) if isinstance(d.get("mo_dau"), list) else ()))
    kind = kinds.get(d["loai"])
    extras = parts.build_parts(b, d, kind)
    parts.check_nodes(b, d["noi_dung"], kind)
    body = b.nodes(d["noi_dung"], ("noi_dung",))
    styles = d.get("danh_so") or prof["muc"]["danh_so"]
    b.number(body, styles, [], ("noi_dung",))
    unit, unit_problems = issuer(src, prof)
    b.problems += unit_problems
    recipients = []
    for i, r in enumerate(d["noi_nhan"]):
        if isinstance(r, str):
            recipients.append(Recipient([r]))
        elif ("ten" in r) == ("nhom" in r):
            b.err(("noi_nhan", i), "mỗi nơi nhận có đúng một trong hai trường ten hoặc nhom")
        else:
            names = _as_list(r.get("ten") or r.get("nhom"))
            b.check_units(names, r.get("nhom"), ("noi_nhan", i, "nhom" if "nhom" in r else "ten"))
            recipients.append(Recipient(names, r.get("ghi_chu")))
    kinh_gui = _as_list(d.get("kinh_gui"))
    nn = prof["noi_nhan"]
    if kinh_gui and d["loai"] in nn.get("nhu_tren_tu_dong", []) and not _starts_with_nhu_tren(recipients, nn):
        # the report goes to the Kính gửi body: NĐ 30 ô 9b starts Nơi nhận with "- Như trên;"
        recipients.insert(0, Recipient([nn["nhu_tren"]]))
    appendices = [b.appendix(a, ("phu_luc", i)) for i, a in enumerate(d.get("phu_luc") or [])]
    annex = d.get("phu_luc_nhiem_vu")
    annex = {} if annex is True else (annex or None)
    notes = {}
    for name, value in (d.get("chu_thich") or {}).items():
        paras = _as_list(value)
        for i, text in enumerate(paras):
            b.rich(text, ("chu_thich", name) + ((i,) if isinstance(value, list) else ()), notes=False)
        notes[name] = paras
    _check_notes(b, notes)
    if b.problems:
        raise InputError(sorted(b.problems, key=lambda p: (p.line, p.col)))
    doc = Document(
        kind=d["loai"], regime=d["the_thuc"], profile=prof,
        agency=unit.agency,
        number=d.get("so"), type_code=d.get("ky_hieu_loai") or kind.type_code(d["the_thuc"]),
        date=date, place=unit.place, subject=nfc(d["trich_yeu"].strip()),
        kinh_gui=kinh_gui, opening=opening,
        numbering=list(styles), task_display=d.get("hien_thi_nhiem_vu") or {},
        body=body, ending=d.get("ket_thuc", prof["than_van_ban"]["ket_thuc"]),
        signature=unit.signature, recipients=recipients, archive=unit.archive,
        task_annex=annex, notes=notes, appendices=appendices, source=src, extras=extras,
    )
    parts.complete(doc)
    if annex is not None:
        doc.appendices.append(task_annex(doc, annex))
    return doc


def choose_profile(src: Source, regime: str, date: Ngay, pinned: str | None) -> profiles.Profile:
    """The profile pinned by ``ho_so``, or the regime's profile in force on the document's date."""
    try:
        prof = profiles.choose(regime, date.latest_day(), pinned)
    except KeyError:
        if pinned:
            raise InputError([src.problem(("ho_so",), f"không có hồ sơ thể thức \"{pinned}\"; có: "
                                          + ", ".join(profiles.available()))]) from None
        raise InputError([src.problem(("the_thuc",), f"không có hồ sơ thể thức nào cho thể thức \"{regime}\"; "
                                      "có: " + ", ".join(profiles.available()))]) from None
    if prof.regime != regime:
        raise InputError([src.problem(("ho_so",), f"hồ sơ {prof.name} dành cho thể thức {prof.regime}")])
    return prof


def _starts_with_nhu_tren(recipients: list[Recipient], nn: dict) -> bool:
    if not recipients:
        return False
    first = recipients[0].names[0].strip().rstrip(",;.").strip().lower()
    return first == nn["nhu_tren"].lower()


def _check_notes(b: _Builder, notes: dict) -> None:
    """Every reference has a note, every note is referenced, and only once.

    A note is printed at its one reference; a second reference would need a
    second copy of the note, which is never what the drafter meant.
    """
    seen: dict[str, tuple] = {}
    for name, path in b.refs:
        if name not in notes:
            b.err(path, f"chú thích [^{name}] chưa có nội dung: hãy thêm \"{name}: …\" vào chu_thich")
        elif name in seen:
            b.err(path, f"chú thích [^{name}] đã được dẫn ở {format_path(seen[name])}; mỗi chú thích chỉ dẫn một lần")
        else:
            seen[name] = path
    for name in notes:
        if name not in seen:
            b.err(("chu_thich", name), f"chú thích \"{name}\" không được dẫn ở đâu trong văn bản (thiếu [^{name}])")

    for path, _, _, text in iter_strings(b.src.data):
        if path not in b.rich_paths and path[:1] != ("chu_thich",):
            m = inline.NOTE_REF.search(text)
            if m:
                b.err(path, f"chú thích [^{m.group(1)}] không đặt được ở trường này; chỉ đặt trong đoạn văn, "
                      "mục, gạch đầu dòng, nhiệm vụ (các trường được in) và phụ lục")


def task_annex(doc: Document, spec: dict) -> Appendix:
    """Phụ lục "Danh mục nhiệm vụ": one row per task, generated from the body.

    Footnote references are dropped from the copied texts: the note is already
    printed at its place in the body, and a note has one reference.
    """
    layout = doc.profile.phu_luc_nhiem_vu          # column headings and widths (landscape page)
    width = doc.profile.landscape_width_mm
    specs = (layout.cot_stt, *layout.cot)
    fixed = sum(c.rong_mm for c in specs if c.rong_mm)
    cols = [Column(c.nhan, c.rong_mm or width - fixed, "center" if i == 0 else "left") for i, c in enumerate(specs)]
    rows = []
    for t in doc.tasks():
        vals = [_annex_cell(t, c.noi_dung) for c in layout.cot]
        rows.append(TableRow("dong", [[inline.strip_refs(v)] for v in vals], t.number_text, t.path))
    title = spec.get("tieu_de") or layout.tieu_de
    return Appendix(title, [Table(cols, rows, True, ("phu_luc_nhiem_vu",))], True, ("phu_luc_nhiem_vu",))


def _annex_cell(t: Task, content: str) -> str:
    """The text of one task-annex cell: the task itself, or one of its fields."""
    f = t.fields
    if content == "nhiem_vu":
        return (t.title + ": " if t.title else "") + " ".join(t.text)
    if content == "chu_tri":                     # the lead, or who carries it out when no lead is named
        return _join(f.get("chu_tri", []) or f.get("thuc_hien", []))
    value = f.get(content, "")
    return _join(value) if isinstance(value, list) else value


def _join(units: list[str]) -> str:
    from .vn import join_units
    return join_units(units)
