"""The document model between parsing and rendering.

Renderers, ``derive`` and ``batch`` work on these objects, never on raw YAML.
``build`` turns a schema-valid ``Source`` into a ``Document``, checking what a
schema cannot express (real calendar dates, one kind per body node, regime
specific signatures) and assigning the numbering of every section and task,
which derivation needs to cite "nhiệm vụ 2.3 của Kế hoạch …".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import profile as profiles
from .loader import InputError, Problem, Source
from .schema import validate
from .vn import Ngay, nfc, number_label

TASK_FIELDS = ("chu_tri", "thuc_hien", "phoi_hop", "lanh_dao_phu_trach", "tham_muu", "thoi_gian", "san_pham")
UNIT_FIELDS = ("chu_tri", "thuc_hien", "phoi_hop", "lanh_dao_phu_trach", "tham_muu")
KIND_NAMES = {"ke_hoach": "Kế hoạch", "bao_cao": "Báo cáo"}
KIND_CODES = {"ke_hoach": "KH", "bao_cao": "BC"}


@dataclass
class Agency:
    ten: str                     # as printed in the header, \n for line breaks
    ky_hieu: str
    cap_tren: str | None = None
    ten_goi: str | None = None   # name used in running text


@dataclass
class Signature:
    chuc_vu: str
    ho_ten: str
    thay_mat: str | None = None
    ky_thay: str | None = None
    thua_lenh: str | None = None
    thua_uy_quyen: str | None = None
    quyen: bool = False


@dataclass
class Recipient:
    names: list[str]             # several names share one note, e.g. "(báo cáo)"
    note: str | None = None


@dataclass
class Paragraph:
    text: str
    path: tuple = ()


@dataclass
class Bullets:
    items: list[tuple[str, list[str]]]   # ("- " text, ["+ " sub-items])
    path: tuple = ()


@dataclass
class Section:
    """A numbered heading with children (I. MỤC ĐÍCH, YÊU CẦU; 1. Mục đích)."""

    title: str
    children: list = field(default_factory=list)
    number: list[int] = field(default_factory=list)
    label: str = ""
    path: tuple = ()


@dataclass
class Task:
    """A numbered task: its text plus data fields (chủ trì, phối hợp, …).

    Unit fields are lists so that ``derive`` can select by unit or group.
    """

    text: list[str]
    fields: dict = field(default_factory=dict)
    title: str | None = None
    code: str | None = None
    children: list = field(default_factory=list)
    number: list[int] = field(default_factory=list)
    label: str = ""
    path: tuple = ()

    @property
    def number_text(self) -> str:
        """"2.3" — the dotted number used when citing the task elsewhere."""
        return self.label.rstrip(".-)").strip() if self.label else ""


@dataclass
class Document:
    kind: str                    # ke_hoach | bao_cao
    regime: str                  # nha_nuoc | dang
    profile: profiles.Profile
    agency: Agency
    number: int | None
    type_code: str
    date: Ngay
    place: str
    subject: str
    kinh_gui: list[str]
    opening: list[str]
    numbering: list[str]
    task_display: dict
    body: list
    ending: str
    signature: Signature
    recipients: list[Recipient]
    archive: list[str]
    task_annex: dict | None = None
    source: Source | None = None
    warnings: list = field(default_factory=list)

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    def tasks(self) -> list[Task]:
        """All tasks in document order."""
        out: list[Task] = []

        def walk(nodes):
            for n in nodes:
                if isinstance(n, Task):
                    out.append(n)
                if isinstance(n, (Task, Section)):
                    walk(n.children)
        walk(self.body)
        return out


_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_VN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value) -> Ngay:
    """2023-10-05, 05/10/2023, or a bare year for a draft with blank day/month."""
    if isinstance(value, int):
        if not 1900 <= value <= 2200:
            raise ValueError(f"năm {value} không hợp lý")
        return Ngay(value)
    m = _DATE_ISO.match(value)
    if m:
        y, mo, d = map(int, m.groups())
    else:
        m = _DATE_VN.match(value)
        if not m:
            raise ValueError(f"ngày \"{value}\" phải có dạng 2023-10-05 hoặc 05/10/2023")
        d, mo, y = map(int, m.groups())
    try:
        dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"ngày {d:02d}/{mo:02d}/{y} không có thật") from None
    return Ngay(y, mo, d)


def _as_list(v) -> list[str]:
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


class _Builder:
    def __init__(self, src: Source, prof: profiles.Profile):
        self.src = src
        self.prof = prof
        self.problems: list[Problem] = []

    def err(self, path, msg):
        self.problems.append(self.src.problem(path, msg))

    def nodes(self, items, path) -> list:
        out = []
        for i, item in enumerate(items):
            p = path + (i,)
            if isinstance(item, str):
                out.append(Paragraph(item, p))
                continue
            kinds = [k for k in ("muc", "nhiem_vu", "doan", "gach") if k in item]
            if len(kinds) != 1:
                self.err(p, "mỗi phần tử nội dung phải có đúng một trong các trường muc, nhiem_vu, doan, gach"
                         + (f" (đang có: {', '.join(kinds)})" if kinds else ""))
                continue
            kind = kinds[0]
            task_keys = [k for k in TASK_FIELDS + ("tieu_de", "ma") if k in item]
            if kind != "nhiem_vu" and task_keys:
                self.err(p + (task_keys[0],), f"trường \"{task_keys[0]}\" chỉ dùng cho nhiem_vu")
                continue
            if kind in ("doan", "gach") and "noi_dung" in item:
                self.err(p + ("noi_dung",), "đoạn văn và danh sách gạch đầu dòng không có noi_dung con")
                continue
            children = self.nodes(item.get("noi_dung", []), p + ("noi_dung",))
            if kind == "muc":
                out.append(Section(item["muc"], children, path=p))
            elif kind == "doan":
                out.append(Paragraph(item["doan"], p))
            elif kind == "gach":
                out.append(Bullets([(g, []) if isinstance(g, str) else (g["doan"], g.get("cong", []))
                                    for g in item["gach"]], p))
            else:
                fields = {}
                for k in TASK_FIELDS:
                    if k in item:
                        fields[k] = _as_list(item[k]) if k in UNIT_FIELDS else item[k]
                out.append(Task(_as_list(item["nhiem_vu"]), fields, item.get("tieu_de"), item.get("ma"),
                                children, path=p))
        return out

    def number(self, nodes, styles, prefix: list[int], path):
        n = 0
        for node in nodes:
            if isinstance(node, (Section, Task)):
                n += 1
                node.number = prefix + [n]
                depth = len(node.number) - 1
                if depth >= len(styles):
                    self.err(node.path, f"mục lồng quá sâu: cấp {depth + 1} chưa có kiểu đánh số trong danh_so")
                    continue
                node.label = number_label(styles, node.number)
                self.number(node.children, styles, node.number, path)

    def signature(self, d: dict) -> Signature:
        sig = Signature(**{k: d.get(k) for k in ("chuc_vu", "ho_ten", "thay_mat", "ky_thay", "thua_lenh",
                                                   "thua_uy_quyen")}, quyen=bool(d.get("quyen", False)))
        prefixes = self.prof["chu_ky"]["tien_to"]
        for key in ("thay_mat", "ky_thay", "thua_lenh", "thua_uy_quyen"):
            if getattr(sig, key) and key not in prefixes:
                self.err(("ky", key), f"thể thức {self.prof.name} không có hình thức ký này")
        if sig.quyen and "quyen" not in prefixes:
            self.err(("ky", "quyen"), f"thể thức {self.prof.name} không có hình thức ký \"Q.\"")
        delegations = [k for k in ("ky_thay", "thua_lenh", "thua_uy_quyen") if getattr(sig, k)]
        if len(delegations) > 1:
            self.err(("ky", delegations[1]), "chỉ chọn một trong ky_thay, thua_lenh, thua_uy_quyen")
        return sig


def build(src: Source) -> Document:
    """Validate a parsed source and build the Document; raise InputError."""
    problems = validate(src, "van-ban.schema.json")
    if problems:
        raise InputError(problems)
    d = src.data
    try:
        prof = profiles.for_regime(d["the_thuc"], d.get("ho_so"))
    except KeyError:
        raise InputError([src.problem(("ho_so",), f"không có hồ sơ thể thức \"{d.get('ho_so')}\"; có: "
                                      + ", ".join(profiles.available()))]) from None
    if prof.regime != d["the_thuc"]:
        raise InputError([src.problem(("ho_so",), f"hồ sơ {prof.name} dành cho thể thức {prof.regime}")])
    b = _Builder(src, prof)
    try:
        date = parse_date(d["ngay"])
    except ValueError as exc:
        b.err(("ngay",), str(exc))
        date = Ngay(2000)
    body = b.nodes(d["noi_dung"], ("noi_dung",))
    styles = d.get("danh_so") or prof["muc"]["danh_so"]
    b.number(body, styles, [], ("noi_dung",))
    sig = b.signature(d["ky"])
    recipients = []
    for i, r in enumerate(d["noi_nhan"]):
        if isinstance(r, str):
            recipients.append(Recipient([r]))
        elif ("ten" in r) == ("nhom" in r):
            b.err(("noi_nhan", i), "mỗi nơi nhận có đúng một trong hai trường ten hoặc nhom")
        else:
            recipients.append(Recipient(_as_list(r.get("ten") or r.get("nhom")), r.get("ghi_chu")))
    annex = d.get("phu_luc_nhiem_vu")
    annex = {} if annex is True else (annex or None)
    if b.problems:
        raise InputError(b.problems)
    a = d["co_quan"]
    return Document(
        kind=d["loai"], regime=d["the_thuc"], profile=prof,
        agency=Agency(a["ten"], a["ky_hieu"], a.get("cap_tren"), a.get("ten_goi")),
        number=d.get("so"), type_code=d.get("ky_hieu_loai") or KIND_CODES[d["loai"]],
        date=date, place=d["dia_danh"], subject=nfc(d["trich_yeu"].strip()),
        kinh_gui=_as_list(d.get("kinh_gui")), opening=_as_list(d.get("mo_dau")),
        numbering=list(styles), task_display=d.get("hien_thi_nhiem_vu") or {},
        body=body, ending=d.get("ket_thuc", prof["than_van_ban"]["ket_thuc"]),
        signature=sig, recipients=recipients, archive=_as_list(d.get("luu")),
        task_annex=annex, source=src,
    )
