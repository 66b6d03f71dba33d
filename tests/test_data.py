"""data/ (load, references, messages): every clinic's data loads; each mistake in it stops with `file:line: key: problem. fix`.

These tests load a copy of the tiny fixture project's data (tests/fixtures/tiny) and change one thing;
the build-level versions of the same mistakes are in test_staff_mistakes.py.
"""

from __future__ import annotations

import re
import shutil
import typing
from pathlib import Path

import pytest
from conftest import FIXTURES

from clinic_site.data.load import load_clinic_data
from clinic_site.errors import StaffError

SHAPE = re.compile(r"^\S+\.yml:\d+: \S+: [^.]+.*\. \S.*$")


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    """A copy of the tiny project's data: its clinic folder; the shared data is beside it in data/."""
    root = Path(shutil.copytree(FIXTURES / "tiny", tmp_path / "tiny", ignore=shutil.ignore_patterns("docs")))
    return root


def load(root: Path):
    return load_clinic_data(root / "clinics" / "tiny", root / "data")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def error_of(root: Path) -> StaffError:
    with pytest.raises(StaffError) as caught:
        load(root)
    return caught.value


def test_each_clinic_loads(clinic_data):
    assert clinic_data.clinic.name and clinic_data.conditions and clinic_data.reviews


def test_the_tiny_project_loads(tiny_data):
    data = load(tiny_data)
    assert [c.id for c in data.conditions] == ["crps", "ptsd"]
    assert data.clinic.hours[0].opens.hour == 9


CLINIC = "clinics/tiny/data/clinic.yml"
CONDITIONS = "clinics/tiny/data/conditions.yml"


@pytest.mark.parametrize(("file", "old", "new", "line", "key", "words"), [
    (CLINIC, "  region: ID", "  region: Idaho", 8, "address.region", "Write its two-letter code, ID"),
    (CLINIC, '  postal_code: "83702"', "  postal_code: 8370", 9, "address.postal_code", "5 digits"),
    (CLINIC, "phone: (208) 555-0199", "phone: 208-555-01", 3, "phone", "area code, for example (503) 555-0100"),
    (CLINIC, "    amount: 500", "    amount: $500", 17, "prices[1].amount", "not a whole number"),
    (CLINIC, "    premedication: false", "    premedication: maybe", 34, "policies.session.premedication", "true or false"),
    (CLINIC, "    closes: \"17:00\"", "    closes: 5:00", 13, "hours[1].closes", "Use 24-hour times"),
    (CLINIC, "    opens: \"09:00\"", "    opens: nine", 12, "hours[1].opens", "24-hour form in quotes"),
    (CLINIC, "email: hello@tiny.example\n", "", 1, "email", "required key is missing. Add email:"),
    (CLINIC, "name: Tiny Test Clinic", "name: Tiny Test Clinic\nphnoe: 1", 2, "phnoe", "not a known key"),
    (CLINIC, "name: Tiny Test Clinic", "name:", 1, "name", "the value is empty"),
    (CLINIC, "  methods: [credit-card]", "  methods: [card]", 19, "payment.methods[1]", "Use one of: cash, check"),
    (CLINIC, "  - days: [Monday, Tuesday]", "  - days: [Monday, Tuesday]\n    opens: \"10:00\"\n    closes: \"12:00\"\n  - days: [Tuesday]", 10,
     "hours", "Tuesday is in hours entry 1 and entry 2"),
    (CONDITIONS, "  category: pain", "  category: pian", 4, "crps.category", "Did you mean 'pain'?"),
    (CONDITIONS, "    source: ref-one\n    note: A few", "    source: ref-1\n    note: A few", 8, "crps.evidence.source", "there is no reference"),
    (CONDITIONS, "  name: PTSD", "  name: Complex regional pain syndrome", 11, "ptsd.name", "already listed as the condition 'crps'"),
    (CONDITIONS, "- id: ptsd", "- id: crps", 10, "crps.id", "used twice"),
    (CONDITIONS, "  description: Strong, lasting pain in an arm or leg.", "  description: <b>Strong</b> pain.", 5, "crps.description", "HTML is not allowed"),
    (CONDITIONS, "  description: Strong, lasting pain in an arm or leg.", "  description: See [this](javascript:alert(1)).", 5,
     "crps.description", "the link 'javascript:alert(1)' is not allowed"),
    ("clinics/tiny/data/reviews.yml", "  reviewed_by: [tester", "  reviewed_by: [dr-who", 2, "[1].reviewed_by[1]", "no reviewer with the id 'dr-who'"),
    ("clinics/tiny/data/reviews.yml", "  next_review: 2026-07-15", "  next_review: 2025-07-15", 4, "[1].next_review", "before last_reviewed"),
    ("data/faq.yml", "- id: cost", "- id: cost\n  cites: [ref-one]", 7, "cost.cites", "'cites' is not a known key"),
    ("data/faq.yml", "- id: cost", "- id: cost\n  when: payment.fre_consultation", 7, "cost.when", "not a setting in clinic.yml"),
], ids=lambda value: value if isinstance(value, str) and " " not in value and "/" not in value else None)
def test_a_data_mistake_names_file_line_key_and_fix(tiny_data, file, old, new, line, key, words):
    edit(tiny_data / file, old, new)
    error = error_of(tiny_data)
    assert error.file.endswith(file), error
    assert (error.line, error.key) == (line, key), str(error)
    assert words in str(error)
    assert SHAPE.match(str(error)), f"not in the shape file:line: key: problem. fix: {error}"


def test_an_empty_list_says_so(tiny_data):
    (tiny_data / CONDITIONS).write_text("[]\n")
    assert "the list is empty" in str(error_of(tiny_data))


def test_a_placeholder_left_in_stops(tiny_data):
    edit(tiny_data / CLINIC, "phone: (208) 555-0199", 'phone: "FILL IN: your phone number, such as (503) 555-0100"')
    error = error_of(tiny_data)
    assert (error.line, error.key) == (3, "phone") and "still the placeholder" in error.problem


def test_a_missing_or_misspelt_file_is_named(tiny_data):
    (tiny_data / "clinics/tiny/data/reviews.yml").rename(tiny_data / "clinics/tiny/data/review.yml")
    error = error_of(tiny_data)
    assert error.file.endswith("review.yml") and "Did you mean reviews.yml?" in error.fix


def test_a_clinic_file_replaces_the_shared_one(tiny_data):
    (tiny_data / "clinics/tiny/data/screening.yml").write_text("- id: own\n  text: The clinic's own rule.\n")
    assert [rule.id for rule in load(tiny_data).screening] == ["own"]


def test_a_page_listed_in_two_review_records_stops(tiny_data):
    path = tiny_data / "clinics/tiny/data/reviews.yml"
    path.write_text(path.read_text() + "- pages: [faq.md]\n  reviewed_by: tester\n  last_reviewed: 2026-02-01\n  next_review: 2026-08-01\n")
    error = error_of(tiny_data)
    assert error.line == 5 and "listed in two review records (the other on line 1)" in error.problem


# A character pasted from Word or a web page that cannot be seen.

def test_an_invisible_character_in_a_refused_value_is_named(tiny_data):
    edit(tiny_data / CLINIC, "phone: (208) 555-0199", "phone: (208) 555-0199\u200d")
    error = error_of(tiny_data)
    assert (error.line, error.key) == (3, "phone")
    assert "it has an invisible character (U+200D ZERO WIDTH JOINER) after '08) 555-0199'" in error.problem
    assert error.fix.startswith("Delete the value and type it again by hand.")


# Phone numbers and email addresses: every common way of writing a right one loads; each wrong one says what is wrong.

@pytest.mark.parametrize("phone", ["(541) 555-0111", "+1 541 555 0111", "1-541-555-0111", "1 (541) 555-0111", "541-555-0111",
                                   "541.555.0111", "5415550111", "+1 (541) 555-0111", "(541)555-0111"])
def test_a_us_phone_in_any_common_form_loads_and_is_shown_one_way(tiny_data, phone):
    edit(tiny_data / CLINIC, "phone: (208) 555-0199", f"phone: {phone}")
    clinic = load(tiny_data).clinic
    assert (clinic.phone, clinic.phone_e164) == ("(541) 555-0111", "+15415550111")


@pytest.mark.parametrize(("phone", "words"), [
    ("555-0111", "has 7 digits, too few for a US number with its area code. Write all 10 digits, starting with the area code"),
    ("(541) 555-0111 ext. 2", "has an extension, which a tap-to-call link cannot dial. Write the main number only"),
    ("(208) 555-CARE", "has 'CARE' in it, and a phone number is digits only"),
    ("\U0001F4DE (541) 555-0111", "has '\U0001F4DE' in it"),
    ("+44 20 7946 0958", "has 12 digits, and a US number has 10 (11 with 1 in front)"),
    ("(541 555-0111", "has its brackets, dashes or spaces in unusual places. Write it as (503) 555-0100"),
], ids=["no-area-code", "extension", "letters", "emoji", "too-many-digits", "odd-brackets"])
def test_a_wrong_phone_says_what_is_wrong(tiny_data, phone, words):
    edit(tiny_data / CLINIC, "phone: (208) 555-0199", f"phone: {phone}")
    error = error_of(tiny_data)
    assert (error.line, error.key) == (3, "phone") and words in str(error), str(error)
    assert SHAPE.match(str(error)), str(error)
    if "too few" not in words:
        assert "area code" not in str(error), "it has its area code"


@pytest.mark.parametrize(("email", "words"), [
    ("mailto:hello@tiny.example", "starts with 'mailto:', which the site adds itself to email links"),
    ('"hello @tiny.example"', "has a space in it"),
    ("hello@@tiny.example", "has 2 @ signs, and an address has one"),
    ("hello.tiny.example", "has no @"),
    ("hello@tiny.example.", "ends with a period"),
    ("hello@tiny", "has no dot after the @ (in 'tiny')"),
    ("hello@tiny..example", "is not an email address"),
], ids=["mailto", "space", "two-at-signs", "no-at-sign", "trailing-period", "no-dot", "two-dots"])
def test_a_wrong_email_says_what_is_wrong(tiny_data, email, words):
    edit(tiny_data / CLINIC, "email: hello@tiny.example", f"email: {email}")
    error = error_of(tiny_data)
    assert (error.line, error.key) == (4, "email") and words in error.problem, str(error)
    assert error.fix == "Write the address only, for example care@yourclinic.com."


def test_an_email_in_capitals_or_with_a_plus_loads(tiny_data):
    edit(tiny_data / CLINIC, "email: hello@tiny.example", "email: Front.Desk+New@Tiny-Clinic.Example")
    assert load(tiny_data).clinic.email == "Front.Desk+New@Tiny-Clinic.Example"


# Text the site fills in: only the names it fills.

def test_a_placeholder_the_site_does_not_fill_in_stops_at_its_line(tiny_data):
    edit(tiny_data / "data/crisis.yml", "{phone}", "{phone_number}")
    error = error_of(tiny_data)
    assert error.file.endswith("data/crisis.yml") and (error.line, error.key) == (7, "not_monitored"), str(error)
    assert "'{phone_number}' is not one of the names the site fills in here" in error.problem and error.fix == "Use {phone} or {email}."


def test_a_placeholder_in_a_block_of_text_is_found_on_its_own_line(tiny_data):
    edit(tiny_data / "data/crisis.yml", 'not_monitored: "Our phone line, {phone}, and our email, {email}, are not watched around the clock."',
         "not_monitored: |\n  Our phone line, {phone}, and our email,\n  {e-mail}, are not watched around the clock.")
    assert error_of(tiny_data).line == 9


def test_text_without_placeholders_loads_and_a_macro_in_it_stops(tiny_data):
    """The site fills in {phone} and {email}; nothing renders a {{ macro }} in data text, so it would show as typed."""
    edit(tiny_data / "data/crisis.yml", "Our phone line, {phone}, and our email, {email}, are", "Our phone and email are")
    assert load(tiny_data).crisis.not_monitored.startswith("Our phone and email are")
    edit(tiny_data / "data/crisis.yml", "Our phone and email are", "Our phone and {{ email }} are")
    assert "does not work here" in str(error_of(tiny_data))


# Numbers that would make nonsense of a sentence.

@pytest.mark.parametrize(("old", "new", "line", "key", "words"), [
    ("    observation_minutes: 30", "    observation_minutes: 0", 33, "policies.session.observation_minutes",
     "0 is too small. Use a number of at least 15."),
    ("    hours: 3", "    hours: 0", 26, "policies.fasting.hours", "0 is too small. Use a number of at least 1."),
])
def test_a_number_that_makes_nonsense_of_its_sentence_stops(tiny_data, old, new, line, key, words):
    edit(tiny_data / CLINIC, old, new)
    error = error_of(tiny_data)
    assert (error.line, error.key) == (line, key) and words in str(error), str(error)


def test_a_day_written_twice_in_one_hours_entry_says_so(tiny_data):
    edit(tiny_data / CLINIC, "  - days: [Monday, Tuesday]", "  - days: [Monday, Monday, Tuesday]")
    error = error_of(tiny_data)
    assert (error.line, error.key) == (11, "hours[1].days"), str(error)
    assert str(error).endswith("hours[1].days: Monday is written twice in this entry's days. Write each day once.")


def test_every_reference_in_the_schema_is_checked_with_its_line_and_a_suggestion(tiny_data):
    """For each reference the schema marks (schema.RefersTo), one value in the tiny project misspelt stops the build
    at that value's file, line and key, naming the value; an id also gets a did-you-mean. A new reference field is
    tested here with no new row; the tiny project must hold a value for it."""
    from clinic_site.data.references import relations, values_at
    from clinic_site.errors import shown_path
    from clinic_site.yamlfile import describe_key

    data = load(tiny_data)
    assert len(relations()) >= 8, relations()
    for relation in relations():
        found = next(values_at(getattr(data, relation.file.removesuffix(".yml")), relation.path), None)
        assert found is not None, f"the tiny project has no value for {relation}: add one to tests/fixtures/tiny"
        loc, wanted = found
        document = data.documents[relation.file]
        line = document.line(loc)
        lines = document.path.read_text().splitlines(keepends=True)
        assert wanted in lines[line - 1], (relation, lines[line - 1])
        original = document.path.read_text()
        lines[line - 1] = lines[line - 1].replace(wanted, wanted + "x", 1)
        document.path.write_text("".join(lines))
        error = error_of(tiny_data)
        document.path.write_text(original)
        assert (error.file, error.line, error.key) == (shown_path(document.path), line, describe_key(loc, document.value)), (relation, str(error))
        assert f"'{wanted}x'" in error.problem, (relation, str(error))
        if relation.target.by == "id":
            assert f"there is no {relation.target.kind} with the id" in error.problem and f"Did you mean '{wanted}'?" in error.fix, str(error)


def test_every_id_field_but_an_entrys_own_is_a_marked_reference():
    """An Id-typed field other than `id` names another entry: without a RefersTo mark nothing would check it."""
    from clinic_site.data.references import EACH, relations
    from clinic_site.schema import FILES, ID_PATTERN, nested_model, unwrap

    marked = {(relation.file, tuple(part for part in relation.path if part != EACH)) for relation in relations()}
    unmarked = []

    def walk(file, model, prefix):
        for name, info in model.model_fields.items():
            kind, metadata, _ = unwrap(info.annotation)
            if typing.get_origin(kind) is list:
                kind, metadata, _ = unwrap(typing.get_args(kind)[0])
            metadata = [*info.metadata, *metadata]
            if name != "id" and any(getattr(item, "pattern", None) == ID_PATTERN for item in metadata) and (file, (*prefix, name)) not in marked:
                unmarked.append(f"{file}: {'.'.join((*prefix, name))}")
            if (inner := nested_model(kind)) is not None:
                walk(file, inner, (*prefix, name))

    for file, known in FILES.items():
        walk(file, known.model, ())
    assert not unmarked, f"Id fields with no RefersTo mark (say which file's ids they hold): {unmarked}"
