"""Unit tests for each macro's render function, on small hand-made data."""

from datetime import time

import pytest

from clinic_data import DataError
from macros import (
    Citations,
    format_days,
    format_price,
    format_time,
    join_words,
    lower_first,
    render_comparison_table,
    render_condition_list,
    render_email_link,
    render_faq,
    render_off_label_note,
    render_opening_hours,
    render_phone_link,
    render_prices,
    render_screening,
    render_side_effects,
    render_source_list,
)
from schema import Clinic, ComparisonRow, Condition, FaqEntry, OpeningHours, Price, Reference, ScreeningRule, SideEffect

PAIN = Condition(id="migraine", name="Migraine", category="pain", description="Bad headaches.")
MOOD = Condition(id="ptsd", name="PTSD", category="mental-health", description="Flashbacks.", also_called="post-traumatic stress disorder")
REF = Reference(id="zarate-2006", authors="Zarate CA Jr, et al.", title="A trial", source="Arch Gen Psychiatry", year=2006, doi="10.1001/archpsyc.63.8.856")
REF2 = Reference(id="fda", authors="US FDA", title="A warning", source="FDA", year=2023, url="https://www.fda.gov/x")


def make_clinic(**changes) -> Clinic:
    fields = dict(
        name="Test Clinic", short_name="Test", phone="(208) 555-0147", email="a@b.example",
        address={"street": "1 Main St", "city": "Boise", "region": "ID", "postal_code": "83702"},
        hours=[{"days": ["Monday"], "opens": "08:00", "closes": "17:00"}], states_served=["Idaho"],
        prices=[{"item": "One infusion"}],
        policies={
            "referral": {"required_for_mental_health": True, "from_whom": "your psychiatrist"},
            "fasting": {"rule": "light-meal", "hours": 3}, "driver_required": True,
            "course": {"trial_first": False}, "workers_compensation": True, "prior_authorization": True,
            "session": {"infusion_minutes_min": 40, "infusion_minutes_max": 60, "observation_minutes": 30,
                        "premedication": False, "setting": "a room"},
        },
    )
    fields.update(changes)
    return Clinic.model_validate(fields)


def test_join_words():
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b"
    assert join_words(["a", "b", "c"], "or") == "a, b, or c"


def test_lower_first_keeps_acronyms():
    assert lower_first("Migraine") == "migraine"
    assert lower_first("PTSD") == "PTSD"
    assert lower_first("OCD and more") == "OCD and more"


def test_condition_list_styles():
    both = [PAIN, MOOD]
    assert render_condition_list(both, "pain", "names") == "- Migraine"
    assert render_condition_list(both, None, "inline") == "migraine and PTSD"
    full = render_condition_list(both, "mental-health")
    assert full == "- **PTSD** (post-traumatic stress disorder): Flashbacks."


def test_condition_list_rejects_unknown_category_and_style():
    with pytest.raises(DataError, match="unknown condition category 'pian'"):
        render_condition_list([PAIN], "pian")
    with pytest.raises(DataError, match="unknown list style 'short'"):
        render_condition_list([PAIN], None, "short")


def test_side_effects_by_kind():
    effects = [SideEffect(id="a", name="Nausea", kind="common", description="Queasy."),
               SideEffect(id="b", name="Bladder harm", kind="serious", description="With misuse.")]
    assert render_side_effects(effects, "common") == "- **Nausea**: Queasy."
    assert "Bladder harm" in render_side_effects(effects, "serious")
    with pytest.raises(DataError, match="kind 'rare'"):
        render_side_effects(effects, "rare")


def test_screening_list():
    assert render_screening([ScreeningRule(id="p", text="You are pregnant.")]) == "- You are pregnant."


def test_off_label_note_is_an_admonition_citing_the_fda():
    cited = []
    note = render_off_label_note(lambda *ids: cited.extend(ids) or "[1]")
    title, blank, body, *rest = note.split("\n")
    assert title == '!!! info "Off-label use"' and blank == "" and rest == [""]
    assert body.startswith("    ") and "off-label use.[1]" in body
    assert "not approved ketamine for pain or for any mental health condition" in body
    assert cited == ["fda-ketamine-warning-2023"]


def test_time_and_days():
    assert format_time(time(8, 0)) == "8 a.m."
    assert format_time(time(17, 30)) == "5:30 p.m."
    assert format_time(time(12, 0)) == "noon"
    assert format_days(["Monday", "Tuesday", "Wednesday"]) == "Monday to Wednesday"
    assert format_days(["Monday", "Thursday"]) == "Monday and Thursday"


def test_opening_hours():
    hours = [OpeningHours(days=["Monday", "Tuesday", "Wednesday", "Thursday"], opens=time(9), closes=time(16))]
    assert render_opening_hours(hours) == "- Monday to Thursday: 9 a.m. to 4 p.m."


def test_prices_show_amount_or_call():
    assert format_price(Price(item="Trial", amount=1450)) == "$1,450"
    assert format_price(Price(item="Series")) == "Call us for a price"
    table = render_prices([Price(item="Trial", amount=450, note="First visit")])
    assert "| Trial | $450 | First visit |" in table


def test_phone_and_email_links():
    clinic = make_clinic()
    assert render_phone_link(clinic) == "[(208) 555-0147](tel:+12085550147)"
    assert render_email_link(clinic) == "[a@b.example](mailto:a@b.example)"


def test_phone_must_be_a_us_number():
    with pytest.raises(ValueError, match="not a US phone number"):
        make_clinic(phone="555-01")


def test_citations_number_in_order_of_first_use():
    citations = Citations({r.id: r for r in (REF, REF2)}.__getitem__)
    first = citations.cite("fda")
    again = citations.cite("zarate-2006", "fda")
    assert 'href="#source-fda" aria-label="Source 1">1</a>' in first
    assert 'aria-label="Source 2">2</a>, <a href="#source-fda" aria-label="Source 1">1</a>' in again
    assert citations.cited == [REF2, REF]


def test_cite_needs_an_id():
    with pytest.raises(DataError, match="at least one reference id"):
        Citations(lambda _: REF).cite()


def test_source_list_links_doi_and_url():
    listing = render_source_list([REF, REF2])
    assert '<li id="source-zarate-2006">' in listing
    assert 'href="https://doi.org/10.1001/archpsyc.63.8.856"' in listing
    assert 'href="https://www.fda.gov/x"' in listing
    assert "## Sources { #sources data-search-exclude }" in listing
    assert '<ol class="sources" data-search-exclude>' in listing


def test_comparison_table_has_caption_scopes_and_citations():
    row = ComparisonRow(id="ect", treatment="ECT", how_it_works="A <brief> seizure.", time_to_work="Weeks.",
                        best_for="Severe depression.", downsides="Memory loss.", cites=["zarate-2006"])
    table = render_comparison_table([row], lambda *ids: f"[{','.join(ids)}]")
    assert "<caption>" in table and '<th scope="row">ECT[zarate-2006]</th>' in table
    assert "A &lt;brief&gt; seizure." in table
    assert table.count('scope="col"') == 5


def test_faq_renders_answers_through_the_page_engine():
    entry = FaqEntry(id="cost", question="Is it <free>?", answer="Price: {{ x }}", cites=["fda"])
    out = render_faq([entry], lambda text: text.replace("{{ x }}", "$1"), lambda *ids: "[1]")
    assert '<details class="faq" id="cost" markdown>' in out
    assert "<summary>Is it &lt;free&gt;?</summary>" in out
    assert "Price: $1[1]" in out
