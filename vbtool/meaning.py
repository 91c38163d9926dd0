"""Checks of meaning, beyond the schema: does the document say who does what,
is it signed in a form that fits its issuer, did YAML split a unit name.

Every finding is a warning (`vbtool validate` prints it; `--strict` makes it
an error), located by file, line and column like the schema's messages.
"""
from __future__ import annotations

import re

from .loader import Problem, iter_strings
from .model import UNIT_FIELDS, Document, Section, Task
from .registry import Registry, Unit, norm

LEAD_FIELDS = ("chu_tri", "thuc_hien")
_PLURAL_START = ("các ", "những ", "mọi ")


def check(doc: Document, reg: Registry | None = None) -> list[Problem]:
    out = responsibility(doc) + signer_fit(doc) + split_names(doc, reg) + kinh_gui_repeated(doc)
    return sorted(out, key=lambda p: (p.line, p.col))


def _warn(doc: Document, path: tuple, message: str) -> Problem:
    return doc.source.problem(path, message, warning=True)


# -- who does it -------------------------------------------------------------------------------

def responsibility(doc: Document) -> list[Problem]:
    """A plan's task with no chủ trì / thực hiện: the field is there but empty, or the task has other
    task data (phối hợp, thời gian, sản phẩm) or sits among tasks that name their lead. A numbered
    paragraph written as nhiem_vu with no data at all (a purpose, a closing instruction) is prose.
    A sub-task is covered by a parent task that has a lead."""
    if doc.kind != "ke_hoach":
        return []
    out = []
    other = ("phoi_hop", "thoi_gian", "san_pham", "lanh_dao_phu_trach", "tham_muu")

    def walk(nodes, covered: bool):
        tasks = [n for n in nodes if isinstance(n, Task)]
        siblings_lead = any(any(t.fields.get(f) for f in LEAD_FIELDS) for t in tasks)
        for n in nodes:
            if isinstance(n, Task):
                has = any(n.fields.get(f) for f in LEAD_FIELDS)
                present = [f for f in LEAD_FIELDS if f in n.fields]
                looks_like_task = present or any(f in n.fields for f in other) or siblings_lead
                if not has and not covered and looks_like_task:
                    where = n.path + ((present[0],) if present else ())
                    out.append(_warn(doc, where, f"nhiệm vụ {n.number_text} chưa có đơn vị chủ trì/thực hiện "
                                     "(thêm chu_tri hoặc thuc_hien; danh sách không được rỗng)"))
                walk(n.children, covered or has)
            elif isinstance(n, Section):
                walk(n.children, covered)
    walk(doc.body, False)
    return out


# -- the signature fits the issuer --------------------------------------------------------------

_COMMITTEE = re.compile(r"^(tỉnh ủy|thành ủy|thị ủy|huyện ủy|quận ủy|đảng ủy|ban chấp hành đảng bộ|ban thường vụ)")


def issuer_kind(doc: Document) -> str:
    """ubnd | so | cap_uy (a Party committee) | ban_dang (a Party body) | khac, from the issuer's name."""
    name = norm(doc.agency.ten.replace("\n", " "))
    top = norm(doc.agency.cap_tren or "")
    if name.startswith("ubnd"):
        return "ubnd"
    if name.startswith("sở "):
        return "so"
    if _COMMITTEE.match(name):
        return "cap_uy"
    if name.startswith(("ban ", "văn phòng", "ủy ban kiểm tra")) and (
            re.search(r"\bủy\b|đảng bộ", top) or re.search(r"(tỉnh|thành|huyện|đảng) ủy", name)):
        return "ban_dang"
    return "khac"


def signer_fit(doc: Document) -> list[Problem]:
    kind, sig, regime = issuer_kind(doc), doc.signature, doc.regime
    prefix = {"nha_nuoc": ("TM.", "KT."), "dang": ("T/M", "K/T")}[regime]
    name = doc.agency.ten.replace("\n", " ")
    out = []
    if kind in ("cap_uy", "ban_dang") and regime == "nha_nuoc":
        key = "thay_mat" if sig.thay_mat else "ky_thay" if sig.ky_thay else "chuc_vu"
        out.append(_warn(doc, ("ky", key), f"{name} là cơ quan Đảng nhưng văn bản theo thể thức nhà nước (ký "
                         f"{'TM.' if sig.thay_mat else 'KT.' if sig.ky_thay else 'trực tiếp'}): dùng the_thuc: dang "
                         "để ký T/M BAN THƯỜNG VỤ, K/T TRƯỞNG BAN"))
    if kind == "ubnd" and regime == "dang":
        out.append(_warn(doc, ("the_thuc",), f"{name} là cơ quan nhà nước nhưng văn bản theo thể thức Đảng "
                         f"(ký {'T/M' if sig.thay_mat else 'K/T' if sig.ky_thay else 'trực tiếp'}): dùng the_thuc: "
                         "nha_nuoc để ký TM. ỦY BAN NHÂN DÂN"))
    if kind == "so" and sig.thay_mat:
        out.append(_warn(doc, ("ky", "thay_mat"), f"{name} không ký {prefix[0]} {sig.thay_mat.upper()}: Sở là cơ "
                         "quan do giám đốc đứng đầu, ký GIÁM ĐỐC hoặc KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"))
    if kind == "ubnd" and regime == "nha_nuoc":
        if sig.thay_mat and norm(sig.thay_mat) != "ubnd":
            out.append(_warn(doc, ("ky", "thay_mat"), f"{name} ký TM. ỦY BAN NHÂN DÂN, không phải "
                             f"TM. {sig.thay_mat.upper()}"))
        if sig.ky_thay and not norm(sig.ky_thay).startswith("chủ tịch"):
            out.append(_warn(doc, ("ky", "ky_thay"), f"{name}: cấp phó ký KT. CHỦ TỊCH, không phải "
                             f"KT. {sig.ky_thay.upper()}"))
    if kind == "cap_uy" and regime == "dang" and sig.ky_thay:
        out.append(_warn(doc, ("ky", "ky_thay"), f"{name} là cấp ủy: cấp phó cũng ký T/M BAN THƯỜNG VỤ, không "
                         "dùng K/T cho tập thể (HD 36-HD/VPTW, điểm 1.7.1)"))
    return out


# -- unit names split by YAML at a comma ----------------------------------------------------------

def _known_names() -> set[str]:
    """Usual body names that contain a comma ("Sở Văn hóa, Thể thao và Du lịch"), from the packaged template."""
    try:
        from .national import load_template
        t = load_template()
    except Exception:  # noqa: BLE001 - the check still works on lower-case fragments
        return set()
    return {norm(b.ten) for b in t.state + t.party if "," in b.ten} | \
        {norm(p) for items in t.groups.values() for p, _ in items if "," in p and "{" not in p}


def split_names(doc: Document, reg: Registry | None = None) -> list[Problem]:
    """Items of one flow list on one line, where an item looks like the tail of the one before it:
    [Các thôn, khu phố] gives "Các thôn" and "khu phố"."""
    known = None
    out = []
    data = doc.source.data

    def lists():
        for t in doc.tasks():
            for f in UNIT_FIELDS:
                raw = _get(data, t.path + (f,))
                if isinstance(raw, list):
                    yield t.path + (f,), raw
        for i, r in enumerate(data.get("noi_nhan") or []):
            if isinstance(r, dict):
                for k in ("nhom", "ten"):
                    if isinstance(r.get(k), list):
                        yield ("noi_nhan", i, k), r[k]
        if isinstance(data.get("kinh_gui"), list):
            yield ("kinh_gui",), data["kinh_gui"]

    for path, items in lists():
        for i in range(1, len(items)):
            prev, item = items[i - 1], items[i]
            if not (isinstance(prev, str) and isinstance(item, str)):
                continue
            if doc.source.where(path + (i,))[0] != doc.source.where(path + (i - 1,))[0]:
                continue                                   # one item per line: a block list, not split
            joined = f"{prev}, {item}"
            lower = item[:1].islower() and not item.lower().startswith(_PLURAL_START)
            if not lower:
                if known is None:
                    known = _known_names()
                in_reg = reg is not None and reg.resolve(joined)[1] and not reg.resolve(item)[1]
                if not (norm(joined) in known or in_reg):
                    continue
            out.append(_warn(doc, path + (i,), f"\"{item}\" có vẻ là phần sau của \"{joined}\" bị tách ở dấu "
                             f"phẩy; nếu là một tên, hãy đặt trong dấu nháy: [\"{joined}\"]"))
    return out


def _get(data, path):
    for k in path:
        try:
            data = data[k]
        except (KeyError, IndexError, TypeError):
            return None
    return data


# -- Kính gửi repeated in Nơi nhận ----------------------------------------------------------------

def _bare(name: str) -> str:
    return norm(re.sub(r"\((để )?(báo cáo|b/c)\)\s*$", "", name))


def kinh_gui_repeated(doc: Document) -> list[Problem]:
    """In a state report the Kính gửi bodies are covered by "- Như trên;" (NĐ 30, Phụ lục I, ô 9b)."""
    if doc.regime != "nha_nuoc" or doc.kind != "bao_cao" or not doc.kinh_gui:
        return []
    sent = {_bare(k) for k in doc.kinh_gui}
    out = []
    for i, r in enumerate(doc.source.data.get("noi_nhan") or []):
        if isinstance(r, str):
            entries = [(("noi_nhan", i), r)]
        else:
            key = "ten" if "ten" in r else "nhom"
            v = r.get(key)
            entries = [(("noi_nhan", i, key), v)] if isinstance(v, str) else \
                [(("noi_nhan", i, key, j), n) for j, n in enumerate(v or [])]
        for where, n in entries:
            if isinstance(n, str) and _bare(n) in sent:
                out.append(_warn(doc, where, f"\"{n}\" đã ở Kính gửi: Nơi nhận ghi \"Như trên\" thay cho các nơi "
                                 "đã kính gửi, không nhắc lại (NĐ 30/2020, Phụ lục I, ô 9b)"))
    return out


# -- a batch template's own unit left in other units' versions --------------------------------------

_REPLACED = ("co_quan", "dia_danh", "ky", "luu", "the_thuc", "hang_loat", "noi_nhan")


def own_names(base: dict, unit: Unit | None) -> list[str]:
    """Names of the unit a batch template was written for: its co_quan and, when the
    registry knows it, the unit's names and "xã Hàm Thuận" (kind + place)."""
    from .registry import LOAI_TEXT
    names = []
    co = base.get("co_quan") if isinstance(base, dict) else None
    if isinstance(co, dict):
        if isinstance(co.get("ten"), str):
            names.append(re.sub(r"\s+", " ", co["ten"]))
        if isinstance(co.get("ten_goi"), str):
            names.append(co["ten_goi"])
    if unit is not None:
        names += unit.names()
        if unit.loai:
            names.append(f"{LOAI_TEXT[unit.loai]} {unit.dia_danh}")
    seen, out = set(), []
    for n in sorted(names, key=len, reverse=True):
        if norm(n) not in seen and len(n) > 3:
            seen.add(norm(n))
            out.append(n)
    return out


def template_unit(base: dict, reg: Registry) -> Unit | None:
    co = base.get("co_quan") if isinstance(base, dict) else None
    if not isinstance(co, dict):
        return None
    for key in ("ten",):                  # ten_goi ("Ủy ban nhân dân tỉnh") is the same in every province
        if isinstance(co.get(key), str):
            ids, kind = reg.resolve(re.sub(r"\s+", " ", co[key]))
            if kind == "don_vi" and len(ids) == 1:
                return reg.units[next(iter(ids))]
    return None


def leftover_names(src, names: list[str]) -> list[Problem]:
    """Places in a batch template's text (not the fields the registry replaces) that name its own unit."""
    if not names:
        return []
    either = "(?:ubnd|ủy ban nhân dân)"          # norm() equates the two, so must the search
    alts = [re.escape(norm(n)).replace("ubnd", either) for n in names]
    rx = re.compile("|".join(r"(?<!\w)" + a + r"(?!\w)" for a in alts), re.IGNORECASE)
    out = []
    for path, _, _, text in iter_strings(src.data):
        if path and path[0] in _REPLACED:
            continue
        for m in rx.finditer(text):
            out.append(src.problem(path, f"còn tên riêng của đơn vị mẫu \"{m.group(0)}\": các bản của đơn vị "
                                   "khác sẽ giữ nguyên tên này; dùng {{ don_vi.ten_goi }} hoặc {{ don_vi.dia_danh }}",
                                   warning=True))
    return out
