"""`vbtool check`: the command around vbtool.check."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import click

from .. import profile as profiles
from ..check import DocxError, check_docx
from ..loader import InputError

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _choices(names) -> list[str]:
    """Option values from the profile files; none when a profile is invalid (reported when checking)."""
    try:
        return names()
    except InputError:
        return []


@click.command("check", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar="TỆP.docx")
@click.option(
    "--the-thuc",
    "the_thuc",
    type=click.Choice(_choices(lambda: [r.replace("_", "-") for r in profiles.regimes()])),
    default=None,
    help="Thể thức để kiểm tra: nha-nuoc (NĐ 30) hoặc dang (HD 36); hồ sơ theo ngày "
    "của văn bản. Mặc định: tự nhận biết từ phần đầu văn bản.",
)
@click.option("--ho-so", "ho_so", type=click.Choice(_choices(profiles.available)), default=None,
              help="Kiểm tra theo đúng hồ sơ thể thức này (tên tệp trong data/profiles), không chọn theo ngày.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON (kèm nguồn của từng quy tắc).")
def check_cmd(file: Path, the_thuc: Optional[str], ho_so: Optional[str], as_json: bool) -> None:
    """Kiểm tra thể thức một tệp .docx bất kỳ (Word, LibreOffice, vbtool) theo NĐ 30 hoặc HD 36.

    Mỗi điểm sai một dòng: mã quy tắc, vị trí, trích đoạn, thông báo.
    Mã thoát: 0 không có lỗi, 1 có lỗi, 2 tệp không đọc được."""
    try:
        report = check_docx(file, regime=the_thuc, ho_so=ho_so)
    except DocxError as exc:
        click.echo(f"{file}: {exc}", err=True)
        sys.exit(2)
    except InputError as exc:          # an invalid profile file: name its file, line and field
        for p in exc.problems:
            click.echo(f"hồ sơ thể thức không hợp lệ: {p}", err=True)
        sys.exit(2)
    except Exception as exc:  # a clerk never sees a traceback, even on a file nobody foresaw
        click.echo(f"{file}: không kiểm tra được tệp (lỗi nội bộ {type(exc).__name__}: {exc})", err=True)
        sys.exit(2)
    report.file = str(file)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.human_lines():
            click.echo(line)
    sys.exit(report.exit_code)
