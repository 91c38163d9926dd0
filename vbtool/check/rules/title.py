"""Rules on the tên loại and the trích yếu under it."""
from __future__ import annotations

from typing import Iterator

from ..context import Context
from ..findings import Finding


def kind_name(ctx: Context) -> Iterator[Finding]:
    """The tên loại: on a line of its own, in size and style, centred."""
    if ctx.marks.kind_i is None:
        if ctx.marks.kind is not None and ctx.marks.kind.printed_name is None:
            return                  # a kind printed without tên loại (công văn)
        yield ctx.finding("ten-loai", "missing", "ten_loai", "sau phần đầu văn bản", "",
                          "Không tìm thấy tên loại văn bản (KẾ HOẠCH, BÁO CÁO, …) đứng riêng một dòng")
        return
    spec = ctx.profile.ten_loai
    u = ctx.pieces[ctx.marks.kind_i]
    yield from ctx.look("ten-loai", "ten_loai", u, size=spec.khoang, bold=spec.dam, italic=spec.nghieng,
                        upper=spec.in_hoa or None)
    if u.para.props.align != "center":
        yield ctx.finding("ten-loai", "align", "ten_loai", u.location, u.text, "Tên loại phải căn giữa trang")


def subject(ctx: Context) -> Iterator[Finding]:
    """The trích yếu under the tên loại: its look, centred, its first letter, the mark under it."""
    if ctx.marks.kind_i is None:
        return                      # reported once, by kind_name
    u = ctx.pieces[ctx.marks.kind_i]
    lines = ctx.marks.subject
    ty = ctx.profile.trich_yeu
    # a document issued with a decision: the mark comes under its "(Ban hành kèm theo …)" line
    issued = ctx.marks.issued
    if not lines:
        yield ctx.finding("trich-yeu", "missing", "trich_yeu", u.location, u.text,
                          "Không tìm thấy trích yếu nội dung ngay dưới tên loại")
        if issued is not None:
            yield from ctx.check_mark("trich-yeu", "trich_yeu", issued, ty.duoi, "trích yếu")
        return
    first = lines[0]
    for s in lines:
        yield from ctx.look("trich-yeu", "trich_yeu", s, size=ty.khoang, bold=ty.dam, italic=ty.nghieng)
    if first.para.props.align != "center":
        yield ctx.finding("trich-yeu", "align", "trich_yeu", first.location, first.text, "Trích yếu phải căn giữa")
    initial = next((ch for ch in first.text if ch.isalpha()), "")
    if ty.chu_dau == "hoa" and initial.islower():
        yield ctx.finding("trich-yeu", "case", "trich_yeu", first.location, first.text,
                          "Trích yếu phải bắt đầu bằng chữ viết hoa")
    elif ty.chu_dau == "thuong" and initial.isupper():
        # A proper noun may open the subject, so this can only be a warning.
        yield ctx.finding("trich-yeu", "case", "trich_yeu", first.location, first.text,
                          "Trích yếu nối tiếp tên loại nên bắt đầu bằng chữ thường (trừ danh từ riêng)",
                          severity="warning")
    yield from ctx.check_mark("trich-yeu", "trich_yeu", issued if issued is not None else lines[-1], ty.duoi,
                              "trích yếu")
