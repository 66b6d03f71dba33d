"""A clinic's pages: the shared pages in docs/, plus its own, minus the ones it leaves out.

Also each page's front matter (checked against PageMeta, so a typo in a key stops the build), its
review record from the clinic's reviews.yml, and the PageRecord the macros fill in as the page is
rendered (the sources it cites, the FAQ entries it shows) for the JSON-LD and the crisis box.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from .data import ClinicData, explain, first_error, known_keys
from .errors import StaffError, shown_path
from .links import CODE_SPAN, source_link_problems
from .schema import Clinic, ReviewRecord, Strict, Text, field_at, help_field, literal_choices
from .yamlfile import YamlDocument, decode, describe_key, parse_yaml, split_front_matter, texts

MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>#]+\.md)(?:#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")
REVIEW_KEYS = ("reviewed_by", "last_reviewed", "next_review")


class SearchMeta(Strict):
    exclude: bool = False


class PageMeta(Strict):
    """The front matter of a page."""

    title: Text = help_field("The page's title, shown in the menu and the browser tab", "Safety and side effects")
    description: Text = help_field("One sentence for search results and link previews, different on every page",
                                   "Common and rare side effects of IV ketamine, and how staff keep you safe.")
    health_page: bool = help_field("false for a page with no health information (contact, costs, legal pages)", False,
                                   default=True)
    audience: Literal["patients", "clinicians"] | None = help_field("Who the health page is written for", "patients", default=None)
    template: Literal["home.html"] | None = help_field("home.html for the landing page", default=None)
    hero_title: Text | None = help_field("The landing page's big heading", default=None)
    search_form: bool = help_field("Show the search box (the search page only)", default=False)
    search: SearchMeta | None = None
    hide: list[Literal["navigation", "toc", "footer"]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _health_page_has_audience(self) -> PageMeta:
        if self.health_page and self.audience is None:
            raise ValueError("audience is missing. A health page needs audience: patients (or clinicians); "
                             "a page with no health information needs health_page: false instead")
        return self


def read_front_matter(text: str, path: Path) -> tuple[PageMeta, str, int]:
    """(the checked front matter, the page's body, the line the body starts on)."""
    raw, body, body_line = split_front_matter(text)
    if raw is None and text.startswith("---"):
        raise StaffError(path, 1, None, "the front matter (the title: and description: lines) is never closed",
                         "Put a line of exactly three dashes, ---, after its last line.")
    if raw is None:
        raise StaffError(path, 1, None, "the page has no front matter",
                         "Start it with a --- line, then title: and description: lines, then another --- line.")
    document = parse_yaml(raw, path, first_line=2)
    value = document.value if document.value is not None else {}
    if not isinstance(value, dict):
        raise StaffError(path, 2, None, "the front matter is not a list of keys",
                         "Write one key per line, such as title: Contact us, between the two --- lines.")
    for key in REVIEW_KEYS:
        if key in value:
            raise StaffError(path, document.line((key,)), key, "review dates and reviewers are not kept in pages",
                             "Remove this line; each clinic records who reviewed the page, and when, in its data/reviews.yml.")
    try:
        meta = PageMeta.model_validate(value)
    except ValidationError as error:
        raise front_matter_error(document, first_error(error.errors())) from None
    if not body.strip():
        raise StaffError(path, len(text[: len(text) - len(body)].splitlines()) + 1, None, "the page has no text after its front matter",
                         "Write the page's text below the second --- line, or delete the page.")
    return meta, body, body_line


def front_matter_error(document: YamlDocument, error: dict) -> StaffError:
    loc = tuple(error["loc"])
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    problem, fix = explain(error, field_at(PageMeta, loc), name, known_keys(PageMeta, loc))
    if error["type"] == "extra_forbidden":
        fix = fix.replace("Check its spelling, or remove it.", f"Keys a page may have: {', '.join(PageMeta.model_fields)}.")
    return StaffError(document.path, document.line(loc), describe_key(loc, document.value) or None, problem, fix)


@dataclass
class PageRecord:
    """What one page of this build is and what its macros used."""

    src_uri: str
    path: Path
    meta: PageMeta
    body_line: int
    source: str  # the page's text as read once (UTF-8, Unix line ends), for checks that name a line
    review: ReviewRecord | None = None
    citations: Any = None  # render.Citations, set when the page is rendered
    faq: list[tuple[str, str]] = field(default_factory=list)  # (question, answer as Markdown)
    lists_all_sources: bool = False  # the References page: its list is filled in after every page is rendered
    shows_crisis_lines: bool = False  # the page gives the crisis numbers itself ({{ crisis_lines() }}): no crisis box


def read_page(src_uri: str, path: Path) -> PageRecord:
    source = decode(path.read_bytes(), path)
    meta, _, body_line = read_front_matter(source, path)
    check_title_heading(source, body_line, path, theme_title=meta.template == "home.html")
    return PageRecord(src_uri, path, meta, body_line, source)


H1 = re.compile(r"^#[ \t]+\S")


def prose_lines(source: str, first: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, line) from line `first` on, outside fenced code blocks (``` or ~~~), whose text is shown as typed."""
    fenced = False
    for number, line in enumerate(source.splitlines()[first - 1:], start=first):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced:
            yield number, line


def check_title_heading(source: str, body_line: int, path: Path, *, theme_title: bool) -> None:
    """One title heading (`# Contact us`) per page: the theme's skip link, the crisis box and screen readers start there.
    The landing page's title comes from the theme (its hero), so it has none of its own."""
    titles = [number for number, line in prose_lines(source, body_line) if H1.match(line)]
    if theme_title and titles:
        raise StaffError(path, titles[0], None, "the landing page has a title heading (# ...), but its title comes from hero_title",
                         "Make it a section heading: ## ...")
    if not theme_title and not titles:
        raise StaffError(path, body_line, None, "the page has no title heading",
                         "Start its text with one line like: # Contact us (one #, then a space, then the title)")
    if len(titles) > 1:
        raise StaffError(path, titles[1], None, f"the page has a second title heading (the first is on line {titles[0]})",
                         "Make it a section heading: ## ...")


# Which pages make up a clinic's site.

@dataclass(frozen=True)
class PagePlan:
    pages: dict[str, Path]  # src_uri -> the Markdown file it is built from
    own: frozenset[str]  # the clinic's own pages: new ones and replacements


def markdown_files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*.md"))
            if not any(part.startswith(".") for part in path.relative_to(folder).parts)}


def plan_pages(shared_docs: Path, own_docs: Path | None, data: ClinicData) -> PagePlan:
    shared = markdown_files(shared_docs)
    own = markdown_files(own_docs) if own_docs else {}
    document = data.documents.get("pages.yml")
    for index, left_out in enumerate(data.pages.leave_out):
        where = (document.path, document.line(("leave_out", index)), f"leave_out[{index + 1}]")
        if left_out not in shared:
            close = difflib.get_close_matches(left_out, list(shared), n=1)
            raise StaffError(*where, f"{left_out} is not a shared page",
                             (f"Did you mean {close[0]}? " if close else "") + "Use a path as it is in docs/, such as articles/index.md.")
        if left_out in own:
            raise StaffError(*where, f"{left_out} is left out, but your docs/ folder also has its own version",
                             "Either delete your own version, or remove this line to use it.")
    pages = {uri: path for uri, path in shared.items() if uri not in data.pages.leave_out}
    pages.update(own)
    return PagePlan(pages, frozenset(own))


def check_links(records: dict[str, PageRecord], data: ClinicData) -> None:
    """Every Markdown link to a page (`[text](faq.md)`) goes to a page of this site: the line of the first that does not.

    A link to a page the clinic left out names the line of pages.yml that leaves it out: that link would be broken.
    """
    # The folders the pages come from (the shared docs/, the clinic's own): a picture may be in either.
    roots = {record.path.parents[len(PurePosixPath(uri).parts) - 1] for uri, record in records.items()}
    for uri, record in records.items():
        for number, line in prose_lines(record.source):
            for written, problem, fix in source_link_problems(line):
                raise StaffError(record.path, number, written, problem, fix)
            for target in IMAGE.findall(CODE_SPAN.sub("", line)):
                if "://" not in target and not target.startswith(("data:", "/")):
                    check_picture(posixpath.normpath(posixpath.join(posixpath.dirname(uri), target)), roots, record.path, number, target)
            for target in MARKDOWN_LINK.findall(line):
                if "://" in target or target.startswith("/"):
                    continue
                linked = posixpath.normpath(posixpath.join(posixpath.dirname(uri), target))
                if linked in records:
                    continue
                if linked in data.pages.leave_out:
                    document, index = data.documents["pages.yml"], data.pages.leave_out.index(linked)
                    raise StaffError(document.path, document.line(("leave_out", index)), f"leave_out[{index + 1}]",
                                     f"{linked} cannot be left out: {shown_path(record.path)} links to it on line {number}",
                                     f"Put your own copy of {uri} without that link in your docs/ folder, or keep {linked}.")
                raise missing_page(record.path, number, target, linked, records)
    for document in data.documents.values():  # links in data texts: the FAQ's answers, a parking note, a condition
        for keys, text in texts(document.value):
            for target in MARKDOWN_LINK.findall(text):
                linked = posixpath.normpath(target)
                if linked not in records:
                    raise missing_page(document.path, document.line(keys), describe_key(keys, document.value), linked, records)


COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def without_comments(markdown: str, record: PageRecord) -> str:
    """The page's text without its HTML comments (<!-- a note for staff -->): a note is not for visitors, and
    a comment would still be in the published page's source. Each comment's lines stay as blank lines."""
    kept = COMMENT.sub(lambda match: "\n" * match.group().count("\n"), markdown)
    if "<!--" in kept:
        line = next((number for number, text in enumerate(record.source.splitlines(), start=1)
                     if "<!--" in text and "-->" not in text[text.index("<!--"):]), None)
        raise StaffError(record.path, line, None, "a note (<!--) is never closed, so the rest of the page would be hidden",
                         "End the note with -->")
    return kept


def check_typed_facts(records: dict[str, PageRecord], data: ClinicData) -> None:
    """The clinic's phone number and email come from clinic.yml through macros: typed into a page, they would
    go stale when staff change clinic.yml (and a shared page would show one clinic's number on every site)."""
    clinic = data.clinic
    digits = clinic.phone_e164[-10:]
    typed = [(re.compile(rf"\(?{digits[:3]}\)?[ .-]?{digits[3:6]}[ .-]?{digits[6:]}\b"), clinic.phone, "{{ phone_link() }}"),
             (re.compile(re.escape(clinic.email), re.IGNORECASE), clinic.email, "{{ email_link() }}")]
    for record in records.values():
        for number, line in enumerate(record.source.splitlines(), start=1):
            for pattern, fact, macro in typed:
                if pattern.search(line):
                    raise StaffError(record.path, number, None, f"the clinic's {fact} is typed into the page",
                                     f"Write {macro} instead, so the page changes when clinic.yml does.")


# A page's {% if payment.insurance == "superbill" %} or {% if "hsa" in payment.methods %}: the value compared must be one
# the setting can have, or the test is never true and the page quietly says the other thing.
COMPARED = re.compile(r"""\b((?:clinic|policies|payment)(?:\.\w+)+)\s*[!=]=\s*["']([^"']*)["']""")
CONTAINED = re.compile(r"""["']([^"']*)["']\s+(?:not\s+)?in\s+((?:clinic|policies|payment)(?:\.\w+)+)""")


def impossible_comparisons(text: str) -> list[tuple[int, str, str, list[str]]]:
    """(line in text, setting, value, the setting's values) for each comparison with a value the setting cannot have."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        pairs = [(m.group(1), m.group(2)) for m in COMPARED.finditer(line)] + [(m.group(2), m.group(1)) for m in CONTAINED.finditer(line)]
        for setting, value in pairs:
            root, *rest = setting.split(".")
            info = field_at(Clinic, tuple(rest) if root == "clinic" else (root, *rest))
            allowed = literal_choices(info.annotation) if info is not None else []
            if allowed and value not in allowed:
                found.append((number, setting, value, allowed))
    return found


def check_comparisons(records: dict[str, PageRecord], data: ClinicData) -> None:
    """In the pages and in the FAQ's answers (the only data text that is a template)."""
    faq = data.documents["faq.yml"]
    places = [(record.path, 0, record.source) for record in records.values()]
    places += [(faq.path, faq.line((index, "answer")), entry.answer) for index, entry in enumerate(data.faq)]
    for path, offset, text in places:
        for number, setting, value, allowed in impossible_comparisons(text):
            close = difflib.get_close_matches(value, allowed, n=1)
            raise StaffError(path, offset + number, setting, f"'{value}' is not a value {setting} can have, so the test is never true",
                             (f"Did you mean '{close[0]}'? " if close else "") + f"Its values are: {', '.join(allowed)}.")


def check_unique_titles(records: dict[str, PageRecord]) -> None:
    """No two pages share a title or a description: the menu, the browser's tabs and search results tell pages apart by them."""
    for key in ("title", "description"):
        seen: dict[str, PageRecord] = {}
        for record in sorted(records.values(), key=lambda record: record.src_uri):
            value = " ".join(getattr(record.meta, key).lower().split())
            if value in seen:
                line = next((number for number, text in enumerate(record.source.splitlines(), start=1) if text.startswith(f"{key}:")), 1)
                raise StaffError(record.path, line, key, f"{shown_path(seen[value].path)} has the same {key}",
                                 f"Give each page its own {key}: the menu, browser tabs and search results tell pages apart by it.")
            seen[value] = record


IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


def check_picture(wanted: str, roots: set[Path], page: Path, line: int, written: str) -> None:
    """A picture's file is in the pages' folders, with the same capitals (a web host tells door.JPG from door.jpg)."""
    if any((root / wanted).is_file() for root in roots):
        return
    folders = [root / posixpath.dirname(wanted) for root in roots]
    present = sorted({file.name for folder in folders if folder.is_dir() for file in folder.iterdir() if file.is_file()})
    close = difflib.get_close_matches(posixpath.basename(wanted), present, n=1, cutoff=0.5)
    raise StaffError(page, line, written, "the picture's file is not in the pages' folders",
                     (f"Did you mean {close[0]}? " if close else "") + "Save the picture beside the page, and write its name "
                     "exactly, capitals included.")


def missing_page(path: Path, line: int, key: str, linked: str, records: dict[str, PageRecord]) -> StaffError:
    close = difflib.get_close_matches(linked, list(records), n=1)
    return StaffError(path, line, key, f"the link to {linked} goes to a page that is not on this site",
                      (f"Did you mean {close[0]}? " if close else "") + "Check the file name; a page left out "
                      "in pages.yml cannot be linked to.")


def edit_nav(nav: list, data: ClinicData, own_pages: frozenset[str], not_in_nav: set[str]) -> list:
    """The shared menu without the left-out pages, with the clinic's own new pages added."""
    left_out = set(data.pages.leave_out)

    def without(items: list) -> list:
        kept = []
        for item in items:
            if isinstance(item, dict):
                title, value = next(iter(item.items()))
                if isinstance(value, list):
                    value = without(value)
                    if value:
                        kept.append({title: value})
                elif value not in left_out:
                    kept.append(item)
            elif item not in left_out:
                kept.append(item)
        return kept

    edited = without(nav)
    listed = set(nav_pages(edited))
    document = data.documents.get("pages.yml")
    placed = set()
    for index, entry in enumerate(data.pages.menu):
        where = (document.path, document.line(("menu", index, "page")), f"menu[{index + 1}].page")
        if entry.page not in own_pages:
            raise StaffError(*where, f"{entry.page} is not one of your own pages",
                             "Put the page in your clinic's docs/ folder, or check the path.")
        if entry.page in listed:
            raise StaffError(*where, f"{entry.page} is already in the menu", "Remove this entry.")
        placed.add(entry.page)
        if entry.section is None:
            edited.append(entry.page)
            continue
        sections = [next(iter(item)) for item in edited if isinstance(item, dict) and isinstance(next(iter(item.values())), list)]
        if entry.section not in sections:
            raise StaffError(document.path, document.line(("menu", index, "section")), f"menu[{index + 1}].section",
                             f"there is no menu section called '{entry.section}'", f"Use one of: {', '.join(sections)}.")
        for item in edited:
            if isinstance(item, dict) and entry.section in item:
                item[entry.section] = [*item[entry.section], entry.page]
    for page in sorted(own_pages - listed - placed - not_in_nav):
        edited.append(page)
    return edited


def nav_pages(nav: list) -> list[str]:
    pages = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages


# Review records.

def check_reviews(data: ClinicData, records: dict[str, PageRecord], today: date) -> None:
    """Every health page has a review record, every record names a health page, no review is in the future.

    Attaches each page's record. Only a future date depends on today, so time passing can only mend it.
    """
    document = data.documents["reviews.yml"]
    covered: dict[str, ReviewRecord] = {}
    for index, review in enumerate(data.reviews):
        if review.last_reviewed > today:
            raise StaffError(document.path, document.line((index, "last_reviewed")), f"[{index + 1}].last_reviewed",
                             f"{review.last_reviewed} is in the future", "Use the date the review took place.")
        for number, page in enumerate(review.pages):
            where = (document.path, document.line((index, "pages", number)), f"[{index + 1}].pages")
            if page in data.pages.leave_out:
                pages_file = data.documents["pages.yml"]
                raise StaffError(*where, f"{page} is left out of this site (pages.yml, line "
                                 f"{pages_file.line(('leave_out', data.pages.leave_out.index(page)))})",
                                 "Remove it from this review record.")
            if page not in records:
                close = difflib.get_close_matches(page, list(records), n=1)
                raise StaffError(*where, f"{page} is not a page of this site",
                                 (f"Did you mean {close[0]}? " if close else "") + "Remove it, or check its spelling.")
            if not records[page].meta.health_page:
                raise StaffError(*where, f"{page} is not a health page (its front matter says health_page: false)",
                                 "Remove it from this record.")
            covered[page] = review
    for uri, record in sorted(records.items()):
        if record.meta.health_page:
            if uri not in covered:
                raise StaffError(document.path, None, uri,
                                 f"{uri} is a health page with no review record, so it cannot be published as reviewed",
                                 f"After your reviewer has checked it, add {uri} to the pages of a record here. "
                                 "Or leave the page out of your site in pages.yml.")
            record.review = covered[uri]


@dataclass(frozen=True)
class Due:
    page: str
    review: ReviewRecord
    line: int
    days_left: int  # negative: overdue


def reviews_due(data: ClinicData, today: date, within_days: int) -> list[Due]:
    """Pages whose next review is within `within_days` of today, or already past, soonest first."""
    document = data.documents["reviews.yml"]
    due = [Due(page, review, document.line((index, "next_review")), (review.next_review - today).days)
           for index, review in enumerate(data.reviews) for page in review.pages
           if (review.next_review - today).days <= within_days]
    return sorted(due, key=lambda item: (item.days_left, item.page))
