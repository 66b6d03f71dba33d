"""The build benchmark's set-up still works, so `make bench` cannot break silently: a project copy with generated
articles builds strictly (their review record is added as staff would write it), and the "Material + macros, no
clinic plugin" build renders every page whole, and Material alone builds the pages as the plugin finished them.
Timings are never checked here."""

from __future__ import annotations

import re

from conftest import ROOT, build, built_path, clinic_name, copy_project, read_clinic

from benchmarks.build import add_articles, bare_material_config, rendered_pages_config, timed_build
from clinic_site.pages.plan import markdown_files

COUNT = 3


def test_generated_articles_build_strictly_with_their_review_record(tmp_path):
    config = copy_project(tmp_path / "project")
    add_articles(config, COUNT)
    timed_build(config, tmp_path / "site")  # stops the test with the build's messages if it fails
    for number in range(1, COUNT + 1):
        page = (tmp_path / "site" / built_path(f"articles/generated-{number:04d}.md")).read_text()
        assert f"Generated article {number}" in page
    index = (tmp_path / "site" / built_path("articles/index.md")).read_text()
    assert all(f"generated-{number:04d}/" in index for number in range(1, COUNT + 1))


def test_the_macros_floor_renders_every_page_whole(tmp_path):
    config = bare_material_config(tmp_path, with_macros=True)
    result = build(config, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "[macros] - ERROR" not in result.stderr, result.stderr[-3000:]
    pages = list((tmp_path / "site").rglob("index.html"))
    assert len(pages) > 10
    for page in pages:
        assert not re.search(r"\{\{|\{%|Macro Rendering Error", page.read_text()), page


def test_material_builds_the_pages_as_the_plugin_finished_them(tmp_path):
    """The fourth build: the clinic's finished Markdown (capture_pages.py), built strictly by Material alone."""
    config = ROOT / "mkdocs.yml"
    folders, data, _ = read_clinic(config)
    expected = {uri for uri in markdown_files(ROOT / "docs") if uri not in data.pages.leave_out} | set(markdown_files(folders.clinic / "docs"))
    built = rendered_pages_config(tmp_path, config)
    captured = set(markdown_files(tmp_path / f"rendered-{clinic_name(config)}" / "docs"))
    assert captured == expected
    timed_build(built, tmp_path / "site")
    faq = (tmp_path / "site" / built_path("faq.md")).read_text()
    assert "{{" not in faq and "<details" in faq  # the FAQ's answers, rendered from faq.yml by our macros
