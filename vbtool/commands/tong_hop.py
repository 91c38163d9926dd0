"""`vbtool tong-hop`: the click command around ``vbtool.merge``."""
from __future__ import annotations

from pathlib import Path

import click

from ..loader import InputError
from .report_from import CONTEXT, check_output, fail, load_plan


@click.command("tong-hop", context_settings=CONTEXT)
@click.argument("plan", type=click.Path(path_type=Path), metavar="KẾ_HOẠCH.yaml")
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="BÁO_CÁO...")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Tệp YAML sẽ tạo: dự thảo báo cáo tổng hợp.")
@click.option("--danh-muc", "registry_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Danh mục đơn vị: nhận ra đơn vị gửi báo cáo, xếp theo thứ tự danh mục.")
@click.option(
    "--nhom", "group", metavar="NHÓM", help="Nhóm đơn vị phải báo cáo (cần --danh-muc): liệt kê đơn vị chưa báo cáo."
)
@click.option("--nam", "year", type=int, metavar="NĂM", help="Năm của báo cáo (mặc định: năm nay).")
def tong_hop_cmd(plan: Path, reports: tuple[Path, ...], output: Path, registry_path: Path | None,
                 group: str | None, year: int | None) -> None:
    """Tổng hợp báo cáo của các đơn vị về một Kế hoạch thành dự thảo báo cáo chung.

    BÁO_CÁO là tệp YAML của vbtool, hoặc .docx, .pdf (đọc bằng vbtool import).
    Số liệu (so_lieu) cùng tên được cộng lại (tỷ lệ được tính lại từ tử số và
    mẫu số), kèm phụ lục số liệu từng đơn vị và dòng tổng cộng; kết quả từng
    nhiệm vụ của các đơn vị được ghép dưới nhiệm vụ đó, có tên đơn vị ở đầu.
    Báo cáo không hợp lệ, không dẫn Kế hoạch này hoặc trùng đơn vị: báo lỗi,
    không ghi tệp nào. Không bao giờ ghi đè tệp đã có."""
    from .. import merge
    from ..package import write_atomic
    from ..report import dump
    check_output(output, (".yaml", ".yml"))
    if group and not registry_path:
        fail(["--nhom cần danh mục đơn vị: thêm --danh-muc TỆP.yaml"])
    doc = load_plan(plan)
    reg, ids = None, None
    if registry_path is not None:
        from .. import registry
        from ..batch import select_units
        try:
            reg = registry.load(registry_path)
            ids = select_units(reg, group) if group else None
        except InputError as exc:
            fail(exc.problems)
    try:
        merged = merge.merge(doc, list(reports), reg, ids, year)
    except merge.MergeError as exc:
        fail([*exc.lines, "Không ghi tệp nào."])
    for w in merged.warnings:
        click.echo(f"cảnh báo: {w}", err=True)
    text = dump(merged.data, output, [
        f"Dự thảo Báo cáo tổng hợp kết quả thực hiện {doc.citation()},",
        f"lập bằng `vbtool tong-hop {plan}` từ {len(merged.reports)} báo cáo của các đơn vị.",
        "Kết quả của từng đơn vị được ghép dưới mỗi nhiệm vụ, có tên đơn vị ở đầu: hãy tổng hợp, viết gọn lại;",
        "số liệu (so_lieu) là tổng của các đơn vị, chi tiết ở phụ lục. Điền các chỗ [[…]], rồi kiểm tra:",
        "vbtool validate --strict TỆP.yaml"])
    write_atomic(output, text.encode("utf-8"))
    summed = sum(1 for f in merged.figures if f.kind in ("so", "ty_le"))
    click.echo(f"Đã tạo {output} (tổng hợp {len(merged.reports)} báo cáo, {summed} số liệu)")
    if ids is not None:
        if merged.missing_units:
            click.echo(f"Còn {len(merged.missing_units)}/{len(ids)} đơn vị chưa báo cáo: "
                       + ", ".join(merged.missing_units))
        else:
            click.echo(f"Đủ báo cáo của {len(ids)}/{len(ids)} đơn vị trong nhóm.")
