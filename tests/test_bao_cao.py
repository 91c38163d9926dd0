"""Báo cáo: footnotes, inline emphasis, Kính gửi, phụ lục tables, statistics in text.

Every assertion reads the rendered .docx (document.xml, footnotes.xml), not the
model: what matters is what Word and LibreOffice will show.
"""
from __future__ import annotations

import pytest

from conftest import W, Rendered, run_flag, run_size
from vbtool.document import load_document_text, to_docx
from vbtool.inline import NoteRef, Span, parse, plain, strip_refs

# A state report from a Sở to UBND tỉnh. Notes are declared in an order
# different from their appearance: numbering must follow the printed order.
BC_STATE = """\
loai: bao_cao
the_thuc: nha_nuoc
co_quan:
  cap_tren: UBND tỉnh Bình Thuận
  ten: Sở Tư pháp
  ky_hieu: STP
  ten_goi: Sở Tư pháp
so: 45
ngay: 2024-12-05
dia_danh: Bình Thuận
trich_yeu: Kết quả công tác phổ biến, giáo dục pháp luật năm 2024
kinh_gui: Ủy ban nhân dân tỉnh
so_lieu: {dat: 1487, tong: 1611, kinh_phi: 1250000000, xa: 124}
mo_dau:
  - "Thực hiện Kế hoạch số 12/KH-UBND[^kh12], Sở Tư pháp báo cáo **kết quả** như sau:"
noi_dung:
  - muc: Kết quả *đạt được*[^muc]
    noi_dung:
      - >-
        Hòa giải thành {{ so_lieu.dat | so }}/{{ so_lieu.tong | so }} vụ việc, đạt
        {{ ty_le(so_lieu.dat, so_lieu.tong) }} ({{ phan_so(so_lieu.dat, so_lieu.tong) }});
        {{ so_lieu.xa | so_chu }} xã; {{ so_dem(3) }} kế hoạch; kinh phí {{ so_lieu.kinh_phi | so }} đồng
        (bằng chữ: {{ so_lieu.kinh_phi | tien_chu }}).
      - gach:
          - Tuyên truyền “Ngày Pháp luật”[^ngay]
          - doan: Ghi 3 * 4, (*) và \\*không nghiêng\\*.
            cong: [ý *nghiêng* con]
      - nhiem_vu: Tổ chức hội nghị.
        chu_tri: [Sở Tư pháp]
        thoi_gian: Quý II/2024[^tg]
        ket_qua: ["Đã tổ chức 12 hội nghị.", "Đoạn hai của kết quả."]
  - muc: Kiến nghị
    noi_dung:
      - Không có kiến nghị[^cuoi]
chu_thich:
  cuoi: Chú thích ở câu cuối.
  tg: Thời gian theo kế hoạch.
  ngay: Ngày 09 tháng 11 hằng năm.
  muc: ["Đoạn một của chú thích. Câu thứ hai.", "Đoạn *hai* của chú thích."]
  kh12: Kế hoạch số 12/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh.
  pl: Chú thích trong phụ lục.
ky:
  ky_thay: Giám đốc
  chuc_vu: Phó Giám đốc
  ho_ten: Nguyễn Văn A
noi_nhan:
  - Giám đốc Sở
luu: [VT, PBGDPL]
phu_luc:
  - ten: Danh mục văn bản
    ngang: true
    noi_dung:
      - bang:
          cot:
            - {ten: TT, rong_mm: 12}
            - {ten: "Số, ký hiệu", rong_mm: 40}
            - {ten: Trích yếu}
            - {ten: Ghi chú, rong_mm: 30}
          so_thu_tu: true
          dong:
            - nhom: Ban Thường vụ Tỉnh ủy
            - nhom_con: Chỉ thị
            - ["01-CT/TU", "Về tăng cường[^pl]", ""]
            - ["02-CT/TU", "Dòng một\\nDòng hai", ["Ô", "hai đoạn"]]
            - nhom_con: Kết luận
            - ["03-KL/TU", "Kết luận", 1234.5]
            - nhom: Thường trực Tỉnh ủy
            - ["04-TB/TU", "Thông báo", ""]
            - tong: [Cộng, "4 văn bản", ""]
  - ten: Đọc số bằng chữ
    noi_dung:
      - bang:
          cot: [{ten: Số, rong_mm: 40, can: phai}, {ten: Bằng chữ}]
          dong:
            - [1005, "{{ 1005 | so_chu }}"]
            - [2024, "{{ 2024 | so_chu }}"]
            - [15, "{{ 15 | so_chu }}"]
            - [21, "{{ 21 | so_chu }}"]
            - [1000000, "{{ 1000000 | so_chu }}"]
            - [98.23, "{{ 98.23 | so_chu }}"]
            - [2500000, "{{ 2500000 | tien_chu }}"]
"""


@pytest.fixture(scope="module")
def bc(render_text) -> Rendered:
    return render_text(BC_STATE)


def footnotes(r: Rendered) -> list[tuple[int, str]]:
    """(id, text) of each real footnote, in part order; paragraphs joined by " | "."""
    out = []
    for fn in r.xml("word/footnotes.xml").findall(f"{W}footnote"):
        if fn.get(W + "type"):
            continue
        paras = ["".join(t.text or "" for t in p.iter(W + "t")).strip() for p in fn.findall(f"{W}p")]
        out.append((int(fn.get(W + "id")), " | ".join(paras)))
    return out


def references(r: Rendered) -> list[int]:
    return [int(x.get(W + "id")) for x in r.xml().iter(W + "footnoteReference")]


# --- inline syntax ----------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("a **b** c", [Span("a "), Span("b", bold=True), Span(" c")]),
    ("*nghiêng*", [Span("nghiêng", italic=True)]),
    ("***cả hai***", [Span("cả hai", bold=True, italic=True)]),
    ("**đậm *lồng* đậm**", [Span("đậm ", bold=True), Span("lồng", bold=True, italic=True), Span(" đậm", bold=True)]),
    ("*“Dân vận khéo”*", [Span("“Dân vận khéo”", italic=True)]),
    ("x[^a] y.[^b-2]", [Span("x"), NoteRef("a"), Span(" y."), NoteRef("b-2")]),
])
def test_inline_parse(text, expected):
    assert list(parse(text)) == expected


@pytest.mark.parametrize("text", ["(*) Số liệu ước tính (*)", "Điều 5*", "3 * 4 = 12", "a*b*c", "**chưa đóng",
                                  "{{ x }} {% if %} {# c #}", "* đầu dòng *"])
def test_literal_asterisks_stay(text):
    assert list(parse(text)) == [Span(text)]


def test_escapes():
    assert list(parse(r"\*không\* \[^x] \\")) == [Span(r"*không* [^x] \ ".rstrip())]
    assert plain(r"\*a\*") == "*a*"
    assert strip_refs(r"a[^x] \[^y]") == r"a \[^y]"


# --- footnotes ----------------------------------------------------------------

def test_footnotes_numbered_in_printed_order_with_text(bc):
    notes = footnotes(bc)
    assert [i for i, _ in notes] == [1, 2, 3, 4, 5, 6]
    assert [t for _, t in notes] == [
        "Kế hoạch số 12/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh.",
        "Đoạn một của chú thích. Câu thứ hai. | Đoạn hai của chú thích.",
        "Ngày 09 tháng 11 hằng năm.",
        "Thời gian theo kế hoạch.",
        "Chú thích ở câu cuối.",
        "Chú thích trong phụ lục.",       # phụ lục come after the body
    ]
    assert references(bc) == [1, 2, 3, 4, 5, 6]


def test_footnotes_part_has_separators_marks_and_profile_size(bc):
    part = bc.xml("word/footnotes.xml")
    types = [fn.get(W + "type") for fn in part.findall(f"{W}footnote")]
    assert types[:2] == ["separator", "continuationSeparator"]
    settings = bc.xml("word/settings.xml")
    assert [e.get(W + "id") for e in settings.iter(W + "footnote")] == ["-1", "0"]
    for fn in part.findall(f"{W}footnote")[2:]:
        first = fn.find(f"{W}p")
        assert first.find(f"{W}pPr/{W}pStyle").get(W + "val") == "FootnoteText"
        mark = first.find(f".//{W}footnoteRef")
        assert mark is not None                                  # Word prints the number here
        rpr = mark.getparent().find(f"{W}rPr")
        assert rpr.find(f"{W}vertAlign").get(W + "val") == "superscript"
        for r in fn.iter(W + "r"):
            assert run_size(r) == 11                             # profile chu_thich.co_chu (NĐ 30: practice 10–12)
    # a note of several paragraphs: the mark only in the first
    multi = part.findall(f"{W}footnote")[3]
    paras = multi.findall(f"{W}p")
    assert len(paras) == 2 and paras[1].find(f".//{W}footnoteRef") is None
    italic = [r for r in paras[1].iter(W + "r") if "".join(t.text for t in r.iter(W + "t")) == "hai"]
    assert italic and run_flag(italic[0], "i")


def test_body_references_are_superscript_runs_not_bracketed_numbers(bc):
    refs = list(bc.xml().iter(W + "footnoteReference"))
    assert refs
    for ref in refs:
        rpr = ref.getparent().find(f"{W}rPr")
        assert rpr.find(f"{W}rStyle").get(W + "val") == "FootnoteReference"
        assert rpr.find(f"{W}vertAlign").get(W + "val") == "superscript"
        assert rpr.find(f"{W}rFonts").get(W + "ascii") == "Times New Roman"
    text = bc.text()
    assert "[^" not in text and "(1)" not in text
    # the reference sits right after the word it annotates
    p = next(p for p in bc.xml().iter(W + "p") if "Thực hiện Kế hoạch" in "".join(t.text or "" for t in p.iter(W + "t")))
    kids = [c for c in p.iter(W + "t", W + "footnoteReference")]
    i = next(k for k, c in enumerate(kids) if c.tag == W + "footnoteReference")
    assert kids[i - 1].text.endswith("12/KH-UBND") and kids[i + 1].text.startswith(", Sở Tư pháp")


def test_ending_goes_before_a_trailing_reference(bc):
    paras = bc.paragraphs()
    assert "Không có kiến nghị./." in paras           # "./." then the superscript 5
    p = next(p for p in bc.xml().iter(W + "p") if "Không có kiến nghị" in "".join(t.text or "" for t in p.iter(W + "t")))
    assert p.find(f".//{W}footnoteReference").get(W + "id") == "5"
    # a task field ending with a note: the full stop goes before the reference too
    assert "- Thời gian thực hiện: Quý II/2024." in paras


def test_heading_upper_case_keeps_note_and_emphasis(bc):
    assert "I. KẾT QUẢ ĐẠT ĐƯỢC" in bc.paragraphs()
    r = bc.runs_with("ĐẠT ĐƯỢC")[0]
    assert run_flag(r, "b") and run_flag(r, "i")


def test_task_annex_copies_tasks_without_their_notes(render_text):
    text = BC_STATE.replace("luu: [VT, PBGDPL]", "luu: [VT, PBGDPL]\nphu_luc_nhiem_vu: true")
    r = render_text(text)
    assert references(r) == [1, 2, 3, 4, 5, 6]          # still one reference per note
    assert "Phụ lục III" in r.paragraphs()              # after the two declared phụ lục
    row = [c.text for c in r.doc.tables[-1].rows[1].cells]
    assert row[:3] == ["1", "Tổ chức hội nghị.", "Sở Tư pháp"] and row[4] == "Quý II/2024"


def test_document_without_notes_keeps_an_empty_footnotes_part(render_text):
    from samples import STATE
    r = render_text(STATE)
    assert footnotes(r) == [] and references(r) == []
    assert len(r.xml("word/footnotes.xml").findall(f"{W}footnote")) == 2


# --- inline emphasis in the body -------------------------------------------

def test_bold_italic_and_literal_asterisks_in_body(bc):
    kq = bc.runs_with("kết quả")
    assert any(run_flag(r, "b") and not run_flag(r, "i") for r in kq)
    paras = bc.paragraphs()
    assert "- Ghi 3 * 4, (*) và *không nghiêng*." in paras
    sub = bc.runs_with("nghiêng")
    assert any(run_flag(r, "i") and "".join(t.text for t in r.iter(W + "t")) == "nghiêng" for r in sub)
    assert "+ ý nghiêng con" in paras


# --- statistics in text -------------------------------------------------------

def test_statistics_formats(bc):
    text = bc.text()
    assert "Hòa giải thành 1.487/1.611 vụ việc, đạt 92,3% (1.487/1.611);" in text
    assert "một trăm hai mươi tư xã; 03 kế hoạch; kinh phí 1.250.000.000 đồng" in text
    assert "(bằng chữ: Một tỷ hai trăm năm mươi triệu đồng)" in text


def test_number_words_table(bc):
    t = next(tb for tb in bc.doc.tables if tb.rows[0].cells[0].text == "Số")
    rows = [[c.text for c in row.cells] for row in t.rows[1:]]
    assert rows == [
        ["1.005", "một nghìn không trăm linh năm"],
        ["2.024", "hai nghìn không trăm hai mươi tư"],
        ["15", "mười lăm"],
        ["21", "hai mươi mốt"],
        ["1.000.000", "một triệu"],
        ["98,23", "chín mươi tám phẩy hai mươi ba"],
        ["2.500.000", "Hai triệu năm trăm nghìn đồng"],
    ]
    # the number column is right-aligned as asked (can: phai)
    p = t.rows[1].cells[0]._tc.find(f".//{W}jc")
    assert p.get(W + "val") == "right"


# --- Kính gửi and Nơi nhận --------------------------------------------------

def test_single_kinh_gui_on_one_line_and_nhu_tren_first(bc):
    assert "Kính gửi: Ủy ban nhân dân tỉnh." in bc.paragraphs()
    left = [p.text for p in bc.doc.tables[1].cell(0, 0).paragraphs]
    assert left == ["Nơi nhận:", "- Như trên;", "- Giám đốc Sở;", "- Lưu: VT, PBGDPL."]


def test_several_kinh_gui_aligned_under_the_first_dash(render_text):
    r = render_text(BC_STATE.replace("kinh_gui: Ủy ban nhân dân tỉnh",
                                     "kinh_gui: [Ủy ban nhân dân tỉnh, \"Bộ Tư pháp (Vụ Phổ biến, giáo dục pháp luật)\"]"))
    ps = [p for p in r.xml().iter(W + "p") if "".join(t.text or "" for t in p.iter(W + "t")).startswith(("Kính gửi", "- Bộ"))]
    assert ["".join(t.text or "" for t in p.iter(W + "t")) for p in ps] == [
        "Kính gửi:- Ủy ban nhân dân tỉnh;", "- Bộ Tư pháp (Vụ Phổ biến, giáo dục pháp luật)."]
    inds = [p.find(f"{W}pPr/{W}ind") for p in ps]
    tabs = [p.find(f"{W}pPr/{W}tabs/{W}tab") for p in ps]
    left = {i.get(W + "left") for i in inds}
    assert len(left) == 1                                               # same dash column
    assert {t.get(W + "pos") for t in tabs} == left                     # the tab reaches it exactly
    assert all(int(i.get(W + "hanging")) > 0 and i.get(W + "firstLine") is None for i in inds)
    # the first line holds the label, a tab, then the first recipient
    first = [c.tag for c in ps[0].iter(W + "t", W + "tab") if c.getparent().tag == W + "r"]
    assert first == [W + "t", W + "tab", W + "t"]


@pytest.mark.parametrize("change,expected", [
    (("noi_nhan:\n  - Giám đốc Sở", "noi_nhan:\n  - Như trên\n  - Giám đốc Sở"), ["- Như trên;", "- Giám đốc Sở;"]),
    (("kinh_gui: Ủy ban nhân dân tỉnh\n", ""), ["- Giám đốc Sở;"]),
    (("loai: bao_cao", "loai: ke_hoach"), ["- Giám đốc Sở;"]),
])
def test_nhu_tren_only_for_state_reports_with_kinh_gui_and_never_twice(render_text, change, expected):
    r = render_text(BC_STATE.replace(*change))
    left = [p.text for p in r.doc.tables[1].cell(0, 0).paragraphs]
    assert left[1:-1] == expected


def test_party_report_never_adds_nhu_tren(render_text):
    from samples import PARTY
    r = render_text(PARTY.replace("loai: ke_hoach", "loai: bao_cao").replace("noi_dung:\n", "kinh_gui: Ban Thường vụ Tỉnh ủy\nnoi_dung:\n", 1))
    left = [p.text for p in r.doc.tables[1].cell(0, 0).paragraphs]
    assert left[1] == "- Thường trực Tỉnh ủy (b/c);"
    assert "BÁO CÁO" in r.paragraphs()
    assert "Số \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BC/BDVTU" in r.paragraphs()


# --- phụ lục -----------------------------------------------------------------

def appendix_table(r: Rendered):
    return next(tb for tb in r.doc.tables if tb.rows[0].cells[0].text == "TT")


def test_appendix_sections_new_page_landscape_and_page_numbers_restart(bc):
    secs = bc.doc.sections
    assert len(secs) == 3
    assert secs[0].orientation == 0
    assert secs[1].orientation == 1 and secs[1].page_width > secs[1].page_height
    assert secs[2].orientation == 0
    for s in secs[1:]:
        assert s._sectPr.find(f"{W}pgNumType").get(W + "start") == "1"
        assert s._sectPr.find(f"{W}type") is None                  # default: next page
    paras = bc.paragraphs()
    assert "Phụ lục I" in paras and "DANH MỤC VĂN BẢN" in paras and "Phụ lục II" in paras
    assert paras.count("(Kèm theo Báo cáo số 45/BC-STP ngày 05 tháng 12 năm 2024 của Sở Tư pháp)") == 2
    head = bc.runs_with("Phụ lục I")[0]
    assert run_size(head) == 14 and run_flag(head, "b")
    kem = bc.runs_with("(Kèm theo")[0]
    assert run_flag(kem, "i")


def test_appendix_table_header_groups_numbering_and_cells(bc):
    t = appendix_table(bc)
    trs = t._tbl.findall(f"{W}tr")
    assert trs[0].find(f"{W}trPr/{W}tblHeader") is not None            # repeated on every page
    assert all(tr.find(f"{W}trPr/{W}tblHeader") is None for tr in trs[1:])
    grid = [int(g.get(W + "w")) for g in t._tbl.findall(f"{W}tblGrid/{W}gridCol")]
    assert [round(g * 25.4 / 1440) for g in grid] == [12, 40, 170, 30]   # 252 mm landscape text width

    def row(tr):
        cells = tr.findall(f"{W}tc")
        spans = [int(c.find(f"{W}tcPr/{W}gridSpan").get(W + "val")) if c.find(f"{W}tcPr/{W}gridSpan") is not None
                 else 1 for c in cells]
        texts = [" | ".join("".join(t.text or "" for t in p.iter(W + "t")) for p in c.findall(f"{W}p")) for c in cells]
        return texts, spans

    rows = [row(tr) for tr in trs]
    assert rows[0] == (["TT", "Số, ký hiệu", "Trích yếu", "Ghi chú"], [1, 1, 1, 1])
    assert rows[1] == (["I", "Ban Thường vụ Tỉnh ủy"], [1, 3])                 # group row spans the rest
    assert rows[2] == (["", "Chỉ thị"], [1, 3])                               # sub-group row
    assert rows[3] == (["1", "01-CT/TU", "Về tăng cường", ""], [1, 1, 1, 1])
    assert rows[4] == (["2", "02-CT/TU", "Dòng một | Dòng hai", "Ô | hai đoạn"], [1, 1, 1, 1])
    assert rows[5] == (["", "Kết luận"], [1, 3])
    assert rows[6][0] == ["3", "03-KL/TU", "Kết luận", "1.234,5"]            # numbering runs on through sub-groups
    assert rows[7] == (["II", "Thường trực Tỉnh ủy"], [1, 3])
    assert rows[8][0] == ["1", "04-TB/TU", "Thông báo", ""]                   # restarts per group
    assert rows[9][0] == ["", "Cộng", "4 văn bản", ""]                       # total row: not numbered
    group = trs[1].findall(f".//{W}r")
    assert all(run_flag(r, "b") for r in group)
    assert all(run_flag(r, "b") and run_flag(r, "i") for r in trs[2].findall(f".//{W}r"))
    assert all(run_flag(r, "b") for r in trs[9].findall(f".//{W}r"))
    assert all(run_size(r) == 12 for r in trs[3].findall(f".//{W}r") if r.find(f"{W}t") is not None)
    assert trs[1].find(f".//{W}keepNext") is not None                      # a group stays with its first row


def test_party_appendix_heading_and_reference_line(render_text):
    from samples import PARTY
    text = (PARTY.replace("loai: ke_hoach", "loai: bao_cao").replace("so: null", "so: 143")
            .replace("ngay: 2024", "ngay: 2021-11-25").replace("  ten: Ban Dân vận\n", "  ten: Ban Dân vận\n  ten_goi: Ban Dân vận Tỉnh ủy\n")
            + "phu_luc:\n  - ten: Danh mục\n    noi_dung: [Nội dung.]\n")
    r = render_text(text)
    paras = r.paragraphs()
    assert "PHỤ LỤC" in paras                                  # one phụ lục: no number (HD 36 practice)
    assert "(Kèm theo Báo cáo số 143-BC/BDVTU, ngày 25/11/2021 của Ban Dân vận Tỉnh ủy)" in paras
    r2 = render_text(text + "  - ten: Thứ hai\n    noi_dung: [Nội dung hai.]\n")
    assert "PHỤ LỤC 1" in r2.paragraphs() and "PHỤ LỤC 2" in r2.paragraphs()   # Arabic numbers when several
    assert r2.doc.sections[1].orientation == 0


# --- bad input: file, line, field, Vietnamese; nothing written --------------

def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old,new,needle,message", [
    ("Quý II/2024[^tg]", "Quý II/2024[^khong_co]", "khong_co]",
     "noi_dung[0].noi_dung[2].thoi_gian: chú thích [^khong_co] chưa có nội dung: hãy thêm \"khong_co: …\" vào chu_thich"),
    ("Không có kiến nghị[^cuoi]", "Không có kiến nghị", "  cuoi:",
     "chu_thich.cuoi: chú thích \"cuoi\" không được dẫn ở đâu trong văn bản (thiếu [^cuoi])"),
    ("Không có kiến nghị[^cuoi]", "Không có kiến nghị[^tg]", "Không có kiến nghị",
     "chú thích [^tg] đã được dẫn ở noi_dung[0].noi_dung[2].thoi_gian; mỗi chú thích chỉ dẫn một lần"),
    ("giáo dục pháp luật năm 2024\n", "giáo dục pháp luật năm 2024[^x]\n", "trich_yeu:",
     "trich_yeu: chú thích [^x] không đặt được ở trường này"),
    ('["04-TB/TU", "Thông báo", ""]', '["04-TB/TU", "Thông báo"]', "04-TB/TU",
     "phu_luc[0].noi_dung[0].bang.dong[7]: dòng có 2 ô nhưng bảng có 4 cột (cột đầu \"TT\" tự đánh số, nên mỗi dòng cần 3 ô)"),
    ("{ten: \"Số, ký hiệu\", rong_mm: 40}", "{ten: \"Số, ký hiệu\", rong_mm: 240}", "          cot:",
     "phu_luc[0].noi_dung[0].bang.cot: tổng độ rộng các cột (282 mm và các cột tự co) vượt bề rộng trang ngang (252 mm)"),
    ("{{ ty_le(so_lieu.dat, so_lieu.tong) }}", "{{ ty_le(so_lieu.dat, 0) }}", "      - >-",
     "noi_dung[0].noi_dung[0]: biểu thức {{ ty_le(so_lieu.dat, 0) }}: mẫu số bằng 0, không tính được tỷ lệ 1487/0"),
    ("{{ so_lieu.xa | so_chu }}", "{{ so_lieu.ten | so_chu }}", "      - >-",
     "noi_dung[0].noi_dung[0]: biểu thức {{ so_lieu.ten | so_chu }}: không phải là số: 'Sở Tư pháp'"),
])
def test_bad_input_names_file_line_field_and_writes_nothing(tmp_path, old, new, needle, message):
    from click.testing import CliRunner
    from vbtool.cli import main
    assert old in BC_STATE
    bad = BC_STATE.replace(old, new).replace("so_lieu: {", "so_lieu: {ten: Sở Tư pháp, ")
    src = tmp_path / "vb.yaml"
    src.write_text(bad, encoding="utf-8")
    out = tmp_path / "out" / "vb.docx"
    res = CliRunner().invoke(main, ["render", str(src), "-o", str(out)])
    assert res.exit_code == 1
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in res.output
    line = line_of(bad, needle)
    hit = [ln for ln in res.output.splitlines() if message in ln]
    assert hit, res.output
    assert hit[0].startswith(f"{src}:{line}:"), (hit[0], line)


def test_note_inside_a_note_is_refused():
    bad = BC_STATE.replace("tg: Thời gian theo kế hoạch.", "tg: Thời gian[^pl].")
    from vbtool.loader import InputError
    with pytest.raises(InputError) as exc:
        load_document_text(bad, "vb.yaml")
    assert "chu_thich.tg: chú thích không chứa chú thích khác ([^pl])" in str(exc.value)


def test_rendering_is_deterministic(bc):
    assert to_docx(load_document_text(BC_STATE, "x.yaml")) == to_docx(load_document_text(BC_STATE, "x.yaml"))


_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "sz", "szCs", "u", "vertAlign"]
_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "pBdr", "tabs", "spacing", "ind", "jc", "sectPr"]


@pytest.mark.parametrize("part", ["word/document.xml", "word/footnotes.xml"])
def test_properties_follow_the_schema_order_word_requires(bc, part):
    """Word refuses to open a file whose rPr/pPr children are out of schema order."""
    root = bc.xml(part)
    for tag, order in (("rPr", _RPR_ORDER), ("pPr", _PPR_ORDER)):
        for pr in root.iter(W + tag):
            names = [c.tag.split("}")[1] for c in pr]
            assert all(n in order for n in names), names
            assert names == sorted(names, key=order.index), names
