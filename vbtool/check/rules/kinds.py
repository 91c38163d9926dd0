"""Rules of the kinds that have parts of their own (data/kinds): Quyết định, Công văn.

The texts come from the same profile elements the renderer uses:

* a Quyết định must have its "QUYẾT ĐỊNH:" line (``quyet_dinh.chu``) before the
  articles, and its articles numbered 1, 2, 3 … in order (``<P>.quyet-dinh.missing``,
  ``<P>.dieu.order``);
* a Công văn has no tên loại but must have its "V/v …" line under the number
  (``<P>.trich-yeu-cong-van.missing``).

What these kinds do not have (a công văn's tên loại, the number and date of a
document issued with a decision) is told by the landmarks to the rules of those
elements (``title.kind_name``, ``header.number``, ``header.date``), which then
report nothing.
"""
from __future__ import annotations

from typing import Iterator

from ..context import Context
from ..findings import Finding
from ..landmarks import ARTICLE


def decision(ctx: Context) -> Iterator[Finding]:
    """The "QUYẾT ĐỊNH:" line before Điều 1; the articles numbered from 1 in order."""
    lm, spec = ctx.marks, ctx.profile.quyet_dinh
    if lm.kind is None or "dieu" not in lm.kind.nodes or spec is None or lm.kind_i is None:
        return
    want = spec.chu
    line, articles = lm.decides, lm.articles
    if line is None:
        where = articles[0] if articles else ctx.pieces[lm.kind_i]
        yield ctx.finding("quyet-dinh", "missing", "quyet_dinh", where.location, where.text,
                          f"Quyết định thiếu dòng \"{want}\" trước các điều (căn cứ, rồi \"{want}\", "
                          "rồi Điều 1, Điều 2 …)")
    elif want.endswith(":") and not line.text.endswith(":"):
        yield ctx.finding("quyet-dinh", "missing", "quyet_dinh", line.location, line.text,
                          f"Phải ghi \"{want}\" (có dấu hai chấm)")
    elif articles and articles[0].index < line.index:
        yield ctx.finding("quyet-dinh", "missing", "quyet_dinh", articles[0].location, articles[0].text,
                          f"Dòng \"{want}\" phải đứng trước Điều 1")
    for expected, u in enumerate(articles, 1):
        m = ARTICLE.match(u.text)
        got = int(m.group(1)) if m else expected
        if got != expected:
            yield ctx.finding("dieu", "order", "dieu", u.location, u.text,
                              f"Các điều phải đánh số liên tục từ Điều 1: ở đây là \"Điều {got}\", "
                              f"phải là \"Điều {expected}\"")
            break


def letter_subject(ctx: Context) -> Iterator[Finding]:
    """A công văn's "V/v …" line under the number."""
    lm, spec = ctx.marks, ctx.profile.trich_yeu_cong_van
    if lm.kind is None or not lm.kind.subject_under_number or spec is None or lm.letter_subject is not None:
        return
    head = ctx.pieces[: lm.head_end]
    where = ctx.pieces[lm.number_i] if lm.number_i is not None else (head[0] if head else None)
    yield ctx.finding("trich-yeu-cong-van", "missing", "trich_yeu_cong_van",
                      where.location if where else "phần đầu văn bản", where.text if where else "",
                      f"Công văn thiếu trích yếu \"{spec.tien_to.strip()} …\" dưới số, ký hiệu")
