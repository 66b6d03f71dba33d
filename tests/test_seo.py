"""Search basics: unique titles and descriptions, canonical and Open Graph tags, sitemap, robots.txt, a helpful 404."""

import re
import xml.etree.ElementTree as ElementTree

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import build, html_pages
from seo import SeoError, check_description, robots_txt

SITE_URL = "https://harborinfusion.example/"


def pages(site):
    """(URL path, parsed page) for every built page but the 404 page."""
    for page in html_pages(site):
        name = page.relative_to(site).as_posix()
        if name != "404.html":
            yield name.removesuffix("index.html"), LexborHTMLParser(page.read_text())


def meta_content(tree, selector: str) -> str | None:
    node = tree.css_first(selector)
    return node.attributes.get("content") if node else None


def test_check_description():
    check_description({"description": "About costs."}, "costs.md")
    for meta in ({"title": "FAQ"}, {"description": "  "}):
        with pytest.raises(SeoError, match="faq.md: the front matter key 'description' is missing. Add one sentence"):
            check_description(meta, "faq.md")


def test_robots_txt_points_to_the_sitemap():
    assert robots_txt("https://a.example/clinic/") == "User-agent: *\nAllow: /\n\nSitemap: https://a.example/clinic/sitemap.xml\n"


def test_titles_and_descriptions_are_unique(site):
    titles, descriptions = {}, {}
    for path, tree in pages(site):
        title = tree.css_first("title").text()
        description = meta_content(tree, 'meta[name="description"]')
        assert title and description, path
        assert title not in titles, f"{path} and {titles.get(title)} share the title '{title}'"
        assert description not in descriptions, f"{path} and {descriptions.get(description)} share the description"
        titles[title], descriptions[description] = path, path


def test_canonical_and_open_graph_tags(site):
    for path, tree in pages(site):
        url = SITE_URL + path
        assert tree.css_first('link[rel="canonical"]').attributes["href"] == url, path
        assert meta_content(tree, 'meta[property="og:url"]') == url, path
        assert meta_content(tree, 'meta[property="og:title"]') == tree.css_first("title").text().removesuffix(" - Harbor Infusion Clinic"), path
        assert meta_content(tree, 'meta[property="og:description"]') == meta_content(tree, 'meta[name="description"]'), path
        assert meta_content(tree, 'meta[property="og:type"]') in ("website", "article"), path
        assert meta_content(tree, 'meta[property="og:site_name"]') == "Harbor Infusion Clinic", path


def test_sitemap_lists_every_page_under_site_url(site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {node.text for node in ElementTree.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)}
    assert listed == {SITE_URL + path for path, _ in pages(site)}


def test_robots_txt_is_built(site):
    assert (site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {SITE_URL}sitemap.xml\n"


def test_404_page_helps(site):
    tree = LexborHTMLParser((site / "404.html").read_text())
    article = tree.css_first("article")
    assert "can't find that page" in article.css_first("h1").text()
    links = {a.text(): a.attributes["href"] for a in article.css("a")}
    # Served at any depth, so its links must start at the site root.
    assert links == {"Home page": "/", "Conditions we treat": "/conditions/", "Contact us": "/contact/"}


def test_build_stops_on_a_missing_description(project, tmp_path):
    page = project.parent / "docs" / "costs.md"
    page.write_text(re.sub(r"^description: .*\n", "", page.read_text(), count=1, flags=re.MULTILINE))
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "SEO: costs.md: the front matter key 'description' is missing" in result.stderr
