"""`vbtool tong-hop`: units' reports on one plan merged into the parent's draft."""
from __future__ import annotations

import random
from fractions import Fraction

import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLES, Rendered
from cycle_samples import RESULTS, unit_report
from vbtool import registry
from vbtool.cli import main
from vbtool.document import load_document, to_docx
from vbtool.report import dump

PLAN = EXAMPLES / "200-kh-ubnd-chuyen-doi-so-2024.yaml"
REGISTRY = EXAMPLES.parent / "don-vi" / "binh-thuan.yaml"
KEYS = ("tin_bai", "lop_tap_huan", "luot_tap_huan", "ho_so_tiep_nhan", "ho_so_truc_tuyen", "ho_so_so_hoa",
        "to_cnsc", "thanh_vien_to")
PLACES = ["An Hải", "Bình Minh", "Cẩm Hà", "Diên Phú", "Đông Sơn", "Gia An", "Hòa Thắng", "Hồng Liêm",
          "Kim Ngọc", "La Dạ", "Long Hải", "Mỹ Thạnh", "Ngũ Phụng", "Phan Rí", "Phước Thể", "Quảng Sơn",
          "Sông Lũy", "Tân Hà", "Thuận Minh", "Trà Tân", "Vĩnh Hảo", "Xuân Quang", "Ái Mộ", "Yên Thế"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """A registry of 24 communes, 22 of which report on plan 200 with their own figures;
    two leave out a figure. Returns (dir, registry path, reports, figures per unit name)."""
    tmp = tmp_path_factory.mktemp("th")
    units = [{"id": f"xa-{i:02d}", "ten": f"Ủy ban nhân dân xã {p}", "ten_dau": f"Ủy ban nhân dân\nxã {p}",
              "ten_goi": f"UBND xã {p}", "ky_hieu": "UBND", "dia_danh": p, "the_thuc": "nha_nuoc",
              "nhom": ["ubnd-cap-xa"], "ky": {"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch",
                                              "ho_ten": f"Nguyễn Văn {chr(65 + i)}"}}
             for i, p in enumerate(PLACES)]
    reg_path = tmp / "don-vi.yaml"
    reg_path.write_text(yaml.safe_dump({"nhom": [{"id": "ubnd-cap-xa", "cum_tu": [
        "UBND các huyện, thị xã, thành phố"]}], "don_vi": units}, allow_unicode=True), encoding="utf-8")
    reg = registry.load(reg_path)
    plan = load_document(PLAN)
    rnd = random.Random(13)
    reports, figures = [], {}
    for i, unit in enumerate(list(reg.units.values())[:22]):
        figs = {k: rnd.randint(1, 20000) for k in KEYS}
        figs["ho_so_truc_tuyen"] = rnd.randint(0, figs["ho_so_tiep_nhan"])
        if i in (3, 17):
            del figs["ho_so_so_hoa"]
        figures[unit.name_in_text] = figs
        path = tmp / "bc" / f"{unit.id}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(dump(unit_report(plan, unit, figs, 100 + i, "2024-11-30"), path, []), encoding="utf-8")
        reports.append(path)
    return tmp, reg_path, reports, figures


@pytest.fixture(scope="module")
def merged(cycle):
    tmp, reg_path, reports, _ = cycle
    out = tmp / "tong-hop.yaml"
    res = run("tong-hop", PLAN, *reports, "-o", out, "--danh-muc", reg_path, "--nhom", "ubnd-cap-xa", "--nam", 2024)
    assert res.exit_code == 0, res.output
    return res, out


def test_every_total_in_the_rendered_report_is_the_sum_of_the_units(cycle, merged):
    _, _, reports, figures = cycle
    assert len(reports) >= 20
    _, out = merged
    r = Rendered(to_docx(load_document(out)))
    tables = [t for t in r.doc.tables if t.rows[0].cells[0].text == "TT"]
    checked = set()
    for t in tables:
        head = [c.text for c in t.rows[0].cells]
        body = [[c.text for c in row.cells] for row in t.rows[1:]]
        assert [row[1] for row in body] == [*figures, "Tổng cộng"]          # one row per unit, then the total
        assert [row[0] for row in body] == [str(i) for i in range(1, len(figures) + 1)] + [""]
        for col, key in enumerate((h.replace(" ", "_") for h in head[2:]), 2):     # titled "tin bai" for tin_bai
            if key == "ty_le_truc_tuyen":
                a = sum(f["ho_so_truc_tuyen"] for f in figures.values())
                b = sum(f["ho_so_tiep_nhan"] for f in figures.values())
                tenths = int(Fraction(a * 1000, b) + Fraction(1, 2))          # half up, to one decimal
                want = f"{tenths // 10},{tenths % 10}%"
                shares = [Fraction(f["ho_so_truc_tuyen"], f["ho_so_tiep_nhan"]) for f in figures.values()]
                mean = f"{float(sum(shares) / len(shares)) * 100:.1f}".replace(".", ",") + "%"
                assert body[-1][col] == want and want != mean      # recomputed from the sums, not averaged
            else:
                total = sum(f[key] for f in figures.values() if key in f)
                assert body[-1][col] == f"{total:,}".replace(",", "."), key
                for row, f in zip(body, figures.values()):
                    assert row[col] == (f"{f[key]:,}".replace(",", ".") if key in f else "–")
            checked.add(key)
    assert checked == {*KEYS, "ty_le_truc_tuyen"}


def test_figures_summed_exactly_in_so_lieu_and_used_in_the_text(cycle, merged):
    _, _, _, figures = cycle
    _, out = merged
    d = yaml.safe_load(out.read_text(encoding="utf-8"))
    for key in KEYS:
        assert d["so_lieu"][key] == sum(f[key] for f in figures.values() if key in f)
    assert d["so_lieu"]["ty_le_truc_tuyen"] == "{{ ty_le(so_lieu.ho_so_truc_tuyen, so_lieu.ho_so_tiep_nhan) }}"
    assert d["so_lieu"]["chi_tieu_3"] == 50                          # the plan's target, not summed


def test_missing_units_and_missing_figures_are_named(cycle, merged):
    _, _, _, figures = cycle
    res, out = merged
    absent = ["UBND xã Ái Mộ", "UBND xã Yên Thế"]
    assert f"Còn 2/24 đơn vị chưa báo cáo: {', '.join(absent)}" in res.output
    text = Rendered(to_docx(load_document(out))).text()
    assert "Báo cáo được tổng hợp từ báo cáo của 22/24 đơn vị:" in text
    assert f"Còn 2 đơn vị chưa gửi báo cáo: {', '.join(absent)}." in text
    lacking = [n for n, f in figures.items() if "ho_so_so_hoa" not in f]
    assert len(lacking) == 2
    assert f"ho_so_so_hoa: chưa có trong báo cáo của {', '.join(lacking)}." in text
    assert f"số liệu ho_so_so_hoa: chưa có trong báo cáo của {', '.join(lacking)} (không tính là 0)" in res.output


def test_results_gathered_under_each_task_with_the_unit_name(cycle, merged):
    _, _, _, figures = cycle
    _, out = merged
    d = yaml.safe_load(out.read_text(encoding="utf-8"))
    entries = [e for s in d["noi_dung"] if s["muc"] == "Kết quả thực hiện các nhiệm vụ"
               for g in s["noi_dung"] if isinstance(g, dict) for e in g["noi_dung"]]
    e = next(e for e in entries if e["nhiem_vu"].startswith("*Nhiệm vụ 1.1:*"))
    assert e["thoi_gian"] == "Thường xuyên." and e["san_pham"] == "Tin, bài, chuyên mục về chuyển đổi số."
    assert len(e["ket_qua"]) == len(figures)
    for para, (name, f) in zip(e["ket_qua"], figures.items()):
        count = f"{f['tin_bai']:,}".replace(",", ".")
        assert para == f"*{name}:* Đăng tải {count} tin, bài về chuyển đổi số trên trang thông tin điện tử và hệ " \
                       "thống truyền thanh cơ sở."
    untouched = next(e for e in entries if e["nhiem_vu"].startswith("*Nhiệm vụ 2.3:*"))   # no unit leads it
    assert untouched["ket_qua"].startswith("[[")
    assert sum(1 for e in entries if isinstance(e["ket_qua"], list)) == len(RESULTS)


def test_the_merged_draft_validates_and_renders(merged):
    _, out = merged
    res = run("validate", out)
    assert res.exit_code == 0 and "hợp lệ" in res.output
    r = Rendered(to_docx(load_document(out)))
    assert "Kết quả thực hiện Kế hoạch số 85/KH-UBND ngày 15/3/2024 của Ủy ban nhân dân tỉnh về chuyển đổi số " \
           "tỉnh Bình Thuận năm 2024" in " ".join(r.paragraphs())


# --- bad input: an error naming the file, and nothing written ------------------------------

def _expect_refused(cycle, extra, *needles):
    tmp, reg_path, reports, _ = cycle
    out = tmp / "x" / "bad.yaml"
    res = run("tong-hop", PLAN, *reports[:3], *extra, "-o", out)
    assert res.exit_code == 1, res.output
    for n in needles:
        assert n in res.output, res.output
    assert "Không ghi tệp nào." in res.output
    assert not out.exists() and not out.parent.exists()
    return res


def test_report_on_another_plan_is_refused(cycle, tmp_path):
    _, _, reports, _ = cycle
    other = tmp_path / "khac.yaml"
    other.write_text(reports[5].read_text(encoding="utf-8").replace("85/KH-UBND", "86/KH-UBND"), encoding="utf-8")
    _expect_refused(cycle, [other], f"{other}: không phải báo cáo về Kế hoạch số 85/KH-UBND ngày 15/3/2024 của Ủy "
                    "ban nhân dân tỉnh: trích yếu và phần mở đầu của báo cáo không dẫn Kế hoạch số 85/KH-UBND")
    wrong_date = tmp_path / "ngay.yaml"
    wrong_date.write_text(reports[5].read_text(encoding="utf-8").replace("ngày 15/3/2024", "ngày 15/3/2023"),
                          encoding="utf-8")
    _expect_refused(cycle, [wrong_date], f"{wrong_date}: không phải báo cáo về",
                    "báo cáo dẫn Kế hoạch số 85/KH-UBND ngày 15/3/2023")


def test_duplicate_report_from_one_unit_is_refused(cycle, tmp_path):
    _, _, reports, _ = cycle
    again = tmp_path / "lan-2.yaml"
    again.write_text(reports[1].read_text(encoding="utf-8").replace("so: 101", "so: 150"), encoding="utf-8")
    _expect_refused(cycle, [again], f"{again}: trùng đơn vị với {reports[1]} (cùng là báo cáo của UBND xã Bình Minh)")


def test_report_that_does_not_validate_is_refused(cycle, tmp_path):
    _, _, reports, _ = cycle
    bad = tmp_path / "hong.yaml"
    text = reports[4].read_text(encoding="utf-8").replace("ngay: '2024-11-30'", "ngay: '2024-02-30'")
    bad.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("ngay:"))
    _expect_refused(cycle, [bad], f"{bad}: báo cáo không hợp lệ", f"{bad}:{line}:1: ngay: ngày 30/02/2024 không có thật")
    plan_as_report = _expect_refused(cycle, [PLAN], "cần một Báo cáo, tệp này là Kế hoạch")
    assert str(PLAN) in plan_as_report.output


def test_every_bad_file_is_named_at_once(cycle, tmp_path):
    _, _, reports, _ = cycle
    other = tmp_path / "khac.yaml"
    other.write_text(reports[5].read_text(encoding="utf-8").replace("85/KH-UBND", "86/KH-UBND"), encoding="utf-8")
    missing = tmp_path / "khong-co.yaml"
    res = _expect_refused(cycle, [other, missing], str(other), str(missing))
    assert "Traceback" not in res.output


def test_a_docx_report_is_read_through_import(cycle, tmp_path):
    """A unit that sends its report as .docx: the results are taken from the text."""
    tmp, reg_path, reports, _ = cycle
    docx_path = tmp_path / "xa.docx"
    docx_path.write_bytes(to_docx(load_document(reports[0])))
    out = tmp_path / "th.yaml"
    res = run("tong-hop", PLAN, docx_path, reports[1], "-o", out, "--danh-muc", reg_path)
    assert res.exit_code == 0, res.output
    d = yaml.safe_load(out.read_text(encoding="utf-8"))
    text = yaml.safe_dump(d, allow_unicode=True, width=10_000)
    assert "*UBND xã An Hải:* Đăng tải" in text and "*UBND xã Bình Minh:* Đăng tải" in text
    # figures come only from the YAML report: the .docx has none in so_lieu
    assert d["so_lieu"]["tin_bai"] == yaml.safe_load(reports[1].read_text(encoding="utf-8"))["so_lieu"]["tin_bai"]


def test_example_204_is_the_merge_of_200_to_203_filled_in(tmp_path):
    """204 must really come from `tong-hop` on 200–203: same frame, figures and phụ lục; the drafter
    only filled the placeholders and condensed some results."""
    out = tmp_path / "204.yaml"
    res = run("tong-hop", PLAN, *sorted(EXAMPLES.glob("20[123]-*.yaml")), "-o", out, "--danh-muc", REGISTRY,
              "--nhom", "ubnd-cap-huyen", "--nam", 2024)
    assert res.exit_code == 0, res.output
    assert "Còn 7/10 đơn vị chưa báo cáo: UBND huyện Bắc Bình," in res.output
    example = next(EXAMPLES.glob("204-*.yaml"))
    filled, gen = (yaml.safe_load(p.read_text(encoding="utf-8")) for p in (example, out))
    for key in ("loai", "the_thuc", "co_quan", "dia_danh", "trich_yeu", "kinh_gui", "so_lieu", "hien_thi_nhiem_vu",
                "ky", "noi_nhan", "luu"):
        assert filled[key] == gen[key], key

    def tables(d):            # the phụ lục's figures; the drafter gave the columns their names
        return [[*(c.get("rong_mm") for c in x["bang"]["cot"]), *x["bang"]["dong"]]
                for x in d["phu_luc"][0]["noi_dung"] if isinstance(x, dict) and "bang" in x]
    assert tables(filled) == tables(gen) and len(tables(gen)) == 2
    assert [c["ten"] for c in gen["phu_luc"][0]["noi_dung"][0]["bang"]["cot"]][2:4] == ["tin bai", "lop tap huan"]
    assert filled["mo_dau"][1] == gen["mo_dau"][1].replace("\n", " ")       # the units that reported, and not
    assert [s["muc"] for s in filled["noi_dung"]] == [s["muc"] for s in gen["noi_dung"]]
    assert load_document(example).warnings == []
    r = Rendered(to_docx(load_document(example)))
    t = next(t for t in r.doc.tables if t.rows[0].cells[0].text == "TT")
    assert [c.text for c in t.rows[-1].cells][:3] == ["", "Tổng cộng", "401"]        # 186 + 94 + 121
    assert "tỷ lệ hồ sơ giải quyết trực tuyến toàn trình đạt 51,7% (18.303/35.374 hồ sơ)" in r.text()


def test_figure_rules():
    """Decimals add exactly; a percentage without numerator and denominator, or text that differs
    between units, is not merged but named with the reason."""
    from vbtool.merge import UnitReport, merge_figures
    units = [UnitReport(f"{i}.yaml", None, figs, f"Đơn vị {i}") for i, figs in enumerate([
        {"kinh_phi": 0.1, "ty_le_dat": 92.5, "ky": "6 tháng", "ghi_chu": "a", "ho": 3,
         "tl": "{{ ty_le(so_lieu.ho, so_lieu.tong) }}", "tong": 4, "chi_tieu_1": 100},
        {"kinh_phi": 0.2, "ty_le_dat": 88, "ky": "6 tháng", "ghi_chu": "b", "ho": 1,
         "tl": "{{ ty_le(so_lieu.tong, so_lieu.ho) }}", "tong": 8, "chi_tieu_1": 100}])]
    got = {f.key: f for f in merge_figures(units)}
    assert got["kinh_phi"].total == 0.3 and got["ho"].total == 4 and isinstance(got["ho"].total, int)
    assert (got["ty_le_dat"].kind, got["ty_le_dat"].reason) == ("khong_gop", "tỷ lệ ghi bằng số, không kèm tử số và "
                                                                            "mẫu số")
    assert (got["ky"].kind, got["ky"].total) == ("chu", "6 tháng")
    assert got["ghi_chu"].reason == "chữ khác nhau giữa các đơn vị"
    assert got["tl"].reason == "các đơn vị tính tỷ lệ từ những số liệu khác nhau"
    assert "chi_tieu_1" not in got                                  # the plan's target, never summed
