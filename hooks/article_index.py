"""The article index lists every article, so articles can stay out of the nav.

Material copies the whole nav into every page. With every article in the nav, a site of
1,000 articles writes 1,000 nav links into each of its 1,000 pages and the build time grows
with the square of the article count. So mkdocs.yml keeps `articles/*` out of the nav
(`not_in_nav`) and this hook adds, at the end of `articles/index.md`, a list of the
articles that page does not link to already: a new article needs no other edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

INDEX = "articles/index.md"
HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Article:
    path: str  # relative to the articles folder, as the index links it
    title: str
    description: str


def read_article(path: str, source: str) -> Article:
    """An article's title and description from its front matter, else its first heading and nothing."""
    markdown, meta = get_data(source)
    heading = HEADING.search(markdown)
    title = meta.get("title") or (heading.group(1) if heading else path.removesuffix(".md"))
    return Article(path, str(title), str(meta.get("description") or ""))


def unlisted_articles(index_markdown: str, articles: list[Article]) -> list[Article]:
    return [a for a in articles if not re.search(rf"\]\(\s*(?:\./)?{re.escape(a.path)}\s*[)#]", index_markdown)]


def render_article_list(articles: list[Article]) -> str:
    items = "\n".join(f"- [{a.title}]({a.path}){f': {a.description}' if a.description else ''}" for a in articles)
    return f"\n\n## All articles\n\n{items}\n" if articles else ""


def article_files(files: Files) -> list[File]:
    return sorted((f for f in files.documentation_pages() if f.src_uri.startswith("articles/") and f.src_uri != INDEX),
                  key=lambda f: f.src_uri)


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri != INDEX:
        return markdown
    articles = [read_article(f.src_uri.removeprefix("articles/"), f.content_string) for f in article_files(files)]
    return markdown + render_article_list(unlisted_articles(markdown, articles))
