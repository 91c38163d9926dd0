"""WordprocessingML builders: runs, paragraph objects, tables, sections, header and footnote parts.

Why strings and not lxml trees: a batch renders thousands of documents, and
building the body as text is several times faster than building and
serialising element trees. Every piece of user text passes through ``esc``, so
``&``, ``<``, ``>`` and Jinja delimiters in YAML come out literally.

A paragraph is a ``Paragraph`` object (its properties and its runs) until the
document is serialised, so a renderer can still change its properties (keep it
with the next one) or its runs without touching XML text.

Units: sizes in points (converted to half-points), lengths in millimetres
(converted to twentieths of a point, "twips").
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence, Union

from .ns import R_NS, W_NS
from .props import ParaProps, RunProps
from .text import esc
from .units import twips


def run(text: str, props: RunProps) -> str:
    """A run; line breaks in text become <w:br/>."""
    parts = text.split("\n")
    inner = "<w:br/>".join(f'<w:t xml:space="preserve">{esc(p)}</w:t>' for p in parts)
    return f"<w:r>{props.rpr()}{inner}</w:r>"


def tab_run(props: RunProps) -> str:
    return f"<w:r>{props.rpr()}<w:tab/></w:r>"


def footnote_reference(note_id: int, props: RunProps) -> str:
    """The superscript reference mark in the body; Word numbers it from its id order."""
    return (f'<w:r>{props.but(superscript=True).rpr("FootnoteReference")}'
            f'<w:footnoteReference w:id="{note_id}"/></w:r>')


@dataclass(frozen=True)
class Paragraph:
    """A paragraph not yet serialised: its properties and the XML of its runs."""

    props: ParaProps
    runs: str = ""

    def but(self, **props) -> "Paragraph":
        """The same runs with some properties changed."""
        return replace(self, props=self.props.but(**props))

    def xml(self) -> str:
        return f"<w:p>{self.props.ppr()}{self.runs}</w:p>"


Block = Union[Paragraph, str]
"""What a story (body, cell, note) holds: paragraph objects, or a table's XML."""


def serialise(blocks: Sequence[Block]) -> str:
    return "".join(b.xml() if isinstance(b, Paragraph) else b for b in blocks)


def para(runs: str | list[str], props: ParaProps) -> Paragraph:
    return Paragraph(props, runs if isinstance(runs, str) else "".join(runs))


def rule_para(length_mm: float, width_mm: float, size_pt: float = 4) -> Paragraph:
    """An empty centred paragraph whose bottom border is a rule `length_mm` long.

    The indents shrink the paragraph to the wanted length inside a column of
    `width_mm`; the tiny exact height keeps the rule just under the text above.
    """
    side = max(0.0, (width_mm - length_mm) / 2)
    return para("", ParaProps(align="center", left_mm=side, right_mm=side, line_exact_pt=size_pt, border_bottom=True))


_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    '</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')


def footnotes_part(notes: list[tuple[int, list[str]]], props: RunProps, fmt: ParaProps) -> str:
    """word/footnotes.xml: the two separators the settings name, then each note.

    `notes` holds (id, [runs XML of each paragraph]). The first paragraph of a
    note starts with the <w:footnoteRef/> mark (Word prints the note's number
    there) and a space; further paragraphs are plain FootnoteText paragraphs.
    """
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W_NS}" '
           f'xmlns:r="{R_NS}">', _SEPARATORS]
    mark = f'<w:r>{props.but(superscript=True).rpr("FootnoteReference")}<w:footnoteRef/></w:r>'
    for note_id, paragraphs in notes:
        out.append(f'<w:footnote w:id="{note_id}">')
        for i, runs in enumerate(paragraphs):
            lead = mark + run(" ", props) if i == 0 else ""
            out.append(para(lead + runs, fmt).xml())
        out.append("</w:footnote>")
    out.append("</w:footnotes>")
    return "".join(out)


_NO_BORDERS = "".join(f'<w:{s} w:val="nil"/>' for s in ("top", "left", "bottom", "right", "insideH", "insideV"))


@dataclass
class Cell:
    content: Sequence[Block]          # a cell must end with a paragraph; empty: one empty paragraph
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
                       f'<w:vAlign w:val="{c.valign}"/></w:tcPr>{serialise(c.content) or "<w:p/>"}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


@dataclass
class SectionProps:
    """Page setup of one section (w:sectPr)."""

    width_mm: float
    height_mm: float
    margins_mm: dict                  # tren, duoi, trai, phai (read by key)
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
        return (
            f'<w:sectPr>{refs}<w:pgSz w:w="{twips(w)}" w:h="{twips(h)}"{orient}/>'
            f'<w:pgMar w:top="{twips(m["tren"])}" w:right="{twips(m["phai"])}" w:bottom="{twips(m["duoi"])}"'
            f' w:left="{twips(m["trai"])}" w:header="{twips(self.header_mm)}"'
            f' w:footer="{twips(self.header_mm)}" w:gutter="0"/>'
            f"{pg}<w:titlePg/></w:sectPr>"
        )


def page_number_header(props: RunProps) -> str:
    """Header part with a centred PAGE field (NĐ 30: top centre, Arabic numerals)."""
    rpr = props.rpr()
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
