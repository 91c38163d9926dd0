"""The OOXML layer: conversions, property objects in schema order, and a body that ends with a heading."""
from __future__ import annotations

import pytest
from lxml import etree

from conftest import EXAMPLES, W, Rendered
from samples import STATE
from vbtool.document import load_document, load_document_text, to_docx
from vbtool.ooxml import ParaProps, RunProps, para, run
from vbtool.ooxml import units

# Children of CT_PPr and CT_RPr in the order of the schema (ECMA-376 Part 1, §17.3.1.26 / §17.3.2.28),
# written out here from the standard, not from the code.
CT_PPR = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
          "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
          "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
          "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
          "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]
CT_RPR = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
          "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
          "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
          "em", "lang", "eastAsianLayout", "specVanish", "oMath"]


def order_problems(root) -> list[str]:
    """Every w:pPr / w:rPr whose children repeat or are out of schema order."""
    out = []
    for tag, order in (("pPr", CT_PPR), ("rPr", CT_RPR)):
        for el in root.iter(W + tag):
            if el.getparent().tag not in (W + "p", W + "r"):
                continue                         # style definitions and defaults are not written by us
            names = [etree.QName(c).localname for c in el]
            ranks = [order.index(n) for n in names]
            if len(set(names)) != len(names) or ranks != sorted(ranks):
                out.append(f"{tag}: {names}")
    return out


def test_length_conversions():
    assert units.twips(25.4) == 1440 and units.twips(10) == 567 and units.twips(12.7) == 720
    assert units.pt_twips(6) == 120 and units.pt_twips(18) == 360
    assert units.half_points(13) == 26 and units.half_points(10.5) == 21
    assert units.twips_mm(1440) == pytest.approx(25.4) and units.twips_pt(360) == 18
    assert units.half_points_pt(27) == 13.5 and units.pt_mm(72) == pytest.approx(25.4)


def test_property_objects_write_schema_order_once():
    p = ParaProps(style="FootnoteText", keep_lines=True, border_bottom=True, tabs_mm=(20,), first_line_mm=-5,
                  section_xml="<w:sectPr/>").but(keep_next=True).but(keep_next=True)
    r = RunProps("Times New Roman", 13, bold=True, italic=True, underline=True, superscript=True)
    xml = para(run("x", r), p).xml()
    root = etree.fromstring(f'<w:body xmlns:w="{W[1:-1]}">{xml}</w:body>')
    assert order_problems(root) == []
    ppr = [etree.QName(c).localname for c in root.find(f"{W}p/{W}pPr")]
    assert ppr == ["pStyle", "keepNext", "keepLines", "pBdr", "tabs", "spacing", "ind", "jc", "sectPr"]
    assert root.find(f"{W}p/{W}pPr/{W}ind").get(W + "hanging") == "283"


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_examples_have_valid_property_order(name):
    d = Rendered(to_docx(load_document(EXAMPLES / f"{name}.yaml")))
    for part in ("word/document.xml", "word/footnotes.xml", "word/header1.xml"):
        assert order_problems(d.xml(part)) == [], part


def test_document_ending_with_an_empty_heading_keeps_it_with_the_signature_once():
    text = STATE.replace("        thoi_gian: Quý II/2024\n",
                         "        thoi_gian: Quý II/2024\n  - muc: Tổ chức thực hiện\n")
    d = Rendered(to_docx(load_document_text(text, "x.yaml")))
    root = d.xml()
    body = root.find(W + "body")
    last = [p for p in body.findall(W + "p") if "".join(t.text or "" for t in p.iter(W + "t"))][-1]
    assert "".join(t.text for t in last.iter(W + "t")) == "III. TỔ CHỨC THỰC HIỆN./."
    assert len(last.findall(f"{W}pPr/{W}keepNext")) == 1        # the heading's own and the signature's: one
    assert last.getnext().tag == W + "tbl"                       # the signature table follows
    assert order_problems(root) == []
