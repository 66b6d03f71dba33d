"""How long the strict build takes: each clinic's site beside a bare Material build of the same pages, and
copies with 100, 500 and 1,000 generated articles.

The bare build is Material with the same Markdown pages, Markdown extensions and nav, and none of our
code (no clinic plugin, no macros): the ratio is what the site's own work costs. A third build, Material
with mkdocs-macros and no clinic plugin, shows the part of it that is mkdocs-macros' own (importing it,
its git calls, compiling and rendering each page as a template): the floor for any site built on macros.
Our macros are not there: benchmarks/macros_floor.py stands in for each name the pages use and renders it as
nothing, so every page is still compiled and rendered whole (the floor is if anything low: no macro's own work).

The bare build renders the pages' Markdown with their macros unrendered, which is less text than the site shows
(no tables, lists, FAQ, sources or crisis box from the data). A fourth build gives Material the pages as our plugin
finished them (benchmarks/capture_pages.py captures them from one build, before the timings): the same Markdown,
menu and files, so the ratio to it is what our plugin's work costs on the same content.

Each generated article reuses the front matter of a real article and carries about 500 words,
headings and lists. Articles are listed on the article index, not in the nav (`not_in_nav` in
mkdocs.yml), so the build should grow linearly with the article count.

Prints the timings; never fails on them. Run: `python -m benchmarks.build [--in-nav]`;
`--in-nav` also puts every article into the nav, to show the cost of a full nav on every page.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import yaml
from mkdocs.utils.meta import get_data

from clinic_site.clinics import inherit_chain, repository_configs
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


CAPTURE = textwrap.dedent("""
    import sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    config = load_config(sys.argv[1], site_dir=sys.argv[2], hooks=[sys.argv[3]])
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
""")


def rendered_pages_config(folder: Path, config_file: Path) -> Path:
    """A config for Material alone over a clinic's pages as our plugin finished them (benchmarks/capture_pages.py):
    the same Markdown, menu and files as the clinic's site, none of our work at build time."""
    capture = folder / f"rendered-{clinic_name(config_file)}"
    shutil.rmtree(capture, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CLINIC_SITE_CAPTURE": str(capture)}
    result = subprocess.run([sys.executable, "-c", CAPTURE, str(config_file), str(capture / "site"),
                             str(Path(__file__).with_name("capture_pages.py"))],
                            capture_output=True, text=True, env=env, cwd=inherit_chain(config_file)[-1].parent)
    if result.returncode != 0:
        raise SystemExit(f"capturing the rendered pages failed ({config_file}):\n{result.stderr[-3000:]}")
    for docs in (ROOT / "docs", ROOT / "clinics" / clinic_name(config_file) / "docs"):  # pictures, style sheets, scripts
        if docs.is_dir():
            shutil.copytree(docs, capture / "docs", ignore=shutil.ignore_patterns("*.md"), dirs_exist_ok=True)
    bare = yaml.safe_load(bare_material_config(folder).read_text())
    bare.update(docs_dir=str(capture / "docs"), nav=yaml.safe_load((capture / "nav.yml").read_text()))
    config = folder / f"rendered-{clinic_name(config_file)}.yml"
    config.write_text(yaml.safe_dump(bare, sort_keys=False))
    return config


def timed_build(config_file: Path, site_dir: Path, strict: bool = True) -> tuple[float, float, float]:
    """Wall-clock seconds of `mkdocs build --strict`, the build time MkDocs itself reports, and the CPU seconds the
    build's processes used (user and system): on a machine shared with other jobs, CPU time varies far less than wall time.

    The bare build is not strict: it leaves the macros unrendered, and MkDocs warns about their text.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = build(config_file, site_dir, strict=strict)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"the strict build failed ({config_file}):\n{result.stderr[-3000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, float(BUILT_IN.search(result.stderr).group(1)), cpu


def compare(folder: Path, runs: int = RUNS) -> None:
    """Each clinic beside bare Material, Material with macros, and Material over the clinic's finished pages, the four
    builds taken in turn, `runs` times."""
    bare, with_macros = bare_material_config(folder), bare_material_config(folder, with_macros=True)
    print(f"Strict build of each clinic beside a bare Material build of the same pages, median of {runs} runs each, "
          "taken in turn (MkDocs' own figure in brackets: the rest is Python start-up and config loading). Below it: "
          "Material with mkdocs-macros and no clinic plugin (macros' own floor), and Material over the pages as our plugin "
          "finished them (the same Markdown the site renders, so the same content; what is left is our plugin's work):")
    for config in repository_configs(ROOT):
        rendered = rendered_pages_config(folder, config)
        timings: dict[str, list[tuple[float, float]]] = {"ours": [], "bare": [], "macros": [], "rendered": []}
        for _ in range(runs):
            timings["ours"].append(timed_build(config, folder / "site"))
            timings["bare"].append(timed_build(bare, folder / "bare-site", strict=False))
            timings["macros"].append(timed_build(with_macros, folder / "macros-site", strict=False))
            timings["rendered"].append(timed_build(rendered, folder / "rendered-site"))
        (ours, ours_own, ours_cpu), (bare_wall, bare_own, bare_cpu), (macros_wall, macros_own, macros_cpu), \
            (rendered_wall, rendered_own, rendered_cpu) = (tuple(statistics.median(t[i] for t in runs_of) for i in range(3))
                                                           for runs_of in timings.values())
        print(f"  {clinic_name(config):<14} {ours:.2f} s ({ours_own:.2f} s; CPU {ours_cpu:.2f} s)   bare Material {bare_wall:.2f} s "
              f"({bare_own:.2f} s; CPU {bare_cpu:.2f} s)   ratio {ours / bare_wall:.2f} (MkDocs' figures: {ours_own / bare_own:.2f}; "
              f"CPU: {ours_cpu / bare_cpu:.2f})\n"
              f"  {'':<14} Material + macros, no clinic plugin {macros_wall:.2f} s ({macros_own:.2f} s; CPU {macros_cpu:.2f} s): "
              f"{macros_wall / bare_wall:.2f} x bare (CPU {macros_cpu / bare_cpu:.2f}); ours {ours / macros_wall:.2f} x it "
              f"(CPU {ours_cpu / macros_cpu:.2f})\n"
              f"  {'':<14} Material over the finished pages {rendered_wall:.2f} s ({rendered_own:.2f} s; CPU {rendered_cpu:.2f} s): "
              f"{rendered_wall / bare_wall:.2f} x bare (CPU {rendered_cpu / bare_cpu:.2f}); ours {ours / rendered_wall:.2f} x it "
              f"(CPU {ours_cpu / rendered_cpu:.2f})")


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
                wall, _, _ = timed_build(config_file, config_file.parent / "site")
                print(f"{count:>9} | {label:<14} | {wall:>6.1f} s | {wall / count * 1000:>8.1f} ms")


if __name__ == "__main__":
    main()
