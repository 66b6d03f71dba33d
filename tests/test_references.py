"""Sources: numbered citations, a source list per page, a References page with every source, unknown ids stop the build."""

import pytest
from conftest import ROOT, html_pages
from selectolax.lexbor import LexborHTMLParser

from clinic_site.pages.claims import about_clinic, sentences
from clinic_site.render import fragments, render_all_sources


def test_all_sources_lists_each_reference_once_by_author(clinic_data):
    data = clinic_data
    tree = LexborHTMLParser(render_all_sources(data.references, fragments(ROOT / "overrides" / "fragments")))
    ids = [li.attributes["id"].removeprefix("reference-") for li in tree.css("li")]
    assert sorted(ids) == sorted(r.id for r in data.references)
    authors = [data.reference(i).authors.lower() for i in ids]
    assert authors == sorted(authors)


def test_every_reference_records_when_it_was_checked(clinic_data):
    assert [r.id for r in clinic_data.references if r.checked is None] == []


def test_references_page_lists_every_source_the_site_cites_and_no_other(clinic, site):
    cited = set()
    for page in html_pages(site):
        cited |= {li.attributes["id"].removeprefix("source-") for li in LexborHTMLParser(page.read_text()).css("ol.sources li")}
    tree = LexborHTMLParser((site / "references" / "index.html").read_text())
    listed = {li.attributes["id"].removeprefix("reference-") for li in tree.css("ul.all-sources li")}
    assert cited and listed == cited
    for reference_id in listed:
        item = tree.css_first(f"#reference-{reference_id}")
        assert item.css_first("a").attributes["href"] == clinic.data.reference(reference_id).link


def test_every_citation_number_points_to_the_page_source_list(site):
    for page in html_pages(site):
        tree = LexborHTMLParser(page.read_text())
        listed = [li.attributes["id"] for li in tree.css("ol.sources li")]
        for link in tree.css("sup.cite a"):
            target = link.attributes["href"].removeprefix("#")
            assert target in listed, f"{page}: citation to {target} has no entry in the source list"
            assert link.attributes["aria-label"] == f"Source {listed.index(target) + 1}"


def test_comparison_page_cites_both_ketamine_versus_ect_trials(clinic, site):
    if "comparison.md" in clinic.data.pages.leave_out:
        pytest.skip("this clinic leaves the comparison page out (its pages.yml)")
    tree = LexborHTMLParser((site / "comparison" / "index.html").read_text())
    assert tree.css_first("#source-elekt-d-2023") and tree.css_first("#source-ketect-2022")


# The science, conditions, why-IV, safety and comparison pages make medical claims in almost every paragraph.
CLAIM_PAGES = ["how-it-works", "conditions", "why-iv", "safety", "comparison"]


def test_every_paragraph_on_the_evidence_pages_cites_a_source(clinic, site):
    """Paragraphs of 12 words or more; shorter ones are signposts such as 'Read more on the FAQ page.' A paragraph whose
    every sentence is about the clinic or this site needs none (and may carry none: claims.py)."""
    uncited = []
    for name in (name for name in CLAIM_PAGES if f"{name}.md" not in clinic.data.pages.leave_out):
        article = LexborHTMLParser((site / name / "index.html").read_text()).css_first("article")
        for node in article.css(".crisis-help, .review-line, .admonition, ol.sources"):
            node.decompose()
        for paragraph in article.css("p"):
            words = paragraph.text().split()
            # A condition's description is cited by the evidence line under it (conditions_list).
            follower = paragraph.next
            while follower is not None and follower.tag == "-text":
                follower = follower.next
            described = follower is not None and "evidence" in (follower.attributes.get("class") or "")
            # A paragraph only about the clinic or this site carries no research source (claims.py).
            about_us = all(about_clinic(s, [clinic.data.clinic.name, clinic.data.clinic.short_name]) for s in sentences(" ".join(words)))
            if len(words) >= 12 and not paragraph.css_first("sup.cite") and not described and not about_us:
                uncited.append(f"{name}: {' '.join(words)[:80]}…")
    assert not uncited, "paragraphs with no citation:\n" + "\n".join(uncited)
