"""Validate YAML text exactly as `vbtool validate` does, for the page."""
from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field

from ..document import PLACEHOLDER, load_document_text
from ..loader import InputError, Problem, iter_strings, load_text


# vbtool's pipeline was written for one document at a time in one thread (the loader shares
# one PyYAML constructor); the server reads and renders from several threads, so one at a time.
PIPELINE_LOCK = threading.RLock()


@dataclass
class Analysis:
    """What the page shows next to the form: the data, every problem, the [[…]] count."""

    data: dict | None                      # None when the text is not even YAML
    problems: list[Problem] = field(default_factory=list)
    placeholders: int = 0

    @property
    def valid(self) -> bool:
        return not any(not p.warning for p in self.problems)

    def as_json(self) -> dict:
        return {"data": self.data, "valid": self.valid, "placeholders": self.placeholders,
                "problems": [dict(asdict(p), text=str(p)) for p in self.problems]}


def analyze(text: str, name: str = "văn bản") -> Analysis:
    """Parse, check and count placeholders; never raises for bad input."""
    with PIPELINE_LOCK:
        return _analyze(text, name)


def _analyze(text: str, name: str) -> Analysis:
    try:
        src = load_text(text, name)
    except InputError as exc:
        return Analysis(None, exc.problems)
    data = src.data if isinstance(src.data, dict) else None
    count = sum(len(PLACEHOLDER.findall(t)) for _, _, _, t in iter_strings(src.data))
    try:
        doc = load_document_text(text, name)
    except InputError as exc:
        return Analysis(data, exc.problems, count)
    return Analysis(data, list(doc.warnings), count)
