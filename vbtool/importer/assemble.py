"""Parser stage: the YAML data assembled from the regions and the structure."""
from __future__ import annotations

import re
from collections import Counter

from .. import import_kinds, inline, kinds
from .. import profile as profiles
from ..loader import iter_strings
from .source import Bullets, Entry, Node, Plain, TaskField, _sentence_case
from .patterns import FIELD_ORDER, UNIT_FIELDS, _ENDS_SENTENCE, _YEAR, split_units
from .text import _as_list, _bare, _markup
from .state import _State


class _Assembly(_State):
    """The parser step that assembles the YAML data. It stays one class (over 250 lines) because its methods
    are one recursive walk over the Node tree (node_yaml → children → task_yaml) sharing the labels and
    field orders gathered by the structure step."""

    def assemble(self, kind, meta, subject, kinh_gui, opening, body, ending, closing) -> dict:
        d: dict = {}
        regime = self.regime(meta)
        kind, subject = import_kinds.letter(kind, meta, subject, regime)
        if kind is None:
            code = meta.get("loai")
            guess = {"KH": "ke_hoach", "BC": "bao_cao"}.get(code or "")
            if guess is None:
                head = " ".join(opening[:2]).lower()
                guess = "bao_cao" if "báo cáo" in head and "kế hoạch" not in head else "ke_hoach"
                self.comment("loai", "nhập: không thấy tên loại (KẾ HOẠCH/BÁO CÁO), đoán theo nội dung — cần kiểm tra")
                self.warn(1, f"không thấy tên loại văn bản; đoán là {'Báo cáo' if guess == 'bao_cao' else 'Kế hoạch'}")
            kind = guess
        d["loai"] = kind
        d["the_thuc"] = regime
        ag = meta.get("agency") or {}
        co_quan: dict = {}
        if ag.get("cap_tren"):
            co_quan["cap_tren"] = ag["cap_tren"]
        co_quan["ten"] = ag.get("ten") or "[[Tên cơ quan ban hành]]"
        if not ag.get("ten"):
            self.warn(1, "không thấy tên cơ quan ban hành: để [[Tên cơ quan ban hành]]")
        if meta.get("ky_hieu"):
            co_quan["ky_hieu"] = meta["ky_hieu"]
        else:
            co_quan["ky_hieu"] = "[[ký hiệu cơ quan]]"
            self.comment("co_quan", "nhập: không thấy số, ký hiệu văn bản")
            self.warn(1, "không thấy số, ký hiệu văn bản: ký hiệu cơ quan để [[ký hiệu cơ quan]], số để trống")
        if getattr(self, "ten_goi", None):
            co_quan["ten_goi"] = self.ten_goi
        d["co_quan"] = co_quan
        d["so"] = meta.get("so")
        code = meta.get("loai")
        if code and code != kinds.get(kind).type_code(regime):
            d["ky_hieu_loai"] = code
        d["ngay"] = self.date(meta, subject, opening)
        if meta.get("place"):
            d["dia_danh"] = meta["place"]
        else:
            d["dia_danh"] = "[[Địa danh]]"
            self.warn(meta.get("date_no", 1), "không thấy địa danh: để [[Địa danh]]")
        if subject:
            d["trich_yeu"] = subject
        else:
            d["trich_yeu"] = "[[Trích yếu nội dung]]"
            self.warn(1, "không thấy trích yếu: để [[Trích yếu nội dung]]")
        if kinh_gui:
            d["kinh_gui"] = kinh_gui[0] if len(kinh_gui) == 1 else kinh_gui
        if opening:
            d["mo_dau"] = [_markup(x) for x in opening]
        nodes = [self.node_yaml(e) for e in body if isinstance(e, Node)]   # the root holds numbered items only
        depth = max(self.level_style) + 1 if self.level_style else 0
        if depth:
            d["danh_so"] = [self.level_style.get(k, "1.") for k in range(depth)]
        shown = self.task_display()
        if shown:
            d["hien_thi_nhiem_vu"] = shown
        if not nodes:
            nodes = ["[[Nội dung]]"]
            self.warn(1, "không tìm thấy phần nội dung có đánh số: để [[Nội dung]]")
        d["noi_dung"] = nodes
        if not ending:
            d["ket_thuc"] = ""
        d["ky"] = self.signature(closing, regime)
        recips = []
        for r in closing["recipients"]:
            names = [x for x in r["names"] if x]
            if not names:
                continue
            if len(names) == 1:
                recips.append({"ten": names[0], "ghi_chu": r["note"]} if r.get("note") else names[0])
            else:
                item = {"nhom": names}
                if r.get("note"):
                    item["ghi_chu"] = r["note"]
                recips.append(item)
        d["noi_nhan"] = recips
        luu = closing["luu"]
        if luu:
            parts = [x.strip() for x in luu.split(",") if x.strip()]
            # a regime whose Lưu line opens with a fixed entry ("VT") keeps the list form
            d["luu"] = parts if len(parts) > 1 or profiles.for_regime(regime).noi_nhan.luu_dau else parts[0]
        if self.notes:
            d["chu_thich"] = {k: (_markup(v[0]) if len(v) == 1 else [_markup(x) for x in v])
                              for k, v in self.notes.items()}
        if self.phu_luc:
            self.fit_tables(regime)
            d["phu_luc"] = self.phu_luc
        if self.task_annex is not None:
            d["phu_luc_nhiem_vu"] = self.task_annex
        import_kinds.refine(d, self.warnings)
        self.check_refs(d)
        return d

    def fit_tables(self, regime: str) -> None:
        """Column widths as read, shrunk to the page of the profile if they do not fit; the widest
        column is left free (it takes the rest), so rounding can never overflow the page."""
        prof = profiles.for_regime(regime)
        for ap in self.phu_luc:
            page = prof.landscape_width_mm if ap.get("ngang") else prof.text_width_mm
            for item in ap.get("noi_dung", []):
                if not (isinstance(item, dict) and "bang" in item):
                    continue
                cols = item["bang"]["cot"]
                widths = [c.get("rong_mm") for c in cols]
                if not widths or None in widths:
                    for c in cols:
                        c.pop("rong_mm", None)
                    continue
                scale = min(1.0, page / sum(widths))
                widest = max(range(len(cols)), key=lambda k: widths[k])
                for k, c in enumerate(cols):
                    if k == widest:
                        del c["rong_mm"]
                    else:
                        c["rong_mm"] = round(widths[k] * scale, 1)

    def regime(self, meta: dict) -> str:
        s = self.signals
        text = " ".join(x.text for x in self.L[:40] if not x.blank)
        if re.search(r"\b(ỦY BAN NHÂN DÂN|UBND|SỞ)\b", text):
            s["nha_nuoc"] += 1
        if re.search(r"\b(TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|ĐẢNG ỦY|BAN DÂN VẬN|BAN TUYÊN GIÁO|BAN TỔ CHỨC)\b", text):
            s["dang"] += 1
        if s["dang"] > s["nha_nuoc"]:
            regime = "dang"
        else:
            regime = "nha_nuoc"
        if max(s["dang"], s["nha_nuoc"]) < 5:
            self.comment("the_thuc", "nhập: không có quốc hiệu hay tiêu đề Đảng; thể thức đoán theo chữ ký, "
                         "dòng Lưu, số ký hiệu — cần kiểm tra")
        return regime

    def date(self, meta: dict, subject: str | None, opening: list[str]):
        if meta.get("nam"):
            y, m, dd = meta["nam"], meta.get("thang"), meta.get("ngay")
            if m and dd:
                return f"{y:04d}-{m:02d}-{dd:02d}"
            return y
        text = " ".join([subject or ""] + opening[:3])
        years = Counter(int(y) for y in re.findall(r"\bnăm\s+((?:19|20)\d\d)\b", text))
        if years:
            year = max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]
        else:
            found = [int(y) for y in _YEAR.findall(text)] or \
                    [int(y) for x in self.L for y in _YEAR.findall(x.text)]
            year = max(found) if found else __import__("datetime").date.today().year
        self.comment("ngay", f"nhập: không thấy ngày ban hành; năm {year} đoán từ nội dung — cần điền "
                     "[[Ngày ban hành]]")
        self.warn(1, f"không thấy ngày ban hành: chỉ ghi năm {year} (đoán từ nội dung)")
        return year

    def signature(self, closing: dict, regime: str) -> dict:
        ky: dict = {}
        keys = {"TM.": "thay_mat", "T/M": "thay_mat", "KT.": "ky_thay", "K/T": "ky_thay", "TL.": "thua_lenh",
                "T/L": "thua_lenh", "TUQ.": "thua_uy_quyen"}
        for p, rest in closing["auth"]:
            key = keys[p]
            if key not in profiles.for_regime(regime).chu_ky.tien_to:
                self.warn(1, f"thể thức này không có hình thức ký {p}, đã bỏ")
                continue
            delegated = [k for k in ("ky_thay", "thua_lenh", "thua_uy_quyen") if k in ky]
            if key != "thay_mat" and delegated:      # vbtool allows one of KT., TL., TUQ.
                self.warn(1, f"chữ ký có nhiều hơn một hình thức ký thay/thừa lệnh; bỏ \"{p} {rest}\"")
                continue
            ky.setdefault(key, _sentence_case(rest))
        if closing["quyen"]:
            ky["quyen"] = True
        upper = closing["upper"]
        if upper:
            ky["chuc_vu"] = _sentence_case(" ".join(upper))
        else:
            ky["chuc_vu"] = "[[Chức vụ người ký]]"
            self.warn(1, "không thấy chức vụ người ký: để [[Chức vụ người ký]]")
        if closing["name"]:
            ky["ho_ten"] = closing["name"]
        else:
            ky["ho_ten"] = "[[Họ và tên người ký]]"
            self.warn(1, "không thấy họ tên người ký: để [[Họ và tên người ký]]")
        order = ["thay_mat", "ky_thay", "thua_lenh", "thua_uy_quyen", "quyen", "chuc_vu", "ho_ten"]
        return {k: ky[k] for k in order if k in ky}

    def task_display(self) -> dict | None:
        if not self.labels:
            return None
        order: list[str] = []
        for seq in self.field_orders:
            prev: str | None = None
            for key in seq:
                if key not in order:
                    order.insert(order.index(prev) + 1 if prev is not None and prev in order else 0, key)
                prev = key
        for key in self.labels:
            if key not in order:
                order.append(key)
        dash = "- " if self.dashes["- "] > self.dashes[""] else ""
        if self.dashes["- "] and self.dashes[""]:
            self.comment("hien_thi_nhiem_vu", "nhập: các dòng nhãn nhiệm vụ lúc có lúc không có \"- \"; "
                         "chọn cách dùng nhiều hơn")
        return {"dau_dong": dash,
                "truong": [{"truong": k, "nhan": self.labels[k].most_common(1)[0][0]} for k in order]}

    def node_yaml(self, node: Node):
        items = [e for e in node.entries if isinstance(e, Node)]
        gach = [e for e in node.entries if isinstance(e, Bullets)]
        fields = [e for e in node.entries if isinstance(e, TaskField)]
        heading = self.is_heading(node)
        if fields:
            return self.task_yaml(node, heading)
        if items or gach:
            if self.styled and not node.heading:
                return {"nhiem_vu": _markup(node.text), "noi_dung": self.children(node.entries)}
            return {"muc": _markup(node.text), "noi_dung": self.children(node.entries)}
        paras = [e.text for e in node.entries if isinstance(e, Plain)]
        if paras:
            if heading:
                return {"muc": _markup(node.text), "noi_dung": [_markup(p) for p in paras]}
            return {"nhiem_vu": [_markup(node.text)] + [_markup(p) for p in paras]}
        if node.depth == 0 or (self.styled and node.heading):
            return {"muc": _markup(node.text)}
        return {"nhiem_vu": _markup(node.text)}

    def is_heading(self, node: Node) -> bool:
        """Is a numbered item a heading (muc, tieu_de) rather than a sentence of a task?

        A Word file that sets its headings in bold or italic says so itself (that
        is how vbtool prints them); otherwise a heading is text that does not end
        like a sentence.
        """
        if self.styled:
            return node.heading
        return not _ENDS_SENTENCE.search(_bare(node.text))

    def children(self, entries: list[Entry]) -> list:
        out: list = []                # paragraph strings and {gach: …} / table dicts
        for e in entries:
            if isinstance(e, Plain):
                out.append(_markup(e.text))
            elif isinstance(e, Bullets):
                out.append(
                    {
                        "gach": [
                            _markup(b.text) if not b.subs
                            else {"doan": _markup(b.text), "cong": [_markup(s) for s in b.subs]}
                            for b in e.items
                        ]
                    }
                )
            elif isinstance(e, Node):
                out.append(self.node_yaml(e))
        return out

    def task_yaml(self, node: Node, heading: bool) -> dict:
        entries = node.entries
        k = 0
        lead: list[str] = []
        while k < len(entries) and isinstance(first := entries[k], Plain):
            lead.append(first.text)
            k += 1
        fields: dict = {}
        order: list[str] = []
        rest: list[Entry] = []
        after_fields = False
        last_key = None
        for e in entries[k:]:
            if isinstance(e, TaskField):
                key, label, value, no = e.key, e.label, e.value, e.no
                after_fields = True
                last_key = key
                if key in fields and key != "ket_qua":
                    self.warn(no, f"nhiệm vụ có hai dòng \"{label}\"; nối vào dòng trước")
                    fields[key] = fields[key] + "; " + value if isinstance(fields[key], str) else fields[key]
                    continue
                order.append(key)
                fields[key] = value
                if key == "ket_qua":
                    fields[key] = [value] if value else []
                continue
            if after_fields and isinstance(e, Plain) and last_key == "ket_qua":
                fields["ket_qua"].append(e.text)
                continue
            if after_fields:
                self.warn(e.no,
                          "nội dung đứng sau các dòng nhãn của nhiệm vụ; khi dựng lại sẽ in trước các dòng nhãn")
            rest.append(e)
        self.field_orders.append(order)
        d: dict = {}
        if lead and heading:
            d["tieu_de"] = _markup(node.text)
            d["nhiem_vu"] = _markup(lead[0]) if len(lead) == 1 else [_markup(x) for x in lead]
        elif lead:
            d["nhiem_vu"] = [_markup(node.text)] + [_markup(x) for x in lead]
        else:
            d["nhiem_vu"] = _markup(node.text)
        if rest:
            d["noi_dung"] = self.children(rest)
        for key in FIELD_ORDER:
            if key not in fields:
                continue
            value = fields[key]
            if key in UNIT_FIELDS:
                units = split_units(value)
                d[key] = [_markup(u) for u in units] or ["[[Đơn vị]]"]
            elif key == "ket_qua":
                d[key] = [_markup(x) for x in value] or ["[[Kết quả thực hiện]]"]
            else:
                d[key] = _markup(value) or "[[…]]"
        return d

    def check_refs(self, d: dict) -> None:
        """Keep chu_thich consistent with the [^…] references: vbtool refuses an unused note or a lost one."""
        if "chu_thich" not in d:
            return
        used: list[str] = []
        for _path, _c, _k, text in iter_strings(d):
            used += inline.refs(text)
        for name in list(d["chu_thich"]):
            if name not in used:
                self.tail.append(f"Chú thích {name} không có chỗ dẫn trong nội dung: "
                                 + " ".join(_as_list(d["chu_thich"][name])))
                self.warn(1, f"chú thích {name} không có chỗ dẫn trong nội dung; ghi thành chú thích YAML ở cuối tệp")
                del d["chu_thich"][name]
        if not d["chu_thich"]:
            del d["chu_thich"]
