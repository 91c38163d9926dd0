"""What every input check reports: a Problem (file, line, column, field, message) and the
InputError carrying them. Kept apart from loader.py so that the command layer can catch
them without importing the YAML parser (`vbtool --help` stays fast)."""
from __future__ import annotations

from dataclasses import dataclass

Path_ = tuple  # a JSON path: tuple of str keys and int indexes


@dataclass
class Problem:
    """One finding about an input file, printed as FILE:LINE:COL: PATH: MESSAGE."""

    file: str
    line: int
    col: int
    path: str
    message: str
    warning: bool = False
    place: str = ""  # the path in the document's own words: "Mục II › nhiệm vụ 3 › chu_tri"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        kind = "cảnh báo: " if self.warning else ""
        field_ = f" {self.path}:" if self.path else ""
        place = f" [ở {self.place}]" if self.place else ""
        return f"{where}:{field_} {kind}{self.message}{place}"


class InputError(Exception):
    """Raised with the list of problems; the CLI prints them and exits 1."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class MessagesError(Exception):
    """A failure described by whole Vietnamese lines, each naming its file (and row), ready to print."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def format_path(path: Path_) -> str:
    """`noi_dung[1].noi_dung[0].chu_tri` for humans (and grep)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
