"""Rules on the header: tiêu đề lines, agency names, number line, place and date."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ...model import KIND_CODES, KIND_NAMES
from ...vn import pad_day, pad_month
from ..context import ELEMENT_NAMES, Context
from ..findings import Finding
from ..flatten import Piece
from ..text import letters_key, tone_norm


def title_names(ctx: Context) -> list[str]:
    """Element names of the profile's tiêu đề lines: one line is the Party "tiêu đề",
    two are the state quốc hiệu and tiêu ngữ."""
    n = len(ctx.profile.tieu_de.dong)
    return ["tieu-de"] if n == 1 else ["quoc-hieu", "tieu-ngu"] + [f"tieu-de-{i}" for i in range(3, n + 1)]


def title_lines(ctx: Context) -> Iterator[Finding]:
    """Each tiêu đề line: present, its exact text, its look; a rule line under the last one."""
    lm = ctx.marks
    names = title_names(ctx)
    for spec, name, unit in zip(ctx.profile.tieu_de.dong, names, lm.title):
        what = ELEMENT_NAMES.get(name, name)
        if unit is None:
            yield ctx.finding(name, "missing", "tieu_de", "phần đầu văn bản", "",
                              f"Không tìm thấy {what.lower()} \"{spec.chu}\"")
            continue
        if tone_norm(unit.text) != tone_norm(spec.chu):
            yield ctx.finding(name, "text", "tieu_de", unit.location, unit.text,
                              f"{what} phải là \"{spec.chu}\"{_text_hint(unit.text, spec.chu)}")
        yield from ctx.look(name, "tieu_de", unit, size=spec.khoang, bold=spec.dam, italic=spec.nghieng,
                            upper=True if spec.chu == spec.chu.upper() else None)
    last = next((u for u in reversed(lm.title) if u is not None), None)
    if last is not None and ctx.profile.tieu_de.duong_ke_mm and not ctx.rule_after(last):
        name = names[len(lm.title) - 1]
        what = ELEMENT_NAMES.get(name, name)
        yield ctx.finding(name, "duong-ke", "tieu_de", last.location, last.text,
                          f"Thiếu đường kẻ liền dưới {what.lower()} (dài bằng dòng chữ)")


def agency(ctx: Context) -> Iterator[Finding]:
    """The superior body and the issuer: found, in size and style, the mark under the issuer."""
    units = ctx.marks.agency
    if not units:
        yield ctx.finding("co-quan-ban-hanh", "missing", "co_quan_ban_hanh", "phần đầu văn bản", "",
                          "Không tìm thấy tên cơ quan ban hành văn bản")
        return
    # Group the lines by paragraph; the issuer is the last paragraph, or
    # the trailing run of bold paragraphs; what is above is the superior body.
    groups: list[list[Piece]] = []
    for u in units:
        if groups and groups[-1][0].para is u.para:
            groups[-1].append(u)
        else:
            groups.append([u])

    def is_bold(g):
        segs = [s for u in g for s in u.visible()]
        return sum(bool(s.fmt.bold) for s in segs) * 2 > len(segs)
    split = len(groups) - 1
    # A bold trailing block is the issuer (its name may wrap over several
    # paragraphs).  When nothing is bold, the boldness cannot tell the
    # names apart: the last paragraph is the issuer, those above it the
    # superior body, so the one missing bold is reported once.
    while split > 0 and is_bold(groups[-1]) and is_bold(groups[split - 1]):
        split -= 1
    superior = [u for g in groups[:split] for u in g]
    issuer = [u for g in groups[split:] for u in g]
    for key, element, lines in (("co_quan_cap_tren", "co-quan-cap-tren", superior),
                                ("co_quan_ban_hanh", "co-quan-ban-hanh", issuer)):
        spec = ctx.profile[key]
        for u in lines:
            yield from ctx.look(element, key, u, size=spec.khoang, bold=spec.dam, italic=spec.nghieng,
                                upper=spec.in_hoa or None)
    yield from ctx.check_mark("co-quan-ban-hanh", "co_quan_ban_hanh", issuer[-1], ctx.profile.co_quan_ban_hanh.duoi,
                              "tên cơ quan ban hành")


def number(ctx: Context) -> Iterator[Finding]:
    """The number line: the profile's pattern, the type code of the tên loại, a leading zero, its look."""
    spec = ctx.profile.so_ky_hieu
    lm = ctx.marks
    if lm.number_i is None:
        if lm.issued is not None:
            return                  # issued with a decision: no number of its own
        yield ctx.finding("so-ky-hieu", "missing", "so_ky_hieu", "phần đầu văn bản", "",
                          "Không tìm thấy dòng số, ký hiệu (\"" + pattern_example(spec.mau) + "\")")
        return
    u = ctx.pieces[lm.number_i]
    text = u.text
    m = number_regex(spec.mau).match(text)
    if m is None:
        yield ctx.finding("so-ky-hieu", "format", "so_ky_hieu", u.location, text,
                          f"Số, ký hiệu không đúng mẫu \"{pattern_example(spec.mau)}\"{_number_hint(text, spec.mau)}")
    else:
        yield from _type_code(ctx, u, m.group("loai"))
        so = m.group("so").strip()
        if so.isdigit() and int(so) < 10 and len(so) < 2:
            yield ctx.finding("so-ky-hieu", "leading-zero", "so_ky_hieu", u.location, text,
                              f"Số nhỏ hơn 10 phải có số 0 đứng trước: \"{int(so):02d}\", không phải \"{so}\"")
    yield from ctx.look("so-ky-hieu", "so_ky_hieu", u, size=spec.khoang, bold=spec.dam, italic=spec.nghieng)


def _type_code(ctx: Context, unit: Piece, code: str) -> Iterator[Finding]:
    """The type code of the number must be the one of the tên loại (KẾ HOẠCH → KH, BÁO CÁO → BC)."""
    if ctx.marks.kind_i is None:
        return
    kind = tone_norm(ctx.pieces[ctx.marks.kind_i].text).upper()
    for key, name in KIND_NAMES.items():
        want = KIND_CODES.get(key)
        if want and kind == tone_norm(name).upper() and code != want:
            yield ctx.finding("so-ky-hieu", "code", "so_ky_hieu", unit.location, unit.text,
                              f"Ký hiệu loại văn bản của {name.lower()} là \"{want}\", không phải \"{code}\"")


_DATE = re.compile(r"^(?P<place>[^,]*[^\s,]),\s+ngày(?P<d>\s+\d{1,2}\s+|\s+)tháng(?P<m>\s+\d{1,2}\s+|\s+)"
                   r"năm\s+(?P<y>\d{4})\.?$")


def date(ctx: Context) -> Iterator[Finding]:
    """The place and date line: its pattern, a real date, leading zeros, its look."""
    spec = ctx.profile.dia_danh_ngay
    if ctx.marks.date_i is None:
        if ctx.marks.issued is not None:
            return                  # issued with a decision: no date of its own
        yield ctx.finding("dia-danh-ngay", "missing", "dia_danh_ngay", "phần đầu văn bản", "",
                          "Không tìm thấy dòng địa danh, ngày tháng năm (\"…, ngày … tháng … năm …\")")
        return
    u = ctx.pieces[ctx.marks.date_i]
    text = u.text
    m = _DATE.match(text)
    if m is None:
        yield ctx.finding("dia-danh-ngay", "format", "dia_danh_ngay", u.location, text,
                          "Địa danh, ngày tháng phải theo mẫu \"<Địa danh>, ngày 05 tháng 02 năm 2024\" "
                          "(dấu phẩy sau địa danh, chữ \"ngày\", \"tháng\", \"năm\" viết thường, ngày tháng bằng số)")
    else:
        d, mo = m.group("d").strip(), m.group("m").strip()
        if d and mo:
            if not (1 <= int(d) <= 31 and 1 <= int(mo) <= 12):
                yield ctx.finding("dia-danh-ngay", "format", "dia_danh_ngay", u.location, text,
                                  f"Ngày tháng không có thật: ngày {d} tháng {mo}")
            else:
                want_d, want_m = pad_day(int(d)), pad_month(int(mo))
                if (d, mo) != (want_d, want_m):
                    yield ctx.finding("dia-danh-ngay", "leading-zero", "dia_danh_ngay", u.location, text,
                                      f"Phải viết \"ngày {want_d} tháng {want_m}\": ngày dưới 10 và tháng 1, 2 "
                                      f"có số 0 đứng trước, tháng từ 3 đến 12 thì không")
    yield from ctx.look("dia-danh-ngay", "dia_danh_ngay", u, size=spec.khoang, bold=spec.dam, italic=spec.nghieng)


def date_beside_number(ctx: Context) -> Iterator[Finding]:
    """The date line sits on the row of the number line."""
    lm = ctx.marks
    if lm.date_i is None or lm.number_i is None or lm.issued is not None:
        return
    u, n = ctx.pieces[lm.date_i], ctx.pieces[lm.number_i]
    same_row = (n.para is u.para and n.line == u.line) or (
        n.cell and u.cell and n.cell[0] == u.cell[0] and n.cell[1] == u.cell[1])
    if not same_row:
        yield ctx.finding("dia-danh-ngay", "same-row", "dia_danh_ngay", u.location, u.text,
                          "Địa danh, ngày tháng phải nằm cùng một dòng (cùng hàng bảng) với số, ký hiệu",
                          severity="warning")


@lru_cache(maxsize=None)
def number_regex(pattern: str) -> re.Pattern:
    """The profile's number pattern ("Số: {so}/{loai}-{co_quan}") as a regex; the number may be blank (draft)."""
    out = ["^"]
    for part in re.split(r"(\{so\}|\{loai\}|\{co_quan\})", pattern):
        if part == "{so}":
            out.append(r"(?P<so>\d+|\s*)")
        elif part == "{loai}":
            out.append(r"(?P<loai>[A-ZĐ][A-Za-zĐđ]*)")
        elif part == "{co_quan}":
            out.append(r"(?P<co_quan>[A-ZĐ0-9][A-Za-zĐđ0-9]*(?:[-.][A-ZĐ0-9][A-Za-zĐđ0-9]*)*)")
        else:
            out.append("".join(r"\s+" if ch == " " else re.escape(ch) for ch in part))
    out.append(r"\s*$")
    return re.compile("".join(out))


def pattern_example(pattern: str) -> str:
    return pattern.format(so="<số>", loai="<loại>", co_quan="<cơ quan>")


def _number_hint(text: str, pattern: str) -> str:
    """Say what differs: the colon after "Số", or the separators."""
    head = pattern.split("{so}", 1)[0]
    hints = []
    has_colon = re.match(r"(?i)số\s*:", text) is not None
    if ":" in head and not has_colon:
        hints.append("thiếu dấu hai chấm sau \"Số\"")
    if ":" not in head and has_colon:
        hints.append("văn bản theo thể thức này ghi \"Số\" không có dấu hai chấm")
    m = re.search(r"\{so\}(.)\{loai\}(.)\{co_quan\}", pattern)
    if m:
        sep1, sep2 = m.groups()
        body = re.sub(r"(?i)^số\s*:?\s*", "", text)
        if re.match(rf"\d*\s*{re.escape(sep2)}", body) and sep1 != sep2:
            hints.append(f"giữa số và ký hiệu dùng \"{sep1}\", giữa loại và cơ quan dùng \"{sep2}\"")
        if re.search(r"\s[-/]|[-/]\s", body.strip()):
            hints.append("không có dấu cách trong ký hiệu")
    return (": " + "; ".join(hints)) if hints else ""


def _text_hint(text: str, want: str) -> str:
    """Why a fixed text (tiêu ngữ, quốc hiệu) differs: dashes, spaces or case."""
    hints = []
    if re.search(r"[–—‒−]", text) and "-" in want:
        hints.append("dùng dấu gạch nối \"-\", không dùng gạch ngang \"–\"")
    elif "-" in want and re.search(r"\S-|-\S", text):
        hints.append("dấu gạch nối phải có dấu cách ở hai bên")
    if letters_key(text) == letters_key(want) and tone_norm(text).upper() == tone_norm(want).upper() \
            and tone_norm(text) != tone_norm(want):
        hints.append("sai chữ hoa, chữ thường")
    return (" (" + "; ".join(hints) + ")") if hints else ""
