"""`vbtool check`: report where any .docx departs from the layout rules of its regime.

Why this module exists: vbtool's own output is laid out from the profiles, but
clerks also receive documents written in Word or LibreOffice, and a rendered
file can be edited afterwards.  The checker reopens a .docx made by anyone
and compares what a reader *sees* with the regime's rules (NĐ 30/2020 for the
state, HD 36-HD/VPTW for the Party), reading every size, text and prefix from
the same profile files the renderer uses.

How it is built, and why:

* **Effective formatting.**  Real files inherit most of their formatting
  (document defaults → table style → paragraph style with its ``basedOn``
  chain → character style → direct formatting), so looking at a run's own
  ``w:rPr`` would miss most problems and invent others.  ``Styles`` resolves
  that chain over the raw XML with lxml.  Theme fonts are resolved through
  the theme part; a theme font that cannot be resolved counts as "not Times
  New Roman", since nobody can tell which font the reader will get.
* **Locators, not positions.**  Word users build the header with tables, tabs,
  line breaks or separate paragraphs.  The document is flattened into
  *units* (one line of one paragraph, split further at tabs) and each element
  is found by what it says: the quốc hiệu / tiêu đề by its letters, the number
  line by "Số", the date line by ", ngày", the tên loại by the type name, the
  signature by its authority prefix, "Nơi nhận" by its label.
* **Rule ids traceable to the source.**  Each finding carries an id
  ``<REGIME>.<element>.<property>`` (``ND30.tieu-ngu.text``,
  ``HD36.so-ky-hieu.format``), where the regime prefix comes from the profile
  name and the element is the profile key; the profile element's ``nguon``
  (with the source tags of format-rules.md) goes into the JSON output.  A
  rule whose source is confirmed in the text of the regulation (a ``[C-…]``
  tag) is an error; a rule known only from practice, recollection or
  secondary summaries (``[P]``, ``[M]``, ``[S]``) is a warning.

Every message a user can see is Vietnamese; identifiers and comments are English.
"""
from __future__ import annotations

import io
import json
import posixpath
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

import click
from lxml import etree

from . import profile as profiles
from . import safezip
from .model import KIND_CODES, KIND_NAMES
from .vn import pad_day, pad_month

__all__ = ["Finding", "Report", "DocxError", "check_docx", "check_cmd"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
VML_NS = "urn:schemas-microsoft-com:vml"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# A real Kế hoạch is a few hundred KB of XML; anything near this is a zip bomb
# or not a document, and parsing it would only exhaust memory.
MAX_PART_BYTES = 64 * 1024 * 1024

# Line spacing allowed in the body, in multiples of a single line: NĐ 30 PL I
# §II.6 "giãn dòng từ đơn đến 1,5 dòng" [C-PL1].  The profiles hold the value
# vbtool emits (gian_dong_pt) but not this range; a profile may provide it as
# than_van_ban.gian_dong_khoang_dong and then that wins.
LINE_SPACING_LINES = (1.0, 1.5)
# Height of one "single" line of Times New Roman as a multiple of the font
# size (ascent + descent + line gap of the font), used to compare "Exactly
# 18 pt" with "single to 1.5 lines" [Measured with Liberation Serif].
SINGLE_LINE_EM = 1.15
# Space between body paragraphs: "cách đoạn tối thiểu 6 pt" [C-PL1]; a
# profile may override it with than_van_ban.cach_doan_toi_thieu.
MIN_PARA_SPACING_PT = 6

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

# Vietnamese names of the checked elements, for messages.
ELEMENT_NAMES = {
    "trang": "Trang", "phong-chu": "Phông chữ", "quoc-hieu": "Quốc hiệu", "tieu-ngu": "Tiêu ngữ",
    "tieu-de": "Tiêu đề", "co-quan-cap-tren": "Tên cơ quan cấp trên",
    "co-quan-ban-hanh": "Tên cơ quan ban hành", "so-ky-hieu": "Số, ký hiệu",
    "dia-danh-ngay": "Địa danh, ngày tháng", "ten-loai": "Tên loại", "trich-yeu": "Trích yếu",
    "than-van-ban": "Thân văn bản", "chu-ky": "Chữ ký", "noi-nhan": "Nơi nhận", "so-trang": "Số trang",
}

REGIME_NAMES = {"nha_nuoc": "nhà nước", "dang": "Đảng"}


class DocxError(Exception):
    """The file is not a readable .docx; the message is Vietnamese (exit code 2)."""


# ============================================================== findings/report


@dataclass
class Finding:
    """One departure from a rule, located in the document."""

    rule_id: str
    severity: str            # "error" | "warning"
    location: str            # Vietnamese: "bảng 1, hàng 2, ô 1", "đoạn 12", ...
    excerpt: str
    message: str
    nguon: str = ""          # the profile element's source, for traceability

    def as_dict(self) -> dict:
        return {"rule_id": self.rule_id, "severity": self.severity, "location": self.location,
                "excerpt": self.excerpt, "message": self.message, "nguon": self.nguon}


@dataclass
class Report:
    """The result of checking one file."""

    file: str
    profile: str
    regime: str
    detected: bool           # the regime was recognised from the header (not given)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "error"]

    @property
    def rule_ids(self) -> set[str]:
        return {f.rule_id for f in self.findings}

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def as_dict(self) -> dict:
        return {"file": self.file, "profile": self.profile, "regime": self.regime,
                "regime_detected": self.detected, "errors": len(self.errors),
                "warnings": len(self.warnings), "findings": [f.as_dict() for f in self.findings]}

    def human_lines(self) -> list[str]:
        out = []
        for f in self.findings:
            kind = "lỗi" if f.severity == "error" else "cảnh báo"
            where = f.location + (f', "{f.excerpt}"' if f.excerpt else "")
            out.append(f"{self.file}: [{kind}] {f.rule_id} (vị trí: {where}): {f.message}")
        how = "tự nhận biết" if self.detected else "theo tùy chọn"
        regime = f"thể thức {REGIME_NAMES.get(self.regime, self.regime)}, hồ sơ {self.profile}, {how}"
        if self.findings:
            out.append(f"{self.file}: {len(self.errors)} lỗi, {len(self.warnings)} cảnh báo ({regime})")
        else:
            out.append(f"{self.file}: đạt, không có lỗi ({regime})")
        return out


# ============================================================== text helpers


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    """Whitespace (NBSP included) collapsed to single spaces, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def excerpt(text: str, limit: int = 40) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def letters_key(text: str) -> str:
    """Letters and digits only, without diacritics, upper case: finds a line whatever its dashes or marks."""
    base = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in base if ch.isalnum() and not unicodedata.combining(ch)).upper()


def _tone_pairs() -> dict[str, str]:
    """Old-style tone placement (hoà, uỷ) mapped to the other style (hòa, ủy).

    NĐ 30 itself writes both "CỘNG HÒA" and "CỘNG HOÀ" (format-rules §6.3),
    so fixed texts are compared with either placement accepted.
    """
    out = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for mark in ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323"):
            for f, s in ((first, second), (first.upper(), second.upper())):
                out[nfc(f + s + mark)] = nfc(f + mark + s)
    return out


_TONES = _tone_pairs()
_TONE_RE = re.compile("|".join(map(re.escape, _TONES)))


def tone_norm(text: str) -> str:
    return _TONE_RE.sub(lambda m: _TONES[m.group()], nfc(collapse(text)))


def fmt_num(x: float) -> str:
    """12 → "12", 12.5 → "12,5" (Vietnamese decimal comma)."""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}".replace(".", ",")


def fmt_range(rng, unit: str = "pt") -> str:
    lo, hi = rng
    return f"{fmt_num(lo)} {unit}" if lo == hi else f"{fmt_num(lo)}–{fmt_num(hi)} {unit}"


def has_upper_letters_only(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and text == text.upper()


# ============================================================== package reading


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


class Package:
    """The parts of a .docx, read lazily, with relationship targets resolved."""

    def __init__(self, source):
        if isinstance(source, (bytes, bytearray)):
            data = bytes(source)
            self.name = "<bytes>"
        else:
            path = Path(source)
            self.name = str(source)
            if not path.exists():
                raise DocxError("không tìm thấy tệp")
            if not path.is_file():
                raise DocxError("không phải là tệp .docx (là một thư mục)")
            try:
                data = safezip.read_file(path)
            except safezip.ZipLimitError as exc:
                raise DocxError(str(exc)) from None
            except OSError as exc:
                raise DocxError(f"không đọc được tệp: {exc.strerror or exc}") from None
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise DocxError("tệp là .doc cũ hoặc .docx có mật khẩu, không phải .docx đọc được; "
                            "hãy mở bằng Word/LibreOffice và lưu lại dạng .docx")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise DocxError("không phải tệp .docx đọc được (không mở được gói ZIP của Word)") from None
        self._cache: dict[str, etree._Element] = {}
        self.main = self._main_part()
        if self.main not in self.names:
            raise DocxError("không phải tệp .docx đọc được (thiếu word/document.xml)")
        root = self.xml(self.main)
        if root is None or root.find(w("body")) is None:
            raise DocxError("không phải tệp .docx đọc được (word/document.xml không có phần thân văn bản)")

    def read(self, name: str) -> Optional[bytes]:
        if name not in self.names:
            return None
        try:
            return safezip.read_member(self.zip, name)
        except safezip.ZipLimitError as exc:
            raise DocxError(str(exc)) from None

    def xml(self, name: str):
        if name in self._cache:
            return self._cache[name]
        data = self.read(name)
        root = None
        if data is not None:
            try:
                root = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError as exc:
                raise DocxError(f"phần {name} không phải XML hợp lệ ({exc.msg})") from None
            if root.tag.startswith(f"{{{STRICT_W_NS}}}"):
                raise DocxError("tệp lưu ở dạng Strict Open XML, chưa hỗ trợ; hãy lưu lại dạng "
                                "\"Word Document (.docx)\" thông thường")
        self._cache[name] = root
        return root

    def _main_part(self) -> str:
        rels = self.rels("")
        for rtype, target in rels.values():
            if rtype.endswith("/officeDocument"):
                return target
        return "word/document.xml"

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (relationship type, target part name) of ``part`` ("" for the package)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels") if part else "_rels/.rels"
        root = self.xml(rels_name)
        out = {}
        if root is None:
            return out
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id", "")] = (rel.get("Type", ""), name)
        return out

    def related(self, suffix: str) -> Optional[str]:
        """The first part of the main part's relationships whose type ends with ``suffix``."""
        for rtype, target in self.rels(self.main).values():
            if rtype.endswith(suffix):
                return target
        return None


# ============================================================== effective formatting


def _on(el) -> bool:
    """A boolean (toggle) property element: present means on unless val says off."""
    val = el.get(w("val"))
    return val is None or val.lower() in ("1", "true", "on")


def _twips_pt(value: Optional[str]) -> Optional[float]:
    try:
        return int(float(value)) / 20 if value is not None else None
    except ValueError:
        return None


class Theme:
    """Latin fonts of the theme, so that asciiTheme="minorHAnsi" can be named."""

    def __init__(self, root):
        self.fonts: dict[str, str] = {}
        if root is None:
            return
        for kind in ("major", "minor"):
            latin = root.find(f".//{{{A_NS}}}{kind}Font/{{{A_NS}}}latin")
            if latin is not None and latin.get("typeface"):
                for slot in ("Ascii", "HAnsi"):
                    self.fonts[f"{kind}{slot}"] = latin.get("typeface")

    def font(self, theme_name: str) -> str:
        # Unresolvable theme fonts are reported by their theme name: they are
        # "not Times New Roman" because the reader's font cannot be known.
        return self.fonts.get(theme_name, f"(phông chủ đề {theme_name})")


TOGGLES = ("bold", "italic", "caps")


def parse_rpr(rpr, theme: Theme) -> dict:
    """The run properties set by one w:rPr (only what it sets)."""
    out: dict = {}
    if rpr is None:
        return out
    fonts = rpr.find(w("rFonts"))
    if fonts is not None:
        for slot, key in (("ascii", "font_ascii"), ("hAnsi", "font_hansi")):
            themed = fonts.get(w(slot + "Theme"))
            if themed:
                out[key] = theme.font(themed)
            elif fonts.get(w(slot)):
                out[key] = fonts.get(w(slot))
    sz = rpr.find(w("sz"))
    if sz is not None:
        try:
            out["size"] = float(sz.get(w("val"))) / 2
        except (TypeError, ValueError):
            pass
    for tag, key in (("b", "bold"), ("i", "italic"), ("caps", "caps"), ("vanish", "vanish")):
        el = rpr.find(w(tag))
        if el is not None:
            out[key] = _on(el)
    u = rpr.find(w("u"))
    if u is not None:
        out["underline"] = (u.get(w("val")) or "single") != "none"
    color = rpr.find(w("color"))
    if color is not None and color.get(w("val")):
        out["color"] = color.get(w("val")).lower()
    return out


def parse_ppr(ppr) -> dict:
    """The paragraph properties set by one w:pPr (only what it sets)."""
    out: dict = {}
    if ppr is None:
        return out
    jc = ppr.find(w("jc"))
    if jc is not None and jc.get(w("val")):
        val = jc.get(w("val"))
        out["align"] = {"start": "left", "end": "right"}.get(val, val)
    sp = ppr.find(w("spacing"))
    if sp is not None:
        for attr, key in (("before", "before"), ("after", "after")):
            v = _twips_pt(sp.get(w(attr)))
            if v is not None:
                out[key] = v
        for attr, key in (("beforeAutospacing", "before"), ("afterAutospacing", "after")):
            val = sp.get(w(attr))
            if val is not None and val.lower() in ("1", "true", "on"):
                out[key] = 14.0          # what Word uses for HTML auto spacing
        if sp.get(w("line")) is not None:
            try:
                out["line"] = int(float(sp.get(w("line"))))
            except ValueError:
                pass
            out["line_rule"] = sp.get(w("lineRule")) or "auto"
        elif sp.get(w("lineRule")) is not None:
            out["line_rule"] = sp.get(w("lineRule"))
    ind = ppr.find(w("ind"))
    if ind is not None:
        for attr in ("firstLine", "hanging"):
            v = _twips_pt(ind.get(w(attr)))
            if v is not None:
                out["first_line"] = -v if attr == "hanging" else v
    bdr = ppr.find(w("pBdr"))
    if bdr is not None:
        for side in ("bottom", "top"):
            el = bdr.find(w(side))
            if el is not None:
                out[f"border_{side}"] = el.get(w("val"), "single") not in ("nil", "none")
    tabs = ppr.find(w("tabs"))
    if tabs is not None:
        out["center_tab"] = any(t.get(w("val")) == "center" for t in tabs.findall(w("tab")))
    return out


class Styles:
    """The style part: defaults and style chains, merged once per style id."""

    def __init__(self, root, theme: Theme):
        self.theme = theme
        self.by_id: dict[str, etree._Element] = {}
        self.default: dict[str, str] = {}
        self.doc_rpr: dict = {}
        self.doc_ppr: dict = {}
        if root is None:
            return
        for st in root.findall(w("style")):
            sid = st.get(w("styleId"))
            if sid:
                self.by_id[sid] = st
                if (st.get(w("default")) or "").lower() in ("1", "true", "on"):
                    self.default.setdefault(st.get(w("type"), "paragraph"), sid)
        dd = root.find(w("docDefaults"))
        if dd is not None:
            self.doc_rpr = parse_rpr(dd.find(f"{w('rPrDefault')}/{w('rPr')}"), theme)
            self.doc_ppr = parse_ppr(dd.find(f"{w('pPrDefault')}/{w('pPr')}"))
        self._rpr: dict[str, dict] = {}
        self._ppr: dict[str, dict] = {}

    def chain(self, sid: Optional[str]) -> list:
        """The style and its basedOn ancestors, base first; cycles and dangling ids are cut."""
        out, seen = [], set()
        while sid and sid in self.by_id and sid not in seen and len(out) < 32:
            seen.add(sid)
            st = self.by_id[sid]
            out.append(st)
            based = st.find(w("basedOn"))
            sid = based.get(w("val")) if based is not None else None
        return out[::-1]

    def rpr(self, sid: Optional[str]) -> dict:
        if not sid:
            return {}
        if sid not in self._rpr:
            merged: dict = {}
            for st in self.chain(sid):
                merged.update(parse_rpr(st.find(w("rPr")), self.theme))
            self._rpr[sid] = merged
        return self._rpr[sid]

    def ppr(self, sid: Optional[str]) -> dict:
        if not sid:
            return {}
        if sid not in self._ppr:
            merged: dict = {}
            for st in self.chain(sid):
                merged.update(parse_ppr(st.find(w("pPr"))))
            self._ppr[sid] = merged
        return self._ppr[sid]

    def para_style(self, p) -> Optional[str]:
        ps = p.find(f"{w('pPr')}/{w('pStyle')}")
        sid = ps.get(w("val")) if ps is not None else None
        return sid if sid in self.by_id else self.default.get("paragraph")

    def table_style(self, tbl) -> Optional[str]:
        if tbl is None:
            return None
        ts = tbl.find(f"{w('tblPr')}/{w('tblStyle')}")
        sid = ts.get(w("val")) if ts is not None else None
        return sid if sid in self.by_id else self.default.get("table")

    def paragraph_props(self, p, tbl) -> dict:
        """Effective paragraph properties: defaults → table style → paragraph style → direct."""
        out = dict(self.doc_ppr)
        out.update(self.ppr(self.table_style(tbl)))
        out.update(self.ppr(self.para_style(p)))
        out.update(parse_ppr(p.find(w("pPr"))))
        return out

    def run_props(self, r, p, tbl) -> dict:
        """Effective run properties: defaults → table style → paragraph style → character style → direct.

        Bold, italic and caps are toggles between the paragraph and the
        character style (both bold means not bold); direct formatting is absolute.
        """
        out = dict(self.doc_rpr)
        out.update(self.rpr(self.table_style(tbl)))
        para = self.rpr(self.para_style(p))
        out.update(para)
        rs = r.find(f"{w('rPr')}/{w('rStyle')}")
        sid = rs.get(w("val")) if rs is not None else None
        char = self.rpr(sid if sid in self.by_id else self.default.get("character"))
        for key, val in char.items():
            if key in TOGGLES:
                if val:
                    out[key] = not para.get(key, False)
            else:
                out[key] = val
        out.update(parse_rpr(r.find(w("rPr")), self.theme))
        return out


# ============================================================== flattening


@dataclass
class Seg:
    """A piece of text with its effective run formatting."""

    text: str
    fmt: dict


@dataclass
class Para:
    """A paragraph of the body, a table cell, a text box or a header part."""

    el: object
    props: dict
    segs: list[Seg]              # text pieces; "\n" and "\t" are their own pieces
    location: str
    cells: tuple                 # ((table no, row, col), ...) outermost first
    section: int
    has_line_shape: bool = False
    index: int = 0

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segs)


@dataclass
class Unit:
    """One line of a paragraph, split further at tabs: what a reader sees as one piece of text."""

    para: Para
    segs: list[Seg]
    line: int
    col: int
    index: int = 0

    @property
    def text(self) -> str:
        return collapse("".join(s.text for s in self.segs))

    @property
    def location(self) -> str:
        return self.para.location

    @property
    def cell(self) -> tuple:
        return self.para.cells[-1] if self.para.cells else ()

    def visible(self) -> list[Seg]:
        return [s for s in self.segs if s.text.strip()]


_INLINE = {"hyperlink", "ins", "moveTo", "smartTag", "customXml", "fldSimple", "bdo", "dir", "sdtContent"}
_LINE_SHAPES = {"line", "straightConnector1"}


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _inline_runs(container) -> Iterator:
    for ch in container:
        name = _local(ch)
        if name == "r":
            yield ch
        elif name in _INLINE:
            yield from _inline_runs(ch)
        elif name == "sdt":
            content = ch.find(w("sdtContent"))
            if content is not None:
                yield from _inline_runs(content)


def _textboxes(run) -> list:
    """txbxContent elements in a run, skipping mc:Fallback copies of the same box."""
    out = []
    for box in run.iter(w("txbxContent")):
        anc = box.getparent()
        fallback = False
        while anc is not None and anc is not run:
            if anc.tag == f"{{{MC_NS}}}Fallback":
                fallback = True
                break
            anc = anc.getparent()
        if not fallback:
            out.append(box)
    return out


def _has_line_shape(el) -> bool:
    for d in el.iter():
        name = _local(d)
        if name == "line" and etree.QName(d).namespace == VML_NS:
            return True
        if name == "prstGeom" and d.get("prst") in _LINE_SHAPES:
            return True
        if name == "shape" and "_x0000_t32" in (d.get("type") or ""):
            return True
    return False


class Flattener:
    """Walks a story (body, header, footer) into Paras in reading order."""

    def __init__(self, styles: Styles):
        self.styles = styles
        self.paras: list[Para] = []
        self.table_no = 0
        self.top_no = 0
        self.section = 0

    def story(self, root, prefix: str = "") -> list[Para]:
        start = len(self.paras)
        self.top_no = 0          # "đoạn N" counts within one story (body, each header)
        self._blocks(root, cells=(), tbl=None, prefix=prefix, top=True)
        return self.paras[start:]

    def _blocks(self, container, cells, tbl, prefix, top):
        for ch in container:
            name = _local(ch)
            if name == "p":
                self._para(ch, cells, tbl, prefix, top)
            elif name == "tbl":
                self.table_no += 1
                no = self.table_no
                for r_i, tr in enumerate(self._rows(ch), 1):
                    for c_i, tc in enumerate(self._cells(tr), 1):
                        self._blocks(tc, cells + ((no, r_i, c_i),), ch, prefix, False)
            elif name in ("sdt",):
                content = ch.find(w("sdtContent"))
                if content is not None:
                    self._blocks(content, cells, tbl, prefix, top)
            elif name in ("customXml", "sdtContent"):
                self._blocks(ch, cells, tbl, prefix, top)

    @staticmethod
    def _children(parent, tag: str):
        """Rows of a table or cells of a row, also those wrapped in content controls."""
        for ch in parent:
            if _local(ch) == tag:
                yield ch
            elif _local(ch) in ("sdt", "customXml"):
                yield from ch.iter(w(tag))

    @classmethod
    def _rows(cls, tbl):
        return cls._children(tbl, "tr")

    @classmethod
    def _cells(cls, tr):
        return cls._children(tr, "tc")

    def _location(self, cells, prefix, top) -> str:
        if cells:
            no, row, col = cells[-1]
            where = f"bảng {no}, hàng {row}, ô {col}"
        else:
            where = f"đoạn {self.top_no}"
        return f"{prefix}{where}" if prefix else where

    def _para(self, p, cells, tbl, prefix, top):
        if top and not cells:
            self.top_no += 1
        props = self.styles.paragraph_props(p, tbl)
        segs: list[Seg] = []
        boxes = []
        for r in _inline_runs(p):
            fmt = self.styles.run_props(r, p, tbl)
            if fmt.get("vanish"):
                continue
            for ch in r:
                name = _local(ch)
                if name == "t":
                    segs.append(Seg(ch.text or "", fmt))
                elif name == "tab":
                    segs.append(Seg("\t", fmt))
                elif name in ("br", "cr"):
                    segs.append(Seg("\n", fmt))
                elif name == "noBreakHyphen":
                    segs.append(Seg("-", fmt))
                elif name in ("drawing", "pict", "AlternateContent", "object"):
                    boxes.extend(_textboxes(ch))
        para = Para(p, props, segs, self._location(cells, prefix, top), cells, self.section,
                    has_line_shape=_has_line_shape(p), index=len(self.paras))
        self.paras.append(para)
        if p.find(f"{w('pPr')}/{w('sectPr')}") is not None and not cells:
            self.section += 1
        for box in boxes:
            self._blocks(box, cells, None, f"{prefix}khung văn bản ở {para.location}, ", False)


def split_units(paras: list[Para]) -> list[Unit]:
    """Each paragraph as lines (at breaks) and columns (at tabs); every paragraph yields one unit at least."""
    units: list[Unit] = []
    for para in paras:
        line, col, current = 0, 0, []
        produced = False

        def flush():
            nonlocal produced, current
            if produced and not "".join(s.text for s in current).strip():
                current = []
                return
            units.append(Unit(para, current, line, col, len(units)))
            produced = True
            current = []
        for seg in para.segs:
            if seg.text == "\n":
                flush()
                line, col = line + 1, 0
            elif seg.text == "\t":
                flush()
                col += 1
            else:
                current.append(seg)
        if current or not produced:
            flush()
    for i, u in enumerate(units):
        u.index = i
    return units


# ============================================================== the checker


def rule_prefix(profile_name: str) -> str:
    """"nd30-2020" → "ND30", "hd36-2018" → "HD36": the rule id prefix of a profile."""
    m = re.match(r"[a-z]+\d+", profile_name)
    return (m.group() if m else profile_name).upper()


def severity_of(nguon: str) -> str:
    """An error when the source is confirmed in the regulation ([C-…]), else a warning."""
    for tag in re.findall(r"\[([^\]]*)\]", nguon or ""):
        if re.search(r"\bC-", tag):
            return "error"
    return "warning"


class Checker:
    """Runs every rule over one flattened document."""

    def __init__(self, pkg: Package, prof: profiles.Profile, detected: bool, name: str):
        self.pkg = pkg
        self.p = prof
        self.prefix = rule_prefix(prof.name)
        self.detected = detected
        self.name = name
        self.findings: list[Finding] = []
        theme_part = pkg.related("/theme")
        self.theme = Theme(pkg.xml(theme_part) if theme_part else None)
        styles_part = pkg.related("/styles")
        self.styles = Styles(pkg.xml(styles_part) if styles_part else None, self.theme)
        self.doc = pkg.xml(pkg.main)
        self.body = self.doc.find(w("body"))
        self.flat = Flattener(self.styles)
        self.paras = self.flat.story(self.body)
        self.units = split_units(self.paras)
        self.sections = self._sections()

    # -- reporting --------------------------------------------------------
    def nguon(self, key: str) -> str:
        try:
            return self.p[key].get("nguon", "")
        except KeyError:
            return ""

    def add(self, element: str, prop: str, key: str, location: str, text: str, message: str,
            severity: Optional[str] = None) -> None:
        nguon = self.nguon(key)
        self.findings.append(Finding(f"{self.prefix}.{element}.{prop}", severity or severity_of(nguon),
                                     location, excerpt(text), message, nguon))

    # -- generic look checks ------------------------------------------------
    def look(self, element: str, key: str, unit: Unit, segs: Optional[list[Seg]] = None, *,
             size=None, bold=None, italic=None, underline=None, upper=None, what: str = "",
             prop_prefix: str = "") -> None:
        """Check size, bold, italic, underline and case of the visible text of a unit.

        ``prop_prefix`` distinguishes two parts of one element ("label-size"
        for the "Nơi nhận:" label, "size" for the list under it).
        """
        segs = [s for s in (segs if segs is not None else unit.segs) if s.text.strip()]
        if not segs:
            return
        what = what or ELEMENT_NAMES.get(element, element)
        text = unit.text
        if size is not None:
            sizes = sorted({s.fmt.get("size", 10.0) for s in segs})
            bad = [x for x in sizes if not size[0] - 0.01 <= x <= size[1] + 0.01]
            if bad:
                self.add(element, prop_prefix + "size", key, unit.location, text,
                         f"{what}: cỡ chữ {', '.join(fmt_num(x) for x in bad)} pt, phải {fmt_range(size)}")
        for prop, want, yes, no in (("bold", bold, "phải in đậm", "không được in đậm"),
                                    ("italic", italic, "phải in nghiêng", "phải là chữ đứng, không in nghiêng"),
                                    ("underline", underline, "phải gạch chân", "không được gạch chân")):
            if want is None:
                continue
            if any(bool(s.fmt.get(prop, False)) != want for s in segs):
                self.add(element, prop_prefix + prop, key, unit.location, text, f"{what}: {yes if want else no}")
        if upper is not None:
            shown = "".join(s.text.upper() if s.fmt.get("caps") else s.text for s in segs)
            if upper and not has_upper_letters_only(shown):
                self.add(element, prop_prefix + "case", key, unit.location, text, f"{what}: phải viết in hoa")

    # -- structure ----------------------------------------------------------
    def _sections(self) -> list[dict]:
        """Page setup of each section in order, with inherited header/footer references."""
        out = []
        headers: dict = {}
        footers: dict = {}
        for sect in self.body.iter(w("sectPr")):
            if sect.getparent() is not None and _local(sect.getparent()) == "sectPrChange":
                continue
            for ref in sect.findall(w("headerReference")):
                headers[ref.get(w("type"), "default")] = ref.get(f"{{{R_NS}}}id")
            for ref in sect.findall(w("footerReference")):
                footers[ref.get(w("type"), "default")] = ref.get(f"{{{R_NS}}}id")
            sz = sect.find(w("pgSz"))
            mar = sect.find(w("pgMar"))

            def num(el, attr, default=None):
                try:
                    return float(el.get(w(attr))) if el is not None and el.get(w(attr)) is not None else default
                except ValueError:
                    return default
            # Word's page defaults when pgSz/pgMar are absent: US Letter, 1 inch margins.
            out.append({
                "el": sect,
                "width": num(sz, "w", 12240), "height": num(sz, "h", 15840),
                "orient": sz.get(w("orient")) if sz is not None else None,
                "margins": {"tren": abs(num(mar, "top", 1440)), "duoi": abs(num(mar, "bottom", 1440)),
                            "trai": num(mar, "left", 1440) + num(mar, "gutter", 0),
                            "phai": num(mar, "right", 1440)},
                "title_pg": sect.find(w("titlePg")) is not None and _on(sect.find(w("titlePg"))),
                "headers": dict(headers), "footers": dict(footers),
            })
        return out

    def first_index(self, pred, start: int = 0, stop: Optional[int] = None) -> Optional[int]:
        stop = len(self.units) if stop is None else stop
        for i in range(start, min(stop, len(self.units))):
            if pred(self.units[i]):
                return i
        return None

    # -- run everything ---------------------------------------------------
    def run(self) -> list[Finding]:
        self.check_page()
        self.check_fonts()
        self.locate()
        self.check_title_lines()
        self.check_agency()
        self.check_number()
        self.check_date()
        self.check_kind_and_subject()
        self.check_body()
        self.check_signature()
        self.check_recipients()
        self.check_page_number()
        return self.findings

    # ----------------------------------------------------------------- page
    def check_page(self) -> None:
        t = self.p["trang"]
        pw, ph = t["kho_giay_mm"]
        ranges = t["le_khoang_mm"]
        if not self.sections:
            self.add("trang", "size", "trang", "thiết lập trang", "",
                     "Tệp không ghi khổ giấy và lề (không có w:sectPr): máy in sẽ dùng mặc định của máy, "
                     f"phải là A4 ({fmt_num(pw)} × {fmt_num(ph)} mm)", severity="warning")
        names = {"tren": ("margin-top", "Lề trên"), "duoi": ("margin-bottom", "Lề dưới"),
                 "trai": ("margin-left", "Lề trái"), "phai": ("margin-right", "Lề phải")}
        for i, s in enumerate(self.sections, 1):
            where = f"thiết lập trang, phần {i}"
            wmm, hmm = s["width"] * 25.4 / 1440, s["height"] * 25.4 / 1440
            landscape = wmm > hmm
            short, long_ = sorted((wmm, hmm))
            if abs(short - min(pw, ph)) > 1.0 or abs(long_ - max(pw, ph)) > 1.0:
                self.add("trang", "size", "trang", where, "",
                         f"Khổ giấy {fmt_num(round(wmm))} × {fmt_num(round(hmm))} mm, phải là A4 "
                         f"({fmt_num(pw)} × {fmt_num(ph)} mm)")
            if i == 1 and landscape:
                self.add("trang", "orientation", "trang", where, "",
                         "Trang đầu phải in dọc (khổ ngang chỉ dùng cho phụ lục hoặc bảng rộng)")
            for key, (prop, label) in names.items():
                mm = s["margins"][key] * 25.4 / 1440
                lo, hi = ranges[key]
                if not lo - 0.3 <= mm <= hi + 0.3:
                    want = f"{fmt_num(lo)} mm" if lo == hi else f"từ {fmt_num(lo)} đến {fmt_num(hi)} mm"
                    self.add("trang", prop, "trang", where, "", f"{label} {fmt_num(round(mm, 1))} mm, phải {want}")

    # ----------------------------------------------------------------- fonts
    def story_paras(self) -> list[Para]:
        """Body paragraphs plus those of every header and footer part in use."""
        out = list(self.paras)
        rels = self.pkg.rels(self.pkg.main)
        seen = set()
        for s in self.sections:
            for kind, refs in (("đầu trang", s["headers"]), ("chân trang", s["footers"])):
                for rid in refs.values():
                    if rid in rels and rels[rid][1] not in seen:
                        part = rels[rid][1]
                        seen.add(part)
                        root = self.pkg.xml(part)
                        if root is not None:
                            out.extend(self.flat.story(root, f"{kind} {posixpath.basename(part)}, "))
        for suffix, kind in (("/footnotes", "chú thích"), ("/endnotes", "chú thích cuối")):
            part = self.pkg.related(suffix)
            root = self.pkg.xml(part) if part else None
            if root is not None:
                for note in root:
                    if (note.get(w("type")) or "normal") == "normal":
                        out.extend(self.flat.story(note, f"{kind} {note.get(w('id'))}, "))
        return out

    def check_fonts(self) -> None:
        """One finding per wrong font (and colour), at its first place, with a count: not one per run."""
        want = self.p.font_name
        bad: dict[str, list] = {}
        colors: dict[str, list] = {}
        for para in self.story_paras():
            fonts_here, colors_here = set(), set()
            for s in para.segs:
                if not s.text.strip():
                    continue
                for slot in ("font_ascii", "font_hansi"):
                    name = s.fmt.get(slot)
                    if name is None or name.strip().casefold() != want.casefold():
                        fonts_here.add(name)
                color = s.fmt.get("color")
                if color and color not in ("auto", "000000"):
                    colors_here.add(color)
            for name in fonts_here:
                bad.setdefault(name, []).append(para)
            for c in colors_here:
                colors.setdefault(c, []).append(para)
        for name, paras in bad.items():
            first = paras[0]
            count = f" ({len(paras)} đoạn)" if len(paras) > 1 else ""
            if name is None:
                self.add("phong-chu", "family", "phong_chu", first.location, first.text,
                         f"Không xác định được phông chữ{count}: tệp không ghi phông, máy khác có thể "
                         f"hiện phông khác; phải là {want}", severity="warning")
            else:
                self.add("phong-chu", "family", "phong_chu", first.location, first.text,
                         f"Phông chữ {name}{count}, phải là {want}")
        for c, paras in colors.items():
            count = f" ({len(paras)} đoạn)" if len(paras) > 1 else ""
            self.add("phong-chu", "color", "phong_chu", paras[0].location, paras[0].text,
                     f"Chữ màu #{c.upper()}{count}, phải là màu đen")

    # ----------------------------------------------------------------- locating
    def title_names(self) -> list[str]:
        """Element names of the profile's tiêu đề lines: one line is the Party "tiêu đề",
        two are the state quốc hiệu and tiêu ngữ."""
        n = len(self.p["tieu_de"]["dong"])
        return ["tieu-de"] if n == 1 else ["quoc-hieu", "tieu-ngu"] + [f"tieu-de-{i}" for i in range(3, n + 1)]

    def locate(self) -> None:
        """Find the header, tên loại, trích yếu, signature and Nơi nhận once, for every rule."""
        units = self.units
        self.subject_end: Optional[int] = None
        # tên loại: the first unit whose whole text is a document type name
        self.kind_i = self.first_index(lambda u: tone_norm(u.text).upper() in _TYPE_KEYS and not u.para.cells)
        if self.kind_i is None:
            self.kind_i = self.first_index(lambda u: tone_norm(u.text).upper() in _TYPE_KEYS)
        head_end = self.kind_i if self.kind_i is not None else min(len(units), 40)
        self.head_end = head_end
        # tiêu đề lines
        self.title_units: list[Optional[Unit]] = []
        for line in self.p["tieu_de"]["dong"]:
            key = letters_key(line["chu"])
            i = self.first_index(lambda u: letters_key(u.text) == key, 0, head_end)
            if i is None:
                i = self.first_index(lambda u: key in letters_key(u.text), 0, head_end)
            self.title_units.append(units[i] if i is not None else None)
        # number and date lines
        self.number_i = self.first_index(lambda u: re.match(r"(?i)số\b", nfc(u.text)) is not None, 0, head_end)
        self.date_i = self.first_index(
            lambda u: re.search(r"(?i)(^|,\s*)ngày\b", u.text) is not None and "tháng" in u.text.lower()
            and "năm" in u.text.lower(), 0, head_end)
        # signature and Nơi nhận: only after the tên loại, inside the first section
        start = (self.kind_i + 1) if self.kind_i is not None else head_end
        first_section_end = next((i for i, u in enumerate(units) if u.para.section > 0), len(units))
        # the label stands alone on its line; a body sentence "Nơi nhận hồ sơ …" is not it
        self.label_i = self.first_index(lambda u: letters_key(u.text) == "NOINHAN", start, first_section_end)
        self.sig_units = self._signature_units(start, first_section_end)
        ends = [i for i in (self.label_i, self.sig_units[0].index if self.sig_units else None) if i is not None]
        if self.label_i is not None and self.units[self.label_i].para.cells:
            cell_table = self.units[self.label_i].para.cells[0][0]
            ends.append(next(u.index for u in units if u.para.cells and u.para.cells[0][0] == cell_table))
        self.body_end = min(ends) if ends else first_section_end

    def _prefix_of(self, text: str) -> Optional[str]:
        """The authority prefix token of a signature line (TM., T/M, KT. …) if it starts with one."""
        token = text.split(" ", 1)[0] if " " in text else ""
        norm = token.replace(".", "").replace("/", "").upper()
        return token if norm and norm in _all_prefix_norms() else None

    def _signature_units(self, start: int, stop: int) -> list[Unit]:
        """The lines of the signature block: the cell beside "Nơi nhận", or the last prefixed block."""
        units = self.units
        if self.label_i is not None and units[self.label_i].para.cells:
            label = units[self.label_i]
            depth = len(label.para.cells)
            table, row, col = label.para.cells[-1]
            cell = [u for u in units[start:stop] if len(u.para.cells) >= depth
                    and u.para.cells[depth - 1][:2] == (table, row) and u.para.cells[depth - 1][2] != col]
            if any(u.text for u in cell):
                return [u for u in cell if u.text]
        # otherwise: the last upper-case line starting with an authority prefix
        hit = None
        for u in units[start:stop]:
            if u.text and has_upper_letters_only(u.text) and self._prefix_of(u.text):
                hit = u
        if hit is None:
            return []
        if hit.para.cells:
            same = [u for u in units[start:stop] if u.para.cells and u.para.cells[-1] == hit.para.cells[-1] and u.text]
            first = next((u for u in same if self._prefix_of(u.text) and has_upper_letters_only(u.text)), hit)
            return [u for u in same if u.index >= first.index]
        # paragraphs: go back over prefixed lines, then forward to the name
        i = hit.index
        while i - 1 >= start and units[i - 1].text and has_upper_letters_only(units[i - 1].text):
            i -= 1
        out = []
        for u in units[i:stop]:
            if not u.text:
                if out and not has_upper_letters_only(out[-1].text):
                    break
                continue
            out.append(u)
            if not has_upper_letters_only(u.text):
                break
        return out

    # ----------------------------------------------------------------- tiêu đề
    def check_title_lines(self) -> None:
        lines = self.p["tieu_de"]["dong"]
        names = self.title_names()
        for spec, name, unit in zip(lines, names, self.title_units):
            what = ELEMENT_NAMES.get(name, name)
            if unit is None:
                self.add(name, "missing", "tieu_de", "phần đầu văn bản", "",
                         f"Không tìm thấy {what.lower()} \"{spec['chu']}\"")
                continue
            if tone_norm(unit.text) != tone_norm(spec["chu"]):
                self.add(name, "text", "tieu_de", unit.location, unit.text,
                         f"{what} phải là \"{spec['chu']}\"{_text_hint(unit.text, spec['chu'])}")
            self.look(name, "tieu_de", unit, size=spec["khoang"], bold=spec.get("dam", False),
                      italic=spec.get("nghieng", False), upper=True if spec["chu"] == spec["chu"].upper() else None)
        last = next((u for u in reversed(self.title_units) if u is not None), None)
        if last is not None and self.p["tieu_de"].get("duong_ke_mm"):
            if not self.rule_after(last):
                name = names[len(self.title_units) - 1]
                what = ELEMENT_NAMES.get(name, name)
                self.add(name, "duong-ke", "tieu_de", last.location, last.text,
                         f"Thiếu đường kẻ liền dưới {what.lower()} (dài bằng dòng chữ)")

    def rule_after(self, unit: Unit) -> bool:
        """Is there a solid line under this unit: a bottom border, a line shape, a text underline,
        or a paragraph of underscores right below it (in the same cell)?"""
        para = unit.para
        vis = unit.visible()
        if para.props.get("border_bottom") or para.has_line_shape:
            return True
        if vis and all(s.fmt.get("underline") for s in vis):
            return True
        following = [q for q in self.paras[para.index + 1: para.index + 4] if q.cells == para.cells]
        for q in following[:2]:
            text = collapse(q.text)
            if q.props.get("border_bottom") or q.props.get("border_top") or q.has_line_shape:
                return True
            if text and re.fullmatch(r"[_─━‗]{3,}", text):
                return True
            if text:
                return False
        return False

    def mark_after(self, unit: Unit) -> tuple[str, Optional[Para]]:
        """What sits under a unit: ("rule", …), ("text", para) with a short mark, or ("", None)."""
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

    def check_mark(self, element: str, key: str, unit: Unit, spec: dict, what: str) -> None:
        """The rule line or the text mark ("*", "-----") the profile puts under an element."""
        kind, para = self.mark_after(unit)
        if spec["kieu"] == "duong_ke":
            if kind == "rule":
                return
            found = f" (đang dùng \"{collapse(para.text)}\")" if para is not None else ""
            self.add(element, "duoi", key, unit.location, unit.text,
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
            self.add(element, "duoi", key, unit.location, unit.text, msg)

    # ----------------------------------------------------------------- tên cơ quan
    def agency_units(self) -> list[Unit]:
        """Lines of the agency name: header lines left of the tiêu đề, above the number line."""
        anchors = [u for u in self.title_units if u is not None]
        if not anchors and self.number_i is None and self.date_i is None:
            return []          # no header at all: nothing can be told to be the agency name
        stop = self.number_i if self.number_i is not None else (self.date_i if self.date_i is not None else self.head_end)
        titles = {u.index for u in self.title_units if u is not None}
        title_cells = {u.cell for u in self.title_units if u is not None and u.cell}
        title_cols = {u.col for u in self.title_units if u is not None and not u.cell}
        out = []
        for u in self.units[:stop]:
            text = u.text
            if not text or u.index in titles or not any(ch.isalpha() for ch in text):
                continue
            if u.cell and u.cell in title_cells:
                continue
            if not u.cell and title_cols and u.col in title_cols and u.col > 0:
                continue
            if self.date_i is not None and u.index == self.date_i:
                continue
            if u.para.cells and out and out[-1].para.cells and u.para.cells[-1][2] != out[-1].para.cells[-1][2]:
                continue
            out.append(u)
        return out

    def check_agency(self) -> None:
        units = self.agency_units()
        if not units:
            self.add("co-quan-ban-hanh", "missing", "co_quan_ban_hanh", "phần đầu văn bản", "",
                     "Không tìm thấy tên cơ quan ban hành văn bản")
            return
        # Group the lines by paragraph; the issuer is the last paragraph, or
        # the trailing run of bold paragraphs; what is above is the superior body.
        groups: list[list[Unit]] = []
        for u in units:
            if groups and groups[-1][0].para is u.para:
                groups[-1].append(u)
            else:
                groups.append([u])

        def is_bold(g):
            segs = [s for u in g for s in u.visible()]
            return sum(bool(s.fmt.get("bold")) for s in segs) * 2 > len(segs)
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
            spec = self.p[key]
            for u in lines:
                self.look(element, key, u, size=spec["khoang"], bold=spec.get("dam", False),
                          italic=spec.get("nghieng", False), upper=spec.get("in_hoa") or None)
        self.check_mark("co-quan-ban-hanh", "co_quan_ban_hanh", issuer[-1], self.p["co_quan_ban_hanh"]["duoi"],
                        "tên cơ quan ban hành")

    # ----------------------------------------------------------------- số, ký hiệu
    def check_number(self) -> None:
        spec = self.p["so_ky_hieu"]
        if self.number_i is None:
            self.add("so-ky-hieu", "missing", "so_ky_hieu", "phần đầu văn bản", "",
                     "Không tìm thấy dòng số, ký hiệu (\"" + _pattern_example(spec["mau"]) + "\")")
            return
        u = self.units[self.number_i]
        text = u.text
        m = _number_regex(spec["mau"]).match(text)
        if m is None:
            self.add("so-ky-hieu", "format", "so_ky_hieu", u.location, text,
                     f"Số, ký hiệu không đúng mẫu \"{_pattern_example(spec['mau'])}\"{_number_hint(text, spec['mau'])}")
        else:
            self.check_type_code(u, m.group("loai"))
            so = m.group("so").strip()
            if so.isdigit() and int(so) < 10 and len(so) < 2:
                self.add("so-ky-hieu", "leading-zero", "so_ky_hieu", u.location, text,
                         f"Số nhỏ hơn 10 phải có số 0 đứng trước: \"{int(so):02d}\", không phải \"{so}\"")
        self.look("so-ky-hieu", "so_ky_hieu", u, size=spec["khoang"], bold=spec.get("dam", False),
                  italic=spec.get("nghieng", False))

    def check_type_code(self, unit: Unit, code: str) -> None:
        """The type code of the number must be the one of the tên loại (KẾ HOẠCH → KH, BÁO CÁO → BC)."""
        if self.kind_i is None:
            return
        kind = tone_norm(self.units[self.kind_i].text).upper()
        for key, name in KIND_NAMES.items():
            want = KIND_CODES.get(key)
            if want and kind == tone_norm(name).upper() and code != want:
                self.add("so-ky-hieu", "code", "so_ky_hieu", unit.location, unit.text,
                         f"Ký hiệu loại văn bản của {name.lower()} là \"{want}\", không phải \"{code}\"")

    # ----------------------------------------------------------------- địa danh, ngày
    def check_date(self) -> None:
        spec = self.p["dia_danh_ngay"]
        if self.date_i is None:
            self.add("dia-danh-ngay", "missing", "dia_danh_ngay", "phần đầu văn bản", "",
                     "Không tìm thấy dòng địa danh, ngày tháng năm (\"…, ngày … tháng … năm …\")")
            return
        u = self.units[self.date_i]
        text = u.text
        m = _DATE.match(text)
        if m is None:
            self.add("dia-danh-ngay", "format", "dia_danh_ngay", u.location, text,
                     "Địa danh, ngày tháng phải theo mẫu \"<Địa danh>, ngày 05 tháng 02 năm 2024\" "
                     "(dấu phẩy sau địa danh, chữ \"ngày\", \"tháng\", \"năm\" viết thường, ngày tháng bằng số)")
        else:
            d, mo = m.group("d").strip(), m.group("m").strip()
            if d and mo:
                if not (1 <= int(d) <= 31 and 1 <= int(mo) <= 12):
                    self.add("dia-danh-ngay", "format", "dia_danh_ngay", u.location, text,
                             f"Ngày tháng không có thật: ngày {d} tháng {mo}")
                else:
                    want_d, want_m = pad_day(int(d)), pad_month(int(mo))
                    if (d, mo) != (want_d, want_m):
                        self.add("dia-danh-ngay", "leading-zero", "dia_danh_ngay", u.location, text,
                                 f"Phải viết \"ngày {want_d} tháng {want_m}\": ngày dưới 10 và tháng 1, 2 "
                                 f"có số 0 đứng trước, tháng từ 3 đến 12 thì không")
        self.look("dia-danh-ngay", "dia_danh_ngay", u, size=spec["khoang"], bold=spec.get("dam", False),
                  italic=spec.get("nghieng", False))
        if self.number_i is not None:
            n = self.units[self.number_i]
            same_row = (n.para is u.para and n.line == u.line) or (
                n.cell and u.cell and n.cell[0] == u.cell[0] and n.cell[1] == u.cell[1])
            if not same_row:
                self.add("dia-danh-ngay", "same-row", "dia_danh_ngay", u.location, text,
                         "Địa danh, ngày tháng phải nằm cùng một dòng (cùng hàng bảng) với số, ký hiệu",
                         severity="warning")

    # ----------------------------------------------------------------- tên loại, trích yếu
    def check_kind_and_subject(self) -> None:
        if self.kind_i is None:
            self.add("ten-loai", "missing", "ten_loai", "sau phần đầu văn bản", "",
                     "Không tìm thấy tên loại văn bản (KẾ HOẠCH, BÁO CÁO, …) đứng riêng một dòng")
            return
        spec = self.p["ten_loai"]
        u = self.units[self.kind_i]
        self.look("ten-loai", "ten_loai", u, size=spec["khoang"], bold=spec.get("dam", False),
                  italic=spec.get("nghieng", False), upper=spec.get("in_hoa") or None)
        if u.para.props.get("align") != "center":
            self.add("ten-loai", "align", "ten_loai", u.location, u.text, "Tên loại phải căn giữa trang")
        subject = self.subject_units()
        ty = self.p["trich_yeu"]
        if not subject:
            self.add("trich-yeu", "missing", "trich_yeu", u.location, u.text,
                     "Không tìm thấy trích yếu nội dung ngay dưới tên loại")
            return
        first = subject[0]
        for s in subject:
            self.look("trich-yeu", "trich_yeu", s, size=ty["khoang"], bold=ty.get("dam", False),
                      italic=ty.get("nghieng", False))
        if first.para.props.get("align") != "center":
            self.add("trich-yeu", "align", "trich_yeu", first.location, first.text, "Trích yếu phải căn giữa")
        initial = next((ch for ch in first.text if ch.isalpha()), "")
        if ty.get("chu_dau") == "hoa" and initial.islower():
            self.add("trich-yeu", "case", "trich_yeu", first.location, first.text,
                     "Trích yếu phải bắt đầu bằng chữ viết hoa")
        elif ty.get("chu_dau") == "thuong" and initial.isupper():
            # A proper noun may open the subject, so this can only be a warning.
            self.add("trich-yeu", "case", "trich_yeu", first.location, first.text,
                     "Trích yếu nối tiếp tên loại nên bắt đầu bằng chữ thường (trừ danh từ riêng)",
                     severity="warning")
        self.check_mark("trich-yeu", "trich_yeu", subject[-1], ty["duoi"], "trích yếu")
        self.subject_end = subject[-1].para.index

    def subject_units(self) -> list[Unit]:
        """The trích yếu: the line(s) right under the tên loại, up to the mark or the first blank line."""
        out: list[Unit] = []
        kind = self.units[self.kind_i]
        for u in self.units[self.kind_i + 1: self.kind_i + 8]:
            text = u.text
            if not text:
                if out or u.para is not kind.para:
                    break
                continue
            if re.fullmatch(r"[*\-–—_─=~.]{1,9}", text) or re.match(r"(?i)(kính gửi|căn cứ)\b", text):
                break
            if out and u.para is not out[-1].para and u.para.props.get("align") != "center":
                break
            if out and u.para is not out[-1].para and u.para.props.get("first_line", 0) > 0:
                break
            out.append(u)
            if len(out) >= 4 or u.para.props.get("border_bottom"):
                break
        return out

    # ----------------------------------------------------------------- body
    def body_paras(self) -> list[Para]:
        start = self.subject_end
        if start is None:
            start = self.units[self.kind_i].para.index if self.kind_i is not None else (
                self.units[self.head_end - 1].para.index if self.head_end else -1)
        stop = self.units[self.body_end].para.index if self.body_end < len(self.units) else len(self.paras)
        out = []
        label = self.p["kinh_gui"]["nhan"].rstrip(":").casefold()
        in_kinh_gui = False
        for para in self.paras[start + 1: stop]:
            text = collapse(para.text)
            if para.cells or para.section > 0 or not text:
                continue
            if re.fullmatch(r"[*\-–—_─=~.]{1,9}", text):
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

    def check_body(self) -> None:
        tv = self.p["than_van_ban"]
        rng = tv["khoang"]
        lo_lines, hi_lines = tv.get("gian_dong_khoang_dong", LINE_SPACING_LINES)
        min_gap = tv.get("cach_doan_toi_thieu", MIN_PARA_SPACING_PT)
        sizes: dict[float, list[Para]] = {}
        spacing: dict[str, list[Para]] = {}
        gaps: list[Para] = []
        prev = None
        for para in self.body_paras():
            vis = [s for s in para.segs if s.text.strip()]
            for x in sorted({s.fmt.get("size", 10.0) for s in vis}):
                if not rng[0] - 0.01 <= x <= rng[1] + 0.01:
                    sizes.setdefault(x, []).append(para)
            main = max((s.fmt.get("size", 10.0) for s in vis), default=rng[0])
            desc = _line_spacing_problem(para.props, main, lo_lines, hi_lines)
            if desc:
                spacing.setdefault(desc, []).append(para)
            if prev is not None:
                gap = prev.props.get("after", 0.0) + para.props.get("before", 0.0)
                if gap < min_gap - 0.05:
                    gaps.append(para)
            prev = para
        for x, paras in sizes.items():
            count = f" ({len(paras)} đoạn)" if len(paras) > 1 else ""
            self.add("than-van-ban", "size", "than_van_ban", paras[0].location, paras[0].text,
                     f"Thân văn bản cỡ chữ {fmt_num(x)} pt{count}, phải {fmt_range(rng)}")
        for desc, paras in spacing.items():
            count = f" ({len(paras)} đoạn)" if len(paras) > 1 else ""
            self.add("than-van-ban", "line-spacing", "than_van_ban", paras[0].location, paras[0].text,
                     f"Giãn dòng {desc}{count}, phải từ {fmt_num(lo_lines)} đến {fmt_num(hi_lines)} dòng")
        if gaps:
            count = f" ({len(gaps)} đoạn)" if len(gaps) > 1 else ""
            self.add("than-van-ban", "spacing", "than_van_ban", gaps[0].location, gaps[0].text,
                     f"Khoảng cách giữa các đoạn dưới {fmt_num(min_gap)} pt{count}", severity="warning")

    # ----------------------------------------------------------------- signature
    def check_signature(self) -> None:
        ck = self.p["chu_ky"]
        lines = self.sig_units
        if not lines:
            self.add("chu-ky", "missing", "chu_ky", "cuối văn bản", "",
                     "Không tìm thấy khối chữ ký (quyền hạn, chức vụ, họ tên người ký)", severity="warning")
            return
        prefixes = ck["tien_to"]
        by_norm = {v.replace(".", "").replace("/", "").upper(): v for v in prefixes.values()}
        upper = [u for u in lines if has_upper_letters_only(u.text)]
        name = next((u for u in reversed(lines) if not has_upper_letters_only(u.text)), None)
        for i, u in enumerate(upper):
            token = self._prefix_of(u.text)
            if token:
                norm = token.replace(".", "").replace("/", "").upper()
                want = by_norm.get(norm)
                if want is None:
                    self.add("chu-ky", "prefix", "chu_ky", u.location, u.text,
                             f"Thể thức này không dùng \"{token}\"; dùng một trong: "
                             + ", ".join(f"\"{v}\"" for v in prefixes.values()))
                elif token != want:
                    self.add("chu-ky", "prefix", "chu_ky", u.location, u.text,
                             f"Phải ghi \"{want}\", không ghi \"{token}\"")
            quyen = i == 0 or bool(token and token.replace(".", "").upper() != "Q")
            bold = ck["quyen_han_dam"] if quyen else ck["chuc_vu_dam"]
            self.look("chu-ky", "chu_ky", u, size=ck["khoang"], bold=bold, italic=False,
                      what="Quyền hạn của người ký" if quyen else "Chức vụ của người ký")
        if name is not None:
            self.look("chu-ky", "chu_ky", name, size=ck["khoang"], bold=ck["ho_ten_dam"], italic=False,
                      what="Họ tên người ký")

    # ----------------------------------------------------------------- Nơi nhận
    def check_recipients(self) -> None:
        nn = self.p["noi_nhan"]
        if self.label_i is None:
            self.add("noi-nhan", "missing", "noi_nhan", "cuối văn bản", "",
                     f"Không tìm thấy phần \"{nn['nhan']}\" (danh sách nơi nhận và dòng lưu)")
            return
        label = self.units[self.label_i]
        text = label.text
        want = nn["nhan"]
        if not text.startswith(want):
            self.add("noi-nhan", "label-text", "noi_nhan", label.location, text, f"Phải ghi đúng \"{want}\"")
        # only the label's own characters are checked, not text after it on the line
        segs, taken = [], 0
        for s in label.segs:
            if taken >= len(want):
                break
            piece = (s.text if taken else s.text.lstrip())[: len(want) - taken]
            segs.append(Seg(piece, s.fmt))
            taken += len(piece)
        self.look("noi-nhan", "noi_nhan", label, segs, size=(nn["nhan_co_chu"], nn["nhan_co_chu"]),
                  bold=nn.get("nhan_dam", False), italic=nn.get("nhan_nghieng", False),
                  underline=nn.get("nhan_gach_chan", False), what=f"Chữ \"{want}\"", prop_prefix="label-")
        entries = self.recipient_units(label)
        bad_size = [u for u in entries if any(abs(s.fmt.get("size", 10.0) - nn["co_chu"]) > 0.01 for s in u.visible())]
        if bad_size:
            u = bad_size[0]
            sizes = sorted({s.fmt.get("size", 10.0) for x in bad_size for s in x.visible()} - {nn["co_chu"]})
            count = f" ({len(bad_size)} dòng)" if len(bad_size) > 1 else ""
            self.add("noi-nhan", "size", "noi_nhan", u.location, u.text,
                     f"Danh sách nơi nhận cỡ chữ {', '.join(fmt_num(x) for x in sizes)} pt{count}, "
                     f"phải {fmt_num(nn['co_chu'])} pt")
        luu = [u for u in entries if re.match(r"-?\s*Lưu\b", u.text)]
        example = "- " + nn["luu_mau"].format(ds=(nn.get("luu_dau") + ", …") if nn.get("luu_dau") else "…")
        if not luu:
            self.add("noi-nhan", "luu", "noi_nhan", label.location, text,
                     f"Thiếu dòng lưu ở cuối danh sách nơi nhận (\"{example}\")")
            return
        u = luu[-1]
        m = _luu_regex(nn["luu_mau"]).match(u.text)
        first = nn.get("luu_dau")
        if m is None or (first and not re.match(rf"{re.escape(first)}\b", m.group("ds").strip())):
            self.add("noi-nhan", "luu", "noi_nhan", u.location, u.text,
                     f"Dòng lưu phải theo mẫu \"{example}\"")

    def recipient_units(self, label: Unit) -> list[Unit]:
        """The list under "Nơi nhận:": the rest of its cell, or the dash lines that follow it."""
        out = []
        if label.para.cells:
            depth = len(label.para.cells)
            cell = label.para.cells[-1]
            for u in self.units[label.index + 1:]:
                if len(u.para.cells) < depth or u.para.cells[depth - 1] != cell:
                    if out:
                        break
                    continue
                if u.text:
                    out.append(u)
            return out
        for u in self.units[label.index + 1:]:
            if not u.text:
                continue
            if not u.text.startswith(("-", "–", "+")) and not re.match(r"\(", u.text):
                break
            out.append(u)
        return out

    # ----------------------------------------------------------------- page number
    def check_page_number(self) -> None:
        spec = self.p["so_trang"]
        rels = self.pkg.rels(self.pkg.main)

        def part_of(rid):
            return rels[rid][1] if rid in rels else None

        footer_hits = []
        for s in self.sections:
            for rid in set(s["footers"].values()):
                part = part_of(rid)
                if part and _page_field_paragraph(self.pkg.xml(part)) is not None:
                    footer_hits.append(part)
        for part in sorted(set(footer_hits)):
            self.add("so-trang", "position", "so_trang", f"chân trang {posixpath.basename(part)}", "",
                     "Số trang đặt ở chân trang; phải đặt giữa lề trên (đầu trang)")
        if not self.sections:
            return
        first = self.sections[0]
        default = part_of(first["headers"].get("default"))
        root = self.pkg.xml(default) if default else None
        p = _page_field_paragraph(root)
        if p is None:
            if not footer_hits:
                self.add("so-trang", "missing", "so_trang", "đầu trang", "",
                         "Không thấy số trang (trường PAGE) ở đầu trang: văn bản nhiều trang phải đánh số "
                         "trang giữa lề trên, từ trang 2", severity="warning")
        else:
            where = f"đầu trang {posixpath.basename(default)}"
            props = self.styles.paragraph_props(p, None)
            centred = props.get("align") == "center" or (
                props.get("center_tab") and p.find(f".//{w('tab')}") is not None)
            inside_box = any(_local(a) == "txbxContent" for a in p.iterancestors())
            if not centred and not inside_box:
                self.add("so-trang", "align", "so_trang", where, "", "Số trang phải căn giữa")
            sizes = sorted({self.styles.run_props(r, p, None).get("size", 10.0) for r in _inline_runs(p)})
            bad = [x for x in sizes if not spec["khoang"][0] - 0.01 <= x <= spec["khoang"][1] + 0.01]
            if bad:
                self.add("so-trang", "size", "so_trang", where, "",
                         f"Số trang cỡ chữ {', '.join(fmt_num(x) for x in bad)} pt, phải {fmt_range(spec['khoang'])}")
        # page 1: the first-page header when titlePg is on, the default one otherwise
        if first["title_pg"]:
            part = part_of(first["headers"].get("first"))
            shows = part is not None and _page_field_paragraph(self.pkg.xml(part)) is not None
        else:
            part, shows = default, p is not None
        if shows:
            self.add("so-trang", "first-page", "so_trang",
                     f"đầu trang {posixpath.basename(part)}" if part else "đầu trang", "",
                     "Trang đầu không được hiện số trang (đặt \"Trang đầu khác\" với đầu trang trống)")


_TYPE_KEYS = {tone_norm(t).upper() for t in TYPE_NAMES}

_DATE = re.compile(r"^(?P<place>[^,]*[^\s,]),\s+ngày(?P<d>\s+\d{1,2}\s+|\s+)tháng(?P<m>\s+\d{1,2}\s+|\s+)"
                   r"năm\s+(?P<y>\d{4})\.?$")


@lru_cache(maxsize=None)
def _all_prefix_norms() -> frozenset:
    """Authority prefixes of every profile (TM., KT., T/M, K/T …), without dots and slashes."""
    out = set()
    for name in profiles.available():
        try:
            prof = profiles.load(name)
        except Exception:          # a broken profile must not break checking with the others
            continue
        for v in prof["chu_ky"]["tien_to"].values():
            out.add(v.replace(".", "").replace("/", "").upper())
    return frozenset(out)


@lru_cache(maxsize=None)
def _number_regex(pattern: str) -> re.Pattern:
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


def _pattern_example(pattern: str) -> str:
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


@lru_cache(maxsize=None)
def _luu_regex(pattern: str) -> re.Pattern:
    """The profile's Lưu line ("Lưu: {ds}.") as a regex over "- Lưu: VT, ABC."."""
    head, _, tail = pattern.partition("{ds}")
    esc = lambda s: "".join(r"\s+" if ch == " " else re.escape(ch) for ch in s)   # noqa: E731
    return re.compile(rf"^-\s*{esc(head)}(?P<ds>.+?){esc(tail)}$")


def _line_spacing_problem(props: dict, size: float, lo: float, hi: float) -> str:
    """Describe the line spacing if it is outside lo–hi lines, else ""."""
    rule = props.get("line_rule", "auto")
    line = props.get("line")
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


_PAGE_FIELD = re.compile(r"(?i)(?<![A-Z])PAGE\b")


def _page_field_paragraph(root):
    """The paragraph holding a PAGE field in a header/footer part, or None."""
    if root is None:
        return None
    for el in root.iter(w("fldSimple"), w("instrText")):
        instr = el.get(w("instr")) if _local(el) == "fldSimple" else (el.text or "")
        if _PAGE_FIELD.search(instr):
            for anc in el.iterancestors():
                if anc.tag == w("p"):
                    return anc
    return None


# ============================================================== public API


def _profile_for(regime: Optional[str]) -> Optional[profiles.Profile]:
    if regime is None:
        return None
    key = regime.replace("-", "_")
    if key in profiles.DEFAULT:
        return profiles.for_regime(key)
    return profiles.load(regime)


def _detect(pkg: Package) -> Optional[profiles.Profile]:
    """The regime whose tiêu đề (quốc hiệu or "ĐẢNG CỘNG SẢN VIỆT NAM") comes first in the document."""
    styles = Styles(None, Theme(None))
    paras = Flattener(styles).story(pkg.xml(pkg.main).find(w("body")))
    texts = [tone_norm(p.text) for p in paras[:60]]
    best = None
    for regime in profiles.DEFAULT:
        prof = profiles.for_regime(regime)
        chu = prof["tieu_de"]["dong"][0]["chu"]
        # the whole line, or the exact (upper-case) text inside a line: the
        # same words in body prose ("… của Đảng Cộng sản Việt Nam") do not count
        pos = next((i for i, t in enumerate(texts) if letters_key(t) == letters_key(chu)
                    or tone_norm(chu) in t), None)
        if pos is not None and (best is None or pos < best[0]):
            best = (pos, prof)
    if best:
        return best[1]
    # No tiêu đề: fall back on the shape of the number line ("Số:" vs "Số 12-").
    for p in paras[:60]:
        text = collapse(p.text)
        for regime in profiles.DEFAULT:
            prof = profiles.for_regime(regime)
            if _number_regex(prof["so_ky_hieu"]["mau"]).match(text):
                return prof
    return None


def check_docx(source, regime: Optional[str] = None) -> Report:
    """Check a .docx (a path or its bytes) against a regime ("nha_nuoc", "dang", or a profile name).

    Without ``regime`` the regime is recognised from the header.  Raises
    DocxError (Vietnamese message) when the file is not a readable .docx.
    """
    pkg = Package(source)
    prof = _profile_for(regime)
    detected = prof is None
    unknown = False
    if prof is None:
        prof = _detect(pkg)
        if prof is None:
            prof, unknown = profiles.for_regime("nha_nuoc"), True
    checker = Checker(pkg, prof, detected, pkg.name)
    findings = []
    if unknown:
        findings.append(Finding("VB.the-thuc.detect", "warning", "phần đầu văn bản", "",
                                "Không nhận ra thể thức (không thấy quốc hiệu hay tiêu đề Đảng); kiểm tra "
                                "theo thể thức nhà nước. Dùng --the-thuc để chọn.", ""))
    findings += checker.run()
    return Report(pkg.name, prof.name, prof.regime, detected, findings)


CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.command("check", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path), metavar="TỆP.docx")
@click.option("--the-thuc", "the_thuc", type=click.Choice(["nha-nuoc", "dang"]), default=None,
              help="Thể thức để kiểm tra: nha-nuoc (NĐ 30) hoặc dang (HD 36). Mặc định: tự nhận biết "
                   "từ phần đầu văn bản.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON (kèm nguồn của từng quy tắc).")
def check_cmd(file: Path, the_thuc: Optional[str], as_json: bool) -> None:
    """Kiểm tra thể thức một tệp .docx bất kỳ (Word, LibreOffice, vbtool) theo NĐ 30 hoặc HD 36.

    Mỗi điểm sai một dòng: mã quy tắc, vị trí, trích đoạn, thông báo.
    Mã thoát: 0 không có lỗi, 1 có lỗi, 2 tệp không đọc được."""
    try:
        report = check_docx(file, regime=the_thuc)
    except DocxError as exc:
        click.echo(f"{file}: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # a clerk never sees a traceback, even on a file nobody foresaw
        click.echo(f"{file}: không kiểm tra được tệp (lỗi nội bộ {type(exc).__name__}: {exc})", err=True)
        sys.exit(2)
    report.file = str(file)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.human_lines():
            click.echo(line)
    sys.exit(report.exit_code)
