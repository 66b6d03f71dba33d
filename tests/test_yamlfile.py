"""yamlfile.py: YAML is read exactly as typed, and the mistakes plain YAML lets through stop with the line and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_site.errors import StaffError
from clinic_site.yamlfile import decode, describe_key, parse_yaml, read_yaml, split_front_matter

PATH = Path("clinic.yml")


def parsed(text: str):
    return parse_yaml(text, PATH).value


def error_of(text: str) -> StaffError:
    with pytest.raises(StaffError) as caught:
        parse_yaml(text, PATH)
    return caught.value


def test_every_scalar_stays_the_text_that_was_typed():
    value = parsed("opens: 8:00\nshort_name: Yes\npostal_code: 08702\nday: 2026-11-15\nn: 12\nnote: ~\nempty:\n"
                   "quoted: \"07:30\"\nblock: |\n  two\n  lines\n")
    assert value == {"opens": "8:00", "short_name": "Yes", "postal_code": "08702", "day": "2026-11-15", "n": "12",
                     "note": None, "empty": None, "quoted": "07:30", "block": "two\nlines\n"}


def test_every_key_has_its_line():
    document = parse_yaml("name: A\nhours:\n  - days: [Monday]\n    opens: \"08:00\"\n", PATH)
    assert document.lines[("name",)] == 1
    assert document.lines[("hours", 0, "opens")] == 4
    assert document.line(("hours", 0, "closes")) == 3  # a missing key: the line of its entry


def test_a_key_written_twice_stops_with_both_lines():
    error = error_of("name: A\nphone: 1\nname: B\n")
    assert (error.file, error.line, error.key) == ("clinic.yml", 3, "name")
    assert "written twice in the same place (first on line 1)" in error.problem


def test_a_comment_after_a_value_stops_because_it_cut_the_value():
    error = error_of("note: Ask about #2 prices\n")
    assert error.line == 1 and error.key == "note"
    assert "'#2 prices'" in error.problem and "put the whole value in double quotes" in error.fix
    assert parsed('note: "Ask about #2 prices"\n') == {"note": "Ask about #2 prices"}
    assert parsed("note: colour#2\n") == {"note": "colour#2"}  # no space before '#': part of the value


def test_tabs_unclosed_quotes_and_missing_colons_name_the_right_line():
    assert error_of("a: 1\n\tb: 2\n").line == 2 and "spaces, not tabs" in error_of("a: 1\n\tb: 2\n").fix
    quote = error_of('a: 1\nb: "open\nc: 3\n')
    assert quote.line == 2
    colon = error_of("a:\n  b: 1\n  c 2\n  d: 3\n")
    assert colon.line == 3, colon
    indent = error_of("hours:\n  - days: [Monday]\n    opens: \"08:00\"\n   closes: \"17:00\"\n")
    assert indent.line == 4, indent


def test_the_first_line_of_front_matter_is_counted():
    error = error_of_at("title: A\ntitle: B\n", first_line=2)
    assert error.line == 3


def error_of_at(text: str, first_line: int) -> StaffError:
    with pytest.raises(StaffError) as caught:
        parse_yaml(text, PATH, first_line)
    return caught.value


def test_not_utf8_names_the_line_of_the_bad_byte():
    with pytest.raises(StaffError) as caught:
        decode("name: A\ncity: Bogot\xe1\n".encode("latin-1"), PATH)
    assert caught.value.line == 2 and "not saved as UTF-8" in caught.value.problem and "0xE1" in caught.value.problem


def test_a_byte_order_mark_and_windows_line_ends_are_harmless(tmp_path):
    path = tmp_path / "a.yml"
    path.write_bytes("\ufeffname: A\r\ncity: B\r\n".encode())
    assert read_yaml(path).value == {"name": "A", "city": "B"}


def test_an_empty_file_stops(tmp_path):
    path = tmp_path / "a.yml"
    path.write_text("# only a comment\n")
    with pytest.raises(StaffError, match="the file is empty"):
        read_yaml(path)


def test_keys_are_shown_with_ids_or_entry_numbers():
    value = {"hours": [{"days": []}, {"opens": "x"}], "items": [{"id": "ptsd"}]}
    assert describe_key(("hours", 1, "opens"), value) == "hours[2].opens"
    assert describe_key(("items", 0, "name"), value) == "items.ptsd.name"
    assert describe_key((0, "name"), [{"id": "crps"}]) == "crps.name"


def test_front_matter_is_split_from_the_body():
    assert split_front_matter("---\ntitle: A\n---\n\n# A\n") == ("title: A\n", "\n# A\n", 5)
    assert split_front_matter("# No front matter\n") == (None, "# No front matter\n", 1)


@pytest.mark.parametrize(("text", "value"), [
    ("phone: (541)\u00a0555-0111\n", {"phone": "(541) 555-0111"}),  # in a value: a non-breaking space from Word
    ("address:\n  ci\u200bty: Boise\n", {"address": {"city": "Boise"}}),  # in a key: a zero-width space from a web page
    ("address:\n\u00a0 city: Boise\n  region: ID\n", {"address": {"city": "Boise", "region": "ID"}}),  # in an indentation
    ("note: a\u2009thin\u202fspace,\u2060a\ufeffjoiner\n", {"note": "a thin space,ajoiner"}),
    ('note: "a \\u00a0 typed as an escape stays"\n', {"note": "a \u00a0 typed as an escape stays"}),
    ("note: \U0001F469\u200d\u2695\ufe0f and \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\n",  # a joiner that means something
     {"note": "\U0001F469\u200d\u2695\ufe0f and \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"}),
], ids=["value", "key", "indentation", "other-spaces-and-zero-widths", "escape", "joiners-in-values"])
def test_pasted_invisible_spaces_read_as_plain_spaces_on_the_same_lines(text, value):
    document = parse_yaml(text, PATH)
    assert document.value == value
    assert max(document.lines.values()) == text.count("\n")  # the last key is still on its own line


def test_an_invisible_character_in_a_key_is_named_with_its_column():
    error = error_of("address:\n  ci\u200dty: Boise\n")
    assert (error.line, error.key) == (2, "address.city")
    assert "invisible character (U+200D ZERO WIDTH JOINER) at column 5" in error.problem and "type it again" in error.fix


LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{key}: &{key} [{', '.join([f'*{previous}'] * 9)}]\n" for previous, key in zip("abcdefgh", "bcdefghi", strict=True))


def test_a_file_that_would_expand_without_end_stops_at_its_first_anchor():
    error = error_of(LAUGHS)  # nine levels of nine aliases: a billion strings from 500 bytes
    assert (error.line, error.key) == (1, "a")
    assert "'&a' marks this value for reuse elsewhere in the file (a YAML anchor)" in error.problem
    assert "Write each value out in full where it is used" in error.fix


@pytest.mark.parametrize("text, line, key", [
    ("name: A\nnote: &co\n", 2, "note"),  # '&co' meant as text: YAML reads an anchor and an empty value
    ("hours:\n  - &weekday\n    opens: \"09:00\"\n  - *weekday\n", 2, "hours[1]"),
    ("a: !!str &x 5\nb: *x\n", 1, "a"),
])
def test_anchors_and_aliases_stop_wherever_they_are(text: str, line: int, key: str):
    error = error_of(text)
    assert (error.line, error.key) == (line, key), error
    assert "YAML anchor" in error.problem


def test_text_with_ampersands_and_stars_is_kept():
    assert parsed('a: Tom & Jerry\nb: R&D\nc: "&co"\nd: "*bold*"\ne: |\n  *Emphasis* & more\n') == {
        "a": "Tom & Jerry", "b": "R&D", "c": "&co", "d": "*bold*", "e": "*Emphasis* & more\n"}


@pytest.mark.parametrize("text", [
    "a: " + "[" * 90_000 + "]" * 90_000,  # libyaml's composer crashes the interpreter near this depth
    "a:\n" + "".join(" " * depth + f"k{depth}:\n" for depth in range(1, 40)),
], ids=["brackets", "indentation"])
def test_nesting_too_deep_stops_before_parsing(text: str):
    error = error_of(text)
    assert "nested more than 32 levels deep" in error.problem and error.line is not None


def test_a_file_too_large_to_be_a_staff_file_stops_before_parsing():
    error = error_of("note: x\n" * 30_000)
    assert error.line == 1 and "the file is 240 KB, more than any file of the site needs (at most 200 KB)" in error.problem
    assert parsed("a: " + "[" * 20 + "]" * 20) == {"a": [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}
