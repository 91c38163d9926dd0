"""`vbtool report-from`: the click command around ``vbtool.report``."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..loader import InputError

CONTEXT = {"help_option_names": ["-h", "--help"]}


def fail(lines) -> None:
    for line in lines:
        click.echo(str(line), err=True)
    sys.exit(1)


def check_output(output: Path, suffixes: tuple[str, ...]) -> None:
    """Refuse a wrong extension or an existing file (a draft is never overwritten)."""
    if output.suffix.lower() not in suffixes:
        fail([f"{output}: tệp kết quả phải có đuôi {' hoặc '.join(suffixes)}"])
    if output.exists():
        fail([f"{output}: tệp đã tồn tại, không ghi đè. Hãy chọn tên khác với -o."])


def load_plan(plan: Path):
    """The plan's Document, or exit 1 with the problems (file, line, field)."""
    from ..document import load_document
    try:
        doc = load_document(plan)
    except InputError as exc:
        fail(exc.problems)
    if doc.kind != "ke_hoach":
        fail([doc.source.problem(("loai",), f"chỉ lập báo cáo từ một Kế hoạch (loai: ke_hoach), "
                                 f"tệp này là {doc.kind_name}")])
    return doc


@click.command("report-from", context_settings=CONTEXT)
@click.argument("plan", type=click.Path(path_type=Path), metavar="KẾ_HOẠCH.yaml")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp YAML sẽ tạo (mặc định: drafts/bc-<tên kế hoạch>.yaml).")
@click.option("--nam", "year", type=int, help="Năm của báo cáo (mặc định: năm nay).")
@click.option("--ket-qua", "workbook", type=click.Path(dir_okay=False, path_type=Path),
              help="Bảng theo dõi .xlsx (lập bằng vbtool theo-doi) đã ghi kết quả, số liệu: đưa vào dự thảo.")
def report_from_cmd(plan: Path, output: Path | None, year: int | None, workbook: Path | None) -> None:
    """Lập dự thảo Báo cáo kết quả thực hiện một Kế hoạch.

    Báo cáo có trích yếu và phần mở đầu dẫn số, ngày, nội dung của Kế hoạch;
    mục "Kết quả thực hiện các mục tiêu" (nếu Kế hoạch có mục tiêu) với số liệu
    chỉ tiêu; mục "Kết quả thực hiện các nhiệm vụ" có từng nhiệm vụ (số, nội
    dung, đơn vị được giao, thời gian, sản phẩm) và chỗ [[…]] để ghi kết quả,
    hoặc kết quả lấy từ bảng theo dõi (--ket-qua). Không bao giờ ghi đè tệp đã có."""
    from ..package import write_atomic
    from ..report import report_yaml, reportable_tasks
    output = output or Path("drafts") / f"bc-{plan.stem}.yaml"
    check_output(output, (".yaml", ".yml"))
    doc = load_plan(plan)
    findings, note = None, ""
    if workbook is not None:
        from ..tracking import TrackingError, read_results
        try:
            findings = read_results(workbook, doc)
        except TrackingError as exc:
            fail(exc.lines)
        note = f" --ket-qua {workbook}"
    text = report_yaml(doc, output, str(plan), year, findings, note)
    write_atomic(output, text.encode("utf-8"))
    n = len(reportable_tasks(doc))
    if findings is not None:
        done = len(findings.ket_qua)
        click.echo(f"Đã tạo {output} ({n} nhiệm vụ; {done} nhiệm vụ đã có kết quả từ {workbook}, "
                   f"{len(findings.so_lieu)} số liệu; còn {n - done} nhiệm vụ cần ghi kết quả)")
    else:
        click.echo(f"Đã tạo {output} ({n} nhiệm vụ cần ghi kết quả)")
