"""The real site builds strictly, every page is in the nav, and data reaches every page meant to show it."""

import re
from pathlib import Path

import yaml
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from clinic_data import load_clinic_data
from conftest import ROOT, build, html_pages

DATA = load_clinic_data([ROOT / "data" / "common", ROOT / "data" / "clinic-a"])
PAGES_LISTING_CONDITIONS = ["index.html", "conditions/index.html", "faq/index.html"]


def nav_files(nav) -> list[str]:
    files = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        files += nav_files(value) if isinstance(value, list) else [value]
    return files


def built_path(source: str) -> str:
    stem = source.removesuffix(".md")
    return "index.html" if stem == "index" else (stem.removesuffix("index") + "/index.html").replace("//", "/")


def text_of(page: Path) -> str:
    tree = HTMLParser(page.read_text())
    return tree.css_first("main").text(separator=" ")


def test_every_page_in_the_nav_is_built(site):
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    sources = nav_files(config["nav"])
    assert len(sources) >= 16
    on_disk = {str(path.relative_to(ROOT / "docs")) for path in (ROOT / "docs").rglob("*.md")}
    on_disk -= {page for page in on_disk if page.startswith("articles/")}  # not_in_nav: the article index lists them
    on_disk -= {"search.md"}  # not_in_nav: every page's search button links to it (tests/test_search.py)
    assert on_disk <= set(sources), f"pages missing from the nav: {on_disk - set(sources)}"
    for source in sources:
        assert (site / built_path(source)).is_file(), source


def test_no_macro_syntax_left_in_output(site):
    for page in html_pages(site):
        text = page.read_text()
        assert "{{" not in text and "{%" not in text, page


def test_no_resource_from_another_origin(site):
    for page in html_pages(site):
        tree = HTMLParser(page.read_text())
        for node in tree.css("script[src], link[href], img[src], iframe, source[src], video, audio"):
            url = node.attributes.get("src") or node.attributes.get("href") or ""
            rel = node.attributes.get("rel") or ""
            if node.tag == "link" and rel in ("canonical", "alternate"):
                continue
            assert not re.match(r"^(https?:)?//", url), f"{page}: {node.tag} loads {url}"


def test_every_condition_appears_on_every_page_that_lists_them(site):
    for name in PAGES_LISTING_CONDITIONS:
        text = text_of(site / name).lower()
        for condition in DATA.conditions:
            assert condition.name.lower() in text, f"{condition.name} missing from {name}"


def test_a_new_condition_reaches_every_listing_page_with_no_page_edit(project, tmp_path):
    conditions = project.parent / "data" / "clinic-a" / "conditions.yml"
    conditions.write_text(conditions.read_text() + (
        "- id: phantom-limb-pain\n  name: Phantom limb pain\n  category: pain\n"
        "  description: Pain that seems to come from a limb that has been removed.\n"
    ))
    site_dir = tmp_path / "site"
    result = build(project, site_dir)
    assert result.returncode == 0, result.stderr
    for name in PAGES_LISTING_CONDITIONS:
        assert "phantom limb pain" in text_of(site_dir / name).lower(), name


def test_no_clinic_fact_is_typed_into_a_page():
    facts = [DATA.clinic.name, DATA.clinic.short_name, DATA.clinic.phone, DATA.clinic.email,
             DATA.clinic.address.street, *(c.name for c in DATA.conditions if len(c.name) > 4)]
    for page in (ROOT / "docs").rglob("*.md"):
        text = page.read_text()
        for fact in facts:
            assert fact not in text, f"{page.relative_to(ROOT)} types '{fact}': use a macro or {{{{ clinic }}}}"


def test_search_index_leaves_out_the_repeated_crisis_box_and_source_lists(site):
    """They repeat on many pages; indexed, every search for '988' or a source would list every page."""
    import json

    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    assert not [doc["location"] for doc in docs if doc["location"].endswith("#sources") and doc["text"]]
    assert not [doc["location"] for doc in docs if "crisis-help" in doc["location"] and doc["text"]]
    assert not [doc["location"] for doc in docs if "Suicide &amp; Crisis Lifeline" in doc["text"]
                and not doc["location"].startswith("references/")]
    assert any(doc["location"].startswith("references/") for doc in docs)


def test_the_favicon_is_a_small_valid_svg_every_page_links(site):
    """theme.favicon: a 0.2 KB SVG in place of Material's 1.9 KB PNG (the home page's size target)."""
    import xml.etree.ElementTree as ET

    icon = site / "assets" / "favicon.svg"
    root = ET.fromstring(icon.read_text())
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 32 32"
    assert icon.stat().st_size < 1024
    for page in html_pages(site):
        links = HTMLParser(page.read_text()).css('link[rel="icon"]')
        assert [link.attributes["href"].rsplit("/", 1)[-1] for link in links] == ["favicon.svg"], page


def test_pages_load_no_palette_stylesheet(site):
    """theme.palette is empty: the colors are in assets/clinic.css, so Material's palette.css would be dead weight."""
    for page in html_pages(site):
        sheets = [link.attributes["href"] for link in HTMLParser(page.read_text()).css('link[rel="stylesheet"]')]
        assert not [href for href in sheets if "palette" in href], page
        assert any(href.endswith("assets/clinic.css") for href in sheets), page
