"""How long the link check (tools/linkcheck.py) takes: on the real site and on 1,000 generated articles.

The large site is a copy of the project with 1,000 extra articles, added the way the site adds
articles: in docs/articles/, listed on the article index, out of the nav. Each article links to
its neighbours, their headings (in Markdown and in raw HTML), the contact page and a figure.
`--in-nav` also puts every article into the nav, so every page carries about 1,000 more links:
the worst case (about a million links in all). The check should find no problems; the benchmark
prints how many it found.

Prints the timings; never fails on them. Run: `python -m benchmarks.links [--articles N] [--in-nav]`.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from tools.linkcheck import check_site, read_site
from tools.project import ROOT, build, copy_project, review_pages

ARTICLES = 1000
RUNS = 3
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
FIGURE = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#2a6f97"/></svg>\n'




def article(number: int, total: int, front_matter: dict) -> str:
    """One generated article; its links point at its neighbours so every link resolves."""
    after = number % total + 1
    before = (number - 2) % total + 1
    meta = {**front_matter, "title": f"Link benchmark article {number}",
            "description": f"A generated article, number {number}, used to time the link check."}
    return (
        f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n\n# Link benchmark article {number}\n\n"
        f"This page is here to time the link check. Read [the next article](links-{after:04d}.md) "
        f"or [its questions](links-{after:04d}.md#questions), or [contact us](../contact.md).\n\n"
        f"![A small figure](../assets/links-benchmark.svg)\n\n## What to know {{ #what-to-know }}\n\n"
        f'<p>Raw HTML: <a href="../links-{before:04d}/#what-to-know">the article before</a> and '
        f'<a href="#questions">the questions below</a>.</p>\n\n## Questions {{ #questions }}\n\n'
        f"Back to [what to know](#what-to-know).\n"
    )


def generate_project(destination: Path, total: int, in_nav: bool) -> Path:
    """The project plus `total` articles on the article index (and, with in_nav, in the nav); returns the config."""
    copy_project(destination)
    docs = destination / "docs"
    match = FRONT_MATTER.match((docs / "articles" / "ketamine-a-hopeful-treatment.md").read_text())
    front_matter = yaml.safe_load(match.group(1)) if match else {}
    (docs / "assets" / "links-benchmark.svg").write_text(FIGURE)
    names = [f"links-{number:04d}.md" for number in range(1, total + 1)]
    for number, name in enumerate(names, start=1):
        (docs / "articles" / name).write_text(article(number, total, front_matter))
    review_pages(destination, [f"articles/{name}" for name in names])
    config = destination / "mkdocs.yml"
    if not in_nav:
        return config
    nav = yaml.load(config.read_text(), Loader=yaml.BaseLoader)["nav"]
    nav.append({"Link benchmark articles": [f"articles/{name}" for name in names]})
    inherited = destination / "links-benchmark.yml"
    inherited.write_text(yaml.safe_dump({"INHERIT": "mkdocs.yml", "nav": nav}, sort_keys=False))
    return inherited


def timed_build(config: Path, site_dir: Path) -> float:
    started = time.perf_counter()
    result = build(config, site_dir)
    if result.returncode:
        raise RuntimeError(f"the build of {config} failed:\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


def time_check(site_dir: Path, site_url: str) -> dict[str, float]:
    """Medians of RUNS runs, wall clock and CPU: reading and parsing every file, then the checks.

    CPU time is the steadier figure on a shared machine; the check runs on one core.
    """
    runs = []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        site = read_site(site_dir)
        read_wall, read_cpu = time.perf_counter() - wall, time.process_time() - cpu
        problems = check_site(site, site_url)
        runs.append((read_wall, read_cpu, time.perf_counter() - wall, time.process_time() - cpu))
    links = sum(len(page.links) for page in site.pages.values())
    read_wall, read_cpu, total_wall, total_cpu = (statistics.median(column) for column in zip(*runs, strict=True))
    return {"pages": len(site.pages), "links": links, "problems": len(problems),
            "read wall": read_wall, "read cpu": read_cpu, "wall": total_wall, "cpu": total_cpu}


def report(name: str, build_seconds: float, figures: dict[str, float]) -> str:
    return (f"{name}: {figures['pages']} pages, {figures['links']:,} links, build {build_seconds:.1f} s\n"
            f"  link check {figures['wall']:.2f} s wall, {figures['cpu']:.2f} s CPU "
            f"(reading and parsing {figures['read wall']:.2f} s wall, {figures['read cpu']:.2f} s CPU); "
            f"{figures['problems']} problem(s)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.links", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=ARTICLES, help=f"generated articles (default {ARTICLES})")
    parser.add_argument("--in-nav", action="store_true", help="also put every article into the nav (the worst case)")
    options = parser.parse_args()
    site_url = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["site_url"]
    with tempfile.TemporaryDirectory(prefix="links-bench-") as folder:
        work = Path(folder)
        seconds = timed_build(ROOT / "mkdocs.yml", work / "site")
        print(report("this site", seconds, time_check(work / "site", site_url)), flush=True)
        config = generate_project(work / "project", options.articles, options.in_nav)
        seconds = timed_build(config, work / "large-site")
        where = "in the nav" if options.in_nav else "on the article index, out of the nav"
        print(report(f"{options.articles} generated articles {where}", seconds, time_check(work / "large-site", site_url)))


if __name__ == "__main__":
    main()
