"""Markdown to plain text, for JSON-LD answers and meta descriptions: the words a reader sees."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ElementTree

import markdown
from markdown.treeprocessors import Treeprocessor

STASHED = re.compile("\x02[^\x03]*\x03")  # raw HTML Python-Markdown set aside: not words
BLOCKS = frozenset({"p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "dl", "dt",
                    "dd", "div", "blockquote", "br"})


def words(element: ElementTree.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        gap = " " if child.tag in BLOCKS else ""
        parts += [gap, words(child), gap, child.tail or ""]
    return "".join(parts)


class _Capture(Treeprocessor):
    """Runs last, on the finished tree, and keeps its words."""

    def run(self, root: ElementTree.Element) -> None:
        self.md.captured = " ".join(STASHED.sub(" ", words(root)).split())  # type: ignore[attr-defined]  # kept on the Markdown object between runs


class _PlainText(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Capture(md), "plain_text", 0)


_MARKDOWN = markdown.Markdown(extensions=[_PlainText(), "def_list", "tables"])


def lower_first(text: str) -> str:
    """A name or help text mid-sentence: 'Migraine' -> 'migraine', but 'PTSD' and 'US phone number' keep their capitals."""
    first_word = text.split()[0] if text.split() else ""
    return text if first_word.isupper() else text[:1].lower() + text[1:]


@functools.lru_cache(maxsize=4096)
def plain_text(source: str) -> str:
    _MARKDOWN.reset()
    _MARKDOWN.convert(source)
    return _MARKDOWN.captured  # type: ignore[attr-defined]
