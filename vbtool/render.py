"""Lay a Document out with its profile as WordprocessingML.

Everything a regime decides (sizes, prefixes, the rule lines or the `*`, the
Lưu line) is read from the profile; this module only knows the *structure* of
a Kế hoạch or Báo cáo: header grid, title, body, signature and Nơi nhận,
phụ lục. The result is the inner XML of <w:body> and the header parts.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import oxml
from .model import Bullets, Document, Paragraph, Section, Task, KIND_NAMES
from .oxml import Cell, Font, ParaFormat, Row, para, run
from .vn import date_line, join_units, lower_first, short_date, so_ky_hieu, roman, upper_vn

# Trích yếu of a Party document continues the tên loại, so it starts in lower
# case; only common opening words are lowered, never a proper noun.
_LOWER_OK = {"về", "thực", "triển", "tổ", "tăng", "tiếp", "đẩy", "nâng", "xây", "kết", "đánh", "sơ",
             "tổng", "phương", "công", "tình", "quán", "hướng", "phát", "thành", "phối", "chỉ", "tuyên", "cụ"}


@dataclass
class Rendered:
    body_xml: str
    parts: dict            # extra package parts: name -> xml


class Renderer:
    """Renders one Document; a new instance per document (cheap)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.p = doc.profile
        self.fn = self.p.font_name
        tv = self.p["than_van_ban"]
        self.body_font = Font(self.fn, tv["co_chu"])
        self.body_fmt = ParaFormat(align="both", first_line_mm=tv["thut_dau_dong_mm"], before_pt=tv["khoang_truoc"],
                                   after_pt=tv["khoang_sau"], line_exact_pt=tv["gian_dong_pt"])
        self.width = self.p.text_width_mm
        self.out: list[str] = []
        self.last_body_idx: int | None = None

    # -- helpers ---------------------------------------------------------
    def _center(self, **kw) -> ParaFormat:
        return ParaFormat(align="center", **kw)

    def body_para(self, text: str, font: Font | None = None, label: str = "", label_font: Font | None = None,
                  **fmt) -> None:
        f = font or self.body_font
        runs = []
        if label:
            runs.append(run(label + " ", label_font or f))
        runs.append(run(text, f))
        fm = ParaFormat(**{**self.body_fmt.__dict__, **fmt})
        self.out.append(para(runs, fm))
        self.last_body_idx = len(self.out) - 1

    # -- header ----------------------------------------------------------
    def header_table(self) -> str:
        p, d = self.p, self.doc
        left_w, right_w = p["bang_dau"]["cot_trai_mm"], p["bang_dau"]["cot_phai_mm"]
        single = self._center()
        left = []
        if d.agency.cap_tren:
            left.append(para(run(upper_vn(d.agency.cap_tren), p.font("co_quan_cap_tren")), single))
        left.append(para(run(upper_vn(d.agency.ten), p.font("co_quan_ban_hanh")), single))
        under = p["co_quan_ban_hanh"]["duoi"]
        if under["kieu"] == "duong_ke":
            left.append(oxml.rule_para(under["do_dai_mm"], left_w - 2))
        else:
            left.append(para(run(under["chu"], p.font("co_quan_ban_hanh", bold=False)), single))
        right = []
        for line in p["tieu_de"]["dong"]:
            right.append(para(run(line["chu"], Font(self.fn, line["co_chu"], bold=line.get("dam", False))), single))
        right.append(oxml.rule_para(p["tieu_de"]["duong_ke_mm"], right_w - 2))
        sk = p["so_ky_hieu"]
        number = so_ky_hieu(sk["mau"], d.number, d.type_code, d.agency.ky_hieu, sk["so_trong"])
        row2_fmt = self._center(before_pt=6)
        rows = [
            Row([Cell("".join(left), left_w), Cell("".join(right), right_w)]),
            Row([Cell(para(run(number, p.font("so_ky_hieu")), row2_fmt), left_w),
                 Cell(para(run(date_line(d.place, d.date), p.font("dia_danh_ngay")), row2_fmt), right_w)]),
        ]
        return oxml.table(rows, [left_w, right_w])

    def title(self) -> None:
        p, d = self.p, self.doc
        self.out.append(para(run(upper_vn(d.kind_name), p.font("ten_loai")),
                             self._center(before_pt=p["ten_loai"].get("khoang_truoc", 12), keep_next=True)))
        subject = d.subject
        if p["trich_yeu"]["chu_dau"] == "thuong":
            first = subject.split(" ", 1)[0].lower()
            if first in _LOWER_OK:
                subject = lower_first(subject)
        else:
            subject = subject[:1].upper() + subject[1:]
        self.out.append(para(run(subject, p.font("trich_yeu")), self._center(keep_next=True)))
        under = p["trich_yeu"]["duoi"]
        if under["kieu"] == "duong_ke":
            self.out.append(oxml.rule_para(under["do_dai_mm"], self.width))
        else:
            self.out.append(para(run(under["chu"], p.font("trich_yeu", bold=False)), self._center()))

    def kinh_gui(self) -> None:
        d, kg = self.doc, self.p["kinh_gui"]
        if not d.kinh_gui:
            return
        f = Font(self.fn, kg["co_chu"])
        label = kg["nhan"]
        if len(d.kinh_gui) == 1:
            self.out.append(para(run(f"{label} {d.kinh_gui[0]}", f), self._center(before_pt=6)))
            return
        # several recipients: "- " lines aligned under the colon (a hanging block)
        for i, name in enumerate(d.kinh_gui):
            end = "." if i == len(d.kinh_gui) - 1 else ";"
            text = f"- {name.rstrip(';.')}{end}"
            if i == 0:
                self.out.append(para([run(label + " ", f), run(text, f)],
                                     ParaFormat(align="left", left_mm=45, first_line_mm=-20, before_pt=6)))
            else:
                self.out.append(para(run(text, f), ParaFormat(align="left", left_mm=45)))

    # -- body ------------------------------------------------------------
    def heading_font(self, depth: int) -> tuple[Font, bool]:
        levels = self.p["muc"]["cap"]
        spec = levels[min(depth, len(levels) - 1)]
        return self.body_font.but(bold=spec.get("dam", False), italic=spec.get("nghieng", False)), spec.get("in_hoa", False)

    def nodes(self, nodes, depth: int = 0) -> None:
        for n in nodes:
            if isinstance(n, Paragraph):
                self.body_para(n.text)
            elif isinstance(n, Bullets):
                for text, subs in n.items:
                    self.body_para(text, label="-")
                    for s in subs:
                        self.body_para(s, label="+")
            elif isinstance(n, Section):
                font, caps = self.heading_font(depth)
                self.body_para(upper_vn(n.title) if caps else n.title, font, label=n.label, keep_next=True)
                self.nodes(n.children, depth + 1)
            elif isinstance(n, Task):
                self.task(n, depth)

    def task(self, t: Task, depth: int) -> None:
        if t.title:
            font, caps = self.heading_font(depth)
            self.body_para(upper_vn(t.title) if caps else t.title, font, label=t.label, keep_next=True)
            texts = t.text
        else:
            self.body_para(t.text[0], label=t.label)
            texts = t.text[1:]
        for extra in texts:
            self.body_para(extra)
        self.nodes(t.children, depth + 1)
        self.task_fields(t)

    def task_fields(self, t: Task) -> None:
        display = {**self.p["nhiem_vu"], **self.doc.task_display}
        dash = display.get("dau_dong", "")
        for spec in display["truong"]:
            value = t.fields.get(spec["truong"])
            if not value:
                continue
            text = join_units(value) if isinstance(value, list) else value
            if text[-1:] not in ".;:!?…)":
                text += "."
            self.body_para(f"{dash}{spec['nhan']}: {text}")

    def close_body(self) -> None:
        """Append the regime's ending ("./.") to the last body paragraph."""
        if self.last_body_idx is None or not self.doc.ending:
            return
        xml = self.out[self.last_body_idx]
        text_end = xml.rsplit("</w:t>", 1)[0][-1:]
        ending = self.doc.ending
        if text_end and ending and text_end == ending[0]:   # "quy định." + "./." → "quy định./."
            ending = ending[1:]
        ending = run(ending, self.body_font)
        self.out[self.last_body_idx] = xml[: -len("</w:p>")] + ending + "</w:p>"

    # -- signature and Nơi nhận ------------------------------------------
    def signature_lines(self) -> list[tuple[str, bool]]:
        s, ck = self.doc.signature, self.p["chu_ky"]
        pre = ck["tien_to"]
        lines = []
        if s.thay_mat:
            lines.append((f"{pre['thay_mat']} {upper_vn(s.thay_mat)}", ck["quyen_han_dam"]))
        for key in ("ky_thay", "thua_lenh", "thua_uy_quyen"):
            if getattr(s, key):
                lines.append((f"{pre[key]} {upper_vn(getattr(s, key))}", ck["quyen_han_dam"]))
        chuc_vu = upper_vn(s.chuc_vu)
        if s.quyen:
            chuc_vu = f"{pre['quyen']} {chuc_vu}"
        lines.append((chuc_vu, ck["chuc_vu_dam"] if lines else ck["quyen_han_dam"]))
        return lines

    def signature_block(self) -> str:
        ck, nn = self.p["chu_ky"], self.p["noi_nhan"]
        left_w = round(self.width * ck["cot_trai_phan_tram"] / 100, 1)
        right_w = round(self.width - left_w, 1)
        f = Font(self.fn, ck["co_chu"])
        center = self._center()
        right = [para(run(text, f.but(bold=bold)), center) for text, bold in self.signature_lines()]
        right[0] = right[0].replace('w:before="0"', 'w:before="240"', 1)
        right += [para(run("", f), center)] * ck["dong_trong"]
        right.append(para(run(self.doc.signature.ho_ten, f.but(bold=ck["ho_ten_dam"])), center))
        left = self.recipients(left_w)
        rows = [Row([Cell(left, left_w), Cell("".join(right), right_w)])]
        return oxml.table(rows, [left_w, right_w], cell_margin_mm=0.5)

    def recipients(self, width: float) -> str:
        nn, d = self.p["noi_nhan"], self.doc
        if not d.recipients and not d.archive:
            return "<w:p/>"
        label_font = Font(self.fn, nn["nhan_co_chu"], bold=nn.get("nhan_dam", False),
                          italic=nn.get("nhan_nghieng", False), underline=nn.get("nhan_gach_chan", False))
        f = Font(self.fn, nn["co_chu"])
        fmt = ParaFormat(align="left")
        out = [para(run(nn["nhan"], label_font), ParaFormat(align="left", before_pt=12))]
        end = nn["ket_muc"]
        for r in d.recipients:
            note = f" ({r.note})" if r.note else ""
            if len(r.names) == 1:
                out.append(para(run(f"- {r.names[0].rstrip(',;.')}{note}{end}", f), fmt))
                continue
            # several recipients sharing one note: a bracket table, the note at its right
            items = "".join(para(run(f"- {n.rstrip(',;.')}{end}", f), fmt) for n in r.names)
            note_w = 18.0
            bracket = '<w:right w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
            out.append(oxml.table([Row([Cell(items, width - note_w - 1, borders=bracket),
                                        Cell(para(run(f"({r.note})", f), self._center()), note_w,
                                             valign="center")])],
                                  [width - note_w - 1, note_w], cell_margin_mm=0.3))
        out.append(para(run(f"- {self.archive_line()}", f), fmt))
        return "".join(out)

    def archive_line(self) -> str:
        nn, parts = self.p["noi_nhan"], list(self.doc.archive)
        first = nn.get("luu_dau")
        if first and (not parts or parts[0] != first):
            parts.insert(0, first)
        text = ", ".join(x.strip().rstrip(".") for x in parts)
        return nn["luu_mau"].format(ds=text).replace(": .", ".").replace(" .", ".")

    # -- phụ lục ---------------------------------------------------------
    def citation_of_self(self) -> str:
        d, p = self.doc, self.p
        sk = p["so_ky_hieu"]
        number = so_ky_hieu(sk["mau"], d.number, d.type_code, d.agency.ky_hieu, sk["so_trong"])
        number = number.split(" ", 1)[1].lstrip(": ").strip() if " " in number else number
        if p["phu_luc"].get("kem_theo_ngay", "dai") == "dai" and p.regime == "nha_nuoc":
            date = date_line("", d.date).lstrip(", ")
        else:
            date = short_date(d.date)
        agency = d.agency.ten_goi or d.agency.ten.replace("\n", " ")
        return p["phu_luc"]["kem_theo_mau"].format(loai=KIND_NAMES[d.kind], so_ky_hieu=number,
                                                   ngay=date.removeprefix("ngày "), co_quan=agency)

    def task_annex(self, number: int) -> list[str]:
        """Phụ lục "Danh mục nhiệm vụ": one row per task, landscape."""
        d, pl = self.doc, self.p["phu_luc"]
        tasks = d.tasks()
        label = roman(number) if pl["danh_so"] == "la_ma" else str(number)
        out = [para(run(pl["tieu_de"].format(so=label), Font(self.fn, pl["tieu_de_co_chu"], bold=True)),
                    self._center()),
               para(run(upper_vn(d.task_annex.get("tieu_de") or "Danh mục nhiệm vụ"),
                        Font(self.fn, pl["ten_co_chu"], bold=True)), self._center()),
               para(run(self.citation_of_self(), Font(self.fn, pl["kem_theo_co_chu"], italic=True)),
                    self._center(after_pt=6))]
        width = self.p.landscape_width_mm
        cols = [("TT", 12), ("Nhiệm vụ", 0), ("Chủ trì", 42), ("Phối hợp", 42), ("Thời gian", 30), ("Sản phẩm", 30)]
        fixed = sum(w for _, w in cols)
        widths = [w or width - fixed for _, w in cols]
        hf = Font(self.fn, 12, bold=True)
        cf = Font(self.fn, 12)
        cfmt = ParaFormat(align="left", before_pt=2, after_pt=2)
        rows = [Row([Cell(para(run(h, hf), self._center(before_pt=2, after_pt=2)), w, valign="center")
                     for (h, _), w in zip(cols, widths)], header=True)]
        for t in tasks:
            f = t.fields
            text = (t.title + ": " if t.title else "") + " ".join(t.text)
            vals = [t.number_text, text, join_units(f.get("chu_tri", []) or f.get("thuc_hien", [])),
                    join_units(f.get("phoi_hop", [])), f.get("thoi_gian", ""), f.get("san_pham", "")]
            rows.append(Row([Cell(para(run(v, cf), self._center(before_pt=2, after_pt=2) if i == 0 else cfmt), w)
                             for i, (v, w) in enumerate(zip(vals, widths))], cant_split=False))
        out.append(oxml.table(rows, widths, borders=True))
        return out

    # -- whole document --------------------------------------------------
    def section(self, landscape: bool = False, restart: bool = False) -> oxml.Section:
        t = self.p["trang"]
        return oxml.Section(t["kho_giay_mm"][0], t["kho_giay_mm"][1], t["le_mm"], t["khoang_dau_trang_mm"],
                            landscape=landscape, restart_numbering=restart,
                            header_rids={"default": "rIdVbHeader1", "first": "rIdVbHeader2"})

    def render(self) -> Rendered:
        d = self.doc
        self.out.append(self.header_table())
        self.title()
        self.kinh_gui()
        for text in d.opening:
            self.body_para(text)
        self.nodes(d.body)
        self.close_body()
        # keep the last body lines with the signature: never a lone signature page
        if self.last_body_idx is not None:
            self.out[self.last_body_idx] = self.out[self.last_body_idx].replace("<w:pPr>", "<w:pPr><w:keepNext/>", 1)
        self.out.append(self.signature_block())
        annexes = []
        if d.task_annex is not None:
            annexes.append(("landscape", self.task_annex(1)))
        sections = [self.section()]
        for orient, parts in annexes:
            # the previous section ends in a paragraph carrying its sectPr
            self.out.append(para("", ParaFormat(extra=sections[-1].xml())))
            self.out.extend(parts)
            sections.append(self.section(landscape=orient == "landscape", restart=True))
        self.out.append(sections[-1].xml())
        hdr_font = Font(self.fn, self.p["so_trang"]["co_chu"])
        return Rendered("".join(self.out), {"word/header1.xml": oxml.page_number_header(hdr_font),
                                            "word/header2.xml": oxml.empty_header()})


def render(doc: Document) -> Rendered:
    return Renderer(doc).render()
