"""`vbtool new quyet-dinh --ban-hanh KH.yaml` and `vbtool new cong-van --gui KH.yaml`:
the decision that issues a plan, the letter that sends it (companions.py).

Called from the `new` command in cli.py; writes the draft atomically and never
over an existing file.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..loader import InputError


def _fail(problems) -> None:
    for p in problems:
        click.echo(str(p), err=True)
    sys.exit(1)


def write_companion(loai: str, plan_path: Path, output: Path | None, registry_path: Path | None,
                    group: str | None, year: int | None) -> None:
    from .. import companions, derive, registry
    from ..batch import select_units
    from ..document import load_document
    from ..package import write_atomic
    if loai not in ("quyet_dinh", "cong_van"):
        click.echo("--ban-hanh chỉ dùng với quyet-dinh, --gui chỉ dùng với cong-van.", err=True)
        sys.exit(1)
    if (registry_path or group) and loai != "cong_van":
        click.echo("--danh-muc và --nhom chỉ dùng với cong-van --gui.", err=True)
        sys.exit(1)
    if bool(registry_path) != bool(group):
        if registry_path or group:
            click.echo("Dùng --danh-muc cùng với --nhom (nhóm đơn vị nhận trong danh mục).", err=True)
            sys.exit(1)
    prefix = "qd" if loai == "quyet_dinh" else "cv"
    output = output or plan_path.with_name(f"{prefix}-{plan_path.stem}.yaml")
    if output.exists():
        click.echo(f"{output}: tệp đã tồn tại, không ghi đè. Hãy chọn tên khác với -o.", err=True)
        sys.exit(1)
    try:
        plan = load_document(plan_path)
        if loai == "quyet_dinh":
            if not plan.kind_def.issued_by_decision:
                click.echo(f"{plan_path}: đây là {plan.kind_name.lower()}; --ban-hanh cần một văn bản được ban "
                           "hành kèm theo quyết định (kế hoạch).", err=True)
                sys.exit(1)
            data = companions.decision_for(plan, plan_path, output, year)
            note = (f"Quyết định ban hành {plan.kind_name.lower()} {plan_path.name}, sinh từ {plan_path.name}. "
                    "Sửa các chỗ [[…]]; vbtool render dựng Quyết định và văn bản kèm theo.")
        else:
            reg = registry.load(registry_path) if registry_path else None
            ids = select_units(reg, group) if reg is not None else None
            data = companions.letter_for(plan, output, reg, ids, year)
            note = f"Công văn gửi {plan.kind_name.lower()} {plan_path.name}. Sửa các chỗ [[…]] (thời hạn báo cáo …)."
    except InputError as exc:
        _fail(exc.problems)
    text = derive.to_yaml(data, output, note)
    # the draft must validate as written: a broken draft is a bug of vbtool, never the clerk's
    from ..document import load_document_text
    try:
        load_document_text(text, str(output))
    except InputError as exc:
        _fail(exc.problems)
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"Đã tạo {output}")
