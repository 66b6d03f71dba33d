"""A page's front matter: checked against PageMeta, so a typo in a key stops the build."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from ..data.messages import explain, first_error, known_keys
from ..errors import Problem, StaffError
from ..schema import Markdown, Strict, Text, field_at, help_field
from ..yamlfile import YamlDocument, describe_key, parse_yaml, split_front_matter

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
    summary: list[Markdown] | None = help_field(
        "At a glance: 3 to 5 short, plain lines shown in a box at the top of a health page, each saying what the page says",
        ["Most side effects are mild, and they fade soon after the drip stops.", "Staff check your blood pressure, heart rate and oxygen level the whole time."],
        default=None)
    template: Literal["home.html"] | None = help_field("home.html for the landing page", default=None)
    hero_title: Text | None = help_field("The landing page's big heading", default=None)
    search_form: bool = help_field("Show the search box (the search page only)", default=False)
    search: SearchMeta | None = None
    hide: list[Literal["navigation", "toc", "footer"]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _health_page_has_audience(self) -> PageMeta:
        if self.health_page and self.audience is None:
            raise Problem("audience is missing", "A health page needs audience: patients (or clinicians); "
                                                 "a page with no health information needs health_page: false instead")
        return self


SUMMARY_LINES = (3, 5)  # the at-a-glance box: fewer says too little, more pushes the page down a phone screen


def summary_problem(meta: PageMeta) -> tuple[str, str] | None:
    """(problem, fix) when a health page has no at-a-glance summary or one of the wrong length. The landing page
    (template: home.html) has its hero instead; a page with no health information needs none."""
    least, most = SUMMARY_LINES
    example = (f"Add a summary: line, then {least} to {most} short lines under it that each start with two spaces and "
               "'- ' and say what the page says, such as '  - Most side effects are mild.'")
    if meta.summary is None:
        if meta.health_page and meta.template != "home.html":
            return ("a health page needs an at-a-glance summary at its top",
                    f"{example}; or, for a page with no health information, write health_page: false.")
        return None
    if not least <= len(meta.summary) <= most:
        return (f"the summary has {len(meta.summary)} line{'s' if len(meta.summary) != 1 else ''}, not {least} to {most}",
                f"Write {least} to {most} short lines, each starting with '- ', and move the rest into the page.")
    return None


PHOTO_PATTERN = r"^(\.\./)*images/[\w.-]+\.(jpg|jpeg|png|webp|JPG|JPEG|PNG|WEBP)$"


class OwnPageMeta(PageMeta):
    """The front matter of one of the clinic's own pages (its docs/ folder): a page's keys, where it goes in the
    menu and its photo, which the editor's page form sets. (A shared page's place is the network's menu, mkdocs.yml's nav.)"""

    menu_section: Text | None = help_field("The menu section your own page goes under, at its end; leave out to put it "
                                           "at the end of the menu", "Your care", default=None)
    photo: str | None = help_field("A photo shown under the page's heading: a JPEG, PNG or WebP file in your docs/images/ folder",
                                   "images/parking.jpg", default=None, pattern=PHOTO_PATTERN)
    photo_alt: Text | None = help_field("What the photo shows, in words, for people who cannot see it",
                                        "The parking lot behind our building, with two accessible spaces by the door", default=None)

    @model_validator(mode="after")
    def _photo_has_words(self) -> OwnPageMeta:
        if self.photo and not self.photo_alt:
            raise Problem("photo_alt is missing", "A photo needs words saying what it shows, such as "
                          "photo_alt: The parking lot behind our building")
        if self.photo_alt and not self.photo:
            raise Problem("photo_alt is there without a photo", "Add photo: images/<file>, or remove photo_alt")
        return self

    def photo_markdown(self) -> str | None:
        """The photo as the page's Markdown writes a picture, so the build's image steps (size, WebP, alt) apply to it."""
        return f"![{self.photo_alt}]({self.photo})" if self.photo and self.photo_alt else None


def read_front_matter(text: str, path: Path, model: type[PageMeta] = PageMeta) -> tuple[PageMeta, str, int]:
    """(the checked front matter, the page's body, the line the body starts on); `model`: OwnPageMeta for a clinic's own page."""
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
        meta = model.model_validate(value)
    except ValidationError as error:
        raise front_matter_error(document, first_error(error.errors()), model) from None
    if problem := summary_problem(meta):
        line = document.line(("summary",)) if "summary" in value else document.line(("audience",)) if "audience" in value else 2
        raise StaffError(path, line, "summary", *problem)
    if not body.strip():
        raise StaffError(path, len(text[: len(text) - len(body)].splitlines()) + 1, None, "the page has no text after its front matter",
                         "Write the page's text below the second --- line, or delete the page.")
    return meta, body, body_line


def front_matter_error(document: YamlDocument, error: dict, model: type[PageMeta] = PageMeta) -> StaffError:
    loc = tuple(error["loc"])
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    problem, fix = explain(error, field_at(model, loc), name, known_keys(model, loc))
    if error["type"] == "extra_forbidden":
        fix = fix.replace("Check its spelling, or remove it.", f"Keys a page may have: {', '.join(model.model_fields)}.")
    return StaffError(document.path, document.line(loc), describe_key(loc, document.value) or None, problem, fix)
