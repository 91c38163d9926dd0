"""The package writer: the shipped prepared template is docxtpl's, filling it equals Jinja2's
rendering, and the zip it writes opens in zipfile, python-docx and LibreOffice."""
from __future__ import annotations

import io
import json
import random
import subprocess
import zipfile

import docx
import markupsafe
import pytest
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import EXAMPLES
from vbtool import zipwrite
from vbtool.document import load_document, to_docx
from vbtool.package import TEMPLATE, Fill, Raw, Template, _escape, prepared_path
from vbtool.render import Rendered

ENV = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
NASTY = ["", "a", "&<>\"'", "Kế hoạch \"số 5\" & <phụ lục> 'A'", "{{ x }}", "\n", "đ" * 300, "&amp;", "]]>"]


def test_shipped_prepared_template_is_docxtpls():
    shipped = json.loads(prepared_path(TEMPLATE).read_text(encoding="utf-8"))["parts"]
    with zipfile.ZipFile(TEMPLATE) as z:
        assert sorted(shipped) == ["docProps/core.xml", "word/document.xml"]
        for name, entry in shipped.items():
            xml = z.read(name).decode("utf-8")
            assert entry["xml"] == xml, f"{name}: run python tools/make_template.py --prepare-only"
            assert entry["prepared"] == DocxTemplate.patch_xml(None, xml)
    assert "{{ noi_dung }}" in shipped["word/document.xml"]["prepared"]


@pytest.mark.parametrize("value", NASTY)
def test_escape_is_markupsafes(value):
    assert _escape(value) == str(markupsafe.escape(value))
    assert _escape(Raw(value)) == value


def test_fill_equals_jinja_on_the_template_parts():
    shipped = json.loads(prepared_path(TEMPLATE).read_text(encoding="utf-8"))["parts"]
    rng = random.Random(3)
    for entry in shipped.values():
        source = entry["prepared"]
        fill = Fill(source)
        assert fill.jinja is None                       # plain substitution, no Jinja2
        for _ in range(50):
            context = {"noi_dung": Raw(rng.choice(NASTY) + "<w:p/>"), "tieu_de": rng.choice(NASTY)}
            jinja_context = {"noi_dung": markupsafe.Markup(context["noi_dung"]), "tieu_de": context["tieu_de"]}
            assert fill.render(context) == ENV.from_string(source).render(jinja_context)


@pytest.mark.parametrize("source", [
    "a{{ x }}b\n", "a{{x}}b\n\n", "{{ x }}", "x", "a{% if x %}y{% endif %}", "a{{ x|upper }}", "a\r\nb{{ x }}",
    "{# c #}{{ x }}", "a {{- x }} b",
])
def test_fill_equals_jinja_on_other_sources(source):
    for value in NASTY:
        assert Fill(source).render({"x": value}) == ENV.from_string(source).render({"x": value})


def test_zip_opens_everywhere_and_holds_the_parts():
    data = to_docx(load_document(EXAMPLES / "001-kh-ubnd-nq27.yaml"))
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.testzip() is None
    with zipfile.ZipFile(TEMPLATE) as t:
        assert z.namelist() == t.namelist()            # same parts, same order ([Content_Types].xml first)
    assert all(i.compress_type == zipfile.ZIP_DEFLATED and i.date_time == (2024, 1, 1, 0, 0, 0)
               for i in z.infolist())
    d = docx.Document(io.BytesIO(data))
    assert d.core_properties.title.startswith("Kế hoạch Thực hiện Nghị quyết")
    assert any(p.text.startswith("I. MỤC ĐÍCH") for p in d.paragraphs)


def test_same_document_same_bytes_and_reused_members():
    doc = load_document(EXAMPLES / "101-bc-stp-pbgdpl-2024.yaml")
    t = Template(TEMPLATE)
    first = t.build(Rendered("<w:p/>", {}), "A")
    again = t.build(Rendered("<w:p/>", {}), "A")
    assert first == again
    assert to_docx(doc) == to_docx(doc)


def test_changed_template_is_prepared_again_with_docxtpl(tmp_path):
    copy = tmp_path / "mau.docx"
    with zipfile.ZipFile(TEMPLATE) as zin, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":       # Word splits the tag into runs
                data = data.replace(b"<w:t>{{p noi_dung }}</w:t>",
                                    b"<w:t>{{p noi_</w:t></w:r><w:r><w:t>dung }}</w:t>")
            zout.writestr(item, data)
    assert not prepared_path(copy).exists()
    rendered = Rendered('<w:p><w:r><w:t>x</w:t></w:r></w:p>', {})
    a = zipfile.ZipFile(io.BytesIO(Template(copy).build(rendered, "T & U")))
    b = zipfile.ZipFile(io.BytesIO(Template(TEMPLATE).build(rendered, "T & U")))
    assert a.read("word/document.xml") == b.read("word/document.xml")
    assert b"<dc:title>T &amp; U</dc:title>" in a.read("docProps/core.xml")


def test_member_names_and_sizes():
    m = zipwrite.member("word/ả.xml", b"x" * 1000, 1)
    data = zipwrite.archive([m])
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.namelist() == ["word/ả.xml"] and z.read("word/ả.xml") == b"x" * 1000
    assert z.infolist()[0].compress_size < 100


def test_libreoffice_opens_a_stamped_batch_document(tmp_path):
    from vbtool import batch, stamp
    from vbtool.loader import load_file
    from vbtool.registry import Registry, Unit
    units = [Unit(id=f"xa-{i}", ten=f"Ủy ban nhân dân xã Số {i}", ky_hieu="UBND", dia_danh=f"Xã Số {i}",
                  the_thuc="nha_nuoc", nhom=["g"], cap_tren="UBND huyện Tuy Phong",
                  ky={"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": f"Nguyễn Văn {i}"})
             for i in (1, 2)]
    job = batch.Job(load_file(EXAMPLES / "101-bc-stp-pbgdpl-2024.yaml"), Registry({u.id: u for u in units}, {}, []))
    stamper = stamp.Stamper(job)
    stamper.render(units[0])
    s = stamper.render(units[1])
    assert s.stamped
    out = tmp_path / "xa-2.docx"
    out.write_bytes(s.data)
    subprocess.run(["soffice", "--headless", "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=120)
    text = (tmp_path / "xa-2.txt").read_text(encoding="utf-8-sig")
    assert "XÃ SỐ 2" in text and "Xã Số 2, ngày" in text and "Nguyễn Văn 2" in text
    assert "Số 1" not in text
