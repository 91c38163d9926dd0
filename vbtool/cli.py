"""The `vbtool` command. Help and messages are in Vietnamese.

Every command validates before it writes, writes atomically, and turns every
expected failure into a `FILE:LINE:COL: field: message` line and exit code 1:
a clerk never sees a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import clickvi
from .problem import InputError, Problem
from .skeleton import REGIMES

clickvi.install()

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _require_soffice(pdf: bool) -> None:
    """With --pdf, fail before any work when LibreOffice is missing."""
    if not pdf:
        return
    from .pdf import PdfError, find_soffice
    try:
        find_soffice()
    except PdfError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)


def _fail(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(str(p), err=True)
    sys.exit(1)


class LazyGroup(click.Group):
    """A group whose commands defined in other modules are imported only when
    used, so that `vbtool render` does not pay for the checker or PDF code
    (whole-process time of one render is a measured target)."""

    LAZY = {"check": "vbtool.commands.check:check_cmd", "preview": "vbtool.commands.preview:preview_cmd",
            "report-from": "vbtool.commands.report_from:report_from_cmd",
            "import": "vbtool.commands.import_:import_cmd",
            "theo-doi": "vbtool.commands.theo_doi:theo_doi_cmd", "tong-hop": "vbtool.commands.tong_hop:tong_hop_cmd",
            "serve": "vbtool.commands.serve:serve_cmd", "don-vi": "vbtool.commands.don_vi:don_vi_cmd"}

    # First paragraph of each lazy command's help, so that `vbtool --help` lists them without
    # importing them (tests/test_cli_help.py checks these against the commands themselves).
    LAZY_HELP = {
        "check": "Kiểm tra thể thức một tệp .docx bất kỳ (Word, LibreOffice, vbtool) theo NĐ 30 hoặc HD 36.",
        "preview": "Xem trước TỆP (.yaml hoặc .docx): ghi PDF và ảnh PNG từng trang vào thư mục -o.",
        "report-from": "Lập dự thảo Báo cáo kết quả thực hiện một Kế hoạch.",
        "import": "Nhập Kế hoạch, Báo cáo có sẵn (TỆP .docx, .pdf hoặc .txt trích từ PDF) thành tệp YAML của vbtool.",
        "theo-doi": "Lập bảng theo dõi thực hiện Kế hoạch (Excel .xlsx).",
        "tong-hop": "Tổng hợp báo cáo của các đơn vị về một Kế hoạch thành dự thảo báo cáo chung.",
        "serve": "Mở trình soạn văn bản trên trình duyệt cho các tệp YAML trong THƯ_MỤC (mặc định: thư mục hiện tại).",
        "don-vi": "Danh mục đơn vị: tạo từ danh sách 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu (từ 01/7/2025), "
                  "tìm đơn vị, kiểm tra danh mục.",
    }

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def format_commands(self, ctx, formatter):
        """click's command list, with lazy commands described from LAZY_HELP instead of imported."""
        rows = []
        for name in self.list_commands(ctx):
            if name in self.LAZY and name in self.LAZY_HELP:
                cmd = click.Command(name, help=self.LAZY_HELP[name])
            else:
                cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section(clickvi._("Commands")):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])

    def invoke(self, ctx):
        """Turn file-system failures and Ctrl-C into a Vietnamese line, not a traceback."""
        try:
            return super().invoke(ctx)
        except OSError as exc:
            import errno
            reason = {errno.ENOENT: "không có tệp hoặc thư mục này", errno.EACCES: "không có quyền",
                      errno.EPERM: "không có quyền", errno.ENOTDIR: "một phần đường dẫn là tệp, không phải thư mục",
                      errno.EISDIR: "đây là thư mục", errno.ENOSPC: "hết chỗ trên đĩa",
                      errno.EROFS: "ổ đĩa chỉ cho đọc"}.get(exc.errno, "lỗi hệ thống tệp")
            click.echo(f"{exc.filename or ''}: không đọc/ghi được tệp ({reason})", err=True)
            sys.exit(1)
        except InputError as exc:
            _fail(exc.problems)
        except KeyboardInterrupt:
            click.echo("Đã dừng theo yêu cầu; không có tệp nào bị ghi dở.", err=True)
            sys.exit(130)

    def get_command(self, ctx, name):
        if name in self.LAZY:
            import importlib
            module, attr = self.LAZY[name].split(":")
            cmd = getattr(importlib.import_module(module), attr)
        else:
            cmd = super().get_command(ctx, name)
        if cmd is not None:
            cmd.options_metavar = "[TÙY_CHỌN]"
        return cmd


@click.group(cls=LazyGroup, context_settings=CONTEXT, options_metavar="[TÙY_CHỌN]",
             subcommand_metavar="LỆNH [ĐỐI_SỐ]...")
@click.version_option(package_name="vbtool", message="vbtool %(version)s")
def main() -> None:
    """vbtool: soạn Kế hoạch, Báo cáo theo thể thức NĐ 30/2020/NĐ-CP (nhà nước)
    và HD 36-HD/VPTW (Đảng) từ tệp YAML."""


@main.command("new", context_settings=CONTEXT)
@click.argument("loai", metavar="LOẠI")
@click.option("--the-thuc", "the_thuc", type=click.Choice([r.replace("_", "-") for r in REGIMES]), default="nha-nuoc",
              show_default=True, help="Thể thức: nha-nuoc (NĐ 30) hoặc dang (HD 36).")
@click.option(
    "--cap",
    "cap",
    type=click.Choice(["tinh", "xa"]),
    default="tinh",
    show_default=True,
    help="Khung không có danh mục: tinh (một sở; Đảng: một ban của Tỉnh ủy) hoặc xa (UBND xã; Đảng: Đảng ủy xã).",
)
@click.option("--danh-muc", "registry_path", type=click.Path(path_type=Path),
              help="Danh mục đơn vị: với --don-vi, đơn vị ban hành; với cong-van --gui, nơi chứa --nhom nhận văn bản.")
@click.option(
    "--don-vi", "unit_id", help="Mã đơn vị ban hành trong danh mục (xem: vbtool don-vi tim TÊN --danh-muc TỆP)."
)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp YAML sẽ tạo (mặc định: drafts/<loại>-<thể thức>.yaml).")
@click.option("--ban-hanh", "issues", type=click.Path(path_type=Path),
              help="quyet-dinh: tạo Quyết định ban hành kế hoạch này (TỆP.yaml).")
@click.option("--gui", "sends", type=click.Path(path_type=Path),
              help="cong-van: tạo Công văn gửi kế hoạch này (TỆP.yaml) tới các đơn vị.")
@click.option("--nhom", "group", help="cong-van --gui: nhóm đơn vị nhận trong danh mục.")
def new_cmd(loai: str, the_thuc: str, output: Path | None, cap: str = "tinh", registry_path: Path | None = None,
            unit_id: str | None = None, issues: Path | None = None, sends: Path | None = None,
            group: str | None = None) -> None:
    """Tạo khung YAML có chú thích cho một văn bản mới (LOẠI: ke-hoach, bao-cao,
    quyet-dinh, cong-van, to-trinh).

    Với --danh-muc DANH_MỤC --don-vi MÃ: đầu văn bản, ký hiệu, địa danh, người ký,
    nơi nhận, nơi lưu của đơn vị. Với --ban-hanh KH.yaml (quyet-dinh) hoặc --gui
    KH.yaml (cong-van): tạo dự thảo từ kế hoạch. Khung tạo ra hợp lệ ngay và dựng
    được thành .docx. Không bao giờ ghi đè tệp đã có."""
    from . import kinds
    if loai.replace("-", "_") not in kinds.codes():
        click.echo(f"Không có loại văn bản \"{loai}\"; có: "
                   + ", ".join(c.replace("_", "-") for c in kinds.codes()), err=True)
        sys.exit(1)
    if issues or sends:
        if unit_id:
            click.echo("--don-vi không dùng cùng --ban-hanh hoặc --gui (đơn vị ban hành lấy từ kế hoạch).", err=True)
            sys.exit(1)
        from .commands.new_kinds import write_companion
        plan_path = issues or sends
        assert plan_path is not None          # one of them, tested above
        write_companion(loai.replace("-", "_"), plan_path, output, registry_path, group, None)
        return
    from .skeleton import issuer_for, skeleton
    from . import skeleton_kinds
    from .package import write_atomic
    issuer = None
    if unit_id or registry_path:
        from . import registry
        if not unit_id:
            click.echo("Với --danh-muc, hãy chỉ ra đơn vị ban hành bằng --don-vi MÃ.", err=True)
            sys.exit(1)
        try:
            reg = registry.load(_registry_path(registry_path))
        except InputError as exc:
            _fail(exc.problems)
        unit = _unit_or_exit(reg, unit_id)
        issuer = issuer_for(unit, reg)
        the_thuc = unit.the_thuc.replace("_", "-")
    kind = kinds.get(loai.replace("-", "_"))
    regime = the_thuc.replace("-", "_")
    if regime not in kind.type_codes:
        click.echo(f"{kind.name} không có trong thể thức {the_thuc}.", err=True)
        sys.exit(1)
    if kind.code not in ("ke_hoach", "bao_cao") and not skeleton_kinds.has(kind.code, regime):
        click.echo(f"Chưa có khung cho {kind.name.lower()} ({the_thuc}); hãy chép một văn bản mẫu trong "
                   "drafts/examples/.", err=True)
        sys.exit(1)
    output = output or Path("drafts") / (f"{loai}-{unit_id}.yaml" if unit_id else f"{loai}-{the_thuc}.yaml")
    if output.exists():
        click.echo(f"{output}: tệp đã tồn tại, không ghi đè. Hãy chọn tên khác với -o.", err=True)
        sys.exit(1)
    import os
    from .schema import SCHEMA_DIR
    schema = os.path.relpath(SCHEMA_DIR / "van-ban.schema.json", output.resolve().parent)
    text = skeleton(loai.replace("-", "_"), regime, schema=schema, issuer=issuer, cap=cap)
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"Đã tạo {output}")


@main.command("validate", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TỆP...")
@click.option("--strict", is_flag=True, help="Coi cảnh báo (chỗ còn để trống cần điền, lỗi nghĩa) là lỗi.")
@click.option("--danh-muc", "registry_path", type=click.Path(path_type=Path),
              help="Danh mục đơn vị: nhận ra tên đơn vị; với --don-vi, kiểm tra văn bản mẫu dựng cho đơn vị đó.")
@click.option("--don-vi", "unit_id", help="Mã đơn vị: kiểm tra văn bản mẫu (batch) như bản của đơn vị này.")
def validate_cmd(files: tuple[Path, ...], strict: bool, registry_path: Path | None, unit_id: str | None) -> None:
    """Kiểm tra tệp YAML; in mỗi lỗi một dòng TỆP:DÒNG:CỘT: trường: thông báo.

    Ngoài thể thức còn cảnh báo lỗi nghĩa: nhiệm vụ không có đơn vị chủ trì, người ký
    không hợp cơ quan ban hành, tên đơn vị bị tách ở dấu phẩy, nơi đã Kính gửi lặp lại
    ở Nơi nhận."""
    from .document import load_document
    from . import meaning
    reg = unit = None
    if registry_path or unit_id:
        from . import registry
        try:
            reg = registry.load(_registry_path(registry_path))
        except InputError as exc:
            _fail(exc.problems)
        if unit_id:
            unit = _unit_or_exit(reg, unit_id)
    failed = False
    for f in files:
        try:
            if unit is not None:
                from .batch import as_issued_by
                assert reg is not None            # --don-vi is looked up in the registry loaded above
                doc, extra = as_issued_by(f, reg, unit)
            else:
                doc, extra = load_document(f), []
            from .attached import load_issued      # a decision: the document it issues must load too
            load_issued(doc)
        except InputError as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            failed = True
            continue
        warnings = sorted(doc.warnings + meaning.check(doc, reg), key=lambda p: (p.line, p.col)) + extra
        for w in warnings:
            click.echo(str(w), err=True)
        if strict and warnings:
            failed = True
        else:
            rest = f" (còn {len(warnings)} cảnh báo)" if warnings else ""
            click.echo(f"{f}: hợp lệ{rest}")
    sys.exit(1 if failed else 0)


@main.command("render", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar="TỆP")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp .docx sẽ ghi (mặc định: out/<tên tệp>.docx).")
@click.option("--pdf", is_flag=True, help="Ghi thêm tệp PDF bên cạnh (cần LibreOffice).")
@click.option("--kem", "kem", type=click.Choice(["gop", "rieng", "khong"]), default="gop", show_default=True,
              help="Quyết định có ban_hanh_kem: gop (một tệp: quyết định rồi văn bản kèm theo), "
                   "rieng (hai tệp), khong (chỉ quyết định).")
def render_cmd(file: Path, output: Path | None, pdf: bool, kem: str = "gop") -> None:
    """Kiểm tra rồi dựng TỆP YAML thành .docx (ghi nguyên tử: không bao giờ để lại tệp dở)."""
    from .document import load_document
    from .package import write_atomic
    output = output or Path("out") / f"{file.stem}.docx"
    if output.suffix.lower() != ".docx":
        click.echo(f"{output}: tệp kết quả phải có đuôi .docx", err=True)
        sys.exit(1)
    if output.resolve() == file.resolve():
        click.echo(f"{output}: không được ghi đè lên tệp nguồn", err=True)
        sys.exit(1)
    _require_soffice(pdf)
    try:
        doc = load_document(file)
        from .attached import outputs       # a decision may come with the document it issues
        files = outputs(doc, output, kem)
    except InputError as exc:
        _fail(exc.problems)
    for path, written, data in files:
        if written.warnings:
            where = written.source.file
            click.echo(f"{where}: cảnh báo: còn {len(written.warnings)} chỗ cần điền [[…]] "
                       f"(xem: vbtool validate {where})", err=True)
        write_atomic(path, data)
        click.echo(f"Đã ghi {path}")
        if pdf:
            from .pdf import PdfError, convert_one
            try:
                click.echo(f"Đã ghi {convert_one(path)}")
            except PdfError as exc:
                click.echo(str(exc), err=True)
                sys.exit(1)


def _unit_or_exit(reg, unit_id: str):
    """The registry's unit `unit_id`, or exit with close ids."""
    if unit_id in reg.units:
        return reg.units[unit_id]
    import difflib
    close = difflib.get_close_matches(unit_id, list(reg.units), n=4)
    click.echo(f"Không có đơn vị \"{unit_id}\" trong danh mục {reg.source.file if reg.source else ''}"
               + (f"; gần giống: {', '.join(close)}" if close else "")
               + ". Tìm mã bằng: vbtool don-vi tim TÊN --danh-muc TỆP", err=True)
    sys.exit(1)


def _registry_path(path: Path | None) -> Path:
    """The registry given, or the only one in drafts/don-vi/."""
    if path:
        return path
    found = sorted(Path("drafts/don-vi").glob("*.yaml"))
    if len(found) != 1:
        click.echo("Hãy chỉ ra danh mục đơn vị bằng --danh-muc TỆP.yaml", err=True)
        sys.exit(1)
    return found[0]


@main.command("derive", context_settings=CONTEXT)
@click.argument("parent", type=click.Path(path_type=Path), metavar="KẾ_HOẠCH_CẤP_TRÊN")
@click.option("--don-vi", "unit_id", help="Mã đơn vị (trong danh mục) sẽ ban hành kế hoạch cấp dưới.")
@click.option("--nhom", "group", help="Tên hoặc cụm từ của nhóm: tạo một dự thảo cho mỗi đơn vị trong nhóm.")
@click.option("--danh-muc", "registry_path", type=click.Path(path_type=Path),
              help="Danh mục đơn vị (mặc định: tệp duy nhất trong drafts/don-vi/).")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path),
              help="Tệp YAML sẽ tạo (với --nhom: thư mục).")
@click.option("--nam", "year", type=int, help="Năm ban hành của dự thảo (mặc định: năm nay).")
@click.option("--force", is_flag=True, help="Cho phép ghi đè dự thảo đã có.")
def derive_cmd(parent: Path, unit_id: str | None, group: str | None, registry_path: Path | None,
               output: Path | None, year: int | None, force: bool) -> None:
    """Tạo dự thảo kế hoạch cấp dưới (YAML) từ kế hoạch cấp trên, giữ các nhiệm vụ
    giao cho đơn vị (chủ trì hoặc phối hợp, trực tiếp hoặc qua nhóm)."""
    from . import derive, registry
    from .batch import select_units
    from .document import load_document
    from .package import write_atomic
    if bool(unit_id) == bool(group):
        click.echo("Chọn đúng một trong --don-vi hoặc --nhom.", err=True)
        sys.exit(1)
    try:
        reg = registry.load(_registry_path(registry_path))
        doc = load_document(parent)
        if unit_id:
            _unit_or_exit(reg, unit_id)
        ids = [unit_id] if unit_id else select_units(reg, group)
        for w in derive.issuer_outside(doc, reg):       # first: it explains the errors that may follow
            click.echo(str(w), err=True)
        derive.check_phrases(doc, reg)
    except InputError as exc:
        _fail(exc.problems)
    derive.adopt_registry_name(doc, reg)
    for w in derive.unrecognised(doc, reg):
        click.echo(str(w), err=True)
    if group:
        outdir = output or Path("drafts")
        if outdir.exists() and not outdir.is_dir():
            click.echo(f"{outdir}: đã có một tệp trùng tên, cần một thư mục.", err=True)
            sys.exit(1)
        targets = [(uid, outdir / f"{uid}.yaml") for uid in ids]
    else:
        assert unit_id                        # exactly one of --don-vi, --nhom (tested above)
        targets = [(unit_id, output or Path("drafts") / f"{parent.stem}-{unit_id}.yaml")]
    existing = [str(t) for _, t in targets if t.exists()]
    if existing and not force:
        click.echo("Không ghi đè dự thảo đã có (dùng --force để cho phép): " + ", ".join(existing), err=True)
        sys.exit(1)
    for uid, target in targets:
        unit = reg.units[uid]
        data = derive.child_plan(doc, reg, unit, year)
        note = f"Dự thảo kế hoạch của {unit.name_in_text}, sinh từ {parent.name}. Sửa các chỗ [[…]]."
        write_atomic(target, derive.to_yaml(data, target, note).encode("utf-8"))
        count = len(derive.pick(doc, reg, unit))
        click.echo(f"Đã tạo {target} ({count} nhiệm vụ)")
        if not count:
            for w in derive.phrase_in_prose(doc, reg, unit)[:5]:
                click.echo(str(w), err=True)


@main.command("batch", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar="TỆP")
@click.option("--danh-muc", "registry_path", type=click.Path(path_type=Path),
              help="Danh mục đơn vị (YAML), ví dụ tạo bằng vbtool don-vi tao.")
@click.option("--don-vi", "old_registry_path", type=click.Path(path_type=Path), hidden=True,
              help="Tên cũ của --danh-muc.")
@click.option("--nhom", "group", help="Chỉ dựng cho các đơn vị của nhóm này.")
@click.option("--ghi-de", "overrides_path", type=click.Path(path_type=Path),
              help="Giá trị riêng từng đơn vị (YAML hoặc CSV theo mã đơn vị): số, ngày, số liệu, nhiệm vụ thêm.")
@click.option("-o", "--output", "outdir", type=click.Path(path_type=Path), required=True, help="Thư mục kết quả.")
@click.option("-j", "--jobs", type=int, default=1, show_default=True,
              help="Số tiến trình song song (không quá số nhân CPU và số đơn vị).")
@click.option("--ten-tep", "naming", type=click.Choice(["ten", "slug", "id"]), default="ten", show_default=True,
              help="Tên tệp: ten (giữ dấu), slug (không dấu), id (mã đơn vị).")
@click.option("--pdf", is_flag=True, help="Ghi thêm PDF cho mỗi tệp (LibreOffice, chạy song song).")
def batch_cmd(file: Path, registry_path: Path | None, old_registry_path: Path | None, group: str | None,
              overrides_path: Path | None, outdir: Path, jobs: int, naming: str, pdf: bool) -> None:
    """Dựng một văn bản thành nhiều bản, mỗi đơn vị một bản (đầu văn bản, ký hiệu,
    địa danh, người ký theo danh mục đơn vị)."""
    import errno
    import time
    from . import batch, registry
    from .loader import load_file
    if old_registry_path:
        if registry_path:
            click.echo("Chỉ dùng --danh-muc (--don-vi là tên cũ của nó).", err=True)
            sys.exit(1)
        click.echo("Cảnh báo: với batch, --don-vi TỆP đã đổi thành --danh-muc TỆP; tên cũ sẽ bỏ ở bản sau.", err=True)
        registry_path = old_registry_path
    if not registry_path:
        click.echo("Hãy chỉ ra danh mục đơn vị bằng --danh-muc TỆP.yaml (tạo bằng: vbtool don-vi tao --tinh TỈNH"
                   " -o TỆP.yaml).", err=True)
        sys.exit(1)
    if outdir.exists() and not outdir.is_dir():
        click.echo(f"{outdir}: đã có một tệp trùng tên, cần một thư mục.", err=True)
        sys.exit(1)
    _require_soffice(pdf)
    try:
        reg = registry.load(registry_path)
        ids = batch.select_units(reg, group)
        overrides = batch.load_overrides(overrides_path, reg) if overrides_path else {}
        base = load_file(file)
        batch.check_base(base, reg, ids)
    except InputError as exc:
        _fail(exc.problems)
    plan = batch.plan_names(reg, ids, naming)
    job = batch.Job(base, reg, overrides, outdir, naming, plan.names)
    try:
        lock = batch.lock_outdir(outdir)  # noqa: F841 - held until the process ends
    except batch.BatchBusy:
        click.echo(f"{outdir}: một lệnh vbtool batch khác đang ghi vào thư mục này; hãy chờ nó xong"
                   " hoặc chọn thư mục khác.", err=True)
        sys.exit(1)
    stale = batch.clean_stale_tmp(outdir)
    if stale:
        click.echo(f"Đã xóa {stale} tệp tạm (.tmp) còn sót lại từ lần chạy trước bị ngắt.", err=True)
    if plan.renamed:
        examples = "; ".join(f"{uid} → {name}.docx" for uid, name in plan.renamed[:5])
        click.echo(f"Lưu ý: {len(plan.renamed)} đơn vị trùng tên tệp nên tên tệp được thêm địa danh cấp trên"
                   f" hoặc mã đơn vị trong ngoặc, ví dụ: {examples}", err=True)
    from .numwords import dinh_dang_so
    start = time.perf_counter()
    try:
        if sys.stderr.isatty():
            with click.progressbar(length=len(ids), label="Đang dựng", file=sys.stderr) as bar:
                results = batch.run(job, ids, jobs, progress=bar.update)
        else:
            results = batch.run(job, ids, jobs)
    except batch.BatchStopped as exc:
        reason = "hết chỗ trên đĩa" if exc.errno != errno.EROFS else "ổ đĩa chỉ cho đọc"
        click.echo(f"{outdir}: dừng lại vì {reason}; các tệp đã ghi xong vẫn nguyên vẹn,"
                   " không có tệp nào ghi dở.", err=True)
        sys.exit(1)
    elapsed = time.perf_counter() - start
    failed = [(uid, err) for uid, _, err in results if err]
    done = [Path(path) for _, path, err in results if not err and path is not None]     # no error: a path
    click.echo(f"Đã dựng {len(done)}/{len(ids)} văn bản vào {outdir} trong {dinh_dang_so(round(elapsed, 1))} giây"
               f" ({dinh_dang_so(round(len(done) / max(elapsed, 1e-9)))} văn bản/giây).")
    if pdf and done:
        from .pdf import PdfError, convert_many
        try:
            pdfs = convert_many(done, jobs=batch.effective_jobs(jobs, len(done)))
        except PdfError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        bad = {str(k): v for k, v in pdfs.items() if isinstance(v, str)}
        click.echo(f"Đã ghi {len(pdfs) - len(bad)} tệp PDF.")
        failed += [(k, v) for k, v in bad.items()]
    _warn_own_names(base, reg, ids, overrides)
    for uid, err in failed:
        click.echo(f"LỖI {uid}: {err}", err=True)
    sys.exit(1 if failed else 0)


def _warn_own_names(base, reg, ids: list[str], overrides: dict, shown: int = 10) -> None:
    """After a batch: literal names of the template's own unit are left in the other units' versions."""
    from . import meaning
    own = meaning.template_unit(base.data, reg)
    others = [u for u in ids if own is None or u != own.id]
    found = meaning.leftover_names(base, meaning.own_names(base.data, own)) if others else []
    if not found:
        return
    but = f" (mọi đơn vị trừ {own.name_in_text})" if own and own.id in ids else ""
    click.echo(f"Cảnh báo: {len(others)} bản{but} còn giữ tên riêng của đơn vị mẫu ở {len(found)} chỗ:", err=True)
    for p in found[:shown]:
        click.echo(str(p), err=True)
    if len(found) > shown:
        click.echo(f"… và {len(found) - shown} chỗ khác (xem: vbtool validate {base.file} --danh-muc … --don-vi MÃ)",
                   err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
