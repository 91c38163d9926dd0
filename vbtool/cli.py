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
from .loader import InputError, Problem

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

    LAZY = {"check": "vbtool.check:check_cmd", "preview": "vbtool.pdf:preview_cmd",
            "report-from": "vbtool.report:report_from_cmd", "import": "vbtool.importer:import_cmd"}

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *self.LAZY])

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
    _require_soffice(pdf)
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
        if unit_id and unit_id not in reg.units:
            click.echo(f"Không có đơn vị \"{unit_id}\" trong danh mục.", err=True)
            sys.exit(1)
        ids = [unit_id] if unit_id else select_units(reg, group)
        derive.check_phrases(doc, reg)
    except InputError as exc:
        _fail(exc.problems)
    for w in derive.unrecognised(doc, reg):
        click.echo(str(w), err=True)
    if group:
        outdir = output or Path("drafts")
        if outdir.exists() and not outdir.is_dir():
            click.echo(f"{outdir}: đã có một tệp trùng tên, cần một thư mục.", err=True)
            sys.exit(1)
        targets = [(uid, outdir / f"{uid}.yaml") for uid in ids]
    else:
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
        click.echo(f"Đã tạo {target} ({len(derive.pick(doc, reg, unit))} nhiệm vụ)")


@main.command("batch", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar="TỆP")
@click.option("--don-vi", "registry_path", type=click.Path(path_type=Path), required=True,
              help="Danh mục đơn vị (YAML).")
@click.option("--nhom", "group", help="Chỉ dựng cho các đơn vị của nhóm này.")
@click.option("--ghi-de", "overrides_path", type=click.Path(path_type=Path),
              help="Giá trị riêng từng đơn vị (YAML hoặc CSV theo mã đơn vị): số, ngày, số liệu, nhiệm vụ thêm.")
@click.option("-o", "--output", "outdir", type=click.Path(path_type=Path), required=True, help="Thư mục kết quả.")
@click.option("-j", "--jobs", type=int, default=1, show_default=True,
              help="Số tiến trình song song (không quá số nhân CPU và số đơn vị).")
@click.option("--ten-tep", "naming", type=click.Choice(["ten", "slug", "id"]), default="ten", show_default=True,
              help="Tên tệp: ten (giữ dấu), slug (không dấu), id (mã đơn vị).")
@click.option("--pdf", is_flag=True, help="Ghi thêm PDF cho mỗi tệp (LibreOffice, chạy song song).")
def batch_cmd(file: Path, registry_path: Path, group: str | None, overrides_path: Path | None, outdir: Path,
              jobs: int, naming: str, pdf: bool) -> None:
    """Dựng một văn bản thành nhiều bản, mỗi đơn vị một bản (đầu văn bản, ký hiệu,
    địa danh, người ký theo danh mục đơn vị)."""
    import errno
    import time
    from . import batch, registry
    from .loader import load_file
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
    done = [Path(path) for _, path, err in results if not err]
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
    for uid, err in failed:
        click.echo(f"LỖI {uid}: {err}", err=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
