"""The parts a document kind is made of: their model objects, how they are read
from the YAML, and how each part is laid out.

A kind file (``data/kinds/*.yaml``) lists its parts by name in print order;
``PARTS`` maps each name to the function that lays it out with the Renderer, the
layout itself coming from the profile (``tham_quyen``, ``can_cu``,
``quyet_dinh``, ``dieu``, ``trich_yeu_cong_van``, ``kem_theo``, ``ban_hanh_kem``
elements, each with its ``nguon``). The parts shared by every kind (header,
title, Kính gửi, body, signature) call the Renderer's own methods, so Kế hoạch
and Báo cáo are laid out exactly as before the kinds existed.

This module does not import ``model`` or ``render`` at load time (both import it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .ooxml import Paragraph, ParaProps, RunProps, para, run
from .vn import date_line, short_date, upper_vn


# ---------------------------------------------------------------- model objects

@dataclass
class Article:
    """An article of a decision: "Điều 1." then its text (one or more paragraphs)."""

    text: list[str]
    number: int = 0
    path: tuple = ()


@dataclass
class KindParts:
    """The elements only some kinds have (the kind file lists them under `truong`)."""

    authority: str | None = None            # tham_quyen: "Chủ tịch Ủy ban nhân dân tỉnh Bình Thuận"
    bases: list[str] = field(default_factory=list)     # can_cu: "Căn cứ …"
    proposal: str | None = None             # theo_de_nghi: "Theo đề nghị của …"
    issues: str | None = None               # ban_hanh_kem: the YAML of the document this decision issues
    attachments: list[str] = field(default_factory=list)   # kem_theo (tờ trình)
    issued_with: object | None = None       # the Document (a decision) this document is issued with


def _as_list(v) -> list[str]:
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


def build_parts(b, d: dict, kind) -> KindParts:
    """Read the kind's own fields; report fields of other kinds, missing fields, wrong regime.

    `b` is the model's builder (errors are collected there with their YAML line).
    """
    from . import kinds as kind_registry
    if d["the_thuc"] not in kind.type_codes:
        b.err(("the_thuc",), f"{kind.name} không có trong thể thức này; {kind.name.lower()} dùng thể thức: "
              + ", ".join(kind.regimes()))
    for key in sorted(kind_registry.own_fields() - set(kind.fields)):
        if key in d:
            owners = [k.name for k in kind_registry.all_kinds() if key in k.fields]
            b.err((key,), f"trường \"{key}\" chỉ dùng cho {', '.join(owners)}, không dùng cho {kind.name}")
    missing = [e for e in _profile_elements(kind) if e not in b.prof]
    if missing:
        b.err(("the_thuc",), f"hồ sơ thể thức {b.prof.name} chưa có phần tử \"{missing[0]}\" cần cho {kind.name} "
              "(xem docs/them-loai-van-ban.md)")
    for key in kind.required:
        if not d.get(key):
            b.err((), f"{kind.name} cần trường \"{key}\"")
    out = KindParts(authority=d.get("tham_quyen"), proposal=d.get("theo_de_nghi"), issues=d.get("ban_hanh_kem"))
    for key, target in (("can_cu", out.bases), ("kem_theo", out.attachments)):
        raw = d.get(key)
        for i, text in enumerate(_as_list(raw)):
            target.append(b.rich(text.strip(), (key,) + ((i,) if isinstance(raw, list) else ())))
    if out.proposal:
        out.proposal = b.rich(out.proposal.strip(), ("theo_de_nghi",))
    return out


# Profile elements each part needs (the shared parts use elements every profile has).
_PART_ELEMENTS = {"tham_quyen": ("tham_quyen",), "can_cu": ("can_cu",), "quyet_dinh": ("quyet_dinh", "tham_quyen"),
                  "kem_theo": ("kem_theo",)}


def _profile_elements(kind) -> list[str]:
    out = [e for part in kind.parts for e in _PART_ELEMENTS.get(part, ())]
    if "dieu" in kind.nodes:
        out.append("dieu")
    if kind.subject_under_number:
        out.append("trich_yeu_cong_van")
    return out


def article(b, item: dict, path: tuple) -> Article:
    if "noi_dung" in item:
        b.err(path + ("noi_dung",), "điều không có noi_dung con; viết các khoản thành nhiều đoạn trong dieu")
    raw = item["dieu"]
    texts = _as_list(raw)
    for j, t in enumerate(texts):
        b.rich(t, path + ("dieu",) + ((j,) if isinstance(raw, list) else ()))
    return Article(texts, path=path)


def check_nodes(b, nodes: list, kind) -> None:
    """The body holds only the node types the kind allows (a decision: articles)."""
    for item in nodes:
        if isinstance(item, dict):
            used = [k for k in ("muc", "nhiem_vu", "doan", "gach", "dieu") if k in item]
            if len(used) == 1 and used[0] not in kind.nodes:
                b.err(item_path(b, item), f"{kind.name} không dùng \"{used[0]}\" trong noi_dung; dùng: "
                      + ", ".join(kind.nodes))


def item_path(b, item) -> tuple:
    for i, x in enumerate(b.src.data.get("noi_dung", [])):
        if x is item:
            return ("noi_dung", i)
    return ("noi_dung",)


def complete(doc) -> None:
    """After the Document is built: number the articles; a decision's Nơi nhận starts with "Như Điều 3"."""
    from .model import Recipient
    articles = [n for n in doc.body if isinstance(n, Article)]
    for i, a in enumerate(articles, 1):
        a.number = i
    first = doc.kind_def.first_recipient
    if first and articles:
        text = first.format(dieu_cuoi=articles[-1].number)
        head = doc.recipients[0].names[0].strip().rstrip(",;.").lower() if doc.recipients else ""
        if not head.startswith(first.split("{")[0].strip().lower()):     # "như điều"
            doc.recipients.insert(0, Recipient([text]))


def number_pattern(profile, type_code: str) -> str:
    """The profile's number pattern; a kind without type code (state công văn) uses `mau_khong_loai`."""
    sk = profile["so_ky_hieu"]
    return sk["mau"] if type_code else sk.get("mau_khong_loai", sk["mau"])


# ---------------------------------------------------------------- layout

def _center(**kw) -> ParaProps:
    return ParaProps(align="center", **kw)


def _font(r, key: str, **override) -> RunProps:
    return r.p.font(key, **override)


def header(r) -> None:
    r.out.append(r.header_table())


def title(r) -> None:
    r.title()


def kinh_gui(r) -> None:
    r.kinh_gui()


def opening(r) -> None:
    for text in r.doc.opening:
        r.body_para(text)


def body(r) -> None:
    r.nodes(r.doc.body)


def signature(r) -> None:
    r.close_body()
    # keep the last body lines with the signature: never a lone signature page
    if r.last_body is not None:
        last = r.out[r.last_body.index]
        assert isinstance(last, Paragraph)
        r.out[r.last_body.index] = last.but(keep_next=True)
    r.out.append(r.signature_block())


def authority(r) -> None:
    """THẨM QUYỀN BAN HÀNH on its own line (state), or nothing when the profile puts it
    on the QUYẾT ĐỊNH line (Party: "BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH")."""
    spec = r.p["tham_quyen"]
    if spec.get("vi_tri") != "rieng_dong" or not r.doc.extras.authority:
        return
    r.out.append(para(run(upper_vn(r.doc.extras.authority), _font(r, "tham_quyen")),
                      _center(before_pt=spec.get("khoang_truoc", 6), after_pt=spec.get("khoang_sau", 0),
                              keep_next=True)))


def bases(r) -> None:
    """`Căn cứ …;` one per line, then `Theo đề nghị của ….` (state: italic)."""
    spec, x = r.p["can_cu"], r.doc.extras
    font = r.body_font.but(italic=spec.get("nghieng", False))
    lines = [(t, spec["ket_dong"]) for t in x.bases]
    if x.proposal:
        lines.append((x.proposal, spec["ket_de_nghi"]))
    for i, (text, end) in enumerate(lines):
        if i == len(lines) - 1 and not x.proposal:
            end = spec["ket_cuoi"]
        r.body_para(spec.get("dau_dong", "") + text.rstrip(" ;,.") + end, font, keep_next=True)
    r.last_body = None


def decides(r) -> None:
    """The "QUYẾT ĐỊNH:" line (state), or "<THẨM QUYỀN> QUYẾT ĐỊNH" (Party), centred, bold."""
    spec = r.p["quyet_dinh"]
    text = spec["chu"]
    if r.p["tham_quyen"].get("vi_tri") == "cung_dong_quyet_dinh" and r.doc.extras.authority:
        text = f"{upper_vn(r.doc.extras.authority)} {text}"
    r.out.append(para(run(text, _font(r, "quyet_dinh")),
                      _center(before_pt=spec.get("khoang_truoc", 6), after_pt=spec.get("khoang_sau", 6),
                              keep_next=True)))


def article_para(r, a: Article) -> None:
    spec = r.p["dieu"]
    label = spec["nhan"].format(so=a.number)
    r.body_para(a.text[0], label=label, label_font=r.body_font.but(bold=spec.get("dam", True)))
    for more in a.text[1:]:
        r.body_para(more)


def attachments(r) -> None:
    """A tờ trình's attached documents: "Hồ sơ gửi kèm theo:" then "- …;" lines (italic, profile)."""
    items = r.doc.extras.attachments
    if not items:
        return
    spec = r.p["kem_theo"]
    font = r.body_font.but(italic=spec.get("nghieng", False))
    fmt = r.body_fmt.but(keep_next=True)
    r.out.append(para(run(spec["nhan"], font), fmt))
    for i, text in enumerate(items):
        end = "." if i == len(items) - 1 else ";"
        r.out.append(para(run(f"- {text.rstrip(' ;.')}{end}", font), fmt))


def subject_under_number(r) -> list[Paragraph]:
    """The công văn trích yếu under the number ("V/v …"); none for other kinds."""
    if not r.doc.kind_def.subject_under_number:
        return []
    spec = r.p["trich_yeu_cong_van"]
    subject = r.doc.subject
    prefix = spec["tien_to"]
    if not subject.lower().startswith(prefix.strip().lower()):
        subject = prefix + subject[:1].lower() + subject[1:] if spec.get("chu_dau") == "thuong" else prefix + subject
    return [para(run(subject, _font(r, "trich_yeu_cong_van")), _center(before_pt=spec.get("khoang_truoc", 6)))]


def issued_with_line(r) -> list[Paragraph]:
    """"(Ban hành kèm theo Quyết định số 2150/QĐ-UBND ngày … của …)" under a document's trích yếu."""
    dec = r.doc.extras.issued_with
    if dec is None:
        return []
    spec = r.p["ban_hanh_kem"]
    if r.p.regime == "nha_nuoc":
        date = date_line("", dec.date).lstrip(", ").removeprefix("ngày ")
    else:
        date = short_date(dec.date)
    text = spec["mau"].format(loai=dec.kind_name, so_ky_hieu=dec.number_code(), ngay=date,
                              co_quan=dec.extras.authority or dec.agency.name_in_text)
    return [para(run(text, _font(r, "ban_hanh_kem")), _center(keep_next=True))]


PARTS = {
    "dau": header, "ten_loai": title, "kinh_gui": kinh_gui, "mo_dau": opening, "noi_dung": body,
    "chu_ky": signature, "tham_quyen": authority, "can_cu": bases, "quyet_dinh": decides,
    "kem_theo": attachments,
}
