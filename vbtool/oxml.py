"""Minimal WordprocessingML builders, producing escaped XML strings.

Why strings and not lxml trees: a batch renders thousands of documents, and
building the body as text is several times faster than building and
serialising element trees. Every piece of user text passes through ``esc``, so
``&``, ``<``, ``>`` and Jinja delimiters in YAML come out literally.

Units: sizes in points (converted to half-points), lengths in millimetres
(converted to twentieths of a point, "twips").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def half_points(pt: float) -> int:
    return round(pt * 2)


@dataclass(frozen=True)
class Font:
    """Run formatting. `name` is written to all four rFonts slots: without
    eastAsia and cs, Word may substitute another font for Vietnamese text."""

    name: str
    size: float
    bold: bool = False
    italic: bool = False
    underline: bool = False
    superscript: bool = False

    def rpr(self, style: str = "") -> str:
        """The <w:rPr>, children in the order of the schema (CT_RPr), which Word enforces.

        Cached: a document has a handful of distinct fonts but thousands of runs."""
        return _rpr(self, style)

    def _rpr(self, style: str) -> str:
        n = esc(self.name)
        out = [f'<w:rStyle w:val="{style}"/>'] if style else []
        out.append(f'<w:rFonts w:ascii="{n}" w:hAnsi="{n}" w:eastAsia="{n}" w:cs="{n}"/>')
        if self.bold:
            out.append("<w:b/><w:bCs/>")
        if self.italic:
            out.append("<w:i/><w:iCs/>")
        hp = half_points(self.size)
        out.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
        if self.underline:
            out.append('<w:u w:val="single"/>')
        if self.superscript:
            out.append('<w:vertAlign w:val="superscript"/>')
        return "<w:rPr>" + "".join(out) + "</w:rPr>"

    def but(self, **kw) -> "Font":
        return Font(**{**self.__dict__, **kw})


@lru_cache(maxsize=256)
def _rpr(font: Font, style: str) -> str:
    return font._rpr(style)


def run(text: str, font: Font) -> str:
    """A run; line breaks in text become <w:br/>."""
    parts = text.split("\n")
    inner = "<w:br/>".join(f'<w:t xml:space="preserve">{esc(p)}</w:t>' for p in parts)
    return f"<w:r>{font.rpr()}{inner}</w:r>"


@dataclass
class ParaFormat:
    align: str = "both"              # left, center, right, both
    first_line_mm: float = 0         # negative: a hanging indent
    left_mm: float = 0
    right_mm: float = 0
    before_pt: float = 0
    after_pt: float = 0
    line_exact_pt: float | None = None   # None: single
    keep_next: bool = False
    keep_lines: bool = False
    page_break_before: bool = False
    border_bottom: bool = False
    tabs_mm: tuple = ()              # left tab stops
    style: str = ""                  # paragraph style id, e.g. FootnoteText
    extra: str = ""                  # e.g. a sectPr ending a section

    def ppr(self) -> str:
        """The <w:pPr>, children in the order of the schema (CT_PPr)."""
        out = [f'<w:pStyle w:val="{self.style}"/>'] if self.style else []
        if self.keep_next:
            out.append("<w:keepNext/>")
        if self.keep_lines:
            out.append("<w:keepLines/>")
        if self.page_break_before:
            out.append("<w:pageBreakBefore/>")
        if self.border_bottom:
            out.append('<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>')
        if self.tabs_mm:
            out.append("<w:tabs>" + "".join(f'<w:tab w:val="left" w:pos="{twips(t)}"/>' for t in self.tabs_mm)
                       + "</w:tabs>")
        line = (f'w:line="{round(self.line_exact_pt * 20)}" w:lineRule="exact"'
                if self.line_exact_pt else 'w:line="240" w:lineRule="auto"')
        out.append(f'<w:spacing w:before="{round(self.before_pt * 20)}" w:after="{round(self.after_pt * 20)}" {line}/>')
        if self.first_line_mm or self.left_mm or self.right_mm:
            first = (f'w:hanging="{twips(-self.first_line_mm)}"' if self.first_line_mm < 0
                     else f'w:firstLine="{twips(self.first_line_mm)}"')
            out.append(f'<w:ind w:left="{twips(self.left_mm)}" w:right="{twips(self.right_mm)}" {first}/>')
        out.append(f'<w:jc w:val="{self.align}"/>')
        return "<w:pPr>" + "".join(out) + self.extra + "</w:pPr>"


def tab_run(font: Font) -> str:
    return f"<w:r>{font.rpr()}<w:tab/></w:r>"


def footnote_reference(note_id: int, font: Font) -> str:
    """The superscript reference mark in the body; Word numbers it from its id order."""
    return (f'<w:r>{font.but(superscript=True).rpr("FootnoteReference")}'
            f'<w:footnoteReference w:id="{note_id}"/></w:r>')


_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    '</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')


def footnotes_part(notes: list[tuple[int, list[str]]], font: Font, fmt: "ParaFormat") -> str:
    """word/footnotes.xml: the two separators the settings name, then each note.

    `notes` holds (id, [runs XML of each paragraph]). The first paragraph of a
    note starts with the <w:footnoteRef/> mark (Word prints the note's number
    there) and a space; further paragraphs are plain FootnoteText paragraphs.
    """
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}" '
           f'xmlns:r="{R_NS}">', _SEPARATORS]
    mark = f'<w:r>{font.but(superscript=True).rpr("FootnoteReference")}<w:footnoteRef/></w:r>'
    for note_id, paragraphs in notes:
        out.append(f'<w:footnote w:id="{note_id}">')
        for i, runs in enumerate(paragraphs):
            lead = mark + run(" ", font) if i == 0 else ""
            out.append(para(lead + runs, fmt))
        out.append("</w:footnote>")
    out.append("</w:footnotes>")
    return "".join(out)


def para(runs: str | list[str], fmt: ParaFormat) -> str:
    body = runs if isinstance(runs, str) else "".join(runs)
    return f"<w:p>{fmt.ppr()}{body}</w:p>"


def rule_para(length_mm: float, width_mm: float, size_pt: float = 4) -> str:
    """An empty centred paragraph whose bottom border is a rule `length_mm` long.

    The indents shrink the paragraph to the wanted length inside a column of
    `width_mm`; the tiny exact height keeps the rule just under the text above.
    """
    side = max(0.0, (width_mm - length_mm) / 2)
    fmt = ParaFormat(align="center", left_mm=side, right_mm=side, line_exact_pt=size_pt, border_bottom=True)
    return para("", fmt)


_NO_BORDERS = "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))


@dataclass
class Cell:
    content: str                      # paragraphs (a cell must end with a <w:p>)
    width_mm: float
    valign: str = "top"
    span: int = 1
    borders: str = ""                 # raw <w:tcBorders> children


@dataclass
class Row:
    cells: list[Cell]
    header: bool = False              # repeat on each page
    cant_split: bool = True


def table(rows: list[Row], widths_mm: list[float], *, borders: bool = False,
          cell_margin_mm: float = 1.0, indent_mm: float = 0) -> str:
    total = sum(widths_mm)
    bdr = ("".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
           if borders else _NO_BORDERS)
    m = twips(cell_margin_mm)
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{twips(total)}" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblInd w:w="{twips(indent_mm)}" w:type="dxa"/>'
           f'<w:tblBorders>{bdr}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:left w:w="{m}" w:type="dxa"/><w:right w:w="{m}" w:type="dxa"/></w:tblCellMar>'
           f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>']
    out += [f'<w:gridCol w:w="{twips(w)}"/>' for w in widths_mm]
    out.append("</w:tblGrid>")
    for row in rows:
        trpr = ("<w:cantSplit/>" if row.cant_split else "") + ("<w:tblHeader/>" if row.header else "")
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
        for c in row.cells:
            span = f'<w:gridSpan w:val="{c.span}"/>' if c.span > 1 else ""
            tcb = f"<w:tcBorders>{c.borders}</w:tcBorders>" if c.borders else ""
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips(c.width_mm)}" w:type="dxa"/>{span}{tcb}'
                       f'<w:vAlign w:val="{c.valign}"/></w:tcPr>{c.content or "<w:p/>"}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


@dataclass
class Section:
    """Page setup of one section (sectPr)."""

    width_mm: float
    height_mm: float
    margins_mm: dict
    header_mm: float
    landscape: bool = False
    restart_numbering: bool = False
    header_rids: dict = field(default_factory=dict)   # {"default": "rIdH1", "first": "rIdH2"}

    def xml(self) -> str:
        w, h = (self.height_mm, self.width_mm) if self.landscape else (self.width_mm, self.height_mm)
        orient = ' w:orient="landscape"' if self.landscape else ""
        refs = "".join(f'<w:headerReference w:type="{k}" r:id="{v}"/>' for k, v in self.header_rids.items())
        m = self.margins_mm
        pg = '<w:pgNumType w:start="1"/>' if self.restart_numbering else ""
        return (f"<w:sectPr>{refs}<w:pgSz w:w=\"{twips(w)}\" w:h=\"{twips(h)}\"{orient}/>"
                f'<w:pgMar w:top="{twips(m["tren"])}" w:right="{twips(m["phai"])}" w:bottom="{twips(m["duoi"])}"'
                f' w:left="{twips(m["trai"])}" w:header="{twips(self.header_mm)}" w:footer="{twips(self.header_mm)}" w:gutter="0"/>'
                f"{pg}<w:titlePg/></w:sectPr>")


def page_number_header(font: Font) -> str:
    """Header part with a centred PAGE field (NĐ 30: top centre, Arabic numerals)."""
    rpr = font.rpr()
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{rpr}<w:t>2</w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>')


def empty_header() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p/></w:hdr>')
