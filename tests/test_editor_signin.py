"""Signing in to the staff editor without Netlify, end to end, in Debian's Chromium, with nothing leaving 127.0.0.1.

The built /admin/ of a clinic whose config points the editor at its own sign-in service (`base_url`) and at a
GitHub API (`api_root`), as handbook/editor.md "Signing in without Netlify" tells a clinic to: a staff member
chooses Login, authorizes the OAuth app on GitHub's page in the pop-up, and is back in the editor with the
clinic's collections listed from the repository. And when the service refuses (a site it does not serve) or the
person cancels on GitHub, the editor says why and stays signed out.

The sign-in service and GitHub are stand-ins (tests/oauth_standin.py): the service follows sveltia-cms-auth's
protocol, GitHub answers as much of its API as Decap asks for, and any other request fails the test.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import ROOT, TODAY, build
from oauth_standin import ERRORS, FakeGitHub, SignInService, certificate
from test_editor import EDITOR_CONFIGS, commit_as_it_was, editor_of, project_copy, stop

from clinic_site.pages.record import read_page

pytestmark = pytest.mark.browser

CLIENT_ID, CLIENT_SECRET = "Iv1.0123456789abcdef", "a-secret-only-the-sign-in-service-holds"
# ms, for every wait: Decap's first screen takes 7-17 s on a loaded machine (handbook/editor.md); here 2-8 s alone.
SIGN_IN_TIMEOUT = 60_000


@dataclass(frozen=True)
class Stand:
    admin: str  # the editor's address on the static host
    site: Path
    config: dict  # the built admin/config.yml
    site_url: str
    service: SignInService
    github: FakeGitHub
    own_pages: list[str]  # the titles of the clinic's own pages (docs/*.md of its folder)


@pytest.fixture(scope="module")
def stand(tmp_path_factory) -> Iterator[Stand]:
    with standing(tmp_path_factory) as running:
        yield running


@contextlib.contextmanager
def standing(tmp_path_factory) -> Iterator[Stand]:
    """A git copy of the project whose editor clinic signs in through the stand-ins, built, and served on 127.0.0.1."""
    source = EDITOR_CONFIGS[0]
    repo = project_copy(tmp_path_factory.mktemp("repo"))
    config_file = repo / source.relative_to(ROOT)
    editor = editor_of(source)
    cert, key = certificate(tmp_path_factory.mktemp("tls"))
    github = FakeGitHub(repo, editor.repo, CLIENT_ID, CLIENT_SECRET, callback_url="")
    with contextlib.ExitStack() as stack:
        github_origin = stack.enter_context(github.running(cert, key))
        service = SignInService(github_origin, CLIENT_ID, CLIENT_SECRET, allowed_domains="127.0.0.1", ca_file=cert)
        service_origin = stack.enter_context(service.running(cert, key))
        github.callback_url = f"{service_origin}/callback"  # the OAuth app's setting: the service's /callback
        # The clinic's settings, as the handbook's recipe writes them (the clinic's own keys kept).
        settings = yaml.safe_load(config_file.read_text())
        chosen = {"base_url": service_origin, "api_root": f"{github_origin}/api/v3"}
        config_file.write_text(config_file.read_text() + "".join(f"      {key}: {value}\n" for key, value in chosen.items()))
        assert yaml.safe_load(config_file.read_text())["plugins"]["clinic"]["editor"] == \
            {**settings["plugins"]["clinic"]["editor"], **chosen}
        commit_as_it_was(repo)
        site = tmp_path_factory.mktemp("site")
        built = build(config_file, site, TODAY, cwd=repo)
        assert built.returncode == 0, built.stderr
        host = subprocess.Popen([sys.executable, str(ROOT / "tests" / "static_host.py"), str(site)], stdout=subprocess.PIPE, text=True)
        stack.callback(stop, host)
        port = int(host.stdout.readline().split()[1])
        clinic_docs = config_file.parent / "docs"
        own = [read_page(path.name, path, own=True).meta.title for path in sorted(clinic_docs.glob("*.md"))]
        yield Stand(f"http://127.0.0.1:{port}/admin/", site, yaml.safe_load((site / "admin" / "config.yml").read_text()),
                    yaml.safe_load(config_file.read_text()).get("site_url", ""), service, github, own)


class Tab:
    """One editor tab in its own browser context (Decap keeps the signed-in user in its storage)."""

    def __init__(self, browser, stand: Stand) -> None:
        # The stand-ins' certificate is made for this run; Chromium is told to accept it, for this context only.
        self.context = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(SIGN_IN_TIMEOUT)
        self.context.add_init_script("window.__violations = []; document.addEventListener('securitypolicyviolation',"
                                     " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.failed: list[str] = []  # requests that never got an answer
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.context.on("requestfailed", lambda request: self.failed.append(f"{request.method} {request.url} {request.failure}"))
        self.page.goto(stand.admin)
        self.login = self.page.get_by_role("button", name="Login with GitHub")
        self.login.wait_for()

    def sign_in(self):
        """Choose Login; return the pop-up (the sign-in service, then GitHub's page)."""
        with self.page.expect_popup() as popup:
            self.login.click()
        return popup.value

    def close(self) -> None:
        self.context.close()


def closed(popup) -> None:
    """Wait until Decap has closed the pop-up (it may have already: events arrive only while Playwright waits)."""
    if not popup.is_closed():
        popup.wait_for_event("close")


def signed_in_user(tab: Tab) -> dict | None:
    """The user Decap keeps after signing in (its local storage), or None."""
    return tab.page.evaluate("JSON.parse(localStorage.getItem('decap-cms-user') || 'null')")


def refused(tab: Tab, stand: Stand, expected: str, in_popup=None) -> tuple[str, dict | None, list[str]]:
    """Choose Login, do `in_popup` there (if anything), and wait for the editor to show `expected`:
    (the message the editor shows, the signed-in user, the editor's requests to GitHub's API meanwhile)."""
    stand.github.requests.clear()
    popup = tab.sign_in()
    if in_popup:
        in_popup(popup)
    alert = tab.page.get_by_role("alert").filter(has_text=expected)
    alert.wait_for()
    closed(popup)
    tab.login.wait_for()  # still on the login page
    return alert.inner_text(), signed_in_user(tab), [request for request in stand.github.requests if " /api/" in request]


def test_staff_are_told_why_sign_in_failed_then_sign_in_and_see_the_collections(browser, stand):
    """One staff member's tab: refused twice, each time told why and left signed out; then signed in."""
    backend = stand.config["backend"]
    assert (backend["base_url"], backend["api_root"]) == (stand.service.origin, f"{stand.github.origin}/api/v3")
    start = time.monotonic()
    tab = Tab(browser, stand)
    page = tab.page
    # An error from any other origin than the service's is not shown (sign-in.js reads only base_url's answers).
    page.evaluate("window.postMessage('authorization:github:error:' + JSON.stringify({error: 'Forged.'}), '*')")
    page.wait_for_timeout(300)
    assert page.get_by_role("alert").count() == 0

    # 1. The service serves only the domains it is given (sveltia-cms-auth's ALLOWED_DOMAINS): here the clinic's
    # published host, while the editor is opened on 127.0.0.1. It refuses before GitHub is asked anything.
    stand.service.allowed_domains = urlsplit(stand.site_url).hostname
    shown, user, api = refused(tab, stand, ERRORS["UNSUPPORTED_DOMAIN"])
    assert shown.startswith("Sign-in did not work:") and user is None and api == [], (shown, user, api)
    assert not any(request.startswith("GET /login/oauth/authorize") for request in stand.github.requests)

    # 2. Cancel on GitHub's page: no code, so no token.
    stand.service.allowed_domains = "127.0.0.1"  # the host the editor is opened on (Decap's site_id)
    shown, user, api = refused(tab, stand, ERRORS["AUTH_CODE_REQUEST_FAILED"],
                               lambda popup: popup.get_by_role("link", name="Cancel").click())
    assert user is None and api == [] and "POST /login/oauth/access_token" not in stand.github.requests

    # 3. Authorize: signed in, the message gone, every collection of the generated config listed.
    stand.service.requests.clear()
    popup = tab.sign_in()
    popup.get_by_role("link", name="Authorize").wait_for()
    assert urlsplit(popup.url)[:3] == urlsplit(f"{stand.github.origin}/login/oauth/authorize")[:3], popup.url
    popup.get_by_role("link", name="Authorize").click()
    closed(popup)
    for collection in stand.config["collections"]:
        page.get_by_role("link", name=collection["label"], exact=True).first.wait_for()
    assert page.get_by_role("alert").count() == 0
    # The clinic's own pages, listed from the repository through the API (a tree, then each file's blob).
    own = next(collection for collection in stand.config["collections"] if collection["name"] == "pages")
    page.get_by_role("link", name=own["label"], exact=True).first.click()
    for title in stand.own_pages:
        page.get_by_text(title, exact=True).first.wait_for()
    seconds = time.monotonic() - start
    user = signed_in_user(tab)
    violations = page.evaluate("window.__violations")
    tab.close()
    assert user and user["token"] == stand.github.token and user["login"] == stand.github.user, user
    asked = [request for request in stand.service.requests if request != "GET /favicon.ico"]  # the browser's own
    assert asked == ["GET /auth", "GET /callback"], stand.service.requests
    assert "POST /login/oauth/access_token" in stand.github.requests
    assert any("/git/blobs/" in request for request in stand.github.requests)
    assert not stand.github.unknown, f"the editor asked the stand-in GitHub for what it does not answer: {stand.github.unknown}"
    # Its policy lets the editor reach the API it is configured with (api_root), and nothing blocked a request.
    assert not [v for v in violations if "githubstatus.com" not in v], violations
    assert not tab.errors and not tab.failed, (tab.errors, tab.failed)
    print(f"refused twice, then signed in and listed the collections, in {seconds:.1f} s")


# A page of another site that opens the service's sign-in with the clinic's site_id, and answers its handshake.
FORGED_OPENER = """([service, siteId]) => {
  window.__received = [];
  window.addEventListener('message', (event) => {
    window.__received.push(event.data);
    if (event.data === 'authorizing:github') event.source.postMessage(event.data, event.origin);
  });
  window.open(`${service}/auth?provider=github&site_id=${siteId}&scope=repo`, 'forged');
}"""


def test_another_site_opening_the_sign_in_gets_no_token(browser, stand):
    """The /callback page sends the token only to a window on a host the service serves: a page on
    http://localhost (not 127.0.0.1) that opens /auth with site_id=127.0.0.1 gets the handshake, never the token."""
    stand.service.allowed_domains = "127.0.0.1"
    context = browser.new_context(ignore_https_errors=True)
    context.set_default_timeout(SIGN_IN_TIMEOUT)
    page = context.new_page()
    page.goto(stand.admin.replace("127.0.0.1", "localhost").removesuffix("admin/"))
    with page.expect_popup() as opened:
        page.evaluate(FORGED_OPENER, [stand.service.origin, "127.0.0.1"])
    popup = opened.value
    popup.get_by_role("link", name="Authorize").click()  # or no page at all: GitHub skips it once authorized
    popup.wait_for_url(f"{stand.service.origin}/callback?**")
    popup.wait_for_load_state()
    page.wait_for_function("window.__received.includes('authorizing:github')")
    page.wait_for_timeout(500)  # time for an answer that must not come
    received = page.evaluate("window.__received")
    context.close()
    assert received == ["authorizing:github"], received
