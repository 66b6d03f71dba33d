"""axe-core (pinned in package.json, injected from node_modules) on every built page, at a phone and a
desktop viewport, with the WCAG 2.0, 2.1 and 2.2 A and AA rules; also with the search and the menu open.

There is one color scheme (no light/dark toggle), so one pass per viewport covers every page.
"""

from __future__ import annotations

import functools

import pytest
from conftest import DESKTOP, PHONE, ROOT, browser_paths, settle

pytestmark = pytest.mark.browser

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Two rules outside those tags that the issue names: the search dialog's name and empty table headers.
RUN_AXE = """tags => axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
    rules: {"aria-dialog-name": {enabled: true}, "empty-table-header": {enabled: true}},
  })
  .then(result => result.violations.map(v => ({
    id: v.id, help: v.help, targets: v.nodes.map(node => node.target.join(" ")),
  })))"""



@functools.cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make test`, which runs `npm ci`")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """One line per violation on the page as it is now: rule id, the elements it hit, and the rule's help."""
    settle(page)  # axe measures contrast as drawn: after the menu slide and the search fade
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    return [
        f"{v['id']}: {', '.join(v['targets'])} ({v['help']})"
        for v in page.evaluate(RUN_AXE, WCAG_TAGS)
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_passes_axe(clinic, served_site, browser_page, viewport):
    page = browser_page(viewport, bypass_csp=True)
    problems = []
    for path in browser_paths(clinic):
        page.goto(served_site + path)
        problems += [f"/{path}: {line}" for line in axe_violations(page)]
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)


@pytest.mark.default_clinic
def test_open_search_with_results_passes_axe(served_site, browser_page):
    page = browser_page(PHONE, bypass_csp=True)
    page.goto(served_site + "search/")  # the search page opens search with focus in its field
    page.wait_for_selector(".md-search__input:focus")
    page.keyboard.type("ketamine")
    page.wait_for_selector(".md-search-result__item")
    found = axe_violations(page)
    assert not found, "\n".join(found)


@pytest.mark.default_clinic
def test_open_menu_passes_axe(served_site, browser_page):
    page = browser_page(PHONE, bypass_csp=True)
    page.goto(served_site + "faq/")
    page.click("label.md-header__button[for='__drawer']")
    found = axe_violations(page)
    assert not found, "\n".join(found)


def test_axe_check_reports_a_broken_page(browser_page):
    """The harness itself can fail: a page with an unnamed image and an unlabeled field is caught."""
    page = browser_page(PHONE, bypass_csp=True)
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><input type="text"></main></html>')
    found = axe_violations(page)
    assert any(line.startswith("image-alt: img") for line in found), found
    assert any(line.startswith("label: input") for line in found), found


def test_settling_survives_a_transition_replaced_midway(browser_page):
    """The cause of a flaky AbortError: a transition replaced while the checks wait for it (Material restyles the
    menu as it opens). Waiting must go on to the replacing transition's end, not fail."""
    page = browser_page(PHONE, bypass_csp=True)
    page.set_content('<html lang="en"><title>t</title><div id="box" style="transition: transform .4s">Box</div></html>')
    page.evaluate("""() => {
      const box = document.getElementById("box");
      box.getBoundingClientRect();
      box.style.transform = "translateX(100px)";
      setTimeout(() => { box.style.transform = "translateX(50px)"; }, 100);
    }""")
    settle(page)
    assert page.evaluate("document.getAnimations().length") == 0
    assert page.evaluate("getComputedStyle(document.getElementById('box')).transform") == "matrix(1, 0, 0, 1, 50, 0)"
