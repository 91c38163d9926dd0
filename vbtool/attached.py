"""A decision and the document it issues ("Ban hành kèm theo Quyết định số …").

A Quyết định names the YAML of the document it issues in ``ban_hanh_kem`` (a
path from the decision's own file). That document is then laid out as NĐ 30
Phụ lục III shows a document issued with a decision: its header without number
and date, and "(Ban hành kèm theo Quyết định số …/QĐ-… ngày … của …)" under its
trích yếu. The two are written as one .docx (the decision, then the document
on a new page with its page numbers restarting) or as two files.
"""
from __future__ import annotations

from pathlib import Path

from . import kinds, ooxml
from .loader import InputError
from .model import Document
from .ooxml import ParaProps, RunProps, para
from .render import Rendered, Renderer

MODES = ("gop", "rieng", "khong")   # one file, two files, the decision only


def load_issued(decision: Document) -> Document | None:
    """The document the decision issues, marked as issued with it; None if it names none."""
    from .document import load_document
    rel = decision.extras.issues
    if not rel:
        return None
    src = decision.source
    path = Path(src.file).parent / rel
    if not path.is_file():
        raise InputError([src.problem(("ban_hanh_kem",), f"không có tệp \"{rel}\" (đường dẫn tính từ thư mục "
                                      f"của {Path(src.file).name})")])
    doc = load_document(path)
    if not doc.kind_def.issued_by_decision:
        allowed = ", ".join(k.name.lower() for k in kinds.all_kinds() if k.issued_by_decision)
        raise InputError([src.problem(("ban_hanh_kem",), f"{rel} là {doc.kind_name.lower()}; văn bản ban hành "
                                      f"kèm theo quyết định phải là: {allowed}")])
    if doc.regime != decision.regime:
        raise InputError([src.problem(("ban_hanh_kem",), f"{rel} theo thể thức khác với quyết định")])
    doc.extras.issued_with = decision
    return doc


def render_together(decision: Document, issued: Document) -> Rendered:
    """One document body: the decision, then the issued document in its own sections.

    Footnote numbers run on across both; the issued document's page numbers restart at 1.
    """
    first = Renderer(decision)
    r1 = first.render()
    second = Renderer(issued)
    second.notes = list(first.notes)             # its footnotes are numbered after the decision's
    second.restart_first = True
    r2 = second.render()
    cut = r1.body_xml.rindex("<w:sectPr>")       # the decision's last section ends in a paragraph now
    body = r1.body_xml[:cut] + para("", ParaProps(section_xml=r1.body_xml[cut:])).xml() + r2.body_xml
    ct = issued.profile["chu_thich"]
    f = RunProps(issued.profile.font_name, ct["co_chu"])
    notes = [(nid, [r.spans(t, f, notes=False) for t in r.doc.notes[name]])
             for r, pairs in ((first, first.notes), (second, second.notes[len(first.notes):]))
             for nid, name in pairs]
    parts = dict(r2.parts)
    parts["word/footnotes.xml"] = ooxml.footnotes_part(notes, f, ParaProps(align="both", style="FootnoteText"))
    return Rendered(body, parts)


def outputs(decision: Document, output: Path, mode: str = "gop") -> list[tuple[Path, Document, bytes]]:
    """The files `vbtool render` writes for a decision: [(path, document, bytes)]."""
    from .document import to_docx
    from .package import template
    issued = load_issued(decision) if mode != "khong" else None
    if issued is None:
        return [(output, decision, to_docx(decision))]
    if mode == "gop":
        title = f"{decision.kind_name} {decision.subject}"[:255]
        return [(output, decision, template().build(render_together(decision, issued), title))]
    name = Path(decision.extras.issues).stem
    return [(output, decision, to_docx(decision)), (output.with_name(f"{output.stem}-{name}.docx"), issued,
                                                    to_docx(issued))]
