"""An urgent crisis-help box near the top of every page that discusses mental health.

A page discusses mental health when its text (after the macros, before its source list is added)
has one of the trigger words from crisis.yml, or the name of a condition in a category marked
`crisis_help`, as a whole word in any case. Staff never type the box into a page.

The box (overrides/fragments/crisis-help.html) is an NHS-style urgent care card: a named region whose
heading starts with visually hidden "Urgent advice:", right after the page title, so it is the first
content read. It is not role="alert": screen readers do not reliably announce alerts already in the
page when it loads (WAI-ARIA APG, Alert pattern), and an alert on most pages would interrupt reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .data.load import ClinicData
from .errors import StaffError
from .html_walk import Handler, walk
from .schema import CrisisLine

FIRST_H1 = re.compile(r"^#[ \t]+.*$", re.MULTILINE)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
TAG = re.compile(r"<[^>]*>")


def mental_health_terms(data: ClinicData) -> list[str]:
    terms = list(data.crisis.triggers)
    for condition in data.conditions:
        if data.category(condition.category).crisis_help:
            terms += [condition.name] + ([condition.also_called] if condition.also_called else [])
    return terms


def terms_pattern(terms: Iterable[str]) -> re.Pattern:
    """The terms as whole words, in any case."""
    return re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\b", re.IGNORECASE)


def discusses_mental_health(markdown: str, terms: Iterable[str] | re.Pattern) -> bool:
    """Whole-word matches in the page's words; link targets and tag attributes are not words a reader sees."""
    pattern = terms if isinstance(terms, re.Pattern) else terms_pattern(terms)
    return pattern.search(TAG.sub(" ", LINK_TARGET.sub("]", markdown))) is not None


# The page's contents on a phone, where Material's contents panel is out of sight: a folded list of the page's
# sections right after its title (after the crisis box), for a page with several sections. The toc extension
# fills in [TOC]; clinic.css shows the list below the width at which Material shows its own contents column.
CONTENTS_FROM = 3  # sections (## and ### headings)
PAGE_CONTENTS = ('<details class="page-contents" markdown data-search-exclude="">\n<summary>On this page</summary>\n\n'
                 '[TOC]\n\n</details>')
SECTION = re.compile(r"^###?[ \t]+\S", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def section_count(markdown: str) -> int:
    """The page's ## and ### headings outside fenced code."""
    return len(SECTION.findall(FENCE.sub("", markdown)))


def add_crisis_box(markdown: str, box: str) -> str:
    """Right after the page's title, or first when the title comes from the theme (the home page's hero)."""
    match = FIRST_H1.search(markdown)
    at = match.end() if match else 0
    return f"{markdown[:at]}\n\n{box}\n\n{markdown[at:]}"


# Every crisis number a visitor reads is a tap away: the block of text that prints it (a paragraph, a list item, a
# table cell, a heading) also holds its tel: link, and its sms: link when the line takes texts. A name that holds
# the number ("the 988 Suicide & Crisis Lifeline") is fine beside those links.
BLOCKS = frozenset("address article aside blockquote caption dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
                   "header li main nav ol p section summary table td th tr ul".split())


@dataclass
class _Block:
    text: list[str] = field(default_factory=list)
    links: set[str] = field(default_factory=set)


class Blocks(Handler):
    """Each block's own text (not its inner blocks') and the links in it, of the HTML it is handed (html_walk.walk)."""

    def __init__(self) -> None:
        self.stack = [_Block()]
        self.done: list[_Block] = []
        self.skip = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.skip += 1
        elif tag in BLOCKS:
            self.stack.append(_Block())
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.stack[-1].links.add(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS and len(self.stack) > 1:
            self.done.append(self.stack.pop())

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.stack[-1].text.append(data)


def number_pattern(number: str) -> re.Pattern:
    """The number standing alone: not part of a longer number or a phone number (555-0988)."""
    return re.compile(rf"(?<![\d-]){re.escape(number)}(?![\d-])")


def unlinked_numbers(html: str, lines: Iterable[CrisisLine]) -> list[tuple[str, str]]:
    """(number, the words around it) for each block of text that prints a crisis number without its links."""
    blocks = Blocks()
    walk(html, blocks)
    return unlinked_in(blocks, lines)


def unlinked_in(blocks: Blocks, lines: Iterable[CrisisLine]) -> list[tuple[str, str]]:
    """unlinked_numbers() of the HTML `blocks` was handed."""
    found = []
    patterns = [(line, number_pattern(line.number)) for line in lines]
    for block in blocks.done + blocks.stack:
        text = " ".join("".join(block.text).split())
        for line, pattern in patterns:
            match = pattern.search(text)
            if match is None:
                continue
            needed = {f"tel:{line.number}"} | ({f"sms:{line.number}"} if line.can_text else set())
            if not needed <= block.links:
                found.append((line.number, text[max(0, match.start() - 40):match.end() + 40].strip()))
    return found


def how_to_link(line: CrisisLine) -> str:
    """The Markdown a page writes for the number: its tap-to-call link, and its tap-to-text link."""
    text = f" or [text {line.number}](sms:{line.number})" if line.can_text else ""
    return f"[call {line.number}](tel:{line.number}){text}"


def check_unlinked(unlinked: list[tuple[str, str]], lines: list[CrisisLine], path: Path, source: str) -> None:
    """A page that prints a crisis number without its links (unlinked_numbers) stops the build at the line that
    prints it. pages/checks.check_rendered_html hands it the page's HTML."""
    for number, words in unlinked:
        line = next(entry for entry in lines if entry.number == number)
        pattern = number_pattern(number)
        at = next((index for index, text in enumerate(source.splitlines(), 1)
                   if pattern.search(text) and f"tel:{number}" not in text), None)
        raise StaffError(path, at, number, f"the crisis number is printed without its tap-to-call link (\"{words}\")",
                         f"Write it as a link, as in: {how_to_link(line)}. Or use {{{{ crisis_lines() }}}} for every crisis line.")
