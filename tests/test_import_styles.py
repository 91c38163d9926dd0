"""`vbtool import` and `vbtool check` read formatting the same way: bold from a style is bold for both."""
from __future__ import annotations

import docx
from docx.enum.style import WD_STYLE_TYPE

from vbtool.importer import read_docx
from vbtool.ooxml.read import Styles


def make(path):
    d = docx.Document()
    heading = d.styles.add_style("MucLon", WD_STYLE_TYPE.PARAGRAPH)
    heading.font.bold = True
    strong = d.styles.add_style("Manh", WD_STYLE_TYPE.CHARACTER)
    strong.font.bold = True
    d.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU", style="MucLon")          # bold only through the paragraph style
    d.add_paragraph("Nội dung thường của kế hoạch.")
    p = d.add_paragraph()
    p.add_run("Nhấn mạnh bằng kiểu ký tự", style="Manh")              # bold only through a character style
    p = d.add_paragraph(style="MucLon")
    p.add_run("Hai lần đậm là không đậm", style="Manh")               # toggle: paragraph bold + character bold
    d.save(path)
    return path


def test_import_reads_bold_from_styles(tmp_path):
    lines = {x.text: x for x in read_docx(make(tmp_path / "kieu.docx")).lines if x.text}
    assert lines["I. MỤC ĐÍCH, YÊU CẦU"].bold and lines["I. MỤC ĐÍCH, YÊU CẦU"].heading
    assert not lines["Nội dung thường của kế hoạch."].bold
    assert lines["Nhấn mạnh bằng kiểu ký tự"].bold
    assert not lines["Hai lần đậm là không đậm"].bold


def test_import_and_check_share_the_reader():
    import vbtool.check.flatten as flatten
    import vbtool.importer as importer
    assert importer.Styles is Styles and flatten.Styles is Styles
