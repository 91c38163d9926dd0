"""The checker's rules, grouped by area; ``RULES`` is the order findings are reported in.

A rule is a function ``rule(ctx: Context) -> Iterable[Finding]``. It reads the
document, the profile and the landmarks from the frozen ``Context`` and yields
findings; it sets nothing another rule reads, so the rules give the same
findings in any order (tested with the list reversed and shuffled).
"""
from __future__ import annotations

from typing import Callable, Iterable

from ..context import Context
from ..findings import Finding
from . import body, closing, header, kinds, page, title

Rule = Callable[[Context], Iterable[Finding]]

RULES: tuple[Rule, ...] = (
    # page and text
    page.page_setup,
    page.fonts,
    # header
    header.title_lines,
    header.agency,
    header.number,
    header.date,
    header.date_beside_number,
    # tên loại and trích yếu
    title.kind_name,
    title.subject,
    # body
    body.body_text,
    # parts of some kinds only (Quyết định, Công văn)
    kinds.decision,
    kinds.letter_subject,
    # signature and Nơi nhận
    closing.signature,
    closing.recipients_label,
    closing.recipients_list,
    # page numbers
    page.page_number,
)


def run(ctx: Context, rules: Iterable[Rule] = RULES) -> list[Finding]:
    """The findings of the rules, in the order of the rules."""
    return [f for rule in rules for f in rule(ctx)]
