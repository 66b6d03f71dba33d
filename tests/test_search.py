"""Search lives on its own page (docs/search.md). Only that page has Material's search form, so only it
loads the search index and the search worker; every other page's header links there instead
(overrides/partials/header.html). The search page opens search with focus in its field
(docs/assets/site.js)."""

from __future__ import annotations

import json

import pytest
from conftest import DESKTOP, PHONE, html_pages, site_pages
from selectolax.lexbor import LexborHTMLParser as HTMLParser

pytestmark = pytest.mark.browser

SEARCH_PAGE = "search/index.html"


def test_only_the_search_page_has_the_search_form(clinic, site):
    pages = {page.relative_to(site).as_posix(): HTMLParser(page.read_text()) for page in html_pages(site)}
    assert SEARCH_PAGE in pages and "404.html" in pages and len(pages) == len(site_pages(clinic)) + 1  # + 404.html
    with_form = [name for name, tree in pages.items() if tree.css_first('form[name="search"]')]
    assert with_form == [SEARCH_PAGE]
    for name, tree in pages.items():
        if name == SEARCH_PAGE:
            continue
        buttons = tree.css("header a.md-header__button[aria-label='Search']")
        assert len(buttons) == 1, f"{name}: no search button in the header"
        assert buttons[0].css_first("svg"), f"{name}: the search button has no icon"
        href = buttons[0].attributes["href"]
        assert href.endswith("search/") and (name == "404.html" or (site / name).parent.joinpath(href, "index.html").resolve()
                                             == (site / SEARCH_PAGE).resolve()), f"{name}: search button goes to {href}"


def test_the_search_page_is_not_a_search_result_and_says_what_to_do_without_javascript(site):
    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    assert docs and not [doc["location"] for doc in docs if doc["location"].startswith("search/")]
    text = HTMLParser((site / SEARCH_PAGE).read_text()).css_first("article").text(separator=" ")
    assert "Search needs JavaScript" in text and "menu" in text


@pytest.mark.default_clinic
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_search_page_opens_search_with_focus_in_the_field(served_site, browser_page, viewport):
    page = browser_page(viewport)
    page.goto(served_site + "search/")
    page.wait_for_selector(".md-search__input:focus")
    assert page.is_checked("#__search"), "search should be open"
    page.keyboard.type("side effects")
    page.wait_for_selector(".md-search-result__item")
    links = page.eval_on_selector_all(".md-search-result__link", "links => links.map(link => link.href)")
    assert any("/safety/" in link for link in links), links


@pytest.mark.default_clinic
def test_other_pages_load_no_search_index_and_no_search_worker(site, served_site, browser):
    context = browser.new_context()
    tab = context.new_page()
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    for path in ("", "faq/", "safety/", "404.html"):
        requested.clear()
        tab.goto(served_site + path, wait_until="networkidle")
        assert requested and not [url for url in requested if "search_index" in url or "/workers/search" in url], path
    requested.clear()
    tab.goto(served_site + "search/", wait_until="networkidle")
    assert [url for url in requested if "search_index.json" in url] and [url for url in requested if "/workers/search" in url]
    context.close()
