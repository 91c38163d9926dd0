"""Characters that XML 1.0 cannot carry, found wherever text enters a document.

A .docx is XML 1.0: C0 controls other than tab/LF/CR, lone surrogates, U+FFFE
and U+FFFF make the file unreadable by Word and LibreOffice. Text reaches a
document from YAML, expressions, registry CSV cells and override CSV cells;
each path checks with :func:`first_illegal` and names where the character is,
and the writer checks the final XML once more (:func:`check_xml`) so that no
path that was forgotten can produce a corrupt file.
"""
from __future__ import annotations

import re

ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def first_illegal(text: str) -> str | None:
    """The first character XML 1.0 cannot carry, or None."""
    m = ILLEGAL.search(text)
    return m.group() if m else None


def describe(ch: str) -> str:
    """`U+0000` in a Vietnamese sentence."""
    return f"có ký tự U+{ord(ch):04X} không được phép trong văn bản (ký tự điều khiển hoặc không hợp lệ trong Word)"


class UnsafeXmlError(ValueError):
    """The writer was handed XML with a character XML 1.0 forbids."""


def check_xml(xml: str, part: str) -> None:
    m = ILLEGAL.search(xml)
    if m:
        near = ILLEGAL.sub("�", xml[max(0, m.start() - 40):m.start()])
        near = re.sub(r"<[^>]*>?", "", near)[-30:]
        raise UnsafeXmlError(f"{part}: ký tự U+{ord(m.group()):04X} không được phép trong tệp Word"
                             f" (sau \"{near}\"); không ghi tệp")
