"""What the editor's preview fills in for a page's `{{ ... }}`: the clinic's facts, and plain words for the rest.

The build writes `preview_facts()` into admin/preview-facts.json; admin.js renders the page being edited with
them (nunjucks for the `{{ }}` and `{% %}`, markdown-it for the Markdown) in Decap's preview, beside the form.
The values are the ones pages read (macros.page_variables: the clinic's published facts), so the preview shows
what the published page shows. A macro that only the build can run (a list, a table, a source's number) shows as
a labelled placeholder in plain words; a few short ones (the phone link, a condition's name) show their text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from .. import render
from ..data.load import ClinicData

# What staff see where a macro's output will be: "[the published page shows the price list here]".
PLACEHOLDERS = {
    "conditions_list": "the list of conditions",
    "condition": "a condition's name",
    "evidence_key": "the key to the evidence labels",
    "side_effects": "the list of side effects",
    "screening_list": "the list of health checks before treatment",
    "off_label_note": "the note that this use of ketamine is off-label, with its source",
    "comparison_table": "the table comparing treatments",
    "faq_list": "the questions and answers",
    "opening_hours": "the opening hours, and whether the clinic is open now",
    "closures": "the dates the clinic is closed",
    "prices_table": "the price list",
    "course_costs": "the cost of a course of infusions",
    "workers_compensation": "the note on workers' compensation",
    "treatment_plans": "the treatment plans",
    "infusion_length": "how long an infusion takes",
    "premedication": "what is given before an infusion",
    "age_limits": "the age limits",
    "blood_pressure_limit": "the blood pressure limit",
    "payment_methods": "the ways to pay",
    "phone_link": "the phone number",
    "email_link": "the email address",
    "states_served": "the states the clinic serves",
    "languages": "the languages the staff speak",
    "reviewers_list": "the list of reviewers",
    "crisis_lines": "the crisis phone lines",
    "articles_list": "the list of articles",
    "fact": "a fact with its source",
    "all_sources": "the list of every source the site cites",
}
SHORT = {"cite": "[source]"}  # inside a sentence, many times a page: short


def placeholder(words: str) -> str:
    return f"[the published page shows {words} here]"


def preview_value(value: Any) -> Any:
    """A value as the preview's templates read it: a model as a mapping with its properties too (address.one_line),
    dates and times as text. An empty list or mapping becomes null: Jinja treats it as false in `{% if %}` and
    JavaScript does not, so without this the preview would show a part the published page leaves out."""
    if isinstance(value, BaseModel):
        fields = {name: getattr(value, name) for name in type(value).model_fields}
        properties = {name: getattr(value, name) for cls in type(value).__mro__ if not cls.__module__.startswith("pydantic")
                      for name, attribute in vars(cls).items() if isinstance(attribute, property)}
        value = {**fields, **properties}
    if isinstance(value, Mapping):
        return {str(key): preview_value(item) for key, item in value.items()} or None
    if isinstance(value, (list, tuple, set, frozenset)):
        return [preview_value(item) for item in value] or None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def preview_facts(data: ClinicData, variables: Mapping[str, Any], macro_names: Iterable[str]) -> dict[str, Any]:
    """admin/preview-facts.json: the page variables' values, and for each macro its text or its placeholder.

    `variables` are macros.page_variables(data, today); `macro_names` the macros the build gives pages.
    """
    clinic = data.clinic
    texts = {"phone_link": render.render_phone_link(clinic), "email_link": render.render_email_link(clinic),
             "states_served": render.join_words(list(clinic.states_served)), "languages": render.join_words(list(clinic.languages))}
    macros: dict[str, dict[str, Any]] = {}
    for name in macro_names:
        entry: dict[str, Any] = {"placeholder": SHORT.get(name) or placeholder(PLACEHOLDERS.get(name, f"what {name}() shows"))}
        if name in texts:
            entry["text"] = texts[name]
        macros[name] = entry
    # Macros whose first value chooses what they show: words (or the text) for each value the data has.
    if "conditions_list" in macros:
        macros["conditions_list"]["by_argument"] = {
            category.id: {"placeholder": placeholder(f"the list of {category.name[:1].lower()}{category.name[1:]}")}
            for category in data.categories}
    if "condition" in macros:
        macros["condition"]["by_argument"] = {condition.id: {"text": condition.name} for condition in data.conditions}
    return {"variables": {name: preview_value(value) for name, value in variables.items()}, "macros": macros}
