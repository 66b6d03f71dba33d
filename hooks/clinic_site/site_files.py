"""Files the site ships besides its pages: robots.txt, and the theme files no page loads, which are left out.

Material copies every theme file into the site. Browsers fetch a `.map` file only while developer
tools are open, and the search worker loads `assets/javascripts/lunr/` only for search languages
other than English. Material has no option for this, so the plugin drops those files.
"""

from __future__ import annotations

from collections.abc import Iterable

SEARCH_LANGUAGE_FILES = "assets/javascripts/lunr/"


def unloaded_files(paths: Iterable[str], languages: Iterable[str]) -> list[str]:
    """Theme files no page loads: source maps always; lunr language support when search is English only."""
    english_only = set(languages) <= {"en"}
    return [path for path in paths if path.endswith(".map") or (english_only and path.startswith(SEARCH_LANGUAGE_FILES))]


def robots_txt(site_url: str) -> str:
    """robots.txt: everything may be crawled; the sitemap is at the site's address."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n"
