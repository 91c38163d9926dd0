"""Layout rules of NĐ 30 and HD 36, asserted on the rendered .docx.

Expected values are the regulation's (format-rules.md), written here by hand,
not read back from the profiles: a wrong profile value must fail a test.
"""
from __future__ import annotations

import pytest

from conftest import W, run_flag, run_size
from samples import PARTY, STATE


@pytest.fixture(scope="module")
def state(render_text):
    return render_text(STATE)


@pytest.fixture(scope="module")
def party(render_text):
    return render_text(PARTY)


def one_run(rendered, text):
    runs = rendered.runs_with(text)
    assert runs, f"no run contains {text!r}"
    return runs[0]


# --- page -------------------------------------------------------------------

@pytest.mark.parametrize("which", ["state", "party"])
def test_a4_margins_and_first_page(which, request):
    r = request.getfixturevalue(which)
    sec = r.doc.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    assert round(sec.top_margin.mm) == 20 and round(sec.bottom_margin.mm) == 20
    assert round(sec.left_margin.mm) == 30 and round(sec.right_margin.mm) == 15
    assert sec.different_first_page_header_footer is True     # titlePg: no number on page 1


@pytest.mark.parametrize("which,size", [("state", 14), ("party", 14)])
def test_page_number_field_centred_in_header_not_on_page_one(which, size, request):
    r = request.getfixturevalue(which)
    sec = r.doc.sections[0]
    hdr = sec.header._element
    instr = "".join(t.text for t in hdr.iter(W + "instrText"))
    assert instr.strip() == "PAGE"
    assert hdr.find(f".//{W}jc").get(W + "val") == "center"
    sizes = {int(s.get(W + "val")) / 2 for s in hdr.iter(W + "sz")}
    assert sizes == {size}
    first = sec.first_page_header._element
    assert not list(first.iter(W + "instrText"))
    assert "".join(t.text for t in first.iter(W + "t")) == ""
    # no page number in any footer
    assert not any(n.startswith("word/footer") for n in r.zip.namelist())


def test_every_run_is_times_new_roman_in_all_four_slots(state, party):
    for r in (state, party):
        for run in r.xml().iter(W + "r"):
            fonts = run.find(f"{W}rPr/{W}rFonts")
            assert fonts is not None
            for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                assert fonts.get(W + slot) == "Times New Roman"
        styles = r.xml("word/styles.xml")
        d = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        assert all(d.get(W + s) == "Times New Roman" for s in ("ascii", "hAnsi", "eastAsia", "cs"))


# --- header -----------------------------------------------------------------

def header_cells(r):
    tbl = r.doc.tables[0]
    return [[c.text for c in row.cells] for row in tbl.rows]


def test_state_header_grid(state):
    cells = header_cells(state)
    assert cells[0][0].split("\n")[:2] == ["UBND TỈNH BÌNH THUẬN", "SỞ TƯ PHÁP"]
    assert cells[0][1].split("\n")[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    # number and date on the same row
    assert cells[1] == ["Số: 05/KH-STP", "Bình Thuận, ngày 05 tháng 02 năm 2024"]
    assert run_size(one_run(state, "CỘNG HÒA")) == 13 and run_flag(one_run(state, "CỘNG HÒA"), "b")
    assert run_size(one_run(state, "Độc lập")) == 14 and run_flag(one_run(state, "Độc lập"), "b")
    cq = one_run(state, "UBND TỈNH")
    assert run_size(cq) == 13 and not run_flag(cq, "b")
    ban_hanh = one_run(state, "SỞ TƯ PHÁP")
    assert run_size(ban_hanh) == 13 and run_flag(ban_hanh, "b")
    assert run_size(one_run(state, "Số: 05")) == 13
    date = one_run(state, "ngày 05 tháng 02")
    assert run_size(date) == 14 and run_flag(date, "i")


def test_state_rules_under_tieu_ngu_issuer_and_trich_yeu(state):
    # three bordered empty paragraphs: under the issuer, the tiêu ngữ, the trích yếu
    bordered = [p for p in state.xml().iter(W + "p") if p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None]
    assert len(bordered) == 3
    assert "*" not in state.paragraphs() and "-----" not in state.paragraphs()


def test_party_header_grid(party):
    cells = header_cells(party)
    left = cells[0][0].split("\n")
    assert left[:3] == ["TỈNH ỦY BÌNH THUẬN", "BAN DÂN VẬN", "*"]
    assert cells[0][1].split("\n")[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert cells[1][0].replace("\u00a0", " ").split() == ["Số", "-KH/BDVTU"]      # blank number, no colon
    assert cells[1][1].replace("\u00a0", " ").split() == ["Bình", "Thuận,", "ngày", "tháng", "năm", "2024"]
    t = one_run(party, "ĐẢNG CỘNG SẢN")
    assert run_size(t) == 15 and run_flag(t, "b")
    assert run_size(one_run(party, "TỈNH ỦY")) == 14 and not run_flag(one_run(party, "TỈNH ỦY"), "b")
    assert run_size(one_run(party, "BAN DÂN VẬN")) == 14 and run_flag(one_run(party, "BAN DÂN VẬN"), "b")
    assert run_size(one_run(party, "-KH/BDVTU")) == 14


def test_party_title_and_five_hyphens(party):
    paras = party.paragraphs()
    i = paras.index("KẾ HOẠCH")
    assert paras[i + 1] == "thực hiện công tác dân vận năm 2024"   # lower-case start per HD 36
    assert paras[i + 2] == "-----"
    assert run_size(one_run(party, "KẾ HOẠCH")) == 16
    # only the tiêu đề has a drawn rule
    bordered = [p for p in party.xml().iter(W + "p") if p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None]
    assert len(bordered) == 1


def test_state_title(state):
    paras = state.paragraphs()
    i = paras.index("KẾ HOẠCH")
    assert paras[i + 1] == "Triển khai công tác phổ biến pháp luật năm 2024"   # capital start per NĐ 30
    k = one_run(state, "KẾ HOẠCH")
    assert run_size(k) == 14 and run_flag(k, "b")


# --- body -------------------------------------------------------------------

def test_body_paragraph_format(state):
    body = [p for p in state.doc.paragraphs if p.text.startswith("Nâng cao nhận thức")][0]
    pf = body.paragraph_format
    assert body.alignment == 3  # justify
    assert abs(pf.first_line_indent.mm - 12.7) < 0.1
    assert pf.space_before.pt == 6
    assert pf.line_spacing.pt == 18
    assert {r.font.size.pt for r in body.runs} == {14}


def test_numbering_four_levels_and_task_fields_in_order(state):
    paras = [p for p in state.paragraphs() if p]
    start = paras.index("I. MỤC ĐÍCH, YÊU CẦU")
    assert paras[start:start + 6] == [
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "Nâng cao nhận thức pháp luật.", "1.1. Đối tượng",
        "a) Cán bộ", "Cán bộ, công chức."]
    j = paras.index("II. NHIỆM VỤ")
    assert paras[j + 1:j + 5] == [
        "1. Tổ chức hội nghị phổ biến.",
        "- Cơ quan chủ trì: Sở Tư pháp.",
        "- Cơ quan phối hợp: Sở Nội vụ; UBND các huyện, thị xã, thành phố.",
        "- Thời gian thực hiện: Quý II/2024./.",
    ]
    assert run_flag(one_run(state, "MỤC ĐÍCH, YÊU CẦU"), "b")
    h3 = one_run(state, "Đối tượng")
    assert run_flag(h3, "b") and run_flag(h3, "i")


# --- signature and Nơi nhận -----------------------------------------------

def sig_table(r):
    return r.doc.tables[-1]


def test_state_signature_and_noi_nhan(state):
    t = sig_table(state)
    right = [p.text for p in t.cell(0, 1).paragraphs if p.text]
    assert right == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]
    left = [p for p in t.cell(0, 0)._tc.iter(W + "p")]
    texts = ["".join(x.text for x in p.iter(W + "t")) for p in left]
    assert texts == ["Nơi nhận:", "- UBND tỉnh;", "- Thường trực Tỉnh ủy;", "- Thường trực HĐND tỉnh;",
                     "(báo cáo)", "- Lưu: VT, PBGDPL."]
    label = one_run(state, "Nơi nhận:")
    assert run_size(label) == 12 and run_flag(label, "b") and run_flag(label, "i") and not run_flag(label, "u")
    assert run_size(one_run(state, "- UBND tỉnh;")) == 11
    assert run_size(one_run(state, "- Lưu: VT")) == 11
    for text in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"):
        assert run_flag(one_run(state, text), "b") and run_size(one_run(state, text)) == 14


def test_party_signature_and_noi_nhan(party):
    t = sig_table(party)
    right = [p.text for p in t.cell(0, 1).paragraphs if p.text]
    assert right == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Linh Nhơn"]
    left = [p.text for p in t.cell(0, 0).paragraphs]
    assert left == ["Nơi nhận:", "- Thường trực Tỉnh ủy (b/c);", "- Các phòng thuộc Ban;", "- Lưu Văn thư."]
    label = one_run(party, "Nơi nhận:")
    assert run_size(label) == 14 and run_flag(label, "u") and not run_flag(label, "b") and not run_flag(label, "i")
    assert run_size(one_run(party, "- Các phòng")) == 12
    assert run_flag(one_run(party, "K/T TRƯỞNG BAN"), "b")
    assert not run_flag(one_run(party, "PHÓ TRƯỞNG BAN"), "b")   # HD 36: chức vụ not bold


def test_signature_block_never_alone(state):
    rows = state.xml().findall(f".//{W}tbl")[-1].findall(f"{W}tr")
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    body_paras = [p for p in state.xml().find(f"{W}body") if p.tag == W + "p"]
    last_text = [p for p in body_paras if "".join(t.text for t in p.iter(W + "t"))][-1]
    assert last_text.find(f"{W}pPr/{W}keepNext") is not None


def test_state_tm_kt_three_lines(render_text):
    text = STATE.replace("ky_thay: Giám đốc", "thay_mat: Ủy ban nhân dân\n  ky_thay: Chủ tịch").replace(
        "Phó Giám đốc", "Phó Chủ tịch")
    r = render_text(text)
    right = [p.text for p in r.doc.tables[-1].cell(0, 1).paragraphs if p.text]
    assert right[:3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_special_characters_are_literal(render_text):
    text = STATE.replace("Nâng cao nhận thức pháp luật.",
                         "'A & B < C > D \"trích\" {{ x }} {% if %} {# c #}'")
    r = render_text(text)
    assert 'A & B < C > D "trích" {{ x }} {% if %} {# c #}' in r.paragraphs()


def test_task_annex_landscape_with_repeated_header(render_text):
    r = render_text(STATE + "phu_luc_nhiem_vu: true\n")
    secs = r.doc.sections
    assert len(secs) == 2
    assert secs[1].orientation == 1 and secs[1].page_width > secs[1].page_height
    annex = r.doc.tables[-1]
    assert [c.text for c in annex.rows[0].cells] == ["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian", "Sản phẩm"]
    assert annex.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert [c.text for c in annex.rows[1].cells][:3] == ["1", "Tổ chức hội nghị phổ biến.", "Sở Tư pháp"]
    paras = r.paragraphs()
    assert "Phụ lục I" in paras and "DANH MỤC NHIỆM VỤ" in paras
    assert "(Kèm theo Kế hoạch số 05/KH-STP ngày 05 tháng 02 năm 2024 của Sở Tư pháp)" in paras
    pg = secs[1]._sectPr.find(f"{W}pgNumType")
    assert pg is not None and pg.get(W + "start") == "1"
