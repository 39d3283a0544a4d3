"""The project's own error type: one line that names the file, the place and the problem."""

from __future__ import annotations

from pathlib import Path


class PhanatError(Exception):
    """An input or configuration problem a researcher can fix.

    The message is a single line: ``<file>: [row R, column C: ]<problem>``.
    Anything else raised by the pipeline is a bug in the project.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = " ".join(self.problem.split())
        if where:
            text = ", ".join(where) + ": " + text
        if self.file:
            text = f"{self.file}: {text}"
        return text
