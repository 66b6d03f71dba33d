"""hooks/article_index.py: articles stay out of the nav and the article index lists every one."""

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from article_index import Article, read_article, render_article_list, unlisted_articles
from conftest import ROOT, build

ARTICLES = sorted(p.relative_to(ROOT / "docs" / "articles").as_posix()
                  for p in (ROOT / "docs" / "articles").glob("*.md") if p.name != "index.md")


def test_title_comes_from_front_matter_then_heading_then_file_name():
    assert read_article("a.md", "---\ntitle: Front\ndescription: Said.\n---\n\n# Heading\n") == Article("a.md", "Front", "Said.")
    assert read_article("b.md", "Intro.\n\n# The heading\n") == Article("b.md", "The heading", "")
    assert read_article("c.md", "No heading.\n").title == "c"


def test_only_articles_the_index_does_not_link_are_added():
    articles = [Article("one.md", "One", "First."), Article("two.md", "Two", "")]
    assert unlisted_articles("Read [one](one.md#top).", articles) == [articles[1]]
    assert unlisted_articles("[1](./one.md) and [2](two.md)", articles) == []
    assert render_article_list(articles[1:]) == "\n\n## All articles\n\n- [Two](two.md)\n"
    assert render_article_list([]) == ""


def test_the_index_links_every_article_and_no_page_nav_lists_them(site):
    index = HTMLParser((site / "articles" / "index.html").read_text())
    links = {a.attributes.get("href") for a in index.css("article a")}
    for name in ARTICLES:
        assert f"{name.removesuffix('.md')}/" in links, name
    home_nav = HTMLParser((site / "index.html").read_text()).css("nav.md-nav a")
    assert not [a for a in home_nav if "articles/" in (a.attributes.get("href") or "") and
                a.attributes.get("href") != "articles/"]


def test_a_new_article_needs_no_nav_edit(project, tmp_path):
    (project.parent / "docs" / "articles" / "new-article.md").write_text(
        (ROOT / "docs" / "articles" / ARTICLES[0]).read_text().replace("\n# ", "\n# New: ", 1))
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    index = (tmp_path / "site" / "articles" / "index.html").read_text()
    assert 'href="new-article/"' in index
