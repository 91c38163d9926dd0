"""Patterns of a Vietnamese administrative document: header, numbering markers, task fields, units."""
from __future__ import annotations

import re

from .. import kinds
from ..vn import VN_LETTERS
from .source import Marker, _lower_start


_GAP = re.compile(r"[ \t\u00a0]{3,}")                 # a wide gap inside one column piece
_COLS = re.compile(r"[ \t\u00a0]{2,}")                # a column gap in extracted text
_TEN_LOAI = {k.printed_name.upper(): k.code for k in kinds.all_kinds() if k.printed_name}   # data/kinds
_QUOC_HIEU = re.compile(r"CỘNG\s+H[OÒ][AÀ]\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM", re.I)
_TIEU_NGU = re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc", re.I)
_DANG = re.compile(r"ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM")
_SO_STATE = re.compile(r"\bSố\s*(?P<colon>:)?\s*(?P<so>\d+)?\s*/\s*(?P<loai>[A-ZĐ][A-ZĐa-z]{0,5})\s*-\s*"
                       r"(?P<cq>[A-ZĐa-z0-9][A-ZĐa-z0-9.\-]*)")
_SO_PARTY = re.compile(r"\bSố\s*(?P<colon>:)?\s*(?P<so>\d+)?\s*-\s*(?P<loai>[A-ZĐ][A-ZĐa-z]{0,5})\s*/\s*"
                       r"(?P<cq>[A-ZĐa-z0-9][A-ZĐa-z0-9.\-]*)")
_DATE = re.compile(r"(?P<place>[^,\d\n]*?)\s*,\s*ngày\s*(?P<d>\d{1,2})?\s*tháng\s*(?P<m>\d{1,2})?\s*"
                   r"năm\s*(?P<y>\d{4})")
_RULE = re.compile(r"^[-–—_*=.·\s]{3,}$|^\*$")
_RULE_GLUED = re.compile(r"^[-–—_]{3,}\s*(?=\S)")
_OPENING = re.compile(r"^(Căn cứ|Thực hiện|Triển khai|Để|Nhằm|Theo|Trên cơ sở|Qua|Xét|Ngày \d|Kính gửi)\b")
_KINH_GUI = re.compile(r"^Kính\s+gửi\s*:?\s*(?P<rest>.*)$")
_NOI_NHAN = re.compile(r"^\s*Nơi\s+nhận\s*:?\s*", re.I)
_LUU = re.compile(r"^[-–]?\s*Lưu\s*(?P<colon>:)?\s*(?P<rest>.*)$")
_SIG_PREFIX = re.compile(r"^(?P<p>(?i:TM\.|T/M|KT\.|K/T|TL\.|T/L|TUQ\.)|Q\.)\s*(?P<rest>\S.*)$")
# A signer's title, whatever the case of its letters in the source ("PHÓ Bí THƯ").
_TITLE = re.compile(r"^(?:phó\s+)?(?:bí\s+thư|chủ\s+tịch|giám\s+đốc|trưởng\s+ban|chánh\s+văn\s+phòng|"
                    r"trưởng\s+phòng|chủ\s+nhiệm|chánh\s+thanh\s+tra|viện\s+trưởng|hiệu\s+trưởng|"
                    r"tổng\s+biên\s+tập|thủ\s+trưởng|tổng\s+cục\s+trưởng|cục\s+trưởng|vụ\s+trưởng)\b"
                    r"[^\d]{0,40}$", re.I)
_PHU_LUC = re.compile(r"^(PHỤ\s+LỤC|Phụ\s+lục)(\s+([IVXLC]+|\d{1,2}))?\s*$")
_KEM_THEO = re.compile(r"^\(?\s*Kèm\s+theo\b", re.I)
_ENDS_SENTENCE = re.compile(r"[.;:!?…][\"”’)\]]*\s*$")
_YEAR = re.compile(r"\b(?:năm|/)\s*((?:19|20)\d\d)\b")
_GENERIC_BODY = re.compile(r"^(ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN$|^HỘI\s+ĐỒNG\s+NHÂN\s+DÂN$")
_LOCALITY = re.compile(r"^(TỈNH|THÀNH\s+PHỐ|HUYỆN|QUẬN|THỊ\s+XÃ|XÃ|PHƯỜNG|THỊ\s+TRẤN)\b")

# Numbering markers, tried in this order (dotted before plain Arabic).
_M_ROMAN = re.compile(r"^(?P<n>[IVXL]{1,6})\s*(?P<s>[.\-–])\s*(?P<rest>\S.*)$")
_M_DOTTED = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<rest>\S.*)$")
_M_ARABIC = re.compile(r"^(?P<n>\d{1,2})\s*(?P<s>[.\-–)])\s+(?P<rest>\S.*)$")
_M_LETTER = re.compile(r"^(?P<n>[a-zđ])\s*(?P<s>[)\-–])\s+(?P<rest>\S.*)$")
_M_DASH = re.compile(r"^[-–—•]\s*(?P<rest>[^\s\-–—].*)$")
_M_PLUS = re.compile(r"^\+\s*(?P<rest>\S.*)$")
_ROMAN_OK = re.compile(r"^(XL|L?X{0,3})(IX|IV|V?I{0,3})$")

# Task field labels (case-insensitive, the whole text before the colon).
_FIELD_LABELS = [
    ("lanh_dao_phu_trach", r"lãnh đạo(?: [^\s:]+){0,2} phụ trách"),
    ("chu_tri", r"(?:cơ quan |đơn vị )?chủ trì(?: thực hiện)?"),
    ("phoi_hop", r"(?:cơ quan |đơn vị )?phối hợp(?: thực hiện)?"),
    ("thuc_hien", r"(?:cơ quan |đơn vị )?thực hiện"),
    ("tham_muu", r"(?:phòng |cơ quan |đơn vị )?tham mưu"),
    ("thoi_gian", r"thời (?:gian|hạn)(?: thực hiện| hoàn thành)?"),
    ("san_pham", r"sản phẩm(?: đầu ra)?|kết quả đầu ra"),
    ("ket_qua", r"kết quả thực hiện"),
]
_FIELD = re.compile(r"^(?P<dash>[-–]\s*)?(?P<label>[^:\d()]{2,45}?)\s*:\s*(?P<value>.*)$")
UNIT_FIELDS = ("chu_tri", "thuc_hien", "phoi_hop", "lanh_dao_phu_trach", "tham_muu")
FIELD_ORDER = ("chu_tri", "thuc_hien", "phoi_hop", "lanh_dao_phu_trach", "tham_muu", "thoi_gian", "san_pham",
               "ket_qua")

# A recipient's note in brackets: "(báo cáo)", "(b/c)", "(để theo dõi)".
_NOTE_WORDS = re.compile(r"^(?:để\s+)?(?:báo\s*cáo|b/c|bc|theo\s+dõi|t/d|thực\s+hiện|t/h|phối\s+hợp|p/h|biết|"
                         r"chỉ\s+đạo|đăng\s+tải|đăng\s+tin|xem\s+xét|giám\s+sát|kiểm\s+tra|"
                         r"tuyên\s+truyền|thông\s+báo)$", re.I)
_ANNEX_HEADER = ["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian", "Sản phẩm"]


def marker(text: str) -> Marker | None:
    """The numbering marker that starts `text`, or None."""
    m = _M_DOTTED.match(text)
    if m:
        return Marker("1.1.", [int(x) for x in m.group("n").split(".")], m.group("rest"))
    m = _M_ROMAN.match(text)
    if m and _ROMAN_OK.match(m.group("n")):
        return Marker("I." if m.group("s") == "." else "I-", [_roman_value(m.group("n"))], m.group("rest"))
    m = _M_ARABIC.match(text)
    if m:
        sep = m.group("s")
        return Marker({".": "1.", ")": "1)"}.get(sep, "1-"), [int(m.group("n"))], m.group("rest"))
    m = _M_LETTER.match(text)
    if m and m.group("n") in VN_LETTERS:
        return Marker("a)" if m.group("s") == ")" else "a-", [VN_LETTERS.index(m.group("n")) + 1], m.group("rest"))
    m = _M_DASH.match(text)
    if m and (text[1:2].isspace() or re.match(r"[^\W\d_][^\W\d_]", m.group("rest")) and
              m.group("rest")[1].islower()):         # "- Ý", "-Tổ chức"; never "-KH/BDVTU"
        return Marker("-", [], m.group("rest"))
    m = _M_PLUS.match(text)
    if m:
        return Marker("+", [], m.group("rest"))
    return None


def _roman_value(s: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(s):
        v = vals[ch]
        total += -v if i + 1 < len(s) and vals[s[i + 1]] > v else v
    return total


def task_field(text: str) -> tuple[str, str, str, str] | None:
    """(field, label, dash, value) when `text` is a labelled task line such as "- Chủ trì: Sở Tư pháp."."""
    m = _FIELD.match(text)
    if not m:
        return None
    label = " ".join(m.group("label").split())
    for key, rx in _FIELD_LABELS:
        if re.fullmatch(rx, label, re.I):
            return key, label, "- " if m.group("dash") else "", m.group("value").strip()
    return None


_GROUP_WORD = re.compile(r"^(các|những|mọi)\b")


def split_units(value: str) -> list[str]:
    """Split a unit list ("Sở Tư pháp, Sở Nội vụ; UBND các huyện, thị xã, thành phố.") into units.

    ";" separates units; inside each part "," does too, except inside brackets
    and before a lower-case piece that continues a group phrase ("UBND các
    huyện, thị xã, thành phố", "các cơ quan, đơn vị"): a piece starting with a
    lower-case word other than "các/những/mọi" belongs to the unit before it.
    "và" is never a separator ("Sở Kế hoạch và Đầu tư"), so the rendering keeps the words.
    """
    value = value.strip().rstrip(".;,").strip()
    out: list[str] = []
    for part in _split_outside_brackets(value, ";"):
        pieces = _split_outside_brackets(part, ",")
        units: list[str] = []
        for piece in pieces:
            if units and _lower_start(piece) and not _GROUP_WORD.match(piece):
                units[-1] = units[-1] + ", " + piece
            else:
                units.append(piece)
        out += units
    return [u for u in (x.strip() for x in out) if u]


def _split_outside_brackets(text: str, sep: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([“\"" and not (ch == '"' and depth):
            depth += 1
        elif ch in ")]”" or (ch == '"' and depth):
            depth = max(0, depth - 1)
        if ch == sep and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [x for x in out if x]
