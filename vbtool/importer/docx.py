"""A .docx read into Lines: paragraphs with numbering, styles, tables and footnotes."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from .. import safezip
from ..ooxml.read import Styles, Theme
from ..ooxml.units import twips_mm
from ..vn import VN_LETTERS
from .source import ImportFailure, Line, MC_FALLBACK, NOTE_CLOSE, NOTE_OPEN, Source, W, _nfc
from .patterns import _DANG, _QUOC_HIEU, _TEN_LOAI


class _Numbering:
    """Labels of Word's automatic numbering, so "1." typed by Word counts like "1." typed by hand."""

    def __init__(self, xml: bytes | None):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        if not xml:
            return
        root = etree.fromstring(xml)
        abstract = {}
        for a in root.iter(W + "abstractNum"):
            lv = {}
            for lvl in a.iter(W + "lvl"):
                fmt = lvl.find(W + "numFmt")
                txt = lvl.find(W + "lvlText")
                start = lvl.find(W + "start")
                lv[int(lvl.get(W + "ilvl", "0"))] = (     # w:val is required on the three (ECMA-376)
                    fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                    txt.get(W + "val", "") if txt is not None else "",
                    int(start.get(W + "val", "1")) if start is not None else 1)
            abstract[a.get(W + "abstractNumId", "")] = lv
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is not None and ref.get(W + "val") in abstract:
                self.levels[num.get(W + "numId", "")] = abstract[ref.get(W + "val", "")]

    def label(self, num_id: str, ilvl: int) -> str:
        lv = self.levels.get(num_id)
        if not lv or ilvl not in lv:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        fmt, text, start = lv[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return "+" if text.strip() == "+" else "-"
        if fmt == "none":
            return ""

        def one(level: int) -> str:
            n = counters[level] or lv.get(level, ("decimal", "", 1))[2]
            f = lv.get(level, ("decimal", "", 1))[0]
            if f in ("upperRoman", "lowerRoman"):
                from ..vn import roman
                r = roman(n)
                return r if f == "upperRoman" else r.lower()
            if f in ("lowerLetter", "upperLetter"):
                c = VN_LETTERS[(n - 1) % len(VN_LETTERS)]
                return c if f == "lowerLetter" else c.upper()
            return str(n)
        return re.sub(r"%(\d)", lambda m: one(int(m.group(1)) - 1), text).strip()


class _DocxReader:
    """Walks word/document.xml in body order: paragraphs, tables (header, closing, data), sections."""

    def __init__(self, z: zipfile.ZipFile, name: str):
        names = set(z.namelist())
        self.numbering = _Numbering(
            safezip.read_member(z, "word/numbering.xml") if "word/numbering.xml" in names else None
        )
        self.notes = _footnotes(safezip.read_member(z, "word/footnotes.xml")) if "word/footnotes.xml" in names else {}
        # effective formatting (styles, defaults, toggles), the same reader as vbtool check
        parts = {n: etree.fromstring(safezip.read_member(z, n))
                 for n in ("word/styles.xml", "word/theme/theme1.xml") if n in names}
        self.styles = Styles(parts.get("word/styles.xml"), Theme(parts.get("word/theme/theme1.xml")))
        self.lines: list[Line] = []
        self.no = 0
        self.section = 0
        self.landscape: dict[int, bool] = {}
        self.seen_title = False
        self.tables = 0
        self.groups = 0
        self.name = name

    def walk(self, container) -> None:
        for el in container:
            tag = el.tag
            if tag == W + "p":
                self.lines.append(self.para(el))
                sect = el.find(f"{W}pPr/{W}sectPr")
                if sect is not None:
                    self.end_section(sect)
            elif tag == W + "tbl":
                self.table(el)
            elif tag == W + "sdt":
                content = el.find(W + "sdtContent")
                if content is not None:
                    self.walk(content)
            elif tag == W + "sectPr":
                self.end_section(el)

    def end_section(self, sect) -> None:
        size = sect.find(W + "pgSz")
        if size is not None and size.get(W + "orient") == "landscape":
            self.landscape[self.section] = True
        self.section += 1

    def para(self, p, **kw) -> Line:
        self.no += 1
        parts: list[str] = []
        flags: list[tuple[bool, bool]] = []
        for r in _runs(p):
            fmt = self.styles.run(r, p)
            bold, italic = fmt.bold, fmt.italic
            for node in r:
                if node.tag == W + "t" and node.text:
                    parts.append(node.text)
                    if node.text.strip():
                        flags.append((bold, italic))
                elif node.tag == W + "tab":
                    parts.append(" ")
                elif node.tag in (W + "br", W + "cr"):
                    parts.append("\n")
                elif node.tag == W + "noBreakHyphen":
                    parts.append("-")
                elif node.tag == W + "footnoteReference":
                    parts.append(f"{NOTE_OPEN}{node.get(W + 'id')}{NOTE_CLOSE}")
        text = _nfc("".join(parts))
        text = "\n".join(" ".join(x.split()) for x in text.split("\n")).strip()
        num = p.find(f"{W}pPr/{W}numPr")
        if num is None or num.find(W + "numId") is None:
            num = self.styles.numbering(p)
        if num is not None and text:
            ilvl = num.find(W + "ilvl")
            nid = num.find(W + "numId")
            if nid is not None:
                label = self.numbering.label(nid.get(W + "val"), int(ilvl.get(W + "val")) if ilvl is not None else 0)
                if label:
                    text = f"{label} {text}"
        if text in _TEN_LOAI:
            self.seen_title = True
        return Line(text, self.no, blank=not text, heading=bool(flags) and all(b or i for b, i in flags),
                    bold=bool(flags) and all(b for b, _ in flags), italic=bool(flags) and all(i for _, i in flags),
                    section=self.section, **kw)

    def table(self, tbl) -> None:
        self.tables += 1
        text = " ".join(t.text or "" for t in tbl.iter(W + "t"))
        if not self.seen_title and self.tables == 1 and (
                _QUOC_HIEU.search(text) or _DANG.search(text) or re.search(r"\bSố\b", text)):
            self.cells(tbl, "header")
        elif re.search(r"Nơi\s+nhận", text, re.I) or re.search(r"(^|\s)(TM\.|KT\.|T/M|K/T|TL\.|T/L)\s", text):
            self.cells(tbl, "closing")
        else:
            self.data_table(tbl)

    def cells(self, tbl, where: str) -> None:
        for tr in tbl.findall(W + "tr"):
            for tc in tr.findall(W + "tc"):
                for el in tc:
                    if el.tag == W + "p":
                        self.lines.append(self.para(el, where=where, cols=[]))
                        self.lines[-1].cols = [x for x in self.lines[-1].text.split("\n")]
                    elif el.tag == W + "tbl":
                        self.nested(el, where)

    def nested(self, tbl, where: str) -> None:
        """A bracket table inside Nơi nhận (items left, "(báo cáo)" right) is one recipient group."""
        rows = tbl.findall(W + "tr")
        cells = rows[0].findall(W + "tc") if len(rows) == 1 else []
        note_text = " ".join("".join(t.text or "" for t in cells[1].iter(W + "t")).split()) if len(cells) == 2 else ""
        if re.fullmatch(r"\(.+\)", note_text):
            self.groups += 1
            for el in cells[0]:
                if el.tag == W + "p":
                    line = self.para(el, where=where, group=self.groups, note=note_text[1:-1].strip())
                    if not line.blank:
                        self.lines.append(line)
            self.no += 1                       # the note paragraph
            return
        self.cells(tbl, where)

    def data_table(self, tbl) -> None:
        grid = [twips_mm(int(g.get(W + "w", "0"))) for g in tbl.iter(W + "gridCol")]
        rows = []
        first_no = self.no + 1
        for tr in tbl.findall(W + "tr"):
            row = []
            for tc in tr.findall(W + "tc"):
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                paras = [self.para(p) for p in tc.findall(W + "p")]
                texts = [x.text.replace("\n", " ") for x in paras if x.text]
                full = [x for x in paras if x.text]
                row.append((texts, int(span.get(W + "val")) if span is not None else 1,
                            bool(full) and all(x.bold for x in full), bool(full) and all(x.italic for x in full)))
            rows.append(row)
        self.lines.append(Line("", first_no, where="table", rows=rows, widths=grid, section=self.section))


def _runs(p):
    """The runs of a paragraph in order, including those in hyperlinks and smart tags, never a Fallback copy."""
    out = []

    def walk(el):
        for child in el:
            if child.tag == MC_FALLBACK or child.tag == W + "pPr":
                continue
            if child.tag == W + "r":
                out.append(child)
            elif child.tag not in (W + "del", W + "moveFrom"):
                walk(child)
    walk(p)
    return out


def _footnotes(xml: bytes) -> dict[str, list[str]]:
    """Footnote id -> its paragraphs, without the number mark Word prints."""
    out = {}
    for fn in etree.fromstring(xml).iter(W + "footnote"):
        if fn.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paras = []
        for p in fn.iter(W + "p"):
            t = "".join(x.text or "" for x in p.iter(W + "t"))
            t = " ".join(_nfc(t).split())
            if t:
                paras.append(t)
        if paras:
            out[fn.get(W + "id", "")] = paras
    return out


def read_docx(path: Path) -> Source:
    try:
        with zipfile.ZipFile(path) as z:
            if "word/document.xml" not in z.namelist():
                raise ImportFailure(f"{path}: tệp .docx bị hỏng (thiếu word/document.xml)")
            root = etree.fromstring(safezip.read_member(z, "word/document.xml"))
            reader = _DocxReader(z, str(path))
    except safezip.ZipLimitError as exc:
        raise ImportFailure(f"{path}: {exc}") from None
    except (zipfile.BadZipFile, OSError, etree.XMLSyntaxError):
        raise ImportFailure(f"{path}: tệp .docx bị hỏng hoặc không phải tệp Word (.docx)") from None
    body = root.find(W + "body")
    if body is None:
        raise ImportFailure(f"{path}: tệp .docx không có phần thân văn bản")
    reader.walk(body)
    return Source(reader.lines, str(path), whole=True, unit="đoạn", notes=reader.notes,
                  landscape=reader.landscape)


# --------------------------------------------------------------------------- structure
