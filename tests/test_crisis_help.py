"""The crisis box: on every page that discusses mental health, near the top, announced as urgent; nowhere else."""

import re

from selectolax.lexbor import LexborHTMLParser

from clinic_data import load_clinic_data
from conftest import ROOT, html_pages
from crisis_help import add_crisis_box, discusses_mental_health, mental_health_terms, page_text, render_crisis_box
from schema import Condition

DATA = load_clinic_data([ROOT / "data" / "common", ROOT / "data" / "clinic-a"])
TERMS = mental_health_terms(DATA.conditions)
# Written separately from crisis_help.GENERAL_TERMS, so a change to the hook's list is caught here.
KEYWORDS = re.compile(
    r"\b(mental[ -]health|depress\w*|anxiety|ptsd|post-traumatic|bipolar|ocd|obsessive-compulsive|suicid\w*|self-harm|mdd)\b",
    re.IGNORECASE,
)


def test_box_says_988_911_and_that_clinic_lines_are_not_watched():
    box = render_crisis_box(DATA.crisis, DATA.clinic)
    text = " ".join(LexborHTMLParser(box).body.text().split())
    assert 'href="tel:988"' in box and 'href="sms:988"' in box and 'href="tel:911"' in box
    assert "Call 988 or text 988 to reach the 988 Suicide & Crisis Lifeline" in text
    assert "Call 911 to reach emergency services" in text
    assert f"Our phone line, {DATA.clinic.phone}, and our email, {DATA.clinic.email}, are not watched around the clock" in text


def test_box_is_an_urgent_named_region_for_screen_readers():
    tree = LexborHTMLParser(render_crisis_box(DATA.crisis, DATA.clinic))
    section = tree.css_first("section.crisis-help")
    heading = tree.css_first(f"#{section.attributes['aria-labelledby']}")
    assert heading.tag == "h2"
    assert heading.css_first(".visually-hidden").text() == "Urgent advice: "
    assert heading.text().startswith("Urgent advice: If you are in crisis")


def test_detection_uses_the_data_and_general_terms():
    assert discusses_mental_health("<p>Help for PTSD.</p>", TERMS)
    assert discusses_mental_health("<p>Low moods and Depression.</p>", TERMS)
    assert not discusses_mental_health("<p>Help for nerve pain and migraine.</p>", TERMS)
    extra = Condition(id="eating-disorders", name="Eating disorders", category="mental-health", description="x")
    assert discusses_mental_health("<p>We treat eating disorders.</p>", mental_health_terms([extra]))
    assert not discusses_mental_health("<p>We treat eating disorders.</p>", TERMS)


def test_detection_ignores_words_inside_other_words_and_source_lists():
    assert not discusses_mental_health("<p>Post offices and mocd.</p>", TERMS)
    cited = '<p>Pain care.</p><h2 id="sources">Sources</h2><ol class="sources"><li>Ketamine for depression</li></ol>'
    assert not discusses_mental_health(cited, TERMS)
    assert page_text(cited) == "Pain care. Sources"


def test_box_goes_right_after_the_title():
    assert add_crisis_box("<h1>T</h1><p>Body</p>", "<section>B</section>") == "<h1>T</h1>\n<section>B</section><p>Body</p>"
    assert add_crisis_box("<p>Body</p>", "<section>B</section>") == "<section>B</section><p>Body</p>"


def article_text_without_sources(article) -> str:
    for node in article.css("ol.sources, ul.sources, .crisis-help, .review-line"):
        node.decompose()
    return article.text(separator=" ")


def test_every_page_about_mental_health_has_the_box_and_no_other_page_does(site):
    with_box = 0
    for page in html_pages(site):
        tree = LexborHTMLParser(page.read_text())
        boxes = tree.css(".crisis-help")
        # The landing page's title is in its hero, outside the article: there the box comes first.
        first_after_title = tree.css_first("article h1 ~ *") if tree.css_first("article h1") else tree.css_first("article > *")
        about_mental_health = bool(KEYWORDS.search(article_text_without_sources(tree.css_first("article"))))
        name = page.relative_to(site).as_posix()
        if about_mental_health:
            assert len(boxes) == 1, f"{name} discusses mental health but has {len(boxes)} crisis boxes"
            assert "crisis-help" in (first_after_title.attributes.get("class") or ""), f"{name}: the box is not right after the title"
            with_box += 1
        else:
            assert boxes == [], f"{name} does not discuss mental health but shows the crisis box"
    assert with_box >= 5
