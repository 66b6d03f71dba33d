"""An urgent crisis-help box near the top of every page that discusses a mental-health condition.

Detection: a page discusses mental health when its text, leaving out source lists (reference titles
name conditions), contains a mental-health condition from the clinic data (its name or `also_called`)
or one of GENERAL_TERMS, matched as whole words in any case. Staff never type the box into a page.

The box is an NHS-style urgent care card: a named region whose heading starts with visually hidden
"Urgent advice:". The region is in the landmarks list and is announced as "Urgent advice: …, region"
when a screen reader reaches it; it sits right after the page title, so it is the first content read.
It is not role="alert": screen readers do not reliably announce alerts already in the page when it
loads (WAI-ARIA APG, Alert pattern), and an alert re-announced on most pages would interrupt reading.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from clinic_data import data_for_config
from schema import Clinic, Condition, CrisisHelp, CrisisLine

GENERAL_TERMS = (
    "mental health", "mental-health", "depression", "depressive", "depressed", "anxiety", "PTSD",
    "post-traumatic", "bipolar", "OCD", "obsessive-compulsive", "suicide", "suicidal", "self-harm",
)
SOURCE_LIST = re.compile(r'<(ol|ul) class="sources[ "].*?</\1>', re.DOTALL)
FIRST_H1_END = re.compile(r"</h1>", re.IGNORECASE)


def mental_health_terms(conditions: Iterable[Condition]) -> list[str]:
    terms = list(GENERAL_TERMS)
    for condition in conditions:
        if condition.category == "mental-health":
            terms += [condition.name] + ([condition.also_called] if condition.also_called else [])
    return terms


def page_text(content: str) -> str:
    """The page's words, without its source list or markup."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", SOURCE_LIST.sub(" ", content))).split())


def discusses_mental_health(content: str, terms: Iterable[str]) -> bool:
    pattern = r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\b"
    return re.search(pattern, page_text(content), re.IGNORECASE) is not None


def render_line(line: CrisisLine) -> str:
    call = f'<a href="tel:{line.number}">Call {line.number}</a>'
    action = f'{call} or <a href="sms:{line.number}">text {line.number}</a>' if line.can_text else call
    return f"<li><strong>{action}</strong> to reach {html.escape(line.name)} {html.escape(line.when)}</li>"


def render_crisis_box(crisis: CrisisHelp, clinic: Clinic) -> str:
    warning = html.escape(crisis.not_monitored).replace("{phone}", html.escape(clinic.phone)).replace("{email}", html.escape(clinic.email))
    lines = "\n".join(render_line(line) for line in crisis.lines)
    return (
        '<section class="crisis-help" aria-labelledby="crisis-help-title" data-search-exclude>\n'
        f'<h2 id="crisis-help-title" class="crisis-help__heading"><span class="visually-hidden">Urgent advice: </span>{html.escape(crisis.heading)}</h2>\n'
        f'<ul class="crisis-help__lines">\n{lines}\n</ul>\n'
        f'<p class="crisis-help__note">{warning}</p>\n'
        "</section>\n"
    )


def add_crisis_box(content: str, box: str) -> str:
    """Right after the page's title, or first when the title comes from the theme."""
    match = FIRST_H1_END.search(content)
    if not match:
        return box + content
    return content[: match.end()] + "\n" + box + content[match.end():]


def on_page_content(content: str, *, page: Page, config: MkDocsConfig, files) -> str:
    data = data_for_config(config)
    if not discusses_mental_health(content, mental_health_terms(data.conditions)):
        return content
    return add_crisis_box(content, render_crisis_box(data.crisis, data.clinic))
