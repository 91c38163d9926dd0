"""`vbtool preview`: the command around vbtool.pdf.preview."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..loader import InputError
from ..pdf import PREVIEW_DPI, PdfError, preview


@click.command("preview", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", type=click.Path(path_type=Path), metavar="TỆP")
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out") / "xem-truoc", show_default=True,
              help="Thư mục ghi tệp PDF và ảnh PNG từng trang.")
@click.option("--dpi", type=click.IntRange(20, 300), default=PREVIEW_DPI, show_default=True,
              help="Độ phân giải ảnh PNG.")
def preview_cmd(file: Path, outdir: Path, dpi: int) -> None:
    """Xem trước TỆP (.yaml hoặc .docx): ghi PDF và ảnh PNG từng trang vào thư mục -o.

    Tệp YAML được kiểm tra rồi dựng thành .docx trước (cần LibreOffice và poppler-utils)."""
    try:
        pdf, pages = preview(file, outdir, dpi=dpi)
    except InputError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except PdfError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"Đã ghi {pdf}")
    click.echo(f"Đã ghi {len(pages)} ảnh PNG ({dpi} dpi): {pages[0].name} … {pages[-1].name}"
               if len(pages) > 1 else f"Đã ghi 1 ảnh PNG ({dpi} dpi): {pages[0].name}")
