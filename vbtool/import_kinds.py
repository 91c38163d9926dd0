"""Import: recognise the kinds of data/kinds beyond Kế hoạch and Báo cáo.

The importer (importer/) reads any Kế hoạch-like document into YAML; these
functions, called from it, turn what it read into the fields of a kind:

* a công văn has no tên loại: the "V/v …" line of the header becomes its
  trích yếu, and a state number without type code ("Số: 12/UBND-VX") keeps
  its agency code whole;
* a Quyết định's opening lines become ``tham_quyen``, ``can_cu``,
  ``theo_de_nghi`` and its "Điều N." paragraphs ``dieu`` articles;
* a Tờ trình's "Hồ sơ gửi kèm theo:" list becomes ``kem_theo``.

Texts (labels, endings) come from the profiles, as for rendering.
"""
from __future__ import annotations

import re

from . import kinds
from . import profile as profiles

VV = re.compile(r"(?i)^(v/v|về việc)\s+\S")
_ARTICLE = re.compile(r"^Điều\s+(\d+)\s*[.:]\s*(?P<rest>.*)$", re.S)
_BASIS = re.compile(r"^(-\s*)?Căn cứ\b")
# Plans and reports are expected to have numbered content (the importer leaves [[Nội dung]] otherwise).
_NUMBERED_CONTENT = ("ke_hoach", "bao_cao")
_PROPOSAL = re.compile(r"^(-\s*)?(Theo|Xét) đề nghị\b")


def letter(kind: str | None, meta: dict, subject: str | None, regime: str) -> tuple[str | None, str | None]:
    """(kind, subject) for a document without tên loại that is a công văn; unchanged otherwise."""
    if kind is not None or "cong_van" not in kinds.codes():
        return kind, subject
    cv = kinds.get("cong_van")
    code = meta.get("loai")
    if not meta.get("vv") and not (code and code == cv.type_code(regime)):
        return kind, subject
    if code and not cv.type_code(regime) and meta.get("ky_hieu"):
        # "Số: 12/UBND-VX": the number has no type code, so what was read as one is the agency's
        meta["ky_hieu"] = f"{code}-{meta['ky_hieu']}"
        meta["loai"] = None
    return "cong_van", meta.get("vv") or subject


def vv_lines(lines: list, pos: int, end: int, meta: dict) -> int:
    """Text from a PDF: the "V/v …" lines under the number come after the header; keep them as
    the công văn's trích yếu and return where the document goes on."""
    i = pos
    while i < end and lines[i].blank:
        i += 1
    if i >= end or not VV.match(" ".join(lines[i].text.split())):
        return pos
    from .importer.patterns import _DATE
    parts: list[str] = []
    while i < end and not lines[i].blank and len(parts) < 5:
        text = " ".join(lines[i].text.split())
        if parts and re.match(r"^Kính\s+gửi\b", text):
            break
        m = _DATE.match(text)
        if parts and m:                    # the date of the right column, printed after the V/v lines
            if "nam" not in meta:
                meta.update(place=m.group("place").strip(" ,") or None, nam=int(m.group("y")),
                            thang=int(m.group("m")) if m.group("m") else None,
                            ngay=int(m.group("d")) if m.group("d") else None, date_no=lines[i].no)
            i += 1
            break
        parts.append(text)
        i += 1
    meta.setdefault("vv", " ".join(parts))
    return i


def _strings(d: dict) -> list | None:
    """The opening and a body made of plain paragraphs only, in order; None if the body has structure."""
    out = list(d.get("mo_dau") or [])
    for n in d.get("noi_dung", []):
        if isinstance(n, str) and n != "[[Nội dung]]":
            out.append(n)
        elif isinstance(n, dict) and set(n) == {"doan"}:
            out.append(n["doan"])
        elif n != "[[Nội dung]]":
            return None
    return out


def _upper_tail(text: str) -> tuple[str, str]:
    """("… của Chính phủ", "CHỦ TỊCH ỦY BAN …"): the upper-case words that end a text, split off.

    Text read from a PDF joins lines that Word kept apart: the authority line to the
    trích yếu, "BAN … QUYẾT ĐỊNH" to the "Xét đề nghị …," line.
    """
    words = text.split()
    k = len(words)
    while k and words[k - 1].isupper() and words[k - 1].rstrip(",:").isalpha():
        k -= 1
    if k == 0 or len(words) - k < 2:
        return text, ""
    return " ".join(words[:k]), " ".join(words[k:])


def decision(d: dict, regime: str) -> bool:
    """Split a decision's paragraphs into its fields; False when they do not look like one."""
    texts = _strings(d)
    if not texts:
        return False
    head, tail = _upper_tail(d.get("trich_yeu") or "")
    if tail and not any(t.upper() == t for t in texts[:1]):
        d["trich_yeu"], texts = head, [tail, *texts]
    split = []
    for t in texts:
        head, tail = _upper_tail(t)
        split += [head, tail] if tail and _PROPOSAL.match(t) else [t]
    texts = split
    prof = profiles.for_regime(regime)
    want = prof["quyet_dinh"]["chu"].rstrip(":").upper()
    out: dict = {"can_cu": [], "noi_dung": []}
    seen_decides = False
    for t in texts:
        flat = " ".join(t.split())
        m = _ARTICLE.match(flat)
        if m and seen_decides:
            out["noi_dung"].append({"dieu": m.group("rest")})
        elif out["noi_dung"]:
            last = out["noi_dung"][-1]
            last["dieu"] = [*([last["dieu"]] if isinstance(last["dieu"], str) else last["dieu"]), flat]
        elif flat.upper() == flat and flat.rstrip(":").endswith(want):
            seen_decides = True
            head = flat.rstrip(":")[: -len(want)].strip()
            if head:
                out["tham_quyen"] = head
        elif _BASIS.match(flat):
            out["can_cu"].append(re.sub(r"^-\s*", "", flat).rstrip(" ;,."))
        elif _PROPOSAL.match(flat):
            out["theo_de_nghi"] = re.sub(r"^-\s*", "", flat).rstrip(" ;,.")
        elif flat.upper() == flat and "tham_quyen" not in out and not out["can_cu"]:
            out["tham_quyen"] = flat
        else:
            return False
    if not seen_decides or not out["noi_dung"] or not out["can_cu"]:
        return False
    d.pop("mo_dau", None)
    d.pop("danh_so", None)
    d.pop("hien_thi_nhiem_vu", None)
    d.update(out)
    return True


def attachments(d: dict, regime: str) -> bool:
    """Move a tờ trình's "Hồ sơ gửi kèm theo:" list into kem_theo; the "./." sits before it."""
    prof = profiles.for_regime(regime)
    label = prof["kem_theo"]["nhan"]
    found = _find_label(d, "mo_dau", label) or _find_label(d, "noi_dung", label)
    if not found:
        return False
    container, i = found
    items = []
    rest = container[i + 1:]
    for x in rest:
        if isinstance(x, dict) and "gach" in x:
            items += [g if isinstance(g, str) else g["doan"] for g in x["gach"]]
        elif isinstance(x, str) and x.startswith(("- ", "– ")):
            items.append(x[2:])
        else:
            return False
    if not items:
        return False
    del container[i:]
    d["kem_theo"] = [x.strip().rstrip(";.") for x in items]
    return True


def move_ending(d: dict, regime: str) -> None:
    """The "./." printed before the attachments: the renderer puts it there again."""
    ending = profiles.for_regime(regime)["than_van_ban"]["ket_thuc"]
    last = _last_text(d)
    if last is not None and ending and last[0][last[1]].endswith(ending):
        holder, key = last
        holder[key] = holder[key][: -len(ending)] + ("." if not holder[key][: -len(ending)].endswith(".") else "")
        d.pop("ket_thuc", None)


def _find_label(d: dict, key: str, label: str):
    def walk(nodes):
        for i, n in enumerate(nodes):
            text = n if isinstance(n, str) else (n.get("doan") if isinstance(n, dict) else None)
            if text is not None and " ".join(text.split()) == label:
                return nodes, i
            if isinstance(n, dict) and isinstance(n.get("noi_dung"), list):
                hit = walk(n["noi_dung"])
                if hit:
                    return hit
        return None
    nodes = d.get(key)
    return walk(nodes) if isinstance(nodes, list) else None


def _last_text(d: dict):
    """(container, key) of the last paragraph text of the body, to move the ending."""
    nodes = d.get("noi_dung") or []
    holder = None
    while nodes:
        n = nodes[-1]
        if isinstance(n, str):
            return nodes, len(nodes) - 1
        if isinstance(n, dict) and n.get("noi_dung"):
            nodes = n["noi_dung"]
            continue
        for key in ("doan", "muc", "nhiem_vu"):
            if isinstance(n, dict) and isinstance(n.get(key), str):
                return n, key
        return holder
    mo = d.get("mo_dau")
    if isinstance(mo, list) and mo:
        return mo, len(mo) - 1
    return None


def refine(d: dict, warnings: list) -> dict:
    """Give an imported document the fields of its kind (see the module docstring)."""
    kind = d.get("loai")
    regime: str = d["the_thuc"]       # the importer sets it before refining
    filled = False
    if kind in kinds.codes():
        k = kinds.get(kind)
        attached = "kem_theo" in k.fields and "kem_theo" in profiles.for_regime(regime) \
            and attachments(d, regime)
        if "dieu" in k.nodes and "quyet_dinh" in profiles.for_regime(regime):
            filled = decision(d, regime)
        if not filled and k.code not in _NUMBERED_CONTENT \
                and d.get("noi_dung") == ["[[Nội dung]]"] and d.get("mo_dau"):
            # a letter or a proposal may be plain paragraphs only: the last one is the body
            d["noi_dung"] = [d["mo_dau"].pop()]
            if not d["mo_dau"]:
                del d["mo_dau"]
            filled = True
        if attached:
            move_ending(d, regime)
        if k.code not in _NUMBERED_CONTENT:
            for i, n in enumerate(d.get("noi_dung", [])):
                # a numbered sentence at the top of a letter is a point, not a heading
                if isinstance(n, dict) and set(n) == {"muc"} and re.search(r"[.;:]$", n["muc"]):
                    d["noi_dung"][i] = {"nhiem_vu": n["muc"]}
    if filled:
        warnings[:] = [w for w in warnings if "[[Nội dung]]" not in str(w)]
    return d
