"""US English throughout: a page line or a data text with a British word or spelling from data/us_english.yml
("colour", "a lift") stops the build at its line, naming the US word to write instead.

Words match as whole words in any case, alone or with an s after them ("colours"). Link targets are not words a
reader sees, and sources (references.yml) are quoted as published, so neither is checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import StaffError
from ..yamlfile import YamlDocument, describe_key, texts

LINK_TARGET = re.compile(r"\]\([^)]*\)")
NOT_CHECKED = ("references.yml", "us_english.yml")  # sources as published; the word list itself


def british_pattern(words: Iterable[str]) -> re.Pattern | None:
    """The words, longest first (so "a lift" wins over "lift"), whole, in any case, with an optional plural s."""
    ordered = sorted(set(words), key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"(?<![\w&])(" + "|".join(re.escape(word) for word in ordered) + r")(?-i:s)?(?![\w&])", re.IGNORECASE)


def british_words(text: str, words: Mapping[str, str], pattern: re.Pattern | None = None,
                  lowered: Mapping[str, str] | None = None) -> list[tuple[str, str, int]]:
    """(the British word as written, the US word, the line of the text it is on, from 0) for each one in the text.

    `pattern` (british_pattern) and `lowered` (lowered_words) made once, for checking many texts."""
    pattern = pattern or british_pattern(words)
    if pattern is None or not pattern.search(text):
        return []
    lowered = lowered or lowered_words(words)
    seen = LINK_TARGET.sub(lambda link: "]" + "\n" * link.group(0).count("\n"), text)
    return [(match.group(0), us_form(match.group(0), match.group(1), lowered[match.group(1).lower()]), seen[:match.start()].count("\n"))
            for match in pattern.finditer(seen)]


def lowered_words(words: Mapping[str, str]) -> dict[str, str]:
    return {word.lower(): us for word, us in words.items()}


def us_form(found: str, word: str, us: str) -> str:
    """The US word in the form it replaces: plural after a plural ("colours": "colors"), and a capital first letter
    where the text has one and the list does not ("Colour": "Color"; "GP" stays "family doctor")."""
    if len(found) > len(word):
        us += "s"
    if word[:1].isupper() and word[1:2].islower() and us[:1].islower():
        us = us[0].upper() + us[1:]
    return us


def _error(path: Path, line: int | None, key: str | None, found: tuple[str, str, int]) -> StaffError:
    british, us, _ = found
    return StaffError(path, line, key, f"'{british}' is British English; the site is written in US English",
                      f"Write '{us}' instead (the words are listed in data/us_english.yml).")


def check_pages(pages: Iterable[tuple[Path, Iterable[tuple[int, str]]]], words: Mapping[str, str]) -> None:
    """Each page's (path, lines): (line number, line) of its text outside code blocks (pages.prose_lines); the word
    pattern is made once for them all."""
    pattern, lowered = british_pattern(words), lowered_words(words)
    for path, lines in pages:
        for number, line in lines:
            if found := british_words(line, words, pattern, lowered):
                raise _error(path, number, None, found[0])


def check_documents(documents: Mapping[str, YamlDocument], words: Mapping[str, str]) -> None:
    pattern, lowered = british_pattern(words), lowered_words(words)
    for name, document in documents.items():
        if name in NOT_CHECKED:
            continue
        for keys, text in texts(document.value):
            if found := british_words(text, words, pattern, lowered):
                line = document.line(keys)
                if line is not None and "\n" in text.strip():  # a block of lines (answer: |) starts on the line after its key
                    line += 1 + found[0][2]
                raise _error(document.path, line, describe_key(keys, document.value), found[0])
