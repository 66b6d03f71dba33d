"""The macros pages call, bound to one build's data, and plain messages for mistakes in them.

Each macro records what it used in the page's record (pages.PageRecord): the sources it cited and
the FAQ entries it showed. The JSON-LD and the crisis box read that record instead of the HTML.
A mistake inside a macro call or inside a FAQ answer becomes one StaffError naming the file and line
where it was written: the page for a page, faq.yml for an answer.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import TemplateSyntaxError, Undefined, UndefinedError
from pydantic import BaseModel

from . import plans, render, schema
from .data.load import ClinicData
from .errors import Problem, StaffError, did_you_mean
from .pages.record import PageRecord

UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined")
NO_ATTRIBUTE = re.compile(r"^'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']+)'")
SHOWN = re.compile(r"\{\{-?\s*(.+?)\s*-?\}\}")  # what a {{ ... }} shows
WRONG_COUNT = re.compile(r"takes (\d+) positional arguments? but (\d+) (?:was|were) given")
MISSING = re.compile(r"missing \d+ required positional arguments?: (.+)$")


CONDITIONS_PAGE = "conditions.md"  # where the full list of conditions is, with an anchor per condition


@dataclass
class MacroContext:
    """What the macros of one build need besides the data: the page being rendered and how to render text."""

    data: ClinicData
    today: date
    templates: Any  # render.fragments(): the autoescaped fragment templates
    current: Callable[[], PageRecord]
    render_text: Callable[[str], str]
    articles: Callable[[], list[tuple[str, str, str]]]


def make_macros(context: MacroContext) -> dict[str, Callable]:
    data, templates = context.data, context.templates

    def cite(*ids: str) -> str:
        return context.current().citations.cite(*ids)

    def conditions_page() -> str | None:
        """The conditions page from the page being rendered, when the clinic's site has it."""
        current = context.current()
        if current is None or CONDITIONS_PAGE in data.pages.leave_out:
            return None
        return posixpath.relpath(CONDITIONS_PAGE, posixpath.dirname(current.src_uri) or ".")

    def faq_list() -> str:
        record = context.current()
        shown = [entry for entry in data.faq if not entry.when or data.setting(entry.when)]
        answers = []
        for entry in shown:
            answer = render_faq_answer(context, entry)
            record.faq.append((entry.question, answer))
            answers.append((entry, answer))
        return render.render_faq(answers, templates)

    def all_sources() -> str:
        """A mark the plugin fills in once every page is rendered: the sources this clinic's site cites."""
        context.current().lists_all_sources = True
        return render.ALL_SOURCES

    def articles_list() -> str:
        articles = context.articles()
        if not articles:
            raise Problem("this page lists the articles, but the site has none",
                          "Leave this page out too (pages.yml, leave_out), or keep an article.", key="articles_list()")
        return render.render_article_list(articles)

    def off_label_note() -> str:
        context.current().shows_off_label_note = True
        return render.render_off_label_note(data, cite)

    def crisis_lines() -> str:
        context.current().shows_crisis_lines = True
        return render.render_crisis_lines(data.crisis)

    clinic = data.clinic
    macros: dict[str, Callable[..., Any]] = {
        "conditions_list": lambda category=None, style="full": render.render_condition_list(data, category, style, cite,
                                                                                            conditions_page()),
        "condition": lambda condition_id: data.condition(condition_id).name,
        "evidence_key": lambda: render.render_evidence_key(data),
        "side_effects": lambda kind="common": render.render_side_effects(data.side_effects, kind),
        "screening_list": lambda: render.render_screening(data.screening),
        "off_label_note": off_label_note,
        "comparison_table": lambda: render.render_comparison_table(data.comparison, cite, templates),
        "faq_list": faq_list,
        "opening_hours": lambda: render.render_opening_hours(clinic.hours) + render.render_open_now(clinic, context.today),
        "closures": lambda: render.render_closures(clinic.closures, context.today),
        "prices_table": lambda: render.render_prices(clinic.prices, templates, render.render_phone_link(clinic)),
        "course_costs": lambda: plans.render_course_costs(data),
        "workers_compensation": lambda: render.render_workers_compensation(clinic),
        "treatment_plans": lambda audience="patients": plans.render_plans(data, audience, cite),
        "infusion_length": lambda: plans.render_infusion_length(data),
        "premedication": lambda audience="patients": plans.render_premedication(data, audience),
        "age_limits": lambda: plans.render_age_limits(data),
        "blood_pressure_limit": lambda: plans.render_blood_pressure_limit(data),
        "payment_methods": lambda: render.render_payment_methods(clinic),
        "phone_link": lambda: render.render_phone_link(clinic),
        "email_link": lambda: render.render_email_link(clinic),
        "states_served": lambda: render.join_words(list(clinic.states_served)),
        "languages": lambda: render.join_words(list(clinic.languages)),
        "reviewers_list": lambda: render.render_reviewers(data.reviewers),
        "crisis_lines": crisis_lines,
        "articles_list": articles_list,
        "fact": lambda fact_id: render.render_fact(data.fact(fact_id), cite),
        "cite": cite,
        "all_sources": all_sources,
    }
    return {name: _named(name, macro) for name, macro in macros.items()}


def page_variables(data: ClinicData, today: date) -> dict[str, Any]:
    """The variables a page reads: `{{ clinic.name }}`, `{% if policies.driver_required %}`."""
    given = [plan for plan in data.clinic.policies.plans if plan.premedication]
    return {"clinic": data.clinic, "policies": data.clinic.policies, "payment": data.clinic.payment,
            "plans": data.clinic.policies.plans, "premedication_given": bool(given),
            "trial_first": any(plan.trial for plan in data.clinic.policies.plans),
            "upcoming_closures": render.upcoming_closures(data.clinic.closures, today)}


def _named(name: str, macro: Callable) -> Callable:
    """A macro whose mistakes say which call went wrong: `condition('lupus')`."""
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return macro(*args, **kwargs)
        except Problem as problem:
            shown = ", ".join([*map(repr, args), *(f"{key}={value!r}" for key, value in kwargs.items())])
            problem.key = problem.key or f"{name}({shown})"
            raise
        except TypeError as error:
            raise _wrong_arguments(name, error) from None
    call.__name__ = name
    return call


def _wrong_arguments(name: str, error: TypeError) -> Problem:
    message = str(error)
    if match := WRONG_COUNT.search(message):
        wanted, given = map(int, match.groups())
        problem = (f"{name}() takes {'nothing' if wanted == 0 else f'at most {wanted} values'} in its brackets, "
                   f"but it was given {given}")
    elif match := MISSING.search(message):
        problem = f"{name}() needs a value in its brackets ({match.group(1)})"
    else:
        problem = f"{name}() was given values it does not take ({message.split(') ', 1)[-1]})"
    return Problem(problem, "Write it as shown in handbook/staff.md, in the table of macros under 'Editing a page'.", key=f"{name}()")


class ShownValueProblem(Problem):
    """A {{ ... }} that would show something that is not text: a macro without brackets, a group of settings.

    `fix_for` words the fix for what the page wrote (clinic.address), which finalize() does not see.
    """

    def __init__(self, problem: str, fix: str, fix_for: Callable[[str], str] | None = None) -> None:
        super().__init__(problem, fix)
        self.fix_for = fix_for


# The macro that writes each list a page may try to show whole.
LIST_MACROS = {"clinic.hours": "opening_hours()", "clinic.languages": "languages()", "clinic.states_served": "states_served()",
               "clinic.prices": "prices_table()", "payment.methods": "payment_methods()", "clinic.payment.methods": "payment_methods()",
               "clinic.closures": "closures()", "upcoming_closures": "closures()"}


# What a {{ ... }} may show: text and numbers, and dates and times (which pages format themselves).
SHOWABLE = (str, int, float, Decimal, date, time)


def finalize(value: Any) -> Any:
    """Jinja's `finalize` for pages and FAQ answers: every value a {{ ... }} shows passes here first.

    Without it, a macro written without brackets shows "<function ...>", a group of settings shows
    "street='...' city='...'", an empty setting shows "None" and a yes/no setting shows "True".
    """
    if isinstance(value, Undefined) or (isinstance(value, SHOWABLE) and not isinstance(value, bool)):
        return value
    if value is None:
        raise ShownValueProblem("this setting is empty for this clinic, so the page would show 'None'",
                                "Show it only when it is set: {% if ... %}...{% endif %}, or fill it in.")
    if isinstance(value, bool):
        raise ShownValueProblem(f"this is a yes/no setting, so the page would show '{value}'",
                                "Use it in {% if ... %}...{% endif %} to choose what the page says.")
    if callable(value):
        name = getattr(value, "__name__", "")
        raise ShownValueProblem(f"{name or 'this'} is a macro, but it has no brackets",
                                f"Write {name or 'it'}() with its brackets, as in handbook/staff.md ('Editing a page').")
    if isinstance(value, BaseModel):
        parts = list(type(value).model_fields)
        raise ShownValueProblem(f"this is a group of settings ({', '.join(parts)}), not one value",
                                f"Write the one you want, such as {{{{ ... .{parts[0]} }}}}." if parts else "Write the one value you want.",
                                lambda shown: f"Write the one you want, such as {{{{ {shown}.{parts[0]} }}}}.")
    if isinstance(value, Mapping):
        raise ShownValueProblem("this is a group of settings, not one value", "Write the one you want, such as {{ clinic.name }}.")
    if isinstance(value, (list, tuple, set)):
        raise ShownValueProblem("this is a list, not one value",
                                "Use a macro that writes the list (handbook/staff.md, 'Editing a page'), or {% for ... %}.",
                                lambda shown: f"Write {{{{ {LIST_MACROS[shown]} }}}}, the macro that writes this list." if shown in LIST_MACROS
                                else f"Write each entry with {{% for item in {shown} %}}{{{{ item }}}} {{% endfor %}}.")
    raise ShownValueProblem("this is not text a page can show",
                            "Write a fact such as {{ clinic.name }} or a macro from handbook/staff.md ('Editing a page').")


def render_faq_answer(context: MacroContext, entry: schema.FaqEntry) -> str:
    document = context.data.documents["faq.yml"]
    index = context.data.faq.index(entry)
    try:
        return context.render_text(entry.answer).strip()
    except StaffError:
        raise
    except Exception as error:  # noqa: BLE001 - every mistake in an answer is reported against faq.yml
        line_in_answer, key, problem, fix = explain_template_error(error, entry.answer, context)
        # The answer is a block (`answer: |`): its first line is the line after the key.
        line = document.line((index, "answer")) + line_in_answer
        raise StaffError(document.path, line, key or f"{entry.id}.answer", problem, fix) from None


def template_line(error: BaseException) -> int | None:
    """The line of the page's (or answer's) own text where a macro failed."""
    if isinstance(error, TemplateSyntaxError):
        return error.lineno
    line = None
    trace: TracebackType | None = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def explain_template_error(error: BaseException, source: str, context: MacroContext | None = None) -> tuple[int, str | None, str, str]:
    """(line in `source`, key, problem, fix) for a mistake in a page's macros."""
    line = template_line(error) or 1
    text_line = source.splitlines()[line - 1] if 0 < line <= len(source.splitlines()) else ""
    if isinstance(error, ShownValueProblem) and not error.key and (shown := SHOWN.search(text_line)):
        return line, shown.group(1), error.problem, error.fix_for(shown.group(1)) if error.fix_for else error.fix
    if isinstance(error, Problem):
        return line, error.key, error.problem, error.fix
    if isinstance(error, TemplateSyntaxError):
        if re.search(r"unexpected char '[\u2018\u2019\u201c\u201d]'", error.message or ""):
            return (line, None, "a macro has curly quotes (\u201c \u201d or \u2018 \u2019), which macros cannot read",
                    'Type straight quotes instead, as in {{ cite("sanacora-2017") }}. A word processor curls them: paste as plain text.')
        # Jinja notices a {{ or {% that is never closed only where it stops reading: name the line it was opened on.
        lines = source.splitlines()
        opened = next((number for number, text in enumerate(lines[:line], start=1)
                       if text.count("{{") > text.count("}}") or text.count("{%") > text.count("%}")), line)
        return (opened, None, f"a macro is not written correctly ({error.message})",
                "Check that each {{ has its }}, each {% has its %}, and each {% if %} has its {% endif %}.")
    message = str(error)
    if isinstance(error, UndefinedError) and (match := NO_ATTRIBUTE.match(message)):
        owner, wanted = match.groups()
        model = getattr(schema, owner, None)
        known = list(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []
        written = re.search(rf"([\w.]+)\.{re.escape(wanted)}\b", text_line)
        key = written.group(0) if written else wanted
        return (line, key, f"'{wanted}' is not one of the facts the site knows here",
                f"{did_you_mean(wanted, known)}The facts here are: {', '.join(known)}.")
    if isinstance(error, UndefinedError) and (match := UNDEFINED_NAME.match(message)):
        wanted = match.group(1)
        known = [] if context is None else sorted([*make_macros(context), *page_variables(context.data, context.today)])
        return (line, wanted, f"'{wanted}' is not a macro or a fact the site knows",
                f"{did_you_mean(wanted, known)}Check the spelling against the table of macros in handbook/staff.md ('Editing a page').")
    if isinstance(error, UndefinedError):
        return line, None, f"a macro uses something the site does not know ({message})", "Check the spelling against handbook/staff.md ('Editing a page')."
    return line, None, f"a macro failed ({type(error).__name__}: {message})", "Check the macro's spelling and arguments against handbook/staff.md ('Editing a page')."


def page_error(error: BaseException, page_file: Path, markdown: str, body_line: int, context: MacroContext | None) -> StaffError:
    """A mistake in a page's macros, at its line in the page file (the front matter counted in)."""
    if isinstance(error, StaffError):
        return error
    line, key, problem, fix = explain_template_error(error, markdown, context)
    return StaffError(page_file, body_line + line - 1, key, problem, fix)
