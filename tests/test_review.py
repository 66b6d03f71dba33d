"""Review front matter: every bad input stops the build naming the page and the key; an overdue review warns."""

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from conftest import ROOT, build
from review import ReviewError, check_review, front_matter_as_text, is_health_page, long_date, parse_date

TODAY = date(2026, 6, 1)
REVIEWERS = ("medical-director", "psychiatry-lead")
GOOD = {"reviewed_by": "medical-director", "last_reviewed": date(2026, 5, 1), "next_review": date(2026, 11, 1), "audience": "patients"}


def review_error(meta: dict) -> str:
    with pytest.raises(ReviewError) as caught:
        check_review(meta, "safety.md", REVIEWERS, TODAY)
    return str(caught.value)


def front_matter(path: Path) -> dict:
    match = re.match(r"^---\n(.*?\n)---\n", path.read_text(encoding="utf-8"), re.DOTALL)
    return yaml.safe_load(match.group(1)) if match else {}


# The pure check.

def test_good_front_matter_passes_with_no_warning():
    review, warnings = check_review(GOOD, "safety.md", REVIEWERS, TODAY)
    assert review.reviewed_by == "medical-director" and review.next_review == date(2026, 11, 1)
    assert warnings == []


def test_quoted_dates_are_read_as_dates():
    review, _ = check_review({**GOOD, "last_reviewed": "2026-05-01"}, "safety.md", REVIEWERS, TODAY)
    assert review.last_reviewed == date(2026, 5, 1)


def test_non_health_page_needs_no_review():
    assert check_review({"health_page": False}, "contact.md", REVIEWERS, TODAY) == (None, [])
    assert check_review({"health_page": "false"}, "contact.md", REVIEWERS, TODAY) == (None, [])


def test_health_page_can_only_be_false():
    with pytest.raises(ReviewError, match="contact.md: 'health_page' is 'True'. Only 'health_page: false'"):
        is_health_page({"health_page": True}, "contact.md")


@pytest.mark.parametrize("key", ["reviewed_by", "last_reviewed", "next_review", "audience"])
def test_missing_key_is_named(key):
    meta = {k: v for k, v in GOOD.items() if k != key}
    assert f"safety.md: the front matter key '{key}' is missing" in review_error(meta)


@pytest.mark.parametrize("value", ["2026-13-01", "next spring", "01/05/2026", 20260501])
def test_malformed_date_is_named(value):
    message = review_error({**GOOD, "last_reviewed": value})
    assert f"safety.md: 'last_reviewed' is '{value}', which is not a date. Write it as YYYY-MM-DD" in message


def test_last_review_in_the_future_stops():
    message = review_error({**GOOD, "last_reviewed": date(2026, 6, 2), "next_review": date(2026, 12, 1)})
    assert message == "safety.md: 'last_reviewed' (2026-06-02) is in the future. Use the date the review took place."


def test_next_review_before_last_review_stops():
    message = review_error({**GOOD, "next_review": date(2026, 4, 30)})
    assert "safety.md: 'next_review' (2026-04-30) is before 'last_reviewed' (2026-05-01)" in message


def test_unknown_reviewer_stops_and_lists_the_ids():
    message = review_error({**GOOD, "reviewed_by": "dr-who"})
    assert "safety.md: 'reviewed_by' is 'dr-who', which is not a reviewer id" in message
    assert "medical-director, psychiatry-lead" in message


def test_unknown_audience_stops():
    assert "safety.md: 'audience' is 'everyone'. Use patients or clinicians." in review_error({**GOOD, "audience": "everyone"})


def test_overdue_review_warns_naming_page_and_key():
    review, warnings = check_review({**GOOD, "next_review": date(2026, 5, 31)}, "safety.md", REVIEWERS, TODAY)
    assert review is not None
    assert warnings == ["safety.md: the review was due on 2026-05-31 ('next_review'). Review the page, then update 'last_reviewed' and 'next_review'."]


def test_review_due_today_is_not_overdue():
    assert check_review({**GOOD, "next_review": TODAY}, "safety.md", REVIEWERS, TODAY)[1] == []


def test_front_matter_mkdocs_dropped_is_read_again_as_text():
    meta = front_matter_as_text("---\ntitle: A\nlast_reviewed: 2026-13-01\n---\n\n# A\n", "a.md")
    assert meta == {"title": "A", "last_reviewed": "2026-13-01"}
    assert front_matter_as_text("# No front matter\n", "a.md") is None


def test_broken_front_matter_yaml_is_named():
    with pytest.raises(ReviewError, match=r"a.md: the front matter is not valid YAML \(mapping values are not allowed here\)"):
        front_matter_as_text("---\ntitle: Your first infusion: what to expect\n---\n", "a.md")


def test_long_date():
    assert long_date(date(2027, 5, 1)) == "May 1, 2027"
    assert long_date("2026-11-15") == "November 15, 2026"
    with pytest.raises(ReviewError):
        parse_date("soon", "a.md", "next_review")


# The real pages.

def test_every_page_declares_review_or_not_a_health_page():
    for path in sorted((ROOT / "docs").rglob("*.md")):
        meta = front_matter(path)
        assert meta.get("health_page") is False or set(meta) >= {"reviewed_by", "last_reviewed", "next_review", "audience"}, path


def test_every_health_page_ends_with_its_review_line(site):
    reviewers = {r["id"]: r for r in yaml.safe_load((ROOT / "data" / "clinic-a" / "reviewers.yml").read_text())}
    checked = 0
    for path in sorted((ROOT / "docs").rglob("*.md")):
        meta = front_matter(path)
        stem = path.relative_to(ROOT / "docs").as_posix().removesuffix(".md")
        built = site / ("index.html" if stem == "index" else f"{stem.removesuffix('index')}/index.html".replace("//", "/"))
        article = LexborHTMLParser(built.read_text()).css_first("article")
        line = article.css_first(".review-line")
        if meta.get("health_page") is False:
            assert line is None, path
            continue
        reviewer = reviewers[meta["reviewed_by"]]
        text = " ".join(line.text().split())
        assert text == (
            f"Page last reviewed: {long_date(meta['last_reviewed'])} · Next review due: {long_date(meta['next_review'])}"
            f" · Reviewed by {reviewer['name']}, {reviewer['credentials']}"
        ), path
        assert list(article.iter())[-1].attributes.get("class") == "review-line", f"{path}: the review line is not last"
        checked += 1
    assert checked >= 10


# End to end: `mkdocs build --strict` on a copy of the project.

def set_front_matter(config: Path, page: str, **changes) -> None:
    path = config.parent / "docs" / page
    text = path.read_text(encoding="utf-8")
    for key, value in changes.items():
        text, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
        assert count == 1, f"{page} has no {key}"
    path.write_text(text, encoding="utf-8")


def test_build_stops_on_missing_key(project, tmp_path):
    path = project.parent / "docs" / "safety.md"
    path.write_text(re.sub(r"^audience: .*\n", "", path.read_text(), count=1, flags=re.MULTILINE))
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "Review: safety.md: the front matter key 'audience' is missing" in result.stderr


@pytest.mark.parametrize(("front_matter", "message"), [
    ({"next_review": "2027-02-30"}, "'next_review' is '2027-02-30', which is not a date"),
    ({"last_reviewed": "2999-01-01", "next_review": "2999-06-01"}, "'last_reviewed' (2999-01-01) is in the future"),
    ({"last_reviewed": "2025-06-01", "next_review": "2025-01-01"},
     "'next_review' (2025-01-01) is before 'last_reviewed' (2025-06-01)"),
    ({"reviewed_by": "dr-nobody"}, "'reviewed_by' is 'dr-nobody', which is not a reviewer id"),
], ids=["impossible-date", "reviewed-in-the-future", "next-before-last", "unknown-reviewer"])
def test_build_stops_on_bad_review_front_matter(project, tmp_path, front_matter, message):
    set_front_matter(project, "safety.md", **front_matter)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert f"Review: safety.md: {message}" in result.stderr


def test_overdue_review_fails_the_strict_build_with_a_warning(project, tmp_path):
    set_front_matter(project, "safety.md", last_reviewed="2020-01-01", next_review="2020-07-01")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "WARNING -  safety.md: the review was due on 2020-07-01 ('next_review')" in result.stderr
    assert "Aborted with 1 warnings in strict mode!" in result.stdout + result.stderr
