"""crisis.py: which pages discuss mental health, and where the box goes. The built pages: test_site.py."""

import pytest

from clinic_site.crisis import (
    add_crisis_box,
    discusses_mental_health,
    mental_health_terms,
    unlinked_numbers,
)
from clinic_site.errors import StaffError
from clinic_site.pages.checks import check_rendered_html
from clinic_site.schema import CrisisLine


def test_detection_uses_the_triggers_and_the_conditions_in_crisis_categories(clinic_data):
    data = clinic_data
    terms = mental_health_terms(data)
    assert set(data.crisis.triggers) <= set(terms)
    for condition in data.conditions:
        if data.category(condition.category).crisis_help:
            assert condition.name in terms and discusses_mental_health(f"We treat {condition.name}.", terms)
    assert not discusses_mental_health("We treat nerve pain, migraine and back pain.", terms)


def test_detection_needs_whole_words_and_skips_link_targets_and_tags():
    terms = ["PTSD", "depression"]
    assert discusses_mental_health("Help for ptsd.", terms)
    assert not discusses_mental_health("Post offices and mptsdx.", terms)
    assert not discusses_mental_health("See [our conditions](conditions.md#depression).", terms)
    assert not discusses_mental_health('<a id="depression">Pain</a> care.', terms)


def test_box_goes_right_after_the_title_or_first():
    assert add_crisis_box("# T\n\nBody\n", "<section>B</section>") == "# T\n\n<section>B</section>\n\n\n\nBody\n"
    assert add_crisis_box("Body\n", "<section>B</section>").startswith("\n\n<section>B</section>\n\nBody")


LINES = [CrisisLine(number="988", can_text=True, name="the 988 Suicide & Crisis Lifeline", when="day and night."),
         CrisisLine(number="911", name="emergency services", when="in danger.")]


def test_a_crisis_number_needs_its_call_and_text_links_in_the_same_block():
    assert unlinked_numbers('<p><a href="tel:988">Call 988</a> or <a href="sms:988">text 988</a> to reach the 988 Lifeline.</p>', LINES) == []
    assert unlinked_numbers('<ul><li><a href="tel:911">Call 911</a> now.</li></ul>', LINES) == []
    assert [number for number, _ in unlinked_numbers("<p>Call or text 988.</p>", LINES)] == ["988"]
    assert [number for number, _ in unlinked_numbers('<p><a href="tel:988">Call 988</a>.</p>', LINES)] == ["988"]  # no text link
    assert [number for number, _ in unlinked_numbers('<p><a href="tel:988">Call</a></p><p>988 is free.</p>', LINES)] == ["988"]
    assert [number for number, _ in unlinked_numbers("<h2>Call 911</h2>", LINES)] == ["911"]
    assert [number for number, _ in unlinked_numbers("Call 911 if you are hurt.", LINES)] == ["911"]  # text outside any block


def test_a_number_inside_another_number_is_not_a_crisis_number():
    assert unlinked_numbers("<p>Call (208) 555-0988, or room 9110, or 19882.</p>", LINES) == []
    assert unlinked_numbers("<script>var a = 988;</script><style>.x{width:911px}</style>", LINES) == []


def test_the_fix_names_the_line_that_prints_the_number(tmp_path):
    source = "---\ntitle: T\n---\n\n# T\n\nSee [us](tel:988).\n\nCall or text 988 today.\n"
    with pytest.raises(StaffError) as caught:
        check_rendered_html("<p>Call or text 988 today.</p>", tmp_path / "t.md", source, LINES)
    assert caught.value.line == 9 and caught.value.key == "988"
    assert "[call 988](tel:988) or [text 988](sms:988)" in str(caught.value)
