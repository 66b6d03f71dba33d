"""theme_fixes.py: Material's markup is fixed on each finished page; no Material template is copied whole."""

from __future__ import annotations

import difflib
from pathlib import Path

import material
import pytest
from conftest import ROOT, html_pages

from clinic_site.theme_fixes import FIXES, PageShape, ThemeChanged, fix_page

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
PAGE = PageShape(is_search_page=False, search_url="../search/")


def material_like_page(search_form: bool = False) -> str:
    """The parts of a page Material 9.8.1 writes that the fixes change."""
    search = '<div class="md-search" data-md-component="search" role="dialog"><form></form></div>' if search_form else ""
    return (
        '<body><input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
        '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">'
        '<div data-md-component="skip"><a href="#first" class="md-skip">Skip to content</a></div>'
        '<label class="md-header__button md-icon" for="__drawer"><svg></svg></label>'
        f'<label class="md-header__button md-icon" for="__search"><svg id="magnify"></svg></label>{search}'
        '<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">x</label>'
        '<label class="md-nav__title" for="__toc">Contents</label>'
        '<h1 id="the-title">T</h1></body>'
    )


def test_each_fix_changes_what_it_says():
    fixed = fix_page(material_like_page(), PAGE)
    assert 'autocomplete="off"' not in fixed
    assert '<a href="#the-title" class="md-skip">' in fixed
    assert '<label class="md-header__button md-icon" for="__drawer" tabindex="0" title="Navigation">' in fixed
    assert '<a href="../search/" class="md-header__button md-icon" title="Search" aria-label="Search"><svg id="magnify"></svg></a>' in fixed
    assert 'tabindex=""' not in fixed and 'for="__toc"' not in fixed


def test_the_search_page_keeps_its_form_and_names_its_dialog():
    fixed = fix_page(material_like_page(search_form=True), PageShape(True, ""))
    assert '<label class="md-header__button md-icon" for="__search">' in fixed
    assert 'role="dialog" aria-label="Search"' in fixed


def test_a_page_without_a_skip_link_gets_one_to_its_title():
    page = material_like_page().replace('<a href="#first" class="md-skip">Skip to content</a>', "")
    assert '<div data-md-component="skip"><a href="#the-title" class="md-skip">Skip to content</a></div>' in fix_page(page, PAGE)


# For each fix that counts its places: the markup of Material's that it looks for.
LOOKS_FOR = ['autocomplete="off"', 'class="md-skip"', 'for="__drawer"><svg', 'for="__search"><svg']


@pytest.mark.parametrize(("fix", "marker"), zip([fix for fix in FIXES if fix.expected(PAGE) is not None], LOOKS_FOR, strict=False),
                         ids=lambda value: getattr(value, "why", value)[:30])
def test_a_changed_material_template_is_named(fix, marker):
    """Change the markup each counted fix looks for, as a Material release might: the build stops, naming the template."""
    page = material_like_page().replace(marker, 'data-changed="by-material"').replace("<h1", "<h2")
    with pytest.raises(ThemeChanged, match=rf"^Material's {fix.template} changed: .* update the fix in hooks/clinic_site/theme_fixes.py"):
        fix_page(page, PAGE, fixes=(fix,))


def copied_lines(ours: Path, theirs: Path) -> int:
    matcher = difflib.SequenceMatcher(None, theirs.read_text().splitlines(), ours.read_text().splitlines(), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks() if block.size > 2)


def test_no_material_template_is_copied():
    """An override may wrap Material's template (search.html) but not copy its markup."""
    copied = {}
    for ours in (ROOT / "overrides").rglob("*.html"):
        theirs = MATERIAL_TEMPLATES / ours.relative_to(ROOT / "overrides")
        if theirs.exists():
            copied[ours.relative_to(ROOT).as_posix()] = copied_lines(ours, theirs)
    assert sum(copied.values()) == 0, copied


def test_no_hashed_asset_name_is_typed_into_our_files():
    for path in [*(ROOT / "overrides").rglob("*.html"), *(ROOT / "hooks").rglob("*.py")]:
        text = path.read_text()
        assert "main.57a0d79d" not in text and ".min.css'" not in text and "bundle." not in text, path


def test_the_built_pages_carry_every_fix(site):
    for page in html_pages(site):
        html = page.read_text()
        assert 'type="checkbox" id="__drawer" autocomplete' not in html and 'tabindex=""' not in html, page
        assert html.count('class="md-skip"') == 1, page


def test_the_header_holds_the_full_and_the_short_name_and_a_changed_header_is_named():
    header = '<div class="md-header__topic">\n  <span class="md-ellipsis">\n    Kestrel Peak Infusion Center\n  </span>\n</div>'
    shape = PageShape(False, "../search/", "Kestrel & Peak")
    fixed = fix_page(material_like_page().replace("<body>", f"<body>{header}"), shape)
    assert ('<span class="md-ellipsis"><span class="clinic-name__full">Kestrel Peak Infusion Center</span>'
            '<span class="clinic-name__short">Kestrel &amp; Peak</span></span>') in fixed
    with pytest.raises(ThemeChanged, match="partials/header.html"):
        fix_page(material_like_page(), shape)
