"""Shared fixtures: a strict build of the real site, throw-away copies of the
project for error-path tests, a local web server and Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.project import ROOT, build, copy_project  # noqa: F401 (tests import them from here)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built strictly into a temporary folder once per test run."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build(ROOT / "mkdocs.yml", site_dir)
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project to edit; returns its mkdocs.yml."""
    return copy_project(tmp_path / "project")


def html_pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def page_paths(site_dir: Path) -> list[str]:
    """Each built page as a URL path below the site root: 'index.html' -> '', 'faq/index.html' -> 'faq/'."""
    paths = []
    for page in html_pages(site_dir):
        relative = page.relative_to(site_dir).as_posix()
        paths.append(relative.removesuffix("index.html") if page.name == "index.html" else relative)
    return paths


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served_site(site: Path) -> Iterator[str]:
    """The built site on http://127.0.0.1:<free port>/, as a static host would serve it."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def browser_page(browser):
    """`browser_page(viewport, bypass_csp=False)`: one reusable tab per viewport, shared by all browser tests.

    A new context per test or page would cost more than the checks themselves. Only tests that inject
    scripts (axe-core) pass bypass_csp=True; the others see the pages under their real CSP.
    """
    pages = {}

    def page_for(viewport: dict[str, int], bypass_csp: bool = False):
        key = (viewport["width"], viewport["height"], bypass_csp)
        if key not in pages:
            context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)
            pages[key] = context.new_page()
        return pages[key]

    yield page_for
    for page in pages.values():
        page.context.close()
