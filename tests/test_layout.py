"""Layout in Chromium: no sideways scrolling at 320 px (WCAG 1.4.10 Reflow) or with text at 200%
(WCAG 1.4.4 Resize Text), and the preparation and aftercare page printed without the site's header
and menu, on two pages at most."""

from __future__ import annotations

import re

import pytest
from conftest import DESKTOP, PHONE, browser_paths, settle

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
PRINTED_PAGE = "preparation-aftercare/"
MAX_PRINTED_PAGES = 2

# Text zoom, not page zoom: a reader who sets "text size 200%" keeps the same window, so the layout
# does not switch to a wider-screen version, and only the text grows. Material sizes everything in rem,
# so doubling the root font size grows all text the way the browser setting does (media queries stay
# as they were, which is the harder case: the phone layout with twice the text).
DOUBLE_TEXT = """() => {
  const root = document.documentElement;
  root.style.fontSize = `${parseFloat(getComputedStyle(root).fontSize) * 2}px`;
}"""
# What sticks out to the right: the document's width, and the widest elements that cause it.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter(element => element.getBoundingClientRect().right > width + 1 && element.getClientRects().length
            && !element.closest(".md-sidebar, .md-search, .md-skip, .visually-hidden"))
    .slice(0, 5)
    .map(element => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`
                    + ` (right edge ${Math.round(element.getBoundingClientRect().right)})`);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth, wide};
}"""


def sideways_scroll(page) -> str | None:
    # Wait for running transitions first: the search page opens search as it loads (tests/test_search.py),
    # and on a phone Material slides the search box in, which sticks out to the right until it has arrived.
    settle(page)
    found = page.evaluate(OVERFLOW)
    if found["scrollWidth"] <= found["innerWidth"]:
        return None
    return f"scrolls sideways: {found['scrollWidth']} px wide in a {found['innerWidth']} px window; {found['wide']}"


def test_no_page_scrolls_sideways_at_320px(clinic, served_site, browser_page):
    page = browser_page(NARROW)
    problems = []
    for path in browser_paths(clinic):
        page.goto(served_site + path)
        if problem := sideways_scroll(page):
            problems.append(f"/{path}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_page_scrolls_sideways_with_text_at_200_percent(clinic, served_site, browser_page, viewport):
    page = browser_page(viewport)
    problems = []
    for path in browser_paths(clinic):
        page.goto(served_site + path)
        page.evaluate(DOUBLE_TEXT)
        if problem := sideways_scroll(page):
            problems.append(f"/{path}: {problem}")
    assert not problems, "\n".join(problems)


def test_sideways_scroll_check_catches_a_wide_table(browser):
    page = browser.new_page(viewport=NARROW)
    page.set_content(f'<table class="wide"><tr><td>https://example.org/{"a" * 150}</td></tr></table>')
    problem = sideways_scroll(page)
    page.close()
    assert problem and "table.wide" in problem, problem


def pdf_page_count(pdf: bytes) -> int:
    """Page objects in a PDF as Chromium writes it (one uncompressed '/Type /Page' dictionary per page)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_pdf_page_count_reads_chromium_pdfs(browser):
    page = browser.new_page()
    page.set_content("<p>one</p><p style='break-before: page'>two</p><p style='break-before: page'>three</p>")
    assert pdf_page_count(page.pdf(format="Letter")) == 3
    page.close()


@pytest.mark.default_clinic
def test_preparation_page_prints_without_site_chrome_on_two_pages(served_site, browser):
    page = browser.new_page()
    page.goto(served_site + PRINTED_PAGE)
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                                    ".md-top"]
      .filter(selector => {
        const element = document.querySelector(selector);
        return element && getComputedStyle(element).display !== "none" && element.getClientRects().length;
      })""")
    assert shown == [], f"printed with the site's {shown}"
    assert page.evaluate("document.querySelector('.md-content h1') !== null")
    pdf = page.pdf(format="Letter", print_background=False)
    pages = pdf_page_count(pdf)
    page.close()
    assert 1 <= pages <= MAX_PRINTED_PAGES, f"/{PRINTED_PAGE} prints on {pages} Letter pages, more than {MAX_PRINTED_PAGES}"
