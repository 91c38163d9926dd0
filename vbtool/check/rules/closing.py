"""Rules on the end of the document: the signature block and the Nơi nhận list with its Lưu line."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ..context import Context
from ..findings import Finding
from ..flatten import Seg
from ..landmarks import prefix_of
from ..text import fmt_num, has_upper_letters_only, norm_prefix


def signature(ctx: Context) -> Iterator[Finding]:
    """Authority prefixes of the profile, the bold of authority / title / name, their size."""
    ck = ctx.profile.chu_ky
    lines = ctx.marks.signature
    if not lines:
        yield ctx.finding("chu-ky", "missing", "chu_ky", "cuối văn bản", "",
                          "Không tìm thấy khối chữ ký (quyền hạn, chức vụ, họ tên người ký)", severity="warning")
        return
    prefixes = ck.tien_to
    by_norm = {norm_prefix(v): v for v in prefixes.values()}
    acting = norm_prefix(prefixes.get("quyen", ""))         # "Q.": "Quyền", a title, not an authority
    upper = [u for u in lines if has_upper_letters_only(u.text)]
    name = next((u for u in reversed(lines) if not has_upper_letters_only(u.text)), None)
    for i, u in enumerate(upper):
        token = prefix_of(u.text, ctx.prefix_norms)
        if token:
            want = by_norm.get(norm_prefix(token))
            if want is None:
                yield ctx.finding("chu-ky", "prefix", "chu_ky", u.location, u.text,
                                  f"Thể thức này không dùng \"{token}\"; dùng một trong: "
                                  + ", ".join(f"\"{v}\"" for v in prefixes.values()))
            elif token != want:
                yield ctx.finding("chu-ky", "prefix", "chu_ky", u.location, u.text,
                                  f"Phải ghi \"{want}\", không ghi \"{token}\"")
        authority = i == 0 or bool(token and norm_prefix(token) != acting)
        bold = ck.quyen_han_dam if authority else ck.chuc_vu_dam
        yield from ctx.look("chu-ky", "chu_ky", u, size=ck.khoang, bold=bold, italic=False,
                            what="Quyền hạn của người ký" if authority else "Chức vụ của người ký")
    if name is not None:
        yield from ctx.look("chu-ky", "chu_ky", name, size=ck.khoang, bold=ck.ho_ten_dam, italic=False,
                            what="Họ tên người ký")


def recipients_label(ctx: Context) -> Iterator[Finding]:
    """The "Nơi nhận:" label: present, its text, its own look (not the text after it)."""
    nn = ctx.profile.noi_nhan
    if ctx.marks.label_i is None:
        yield ctx.finding("noi-nhan", "missing", "noi_nhan", "cuối văn bản", "",
                          f"Không tìm thấy phần \"{nn.nhan}\" (danh sách nơi nhận và dòng lưu)")
        return
    label = ctx.pieces[ctx.marks.label_i]
    text = label.text
    want = nn.nhan
    if not text.startswith(want):
        yield ctx.finding("noi-nhan", "label-text", "noi_nhan", label.location, text, f"Phải ghi đúng \"{want}\"")
    # only the label's own characters are checked, not text after it on the line
    segs, taken = [], 0
    for s in label.segs:
        if taken >= len(want):
            break
        piece = (s.text if taken else s.text.lstrip())[: len(want) - taken]
        segs.append(Seg(piece, s.fmt))
        taken += len(piece)
    yield from ctx.look("noi-nhan", "noi_nhan", label, segs, size=(nn.nhan_co_chu, nn.nhan_co_chu),
                        bold=nn.nhan_dam, italic=nn.nhan_nghieng, underline=nn.nhan_gach_chan,
                        what=f"Chữ \"{want}\"", prop_prefix="label-")


def recipients_list(ctx: Context) -> Iterator[Finding]:
    """The list under "Nơi nhận:": its size, and the Lưu line in the profile's pattern."""
    nn = ctx.profile.noi_nhan
    if ctx.marks.label_i is None:
        return                      # reported once, by recipients_label
    label = ctx.pieces[ctx.marks.label_i]
    entries = ctx.marks.recipients
    bad_size = [u for u in entries if any(abs(s.fmt.size - nn.co_chu) > 0.01 for s in u.visible())]
    if bad_size:
        u = bad_size[0]
        sizes = sorted({s.fmt.size for x in bad_size for s in x.visible()} - {nn.co_chu})
        count = f" ({len(bad_size)} dòng)" if len(bad_size) > 1 else ""
        yield ctx.finding("noi-nhan", "size", "noi_nhan", u.location, u.text,
                          f"Danh sách nơi nhận cỡ chữ {', '.join(fmt_num(x) for x in sizes)} pt{count}, "
                          f"phải {fmt_num(nn.co_chu)} pt")
    word = luu_word(nn.luu_mau)
    luu = [u for u in entries if re.match(rf"-?\s*{re.escape(word)}\b", u.text)]
    example = "- " + nn.luu_mau.format(ds=(nn.luu_dau + ", …") if nn.luu_dau else "…")
    if not luu:
        yield ctx.finding("noi-nhan", "luu", "noi_nhan", label.location, label.text,
                          f"Thiếu dòng lưu ở cuối danh sách nơi nhận (\"{example}\")")
        return
    u = luu[-1]
    m = luu_regex(nn.luu_mau).match(u.text)
    first = nn.luu_dau
    if m is None or (first and not re.match(rf"{re.escape(first)}\b", m.group("ds").strip())):
        yield ctx.finding("noi-nhan", "luu", "noi_nhan", u.location, u.text, f"Dòng lưu phải theo mẫu \"{example}\"")


def luu_word(pattern: str) -> str:
    """The word that opens the profile's Lưu line ("Lưu: {ds}." → "Lưu")."""
    return re.split(r"[\s:{]", pattern.strip(), maxsplit=1)[0]


@lru_cache(maxsize=None)
def luu_regex(pattern: str) -> re.Pattern:
    """The profile's Lưu line ("Lưu: {ds}.") as a regex over "- Lưu: VT, ABC."."""
    head, _, tail = pattern.partition("{ds}")

    def esc(s: str) -> str:
        return "".join(r"\s+" if ch == " " else re.escape(ch) for ch in s)
    return re.compile(rf"^-\s*{esc(head)}(?P<ds>.+?){esc(tail)}$")
