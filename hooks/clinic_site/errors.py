"""The one shape of every message a staff member sees: `file:line: key: problem. fix`.

Editors and CI logs turn `file:line:` into a link, so staff land on the line to change.
A part that does not apply (no line for a missing file, no key for a broken file) is left out.
"""

from __future__ import annotations

import os
from pathlib import Path


class StaffError(Exception):
    """A mistake in a page, a data file or a config, worded for the person who made it."""

    def __init__(self, file: str | Path | None, line: int | None, key: str | None, problem: str, fix: str) -> None:
        self.file = shown_path(file) if file is not None else None
        self.line = line
        self.key = key
        self.problem = problem.rstrip(".")
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = "".join(part for part in (self.file and f"{self.file}:", self.line and f"{self.line}:") if part)
        key = f" {self.key}:" if self.key else ""
        fix = f" {self.fix}" if self.fix else ""
        return f"{where}{key} {self.problem}.{fix}".strip()


class Problem(Exception):
    """A mistake whose place the caller knows (a macro's argument, a page's reference): it adds file and line."""

    def __init__(self, problem: str, fix: str, key: str | None = None) -> None:
        self.problem, self.fix, self.key = problem, fix, key
        super().__init__(f"{problem}. {fix}")

    def at(self, file: str | Path | None, line: int | None, key: str | None) -> StaffError:
        return StaffError(file, line, self.key or key, self.problem, self.fix)


def shown_path(path: str | Path) -> str:
    """A path as staff would type it: relative to the folder they work in, when the file is below it."""
    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    try:
        relative = Path(os.path.relpath(path, Path.cwd()))
    except ValueError:  # another drive (Windows)
        return path.as_posix()
    return path.as_posix() if relative.parts[:1] == ("..",) else relative.as_posix()
