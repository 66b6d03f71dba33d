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

from .data.load import ClinicData

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


def add_crisis_box(markdown: str, box: str) -> str:
    """Right after the page's title, or first when the title comes from the theme (the home page's hero)."""
    match = FIRST_H1.search(markdown)
    at = match.end() if match else 0
    return f"{markdown[:at]}\n\n{box}\n\n{markdown[at:]}"
