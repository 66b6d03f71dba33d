"""What the macros put into pages: pure functions from data to Markdown or HTML.

Lists are Markdown; tables, expanders, citations and source lists are HTML from the autoescaped
templates in overrides/fragments/, so any text from the data is escaped wherever it lands.
`make_macros` binds the functions to one build's data; pages call them as `{{ conditions_list("pain") }}`.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .data.load import ClinicData
from .errors import Problem
from .schema import (
    NOT_MONITORED_FILLS,
    PAYMENT_METHOD_NAMES,
    SPECIALTY_NAMES,
    WEEK,
    Clinic,
    Closure,
    ComparisonRow,
    Condition,
    CrisisHelp,
    OpeningHours,
    OutcomeRecord,
    Price,
    Reference,
    Reviewer,
    ScreeningRule,
    SideEffect,
    fill_in,
)
from .text import lower_first

LIST_STYLES = ("full", "folded", "names", "inline")


@functools.cache
def fragments(folder: Path) -> Environment:
    """The templates in overrides/fragments/, autoescaped: data text can never become markup."""
    environment = Environment(loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    environment.filters["long_date"] = long_date
    return environment


def long_date(day: date) -> str:
    """'November 1, 2026'."""
    return f"{day:%B} {day.day}, {day.year}"


def join_words(words: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b, and c'."""
    if len(words) <= 2:
        return f" {conjunction} ".join(words)
    return f"{', '.join(words[:-1])}, {conjunction} {words[-1]}"


# Conditions and evidence.

def in_category(data: ClinicData, category: str | None) -> list[Condition]:
    if category is not None:
        data.category(category)  # an unknown category stops the build, listing the known ones
    return [c for c in data.conditions if category is None or c.category == category]


def render_condition_list(data: ClinicData, category: str | None, style: str, cite: Callable[..., str],
                          entries: str | None = None) -> str:
    """Conditions as a described list with the evidence for each ('full'; 'folded': the same, in a <details> opened by a tap
    or by a link to one of its entries), a bare list ('names'), or 'a, b, and c' ('inline').

    In the full list each condition's entry has its id as its anchor (conditions/#ptsd); `entries`, the conditions
    page's path from the page being rendered, makes each name in the bare list a link to its entry there."""
    chosen = in_category(data, category)
    if style == "inline":
        return join_words([lower_first(c.name) for c in chosen])
    if style == "names":
        def name(c: Condition) -> str:
            return f"[{c.name}]({entries}#{c.id})" if entries else c.name
        return "\n".join(f"- {name(c)} ({lower_first(data.evidence_level(c.evidence.level).name)})" for c in chosen)
    if style == "folded":  # the full list, folded under one line that opens it (a link to an entry opens it too)
        group = data.category(category).name if category else "Conditions"
        full = render_condition_list(data, category, "full", cite)
        return (f'<details class="conditions-group" markdown>\n<summary>{group} we treat ({len(chosen)})</summary>\n\n'
                f"{full}\n</details>")
    if style == "full":  # the evidence in words, as its own paragraph under each condition
        return "\n".join(
            f"- **{c.name}**{f' ({c.also_called})' if c.also_called else ''}: {c.description}\n    {{ #{c.id} }}\n\n"
            f"    **{data.evidence_level(c.evidence.level).name}.** {c.evidence.note}{cite(*c.evidence.source)}\n"
            "    { .evidence }\n"
            for c in chosen)
    raise Problem(f"'{style}' is not a list style", f"Use one of: {', '.join(LIST_STYLES)}.")


def render_evidence_key(data: ClinicData) -> str:
    """What each evidence level means, as a definition list."""
    return "\n\n".join(f"{level.name}\n:   {level.meaning}" for level in data.evidence_levels)


def render_side_effects(effects: Iterable[SideEffect], kind: str) -> str:
    chosen = [e for e in effects if e.kind == kind]
    if not chosen:
        raise Problem(f"there are no side effects of the kind '{kind}'", "Use common or serious.")
    return "\n".join(f"- **{e.name}**: {e.description}" for e in chosen)


def render_screening(rules: Iterable[ScreeningRule]) -> str:
    return "\n".join(f"- {rule.text}" for rule in rules)


def render_off_label_note(data: ClinicData, cite: Callable[..., str]) -> str:
    note = data.treatment.off_label
    text = " ".join(note.text.split())
    return f'!!! info "{note.title}"\n\n    {text}{cite(*note.cites)}\n'


# The clinic's own facts.

def format_time(moment: time) -> str:
    """US style: 8 a.m., 5:30 p.m., noon."""
    if moment == time(12, 0):
        return "noon"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'a.m.' if moment.hour < 12 else 'p.m.'}"


def format_days(days: Sequence[str]) -> str:
    """'Monday to Friday' for three or more days in a row, else 'Monday and Wednesday'."""
    positions = [WEEK.index(day) for day in days]
    if len(days) > 2 and positions == list(range(positions[0], positions[0] + len(days))):
        return f"{days[0]} to {days[-1]}"
    return join_words(list(days))


def render_opening_hours(hours: Iterable[OpeningHours]) -> str:
    """One line per entry, then the days in no entry: 'Saturday and Sunday: closed', so no day is left to guess."""
    hours = list(hours)
    lines = [f"- {format_days(h.days)}: {format_time(h.opens)} to {format_time(h.closes)}" for h in hours]
    open_days = {day for h in hours for day in h.days}
    closed = [day for day in WEEK if day not in open_days]
    return "\n".join(lines + ([f"- {format_days(closed)}: closed"] if closed else []))


def render_open_now(clinic: Clinic, today: date) -> str:
    """Room for "Open now, closes at 5 p.m." under the hours: assets/site.js works it out from the hours, the closed
    days and the clinic's time zone by the visitor's clock (a page built in the morning is read all day). Nothing
    without a time_zone in clinic.yml, or without JavaScript."""
    if clinic.time_zone is None:
        return ""
    hours = {day: [[f"{h.opens:%H:%M}", f"{h.closes:%H:%M}"] for h in clinic.hours if day in h.days] for day in WEEK}
    closed = sorted({(c.first_day + timedelta(days=n)).isoformat() for c in upcoming_closures(clinic.closures, today)
                     for n in range((c.until - c.first_day).days + 1)})
    data = html.escape(json.dumps({"hours": hours, "closed": closed, "timeZone": clinic.time_zone}, separators=(",", ":")))
    return f'\n\n<p class="open-now" data-open-now="{data}" role="status" hidden></p>\n'


def upcoming_closures(closures: Iterable[Closure], today: date) -> list[Closure]:
    return [closure for closure in closures if closure.until >= today]


def closure_dates(closure: Closure) -> str:
    if closure.until == closure.first_day:
        return long_date(closure.first_day)
    return f"{long_date(closure.first_day)} to {long_date(closure.until)}"


def render_closures(closures: Iterable[Closure], today: date) -> str:
    return "\n".join(f"- {closure_dates(c)}: {c.reason}" for c in upcoming_closures(closures, today))


def render_prices(prices: Iterable[Price], templates: Environment, phone_link: str) -> str:
    """The published prices as a table with a caption; the prices the clinic does not publish named once, after it."""
    prices = list(prices)
    published = [p for p in prices if p.amount is not None]
    table = templates.get_template("prices-table.html").render(prices=published) if published else ""
    unpublished = [lower_first(p.item) for p in prices if p.amount is None]
    if not unpublished:
        return table
    ask = f"Call us at {phone_link} to ask, or ask for a written estimate."
    if len(unpublished) == 1:
        note = f"We do not publish the price of {unpublished[0]} on this site. {ask}"
    else:
        note = "We do not publish these prices on this site:\n\n" + "\n".join(f"- {item}" for item in unpublished) + f"\n\n{ask}"
    return f"{table}\n\n{note}" if table else note


def render_workers_compensation(clinic: Clinic) -> str:
    """What workers' compensation pays and how its approval works: one text for the costs page, the FAQ and referrals."""
    if not clinic.policies.workers_compensation:
        return ""
    text = ("If you were hurt at work, workers' compensation insurance may pay for infusions for pain from that injury. "
            "Then we bill workers' compensation instead of you.")
    if clinic.policies.prior_authorization:
        text += (" It must approve the treatment before the first infusion. This is called prior authorization. "
                 "We ask the insurer for it, and we wait for the approval before we start.")
    return text


def render_payment_methods(clinic: Clinic) -> str:
    return join_words([PAYMENT_METHOD_NAMES[method] for method in clinic.payment.methods], "or")


def render_phone_link(clinic: Clinic) -> str:
    return f"[{clinic.phone}](tel:{clinic.phone_e164})"


def render_email_link(clinic: Clinic) -> str:
    return f"[{clinic.email}](mailto:{clinic.email})"


def render_reviewers(reviewers: Iterable[Reviewer]) -> str:
    """The clinic's team: each clinician with their credentials, specialty and role."""
    return "\n".join(f"- **{r.name}**, {r.credentials}. Specialty: {SPECIALTY_NAMES[r.specialty].lower()}. {r.role.rstrip('.')}."
                     for r in reviewers)


# The page a clinic's own results are shown on, each with its outcome record (pages/claims.py: nowhere else).
OUTCOMES_PAGE = "your-session.md"


def render_outcomes(outcomes: Sequence[OutcomeRecord]) -> str:
    """A section with each of the clinic's own results and its record beside it; nothing when there are none."""
    if not outcomes:
        return ""
    records = "\n\n".join(
        f'!!! note "{o.claim}"\n\n'
        f"    - What was measured: {o.measured}\n    - Patients: {o.patients}\n"
        f"    - Dates: {long_date(o.first_day)} to {long_date(o.last_day)}\n    - Checked by: {o.audited_by}\n"
        for o in outcomes)
    return ("\n\n## Our own results\n\nThese are results from our own patients, each with the record behind it. "
            "They are not a promise of how you will do.\n\n" + records + "\n")


def render_fact(fact, cite: Callable[..., str]) -> str:
    """A statement that can go out of date, from data/facts.yml, with its sources."""
    return fact.text + (cite(*fact.cites) if fact.cites else "")


# Research: the comparison table, the FAQ, citations and source lists.

def render_comparison_table(rows: Iterable[ComparisonRow], cite: Callable[..., str], templates: Environment) -> str:
    columns = [("how_it_works", "How it works"), ("time_to_work", "How fast it can help"),
               ("best_for", "Who it is for"), ("downsides", "Downsides")]
    marked = [(row, Markup(cite(*row.cites)) if row.cites else "") for row in rows]
    return templates.get_template("comparison-table.html").render(columns=columns, rows=marked)


@dataclass
class Citations:
    """Numbers sources in the order a page first cites them."""

    lookup: Callable[[str], Reference]
    templates: Environment
    cited: list[Reference] = field(default_factory=list)

    def cite(self, *reference_ids: str) -> str:
        if not reference_ids:
            raise Problem("cite() has no reference id", 'Write the id of a source from data/references.yml, for example cite("cohen-2018").')
        marks = []
        for reference_id in reference_ids:
            reference = self.lookup(reference_id)
            if reference not in self.cited:
                self.cited.append(reference)
            marks.append((self.cited.index(reference) + 1, reference))
        return self.templates.get_template("cite.html").render(cited=marks)


def render_source_list(cited: Sequence[Reference], templates: Environment) -> str:
    """The page's sources, appended after its text; the heading is kept out of search."""
    items = templates.get_template("sources.html").render(references=cited)
    return f"\n\n## Sources {{ #sources data-search-exclude }}\n\n{items}\n"


# Where the References page's list goes: filled in after every page is rendered, when the sources the
# site cites are known. A clinic's site lists only the sources its own pages cite.
ALL_SOURCES = '<div class="all-sources-list"></div>'


def render_all_sources(references: Sequence[Reference], templates: Environment) -> str:
    """The sources, sorted by first author, for the References page."""
    ordered = sorted(references, key=lambda r: r.authors.lower())
    return templates.get_template("all-sources.html").render(references=ordered)


def render_faq(answers: Sequence[tuple], templates: Environment) -> str:
    """`answers`: (entry, its answer as Markdown with the macros already rendered)."""
    return templates.get_template("faq.html").render(entries=[(entry, Markup(answer)) for entry, answer in answers])


def render_crisis_lines(crisis: CrisisHelp) -> str:
    """'call or text [988](tel:988) to reach ...; call [911](tel:911) to reach ...', as a sentence."""
    def line(entry) -> str:
        text = f" or text [{entry.number}](sms:{entry.number})" if entry.can_text else ""
        return f"call [{entry.number}](tel:{entry.number}){text} to reach {entry.name} {entry.when.rstrip('.')}"
    return "; ".join(line(entry) for entry in crisis.lines) + "."


def crisis_note(crisis: CrisisHelp, clinic: Clinic) -> str:
    """crisis.yml's not_monitored with the clinic's phone and email filled in."""
    return fill_in(crisis.not_monitored, {name: getattr(clinic, name) for name in NOT_MONITORED_FILLS})


def render_crisis_box(crisis: CrisisHelp, clinic: Clinic, templates: Environment) -> str:
    """The box, then the one-line bar that stays on screen below the header (crisis-bar.html)."""
    box = templates.get_template("crisis-help.html").render(crisis=crisis, not_monitored=crisis_note(crisis, clinic))
    return f"{box}\n\n{templates.get_template('crisis-bar.html').render(crisis=crisis)}"


def render_article_list(articles: Sequence[tuple[str, str, str]]) -> str:
    """(path from the articles folder, title, description) as a list of links."""
    return "\n".join(f"- **[{title}]({path})**" + (f"<br>\n  {description}" if description else "") for path, title, description in articles)


def render_summary(lines: Sequence[str]) -> str:
    """The at-a-glance box a health page shows after its title (and after the crisis box and bar): its summary lines
    from the front matter as a short list. Markdown in a line (a link, *emphasis*) works as in the page."""
    items = "\n".join(f"- {' '.join(line.split())}" for line in lines)
    return ('<aside class="page-summary" markdown aria-labelledby="page-summary-title">\n'
            '<p class="page-summary__title" id="page-summary-title"><strong>At a glance</strong></p>\n\n'
            f"{items}\n\n</aside>")
