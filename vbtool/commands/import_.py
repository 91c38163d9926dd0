"""`vbtool import`: the click command around ``vbtool.importer`` (imported only when the command runs)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar="TỆP")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp YAML sẽ ghi (mặc định: drafts/<tên tệp>.yaml).")
@click.option("--force", is_flag=True, help="Cho phép ghi đè tệp YAML đã có.")
def import_cmd(file: Path, output: Path | None, force: bool) -> None:
    """Nhập Kế hoạch, Báo cáo có sẵn (TỆP .docx, .pdf hoặc .txt trích từ PDF) thành tệp YAML của vbtool.

    Đọc thông tin đầu văn bản, mục và nhiệm vụ theo đánh số, các dòng Chủ trì,
    Phối hợp, Thời gian…, Nơi nhận, chữ ký, chú thích và bảng phụ lục. Chỗ
    thiếu để [[…]]; dòng không xếp được in thành cảnh báo kèm số dòng. Không ghi
    đè tệp đã có (dùng --force)."""
    from ..importer import ImportFailure, import_file, yaml_for
    from ..package import write_atomic
    output = output or Path("drafts") / f"{file.stem}.yaml"
    if output.suffix.lower() not in (".yaml", ".yml"):
        click.echo(f"{output}: tệp kết quả phải có đuôi .yaml", err=True)
        sys.exit(1)
    if output.exists() and not force:
        click.echo(f"{output}: tệp đã tồn tại, không ghi đè. Dùng --force để ghi đè hoặc chọn tên khác với -o.",
                   err=True)
        sys.exit(1)
    if output.exists() and file.exists() and output.resolve() == file.resolve():
        click.echo(f"{output}: không được ghi đè lên tệp nguồn", err=True)
        sys.exit(1)
    try:
        imported = import_file(file)
        text = yaml_for(imported, output)
    except ImportFailure as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    for w in sorted(imported.warnings, key=lambda p: p.line):
        click.echo(str(w), err=True)
    write_atomic(output, text.encode("utf-8"))
    holes = imported.placeholders()
    click.echo(f"Đã ghi {output} ({len(imported.warnings)} cảnh báo, {holes} chỗ cần điền [[…]])")
