"""What every rule reads: the document as flattened once, its profile and its landmarks.

``Context`` is built once per checked file and not changed afterwards; a rule
is a function ``rule(ctx) -> Iterable[Finding]``. The helpers here turn a
departure into a ``Finding`` (rule id from the profile name, severity from the
source of the profile element) and check the look of a piece of text.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterator, Optional

from .. import profile as profiles
from ..ooxml.ns import w
from ..ooxml.read import Styles, Theme
from .docx import Package
from .findings import Finding, rule_prefix, severity_of
from .flatten import Flattener, PageSetup, Para, Piece, Seg, page_setups, split_pieces
from .landmarks import Landmarks, find
from .text import collapse, excerpt, fmt_num, fmt_range, has_upper_letters_only, norm_prefix

# Vietnamese names of the checked elements, for messages.
ELEMENT_NAMES = {
    "trang": "Trang", "phong-chu": "Phông chữ", "quoc-hieu": "Quốc hiệu", "tieu-ngu": "Tiêu ngữ",
    "tieu-de": "Tiêu đề", "co-quan-cap-tren": "Tên cơ quan cấp trên",
    "co-quan-ban-hanh": "Tên cơ quan ban hành", "so-ky-hieu": "Số, ký hiệu",
    "dia-danh-ngay": "Địa danh, ngày tháng", "ten-loai": "Tên loại", "trich-yeu": "Trích yếu",
    "than-van-ban": "Thân văn bản", "chu-ky": "Chữ ký", "noi-nhan": "Nơi nhận", "so-trang": "Số trang",
}


@dataclass(frozen=True)
class Context:
    pkg: Package
    profile: profiles.Profile
    prefix: str                      # rule id prefix ("ND30")
    styles: Styles
    paras: tuple[Para, ...]          # the body
    pieces: tuple[Piece, ...]        # the body's lines and columns
    stories: tuple[Para, ...]        # body, then headers, footers and notes in use
    pages: tuple[PageSetup, ...]
    prefix_norms: frozenset          # authority prefixes of every profile, normalised
    marks: Landmarks

    # -- findings ----------------------------------------------------------
    def nguon(self, key: str) -> str:
        try:
            return self.profile[key].get("nguon", "")
        except KeyError:
            return ""

    def finding(self, element: str, prop: str, key: str, location: str, text: str, message: str,
                severity: Optional[str] = None) -> Finding:
        nguon = self.nguon(key)
        return Finding(f"{self.prefix}.{element}.{prop}", severity or severity_of(nguon), location, excerpt(text),
                       message, nguon)

    def look(self, element: str, key: str, unit: Piece, segs: Optional[list[Seg]] = None, *,
             size=None, bold=None, italic=None, underline=None, upper=None, what: str = "",
             prop_prefix: str = "") -> Iterator[Finding]:
        """Check size, bold, italic, underline and case of the visible text of a piece.

        ``prop_prefix`` distinguishes two parts of one element ("label-size"
        for the "Nơi nhận:" label, "size" for the list under it).
        """
        segs = [s for s in (segs if segs is not None else unit.segs) if s.text.strip()]
        if not segs:
            return
        what = what or ELEMENT_NAMES.get(element, element)
        text = unit.text
        if size is not None:
            sizes = sorted({s.fmt.size for s in segs})
            bad = [x for x in sizes if not size[0] - 0.01 <= x <= size[1] + 0.01]
            if bad:
                yield self.finding(element, prop_prefix + "size", key, unit.location, text,
                                   f"{what}: cỡ chữ {', '.join(fmt_num(x) for x in bad)} pt, phải {fmt_range(size)}")
        for prop, want, yes, no in (("bold", bold, "phải in đậm", "không được in đậm"),
                                    ("italic", italic, "phải in nghiêng", "phải là chữ đứng, không in nghiêng"),
                                    ("underline", underline, "phải gạch chân", "không được gạch chân")):
            if want is None:
                continue
            if any(bool(getattr(s.fmt, prop)) != want for s in segs):
                yield self.finding(element, prop_prefix + prop, key, unit.location, text,
                                   f"{what}: {yes if want else no}")
        if upper is not None:
            shown = "".join(s.text.upper() if s.fmt.caps else s.text for s in segs)
            if upper and not has_upper_letters_only(shown):
                yield self.finding(element, prop_prefix + "case", key, unit.location, text,
                                   f"{what}: phải viết in hoa")

    # -- what sits under an element ---------------------------------------------
    def rule_after(self, unit: Piece) -> bool:
        """Is there a solid line under this piece: a bottom border, a line shape, a text underline,
        or a paragraph of underscores right below it (in the same cell)?"""
        para = unit.para
        vis = unit.visible()
        if para.props.border_bottom or para.has_line_shape:
            return True
        if vis and all(s.fmt.underline for s in vis):
            return True
        following = [q for q in self.paras[para.index + 1: para.index + 4] if q.cells == para.cells]
        for q in following[:2]:
            text = collapse(q.text)
            if q.props.border_bottom or q.props.border_top or q.has_line_shape:
                return True
            if text and re.fullmatch(r"[_─━‗]{3,}", text):
                return True
            if text:
                return False
        return False

    def mark_after(self, unit: Piece) -> tuple[str, Optional[Para]]:
        """What sits under a piece: ("rule", None), ("text", para) with a short mark, or ("", None)."""
        if self.rule_after(unit):
            return "rule", None
        following = [q for q in self.paras[unit.para.index + 1: unit.para.index + 4] if q.cells == unit.para.cells]
        for q in following[:2]:
            text = collapse(q.text)
            if text:
                if re.fullmatch(r"[*\-–—=~.·•]{1,9}", text):
                    return "text", q
                return "", None
        return "", None

    def check_mark(self, element: str, key: str, unit: Piece, spec, what: str) -> Iterator[Finding]:
        """The rule line or the text mark ("*", "-----") the profile puts under an element."""
        kind, para = self.mark_after(unit)
        if spec["kieu"] == "duong_ke":
            if kind == "rule":
                return
            found = f" (đang dùng \"{collapse(para.text)}\")" if para is not None else ""
            yield self.finding(element, "duoi", key, unit.location, unit.text,
                               f"Thiếu đường kẻ liền dưới {what.lower()}{found}")
        else:
            want = spec["chu"]
            if kind == "text" and collapse(para.text) == want:
                return
            if kind == "rule":
                msg = f"Dưới {what.lower()} phải là \"{want}\", không kẻ đường"
            elif kind == "text":
                msg = f"Dưới {what.lower()} phải là \"{want}\", không phải \"{collapse(para.text)}\""
            else:
                msg = f"Thiếu \"{want}\" dưới {what.lower()}"
            yield self.finding(element, "duoi", key, unit.location, unit.text, msg)


def _prefix_norms() -> frozenset:
    """Authority prefixes of every profile (TM., KT., T/M, K/T …), without dots and slashes."""
    out = set()
    for name in profiles.available():
        try:
            prof = profiles.load(name)
        except Exception:          # a broken profile must not break checking with the others
            continue
        out.update(norm_prefix(v) for v in prof.chu_ky.tien_to.values())
    return frozenset(out)


def _stories(pkg: Package, flat: Flattener, body: list[Para], pages: list[PageSetup]) -> list[Para]:
    """Body paragraphs plus those of every header and footer part in use, and of the notes."""
    out = list(body)
    rels = pkg.rels(pkg.main)
    seen = set()
    for s in pages:
        for kind, refs in (("đầu trang", s.headers), ("chân trang", s.footers)):
            for rid in refs.values():
                if rid in rels and rels[rid][1] not in seen:
                    part = rels[rid][1]
                    seen.add(part)
                    root = pkg.xml(part)
                    if root is not None:
                        out.extend(flat.story(root, f"{kind} {posixpath.basename(part)}, "))
    for suffix, kind in (("/footnotes", "chú thích"), ("/endnotes", "chú thích cuối")):
        part = pkg.related(suffix)
        root = pkg.xml(part) if part else None
        if root is not None:
            for note in root:
                if (note.get(w("type")) or "normal") == "normal":
                    out.extend(flat.story(note, f"{kind} {note.get(w('id'))}, "))
    return out


def build(pkg: Package, prof: profiles.Profile) -> Context:
    """Read, resolve and flatten the document once, and find its landmarks."""
    theme_part = pkg.related("/theme")
    theme = Theme(pkg.xml(theme_part) if theme_part else None)
    styles_part = pkg.related("/styles")
    styles = Styles(pkg.xml(styles_part) if styles_part else None, theme)
    body = pkg.xml(pkg.main).find(w("body"))
    flat = Flattener(styles)
    paras = flat.story(body)
    pieces = split_pieces(paras)
    pages = page_setups(body)
    stories = _stories(pkg, flat, paras, pages)       # after the body: tables are numbered on from it
    norms = _prefix_norms()
    return Context(pkg, prof, rule_prefix(prof.name), styles, tuple(paras), tuple(pieces), tuple(stories),
                   tuple(pages), norms, find(prof, paras, pieces, norms))
