"""Import keeps structure, or says what it lost (issue 12 §1).

Two documents written for these tests (not seeds), each in the extraction styles a
clerk meets: one paragraph per line with bold as `**…**` (a word processor's export),
the same with a blank line between paragraphs, and wrapped lines (what a PDF gives)
with and without blank lines between paragraphs. Each import is rendered and measured
with the shared tool ../shared/tools/structure.py (paragraphs kept whole, leaked
markup, signature lines) and checked for its paragraph counts, emphasis and signature
fields, not only words.
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import docx
import pytest
import yaml

from conftest import FIXTURES, ROOT, Rendered, run_flag
from vbtool.document import load_document_text, to_docx
from vbtool.importer import import_docx, import_text, yaml_for

STRUCTURE = ROOT.parent / "shared" / "tools" / "structure.py"
KH = (FIXTURES / "import" / "kh-dang-chuyen-doi-so.txt").read_text(encoding="utf-8")
BC = (FIXTURES / "import" / "bc-dang-so-ket.txt").read_text(encoding="utf-8")
_ITALIC = re.compile(r"(?<![\w*])\*([^*\s][^*]*[^*\s])\*(?![\w*])")


def blocks(text: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]


def styles(text: str) -> dict[str, str]:
    """The same document in the extraction styles a clerk meets."""
    bs = blocks(text)
    plain = [b.replace("**", "") for b in bs]
    return {
        "one line per paragraph, **bold**": "\n".join(bs),
        "one line per paragraph, blank lines": "\n\n".join(bs),
        "wrapped lines, blank lines between paragraphs": "\n\n".join("\n".join(textwrap.wrap(b, 92)) for b in plain),
        "wrapped lines only": "\n".join("\n".join(textwrap.wrap(b, 92)) for b in plain),
    }


def measure(docx_path: Path, reference: str, tmp_path: Path, marked: bool) -> dict[str, float]:
    """paragraphs / markup / closing printed by the shared structure tool.

    The tool knows `**` only: where the source was marked up, its single-asterisk
    italics are unmarked in the reference first (they become italic runs); where it
    was not, those asterisks are the author's and stay in both."""
    assert STRUCTURE.is_file(), f"thiếu công cụ đo {STRUCTURE}"
    ref = tmp_path / "reference.txt"
    ref.write_text(_ITALIC.sub(r"\1", reference) if marked else reference, encoding="utf-8")
    out = subprocess.run([sys.executable, str(STRUCTURE), str(docx_path), str(ref)], capture_output=True, text=True,
                         check=True).stdout
    m = re.search(r"paragraphs=([\d.]+) markup=(-?\d+) closing=([\d.]+)", out)
    assert m, out
    return {"paragraphs": float(m.group(1)), "markup": int(m.group(2)), "closing": float(m.group(3)), "out": out}


def imported(text: str, tmp_path: Path):
    imp = import_text(text, "nguon.txt")
    y = yaml_for(imp, tmp_path / "vb.yaml")
    path = tmp_path / "vb.docx"
    path.write_bytes(to_docx(load_document_text(y, "vb.yaml")))
    return imp, yaml.safe_load(y), path


def section(d: dict, *titles: str) -> list:
    nodes = d["noi_dung"]
    for t in titles:
        nodes = next(n for n in nodes if isinstance(n, dict) and n.get("muc") == t)["noi_dung"]
    return nodes


@pytest.mark.parametrize("style", list(styles(KH)))
def test_party_plan_structure_kept(style, tmp_path):
    imp, d, path = imported(styles(KH)[style], tmp_path)
    m = measure(path, KH, tmp_path, marked="**" in styles(KH)[style])
    assert m["paragraphs"] >= 0.95 and m["markup"] == 0 and m["closing"] == 1.0, m["out"]
    # headers, title, signature lose their markup and keep their own formatting
    assert d["co_quan"] == {"cap_tren": "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ten": "ĐẢNG ỦY PHƯỜNG MŨI NÉ", "ky_hieu": "ĐU"}
    assert d["trich_yeu"].startswith("thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị")
    assert "*" not in d["trich_yeu"]
    assert d["ky"] == {"thay_mat": "Ban thường vụ", "chuc_vu": "Phó bí thư", "ho_ten": "Nguyễn Thị Hồng Nhung"}
    assert d["noi_nhan"] and d["luu"] == "Văn phòng Đảng ủy"
    # paragraphs: two in "Mục đích", two in "Yêu cầu", two in "Phát triển hạ tầng số…"
    assert [len(section(d, "MỤC ĐÍCH, YÊU CẦU", t)) for t in ("Mục đích", "Yêu cầu")] == [2, 2]
    infra = section(d, "NỘI DUNG THỰC HIỆN", "Phát triển hạ tầng số và dữ liệu số")
    assert len(infra) == 2
    assert [n["nhiem_vu"][:20] for n in section(d, "TỔ CHỨC THỰC HIỆN")] == [
        "Ủy ban Kiểm tra Đảng", "Đảng ủy Ủy ban nhân ", "Các chi bộ trực thuộ"]
    # rendered: 3 + 3 + 3 numbered items, every long paragraph of the reference once
    paras = Rendered(path.read_bytes()).paragraphs()
    assert sum(1 for p in paras if p.startswith(("I. ", "II. ", "III. "))) == 3
    assert not any("**" in p for p in paras)
    assert "PHÓ BÍ THƯ" in paras and "T/M BAN THƯỜNG VỤ" in paras and "Nguyễn Thị Hồng Nhung" in paras
    assert not [w for w in imp.warnings if "không nhận ra" in w.message]


def test_emphasis_inside_a_body_paragraph_becomes_vbtool_emphasis(tmp_path):
    _, d, path = imported(styles(KH)["one line per paragraph, **bold**"], tmp_path)
    infra = section(d, "NỘI DUNG THỰC HIỆN", "Phát triển hạ tầng số và dữ liệu số")
    assert "bảo đảm **đúng, đủ, sạch, sống** và được cập nhật" in infra[0]
    learn = section(d, "NỘI DUNG THỰC HIỆN", "Tổ chức học tập, quán triệt Nghị quyết")[0]
    assert "gắn với những *vấn đề cụ thể của địa phương*, nhất là" in learn
    r = Rendered(path.read_bytes())
    bold = [x for x in r.runs_with("đúng, đủ, sạch, sống")]
    assert bold and all(run_flag(x, "b") for x in bold)
    before = r.runs_with("bảo đảm ")
    assert before and not any(run_flag(x, "b") for x in before)
    italic = r.runs_with("vấn đề cụ thể của địa phương")
    assert italic and all(run_flag(x, "i") for x in italic)


def test_asterisks_without_exported_markup_stay_literal(tmp_path):
    """No whole line in **…**: the asterisks are the author's, printed as written."""
    text = styles(KH)["wrapped lines only"]
    assert "**" not in text and "*vấn đề" in text
    _, d, path = imported(text, tmp_path)
    learn = section(d, "NỘI DUNG THỰC HIỆN", "Tổ chức học tập, quán triệt Nghị quyết")[0]
    assert r"\*vấn đề cụ thể của địa phương\*" in learn
    assert any("*vấn đề cụ thể của địa phương*" in p for p in Rendered(path.read_bytes()).paragraphs())


@pytest.mark.parametrize("style", list(styles(BC)))
def test_party_report_numbering_kept(style, tmp_path):
    imp, d, path = imported(styles(BC)[style], tmp_path)
    m = measure(path, BC, tmp_path, marked="**" in styles(BC)[style])
    assert m["paragraphs"] >= 0.95 and m["markup"] == 0 and m["closing"] == 1.0, m["out"]
    assert d["loai"] == "bao_cao" and d["the_thuc"] == "dang"
    assert d["danh_so"][:3] == ["I-", "1)", "a-"]
    assert [n["muc"] for n in section(d, "KẾT QUẢ THỰC HIỆN")] == ["Công tác lãnh đạo, chỉ đạo", "Kết quả cụ thể"]
    assert d["ky"] == {"thay_mat": "Đảng ủy", "chuc_vu": "Bí thư", "ho_ten": "Trần Văn Bình"}
    paras = Rendered(path.read_bytes()).paragraphs()
    assert "1) Công tác lãnh đạo, chỉ đạo" in paras and "2) Kết quả cụ thể" in paras
    assert any(p.startswith("a- Về học tập, quán triệt") for p in paras)
    assert any(p.startswith("+ Tỷ lệ hộ kinh doanh") for p in paras)


def test_signature_case_in_source_does_not_matter(tmp_path):
    text = styles(KH)["one line per paragraph, **bold**"]
    for src, chuc_vu in (("**PHÓ Bí THƯ**", "Phó bí thư"), ("**Phó Bí thư**", "Phó bí thư"),
                         ("PHÓ BÍ THƯ", "Phó bí thư")):
        _, d, _ = imported(text.replace("**PHÓ Bí THƯ**", src), tmp_path)
        assert d["ky"]["chuc_vu"] == chuc_vu, src
    state = text.replace("**T/M BAN THƯỜNG VỤ**", "KT. CHỦ TỊCH").replace("**PHÓ Bí THƯ**", "PHÓ CHỦ TỊCH")
    _, d, _ = imported(state, tmp_path)
    assert d["ky"]["ky_thay"] == "Chủ tịch" and d["ky"]["chuc_vu"] == "Phó chủ tịch"


# -- .docx: bold and numbering that live in styles -----------------------------------------------------------

def docx_with_styled_headings() -> bytes:
    """A Word file whose section headings are bold and numbered only through their paragraph style."""
    d = docx.Document()
    styles_part = d.styles.element
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    from lxml import etree
    style = etree.SubElement(styles_part, f"{{{W}}}style", {f"{{{W}}}type": "paragraph", f"{{{W}}}styleId": "MucLon"})
    etree.SubElement(style, f"{{{W}}}name", {f"{{{W}}}val": "Muc lon"})
    ppr = etree.SubElement(style, f"{{{W}}}pPr")
    numpr = etree.SubElement(ppr, f"{{{W}}}numPr")
    etree.SubElement(numpr, f"{{{W}}}numId", {f"{{{W}}}val": "7"})
    rpr = etree.SubElement(style, f"{{{W}}}rPr")
    etree.SubElement(rpr, f"{{{W}}}b")
    for text in ("ỦY BAN NHÂN DÂN\nXÃ HÀM THUẬN", "Số: 12/KH-UBND", "Hàm Thuận, ngày 05 tháng 3 năm 2026",
                 "KẾ HOẠCH", "Chuyển đổi số năm 2026"):
        d.add_paragraph(text)
    body = [("MucLon", "MỤC ĐÍCH, YÊU CẦU"), (None, "Nâng cao chất lượng phục vụ người dân và doanh nghiệp."),
            ("MucLon", "NHIỆM VỤ"), (None, "Số hóa hồ sơ một cửa của xã.")]
    for style_id, text in body:
        p = d.add_paragraph(text)
        if style_id:
            p._p.get_or_add_pPr().insert(0, etree.Element(f"{{{W}}}pStyle", {f"{{{W}}}val": style_id}))
    d.add_paragraph("Nơi nhận:")
    d.add_paragraph("- UBND tỉnh;")
    d.add_paragraph("- Lưu: VT.")
    d.add_paragraph("TM. ỦY BAN NHÂN DÂN")
    d.add_paragraph("CHỦ TỊCH")
    d.add_paragraph("Lê Văn Cường")
    buf = io.BytesIO()
    d.save(buf)
    numbering = (f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0">'
                 '<w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
                 '</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num></w:numbering>')
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/numbering.xml":
                data = numbering.encode()
            z.writestr(info, data)
        if "word/numbering.xml" not in src.namelist():
            z.writestr("word/numbering.xml", numbering)
    return out.getvalue()


def test_docx_bold_and_numbering_from_styles(tmp_path):
    path = tmp_path / "kh.docx"
    path.write_bytes(docx_with_styled_headings())
    imp = import_docx(path)
    d = imp.data
    assert [n["muc"] for n in d["noi_dung"]] == ["MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ"]
    assert d["noi_dung"][0]["noi_dung"] == ["Nâng cao chất lượng phục vụ người dân và doanh nghiệp."]
    assert d["ky"] == {"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": "Lê Văn Cường"}


# -- PDF: a grouped phụ lục table rebuilt from the page layout ----------------------------------------------

LAYOUT = """\
                                 PHỤ LỤC
           DANH MỤC CÔNG TRÌNH CHUYỂN ĐỔI SỐ NĂM 2026

                     Thời gian
TT    Tên công trình                       Kinh phí          Ghi chú
                     hoàn thành
 I    Cấp tỉnh
      Hạ tầng
 1    Trung tâm dữ     Quý II/2026       1.200             Đã khởi công
      liệu tỉnh
 2    Mạng truyền số   Quý III/2026      850
      liệu chuyên dùng
      Ứng dụng
 3    Cổng dịch vụ     Quý IV/2026       430               Nâng cấp
                                   2
\f                     Thời gian
TT    Tên công trình                       Kinh phí          Ghi chú
                     hoàn thành
II    Cấp xã
 1    Wifi công cộng   Quý II/2026       95
"""


def test_layout_table_rows_groups_and_pages():
    from vbtool.layout_table import tables
    (t,) = tables(LAYOUT)
    cells = [[c.texts[0] for c in r] for r in t.rows]
    assert cells[0] == ["TT", "Tên công trình", "Thời gian hoàn thành", "Kinh phí", "Ghi chú"]
    assert cells[1] == ["I", "Cấp tỉnh"] and t.rows[1][1].span == 4
    assert cells[2] == ["", "Hạ tầng"] and t.rows[2][1].italic
    assert cells[3] == ["1", "Trung tâm dữ liệu tỉnh", "Quý II/2026", "1.200", "Đã khởi công"]
    assert cells[4] == ["2", "Mạng truyền số liệu chuyên dùng", "Quý III/2026", "850", ""]
    assert cells[5] == ["", "Ứng dụng"]
    assert cells[6] == ["3", "Cổng dịch vụ", "Quý IV/2026", "430", "Nâng cấp"]
    assert cells[7] == ["II", "Cấp xã"]                 # page number and repeated header skipped
    assert cells[8] == ["1", "Wifi công cộng", "Quý II/2026", "95", ""]
    assert len(cells) == 9 and t.page == 1


def test_pdf_grouped_table_imported_as_phu_luc(tmp_path):
    """Example 102's landscape two-level table, through LibreOffice's PDF and back."""
    from conftest import EXAMPLES
    from vbtool.document import load_document
    from vbtool.importer import import_pdf
    from vbtool.pdf import convert_many
    src = load_document(EXAMPLES / "102-bc-bdvtu-quy-che-dan-van.yaml")
    (tmp_path / "102.docx").write_bytes(to_docx(src))
    pdf = convert_many([tmp_path / "102.docx"], jobs=1)[tmp_path / "102.docx"]
    assert isinstance(pdf, Path), pdf
    imp = import_pdf(pdf)
    original = yaml.safe_load((EXAMPLES / "102-bc-bdvtu-quy-che-dan-van.yaml").read_text(encoding="utf-8"))
    want = original["phu_luc"][0]["noi_dung"][0]["bang"]
    (ap,) = imp.data["phu_luc"]
    assert ap.get("ngang") is True
    got = ap["noi_dung"][0]["bang"]
    assert [c["ten"] for c in got["cot"]] == [c["ten"] for c in want["cot"]]
    assert got["so_thu_tu"] is True
    def flat(rows):      # a PDF cannot tell two paragraphs of one cell from one wrapped paragraph
        return [r if isinstance(r, dict) else [" ".join(c) if isinstance(c, list) else c for c in r] for r in rows]
    assert flat(got["dong"]) == flat(want["dong"])
    assert not [w for w in imp.warnings if "không dựng lại được" in w.message]
