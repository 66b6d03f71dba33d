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
from clinic_site.schema import SPECIALTY_NAMES, WEEK

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


def money(amount: int) -> str:
    return f"${amount:,}"


def course_total(clinic, plan) -> int | None:
    """A plan's first course, added up here from the clinic's price list: None when its number of infusions is set per
    patient or one of its prices is not published."""
    prices = {price.id: price.amount for price in clinic.data.clinic.prices}
    count = plan.most_infusions
    if count is None:
        return None
    first = plan.cost.first_infusion
    amounts = [prices[i] for i in plan.cost.once] + ([prices[first]] + [prices[plan.cost.each_infusion]] * (count - 1) if first
                                                      else [prices[plan.cost.each_infusion]] * count)
    return None if None in amounts else sum(amounts)


def course_cost_answer(clinic) -> str:
    """The typical total of the first plan that has one; for a clinic that does not publish its prices, the one line
    that says to call (after the list of unpublished prices)."""
    totals = [total for plan in clinic.data.clinic.policies.plans if (total := course_total(clinic, plan)) is not None]
    if totals:
        return f'.md-content strong:text-is("Total: {money(totals[0])}")'
    assert any(price.amount is None for price in clinic.data.clinic.prices), "no total and no unpublished price"
    return f'.md-content h2#prices ~ p:has(a[href="tel:{clinic.data.clinic.phone_e164}"])'


def group_plan(clinic, category: str) -> str:
    """The 'How many' line of the plan for one group of conditions (the session page renders every plan)."""
    name = clinic.data.category(category).name
    heading = f"For {name[:1].lower()}{name[1:]}"
    return f'.md-content p:has(> strong:text-is("{heading}")) + ul li:has(> strong:text-is("How many:"))'


def clinician_with_specialty(clinic) -> str:
    """Each listed clinician's line names their specialty; the answer is the clinic's mental-health clinician's, or the first."""
    mental = [r for r in clinic.data.reviewers if r.specialty in clinic.data.category("mental-health").reviewer_specialties]
    person = (mental or list(clinic.data.reviewers))[0]
    return (f'.md-content li:has(> strong:text-is("{person.name}"))'
            f':has-text("Specialty: {SPECIALTY_NAMES[person.specialty].lower()}")')


def limit(clinic) -> str:
    bp = clinic.data.clinic.policies.eligibility.blood_pressure_limit
    return f'.md-content p:has-text("{bp.systolic}/{bp.diastolic} mmHg")'


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
    Task("patient", "the cost of a course: its typical total, or the one line to call", lambda clinic: menu("costs/"),
         course_cost_answer),
    Task("family", "payment plans: whether the clinic offers one", lambda clinic: menu("costs/"),
         lambda clinic: ".md-content h2#paying-over-time + p"),
    Task("patient", "the pain plan: what a pain course involves", lambda clinic: menu("your-session/"),
         lambda clinic: group_plan(clinic, "pain")),
    Task("clinician", "the exclusion thresholds: the blood-pressure limit", lambda clinic: menu("referrals/"), limit),
    Task("clinician", "the exclusion thresholds: the age limits", lambda clinic: menu("referrals/"),
         lambda clinic: f'.md-content li:has-text("aged {clinic.data.clinic.policies.eligibility.min_age} ")'),
    Task("clinician", "the referral letter template: the clinic's details on it", lambda clinic: menu("referral-letter/"),
         lambda clinic: f'.md-content h2#to + p:has(a[href="tel:{clinic.data.clinic.phone_e164}"])'),
    Task("clinician", "the family-doctor route", lambda clinic: menu("referrals/"),
         lambda clinic: ".md-content h3#if-the-patients-prescriber-is-a-family-doctor + p"),
    Task("clinician", "who the clinicians are, with their specialty", lambda clinic: menu("our-team/"),
         clinician_with_specialty),
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
