"""`vbtool theo-doi`: the click command around ``vbtool.tracking``."""
from __future__ import annotations

from pathlib import Path

import click

from ..loader import InputError
from .report_from import CONTEXT, check_output, fail, load_plan


@click.command("theo-doi", context_settings=CONTEXT)
@click.argument("plan", type=click.Path(path_type=Path), metavar="KẾ_HOẠCH.yaml")
@click.option("--danh-muc", "registry_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Danh mục đơn vị: mỗi đơn vị chủ trì một dòng (nhóm được tách thành từng đơn vị).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp .xlsx sẽ tạo (mặc định: drafts/theo-doi-<tên kế hoạch>.xlsx).")
def theo_doi_cmd(plan: Path, registry_path: Path | None, output: Path | None) -> None:
    """Lập bảng theo dõi thực hiện Kế hoạch (Excel .xlsx).

    Mỗi nhiệm vụ một dòng (với --danh-muc: mỗi nhiệm vụ × mỗi đơn vị chủ trì):
    STT, nhiệm vụ, chủ trì, phối hợp, thời hạn, sản phẩm, tiến độ (chọn trong
    danh sách), kết quả, số liệu, ghi chú. Ghi kết quả, số liệu vào bảng rồi đưa
    vào dự thảo báo cáo: vbtool report-from KẾ_HOẠCH.yaml --ket-qua BẢNG.xlsx.
    Không sửa, xóa hay đổi thứ tự các dòng. Không bao giờ ghi đè tệp đã có."""
    from .. import tracking
    from ..package import write_atomic
    output = output or Path("drafts") / f"theo-doi-{plan.stem}.xlsx"
    check_output(output, (".xlsx",))
    doc = load_plan(plan)
    reg = None
    if registry_path is not None:
        from .. import registry
        try:
            reg = registry.load(registry_path)
        except InputError as exc:
            fail(exc.problems)
    tracked = tracking.rows(doc, reg)
    write_atomic(output, tracking.workbook(doc, tracked))
    tasks = len({r.task for r in tracked})
    click.echo(f"Đã tạo {output} ({len(tracked)} dòng cho {tasks} nhiệm vụ)")
