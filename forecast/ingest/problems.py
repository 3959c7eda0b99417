"""What an import refuses with: problems located by file, row and column, each message bounded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

MAX_REPORTED = 20  # problems listed before "... and N more"
MAX_MESSAGE = 300  # characters of one problem's message (cells are echoed shorter, see numbers.shown)


def bounded(text: object, limit: int = MAX_MESSAGE) -> str:
    """One line of at most `limit` characters: a message never echoes a whole huge cell or file name."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    file: str
    row: Optional[int]  # row in the file as a spreadsheet shows it (the first row is 1)
    column: Optional[str]
    message: str

    def __post_init__(self):
        object.__setattr__(self, "message", bounded(self.message))
        if self.column is not None:
            object.__setattr__(self, "column", bounded(self.column, 60))

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """Raised with every problem found; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = [str(p) for p in problems[:MAX_REPORTED]]
        if len(problems) > MAX_REPORTED:
            shown.append(f"... and {len(problems) - MAX_REPORTED} more")
        super().__init__("import failed, nothing was written:\n  " + "\n  ".join(shown))


def fail(file: str, message: str, row: Optional[int] = None, column: Optional[str] = None) -> ImportFailed:
    return ImportFailed([Problem(file, row, column, message)])
