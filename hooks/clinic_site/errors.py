"""The one shape of every message a staff member sees: `file:line: key: problem. fix`.

Editors and CI logs turn `file:line:` into a link, so staff land on the line to change.
A part that does not apply (no line for a missing file, no key for a broken file) is left out.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
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


class Problem(ValueError):
    """A mistake whose place the caller knows (a macro's argument, a page's reference): it adds file and line.

    A ValueError, so a schema validator can raise it too: pydantic keeps the exception in its error's context,
    and data/messages.py takes problem and fix from it as they were written, never by cutting a sentence.
    """

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


def closest(wanted: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice staff most likely meant by `wanted` (difflib), or None when none is close enough.

    Compared without case, and on the letters too when both have any: 'smith-2021' is not taken for
    'lipsitz-2021' because of the year they share, while 'ref-1' still finds 'ref-one'.
    """
    def letters(text: str) -> str:
        return re.sub(r"[^a-z]", "", text.lower())

    def likeness(first: str, second: str) -> float:
        return difflib.SequenceMatcher(None, first, second).ratio()

    scored = []
    for order, choice in enumerate(str(choice) for choice in choices):
        score = likeness(str(wanted).lower(), choice.lower())
        if score >= cutoff and (not letters(wanted) or not letters(choice) or likeness(letters(wanted), letters(choice)) >= cutoff):
            scored.append((-score, order, choice))  # the closest; of equals, the first in its file
    return min(scored)[2] if scored else None


def did_you_mean(wanted: str, choices: Iterable[str], quoted: bool = True, cutoff: float = 0.6) -> str:
    """'Did you mean 'phone'? ' (with its space, to go before the rest of a fix), or '' when nothing is close."""
    match = closest(wanted, choices, cutoff)
    if match is None or match == wanted:
        return ""
    return f"Did you mean '{match}'? " if quoted else f"Did you mean {match}? "
