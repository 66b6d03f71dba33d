"""Every link, anchor, image and sitemap entry of the built site resolves (tools/linkcheck.py).

MkDocs' strict build already stops on a broken Markdown link. These tests cover what it
cannot see: raw HTML in pages, HTML that macros emit, and theme templates.
External URLs are fetched only with `pytest -m external` (`make external-links`).
"""

from __future__ import annotations

import http.server
import shutil
import socket
import threading
import time
import warnings
from pathlib import Path

import pytest
from conftest import ROOT, build

from tools.linkcheck import (
    CACHE_DAYS,
    Fetched,
    Problem,
    Site,
    check_external,
    check_site,
    external_links,
    fetch_with_requests,
    load_cache,
    offline_reason,
    parse_page,
    read_site,
    save_cache,
    srcset_urls,
    urls_to_fetch,
    verdict,
)

EXTERNAL_CACHE = ROOT / ".cache" / "external-links.json"


def problems_in(site_dir: Path, site_url: str) -> list[Problem]:
    return check_site(read_site(site_dir), site_url)


def add_to_page(site_dir: Path, page: str, html: str) -> None:
    """Puts `html` at the end of a built page's article, as if a writer had added it."""
    path = site_dir / page
    text = path.read_text()
    assert "</article>" in text, page
    path.write_text(text.replace("</article>", html + "</article>", 1))


@pytest.fixture
def site_copy(site: Path, tmp_path: Path) -> Path:
    """A copy of the built real site that a test may break."""
    return Path(shutil.copytree(site, tmp_path / "site"))


# The real site ----------------------------------------------------------------

def test_the_real_site_has_no_broken_links(clinic, site):
    problems = problems_in(site, clinic.site_url)
    assert not problems, "\n".join(map(str, problems))


def test_the_check_reads_templates_assets_and_the_sitemap(site):
    """Guards the test above against passing because it looked at nothing."""
    found = read_site(site)
    attributes = {link.attribute for page in found.pages.values() for link in page.links}
    assert {"a href", "link href", "script src"} <= attributes
    assert len(found.pages) >= 18 and found.sitemap and found.search_index
    footer_links = [link.url for link in found.pages["index.html"].links if "legal/privacy" in link.url]
    assert footer_links, "the footer template's links were not collected"


# Each kind of break is caught and named ------------------------------------------

def test_a_missing_page_is_named(clinic, site_copy):
    (site_copy / "costs" / "index.html").unlink()
    problems = problems_in(site_copy, clinic.site_url)
    linking_pages = {p.page for p in problems if p.reason == "a href: page costs/index.html is not in the built site"}
    assert "contact/index.html" in linking_pages and len(linking_pages) >= 10
    assert Problem("sitemap.xml", f"{clinic.site_url}costs/", "lists a page that is not in the built site") in problems
    assert Problem("search/search_index.json", "costs/", "search result: page costs/index.html is not in the built site") in problems


def test_a_missing_anchor_on_another_page_is_named(clinic, site_copy):
    add_to_page(site_copy, "contact/index.html", '<a href="../faq/#no-such-question">Our FAQ</a>')
    assert problems_in(site_copy, clinic.site_url) == [
        Problem("contact/index.html", "../faq/#no-such-question", "a href: no id 'no-such-question' on faq/index.html"),
    ]


def test_a_missing_anchor_on_the_same_page_is_named(clinic, site_copy):
    add_to_page(site_copy, "costs/index.html", '<a href="#payment-plans">Payment plans</a>')
    assert problems_in(site_copy, clinic.site_url) == [Problem("costs/index.html", "#payment-plans", "a href: no id 'payment-plans' on this page")]


def test_a_missing_image_is_named(clinic, site_copy):
    add_to_page(site_copy, "contact/index.html", '<img src="../assets/front-door.jpg" srcset="../assets/front-door-2x.jpg 2x" alt="Our front door">')
    assert problems_in(site_copy, clinic.site_url) == [
        Problem("contact/index.html", "../assets/front-door-2x.jpg", "img srcset: file assets/front-door-2x.jpg is not in the built site"),
        Problem("contact/index.html", "../assets/front-door.jpg", "img src: file assets/front-door.jpg is not in the built site"),
    ]


def test_a_missing_icon_or_style_is_named(clinic, site_copy):
    (site_copy / "assets" / "favicon.svg").unlink()
    (site_copy / "assets" / "clinic.css").unlink()
    problems = problems_in(site_copy, clinic.site_url)
    assert Problem("index.html", "assets/favicon.svg", "link href: file assets/favicon.svg is not in the built site") in problems
    assert Problem("index.html", "assets/clinic.css", "link href: file assets/clinic.css is not in the built site") in problems


def test_a_broken_link_in_raw_html_inside_markdown_is_named(tiny, tmp_path):
    """The build checks a raw <a href>'s form at its line; a missing #anchor in one it cannot see, and the link check names it."""
    page = tiny.parent / "docs" / "contact.md"
    original = page.read_text()
    page.write_text(original + '\n\n<p class="directions"><a href="../directions/">How to find us</a></p>\n')
    result = build(tiny, tmp_path / "stopped")
    assert result.returncode == 1 and "docs/contact.md:14: ../directions/: the link goes to a web address of this site" in result.stderr
    page.write_text(original + '\n\n<p class="directions"><a href="#directions">How to find us</a></p>\n')
    site_dir = tmp_path / "site"
    result = build(tiny, site_dir)
    assert result.returncode == 0, f"the build was expected to miss an anchor in raw HTML:\n{result.stderr}"
    found = [p for p in problems_in(site_dir, "https://tiny.example/") if "directions" in p.target]
    assert found == [Problem("contact/index.html", "#directions", "a href: no id 'directions' on this page")]


def test_a_broken_link_in_a_template_is_named_on_every_page(tiny, tmp_path):
    footer = tiny.parent / "overrides" / "partials" / "copyright.html"
    footer.write_text(footer.read_text() + "<a href=\"{{ 'patient-portal/' | url }}\">Patient portal</a>\n")
    site_dir = tmp_path / "site"
    result = build(tiny, site_dir)
    assert result.returncode == 0, result.stderr
    problems = [p for p in problems_in(site_dir, "https://tiny.example/") if "patient-portal" in p.target]
    assert {p.page for p in problems} == set(read_site(site_dir).pages)


# The checks themselves, on small hand-made sites ---------------------------------------

PAGE = '<html><body><h1 id="top-heading">T</h1><h2 id="q-é">Q</h2><a name="old-anchor"></a>{}</body></html>'


def tiny_site(links: str, sitemap: str | None = None, site_url: str = "https://clinic.example/") -> Site:
    """Four pages and three files; `links` goes on guide/index.html."""
    pages = {name: parse_page(PAGE.format(links if name == "guide/index.html" else "")) for name in ("index.html", "guide/index.html", "faq/index.html", "404.html")}
    files = frozenset(pages) | {"assets/a b.png", "assets/style.css", "report.pdf"}
    return Site(files, pages, sitemap or sitemap_listing(["", "guide/", "faq/"], site_url), None)


def sitemap_listing(paths: list[str], site_url: str = "https://clinic.example/") -> str:
    urls = "".join(f"<url><loc>{site_url}{path}</loc></url>" for path in paths)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def problems_for(html: str, site_url: str = "https://clinic.example/") -> list[str]:
    return [f"{p.target}: {p.reason}" for p in check_site(tiny_site(html, site_url=site_url), site_url)]


@pytest.mark.parametrize("href", [
    ".", "./", "..", "../", "", "#", "#top", "#top-heading", "#old-anchor", "#q-%C3%A9", "#__code_3",
    "../faq/", "../faq", "../faq/index.html", "/faq/", "../faq/?q=dose", "../faq/#top-heading",
    "../../../faq/", "https://clinic.example/faq/#q-é", "../report.pdf#page=2",
])
def test_internal_links_resolve_like_a_browser(href):
    assert problems_for(f'<a href="{href}">x</a>') == []


@pytest.mark.parametrize("html", [
    '<img src="../assets/a%20b.png" alt="">', '<img srcset="../assets/a%20b.png 1x, ../assets/a%20b.png 2x" alt="">',
    '<link rel="stylesheet" href="../assets/style.css?v=8f3a">', '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
])
def test_resources_resolve_with_queries_and_percent_encoding(html):
    assert problems_for(html) == []


@pytest.mark.parametrize(("href", "reason"), [
    ("../prices/", "a href: page prices/index.html is not in the built site"),
    ("../faq/old.html", "a href: page faq/old.html is not in the built site"),
    ("#missing", "a href: no id 'missing' on this page"),
    ("../faq/#missing", "a href: no id 'missing' on faq/index.html"),
    ("https://clinic.example/faq/#missing", "a href: no id 'missing' on faq/index.html"),
    ("https://clinic.example/prices/", "a href: page prices/index.html is not in the built site"),
])
def test_broken_internal_links_are_named(href, reason):
    assert problems_for(f'<a href="{href}">x</a>') == [f"{href}: {reason}"]


def test_a_site_below_a_path_cannot_link_outside_it():
    site_url = "https://clinic.example/harbor/"
    assert problems_for('<a href="/other/">x</a>', site_url) == ["/other/: a href: points outside the site (resolves to /other/)"]
    assert problems_for('<a href="/harbor/faq/">x</a>', site_url) == []


@pytest.mark.parametrize("href", [
    "tel:+12085550147", "tel:+1-208-555-0147", "tel:+1(208)555.0147", "tel:988", "tel:911", "sms:988", "sms:741741?body=HOME",
])
def test_well_formed_phone_links_pass(href):
    assert problems_for(f'<a href="{href}">Call</a>') == []


@pytest.mark.parametrize("href", ["tel:", "tel:55", "tel:555-0147", "tel:12085550147", "tel:+1 208 555 0147", "tel:+1-208-CALL-NOW", "sms:"])
def test_malformed_phone_links_are_named(href):
    scheme = href.split(":")[0]
    assert problems_for(f'<a href="{href}">Call</a>') == [
        f"{href}: not a well-formed {scheme}: link; write + and the country code, then 7 to 15 digits "
        f"({scheme}:+15035550100), or a 3- to 6-digit service code ({scheme}:988)",
    ]


@pytest.mark.parametrize("href", ["mailto:care@clinic.example", "mailto:care@clinic.example?subject=Booking", "mailto:a@clinic.example,b@clinic.example"])
def test_well_formed_mailto_links_pass(href):
    assert problems_for(f'<a href="{href}">Email</a>') == []


@pytest.mark.parametrize(("href", "bad"), [
    ("mailto:", ""), ("mailto:care", "care"), ("mailto:care@clinic", "care@clinic"), ("mailto:care@@clinic.example", "care@@clinic.example"),
])
def test_malformed_mailto_links_are_named(href, bad):
    assert problems_for(f'<a href="{href}">Email</a>') == [f"{href}: not a well-formed mailto: link; '{bad}' is not an email address"]


@pytest.mark.parametrize("href", ["https://doi.org/10.1001/jamapsychiatry.2017.0080", "https://988lifeline.org/", "https://www.fda.gov/a?b=c#d"])
def test_valid_https_links_pass(href):
    assert problems_for(f'<a href="{href}">x</a>') == []


@pytest.mark.parametrize(("href", "reason"), [
    ("http://988lifeline.org/", "uses http; use https"),
    ("//cdn.example.org/app.js", "protocol-relative URL; write it with https://"),
    ("https://www.fda.gov/drug safety", "contains a space; percent-encode it as %20"),
    ("https://localhost/", "'localhost' is not a valid host name"),
    ("https:///no-host", "'' is not a valid host name"),
    ("https://bad_host.example/", "'bad_host.example' is not a valid host name"),
    ("https://example.org:99999/", "has an invalid port number"),
    ("javascript:alert(1)", "unknown URL scheme 'javascript:'; use https, tel, sms or mailto"),
    ("ftp://files.example.org/", "unknown URL scheme 'ftp:'; use https, tel, sms or mailto"),
])
def test_bad_external_links_are_named(href, reason):
    assert problems_for(f'<a href="{href}">x</a>') == [f"{href}: {reason}"]


@pytest.mark.parametrize(("rel", "ok"), [
    (None, False), ("noreferrer", False), ("noopener", True), ("noopener noreferrer", True), ("NoOpener", True),
])
def test_new_tab_links_need_noopener(rel, ok):
    rel_attribute = f' rel="{rel}"' if rel else ""
    problems = problems_for(f'<a href="https://988lifeline.org/" target="_blank"{rel_attribute}>988</a>')
    assert problems == ([] if ok else ['https://988lifeline.org/: target="_blank" without rel="noopener"'])


def test_srcset_candidates_are_split():
    assert srcset_urls("a.png 1x, b%20c.png 2x,d.png") == ["a.png", "b%20c.png", "d.png"]


def test_sitemap_must_list_every_page_but_the_404_page():
    site = tiny_site("", sitemap=sitemap_listing(["", "guide/"]))
    assert check_site(site, "https://clinic.example/") == [
        Problem("sitemap.xml", "https://clinic.example/faq/", "faq/index.html is missing from the sitemap"),
    ]


def test_sitemap_must_list_only_pages_that_exist():
    site = tiny_site("", sitemap=sitemap_listing(["", "guide/", "faq/", "prices/", "assets/style.css"]))
    assert check_site(site, "https://clinic.example/") == [
        Problem("sitemap.xml", "https://clinic.example/assets/style.css", "lists a page that is not in the built site"),
        Problem("sitemap.xml", "https://clinic.example/prices/", "lists a page that is not in the built site"),
    ]


def test_sitemap_urls_must_be_under_site_url():
    site = tiny_site("", sitemap=sitemap_listing(["", "guide/", "faq/"], site_url="https://old-clinic.example/"))
    problems = check_site(site, "https://clinic.example/")
    assert Problem("sitemap.xml", "https://old-clinic.example/faq/", "not under site_url https://clinic.example/") in problems


def test_a_missing_sitemap_is_named():
    site = tiny_site("")
    site = Site(site.files, site.pages, None, None)
    assert check_site(site, "https://clinic.example/") == [Problem("sitemap.xml", "", "missing from the built site")]


@pytest.mark.parametrize(("line", "ok"), [
    ("Sitemap: https://clinic.example/sitemap.xml", True),
    ("sitemap:https://clinic.example/sitemap.xml", True),
    ("Sitemap: https://old-clinic.example/sitemap.xml", False),
    ("Sitemap: https://clinic.example/sitemap-pages.xml", False),
])
def test_robots_txt_names_this_sites_sitemap(line, ok):
    site = tiny_site("")
    site = Site(site.files | {"sitemap.xml"}, site.pages, site.sitemap, None, f"User-agent: *\nAllow: /\n\n{line}\n")
    url = line.partition(":")[2].strip()
    expected = [] if ok else [Problem("robots.txt", url, "Sitemap: is not a file of this site under https://clinic.example/")]
    assert check_site(site, "https://clinic.example/") == expected


def test_search_results_must_open_a_heading_that_exists():
    site = tiny_site("")
    index = '{"docs": [{"location": "", "title": "Home"}, {"location": "faq/#top-heading"}, {"location": "faq/#dosing"}]}'
    site = Site(site.files, site.pages, site.sitemap, index)
    assert check_site(site, "https://clinic.example/") == [
        Problem("search/search_index.json", "faq/#dosing", "search result: no id 'dosing' on faq/index.html"),
    ]


# External URLs: the logic with a fake fetcher, then the opt-in check over the network ---------

def test_external_links_are_collected_once_with_their_pages():
    site = tiny_site('<a href="https://988lifeline.org/#chat">a</a><a href="https://988lifeline.org/">b</a><a href="https://clinic.example/faq/">c</a>')
    assert external_links(site, "https://clinic.example/") == {"https://988lifeline.org/": ["guide/index.html"]}


class FakeFetcher:
    def __init__(self, answers: dict[str, Fetched]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, url: str) -> Fetched:
        self.calls.append(url)
        return self.answers[url]


def test_each_url_is_fetched_once_and_good_answers_are_cached():
    pages_by_url = {"https://a.example/": ["index.html", "faq/index.html"], "https://b.example/": ["index.html"]}
    fetch = FakeFetcher({"https://a.example/": Fetched(200, "https://a.example/"), "https://b.example/": Fetched(404, "https://b.example/")})
    cache: dict[str, dict] = {}
    broken, flaky = check_external(pages_by_url, fetch, cache, now=1000.0)
    assert fetch.calls == ["https://a.example/", "https://b.example/"]
    assert broken == [Problem("index.html", "https://b.example/", "HTTP 404 (fetched https://b.example/)")] and flaky == []
    assert list(cache) == ["https://a.example/"]
    assert check_external(pages_by_url, fetch, cache, now=1000.0 + 3600) == (broken, [])
    assert fetch.calls[2:] == ["https://b.example/"], "a cached good answer was fetched again, or a failure was cached"


def test_cached_answers_expire():
    cache = {"https://a.example/": {"status": 200, "final_url": "https://a.example/", "checked": 0.0}}
    assert urls_to_fetch(["https://a.example/"], cache, now=CACHE_DAYS * 86400 - 1) == []
    assert urls_to_fetch(["https://a.example/"], cache, now=CACHE_DAYS * 86400 + 1) == ["https://a.example/"]


@pytest.mark.parametrize(("url", "fetched", "expected"), [
    ("https://a.example/", Fetched(301, "https://a.example/"), "ok"),
    ("https://a.example/", Fetched(403, "https://a.example/"), "broken"),
    ("https://a.example/", Fetched(None, "https://a.example/", "ReadTimeout"), "broken"),
    ("https://doi.org/10.1/x", Fetched(403, "https://jamanetwork.com/x"), "flaky"),
    ("https://doi.org/10.1/x", Fetched(None, "https://doi.org/10.1/x", "ConnectTimeout"), "flaky"),
    ("https://a.example/paper", Fetched(429, "https://www.sciencedirect.com/x"), "flaky"),
    ("https://doi.org/10.1/x", Fetched(404, "https://doi.org/10.1/x"), "broken"),
])
def test_flaky_hosts_fail_only_on_not_found(url, fetched, expected):
    assert verdict(url, fetched) == expected


def test_cache_round_trip_and_a_damaged_cache_is_ignored(tmp_path):
    path = tmp_path / ".cache" / "external-links.json"
    assert load_cache(path) == {}
    save_cache(path, {"https://a.example/": {"status": 200, "final_url": "https://a.example/", "checked": 1.0}})
    assert load_cache(path)["https://a.example/"]["status"] == 200
    path.write_text("{not json")
    assert load_cache(path) == {}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_offline_is_reported_with_the_host_it_could_not_reach():
    reason = offline_reason([f"https://127.0.0.1:{closed_port()}/a", "https://b.example/"])
    assert reason.startswith("offline: cannot connect to 127.0.0.1:") and reason.endswith("2 external URL(s) were not checked")
    assert offline_reason([]) is None
    assert offline_reason(["https://a.example/"], probe=lambda url: None) is None


class _Answers(http.server.BaseHTTPRequestHandler):
    """/ok: 200; /no-head: 405 to HEAD, 200 to GET; /gone: 404; /busy: 503 once, then 200."""

    busy_calls = 0

    def log_message(self, format: str, *args: object) -> None:
        pass

    def answer(self, head: bool) -> None:
        status = {"/ok": 200, "/gone": 404, "/no-head": 405 if head else 200}.get(self.path)
        if self.path == "/busy":
            type(self).busy_calls += 1
            status = 503 if type(self).busy_calls == 1 else 200
        self.send_response(status or 500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def do_GET(self) -> None:
        self.answer(head=False)


def test_fetch_falls_back_to_get_and_retries_server_errors():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert fetch_with_requests(f"{base}/ok", pause=0).status == 200
        assert fetch_with_requests(f"{base}/no-head", pause=0).status == 200
        assert fetch_with_requests(f"{base}/gone", pause=0).status == 404
        assert fetch_with_requests(f"{base}/busy", pause=0).status == 200 and _Answers.busy_calls == 2
        refused = fetch_with_requests(f"http://127.0.0.1:{closed_port()}/", pause=0, attempts=2)
        assert refused.status is None and "ConnectionError" in refused.error
    finally:
        server.shutdown()


@pytest.mark.external
def test_external_links_answer(clinic, site):
    """Opt-in (`make external-links`): every external URL answers; skipped, never passed, when offline."""
    pages_by_url = external_links(read_site(site), clinic.site_url)
    assert pages_by_url, "no external links found: the check would prove nothing"
    cache, now = load_cache(EXTERNAL_CACHE), time.time()
    if reason := offline_reason(urls_to_fetch(pages_by_url, cache, now)):
        pytest.skip(reason)
    broken, flaky = check_external(pages_by_url, fetch_with_requests, cache, now)
    save_cache(EXTERNAL_CACHE, cache)
    for problem in flaky:
        warnings.warn(f"flaky host, check by hand: {problem}", stacklevel=1)
    assert not broken, "\n".join(map(str, broken))
