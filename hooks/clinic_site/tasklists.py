"""Checklists (`- [ ] item`, pymdownx.tasklist) whose boxes say what they are for.

pymdownx.tasklist wraps only the box in its `<label>` and puts the item's text after it, so a screen
reader hears "checkbox, not checked" with no name (axe rule `label`, WCAG 4.1.2). Moving the text into
the label names the box, as WCAG technique H44 asks; the look is the same.
"""

from __future__ import annotations

import re

BOX = r'<label class="task-list-control">(<input type="checkbox"[^>]*>)<span class="task-list-indicator"></span>'
# The item's own text runs until its nested list, its paragraph's end or its own end, none of
# which can occur inside inline text.
TASK_ITEM = re.compile(BOX + r"</label>\s*(.*?)(?=<ul|<ol|</p>|</li>)", re.DOTALL)
UNNAMED_BOX = re.compile(r'<span class="task-list-indicator"></span>\s*</label>')


def label_task_items(html: str) -> str:
    """Put each checklist item's text inside the label that holds its box."""
    return TASK_ITEM.sub(r'<label class="task-list-control">\1<span class="task-list-indicator"></span> \2</label>', html)


def has_unnamed_box(html: str) -> bool:
    """A box left with no text: an item with nothing after '[ ]', or pymdownx.tasklist changed its markup."""
    return UNNAMED_BOX.search(html) is not None
