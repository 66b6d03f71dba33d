"""Search basics the theme does not cover.

- Every page needs a `description` in the front matter: Material puts it in the meta description,
  and partials/open-graph.html in og:description. A missing one stops the build, naming the page.
  (tests/test_seo.py checks that the real site's titles and descriptions are all different.)
- robots.txt is written at build time and points to MkDocs' sitemap.xml under `site_url`.

Material already writes the <title>, the meta description and the canonical link (from
`site_url`); tests/test_seo.py checks the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page


class SeoError(Exception):
    """A page's search details are missing; the text names the page and the fix."""


def check_description(meta: Mapping, page: str) -> None:
    if not str(meta.get("description") or "").strip():
        raise SeoError(f"{page}: the front matter key 'description' is missing. Add one sentence that says what the page is for.")


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n"


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files) -> str:
    try:
        check_description(page.meta, page.file.src_path)
    except SeoError as error:
        raise PluginError(f"SEO: {error}") from None
    return markdown


def on_post_build(*, config: MkDocsConfig) -> None:
    if not config.site_url:
        raise PluginError("SEO: 'site_url' is not set in the config file. Set it to the site's public address; robots.txt, the sitemap and canonical links need it.")
    Path(config.site_dir, "robots.txt").write_text(robots_txt(config.site_url), encoding="utf-8")
