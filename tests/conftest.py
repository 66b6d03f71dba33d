"""Shared fixtures: each clinic's site built strictly into a temporary folder, a local web server,
Debian's Chromium, and tiny fixture projects for error paths.

Every test that uses `clinic`, `site` or `served_site` runs once per clinic in the repository
(the top-level mkdocs.yml and clinics/*/mkdocs.yml), or only for the clinics given with
`--clinic clinics/<name>/mkdocs.yml` (`make test CONFIG=...`). Expected facts come from each clinic's
own data, never from a literal.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from mkdocs.config import load_config

import tools.project  # noqa: F401 (first: under ProperDocs it makes `import mkdocs` work, see tools/project.ENGINE)
from clinic_site import commands
from clinic_site.clinics import Folders, clinic_folders, repository_configs
from clinic_site.data.load import ClinicData, load_clinic_data
from clinic_site.editor.files import ADMIN
from clinic_site.errors import StaffError
from clinic_site.pages.plan import markdown_files
from tools.project import ROOT, build, clinic_name, copy_project  # noqa: F401 (tests import them from here)


# One "today" for the whole run: builds and the checks that read dates agree, whenever the run starts.
# `CLINIC_SITE_TODAY=2027-06-01 make test` runs every test as on that day.
def run_day() -> date:
    given = os.environ.get("CLINIC_SITE_TODAY")
    return commands.day(given, "CLINIC_SITE_TODAY") if given else date.today()


try:
    TODAY = run_day()
except StaffError:
    TODAY = date.today()  # pytest_configure stops the run, naming the value
FIXTURES = ROOT / "tests" / "fixtures"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--clinic", action="append", default=[], metavar="CONFIG",
                     help="a clinic's mkdocs.yml: run the per-clinic tests for it only (repeatable)")
    parser.addoption("--built-site", metavar="DIR", type=Path,
                     help="the site `make build` made for the one --clinic given: its tests check it instead of building again")


def selected_configs(config: pytest.Config) -> list[Path]:
    chosen = config.getoption("--clinic")
    try:
        return [commands.config_file(path, ROOT) for path in chosen] if chosen else repository_configs(ROOT)
    except StaffError as error:
        raise pytest.UsageError(str(error)) from None


def pytest_configure(config: pytest.Config) -> None:
    """A wrong CONFIG, BUILT or CLINIC_SITE_TODAY stops the run before any test, with the fix."""
    selected_configs(config)
    built = config.getoption("--built-site")
    if built and (len(config.getoption("--clinic")) != 1 or not (built / "index.html").is_file()):
        raise pytest.UsageError(f"BUILT: {built} is not a built site of the one clinic given with CONFIG. "
                                "Run make build CONFIG=... SITE_DIR=... first, then make test with the same CONFIG and BUILT.")
    try:
        run_day()
    except StaffError as error:
        raise pytest.UsageError(str(error)) from None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "clinic_config" in metafunc.fixturenames:
        configs = selected_configs(metafunc.config)
        metafunc.parametrize("clinic_config", configs, ids=[clinic_name(path) for path in configs], scope="session")


@dataclass(frozen=True)
class Clinic:
    """One clinic's built site and the data it was built from."""

    name: str
    config: Path
    folders: Folders
    data: ClinicData
    site_url: str
    site_name: str
    site_dir: Path


def read_clinic(config_file: Path) -> tuple[Folders, ClinicData, object]:
    settings = load_config(str(config_file))
    folders = clinic_folders(config_file, settings.plugins["clinic"].config.default_clinic)
    return folders, load_clinic_data(folders.clinic, folders.shared / "data"), settings


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test of one clinic (it uses `clinic_config`, `clinic_data`, `clinic`, `site`, ...) is marked per_clinic:
    CI runs them in each clinic's own job (`-m per_clinic --clinic ...`) and the rest once (`-m "not per_clinic"`).

    A test marked default_clinic checks what the theme does the same way for every clinic (search, menus,
    printing): it runs for the default clinic only, and is left out for the others."""
    default = (ROOT / "mkdocs.yml").resolve()
    kept, left_out = [], []
    for item in items:
        if "clinic_config" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.per_clinic)
            params = getattr(getattr(item, "callspec", None), "params", {})
            if item.get_closest_marker("default_clinic") and Path(params.get("clinic_config", default)).resolve() != default:
                left_out.append(item)
                continue
        kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session")
def clinic_data(clinic_config: Path) -> ClinicData:
    """One clinic's data, without building its site: a test of it runs once per chosen clinic, and reads no other clinic."""
    return read_clinic(clinic_config)[1]


@pytest.fixture(scope="session")
def clinic(clinic_config: Path, tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Clinic:
    """The clinic's site, built strictly once per run and reused by every check of that clinic.

    With parallel workers (pytest-xdist, `make test`), the first worker to need a clinic builds it under a lock
    in the run's shared temporary folder and the others reuse that build.
    """
    folders, data, settings = read_clinic(clinic_config)
    name = clinic_name(clinic_config)
    if built := pytestconfig.getoption("--built-site"):
        return Clinic(name, clinic_config, folders, data, settings.site_url, str(settings.site_name), built.resolve())
    shared = tmp_path_factory.getbasetemp()
    if hasattr(pytestconfig, "workerinput"):  # an xdist worker (not its environment variable, which a nested run inherits)
        shared = shared.parent  # the run's folder, above each worker's own
    site_dir = shared / f"site-{name}"
    with open(shared / f"site-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / f"site-{name}.built").is_file():
            shutil.rmtree(site_dir, ignore_errors=True)
            result = build(clinic_config, site_dir, TODAY)
            assert result.returncode == 0, result.stderr
            (shared / f"site-{name}.built").write_text(TODAY.isoformat())
    return Clinic(name, clinic_config, folders, data, settings.site_url, str(settings.site_name), site_dir)


@pytest.fixture(scope="session")
def site(clinic: Clinic) -> Path:
    return clinic.site_dir


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """The tiny fixture project (tests/fixtures/tiny) with the real theme templates; returns its mkdocs.yml."""
    root = Path(shutil.copytree(FIXTURES / "tiny", tmp_path / "tiny"))
    shutil.copytree(ROOT / "overrides", root / "overrides")
    return root / "mkdocs.yml"


def html_pages(site_dir: Path) -> list[Path]:
    """The visitor pages: every HTML file but the staff editor's page (admin/, on for some clinics: editor/)."""
    return sorted(page for page in site_dir.rglob("*.html") if page.relative_to(site_dir).parts[0] != ADMIN)


def page_paths(site_dir: Path) -> list[str]:
    """Each built page as a URL path below the site root: 'index.html' -> '', 'faq/index.html' -> 'faq/'."""
    paths = []
    for page in html_pages(site_dir):
        relative = page.relative_to(site_dir).as_posix()
        paths.append(relative.removesuffix("index.html") if page.name == "index.html" else relative)
    return paths


# The pages a browser check opens in a clinic other than the default: those its own data fills most, and its
# own pages. The default clinic's every page is opened, so each shared page is checked once per run.
REPRESENTATIVE_PAGES = ("index.md", "contact.md", "conditions.md", "costs.md")


def browser_paths(clinic) -> list[str]:
    """URL paths for the browser checks: every page of the default clinic; a few representative ones of another."""
    paths = page_paths(clinic.site_dir)
    if clinic.folders.is_default:
        return paths
    wanted = {*REPRESENTATIVE_PAGES, *markdown_files(clinic.folders.clinic / "docs")}
    chosen = {built_path(uri).removesuffix("index.html") for uri in wanted}
    return [path for path in paths if path in chosen]


def browser_pages(clinic) -> list[Path]:
    """The built files of browser_paths(clinic)."""
    return [clinic.site_dir / (path + "index.html" if path == "" or path.endswith("/") else path) for path in browser_paths(clinic)]


def built_path(src_uri: str) -> str:
    """'index.md' -> 'index.html', 'faq.md' -> 'faq/index.html', 'articles/index.md' -> 'articles/index.html'."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return f"{stem}/index.html"


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
    server.server_close()


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


# Wait until the page has stopped moving (menu slide, search fade): checks measure the page as drawn. A CSS
# transition that is replaced or cancelled midway (Material restyles the menu as it opens) rejects its
# `finished` promise with an AbortError, which made a plain Promise.all(...finished) fail at random under load
# ("AbortError: The user aborted a request"); so each round waits for the animations still running, ignores
# the cancelled ones, and looks again, until none is running (infinite ones aside) or ten rounds have passed.
SETTLE = """async () => {
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  await frame();
  for (let round = 0; round < 10; round++) {
    const running = document.getAnimations().filter(animation => animation.playState === "running"
      && animation.effect?.getComputedTiming().iterations !== Infinity);
    if (!running.length) return;
    await Promise.all(running.map(animation => animation.finished.catch(() => null)));
    await frame();
  }
}"""


def settle(page) -> None:
    page.evaluate(SETTLE)


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


def site_pages(clinic) -> dict[str, Path]:
    """Every page of this clinic's site, by its path in docs/: shared pages, minus left-out ones, plus its own."""
    pages = {uri: path for uri, path in markdown_files(ROOT / "docs").items() if uri not in clinic.data.pages.leave_out}
    pages.update(markdown_files(clinic.folders.clinic / "docs"))
    return pages
