"""Run and paragraph property objects that serialise as valid w:rPr and w:pPr.

WordprocessingML fixes the order of the children of CT_RPr and CT_PPr, and Word
refuses a document whose order is wrong; each ``xml()`` here writes the
children it knows in schema order, each at most once. Both objects are frozen:
a variant is made with ``but(...)`` (``dataclasses.replace``), so a property
set twice is still written once.

Sizes are in points, lengths in millimetres; conversion happens on output
(see ``units``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from .text import esc
from .units import half_points, pt_twips, twips


@dataclass(frozen=True)
class RunProps:
    """Run formatting. ``name`` is written to all four rFonts slots: without
    eastAsia and cs, Word may substitute another font for Vietnamese text."""

    name: str
    size: float
    bold: bool = False
    italic: bool = False
    underline: bool = False
    superscript: bool = False

    def rpr(self, style: str = "") -> str:
        """The <w:rPr>, children in the order of CT_RPr.

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

    def but(self, **kw) -> "RunProps":
        return replace(self, **kw)


@lru_cache(maxsize=256)
def _rpr(props: RunProps, style: str) -> str:
    return props._rpr(style)


@dataclass(frozen=True)
class ParaProps:
    """Paragraph formatting; ``ppr()`` writes the <w:pPr> in the order of CT_PPr."""

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
    section_xml: str = ""            # a <w:sectPr> ending a section (the last child of CT_PPr)

    def ppr(self) -> str:
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
        line = (f'w:line="{pt_twips(self.line_exact_pt)}" w:lineRule="exact"'
                if self.line_exact_pt else 'w:line="240" w:lineRule="auto"')
        out.append(f'<w:spacing w:before="{pt_twips(self.before_pt)}" w:after="{pt_twips(self.after_pt)}" {line}/>')
        if self.first_line_mm or self.left_mm or self.right_mm:
            first = (f'w:hanging="{twips(-self.first_line_mm)}"' if self.first_line_mm < 0
                     else f'w:firstLine="{twips(self.first_line_mm)}"')
            out.append(f'<w:ind w:left="{twips(self.left_mm)}" w:right="{twips(self.right_mm)}" {first}/>')
        out.append(f'<w:jc w:val="{self.align}"/>')
        return "<w:pPr>" + "".join(out) + self.section_xml + "</w:pPr>"

    def but(self, **kw) -> "ParaProps":
        return replace(self, **kw)
