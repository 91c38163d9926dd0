"""Repair Vietnamese text damaged by PDF text extraction.

PDF extractors often emit a tone mark as a separate glyph, so the text comes out
with the mark on a consonant or a space (``thưc̣``, ``vâ ṇ``), on the wrong vowel
(``taị``), or with a stray space inside a word (``thuầ n``, ``Đ ề án``). The
reference documents in ``tests/fixtures`` are such extractions; comparing them
with generated drafts only makes sense once these artefacts are undone.

Every repair is guarded by a small model of Vietnamese syllable structure
(initial + nucleus + final, one tone on the nucleus), so that valid words,
including both tone styles ``hoá``/``hóa`` and ``thuỷ``/``thủy``, are never
changed: the module only fixes what Vietnamese orthography cannot produce.
There is no lexicon, so a join that is only plausible (``quả n`` could be
``quản``, but ``số n`` is real text) is not made, and a tone mark on a
consonant is always taken for a split-off Vietnamese tone (foreign ``ñ`` too).
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["repair_text", "strip_page_artifacts", "is_syllable"]

TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
SHAPES = {"\u0302": "aeo", "\u0306": "a", "\u031b": "ou"}  # â ê ô, ă, ơ ư
VOWELS = set("aeiouyAEIOUY")  # vowel bases once decomposed (NFD)

INITIALS = sorted("b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split(),
                  key=len, reverse=True) + [""]
FINALS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}
# Nucleus (written vowel cluster) -> whether a final consonant is
# required (True), forbidden (False) or optional (None).
NUCLEI: dict[str, bool | None] = {
    **dict.fromkeys("a e ê i o ô ơ u ư oa oe uê uy".split()),
    **dict.fromkeys("ă â iê yê uô ươ oă uâ uyê oo".split(), True),
    **dict.fromkeys("y ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ua ưa uơ "
                    "oai oay oao uôi ươi ươu iêu yêu uya uyu oeo uây".split(), False),
}
SHAPED = set("ăâêôơư")


def _split_tone(word: str) -> tuple[str, list[int]]:
    """Return the word (lower case, NFC) without tone marks, and the letter
    indices that carried one; the structure check must ignore tone position."""
    letters: list[str] = []
    toned: list[int] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in TONES and letters:
            toned.append(len(letters) - 1)
        elif unicodedata.combining(ch) and letters:
            letters[-1] += ch
        else:
            letters.append(ch)
    return unicodedata.normalize("NFC", "".join(letters)), toned


def _parse(bare: str) -> tuple[str, str, str] | None:
    """Split a toneless lower-case syllable into (initial, nucleus, final)."""
    for ini in INITIALS:
        if not bare.startswith(ini):
            continue
        rest = bare[len(ini):]
        n = 0
        while n < len(rest) and rest[n] in "aăâeêioôơuưy":
            n += 1
        nuc, fin = rest[:n], rest[n:]
        if not nuc and ini in ("gi", "qu"):
            continue  # "gìn" is g + in, not gi + n
        need = NUCLEI.get(nuc, "missing")
        if need == "missing" or fin not in FINALS or (need is True and not fin) \
                or (need is False and fin):
            continue
        if fin in ("ch", "nh") and nuc not in ("a", "ê", "i", "oa", "uê", "uy"):
            continue  # ch/nh only follow front vowels and a
        if ini in ("k", "gh", "ngh") and nuc[0] not in "ieêy":
            continue  # spelling rule: k/gh/ngh only before front vowels
        if ini in ("c", "ng") and nuc[0] in "ieêy" or ini == "g" and nuc[0] in "eê":
            continue
        return ini, nuc, fin
    return None


def is_syllable(word: str) -> bool:
    """True if ``word`` is a well-formed Vietnamese syllable, whatever vowel of
    the nucleus holds the tone (tone placement is checked separately)."""
    bare, toned = _split_tone(word)
    parts = _parse(bare) if len(toned) <= 1 and bare.isalpha() else None
    if parts is None:
        return False
    nfd = unicodedata.normalize("NFD", word)  # stop finals take only sắc or nặng
    return parts[2] not in ("c", "ch", "p", "t") or "\u0301" in nfd or "\u0323" in nfd


def _tone_slots(ini: str, nuc: str, fin: str) -> tuple[int, set[int]]:
    """Letter index where the tone belongs, and every index that is accepted.

    Both the old (hóa, thủy) and new (hoá, thuỷ) styles are accepted for the
    open nuclei oa, oe, uy; elsewhere there is only one correct place."""
    start = len(ini)
    if "ươ" in nuc:
        best = nuc.index("ơ")
    elif any(c in SHAPED for c in nuc):
        best = next(i for i, c in enumerate(nuc) if c in SHAPED)
    elif fin or len(nuc) == 1:
        best = len(nuc) - 1
    else:
        best = 1 if len(nuc) == 3 else 0
    ok = {start + best}
    if nuc in ("oa", "oe", "uy") and not fin:
        ok.add(start + 1)
    return start + best, ok


def _fix_tone_position(word: str) -> str:
    """Move the tone of a valid syllable to its nucleus if it sits where no
    spelling puts it (``taị`` -> ``tại``); anything else is returned as is."""
    bare, toned = _split_tone(word)
    if len(toned) != 1 or not is_syllable(word):
        return word
    parts = _parse(bare)
    assert parts is not None          # is_syllable(word) above: the toneless word parses
    best, ok = _tone_slots(*parts)
    if toned[0] in ok:
        return word
    groups: list[str] = []
    tone = ""
    for ch in unicodedata.normalize("NFD", word):
        if ch in TONES:
            tone = ch
        elif unicodedata.combining(ch):
            groups[-1] += ch
        else:
            groups.append(ch)
    groups[best] += tone
    return unicodedata.normalize("NFC", "".join(groups))


def _reattach_marks(line: str) -> str:
    """Put each combining mark that is not on a vowel back on the vowel it was
    split from: the nearest vowel before it in the same word, or, when the mark
    stands on a space or on a vowel-less piece (``vu ̣``, ``vâ ṇ``), the last
    vowel of the previous word, provided that word has no tone yet."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", line):
        if not unicodedata.combining(ch):
            out.append(ch)
            continue
        i = len(out) - 1
        while i >= 0 and unicodedata.combining(out[i]):
            i -= 1
        if i >= 0 and out[i] in VOWELS:
            out.append(ch)
            continue
        at = _find_vowel(out, i, ch)  # None: nowhere sensible, keep it in place
        out.insert(len(out) if at is None else at, ch)
    return unicodedata.normalize("NFC", "".join(out))


def _find_vowel(out: list[str], i: int, mark: str) -> int | None:
    """Insertion index for ``mark`` after the vowel that should carry it, or
    None. Walks back over consonants and across at most one run of spaces;
    a tone is only given to a word that has none (one tone per syllable)."""
    crossed = False
    while i >= 0:
        c = out[i]
        if c == " ":
            if crossed and out[i + 1] != " ":
                return None
            crossed = True
        elif c in VOWELS:
            j = i + 1
            while j < len(out) and unicodedata.combining(out[j]):
                j += 1
            if mark in TONES:
                ok = not _word_has_tone(out, i)
            else:
                ok = c.lower() in SHAPES.get(mark, "") and mark not in out[i + 1:j]
            return j if ok else None
        elif not (c.isalpha() or unicodedata.combining(c)):
            return None  # punctuation or digit: the mark is not ours to move
        i -= 1
    return None


def _word_has_tone(out: list[str], i: int) -> bool:
    """True if the word around index ``i`` of ``out`` already has a tone."""
    lo = hi = i
    while lo > 0 and (out[lo - 1].isalpha() or unicodedata.combining(out[lo - 1])):
        lo -= 1
    while hi < len(out) and (out[hi].isalpha() or unicodedata.combining(out[hi])):
        hi += 1
    return any(c in TONES for c in out[lo:hi])


_DIPHTHONG_SPLITS = {("i", "ê"), ("y", "ê"), ("u", "ô"), ("ư", "ơ")}


def _should_join(a: str, b: str) -> bool:
    """Decide whether ``a b`` is one syllable cut by a stray space.

    Joined only when ``a + b`` is a valid syllable with a plausible casing and
    either piece is not a syllable by itself (``thuầ n``, ``Đ ề``), or the cut
    falls inside a diphthong whose second half carries the tone (``hi ện``:
    both halves are well formed, but iê/uô/ươ are never split that way in real
    text). A one-consonant right piece only joins an incomplete left piece
    (``vậ n``): after a whole word it may be a label (``số n``, ``thứ c``).
    In every other case the words stay apart."""
    joined = a + b  # a real word is lower case, Capitalised or ALL CAPS
    casing_ok = joined.islower() or joined.isupper() or joined[0].isupper() and joined[1:].islower()
    if not (casing_ok and is_syllable(joined)):
        return False
    if len(b) == 1 and unicodedata.normalize("NFD", b)[0] not in VOWELS:
        return not is_syllable(a)
    if not (is_syllable(a) and is_syllable(b)):
        return True
    last, first = _split_tone(a[-1])[0], _split_tone(b[0])
    return (not _split_tone(a)[1] and first[1] == [0]
            and (last, first[0]) in _DIPHTHONG_SPLITS)


def _join_split_words(line: str) -> str:
    """Re-join syllables split by a space; ``a`` and ``b`` must be whole
    letter runs (no digit or letter glued to them), so ``T78`` is never a piece."""
    parts = re.split(r"( +)", line)
    k = 0
    while k + 2 < len(parts):
        left, right = parts[k], parts[k + 2]
        ma = re.search(r"(?<![^\W_])([^\W\d_]+)$", left)
        mb = re.match(r"([^\W\d_]+)(?![^\W_])", right)
        if ma and mb and _should_join(ma.group(1), mb.group(1)):
            parts[k:k + 3] = [left + right]
        else:
            k += 2
    return "".join(parts)


def _tidy_spaces(line: str) -> str:
    """Collapse runs of spaces between words and drop spaces before closing
    punctuation; leading indentation and trailing spaces are left alone."""
    line = re.sub(r"(?<=\S) {2,}(?=\S)", " ", line)
    return re.sub(r"(?<=\S) +(?=[,;:.)?])", "", line)


def repair_text(text: str) -> str:
    """Return ``text`` in NFC with PDF-extraction damage undone, line by line
    (repairs never cross a line break): stray marks re-attached, impossible
    tone positions moved to the nucleus, split syllables re-joined, spaces
    tidied. Valid Vietnamese words come out unchanged."""
    lines = []
    for line in unicodedata.normalize("NFC", text).split("\n"):
        line = _join_split_words(_reattach_marks(line))
        line = re.sub(r"[^\W\d_]+", lambda m: _fix_tone_position(m.group()), line)
        lines.append(_tidy_spaces(line))
    return unicodedata.normalize("NFC", "\n".join(lines))


_PAGE_NUMBER = re.compile(
    r"\s*(?:\d{1,3}|[-–—]\s*\d{1,3}\s*[-–—]|(?i:trang)\s+\d{1,3}(?:\s*/\s*\d{1,3})?)\s*")


def strip_page_artifacts(lines: list[str]) -> list[str]:
    """Drop lines that hold nothing but a page number ("2", "- 3 -",
    "Trang 4", "Trang 4/9"). Four-digit numbers are kept, since a year can
    end up alone on a line; anything with other text is kept as well."""
    return [line for line in lines if not _PAGE_NUMBER.fullmatch(line)]
