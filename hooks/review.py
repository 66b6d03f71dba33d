"""Check every page's review front matter before it is built.

A health page says who checked it and when:

    reviewed_by: medical-director     # an id from reviewers.yml
    last_reviewed: 2026-11-01
    next_review: 2027-05-01
    audience: patients                # or clinicians

A page that gives no health information (contact, costs, legal pages) says
`health_page: false` instead. A missing key, a bad date, a review date in the
future, a next review before the last one, or an unknown reviewer stops the
build. A next review date that has passed logs a warning, so a strict build
fails and names the overdue page.

`check_review` is pure and takes "today" as an argument, so tests never depend
on the date they run. Templates get `reviewers` (id -> Reviewer) and the
`long_date` filter for the review line (partials/review-line.html).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import yaml

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from clinic_data import DataError, data_for_config

log = logging.getLogger("mkdocs.plugins.review")

REVIEW_KEYS = ("reviewed_by", "last_reviewed", "next_review", "audience")
AUDIENCES = ("patients", "clinicians")
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:-{3}|\.{3})[ \t]*\n", re.DOTALL)


class ReviewError(Exception):
    """A page's review front matter is wrong; the text names the page, the key and the fix."""


@dataclass(frozen=True)
class Review:
    reviewed_by: str
    last_reviewed: date
    next_review: date
    audience: str


def is_health_page(meta: Mapping, page: str = "page") -> bool:
    """Every page is a health page unless its front matter says `health_page: false`."""
    value = meta.get("health_page")
    if value is None:
        return True
    if value in (False, "false"):
        return False
    raise ReviewError(f"{page}: 'health_page' is '{value}'. Only 'health_page: false' means something: remove the key from health pages.")


def parse_date(value: object, page: str, key: str) -> date:
    """YAML turns 2026-11-01 into a date; a quoted '2026-11-01' stays a string. Accept both."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ReviewError(f"{page}: '{key}' is '{value}', which is not a date. Write it as YYYY-MM-DD, for example 2026-11-01.")


def check_review(meta: Mapping, page: str, reviewer_ids: Container[str], today: date) -> tuple[Review | None, list[str]]:
    """The page's review, or None for a non-health page, and warnings (an overdue review)."""
    if not is_health_page(meta, page):
        return None, []
    for key in REVIEW_KEYS:
        if meta.get(key) in (None, ""):
            raise ReviewError(
                f"{page}: the front matter key '{key}' is missing. A health page needs {', '.join(REVIEW_KEYS)}; "
                "a page with no health information needs 'health_page: false' instead."
            )
    reviewer = str(meta["reviewed_by"])
    if reviewer not in reviewer_ids:
        raise ReviewError(f"{page}: 'reviewed_by' is '{reviewer}', which is not a reviewer id. Use an id from reviewers.yml: {', '.join(reviewer_ids)}.")
    audience = str(meta["audience"])
    if audience not in AUDIENCES:
        raise ReviewError(f"{page}: 'audience' is '{audience}'. Use {' or '.join(AUDIENCES)}.")
    last = parse_date(meta["last_reviewed"], page, "last_reviewed")
    following = parse_date(meta["next_review"], page, "next_review")
    if last > today:
        raise ReviewError(f"{page}: 'last_reviewed' ({last}) is in the future. Use the date the review took place.")
    if following < last:
        raise ReviewError(f"{page}: 'next_review' ({following}) is before 'last_reviewed' ({last}). Set a later next review date.")
    warnings = []
    if following < today:
        warnings.append(f"{page}: the review was due on {following} ('next_review'). Review the page, then update 'last_reviewed' and 'next_review'.")
    return Review(reviewer, last, following, audience), warnings


def front_matter_as_text(markdown: str, page: str) -> dict | None:
    """MkDocs silently drops front matter it cannot parse (the date 2026-13-01 is one case) and leaves it
    in the text. Read it again with every value as a string, so the error can name the bad key."""
    match = FRONT_MATTER.match(markdown)
    if not match:
        return None
    try:
        meta = yaml.load(match.group(1), Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        raise ReviewError(f"{page}: the front matter is not valid YAML ({getattr(error, 'problem', error)}). Check the indentation and colons.") from None
    return meta if isinstance(meta, dict) else None


def long_date(value: object) -> str:
    """'November 1, 2026' for the review line."""
    day = parse_date(value, "template", "date")
    return f"{day:%B} {day.day}, {day.year}"


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files) -> str:
    name = page.file.src_path
    try:
        meta = front_matter_as_text(markdown, name) or page.meta
        reviewer_ids = [reviewer.id for reviewer in data_for_config(config).reviewers]
        _, warnings = check_review(meta, name, reviewer_ids, date.today())
    except (ReviewError, DataError) as error:
        raise PluginError(f"Review: {error}") from None
    for warning in warnings:
        log.warning(warning)
    return markdown


def on_env(env, *, config: MkDocsConfig, files):
    env.globals["reviewers"] = {reviewer.id: reviewer for reviewer in data_for_config(config).reviewers}
    env.filters["long_date"] = long_date
    return env
