"""Link checks on a built site.

MkDocs' own `validation` only sees links written in Markdown. This reads the
built HTML instead, so it also sees raw HTML in pages, links that macros emit
and links in theme templates (nav, header, footer, landing page). Each page is
parsed once; the checks are pure functions over what that parse collected.

    python -m tools.linkcheck site/          # exit status 1 and one line per problem

External URLs are only checked for form here; `check_external` fetches them
(opt-in: `make external-links`).
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from clinic_site.links import check_external_form, check_mailto, check_phone

# Attributes that point at something, by tag. `link` covers styles, icons, the manifest and canonical URLs.
URL_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",),
    "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",), "iframe": ("src",),
    "audio": ("src",), "video": ("src", "poster"), "track": ("src",), "embed": ("src",), "object": ("data",),
}
SELECTOR = ", ".join(["[id]", "a[name]", "[target]", 'meta[name="robots"]'] + [f"{tag}[{attr}]" for tag, attrs in URL_ATTRIBUTES.items() for attr in attrs])
# Material's clipboard script gives code blocks these ids in the browser, so they are missing from the HTML.
RUNTIME_ID = re.compile(r"__code_\d+")
# A full international number, or a short service code such as 911 or 988 (which has no + form).
NOT_A_PAGE = {"404.html"}
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True, order=True)
class Problem:
    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.target}: {self.reason}"


class Link(NamedTuple):  # a tuple: a large site has a million of them
    attribute: str  # "a href", "img srcset", ...
    url: str


@dataclass
class PageLinks:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    new_tab_without_noopener: list[str] = field(default_factory=list)
    noindex: bool = False  # <meta name="robots" content="noindex">: a page kept out of search engines and the sitemap


@dataclass(frozen=True)
class Site:
    files: frozenset[str]  # every file, as a posix path relative to the site folder
    pages: dict[str, PageLinks]  # every HTML file
    sitemap: str | None
    search_index: str | None
    robots: str | None = None


def srcset_urls(srcset: str) -> list[str]:
    """'a.png 1x, b.png 2x' -> ['a.png', 'b.png']."""
    return [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]


def parse_page(html: str | bytes) -> PageLinks:
    """The ids a fragment can point at and every URL the page uses, from one parse."""
    found, seen = PageLinks(), set()
    for node in LexborHTMLParser(html).css(SELECTOR):
        if node.mem_id in seen:  # lexbor returns a node once per selector it matches
            continue
        seen.add(node.mem_id)
        attributes, tag = node.attrs, node.tag
        if tag == "meta":
            found.noindex = found.noindex or "noindex" in (attributes.get("content") or "").lower()
            continue
        if node_id := attributes.get("id"):
            found.ids.add(node_id)
        if tag == "a" and (name := attributes.get("name")):
            found.ids.add(name)
        for attribute in URL_ATTRIBUTES.get(tag, ()):
            value = attributes.get(attribute)
            if value is None:
                continue
            if attribute == "srcset":
                found.links += [Link(f"{tag} srcset", url) for url in srcset_urls(value)]
            else:
                found.links.append(Link(f"{tag} {attribute}", value.strip()))
        if (attributes.get("target") or "").lower() == "_blank":
            if "noopener" not in (attributes.get("rel") or "").lower().split():
                found.new_tab_without_noopener.append(attributes.get("href") or tag)
    return found


def read_site(site_dir: Path) -> Site:
    files = frozenset(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file())
    pages = {name: parse_page((site_dir / name).read_bytes()) for name in sorted(files) if name.endswith(".html")}

    def text(name: str) -> str | None:
        return (site_dir / name).read_text(encoding="utf-8") if name in files else None

    return Site(files, pages, text("sitemap.xml"), text("search/search_index.json"), text("robots.txt"))


def site_path(site_url: str) -> str:
    """'https://example.org/clinic/' -> '/clinic/': where the site's own URLs start."""
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


def built_file(url_path: str, files: frozenset[str]) -> str | None:
    """The file a site-relative URL path is served from: 'faq/' -> 'faq/index.html'."""
    name = unquote(url_path)
    if not name or name.endswith("/"):
        name += "index.html"
    if name in files:
        return name
    if f"{name}/index.html" in files:  # a folder URL without its slash: static hosts redirect it
        return f"{name}/index.html"
    return None


def resolve_path(directory: str, path: str) -> str:
    """A relative URL path joined to a directory URL ('/a/b/'), with '.' and '..' removed as RFC 3986 says."""
    segments = (path if path.startswith("/") else directory + path).split("/")
    resolved: list[str] = []
    for segment in segments:
        if segment == "..":
            if len(resolved) > 1:
                resolved.pop()
        elif segment != ".":
            resolved.append(segment)
    if segments[-1] in (".", ".."):
        resolved.append("")
    return "/".join(resolved)


@cache
def ancestor(directory: str, levels: int) -> str:
    """'/a/b/', 1 -> '/a/'; never above '/'."""
    return resolve_path(directory, "../" * levels)


def missing_file(url_path: str) -> str:
    """How to name a target that is not there: 'page faq/index.html' or 'file img/a b.png'."""
    name = unquote(url_path)
    if not name or name.endswith("/"):
        return f"page {name}index.html"
    return f"{'page' if name.endswith('.html') else 'file'} {name}"


class LinkResolver:
    """Resolves the URLs on one site to built files and checks their fragments.

    Most links repeat from page to page (the nav, the footer), so results are kept per
    resolved target: '../../faq/' from any page two folders deep is checked once.
    """

    def __init__(self, site: Site, site_url: str) -> None:
        self.site = site
        self.site_url = site_url if site_url.endswith("/") else site_url + "/"
        self.base = site_path(site_url)
        self.results: dict[tuple[str, str, str, str], str | None] = {}

    def check(self, page: str, link: Link) -> str | None:
        """What is wrong with one link on one page, or None."""
        url = link.url
        if url.startswith("#"):
            return self.check_fragment(page, url[1:], link.attribute, "on this page")
        match = SCHEME.match(url)
        scheme = match.group().lower() if match else ""
        if scheme in ("tel:", "sms:"):
            return check_phone(url)
        if scheme == "mailto:":
            return check_mailto(url)
        if scheme == "data:" and link.attribute != "a href":
            return None
        if url.startswith(self.site_url):
            return self.check_internal(page, self.base + url[len(self.site_url):], link.attribute)
        if scheme in ("http:", "https:") or url.startswith("//"):
            return check_external_form(url)
        if scheme:
            return f"unknown URL scheme '{scheme}'; use https, tel, sms or mailto"
        return self.check_internal(page, url, link.attribute)

    def check_internal(self, page: str, url: str, attribute: str) -> str | None:
        address, _, fragment = url.partition("#")
        path = address.partition("?")[0]  # drops ?v=... cache-busting queries
        if not path:
            return self.check_fragment(page, fragment, attribute, "on this page")
        levels = 0
        while path.startswith("../"):
            path, levels = path[3:], levels + 1
        directory = ancestor(self.base + page[: page.rfind("/") + 1], levels)
        key = (directory, path, fragment, attribute)
        if key not in self.results:
            self.results[key] = self.check_target(resolve_path(directory, path), fragment, attribute)
        return self.results[key]

    def check_target(self, resolved: str, fragment: str, attribute: str) -> str | None:
        if not resolved.startswith(self.base):
            return f"{attribute}: points outside the site (resolves to {resolved})"
        wanted = resolved[len(self.base):]
        target = built_file(wanted, self.site.files)
        if target is None:
            return f"{attribute}: {missing_file(wanted)} is not in the built site"
        return self.check_fragment(target, fragment, attribute, f"on {target}")

    def check_fragment(self, target: str, fragment: str, attribute: str, where: str) -> str | None:
        if fragment and target in self.site.pages and not self.has_id(target, fragment):
            return f"{attribute}: no id '{unquote(fragment)}' {where}"
        return None

    def has_id(self, page: str, fragment: str) -> bool:
        ids = self.site.pages[page].ids
        decoded = unquote(fragment)
        # An empty fragment and #top scroll to the top of any page (HTML standard).
        return fragment in ids or decoded in ids or decoded.lower() == "top" or bool(RUNTIME_ID.fullmatch(decoded))


def check_pages(site: Site, resolver: LinkResolver) -> list[Problem]:
    problems = []
    for page, found in site.pages.items():
        for link in found.links:
            if reason := resolver.check(page, link):
                problems.append(Problem(page, link.url, reason))
        problems += [Problem(page, href, 'target="_blank" without rel="noopener"') for href in found.new_tab_without_noopener]
    return problems


def check_sitemap(site: Site, site_url: str) -> list[Problem]:
    """sitemap.xml lists every page (not 404.html, not a page marked noindex) and only pages that exist."""
    if site.sitemap is None:
        return [Problem("sitemap.xml", "", "missing from the built site")]
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text.strip() for loc in ElementTree.fromstring(site.sitemap).findall("sm:url/sm:loc", namespace) if loc.text]
    problems, listed = [], set()
    for location in locations:
        if not location.startswith(site_url):
            problems.append(Problem("sitemap.xml", location, f"not under site_url {site_url}"))
            continue
        target = built_file(location[len(site_url):], site.files)
        if target is None or not target.endswith(".html"):
            problems.append(Problem("sitemap.xml", location, "lists a page that is not in the built site"))
        elif site.pages[target].noindex:
            problems.append(Problem("sitemap.xml", location, "lists a page marked noindex"))
        listed.add(target)
    for page in sorted(set(site.pages) - listed - NOT_A_PAGE - {name for name, found in site.pages.items() if found.noindex}):
        url = site_url + (page.removesuffix("index.html") if page.endswith("index.html") else page)
        problems.append(Problem("sitemap.xml", url, f"{page} is missing from the sitemap"))
    return problems


def check_robots(site: Site, site_url: str) -> list[Problem]:
    """robots.txt, when there is one, names a sitemap that is on this site."""
    if site.robots is None:
        return []
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    problems = []
    for line in site.robots.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() != "sitemap":
            continue
        url = value.strip()
        if not url.startswith(site_url) or built_file(url[len(site_url):], site.files) is None:
            problems.append(Problem("robots.txt", url, f"Sitemap: is not a file of this site under {site_url}"))
    return problems


def check_search_index(site: Site, resolver: LinkResolver) -> list[Problem]:
    """Every search result Material offers opens a page and a heading that exist."""
    if site.search_index is None:
        return []
    problems = []
    for entry in json.loads(site.search_index)["docs"]:
        if reason := resolver.check_internal("index.html", entry["location"] or "./", "search result"):
            problems.append(Problem("search/search_index.json", entry["location"], reason))
    return problems


def check_site(site: Site, site_url: str) -> list[Problem]:
    """Every problem on a built site, sorted by page."""
    resolver = LinkResolver(site, site_url)
    problems = check_pages(site, resolver) + check_sitemap(site, site_url) + check_robots(site, site_url) + check_search_index(site, resolver)
    return sorted(set(problems))


def external_links(site: Site, site_url: str) -> dict[str, list[str]]:
    """Each external https URL once, with the pages that link to it."""
    pages_by_url: dict[str, list[str]] = {}
    for page, found in site.pages.items():
        for link in found.links:
            if link.url.startswith("https://") and not link.url.startswith(site_url):
                pages = pages_by_url.setdefault(link.url.partition("#")[0], [])
                if page not in pages:
                    pages.append(page)
    return pages_by_url


# External URLs ------------------------------------------------------------

# Hosts that often refuse scripts (403, 429) or time out while the page works in a browser.
# From them only "not found" (404, 410) fails the check; other errors are warnings.
FLAKY_HOSTS = frozenset({
    "doi.org", "dx.doi.org", "jamanetwork.com", "journals.lww.com", "www.nejm.org", "academic.oup.com",
    "psychiatryonline.org", "ajp.psychiatryonline.org", "www.sciencedirect.com", "linkinghub.elsevier.com",
    "onlinelibrary.wiley.com", "www.tandfonline.com", "www.fda.gov",
})
NOT_FOUND = (404, 410)
CACHE_DAYS = 7


@dataclass(frozen=True)
class Fetched:
    status: int | None  # None when no answer came (timeout, DNS, refused)
    final_url: str
    error: str = ""


Fetcher = Callable[[str], Fetched]


def fetch_with_requests(url: str, *, timeout: tuple[float, float] = (5, 20), attempts: int = 3, pause: float = 2) -> Fetched:
    """HEAD, then GET when a server refuses HEAD; retries timeouts, 429 and 5xx with a growing pause."""
    import requests

    headers = {"User-Agent": "Mozilla/5.0 (compatible; clinic-site-linkcheck; +https://www.mkdocs.org/)"}
    result = Fetched(None, url, "not tried")
    for attempt in range(attempts):
        if attempt:
            time.sleep(pause * attempt)
        try:
            response = requests.head(url, headers=headers, timeout=timeout, allow_redirects=True)
            if response.status_code in (403, 405, 501):
                response = requests.get(url, headers=headers, timeout=timeout, allow_redirects=True, stream=True)
                response.close()
            result = Fetched(response.status_code, response.url)
        except requests.RequestException as error:
            result = Fetched(None, url, f"{type(error).__name__}: {error}")
        if result.status is not None and result.status != 429 and result.status < 500:
            return result
    return result


def verdict(url: str, fetched: Fetched) -> str:
    """'ok', 'broken', or 'flaky' (an error from a host on FLAKY_HOSTS that is not a 404)."""
    if fetched.status is not None and fetched.status < 400:
        return "ok"
    hosts = {urlsplit(url).hostname, urlsplit(fetched.final_url).hostname}
    if fetched.status not in NOT_FOUND and hosts & FLAKY_HOSTS:
        return "flaky"
    return "broken"


def urls_to_fetch(urls: Iterable[str], cache: dict[str, dict], now: float) -> list[str]:
    """URLs with no fresh 'ok' in the cache; failures are always fetched again."""
    return [url for url in urls if not (url in cache and now - cache[url]["checked"] < CACHE_DAYS * 86400)]


def check_external(pages_by_url: dict[str, list[str]], fetch: Fetcher, cache: dict[str, dict], now: float) -> tuple[list[Problem], list[Problem]]:
    """Fetch each URL once (unless cached); returns (broken, flaky). Updates `cache` with the good ones."""
    broken: list[Problem] = []
    flaky: list[Problem] = []
    for url in urls_to_fetch(pages_by_url, cache, now):
        fetched = fetch(url)
        outcome = verdict(url, fetched)
        if outcome == "ok":
            cache[url] = {"status": fetched.status, "final_url": fetched.final_url, "checked": now}
            continue
        reason = f"HTTP {fetched.status}" if fetched.status is not None else fetched.error
        problems = [Problem(page, url, f"{reason} (fetched {fetched.final_url})") for page in pages_by_url[url]]
        (flaky if outcome == "flaky" else broken).extend(problems)
    return broken, flaky


def load_cache(path: Path) -> dict[str, dict]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def save_cache(path: Path, cache: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(cache, indent=1, sort_keys=True) + "\n")


def can_connect(url: str, timeout: float = 3) -> str | None:
    """None when a TCP connection to the URL's host opens; otherwise why not."""
    parts = urlsplit(url)
    address = (parts.hostname or "", parts.port or 443)
    try:
        socket.create_connection(address, timeout=timeout).close()
    except OSError as error:
        return f"cannot connect to {address[0]}:{address[1]} ({error})"
    return None


def offline_reason(urls: list[str], probe: Callable[[str], str | None] = can_connect) -> str | None:
    """Why the external check cannot run, from one quick connection to the first host; None when online or nothing to fetch."""
    if not urls:
        return None
    reason = probe(urls[0])
    return f"offline: {reason}; {len(urls)} external URL(s) were not checked" if reason else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check every link, anchor, image and the sitemap of a built site.")
    parser.add_argument("site_dir", type=Path, help="the built site, e.g. site/")
    parser.add_argument("--config", default="mkdocs.yml", help="the config the site was built from (for site_url)")
    options = parser.parse_args(argv)
    from mkdocs.config import load_config

    from clinic_site.commands import config_file
    from clinic_site.errors import StaffError
    from tools.project import ROOT

    try:
        config = config_file(options.config, ROOT)
    except StaffError as error:
        print(error, file=sys.stderr)
        return 2
    problems = check_site(read_site(options.site_dir), load_config(str(config)).site_url)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} link problem(s) in {options.site_dir}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
