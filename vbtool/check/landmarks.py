"""The landmarks of a document, found once: where the header, tên loại, trích yếu, body,
signature and Nơi nhận are.

Every rule reads the same frozen ``Landmarks``; no rule finds or sets a landmark
for another, so rules can run in any order. Elements are found by what they
say: the quốc hiệu / tiêu đề by its letters, the number line by "Số", the date
line by ", ngày", the tên loại by the type name, the signature by its
authority prefix, "Nơi nhận" by the profile's label.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .. import kinds
from ..model import KIND_NAMES
from ..profile import Profile
from .flatten import Para, Piece, first_index
from .text import collapse, has_upper_letters_only, letters_key, nfc, norm_prefix, tone_norm

# Names of document types, for finding the tên loại: NĐ 30 Phụ lục III and
# Quy định 66-QĐ/TW (format-rules §3.6, §4.8), plus the kinds vbtool renders.
TYPE_NAMES = {
    "NGHỊ QUYẾT", "QUYẾT ĐỊNH", "CHỈ THỊ", "QUY CHẾ", "QUY ĐỊNH", "THÔNG CÁO", "THÔNG BÁO",
    "THÔNG TRI", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "KẾ HOẠCH", "PHƯƠNG ÁN", "ĐỀ ÁN", "DỰ ÁN",
    "BÁO CÁO", "BIÊN BẢN", "TỜ TRÌNH", "HỢP ĐỒNG", "CÔNG ĐIỆN", "BẢN GHI NHỚ",
    "BẢN THỎA THUẬN", "GIẤY ỦY QUYỀN", "GIẤY MỜI", "GIẤY GIỚI THIỆU", "GIẤY NGHỈ PHÉP",
    "PHIẾU GỬI", "PHIẾU CHUYỂN", "PHIẾU BÁO", "KẾT LUẬN", "QUY HOẠCH", "TUYÊN BỐ",
    "LỜI KÊU GỌI",
} | {name.upper() for name in KIND_NAMES.values()}

_TYPE_KEYS = {tone_norm(t).upper() for t in TYPE_NAMES}
MARK_TEXT = re.compile(r"[*\-–—_─=~.]{1,9}")
ISSUED = re.compile(r"(?i)^\(\s*(ban hành )?kèm theo\b")       # "(Ban hành kèm theo Quyết định số …)"
LETTER_SUBJECT = re.compile(r"(?i)^(v/v|về việc)\b")           # the "V/v …" line of a công văn
ARTICLE = re.compile(r"^Điều\s+(\d+)\s*[.:]")


@dataclass(frozen=True)
class Landmarks:
    """Indexes into the document's pieces (``Piece.index``) and the pieces themselves."""

    kind_i: Optional[int]                       # the tên loại
    head_end: int                               # the header is before this piece
    title: tuple[Optional[Piece], ...]          # one per tiêu đề line of the profile
    number_i: Optional[int]
    date_i: Optional[int]
    agency: tuple[Piece, ...]                   # lines of the agency names (superior and issuer)
    subject: tuple[Piece, ...]                  # the trích yếu (empty without a tên loại)
    label_i: Optional[int]                      # "Nơi nhận:"
    signature: tuple[Piece, ...]
    body_end: int                               # the body is before this piece
    body: tuple[Para, ...]                      # paragraphs of body text (checked for size, spacing)
    recipients: tuple[Piece, ...]               # the list under "Nơi nhận:"
    # what only some kinds have (data/kinds)
    kind: Optional[kinds.Kind]                  # the kind recognised (tên loại, or a công văn without one)
    issued: Optional[Piece]                     # "(Ban hành kèm theo Quyết định số …)" under the trích yếu
    letter_subject: Optional[Piece]             # the "V/v …" line in the header (công văn)
    decides: Optional[Piece]                    # the "QUYẾT ĐỊNH:" line of a decision
    articles: tuple[Piece, ...]                 # "Điều 1.", "Điều 2." … in the body


def prefix_of(text: str, prefix_norms: frozenset) -> Optional[str]:
    """The authority prefix token of a signature line (TM., T/M, KT. …) if it starts with one."""
    token = text.split(" ", 1)[0] if " " in text else ""
    norm = norm_prefix(token)
    return token if norm and norm in prefix_norms else None


def find(prof: Profile, paras: list[Para], pieces: list[Piece], prefix_norms: frozenset) -> Landmarks:
    """Find every landmark of the document once."""
    # tên loại: the first piece whose whole text is a document type name
    kind_i = first_index(pieces, lambda u: tone_norm(u.text).upper() in _TYPE_KEYS and not u.para.cells)
    if kind_i is None:
        kind_i = first_index(pieces, lambda u: tone_norm(u.text).upper() in _TYPE_KEYS)
    head_end = kind_i if kind_i is not None else _header_end(prof, pieces, min(len(pieces), 40))
    # tiêu đề lines
    title: list[Optional[Piece]] = []
    for line in prof.tieu_de.dong:
        key = letters_key(line.chu)
        i = first_index(pieces, lambda u, key=key: letters_key(u.text) == key, 0, head_end)
        if i is None:
            i = first_index(pieces, lambda u, key=key: key in letters_key(u.text), 0, head_end)
        title.append(pieces[i] if i is not None else None)
    # number and date lines
    number_i = first_index(pieces, lambda u: re.match(r"(?i)số\b", nfc(u.text)) is not None, 0, head_end)
    date_i = first_index(
        pieces, lambda u: re.search(r"(?i)(^|,\s*)ngày\b", u.text) is not None and "tháng" in u.text.lower()
        and "năm" in u.text.lower(), 0, head_end)
    # signature and Nơi nhận: only after the tên loại, inside the first section
    start = (kind_i + 1) if kind_i is not None else head_end
    first_section_end = next((i for i, u in enumerate(pieces) if u.para.section > 0), len(pieces))
    # the label stands alone on its line; a body sentence "Nơi nhận hồ sơ …" is not it
    label_key = letters_key(prof.noi_nhan.nhan)
    label_i = first_index(pieces, lambda u: letters_key(u.text) == label_key, start, first_section_end)
    signature = _signature(pieces, label_i, start, first_section_end, prefix_norms)
    ends = [i for i in (label_i, signature[0].index if signature else None) if i is not None]
    if label_i is not None and pieces[label_i].para.cells:
        cell_table = pieces[label_i].para.cells[0][0]
        ends.append(next(u.index for u in pieces if u.para.cells and u.para.cells[0][0] == cell_table))
    body_end = min(ends) if ends else first_section_end
    subject = _subject(pieces, kind_i) if kind_i is not None else []
    subject_end = subject[-1].para.index if subject else None
    kind = _kind(prof, pieces, kind_i, head_end, number_i)
    decides, articles = _decision(prof, pieces, kind_i, body_end)
    return Landmarks(
        kind=kind, issued=_issued(pieces, kind_i),
        letter_subject=next((u for u in pieces[:head_end] if LETTER_SUBJECT.match(u.text)), None),
        decides=decides, articles=tuple(articles),
        kind_i=kind_i, head_end=head_end, title=tuple(title), number_i=number_i, date_i=date_i,
        agency=tuple(_agency(pieces, title, number_i, date_i, head_end)), subject=tuple(subject),
        label_i=label_i, signature=tuple(signature), body_end=body_end,
        body=tuple(_body(prof, paras, pieces, kind_i, head_end, subject_end, body_end)),
        recipients=tuple(_recipients(pieces, pieces[label_i]) if label_i is not None else ()))


def _header_end(prof: Profile, pieces: list[Piece], default: int) -> int:
    """Where the header ends when the document has no tên loại (a công văn): after the header
    table, when a "V/v" line is in it or "Kính gửi" follows it, so that the body, signature and
    Nơi nhận are looked for after it."""
    if not pieces or not pieces[0].para.cells:
        return default
    table = pieces[0].para.cells[0][0]
    end = next((u.index for u in pieces if not u.para.cells or u.para.cells[0][0] != table), len(pieces))
    label = prof.kinh_gui.nhan.rstrip(":").casefold()
    if any(u.text.casefold().startswith(label) for u in pieces[end: end + 6]) or any(
            LETTER_SUBJECT.match(u.text) for u in pieces[:end]):
        return end
    return default


def _kind(prof: Profile, pieces: list[Piece], kind_i: Optional[int], head_end: int,
          number_i: Optional[int]) -> Optional[kinds.Kind]:
    """The kind by its tên loại; without one, a công văn when the header has a "V/v" line, the
    number has the Party code CV, or a "Kính gửi" line is near the top."""
    if kind_i is not None:
        return kinds.by_printed_name(tone_norm(pieces[kind_i].text))
    if "cong_van" not in kinds.codes():
        return None
    label = prof.kinh_gui.nhan.rstrip(":").casefold()
    number = pieces[number_i].text if number_i is not None else ""
    if any(LETTER_SUBJECT.match(u.text) for u in pieces[:head_end] if u.para.cells) \
            or re.search(r"\d\s*-\s*CV\s*/", number) \
            or any(u.text.casefold().startswith(label) for u in pieces[:80]):
        return kinds.get("cong_van")
    return None


def _issued(pieces: list[Piece], kind_i: Optional[int]) -> Optional[Piece]:
    """The "(Ban hành kèm theo …)" line a few lines under the tên loại."""
    if kind_i is None:
        return None
    return next((u for u in pieces[kind_i + 1: kind_i + 10] if ISSUED.match(u.text)), None)


def _decision(prof: Profile, pieces: list[Piece], kind_i: Optional[int],
              body_end: int) -> tuple[Optional[Piece], list[Piece]]:
    """The "QUYẾT ĐỊNH:" line (the profile's ``quyet_dinh.chu``; the Party line ends with it) and
    the articles, between the tên loại and the signature."""
    if kind_i is None:
        return None, []
    body = pieces[kind_i + 1: body_end]
    articles = [u for u in body if ARTICLE.match(u.text)]
    if prof.quyet_dinh is None:
        return None, articles
    key = prof.quyet_dinh.chu.rstrip(":").upper()
    line = next((u for u in body if u.text.rstrip(":").upper().endswith(key) and u.text.upper() == u.text
                 and not ARTICLE.match(u.text)), None)
    return line, articles


def _signature(pieces: list[Piece], label_i: Optional[int], start: int, stop: int,
               prefix_norms: frozenset) -> list[Piece]:
    """The lines of the signature block: the cell beside "Nơi nhận", or the last prefixed block."""
    if label_i is not None and pieces[label_i].para.cells:
        label = pieces[label_i]
        depth = len(label.para.cells)
        table, row, col = label.para.cells[-1]
        cell = [u for u in pieces[start:stop] if len(u.para.cells) >= depth
                and u.para.cells[depth - 1][:2] == (table, row) and u.para.cells[depth - 1][2] != col]
        if any(u.text for u in cell):
            return [u for u in cell if u.text]
    # otherwise: the last upper-case line starting with an authority prefix
    hit = None
    for u in pieces[start:stop]:
        if u.text and has_upper_letters_only(u.text) and prefix_of(u.text, prefix_norms):
            hit = u
    if hit is None:
        return []
    if hit.para.cells:
        same = [u for u in pieces[start:stop] if u.para.cells and u.para.cells[-1] == hit.para.cells[-1] and u.text]
        first = next((u for u in same if prefix_of(u.text, prefix_norms) and has_upper_letters_only(u.text)), hit)
        return [u for u in same if u.index >= first.index]
    # paragraphs: go back over prefixed lines, then forward to the name
    i = hit.index
    while i - 1 >= start and pieces[i - 1].text and has_upper_letters_only(pieces[i - 1].text):
        i -= 1
    out: list[Piece] = []
    for u in pieces[i:stop]:
        if not u.text:
            if out and not has_upper_letters_only(out[-1].text):
                break
            continue
        out.append(u)
        if not has_upper_letters_only(u.text):
            break
    return out


def _agency(pieces: list[Piece], title: list[Optional[Piece]], number_i: Optional[int], date_i: Optional[int],
            head_end: int) -> list[Piece]:
    """Lines of the agency name: header lines left of the tiêu đề, above the number line."""
    anchors = [u for u in title if u is not None]
    if not anchors and number_i is None and date_i is None:
        return []          # no header at all: nothing can be told to be the agency name
    stop = number_i if number_i is not None else (date_i if date_i is not None else head_end)
    titles = {u.index for u in anchors}
    title_cells = {u.cell for u in anchors if u.cell}
    title_cols = {u.col for u in anchors if not u.cell}
    out: list[Piece] = []
    for u in pieces[:stop]:
        text = u.text
        if not text or u.index in titles or not any(ch.isalpha() for ch in text):
            continue
        if u.cell and u.cell in title_cells:
            continue
        if not u.cell and title_cols and u.col in title_cols and u.col > 0:
            continue
        if date_i is not None and u.index == date_i:
            continue
        if u.para.cells and out and out[-1].para.cells and u.para.cells[-1][2] != out[-1].para.cells[-1][2]:
            continue
        out.append(u)
    return out


def _subject(pieces: list[Piece], kind_i: int) -> list[Piece]:
    """The trích yếu: the line(s) right under the tên loại, up to the mark or the first blank line."""
    out: list[Piece] = []
    kind = pieces[kind_i]
    for u in pieces[kind_i + 1: kind_i + 8]:
        text = u.text
        if not text:
            if out or u.para is not kind.para:
                break
            continue
        if MARK_TEXT.fullmatch(text) or re.match(r"(?i)(kính gửi|căn cứ|\((ban hành )?kèm theo)\b", text):
            break
        if out and u.para is not out[-1].para and u.para.props.align != "center":
            break
        if out and u.para is not out[-1].para and u.para.props.first_line > 0:
            break
        out.append(u)
        if len(out) >= 4 or u.para.props.border_bottom:
            break
    return out


def _body(prof: Profile, paras: list[Para], pieces: list[Piece], kind_i: Optional[int], head_end: int,
          subject_end: Optional[int], body_end: int) -> list[Para]:
    """Paragraphs of body text: after the trích yếu (or the header), before the signature and Nơi nhận."""
    start = subject_end
    if start is None:
        start = pieces[kind_i].para.index if kind_i is not None else (
            pieces[head_end - 1].para.index if head_end else -1)
    stop = pieces[body_end].para.index if body_end < len(pieces) else len(paras)
    out: list[Para] = []
    label = prof.kinh_gui.nhan.rstrip(":").casefold()
    in_kinh_gui = False
    for para in paras[start + 1: stop]:
        text = collapse(para.text)
        if para.cells or para.section > 0 or not text:
            continue
        if MARK_TEXT.fullmatch(text):
            continue
        # The "Kính gửi:" block (one line, or a list of "- …" lines under
        # it) is an address, laid out single-spaced: not body text.
        if not out and text.casefold().startswith(label):
            in_kinh_gui = True
            continue
        if in_kinh_gui and not out and text.startswith(("-", "–")):
            continue
        out.append(para)
    return out


def _recipients(pieces: list[Piece], label: Piece) -> list[Piece]:
    """The list under "Nơi nhận:": the rest of its cell, or the dash lines that follow it."""
    out: list[Piece] = []
    if label.para.cells:
        depth = len(label.para.cells)
        cell = label.para.cells[-1]
        for u in pieces[label.index + 1:]:
            if len(u.para.cells) < depth or u.para.cells[depth - 1] != cell:
                if out:
                    break
                continue
            if u.text:
                out.append(u)
        return out
    for u in pieces[label.index + 1:]:
        if not u.text:
            continue
        if not u.text.startswith(("-", "–", "+")) and not re.match(r"\(", u.text):
            break
        out.append(u)
    return out
