"""Which profile a .docx is checked against: given by name, or its regime recognised from the header,
then the regime's profile in force on the document's date."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from .. import profile as profiles
from ..ooxml.ns import w
from ..ooxml.read import Styles, Theme
from .docx import Package
from .flatten import Flattener, Para
from .rules.header import number_regex
from .text import collapse, letters_key, tone_norm

# When no profile's tiêu đề or number line is recognised, the document is checked
# as a state document: the most common kind a clerk receives.
FALLBACK_REGIME = "nha_nuoc"

_DATE_IN_TEXT = re.compile(r"(?i)\bngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})|"
                           r"\bngày\s+tháng\s+năm\s+(\d{4})")


def document_date(paras: list[Para]) -> Optional[dt.date]:
    """The date of the date line (first "ngày … tháng … năm …" in the header), if any.

    A draft's blank day and month ("ngày   tháng   năm 2026") give the year's last day.
    """
    for p in paras[:60]:
        m = _DATE_IN_TEXT.search(collapse(p.text))
        if not m:
            continue
        if m.group(4):
            return dt.date(int(m.group(4)), 12, 31)
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


def detect_regime(paras: list[Para]) -> Optional[str]:
    """The regime whose tiêu đề (quốc hiệu or "ĐẢNG CỘNG SẢN VIỆT NAM") comes first in the document,
    over every available profile; else the one whose number line matches."""
    texts = [tone_norm(p.text) for p in paras[:60]]
    best = None
    for prof in profiles.all_profiles():
        chu = prof.tieu_de.dong[0].chu
        # the whole line, or the exact (upper-case) text inside a line: the
        # same words in body prose ("… của Đảng Cộng sản Việt Nam") do not count
        pos = next((i for i, t in enumerate(texts) if letters_key(t) == letters_key(chu)
                    or tone_norm(chu) in t), None)
        if pos is not None and (best is None or pos < best[0]):
            best = (pos, prof.regime)
    if best:
        return best[1]
    # No tiêu đề: fall back on the shape of the number line ("Số:" vs "Số 12-").
    for p in paras[:60]:
        text = collapse(p.text)
        for prof in profiles.all_profiles():
            if number_regex(prof.so_ky_hieu.mau).match(text):
                return prof.regime
    return None


def choose_profile(pkg: Package, regime: Optional[str] = None,
                   ho_so: Optional[str] = None) -> tuple[profiles.Profile, bool, bool]:
    """(profile, detected, unknown): the pinned profile, or the regime's (given or recognised
    from the header) in force on the document's date.  KeyError for an unknown name."""
    if ho_so:
        return profiles.load(ho_so), False, False
    paras = Flattener(Styles(None, Theme(None))).story(pkg.xml(pkg.main).find(w("body")))
    on = document_date(paras)
    if regime is not None:
        key = regime.replace("-", "_")
        if key not in profiles.regimes():
            return profiles.load(regime), False, False      # a profile name given as the regime
        return profiles.for_date(key, on), False, False
    found = detect_regime(paras)
    if found is None:
        return profiles.for_date(FALLBACK_REGIME, on), True, True
    return profiles.for_date(found, on), True, False
