"""Rules on the page and the whole text: paper and margins, font and colour, page numbers."""
from __future__ import annotations

import posixpath
import re
from typing import Iterator

from ...ooxml.ns import local, w
from ...ooxml.units import twips_mm
from ..context import Context
from ..findings import Finding
from ..flatten import inline_runs
from ..text import fmt_num, fmt_range

_MARGINS = {"tren": ("margin-top", "Lề trên"), "duoi": ("margin-bottom", "Lề dưới"),
            "trai": ("margin-left", "Lề trái"), "phai": ("margin-right", "Lề phải")}


def page_setup(ctx: Context) -> Iterator[Finding]:
    """A4, the first page upright, margins in the profile's ranges (each section)."""
    t = ctx.profile.trang
    pw, ph = t.kho_giay_mm
    if not ctx.pages:
        yield ctx.finding("trang", "size", "trang", "thiết lập trang", "",
                          "Tệp không ghi khổ giấy và lề (không có w:sectPr): máy in sẽ dùng mặc định của máy, "
                          f"phải là A4 ({fmt_num(pw)} × {fmt_num(ph)} mm)", severity="warning")
    for i, s in enumerate(ctx.pages, 1):
        where = f"thiết lập trang, phần {i}"
        wmm, hmm = twips_mm(s.width), twips_mm(s.height)
        short, long_ = sorted((wmm, hmm))
        if abs(short - min(pw, ph)) > 1.0 or abs(long_ - max(pw, ph)) > 1.0:
            yield ctx.finding("trang", "size", "trang", where, "",
                              f"Khổ giấy {fmt_num(round(wmm))} × {fmt_num(round(hmm))} mm, phải là A4 "
                              f"({fmt_num(pw)} × {fmt_num(ph)} mm)")
        if i == 1 and wmm > hmm:
            yield ctx.finding("trang", "orientation", "trang", where, "",
                              "Trang đầu phải in dọc (khổ ngang chỉ dùng cho phụ lục hoặc bảng rộng)")
        for key, (prop, label) in _MARGINS.items():
            mm = twips_mm(s.margins[key])
            lo, hi = t.le_khoang_mm[key]
            if not lo - 0.3 <= mm <= hi + 0.3:
                want = f"{fmt_num(lo)} mm" if lo == hi else f"từ {fmt_num(lo)} đến {fmt_num(hi)} mm"
                yield ctx.finding("trang", prop, "trang", where, "", f"{label} {fmt_num(round(mm, 1))} mm, phải {want}")


def fonts(ctx: Context) -> Iterator[Finding]:
    """One finding per wrong font (and colour), at its first place, with a count: not one per run."""
    want = ctx.profile.font_name
    bad: dict = {}
    colors: dict = {}
    for para in ctx.stories:
        fonts_here, colors_here = set(), set()
        for s in para.segs:
            if not s.text.strip():
                continue
            for name in (s.fmt.font_ascii, s.fmt.font_hansi):
                if name is None or name.strip().casefold() != want.casefold():
                    fonts_here.add(name)
            color = s.fmt.color
            if color and color not in ("auto", "000000"):
                colors_here.add(color)
        for name in fonts_here:
            bad.setdefault(name, []).append(para)
        for c in colors_here:
            colors.setdefault(c, []).append(para)
    for name, paras in bad.items():
        first = paras[0]
        count = f" ({len(paras)} đoạn)" if len(paras) > 1 else ""
        if name is None:
            yield ctx.finding("phong-chu", "family", "phong_chu", first.location, first.text,
                              f"Không xác định được phông chữ{count}: tệp không ghi phông, máy khác có thể "
                              f"hiện phông khác; phải là {want}", severity="warning")
        else:
            yield ctx.finding("phong-chu", "family", "phong_chu", first.location, first.text,
                              f"Phông chữ {name}{count}, phải là {want}")
    for c, paras in colors.items():
        count = f" ({len(paras)} đoạn)" if len(paras) > 1 else ""
        yield ctx.finding("phong-chu", "color", "phong_chu", paras[0].location, paras[0].text,
                          f"Chữ màu #{c.upper()}{count}, phải là màu đen")


_PAGE_FIELD = re.compile(r"(?i)(?<![A-Z])PAGE\b")


def page_field_paragraph(root):
    """The paragraph holding a PAGE field in a header/footer part, or None."""
    if root is None:
        return None
    for el in root.iter(w("fldSimple"), w("instrText")):
        instr = el.get(w("instr")) if local(el) == "fldSimple" else (el.text or "")
        if _PAGE_FIELD.search(instr):
            for anc in el.iterancestors():
                if anc.tag == w("p"):
                    return anc
    return None


def page_number(ctx: Context) -> Iterator[Finding]:
    """Page numbers in the header, centred, in size, not on the first page."""
    spec = ctx.profile.so_trang
    rels = ctx.pkg.rels(ctx.pkg.main)

    def part_of(rid):
        return rels[rid][1] if rid in rels else None

    footer_hits = []
    for s in ctx.pages:
        for rid in set(s.footers.values()):
            part = part_of(rid)
            if part and page_field_paragraph(ctx.pkg.xml(part)) is not None:
                footer_hits.append(part)
    for part in sorted(set(footer_hits)):
        yield ctx.finding("so-trang", "position", "so_trang", f"chân trang {posixpath.basename(part)}", "",
                          "Số trang đặt ở chân trang; phải đặt giữa lề trên (đầu trang)")
    if not ctx.pages:
        return
    first = ctx.pages[0]
    default = part_of(first.headers.get("default"))
    root = ctx.pkg.xml(default) if default else None
    p = page_field_paragraph(root)
    if p is None:
        if not footer_hits:
            yield ctx.finding("so-trang", "missing", "so_trang", "đầu trang", "",
                              "Không thấy số trang (trường PAGE) ở đầu trang: văn bản nhiều trang phải đánh số "
                              "trang giữa lề trên, từ trang 2", severity="warning")
    else:
        where = f"đầu trang {posixpath.basename(default)}"
        props = ctx.styles.paragraph(p)
        centred = props.align == "center" or (props.center_tab and p.find(f".//{w('tab')}") is not None)
        inside_box = any(local(a) == "txbxContent" for a in p.iterancestors())
        if not centred and not inside_box:
            yield ctx.finding("so-trang", "align", "so_trang", where, "", "Số trang phải căn giữa")
        sizes = sorted({ctx.styles.run(r, p).size for r in inline_runs(p)})
        bad = [x for x in sizes if not spec.khoang[0] - 0.01 <= x <= spec.khoang[1] + 0.01]
        if bad:
            yield ctx.finding("so-trang", "size", "so_trang", where, "",
                              f"Số trang cỡ chữ {', '.join(fmt_num(x) for x in bad)} pt, phải {fmt_range(spec.khoang)}")
    # page 1: the first-page header when titlePg is on, the default one otherwise
    if first.title_pg:
        part = part_of(first.headers.get("first"))
        shows = part is not None and page_field_paragraph(ctx.pkg.xml(part)) is not None
    else:
        part, shows = default, p is not None
    if shows:
        yield ctx.finding("so-trang", "first-page", "so_trang",
                          f"đầu trang {posixpath.basename(part)}" if part else "đầu trang", "",
                          "Trang đầu không được hiện số trang (đặt \"Trang đầu khác\" với đầu trang trống)")
