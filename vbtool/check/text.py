"""Text helpers of the checker: normal forms for finding lines, and Vietnamese number formats."""
from __future__ import annotations

import re
import unicodedata

from ..vn import strip_marks


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
    return "".join(ch for ch in strip_marks(text) if ch.isalnum()).upper()


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


def norm_prefix(token: str) -> str:
    """"T/M" → "TM", "Q." → "Q": a signature prefix without dots and slashes."""
    return token.replace(".", "").replace("/", "").upper()
