"""How long the strict build takes: each clinic's site beside a bare Material build of the same pages, and
copies with 100, 500 and 1,000 generated articles.

The bare build is Material with the same Markdown pages, Markdown extensions and nav, and none of our
code (no clinic plugin, no macros): the ratio is what the site's own work costs.

Each generated article reuses the front matter of a real article and carries about 500 words,
headings and lists. Articles are listed on the article index, not in the nav (`not_in_nav` in
mkdocs.yml), so the build should grow linearly with the article count.

Prints the timings; never fails on them. Run: `python -m benchmarks.build [--in-nav]`;
`--in-nav` also puts every article into the nav, to show the cost of a full nav on every page.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.utils.meta import get_data

from clinic_site.clinics import repository_configs
from tools.project import ROOT, build, clinic_name, copy_project, review_pages

RUNS = 5
ARTICLE_COUNTS = (100, 500, 1000)
MODEL_ARTICLE = "docs/articles/first-infusion-what-to-expect.md"
NAV_ENTRY = "  - Articles: articles/index.md\n"
BUILT_IN = re.compile(r"Documentation built in ([\d.]+) seconds")
PARAGRAPH = ("A ketamine infusion is given slowly through a small tube in a vein while a nurse stays close by. "
             "Most people feel calm, a little floaty or sleepy, and these feelings fade within an hour or two. "
             "Someone must drive you home, and you should rest for the rest of the day. ")




def article(number: int, front_matter: dict) -> str:
    meta = {**front_matter, "title": f"Generated article {number}",
            "description": f"A generated article, number {number}, used to time the build."}
    sections = "".join(
        f"## Part {part}\n\n{PARAGRAPH * 3}\n\n- Point one about part {part}.\n- Point two about part {part}.\n\n"
        for part in range(1, 5)
    )
    return f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n\n# Generated article {number}\n\n{sections}"


def add_articles(config_file: Path, count: int, in_nav: bool = False) -> None:
    """Write `count` articles (the article index lists them itself) and, only with in_nav, put them in the nav."""
    docs = config_file.parent / "docs"
    _, front_matter = get_data((ROOT / MODEL_ARTICLE).read_text())
    names = [f"generated-{number:04d}.md" for number in range(1, count + 1)]
    for number, name in enumerate(names, start=1):
        (docs / "articles" / name).write_text(article(number, front_matter))
    review_pages(config_file.parent, [f"articles/{name}" for name in names])
    if in_nav:
        config = config_file.read_text()
        if NAV_ENTRY not in config:
            raise SystemExit(f"--in-nav: no '{NAV_ENTRY.strip()}' line in the nav of {config_file.name}")
        entries = "".join(f"      - articles/{name}\n" for name in names)
        config_file.write_text(config.replace(NAV_ENTRY, "  - Articles:\n      - articles/index.md\n" + entries, 1))


def bare_material_config(folder: Path) -> Path:
    """A config for Material alone, over the same pages: the top-level config without our plugin and macros."""
    with (ROOT / "mkdocs.yml").open() as handle:
        settings = yaml.load(handle, Loader=yaml.BaseLoader)
    bare = {key: settings[key] for key in ("site_name", "site_url", "nav", "not_in_nav", "markdown_extensions", "extra_css",
                                          "extra_javascript")}
    # The home page names its template; a one-line one keeps Material's own layout.
    (folder / "bare-theme").mkdir(exist_ok=True)
    (folder / "bare-theme" / "home.html").write_text('{% extends "main.html" %}\n')
    bare.update(docs_dir=str(ROOT / "docs"), theme={"name": "material", "font": False, "palette": {},
                                                   "custom_dir": str(folder / "bare-theme")}, plugins=["search"])
    config = folder / "bare-material.yml"
    config.write_text(yaml.safe_dump(bare, sort_keys=False))
    return config


def timed_build(config_file: Path, site_dir: Path, strict: bool = True) -> tuple[float, float]:
    """Wall-clock seconds of `mkdocs build --strict`, and the build time MkDocs itself reports.

    The bare build is not strict: it leaves the macros unrendered, and MkDocs warns about their text.
    """
    started = time.perf_counter()
    result = build(config_file, site_dir, strict=strict)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the strict build failed ({config_file}):\n{result.stderr[-3000:]}")
    return wall, float(BUILT_IN.search(result.stderr).group(1))


def median_build(config_file: Path, site_dir: Path, runs: int) -> tuple[float, float]:
    timings = [timed_build(config_file, site_dir) for _ in range(runs)]
    return statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.build", description=__doc__.splitlines()[0])
    parser.add_argument("--in-nav", action="store_true", help="also time the articles listed in the nav")
    parser.add_argument("--ratio-only", action="store_true", help="only each clinic beside bare Material, no article counts")
    options = parser.parse_args(sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="build-bench-") as folder:
        bare = bare_material_config(Path(folder))
        print(f"Strict build of each clinic beside a bare Material build of the same pages, median of {RUNS} runs each, "
              "taken in turn (MkDocs' own figure in brackets: the rest is Python start-up and config loading):")
        for config in repository_configs(ROOT):
            ours, theirs = [], []
            for _ in range(RUNS):
                ours.append(timed_build(config, Path(folder) / "site"))
                theirs.append(timed_build(bare, Path(folder) / "bare-site", strict=False))
            ours_wall, theirs_wall = statistics.median(t[0] for t in ours), statistics.median(t[0] for t in theirs)
            print(f"  {clinic_name(config):<14} {ours_wall:.2f} s ({statistics.median(t[1] for t in ours):.2f} s)   "
                  f"bare Material {theirs_wall:.2f} s ({statistics.median(t[1] for t in theirs):.2f} s)   "
                  f"ratio {ours_wall / theirs_wall:.2f} (MkDocs' figures: "
                  f"{statistics.median(t[1] for t in ours) / statistics.median(t[1] for t in theirs):.2f})")
        if options.ratio_only:
            return
        layouts = [("not in the nav", False)] + ([("in the nav", True)] if options.in_nav else [])
        print(f"{'articles':>9} | {'layout':<14} | {'build':>8} | {'per article':>11}")
        for label, in_nav in layouts:
            for count in ARTICLE_COUNTS:
                config_file = copy_project(Path(folder) / f"project-{count}-{in_nav}")
                add_articles(config_file, count, in_nav)
                wall, _ = timed_build(config_file, config_file.parent / "site")
                print(f"{count:>9} | {label:<14} | {wall:>6.1f} s | {wall / count * 1000:>8.1f} ms")


if __name__ == "__main__":
    main()
