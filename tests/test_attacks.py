"""The adversarial table of issue 9: every attack that once got through, as a test.

Each case generates its input, runs the command a clerk would run (in a child
process under an address-space limit, so that a regression fails with
MemoryError instead of swapping the machine), and asserts the outcome: the
exit code, the Vietnamese message naming file and line, no traceback, the
files on disk, and a time budget. The time and peak memory of every child are
collected and the slowest case is printed at the end of the module.

What held in the trial stays covered here too: YAML tags never built, the
sandbox refusing ``__class__``, ``../`` zip members never extracted.
"""
from __future__ import annotations

import io
import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from vbtool import batch, expr, registry, safezip
from vbtool.cli import main
from vbtool.expr import ExprError, expand
from vbtool.loader import InputError

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MB = 1024 * 1024
MEMORY_LIMIT = 1536 * MB          # address space of each child: a regression fails instead of swapping
TRACEBACK = "Traceback (most recent call last)"

# --------------------------------------------------------------------------- running a command


@dataclass
class Run:
    rc: int
    out: str
    err: str
    seconds: float
    peak_mb: float


STATS: list[tuple[str, float, float]] = []      # (case, seconds, peak MB)

_WRAP = textwrap.dedent("""\
    import atexit, json, resource, sys, time
    t0 = time.perf_counter()
    def _stats():
        me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        sys.stderr.write("\\n@@STATS " + json.dumps([time.perf_counter() - t0, max(me, kids) / 1024]) + "\\n")
    atexit.register(_stats)
    sys.argv = ["vbtool"] + sys.argv[1:]
    from vbtool.cli import main
    main()
""")


def _limit(memory: int):
    def apply():
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        value = memory if hard == resource.RLIM_INFINITY else min(memory, hard)   # CI may cap us already
        resource.setrlimit(resource.RLIMIT_AS, (value, value))
    return apply


def vbtool(case: str, *args, cwd: Path, memory: int = MEMORY_LIMIT, timeout: float = 120,
           env: dict | None = None) -> Run:
    """Run `vbtool ARGS` in a child under a memory limit; record its time and peak memory."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _WRAP, *map(str, args)], cwd=cwd, capture_output=True,
                          timeout=timeout, preexec_fn=_limit(memory), env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - start
    err = proc.stderr.decode("utf-8", "replace")
    peak = 0.0
    if "@@STATS " in err:
        err, _, stats = err.rpartition("\n@@STATS ")
        seconds, peak = json.loads(stats)
    STATS.append((case, seconds, peak))
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), err, seconds, peak)


@pytest.fixture(scope="module", autouse=True)
def report_slowest(request):
    yield
    if STATS:
        case, seconds, peak = max(STATS, key=lambda s: s[1])
        heaviest = max(STATS, key=lambda s: s[2])
        line = (f"attacks: {len(STATS)} runs; slowest case {case}: {seconds:.2f} s, peak {peak:.0f} MB; "
                f"heaviest {heaviest[0]}: {heaviest[2]:.0f} MB")
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print("\n" + line)


def no_traceback(r: Run) -> None:
    assert TRACEBACK not in r.err and TRACEBACK not in r.out, r.err[-2000:]


# --------------------------------------------------------------------------- inputs

DOC = """\
loai: ke_hoach
the_thuc: nha_nuoc
co_quan: {{ten: Ủy ban nhân dân, ky_hieu: UBND}}
so: null
ngay: 2024
dia_danh: Bình Thuận
trich_yeu: Tổ chức Ngày Pháp luật năm 2024
noi_dung:
  - muc: Nhiệm vụ
    noi_dung:
      - {para}
ky: {{chuc_vu: Chủ tịch, ho_ten: Người ký}}
noi_nhan: [UBND tỉnh]
luu: [VT]
"""


def doc(para: str) -> str:
    return DOC.format(para=para)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def docx_text(path: Path) -> str:
    """All w:t text of document.xml; parsing it also proves the XML is well-formed."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p"))


BATCH_DOC = doc('"{{ don_vi.ten_goi }} tổ chức hội nghị."').replace(
    "trich_yeu: Tổ chức Ngày Pháp luật năm 2024", "trich_yeu: Tổ chức Ngày Pháp luật tại {{ don_vi.ten_goi }}")

LONG = "UBND xã " + "Tân Thành Đông Nam Bộ Cộng Hòa " * 6          # > 120 characters, > 255 bytes


def commune(uid: str, ten: str, province: str | None, **extra) -> str:
    fields = {"id": uid, "ten": ten, "ky_hieu": "UBND", "dia_danh": "Tân Thành", "the_thuc": "nha_nuoc",
              "nhom": ["xa"], **({"thuoc": province} if province else {}), **extra}
    return "  - " + json.dumps(fields, ensure_ascii=False) + "\n"


def national_registry(tmp_path: Path) -> Path:
    """Three provinces with a "UBND xã Tân Thành" each, "a/b" and "a_b", two long names
    equal in their first 120 characters (and over 255 bytes), a commune called "CON"."""
    text = "nhom:\n  - {id: xa, cum_tu: [UBND các xã]}\n  - {id: tinh, cum_tu: [UBND các tỉnh]}\ndon_vi:\n"
    for pid, place in (("gia-lai", "Gia Lai"), ("long-an", "Long An"), ("ca-mau", "Cà Mau")):
        text += ("  - " + json.dumps({"id": pid, "ten": f"Ủy ban nhân dân tỉnh {place}", "ky_hieu": "UBND",
                                      "dia_danh": place, "the_thuc": "nha_nuoc", "nhom": ["tinh"]},
                                     ensure_ascii=False) + "\n")
        text += commune(f"tan-thanh-{pid}", "Ủy ban nhân dân xã Tân Thành", pid, ten_goi="UBND xã Tân Thành",
                        ky_hieu=f"UBND-{pid.upper()}")
    text += commune("ab-1", "a/b", None)
    text += commune("ab-2", "a_b", None)
    text += commune("dai-1", LONG + "Một", "gia-lai")
    text += commune("dai-2", LONG + "Hai", "gia-lai")
    text += commune("con", "CON", None)
    return write(tmp_path / "dv.yaml", text)


# =========================================================================== High 1: batch names


def test_h1_batch_units_never_overwrite_each_other(tmp_path):
    reg = national_registry(tmp_path)
    write(tmp_path / "kh.yaml", BATCH_DOC)
    r = vbtool("h1-batch-national", "batch", "kh.yaml", "--danh-muc", reg, "--nhom", "UBND các xã", "-o", "ra",
               "-j", "2", cwd=tmp_path)
    no_traceback(r)
    assert r.rc == 0, r.err
    assert "Đã dựng 8/8 văn bản" in r.out
    files = sorted(p.name for p in (tmp_path / "ra").iterdir())
    assert len(files) == 8 and len({f.casefold() for f in files}) == 8
    # the naming scheme: a shared name gets the place of the unit above it, else the unit id
    for place in ("Gia Lai", "Long An", "Cà Mau"):
        assert f"UBND xã Tân Thành ({place}).docx" in files
    assert "a_b (ab-1).docx" in files and "a_b (ab-2).docx" in files
    longs = [f for f in files if f.startswith("UBND xã Tân Thành Đông")]
    assert len(longs) == 2 and all(len(f.encode()) <= 205 for f in longs)
    assert {f.rsplit("(", 1)[1] for f in longs} == {"dai-1).docx", "dai-2).docx"}
    assert "CON_.docx" in files                        # a name Windows reserves
    # each file is the unit's own version, not a namesake's
    for place, pid in (("Gia Lai", "gia-lai"), ("Long An", "long-an"), ("Cà Mau", "ca-mau")):
        text = docx_text(tmp_path / "ra" / f"UBND xã Tân Thành ({place}).docx")
        assert "UBND xã Tân Thành tổ chức hội nghị." in text and f"/KH-UBND-{pid.upper()}" in text
    assert "Một" in docx_text(tmp_path / "ra" / next(f for f in longs if "dai-1" in f))
    # the clerk is told which names were changed, and why
    assert "Lưu ý: 7 đơn vị trùng tên tệp" in r.err and "tan-thanh-gia-lai → UBND xã Tân Thành (Gia Lai).docx" in r.err


def test_h1_slug_and_id_names_are_distinct_too(tmp_path):
    reg = registry.load(national_registry(tmp_path))
    ids = batch.select_units(reg, "UBND các xã")
    for naming in ("slug", "id", "ten"):
        names = batch.plan_names(reg, ids, naming).names
        assert len({n.casefold() for n in names.values()}) == len(ids) == 8, naming
    slugs = batch.plan_names(reg, ids, "slug").names
    assert slugs["tan-thanh-ca-mau"] == "ubnd-xa-tan-thanh-ca-mau"


def test_h1_jobs_capped_by_cpus_and_units():
    assert batch.effective_jobs(400, 33) == min(os.cpu_count() or 1, 33)
    assert batch.effective_jobs(400, 1) == 1 and batch.effective_jobs(0, 10) == 1


# =========================================================================== High 2: XML 1.0


@pytest.mark.parametrize("case,para,code", [
    ("expr-nul", "'Tỷ lệ {{ 1 ~ \"\\x00\" }}'", "U+0000"),       # the expression makes the character
    ("yaml-fffe", '"Tỷ lệ \\uFFFE đạt"', "U+FFFE"),
    ("yaml-ffff", '"Tỷ lệ \\uFFFF đạt"', "U+FFFF"),
    ("yaml-surrogate", '"\\uD800"', "U+D800"),
    ("expr-vt", "'{{ 1 ~ \"\\x0b\" }}'", "U+000B"),
])
def test_h2_illegal_xml_characters_are_refused_with_location(tmp_path, case, para, code):
    write(tmp_path / "kh.yaml", doc(para))
    r = vbtool(f"h2-{case}", "validate", "kh.yaml", cwd=tmp_path)
    no_traceback(r)
    assert r.rc == 1 and "hợp lệ" not in r.out
    assert "kh.yaml:11:9: noi_dung[0].noi_dung[0]:" in r.err and code in r.err, r.err
    r = vbtool(f"h2-{case}-render", "render", "kh.yaml", "-o", "kh.docx", cwd=tmp_path)
    assert r.rc == 1 and not (tmp_path / "kh.docx").exists()


def csv_registry(tmp_path: Path, rows: str, header: str = "id,ten,ky_hieu,dia_danh,the_thuc,nhom") -> Path:
    (tmp_path / "xa.csv").write_bytes((header + "\n" + rows).encode("utf-8"))
    return write(tmp_path / "dv.yaml", "nhom:\n  - {id: xa, cum_tu: [UBND các xã]}\ndon_vi_csv: [xa.csv]\n")


def test_h2_registry_csv_cell_with_control_character(tmp_path):
    reg = csv_registry(tmp_path, "xa-1,UBND xã A,UBND,A,nha_nuoc,xa\nxa-2,UBND xã \x01B,UBND,B,nha_nuoc,xa\n")
    write(tmp_path / "kh.yaml", BATCH_DOC)
    r = vbtool("h2-registry-csv", "batch", "kh.yaml", "--danh-muc", reg, "-o", "ra", cwd=tmp_path)
    no_traceback(r)
    assert r.rc == 1 and f"xa.csv:3:2: ten: có ký tự U+0001" in r.err, r.err
    assert not (tmp_path / "ra").exists()


def test_h2_override_csv_cell_with_control_character(tmp_path):
    reg = csv_registry(tmp_path, "xa-1,UBND xã A,UBND,A,nha_nuoc,xa\n")
    write(tmp_path / "kh.yaml", BATCH_DOC)
    (tmp_path / "gd.csv").write_bytes("id,so,ngay\nxa-1,12\x0b,2024-03-01\n".encode())
    r = vbtool("h2-ghi-de-csv", "batch", "kh.yaml", "--danh-muc", reg, "--ghi-de", "gd.csv", "-o", "ra", cwd=tmp_path)
    no_traceback(r)
    assert r.rc == 1 and "gd.csv:2:2: so: có ký tự U+000B" in r.err, r.err
    assert not (tmp_path / "ra").exists()


def test_h2_writer_guard_refuses_non_xml_whatever_the_path(tmp_path):
    """A text that reached the model without the loader (a future code path) is still refused."""
    from vbtool.document import load_document_text, to_docx
    d = load_document_text(doc("Bình thường."), "kh.yaml")
    d.subject = "Tiêu đề \ufffe lạ"          # as if a new input path forgot the check
    with pytest.raises(InputError) as e:
        to_docx(d)
    assert "U+FFFE" in str(e.value) and str(e.value).startswith("kh.yaml:1:1:")


# =========================================================================== High 3: expressions


EXPRESSION_BOMBS = [
    ("power-tower", "{{ 1 and ((((9**64)**64)**64)**64)**64 }}", "quá lớn"),
    ("percent-width", "{{ 1 ~ '%0999999999d' % 1 }}", "độ rộng định dạng quá lớn"),
    ("format-filter", "{{ 1 ~ '%0999999999d'|format(1) }}", "không dùng được bộ lọc \"format\""),
    ("str-format", "{{ 1 ~ '{:0999999999}'.format(1) }}", "không dùng được hàm format()"),
    ("center", "{{ 1 ~ 'x'|center(10**9) }}", "không dùng được bộ lọc \"center\""),
    ("ljust", "{{ 1 ~ 'x'.ljust(10**9) }}", "không dùng được hàm ljust()"),
    ("indent", "{{ 1 ~ 'x'|indent(1000000) }}", "không dùng được bộ lọc \"indent\""),
    ("lipsum", "{{ 1 ~ lipsum(1000000) }}", "không có trường này (lipsum)"),
    ("range", "{{ 1 ~ range(100000)|join }}", "không dùng được bộ lọc \"join\""),
    ("repeat-nested", "{{ 1 ~ ('x' * 1000) * 1000 }}", "lặp chuỗi quá nhiều lần"),
    ("list-repeat", "{{ 1 ~ ([1] * 1000) * 1000 }}", "lặp chuỗi quá nhiều lần"),
    ("int-product", "{{ 1 ~ (9**64) * (9**64) * (9**64) }}", "quá lớn"),
    ("so-dem-width", "{{ so_dem(1, 10**9) }}", "do_rong quá lớn"),
    ("ty-le-digits", "{{ ty_le(1, 3, 10**8) }}", "chu_so_thap_phan quá lớn"),
    ("so-chu-huge", "{{ so_chu(10**60) }}", "số quá lớn"),
    ("class", "{{ 1 ~ so_lieu.__class__ }}", "không"),
]


_EXPAND = textwrap.dedent("""\
    import sys, time
    from vbtool.expr import ExprError, expand
    t0 = time.perf_counter()
    try:
        expand(sys.argv[1], {"so_lieu": {}, "don_vi": None})
        print("EVALUATED")
    except ExprError as exc:
        print(exc)
    print(time.perf_counter() - t0)
""")


@pytest.mark.parametrize("case,expression,message", EXPRESSION_BOMBS, ids=[c[0] for c in EXPRESSION_BOMBS])
def test_h3_expression_bounds_hold_before_the_work(case, expression, message):
    """Each bomb in a child under 512 MB and 20 s: a regression fails, it does not hang the suite."""
    proc = subprocess.run([sys.executable, "-c", _EXPAND, expression], capture_output=True, timeout=20,
                          preexec_fn=_limit(512 * MB))
    out = proc.stdout.decode("utf-8").splitlines()
    assert proc.returncode == 0 and message in out[0], (out, proc.stderr[-500:])
    assert float(out[1]) < 0.5


def test_h3_expression_bombs_in_a_file_under_a_memory_limit(tmp_path):
    text = doc('"Mở đầu."').replace("      - \"Mở đầu.\"\n", "".join(
        f"      - \"{e.replace(chr(92), chr(92) * 2)}\"\n" for _, e, _ in EXPRESSION_BOMBS if '"' not in e))
    write(tmp_path / "kh.yaml", text)
    r = vbtool("h3-all-bombs-validate", "validate", "kh.yaml", cwd=tmp_path, memory=768 * MB, timeout=60)
    no_traceback(r)
    assert r.rc == 1 and r.err.count("kh.yaml:") == len(EXPRESSION_BOMBS)
    assert r.seconds < 10


def test_h3_wall_clock_limit(monkeypatch):
    monkeypatch.setattr(expr, "TIME_LIMIT", 0.2)

    def slow():
        while True:
            time.sleep(0.01)
    start = time.perf_counter()
    with pytest.raises(expr._Timeout):
        expr._with_time_limit(slow)
    assert time.perf_counter() - start < 1


def test_h3_what_documents_need_still_works():
    ctx = {"so_lieu": {"dat": 1487, "tong": 1611, "ten": "xã a"}, "don_vi": None}
    assert expand("{{ ty_le(so_lieu.dat, so_lieu.tong) }}; {{ so_lieu.ten | upper }}; {{ 2 ** 10 }};"
                  " {{ so_lieu.dat | round(-2) | int }}; {{ 1 ~ 'ab' * 3 }}", ctx) == "92,3%; XÃ A; 1024; 1500; 1ababab"


# =========================================================================== High 4: decompression bombs


def docx_bomb(path: Path, body: bytes, method: int = zipfile.ZIP_DEFLATED, flag: int = 0) -> Path:
    """A package Word's readers would take for a .docx, with `body` as the inside of w:body."""
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             b'wordprocessingml.document.main+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = method
        z.writestr(info, b'<?xml version="1.0"?><w:document xmlns:w="' + W[1:-1].encode() + b'"><w:body>'
                   + body + b"</w:body></w:document>")
    if flag:   # set the flag in both headers, as an encrypting zip tool would
        data = bytearray(path.read_bytes())
        name = b"word/document.xml"
        for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            i = 0
            while (i := data.find(sig, i)) >= 0:
                name_at = i + (30 if sig == b"PK\x03\x04" else 46)
                if data[name_at:name_at + len(name)] == name:
                    data[i + off] |= flag
                i += 4
        path.write_bytes(bytes(data))
    return path


BOMBS = {
    # 60 MB of XML just under the old 64 MB part limit, ~60 KB on disk
    "size": lambda p: docx_bomb(p, b"<w:p/>" * (60 * MB // 6)),
    # 12 MB, under the part limit, but two million elements
    "elements": lambda p: docx_bomb(p, b"<w:p/>" * (12 * MB // 6)),
    "encrypted": lambda p: docx_bomb(p, b"<w:p/>", flag=0x1),
    "bzip2": lambda p: docx_bomb(p, b"<w:p/>", method=zipfile.ZIP_BZIP2),
}
BOMB_MESSAGES = {"size": "quá lớn khi giải nén", "elements": "quá nhiều phần tử XML", "encrypted": "được mã hóa",
                 "bzip2": "nén theo cách không hỗ trợ"}


@pytest.mark.parametrize("kind", sorted(BOMBS))
@pytest.mark.parametrize("command", ["check", "import"])
def test_h4_decompression_bombs_refused_before_parsing(tmp_path, kind, command):
    bomb = BOMBS[kind](tmp_path / "bom.docx")
    assert bomb.stat().st_size < 200_000
    args = [command, bomb] + (["-o", tmp_path / "bom.yaml"] if command == "import" else [])
    r = vbtool(f"h4-{command}-{kind}", *args, cwd=tmp_path, memory=768 * MB, timeout=60)
    no_traceback(r)
    assert r.rc != 0 and BOMB_MESSAGES[kind] in r.err, r.err
    assert r.seconds < 15 and r.peak_mb < 400
    assert not (tmp_path / "bom.yaml").exists()


def test_h4_real_sized_document_still_reads():
    """The element limit leaves room: 100,000 paragraphs with runs (~300 pages) pass."""
    buf = io.BytesIO()
    body = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 100_000
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document><w:body>" + body + b"</w:body></w:document>")
    with zipfile.ZipFile(buf) as z:
        assert len(safezip.read_member(z, "word/document.xml")) > 3 * MB


def fake_tool(tmp_path: Path, name: str, python: str) -> dict:
    """A stand-in for an external tool, put first on PATH (the bomb behaviour of a crafted input)."""
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    tool = bindir / name
    tool.write_text(f"#!{sys.executable}\n" + textwrap.dedent(python))
    tool.chmod(0o755)
    return {"PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}


MEMORY_HOG = """\
import os, sys
try:
    block = bytearray(3 * 1024 ** 3)         # more than our 2 GB cap (a crafted PDF took 23 GB in the trial)
except MemoryError:
    os.abort()                              # a C++ tool dies on std::bad_alloc
open(sys.argv[-1], "w").write("KẾ HOẠCH\\n")
"""


def test_h4_pdftotext_runs_under_a_memory_limit(tmp_path):
    env = fake_tool(tmp_path, "pdftotext", MEMORY_HOG)
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    r = vbtool("h4-pdftotext-memory", "import", "a.pdf", "-o", "a.yaml", cwd=tmp_path, env=env,
               memory=8 * 1024 ** 3, timeout=60)
    no_traceback(r)
    assert r.rc == 1 and "pdftotext vượt giới hạn bộ nhớ" in r.err, r.err
    assert not (tmp_path / "a.yaml").exists()


def test_h4_pdftotext_timeout_scales_with_input(tmp_path, monkeypatch):
    from vbtool import importer
    env = fake_tool(tmp_path, "pdftotext", "import time\ntime.sleep(60)\n")
    monkeypatch.setenv("PATH", env["PATH"])
    small = tmp_path / "a.pdf"
    small.write_bytes(b"%PDF-1.4\n" + b"x" * 1000)
    assert safezip.scaled_timeout(small) == pytest.approx(20, abs=0.1)
    big = tmp_path / "b.pdf"
    big.write_bytes(b"x" * (5 * MB))
    assert safezip.scaled_timeout(big) == pytest.approx(120, abs=0.1)
    monkeypatch.setattr(safezip, "scaled_timeout", lambda path: 1.0)
    start = time.perf_counter()
    with pytest.raises(importer.ImportFailure) as e:
        importer.pdf_text(small)
    assert "pdftotext chạy quá 1 giây" in str(e.value) and time.perf_counter() - start < 5


def test_h4_soffice_runs_under_a_memory_limit(tmp_path, monkeypatch):
    from vbtool import pdf
    env = fake_tool(tmp_path, "soffice", MEMORY_HOG)
    monkeypatch.setenv("PATH", env["PATH"])
    monkeypatch.setattr(pdf, "SOFFICE_MEMORY", 512 * MB)
    res = pdf._run_soffice(str(tmp_path / "bin" / "soffice"), tmp_path / "p", tmp_path, [tmp_path / "x.docx"], 30)
    assert not res.ok and "SIGABRT" in res.reason


# =========================================================================== Medium 5: linear scans

TWO_MB = 2 * MB - 4096       # the largest paragraph a YAML file within the 2 MB limit can hold


@pytest.mark.parametrize("case,unit", [("open-placeholder", "[["), ("open-expression", "{{"),
                                       ("emphasis-openers", "**a *"), ("emphasis-mixed", "***a **b *c "),
                                       ("expression-and-placeholder", "{{ x [[ "), ("escapes", "\\* ")])
def test_m5_validate_2mb_paragraph_is_linear(tmp_path, case, unit):
    para = (unit * (TWO_MB // len(unit)))[:TWO_MB]
    write(tmp_path / "kh.yaml", doc("'" + para.replace("'", "''") + "'"))
    assert (tmp_path / "kh.yaml").stat().st_size <= 2 * MB
    r = vbtool(f"m5-validate-{case}", "validate", "kh.yaml", cwd=tmp_path, timeout=120)
    no_traceback(r)
    assert r.rc == 0, r.err[-500:]
    assert r.seconds < 30, r.seconds          # quadratic: ~70 s at 100 KB, hours at 2 MB


def test_m5_render_2mb_emphasis_is_linear(tmp_path):
    """Openers of one length, closers of another: each closer once searched the whole stack."""
    para = "**a " * (TWO_MB // 8) + "b* " * (TWO_MB // 6)
    write(tmp_path / "kh.yaml", doc("'" + para + "'"))
    r = vbtool("m5-render-emphasis", "render", "kh.yaml", "-o", "kh.docx", cwd=tmp_path, timeout=120)
    no_traceback(r)
    assert r.rc == 0 and r.seconds < 40
    assert docx_text(tmp_path / "kh.docx").count("**a ") == TWO_MB // 8


def test_m5_import_2mb_text_is_linear(tmp_path):
    """One paragraph wrapped over thousands of lines and pages (the joiner once rescanned it)."""
    line = "và tiếp tục nội dung"
    lines = []
    while sum(map(len, lines)) < 2 * MB // 1.2:    # Vietnamese: ~1.2 bytes per character
        lines += [line] * 20 + ["\f"]
    text = "ỦY BAN NHÂN DÂN\nTỈNH X\nKẾ HOẠCH\nVề việc thử\nI. MỤC ĐÍCH\n" + "\n".join(lines) + "\n"
    write(tmp_path / "a.txt", text)
    assert (tmp_path / "a.txt").stat().st_size > 2 * MB
    r = vbtool("m5-import-2mb", "import", "a.txt", "-o", "a.yaml", cwd=tmp_path, timeout=300)
    no_traceback(r)
    assert r.rc == 0, r.err[-500:]
    assert r.seconds < 120


def test_m5_placeholder_and_expression_scanners_match_the_regexes():
    import random
    import re
    from vbtool.document import PLACEHOLDER, find_placeholders
    rnd = random.Random(9)
    for _ in range(5000):
        t = "".join(rnd.choice("[]{}a\n ") for _ in range(rnd.randint(0, 30)))
        assert find_placeholders(t) == [m.group(1) for m in PLACEHOLDER.finditer(t)], t
        assert [x[2] for x in expr.find_expressions(t)] == [m.group(1) for m in re.finditer(r"\{\{(.*?)\}\}", t, re.S)], t


# =========================================================================== Medium 6: import is literal


def test_m6_import_keeps_braces_literal(tmp_path):
    import docx
    d = docx.Document()
    for t in ("ỦY BAN NHÂN DÂN", "TỈNH X", "KẾ HOẠCH", "Về việc thử", "I. MỤC ĐÍCH",
              "Tỷ lệ đạt {{ 2+2 }} phần trăm.", "Chia {{ 1/0 }} cho không.", "Đã có \\{{ so_lieu.x }} sẵn."):
        d.add_paragraph(t)
    d.save(tmp_path / "a.docx")
    r = vbtool("m6-import-braces", "import", "a.docx", "-o", "a.yaml", cwd=tmp_path)
    no_traceback(r)
    assert r.rc == 0, r.err
    r = vbtool("m6-render-braces", "render", "a.yaml", "-o", "a2.docx", cwd=tmp_path)
    assert r.rc == 0, r.err
    text = docx_text(tmp_path / "a2.docx")
    assert "Tỷ lệ đạt {{ 2+2 }} phần trăm." in text and "Chia {{ 1/0 }} cho không." in text
    assert "Đã có \\{{ so_lieu.x }} sẵn." in text


# =========================================================================== Medium 7: no tracebacks


# libyaml composes 500 levels, and the converter names the first node past the limit (the
# 101st "[", the key at line 102); PyYAML's pure-Python composer runs out of stack first: 1:1.
_LIBYAML = hasattr(yaml, "CSafeLoader")

YAML_TRAPS = [
    ("nested-flow-500", "a: " + "[" * 500 + "]" * 500 + "\n", ":1:104:" if _LIBYAML else ":1:1:",
     "lồng nhau quá sâu"),
    ("nested-block-500", "".join("  " * i + f"k{i}:\n" for i in range(500)) + "  " * 500 + "x: 1\n",
     ":102:203:" if _LIBYAML else ":1:1:", "lồng nhau quá sâu"),
    ("nested-flow-5000", "a: " + "[" * 5000 + "]" * 5000 + "\n", ":1:1:", "lồng nhau quá sâu"),
    ("tag-foo", "loai: !foo bar\n", ":1:1: loai:", "không dùng thẻ YAML !foo"),
    ("tag-int", "so: !!int abc\n", ":1:1: so:", "giá trị \"abc\" không đúng kiểu !!int"),
    ("tag-timestamp", "ngay: !!timestamp abc\n", ":1:1: ngay:", "không dùng thẻ YAML !!timestamp"),
    ("int-5000", "so: " + "9" * 5000 + "\n", ":1:1: so:", "số quá lớn"),
    ("int-4000", "so: " + "9" * 4000 + "\n", ":1:1: so:", "số quá lớn"),
    ("surrogate", 'trich_yeu: "\\uD800"\n', ":1:1: trich_yeu:", "U+D800"),
    ("python-object", "a: !!python/object/apply:os.system [echo pwned]\n", ":1:1: a:", "không dùng thẻ YAML"),
]


@pytest.mark.parametrize("case,text,where,message", YAML_TRAPS, ids=[c[0] for c in YAML_TRAPS])
@pytest.mark.parametrize("command", ["validate", "render"])
def test_m7_yaml_traps_get_a_located_message(tmp_path, case, text, where, message, command):
    write(tmp_path / "kh.yaml", text)
    r = vbtool(f"m7-{command}-{case}", command, "kh.yaml", cwd=tmp_path, memory=768 * MB)
    no_traceback(r)
    assert r.rc == 1 and f"kh.yaml{where}" in r.err and message in r.err, r.err
    assert not (tmp_path / "out").exists()


def test_m7_4000_digit_figure_fails_at_validate_not_render(tmp_path):
    write(tmp_path / "kh.yaml", doc('"{{ so_lieu.x | so }}"').replace("noi_dung:\n", "so_lieu: {x: " + "9" * 4000
                                                                         + "}\nnoi_dung:\n", 1))
    r = vbtool("m7-validate-int-4000", "validate", "kh.yaml", cwd=tmp_path)
    assert r.rc == 1 and "so_lieu.x: số quá lớn" in r.err


def test_m7_registry_csv_not_utf8(tmp_path):
    reg = csv_registry(tmp_path, "")
    (tmp_path / "xa.csv").write_bytes("id,ten,ky_hieu,dia_danh,the_thuc,nhom\nxa-1,UBND xa Ân,UBND,A,nha_nuoc,xa\n"
                                      .encode("cp1258"))
    write(tmp_path / "kh.yaml", BATCH_DOC)
    r = vbtool("m7-registry-cp1258", "batch", "kh.yaml", "--danh-muc", reg, "-o", "ra", cwd=tmp_path)
    no_traceback(r)
    assert r.rc == 1 and "xa.csv:2:1: tệp CSV không phải mã UTF-8" in r.err, r.err


def test_m7_zip_slip_member_is_never_extracted(tmp_path):
    """Held in the trial: a `../` member is read as a name, never written anywhere."""
    bomb = docx_bomb(tmp_path / "a.docx", "<w:p><w:r><w:t>Xin chào</w:t></w:r></w:p>".encode())
    with zipfile.ZipFile(bomb, "a") as z:
        z.writestr("../../evil.txt", b"pwned")
    (tmp_path / "w").mkdir()
    r = vbtool("m7-zip-slip", "import", bomb, "-o", "a.yaml", cwd=tmp_path / "w")
    no_traceback(r)
    assert not (tmp_path.parent / "evil.txt").exists() and not (tmp_path / "evil.txt").exists()


# =========================================================================== Medium 8: unbounded reads


@pytest.mark.parametrize("command", ["validate", "render", "check"])
def test_m8_dev_zero_is_refused_without_reading_it_all(tmp_path, command):
    r = vbtool(f"m8-{command}-dev-zero", command, "/dev/zero", cwd=tmp_path, memory=768 * MB, timeout=30)
    no_traceback(r)
    assert r.rc != 0 and ("quá lớn" in r.err or "không phải" in r.err), r.err
    assert r.seconds < 10 and r.peak_mb < 400


def test_m8_csv_from_a_device_is_read_bounded():
    from vbtool import csvfile
    start = time.perf_counter()
    with pytest.raises(InputError) as e:
        csvfile.read_rows(Path("/dev/zero"))
    assert "/dev/zero:1:1: tệp CSV quá lớn" in str(e.value) and time.perf_counter() - start < 5


# =========================================================================== Medium 9: CSV as spreadsheets write it


@pytest.mark.parametrize("dialect", ["comma-crlf-bom", "semicolon"])
def test_m9_registry_csv_multiline_cell(tmp_path, dialect):
    sep = ";" if dialect == "semicolon" else ","
    eol = "\r\n" if "crlf" in dialect else "\n"
    rows = [["id", "ten", "ten_dau", "ky_hieu", "dia_danh", "the_thuc", "nhom"],
            ["xa-a1", "UBND xã A1", "ỦY BAN NHÂN DÂN\r\nXÃ A1", "UBND", "A1", "nha_nuoc", "xa"],
            ["xa-a2", "UBND xã A2; có chấm phẩy", "ỦY BAN NHÂN DÂN\nXÃ A2", "UBND", "A2", "nha_nuoc", "xa"]]
    text = eol.join(sep.join(f'"{c}"' if ("\n" in c or sep in c) else c for c in row) for row in rows) + eol
    (tmp_path / "xa.csv").write_bytes(("\ufeff" if "bom" in dialect else "").encode() + text.encode("utf-8"))
    write(tmp_path / "dv.yaml", "nhom:\n  - {id: xa, cum_tu: [UBND các xã]}\ndon_vi_csv: [xa.csv]\n")
    reg = registry.load(tmp_path / "dv.yaml")
    assert reg.units["xa-a1"].ten_dau == "ỦY BAN NHÂN DÂN\nXÃ A1"
    assert reg.units["xa-a2"].ten == "UBND xã A2; có chấm phẩy"
    write(tmp_path / "kh.yaml", BATCH_DOC)
    r = vbtool(f"m9-batch-{dialect}", "batch", "kh.yaml", "--danh-muc", "dv.yaml", "-o", "ra", cwd=tmp_path)
    assert r.rc == 0, r.err
    import docx
    header = docx.Document(tmp_path / "ra" / "UBND xã A1.docx").tables[0].rows[0].cells[0].text
    assert header.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "XÃ A1"]


def test_m9_row_line_numbers_count_multiline_cells(tmp_path):
    reg = csv_registry(tmp_path, 'xa-1,"UBND\nxã A",UBND,A,nha_nuoc,xa\nxa-2,UBND xã B,UBND,B,nha_nuocc,xa\n')
    with pytest.raises(InputError) as e:
        registry.load(reg)
    assert ":4:1:" in str(e.value) and "nha_nuocc" in str(e.value)


# =========================================================================== Low


def test_low_duplicate_group_id_is_an_error(tmp_path):
    write(tmp_path / "dv.yaml", "nhom:\n  - {id: a, cum_tu: [X]}\n  - {id: a, cum_tu: [Y]}\n"
                                "don_vi:\n  - {id: u, ten: U, ky_hieu: U, dia_danh: D, the_thuc: nha_nuoc, nhom: [a]}\n")
    with pytest.raises(InputError) as e:
        registry.load(tmp_path / "dv.yaml")
    assert "dv.yaml:3:" in str(e.value) and "mã nhóm \"a\" bị trùng" in str(e.value)


def test_low_long_vietnamese_names_cut_by_bytes(tmp_path):
    reg = registry.load(national_registry(tmp_path))
    name = batch.safe_name(reg.units["dai-1"], "ten")
    assert len(name.encode()) <= batch.MAX_NAME_BYTES and name.startswith("UBND xã Tân Thành Đông")
    name.encode().decode("utf-8")


def test_low_stale_tmp_files_cleaned_with_a_note(tmp_path):
    reg = csv_registry(tmp_path, "xa-1,UBND xã A,UBND,A,nha_nuoc,xa\n")
    write(tmp_path / "kh.yaml", BATCH_DOC)
    (tmp_path / "ra").mkdir()
    stale = tmp_path / "ra" / ".UBND xã A.docx.abc123.tmp"
    fresh = tmp_path / "ra" / ".UBND xã B.docx.def456.tmp"
    stale.write_bytes(b"PK half")
    fresh.write_bytes(b"PK being written")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    r = vbtool("low-stale-tmp", "batch", "kh.yaml", "--danh-muc", reg, "-o", "ra", cwd=tmp_path)
    assert r.rc == 0 and "Đã xóa 1 tệp tạm (.tmp) còn sót lại" in r.err
    assert not stale.exists() and fresh.exists()


def test_low_full_disk_stops_with_one_line(tmp_path, monkeypatch):
    import errno
    text = "".join(f"xa-{i},UBND xã {i},UBND,A,nha_nuoc,xa\n" for i in range(30))
    reg = csv_registry(tmp_path, text)
    write(tmp_path / "kh.yaml", BATCH_DOC)
    calls = []

    def full(path, data):
        calls.append(path)
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr(batch, "write_atomic", full)
    r = CliRunner().invoke(main, ["batch", str(tmp_path / "kh.yaml"), "--danh-muc", str(reg), "-o",
                                  str(tmp_path / "ra")])
    assert r.exit_code == 1 and len(calls) == 1
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert lines == [f"{tmp_path / 'ra'}: dừng lại vì hết chỗ trên đĩa; các tệp đã ghi xong vẫn nguyên vẹn,"
                     " không có tệp nào ghi dở."]


def test_low_two_batches_into_one_folder(tmp_path):
    reg = csv_registry(tmp_path, "xa-1,UBND xã A,UBND,A,nha_nuoc,xa\n")
    write(tmp_path / "kh.yaml", BATCH_DOC)
    fd = batch.lock_outdir(tmp_path / "ra")
    try:
        r = vbtool("low-concurrent", "batch", "kh.yaml", "--danh-muc", reg, "-o", "ra", cwd=tmp_path)
    finally:
        os.close(fd)
    assert r.rc == 1 and "một lệnh vbtool batch khác đang ghi vào thư mục này" in r.err
    assert list((tmp_path / "ra").iterdir()) == []
    r = vbtool("low-after-lock", "batch", "kh.yaml", "--danh-muc", reg, "-o", "ra", cwd=tmp_path)
    assert r.rc == 0


def test_low_killing_the_batch_parent_leaves_no_worker_and_no_traceback(tmp_path):
    text = "".join(f"xa-{i},UBND xã {i},UBND,A,nha_nuoc,xa\n" for i in range(3000))
    reg = csv_registry(tmp_path, text)
    write(tmp_path / "kh.yaml", BATCH_DOC)
    err = open(tmp_path / "err.txt", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "vbtool.cli", "batch", "kh.yaml", "--danh-muc", str(reg), "-o",
                             "ra", "-j", "2"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err,
                            start_new_session=True, preexec_fn=_limit(MEMORY_LIMIT))
    deadline = time.time() + 60
    while time.time() < deadline and not any((tmp_path / "ra").glob("*.docx")):
        time.sleep(0.1)
    assert any((tmp_path / "ra").glob("*.docx")), "the batch did not start"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("workers outlived their parent")
    err.close()
    assert TRACEBACK not in (tmp_path / "err.txt").read_text(encoding="utf-8", errors="replace")
