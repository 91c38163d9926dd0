"""Unit registry, derivation of child plans, and batch production per unit."""
from __future__ import annotations

import io
import zipfile

import pytest
import yaml
from click.testing import CliRunner

from conftest import EXAMPLES, ROOT, Rendered
from vbtool import batch, derive, registry
from vbtool.cli import main
from vbtool.document import load_document, load_document_text, to_docx
from vbtool.loader import InputError, load_file

REG = ROOT / "drafts" / "don-vi" / "binh-thuan.yaml"
PLAN_001 = next(EXAMPLES.glob("001-*.yaml"))
PLAN_000 = next(EXAMPLES.glob("000-*.yaml"))


@pytest.fixture(scope="module")
def reg():
    return registry.load(REG)


@pytest.fixture(scope="module")
def plan():
    return load_document(PLAN_001)


def picked(plan, reg, uid):
    return {p.task.number_text: p.role for p in derive.pick(plan, reg, reg.units[uid])}


# --- registry ----------------------------------------------------------------

def test_registry_covers_the_seeds(reg):
    huyen = {u.ten for u in reg.members("ubnd-cap-huyen")}
    assert huyen == {f"Ủy ban nhân dân {x}" for x in (
        "thành phố Phan Thiết", "thị xã La Gi", "huyện Tuy Phong", "huyện Bắc Bình", "huyện Hàm Thuận Bắc",
        "huyện Hàm Thuận Nam", "huyện Hàm Tân", "huyện Đức Linh", "huyện Tánh Linh", "huyện Phú Quý")}
    assert len(reg.members("ban-dan-van-cap-huyen")) == 10
    for uid in ("ubnd-tinh", "tinh-uy", "ban-dan-van-tinh-uy", "so-tu-phap", "so-noi-vu", "thanh-tra-tinh"):
        assert uid in reg.units


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


MINI = """\
nhom:
  - {id: a, cum_tu: [các đơn vị A]}
don_vi:
  - {id: x, ten: Đơn vị X, ky_hieu: X, dia_danh: Nơi X, the_thuc: nha_nuoc, nhom: [a]}
  - {id: y, ten: Đơn vị Y, ky_hieu: Y, dia_danh: Nơi Y, the_thuc: nha_nuoc, nhom: [a]}
"""


def test_registry_duplicate_id(tmp_path):
    p = write(tmp_path, "r.yaml", MINI.replace("id: y,", "id: x,"))
    with pytest.raises(InputError) as e:
        registry.load(p)
    assert str(e.value.problems[0]) == f"{p}:5:6: don_vi[1].id: mã đơn vị \"x\" bị trùng"


def test_registry_unit_in_no_group(tmp_path):
    p = write(tmp_path, "r.yaml", MINI.replace("nhom: [a]}\n  - {id: y", "nhom: []}\n  - {id: y"))
    with pytest.raises(InputError) as e:
        registry.load(p)
    assert "don_vi[0].nhom: đơn vị \"x\" không thuộc nhóm nào" in str(e.value)


def test_registry_unknown_group(tmp_path):
    p = write(tmp_path, "r.yaml", MINI.replace("nhom: [a]}\n  - {id: y", "nhom: [b]}\n  - {id: y"))
    with pytest.raises(InputError) as e:
        registry.load(p)
    assert "nhóm \"b\" chưa được khai báo" in str(e.value)


def test_registry_from_csv(tmp_path):
    write(tmp_path, "xa.csv", "id,ten,ten_goi,cap_tren,ky_hieu,cap,dia_danh,the_thuc,nhom,ky.thay_mat,ky.chuc_vu,ky.ho_ten,luu\n"
          "xa-1,Ủy ban nhân dân xã Hòa Thắng,UBND xã Hòa Thắng,UBND tỉnh Lâm Đồng,UBND,xa,Hòa Thắng,nha_nuoc,a,"
          "Ủy ban nhân dân,Chủ tịch,Nguyễn Văn B,VT\n")
    p = write(tmp_path, "r.yaml", "nhom:\n  - {id: a, cum_tu: [UBND các xã, phường]}\ndon_vi_csv: [xa.csv]\n")
    r = registry.load(p)
    u = r.units["xa-1"]
    assert (u.ten_goi, u.dia_danh, u.nhom, u.ky["chuc_vu"], u.luu) == (
        "UBND xã Hòa Thắng", "Hòa Thắng", ["a"], "Chủ tịch", ["VT"])


def test_registry_csv_bad_row_names_line(tmp_path):
    write(tmp_path, "xa.csv", "id,ten,ky_hieu,dia_danh,the_thuc,nhom\nxa-1,X,UBND,Nơi,nha_nuocc,a\n")
    p = write(tmp_path, "r.yaml", "nhom:\n  - {id: a, cum_tu: [X]}\ndon_vi_csv: [xa.csv]\n")
    with pytest.raises(InputError) as e:
        registry.load(p)
    assert str(e.value).startswith(f"{tmp_path / 'xa.csv'}:2:1: don_vi[0].the_thuc: giá trị \"nha_nuocc\" không hợp lệ")


# --- selection -----------------------------------------------------------------

def test_selection_direct_group_partner_and_excluded(plan, reg):
    stp = picked(plan, reg, "so-tu-phap")
    assert stp["2.3"] == "chu_tri"          # "Sở Tư pháp; UBND các huyện…" leads
    assert stp["3.3"] == "phoi_hop"         # among the phối hợp
    assert stp["2.1"] == "chu_tri"          # via "Các cơ quan chuyên môn thuộc UBND tỉnh"
    assert "4.1" not in stp                 # thi hành án dân sự: not Sở Tư pháp's
    assert "1" in stp                       # "Sở Tư pháp - Cơ quan thường trực …" (name plus description)


def test_selection_via_district_group(plan, reg):
    tp = picked(plan, reg, "ubnd-tuy-phong")
    assert tp["2.3"] == "chu_tri" and tp["3.1"] == "chu_tri"
    assert "4.2" not in tp and "4.3" not in tp and "4.1" not in tp


def test_selection_for_a_unit_with_no_task(plan, reg):
    assert picked(plan, reg, "ban-dan-van-tuy-phong") == {}


def test_unmatched_group_phrase_is_an_error_with_task_number(plan, reg, tmp_path):
    text = PLAN_001.read_text(encoding="utf-8").replace(
        "thuc_hien: [Sở Tư pháp, \"UBND các huyện, thị xã, thành phố\"]",
        "thuc_hien: [Sở Tư pháp, \"UBND các xã, phường, thị trấn\"]")
    assert "UBND các xã, phường, thị trấn" in text
    p = write(tmp_path, "p.yaml", text)
    doc = load_document(p)
    with pytest.raises(InputError) as e:
        derive.check_phrases(doc, reg)
    msg = str(e.value)
    assert "nhiệm vụ 2.3: cụm từ \"UBND các xã, phường, thị trấn\" không khớp nhóm nào" in msg
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "UBND các xã, phường" in ln)
    assert msg.startswith(f"{p}:{line}:")


# --- derive --------------------------------------------------------------------

@pytest.mark.parametrize("uid,regime,cite", [
    ("so-tu-phap", "nha_nuoc", "Kế hoạch số 12/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh"),
    ("ban-dan-van-tuy-phong", "dang", "Kế hoạch số 12/KH-UBND, ngày 20/6/2023 của Ủy ban nhân dân tỉnh"),
])
def test_citation_per_child_regime(plan, reg, uid, regime, cite):
    assert reg.units[uid].the_thuc == regime
    assert derive.citation(plan, regime) == cite
    data = derive.child_plan(plan, reg, reg.units[uid], 2024)
    assert data["mo_dau"][0].startswith(f"Thực hiện {cite} về thực hiện Nghị quyết số 77/NQ-CP")


def test_party_parent_cited_with_party_number(reg):
    parent = load_document(PLAN_000)
    assert derive.citation(parent, "dang") == "Kế hoạch số 98-KH/BDVTU, ngày 05/10/2023 của Ban Dân vận Tỉnh ủy"


def test_derive_cli_writes_a_draft_that_validates_and_renders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["derive", str(PLAN_001), "--don-vi", "so-tu-phap", "--danh-muc", str(REG),
                                  "-o", "stp.yaml", "--nam", "2024"])
    assert r.exit_code == 0, r.output
    assert "Đã tạo stp.yaml (15 nhiệm vụ)" in r.output
    text = (tmp_path / "stp.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    doc = load_document(tmp_path / "stp.yaml")
    assert doc.warnings                                     # placeholders to localise
    assert any("[[Phòng, bộ phận chủ trì thuộc Sở Tư pháp]]" in w.message for w in doc.warnings)
    rendered = Rendered(to_docx(doc))
    paras = rendered.paragraphs()
    assert "SỞ TƯ PHÁP" in paras and "UBND TỈNH BÌNH THUẬN" in paras
    assert ("(Nhiệm vụ 2.3 tại Kế hoạch số 12/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh; "
            "Sở Tư pháp chủ trì thực hiện.)") in paras
    assert ("(Nhiệm vụ 3.3 tại Kế hoạch số 12/KH-UBND ngày 20/6/2023 của Ủy ban nhân dân tỉnh; Sở Tư pháp phối hợp "
            "với Sở Nội vụ; Sở Kế hoạch và Đầu tư; Sở Thông tin và Truyền thông; Sở Tài chính; UBND các huyện, thị xã, "
            "thành phố thực hiện.)") in paras
    assert not any("Nhiệm vụ 4.1" in p for p in paras)
    # reporting duty back to the parent; Sở Tư pháp is itself the parent's lead ("qua Sở Tư pháp")
    assert ("2. Định kỳ [[6 tháng, hằng năm]] hoặc khi có yêu cầu, Sở Tư pháp báo cáo kết quả "
            "thực hiện về Ủy ban nhân dân tỉnh./.") in paras
    tp = derive.child_plan(load_document(PLAN_001), registry.load(REG), registry.load(REG).units["ubnd-tuy-phong"])
    assert tp["noi_dung"][2]["noi_dung"][1]["nhiem_vu"].endswith(
        "UBND huyện Tuy Phong báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh (qua Sở Tư pháp).")
    assert tp["noi_nhan"][:2] == [{"ten": "Ủy ban nhân dân tỉnh", "ghi_chu": "báo cáo"}, "Sở Tư pháp"]
    r = CliRunner().invoke(main, ["validate", "--strict", "stp.yaml"])
    assert r.exit_code == 1


def test_derive_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stp.yaml").write_text("ban nháp của tôi", encoding="utf-8")
    args = ["derive", str(PLAN_001), "--don-vi", "so-tu-phap", "--danh-muc", str(REG), "-o", "stp.yaml"]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 1 and "Không ghi đè" in r.output
    assert (tmp_path / "stp.yaml").read_text(encoding="utf-8") == "ban nháp của tôi"
    assert CliRunner().invoke(main, args + ["--force"]).exit_code == 0


def test_derive_group_writes_one_draft_per_member(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["derive", str(PLAN_001), "--nhom", "UBND các huyện, thị xã, thành phố",
                                  "--danh-muc", str(REG), "-o", "huyen"])
    assert r.exit_code == 0, r.output
    files = sorted(p.name for p in (tmp_path / "huyen").iterdir())
    assert len(files) == 10 and "ubnd-tuy-phong.yaml" in files
    doc = load_document(tmp_path / "huyen" / "ubnd-tuy-phong.yaml")
    assert doc.agency.ten == "Ủy ban nhân dân\nhuyện Tuy Phong" and doc.place == "Tuy Phong"


def test_derive_output_dir_is_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "huyen").write_text("x")
    r = CliRunner().invoke(main, ["derive", str(PLAN_001), "--nhom", "UBND các huyện, thị xã, thành phố",
                                  "--danh-muc", str(REG), "-o", "huyen"])
    assert r.exit_code == 1 and "cần một thư mục" in r.output


# --- batch -----------------------------------------------------------------------

BATCH_DOC = """\
# yaml-language-server: $schema=../schemas/van-ban.schema.json
loai: ke_hoach
the_thuc: nha_nuoc
co_quan: {ten: Ủy ban nhân dân, ky_hieu: UBND}
so: null
ngay: 2024
dia_danh: Bình Thuận
trich_yeu: Tổ chức Ngày Pháp luật năm 2024 tại {{ don_vi.ten_goi }}
so_lieu: {muc_tieu: 90}
noi_dung:
  - muc: Nhiệm vụ
    noi_dung:
      - "{{ don_vi.ten_goi }} đạt tỷ lệ {{ so_lieu.muc_tieu }}% cán bộ được phổ biến pháp luật."
      - nhiem_vu: Tổ chức hội nghị.
        chu_tri: [Văn phòng]
ky: {chuc_vu: Chủ tịch, ho_ten: Người ký}
noi_nhan: [UBND tỉnh]
luu: [VT]
"""


def run_batch(tmp_path, doc_text, *extra):
    doc = write(tmp_path, "kh.yaml", doc_text)
    return CliRunner().invoke(main, ["batch", str(doc), "--don-vi", str(REG), "--nhom",
                                     "UBND các huyện, thị xã, thành phố", "-o", str(tmp_path / "ra"), *extra])


def test_batch_one_file_per_unit_issued_by_the_unit(tmp_path):
    r = run_batch(tmp_path, BATCH_DOC, "-j", "2")
    assert r.exit_code == 0, r.output
    assert "Đã dựng 10/10 văn bản" in r.output
    names = sorted(p.name for p in (tmp_path / "ra").iterdir())
    assert "UBND huyện Tuy Phong.docx" in names and "UBND thị xã La Gi.docx" in names and len(names) == 10
    d = Rendered((tmp_path / "ra" / "UBND huyện Tuy Phong.docx").read_bytes())
    paras = d.paragraphs()
    assert "ỦY BAN NHÂN DÂN\u00a0" not in paras
    cells = [c.text for c in d.doc.tables[0].rows[0].cells]
    assert cells[0].split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "HUYỆN TUY PHONG"]
    assert d.doc.tables[0].rows[1].cells[1].text.startswith("Tuy Phong, ngày")
    assert "Tổ chức Ngày Pháp luật năm 2024 tại UBND huyện Tuy Phong" in paras
    assert "UBND huyện Tuy Phong đạt tỷ lệ 90% cán bộ được phổ biến pháp luật." in paras
    assert [p.text for p in d.doc.tables[-1].cell(0, 1).paragraphs if p.text][:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


def test_batch_output_equals_render_of_merged_document(tmp_path, reg):
    base = load_file(write(tmp_path, "kh.yaml", BATCH_DOC))
    unit = reg.units["ubnd-tuy-phong"]
    job = batch.Job(base, reg)
    got, _ = batch.render_unit(job, unit)
    merged = batch.merged_data(base.data, unit, None)
    text = yaml.safe_dump(merged, allow_unicode=True, sort_keys=False)
    from vbtool.document import _finish
    from vbtool.loader import load_text
    expected = to_docx(_finish(load_text(text, "merged.yaml"), unit.as_context()))
    assert zipfile.ZipFile(io.BytesIO(got)).read("word/document.xml") == \
        zipfile.ZipFile(io.BytesIO(expected)).read("word/document.xml")
    assert got == expected


def test_batch_unknown_unit_field_fails_that_unit_only(tmp_path):
    text = BATCH_DOC.replace("Tổ chức hội nghị.", "Tổ chức hội nghị tại {{ don_vi.thuoc_tinh.hoi_truong }}.")
    reg_text = REG.read_text(encoding="utf-8").replace(
        "    ten_goi: UBND huyện Tuy Phong\n", "    ten_goi: UBND huyện Tuy Phong\n    thuoc_tinh: {hoi_truong: Hội trường A}\n")
    write(tmp_path, "dv.yaml", reg_text)
    doc = write(tmp_path, "kh.yaml", text)
    r = CliRunner().invoke(main, ["batch", str(doc), "--don-vi", str(tmp_path / "dv.yaml"), "--nhom",
                                  "UBND các huyện, thị xã, thành phố", "-o", str(tmp_path / "ra")])
    assert r.exit_code == 1
    assert "Đã dựng 1/10 văn bản" in r.output
    assert "LỖI ubnd-la-gi: noi_dung[0].noi_dung[1].nhiem_vu: biểu thức {{ don_vi.thuoc_tinh.hoi_truong }}: " \
           "không có trường này (hoi_truong)" in r.output
    assert [p.name for p in (tmp_path / "ra").iterdir()] == ["UBND huyện Tuy Phong.docx"]


def test_batch_overrides_yaml_and_unknown_unit(tmp_path):
    write(tmp_path, "gd.yaml", "ubnd-tuy-phong:\n  so: 7\n  ngay: 2024-03-01\n  so_lieu: {muc_tieu: 95}\n"
          "  them_nhiem_vu:\n    - nhiem_vu: Tổ chức thi tìm hiểu pháp luật.\n")
    r = run_batch(tmp_path, BATCH_DOC, "--ghi-de", str(tmp_path / "gd.yaml"), "--ten-tep", "slug")
    assert r.exit_code == 0, r.output
    d = Rendered((tmp_path / "ra" / "ubnd-huyen-tuy-phong.docx").read_bytes())
    paras = d.paragraphs()
    assert d.doc.tables[0].rows[1].cells[0].text == "Số: 07/KH-UBND"
    assert "UBND huyện Tuy Phong đạt tỷ lệ 95% cán bộ được phổ biến pháp luật." in paras
    assert any(p.startswith("2. Tổ chức thi tìm hiểu pháp luật.") for p in paras)
    other = Rendered((tmp_path / "ra" / "ubnd-huyen-bac-binh.docx").read_bytes())
    assert "UBND huyện Bắc Bình đạt tỷ lệ 90% cán bộ được phổ biến pháp luật." in other.paragraphs()
    write(tmp_path, "gd2.yaml", "ubnd-khong-co: {so: 1}\n")
    r = run_batch(tmp_path, BATCH_DOC, "--ghi-de", str(tmp_path / "gd2.yaml"))
    assert r.exit_code == 1
    assert f"{tmp_path / 'gd2.yaml'}:1:1: ubnd-khong-co: không có đơn vị \"ubnd-khong-co\" trong danh mục" in r.output


def test_batch_overrides_csv(tmp_path):
    write(tmp_path, "gd.csv", "id,so,muc_tieu\nubnd-phu-quy,12,80\n")
    r = run_batch(tmp_path, BATCH_DOC, "--ghi-de", str(tmp_path / "gd.csv"), "--ten-tep", "id")
    assert r.exit_code == 0, r.output
    d = Rendered((tmp_path / "ra" / "ubnd-phu-quy.docx").read_bytes())
    assert d.doc.tables[0].rows[1].cells[0].text == "Số: 12/KH-UBND"
    assert "UBND huyện Phú Quý đạt tỷ lệ 80% cán bộ được phổ biến pháp luật." in d.paragraphs()


def test_batch_output_dir_is_a_file(tmp_path):
    (tmp_path / "ra").write_text("x")
    r = run_batch(tmp_path, BATCH_DOC)
    assert r.exit_code == 1 and "cần một thư mục" in r.output
    assert (tmp_path / "ra").read_text() == "x"


@pytest.mark.parametrize("name,expected", [("../../etc/passwd", "_.._etc_passwd"), ("A/B", "A_B"),
                                           ("Xã Hòa Thắng", "Xã Hòa Thắng")])
def test_safe_file_names(name, expected):
    u = registry.Unit(id="x", ten=name, ky_hieu="X", dia_danh="X", the_thuc="nha_nuoc", nhom=["a"])
    got = batch.safe_name(u, "ten")
    assert got == expected and "/" not in got
    assert batch.safe_name(u, "slug") in ("etc-passwd", "a-b", "xa-hoa-thang")


def test_bench_smoke():
    """bench/batch.py runs end to end through the CLI, with the floor and the docxtpl
    baseline (small N; no timing assertion)."""
    import subprocess
    import sys
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "batch.py"), "-n", "12", "-j", "1", "--sample", "3"],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for label in ("vbtool batch (CLI", "sàn zip", "vòng lặp DocxTemplate", "tỉ lệ thời gian vbtool/sàn",
                  "tỉ lệ tốc độ vbtool/DocxTemplate", "tải trung bình", "RSS đỉnh", "bộ nhớ tăng", "đọc danh mục 12"):
        assert label in out, (label, out)
    assert out.count("văn bản/giây") == 3


def test_bench_render_smoke():
    """bench/render.py times whole processes and names the heavy imports (no timing assertion)."""
    import subprocess
    import sys
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "render.py"), "--runs", "1"],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    for label in ("python -c pass", "vbtool --help", "vbtool validate", "vbtool render", "tải trung bình"):
        assert label in r.stdout, (label, r.stdout)
    assert r.stdout.count("CPU min") == 4


def test_derive_drops_parent_footnote_references(reg):
    text = PLAN_001.read_text(encoding="utf-8").replace(
        "Tăng cường kiểm tra, rà soát, xử lý văn bản", "Tăng cường kiểm tra[^kt], rà soát, xử lý văn bản", 1)
    text += "chu_thich:\n  kt: Theo Nghị định số 34/2016/NĐ-CP.\n"
    parent = load_document_text(text, "p.yaml")
    data = derive.child_plan(parent, reg, reg.units["so-tu-phap"], 2024)
    child = load_document_text(derive.to_yaml(data, "c.yaml", "x"), "c.yaml")
    task = next(t for t in child.tasks() if any("Nhiệm vụ 2.3 " in x for x in t.text))
    assert task.text[0].startswith("Tăng cường kiểm tra, rà soát, xử lý văn bản")


def test_units_joined_by_va_are_each_recognised(reg):
    assert reg.resolve("Sở Tư pháp và các cơ quan, đơn vị có liên quan") == ({"so-tu-phap"}, "don_vi")
    ids, kind = reg.resolve("Sở Nội vụ và UBND các huyện, thị xã, thành phố")
    assert kind == "nhom" and "so-noi-vu" in ids and "ubnd-tuy-phong" in ids
    assert reg.resolve("Sở Kế hoạch và Đầu tư") == ({"so-ke-hoach-dau-tu"}, "don_vi")   # "và" inside a name


def test_unrecognised_unit_is_a_warning_naming_the_task(plan, reg, tmp_path, monkeypatch):
    text = PLAN_001.read_text(encoding="utf-8").replace(
        "thuc_hien: [Sở Tư pháp]", "thuc_hien: [Sở Văn hóa, Thể thao và Du lịch]", 1)
    p = write(tmp_path, "p.yaml", text)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["derive", str(p), "--don-vi", "so-tu-phap", "--danh-muc", str(REG), "-o", "c.yaml"])
    assert r.exit_code == 0
    assert "nhiệm vụ 4.2: không nhận ra \"Sở Văn hóa\" trong danh mục đơn vị" in r.output
