"""The parser: regions (header, title, Kính gửi, body, closing, phụ lục), paragraphs and structure."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .. import import_kinds
from .source import (Bullet, Bullets, Entry, ImportFailure, Line, Marker, NOTE_CLOSE, NOTE_OPEN, Node, Para, Plain,
                     TaskField, _is_upper, _join, _lower_start)
from .patterns import (_DANG, _DATE, _ENDS_SENTENCE, _GAP, _GENERIC_BODY, _KINH_GUI, _LOCALITY, _NOI_NHAN, _OPENING,
                       _PHU_LUC, _QUOC_HIEU, _RULE, _RULE_GLUED, _SIG_PREFIX, _SO_PARTY, _SO_STATE, _TEN_LOAI,
                       _TIEU_NGU, marker, task_field)
from .text import _bare, _full_width, _short
from .closing import _Closing
from .assemble import _Assembly


class _Parser(_Closing, _Assembly):
    """Reads a Source into YAML data. The region and structure steps stay in one class because they
    share the parser's running state (lines, signals, comments); closing and assembling are mixins."""

    # -- regions
    def parse(self) -> dict:
        self.extract_footnotes()
        L, n = self.L, len(self.L)
        if not any(not x.blank for x in L):
            raise ImportFailure(f"{self.src.name}: không có chữ nào để nhập")
        t = next((i for i, x in enumerate(L[:120]) if not x.blank and x.where != "closing"
                  and " ".join(x.text.split()) in _TEN_LOAI), None)
        if t is not None:
            header, pos = L[:t], t + 1
            kind = _TEN_LOAI[" ".join(L[t].text.split())]
        else:
            pos = 0
            while pos < n and (L[pos].blank or L[pos].where == "header" or self.header_like(L[pos].text)):
                pos += 1
            header, kind = L[:pos], None
        c = self.find_closing(pos)
        a = next((i for i in range(c, n) if _PHU_LUC.match(L[i].text)), n)
        meta = self.header(header)
        subject, pos = self.trich_yeu(pos, c) if t is not None else (None, pos)
        if t is None:                      # a công văn from a PDF: its "V/v …" lines follow the header
            pos = import_kinds.vv_lines(L, pos, c, meta)
        kinh_gui, pos = self.kinh_gui(pos, c)
        paras = self.paragraphs(L[pos:c])
        ending = self.strip_ending(paras)
        opening, body = self.structure(paras)
        self.styled = self.src.whole and any(p.heading and marker(p.text) for p in paras)
        closing = self.closing(L[c:a])
        self.appendices(L[a:])
        return self.assemble(kind, meta, subject, kinh_gui, opening, body, ending, closing)

    def header_like(self, text: str) -> bool:
        """A line that can only belong to a header (used when the tên loại line is missing)."""
        if (_QUOC_HIEU.search(text) or _TIEU_NGU.search(text) or _DANG.search(text) or _SO_STATE.search(text)
                or _SO_PARTY.search(text) or _DATE.search(text) or _RULE.match(text)):
            return True
        return _is_upper(text) and len(text.split()) <= 8 and marker(text) is None

    def find_closing(self, start: int) -> int:
        L, n = self.L, len(self.L)
        for i in range(start, n):
            if L[i].where == "closing" or _NOI_NHAN.match(L[i].text):
                return i
        for i in range(n - 1, start - 1, -1):
            if L[i].text.rstrip().endswith("/."):
                return i + 1
        for i in range(max(start, n - 40), n):
            if _SIG_PREFIX.match(L[i].text):
                return i
        return n

    # -- header
    def header(self, lines: list[Line]) -> dict:
        meta: dict = {}
        agency: list[tuple[str, bool, int]] = []
        for line in lines:
            if line.blank:
                continue
            for seg in (line.cols or [line.text]):
                s = seg
                if _QUOC_HIEU.search(s):
                    self.signals["nha_nuoc"] += 5
                    s = _QUOC_HIEU.sub(" ", s)
                s = _TIEU_NGU.sub(" ", s)
                if _DANG.search(s):
                    self.signals["dang"] += 5
                    s = _DANG.sub(" ", s)
                for rx, regime in ((_SO_STATE, "nha_nuoc"), (_SO_PARTY, "dang")):
                    m = rx.search(s)
                    if m and "loai" not in meta:
                        self.signals[regime] += 2
                        self.signals["nha_nuoc" if m.group("colon") else "dang"] += 1
                        meta.update(so=int(m.group("so")) if m.group("so") and int(m.group("so")) > 0 else None,
                                    loai=m.group("loai"), ky_hieu=m.group("cq").rstrip(".-"), so_no=line.no)
                        s = s[:m.start()] + " " + s[m.end():]
                m = _DATE.search(s)
                if m and "nam" not in meta:
                    place = m.group("place").strip(" *-–,.")
                    place = _GAP.split(place)[-1].strip() if place else ""
                    meta.update(place=place or None, nam=int(m.group("y")),
                                thang=int(m.group("m")) if m.group("m") else None,
                                ngay=int(m.group("d")) if m.group("d") else None, date_no=line.no)
                    s = s[:m.start()] + " " + s[m.end():]
                rest = "\n".join(" ".join(x.split()) for x in s.split("\n")).strip(" \n*-–_")
                if not re.search(r"\w", rest):
                    continue
                if import_kinds.VV.match(rest) and "vv" not in meta:     # a công văn's trích yếu
                    meta["vv"] = " ".join(rest.split())
                elif _is_upper(rest):
                    agency.append((rest, line.bold, line.no))
                else:
                    self.warn(line.no, f"phần đầu văn bản có chữ không nhận ra, đã bỏ: «{rest}»")
        if agency:
            meta["agency"] = self.agency(agency)
        return meta

    def agency(self, parts: list[tuple[str, bool, int]]) -> dict:
        """Superior body and issuing body from the upper-case lines of the header."""
        bold = [p for p in parts if p[1]]
        plain = [p for p in parts if not p[1]]
        if bold and plain:                         # Word: the issuing body is bold, its superior is not
            return {"cap_tren": " ".join(p[0].replace("\n", " ") for p in plain),
                    "ten": "\n".join(p[0] for p in bold)}
        if len(parts) == 1 and "\n" in parts[0][0]:
            return {"ten": parts[0][0]}
        lines = [x.strip() for p in parts for x in p[0].split("\n") if x.strip()]
        if len(lines) == 1:
            return {"ten": lines[0]}
        if len(lines) == 2 and _GENERIC_BODY.match(lines[0]) and _LOCALITY.match(lines[1]):
            return {"ten": "\n".join(lines)}
        return {"cap_tren": " ".join(lines[:-1]), "ten": lines[-1]}

    # -- title, Kính gửi
    def trich_yeu(self, pos: int, end: int) -> tuple[str | None, int]:
        L = self.L
        parts: list[str] = []
        i = pos
        while i < end:
            line = L[i]
            if line.blank or line.where == "table":
                i += 1
                if parts:
                    break
                continue
            txt = line.text.replace("\n", " ")
            if _RULE.match(txt):
                i += 1
                break
            glued = _RULE_GLUED.match(txt)
            if glued:                      # "-----Thực hiện …": the rule glued to the next paragraph
                L[i] = replace(line, text=txt[glued.end():], cols=[])
                break
            if parts and (_OPENING.match(txt) or marker(txt) or _KINH_GUI.match(txt)):
                break
            if not parts and (marker(txt) or _KINH_GUI.match(txt)):
                break
            if len(parts) >= 8:
                break
            parts.append(txt)
            i += 1
        subject = ""
        for p in parts:
            subject = _join(subject, p)
        return (subject.strip() or None), i

    def kinh_gui(self, pos: int, end: int) -> tuple[list[str], int]:
        L = self.L
        i = pos
        while i < end and L[i].blank:
            i += 1
        m = _KINH_GUI.match(L[i].text) if i < end else None
        if not m:
            return [], pos
        names = []
        rest = m.group("rest").strip()
        i += 1
        if rest and not rest.startswith(("-", "–")):
            return [rest.rstrip(";.").strip()], i
        if rest:
            names.append(rest.lstrip("-– ").rstrip(";.").strip())
        while i < end and (L[i].blank or re.match(r"^[-–]\s", L[i].text)):
            if not L[i].blank:
                names.append(L[i].text[1:].strip().rstrip(";.").strip())
            i += 1
        return names, i

    # -- paragraphs
    def paragraphs(self, lines: list[Line]) -> list[Para]:
        out: list[Para] = []
        content = []
        for line in lines:
            if line.where == "table":
                self.unplaced_table(line)
            elif not line.blank:
                content.append(line)
        if self.src.whole or self.src.paragraph_lines:
            return [Para(x.text.replace("\n", " "), x.no, x.heading) for x in content]
        full = _full_width([len(x.text) for x in content])
        base_indent = min((x.indent for x in content), default=0)
        prev: Line | None = None
        pieces: list[list[str]] = []      # each paragraph's pieces, joined once: `text + line` each time is quadratic
        keep = len(NOTE_CLOSE) + 2        # what _join looks at in the text before
        for line in content:
            # a sentence that ends before a blank line (where blank lines are not on every
            # line) or before a newly indented line ends its paragraph
            ended = prev is not None and _ENDS_SENTENCE.search(_bare(prev.text)) is not None and (
                (self.src.blank_breaks and line.gap_before) or line.indent > base_indent + 1 >= prev.indent)
            if out and prev is not None and not ended and self.continues(prev, line.text, full):
                parts = pieces[-1]
                tail = "".join(parts[-keep:])[-keep:]
                parts.append(_join(tail, line.text)[len(tail):])
            else:
                out.append(Para(line.text, line.no))
                pieces.append([line.text])
            prev = line
        for para, parts in zip(out, pieces):
            para.text = "".join(parts)
        return out

    @staticmethod
    def continues(prev: Line, text: str, full: float) -> bool:
        """Does `text` continue the paragraph whose last line is `prev`? (a wrapped line, not a new one)"""
        last = _bare(prev.text)
        if marker(text) or task_field(text):
            # "chính trị" / "- xã hội": a hyphen at the start of a wrapped line is not a bullet
            return bool(re.match(r"^[-–]\s+\S", text)) and _lower_start(text[1:].strip()) \
                and not _ENDS_SENTENCE.search(last)
        if re.search(r"[\w/]-$", last) and text[:1].isalnum():
            return True
        if text[:1] in ",.;:)!?…" or _lower_start(text):
            return True
        if re.search(r"[,;]\s*$", last):       # a list goes on ("…thuộc UBND tỉnh;" / "UBND các huyện…")
            return not _OPENING.match(text)
        if len(last) < 0.8 * full:
            return False
        if not _ENDS_SENTENCE.search(last):
            return True
        return not _OPENING.match(text)

    def strip_ending(self, paras: list[Para]) -> bool:
        """Remove the "./." that ends the body (the renderer adds the regime's ending again).

        "quy định./." keeps its full stop ("quy định."), so the rendering gives
        "quy định./." back; footnote references after the ending stay at the end.
        """
        if not paras:
            return False
        text = paras[-1].text.rstrip()
        m = re.search(f"(?:{NOTE_OPEN}[\\w.-]+{NOTE_CLOSE})*$", text)
        assert m is not None          # the pattern also matches the empty string at the end
        core, refs = text[:m.start()].rstrip(), text[m.start():]
        e = re.search(r"\.?/\.$", core)
        if not e:
            return False
        paras[-1].text = (core[:-2] if core.endswith("./.") else core[:e.start()]) + refs
        return True

    # -- structure
    def structure(self, paras: list[Para]) -> tuple[list[str], list[Entry]]:
        opening: list[str] = []
        root: list[Entry] = []
        stack: list[Node] = []
        self.level_style: dict[int, str] = {}
        self.style_level: dict[str, int] = {}
        self.dashes: Counter[str] = Counter()
        self.labels: dict[str, Counter] = {}
        self.field_orders: list[list[str]] = []

        def target() -> list[Entry]:
            return stack[-1].entries if stack else root

        for para in paras:
            text = para.text.strip()
            f = task_field(text)
            if f and stack:
                key, label, dash, value = f
                stack[-1].entries.append(TaskField(key, label, dash, value, para.no))
                self.dashes[dash] += 1
                self.labels.setdefault(key, Counter())[label] += 1
                continue
            if f:
                self.warn(para.no, f"dòng \"{f[1]}:\" không thuộc nhiệm vụ có đánh số nào, giữ thành đoạn văn")
            m = None if f else marker(text)
            if m is None:
                self.plain(text, para, stack, opening)
                continue
            if m.style == "-":
                entries = target() if stack else None
                if entries is None:
                    opening.append(text)
                    continue
                if entries and isinstance(entries[-1], Bullets):
                    entries[-1].items.append(Bullet(m.rest))
                else:
                    entries.append(Bullets([Bullet(m.rest)], para.no))
                continue
            if m.style == "+":
                entries = target()
                if entries and isinstance(entries[-1], Bullets):
                    entries[-1].items[-1].subs.append(m.rest)
                else:
                    self.warn(para.no, "dòng \"+\" không đứng sau một dòng \"-\", giữ thành đoạn văn")
                    self.plain(text, para, stack, opening)
                continue
            depth, why = self.place(m, stack, root)
            if depth is None:
                self.warn(para.no, f"{why}, giữ thành đoạn văn: «{_short(text)}»")
                self.plain(text, para, stack, opening)
                continue
            node = Node(m.style, depth, m.nums[-1], m.rest, para.no, para.heading)
            del stack[depth:]
            (stack[-1].entries if stack else root).append(node)
            stack.append(node)
            self.level_style.setdefault(depth, m.style)
            self.style_level.setdefault(m.style, depth)
        return opening, root

    def plain(self, text: str, para: Para, stack: list[Node], opening: list[str]) -> None:
        if stack:
            stack[-1].entries.append(Plain(text, para.no))
        else:
            opening.append(text)

    def place(self, m: Marker, stack: list[Node], root: list[Entry]) -> tuple[int | None, str]:
        """The depth of a numbered item, or None with the reason it does not fit the numbering."""
        if m.style == "1.1.":
            arabic = next((d for s, d in self.style_level.items() if s in ("1.", "1-")), None)
            if arabic is None:
                return None, "số \"1.1.\" không có cấp \"1.\" bên trên"
            depth = arabic + len(m.nums) - 1
            for j, num in enumerate(m.nums[:-1]):
                d = arabic + j
                if d >= len(stack) or stack[d].number != num:
                    return None, f"số {'.'.join(map(str, m.nums))} không khớp với mục đang mở"
        elif m.style in self.style_level:
            depth = self.style_level[m.style]
        else:
            depth = len(stack)
            if depth in self.level_style and self.level_style[depth] != m.style:
                return None, (f"cấp {depth + 1} đã dùng kiểu \"{self.level_style[depth]}\", "
                              f"không dùng thêm \"{m.style}\"")
        if depth > len(stack):
            return None, "số mục nhảy cấp"
        if depth in self.level_style and self.level_style[depth] != m.style:
            return None, f"cấp {depth + 1} đã dùng kiểu \"{self.level_style[depth]}\""
        parent = stack[depth - 1].entries if depth > 0 else root
        siblings = sum(1 for e in parent if isinstance(e, Node))
        if m.nums[-1] != siblings + 1:
            return None, f"số mục không liền mạch (chờ {siblings + 1})"
        return depth, ""
