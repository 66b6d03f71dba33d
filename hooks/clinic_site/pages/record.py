"""One page of a build: read once, its front matter checked, and what its macros used as it is rendered."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..schema import ReviewRecord
from ..yamlfile import decode
from .checks import check_bold_headings, check_title_heading
from .front_matter import OwnPageMeta, PageMeta, read_front_matter


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
    shows_off_label_note: bool = False  # the page shows {{ off_label_note() }} (pages naming a condition must)
    shows_crisis_lines: bool = False  # the page gives the crisis numbers itself ({{ crisis_lines() }}): no crisis box


def read_page(src_uri: str, path: Path, *, own: bool = False) -> PageRecord:
    """`own`: one of the clinic's own pages, which may also choose its menu section (OwnPageMeta)."""
    source = decode(path.read_bytes(), path)
    meta, _, body_line = read_front_matter(source, path, OwnPageMeta if own else PageMeta)
    check_title_heading(source, body_line, path, theme_title=meta.template == "home.html")
    check_bold_headings(source, body_line, path)
    return PageRecord(src_uri, path, meta, body_line, source)
