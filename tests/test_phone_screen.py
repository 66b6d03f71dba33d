"""The first screen on a phone (issue 18, item 6): on 390 x 844, every page of every clinic shows its title and the
start of its first paragraph without scrolling; a page about mental health shows crisis help there, compact (the
one-line bar); the header shows the clinic's name or its short_name whole, never cut; a page longer than 6 screens
shows its contents there (crisis.PAGE_CONTENTS), and each page's length in phone screens is printed (`pytest -s`).
One page load per page and test."""

from __future__ import annotations

import pytest
from conftest import PHONE, page_paths

pytestmark = pytest.mark.browser

LONG = 6  # screens: a longer page has its contents on the first screen
COMPACT_BAR = 70  # px: one line of the crisis bar, or two with text a little larger

FIRST_SCREEN = """() => {
  const seen = element => {
    if (!element) return null;
    const box = element.getBoundingClientRect();
    return {top: Math.round(box.top), bottom: Math.round(box.bottom), height: Math.round(box.height),
            line: parseFloat(getComputedStyle(element).lineHeight) || 24, text: element.textContent.trim().slice(0, 60)};
  };
  const article = document.querySelector(".md-content__inner");
  const title = document.querySelector("#hero-title") || article.querySelector("h1");
  const paragraphs = document.querySelector("#hero-title") ? [document.querySelector(".clinic-hero__lead")]
    : [...article.querySelectorAll("p")].filter(p => !p.closest(".crisis-help, .crisis-bar, .page-summary, .admonition, details")
                                                && p.getClientRects().length && p.textContent.trim());
  const name = document.querySelector(".md-header__topic:first-child .md-ellipsis");
  const shownName = name && [...name.querySelectorAll("*")].filter(e => e.getClientRects().length && !e.children.length)
    .map(e => e.textContent.trim()).join(" ") || name?.textContent.trim();
  const bar = document.querySelector(".crisis-bar");
  // A page of questions (the FAQ) is its own contents: each question is one tappable line.
  const contents = document.querySelector(".page-contents summary")
    || (document.querySelectorAll("details.faq > summary").length >= 5 ? document.querySelector("details.faq > summary") : null);
  return {title: seen(title), paragraph: seen(paragraphs[0]), height: innerHeight,
          screens: document.documentElement.scrollHeight / innerHeight,
          contents: contents && contents.getClientRects().length ? seen(contents) : null,
          name: name && {shown: shownName, cut: name.scrollWidth > name.clientWidth + 1},
          bar: bar && {...seen(bar), links: [...bar.querySelectorAll("a[href^='tel:'], a[href^='sms:']")].map(a => a.getAttribute("href"))}};
}"""


def test_every_page_shows_its_title_and_first_paragraph_on_the_first_phone_screen(clinic, site, served_site, browser_page):
    page = browser_page(PHONE)
    short = clinic.data.clinic.short_name
    first = clinic.data.crisis.lines[0]
    problems = []
    for path in page_paths(site):
        page.goto(served_site + path)
        found = page.evaluate(FIRST_SCREEN)
        title, paragraph, height = found["title"], found["paragraph"], found["height"]
        if title is None or title["top"] < 0 or title["bottom"] > height:
            problems.append(f"/{path}: the title is not on the first screen: {title}")
        if paragraph is None or paragraph["top"] + paragraph["line"] > height:
            problems.append(f"/{path}: the first paragraph does not start on the first screen: {paragraph}")
        name = found["name"]
        if name is None or name["cut"] or name["shown"] not in (clinic.site_name, short):
            problems.append(f"/{path}: the header shows {name}, not '{clinic.site_name}' or '{short}' whole")
        bar = found["bar"]
        if bar is not None and (bar["bottom"] > height or bar["height"] > COMPACT_BAR or f"tel:{first.number}" not in bar["links"]):
            problems.append(f"/{path}: the crisis bar is not one compact line on the first screen: {bar}")
    assert not problems, "\n".join(problems)


def test_a_page_longer_than_six_phone_screens_has_its_contents_on_the_first_screen(clinic, site, served_site, browser_page):
    """The length of every page in 390 x 844 screens, with no part folded open: over LONG screens, the page's contents
    (its "On this page" list, or a page of 5 or more folded questions) must be on the first screen, to jump from."""
    page = browser_page(PHONE)
    problems = []
    for path in page_paths(site):
        page.goto(served_site + path)
        found = page.evaluate(FIRST_SCREEN)
        contents, screens = found["contents"], found["screens"]
        print(f"\n{clinic.name} /{path}: {screens:.1f} screens{' (contents)' if contents else ''}", end="")
        if screens > LONG and (contents is None or contents["bottom"] > found["height"]):
            problems.append(f"/{path}: {screens:.1f} screens long, with no contents on the first screen")
    assert not problems, "\n".join(problems)


SHOWN_AT_LINK = """id => {
  const entry = document.getElementById(id);
  if (!entry) return {found: false};
  const box = entry.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + 10, box.top + Math.min(box.height / 2, 10));
  const bar = document.querySelector(".crisis-bar");
  const barBox = bar && bar.getBoundingClientRect();
  const folded = entry.closest("details");
  return {found: true, top: Math.round(box.top), seen: box.top >= 0 && box.top < innerHeight && (hit === entry || entry.contains(hit)),
          open: !folded || folded.open, bar: !!barBox && barBox.top >= 0 && barBox.bottom <= innerHeight && barBox.height > 0};
}"""


def test_a_link_to_a_condition_opens_its_folded_group_and_shows_it_with_the_crisis_bar(clinic, served_site, browser_page):
    """conditions/#<id> (the home page's condition names link there): the entry's group opens, the entry is on the first
    screen, not under the header or the bar, and a mental-health entry shows the crisis bar with it."""
    page = browser_page(PHONE)
    problems = []
    for condition in clinic.data.conditions:
        page.goto(f"{served_site}conditions/#{condition.id}")
        page.wait_for_function("id => { const e = document.getElementById(id); return e && e.getClientRects().length; }",
                               arg=condition.id, timeout=5000)
        found = page.evaluate(SHOWN_AT_LINK, condition.id)
        crisis = clinic.data.category(condition.category).crisis_help
        if not (found["found"] and found["open"] and found["seen"]) or (crisis and not found["bar"]):
            problems.append(f"/conditions/#{condition.id}: {found}")
    assert not problems, "\n".join(problems)
