"""The claims policy, as the build enforces it: pure functions from texts and data to StaffErrors.

1. A citation supports the sentence it sits on. Each reference in references.yml lists the claims it
   may support, each with words a sentence about it contains (`words`; "ECT|electroconvulsive" means
   either). The passage a citation closes (from the previous citation, or the start of its paragraph or
   list item) must hold, for every source cited, a sentence with all the words of one of its claims; and
   the sentence the mark sits on must be about a claim of one of them.
2. No source sits on a sentence about the clinic, its services, prices or this site ("we", "our",
   the clinic's name, a link to a page, "this page"): no study can support what a clinic does.
3. A clinic's own outcome claim ("many of our patients feel better for months") appears only through
   its outcome record (clinic.yml `outcomes`, shown with its record on the session page): typed anywhere
   else, it stops the build.
4. Reviewers fit the page: a page about a category's conditions (its names, its words, and for
   categories with crisis help the crisis triggers) is reviewed by at least one clinician whose
   specialty the category lists; a clinic that treats a category's conditions lists such a clinician.

Sentences are read from the source as staff wrote it (Jinja tags removed, each {{ fact() }} replaced by
its text), so every message names the line staff wrote.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..crisis import discusses_mental_health, terms_pattern
from ..errors import Problem, StaffError
from ..schema import SPECIALTY_NAMES, Category, Reference, Reviewer
from ..yamlfile import describe_key, texts

CITE = re.compile(r"\{\{-?\s*cite\((?P<args>[^)]*)\)\s*-?\}\}")
FACT = re.compile(r"""\{\{-?\s*fact\(\s*["'](?P<id>[^"']+)["']\s*\)\s*-?\}\}""")
OTHER_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
QUOTED = re.compile(r"""["']([^"']+)["']""")
# Where a paragraph, list item, heading, table row or definition starts: a citation never reaches back past one.
BLOCK_START = re.compile(r"\n[ \t]*\n|\n[ \t]*(?:[-*+]|\d+\.)[ \t]+|\n[ \t]*#{1,6}[ \t]|\n[ \t]*\||\n:[ \t]|\n!!!|\n\s*\{[^}\n]*\}\s*(?=\n)")
LINK = re.compile(r"!?\[([^\]]*)\]\(([^)]*)\)")
PAGE_LINK = "\x02"  # marks the words of a link to a page of this site, in a plain sentence
TAG = re.compile(r"<[^>]+>")
ATTRS = re.compile(r"\{[:.#][^}]*\}|\{ *\.[^}]*\}")
ABBREVIATIONS = re.compile(r"\b(Dr|Mr|Mrs|Ms|St|vs|e\.g|i\.e|etc|No|Vol|al)\.", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?:])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9$])")

# A sentence about the clinic, its services, prices or this site: first person, a link, the site's own parts.
FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Ww]e're|[Ww]e've|[Oo]ur|[Oo]urs|us)\b")
SITE_WORDS = re.compile(PAGE_LINK + r"|\b(?:this (?:page|site|article|table)|scroll|click|tap (?:a|the)|select a)\b", re.IGNORECASE)
# A clinic's own outcome claim: the clinic's patients or results, and what happened to them.
CLINIC_SUBJECT = re.compile(r"\b(?:our|the clinic's|the center's) (?:patients|clients|results|outcomes|success|response rate)\b"
                            r"|\bwe(?:'ve| have)? (?:seen|helped)\b|\bof (?:those|people|patients) we (?:treat|treated|see|saw)\b",
                            re.IGNORECASE)
OUTCOME_WORDS = re.compile(r"\b(?:better|improv\w*|relie\w*|benefit\w*|respond\w*|response|remission|success\w*|recover\w*|"
                           r"pain-free|symptom-free|well again|\d+ ?(?:%|percent|in \d+)|months?|weeks?|years?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    """One citation as staff wrote it: where, which sources, and the passage it closes (plain sentences)."""

    line: int
    ids: tuple[str, ...]
    sentences: tuple[str, ...]
    name: str | None = None  # the data key it belongs to (conditions, facts, the comparison table); None for a cite() call
    context: str = ""  # what the text is about, read with each sentence: a condition's names for its evidence note

    @property
    def sentence(self) -> str:
        return self.sentences[-1] if self.sentences else ""

    @property
    def key(self) -> str:
        return "cite(" + ", ".join(map(repr, self.ids)) + ")"  # as a macro's own messages name the call


def plain(text: str) -> str:
    """The words of a bit of Markdown: links as their text, no tags, emphasis marks or attribute lists."""
    text = LINK.sub(lambda m: m.group(1) + ("" if re.match(r"\s*<?(?:https?:|tel:|sms:|mailto:)", m.group(2)) else PAGE_LINK), text)
    text = TAG.sub(" ", ATTRS.sub(" ", text))
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?m)^\s*(?:[-*+]|\d+\.)\s+(?:\[[ xX]\]\s*)?", " ", text)
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """Plain sentences; a colon before a list ends one too. Abbreviations such as 'Dr.' do not."""
    protected = ABBREVIATIONS.sub(lambda match: match.group(0).replace(".", "\x01"), plain(text))
    return [part.replace("\x01", ".").strip() for part in SENTENCE_END.split(protected) if part.strip()]


def _blank(match: re.Match) -> str:
    """A macro or tag replaced by nothing, keeping its line breaks so line numbers stay right."""
    return "\n" * match.group(0).count("\n")


def citations(source: str, facts: Callable[[str], str] | None = None, first_line: int = 1) -> list[Citation]:
    """Every {{ cite(...) }} in a page's or answer's source, with the passage it closes.

    `facts(id)` gives a fact's text, so a sentence written around {{ fact("...") }} reads whole.
    """
    found: list[Citation] = []
    marks = list(CITE.finditer(source))
    previous_end = 0
    for mark in marks:
        before = source[previous_end:mark.start()]
        start = 0
        for block in BLOCK_START.finditer("\n" + before):
            start = max(0, block.end() - 1)
        passage = before[start:]
        if facts:
            passage = FACT.sub(lambda m: " " + facts(m.group("id")) + " ", passage)
        passage = CITE.sub(" ", OTHER_MACRO.sub(lambda m: "X" if m.group(0).startswith("{{") else _blank(m), passage))
        ids = tuple(QUOTED.findall(mark.group("args")))
        line = first_line + source.count("\n", 0, mark.start())
        found.append(Citation(line, ids, tuple(sentences(passage))))
        previous_end = mark.end()
    return found


# Which claims a source supports.

@functools.lru_cache(maxsize=4096)
def word_pattern(entry: str) -> re.Pattern:
    """An entry of a claim's words, 'a|b': either part, as the start of a word, in any case (compiled once per entry)."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(part.strip()) for part in entry.split("|")) + ")", re.IGNORECASE)


def claim_matches(words: Iterable[str], sentence: str) -> bool:
    """Every entry of `words` is in the sentence: each entry is 'a|b' (either), each word matching any word it starts."""
    return all(word_pattern(entry).search(sentence) for entry in words)


def supports(reference: Reference, sentence: str) -> bool:
    return any(claim_matches(claim.words, sentence) for claim in reference.supports)


@functools.lru_cache(maxsize=64)
def name_pattern(name: str) -> re.Pattern:
    return re.compile(r"\b" + re.escape(name) + r"\b")


def about_clinic(sentence: str, clinic_names: Iterable[str]) -> str | None:
    """Why a sentence is about the clinic or this site (the words that show it), or None."""
    for pattern in (FIRST_PERSON, SITE_WORDS):
        if match := pattern.search(sentence):
            return match.group(0).replace(PAGE_LINK, "a link to a page").strip()
    for name in clinic_names:
        if name and name_pattern(name).search(sentence):
            return name
    return None


def short(sentence: str, limit: int = 90) -> str:
    sentence = sentence.replace(PAGE_LINK, "")
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def claims_list(reference: Reference) -> str:
    return "; ".join(claim.claim.rstrip(".") for claim in reference.supports)


def citation_problem(citation: Citation, lookup: Callable[[str], Reference], clinic_names: Iterable[str]) -> tuple[str, str] | None:
    """(problem, fix) for a citation that breaks the policy, or None."""
    sentence = citation.sentence
    if not sentence:
        return ("a citation opens its paragraph or list item, so it sits on no sentence",
                "Put it right after the sentence the source supports.")
    if why := about_clinic(sentence, clinic_names):
        return (f"a source sits on a sentence about the clinic or this site ('{why}' in \"{short(sentence)}\"), and no study "
                "can support what a clinic does or where a page is",
                "Move the citation to the sentence about the research, or remove it here.")
    references = [lookup(reference_id) for reference_id in citation.ids]
    for reference in references:
        if not any(supports(reference, one) for one in citation.sentences):
            return (f"{reference.id} does not support \"{short(sentence)}\": none of the sentences it closes is about what "
                    f"this source supports ({short(claims_list(reference), 160)})",
                    f"Cite a source that supports the sentence, or write it about what {reference.id} found "
                    f"(references.yml lists its claims and their words).")
    # The sentence it sits on, or the one before it when that one carries the claim ("It found ... . This was the first.").
    if not any(supports(reference, one) for reference in references for one in citation.sentences[-2:]):
        return (f"the sentence the citation sits on (\"{short(sentence)}\") is about none of the claims its sources support",
                "Put the citation right after the sentence its sources support, or remove it here.")
    return None


# A clinic's own outcome claims.

def outcome_claim(sentence: str) -> bool:
    return bool(CLINIC_SUBJECT.search(sentence) and OUTCOME_WORDS.search(sentence))


def outcome_claims(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(line, sentence) for each sentence of `text` that states the clinic's own results."""
    cleaned = OTHER_MACRO.sub(lambda m: "X" if m.group(0).startswith("{{") else _blank(m), text)
    for number, line in enumerate(cleaned.split("\n"), start=first_line):
        for sentence in sentences(line):
            if outcome_claim(sentence):
                yield number, sentence


OUTCOME_FIX = ("A clinic's own results may be published only beside their outcome record: add it to clinic.yml under "
               "outcomes (what was measured, how many patients, the dates, who audited it); the site shows it with its record "
               "on the session page. Otherwise remove the sentence")


def outcome_error(path: Path, line: int, key: str | None, sentence: str) -> StaffError:
    return StaffError(path, line, key, f"\"{short(sentence)}\" states this clinic's own results, with no outcome record "
                      "beside it; a disclaimer does not make it a fair claim", OUTCOME_FIX + ".")


# Reviewers and clinicians fit the topic.

def qualified(reviewers: Iterable[Reviewer], category: Category) -> list[Reviewer]:
    return [reviewer for reviewer in reviewers if reviewer.specialty in category.reviewer_specialties]


def specialties_wanted(category: Category) -> str:
    names = [SPECIALTY_NAMES[specialty].lower() for specialty in category.reviewer_specialties]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def review_fit_problem(uri: str, topics: Iterable[Category], reviewers: list[Reviewer]) -> tuple[str, str] | None:
    for category in topics:
        if not qualified(reviewers, category):
            named = ", ".join(f"{r.id} ({SPECIALTY_NAMES[r.specialty].lower()})" for r in reviewers)
            return (f"{uri} is about {category.name.lower()}, but no reviewer of its record is qualified in it (reviewed by {named})",
                    f"Have a clinician in {specialties_wanted(category)} check the page, then add their id to reviewed_by.")
    return None


def outcome_record_problem(first_day: date, last_day: date, today: date) -> str | None:
    if last_day > today:
        return f"the record's last_day ({last_day}) is in the future, so the results are not all in yet"
    return None


# Gathering every citation of one clinic's site: pages, FAQ answers and the data texts the pages show with sources.

@dataclass(frozen=True)
class Place:
    path: Path
    citations: tuple[Citation, ...]
    whole: bool = False  # a data text shown with its sources: they support it as a whole; no sentence may be about the clinic


def data_citation(line: int, key: str, ids: Iterable[str], text: str, context: str = "") -> Citation:
    return Citation(line, tuple(ids), tuple(sentences(text)), key, context)


def gather(data, records: dict) -> list[Place]:
    """Every citation of the site: each page's cite() calls, the FAQ's, and the data texts shown with their sources."""
    fact_text = {fact.id: fact.text for fact in data.facts}

    def facts(fact_id: str) -> str:
        return fact_text.get(fact_id, "")

    places = []
    for _, record in sorted(records.items()):
        body = "\n".join(record.source.splitlines()[record.body_line - 1:])
        places.append(Place(record.path, tuple(citations(body, facts, record.body_line))))
    faq = data.documents["faq.yml"]
    for index, entry in enumerate(data.faq):
        places.append(Place(faq.path, tuple(citations(entry.answer, facts, faq.line((index, "answer")) + 1))))
    conditions = data.documents["conditions.yml"]
    places.append(Place(conditions.path, tuple(
        data_citation(conditions.line((index, "evidence", "note")), f"{c.id}.evidence.note", c.evidence.source, c.evidence.note,
                      " ".join(filter(None, (c.name, c.also_called))))
        for index, c in enumerate(data.conditions)), whole=True))
    facts_file = data.documents["facts.yml"]
    places.append(Place(facts_file.path, tuple(
        data_citation(facts_file.line((index, "text")), f"{fact.id}.text", fact.cites, fact.text)
        for index, fact in enumerate(data.facts) if fact.cites), whole=True))
    treatment = data.documents["treatment.yml"]
    note = data.treatment.off_label
    places.append(Place(treatment.path, (data_citation(treatment.line(("off_label", "text")), "off_label.text", note.cites, note.text),),
                        whole=True))
    comparison = data.documents["comparison.yml"]
    places.append(Place(comparison.path, tuple(
        data_citation(comparison.line((index, "cites")), f"{row.id}.cites", row.cites,
                      " ".join((row.how_it_works, row.time_to_work, row.best_for, row.downsides)))
        for index, row in enumerate(data.comparison) if row.cites), whole=True))
    return places


def whole_text_problem(citation: Citation, lookup: Callable[[str], Reference], clinic_names: Iterable[str]) -> tuple[str, str] | None:
    """A data text shown with its sources (a condition's evidence note, a fact, a table row, the off-label note): each source
    supports one of its sentences, and none of them is about the clinic or this site."""
    for sentence in citation.sentences:
        if why := about_clinic(sentence, clinic_names):
            return (f"a text shown with research sources says something about the clinic or this site ('{why}' in "
                    f"\"{short(sentence)}\"), and no study can support that", "Write it about the research only, or move that sentence to a page.")
    for reference in map(lookup, citation.ids):
        if not any(supports(reference, f"{sentence} {citation.context}") for sentence in citation.sentences):
            return (f"{reference.id} supports nothing this text says ({short(claims_list(reference), 160)})",
                    f"Remove {reference.id} here, or write the text about what it found (references.yml lists its claims and their words).")
    return None


def check_all_citations(data, records: dict) -> int:
    """Every citation of the site follows the policy (the first that does not stops the build). Returns how many there are."""
    names = [data.clinic.name, data.clinic.short_name]
    count = 0
    for place in gather(data, records):
        for citation in place.citations:
            if not citation.ids:
                continue  # cite() with nothing in its brackets: the macro itself says so, at the same line
            count += 1
            judge = whole_text_problem if place.whole else citation_problem
            try:
                problem = judge(citation, data.reference, names)
            except Problem as unknown:  # an id that is not in references.yml
                raise unknown.at(place.path, citation.line, citation.name or citation.key) from None
            if problem is not None:
                raise StaffError(place.path, citation.line, citation.name or citation.key, *problem)
    return count


def check_outcome_claims(data, records: dict) -> None:
    """No page, FAQ answer or data text states the clinic's own results except through its outcome records."""
    for _, record in sorted(records.items()):
        body = "\n".join(record.source.splitlines()[record.body_line - 1:])
        for line, sentence in outcome_claims(body, record.body_line):
            raise outcome_error(record.path, line, None, sentence)
    for name, document in sorted(data.documents.items()):
        if name == "references.yml":
            continue
        for keys, text in texts(document.value):
            if name == "clinic.yml" and keys[:1] == ("outcomes",):
                continue
            for offset, sentence in outcome_claims(text, 0):
                line = document.line(keys) + (offset + 1 if "\n" in text else 0)  # a block (|) starts on the next line
                raise outcome_error(document.path, line, describe_key(keys, document.value), sentence)


def check_outcome_records(data, today: date) -> None:
    document = data.documents["clinic.yml"]
    for index, record in enumerate(data.clinic.outcomes):
        if (problem := outcome_record_problem(record.first_day, record.last_day, today)) is not None:
            raise StaffError(document.path, document.line(("outcomes", index, "last_day")), f"outcomes[{index + 1}].last_day",
                             problem, "Publish a result once its record is complete: use the last day it covers.")


def check_team(data) -> None:
    """A clinic that treats a category's conditions lists a clinician qualified in it (reviewers.yml, specialty)."""
    document = data.documents["conditions.yml"]
    for index, condition in enumerate(data.conditions):
        category = data.category(condition.category)
        if not qualified(data.reviewers, category):
            raise StaffError(document.path, document.line((index, "category")), f"{condition.id}.category",
                             f"this clinic treats {category.name.lower()}, but its team (reviewers.yml) lists no clinician "
                             f"in {specialties_wanted(category)}",
                             "Add that clinician to reviewers.yml with their specialty, or stop offering these conditions.")


def check_must_show(data, records: dict) -> None:
    """A fact every visitor needs (facts.yml, must_show_on) is on a page no clinic may leave out, for this clinic too."""
    facts_file = data.documents["facts.yml"]
    for index, fact in enumerate(data.facts):
        page = fact.must_show_on
        if page is None:
            continue
        where = (facts_file.path, facts_file.line((index, "must_show_on")), f"{fact.id}.must_show_on")
        if page in data.pages.leave_out:
            document = data.documents["pages.yml"]
            raise StaffError(document.path, document.line(("leave_out", data.pages.leave_out.index(page))),
                             f"leave_out[{data.pages.leave_out.index(page) + 1}]",
                             f"{page} cannot be left out: it carries a fact every visitor needs ({fact.id}, facts.yml line {where[1]})",
                             f"Keep {page}, or put your own copy of it, with {{{{ fact(\"{fact.id}\") }}}}, in your docs/ folder.")
        record = records.get(page)
        if record is None:
            raise StaffError(*where, f"{page} is not a page of this site", "Name a page in docs/, such as comparison.md.")
        if not re.search(r"""\{\{-?\s*fact\(\s*["']""" + re.escape(fact.id) + r"""["']\s*\)""", record.source):
            raise StaffError(record.path, record.body_line, fact.id,
                             f"this page must show the fact {fact.id} (facts.yml line {where[1]}: every visitor needs it), but it does not",
                             f"Write {{{{ fact(\"{fact.id}\") }}}} on the page.")


def category_terms(data, category: Category) -> list[str]:
    terms = list(category.words) + (list(data.crisis.triggers) if category.crisis_help else [])
    for condition in data.conditions:
        if condition.category == category.id:
            terms += [condition.name] + ([condition.also_called] if condition.also_called else [])
    return terms


def topic_patterns(data) -> list[tuple[Category, re.Pattern]]:
    """Each category of care this clinic offers, with the pattern of its conditions and words: made once per build."""
    offered = {condition.category for condition in data.conditions}
    return [(category, terms_pattern(terms)) for category in data.categories if category.id in offered
            and (terms := category_terms(data, category))]


def page_topics(markdown: str, data, patterns: list[tuple[Category, re.Pattern]] | None = None) -> list[Category]:
    """The categories of care this clinic offers that a page (its text after the macros) is about: it names one of
    their conditions or words. A clinic that offers no mental health care needs no psychiatrist for a page that
    mentions depression. `patterns`: topic_patterns(data), when it is already made."""
    return [category for category, pattern in (patterns if patterns is not None else topic_patterns(data))
            if discusses_mental_health(markdown, pattern)]


def check_review_fit(data, uri: str, markdown: str, review, patterns: list[tuple[Category, re.Pattern]] | None = None) -> None:
    """The page's review record names a clinician qualified in each category the page is about."""
    if review is None:
        return
    reviewers = [data.reviewer(reviewer_id) for reviewer_id in review.reviewed_by]
    problem = review_fit_problem(uri, page_topics(markdown, data, patterns), reviewers)
    if problem is not None:
        document = data.documents["reviews.yml"]
        index = data.reviews.index(review)
        raise StaffError(document.path, document.line((index, "reviewed_by")), f"[{index + 1}].reviewed_by", *problem)


# The at-a-glance summary (front matter `summary:`): plain lines with no sources of their own, so each may only restate
# what its page says, where the page gives the source. The build checks what it can: no number the page does not
# give (a figure in a summary is a claim from the page, or it is a new claim without its source), and no clinic results.
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s?%)?")


def summary_item_lines(source: str, body_line: int, items: Iterable[str]) -> list[int]:
    """The front-matter line each summary item starts on (the summary: key's line when an item is not found as typed)."""
    head = source.splitlines()[: max(body_line - 1, 0)]
    key = next((n for n, line in enumerate(head, start=1) if line.startswith("summary:")), 2)
    found = []
    for item in items:
        start = item.split("\n")[0][:40].strip()
        found.append(next((n for n, line in enumerate(head, start=1) if n > key and start and start in line), key))
    return found


def summary_line_problem(item: str, page_text: str) -> tuple[str, str] | None:
    """(problem, fix) for one summary line read against its page's text (after the macros, as the visitor reads it)."""
    words = plain(item)
    if outcome_claim(words):
        return (f"\"{short(words)}\" states this clinic's own results, with no outcome record beside it",
                OUTCOME_FIX + ".")
    shown = " ".join(TAG.sub(" ", plain(page_text)).split())
    for number in NUMBER.findall(words):
        if not re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)", shown):
            return (f"'{number}' is in the summary (\"{short(words)}\") but not in the page's text",
                    "A summary line only restates what the page says, where the page gives its source: "
                    "write the number as the page gives it, or leave it out.")
    return None


def check_summary(record, page_text: str) -> None:
    """Each line of a page's at-a-glance summary against the page it sums up."""
    items = list(record.meta.summary or ())
    for item, line in zip(items, summary_item_lines(record.source, record.body_line, items), strict=True):
        if (problem := summary_line_problem(item, page_text)) is not None:
            raise StaffError(record.path, line, "summary", *problem)
