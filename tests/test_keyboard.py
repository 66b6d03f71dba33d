"""Keyboard use in Chromium: a skip link first, a visible and unobscured focus ring on every Tab stop of
every page (phone and desktop), the phone menu, search and FAQ expanders by keyboard, and the crisis box
announced as urgent advice."""

from __future__ import annotations

import re

import pytest
from conftest import DESKTOP, PHONE, browser_paths, page_paths

pytestmark = pytest.mark.browser

MAX_TAB_STOPS = 300
SETTLE_TRIES = 3  # a problem seen mid-transition is checked again once the page has settled
# The focused element: is its focus ring drawn, is some of it on screen, and is that part not covered
# (sticky header, menu overlay)? With settle=true, first wait for running transitions (menu slide,
# search fade) to end: slow (Material fades colors on every focus), so only done to confirm a problem.
FOCUS_STATE = """async settle => {
  if (settle) {
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    await frame();  // let Material's scripts react to the focus (search opens, header hides) first
    await Promise.all(document.getAnimations().map(animation => animation.finished.catch(() => null)));
    await frame();
  }
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  // Headless Chromium may wrap from the last stop to the first instead of leaving the page.
  window.tabStopsSeen ??= new WeakSet();
  if (!settle && tabStopsSeen.has(element)) return null;
  tabStopsSeen.add(element);
  const style = getComputedStyle(element);
  // A link that wraps has one box per line: look at the first one that is on screen.
  const boxes = [...element.getClientRects()].map(box => ({
    left: Math.max(box.left, 0), right: Math.min(box.right, innerWidth),
    top: Math.max(box.top, 0), bottom: Math.min(box.bottom, innerHeight),
  })).filter(box => box.right > box.left && box.bottom > box.top);
  const onScreen = boxes.length > 0 && style.visibility === "visible";
  const hit = onScreen ? document.elementFromPoint((boxes[0].left + boxes[0].right) / 2,
                                                   (boxes[0].top + boxes[0].bottom) / 2) : null;
  const text = (element.textContent || element.getAttribute("aria-label") || element.title || "").trim();
  return {
    element: `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} "${text.slice(0, 40)}"`,
    where: `${element.id || element.getAttribute("href") || ""} at ${[...element.getClientRects()].map(
      box => [box.x, box.y, box.width, box.height].map(Math.round).join(",")).join(" ")}, page scrolled to ${
      Math.round(scrollY)}${document.body.hasAttribute("data-md-scrolllock") ? " and locked" : ""}`,
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    onScreen,
    covered: onScreen && !(hit === element || element.contains(hit)),
  };
}"""


def tab_stops(page) -> list[dict]:
    """Press Tab from the top of the page until focus leaves it or comes back; the state of each stop."""
    stops = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE, False)
        for _ in range(SETTLE_TRIES):
            if not (state and focus_problems(state)):
                break
            state = page.evaluate(FOCUS_STATE, True)
        if state is None:
            return stops
        stops.append(state)
    pytest.fail(f"{page.url}: focus never left the page after {MAX_TAB_STOPS} Tab presses (a keyboard trap?)")


def focus_problems(stop: dict) -> list[str]:
    problems = []
    if not stop["ring"]:
        problems.append("no focus ring")
    if not stop["onScreen"]:
        problems.append("focused but not on screen")
    elif stop["covered"]:
        problems.append("focused but covered by something else")
    return problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_tab_stop_shows_focus(clinic, served_site, browser_page, viewport):
    page = browser_page(viewport)
    report = []
    for path in browser_paths(clinic):
        page.goto(served_site + path)
        back_out_of_the_top(page)
        stops = tab_stops(page)
        assert stops and stops[0]["element"].startswith("a.md-skip"), f"/{path}: first Tab stop is {stops[:1]}"
        report += [f"/{path}: {stop['element']} ({stop['where']}): {', '.join(focus_problems(stop))}"
                   for stop in stops if focus_problems(stop)]
    assert not report, "\n".join(report)


def back_out_of_the_top(page) -> None:
    """Pages open with nothing focused, except the search page, which opens with focus in its search field
    (docs/assets/site.js). From there Shift+Tab goes back up through the header to the skip link and then
    out of the page, so the next Tab is the first Tab stop, as on a page just opened."""
    for _ in range(MAX_TAB_STOPS):
        if page.evaluate("document.activeElement === document.body"):
            return
        page.keyboard.press("Shift+Tab")
    pytest.fail(f"{page.url}: Shift+Tab never left the page")


def test_focus_check_catches_a_hidden_focus(browser):
    page = browser.new_page(viewport=PHONE)
    page.set_content('<a href="#a" style="outline: none">plain</a><a href="#b" style="position: absolute; left: -999px">'
                     'off screen</a><div style="position: fixed; inset: 0; background: #fff"></div>')
    problems = [focus_problems(stop) for stop in tab_stops(page)]
    page.close()
    assert problems == [["no focus ring", "focused but covered by something else"],
                        ["no focus ring", "focused but not on screen"]]


@pytest.mark.default_clinic
def test_skip_link_moves_past_the_header_and_menu(clinic, served_site, browser_page):
    page = browser_page(DESKTOP)
    for path in browser_paths(clinic):
        page.goto(served_site + path)
        back_out_of_the_top(page)
        page.keyboard.press("Tab")
        target = page.evaluate("document.activeElement.getAttribute('href')")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        landed = page.evaluate("""target => {
          const goal = document.querySelector(target), focused = document.activeElement;
          return {exists: goal !== null, after: goal !== null && Boolean(goal.compareDocumentPosition(focused) &
                  (Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY)),
                  inChrome: Boolean(focused.closest(".md-header, .md-sidebar"))}
        }""", target)
        assert landed == {"exists": True, "after": True, "inChrome": False}, f"/{path}: skip link {target}: {landed}"


@pytest.mark.default_clinic
def test_phone_menu_opens_moves_focus_and_closes_by_keyboard(served_site, browser_page):
    page = browser_page(PHONE)
    tab_to_menu_button(page, served_site + "faq/")
    page.keyboard.press("Enter")
    assert page.is_checked("#__drawer")
    assert page.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")
    menu_links = [stop["element"] for stop in tab_stops_until_outside(page, ".md-sidebar--primary")]
    assert any('"How it works"' in link for link in menu_links), menu_links
    assert any('"Accessibility"' in link for link in menu_links), menu_links
    assert not page.is_checked("#__drawer"), "tabbing out of the menu should close it"

    tab_to_menu_button(page, served_site + "faq/")
    page.keyboard.press(" ")
    assert page.is_checked("#__drawer")
    page.keyboard.press("Escape")
    assert not page.is_checked("#__drawer")
    assert page.evaluate("document.activeElement.matches('label[for=__drawer]')")


def tab_to_menu_button(page, url: str) -> None:
    """The menu button comes after the skip link and a closure notice's crisis links, if any. (A label's focus()
    would move focus to its hidden checkbox, so only Tab reaches it.)"""
    page.goto(url)
    before = 1 + page.locator(".md-banner a[href]").count()
    for _ in range(before + 1):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('label[for=__drawer]')")


def tab_stops_until_outside(page, selector: str) -> list[dict]:
    stops = []
    while page.evaluate("selector => document.activeElement.closest(selector) !== null", selector):
        stops.append(page.evaluate(FOCUS_STATE, True))
        assert not focus_problems(stops[-1]), stops[-1]
        assert len(stops) < MAX_TAB_STOPS
        page.keyboard.press("Tab")
    return stops


@pytest.mark.default_clinic
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_search_works_by_keyboard(served_site, browser_page, viewport):
    """Tab to the header's search button, Enter opens the search page with focus in its field, type, pick."""
    page = browser_page(viewport)
    page.goto(served_site + "faq/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('a.md-header__button[aria-label=Search]')"):
            break
    else:
        pytest.fail("Tab never reached the header's search button")
    button = page.evaluate(FOCUS_STATE, True)
    assert not focus_problems(button), button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == served_site + "search/"
    page.wait_for_selector(".md-search__input:focus")
    page.keyboard.type("aftercare")
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(FOCUS_STATE, True)["element"].startswith("a.md-search-result__link")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(served_site + "preparation-aftercare/"), page.url


@pytest.mark.default_clinic
@pytest.mark.parametrize("key", ["Enter", " "], ids=["enter", "space"])
def test_faq_answers_open_and_close_by_keyboard(served_site, browser_page, key):
    page = browser_page(PHONE)
    page.goto(served_site + "faq/")
    summaries = page.locator("details.faq > summary")
    assert summaries.count() >= 5
    details = "document.querySelector('details.faq').open"
    summaries.first.focus()
    page.keyboard.press(key)
    assert page.evaluate(details) is True
    page.keyboard.press(key)
    assert page.evaluate(details) is False


def test_crisis_box_is_announced_as_urgent(clinic, served_site, browser_page):
    """hooks/crisis_help.py: a region named by its heading, which starts with hidden "Urgent advice:"."""
    page = browser_page(DESKTOP)
    site = clinic.site_dir
    with_box = [path for path in page_paths(site) if 'class="crisis-bar"' in (site / path_file(path)).read_text()]  # not search's
    assert {"faq/", "conditions/"} <= set(with_box)
    for path in [path for path in with_box if path in browser_paths(clinic)]:
        page.goto(served_site + path)
        urgent = page.get_by_role("region", name=re.compile(r"^Urgent advice: "))
        assert urgent.count() == 1, f"/{path}: no region named 'Urgent advice: ...'"
        assert urgent.evaluate("element => element.matches('.crisis-help')")
        first_in_article = page.evaluate(
            "document.querySelector('.md-content__inner > :is(section, div, p, ul, ol, details, table):not(.visually-hidden)')"
            "?.matches('.crisis-help')")
        assert first_in_article, f"/{path}: the crisis box should be the first thing after the page title"


def path_file(path: str) -> str:
    return path + "index.html" if path == "" or path.endswith("/") else path
