"""`vbtool don-vi`: unit registries for today's two-level local government."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..loader import InputError

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _fail(problems) -> None:
    for p in problems:
        click.echo(str(p), err=True)
    sys.exit(1)


@click.group("don-vi", context_settings=CONTEXT, options_metavar="[TÙY_CHỌN]", subcommand_metavar="LỆNH [ĐỐI_SỐ]...")
def don_vi_cmd() -> None:
    """Danh mục đơn vị: tạo từ danh sách 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu
    (từ 01/7/2025), tìm đơn vị, kiểm tra danh mục."""


@don_vi_cmd.command("tao", context_settings=CONTEXT, options_metavar="[TÙY_CHỌN]")
@click.option(
    "--tinh",
    "province",
    metavar="TỈNH",
    help='Tỉnh, thành phố: tên có hoặc không dấu ("Lâm Đồng", "lam dong"), mã tên (lam-dong) hoặc mã số (68).',
)
@click.option("--ca-nuoc", "national", is_flag=True, help="Cả 34 tỉnh, thành phố trong một danh mục.")
@click.option("--ky", "signers", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV người ký: cột id hoặc ten, quyen_han (\"TM. Ủy ban nhân dân; KT. Chủ tịch\"), chuc_vu, ho_ten.")
@click.option("--mau", "template", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp mẫu cơ quan cấp tỉnh và cụm từ nhóm thay cho vbtool/data/don-vi/cap-tinh.yaml.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp YAML sẽ tạo, bắt buộc (kèm tệp .csv cùng tên chứa các đơn vị).")
@click.option("--force", is_flag=True, help="Cho phép ghi đè danh mục đã có.")
def tao_cmd(province: str | None, national: bool, signers: Path | None, template: Path | None, output: Path,
            force: bool) -> None:
    """Tạo danh mục đơn vị của một tỉnh (--tinh) hoặc cả nước (--ca-nuoc): UBND tỉnh, các sở,
    Tỉnh ủy và các ban, UBND và Đảng ủy từng xã, phường, đặc khu, cùng các cụm từ gọi nhóm."""
    from .. import national as nat
    from ..package import write_atomic
    if bool(province) == national:
        click.echo("Chọn đúng một trong --tinh TỈNH hoặc --ca-nuoc.", err=True)
        sys.exit(1)
    if output is None:
        click.echo("Hãy chỉ ra tệp danh mục sẽ tạo bằng -o, ví dụ -o drafts/don-vi/lam-dong.yaml", err=True)
        sys.exit(1)
    if output.suffix.lower() not in (".yaml", ".yml"):
        click.echo(f"{output}: tệp danh mục phải có đuôi .yaml", err=True)
        sys.exit(1)
    try:
        chosen = list(nat.provinces()) if national or province is None else [nat.find_province(province)]
    except nat.NotFound as exc:
        click.echo(f"--tinh: {exc}", err=True)
        sys.exit(1)
    try:
        tpl = nat.load_template(template)
        gen = nat.build(chosen, tpl, national)
        applied = nat.apply_signers(gen, signers) if signers else 0
    except InputError as exc:
        _fail(exc.problems)
    command = "vbtool don-vi tao " + (f"--tinh \"{province}\"" if province else "--ca-nuoc") + \
        (f" --ky {signers.name}" if signers else "") + (f" --mau {template.name}" if template else "")
    yaml_text, csv_text, csv_path = nat.to_files(gen, output, command)
    existing = [str(p) for p in (output, csv_path) if p.exists()]
    if existing and not force:
        click.echo("Không ghi đè danh mục đã có (dùng --force để cho phép): " + ", ".join(existing), err=True)
        sys.exit(1)
    write_atomic(csv_path, csv_text.encode("utf-8"))
    write_atomic(output, yaml_text.encode("utf-8"))
    from ..numwords import dinh_dang_so as n
    xa = gen.count()
    where = chosen[0].full if not national else f"{n(len(chosen))} tỉnh, thành phố"
    click.echo(f"Đã tạo {output} và {csv_path} ({where}): {n(len(gen.rows))} đơn vị, trong đó {n(xa)} UBND xã, "
               f"phường, đặc khu ({n(gen.count('xa'))} xã, {n(gen.count('phuong'))} phường, "
               f"{n(gen.count('dac_khu'))} đặc khu) và {n(gen.count(regime='dang'))} Đảng ủy cấp xã; "
               f"{n(len(gen.groups))} nhóm." + (f" Người ký: {n(applied)} đơn vị theo {signers}." if signers else ""))


@don_vi_cmd.command("tim", context_settings=CONTEXT, options_metavar="[TÙY_CHỌN]")
@click.argument("text", metavar="TÊN")
@click.option("--danh-muc", "registry_path", type=click.Path(path_type=Path),
              help="Tìm trong danh mục này (mặc định: danh sách cả nước).")
@click.option("--toi-da", "limit", type=int, default=50, show_default=True, help="Số kết quả in ra tối đa.")
def tim_cmd(text: str, registry_path: Path | None, limit: int) -> None:
    """Tìm đơn vị theo tên (có hoặc không dấu); in mã, tên đầy đủ và tỉnh, thành phố."""
    from .. import national as nat
    if len(nat.fold(text)) < 2:
        click.echo("Hãy ghi ít nhất hai chữ của tên cần tìm, ví dụ: vbtool don-vi tim \"mui ne\"", err=True)
        sys.exit(1)
    if registry_path:
        from .. import registry
        try:
            reg = registry.load(registry_path)
        except InputError as exc:
            _fail(exc.problems)
        key = nat.fold(text)
        hits = [nat.Hit(u.id, u.ten, u.tinh or u.dia_danh) for u in reg.units.values()
                if any(key in nat.fold(x) for x in u.names())]
    else:
        hits = nat.search(text)
    if not hits:
        click.echo(f"Không tìm thấy đơn vị nào có tên chứa \"{text}\".", err=True)
        sys.exit(1)
    for h in hits[:limit]:
        click.echo(f"{h.id}\t{h.name}\t{h.province}")
    if len(hits) > limit:
        click.echo(f"… và {len(hits) - limit} kết quả khác (dùng --toi-da).", err=True)


@don_vi_cmd.command("kiem-tra", context_settings=CONTEXT, options_metavar="[TÙY_CHỌN]")
@click.argument("file", type=click.Path(path_type=Path), metavar="TỆP")
def kiem_tra_cmd(file: Path) -> None:
    """Kiểm tra một danh mục đơn vị (YAML và các tệp CSV nó khai báo)."""
    from .. import registry
    try:
        reg = registry.load(file)
    except InputError as exc:
        _fail(exc.problems)
    from ..numwords import dinh_dang_so as n
    click.echo(f"{file}: hợp lệ ({n(len(reg.units))} đơn vị, {n(len(reg.groups))} nhóm)")
