"""The `vbtool` command. Help and messages are in Vietnamese.

Every command validates before it writes, writes atomically, and turns every
expected failure into a `FILE:LINE:COL: field: message` line and exit code 1:
a clerk never sees a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .loader import InputError, Problem

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _fail(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(str(p), err=True)
    sys.exit(1)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="vbtool", message="vbtool %(version)s")
def main() -> None:
    """vbtool: soạn Kế hoạch, Báo cáo theo thể thức NĐ 30/2020/NĐ-CP (nhà nước)
    và HD 36-HD/VPTW (Đảng) từ tệp YAML."""


@main.command("new", context_settings=CONTEXT)
@click.argument("loai", type=click.Choice(["ke-hoach", "bao-cao"]), metavar="LOẠI")
@click.option("--the-thuc", "the_thuc", type=click.Choice(["nha-nuoc", "dang"]), default="nha-nuoc",
              show_default=True, help="Thể thức: nha-nuoc (NĐ 30) hoặc dang (HD 36).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp YAML sẽ tạo (mặc định: drafts/<loại>-<thể thức>.yaml).")
def new_cmd(loai: str, the_thuc: str, output: Path | None) -> None:
    """Tạo khung YAML có chú thích cho một văn bản mới (LOẠI: ke-hoach, bao-cao).

    Khung tạo ra hợp lệ ngay và dựng được thành .docx. Không bao giờ ghi đè
    tệp đã có."""
    from .skeleton import skeleton
    from .package import write_atomic
    output = output or Path("drafts") / f"{loai}-{the_thuc}.yaml"
    if output.exists():
        click.echo(f"{output}: tệp đã tồn tại, không ghi đè. Hãy chọn tên khác với -o.", err=True)
        sys.exit(1)
    import os
    from .schema import SCHEMA_DIR
    schema = os.path.relpath(SCHEMA_DIR / "van-ban.schema.json", output.resolve().parent)
    text = skeleton(loai.replace("-", "_"), the_thuc.replace("-", "_"), schema=schema)
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"Đã tạo {output}")


@main.command("validate", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TỆP...")
@click.option("--strict", is_flag=True, help="Coi cảnh báo (chỗ còn để trống cần điền) là lỗi.")
def validate_cmd(files: tuple[Path, ...], strict: bool) -> None:
    """Kiểm tra tệp YAML; in mỗi lỗi một dòng TỆP:DÒNG:CỘT: trường: thông báo."""
    from .document import load_document
    failed = False
    for f in files:
        try:
            doc = load_document(f)
        except InputError as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            failed = True
            continue
        for w in doc.warnings:
            click.echo(str(w), err=True)
        if strict and doc.warnings:
            failed = True
        else:
            rest = f" (còn {len(doc.warnings)} chỗ cần điền)" if doc.warnings else ""
            click.echo(f"{f}: hợp lệ{rest}")
    sys.exit(1 if failed else 0)


@main.command("render", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar="TỆP")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp .docx sẽ ghi (mặc định: out/<tên tệp>.docx).")
@click.option("--pdf", is_flag=True, help="Ghi thêm tệp PDF bên cạnh (cần LibreOffice).")
def render_cmd(file: Path, output: Path | None, pdf: bool) -> None:
    """Kiểm tra rồi dựng TỆP YAML thành .docx (ghi nguyên tử: không bao giờ để lại tệp dở)."""
    from .document import load_document, to_docx
    from .package import write_atomic
    output = output or Path("out") / f"{file.stem}.docx"
    if output.suffix.lower() != ".docx":
        click.echo(f"{output}: tệp kết quả phải có đuôi .docx", err=True)
        sys.exit(1)
    if output.resolve() == file.resolve():
        click.echo(f"{output}: không được ghi đè lên tệp nguồn", err=True)
        sys.exit(1)
    try:
        doc = load_document(file)
    except InputError as exc:
        _fail(exc.problems)
    if doc.warnings:
        click.echo(f"{file}: cảnh báo: còn {len(doc.warnings)} chỗ cần điền [[…]] (xem: vbtool validate {file})",
                   err=True)
    write_atomic(output, to_docx(doc))
    click.echo(f"Đã ghi {output}")
    if pdf:
        from .pdf import PdfError, convert_one
        try:
            click.echo(f"Đã ghi {convert_one(output)}")
        except PdfError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
