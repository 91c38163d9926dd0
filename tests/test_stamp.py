"""A stamped unit is byte for byte the unit rendered in full (batch.render_unit), for every
example and units of every shape; what cannot be stamped goes the full way, with its errors."""
from __future__ import annotations

import io
import zipfile

import pytest

from conftest import EXAMPLES
from vbtool import batch, stamp
from vbtool.loader import InputError, Source, load_file
from vbtool.registry import Registry, Unit


def unit(i: int, **kw) -> Unit:
    fields = dict(id=f"dv-{i}", ten=f"Ủy ban nhân dân xã Số {i}", ky_hieu="UBND", dia_danh=f"Xã Số {i}",
                  the_thuc="nha_nuoc", nhom=["g"], ten_goi=f"UBND xã Số {i}", cap_tren="UBND huyện Tuy Phong",
                  ky={"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": f"Nguyễn Văn {i}"},
                  luu=["VT"])
    fields.update(kw)
    return Unit(**fields)


def party(i: int, **kw) -> Unit:
    return unit(i, ten=f"Ban Dân vận Huyện ủy Số {i}", ky_hieu="BDVHU", the_thuc="dang",
                ten_goi=f"Ban Dân vận Huyện ủy Số {i}", cap_tren="Đảng bộ tỉnh Bình Thuận",
                ky={"thay_mat": "Ban Dân vận", "chuc_vu": "Trưởng ban", "ho_ten": f"Trần Thị {i}"}, **kw)


UNITS = [
    unit(1), unit(2), unit(3, ten_dau="Ủy ban nhân dân\nxã Số 3 & <Bến> \"Đá\""), unit(4, cap_tren=None),
    unit(5, ky={"ky_thay": "Chủ tịch", "chuc_vu": "Phó Chủ tịch", "ho_ten": "[[họ tên]]"}, luu=None),
    unit(6, ky={"chuc_vu": "Chủ tịch", "ho_ten": "Lê Văn Sáu", "quyen": True}, luu=["VT", "VP"]),
    unit(7, ky=None, luu="VT, TP"), unit(8, ten_goi=None, dia_danh="Phường 'Số' 8"),
    party(9), party(10, ten_dau="Ban Dân vận\nHuyện ủy Số 10"), unit(11),
    unit(12, ten_goi="UBND xã [^x]"),                                  # markup in a unit: the full way
    unit(13, ky={"thua_uy_quyen": "Chủ tịch", "ky_thay": "Chủ tịch", "chuc_vu": "Phó", "ho_ten": "X"}),
]


def reference_of(regime_units: list[Unit]) -> Registry:
    return Registry({u.id: u for u in regime_units}, {"g": ["các xã"]}, [])


def outcome(fn):
    try:
        return fn()
    except InputError as exc:
        return [str(p) for p in exc.problems]


def run_both(base: Source, units: list[Unit], overrides: dict | None = None) -> tuple[int, int]:
    reg = reference_of(units)
    job = batch.Job(base, reg, overrides or {})
    stamper = stamp.Stamper(job)
    stamped = 0
    compared = 0
    for u in units:
        got = outcome(lambda: stamper.render(u))
        want = outcome(lambda: batch.render_unit(job, u)[0])
        if isinstance(got, stamp.Stamped):
            stamped += got.stamped
            got = got.data
        assert got == want, (base.file, u.id)
        compared += 1
    return stamped, compared


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_every_example_stamps_identically(name):
    base = load_file(EXAMPLES / f"{name}.yaml")
    stamped, compared = run_both(base, UNITS)
    assert compared == len(UNITS)
    # per regime one reference in full, and the markup unit in full; the others stamped
    # unless their issuer is invalid for the document (then both raise the same errors)
    assert stamped >= 6, stamped


def test_stamped_document_is_the_units():
    base = load_file(EXAMPLES / "001-kh-ubnd-nq27.yaml")
    job = batch.Job(base, reference_of(UNITS))
    stamper = stamp.Stamper(job)
    stamper.render(UNITS[0])
    s = stamper.render(UNITS[2])
    assert s.stamped
    xml = zipfile.ZipFile(io.BytesIO(s.data)).read("word/document.xml").decode("utf-8")
    assert "XÃ SỐ 3 &amp; &lt;BẾN&gt; &quot;ĐÁ&quot;" in xml
    assert "Xã Số 3, ngày" in xml and "Xã Số 1, ngày" not in xml
    assert "Nguyễn Văn 3<" in xml and "Nguyễn Văn 1<" not in xml
    assert zipfile.ZipFile(io.BytesIO(s.data)).testzip() is None


def test_text_using_the_unit_is_rendered_in_full():
    base = load_file(EXAMPLES / "001-kh-ubnd-nq27.yaml")
    base.data["mo_dau"] = [*base.data.get("mo_dau", []), "{{ don_vi.ten_goi }} triển khai như sau:"] \
        if isinstance(base.data.get("mo_dau"), list) else "{{ don_vi.ten_goi }} triển khai như sau:"
    stamped, compared = run_both(base, UNITS[:4])
    assert stamped == 0 and compared == 4


def test_overrides_are_rendered_in_full():
    base = load_file(EXAMPLES / "001-kh-ubnd-nq27.yaml")
    stamped, _ = run_both(base, UNITS[:4], overrides={"dv-2": {"so": 77}})
    assert stamped == 2          # dv-1 is the reference, dv-2 has an override


def test_a_wrong_stamp_is_caught_and_dropped(monkeypatch):
    """If stamping ever disagreed with the full path, the first comparison drops it."""
    base = load_file(EXAMPLES / "001-kh-ubnd-nq27.yaml")
    job = batch.Job(base, reference_of(UNITS))
    stamper = stamp.Stamper(job)
    stamper.render(UNITS[0])
    class Broken(stamp.Renderer):
        def signature_block(self):
            return "<w:p/>"
    monkeypatch.setattr(stamp, "Renderer", Broken)          # the stamping only, not the full path
    s = stamper.render(UNITS[1])
    assert not s.stamped and s.data == batch.render_unit(job, UNITS[1])[0]
    assert stamper.refs["nha_nuoc"] is None and not stamper.render(UNITS[3]).stamped


def test_pinned_fields_stay_the_documents():
    """hang_loat.giu_nguyen keeps the document's own co_quan and signer for every unit."""
    base = load_file(EXAMPLES / "001-kh-ubnd-nq27.yaml")
    base.data["hang_loat"] = {"giu_nguyen": ["co_quan", "ky"]}
    stamped, compared = run_both(base, UNITS[:8])
    assert compared == 8 and stamped >= 5
    job = batch.Job(base, reference_of(UNITS[:3]))
    s = stamp.Stamper(job)
    s.render(UNITS[0])
    xml = zipfile.ZipFile(io.BytesIO(s.render(UNITS[2]).data)).read("word/document.xml").decode("utf-8")
    assert "Xã Số 3, ngày" in xml and "XÃ SỐ 3" not in xml and "Nguyễn Văn 3" not in xml


def test_a_new_shape_of_issuer_is_compared_again(monkeypatch):
    """A stamp wrong only for units without cấp trên is caught at the first such unit."""
    base = load_file(EXAMPLES / "001-kh-ubnd-nq27.yaml")
    job = batch.Job(base, reference_of(UNITS))
    stamper = stamp.Stamper(job)
    assert not stamper.render(UNITS[0]).stamped          # the reference
    assert stamper.render(UNITS[1]).stamped              # same shape: compared once, stamped

    class WrongWithoutCapTren(stamp.Renderer):
        def header_table(self):
            xml = super().header_table()
            return xml if self.doc.agency.cap_tren else xml.replace("XÃ SỐ", "XA SO")
    monkeypatch.setattr(stamp, "Renderer", WrongWithoutCapTren)
    assert stamper.render(UNITS[10]).stamped             # shape already compared
    s = stamper.render(UNITS[3])                         # cap_tren=None: a new shape, compared, dropped
    assert not s.stamped and s.data == batch.render_unit(job, UNITS[3])[0]
