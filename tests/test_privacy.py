"""Privacy: by default no page asks another origin for anything (no analytics, fonts, maps or
scripts) or sets a cookie; a config that would turn on analytics or web fonts stops the build (test_csp)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import yaml
from conftest import ROOT, browser_pages

pytestmark = pytest.mark.browser

# Schemes that never leave the browser.
LOCAL_SCHEMES = ("data", "blob", "about")


def foreign_requests(urls: list[str], origin: str) -> list[str]:
    own = urlsplit(origin)
    return [url for url in urls if urlsplit(url).scheme not in LOCAL_SCHEMES
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)]


def test_foreign_requests_are_told_apart():
    urls = ["http://127.0.0.1:8000/assets/x.css", "data:image/svg+xml,<svg/>",
            "https://fonts.googleapis.com/css?family=Roboto", "http://127.0.0.1:9999/x"]
    assert foreign_requests(urls, "http://127.0.0.1:8000/") == [
        "https://fonts.googleapis.com/css?family=Roboto", "http://127.0.0.1:9999/x"]


def test_analytics_and_web_fonts_are_off_by_default():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert "analytics" not in config.get("extra", {})
    assert config["theme"]["font"] == "false"


@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def test_every_page_requests_only_its_own_origin(tab, clinic, site, served_site):
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.on("websocket", lambda socket: requested.append(socket.url))
    for page in browser_pages(clinic):
        url = served_site + page.relative_to(site).as_posix().removesuffix("index.html")
        requested.clear()
        tab.goto(url, wait_until="networkidle")
        assert requested, url
        assert foreign_requests(requested, served_site) == [], url
    assert tab.context.cookies() == []


@pytest.mark.default_clinic
def test_search_requests_only_its_own_origin(tab, served_site):
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(served_site + "search/", wait_until="networkidle")  # opens search with focus in its field
    tab.keyboard.type("infusion")
    tab.wait_for_selector(".md-search-result__item")
    assert any("search_index.json" in url for url in requested)
    assert foreign_requests(requested, served_site) == []
