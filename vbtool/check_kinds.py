"""Rules of `vbtool check` that depend on the kind of document (data/kinds).

The checker (check.py) finds the header, tên loại, body, signature and Nơi nhận
of any document; this module adds what only some kinds have, reading the texts
from the same profile elements the renderer uses:

* a Quyết định must have its "QUYẾT ĐỊNH:" line (``quyet_dinh.chu``) before the
  articles, and its articles numbered 1, 2, 3 … in order (``<P>.quyet-dinh.missing``,
  ``<P>.dieu.order``);
* a Công văn has no tên loại but must have its "V/v …" line under the number
  (``<P>.trich-yeu-cong-van.missing``); the "no tên loại" finding does not apply;
* a document issued with a decision ("(Ban hành kèm theo Quyết định số …)") has no
  number and date of its own: their "missing" findings do not apply.

check.py calls ``header_end`` while locating and ``run`` after its own rules.
"""
from __future__ import annotations

import re
from typing import Optional

from . import kinds

_ISSUED = re.compile(r"(?i)^\(\s*(ban hành )?kèm theo\b")
_VV = re.compile(r"(?i)^(v/v|về việc)\b")
_ARTICLE = re.compile(r"^Điều\s+(\d+)\s*[.:]")


def _is_letter(ch) -> bool:
    """No tên loại, and a Kính gửi line, a "V/v" line or the Party code CV: a công văn."""
    if ch.kind_i is not None:
        return False
    label = ch.p["kinh_gui"]["nhan"].rstrip(":").casefold()
    head = ch.units[: ch.head_end]
    if any(_VV.match(u.text) for u in head if u.para.cells):
        return True
    number = ch.units[ch.number_i].text if ch.number_i is not None else ""
    if re.search(r"\d\s*-\s*CV\s*/", number):
        return True
    return any(u.text.casefold().startswith(label) for u in ch.units[: min(len(ch.units), 80)])


def header_end(ch, default: int) -> int:
    """Where the header ends when the document has no tên loại (a công văn): after the
    header table, so that the body, signature and Nơi nhận are looked for after it."""
    units = ch.units
    if not units or not units[0].para.cells:
        return default
    table = units[0].para.cells[0][0]
    end = next((u.index for u in units if not u.para.cells or u.para.cells[0][0] != table), len(units))
    label = ch.p["kinh_gui"]["nhan"].rstrip(":").casefold()
    later = units[end: end + 6]
    if any(u.text.casefold().startswith(label) for u in later) or any(
            _VV.match(u.text) for u in units[:end]):
        return end
    return default


def _kind(ch) -> Optional[kinds.Kind]:
    if ch.kind_i is None:
        return kinds.get("cong_van") if _is_letter(ch) and "cong_van" in kinds.codes() else None
    from .check import tone_norm
    return kinds.by_printed_name(tone_norm(ch.units[ch.kind_i].text))


def _issued_line(ch):
    if ch.kind_i is None:
        return None
    return next((u for u in ch.units[ch.kind_i + 1: ch.kind_i + 10] if _ISSUED.match(u.text)), None)


def run(ch) -> None:
    kind = _kind(ch)
    drop = set()
    if kind is not None and kind.printed_name is None:
        drop.add(f"{ch.prefix}.ten-loai.missing")
    issued = _issued_line(ch)
    if issued is not None:
        drop |= {f"{ch.prefix}.so-ky-hieu.missing", f"{ch.prefix}.dia-danh-ngay.missing",
                 f"{ch.prefix}.dia-danh-ngay.same-row", f"{ch.prefix}.trich-yeu.duoi"}
    if drop:
        ch.findings = [f for f in ch.findings if f.rule_id not in drop]
    if issued is not None:      # the mark under the trích yếu comes after the "(Ban hành kèm theo …)" line
        ch.check_mark("trich-yeu", "trich_yeu", issued, ch.p["trich_yeu"]["duoi"], "trích yếu")
    if kind is None:
        return
    if "dieu" in kind.nodes and "quyet_dinh" in ch.p.data:
        _decision(ch)
    if kind.subject_under_number and "trich_yeu_cong_van" in ch.p.data:
        _letter(ch)


def _decision(ch) -> None:
    want = ch.p["quyet_dinh"]["chu"]
    start = ch.kind_i + 1
    body = ch.units[start: ch.body_end]
    key = want.rstrip(":").upper()
    line = next((u for u in body if u.text.rstrip(":").upper().endswith(key) and u.text.upper() == u.text
                 and not _ARTICLE.match(u.text)), None)
    articles = [u for u in body if _ARTICLE.match(u.text)]
    if line is None:
        where = articles[0] if articles else ch.units[ch.kind_i]
        ch.add("quyet-dinh", "missing", "quyet_dinh", where.location, where.text,
               f"Quyết định thiếu dòng \"{want}\" trước các điều (căn cứ, rồi \"{want}\", rồi Điều 1, Điều 2 …)")
    elif want.endswith(":") and not line.text.endswith(":"):
        ch.add("quyet-dinh", "missing", "quyet_dinh", line.location, line.text,
               f"Phải ghi \"{want}\" (có dấu hai chấm)")
    elif articles and articles[0].index < line.index:
        ch.add("quyet-dinh", "missing", "quyet_dinh", articles[0].location, articles[0].text,
               f"Dòng \"{want}\" phải đứng trước Điều 1")
    for expected, u in enumerate(articles, 1):
        got = int(_ARTICLE.match(u.text).group(1))
        if got != expected:
            ch.add("dieu", "order", "dieu", u.location, u.text,
                   f"Các điều phải đánh số liên tục từ Điều 1: ở đây là \"Điều {got}\", phải là \"Điều {expected}\"")
            break


def _letter(ch) -> None:
    head = ch.units[: ch.head_end]
    if any(_VV.match(u.text) for u in head):
        return
    where = ch.units[ch.number_i] if ch.number_i is not None else (head[0] if head else None)
    tien_to = ch.p["trich_yeu_cong_van"]["tien_to"].strip()
    ch.add("trich-yeu-cong-van", "missing", "trich_yeu_cong_van", where.location if where else "phần đầu văn bản",
           where.text if where else "",
           f"Công văn thiếu trích yếu \"{tien_to} …\" dưới số, ký hiệu")
