"""What the parser stages share: the lines, warnings and comments collected explicitly."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ..loader import Problem
from .source import Line, Para, Source


class _State:
    """The parser's state: the source lines, and what the stages collect (warnings, comments, notes).

    The attributes annotated here are set by one stage and read by a later one (mypy sees them across the
    mixins); they are bare annotations, so an attribute a stage never set is still absent at run time."""

    styled: bool                                # parse(): numbered headings carry Word styles
    ten_goi: str                                # appendices(): the short name a phụ lục gives the agency
    phu_luc: list[dict]                         # appendices()
    task_annex: bool | dict[str, str] | None    # appendices(): the task table's phụ lục, if any
    level_style: dict[int, str]                 # structure(): marker style per depth
    dashes: Counter[str]                        # structure(): dash characters seen
    labels: dict[str, Counter]                  # structure(): task-field labels as written
    field_orders: list[list[str]]               # structure(): task-field order per task

    def __init__(self, src: Source):
        self.src = src
        self.L = src.lines
        self.warnings: list[Problem] = []
        self.comments: dict[str, list[str]] = {}     # top-level key -> comment lines above it
        self.tail: list[str] = []                     # comment block at the end of the file
        self.signals: Counter[str] = Counter()        # regime evidence: nha_nuoc / dang
        self.notes: dict[str, list[str]] = {}         # chu_thich name -> paragraphs
        self.data: dict = {}

    # -- helpers
    def warn(self, no: int, message: str) -> None:
        self.warnings.append(Problem(self.src.name, no, 1, "", message, warning=True))

    def comment(self, key: str, text: str) -> None:
        self.comments.setdefault(key, []).append(text)

    if TYPE_CHECKING:
        def paragraphs(self, lines: list[Line]) -> list[Para]: ...   # _Parser's, used by the phụ lục step
