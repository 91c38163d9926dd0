"""Parser stage: Nơi nhận and signature, phụ lục tables, footnotes."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .source import Line, NOTE_CLOSE, NOTE_OPEN, _is_upper, _join, _lower_start
from .patterns import _ANNEX_HEADER, _KEM_THEO, _LUU, _NOI_NHAN, _PHU_LUC, _SIG_PREFIX, _TITLE, marker
from .text import _looks_like_name, _markup, _note_paragraphs, _recipient_text, _short, _tt_ok
from .state import _State


class _Closing(_State):
    """Closing, phụ lục and footnote steps of the parser. It stays one class (over 250 lines) because
    `closing` alone is a single ~110-line scan with local helpers, and the phụ lục and footnote steps write
    the same parser state (phu_luc, notes, warnings); splitting them further would only pass that state around."""

    def closing(self, lines: list[Line]) -> dict:
        """Nơi nhận, Lưu, quyền hạn, chức vụ, họ tên — in whatever order extraction left them.

        Recipients keep their raw text until the end, so that a wrapped item
        ("- Mặt trận Tổ quốc Việt Nam," / "các tổ chức …") is joined with its
        comma. A bracketed note on the right of several items ("(Báo" … "cáo)",
        or a "(báo cáo)" line after them) makes those items one group.
        """
        out: dict = {"recipients": [], "luu": None, "auth": [], "upper": [], "name": None, "quyen": False}
        recips: list[dict] = out["recipients"]
        state: dict[str, Any] = {"open": None, "noted": 0}  # open: a note spread over lines; noted: items already noted
        groups: dict[int, dict] = {}

        def close_group(start: int, note: str) -> None:
            members = recips[start:]
            names = [n for x in members for n in x["names"]]
            del recips[start:]
            if names:
                recips.append({"names": names, "note": note, "no": members[0]["no"]})
            state["noted"] = len(recips)

        def note_piece(piece: str, current: dict | None) -> None:
            whole = re.fullmatch(r"\((.+)\)[;,.]?", piece)
            if whole and state["open"] is None:
                note = whole.group(1).strip()
                if current is not None:
                    current["note"] = note
                    state["noted"] = len(recips)
                elif len(recips) - state["noted"] == 1:
                    recips[-1]["note"] = note
                    state["noted"] = len(recips)
                elif len(recips) > state["noted"]:
                    close_group(state["noted"], note)
                return
            if state["open"] is None:
                start = recips.index(current) if current is not None else len(recips)
                state["open"] = {"start": start, "parts": [piece.lstrip("(")]}
            else:
                state["open"]["parts"].append(piece)
            if piece.rstrip(";,.").endswith(")"):
                parts = state["open"]["parts"]
                parts[-1] = parts[-1].rstrip(";,.").rstrip(")")
                start = state["open"]["start"]
                state["open"] = None
                close_group(start, " ".join(p.strip() for p in parts if p.strip()))

        for line in lines:
            if line.blank or line.where == "table":
                continue
            if line.group is not None:            # docx bracket table: one group with its note
                g = groups.get(line.group)
                if g is None:
                    g = groups[line.group] = {"names": [], "note": line.note, "no": line.no}
                    recips.append(g)
                g["names"].append(line.text)
                state["noted"] = len(recips)
                continue
            pieces = [line.text] if self.src.whole else list(line.cols or [line.text])
            current: dict | None = None
            k = 0
            while k < len(pieces):
                piece = pieces[k].strip()
                k += 1
                if not piece:
                    continue
                nn = _NOI_NHAN.match(piece)
                if nn:
                    rest = piece[nn.end():].strip()
                    if rest:
                        pieces.insert(k, rest)
                    continue
                lm = _LUU.match(piece)
                if lm and (lm.group("colon") or piece.startswith(("-", "–"))):
                    self.signals["nha_nuoc" if lm.group("colon") else "dang"] += 1
                    out["luu"] = lm.group("rest").strip().rstrip(".").strip()
                    current = None
                    continue
                if re.match(r"^[-–]\s*\S", piece) and not _SIG_PREFIX.match(piece):
                    name, note = _recipient_text(piece)
                    current = {"names": [name if note else re.sub(r"^[-–]\s*", "", piece)], "note": None,
                               "no": line.no}
                    recips.append(current)
                    if note:
                        note_piece(f"({note})", current)
                    continue
                if piece.startswith("(") or (state["open"] is not None and piece.rstrip(";,.").endswith(")")):
                    note_piece(piece, current)
                    continue
                sig = _SIG_PREFIX.match(piece)
                if sig:
                    p = sig.group("p").upper()
                    self.signals["dang" if "/" in p else "nha_nuoc"] += 2
                    if p == "Q.":
                        out["quyen"] = True
                        out["upper"].append(sig.group("rest"))
                    else:
                        out["auth"].append((p, sig.group("rest")))
                    continue
                if _is_upper(piece) or (out["auth"] or out["upper"]) and _TITLE.match(piece):
                    out["upper"].append(piece)
                    continue
                if _lower_start(piece) and recips:       # a wrapped recipient ("và các tổ chức …")
                    recips[-1]["names"][-1] = _join(recips[-1]["names"][-1].rstrip(), piece)
                    continue
                if _looks_like_name(piece):
                    out["name"] = piece
                    continue
                self.warn(line.no, f"phần cuối văn bản có dòng không nhận ra, đã bỏ: «{_short(piece)}»")
        if state["open"] is not None:
            self.warn(lines[-1].no if lines else 1, "ghi chú nơi nhận mở ngoặc mà không đóng, đã bỏ")
        for r in recips:
            r["names"] = [_recipient_text(n)[0] for n in r["names"]]
        return out

    # -- phụ lục
    def appendices(self, lines: list[Line]) -> None:
        self.phu_luc: list[dict] = []
        self.task_annex: bool | dict[str, str] | None = None
        i, n = 0, len(lines)
        while i < n:
            if not _PHU_LUC.match(lines[i].text):
                if not lines[i].blank:
                    self.unplaced(lines[i])
                i += 1
                continue
            head = lines[i]
            i += 1
            title: list[str] = []
            while i < n and (lines[i].blank or (not _KEM_THEO.match(lines[i].text) and lines[i].where != "table"
                                                 and len(title) < 4 and not _PHU_LUC.match(lines[i].text))):
                if not lines[i].blank:
                    title.append(lines[i].text)
                i += 1
            if i < n and _KEM_THEO.match(lines[i].text):
                kem = lines[i].text
                i += 1
                while i < n and ")" not in kem and not lines[i].blank and lines[i].where != "table":
                    kem = _join(kem, lines[i].text)
                    i += 1
                m = re.search(r"\bcủa\s+(.+?)\)?\s*$", kem)
                if m:
                    self.ten_goi = m.group(1).strip()
            j = i
            while j < n and not _PHU_LUC.match(lines[j].text):
                j += 1
            self.appendix(head, " ".join(title), lines[i:j])
            i = j

    def appendix(self, head: Line, title: str, body: list[Line]) -> None:
        ten = title.strip() or "[[Tên phụ lục]]"
        tables = [x for x in body if x.where == "table"]
        words = " ".join(x.text for x in body[:12] if not x.blank)
        if (tables and tables[0].rows and [" ".join(c[0]) for c in tables[0].rows[0]] == _ANNEX_HEADER) or \
                (not self.src.whole and re.search(r"\bTT\b.*Nhiệm vụ.*Chủ trì.*Phối hợp.*Thời gian.*Sản phẩm", words)):
            self.task_annex = True if ten.upper() == "DANH MỤC NHIỆM VỤ" else {"tieu_de": ten}
            return
        content: list = []
        if self.src.whole:
            for x in body:
                if x.where == "table":
                    content.append({"bang": self.table(x)})
                elif not x.blank:
                    m = marker(x.text)
                    if m and m.style in ("-", "+"):
                        if content and isinstance(content[-1], dict) and "gach" in content[-1]:
                            content[-1]["gach"].append(_markup(m.rest))
                        else:
                            content.append({"gach": [_markup(m.rest)]})
                    else:
                        content.append(_markup(x.text))
        elif self.src.layout_tables and re.search(r"\b(?:S?TT|Số\s+TT)\b", words):
            grid = self.src.layout_tables.pop(0)
            content = [{"bang": self.table(Line("", head.no, where="table", rows=grid.as_rows()))}]
            if grid.landscape:
                self.src.landscape[head.section] = True
        else:
            paras = self.paragraphs(body)
            content = [_markup(p.text) for p in paras]
            if paras:
                page = 1 + sum(1 for x in self.L if x.page_end and x.no < paras[0].no)
                self.warn(paras[0].no, f"phụ lục «{_short(ten)}» (trang {page}): bảng trong bản trích chữ không "
                          "dựng lại được, nội dung giữ thành các đoạn văn")
        ap: dict[str, object] = {"ten": ten}
        if self.src.landscape.get(head.section):
            ap["ngang"] = True
        if content:
            ap["noi_dung"] = content
        self.phu_luc.append(ap)

    def table(self, line: Line) -> dict:
        """A Word table as a `bang`: header row, groups, and the TT column when it holds exactly the
        numbers vbtool prints (then ``so_thu_tu`` regenerates them and the rows leave that cell out)."""
        rows = line.rows or []
        header = [" ".join(c[0]) for c in rows[0]] if rows else []
        ncols = len(header)
        data = rows[1:]

        def group(r) -> str | None:
            if len(r) == 2 and r[1][1] == ncols - 1 or len(r) == 1 and r[0][1] == ncols and ncols > 1:
                return "nhom_con" if r[-1][3] else "nhom"
            return None

        restart = None
        if header and header[0].strip().upper() in ("TT", "STT", "SỐ TT"):
            restart = next((mode for mode in ("nhom", "nhom_con", "khong") if _tt_ok(data, ncols, group, mode)),
                           None)
        cols = [{"ten": h} for h in header]
        if line.widths and len(line.widths) == ncols:
            for c, w in zip(cols, line.widths):
                c["rong_mm"] = round(w, 1)
        out_rows: list = []
        for r in data:
            kind = group(r)
            if kind:
                out_rows.append({kind: _markup(" ".join(r[-1][0])) or "[[Nhóm]]"})
                continue
            cells = r[1:] if restart else r
            row = []
            for c in cells:
                texts = [_markup(t) for t in c[0]]
                row.append(texts[0] if len(texts) == 1 else (texts or ""))
                row.extend([""] * (c[1] - 1))
            want = ncols - (1 if restart else 0)
            out_rows.append((row + [""] * want)[:want])
        if not any(isinstance(r, list) for r in out_rows):
            out_rows.append([""] * (ncols - (1 if restart else 0)))
        out: dict[str, object] = {"cot": cols}
        if restart:
            out["so_thu_tu"] = True
            if restart != "nhom":
                out["danh_so_lai"] = restart
        out["dong"] = out_rows
        return out

    def unplaced_table(self, line: Line) -> None:
        self.warn(line.no, "bảng giữa phần nội dung không có chỗ trong YAML (chỉ phụ lục có bảng); "
                  "nội dung bảng ghi thành chú thích YAML ở cuối tệp")
        self.tail.append(f"Bảng ở đoạn {line.no} (chưa đặt được vào nội dung):")
        for r in line.rows or []:
            self.tail.append("  | " + " | ".join(" ".join(c[0]) for c in r) + " |")

    def unplaced(self, line: Line) -> None:
        self.warn(line.no, f"dòng sau phần chữ ký không nhận ra, đã bỏ: «{_short(line.text)}»")

    # -- footnotes
    def extract_footnotes(self) -> None:
        """Footnotes: Word's come with the file; in extracted text a note sits at the bottom of its page.

        pdftotext prints a note as its number alone on a line, then its text;
        other extractors print "(1) text" or "1 text". A run of such notes is
        taken as notes only if it fills the page's tail, the numbers follow on
        from the previous page, and each number occurs as a reference earlier
        on the same page ("(1)", or a digit glued to a word: "Nhân dân1"). The
        reference becomes [^n], the note goes to chu_thich. Every other bare
        number line is a page number and is dropped.
        """
        if self.src.whole:
            self.notes.update(self.src.notes)
            return
        L = self.L
        pages, start = [], 0
        for i, line in enumerate(L):
            if line.page_end:
                pages.append((start, i + 1))
                start = i + 1
        pages.append((start, len(L)))
        drop: set[int] = set()
        expected = 1
        for a, b in pages:
            for j in range(a, b):
                found = self.note_run(j, b, expected)
                if found and self.link_notes(a, j, found):
                    for number, paras in found:
                        self.notes[str(number)] = paras
                    expected = found[-1][0] + 1
                    drop.update(range(j, b))
                    break
        self.L = [x for i, x in enumerate(L) if i not in drop and x.where != "num"]

    def note_run(self, j: int, end: int, expected: int) -> list | None:
        """Notes numbered `expected`, `expected`+1… filling L[j:end], or None."""
        L = self.L
        notes: list = []
        texts: list[str] = []
        for i in range(j, end):
            line = L[i]
            if line.blank:
                continue
            want = expected + len(notes)
            m = re.fullmatch(r"\(?(\d{1,3})\)?(?:\s+(\S.*))?", line.text)
            if m and int(m.group(1)) == want and (line.where == "num" or m.group(2)):
                if notes:
                    notes[-1][1].extend(_note_paragraphs(texts))
                notes.append((want, []))
                texts = [m.group(2)] if m.group(2) else []
                continue
            if not notes or line.where == "num":
                return None
            texts.append(line.text)
        if not notes:
            return None
        notes[-1][1].extend(_note_paragraphs(texts))
        return notes if all(p for _, p in notes) else None

    def link_notes(self, a: int, j: int, notes: list) -> bool:
        """Replace each note's reference on lines a..j-1 with a sentinel; False if one is missing."""
        L = self.L
        pos = (a, 0)
        edits = []
        for number, _paras in notes:
            after = r"(?=[\s.,;:)”\"]|$)"
            forms = [re.compile(rf"\({number}\)"),                              # "(1)"
                     re.compile(rf"(?<=[^\s\d(/.,:-]){number}{after}"),           # "Nhân dân1", "(PCI)2"
                     re.compile(rf"(?<!\d)(?:19|20)\d\d({number}){after}")]       # "năm 20241": 2024 + 1
            hit = None
            for i in range(pos[0], j):
                if L[i].where == "num" or L[i].blank:
                    continue
                start = pos[1] if i == pos[0] else 0
                found = [m for m in (rx.search(L[i].text, start) for rx in forms) if m]
                if found:
                    m = min(found, key=lambda x: x.start(x.lastindex or 0))
                    g = m.lastindex or 0
                    hit = (i, m.start(g), m.end(g))
                    break
            if hit is None:
                return False
            i, s0, e0 = hit
            edits.append((i, s0, e0, number))
            pos = (i, s0 + 1)
        for i, s, e, number in reversed(edits):
            t = L[i].text
            L[i] = replace(L[i], text=t[:s] + f"{NOTE_OPEN}{number}{NOTE_CLOSE}" + t[e:], cols=[])
        return True
