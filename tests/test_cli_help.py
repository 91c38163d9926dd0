"""`vbtool --help` lists every command without importing the lazy ones, and says the same."""
from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from conftest import ROOT
from vbtool.cli import LazyGroup, main


def test_lazy_help_matches_each_command():
    ctx = click.Context(main)
    assert set(LazyGroup.LAZY_HELP) == set(LazyGroup.LAZY)
    for name, text in LazyGroup.LAZY_HELP.items():
        real = main.get_command(ctx, name)
        for limit in (20, 45, 70, 200):
            assert click.Command(name, help=text).get_short_help_str(limit) == real.get_short_help_str(limit), name


def test_help_lists_every_command_with_its_line():
    r = CliRunner().invoke(main, ["--help"])
    assert r.exit_code == 0
    lines = r.output.split("Lệnh:\n", 1)[1].splitlines()
    names = [line.split()[0] for line in lines if line.strip()]
    assert names == ["batch", "check", "derive", "don-vi", "import", "new", "preview", "render", "report-from", "serve",
                     "theo-doi", "tong-hop", "validate"]
    assert any(line.split()[0] == "report-from" and "Lập dự thảo Báo cáo kết quả" in line for line in lines)
    assert any(line.split()[0] == "check" and "Kiểm tra thể thức một tệp .docx" in line for line in lines)


def _imported(args: list[str]) -> set[str]:
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "vbtool.cli", *args], capture_output=True,
                       text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    return {line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines() if "|" in line}


def test_help_imports_no_command_module():
    mods = _imported(["--help"])
    assert "vbtool.clickvi" in mods          # the command module itself runs as __main__
    for heavy in ("vbtool.check", "vbtool.pdf", "vbtool.report", "vbtool.importer", "lxml", "jsonschema", "yaml"):
        assert heavy not in mods, heavy


def test_render_imports_no_docx_library(tmp_path):
    mods = _imported(["render", str(ROOT / "drafts" / "examples" / "001-kh-ubnd-nq27.yaml"), "-o",
                      str(tmp_path / "a.docx")])
    assert "vbtool.package" in mods
    for heavy in ("docx", "docxtpl", "jsonschema", "jinja2", "lxml"):
        assert heavy not in mods, heavy
    assert (tmp_path / "a.docx").stat().st_size > 5000
