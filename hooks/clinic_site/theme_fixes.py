"""Small fixes to the HTML Material writes, applied to each finished page instead of copying its templates.

Each fix names the Material template whose markup it changes and how many places it expects. When a
Material release changes that markup, the count no longer matches and the build stops, naming the
template to re-check: nothing is copied, so a patch release needs no change here unless the markup
itself moved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Material's English labels for the controls the fixes name.
MENU_LABEL = "Navigation"
SEARCH_LABEL = "Search"
SKIP_LABEL = "Skip to content"


@dataclass(frozen=True)
class PageShape:
    """What the fixes need to know about the page, besides its HTML."""

    is_search_page: bool
    search_url: str  # the search page, relative to this page
    short_name: str = ""  # the clinic's short_name (clinic.yml), shown in the header on a phone


@dataclass(frozen=True)
class Fix:
    template: str  # the Material template whose markup this changes
    why: str
    apply: Callable[[str, PageShape], tuple[str, int]]  # (fixed html, places changed)
    expected: Callable[[PageShape], int | None]  # None: any number of places


class ThemeChanged(Exception):
    """Material's markup is not what a fix expects: the message names the template to re-check."""


def _sub(pattern: str, replacement: str) -> Callable[[str, PageShape], tuple[str, int]]:
    compiled = re.compile(pattern)
    return lambda html, shape: compiled.subn(replacement, html)


SEARCH_BUTTON = re.compile(r'<label class="md-header__button md-icon" for="__search">(.*?)</label>', re.DOTALL)


def _search_link(html: str, shape: PageShape) -> tuple[str, int]:
    """Elsewhere than on the search page, the header's search button is a link to it."""
    if shape.is_search_page:
        return html, 0
    return SEARCH_BUTTON.subn(lambda match: f'<a href="{shape.search_url}" class="md-header__button md-icon" '
                                            f'title="{SEARCH_LABEL}" aria-label="{SEARCH_LABEL}">{match.group(1)}</a>', html)


def _skip_link(html: str, shape: PageShape) -> tuple[str, int]:
    """The skip link, on every page, goes to the page's title (the hero's on the home page)."""
    title = re.search(r'<h1\b[^>]*\bid="([^"]+)"', html)
    if title is None:
        return html, 0
    link = f'<a href="#{title.group(1)}" class="md-skip">'
    fixed, count = re.subn(r'<a href="[^"]*" class="md-skip">', link, html, count=1)
    if count:
        return fixed, count
    return re.subn(r'(<div data-md-component="skip">)\s*(</div>)', rf"\1{link}{SKIP_LABEL}</a>\2", html, count=1)


HEADER_NAME = re.compile(r'(<div class="md-header__topic">\s*<span class="md-ellipsis">)\s*(.*?)\s*(</span>)', re.DOTALL)


def _header_name(html: str, shape: PageShape) -> tuple[str, int]:
    """The clinic's name in the header, whole: Material cuts a long one mid-word on a phone. Both names are in the
    page, and clinic.css shows one (the short_name on a phone), so neither is ever cut."""
    if not shape.short_name:
        return html, 0
    short = shape.short_name.replace("&", "&amp;").replace("<", "&lt;")
    return HEADER_NAME.subn(lambda match: f'{match.group(1)}<span class="clinic-name__full">{match.group(2)}</span>'
                                          f'<span class="clinic-name__short">{short}</span>{match.group(3)}', html, count=1)


def _toc_label(html: str, shape: PageShape) -> tuple[str, int]:
    """The table of contents' title points at the phone toggle only when the page has that toggle (pages in the nav)."""
    if 'id="__toc"' in html:
        return html, 0
    return html.replace('<label class="md-nav__title" for="__toc">', '<label class="md-nav__title">'), \
        html.count('<label class="md-nav__title" for="__toc">')


FIXES = (
    Fix("base.html", "no autocomplete on the two toggle checkboxes (invalid HTML on a checkbox)",
        _sub(r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)") autocomplete="off">', r"\1>"),
        lambda shape: 2),
    Fix("base.html", "a skip link on every page, to the page's title",
        _skip_link, lambda shape: 1),
    Fix("partials/header.html", "the menu button is reached with Tab and has a name (a label tied to a control may not "
        "carry aria-label, so the name is its title); site.js opens it with Enter",
        _sub(r'<label class="md-header__button md-icon" for="__drawer">',
             f'<label class="md-header__button md-icon" for="__drawer" tabindex="0" title="{MENU_LABEL}">'),
        lambda shape: 1),
    Fix("partials/header.html", "search has its own page: elsewhere the header's search button is a link to it, so no "
        "other page loads the search index or the search worker (overrides/partials/search.html leaves the form out)",
        _search_link, lambda shape: 0 if shape.is_search_page else 1),
    Fix("partials/search.html", "the search dialog has a name",
        _sub(r'<div class="md-search" data-md-component="search" role="dialog">',
             f'<div class="md-search" data-md-component="search" role="dialog" aria-label="{SEARCH_LABEL}">'),
        lambda shape: 1 if shape.is_search_page else 0),
    Fix("partials/nav-item.html", "no empty tabindex on section titles (invalid HTML)",
        _sub(r' tabindex=""', ""), lambda shape: None),
    Fix("partials/toc.html", "the table of contents' title names no missing control", _toc_label, lambda shape: None),
    Fix("partials/header.html", "the clinic's name in the header is never cut mid-word: its short_name on a phone",
        _header_name, lambda shape: 1 if shape.short_name else 0),
)


def fix_page(html: str, shape: PageShape, fixes: tuple[Fix, ...] = FIXES) -> str:
    for fix in fixes:
        html, count = fix.apply(html, shape)
        expected = fix.expected(shape)
        if expected is not None and count != expected:
            raise ThemeChanged(
                f"Material's {fix.template} changed: the fix for '{fix.why}' found {count} places instead of {expected}. "
                f"Look at Material's new {fix.template} and update the fix in hooks/clinic_site/theme_fixes.py.")
    return html
