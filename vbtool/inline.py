"""Inline markup inside any text of a document: emphasis and footnote references.

The syntax is deliberately tiny, close to Markdown so that a drafter who has
seen it once remembers it, and safe for prose that was never written with
markup in mind:

* ``**in đậm**`` bold, ``*in nghiêng*`` italic, ``***cả hai***`` both;
* ``[^ten]`` a footnote reference; the note itself is written once, under the
  document's ``chu_thich:`` key (``ten: "Nội dung chú thích."``);
* ``\\*`` a literal asterisk, ``\\[`` a literal bracket, ``\\\\`` a backslash.

Why the strict flanking rules below: administrative prose contains stray
asterisks ("(*) Số liệu ước tính", "Điều 5*", "3 * 4"). A delimiter opens only
when it is not glued to a letter on its left and is followed by text, and
closes only when it follows text and is not glued to a letter on its right;
anything unmatched prints as written. So markup never eats a character the
drafter meant literally, and an escape is needed only in the rare case where
a literal pair of asterisks looks exactly like emphasis.

Quoted names need no markup: typographic quotes (“Dân vận khéo”) are typed as
they are and kept; ``*“Dân vận khéo”*`` puts a quoted name in italics.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Span:
    """A piece of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class NoteRef:
    """A footnote reference ``[^name]``; the renderer gives it its number."""

    name: str


NOTE_REF = re.compile(r"(?<!\\)\[\^([\w.-]+)\]")
_TOKEN = re.compile(r"\\([\\*\[\]])|\[\^([\w.-]+)\]|(\*{1,3})")
_NO_OPEN_BEFORE = set(")]}.,;:!?…”’»")     # an opener followed by these is literal
_NO_CLOSE_AFTER = set("([{“‘«")            # a closer preceded by these is literal


def _is_word(ch: str | None) -> bool:
    return ch is not None and (ch.isalnum() or ch == "_")


@dataclass
class _Delim:
    length: int
    can_open: bool
    can_close: bool
    matched: bool = False


@lru_cache(maxsize=8192)
def parse(text: str) -> tuple:
    """Split text into Span and NoteRef items (cached: texts repeat in batches)."""
    tokens: list = []      # str | _Delim | NoteRef
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            tokens.append(text[pos:m.start()])
        pos = m.end()
        if m.group(1) is not None:                      # escape
            tokens.append(m.group(1))
        elif m.group(2) is not None:                    # footnote reference
            tokens.append(NoteRef(m.group(2)))
        else:
            before = text[m.start() - 1] if m.start() > 0 else None
            after = text[m.end()] if m.end() < len(text) else None
            can_open = (after is not None and not after.isspace() and after not in _NO_OPEN_BEFORE
                        and not _is_word(before))
            can_close = (before is not None and not before.isspace() and before not in _NO_CLOSE_AFTER
                         and not _is_word(after))
            tokens.append(_Delim(len(m.group(3)), can_open, can_close))
    if pos < len(text):
        tokens.append(text[pos:])
    _match(tokens)
    return tuple(_spans(tokens))


def _match(tokens: list) -> None:
    """Pair openers with closers of the same length, innermost first.

    One stack per length (1, 2, 3) instead of one stack searched from the
    top: a closer finds the latest opener of its length at once, and the
    openers above it (opened inside, so left literal) are popped from every
    stack. Each opener is pushed and popped once: linear in the text."""
    stacks: dict[int, list[int]] = {1: [], 2: [], 3: []}
    for i, t in enumerate(tokens):
        if not isinstance(t, _Delim):
            continue
        if t.can_close and stacks[t.length]:
            k = stacks[t.length].pop()
            tokens[k].matched = t.matched = True
            for s in stacks.values():           # delimiters opened inside stay literal
                while s and s[-1] > k:
                    s.pop()
            continue
        if t.can_open:
            stacks[t.length].append(i)


def _spans(tokens: list) -> list:
    out: list = []
    bold = italic = False
    buf: list[str] = []          # pieces of the current span, joined once (not text + t each time)
    cur = (False, False)

    def flush():
        if buf:
            out.append(Span("".join(buf), *cur))
            buf.clear()
    for t in tokens:
        if isinstance(t, _Delim):
            if t.matched:
                if t.length in (2, 3):
                    bold = not bold
                if t.length in (1, 3):
                    italic = not italic
                continue
            t = "*" * t.length
        if isinstance(t, NoteRef):
            flush()
            out.append(t)
        elif t:
            if buf and cur != (bold, italic):
                flush()
            cur = (bold, italic)
            buf.append(t)
    flush()
    return out


def plain(text: str) -> str:
    """The text as printed, without markup and without footnote references."""
    return "".join(s.text for s in parse(text) if isinstance(s, Span))


def refs(text: str) -> list[str]:
    """Names of the footnotes referenced in text, in order."""
    return [s.name for s in parse(text) if isinstance(s, NoteRef)]


def strip_refs(text: str) -> str:
    """The markup with its footnote references removed (notes are not copied)."""
    return NOTE_REF.sub("", text)


def escape(text: str) -> str:
    """Markup that prints `text` literally (for text coming from elsewhere)."""
    return re.sub(r"([\\*\[])", r"\\\1", text)
