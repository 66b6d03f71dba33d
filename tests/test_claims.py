"""The claims policy the build enforces (hooks/clinic_site/claims.py, handbook/medical-content.md).

Pure functions first: how a citation's sentence is found and judged. Then each violation fed to a copy of the tiny
fixture project, checking the one staff-facing line `file:line: key: problem. fix`, and what the real sites must show.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from test_staff_mistakes import Row, append, both, edit, staff_message, write

from clinic_site import jsonld
from clinic_site.pages import claims
from clinic_site.schema import SPECIALTY_NAMES, Reference

CLINIC = "clinics/tiny/data/clinic.yml"
CONDITIONS = "clinics/tiny/data/conditions.yml"
REVIEWERS = "clinics/tiny/data/reviewers.yml"
REVIEWS = "clinics/tiny/data/reviews.yml"
FAQ = "data/faq.yml"
FACTS = "data/facts.yml"
HOME = "docs/index.md"

CRPS = Reference(id="cohen", authors="Cohen SP", title="Guidelines", source="Journal", year=2018, doi="10.1000/x",
                 supports=[{"claim": "Moderate evidence for CRPS.", "words": ["CRPS|complex regional"]},
                           {"claim": "Pain protocols use longer infusions.", "words": ["pain", "longer|hours"]}])


def lookup(reference_id: str) -> Reference:
    return CRPS


# How a citation's passage and sentence are read.

def test_sentences_split_plain_words_and_keep_abbreviations():
    assert claims.sentences("Dr. Lee saw **you**. See [the FAQ](faq.md) now: it helps. Then 0.5 mg/kg. Before a list:\n- One") == [
        "Dr. Lee saw you.", "See the FAQ" + claims.PAGE_LINK + " now: it helps.", "Then 0.5 mg/kg.", "Before a list:", "One"]


def test_a_citation_closes_the_passage_since_the_paragraph_or_the_last_citation():
    source = ('Intro line.\n\nCRPS eased in trials. Pain plans use longer drips.{{ cite("cohen") }} Next: '
              '{{ fact("f") }}{{ cite("x", "y") }}\n- A list item.{{ cite("z") }}\n')
    found = claims.citations(source, lambda fact_id: "A fact sentence.", first_line=10)
    assert [(c.line, c.ids) for c in found] == [(12, ("cohen",)), (12, ("x", "y")), (13, ("z",))]
    assert found[0].sentences == ("CRPS eased in trials.", "Pain plans use longer drips.")
    assert found[1].sentences == ("Next:", "A fact sentence.")
    assert found[2].sentences == ("A list item.",)
    assert found[0].key == "cite('cohen')"


def test_claim_words_are_all_needed_and_match_word_starts():
    assert claims.claim_matches(["pain", "longer|hours"], "Pain plans last several hours.")
    assert not claims.claim_matches(["pain", "longer|hours"], "Pain plans vary.")
    assert claims.claim_matches(["sensiti"], "Nerves become sensitized.")
    assert not claims.claim_matches(["ECT"], "Electric effects.")


@pytest.mark.parametrize(("sentence", "why"), [
    ("We offer it when other care has not helped.", "We"),
    ("Our doctor decides case by case.", "Our"),
    ("Call us to ask.", "us"),
    ("See the FAQ" + claims.PAGE_LINK + ".", "a link to a page"),
    ("Scroll sideways to see every column.", "Scroll"),
    ("Tiny Clinic treats pain.", "Tiny Clinic"),
])
def test_sentences_about_the_clinic_or_the_site(sentence, why):
    assert claims.about_clinic(sentence, ["Tiny Test Clinic", "Tiny Clinic"]) == why


@pytest.mark.parametrize("sentence", [
    "The US FDA approved it in 1970.", "Experts found moderate proof for CRPS.", "See a doctor if pain goes on.",
])
def test_research_sentences_are_not_about_the_clinic(sentence):
    assert claims.about_clinic(sentence, ["Tiny Test Clinic"]) is None


def judge(text: str) -> tuple[str, str] | None:
    (citation,) = claims.citations(text + '{{ cite("cohen") }}')
    return claims.citation_problem(citation, lookup, ["Tiny Clinic"])


def test_a_citation_on_a_supported_sentence_passes_and_a_follow_up_sentence_may_carry_it():
    assert judge("Experts found moderate proof for CRPS.") is None
    assert judge("Experts found moderate proof for CRPS. The relief lasted weeks.") is None


@pytest.mark.parametrize(("text", "words"), [
    ("Our doctor treats CRPS.", "a sentence about the clinic or this site ('Our'"),
    ("Ketamine is safe for everyone.", "cohen does not support \"Ketamine is safe for everyone.\""),
    ("CRPS was studied. Many more people came. The weather was fine.", "is about none of the claims its sources support"),
])
def test_citations_that_break_the_policy_say_why(text, words):
    problem = judge(text)
    assert problem is not None and words in problem[0]


@pytest.mark.parametrize(("sentence", "claim"), [
    ("Many of our patients feel better for up to 3 months after each infusion.", True),
    ("Our clinic reports that 7 in 10 of our patients respond.", True),
    ("We have seen many people recover.", True),
    ("Our doctor checks how you feel after each infusion.", False),
    ("In studies, many people felt better within a day.", False),
])
def test_a_clinic_outcome_claim_is_recognised(sentence, claim):
    assert claims.outcome_claim(sentence) is claim


def test_every_reference_lists_the_claims_it_may_support(clinic_data):
    assert all(reference.supports for reference in clinic_data.references)


def test_search_engines_are_not_told_a_case_by_case_rule_is_a_contraindication(clinic_data):
    listed = jsonld.medical_therapy(clinic_data, "https://x.example/")["contraindication"]
    case_by_case = [rule for rule in clinic_data.screening if rule.case_by_case]
    assert case_by_case and len(listed) == len(clinic_data.screening) - len(case_by_case)
    assert not any("bipolar" in text.lower() for text in listed)


def test_every_clinic_lists_a_qualified_clinician_for_each_kind_of_care_it_offers(clinic_data):
    for category_id in {condition.category for condition in clinic_data.conditions}:
        assert claims.qualified(clinic_data.reviewers, clinic_data.category(category_id)), category_id


# Each violation, fed to the tiny project: one staff-facing line that names the place and the fix.

OUTCOME = ("  outcomes:\n    - id: six-months\n      claim: Of 40 patients, 22 felt clearly better 3 months after their series.\n"
           "      measured: PHQ-9 score before and 12 weeks after the series\n      patients: 40\n"
           "      first_day: 2025-01-01\n      last_day: 2025-12-31\n      audited_by: Lakeside Quality Partners\n")


SESSION = ("---\ntitle: Your session\ndescription: A visit, step by step.\nhealth_page: false\n---\n\n# Your session\n\n"
           "A nurse stays with you.\n")


def with_outcome(record: str = OUTCOME) -> object:
    return both(append(CLINIC, record.replace("\n  ", "\n").removeprefix("  ")), write("docs/your-session.md", SESSION),
                edit("mkdocs.yml", "  - Contact: contact.md\n", "  - Contact: contact.md\n  - Session: your-session.md\n"))


def shows_record(site: Path) -> bool:
    page = site / "your-session" / "index.html"
    text = " ".join(LexborHTMLParser(page.read_text()).css_first("article").text(separator=" ").split())
    return all(part in text for part in ("22 felt clearly better 3 months", "What was measured: PHQ-9", "Patients: 40",
                                         "Dates: January 1, 2025 to December 31, 2025", "Checked by: Lakeside Quality Partners"))


ROWS = [
    # 1. A research source never sits on a sentence about the clinic, its services or this site.
    Row("source-on-a-clinic-sentence", append(HOME, '\nOur doctor checks you first.{{ cite("ref-one") }}\n'),
        f"{HOME}:18:", ("cite('ref-one'):", "a sentence about the clinic or this site ('Our'", "Move the citation"), command=True),
    Row("source-on-a-link", append(HOME, '\nRead the [questions](faq.md) about drips.{{ cite("ref-one") }}\n'),
        f"{HOME}:18:", ("cite('ref-one'):", "'a link to a page'",)),
    Row("source-on-a-clinic-sentence-in-an-answer", edit(FAQ, "    Most people pay for it themselves.",
                                                         '    We do not bill insurance.{{ cite("ref-two") }}'),
        f"{FAQ}:9:", ("cite('ref-two'):", "('We' in \"We do not bill insurance.\")")),
    # 2. Each source supports the sentence it sits on.
    Row("source-that-does-not-support-its-sentence", append(HOME, '\nKetamine cures every illness.{{ cite("ref-one") }}\n'),
        f"{HOME}:18:", ("cite('ref-one'):", "ref-one does not support \"Ketamine cures every illness.\"",
                        "A slow drip of a low dose eased pain", "references.yml lists its claims")),
    Row("evidence-note-its-source-does-not-support", edit(CONDITIONS, "    note: A few studies found relief for some weeks.",
                                                          "    note: It cures CRPS for good."),
        f"{CONDITIONS}:9:", ("crps.evidence.note:", "ref-one supports nothing this text says")),
    Row("a-fact-with-a-source-about-the-clinic", edit(FACTS, "Call the federal help desk", "Our help desk is the federal help desk. Call it"),
        f"{FACTS}:2:", ("help-desk.text:", "says something about the clinic or this site ('Our'", "Write it about the research only")),
    Row("a-fact-its-source-does-not-support", edit(FACTS, "  text: Call the federal help desk at 1-800-555-0100.",
                                                   "  text: Ketamine cures pain for good."),
        f"{FACTS}:2:", ("help-desk.text:", "ref-two supports nothing this text says")),
    Row("a-source-with-no-claims", edit("data/references.yml", "  supports:\n    - claim: The agency has not approved the medicine for pain.\n"
                                        "      words: [approved]\n    - claim: Pills change brain chemicals over weeks.\n"
                                        "      words: [\"weeks|brain\"]\n    - claim: The agency runs a federal help desk.\n"
                                        "      words: [help desk]\n", ""),
        "data/references.yml:10:", ("ref-two.supports:", "required key is missing")),
    Row("a-source-cited-with-an-unknown-id", append(HOME, '\nSome drips help.{{ cite("ref-three") }}\n'),
        f"{HOME}:18:", ("cite('ref-three'):", "no reference with the id 'ref-three'", "Use one of: ref-one, ref-two")),
    # 3. A clinic's own results only beside their outcome record.
    Row("clinic-outcome-claim-in-a-page", append(HOME, "\nMany of our patients feel better for up to 3 months.\n"),
        f"{HOME}:18:", ("states this clinic's own results, with no outcome record beside it", "add it to clinic.yml under outcomes",
                        "on the session page")),
    Row("clinic-outcome-claim-in-an-answer", edit(FAQ, "    Most people pay for it themselves.",
                                                  "    Most people pay. 8 in 10 of our patients improve."),
        f"{FAQ}:9:", ("cost.answer:", "states this clinic's own results")),
    Row("clinic-outcome-claim-in-clinic-data", edit(CLINIC, "      maintenance: Some people come back later for one more infusion.",
                                                    "      maintenance: Our patients feel better for months."),
        f"{CLINIC}:44:", ("maintenance:", "states this clinic's own results")),
    Row("old-reported-benefit-setting", edit(CLINIC, "    - category: pain\n", "    - category: pain\n      reported_benefit_months: 3\n"),
        f"{CLINIC}:39:", ("policies.plans", "reported_benefit_months states your patients' results", "outcomes:")),
    Row("outcome-record-without-auditor", with_outcome(OUTCOME.replace("      audited_by: Lakeside Quality Partners\n", "")),
        f"{CLINIC}:", ("outcomes.six-months.audited_by:", "required key is missing", "outside the team")),
    Row("outcome-record-not-over-yet", with_outcome(OUTCOME.replace("last_day: 2025-12-31", "last_day: 2999-12-31")),
        f"{CLINIC}:", ("outcomes[1].last_day:", "in the future")),
    Row("outcome-record-shown-beside-its-claim", with_outcome(), builds=True, check=shows_record, command=True),
    # 4. Reviewers fit the page; a clinic that offers a kind of care lists a clinician qualified in it.
    Row("mental-health-page-reviewed-by-an-anesthesiologist-only", edit(REVIEWS, "reviewed_by: [tester, psych]", "reviewed_by: [tester]"),
        f"{REVIEWS}:2:", ("[1].reviewed_by:", "index.md is about mental health conditions", "tester (anesthesiology)",
                          "a clinician in psychiatry")),
    Row("pain-page-reviewed-by-a-psychiatrist-only", edit(REVIEWS, "reviewed_by: [tester, psych]", "reviewed_by: psych"),
        f"{REVIEWS}:2:", ("[1].reviewed_by:", "is about pain conditions", "anesthesiology or pain medicine")),
    Row("mental-health-care-without-a-mental-health-clinician", edit(REVIEWERS, "  specialty: psychiatry", "  specialty: nursing"),
        f"{CONDITIONS}:12:", ("ptsd.category:", "treats mental health conditions, but its team (reviewers.yml) lists no clinician",
                              "Add that clinician")),
    Row("specialty-not-in-the-list", edit(REVIEWERS, "  specialty: psychiatry", "  specialty: psychiatrist"),
        f"{REVIEWERS}:9:", ("psych.specialty:", "'psychiatrist' is not one of the choices", "Did you mean 'psychiatry'?")),
    # 5. A fact every visitor needs is on a page no clinic may leave out.
    Row("must-have-fact-missing-from-its-page", edit(FACTS, "  as_of: 2026-01-01", "  as_of: 2026-01-01\n  must_show_on: faq.md"),
        "docs/faq.md:8:", ("help-desk:", "this page must show the fact help-desk", "Write {{ fact(\"help-desk\") }}")),
    Row("must-have-fact-page-left-out", both(
        write("docs/extra.md", "---\ntitle: Extra\ndescription: Extra facts.\nhealth_page: false\n---\n\n# Extra\n\n{{ fact(\"help-desk\") }}\n"),
        edit("mkdocs.yml", "  - Contact: contact.md\n", "  - Contact: contact.md\n  - Extra: extra.md\n"),
        edit(FACTS, "  as_of: 2026-01-01", "  as_of: 2026-01-01\n  must_show_on: extra.md"),
        write("clinics/tiny/data/pages.yml", "leave_out:\n  - extra.md\n")),
        "clinics/tiny/data/pages.yml:2:", ("leave_out[1]:", "extra.md cannot be left out: it carries a fact every visitor needs")),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_claims_policy(row: Row, tiny: Path, tmp_path: Path):
    staff_message(row, tiny.parent, tmp_path / "site")


# What every clinic's real site shows.

def test_the_team_page_lists_each_clinician_with_their_specialty(clinic, site):
    text = " ".join(LexborHTMLParser((site / "our-team" / "index.html").read_text()).css_first("article").text().split())
    for reviewer in clinic.data.reviewers:
        assert reviewer.name in text and f"Specialty: {SPECIALTY_NAMES[reviewer.specialty].lower()}" in text, reviewer.id


def test_each_must_have_fact_is_on_its_page_for_every_clinic(clinic, site):
    required = [fact for fact in clinic.data.facts if fact.must_show_on]
    assert required, "no fact is marked must_show_on"
    for fact in required:
        page = site / fact.must_show_on.removesuffix(".md") / "index.html"
        text = " ".join(LexborHTMLParser(page.read_text()).css_first("article").text().split())
        assert " ".join(fact.text.split()) in text, fact.id


@pytest.mark.parametrize(("line", "page", "problem"), [
    ("Relief lasted up to about 12 weeks.", "They found relief for up to about 12 weeks.{{ cite('a') }}", None),
    ("55 in 100 were clearly better.", "About 55 in 100 people were clearly better.<sup>[1]</sup>", None),
    ("Relief lasted up to 12 weeks.", "They found relief for up to about 120 weeks.", "'12' is in the summary"),
    ("About 1.5 hours.", "It takes about 1 hour.", "'1.5' is in the summary"),
    ("Most people feel better.", "Most side effects pass.", None),  # no number, no clinic subject: left to the editor
    ("Many of our patients feel better for months.", "Many of our patients feel better.", "states this clinic's own results"),
])
def test_a_summary_line_restates_its_page(line, page, problem):
    found = claims.summary_line_problem(line, page)
    assert (found is None) if problem is None else (found is not None and problem in found[0]), found


def test_each_summary_line_is_found_at_its_own_line():
    source = "---\ntitle: A\nsummary:\n  - First line.\n  - Second line.\n  - Third line.\n---\n\n# A\n"
    assert claims.summary_item_lines(source, 8, ["First line.", "Second line.", "Third line."]) == [4, 5, 6]
    assert claims.summary_item_lines("---\nsummary: [A., B., C.]\n---\nx\n", 4, ["A.", "B.", "C."]) == [2, 2, 2]
