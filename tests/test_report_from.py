"""`vbtool report-from`: a Báo cáo draft generated from a plan, and the filled-in examples."""
from __future__ import annotations

import re

import click
import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLES, W, Rendered
from vbtool.document import load_document, to_docx
from vbtool.commands.report_from import report_from_cmd

PLAN_001 = EXAMPLES / "001-kh-ubnd-nq27.yaml"
PLAN_000 = EXAMPLES / "000-kh-bdvtu-nq27.yaml"


@click.group()
def cli():
    """The command as the lead will register it on `vbtool`."""


cli.add_command(report_from_cmd)


def generate(tmp_path, plan=PLAN_001, name="bc.yaml", *extra):
    out = tmp_path / "d" / name
    res = CliRunner().invoke(cli, ["report-from", str(plan), "-o", str(out), "--nam", "2024", *extra])
    return res, out


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rf")
    res, out = generate(tmp)
    assert res.exit_code == 0, res.output
    return res, out


def test_draft_is_yaml_with_schema_line_and_validates_with_placeholders(draft):
    res, out = draft
    plan = load_document(PLAN_001)
    assert f"Đã tạo {out} ({len(plan.tasks())} nhiệm vụ cần ghi kết quả)" in res.output
    text = out.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert re.fullmatch(r"# yaml-language-server: \$schema=.*schemas/van-ban\.schema\.json", first)
    doc = load_document(out)
    assert doc.kind == "bao_cao" and doc.regime == "nha_nuoc"
    # every ket_qua and every section still to write is reported by validate
    msgs = [w.message for w in doc.warnings]
    assert sum("[[Kết quả thực hiện nhiệm vụ" in m for m in msgs) == len(plan.tasks())
    assert any("[[Cơ quan nhận báo cáo]]" in m for m in msgs)
    strict = CliRunner().invoke(__import__("vbtool.cli", fromlist=["main"]).main, ["validate", "--strict", str(out)])
    assert strict.exit_code == 1 and "cảnh báo: còn chỗ cần điền" in strict.output


def test_draft_metadata_comes_from_the_plan(draft):
    _, out = draft
    d = yaml.safe_load(out.read_text(encoding="utf-8"))
    # the plan's topic follows the citation (001's trích yếu starts with its own verb: no "về")
    assert d["trich_yeu"] == ("Kết quả thực hiện Kế hoạch số 12/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh "
                              "thực hiện Nghị quyết số 77/NQ-CP ngày 12/5/2023 của Chính phủ và Chương trình hành "
                              "động số 60-CTr/TU ngày 30/3/2023 của Ban Chấp hành Đảng bộ tỉnh (khóa XIV) thực hiện "
                              "Nghị quyết số 27-NQ/TW của Ban Chấp hành Trung ương Đảng (khóa XIII) về tiếp tục xây "
                              "dựng và hoàn thiện Nhà nước pháp quyền xã hội chủ nghĩa Việt Nam trong giai đoạn mới")
    assert d["mo_dau"][0].startswith("Thực hiện Kế hoạch số 12/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh "
                                     "thực hiện Nghị quyết số 77/NQ-CP")
    assert d["co_quan"] == {"ten": "Ủy ban nhân dân\ntỉnh Bình Thuận", "ky_hieu": "UBND",
                            "ten_goi": "Ủy ban nhân dân tỉnh"}
    assert d["so"] is None and d["ngay"] == 2024 and d["the_thuc"] == "nha_nuoc"
    assert d["ky"] == {"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": "Đoàn Anh Dũng"}
    assert d["noi_nhan"][0] == "Văn phòng Chính phủ" and d["luu"] == ["VT", "HCTC", "NCKSTTHC"]
    assert [s["muc"] for s in d["noi_dung"]] == [
        "Công tác quán triệt, triển khai", "Kết quả thực hiện các nhiệm vụ", "Tồn tại, hạn chế và nguyên nhân",
        "Phương hướng, nhiệm vụ thời gian tới", "Kiến nghị, đề xuất"]


def test_one_entry_per_task_with_number_text_units_and_result_placeholder(draft):
    _, out = draft
    d = yaml.safe_load(out.read_text(encoding="utf-8"))
    plan = load_document(PLAN_001)
    entries = [e for g in d["noi_dung"][1]["noi_dung"] for e in g["noi_dung"]]
    assert len(entries) == len(plan.tasks()) == 22
    e = next(e for e in entries if "Nhiệm vụ 2.3:" in e["nhiem_vu"])
    assert e["nhiem_vu"].startswith("*Nhiệm vụ 2.3:* Tăng cường kiểm tra, rà soát, xử lý văn bản")
    assert e["thuc_hien"] == ["Sở Tư pháp", "UBND các huyện, thị xã, thành phố"]
    assert e["phoi_hop"] == ["Các cơ quan chuyên môn thuộc UBND tỉnh"]
    assert e["ket_qua"].startswith("[[Kết quả thực hiện nhiệm vụ 2.3:")
    assert e["thoi_gian"] == "Thường xuyên."           # the deadline the result is judged against
    assert "san_pham" not in e                        # 001 names no products
    assert [f["truong"] for f in d["hien_thi_nhiem_vu"]["truong"]] == ["thuc_hien", "phoi_hop", "thoi_gian",
                                                                        "ket_qua"]
    assert d["hien_thi_nhiem_vu"]["truong"][2]["nhan"] == "Thời gian thực hiện"   # the plan's own label
    # a task numbered "1." alone is cited with its section, which is otherwise ambiguous
    assert entries[0]["nhiem_vu"].startswith("*Nhiệm vụ 1 mục I:* Tổ chức tuyên truyền")
    # the plan's sections group the entries
    assert [g["muc"] for g in d["noi_dung"][1]["noi_dung"]] == [
        "Mục đích, yêu cầu", "Nhiệm vụ, giải pháp chủ yếu", "Tổ chức thực hiện"]


def test_draft_renders_as_a_state_report(draft):
    _, out = draft
    r = Rendered(to_docx(load_document(out)))
    paras = r.paragraphs()
    assert "BÁO CÁO" in paras and "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/BC-UBND" in paras
    assert "Kính gửi: [[Cơ quan nhận báo cáo]]." in paras
    assert "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ" in paras
    left = [p.text for p in r.doc.tables[-1].cell(0, 0).paragraphs]
    assert left[:3] == ["Nơi nhận:", "- Như trên;", "- Văn phòng Chính phủ;"]
    assert any(p.startswith("- Kết quả thực hiện: [[Kết quả thực hiện nhiệm vụ 2.3:") for p in paras)
    italic = r.runs_with("Nhiệm vụ 2.3:")[0]
    assert italic.find(f"{W}rPr/{W}i") is not None


def test_party_plan_gives_a_party_report(tmp_path):
    res, out = generate(tmp_path, PLAN_000)
    assert res.exit_code == 0, res.output
    d = yaml.safe_load(out.read_text(encoding="utf-8"))
    plan = load_document(PLAN_000)
    assert d["the_thuc"] == "dang" and "kinh_gui" not in d
    assert re.fullmatch(r"kết quả thực hiện Kế hoạch số \d\d-KH/BDVTU, ngày \d\d/\d{1,2}/\d{4} "
                        r"của Ban Dân vận Tỉnh ủy (về|thực hiện|triển khai) .+", d["trich_yeu"]), d["trich_yeu"]
    doc = load_document(out)
    assert len([t for t in doc.tasks()]) == len(plan.tasks())
    r = Rendered(to_docx(doc))
    left = [p.text for p in r.doc.tables[-1].cell(0, 0).paragraphs]
    assert "- Như trên;" not in left


def test_never_overwrites_and_refuses_a_report_or_bad_plan(tmp_path, draft):
    _, out = draft
    before = out.read_bytes()
    res = CliRunner().invoke(cli, ["report-from", str(PLAN_001), "-o", str(out)])
    assert res.exit_code == 1 and "không ghi đè" in res.output
    assert out.read_bytes() == before
    report = EXAMPLES / "101-bc-stp-pbgdpl-2024.yaml"
    res, target = generate(tmp_path, report)
    assert res.exit_code == 1 and not target.exists()
    line = next(i for i, ln in enumerate(report.read_text(encoding="utf-8").splitlines(), 1) if ln.startswith("loai:"))
    assert f"{report}:{line}:1: loai: chỉ lập báo cáo từ một Kế hoạch (loai: ke_hoach), tệp này là Báo cáo" in res.output
    bad = tmp_path / "kh.yaml"
    bad_text = PLAN_001.read_text(encoding="utf-8").replace("so: 12", "so: mười hai")
    bad.write_text(bad_text, encoding="utf-8")
    res, target = generate(tmp_path, bad, "x.yaml")
    line = next(i for i, ln in enumerate(bad_text.splitlines(), 1) if ln.startswith("so:"))
    assert res.exit_code == 1 and not target.exists() and f"{bad}:{line}:1: so:" in res.output
    assert not (tmp_path / "d").exists() or list((tmp_path / "d").iterdir()) == []   # nothing, not even a temp file


def test_filled_example_103_is_the_generated_report_filled_in(tmp_path):
    """The example must really come from `report-from`: same frame, same task texts.

    103 was generated before report-from carried the plan's topic in the trích yếu and the
    deadlines and products next to each result; it is a file and stays as it is, so those
    are left out of the comparison."""
    res, out = generate(tmp_path)
    gen = yaml.safe_load(out.read_text(encoding="utf-8"))
    filled_path = next(EXAMPLES.glob("103-*.yaml"))
    filled = yaml.safe_load(filled_path.read_text(encoding="utf-8"))
    assert gen["trich_yeu"].startswith(filled["trich_yeu"].replace("Đánh giá k", "K") + " thực hiện Nghị quyết")
    shown = [f for f in gen["hien_thi_nhiem_vu"]["truong"] if f["truong"] not in ("thoi_gian", "san_pham")]
    assert filled["hien_thi_nhiem_vu"] == {**gen["hien_thi_nhiem_vu"], "truong": shown}
    for key in ("loai", "the_thuc", "co_quan", "dia_danh", "danh_so", "ky", "noi_nhan", "luu"):
        assert filled[key] == gen[key], key
    assert [s["muc"] for s in filled["noi_dung"]] == [s["muc"] for s in gen["noi_dung"]]

    def entries(d):
        return {e["nhiem_vu"] if isinstance(e["nhiem_vu"], str) else e["nhiem_vu"][0]: e
                for g in d["noi_dung"][1]["noi_dung"] for e in g["noi_dung"]}
    got, want = entries(filled), entries(gen)
    assert set(got) <= set(want) and len(got) >= 19
    for text, e in got.items():
        assert "[[" not in str(e["ket_qua"])
        new = ("ket_qua", "thoi_gian", "san_pham")
        assert {k: v for k, v in e.items() if k not in new} == {k: v for k, v in want[text].items() if k not in new}
    assert load_document(filled_path).warnings == []


# --- the examples together ----------------------------------------------------

def rendered(prefix):
    return Rendered(to_docx(load_document(next(EXAMPLES.glob(f"{prefix}*.yaml")))))


def notes_of(r: Rendered) -> list[list[str]]:
    out = []
    for fn in r.xml("word/footnotes.xml").findall(f"{W}footnote"):
        if not fn.get(W + "type"):
            out.append(["".join(t.text or "" for t in p.iter(W + "t")).strip() for p in fn.findall(f"{W}p")])
    return out


def test_report_examples_show_footnotes_tables_and_statistics():
    state, party = rendered("101"), rendered("102")
    notes = notes_of(state) + notes_of(party)
    assert len(notes) >= 12
    assert sum(1 for n in notes if len(re.findall(r"[.!?](\s|$)", " ".join(n))) >= 2) >= 4    # several sentences
    assert any(len(n) >= 2 for n in notes_of(state)) and any(len(n) >= 2 for n in notes_of(party))
    for r in (state, party):
        ids = [int(x.get(W + "id")) for x in r.xml().iter(W + "footnoteReference")]
        assert ids == list(range(1, len(notes_of(r)) + 1))
    # state: a Sở to UBND tỉnh, Kính gửi, "- Như trên;", statistics with ratios and number words
    assert "KT. GIÁM ĐỐC" in state.paragraphs() and "SỞ TƯ PHÁP" in state.paragraphs()
    assert any(p.startswith("Kính gửi:") for p in state.paragraphs())
    assert "- Như trên;" in [p.text for p in state.doc.tables[1].cell(0, 0).paragraphs]
    text = state.text()
    assert "đạt tỷ lệ 92,3% (1.487/1.611)" in text
    assert "một trăm mười tám trên tổng số một trăm hai mươi tư đơn vị" in text
    assert "Hai tỷ bốn trăm tám mươi lăm triệu sáu trăm nghìn đồng" in text
    # party: a two-level grouped table of at least 40 rows, landscape, header repeated
    assert party.doc.sections[-1].orientation == 1
    t = next(tb for tb in party.doc.tables if tb.rows[0].cells[0].text == "TT")
    trs = t._tbl.findall(f"{W}tr")
    assert trs[0].find(f"{W}trPr/{W}tblHeader") is not None
    spans = [tr for tr in trs if tr.find(f".//{W}gridSpan") is not None]
    groups = [tr for tr in spans if re.fullmatch(r"[IVX]+", "".join(x.text or "" for x in tr.findall(f"{W}tc")[0].iter(W + "t")))]
    subgroups = [tr for tr in spans if tr not in groups]
    data = [tr for tr in trs[1:] if tr not in spans]
    assert len(groups) >= 3 and len(subgroups) >= 6 and len(data) >= 40
    assert "(Kèm theo Báo cáo số 143-BC/BDVTU, ngày 20/8/2024 của Ban Dân vận Tỉnh ủy)" in party.paragraphs()
    assert "PHỤ LỤC" in party.paragraphs()


# --- what the report is judged against (plan 200: targets, deadlines, products, "báo cáo" recipients) ----------

PLAN_200 = EXAMPLES / "200-kh-ubnd-chuyen-doi-so-2024.yaml"


def test_report_carries_deadlines_products_targets_and_topic(tmp_path):
    res, out = generate(tmp_path, PLAN_200)
    assert res.exit_code == 0, res.output
    d = yaml.safe_load(out.read_text(encoding="utf-8"))
    # the topic: a noun phrase gets "về"
    assert d["trich_yeu"] == ("Kết quả thực hiện Kế hoạch số 85/KH-UBND ngày 15/3/2024 của Ủy ban nhân dân tỉnh "
                              "về chuyển đổi số tỉnh Bình Thuận năm 2024")
    assert d["mo_dau"][0].startswith("Thực hiện Kế hoạch số 85/KH-UBND ngày 15/3/2024 của Ủy ban nhân dân tỉnh về "
                                     "chuyển đổi số tỉnh Bình Thuận năm 2024, Ủy ban nhân dân tỉnh báo cáo")
    # deadlines and products next to each result, with the plan's labels, in this order
    assert [(f["truong"], f["nhan"]) for f in d["hien_thi_nhiem_vu"]["truong"]] == [
        ("thuc_hien", "Cơ quan thực hiện"), ("phoi_hop", "Cơ quan phối hợp"), ("thoi_gian", "Thời gian hoàn thành"),
        ("san_pham", "Sản phẩm"), ("ket_qua", "Kết quả thực hiện")]
    entries = [e for s in d["noi_dung"] if s["muc"] == "Kết quả thực hiện các nhiệm vụ" for g in s["noi_dung"]
               for e in g["noi_dung"]]
    e = next(e for e in entries if e["nhiem_vu"].startswith("*Nhiệm vụ 2.3:*"))
    assert list(e) == ["nhiem_vu", "thuc_hien", "thoi_gian", "san_pham", "ket_qua"]
    assert (e["thoi_gian"], e["san_pham"]) == ("Tháng 12/2024.", "Kho dữ liệu dùng chung của tỉnh.")
    # targets: their own section, one so_lieu entry per recognised figure (not the years)
    sections = [s["muc"] for s in d["noi_dung"]]
    assert sections[1] == "Kết quả thực hiện các mục tiêu" and sections[2] == "Kết quả thực hiện các nhiệm vụ"
    assert d["so_lieu"] == {"chi_tieu_2": 100, "chi_tieu_3": 50, "chi_tieu_4": 2, "chi_tieu_5": 5000}
    targets = d["noi_dung"][1]["noi_dung"]
    assert targets[0].startswith("*Mục tiêu 1:* Phát triển chính quyền số") and "[[kết quả thực hiện mục tiêu 1]]" \
        in targets[1]
    assert targets[4] == "*Mục tiêu 3:* Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình đạt ít " \
                         "nhất 50%."
    assert targets[5] == "Kết quả đạt được: [[kết quả so với chỉ tiêu {{ so_lieu.chi_tieu_3 | so }}%]]"
    assert len(entries) == 8                                      # targets are not tasks
    # Kính gửi: the bodies the plan was sent to "để báo cáo"; Nơi nhận does not repeat them
    assert d["kinh_gui"] == ["Bộ Thông tin và Truyền thông", "Thường trực Tỉnh ủy", "Thường trực HĐND tỉnh"]
    assert d["noi_nhan"] == ["Chủ tịch, các PCT UBND tỉnh", "Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố"]
    r = Rendered(to_docx(load_document(out)))
    paras = r.paragraphs()
    assert "- Thời gian hoàn thành: Tháng 12/2024." in paras and "- Sản phẩm: Kho dữ liệu dùng chung của tỉnh." in paras
    assert "Kết quả đạt được: [[kết quả so với chỉ tiêu 5.000]]" in paras
    left = [p.text for p in r.doc.tables[-1].cell(0, 0).paragraphs]
    assert left == ["Nơi nhận:", "- Như trên;", "- Chủ tịch, các PCT UBND tỉnh;", "- Các sở, ban, ngành;",
                    "- UBND các huyện, thị xã, thành phố;", "- Lưu: VT, KGVX."]


@pytest.mark.parametrize("text, want", [
    ("100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến.", [(100, "%")]),
    ("Đạt ít nhất 92,5% hồ sơ đúng hạn và 1.240 lượt người được tập huấn đến năm 2025.", [(92.5, "%"), (1240, "")]),
    ("Thực hiện Nghị quyết số 27-NQ/TW ngày 09/11/2022 trong giai đoạn 2022 - 2025.", []),
    ("Mỗi huyện có ít nhất 02 xã đạt chuẩn; khóa XIII.", [(2, "")]),
])
def test_target_figures(text, want):
    from vbtool.report import figures
    assert figures(text) == want
