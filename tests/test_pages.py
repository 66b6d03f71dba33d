"""pages/: front matter, which pages make up a clinic's site, its menu, and its review records."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES

from clinic_site.data.load import load_clinic_data
from clinic_site.errors import StaffError
from clinic_site.pages.checks import check_links
from clinic_site.pages.front_matter import read_front_matter
from clinic_site.pages.menu import edit_nav
from clinic_site.pages.plan import plan_pages
from clinic_site.pages.record import PageRecord, read_page
from clinic_site.pages.reviews import check_reviews, reviews_due
from clinic_site.schema import SitePages

PAGE = Path("docs/safety.md")


def front_matter_error(text: str) -> StaffError:
    with pytest.raises(StaffError) as caught:
        read_front_matter(text, PAGE)
    return caught.value


def test_good_front_matter_is_read_and_typed():
    meta, body, line = read_front_matter("---\ntitle: A\ndescription: B.\naudience: patients\nsummary: [One., Two., Three.]\n---\n\n# A\n", PAGE)
    assert (meta.title, meta.health_page, meta.audience, meta.summary, line) == ("A", True, "patients", ["One.", "Two.", "Three."], 8)
    meta, _, _ = read_front_matter("---\ntitle: C\ndescription: D.\nhealth_page: false\n---\nText\n", PAGE)
    assert meta.health_page is False and meta.audience is None


@pytest.mark.parametrize(("text", "line", "key", "words"), [
    ("---\ntitle: A\ndescripton: B.\naudience: patients\n---\nx\n", 3, "descripton", "Did you mean 'description'?"),
    ("---\ntitle: A\naudience: patients\n---\nx\n", 2, "description", "required key is missing"),
    ("---\ntitle: A\ndescription: B.\n---\nx\n", 2, None, "audience is missing"),
    ("---\ntitle: A\ndescription: B.\naudience: everyone\n---\nx\n", 4, "audience", "Use one of: patients or clinicians"),
    ("---\ntitle: A\ntitle: B\ndescription: C.\naudience: patients\n---\nx\n", 3, "title", "written twice"),
    ("---\ntitle: Your visit: what to expect\ndescription: B.\naudience: patients\n---\nx\n", 2, None, "put the whole value in double quotes"),
    ("---\ntitle: A\ndescription: B.\naudience: patients\nreviewed_by: lindqvist\n---\nx\n", 5, "reviewed_by", "data/reviews.yml"),
    ("---\ntitle: A\ndescription: B.\naudience: patients\nsummary: [One., Two., Three.]\n---\n\n  \n", 7, None, "no text after its front matter"),
    ("---\ntitle: A\ndescription: B.\naudience: patients\n---\nx\n", 4, "summary", "needs an at-a-glance summary"),
    ("---\ntitle: A\ndescription: B.\naudience: patients\nsummary: [One., Two.]\n---\nx\n", 5, "summary", "has 2 lines, not 3 to 5"),
    ("---\ntitle: A\ndescription: B.\naudience: patients\nsummary: [1, 2, 3, 4, 5, 6]\n---\nx\n", 5, "summary", "has 6 lines"),
    ("---\ntitle: A\ndescription: B.\naudience: patients\nsummary:\n  - \"# Big\"\n  - B.\n  - C.\n---\nx\n", 6, "summary[1]", "a heading"),
    ("# No front matter\n", 1, None, "has no front matter"),
    ("---\ntitle: A\ndescription: <b>B</b>\naudience: patients\n---\nx\n", 3, "description", "HTML is not allowed"),
    ("---\ntitle: A\ndescription: B.\nhealth_page: nope\n---\nx\n", 4, "health_page", "true or false"),
])
def test_front_matter_mistakes_name_the_line_and_key(text, line, key, words):
    error = front_matter_error(text)
    assert (error.file, error.line, error.key) == ("docs/safety.md", line, key), str(error)
    assert words in str(error)


def test_harmless_front_matter_builds():
    meta, _, _ = read_front_matter('---\ntitle: "Your visit: what to expect"\ndescription: It is *very* calm & "quiet".\n'
                                   "audience: patients\nsummary: [One., Two., Three.]\n---\nText\n", PAGE)
    assert meta.title == "Your visit: what to expect" and meta.description == 'It is *very* calm & "quiet".'


@pytest.fixture
def tiny_root(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "tiny", tmp_path / "tiny"))


def tiny_data(root: Path):
    return load_clinic_data(root / "clinics" / "tiny", root / "data")


def test_own_pages_are_added_and_replace_shared_ones_and_left_out_pages_go(tiny_root):
    own = tiny_root / "clinics" / "tiny" / "docs"
    own.mkdir()
    (own / "team.md").write_text("---\ntitle: Team\ndescription: Us.\nhealth_page: false\n---\nHi\n")
    (own / "contact.md").write_text("---\ntitle: Contact\ndescription: Our own.\nhealth_page: false\n---\nCall\n")
    (tiny_root / "clinics/tiny/data/pages.yml").write_text("leave_out: [faq.md]\nmenu:\n  - page: team.md\n")
    (tiny_root / "docs/index.md").write_text((tiny_root / "docs/index.md").read_text().replace("See [questions](faq.md) or ", "Or "))
    data = tiny_data(tiny_root)
    plan = plan_pages(tiny_root / "docs", own, data)
    assert sorted(plan.pages) == ["contact.md", "index.md", "team.md"]
    assert plan.pages["contact.md"] == own / "contact.md" and plan.own == {"contact.md", "team.md"}
    nav = [{"Home": "index.md"}, {"Questions": "faq.md"}, {"Contact": "contact.md"}]
    assert edit_nav(nav, data, plan.own, set()) == [{"Home": "index.md"}, {"Contact": "contact.md"}, "team.md"]


def test_leaving_out_a_page_another_page_links_to_stops(tiny_root):
    (tiny_root / "clinics/tiny/data/pages.yml").write_text("leave_out:\n  - faq.md\n")
    data = tiny_data(tiny_root)
    plan = plan_pages(tiny_root / "docs", None, data)
    with pytest.raises(StaffError) as caught:
        check_links({uri: read_page(uri, path) for uri, path in plan.pages.items()}, data)
    error = caught.value
    assert error.file.endswith("pages.yml") and error.line == 2
    assert "faq.md cannot be left out" in error.problem and "links to it on line 16" in error.problem


def test_menu_mistakes_stop(tiny_root):
    (tiny_root / "clinics/tiny/data/pages.yml").write_text("menu:\n  - page: team.md\n    section: Your cares\n")
    own = tiny_root / "clinics/tiny/docs"
    own.mkdir()
    (own / "team.md").write_text("---\ntitle: Team\ndescription: Us.\nhealth_page: false\n---\nHi\n")
    data = tiny_data(tiny_root)
    nav = [{"Home": "index.md"}, {"Your care": ["faq.md"]}]
    with pytest.raises(StaffError, match="no menu section called 'Your cares'. Did you mean 'Your care'. Use one of: Your care"):
        edit_nav(nav, data, frozenset({"team.md"}), set())
    data = replace(data, pages=SitePages(menu=[{"page": "team.md", "section": "Your care"}]))
    assert edit_nav(nav, data, frozenset({"team.md"}), set()) == [{"Home": "index.md"}, {"Your care": ["faq.md", "team.md"]}]


MENU = [{"Home": "index.md"}, {"About the treatment": ["how.md", "safety.md"]}, {"Your care": ["faq.md", "contact.md"]},
        {"About this site": ["privacy.md"]}]
OWN = frozenset({"team.md", "parking.md", "news.md"})


def placed(tiny_root: Path, menu: str) -> list:
    (tiny_root / "clinics/tiny/data/pages.yml").write_text(f"menu:\n{menu}")
    import copy

    return edit_nav(copy.deepcopy(MENU), tiny_data(tiny_root), OWN, set())


@pytest.mark.parametrize("menu, expected", [
    ("  - page: team.md\n    before: faq.md\n", {"Your care": ["team.md", "faq.md", "contact.md"]}),
    ("  - page: team.md\n    after: contact.md\n", {"Your care": ["faq.md", "contact.md", "team.md"]}),
    ("  - page: team.md\n    after: index.md\n", {"team.md": 1}),
    ("  - page: team.md\n    section: About the treatment\n", {"About the treatment": ["how.md", "safety.md", "team.md"]}),
    ("  - page: team.md\n    section: Our clinic\n    new_section: true\n", {"Our clinic": ["team.md"], "position": 4}),
    ("  - page: team.md\n    section: Our clinic\n    new_section: true\n    before: privacy.md\n"
     "  - page: parking.md\n    section: Our clinic\n  - page: news.md\n    after: team.md\n",
     {"Our clinic": ["team.md", "news.md", "parking.md"], "position": 3}),
], ids=["before a page", "after a page", "after a top-level page", "end of a section", "a new section at the end",
        "a new section before another, then pages in it"])
def test_an_own_page_goes_anywhere_in_the_menu(tiny_root, menu, expected):
    nav = placed(tiny_root, menu)
    for key, value in expected.items():
        if key == "position":
            continue
        if key.endswith(".md"):
            assert nav[value] == key, nav
        else:
            assert {key: value} in nav, nav
    if "position" in expected:
        section = next(key for key in expected if key != "position")
        assert next(iter(nav[expected["position"]])) == section, nav
    assert sorted(page for page in OWN if page in str(nav)) == sorted(OWN)  # the others go at the end, as before


@pytest.mark.parametrize("menu, line, key, words", [
    ("  - page: team.md\n    before: fqa.md\n", 3, "menu[1].before", ("fqa.md is not in the menu", "Did you mean faq.md?")),
    ("  - page: team.md\n    before: faq.md\n    after: contact.md\n", 4, "menu[1].after", ("before and after both",)),
    ("  - page: team.md\n    section: Your care\n    after: contact.md\n", 4, "menu[1].after", ("section and after both",)),
    ("  - page: team.md\n    new_section: true\n", 3, "menu[1].new_section", ("a new section needs a name", "section:")),
    ("  - page: team.md\n    section: Your care\n    new_section: true\n", 3, "menu[1].section",
     ("already a menu section called 'Your care'", "Remove new_section: true")),
    ("  - page: team.md\n    section: Our clinic\n", 3, "menu[1].section", ("no menu section called 'Our clinic'", "new_section: true")),
    ("  - page: team.md\n  - page: team.md\n    section: Your care\n", 3, "menu[2].page", ("team.md is already in the menu",)),
    ("  - page: faq.md\n", 2, "menu[1].page", ("faq.md is not one of your own pages",)),
])
def test_a_bad_menu_position_names_the_line_and_the_fix(tiny_root, menu, line, key, words):
    with pytest.raises(StaffError) as caught:
        placed(tiny_root, menu)
    error = caught.value
    assert error.file.endswith("clinics/tiny/data/pages.yml") and error.line == line and error.key == key, str(error)
    for part in words:
        assert part in str(error), str(error)


def records(root: Path) -> dict[str, PageRecord]:
    return {uri: read_page(uri, root / "docs" / uri) for uri in ("index.md", "faq.md", "contact.md")}


def test_every_health_page_gets_its_review_record(tiny_root):
    data, found = tiny_data(tiny_root), records(tiny_root)
    check_reviews(data, found, date(2026, 11, 22))
    assert found["index.md"].review.reviewed_by == ["tester", "psych"] and found["contact.md"].review is None


def test_review_mistakes_name_the_page_and_the_clinics_file(tiny_root):
    path = tiny_root / "clinics/tiny/data/reviews.yml"
    path.write_text(path.read_text().replace("[index.md, faq.md]", "[index.md]"))
    with pytest.raises(StaffError) as caught:
        check_reviews(tiny_data(tiny_root), records(tiny_root), date(2026, 11, 22))
    assert caught.value.file.endswith("clinics/tiny/data/reviews.yml") and caught.value.key == "faq.md"
    assert "faq.md is a health page with no review record, so it cannot be published as reviewed" in str(caught.value)

    path.write_text(path.read_text().replace("[index.md]", "[index.md, faq.md, contact.md]"))
    with pytest.raises(StaffError, match="contact.md is not a health page"):
        check_reviews(tiny_data(tiny_root), records(tiny_root), date(2026, 11, 22))


def test_only_a_review_dated_in_the_future_depends_on_today(tiny_root):
    data = tiny_data(tiny_root)
    with pytest.raises(StaffError, match="2026-01-15 is in the future"):
        check_reviews(data, records(tiny_root), date(2026, 1, 14))
    for today in (date(2026, 1, 15), date(2027, 6, 1), date(2040, 1, 1)):  # overdue never stops a build
        check_reviews(data, records(tiny_root), today)


def test_reviews_due_lists_soon_and_overdue_pages(tiny_root):
    data = tiny_data(tiny_root)
    assert reviews_due(data, date(2026, 6, 1), 30) == []
    due = reviews_due(data, date(2026, 6, 20), 30)
    assert [(item.page, item.days_left, item.line) for item in due] == [("faq.md", 25, 4), ("index.md", 25, 4)]
    assert [item.days_left for item in reviews_due(data, date(2026, 8, 1), 30)] == [-17, -17]


@pytest.mark.parametrize("line, bold", [("**Pain**", True), ("__Mental health:__", True), ("**Pain:** ", True),
                                        ("**Note:** bring a friend.", False), ("Say **no** to driving.", False)])
def test_bold_words_alone_on_a_line_must_be_a_heading(tmp_path, line, bold):
    page = tmp_path / "page.md"
    page.write_text(f"---\ntitle: T\ndescription: D.\nhealth_page: false\n---\n\n# T\n\n{line}\n\n- a list\n", encoding="utf-8")
    if not bold:
        read_page("page.md", page)
        return
    with pytest.raises(StaffError) as caught:
        read_page("page.md", page)
    words = line.strip().strip("*_").rstrip(":")
    assert str(caught.value).startswith(f"{page}:9: '{line.strip()}' is bold text on a line of its own")
    assert str(caught.value).endswith(f"Make it a heading, one level below the section it is in, for example: ### {words}")


def test_bold_in_a_fenced_example_or_after_text_is_not_a_heading(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: T\ndescription: D.\nhealth_page: false\n---\n\n# T\n\n```\n**Pain**\n```\n\nA line.\n**Pain**\n",
                    encoding="utf-8")
    read_page("page.md", page)
