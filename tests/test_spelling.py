"""US English (pages/spelling.py, data/us_english.yml): what the check finds and what it leaves alone. The build's
messages for a page, a data text and a FAQ answer: test_staff_mistakes.py (british-*)."""

from __future__ import annotations

import yaml
from conftest import ROOT
from pydantic import BaseModel

from clinic_site import schema
from clinic_site.pages.spelling import british_words

WORDS = {"colour": "color", "a lift": "an elevator", "GP": "family doctor", "A&E": "the emergency room"}


def found(text: str) -> list[str]:
    return [british for british, _, _ in british_words(text, WORDS)]


def test_whole_words_in_any_case_alone_or_plural():
    assert found("A calm Colour. Two colours.") == ["Colour", "colours"]
    assert found("Ask your GP, or go to A&E.") == ["GP", "A&E"]
    assert found("Recolouring, colourway, GPS and gpu are other words.") == []


def test_a_phrase_leaves_the_word_alone_with_its_other_meanings():
    assert found("There is a lift by the door.") == ["a lift"]
    assert found("Low mood lifted. The lift from one infusion fades. Lift nothing heavy.") == []


def test_link_targets_are_not_checked_and_the_line_is_counted():
    assert found("See [our colors](https://example.org/colour-guide).") == []
    assert [line for _, _, line in british_words("One.\nTwo [x](a\nb).\nA colour.", WORDS)] == [3]


def test_the_us_word_is_named():
    assert british_words("Favourite colour", WORDS) == [("colour", "color", 0)]


def test_the_us_word_takes_the_form_of_the_british_one():
    """A fix that writes "color" for "colours" would leave the sentence wrong."""
    forms = [us for _, us, _ in british_words("Colours. Two colours. Ask your GP. Ask two GPs. There is a lift.", WORDS)]
    assert forms == ["Colors", "colors", "family doctor", "family doctors", "an elevator"]


def test_the_word_list_loads_and_each_us_word_passes_its_own_check():
    words = yaml.safe_load((ROOT / "data" / "us_english.yml").read_text())["words"]
    assert len(words) >= 20 and words["colour"] == "color"
    assert not [us for us in words.values() if british_words(us, words)]


def help_texts(model: type[BaseModel]):
    for name, info in model.model_fields.items():
        yield f"{model.__name__}.{name}", info.description or ""
        inner = schema.nested_model(info.annotation)
        if inner:
            yield from help_texts(inner)


def test_the_help_staff_read_for_every_key_is_us_english():
    """The schema's help texts are shown in the editor and the handbook's tables."""
    words = yaml.safe_load((ROOT / "data" / "us_english.yml").read_text())["words"]
    british = [(where, british_words(text, words)) for file in schema.FILES.values() for where, text in help_texts(file.model)]
    assert not [item for item in british if item[1]]
