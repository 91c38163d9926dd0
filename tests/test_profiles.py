"""Profiles are strict, typed data, and adding a profile file is enough for a new set of rules.

The copy test puts a copy of the Party profile under another name and date
("hd99-2026", applying from 2026-01-01, with a 15 pt tên loại and a citation
without the comma) next to the shipped profiles. Nothing else changes: a Party
document dated 2026 must then be rendered, checked, derived for and imported
with it, and a document dated 2025 must keep HD 36.
"""
from __future__ import annotations

import dataclasses
import re
import shutil

import pytest

from conftest import EXAMPLES, ROOT, Rendered, run_size
from vbtool import profile as profiles
from vbtool.document import load_document, load_document_text, to_docx
from vbtool.loader import InputError

SHIPPED = profiles.PROFILE_DIR


@pytest.fixture
def profile_dir(tmp_path, monkeypatch):
    """A profile folder with copies of the shipped files; the test may add or break files in it."""
    d = tmp_path / "profiles"
    shutil.copytree(SHIPPED, d)
    monkeypatch.setattr(profiles, "PROFILE_DIR", d)
    profiles.reset()
    yield d
    profiles.reset()


def add_party_2026(d):
    text = (d / "hd36-2018.yaml").read_text(encoding="utf-8")
    text = text.replace("ten: hd36-2018", "ten: hd99-2026")
    text = re.sub(r"(?m)^ap_dung_tu: .*$", "ap_dung_tu: 2026-01-01", text)
    # tên loại 15 pt instead of 16
    text = text.replace("  co_chu: 16\n  khoang: [15, 16]", "  co_chu: 15\n  khoang: [15, 16]")
    # citation without the comma before "ngày"
    text = text.replace('mau: "{loai} số {so_ky_hieu}, ngày {ngay} của {co_quan}"',
                        'mau: "{loai} số {so_ky_hieu} ngày {ngay} của {co_quan}"')
    assert "hd99-2026" in text and "co_chu: 15\n  khoang: [15, 16]" in text
    (d / "hd99-2026.yaml").write_text(text, encoding="utf-8")


PARTY = (EXAMPLES / "000-kh-bdvtu-nq27.yaml").read_text(encoding="utf-8")


def party_doc(date: str, pin: str = "") -> str:
    text = re.sub(r"(?m)^ngay: .*$", f"ngay: {date}", PARTY)
    return text.replace("the_thuc: dang\n", f"the_thuc: dang\nho_so: {pin}\n") if pin else text


def kind_size(data: bytes) -> float:
    (r,) = Rendered(data).runs_with("KẾ HOẠCH")
    return run_size(r)


# -- typed and frozen ---------------------------------------------------------------

def test_profiles_load_into_frozen_dataclasses():
    p = profiles.load("nd30-2020")
    assert isinstance(p, profiles.Profile) and dataclasses.is_dataclass(p)
    assert p.ten_loai.khoang == (13, 14) and p.than_van_ban.gian_dong_khoang_dong == (1.0, 1.5)
    assert p.chu_ky.tien_to.thua_uy_quyen == "TUQ." and profiles.load("hd36-2018").chu_ky.tien_to.thua_uy_quyen is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.ten_loai.co_chu = 20
    assert profiles.load("nd30-2020") is p                 # loaded once


def test_regime_rules_are_profile_data():
    state, party = profiles.load("nd30-2020"), profiles.load("hd36-2018")
    assert (state.phu_luc.kem_theo_ngay, party.phu_luc.kem_theo_ngay) == ("dai", "ngan")
    assert (state.noi_nhan.luu_mac_dinh, party.noi_nhan.luu_mac_dinh) == ("VT", "Văn thư")
    assert (state.kinh_gui.trong_bao_cao, party.kinh_gui.trong_bao_cao) == (True, False)
    assert [c.nhan for c in (state.phu_luc_nhiem_vu.cot_stt, *state.phu_luc_nhiem_vu.cot)] == [
        "TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian", "Sản phẩm"]
    for p in (state, party):
        assert p.phu_luc_nhiem_vu.nguon and p.than_van_ban.cach_doan_toi_thieu == 6


# -- strict schema ------------------------------------------------------------------

def test_unknown_key_in_a_profile_is_an_error_with_its_line(profile_dir):
    f = profile_dir / "nd30-2020.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("  khoang_truoc: 12\n", "  khoang_truoc: 12\n  co_chuu: 3\n", 1),
                 encoding="utf-8")
    with pytest.raises(InputError) as e:
        profiles.load("nd30-2020")
    msg = str(e.value)
    assert f"{f}:" in msg and "ten_loai.co_chuu: trường không được phép \"co_chuu\"" in msg


def test_a_key_the_checker_reads_is_required(profile_dir):
    """A profile without ten_loai.khoang used to validate and then crash `check` with KeyError."""
    f = profile_dir / "hd36-2018.yaml"
    text = f.read_text(encoding="utf-8")
    text = text.replace("  co_chu: 16\n  khoang: [15, 16]\n", "  co_chu: 16\n", 1)
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        profiles.load("hd36-2018")
    assert "ten_loai: thiếu trường bắt buộc \"khoang\"" in str(e.value)


def test_profile_name_must_match_its_file(profile_dir):
    shutil.copy(profile_dir / "hd36-2018.yaml", profile_dir / "hd37-2019.yaml")
    with pytest.raises(InputError) as e:
        profiles.load("hd37-2019")
    assert "phải trùng tên tệp \"hd37-2019\"" in str(e.value)


# -- choice by date -------------------------------------------------------------------

def test_profile_is_chosen_by_date(profile_dir):
    import datetime as dt
    add_party_2026(profile_dir)
    assert profiles.for_date("dang", dt.date(2025, 12, 31)).name == "hd36-2018"
    assert profiles.for_date("dang", dt.date(2026, 1, 1)).name == "hd99-2026"
    assert profiles.for_date("dang", dt.date(2010, 1, 1)).name == "hd36-2018"   # before every profile: the oldest
    assert profiles.for_date("dang").name == "hd99-2026"                         # no date: the newest
    assert profiles.for_date("nha_nuoc", dt.date(2026, 6, 1)).name == "nd30-2020"
    assert profiles.regimes() == ["dang", "nha_nuoc"]


# -- the copy test: render, check, derive, import ------------------------------------

def test_new_profile_file_is_enough_to_render(profile_dir):
    add_party_2026(profile_dir)
    new = load_document_text(party_doc("2026-02-05"), "x.yaml")
    old = load_document_text(party_doc("2025-12-31"), "x.yaml")
    pinned = load_document_text(party_doc("2026-02-05", pin="hd36-2018"), "x.yaml")
    draft = load_document_text(party_doc("2026"), "x.yaml")       # a draft with the year only
    assert (new.profile.name, old.profile.name, pinned.profile.name, draft.profile.name) == (
        "hd99-2026", "hd36-2018", "hd36-2018", "hd99-2026")
    assert kind_size(to_docx(new)) == 15 and kind_size(to_docx(old)) == 16 and kind_size(to_docx(pinned)) == 16


def test_new_profile_file_is_enough_to_check(profile_dir):
    from vbtool.check import check_docx
    add_party_2026(profile_dir)
    new = check_docx(to_docx(load_document_text(party_doc("2026-02-05"), "x.yaml")))
    old = check_docx(to_docx(load_document_text(party_doc("2025-03-01"), "x.yaml")))
    assert (new.profile, new.regime, new.detected) == ("hd99-2026", "dang", True)
    assert (old.profile, old.regime) == ("hd36-2018", "dang")
    assert new.errors == [] and old.errors == []
    # the 2018 rules on the 2026 layout: the 15 pt tên loại is inside HD 36's 15–16 range too,
    # so pin a profile whose range it breaks: the state one
    pinned = check_docx(to_docx(load_document_text(party_doc("2026-02-05"), "x.yaml")), ho_so="nd30-2020")
    assert pinned.profile == "nd30-2020" and "ND30.ten-loai.size" in pinned.rule_ids


def test_new_profile_file_is_enough_to_derive(profile_dir):
    from vbtool import derive, registry
    add_party_2026(profile_dir)
    parent = load_document(EXAMPLES / "001-kh-ubnd-nq27.yaml")
    reg = registry.load(ROOT / "drafts" / "don-vi" / "binh-thuan.yaml")
    unit = reg.units["ban-dan-van-tinh-uy"]
    assert unit.the_thuc == "dang"
    late = derive.child_plan(parent, reg, unit, 2026)
    early = derive.child_plan(parent, reg, unit, 2025)
    assert "Kế hoạch số 12/KH-UBND ngày 20/6/2023 của" in late["trich_yeu"]        # hd99: no comma
    assert "Kế hoạch số 12/KH-UBND, ngày 20/6/2023 của" in early["trich_yeu"]      # hd36: comma
    assert late["luu"] == "Văn thư"


def test_new_profile_file_is_enough_to_import(profile_dir, tmp_path):
    from vbtool.importer import import_docx, yaml_for
    add_party_2026(profile_dir)
    src = tmp_path / "kh.docx"
    src.write_bytes(to_docx(load_document_text(party_doc("2026-02-05"), "x.yaml")))
    imp = import_docx(src)
    assert imp.data["the_thuc"] == "dang" and str(imp.data["ngay"]) == "2026-02-05"
    doc = load_document_text(yaml_for(imp, tmp_path / "kh.yaml"), "kh.yaml")
    assert doc.profile.name == "hd99-2026"
