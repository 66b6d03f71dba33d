"""Material templates we replace whole, because the markup to fix is not inside a block.

Each file in overrides/ named here must equal Material's own file with exactly the edits listed. When a
Material upgrade changes one of these templates, this test fails: copy Material's new file and apply
the same edits again (the loop in `material_with_edits` shows how).
"""

from __future__ import annotations

from pathlib import Path

import material
import pytest

from conftest import ROOT

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"
GENERATED = "{#-\n  This file was automatically generated - do not edit\n-#}"


def _why(text: str) -> str:
    return "{#- " + text + " -#}"


SEARCH_BUTTON_AND_FORM = """        <label class="md-header__button md-icon" for="__search">
          {% set icon = config.theme.icon.search or "material/magnify" %}
          {% include ".icons/" ~ icon ~ ".svg" %}
        </label>
        {% include "partials/search.html" %}
"""


def indented(text: str) -> str:
    return "".join("  " + line for line in text.splitlines(keepends=True))


# (file, [(Material's text, our text, how many times it occurs)]): every edit says why in its own words.
EDITS: dict[str, list[tuple[str, str, int]]] = {
    "base.html": [
        (GENERATED, _why(
            "Material 9.8.1's base.html with three edits (tests/test_theme_overrides.py): no autocomplete on the "
            "checkboxes (invalid HTML), a skip link on every page, and an id on the content for it to land on."), 1),
        ('type="checkbox" id="__drawer" autocomplete="off">', 'type="checkbox" id="__drawer">', 1),
        ('type="checkbox" id="__search" autocomplete="off">', 'type="checkbox" id="__search">', 1),
        ('''      {% if page.toc | first is defined %}
        {% set skip = page.toc | first %}
        <a href="{{ skip.url | url }}" class="md-skip">
          {{ lang.t("action.skip") }}
        </a>
      {% endif %}''', '''      <a href="{% block skip_target %}#__content{% endblock %}" class="md-skip">
        {{ lang.t("action.skip") }}
      </a>''', 1),
        ('<div class="md-content" data-md-component="content">',
         '<div class="md-content" data-md-component="content" id="__content">', 1),
    ],
    "partials/header.html": [
        (GENERATED, _why(
            "Material 9.8.1's header with two edits (tests/test_theme_overrides.py): the menu button can be "
            "reached with Tab, has a name, and opens with Enter (Material clicks a focused label). HTML forbids "
            "role and aria-label on a label tied to a control, so the name is its title. Search's form is "
            "rendered only on the page whose front matter says `search_form: true` (docs/search.md); every other "
            "page links there instead, so it loads no search index and no search worker."), 1),
        ('<label class="md-header__button md-icon" for="__drawer">',
         '<label class="md-header__button md-icon" for="__drawer" tabindex="0" title="{{ lang.t(\'nav\') }}">', 1),
        # Material's search button and form, kept as they are for the search page; elsewhere a link, with the
        # same class and icon (so the same place and look), named "Search".
        (SEARCH_BUTTON_AND_FORM, """        {% if page and page.meta and page.meta.search_form %}
""" + indented(SEARCH_BUTTON_AND_FORM) + """        {% else %}
          <a href="{{ 'search/' | url }}" class="md-header__button md-icon" title="{{ lang.t('search') }}" aria-label="{{ lang.t('search') }}">
            {% set icon = config.theme.icon.search or "material/magnify" %}
            {% include ".icons/" ~ icon ~ ".svg" %}
          </a>
        {% endif %}
""", 1),
    ],
    "partials/search.html": [
        (GENERATED, _why(
            "Material 9.8.1's search with one edit (tests/test_theme_overrides.py): the search dialog has a name."), 1),
        ('role="dialog">', 'role="dialog" aria-label="{{ lang.t(\'search\') }}">', 1),
    ],
    "partials/nav-item.html": [
        (GENERATED, _why(
            "Material 9.8.1's nav item with one edit (tests/test_theme_overrides.py): no empty tabindex "
            "on section titles (invalid HTML)."), 1),
        ('id="{{ path }}_label" tabindex="{{ tabindex }}">',
         'id="{{ path }}_label"{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>', 2),
    ],
    "partials/toc.html": [
        (GENERATED, _why(
            "Material 9.8.1's table of contents with one edit (tests/test_theme_overrides.py): the title points "
            "at the mobile toggle only when the page is in the nav, which is the only time that toggle exists."), 1),
        ('<label class="md-nav__title" for="__toc">',
         '<label class="md-nav__title"{% if page in nav.pages %} for="__toc"{% endif %}>', 1),
    ],
}


def material_with_edits(name: str) -> str:
    text = (MATERIAL_TEMPLATES / name).read_text(encoding="utf-8")
    for old, new, count in EDITS[name]:
        found = text.count(old)
        assert found == count, (
            f"Material's {name} has {found} copies of {old!r}, expected {count}: Material changed this template. "
            f"Copy its new {name} to overrides/{name} and redo the edits listed in this test.")
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("name", sorted(EDITS))
def test_override_is_material_template_with_listed_edits(name):
    ours = (ROOT / "overrides" / name).read_text(encoding="utf-8")
    assert ours == material_with_edits(name), (
        f"overrides/{name} differs from Material's {name} plus the edits in tests/test_theme_overrides.py: "
        "add the new edit to EDITS (with its reason) or undo it")


def test_unknown_material_change_is_reported():
    with pytest.raises(AssertionError, match="Material changed this template"):
        EDITS["partials/search.html"].append(("text Material never had", "", 1))
        try:
            material_with_edits("partials/search.html")
        finally:
            EDITS["partials/search.html"].pop()
