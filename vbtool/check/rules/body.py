"""Rules on the body text: size, line spacing, space between paragraphs."""
from __future__ import annotations

from typing import Iterator

from ...ooxml.read import ParaLayout
from ..context import Context
from ..findings import Finding
from ..flatten import Para
from ..text import fmt_num, fmt_range

# Height of one "single" line of Times New Roman as a multiple of the font
# size (ascent + descent + line gap of the font), used to compare "Exactly
# 18 pt" with "single to 1.5 lines" [Measured with Liberation Serif].
SINGLE_LINE_EM = 1.15


def body_text(ctx: Context) -> Iterator[Finding]:
    """Body paragraphs: size in range, line spacing in the profile's range (in lines), paragraph gaps."""
    tv = ctx.profile.than_van_ban
    rng = tv.khoang
    lo_lines, hi_lines = tv.gian_dong_khoang_dong
    min_gap = tv.cach_doan_toi_thieu
    sizes: dict[float, list[Para]] = {}
    spacing: dict[str, list[Para]] = {}
    gaps: list[Para] = []
    prev = None
    for para in ctx.marks.body:
        vis = [s for s in para.segs if s.text.strip()]
        for x in sorted({s.fmt.size for s in vis}):
            if not rng[0] - 0.01 <= x <= rng[1] + 0.01:
                sizes.setdefault(x, []).append(para)
        main = max((s.fmt.size for s in vis), default=rng[0])
        desc = line_spacing_problem(para.props, main, lo_lines, hi_lines)
        if desc:
            spacing.setdefault(desc, []).append(para)
        if prev is not None:
            gap = prev.props.after + para.props.before
            if gap < min_gap - 0.05:
                gaps.append(para)
        prev = para
    for x, paras in sizes.items():
        count = f" ({len(paras)} đoạn)" if len(paras) > 1 else ""
        yield ctx.finding("than-van-ban", "size", "than_van_ban", paras[0].location, paras[0].text,
                          f"Thân văn bản cỡ chữ {fmt_num(x)} pt{count}, phải {fmt_range(rng)}")
    for desc, paras in spacing.items():
        count = f" ({len(paras)} đoạn)" if len(paras) > 1 else ""
        yield ctx.finding("than-van-ban", "line-spacing", "than_van_ban", paras[0].location, paras[0].text,
                          f"Giãn dòng {desc}{count}, phải từ {fmt_num(lo_lines)} đến {fmt_num(hi_lines)} dòng")
    if gaps:
        count = f" ({len(gaps)} đoạn)" if len(gaps) > 1 else ""
        yield ctx.finding("than-van-ban", "spacing", "than_van_ban", gaps[0].location, gaps[0].text,
                          f"Khoảng cách giữa các đoạn dưới {fmt_num(min_gap)} pt{count}", severity="warning")


def line_spacing_problem(props: ParaLayout, size: float, lo: float, hi: float) -> str:
    """Describe the line spacing if it is outside lo–hi lines, else ""."""
    rule = props.line_rule
    line = props.line
    if line is None:
        return ""
    if rule == "auto":
        lines = line / 240
        if lo - 0.01 <= lines <= hi + 0.01:
            return ""
        return f"{fmt_num(round(lines, 2))} dòng"
    pt = line / 20
    single = size * SINGLE_LINE_EM
    # "Exactly"/"At least" in points: compare with single…1.5 lines of the
    # text's size; 1 pt below a single line is tolerated (15 pt for 14 pt text).
    if single * lo - 1.0 - 0.01 <= pt <= single * hi + 0.01 or (rule == "atLeast" and pt <= single * hi):
        return ""
    kind = "chính xác" if rule == "exact" else "tối thiểu"
    return f"{kind} {fmt_num(pt)} pt (cỡ chữ {fmt_num(size)} pt)"
