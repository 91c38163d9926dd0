"""`vbtool serve` driven through a real headless Chromium (Debian's chromium, Playwright).

The clerk's path: create a plan from a skeleton through the form only, see a
validation error come and go, see the live pages show the new text, save,
download the .docx, and check that the saved YAML renders to the same .docx with
`vbtool render`. Then: open an example, edit it in the YAML tab, and see the form
follow; unsaved edits come back from the autosave file.

Screenshots: with VBTOOL_SCREENSHOTS=1 the run writes docs/img/serve-*.png (the
README shows them); otherwise they go to the test's temp folder.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from playwright.sync_api import expect, sync_playwright

from conftest import EXAMPLES, ROOT, Rendered
from serve_support import CHROMIUM, CHROMIUM_ARGS, Server

TIMEOUT = 90_000   # ms; the preview runs LibreOffice on a busy 2-core machine
expect.set_options(timeout=30_000)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("ho-so")
    shutil.copytree(ROOT / "drafts" / "don-vi", root / "don-vi")
    (root / "mau").mkdir()
    shutil.copy(EXAMPLES / "001-kh-ubnd-nq27.yaml", root / "mau" / "001-kh-ubnd-nq27.yaml")
    return root


@pytest.fixture(scope="module")
def server(folder):
    with Server(folder) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    assert os.path.exists(CHROMIUM), "Debian's chromium is required (.ci/run installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="vi-VN")
    pg = ctx.new_page()
    pg.set_default_timeout(TIMEOUT)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    # the page runs under a strict Content-Security-Policy: a violation would break it in real use
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Content Security Policy" in m.text
          else None)
    yield pg
    ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(pg, tmp_path, name: str) -> None:
    # every edit checked and its pages shown, every page image loaded
    pg.wait_for_function("""() => document.body.dataset.busy === '0'
        && [...document.querySelectorAll('#pages img, #thumbs img')].every(i => i.complete && i.naturalWidth > 0)
        && document.querySelectorAll('#pages img').length > 0""", timeout=TIMEOUT)
    target = ROOT / "docs" / "img" / name if os.environ.get("VBTOOL_SCREENSHOTS") else tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(target))
    assert target.stat().st_size > 20_000      # a real picture, not a blank page


def field(pg, path: str):
    return pg.locator(f'#panel-form :is(input, textarea, select)[data-path="{path}"]')


def pick_unit(pg, path: str, typed: str, expected: str) -> None:
    """Type in a unit picker without diacritics, check the first suggestion, take it with Enter."""
    box = pg.locator(f'#panel-form input[role=combobox][data-path="{path}"]')
    box.click()
    box.type(typed)
    first = pg.locator(f'#{box.get_attribute("aria-controls")} li').first
    expect(first).to_contain_text(expected)
    box.press("Enter")
    expect(pg.locator(f'#panel-form .picker[data-path="{path}"] .chip')).to_contain_text([expected])


def wait_valid(pg) -> None:
    expect(pg.locator("#badge-errors")).to_have_text("Hợp lệ")


def wait_preview_contains(pg, text: str) -> str:
    """Wait until the pages of the latest edit are shown and their text contains ``text``."""
    pg.wait_for_function("() => document.body.dataset.busy === '0'", timeout=TIMEOUT)
    pg.wait_for_function("t => document.querySelector('#preview-text').textContent.replace(/\\s+/g, ' ').includes(t)",
                         arg=text, timeout=TIMEOUT)
    return pg.locator("#preview-text").text_content()


def test_create_plan_through_the_form(server, page, folder, tmp_path):
    pg = page
    pg.goto(server.url)
    expect(pg.locator("#dlg-start")).to_be_visible()
    pg.select_option("#new-loai", "ke_hoach")
    pg.select_option("#new-the-thuc", "nha_nuoc")
    pg.click("#btn-new")
    expect(field(pg, "trich_yeu")).to_be_visible()

    # header fields
    field(pg, "trich_yeu").fill("Phổ biến, giáo dục pháp luật năm 2025")
    # a validation error appears at its field as the user types, and goes away when fixed
    field(pg, "co_quan.ky_hieu").fill("S TP")
    err = pg.locator('#panel-form [data-err="co_quan.ky_hieu"]')
    expect(err).to_have_text('giá trị "S TP" không đúng dạng')
    expect(pg.locator("#badge-errors")).to_have_text("1 lỗi")
    expect(field(pg, "co_quan.ky_hieu")).to_have_attribute("aria-invalid", "true")
    field(pg, "co_quan.ky_hieu").fill("STP")
    expect(err).to_have_text("")
    wait_valid(pg)
    field(pg, "trich_yeu").fill("")
    expect(pg.locator('#panel-form [data-err="trich_yeu"]')).to_have_text("không được để trống")
    field(pg, "trich_yeu").fill("Phổ biến, giáo dục pháp luật năm 2025")
    expect(pg.locator('#panel-form [data-err="trich_yeu"]')).to_have_text("")

    # two new sections at the end of the body (the skeleton has three)
    top_add = pg.locator('#panel-form .group[data-path="noi_dung"] > .addbar')
    top_add.get_by_role("button", name="+ Mục", exact=True).click()
    top_add.get_by_role("button", name="+ Mục", exact=True).click()
    field(pg, "noi_dung[3].muc").fill("Tuyên truyền pháp luật về đất đai")
    field(pg, "noi_dung[3].noi_dung[0]").fill("Phổ biến Luật Đất đai năm 2024 đến cán bộ và Nhân dân.")
    field(pg, "noi_dung[4].muc").fill("Hòa giải ở cơ sở")
    field(pg, "noi_dung[4].noi_dung[0]").fill("Củng cố tổ hòa giải ở thôn, khu phố.")

    # three tasks with units taken from the registry (typed without diacritics)
    def add_task(section: int, index: int, text: str, lead: tuple[str, str], partner: tuple[str, str], when: str):
        card = pg.locator(f'#panel-form .node[data-path="noi_dung[{section}]"] > .addbar')
        card.get_by_role("button", name="+ Nhiệm vụ con").click()
        p = f"noi_dung[{section}].noi_dung[{index}]"
        field(pg, f"{p}.nhiem_vu").fill(text)
        pick_unit(pg, f"{p}.chu_tri", *lead)
        pg.locator(f'#panel-form .node[data-path="{p}"] select.addfield').select_option("phoi_hop")
        pick_unit(pg, f"{p}.phoi_hop", *partner)
        field(pg, f"{p}.thoi_gian").fill(when)

    add_task(3, 1, "Tổ chức hội nghị trực tuyến giới thiệu Luật Đất đai.", ("so tu phap", "Sở Tư pháp"),
             ("cong an tinh", "Công an tỉnh"), "Quý II năm 2025.")
    add_task(3, 2, "Biên soạn tài liệu hỏi đáp về bồi thường, hỗ trợ, tái định cư.", ("so tu phap", "Sở Tư pháp"),
             ("ubnd cac huyen", "UBND các huyện, thị xã, thành phố"), "Tháng 6 năm 2025.")
    add_task(4, 1, "Tập huấn kỹ năng hòa giải cho hòa giải viên.", ("phan thiet", "UBND thành phố Phan Thiết"),
             ("so tu phap", "Sở Tư pháp"), "Năm 2025.")
    # move the second task up and back down with the keyboard-reachable buttons
    pg.get_by_role("button", name="Đưa nhiệm vụ 4.3 lên").click()
    expect(field(pg, "noi_dung[3].noi_dung[1].nhiem_vu")).to_have_value(re.compile("^Biên soạn tài liệu"))
    pg.get_by_role("button", name="Đưa nhiệm vụ 4.2 xuống").click()
    expect(field(pg, "noi_dung[3].noi_dung[1].nhiem_vu")).to_have_value(re.compile("^Tổ chức hội nghị"))
    wait_valid(pg)

    # the live pages show the new text, in the order of the form after the moves
    text = wait_preview_contains(pg, "Tập huấn kỹ năng hòa giải cho hòa giải viên.")
    pg.locator('#panel-form .node[data-path="noi_dung[3].noi_dung[1]"]').scroll_into_view_if_needed()
    shot(pg, tmp_path, "serve-editor.png")
    text = pg.locator("#preview-text").text_content()
    assert flat(text).index("Tổ chức hội nghị trực tuyến") < flat(text).index("Biên soạn tài liệu hỏi đáp")
    assert "HÒA GIẢI Ở CƠ SỞ" in text                      # level-1 heading, upper case on the page
    assert "Biên soạn tài liệu hỏi đáp" in flat(text)
    expect(pg.locator("#pages img")).not_to_have_count(0)
    expect(pg.locator("#thumbs button")).to_have_count(pg.locator("#pages img").count())
    count = pg.locator("#badge-ph").text_content()
    assert re.fullmatch(r"\[\[…\]\]: \d+", count) and int(count.split()[-1]) > 0

    # save (a new file: the name is asked for)
    pg.keyboard.press("Control+s")
    expect(pg.locator("#dlg-save")).to_be_visible()
    pg.fill("#save-name", "ke-hoach-pbgdpl-2025.yaml")
    pg.press("#save-name", "Enter")
    expect(pg.locator("#toast")).to_contain_text("Đã lưu ke-hoach-pbgdpl-2025.yaml")
    saved = folder / "ke-hoach-pbgdpl-2025.yaml"
    text_saved = saved.read_text(encoding="utf-8")
    assert text_saved.startswith("# Khung Kế hoạch theo thể thức NĐ 30/2020/NĐ-CP")   # the skeleton's comments stay
    assert "# cơ quan chủ quản / cấp trên trực tiếp" in text_saved
    data = yaml.safe_load(text_saved)
    sec4, sec5 = data["noi_dung"][3], data["noi_dung"][4]
    assert sec4["muc"] == "Tuyên truyền pháp luật về đất đai" and sec5["muc"] == "Hòa giải ở cơ sở"
    assert [t["chu_tri"] for t in sec4["noi_dung"][1:]] == [["Sở Tư pháp"], ["Sở Tư pháp"]]
    assert sec4["noi_dung"][2]["phoi_hop"] == ["UBND các huyện, thị xã, thành phố"]
    assert sec5["noi_dung"][1] == {"nhiem_vu": "Tập huấn kỹ năng hòa giải cho hòa giải viên.",
                                   "chu_tri": ["UBND thành phố Phan Thiết"], "thoi_gian": "Năm 2025.",
                                   "phoi_hop": ["Sở Tư pháp"]}
    assert data["co_quan"]["ky_hieu"] == "STP" and data["trich_yeu"] == "Phổ biến, giáo dục pháp luật năm 2025"
    assert not (folder / ".ke-hoach-pbgdpl-2025.yaml.tu-luu").exists()

    # download the .docx; `vbtool render` of the saved YAML gives the same bytes
    with pg.expect_download() as dl:
        pg.click("#btn-docx")
    downloaded = dl.value
    assert downloaded.suggested_filename == "ke-hoach-pbgdpl-2025.docx"
    got = open(downloaded.path(), "rb").read()
    out = tmp_path / "render.docx"
    proc = subprocess.run([sys.executable, "-m", "vbtool.cli", "render", str(saved), "-o", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == got
    paras = Rendered(got).paragraphs()
    body = "\n".join(paras)
    assert "Tổ chức hội nghị trực tuyến giới thiệu Luật Đất đai." in body
    i1 = body.index("TUYÊN TRUYỀN PHÁP LUẬT VỀ ĐẤT ĐAI")
    i2 = body.index("Tổ chức hội nghị trực tuyến")
    i3 = body.index("HÒA GIẢI Ở CƠ SỞ")
    i4 = body.index("Tập huấn kỹ năng hòa giải")
    assert i1 < i2 < i3 < i4
    assert "Sở Tư pháp" in body[i2:i3] and "Công an tỉnh" in body[i2:i3]


def test_open_example_edit_in_yaml_tab(server, page, folder, tmp_path):
    pg = page
    pg.goto(server.url)
    pg.get_by_role("button", name="mau/001-kh-ubnd-nq27.yaml").click()
    task = "noi_dung[1].noi_dung[1].noi_dung[0]"
    expect(field(pg, f"{task}.nhiem_vu")).to_have_value(re.compile("^Tích cực tham gia góp ý"))
    expect(pg.locator("#pages img").first).to_be_visible()
    shot(pg, tmp_path, "serve-preview.png")

    pg.click("#tab-yaml")
    original = pg.input_value("#yaml-text")
    assert original == (folder / "mau" / "001-kh-ubnd-nq27.yaml").read_text(encoding="utf-8")
    edited = original.replace("Tích cực tham gia góp ý việc xây dựng", "Chủ động tham gia góp ý việc xây dựng", 1)
    old_units = 'thuc_hien: [Các cơ quan chuyên môn thuộc UBND tỉnh, "UBND các huyện, thị xã, thành phố"]'
    assert edited.count(old_units) >= 2
    edited = edited.replace(old_units, "thuc_hien: [Sở Tư pháp, Công an tỉnh]", 1)
    # a syntax error first: the form says so, the old data is not lost
    pg.fill("#yaml-text", edited.replace("thoi_gian: Thường xuyên.", 'thoi_gian: "Thường xuyên.', 1))
    expect(pg.locator("#badge-errors")).to_have_text("1 lỗi")
    expect(pg.locator("#problem-list")).to_contain_text("lỗi cú pháp YAML")
    pg.fill("#yaml-text", edited)
    wait_valid(pg)
    pg.click("#tab-form")
    expect(field(pg, f"{task}.nhiem_vu")).to_have_value(re.compile("^Chủ động tham gia góp ý việc xây dựng"))
    chips = pg.locator(f'#panel-form .picker[data-path="{task}.thuc_hien"] .chip')
    expect(chips).to_have_count(2)
    expect(chips).to_contain_text(["Sở Tư pháp", "Công an tỉnh"])
    text = wait_preview_contains(pg, "Chủ động tham gia góp ý")
    assert "Tích cực tham gia góp ý" not in flat(text)               # the old wording is gone from the pages

    # and back: an edit in the form shows in the YAML, comments of the file kept
    field(pg, f"{task}.thoi_gian").fill("Hằng năm.")
    pg.click("#tab-yaml")
    expect(pg.locator("#yaml-text")).to_have_value(re.compile("thoi_gian: Hằng năm\\."))
    now = pg.input_value("#yaml-text")
    assert now.splitlines()[:6] == original.splitlines()[:6]          # the file's leading comments
    assert now.count("\n") == edited.count("\n")                       # nothing else reflowed

    # not saved: the edit sits in the side file and is offered back on reopen
    side = folder / "mau" / ".001-kh-ubnd-nq27.yaml.tu-luu"
    for _ in range(50):
        if side.exists() and "Hằng năm." in side.read_text(encoding="utf-8"):
            break
        pg.wait_for_timeout(200)
    assert "Chủ động tham gia góp ý" in side.read_text(encoding="utf-8")
    pg.once("dialog", lambda d: d.accept())
    pg.goto(server.url)
    pg.get_by_role("button", name="mau/001-kh-ubnd-nq27.yaml").click()
    expect(pg.locator("#autosave-banner")).to_be_visible()
    expect(field(pg, f"{task}.nhiem_vu")).to_have_value(re.compile("^Tích cực"))   # the file as saved
    pg.click("#btn-restore")
    expect(field(pg, f"{task}.nhiem_vu")).to_have_value(re.compile("^Chủ động"))
    expect(field(pg, f"{task}.thoi_gian")).to_have_value("Hằng năm.")
    assert (folder / "mau" / "001-kh-ubnd-nq27.yaml").read_text(encoding="utf-8") == original


def test_upload_then_derive_and_batch_by_unit(server, page, folder, tmp_path):
    pg = page
    pg.goto(server.url)
    big = tmp_path / "qua-lon.yaml"
    big.write_bytes(b"# " + b"x" * (2 * 1024 * 1024 + 10))
    pg.set_input_files("#file-upload", str(big))
    expect(pg.locator("#start-error")).to_contain_text("Tệp quá lớn")
    pg.set_input_files("#file-upload", str(EXAMPLES / "000-kh-bdvtu-nq27.yaml"))
    expect(pg.locator("#doc-name")).to_have_text("Văn bản mới (chưa lưu): 000-kh-bdvtu-nq27.yaml")
    expect(field(pg, "co_quan.ky_hieu")).to_have_value("BDVTU")
    assert not (folder / "000-kh-bdvtu-nq27.yaml").exists()      # nothing written before Lưu

    pg.click("#btn-derive")
    expect(pg.locator("#dlg-derive")).to_be_visible()
    pg.select_option("#derive-unit", "ban-dan-van-phan-thiet")
    expect(pg.locator("#derive-name")).to_have_value("000-kh-bdvtu-nq27-ban-dan-van-phan-thiet.yaml")
    pg.click("#btn-derive-ok")
    expect(pg.locator("#derive-msg")).to_contain_text("Đã tạo 000-kh-bdvtu-nq27-ban-dan-van-phan-thiet.yaml")
    child = yaml.safe_load((folder / "000-kh-bdvtu-nq27-ban-dan-van-phan-thiet.yaml").read_text(encoding="utf-8"))
    assert child["co_quan"]["ky_hieu"] == "BDVThU" and child["co_quan"]["cap_tren"] == "Thành ủy Phan Thiết"

    pg.select_option("#batch-group", "ban-dan-van-cap-huyen")
    pg.fill("#batch-dir", "ban-dan-van-huyen")
    pg.click("#btn-batch-ok")
    members = [u for u in yaml.safe_load((folder / "don-vi" / "binh-thuan.yaml").read_text(encoding="utf-8"))["don_vi"]
               if "ban-dan-van-cap-huyen" in u["nhom"]]
    n = len(members)
    expect(pg.locator("#batch-msg")).to_have_text(f"Đã dựng {n}/{n} văn bản vào ban-dan-van-huyen/.")
    expect(pg.locator("#batch-progress")).to_have_attribute("value", str(n))
    out = sorted((folder / "ban-dan-van-huyen").glob("*.docx"))
    assert len(out) == n == 10
    firsts = {Rendered(p.read_bytes()).paragraphs()[0] for p in out}
    assert len(firsts) == n


def test_indent_outdent_delete_undo_with_keyboard(server, page):
    pg = page
    pg.goto(server.url)
    pg.select_option("#new-loai", "bao_cao")
    pg.click("#btn-new")
    expect(field(pg, "trich_yeu")).to_be_visible()
    top_add = pg.locator('#panel-form .group[data-path="noi_dung"] > .addbar')
    top_add.get_by_role("button", name="+ Đoạn", exact=True).click()
    para = field(pg, "noi_dung[4]")
    expect(para).to_be_focused()                                     # focus follows the new paragraph
    pg.keyboard.type("Đoạn kết luận của báo cáo.")
    # indent into the section above (keyboard: focus the button, press Enter)
    pg.get_by_role("button", name="Thụt đoạn 5 vào mục ngay trên").focus()
    pg.keyboard.press("Enter")
    expect(field(pg, "noi_dung[3].noi_dung[1]")).to_have_value("Đoạn kết luận của báo cáo.")
    expect(pg.locator('#panel-form .node[data-path="noi_dung[4]"]')).to_have_count(0)
    pg.click("#tab-yaml")
    expect(pg.locator("#yaml-text")).to_have_value(re.compile(
        r"- muc: Kiến nghị, đề xuất\n    noi_dung:\n      - \"\[\[Kiến nghị\.\]\]\"\n      - Đoạn kết luận của báo cáo\."))
    pg.click("#tab-form")
    pg.get_by_role("button", name="Lùi đoạn 4.2 ra ngoài một cấp").click()
    expect(field(pg, "noi_dung[4]")).to_have_value("Đoạn kết luận của báo cáo.")
    pg.get_by_role("button", name="Xóa đoạn 5").click()
    expect(pg.locator('#panel-form .node[data-path="noi_dung[4]"]')).to_have_count(0)
    expect(pg.locator("#toast")).to_contain_text("Đã xóa đoạn 5.")
    pg.locator("#panel-form").click(position={"x": 5, "y": 5})
    pg.keyboard.press("Control+z")
    expect(field(pg, "noi_dung[4]")).to_have_value("Đoạn kết luận của báo cáo.")
