"""previews.py: a link-preview picture for each page, drawn at build time; and the tags that point at it."""

from __future__ import annotations

import io

from conftest import html_pages
from PIL import Image
from selectolax.lexbor import LexborHTMLParser

from clinic_site import previews


def test_a_long_title_is_cut_at_a_word_with_an_ellipsis():
    assert previews.wrapped("Costs", 28, 3) == ["Costs"]
    rows = previews.wrapped("What a session is like, from the first call to the drive home the next day and after", 20, 2)
    assert len(rows) == 2 and rows[-1].endswith("…") and all(len(row) <= 21 for row in rows)


def test_the_picture_is_the_link_preview_size_and_changes_with_its_text(tmp_path):
    first = previews.cached_draw("Sunrise Clinic", "Costs", "sunrise.example", tmp_path)
    picture = Image.open(io.BytesIO(first))
    assert picture.format == "PNG" and picture.size == (previews.WIDTH, previews.HEIGHT)
    assert previews.cached_draw("Sunrise Clinic", "Costs", "sunrise.example", tmp_path) == first
    assert previews.cached_draw("Sunrise Clinic", "Safety", "sunrise.example", tmp_path) != first
    assert len(list(tmp_path.iterdir())) == 2


def test_every_page_has_its_own_preview_picture_on_its_own_site(clinic):
    pictures = set()
    for page in html_pages(clinic.site_dir):
        name = page.relative_to(clinic.site_dir).as_posix()
        if name == "404.html":
            continue
        head = LexborHTMLParser(page.read_text()).head
        tags = {tag.attributes.get("property") or tag.attributes.get("name"): tag.attributes["content"]
                for tag in head.css("meta[property^='og:'], meta[name^='twitter:']")}
        url = tags.get("og:image", "")
        assert url.startswith(clinic.site_url + "assets/previews/"), f"{name}: og:image {url!r}"
        assert tags["twitter:card"] == "summary_large_image" and tags["og:image:alt"].startswith(tags["og:title"]), name
        file = clinic.site_dir / url.removeprefix(clinic.site_url)
        assert Image.open(file).size == (previews.WIDTH, previews.HEIGHT), name
        pictures.add(url)
    assert len(pictures) == len(html_pages(clinic.site_dir)) - 1, "two pages share one preview picture"
