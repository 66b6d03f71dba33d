"""How long the strict build takes: each clinic's site beside a bare Material build of the same pages, and
copies with 100, 500 and 1,000 generated articles.

The bare build is Material with the same Markdown pages, Markdown extensions and nav, and none of our
code (no clinic plugin, no macros): the ratio is what the site's own work costs. A third build, Material
with mkdocs-macros and no clinic plugin, shows the part of it that is mkdocs-macros' own (importing it,
its git calls, compiling and rendering each page as a template): the floor for any site built on macros.
Our macros are not there: benchmarks/macros_floor.py stands in for each name the pages use and renders it as
nothing, so every page is still compiled and rendered whole (the floor is if anything low: no macro's own work).

Each generated article reuses the front matter of a real article and carries about 500 words,
headings and lists. Articles are listed on the article index, not in the nav (`not_in_nav` in
mkdocs.yml), so the build should grow linearly with the article count.

Prints the timings; never fails on them. Run: `python -m benchmarks.build [--in-nav]`;
`--in-nav` also puts every article into the nav, to show the cost of a full nav on every page.
"""

from __future__ import annotations

import argparse
import re
import shutil
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
SUMMARY = ["A ketamine infusion is given slowly through a small tube in a vein.",
           "Most people feel calm, a little floaty or sleepy.", "Someone must drive you home."]




def article(number: int, front_matter: dict) -> str:
    meta = {**front_matter, "title": f"Generated article {number}",
            "description": f"A generated article, number {number}, used to time the build.",
            "summary": SUMMARY}  # its own at-a-glance lines: the model article's would not match this text
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


def bare_material_config(folder: Path, with_macros: bool = False) -> Path:
    """A config for Material alone, over the same pages: the top-level config without our plugin and macros
    (with_macros: with mkdocs-macros, rendering our macros as nothing, still without our plugin)."""
    with (ROOT / "mkdocs.yml").open() as handle:
        settings = yaml.load(handle, Loader=yaml.BaseLoader)
    bare = {key: settings[key] for key in ("site_name", "site_url", "nav", "not_in_nav", "markdown_extensions", "extra_css",
                                          "extra_javascript")}
    # The home page names its template; a one-line one keeps Material's own layout.
    (folder / "bare-theme").mkdir(exist_ok=True)
    (folder / "bare-theme" / "home.html").write_text('{% extends "main.html" %}\n')
    bare.update(docs_dir=str(ROOT / "docs"), theme={"name": "material", "font": False, "palette": {},
                                                   "custom_dir": str(folder / "bare-theme")},
                plugins=["search", "macros"] if with_macros else ["search"])
    if with_macros:  # mkdocs-macros' default module, main.py beside the config
        shutil.copy(Path(__file__).with_name("macros_floor.py"), folder / "main.py")
    config = folder / ("material-macros.yml" if with_macros else "bare-material.yml")
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


def compare(folder: Path, runs: int = RUNS) -> None:
    """Each clinic beside bare Material and Material with macros, the three taken in turn, `runs` times."""
    bare, with_macros = bare_material_config(folder), bare_material_config(folder, with_macros=True)
    print(f"Strict build of each clinic beside a bare Material build of the same pages and Material with mkdocs-macros "
          f"(no clinic plugin), median of {runs} runs each, taken in turn (MkDocs' own figure in brackets: the rest is "
          "Python start-up and config loading):")
    for config in repository_configs(ROOT):
        ours, theirs, macros_only = [], [], []
        for _ in range(runs):
            ours.append(timed_build(config, folder / "site"))
            theirs.append(timed_build(bare, folder / "bare-site", strict=False))
            macros_only.append(timed_build(with_macros, folder / "macros-site", strict=False))
        (ours_wall, ours_own), (bare_wall, bare_own), (macros_wall, macros_own) = (
            (statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings))
            for timings in (ours, theirs, macros_only))
        print(f"  {clinic_name(config):<14} {ours_wall:.2f} s ({ours_own:.2f} s)   bare Material {bare_wall:.2f} s "
              f"({bare_own:.2f} s)   ratio {ours_wall / bare_wall:.2f} (MkDocs' figures: {ours_own / bare_own:.2f})\n"
              f"  {'':<14} Material + macros, no clinic plugin {macros_wall:.2f} s ({macros_own:.2f} s): "
              f"ratio {macros_wall / bare_wall:.2f} ({macros_own / bare_own:.2f}); ours over it {ours_wall / macros_wall:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.build", description=__doc__.splitlines()[0])
    parser.add_argument("--in-nav", action="store_true", help="also time the articles listed in the nav")
    parser.add_argument("--ratio-only", action="store_true", help="only each clinic beside bare Material, no article counts")
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs of each build for the ratio (default {RUNS})")
    options = parser.parse_args(sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="build-bench-") as folder:
        compare(Path(folder), options.runs)
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
