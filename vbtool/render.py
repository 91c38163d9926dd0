"""Lay a Document out with its profile as WordprocessingML.

Everything a regime decides (sizes, prefixes, the rule lines or the `*`, the
Lưu line) is read from the profile; this module only knows the *structure* of
a Kế hoạch or Báo cáo: header grid, title, body, signature and Nơi nhận,
phụ lục. The result is the inner XML of <w:body>, the header parts and the
footnotes part.

Text with inline markup (``**đậm**``, ``*nghiêng*``, ``[^chu_thich]``, see
inline.py) goes through ``spans``: footnotes get their number here, at the
moment their reference is laid out, so numbering follows the printed order
across body and phụ lục whatever the YAML order.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import inline, ooxml, parts
from .model import (PARAGRAPH_FIELDS, Appendix, Bullets, Document, Paragraph, Section, Table, Task)
from .ooxml import Cell, ParaProps, Row, RunProps, para, run, serialise
from .ooxml.units import pt_mm
from .vn import date_line, join_units, lower_first, short_date, so_ky_hieu, roman, upper_vn

# Trích yếu of a Party document continues the tên loại, so it starts in lower
# case; only common opening words are lowered, never a proper noun.
_LOWER_OK = {"về", "thực", "triển", "tổ", "tăng", "tiếp", "đẩy", "nâng", "xây", "kết", "đánh", "sơ",
             "tổng", "phương", "công", "tình", "quán", "hướng", "phát", "thành", "phối", "chỉ", "tuyên", "cụ"}


SIGNATURE_GAP_PT = 12   # space between the last body line and the Nơi nhận / signature row


@dataclass(frozen=True)
class _LastBody:
    """The last body paragraph as laid out, so that the regime's ending can be added to it."""

    index: int                  # its place in Renderer.out
    text: str
    font: RunProps
    label: str
    label_font: RunProps | None
    upper: bool
    props: ParaProps
    notes_before: int           # footnotes numbered before it


@dataclass
class Rendered:
    body_xml: str
    parts: dict            # extra package parts: name -> xml


class Renderer:
    """Renders one Document; a new instance per document (cheap).

    Why one class of this size: every part of the layout (body, phụ lục tables,
    signature block) shares two pieces of state that must follow the printed
    order, the footnote numbers and the last body paragraph (which gets the
    ending and is kept with the signature); splitting the parts into classes
    would only pass that state around."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.p = doc.profile
        self.fn = self.p.font_name
        tv = self.p.than_van_ban
        self.body_font = RunProps(self.fn, tv.co_chu)
        self.body_fmt = ParaProps(align="both", first_line_mm=tv.thut_dau_dong_mm, before_pt=tv.khoang_truoc,
                                   after_pt=tv.khoang_sau, line_exact_pt=tv.gian_dong_pt)
        self.width = self.p.text_width_mm
        self.out: list[ooxml.Block] = []             # the body, serialised at the end
        self.last_body: _LastBody | None = None      # what close_body needs to lay the paragraph out again
        self.notes: list[tuple[int, str]] = []       # (footnote id, name) in printed order
        self.restart_first = False                   # page numbers restart (a document after its decision)

    # -- helpers ---------------------------------------------------------
    def _center(self, **kw) -> ParaProps:
        return ParaProps(align="center", **kw)

    def spans(self, text: str, font: RunProps, notes: bool = True, upper: bool = False, ending: str = "") -> str:
        """Runs of a text with inline markup; footnote references get the next number.

        `ending` ("./.") goes after the last text and before trailing footnote
        references, so a note on the last sentence reads "quy định./.¹".
        """
        items = list(inline.parse(text))
        if ending:
            k = len(items)
            while k and isinstance(items[k - 1], inline.NoteRef):
                k -= 1
            last = items[k - 1].text if k and isinstance(items[k - 1], inline.Span) else ""
            if last and last[-1] == ending[0]:          # "quy định." + "./." -> "quy định./."
                ending = ending[1:]
            items.insert(k, inline.Span(ending))
        out = []
        for item in items:
            if isinstance(item, inline.NoteRef):
                if notes:
                    note_id = len(self.notes) + 1
                    self.notes.append((note_id, item.name))
                    out.append(ooxml.footnote_reference(note_id, font.but(bold=False, italic=False)))
                continue
            f = font.but(bold=font.bold or item.bold, italic=font.italic or item.italic)
            out.append(run(upper_vn(item.text) if upper else item.text, f))
        return "".join(out)

    def body_para(self, text: str, font: RunProps | None = None, label: str = "", label_font: RunProps | None = None,
                  upper: bool = False, **fmt) -> None:
        f = font or self.body_font
        fm = self.body_fmt.but(**fmt)
        last = _LastBody(len(self.out), text, f, label, label_font, upper, fm, len(self.notes))
        self.out.append(self._body_para(last))
        self.last_body = last

    def _body_para(self, b: "_LastBody", ending: str = "") -> ooxml.Paragraph:
        runs = run(b.label + " ", b.label_font or b.font) if b.label else ""
        return para(runs + self.spans(b.text, b.font, upper=b.upper, ending=ending), b.props)

    # -- header ----------------------------------------------------------
    def header_table(self) -> str:
        p, d = self.p, self.doc
        left_w, right_w = p.bang_dau.cot_trai_mm, p.bang_dau.cot_phai_mm
        single = self._center()
        left = []
        if d.agency.cap_tren:
            left.append(para(run(upper_vn(d.agency.cap_tren), p.font("co_quan_cap_tren")), single))
        left.append(para(run(upper_vn(d.agency.ten), p.font("co_quan_ban_hanh")), single))
        under = p.co_quan_ban_hanh.duoi
        if under.kieu == "duong_ke":
            left.append(ooxml.rule_para(under.rule_mm, left_w - 2))
        else:
            left.append(para(run(under.text, p.font("co_quan_ban_hanh", bold=False)), single))
        right = []
        for line in p.tieu_de.dong:
            right.append(para(run(line.chu, RunProps(self.fn, line.co_chu, bold=line.dam)), single))
        right.append(ooxml.rule_para(p.tieu_de.duong_ke_mm, right_w - 2))
        sk = p.so_ky_hieu
        number = so_ky_hieu(parts.number_pattern(p, d.type_code), d.number, d.type_code, d.agency.ky_hieu,
                            sk.so_trong)
        row2_fmt = self._center(before_pt=6)
        rows = [
            Row([Cell(left, left_w), Cell(right, right_w)]),
            Row([Cell([para(run(number, p.font("so_ky_hieu")), row2_fmt), *parts.subject_under_number(self)],
                      left_w),
                 Cell([para(run(date_line(d.place, d.date), p.font("dia_danh_ngay")), row2_fmt)], right_w)]),
        ]
        if d.extras.issued_with is not None:     # issued with a decision: no number or date of its own
            rows = rows[:1]
        return ooxml.table(rows, [left_w, right_w])

    def title(self) -> None:
        p, d = self.p, self.doc
        self.out.append(para(run(upper_vn(d.kind_name), p.font("ten_loai")),
                             self._center(before_pt=p.ten_loai.khoang_truoc, keep_next=True)))
        subject = d.subject
        if p.trich_yeu.chu_dau == "thuong":
            first = subject.split(" ", 1)[0].lower()
            if first in _LOWER_OK:
                subject = lower_first(subject)
        else:
            subject = subject[:1].upper() + subject[1:]
        self.out.append(para(run(subject, p.font("trich_yeu")), self._center(keep_next=True)))
        self.out.extend(parts.issued_with_line(self))
        under = p.trich_yeu.duoi
        if under.kieu == "duong_ke":
            self.out.append(ooxml.rule_para(under.rule_mm, self.width))
        else:
            self.out.append(para(run(under.text, p.font("trich_yeu", bold=False)), self._center()))

    def kinh_gui(self) -> None:
        d, kg = self.doc, self.p.kinh_gui
        if not d.kinh_gui:
            return
        f = RunProps(self.fn, kg.co_chu)
        label = kg.nhan
        if len(d.kinh_gui) == 1:
            self.out.append(para(run(f"{label} {d.kinh_gui[0].rstrip(';.')}.", f), self._center(before_pt=6)))
            return
        # Several recipients: the first "- " follows the colon, the others line up under it.
        # The dash column is a tab stop that is also the hanging indent, so the lines
        # align exactly in Word and LibreOffice whatever the label's real width.
        start = kg.le_trai_mm
        dash_at = start + _text_width_mm(label, kg.co_chu) + 2
        for i, name in enumerate(d.kinh_gui):
            end = "." if i == len(d.kinh_gui) - 1 else ";"
            text = f"- {name.strip().rstrip(';.')}{end}"
            fmt = ParaProps(align="left", left_mm=dash_at, first_line_mm=start - dash_at, tabs_mm=(dash_at,),
                             before_pt=6 if i == 0 else 0)
            if i == 0:
                self.out.append(para([run(label, f), ooxml.tab_run(f), run(text, f)], fmt))
            else:
                self.out.append(para(ooxml.tab_run(f) + run(text, f), fmt))

    # -- body ------------------------------------------------------------
    def heading_font(self, depth: int) -> tuple[RunProps, bool]:
        levels = self.p.muc.cap
        spec = levels[min(depth, len(levels) - 1)]
        return self.body_font.but(bold=spec.get("dam", False), italic=spec.get("nghieng", False)), spec.get(
            "in_hoa", False
        )

    def nodes(self, nodes, depth: int = 0) -> None:
        for n in nodes:
            if isinstance(n, Paragraph):
                self.body_para(n.text)
            elif isinstance(n, Bullets):
                self.bullets(n)
            elif isinstance(n, Section):
                font, caps = self.heading_font(depth)
                self.body_para(n.title, font, label=n.label, upper=caps, keep_next=True)
                self.nodes(n.children, depth + 1)
            elif isinstance(n, Task):
                self.task(n, depth)
            elif isinstance(n, parts.Article):
                parts.article_para(self, n)

    def bullets(self, n: Bullets) -> None:
        for text, subs in n.items:
            self.body_para(text, label="-")
            for s in subs:
                self.body_para(s, label="+")

    def task(self, t: Task, depth: int) -> None:
        if t.title:
            font, caps = self.heading_font(depth)
            self.body_para(t.title, font, label=t.label, upper=caps, keep_next=True)
            texts = t.text
        else:
            self.body_para(t.text[0], label=t.label)
            texts = t.text[1:]
        for extra in texts:
            self.body_para(extra)
        self.nodes(t.children, depth + 1)
        self.task_fields(t)

    def task_fields(self, t: Task) -> None:
        display = {**self.p.nhiem_vu, **self.doc.task_display}
        dash = display.get("dau_dong", "")
        for spec in display["truong"]:
            value = t.fields.get(spec["truong"])
            if not value:
                continue
            if spec["truong"] in PARAGRAPH_FIELDS:       # the label, then paragraphs of prose
                self.body_para(f"{dash}{spec['nhan']}: {value[0]}")
                for more in value[1:]:
                    self.body_para(more)
                continue
            text = join_units(value) if isinstance(value, list) else value
            if inline.plain(text)[-1:] not in ".;:!?…)":
                text = _before_trailing_refs(text, ".")
            self.body_para(f"{dash}{spec['nhan']}: {text}")

    def close_body(self) -> None:
        """Append the regime's ending ("./.") to the last body paragraph.

        The paragraph is laid out again with the ending placed before any
        trailing footnote reference; its notes keep their numbers.
        """
        if self.last_body is None or not self.doc.ending:
            return
        del self.notes[self.last_body.notes_before:]
        self.out[self.last_body.index] = self._body_para(self.last_body, ending=self.doc.ending)

    # -- signature and Nơi nhận ------------------------------------------
    def signature_lines(self) -> list[tuple[str, bool]]:
        s, ck = self.doc.signature, self.p.chu_ky
        pre = ck.tien_to
        lines = []
        if s.thay_mat:
            lines.append((f"{pre['thay_mat']} {upper_vn(s.thay_mat)}", ck.quyen_han_dam))
        for key in ("ky_thay", "thua_lenh", "thua_uy_quyen"):
            if getattr(s, key):
                lines.append((f"{pre[key]} {upper_vn(getattr(s, key))}", ck.quyen_han_dam))
        chuc_vu = upper_vn(s.chuc_vu)
        if s.quyen:
            chuc_vu = f"{pre['quyen']} {chuc_vu}"
        lines.append((chuc_vu, ck.chuc_vu_dam if lines else ck.quyen_han_dam))
        return lines

    def signature_block(self) -> str:
        ck = self.p.chu_ky
        left_w = round(self.width * ck.cot_trai_phan_tram / 100, 1)
        right_w = round(self.width - left_w, 1)
        f = RunProps(self.fn, ck.co_chu)
        center = self._center()
        # the first line sits level with "Nơi nhận:" (same space above, see recipients())
        right = [para(run(text, f.but(bold=bold)), self._center(before_pt=SIGNATURE_GAP_PT) if i == 0 else center)
                 for i, (text, bold) in enumerate(self.signature_lines())]
        right += [para(run("", f), center)] * ck.dong_trong
        right.append(para(run(self.doc.signature.ho_ten, f.but(bold=ck.ho_ten_dam)), center))
        left = self.recipients(left_w)
        rows = [Row([Cell(left, left_w), Cell(right, right_w)])]
        return ooxml.table(rows, [left_w, right_w], cell_margin_mm=0.5)

    def recipients(self, width: float) -> list[ooxml.Block]:
        nn, d = self.p.noi_nhan, self.doc
        if not d.recipients and not d.archive:
            return ["<w:p/>"]
        label_font = RunProps(self.fn, nn.nhan_co_chu, bold=nn.nhan_dam,
                          italic=nn.nhan_nghieng, underline=nn.nhan_gach_chan)
        f = RunProps(self.fn, nn.co_chu)
        fmt = ParaProps(align="left")
        out: list[ooxml.Block] = [para(run(nn.nhan, label_font), ParaProps(align="left", before_pt=SIGNATURE_GAP_PT))]
        end = nn.ket_muc
        for r in d.recipients:
            note = f" ({r.note})" if r.note else ""
            if len(r.names) == 1:
                out.append(para(run(f"- {r.names[0].rstrip(',;.')}{note}{end}", f), fmt))
                continue
            # several recipients sharing one note: a bracket table, the note at its right
            items = [para(run(f"- {n.rstrip(',;.')}{end}", f), fmt) for n in r.names]
            note_w = 18.0
            bracket = '<w:right w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
            out.append(ooxml.table([Row([Cell(items, width - note_w - 1, borders=bracket),
                                        Cell([para(run(f"({r.note})", f), self._center())], note_w,
                                             valign="center")])],
                                  [width - note_w - 1, note_w], cell_margin_mm=0.3))
        out.append(para(run(f"- {self.archive_line()}", f), fmt))
        return out

    def archive_line(self) -> str:
        nn, parts = self.p.noi_nhan, list(self.doc.archive)
        first = nn.luu_dau
        if first and (not parts or parts[0] != first):
            parts.insert(0, first)
        text = ", ".join(x.strip().rstrip(".") for x in parts)
        return nn.luu_mau.format(ds=text).replace(": .", ".").replace(" .", ".")

    # -- phụ lục ---------------------------------------------------------
    def citation_of_self(self) -> str:
        d, p = self.doc, self.p
        number = d.number_code()
        if p.phu_luc.kem_theo_ngay == "dai":
            date = date_line("", d.date).lstrip(", ")
        else:
            date = short_date(d.date)
        return p.phu_luc.kem_theo_mau.format(loai=d.kind_name, so_ky_hieu=number,
                                                   ngay=date.removeprefix("ngày "), co_quan=d.agency.name_in_text)

    def appendix(self, ap: Appendix, number: int, count: int) -> list[ooxml.Block]:
        """One phụ lục: heading per regime, title, the Kèm theo line, then its content."""
        pl = self.p.phu_luc
        if count > 1 or pl.so_khi_mot:
            label = roman(number) if pl.danh_so == "la_ma" else str(number)
        else:
            label = ""
        heading = " ".join(pl.tieu_de.format(so=label).split())
        out: list[ooxml.Block] = [
            para(run(heading, RunProps(self.fn, pl.tieu_de_co_chu, bold=True)), self._center(keep_next=True)),
            para(
                self.spans(ap.title, RunProps(self.fn, pl.ten_co_chu, bold=True), upper=True),
                self._center(keep_next=True),
            ),
            para(
                run(self.citation_of_self(), RunProps(self.fn, pl.kem_theo_co_chu, italic=True)),
                self._center(keep_next=True),
            ),
        ]
        under = pl.duoi
        width = self.p.landscape_width_mm if ap.landscape else self.width
        if under.kieu == "duong_ke":
            out.append(ooxml.rule_para(under.rule_mm, width))
        elif under.kieu == "chu":
            out.append(para(run(under.text, RunProps(self.fn, pl.kem_theo_co_chu)), self._center()))
        out.append(para("", ParaProps(after_pt=6)))
        for item in ap.content:
            if isinstance(item, Table):
                out.append(self.table(item))
                out.append(para("", ParaProps()))
            else:
                saved, self.out = self.out, []
                if isinstance(item, Paragraph):
                    self.body_para(item.text)
                else:
                    self.bullets(item)
                out.extend(self.out)
                self.out = saved
        return out

    def table(self, t: Table) -> str:
        """A phụ lục table: repeated header row, group rows spanning the table, numbered rows."""
        size = self.p.phu_luc.bang_co_chu
        hf, cf = RunProps(self.fn, size, bold=True), RunProps(self.fn, size)
        widths = [c.width_mm for c in t.columns]
        n = len(widths)

        def fmt(align="left", keep=False):
            return ParaProps(align=align, before_pt=2, after_pt=2, keep_next=keep)

        rows = [Row([Cell([para(run(c.name, hf), fmt("center"))], c.width_mm, valign="center") for c in t.columns],
                    header=True)]
        for r in t.rows:
            if r.kind in ("nhom", "nhom_con"):
                # a group heads the rows under it: bold, spans the table, kept with the next row
                f = hf if r.kind == "nhom" else hf.but(italic=True)
                text = self.spans(r.cells[0][0], f)
                if t.numbered:
                    cells = [Cell([para(run(r.label, f), fmt("center", True))], widths[0]),
                             Cell([para(text, fmt("left", True))], sum(widths[1:]), span=n - 1)]
                else:
                    cells = [Cell([para(text, fmt("left", True))], sum(widths), span=n)]
                rows.append(Row(cells))
                continue
            cells = []
            values = ([[r.label]] if t.numbered else []) + r.cells
            f = hf if r.kind == "tong" else cf
            for col, paras in zip(t.columns, values):
                content = [para(self.spans(x, f), fmt(col.align)) for x in paras]
                cells.append(Cell(content, col.width_mm))
            rows.append(Row(cells, cant_split=False))
        return ooxml.table(rows, widths, borders=True)

    # -- whole document --------------------------------------------------
    def section(self, landscape: bool = False, restart: bool = False) -> ooxml.SectionProps:
        t = self.p.trang
        return ooxml.SectionProps(t.kho_giay_mm[0], t.kho_giay_mm[1], dict(t.le_mm.items()), t.khoang_dau_trang_mm,
                            landscape=landscape, restart_numbering=restart,
                            header_rids={"default": "rIdVbHeader1", "first": "rIdVbHeader2"})

    def render(self) -> Rendered:
        d = self.doc
        for name in d.kind_def.parts:        # the kind's parts in print order (data/kinds, parts.py)
            parts.PARTS[name](self)
        sections = [self.section(restart=self.restart_first)]
        for i, ap in enumerate(d.appendices, 1):
            # the previous section ends in a paragraph carrying its sectPr; a section starts a new page
            self.out.append(para("", ParaProps(section_xml=sections[-1].xml())))
            self.out.extend(self.appendix(ap, i, len(d.appendices)))
            sections.append(self.section(landscape=ap.landscape, restart=True))
        self.out.append(sections[-1].xml())
        hdr_font = RunProps(self.fn, self.p.so_trang.co_chu)
        return Rendered(serialise(self.out), {"word/header1.xml": ooxml.page_number_header(hdr_font),
                                            "word/header2.xml": ooxml.empty_header(),
                                            "word/footnotes.xml": self.footnotes()})

    def footnotes(self) -> str:
        """The footnotes part: each note's paragraphs, justified, in the profile's size."""
        ct = self.p.chu_thich
        f = RunProps(self.fn, ct.co_chu)
        fmt = ParaProps(align="both", style="FootnoteText")
        notes = [(note_id, [self.spans(text, f, notes=False) for text in self.doc.notes[name]])
                 for note_id, name in self.notes]
        return ooxml.footnotes_part(notes, f, fmt)


def _before_trailing_refs(text: str, add: str) -> str:
    """Insert `add` before the footnote references that end `text` ("x[^a]" -> "x.[^a]")."""
    core = text.rstrip()
    tail = ""
    while True:
        m = _TRAILING_REF.search(core)
        if not m:
            break
        tail = m.group(0) + tail
        core = core[:m.start()]
    return core + add + tail


_TRAILING_REF = __import__("re").compile(r"\[\^[\w.-]+\]$")

# Average advance widths of Times New Roman (Liberation Serif has the same metrics), in em,
# enough to place a tab stop safely past a short label such as "Kính gửi:".
_WIDE = set("mwMWĐDGHNOQU")


def _text_width_mm(text: str, size_pt: float) -> float:
    em = sum(0.78 if c in _WIDE else 0.25 if c in " :;,.il" else 0.62 if c.isupper() else 0.5 for c in text)
    return pt_mm(em * size_pt)


def render(doc: Document) -> Rendered:
    return Renderer(doc).render()
