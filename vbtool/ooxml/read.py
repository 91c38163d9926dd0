"""Effective formatting of a .docx as a reader sees it.

Real files inherit most of their formatting: document defaults → table style →
paragraph style with its ``basedOn`` chain → character style → direct
formatting. Looking at a run's own ``w:rPr`` would miss most of it (a heading
style's bold, a Normal style's 13 pt) and invent differences that are not
there. ``Styles`` resolves that chain over the raw XML (lxml) and returns
typed, frozen results: ``RunFormat`` for a run, ``ParaLayout`` for a paragraph.

Theme fonts (``asciiTheme="minorHAnsi"``) are resolved through the theme part;
one that cannot be resolved is named "(phông chủ đề …)", since nobody can tell
which font the reader will get.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .ns import A_NS, w
from .units import twips_pt


def is_on(el) -> bool:
    """A boolean (toggle) property element: present means on unless val says off."""
    val = el.get(w("val"))
    return val is None or val.lower() in ("1", "true", "on")


def _twips_pt(value: Optional[str]) -> Optional[float]:
    try:
        return twips_pt(int(float(value))) if value is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class RunFormat:
    """The effective formatting of a run."""

    font_ascii: Optional[str] = None   # None: no level names a font
    font_hansi: Optional[str] = None
    size: float = 10.0                 # Word's size when nothing sets one
    bold: bool = False
    italic: bool = False
    caps: bool = False
    vanish: bool = False
    underline: bool = False
    color: Optional[str] = None        # lower-case hex, or "auto"


@dataclass(frozen=True)
class ParaLayout:
    """The effective layout of a paragraph, in points."""

    align: Optional[str] = None        # left, center, right, both …; None: not set anywhere
    before: float = 0.0
    after: float = 0.0
    line: Optional[int] = None         # w:spacing/@w:line as written (240ths of a line, or twips)
    line_rule: str = "auto"            # auto | exact | atLeast
    first_line: float = 0.0           # negative: hanging
    border_bottom: bool = False
    border_top: bool = False
    center_tab: bool = False


class Theme:
    """Latin fonts of the theme, so that asciiTheme="minorHAnsi" can be named."""

    def __init__(self, root):
        self.fonts: dict[str, str] = {}
        if root is None:
            return
        for kind in ("major", "minor"):
            latin = root.find(f".//{{{A_NS}}}{kind}Font/{{{A_NS}}}latin")
            if latin is not None and latin.get("typeface"):
                for slot in ("Ascii", "HAnsi"):
                    self.fonts[f"{kind}{slot}"] = latin.get("typeface")

    def font(self, theme_name: str) -> str:
        # Unresolvable theme fonts are reported by their theme name: they are
        # "not Times New Roman" because the reader's font cannot be known.
        return self.fonts.get(theme_name, f"(phông chủ đề {theme_name})")


TOGGLES = ("bold", "italic", "caps")


def _run_sets(rpr, theme: Theme) -> dict:
    """The run properties one w:rPr sets (only those), by RunFormat field name."""
    out: dict = {}
    if rpr is None:
        return out
    fonts = rpr.find(w("rFonts"))
    if fonts is not None:
        for slot, key in (("ascii", "font_ascii"), ("hAnsi", "font_hansi")):
            themed = fonts.get(w(slot + "Theme"))
            if themed:
                out[key] = theme.font(themed)
            elif fonts.get(w(slot)):
                out[key] = fonts.get(w(slot))
    sz = rpr.find(w("sz"))
    if sz is not None:
        try:
            out["size"] = float(sz.get(w("val"))) / 2
        except (TypeError, ValueError):
            pass
    for tag, key in (("b", "bold"), ("i", "italic"), ("caps", "caps"), ("vanish", "vanish")):
        el = rpr.find(w(tag))
        if el is not None:
            out[key] = is_on(el)
    u = rpr.find(w("u"))
    if u is not None:
        out["underline"] = (u.get(w("val")) or "single") != "none"
    color = rpr.find(w("color"))
    if color is not None and color.get(w("val")):
        out["color"] = color.get(w("val")).lower()
    return out


def _para_sets(ppr) -> dict:
    """The paragraph properties one w:pPr sets (only those), by ParaLayout field name."""
    out: dict = {}
    if ppr is None:
        return out
    jc = ppr.find(w("jc"))
    if jc is not None and jc.get(w("val")):
        val = jc.get(w("val"))
        out["align"] = {"start": "left", "end": "right"}.get(val, val)
    sp = ppr.find(w("spacing"))
    if sp is not None:
        for attr, key in (("before", "before"), ("after", "after")):
            v = _twips_pt(sp.get(w(attr)))
            if v is not None:
                out[key] = v
        for attr, key in (("beforeAutospacing", "before"), ("afterAutospacing", "after")):
            val = sp.get(w(attr))
            if val is not None and val.lower() in ("1", "true", "on"):
                out[key] = 14.0          # what Word uses for HTML auto spacing
        if sp.get(w("line")) is not None:
            try:
                out["line"] = int(float(sp.get(w("line"))))
            except ValueError:
                pass
            out["line_rule"] = sp.get(w("lineRule")) or "auto"
        elif sp.get(w("lineRule")) is not None:
            out["line_rule"] = sp.get(w("lineRule"))
    ind = ppr.find(w("ind"))
    if ind is not None:
        for attr in ("firstLine", "hanging"):
            v = _twips_pt(ind.get(w(attr)))
            if v is not None:
                out["first_line"] = -v if attr == "hanging" else v
    bdr = ppr.find(w("pBdr"))
    if bdr is not None:
        for side in ("bottom", "top"):
            el = bdr.find(w(side))
            if el is not None:
                out[f"border_{side}"] = el.get(w("val"), "single") not in ("nil", "none")
    tabs = ppr.find(w("tabs"))
    if tabs is not None:
        out["center_tab"] = any(t.get(w("val")) == "center" for t in tabs.findall(w("tab")))
    return out


class Styles:
    """The style part: defaults and style chains, merged once per style id."""

    def __init__(self, root, theme: Theme):
        self.theme = theme
        self.by_id: dict = {}
        self.default: dict[str, str] = {}
        self.doc_rpr: dict = {}
        self.doc_ppr: dict = {}
        self._rpr: dict[str, dict] = {}
        self._ppr: dict[str, dict] = {}
        if root is None:
            return
        for st in root.findall(w("style")):
            sid = st.get(w("styleId"))
            if sid:
                self.by_id[sid] = st
                if (st.get(w("default")) or "").lower() in ("1", "true", "on"):
                    self.default.setdefault(st.get(w("type"), "paragraph"), sid)
        dd = root.find(w("docDefaults"))
        if dd is not None:
            self.doc_rpr = _run_sets(dd.find(f"{w('rPrDefault')}/{w('rPr')}"), theme)
            self.doc_ppr = _para_sets(dd.find(f"{w('pPrDefault')}/{w('pPr')}"))

    def chain(self, sid: Optional[str]) -> list:
        """The style and its basedOn ancestors, base first; cycles and dangling ids are cut."""
        out, seen = [], set()
        while sid and sid in self.by_id and sid not in seen and len(out) < 32:
            seen.add(sid)
            st = self.by_id[sid]
            out.append(st)
            based = st.find(w("basedOn"))
            sid = based.get(w("val")) if based is not None else None
        return out[::-1]

    def _style_rpr(self, sid: Optional[str]) -> dict:
        if not sid:
            return {}
        if sid not in self._rpr:
            merged: dict = {}
            for st in self.chain(sid):
                merged.update(_run_sets(st.find(w("rPr")), self.theme))
            self._rpr[sid] = merged
        return self._rpr[sid]

    def _style_ppr(self, sid: Optional[str]) -> dict:
        if not sid:
            return {}
        if sid not in self._ppr:
            merged: dict = {}
            for st in self.chain(sid):
                merged.update(_para_sets(st.find(w("pPr"))))
            self._ppr[sid] = merged
        return self._ppr[sid]

    def para_style(self, p) -> Optional[str]:
        ps = p.find(f"{w('pPr')}/{w('pStyle')}")
        sid = ps.get(w("val")) if ps is not None else None
        return sid if sid in self.by_id else self.default.get("paragraph")

    def table_style(self, tbl) -> Optional[str]:
        if tbl is None:
            return None
        ts = tbl.find(f"{w('tblPr')}/{w('tblStyle')}")
        sid = ts.get(w("val")) if ts is not None else None
        return sid if sid in self.by_id else self.default.get("table")

    def numbering(self, p):
        """The w:numPr the paragraph's style chain gives (a Heading 1 numbered by its style), or None."""
        for st in reversed(self.chain(self.para_style(p))):
            num = st.find(f"{w('pPr')}/{w('numPr')}")
            if num is not None:
                return num
        return None

    def paragraph(self, p, tbl=None) -> ParaLayout:
        """Effective paragraph layout: defaults → table style → paragraph style → direct."""
        out = dict(self.doc_ppr)
        out.update(self._style_ppr(self.table_style(tbl)))
        out.update(self._style_ppr(self.para_style(p)))
        out.update(_para_sets(p.find(w("pPr"))))
        return ParaLayout(**out)

    def run(self, r, p, tbl=None) -> RunFormat:
        """Effective run formatting: defaults → table style → paragraph style → character style → direct.

        Bold, italic and caps are toggles between the paragraph and the
        character style (both bold means not bold); direct formatting is absolute.
        """
        out = dict(self.doc_rpr)
        out.update(self._style_rpr(self.table_style(tbl)))
        para = self._style_rpr(self.para_style(p))
        out.update(para)
        rs = r.find(f"{w('rPr')}/{w('rStyle')}")
        sid = rs.get(w("val")) if rs is not None else None
        char = self._style_rpr(sid if sid in self.by_id else self.default.get("character"))
        for key, val in char.items():
            if key in TOGGLES:
                if val:
                    out[key] = not para.get(key, False)
            else:
                out[key] = val
        out.update(_run_sets(r.find(w("rPr")), self.theme))
        return RunFormat(**out)
