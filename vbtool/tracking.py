"""The task-tracking workbook (`vbtool theo-doi`) and reading it back (`report-from --ket-qua`).

Why a spreadsheet: offices follow a plan's tasks in Excel, one row per task
and unit, with a progress column; at reporting time they retype those rows
into the report. ``rows`` lists what is tracked (a task, or a task × each unit
assigned to lead it, groups expanded through the registry); ``workbook`` lays
it out for screen and print (frozen header, filters, a drop-down for tiến độ,
A4 landscape with the header repeated); ``read_results`` takes the kết quả and
số liệu columns back as ``report.Findings``.

A row is matched to the plan by its STT and chủ trì, checked against the
plan's text: a row edited, moved or deleted is reported by its row number,
never silently attached to another task. The rows the workbook was made with
are kept in a very hidden sheet, so reading back needs no registry.

Untrusted input: an .xlsx is a zip of XML. Before openpyxl sees it, the file
size, the number of parts, their uncompressed sizes and compression ratios
are checked and any DTD is refused (a zip bomb or an entity bomb must fail
with a message, not exhaust memory); the sheet is then read in openpyxl's
streaming read-only mode, with a bound on the rows.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import inline
from .model import Document
from .registry import Registry
from .report import Findings, add_figure, reportable_tasks, topic
from .vn import join_units
from .problem import MessagesError

SHEET = "Theo dõi"
META_SHEET = "vbtool"
MARK = "vbtool theo-doi 1"
PROGRESS = ("Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Quá hạn")
# (title, width in characters): 174 in all, what an A4 landscape page holds at about 85 %
COLUMNS = [("STT", 7), ("Nhiệm vụ", 40), ("Chủ trì", 16), ("Phối hợp", 14), ("Thời hạn", 11),
           ("Sản phẩm", 15), ("Tiến độ", 13), ("Kết quả", 32), ("Số liệu", 16), ("Ghi chú", 10)]
COL_RESULT, COL_FIGURES = 7, 8            # 0-based positions of Kết quả and Số liệu
HEADER_ROW = 3
LEAD_FIELDS = ("chu_tri", "thuc_hien")

MAX_BYTES = 10 * 1024 * 1024              # a tracking sheet of 124 communes × 40 tasks is ~600 KB
MAX_PARTS = 500
MAX_UNCOMPRESSED = 60 * 1024 * 1024
MAX_RATIO = 200                           # XML compresses ~10×; a bomb compresses 1000×
MAX_ROWS = 20_000
KEY = re.compile(r"^[a-z_][a-z0-9_]*$")


class TrackingError(MessagesError):
    """The workbook cannot be used; ``lines`` are Vietnamese messages naming the file and row."""


@dataclass
class Row:
    """One tracked row: a task of the plan and who leads it."""

    task: int                    # position in report.reportable_tasks(plan)
    number: str                  # STT: the task's number as the report cites it ("2.3", "1 mục III")
    text: str                    # the task as plain text
    lead: str                    # chủ trì: one unit (with a registry) or the plan's wording
    partners: str
    deadline: str
    product: str

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(_norm(self.text).encode("utf-8")).hexdigest()[:16]


def _norm(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


def _plain(text: str) -> str:
    return _norm(inline.plain(text))


def rows(plan: Document, registry: Registry | None = None) -> list[Row]:
    """The rows to track, in plan order. With a registry, a lead phrase naming a group gives a row per
    member; a phrase the registry does not know (or one naming no unit) stays one row as written."""
    out: list[Row] = []
    for i, (task, _top, num) in enumerate(reportable_tasks(plan)):
        f = task.fields
        text = _plain(((task.title + ": ") if task.title else "") + " ".join(task.text))
        phrases = [p for k in LEAD_FIELDS for p in f.get(k, [])]
        partners = _plain(join_units(f.get("phoi_hop", [])))
        leads: list[str] = []
        if registry is None or not phrases:
            leads = [_plain(join_units(phrases))]
        else:
            for phrase in phrases:
                ids, kind = registry.resolve(phrase)
                names = [registry.units[u].name_in_text for u in registry.units if u in ids] if ids else [phrase]
                leads += [_plain(n) for n in names if _plain(n) not in leads]
        for lead in leads:
            out.append(Row(i, num, text, lead, partners, _plain(f.get("thoi_gian", "")),
                           _plain(f.get("san_pham", ""))))
    return out


# --------------------------------------------------------------------------- writing

def workbook(plan: Document, tracked: list[Row]) -> bytes:
    """The .xlsx bytes: a title, the header, one row per tracked row; print-ready."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    last_col = get_column_letter(len(COLUMNS))
    font = Font(name="Times New Roman", size=12)
    bold = Font(name="Times New Roman", size=12, bold=True)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")

    ws["A1"] = "BẢNG THEO DÕI THỰC HIỆN KẾ HOẠCH"
    ws["A1"].font = Font(name="Times New Roman", size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last_col}1")
    ws["A2"] = f"(Kèm theo {plan.citation()} {topic(plan)})"
    ws["A2"].font = Font(name="Times New Roman", size=12, italic=True)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A2:{last_col}2")
    ws.row_dimensions[1].height = 24
    ws.row_dimensions[2].height = 36           # merged cells are not auto-fitted by Excel

    for c, (title, width) in enumerate(COLUMNS, 1):
        cell = ws.cell(HEADER_ROW, c, title)
        cell.font, cell.alignment, cell.border = bold, centre, box
        cell.fill = PatternFill("solid", fgColor="D9E2F3")
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(tracked, HEADER_ROW + 1):
        values = [row.number, row.text, row.lead, row.partners, row.deadline, row.product, PROGRESS[0], None,
                  None, None]
        for c, v in enumerate(values, 1):
            cell = ws.cell(r, c, v)
            cell.font, cell.border = font, box
            cell.alignment = centre if c in (1, 7) else wrap_top
            if c == 1:
                cell.number_format = "@"      # "2.10" stays text, not the number 2.1
        ws.row_dimensions[r].height = _height(values)
    last = HEADER_ROW + max(len(tracked), 1)

    dv = DataValidation(type="list", formula1='"' + ",".join(PROGRESS) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="Tiến độ", error="Chọn một giá trị trong danh sách: "
                        + ", ".join(PROGRESS) + ".", showInputMessage=True, promptTitle="Tiến độ",
                        prompt="Chọn trong danh sách.")
    dv.add(f"G{HEADER_ROW + 1}:G{last}")
    ws.add_data_validation(dv)
    hint = DataValidation(type=None, allow_blank=True, showInputMessage=True, promptTitle="Số liệu",
                          prompt="Mỗi số liệu một dòng, dạng ten_so_lieu: số. Ví dụ:\nhoi_nghi: 12\nluot_nguoi: 3.500")
    hint.add(f"I{HEADER_ROW + 1}:I{last}")
    ws.add_data_validation(hint)

    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"

    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    meta.append([MARK, plan.number_code("[[số]]"), plan.citation()])
    for row in tracked:
        meta.append([row.number, row.lead, row.fingerprint])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _height(values: list) -> float:
    """Row height in points for wrapped text. Excel fits rows without a height when it opens the
    file, LibreOffice does not: an estimate (Times New Roman 12 pt: ~1,2 characters per width unit)
    shows every line in both (checked by printing through LibreOffice)."""
    lines = 1
    for (_, width), v in zip(COLUMNS, values):
        if v:
            per_line = max(int(width * 1.2) - 1, 1)
            lines = max(lines, sum(-(-max(len(p), 1) // per_line) for p in str(v).split("\n")))
    return round(lines * 15.5 + 3, 1)


# --------------------------------------------------------------------------- reading

def check_archive(path: Path) -> None:
    """Refuse what could exhaust memory before any XML is parsed."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise TrackingError([f"{name}: không đọc được tệp (không tồn tại hoặc không có quyền đọc)"]) from None
    if path.is_dir():
        raise TrackingError([f"{name}: đây là thư mục, không phải tệp .xlsx"])
    if size > MAX_BYTES:
        raise TrackingError([f"{name}: tệp quá lớn ({size // 1024} KB, tối đa {MAX_BYTES // 1024} KB)"])
    if not zipfile.is_zipfile(path):
        raise TrackingError([f"{name}: không phải tệp Excel .xlsx (tệp .xls cũ hãy lưu lại thành .xlsx)"])
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        if len(infos) > MAX_PARTS:
            raise TrackingError([f"{name}: tệp .xlsx có quá nhiều thành phần ({len(infos)})"])
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED:
            raise TrackingError([f"{name}: nội dung giải nén quá lớn ({total // (1024 * 1024)} MB, tối đa "
                                 f"{MAX_UNCOMPRESSED // (1024 * 1024)} MB); tệp hỏng hoặc không an toàn"])
        for i in infos:
            if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise TrackingError([f"{name}: thành phần {i.filename} nén bất thường "
                                     f"({i.file_size // i.compress_size if i.compress_size else '∞'} lần); "
                                     "tệp không an toàn, không mở"])
        for i in infos:
            if i.filename.endswith((".xml", ".rels")):
                with z.open(i) as f:
                    tail = b""
                    while chunk := f.read(65536):
                        if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                            raise TrackingError([f"{name}: thành phần {i.filename} có khai báo DTD/ENTITY; "
                                                 "tệp không an toàn, không mở"])
                        tail = chunk[-16:]
        if "xl/workbook.xml" not in z.namelist():
            raise TrackingError([f"{name}: không phải tệp Excel .xlsx (thiếu xl/workbook.xml)"])


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def parse_number(text: str) -> int | float:
    """A number as a clerk types it: 3.500, 3500, 12,5 (Vietnamese separators); raise ValueError."""
    t = text.strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", t) or re.fullmatch(r"-?\d+(,\d+)?", t):
        t = t.replace(".", "").replace(",", ".")
    elif not re.fullmatch(r"-?\d+(\.\d+)?", t):
        raise ValueError(text)
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise ValueError(text) from None
    return int(d) if d == d.to_integral_value() else float(d)


def parse_figures(text: str) -> list[tuple[str, int | float]]:
    """"hoi_nghi: 12; luot_nguoi: 3.500" → [("hoi_nghi", 12), ("luot_nguoi", 3500)]; raise ValueError(message)."""
    out = []
    for item in re.split(r"[;\n]", text):
        item = item.strip()
        if not item:
            continue
        m = re.fullmatch(r"([^:=]+?)\s*[:=]\s*(.+)", item)
        if not m:
            raise ValueError(f"\"{item}\" phải có dạng ten_so_lieu: số (ví dụ hoi_nghi: 12)")
        key, value = m.group(1).strip(), m.group(2).strip()
        if not KEY.match(key):
            raise ValueError(f"tên số liệu \"{key}\" phải viết chữ thường không dấu, nối bằng dấu _ (ví dụ hoi_nghi)")
        if value.endswith("%"):
            raise ValueError(f"\"{item}\": không ghi tỷ lệ phần trăm; hãy ghi tử số và mẫu số thành hai số liệu "
                             "(ví dụ dat: 45; tong: 50), tỷ lệ được tính lại khi báo cáo")
        try:
            out.append((key, parse_number(value)))
        except ValueError:
            raise ValueError(f"\"{item}\": giá trị \"{value}\" không phải là số") from None
    return out


def read_results(path: str | Path, plan: Document) -> Findings:
    """Kết quả and số liệu of a filled tracking workbook, checked row by row against the plan."""
    path = Path(path)
    name = str(path)
    check_archive(path)
    from openpyxl import load_workbook
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:                     # openpyxl raises many kinds on a damaged file
        raise TrackingError([f"{name}: không mở được tệp Excel ({type(exc).__name__})"]) from None
    try:
        if SHEET not in wb.sheetnames or META_SHEET not in wb.sheetnames:
            raise TrackingError([f"{name}: không phải bảng theo dõi lập bằng vbtool theo-doi (thiếu trang "
                                 f"\"{SHEET}\"); hãy lập bảng bằng: vbtool theo-doi KẾ_HOẠCH.yaml"])
        meta = list(_limited(wb[META_SHEET], name, 3))
        sheet = list(_limited(wb[SHEET], name, len(COLUMNS)))
    finally:
        wb.close()
    if not meta or _cell_text(meta[0][0]) != MARK:
        raise TrackingError([f"{name}: trang ẩn của bảng theo dõi bị hỏng; hãy lập lại bảng bằng vbtool theo-doi"])
    code = _cell_text(meta[0][1])
    if code != plan.number_code("[[số]]"):
        raise TrackingError([f"{name}: bảng theo dõi này lập cho Kế hoạch {code}, không phải "
                             f"{plan.citation()}"])
    expected = _expected(meta[1:], plan, name)
    return _results(sheet, expected, name)


def _limited(ws, name: str, ncols: int):
    for n, row in enumerate(ws.iter_rows(values_only=True, max_col=ncols), 1):
        if n > MAX_ROWS:
            raise TrackingError([f"{name}: trang \"{ws.title}\" có quá nhiều dòng (tối đa {MAX_ROWS})"])
        yield tuple(row) + (None,) * (ncols - len(row))


def _expected(meta_rows, plan: Document, name: str) -> list[Row]:
    """The rows the workbook was made with, checked against the plan as it is now."""
    tasks = {num: (i, t) for i, (t, _top, num) in enumerate(reportable_tasks(plan))}
    out: list[Row] = []
    for number, lead, fp in meta_rows:
        number, lead, fp = _cell_text(number), _cell_text(lead), _cell_text(fp)
        if not number:
            continue
        if number not in tasks:
            raise TrackingError([f"{name}: Kế hoạch không còn nhiệm vụ {number} như khi lập bảng theo dõi; "
                                 "hãy lập lại bảng bằng vbtool theo-doi"])
        i, task = tasks[number]
        row = Row(i, number, _plain(((task.title + ": ") if task.title else "") + " ".join(task.text)), lead,
                  "", "", "")
        if row.fingerprint != fp:
            raise TrackingError([f"{name}: nội dung nhiệm vụ {number} trong Kế hoạch đã thay đổi từ khi lập bảng "
                                 "theo dõi; hãy lập lại bảng bằng vbtool theo-doi"])
        out.append(row)
    return out


def _results(sheet: list[tuple], expected: list[Row], name: str) -> Findings:
    where = f"{name}: trang \"{SHEET}\""
    header = [_cell_text(v) for v in sheet[HEADER_ROW - 1]] if len(sheet) >= HEADER_ROW else []
    if header != [t for t, _ in COLUMNS]:
        raise TrackingError([f"{where}, dòng {HEADER_ROW}: hàng tiêu đề đã bị sửa (cần: "
                             + ", ".join(t for t, _ in COLUMNS) + ")"])
    data = [(n, r) for n, r in enumerate(sheet[HEADER_ROW:], HEADER_ROW + 1) if any(_cell_text(v) for v in r)]
    index = {(e.number, e.lead): k for k, e in enumerate(expected)}
    by_text = {(_norm(e.text), e.lead): e for e in expected}
    numbers = {e.number for e in expected}
    problems: list[str] = []
    seen: dict[int, int] = {}                    # expected position -> sheet row
    order: list[tuple[int, int, tuple]] = []     # (sheet row, expected position, cells)
    for n, r in data:
        stt, text, lead = _cell_text(r[0]), _norm(_cell_text(r[1])), _norm(_cell_text(r[2]))
        k = index.get((stt, lead))
        if k is None:
            moved = by_text.get((text, lead))
            if moved is not None:
                problems.append(f"{where}, dòng {n}: cột STT \"{stt}\" đã bị sửa (nội dung là nhiệm vụ "
                                f"{moved.number} của Kế hoạch)")
            elif stt in numbers:
                problems.append(f"{where}, dòng {n}: chủ trì \"{lead}\" không phải đơn vị được giao nhiệm vụ "
                                f"{stt} khi lập bảng (cột Chủ trì đã bị sửa?)")
            else:
                problems.append(f"{where}, dòng {n}: STT \"{stt}\" không có trong Kế hoạch (dòng thêm vào hoặc "
                                "đã bị sửa)")
            continue
        e = expected[k]
        if text != _norm(e.text):
            problems.append(f"{where}, dòng {n}: nội dung nhiệm vụ {stt} đã bị sửa, khác với Kế hoạch; hãy trả "
                            "lại đúng nội dung (chỉ ghi vào các cột Tiến độ, Kết quả, Số liệu, Ghi chú)")
        if k in seen:
            problems.append(f"{where}, dòng {n}: trùng với dòng {seen[k]} (nhiệm vụ {stt}, {lead})")
            continue
        seen[k] = n
        order.append((n, k, r))
    for k, e in enumerate(expected):
        if k not in seen:
            problems.append(f"{where}: thiếu dòng của nhiệm vụ {e.number} ({e.lead or 'không ghi chủ trì'}), "
                            f"theo Kế hoạch là dòng {HEADER_ROW + 1 + k} (dòng đã bị xóa?)")
    if not problems:
        for pos, (n, k, _r) in enumerate(order):
            if k != pos:
                want = expected[pos]
                problems.append(f"{where}, dòng {n}: các dòng đã bị sắp xếp lại: dòng {n} là nhiệm vụ "
                                f"{expected[k].number} ({expected[k].lead}) nhưng theo thứ tự Kế hoạch phải là "
                                f"nhiệm vụ {want.number} ({want.lead}); hãy trả lại thứ tự ban đầu")
                break
    if problems:
        raise TrackingError(problems)

    per_task: dict[int, list[Row]] = {}
    for e in expected:
        per_task.setdefault(e.task, []).append(e)
    rows_of = {k: r for _n, k, r in order}
    sheet_row = {k: n for n, k, _r in order}
    findings = Findings()
    for task, entries in per_task.items():
        paragraphs: list[str] = []
        for e in entries:
            k = index[(e.number, e.lead)]
            r = rows_of[k]
            result = _cell_text(r[COL_RESULT])
            lines = [ln.strip() for ln in result.splitlines() if ln.strip()]
            if lines and len(entries) > 1:
                lines[0] = f"*{inline.escape(e.lead)}:* {lines[0]}"
            paragraphs += lines
            try:
                for key, value in parse_figures(_cell_text(r[COL_FIGURES])):
                    add_figure(findings.so_lieu, key, value)
            except ValueError as exc:
                problems.append(f"{where}, dòng {sheet_row[k]}, cột Số liệu: {exc}")
        if paragraphs:
            findings.ket_qua[task] = paragraphs
    if problems:
        raise TrackingError(problems)
    return findings
