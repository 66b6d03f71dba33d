"""hooks/shipped_files.py: source maps and unused search-language files stay out of the site."""

from conftest import build
from shipped_files import unloaded_files

THEME_FILES = ["assets/javascripts/bundle.js", "assets/javascripts/bundle.js.map",
               "assets/stylesheets/main.css.map", "assets/javascripts/lunr/min/lunr.de.min.js",
               "assets/javascripts/lunr/wordcut.js"]


def test_source_maps_always_go_and_lunr_goes_for_english_only():
    assert unloaded_files(THEME_FILES, ["en"]) == THEME_FILES[1:]
    assert unloaded_files(THEME_FILES, []) == THEME_FILES[1:]
    assert unloaded_files(THEME_FILES, ["en", "de"]) == THEME_FILES[1:3]


def test_the_site_has_no_source_map_and_no_search_language_file(site):
    assert not list(site.rglob("*.map"))
    assert not (site / "assets" / "javascripts" / "lunr").exists()
    assert list(site.glob("assets/javascripts/bundle.*.min.js"))
    assert list(site.glob("assets/javascripts/workers/search.*.min.js"))


def test_a_second_search_language_keeps_its_files(project, tmp_path):
    project.write_text(project.read_text().replace("  search: {}\n", "  search:\n    lang: [en, de]\n", 1))
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "assets" / "javascripts" / "lunr" / "min" / "lunr.de.min.js").is_file()
    assert not list((tmp_path / "site").rglob("*.map"))
