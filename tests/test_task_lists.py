"""hooks/task_lists.py: each checklist box is named by its item's text."""

from __future__ import annotations

from types import SimpleNamespace

import markdown
import pytest
from mkdocs.exceptions import PluginError
from selectolax.lexbor import LexborHTMLParser

from task_lists import label_task_items, on_page_content

CHECKLIST = """\
- [ ] Bring a list of **every** medicine, see [the form](form.md).
- [x] Ask someone to drive you home.

    Nobody may drive for 24 hours.

- [ ] Pack:
    - [ ] headphones
"""


def rendered(text: str) -> str:
    return markdown.markdown(text, extensions=["pymdownx.tasklist"],
                             extension_configs={"pymdownx.tasklist": {"custom_checkbox": True}})


def label_texts(html: str) -> list[str]:
    return [label.text(deep=True).strip() for label in LexborHTMLParser(html).css("label.task-list-control")]


def test_each_box_is_labeled_by_its_item_text():
    html = label_task_items(rendered(CHECKLIST))
    assert label_texts(html) == [
        "Bring a list of every medicine, see the form.", "Ask someone to drive you home.", "Pack:", "headphones"]
    tree = LexborHTMLParser(html)
    assert tree.css_first("label strong").text() == "every"
    assert [box.attributes.get("checked", "no") for box in tree.css("input")] == ["no", None, "no", "no"]


def test_other_lists_are_left_alone():
    html = rendered("- plain item\n- another\n")
    assert label_task_items(html) == html


def test_item_with_no_text_stops_the_build():
    page = SimpleNamespace(file=SimpleNamespace(src_uri="preparation-aftercare.md"))
    empty = ('<ul class="task-list"><li class="task-list-item"><label class="task-list-control">'
             '<input type="checkbox" disabled/><span class="task-list-indicator"></span></label></li></ul>')
    with pytest.raises(PluginError, match=r"preparation-aftercare\.md has a checklist box with no text"):
        on_page_content(empty, page=page, config=None, files=None)
