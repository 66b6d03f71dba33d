"""Visitor tasks on a phone (issue 24): from the home page, at 390 px wide, each visitor reaches the answer to their
task in at most 3 taps. A tap is a click on something shown (a link, the menu button); scrolling is free. The answer
is an element the task names from the clinic's own data (its phone number, the first condition, the first side
effect), shown on screen once scrolled to. Each task prints its taps and the words read before the answer
(`pytest -s`), the figures in the issue's note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import PHONE, TODAY

from clinic_site.render import format_time
from clinic_site.schema import WEEK

pytestmark = pytest.mark.browser

MAX_TAPS = 3

# Words a visitor reads on the way: the text in the page's main area before the answer, in document order.
WORDS_BEFORE = """answer => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let words = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (answer.contains(node) || (answer.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
    const parent = node.parentElement;
    if (!parent || parent.closest("header, nav, .md-sidebar, script, style, .md-search, .visually-hidden, [hidden]")) continue;
    if (!parent.getClientRects().length) continue;
    words += node.textContent.split(/\\s+/).filter(Boolean).length;
  }
  return words;
}"""
ON_SCREEN = """element => {
  element.scrollIntoView({block: "center"});
  const box = element.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + Math.min(box.width / 2, 20), box.top + Math.min(box.height / 2, 10));
  return box.width > 0 && box.bottom > 0 && box.top < innerHeight && (hit === element || element.contains(hit));
}"""


@dataclass(frozen=True)
class Task:
    visitor: str
    goal: str
    taps: Callable  # (clinic) -> list of CSS selectors to tap, in order, from the home page
    answer: Callable  # (clinic) -> CSS selector of the answer


def menu(path: str) -> list[str]:
    """Open the menu, then tap the page in it."""
    return ['label.md-header__button[for="__drawer"]', f'.md-sidebar--primary a.md-nav__link[href$="{path}"]']


def first_condition_link(clinic) -> str:
    return f'.md-content a[href$="conditions/#{clinic.data.conditions[0].id}"]'


TASKS = [
    Task("patient", "crisis help: a tap-to-call crisis line", lambda clinic: [],
         lambda clinic: f'a[href="tel:{clinic.data.crisis.lines[0].number}"]:visible'),
    Task("patient", "is it for me: their condition's entry", lambda clinic: [first_condition_link(clinic)],
         lambda clinic: f"#{clinic.data.conditions[0].id}"),
    Task("family", "is it safe: the side effects", lambda clinic: menu("safety/"),
         lambda clinic: f'.md-content li > strong:text-is("{clinic.data.side_effects[0].name}")'),
    Task("patient", "book or contact: call the clinic", lambda clinic: [],
         lambda clinic: f'a[href="tel:{clinic.data.clinic.phone_e164}"]'),
    Task("family", "when to get help after an infusion", lambda clinic: menu("safety/"),
         lambda clinic: '.md-content .admonition-title:text-is("When to get help")'),
    Task("patient", "the way there: the address on a map", lambda clinic: menu("contact/"),
         lambda clinic: f'.md-content a[href="{clinic.data.clinic.address.map_url}"]'),
    Task("clinician", "how to refer a patient", lambda clinic: menu("referrals/"),
         lambda clinic: ".md-content h1"),
]


@pytest.mark.parametrize("task", TASKS, ids=[f"{task.visitor}: {task.goal.split(':')[0]}" for task in TASKS])
def test_each_visitor_reaches_the_answer_in_three_taps_from_home(clinic, served_site, browser_page, task):
    page = browser_page(PHONE)
    page.goto(served_site)
    taps = task.taps(clinic)
    assert len(taps) <= MAX_TAPS, f"{task.goal}: {len(taps)} taps"
    for selector in taps:
        target = page.locator(selector).first
        target.wait_for(state="visible")
        target.scroll_into_view_if_needed()
        target.click()
        page.wait_for_load_state()
    assert not page.locator("iframe").count(), "no embedded third-party map or page"
    answer = page.locator(task.answer(clinic)).first
    answer.wait_for(state="attached")
    assert answer.evaluate(ON_SCREEN), f"{task.goal}: the answer ({task.answer(clinic)}) is not shown at {page.url}"
    words = answer.evaluate(WORDS_BEFORE)
    print(f"\n{clinic.name} / {task.visitor} / {task.goal}: {len(taps)} taps, {words} words before the answer")


def open_day(clinic, after: date) -> tuple[date, object]:
    """The first day after `after` that one of the clinic's hours entries covers and no closure takes."""
    closures = clinic.data.clinic.closures
    for n in range(1, 60):
        day = after + timedelta(days=n)
        if any(c.first_day <= day <= c.until for c in closures):
            continue
        entry = next((h for h in clinic.data.clinic.hours if WEEK[day.weekday()] in h.days), None)
        if entry:
            return day, entry
    raise AssertionError("the clinic is never open in the next 60 days")


def test_open_now_and_when_it_opens_follow_the_hours_in_the_clinics_time_zone(clinic, served_site, browser):
    """The contact page says whether the clinic is open by its own clock, whatever the visitor's device's zone."""
    zone = clinic.data.clinic.time_zone
    if zone is None:
        pytest.skip("this clinic gives no time_zone, so its pages say nothing about open now")
    context = browser.new_context(viewport=PHONE, timezone_id="Asia/Tokyo")  # a visitor far away: the clinic's clock counts
    page = context.new_page()
    day, entry = open_day(clinic, TODAY)
    at = lambda moment: datetime.combine(day, moment, ZoneInfo(zone))  # noqa: E731
    cases = [(at(entry.opens) + timedelta(minutes=1), f"Open now. We close at {format_time(entry.closes)} today."),
             (at(entry.opens) - timedelta(minutes=1), f"Closed now. We open today at {format_time(entry.opens)}")]
    try:
        for moment, expected in cases:
            page.clock.set_fixed_time(moment)
            page.goto(served_site + "contact/")
            line = page.locator(".open-now")
            line.wait_for(state="visible")
            assert line.inner_text().startswith(expected), (moment, line.inner_text())
    finally:
        context.close()
