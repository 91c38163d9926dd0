"""Document kinds defined by data (issue 14): Quyết định, Công văn, Tờ trình, and a
kind that only this test suite defines.

What is asserted is what a reader of the .docx sees: the texts and their order,
bold/italic/size of the runs, the number line, the Nơi nhận list; the check rules
are tested by mutating a correct rendering and expecting exactly the new rule.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLES, W, Rendered, run_flag, run_size
from test_check import replace_text
from vbtool import kinds
from vbtool.check import check_docx
from vbtool.cli import main
from vbtool.document import load_document, load_document_text, to_docx
from vbtool.importer import import_docx
from vbtool.loader import InputError

QD_STATE = EXAMPLES / "501-qd-ubnd-ban-hanh-kh-001.yaml"
QD_PARTY = EXAMPLES / "502-qd-bdvtu-ban-hanh-kh-002.yaml"
CV_STATE = EXAMPLES / "301-cv-ubnd-trien-khai-kh-001.yaml"
CV_PARTY = EXAMPLES / "302-cv-bdvtu-trien-khai-kh-000.yaml"
TTR_STATE = EXAMPLES / "401-ttr-stp-du-thao-kh-001.yaml"
TTR_PARTY = EXAMPLES / "402-ttr-bdvtu-so-ket.yaml"
PLAN_001 = EXAMPLES / "001-kh-ubnd-nq27.yaml"


def rendered(path: Path) -> Rendered:
    return Rendered(to_docx(load_document(path)))


def body_paras(r: Rendered) -> list:
    """Top-level body paragraphs (not in the header or signature tables): (text, element)."""
    body = r.xml().find(W + "body")
    return [("".join(t.text or "" for t in p.iter(W + "t")), p) for p in body.findall(W + "p")]


def runs_of(p) -> list:
    return [r for r in p.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]


def recipients(r: Rendered) -> list[str]:
    texts = r.paragraphs()
    return [t for t in texts[texts.index("Nơi nhận:") + 1:] if t.startswith("- ")]


def index_of(texts: list[str], start: str) -> int:
    return next(i for i, t in enumerate(texts) if t.startswith(start))


# ------------------------------------------------------------------ the registry


def test_the_kinds_come_from_data_files():
    names = {k.code: (k.name, k.printed_name, k.type_codes) for k in kinds.all_kinds()}
    assert names["ke_hoach"] == ("Kế hoạch", "Kế hoạch", {"nha_nuoc": "KH", "dang": "KH"})
    assert names["quyet_dinh"][2] == {"nha_nuoc": "QĐ", "dang": "QĐ"}
    assert names["cong_van"] == ("Công văn", None, {"nha_nuoc": None, "dang": "CV"})
    assert names["to_trinh"][2]["nha_nuoc"] == "TTr"
    assert {p.stem for p in (Path(kinds.KIND_DIR)).glob("*.yaml")} == {
        "ke-hoach", "bao-cao", "quyet-dinh", "cong-van", "to-trinh"}


# ------------------------------------------------------------------ Quyết định


def test_state_decision_parts_in_the_order_of_mau_1_3():
    r = rendered(QD_STATE)
    texts = [t for t, _ in body_paras(r)]
    order = [index_of(texts, s) for s in ("QUYẾT ĐỊNH", "Ban hành Kế hoạch", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN",
                                          "Căn cứ Luật Tổ chức", "Theo đề nghị của", "QUYẾT ĐỊNH:", "Điều 1.",
                                          "Điều 2.", "Điều 3.")]
    assert order == sorted(order) and len(set(order)) == 9
    paras = dict((t, p) for t, p in body_paras(r))
    bases = [t for t in texts if t.startswith("Căn cứ")]
    assert len(bases) == 4 and all(t.endswith(";") for t in bases)
    assert next(t for t in texts if t.startswith("Theo đề nghị")).endswith("năm 2023.")
    for t in bases:                                            # căn cứ in italics (NĐ 30 PL I ô 6)
        assert all(run_flag(x, "i") for x in runs_of(paras[t]))
    decides = paras["QUYẾT ĐỊNH:"]
    assert all(run_flag(x, "b") for x in runs_of(decides))
    assert decides.find(f"{W}pPr/{W}jc").get(W + "val") == "center"
    art = paras[next(t for t in texts if t.startswith("Điều 3."))]
    label, rest = runs_of(art)[0], runs_of(art)[1:]
    assert "".join(t.text for t in label.iter(W + "t")).strip() == "Điều 3." and run_flag(label, "b")
    assert not any(run_flag(x, "b") for x in rest)
    assert texts[index_of(texts, "Điều 3.")].endswith("Quyết định này./.")
    assert "Số: 1150/QĐ-UBND" in r.paragraphs()
    listed = recipients(r)
    assert listed[0] == "- Như Điều 3;" and listed[-1] == "- Lưu: VT, NCKSTTHC."


def test_party_decision_authority_opens_the_decision_line():
    r = rendered(QD_PARTY)
    texts = [t for t, _ in body_paras(r)]
    assert "BAN DÂN VẬN TỈNH ỦY QUYẾT ĐỊNH" in texts
    assert "QUYẾT ĐỊNH:" not in texts
    bases = [t for t in texts if t.startswith("- Căn cứ")]
    assert len(bases) == 3 and all(t.endswith(";") for t in bases)
    assert "- Xét đề nghị của Phòng Dân vận các cơ quan nhà nước," in texts
    paras = dict(body_paras(r))
    assert not any(run_flag(x, "i") for x in runs_of(paras[bases[0]]))     # upright in the Party form
    assert index_of(texts, "- Xét đề nghị") < texts.index("BAN DÂN VẬN TỈNH ỦY QUYẾT ĐỊNH") < index_of(texts, "Điều 1.")
    assert "Số 05-QĐ/BDVTU" in r.paragraphs()
    assert recipients(r)[0] == "- Như Điều 3;"


def test_decision_needs_its_fields_and_only_articles(tmp_path):
    text = QD_STATE.read_text(encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_document_text(text.replace("tham_quyen: Chủ tịch Ủy ban nhân dân tỉnh Bình Thuận\n", ""), "qd.yaml")
    assert "Quyết định cần trường \"tham_quyen\"" in str(e.value.problems)
    bad = text.replace("  - dieu: Quyết định này có hiệu lực thi hành kể từ ngày ký.",
                       "  - muc: Quyết định này có hiệu lực thi hành kể từ ngày ký.")
    with pytest.raises(InputError) as e:
        load_document_text(bad, "qd.yaml")
    p = e.value.problems[0]
    assert "Quyết định không dùng \"muc\" trong noi_dung; dùng: dieu" in p.message and p.line == 45


def test_fields_of_one_kind_are_refused_in_another():
    text = PLAN_001.read_text(encoding="utf-8") + "can_cu: [Căn cứ Luật X]\n"
    with pytest.raises(InputError) as e:
        load_document_text(text, "kh.yaml")
    [p] = e.value.problems
    assert p.message == "trường \"can_cu\" chỉ dùng cho Quyết định, không dùng cho Kế hoạch"
    assert p.line == text.count("\n")


# ------------------------------------------------------------------ the plan issued with its decision


def test_plan_issued_with_the_decision_in_one_docx(tmp_path):
    out = tmp_path / "qd.docx"
    r = CliRunner().invoke(main, ["render", str(QD_STATE), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["qd.docx"]
    doc = Rendered(out.read_bytes())
    texts = doc.paragraphs()
    line = ("(Ban hành kèm theo Quyết định số 1150/QĐ-UBND ngày 20 tháng 6 năm 2023 "
            "của Chủ tịch Ủy ban nhân dân tỉnh Bình Thuận)")
    assert texts.index("QUYẾT ĐỊNH:") < texts.index("KẾ HOẠCH") < texts.index(line)
    plan_title = texts.index("KẾ HOẠCH")
    assert texts[plan_title + 1].startswith("Thực hiện Nghị quyết số 77/NQ-CP") and texts[plan_title + 2] == line
    assert "Số: 12/KH-UBND" not in texts                    # the plan has no number or date of its own
    assert sum(t.startswith("Bình Thuận, ngày") for t in texts) == 1
    assert all(run_flag(x, "i") for x in doc.runs_with("(Ban hành kèm theo"))
    body = doc.xml().find(W + "body")
    sects = list(body.iter(W + "sectPr"))
    plan_first = sects[1]                                    # decision: 1 section; the plan starts the next
    assert plan_first.find(W + "pgNumType").get(W + "start") == "1"
    assert sects[0].find(W + "pgNumType") is None
    # the plan's own text is all there, after the decision's signature
    plan = Rendered(to_docx(load_document(PLAN_001))).paragraphs()
    tail = texts[plan_title:]
    assert [t for t in plan if t.startswith(("I.", "II.", "III."))] == [t for t in tail if t.startswith(("I.", "II.", "III."))]
    assert check_docx(out.read_bytes()).errors == []


def test_plan_issued_with_the_decision_as_two_files_or_none(tmp_path):
    out = tmp_path / "qd.docx"
    r = CliRunner().invoke(main, ["render", str(QD_PARTY), "-o", str(out), "--kem", "rieng"])
    assert r.exit_code == 0, r.output
    second = tmp_path / "qd-002-kh-bdvtu-cong-tac-2024.docx"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["qd-002-kh-bdvtu-cong-tac-2024.docx", "qd.docx"]
    decision, plan = Rendered(out.read_bytes()).paragraphs(), Rendered(second.read_bytes()).paragraphs()
    assert "KẾ HOẠCH" not in decision
    assert "(Ban hành kèm theo Quyết định số 05-QĐ/BDVTU, ngày 10/01/2024 của Ban Dân vận Tỉnh ủy)" in plan
    assert not any(t.startswith("Số ") for t in plan)
    report = check_docx(second.read_bytes())
    assert report.errors == [] and report.warnings == [], report.human_lines()
    tmp2 = tmp_path / "k"
    r = CliRunner().invoke(main, ["render", str(QD_PARTY), "-o", str(tmp2 / "qd.docx"), "--kem", "khong"])
    assert r.exit_code == 0 and sorted(p.name for p in tmp2.iterdir()) == ["qd.docx"]


def test_missing_plan_file_is_a_located_message_and_nothing_is_written(tmp_path):
    src = tmp_path / "qd.yaml"
    src.write_text(QD_STATE.read_text(encoding="utf-8").replace("ban_hanh_kem: 001-kh-ubnd-nq27.yaml",
                                                                 "ban_hanh_kem: khong-co.yaml"), encoding="utf-8")
    r = CliRunner().invoke(main, ["render", str(src), "-o", str(tmp_path / "out" / "qd.docx")])
    assert r.exit_code == 1
    assert f"{src}:36:1: ban_hanh_kem: không có tệp \"khong-co.yaml\"" in r.output
    assert "Traceback" not in r.output and not (tmp_path / "out").exists()
    r = CliRunner().invoke(main, ["validate", str(src)])     # validate says it too
    assert r.exit_code == 1 and f"{src}:36:1: ban_hanh_kem: không có tệp" in r.output
    shutil.copy(CV_STATE, tmp_path / "cv.yaml")              # a letter is not issued with a decision
    src.write_text(src.read_text(encoding="utf-8").replace("khong-co.yaml", "cv.yaml"), encoding="utf-8")
    r = CliRunner().invoke(main, ["render", str(src), "-o", str(tmp_path / "out" / "qd.docx")])
    assert r.exit_code == 1 and not (tmp_path / "out").exists()
    assert (f"{src}:36:1: ban_hanh_kem: cv.yaml là công văn; văn bản ban hành kèm theo quyết định phải là: "
            "kế hoạch") in r.output


# ------------------------------------------------------------------ Công văn


def test_state_letter_has_no_ten_loai_and_vv_under_the_number():
    r = rendered(CV_STATE)
    texts = r.paragraphs()
    assert not any(t in ("CÔNG VĂN", "KẾ HOẠCH") for t in texts)
    header = r.xml().find(f"{W}body/{W}tbl")
    cell = header.findall(f"{W}tr")[1].findall(f"{W}tc")[0]
    lines = ["".join(t.text for t in p.iter(W + "t")) for p in cell.iter(W + "p")]
    assert lines == ["Số: 2035/UBND-NCKSTTHC",
                     "V/v triển khai thực hiện Kế hoạch số 12/KH-UBND ngày 20/6/2023 của UBND tỉnh"]
    vv = [x for x in cell.iter(W + "r") if "V/v" in "".join(t.text for t in x.iter(W + "t"))][0]
    assert run_size(vv) == 13 and not run_flag(vv, "i") and not run_flag(vv, "b")
    kg = texts.index("Kính gửi:- Các sở, ban, ngành tỉnh;")
    assert texts[kg + 1] == "- Ủy ban nhân dân các huyện, thị xã, thành phố." and kg + 2 == index_of(texts, "Ngày 20/6")
    assert recipients(r)[0] == "- Như trên;"


def test_party_letter_carries_cv_and_an_italic_12_pt_subject():
    r = rendered(CV_PARTY)
    texts = r.paragraphs()
    assert "Số 125-CV/BDVTU" in texts
    vv = r.runs_with("V/v triển khai")[0]
    assert run_size(vv) == 12 and run_flag(vv, "i")
    assert "Kính gửi: Ban Dân vận các huyện, thị, thành ủy, đảng ủy trực thuộc." in texts
    assert recipients(r)[0] == "- Như trên;"


def test_letter_needs_kinh_gui():
    text = CV_PARTY.read_text(encoding="utf-8").replace(
        "kinh_gui: Ban Dân vận các huyện, thị, thành ủy, đảng ủy trực thuộc\n", "")
    with pytest.raises(InputError) as e:
        load_document_text(text, "cv.yaml")
    assert [p.message for p in e.value.problems] == ["Công văn cần trường \"kinh_gui\""]


# ------------------------------------------------------------------ Tờ trình


def test_proposal_names_its_attached_draft():
    r = rendered(TTR_STATE)
    texts = r.paragraphs()
    assert "TỜ TRÌNH" in texts and "Số: 85/TTr-STP" in texts and "Kính gửi: Ủy ban nhân dân tỉnh." in texts
    i = texts.index("Hồ sơ gửi kèm theo:")
    assert texts[i - 1].endswith("ký ban hành Quyết định ban hành Kế hoạch./.")     # the ending stays on the body
    assert texts[i + 1:i + 4] == ["- Dự thảo Quyết định ban hành Kế hoạch;",
                                  "- Dự thảo Kế hoạch thực hiện Nghị quyết số 77/NQ-CP và Chương trình hành động "
                                  "số 60-CTr/TU;",
                                  "- Bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý."]
    assert all(run_flag(x, "i") for x in r.runs_with("Dự thảo Quyết định ban hành"))
    assert recipients(r)[0] == "- Như trên;"
    party = rendered(TTR_PARTY).paragraphs()
    assert "Số 40-TTr/BDVTU" in party and "Kính gửi: Ban Thường vụ Tỉnh ủy." in party


# ------------------------------------------------------------------ check rules (mutation tests)


KIND_MUTATIONS = [
    (QD_STATE, lambda d: replace_text(d, ">QUYẾT ĐỊNH:<", ">CĂN CỨ:<"), "ND30.quyet-dinh.missing", "error"),
    (QD_STATE, lambda d: replace_text(d, ">QUYẾT ĐỊNH:<", ">QUYẾT ĐỊNH<"), "ND30.quyet-dinh.missing", "error"),
    (QD_STATE, lambda d: replace_text(d, ">Điều 2. <", ">Điều 3. <"), "ND30.dieu.order", "error"),
    (QD_PARTY, lambda d: replace_text(d, ">Điều 1. <", ">Điều 2. <"), "HD36.dieu.order", "error"),
    (QD_PARTY, lambda d: replace_text(d, "BAN DÂN VẬN TỈNH ỦY QUYẾT ĐỊNH", "BAN DÂN VẬN TỈNH ỦY"),
     "HD36.quyet-dinh.missing", "warning"),                 # the Party decision line is known from practice [M/P]
    (CV_STATE, lambda d: replace_text(d, ">V/v triển khai", ">Triển khai"), "ND30.trich-yeu-cong-van.missing",
     "error"),
    (CV_PARTY, lambda d: replace_text(d, ">V/v triển khai", ">triển khai"), "HD36.trich-yeu-cong-van.missing",
     "error"),
]
KIND_MUTATION_IDS = ["qd-no-line", "qd-no-colon", "qd-order", "qd-party-order", "qd-party-no-line", "cv-no-vv",
                     "cv-party-no-vv"]


@pytest.mark.parametrize("path,mutate,rule,severity", KIND_MUTATIONS, ids=KIND_MUTATION_IDS)
def test_kind_rule_catches_its_mutation(path, mutate, rule, severity):
    good = to_docx(load_document(path))
    assert check_docx(good).findings == []
    report = check_docx(mutate(good))
    assert report.rule_ids == {rule}, report.human_lines()
    assert [f.severity for f in report.findings] == [severity]


def test_letter_without_its_header_table_is_still_found_as_a_letter():
    """No tên loại is only accepted for a công văn: a plan without its title is still an error."""
    good = to_docx(load_document(PLAN_001))
    report = check_docx(replace_text(good, ">KẾ HOẠCH<", "><"))
    assert "ND30.ten-loai.missing" in report.rule_ids


# ------------------------------------------------------------------ import


def test_import_recognises_decision_letter_and_proposal(tmp_path):
    got = {}
    for path in (QD_STATE, QD_PARTY, CV_STATE, TTR_STATE):
        target = tmp_path / f"{path.stem}.docx"
        target.write_bytes(to_docx(load_document(path)))
        got[path] = import_docx(target).data
    qd = got[QD_STATE]
    assert qd["loai"] == "quyet_dinh" and qd["tham_quyen"] == "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN"
    assert len(qd["can_cu"]) == 4 and qd["can_cu"][0] == "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"
    assert qd["theo_de_nghi"].startswith("Theo đề nghị của Giám đốc Sở Tư pháp")
    assert [list(n) for n in qd["noi_dung"]] == [["dieu"]] * 3 and qd["noi_dung"][1]["dieu"].startswith("Quyết định này")
    assert got[QD_PARTY]["tham_quyen"] == "BAN DÂN VẬN TỈNH ỦY" and got[QD_PARTY]["theo_de_nghi"].startswith("Xét")
    cv = got[CV_STATE]
    assert cv["loai"] == "cong_van" and cv["co_quan"]["ky_hieu"] == "UBND-NCKSTTHC" and "ky_hieu_loai" not in cv
    assert cv["trich_yeu"].startswith("V/v triển khai thực hiện Kế hoạch số 12/KH-UBND")
    ttr = got[TTR_STATE]
    assert ttr["loai"] == "to_trinh" and ttr["kem_theo"][0] == "Dự thảo Quyết định ban hành Kế hoạch"


# ------------------------------------------------------------------ vbtool new


@pytest.mark.parametrize("kind", ["quyet-dinh", "cong-van", "to-trinh"])
@pytest.mark.parametrize("regime", ["nha-nuoc", "dang"])
def test_new_skeleton_of_each_kind_validates_and_renders(tmp_path, kind, regime, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    r = runner.invoke(main, ["new", kind, "--the-thuc", regime, "-o", "x.yaml"])
    assert r.exit_code == 0, r.output
    data = yaml.safe_load((tmp_path / "x.yaml").read_text(encoding="utf-8"))
    assert data["loai"] == kind.replace("-", "_")
    r = runner.invoke(main, ["render", "x.yaml"])
    assert r.exit_code == 0, r.output
    texts = Rendered((tmp_path / "out" / "x.docx").read_bytes()).paragraphs()
    title = {"quyet-dinh": "QUYẾT ĐỊNH", "cong-van": None, "to-trinh": "TỜ TRÌNH"}[kind]
    assert (title in texts) if title else not any(t in ("QUYẾT ĐỊNH", "TỜ TRÌNH", "KẾ HOẠCH") for t in texts)


def test_new_decision_from_a_plan(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(PLAN_001, tmp_path / "kh.yaml")
    r = CliRunner().invoke(main, ["new", "quyet-dinh", "--ban-hanh", "kh.yaml"])
    assert r.exit_code == 0 and "Đã tạo qd-kh.yaml" in r.output, r.output
    d = yaml.safe_load((tmp_path / "qd-kh.yaml").read_text(encoding="utf-8"))
    assert d["loai"] == "quyet_dinh" and d["ban_hanh_kem"] == "kh.yaml"
    assert d["tham_quyen"] == "Chủ tịch Ủy ban nhân dân tỉnh Bình Thuận"
    assert d["noi_dung"][0]["dieu"].startswith("Ban hành kèm theo Quyết định này Kế hoạch thực hiện Nghị quyết số 77")
    assert "thay_mat" not in d["ky"]                         # a decision of the chairman: CHỦ TỊCH, not TM.
    r = CliRunner().invoke(main, ["render", "qd-kh.yaml"])
    assert r.exit_code == 0, r.output
    texts = Rendered((tmp_path / "out" / "qd-kh.docx").read_bytes()).paragraphs()
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH THUẬN" in texts and "KẾ HOẠCH" in texts
    assert any(t.startswith("(Ban hành kèm theo Quyết định số") and "/QĐ-UBND" in t for t in texts)
    # never over an existing draft
    before = (tmp_path / "qd-kh.yaml").read_bytes()
    r = CliRunner().invoke(main, ["new", "quyet-dinh", "--ban-hanh", "kh.yaml"])
    assert r.exit_code == 1 and "không ghi đè" in r.output and (tmp_path / "qd-kh.yaml").read_bytes() == before


def test_new_letter_sends_the_plan_to_a_registry_group(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(PLAN_001, tmp_path / "kh.yaml")
    reg = Path(__file__).resolve().parent.parent / "drafts" / "don-vi" / "binh-thuan.yaml"
    r = CliRunner().invoke(main, ["new", "cong-van", "--gui", "kh.yaml", "--danh-muc", str(reg),
                                  "--nhom", "UBND các huyện, thị xã, thành phố", "-o", "cv.yaml"])
    assert r.exit_code == 0, r.output
    d = yaml.safe_load((tmp_path / "cv.yaml").read_text(encoding="utf-8"))
    registry = yaml.safe_load(reg.read_text(encoding="utf-8"))
    expected = [u["ten"] for u in registry["don_vi"] if "ubnd-cap-huyen" in u.get("nhom", [])]
    assert d["kinh_gui"] == expected and len(expected) == 10
    assert d["trich_yeu"] == "triển khai thực hiện Kế hoạch số 12/KH-UBND"
    assert d["mo_dau"][0].startswith("Ngày 20/6/2023, Ủy ban nhân dân tỉnh ban hành Kế hoạch số 12/KH-UBND thực hiện")
    r = CliRunner().invoke(main, ["validate", "cv.yaml"])
    assert r.exit_code == 0 and "[[ngày/tháng/năm]]" in r.output          # the reporting deadline to fill
    r = CliRunner().invoke(main, ["render", "cv.yaml"])
    texts = Rendered((tmp_path / "out" / "cv.docx").read_bytes()).paragraphs()
    assert "V/v triển khai thực hiện Kế hoạch số 12/KH-UBND" in texts
    assert sum(bool(re.match(r"(Kính gửi:)?- Ủy ban nhân dân (huyện|thị xã|thành phố) ", t)) for t in texts) == 10


def test_new_refuses_unknown_kind_and_misplaced_options(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["new", "giay-moi"])
    assert r.exit_code == 1 and "Không có loại văn bản \"giay-moi\"; có: " in r.output and "quyet-dinh" in r.output
    shutil.copy(PLAN_001, tmp_path / "kh.yaml")
    r = CliRunner().invoke(main, ["new", "to-trinh", "--ban-hanh", "kh.yaml"])
    assert r.exit_code == 1 and "--ban-hanh chỉ dùng với quyet-dinh" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kh.yaml"]


# ------------------------------------------------------------------ a kind defined only here


THONG_BAO = """\
# A kind defined by this test only: Thông báo (NĐ 30 PL III, code TB), state regime only.
ma: thong_bao
ten: Thông báo
ten_loai: Thông báo
ky_hieu: {nha_nuoc: TB}
phan: [dau, ten_loai, mo_dau, noi_dung, chu_ky]
"""

DOC = """\
loai: thong_bao
the_thuc: %s
co_quan: {ten: "Ủy ban nhân dân\\nxã Hàm Thuận", ky_hieu: UBND}
so: 7
ngay: 2024-03-05
dia_danh: Hàm Thuận
trich_yeu: Lịch tiếp công dân tháng 3 năm 2024
noi_dung:
  - Chủ tịch Ủy ban nhân dân xã tiếp công dân vào sáng thứ Năm hằng tuần.
ky: {thay_mat: Ủy ban nhân dân, chuc_vu: Chủ tịch, ho_ten: Trần Văn B}
noi_nhan: [Thường trực Đảng ủy xã]
luu: [VT]
"""


@pytest.fixture
def test_kind(tmp_path):
    d = tmp_path / "kinds"
    d.mkdir()
    (d / "thong-bao.yaml").write_text(THONG_BAO, encoding="utf-8")
    kinds.add_dir(d)
    yield d
    kinds.remove_dir(d)


def test_a_kind_added_as_one_data_file(test_kind):
    doc = load_document_text(DOC % "nha_nuoc", "tb.yaml")
    r = Rendered(to_docx(doc))
    texts = r.paragraphs()
    assert texts.index("THÔNG BÁO") + 1 == texts.index("Lịch tiếp công dân tháng 3 năm 2024")
    assert "Số: 07/TB-UBND" in texts
    assert texts[texts.index("Lịch tiếp công dân tháng 3 năm 2024") + 2].endswith("hằng tuần./.")
    assert doc.citation() == "Thông báo số 07/TB-UBND ngày 05/3/2024 của Ủy ban nhân dân xã Hàm Thuận"
    assert check_docx(r.data).errors == []
    with pytest.raises(InputError) as e:                     # the kind says it exists in the state regime only
        load_document_text(DOC % "dang", "tb.yaml")
    assert "Thông báo không có trong thể thức này" in e.value.problems[0].message


def test_without_the_kind_file_the_kind_is_unknown(test_kind):
    kinds.remove_dir(test_kind)
    try:
        with pytest.raises(InputError) as e:
            load_document_text(DOC % "nha_nuoc", "tb.yaml")
        assert "giá trị \"thong_bao\" không hợp lệ" in e.value.problems[0].message
    finally:
        kinds.add_dir(test_kind)


def test_a_broken_kind_file_is_reported_with_its_line(tmp_path):
    d = tmp_path / "kinds"
    d.mkdir()
    (d / "x.yaml").write_text(THONG_BAO.replace("phan: [dau,", "phan: [dau, bia,"), encoding="utf-8")
    kinds.add_dir(d)
    try:
        with pytest.raises(InputError) as e:
            kinds.codes()
        p = e.value.problems[0]
        assert p.line == 6 and "phần \"bia\" không có" in p.message
    finally:
        kinds.remove_dir(d)


# ------------------------------------------------------------------ printed, and in batch


def test_printed_plan_restarts_its_page_numbers_after_the_decision(tmp_path):
    from test_pdf_examples import first_line, page_count, page_text
    from vbtool.pdf import convert_one
    out = tmp_path / "qd.docx"
    assert CliRunner().invoke(main, ["render", str(QD_STATE), "-o", str(out)]).exit_code == 0
    pdf = convert_one(out)
    pages = [page_text(pdf, i) for i in range(1, page_count(pdf) + 1)]
    start = next(i for i, t in enumerate(pages) if "Ban hành kèm theo Quyết định số 1150/QĐ-UBND" in t)
    assert start == 2                                        # the decision takes two pages (Điều 3 and the signature)
    assert first_line(pages[1]) == "2"                       # the decision's own page 2
    assert first_line(pages[start]) == "ỦY BAN NHÂN DÂN"     # the plan's first page: no number
    assert first_line(pages[start + 1]) == "2"               # then 2, not 4


def test_letter_in_batch_one_per_unit(tmp_path):
    reg = Path(__file__).resolve().parent.parent / "drafts" / "don-vi" / "binh-thuan.yaml"
    r = CliRunner().invoke(main, ["batch", str(CV_PARTY), "--don-vi", str(reg), "--nhom",
                                  "Ban Dân vận các huyện, thị, thành ủy", "-o", str(tmp_path / "b"), "--ten-tep", "id"])
    assert r.exit_code == 0, r.output
    files = sorted((tmp_path / "b").glob("*.docx"))
    assert len(files) == 10
    for f in files:
        data = f.read_bytes()
        texts = Rendered(data).paragraphs()
        assert texts[texts.index("ĐẢNG CỘNG SẢN VIỆT NAM") + 2].startswith("Số 125-CV/BDV")
        assert "V/v triển khai Kế hoạch số 98-KH/BDVTU, ngày 05/10/2023" in texts
        assert check_docx(data).findings == []
