"""The document flattened as a reader sees it: paragraphs, the pieces of their lines, page setups.

Word users build the header with tables, tabs, line breaks or separate
paragraphs, so positions tell little. The body is flattened into ``Para``
objects in reading order (table cells and text boxes included) with their
effective formatting, and each paragraph into ``Piece`` objects: one line (at
breaks) and one column (at tabs) of it, what a reader sees as one piece of
text. Elements are then found by what they say (see ``landmarks``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

from lxml import etree

from ..ooxml.ns import MC_NS, R_NS, VML_NS, local, w
from ..ooxml.read import ParaLayout, RunFormat, Styles, is_on
from ..ooxml.units import TWIPS_PER_INCH
from .text import collapse


@dataclass(frozen=True)
class Seg:
    """A piece of text with its effective run formatting."""

    text: str
    fmt: RunFormat


@dataclass
class Para:
    """A paragraph of the body, a table cell, a text box or a header part."""

    el: object
    props: ParaLayout
    segs: list[Seg]              # text pieces; "\n" and "\t" are their own pieces
    location: str
    cells: tuple                 # ((table no, row, col), ...) outermost first
    section: int
    has_line_shape: bool = False
    index: int = 0

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs)


@dataclass
class Piece:
    """One line of a paragraph, split further at tabs: what a reader sees as one piece of text."""

    para: Para
    segs: list[Seg]
    line: int
    col: int
    index: int = 0

    @property
    def text(self) -> str:
        return collapse("".join(s.text for s in self.segs))

    @property
    def location(self) -> str:
        return self.para.location

    @property
    def cell(self) -> tuple:
        return self.para.cells[-1] if self.para.cells else ()

    def visible(self) -> list[Seg]:
        return [s for s in self.segs if s.text.strip()]


@dataclass(frozen=True)
class PageSetup:
    """One section's page, in twips, with the header/footer references it inherits."""

    width: float
    height: float
    margins: dict                # tren, duoi, trai, phai
    title_pg: bool               # "different first page"
    headers: dict = field(default_factory=dict)   # type ("default", "first") → rId
    footers: dict = field(default_factory=dict)


_INLINE = {"hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "bdo", "dir", "sdtContent"}
_LINE_SHAPES = {"line", "straightConnector1"}


def inline_runs(container) -> Iterator:
    """The runs of a paragraph, also inside hyperlinks, insertions, fields and content controls."""
    for ch in container:
        name = local(ch)
        if name == "r":
            yield ch
        elif name in _INLINE:
            yield from inline_runs(ch)
        elif name == "sdt":
            content = ch.find(w("sdtContent"))
            if content is not None:
                yield from inline_runs(content)


def _textboxes(run) -> list:
    """txbxContent elements in a run, skipping mc:Fallback copies of the same box."""
    out = []
    for box in run.iter(w("txbxContent")):
        anc = box.getparent()
        fallback = False
        while anc is not None and anc is not run:
            if anc.tag == f"{{{MC_NS}}}Fallback":
                fallback = True
                break
            anc = anc.getparent()
        if not fallback:
            out.append(box)
    return out


def _has_line_shape(el) -> bool:
    for d in el.iter():
        name = local(d)
        if name == "line" and etree.QName(d).namespace == VML_NS:
            return True
        if name == "prstGeom" and d.get("prst") in _LINE_SHAPES:
            return True
        if name == "shape" and "_x0000_t32" in (d.get("type") or ""):
            return True
    return False


class Flattener:
    """Walks stories (body, headers, footers, notes) into Paras in reading order.

    One flattener serves all stories of a document, in order: tables are
    numbered across them ("bảng N"), as they were found.
    """

    def __init__(self, styles: Styles):
        self.styles = styles
        self.paras: list[Para] = []
        self.table_no = 0
        self.top_no = 0
        self.section = 0

    def story(self, root, prefix: str = "") -> list[Para]:
        start = len(self.paras)
        self.top_no = 0          # "đoạn N" counts within one story (body, each header)
        self._blocks(root, cells=(), tbl=None, prefix=prefix, top=True)
        return self.paras[start:]

    def _blocks(self, container, cells, tbl, prefix, top):
        for ch in container:
            name = local(ch)
            if name == "p":
                self._para(ch, cells, tbl, prefix, top)
            elif name == "tbl":
                self.table_no += 1
                no = self.table_no
                for r_i, tr in enumerate(self._children(ch, "tr"), 1):
                    for c_i, tc in enumerate(self._children(tr, "tc"), 1):
                        self._blocks(tc, cells + ((no, r_i, c_i),), ch, prefix, False)
            elif name == "sdt":
                content = ch.find(w("sdtContent"))
                if content is not None:
                    self._blocks(content, cells, tbl, prefix, top)
            elif name in ("customXml", "sdtContent"):
                self._blocks(ch, cells, tbl, prefix, top)

    @staticmethod
    def _children(parent, tag: str):
        """Rows of a table or cells of a row, also those wrapped in content controls."""
        for ch in parent:
            if local(ch) == tag:
                yield ch
            elif local(ch) in ("sdt", "customXml"):
                yield from ch.iter(w(tag))

    def _location(self, cells, prefix) -> str:
        if cells:
            no, row, col = cells[-1]
            where = f"bảng {no}, hàng {row}, ô {col}"
        else:
            where = f"đoạn {self.top_no}"
        return f"{prefix}{where}" if prefix else where

    def _para(self, p, cells, tbl, prefix, top):
        if top and not cells:
            self.top_no += 1
        props = self.styles.paragraph(p, tbl)
        segs: list[Seg] = []
        boxes = []
        for r in inline_runs(p):
            fmt = self.styles.run(r, p, tbl)
            if fmt.vanish:
                continue
            for ch in r:
                name = local(ch)
                if name == "t":
                    segs.append(Seg(ch.text or "", fmt))
                elif name == "tab":
                    segs.append(Seg("\t", fmt))
                elif name in ("br", "cr"):
                    segs.append(Seg("\n", fmt))
                elif name == "noBreakHyphen":
                    segs.append(Seg("-", fmt))
                elif name in ("drawing", "pict", "AlternateContent", "object"):
                    boxes.extend(_textboxes(ch))
        para = Para(p, props, segs, self._location(cells, prefix), cells, self.section,
                    has_line_shape=_has_line_shape(p), index=len(self.paras))
        self.paras.append(para)
        if p.find(f"{w('pPr')}/{w('sectPr')}") is not None and not cells:
            self.section += 1
        for box in boxes:
            self._blocks(box, cells, None, f"{prefix}khung văn bản ở {para.location}, ", False)


def split_pieces(paras: list[Para]) -> list[Piece]:
    """Each paragraph as lines (at breaks) and columns (at tabs); every paragraph yields one piece at least."""
    pieces: list[Piece] = []
    for para in paras:
        line, col = 0, 0
        current: list[Seg] = []
        produced = False

        def flush():
            nonlocal produced, current
            if produced and not "".join(s.text for s in current).strip():
                current = []
                return
            # called only within the iteration that defines it: para, line and col are this line's
            pieces.append(Piece(para, current, line, col, len(pieces)))  # noqa: B023
            produced = True
            current = []
        for seg in para.segs:
            if seg.text == "\n":
                flush()
                line, col = line + 1, 0
            elif seg.text == "\t":
                flush()
                col += 1
            else:
                current.append(seg)
        if current or not produced:
            flush()
    for i, u in enumerate(pieces):
        u.index = i
    return pieces


def page_setups(body) -> list[PageSetup]:
    """Page setup of each section in order, with inherited header/footer references."""
    out = []
    headers: dict = {}
    footers: dict = {}
    for sect in body.iter(w("sectPr")):
        if sect.getparent() is not None and local(sect.getparent()) == "sectPrChange":
            continue
        for ref in sect.findall(w("headerReference")):
            headers[ref.get(w("type"), "default")] = ref.get(f"{{{R_NS}}}id")
        for ref in sect.findall(w("footerReference")):
            footers[ref.get(w("type"), "default")] = ref.get(f"{{{R_NS}}}id")
        sz = sect.find(w("pgSz"))
        mar = sect.find(w("pgMar"))

        def num(el, attr, default=None):
            try:
                return float(el.get(w(attr))) if el is not None and el.get(w(attr)) is not None else default
            except ValueError:
                return default
        # Word's page defaults when pgSz/pgMar are absent: US Letter, 1 inch margins.
        title_pg = sect.find(w("titlePg"))
        inch = TWIPS_PER_INCH
        out.append(PageSetup(
            width=num(sz, "w", 8.5 * inch), height=num(sz, "h", 11 * inch),
            margins={"tren": abs(num(mar, "top", inch)), "duoi": abs(num(mar, "bottom", inch)),
                     "trai": num(mar, "left", inch) + num(mar, "gutter", 0), "phai": num(mar, "right", inch)},
            title_pg=title_pg is not None and is_on(title_pg),
            headers=dict(headers), footers=dict(footers)))
    return out


def first_index(pieces: list[Piece], pred, start: int = 0, stop: Optional[int] = None) -> Optional[int]:
    """Index of the first piece in [start, stop) for which pred holds."""
    stop = len(pieces) if stop is None else stop
    for i in range(start, min(stop, len(pieces))):
        if pred(pieces[i]):
            return i
    return None
