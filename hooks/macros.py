"""Macros that put the clinic data into pages.

Each `render_*` function is pure: data in, Markdown or HTML out, so tests
call it directly. `on_config` binds them to this build's data and registers
them with mkdocs-macros, so a page writes `{{ conditions_list("pain") }}`
and never types a condition, a phone number or a price.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable, Iterable, Sequence
from datetime import time

from jinja2 import UndefinedError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs_macros.errors import format_error

from clinic_data import ClinicData, DataError, data_for_config
from schema import Clinic, ComparisonRow, Condition, FaqEntry, OpeningHours, Price, Reference, ScreeningRule, SideEffect

CATEGORY_NAMES = {"pain": "Pain conditions", "mental-health": "Mental health conditions"}


def join_words(words: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b, and c'."""
    if len(words) <= 2:
        return f" {conjunction} ".join(words)
    return f"{', '.join(words[:-1])}, {conjunction} {words[-1]}"


def lower_first(name: str) -> str:
    """'Migraine' -> 'migraine' mid-sentence, but 'PTSD' stays as it is."""
    first_word = name.split()[0]
    return name if first_word.isupper() else name[0].lower() + name[1:]


def in_category(conditions: Iterable[Condition], category: str | None) -> list[Condition]:
    if category not in (None, *CATEGORY_NAMES):
        raise DataError(f"unknown condition category '{category}'. Use one of: {', '.join(CATEGORY_NAMES)}")
    return [c for c in conditions if category is None or c.category == category]


def render_condition_list(conditions: Iterable[Condition], category: str | None = None, style: str = "full") -> str:
    """Conditions as a described list ('full'), a bare list ('names') or a sentence fragment ('inline')."""
    chosen = in_category(conditions, category)
    if style == "inline":
        return join_words([lower_first(c.name) for c in chosen])
    if style == "names":
        return "\n".join(f"- {c.name}" for c in chosen)
    if style == "full":
        return "\n".join(f"- **{c.name}**{f' ({c.also_called})' if c.also_called else ''}: {c.description}" for c in chosen)
    raise DataError(f"unknown list style '{style}'. Use full, names or inline")


def render_side_effects(effects: Iterable[SideEffect], kind: str) -> str:
    chosen = [e for e in effects if e.kind == kind]
    if not chosen:
        raise DataError(f"no side effects of kind '{kind}'. Use common or serious")
    return "\n".join(f"- **{e.name}**: {e.description}" for e in chosen)


def render_screening(rules: Iterable[ScreeningRule]) -> str:
    return "\n".join(f"- {rule.text}" for rule in rules)


def render_off_label_note(cite: Callable[..., str]) -> str:
    """The FDA-status note every page carries where it describes use for pain or mental health."""
    text = (
        "The US Food and Drug Administration (FDA) has approved ketamine as an anesthetic, a medicine used for surgery. "
        "It has not approved ketamine for pain or for any mental health condition. "
        f"Using it for these is called off-label use.{cite('fda-ketamine-warning-2023')} "
        "Doctors may use a medicine off-label when research supports it. "
        "Our doctor will explain what this means for you before you agree to treatment."
    )
    return f'!!! info "Off-label use"\n\n    {text}\n'


def format_time(moment: time) -> str:
    """US style: 8 a.m., 5:30 p.m., noon."""
    if moment == time(12, 0):
        return "noon"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'a.m.' if moment.hour < 12 else 'p.m.'}"


def format_days(days: Sequence[str]) -> str:
    week = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    positions = [week.index(day) for day in days]
    if len(days) > 2 and positions == list(range(positions[0], positions[0] + len(days))):
        return f"{days[0]} to {days[-1]}"
    return join_words(list(days))


def render_opening_hours(hours: Iterable[OpeningHours]) -> str:
    return "\n".join(f"- {format_days(h.days)}: {format_time(h.opens)} to {format_time(h.closes)}" for h in hours)


def format_price(price: Price) -> str:
    return f"${price.amount:,}" if price.amount is not None else "Call us for a price"


def render_prices(prices: Iterable[Price]) -> str:
    rows = [f"| {p.item} | {format_price(p)} | {p.note or ''} |" for p in prices]
    return "\n".join(["| Service | Price | Notes |", "| --- | --- | --- |", *rows])


def render_phone_link(clinic: Clinic) -> str:
    return f"[{clinic.phone}](tel:{clinic.phone_e164})"


def render_email_link(clinic: Clinic) -> str:
    return f"[{clinic.email}](mailto:{clinic.email})"


def render_comparison_table(rows: Iterable[ComparisonRow], cite: Callable[..., str]) -> str:
    """An HTML table, so it can carry a caption and header scopes for screen readers."""
    columns = [("how_it_works", "How it works"), ("time_to_work", "How fast it can help"),
               ("best_for", "Who it is for"), ("downsides", "Downsides")]
    head = "".join(f'<th scope="col">{label}</th>' for _, label in columns)
    body = []
    for row in rows:
        marker = cite(*row.cites) if row.cites else ""
        cells = "".join(f"<td>{html.escape(getattr(row, key))}</td>" for key, _ in columns)
        body.append(f'<tr id="compare-{row.id}"><th scope="row">{html.escape(row.treatment)}{marker}</th>{cells}</tr>')
    return (
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Treatment comparison table">\n'
        '<table class="comparison">\n<caption>How IV ketamine compares with other treatments for depression</caption>\n'
        f'<thead><tr><th scope="col">Treatment</th>{head}</tr></thead>\n<tbody>\n' + "\n".join(body) + "\n</tbody>\n</table>\n</div>"
    )


def render_faq(entries: Iterable[FaqEntry], render_text: Callable[[str], str], cite: Callable[..., str]) -> str:
    """Each question as a native <details> expander: keyboard and screen-reader friendly without script."""
    blocks = []
    for entry in entries:
        answer = render_text(entry.answer).strip()
        if entry.cites:
            answer += cite(*entry.cites)
        blocks.append(
            f'<details class="faq" id="{entry.id}" markdown>\n<summary>{html.escape(entry.question)}</summary>\n\n'
            f"{textwrap.dedent(answer)}\n\n</details>"
        )
    return "\n\n".join(blocks)


class Citations:
    """Numbers sources in the order a page first cites them."""

    def __init__(self, lookup: Callable[[str], Reference]) -> None:
        self.lookup = lookup
        self.cited: list[Reference] = []

    def cite(self, *reference_ids: str) -> str:
        if not reference_ids:
            raise DataError("cite() needs at least one reference id")
        links = []
        for reference_id in reference_ids:
            reference = self.lookup(reference_id)
            if reference not in self.cited:
                self.cited.append(reference)
            number = self.cited.index(reference) + 1
            links.append(f'<a href="#source-{reference.id}" aria-label="Source {number}">{number}</a>')
        return f'<sup class="cite">[{", ".join(links)}]</sup>'


def format_reference(reference: Reference) -> str:
    link = f'<a href="{reference.link}">{html.escape(reference.doi and f"doi:{reference.doi}" or reference.link)}</a>'
    parts = [html.escape(reference.authors.rstrip(".")), html.escape(reference.title), f"<i>{html.escape(reference.source)}</i>", str(reference.year)]
    return ". ".join(parts) + f". {link}"


def render_source_list(cited: Sequence[Reference]) -> str:
    items = "\n".join(f'<li id="source-{r.id}">{format_reference(r)}</li>' for r in cited)
    # Kept out of the search index: the References page already indexes every source once.
    return f'\n\n## Sources {{ #sources data-search-exclude }}\n\n<ol class="sources" data-search-exclude>\n{items}\n</ol>\n'


def render_all_sources(references: Sequence[Reference]) -> str:
    """Every source in the data, for the References page, sorted by first author."""
    items = "\n".join(f'<li id="reference-{r.id}">{format_reference(r)}</li>' for r in sorted(references, key=lambda r: r.authors.lower()))
    return f'<ul class="sources all-sources">\n{items}\n</ul>'


def make_macros(data: ClinicData, citations: Callable[[], Citations], render_text: Callable[[str], str]) -> dict[str, Callable]:
    """The macros a page can call, bound to one build's data."""

    def cite(*ids: str) -> str:
        return citations().cite(*ids)

    return {
        "conditions_list": lambda category=None, style="full": render_condition_list(data.conditions, category, style),
        "condition": lambda condition_id: data.condition(condition_id).name,
        "side_effects": lambda kind="common": render_side_effects(data.side_effects, kind),
        "screening_list": lambda: render_screening(data.screening),
        "off_label_note": lambda: render_off_label_note(cite),
        "comparison_table": lambda: render_comparison_table(data.comparison, cite),
        "faq_list": lambda: render_faq(data.faq, render_text, cite),
        "opening_hours": lambda: render_opening_hours(data.clinic.hours),
        "prices_table": lambda: render_prices(data.clinic.prices),
        "phone_link": lambda: render_phone_link(data.clinic),
        "email_link": lambda: render_email_link(data.clinic),
        "states_served": lambda: join_words(list(data.clinic.states_served)),
        "cite": cite,
        "all_sources": lambda: render_all_sources(data.references),
    }


@format_error.register
def _format_page_error(error: UndefinedError | DataError, markdown: str, page: Page) -> str:
    """One short message naming the page, instead of mkdocs-macros' traceback."""
    return f"{page.file.src_path}: {error}. Check the spelling against the macros and data listed in README.md."


_citations: dict[str, Citations] = {}


def on_config(config: MkDocsConfig) -> None:
    try:
        data = data_for_config(config)
    except DataError:
        return  # clinic_data.py's own on_config reports it
    macros_plugin = config.plugins["macros"]

    def render_text(text: str) -> str:
        return macros_plugin.env.from_string(text).render(**macros_plugin.variables)

    def page_citations() -> Citations:
        return _citations[macros_plugin.page.file.src_uri]

    _citations.clear()
    macros_plugin.register_variables({"clinic": data.clinic, "policies": data.clinic.policies})
    macros_plugin.register_macros(make_macros(data, page_citations, render_text))


def on_pre_page(page: Page, *, config: MkDocsConfig, files) -> None:
    _citations[page.file.src_uri] = Citations(data_for_config(config).reference)


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files) -> str:
    """Runs after mkdocs-macros, so it sees which sources the page cited."""
    cited = _citations[page.file.src_uri].cited
    return markdown + render_source_list(cited) if cited else markdown


def on_env(env, *, config: MkDocsConfig, files):
    """Theme templates (home.html, the footer) read the same clinic facts."""
    env.globals["clinic"] = data_for_config(config).clinic
    return env
