"""Errors a user can fix, each naming where the problem is.

Anything raised as a `UserError` is printed as one "Error: ..." line by the CLI and
ends the run with status 1, before anything is written. Everything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """A problem in the user's input (a digest, a data file, a page), not in the code."""


class InputError(UserError):
    """A file the generator cannot read, with the line where reading stopped."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else f"{self.path}"
        super().__init__(f"{where}: {message}")
