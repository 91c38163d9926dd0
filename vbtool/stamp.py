"""`vbtool batch`: render the document once, then stamp each unit into it.

A batch issues one document per unit; a unit changes only its issuer: the
header table (agency, số ký hiệu, place and date), the signature block (signer,
Nơi nhận with the Lưu line) and the "Kèm theo" line of each phụ lục. Everything
else (the body, footnotes, headers, the title) is the same for every unit with
the same regime, as long as the text does not use `{{ don_vi… }}` and the unit
has no overrides. So per regime the first unit is rendered in full (the
*reference*), its XML is cut around those three pieces, and every next unit
costs only its issuer (`model.issuer`, with the same checks as `build`), those
pieces laid out by the same `Renderer` methods, and one zip write.

Anything else falls back to the full path of `batch.render_unit`: overrides,
text using the unit, a unit string with markup (`[^…]`, `{{ … }}`), a problem in
the unit's fields (so that the message is the full path's), pieces not found
exactly once. And the first stamped unit of each reference, and of each new
shape of issuer (see `_shape`), is also rendered in full and compared byte for
byte: if they differ, that reference is dropped and every unit goes the full
way (slower, never wrong).
tests/test_stamp.py stamps every example for units of every shape with the
comparison on for every unit.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import inline
from .document import docx_title, expand_expressions
from .expr import has_expressions
from .loader import Source, iter_strings
from .model import Document, build, issuer
from .ooxml.text import esc
from .package import template
from .render import Rendered, Renderer, render

ISSUER_KEYS = ("co_quan", "dia_danh", "ky", "luu", "the_thuc")


@dataclass
class Reference:
    """One unit's document, cut around the pieces that depend on the unit."""

    doc: Document
    segments: list[str]          # body XML between the pieces
    pieces: list[str]            # what goes between segments: header | signature | citation
    parts: dict                  # header, footnote parts (same for every unit of this regime)
    title: str


@dataclass
class Stamped:
    data: bytes
    stamped: bool                # False: rendered in full


class Stamper:
    """Per batch (per worker process): references by regime, and the stamping."""

    def __init__(self, job, verify_all: bool = False):
        self.job = job
        self.verify_all = verify_all
        self.refs: dict[str | None, Reference | None] = {}      # the_thuc -> reference (None: no stamping)
        self.verified: set[tuple] = set()        # (regime, shape) already compared with the full path
        base = job.base.data
        self.enabled = isinstance(base, dict) and not _uses_unit(base)
        self.issuer_base = {k: base[k] for k in (*ISSUER_KEYS, "hang_loat") if k in base} if self.enabled else {}

    def full(self, unit) -> tuple[bytes, Document, Rendered]:
        """The full path (batch.render_unit), keeping the document and its layout."""
        from .batch import merged_data
        data = merged_data(self.job.base.data, unit, self.job.overrides.get(unit.id))
        src = Source(self.job.base.file, data, self.job.base.positions)
        expand_expressions(src, unit.as_context())
        doc = build(src, schema_checked=True)
        rendered = render(doc)
        return template().build(rendered, docx_title(doc), self.job.base.file), doc, rendered

    def render(self, unit) -> Stamped:
        """The .docx of one unit; raises InputError as the full path does."""
        if not self.enabled or unit.id in self.job.overrides:
            return Stamped(self.full(unit)[0], False)
        from .batch import merged_data
        own = merged_data(self.issuer_base, unit, None)
        if set(own) - set(ISSUER_KEYS) or any(_has_markup(text) for _, _, _, text in iter_strings(own)):
            return Stamped(self.full(unit)[0], False)
        regime = own.get("the_thuc")
        if regime not in self.refs:
            data, doc, rendered = self.full(unit)
            self.refs[regime] = _reference(doc, rendered)
            return Stamped(data, False)
        ref = self.refs[regime]
        if ref is None:
            return Stamped(self.full(unit)[0], False)
        src = Source(self.job.base.file, own, self.job.base.positions)
        fields, problems = issuer(src, ref.doc.profile)
        if problems:
            return Stamped(self.full(unit)[0], False)      # the full path raises with its messages
        doc = dataclasses.replace(ref.doc, agency=fields.agency, place=fields.place, signature=fields.signature,
                                  archive=fields.archive, source=src)
        r = Renderer(doc)
        values = {"header": r.header_table(), "signature": r.signature_block()}
        if "citation" in ref.pieces:
            values["citation"] = _citation(r)
        out = [ref.segments[0]]
        for piece, segment in zip(ref.pieces, ref.segments[1:]):
            out.append(values[piece])
            out.append(segment)
        data = template().build(Rendered("".join(out), ref.parts), ref.title, self.job.base.file)
        shape = (regime, _shape(own))
        if self.verify_all or shape not in self.verified:
            full = self.full(unit)[0]
            self.verified.add(shape)
            if full != data:
                self.refs[regime] = None
                return Stamped(full, False)
        return Stamped(data, True)


def _citation(r: Renderer) -> str:
    """The escaped text of a phụ lục's "Kèm theo" line, as it stands in a run."""
    return ">" + esc(r.citation_of_self()) + "</w:t>"


def _reference(doc: Document, rendered: Rendered) -> Reference | None:
    """Cut the reference document around its unit pieces; None if they cannot be found exactly."""
    body = rendered.body_xml
    r = Renderer(doc)
    wanted = [("header", r.header_table(), 1), ("signature", r.signature_block(), 1)]
    if doc.appendices:
        citation = r.citation_of_self()
        if "\n" in citation:
            return None
        wanted.append(("citation", _citation(r), len(doc.appendices)))
    found = []
    for name, text, count in wanted:
        if not text or body.count(text) != count:
            return None
        start = 0
        for _ in range(count):
            i = body.index(text, start)
            found.append((i, i + len(text), name))
            start = i + len(text)
    found.sort()
    segments, pieces, pos = [], [], 0
    for start, end, name in found:
        if start < pos:
            return None                  # overlapping pieces
        segments.append(body[pos:start])
        pieces.append(name)
        pos = end
    segments.append(body[pos:])
    return Reference(doc, segments, pieces, rendered.parts, docx_title(doc))


def _shape(own: dict) -> tuple:
    """Which issuer fields a unit fills (not their text). The first unit of each new
    shape is also rendered in full and compared, so a unit unlike those checked so
    far (no cấp trên, another kind of signature, a multi-line name) is checked too."""
    co = own.get("co_quan") or {}
    ky = own.get("ky") or {}
    luu = own.get("luu")
    return (tuple(sorted(k for k, v in co.items() if v)), "\n" in str(co.get("ten", "")),
            tuple(sorted(k for k, v in ky.items() if v)), type(luu).__name__, len(luu or ()))


def _has_markup(text: str) -> bool:
    return "{{" in text or bool(inline.NOTE_REF.search(text))


def _uses_unit(data) -> bool:
    """Does any evaluated expression of the document mention the unit (`don_vi`)?"""
    return any(has_expressions(text) and "don_vi" in text for _, _, _, text in iter_strings(data))


_CURRENT: list = [None, None]


def for_job(job) -> Stamper:
    """The stamper of this batch in this process (forked workers each make their own)."""
    if _CURRENT[0] is not job:
        _CURRENT[:] = [job, Stamper(job)]
    return _CURRENT[1]
