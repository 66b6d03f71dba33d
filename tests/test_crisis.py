"""crisis.py: which pages discuss mental health, and where the box goes. The built pages: test_site.py."""

from clinic_site.crisis import add_crisis_box, discusses_mental_health, mental_health_terms


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
