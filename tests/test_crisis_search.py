"""Crisis help wherever a visitor lands (issue 24): in search, on a page opened halfway down, and as a tap on
every crisis number the site prints. The phrases and numbers come from each clinic's crisis.yml."""

from __future__ import annotations

import pytest
from conftest import DESKTOP, PHONE, html_pages
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from clinic_site.crisis import unlinked_numbers

pytestmark = pytest.mark.browser

# Searches that are not about a crisis: the box stays hidden (phrases are matched as whole words).
CALM_SEARCHES = ["side effects", "cost", "killer whale", "my self care", "pain"]
BOX_ABOVE_RESULTS = """() => {
  const box = document.querySelector(".crisis-search");
  const results = document.querySelector(".md-search-result");
  const shown = box && !box.hidden && box.getClientRects().length > 0;
  return {shown, above: shown && box.getBoundingClientRect().bottom <= results.getBoundingClientRect().top + 1,
          links: shown ? [...box.querySelectorAll("a[href]")].filter(a => a.getClientRects().length).map(a => a.getAttribute("href")) : []};
}"""


def needed_links(clinic) -> set[str]:
    return {f"tel:{line.number}" for line in clinic.data.crisis.lines} | {
        f"sms:{line.number}" for line in clinic.data.crisis.lines if line.can_text}


def search(page, text: str) -> dict:
    page.fill(".md-search__input", text)
    # Material answers in its worker: wait until the result count speaks of this search, not the last one.
    page.wait_for_function("() => !document.querySelector('.md-search-result__meta').textContent.includes('Initializing')")
    return page.evaluate(BOX_ABOVE_RESULTS)


def written_variants(phrase: str) -> list[str]:
    """The phrase as typed in a longer search, in capitals, and with a curly apostrophe."""
    return [phrase, f"i {phrase.upper()} tonight", phrase.replace("'", "\u2019")]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_crisis_phrase_shows_the_crisis_lines_above_the_results(clinic, served_site, browser_page, viewport):
    page = browser_page(viewport)
    page.goto(served_site + "search/")
    page.wait_for_selector(".md-search__input:focus")
    phrases = [phrase for language in clinic.data.crisis.search_phrases.values() for phrase in language]
    assert len(phrases) >= 5
    missed = []
    for phrase in phrases:
        for typed in written_variants(phrase) if viewport is PHONE else [phrase]:
            found = search(page, typed)
            if not (found["shown"] and found["above"] and needed_links(clinic) <= set(found["links"])):
                missed.append(f"{typed!r}: {found}")
    assert not missed, "\n".join(missed)


def test_other_searches_show_no_crisis_box_and_clearing_hides_it(served_site, browser_page):
    page = browser_page(PHONE)
    page.goto(served_site + "search/")
    page.wait_for_selector(".md-search__input:focus")
    for typed in CALM_SEARCHES:
        assert search(page, typed)["shown"] is False, typed
    assert search(page, "want to die")["shown"] is True
    page.click("button[type=reset]")
    page.wait_for_timeout(50)
    assert page.evaluate(BOX_ABOVE_RESULTS)["shown"] is False


def test_a_link_halfway_down_a_mental_health_page_shows_call_or_text_on_the_first_screen(clinic, site, served_site, browser_page):
    """/conditions/#mental-health on a phone: the one-line bar sits under the header, with both links."""
    page = browser_page(PHONE)
    anchors = HTMLParser((site / "conditions" / "index.html").read_text()).css("article h2[id]:not(.crisis-help__heading)")
    assert anchors and [node for node in anchors if "mental" in node.attributes["id"]]
    for anchor in anchors:
        page.goto(f"{served_site}conditions/#{anchor.attributes['id']}")
        page.wait_for_function("() => scrollY > 0")
        visible = page.evaluate("""() => [...document.querySelectorAll(".crisis-bar a[href]")]
          .filter(a => { const r = a.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.width > 0
                         && document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest("a") === a; })
          .map(a => a.getAttribute("href"))""")
        first = clinic.data.crisis.lines[0]
        assert {f"tel:{first.number}"} | ({f"sms:{first.number}"} if first.can_text else set()) <= set(visible), anchor.attributes["id"]


def test_more_help_opens_the_full_box_on_a_phone(clinic, served_site, browser_page):
    page = browser_page(PHONE)
    page.goto(served_site + "conditions/")
    assert not page.is_visible(".md-content .crisis-help"), "on a phone the bar stands in for the box"
    page.click(".crisis-bar__more")
    page.wait_for_selector(".md-content .crisis-help", state="visible")
    for line in clinic.data.crisis.lines:
        assert page.is_visible(f'.md-content .crisis-help a[href="tel:{line.number}"]')


def test_no_page_prints_a_crisis_number_without_its_call_and_text_links(clinic, site):
    """Every page as built, with the theme's parts too (the closure banner, the 404 page, the search page)."""
    problems = []
    for page in html_pages(site):
        tree = HTMLParser(page.read_text())
        body = tree.css_first("body")
        for node in body.css("script, .md-sidebar"):  # the menu repeats page titles, not numbers
            node.decompose()
        problems += [f"{page.relative_to(site)}: {found}" for found in unlinked_numbers(body.html, clinic.data.crisis.lines)]
    assert not problems, "\n".join(problems)
