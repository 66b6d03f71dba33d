"""render.py and macros.py: what the macros put into pages, on hand-made data and on each clinic's own data."""

from __future__ import annotations

from datetime import date, time

import pytest
from conftest import ROOT
from selectolax.lexbor import LexborHTMLParser

from clinic_site import render, schema
from clinic_site.errors import Problem
from clinic_site.macros import explain_template_error
from clinic_site.schema import (
    Closure,
    ComparisonRow,
    FaqEntry,
    OpeningHours,
    Price,
    Reference,
    ScreeningRule,
    SideEffect,
)
from clinic_site.text import lower_first

TEMPLATES = render.fragments(ROOT / "overrides" / "fragments")
CLAIM = [{"claim": "A finding.", "words": ["finding"]}]
REF = Reference(id="zarate-2006", authors="Zarate CA Jr, et al.", title="A trial", source="Arch Gen Psychiatry", year=2006,
                doi="10.1001/archpsyc.63.8.856", supports=CLAIM)
REF2 = Reference(id="fda", authors="US FDA", title="A warning & more", source="FDA", year=2023, url="https://www.fda.gov/x",
                 supports=CLAIM)


def test_join_words_and_lower_first():
    assert render.join_words(["a"]) == "a" and render.join_words(["a", "b"]) == "a and b"
    assert render.join_words(["a", "b", "c"], "or") == "a, b, or c"
    assert lower_first("Migraine") == "migraine" and lower_first("PTSD") == "PTSD"
    assert lower_first("US phone number") == "US phone number" and lower_first("ZIP code") == "ZIP code"


def test_times_days_and_closures():
    assert render.format_time(time(8, 0)) == "8 a.m." and render.format_time(time(17, 30)) == "5:30 p.m."
    assert render.format_time(time(12, 0)) == "noon"
    assert render.format_days(["Monday", "Tuesday", "Wednesday"]) == "Monday to Wednesday"
    assert render.format_days(["Monday", "Thursday"]) == "Monday and Thursday"
    hours = [OpeningHours(days=["Monday", "Tuesday", "Wednesday", "Thursday"], opens="9:00", closes="4 pm")]
    assert render.render_opening_hours(hours) == "- Monday to Thursday: 9 a.m. to 4 p.m.\n- Friday to Sunday: closed"
    every_day = [OpeningHours(days=list(schema.WEEK), opens="9:00", closes="17:00")]
    assert render.render_opening_hours(every_day) == "- Monday to Sunday: 9 a.m. to 5 p.m."
    past = Closure(first_day=date(2026, 1, 1), reason="New Year")
    coming = Closure(first_day=date(2026, 12, 24), last_day=date(2026, 12, 26), reason="the holidays")
    assert render.render_closures([past, coming], date(2026, 11, 22)) == "- December 24, 2026 to December 26, 2026: the holidays"
    assert render.upcoming_closures([past, coming], date(2026, 12, 27)) == []


def test_prices_and_lists():
    assert render.format_price(Price(item="Trial", amount=1450)) == "$1,450"
    assert render.format_price(Price(item="Series")) == "Call us for a price"
    assert "| Trial | $450 | First visit |" in render.render_prices([Price(item="Trial", amount=450, note="First visit")])
    effects = [SideEffect(id="a", name="Nausea", kind="common", description="Queasy.")]
    assert render.render_side_effects(effects, "common") == "- **Nausea**: Queasy."
    with pytest.raises(Problem, match="no side effects of the kind 'rare'"):
        render.render_side_effects(effects, "rare")
    assert render.render_screening([ScreeningRule(id="p", text="You are pregnant.")]) == "- You are pregnant."


def test_condition_lists_show_each_condition_with_its_evidence(clinic_data):
    data = clinic_data
    cited = []

    def cite(*ids):
        cited.extend(ids)
        return "[n]"

    full = render.render_condition_list(data, None, "full", cite)
    for condition in data.conditions:
        level = data.evidence_level(condition.evidence.level)
        assert f"- **{condition.name}**" in full and f"**{level.name}.** {condition.evidence.note}[n]\n    {{ .evidence }}" in full
    assert cited == [source for condition in data.conditions for source in condition.evidence.source]
    names = render.render_condition_list(data, "pain", "names", cite)
    assert names.count("\n- ") + 1 == len([c for c in data.conditions if c.category == "pain"])
    # Each entry of the full list is an anchor, and the bare list links each name to it on the conditions page.
    linked = render.render_condition_list(data, "pain", "names", cite, "../conditions.md")
    for condition in [c for c in data.conditions if c.category == "pain"]:
        assert f"- [{condition.name}](../conditions.md#{condition.id}) (" in linked and f"\n    {{ #{condition.id} }}\n" in full
    with pytest.raises(Problem, match="no category with the id 'pian'"):
        render.render_condition_list(data, "pian", "full", cite)
    with pytest.raises(Problem, match="'short' is not a list style"):
        render.render_condition_list(data, None, "short", cite)
    key = render.render_evidence_key(data)
    assert all(f"{level.name}\n:   {level.meaning}" in key for level in data.evidence_levels)


def test_phone_email_payment_and_crisis_lines_come_from_the_data(clinic_data):
    data = clinic_data
    clinic = data.clinic
    assert render.render_phone_link(clinic) == f"[{clinic.phone}](tel:{clinic.phone_e164})"
    assert render.render_email_link(clinic) == f"[{clinic.email}](mailto:{clinic.email})"
    for line in data.crisis.lines:
        assert f"[{line.number}](tel:{line.number})" in render.render_crisis_lines(data.crisis)
    off_label = render.render_off_label_note(data, lambda *ids: "[1]")
    assert off_label.startswith(f'!!! info "{data.treatment.off_label.title}"\n\n    ') and off_label.endswith("[1]\n")


def test_citations_number_in_order_of_first_use_and_escape():
    citations = render.Citations({r.id: r for r in (REF, REF2)}.__getitem__, TEMPLATES)
    first = citations.cite("fda")
    again = citations.cite("zarate-2006", "fda")
    assert '<a href="#source-fda" aria-label="Source 1">1</a>' in first
    assert 'aria-label="Source 2">2</a>, <a href="#source-fda" aria-label="Source 1">1</a>' in again
    assert citations.cited == [REF2, REF]
    with pytest.raises(Problem, match="cite\\(\\) has no reference id"):
        citations.cite()
    listing = render.render_source_list([REF, REF2], TEMPLATES)
    assert '<li id="source-zarate-2006">' in listing and 'href="https://doi.org/10.1001/archpsyc.63.8.856"' in listing
    assert "A warning &amp; more" in listing and "## Sources { #sources data-search-exclude }" in listing


def test_comparison_table_and_faq_escape_data_text():
    row = ComparisonRow(id="ect", treatment="ECT & co", how_it_works="A brief seizure.", time_to_work="Weeks.",
                        best_for="Severe depression.", downsides="Memory loss.", cites=["x"])
    table = render.render_comparison_table([row], lambda *ids: "<sup>1</sup>", TEMPLATES)
    tree = LexborHTMLParser(table)
    assert tree.css_first("caption") and len(tree.css('th[scope="col"]')) == 5
    assert "ECT &amp; co<sup>1</sup>" in table
    entry = FaqEntry(id="cost", question="Is it \"free\" & cheap?", answer="x")
    out = render.render_faq([(entry, "Price: **$1**")], TEMPLATES)
    assert '<details class="faq" id="cost" markdown>' in out
    assert "<summary>Is it &#34;free&#34; &amp; cheap?</summary>" in out and "Price: **$1**" in out


def test_crisis_box_is_an_urgent_named_region(clinic_data):
    data = clinic_data
    box = render.render_crisis_box(data.crisis, data.clinic, TEMPLATES)
    tree = LexborHTMLParser(box)
    section = tree.css_first("section.crisis-help")
    heading = tree.css_first(f"#{section.attributes['aria-labelledby']}")
    assert heading.tag == "h2" and heading.css_first(".visually-hidden").text() == "Urgent advice: "
    text = " ".join(tree.body.text().split())
    assert f"{data.clinic.phone}" in text and data.clinic.email in text
    for line in data.crisis.lines:
        assert f'href="tel:{line.number}"' in box and (f'href="sms:{line.number}"' in box) == line.can_text


def test_template_mistakes_become_plain_messages(clinic_data):
    from jinja2 import Environment, StrictUndefined

    from clinic_site.schema import Clinic

    data = clinic_data
    env = Environment(undefined=StrictUndefined)
    source = "Line one\nCall {{ clinic.phnoe }} today.\n"
    try:
        env.from_string(source).render(clinic=data.clinic)
    except Exception as error:  # noqa: BLE001
        line, key, problem, fix = explain_template_error(error, source)
    assert (line, key) == (2, "clinic.phnoe")
    assert problem == "'phnoe' is not one of the facts the site knows here"
    assert "Did you mean 'phone'?" in fix and "Clinic object" not in problem + fix
    assert all(name in fix for name in Clinic.model_fields)
    source = "{{ phone_link() }\n"
    try:
        env.from_string(source)
    except Exception as error:  # noqa: BLE001
        line, key, problem, fix = explain_template_error(error, source)
    assert line == 1 and "not written correctly" in problem and "{% endif %}" in fix
