"""No script, frame, event handler or script URL that a page or a data file adds may reach the site,
and nothing that makes a visitor's browser load from another site (a picture, video or sound).

Checked first on each line of the page's Markdown (check_page_source), where the line is known: raw HTML
and Markdown links and pictures, outside code. Then, as a backstop, on the page's HTML before the theme
wraps it (check_found, from pages/checks.check_rendered_html), for what only exists after rendering, such as a tag written across lines;
that message names the page but no line, since HTML keeps none (searching the text for a word would
name whichever line first holds it). The theme's own scripts are outside both, and the policy in csp.py
allows only those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .errors import StaffError
from .html_walk import Handler, walk

FORBIDDEN_TAGS = {
    "script": "a script", "iframe": "a frame (iframe)", "frame": "a frame", "object": "an embedded object",
    "embed": "an embedded object", "applet": "an applet", "form": "a form", "base": "a base tag", "meta": "a meta tag",
    "link": "a link tag", "style": "a style block",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset"}
SCRIPT_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
# Attributes the browser loads at once, without a click: any of them on another site tells that site who is reading.
LOADED_ATTRIBUTES = {"src", "srcset", "poster", "data", "background"}
OTHER_SITE = re.compile(r"(?:^|[\s,(])(?:https?:)?//([^/\s\"')]+)", re.IGNORECASE)
# A cheap first look: most pages hold none of these, and need no parsing.
MAYBE_UNSAFE = re.compile(r"<(?:script|i?frame|object|embed|applet|form|base|meta|link|style)\b|\son\w+\s*=|script\s*:|data\s*:\s*text/html"
                          r"|//|url\(", re.IGNORECASE)
FIX = "Remove it. Pages and data files hold words, Markdown and images only; ask a developer if the site needs more."
LOADED_THINGS = {"img": "a picture", "picture": "a picture", "source": "a picture or video", "video": "a video",
                 "audio": "a sound", "track": "a video's captions"}
OTHER_SITE_FIX = ("Save the file in the page's folder and use it from there, such as ![A map of our street](map.png). "
                  "For a map or a video, link to it instead: [See the map](https://...)")


MARKDOWN_TARGET = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)")  # a link's or a picture's target, as written
INLINE_CODE = re.compile(r"(`+).+?\1")  # shown as typed: `<script>` in backquotes is text


class Finder(Handler):
    """The unsafe parts of the HTML it is handed (html_walk.walk)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str, str]] = []  # (what, the text to look for in the source, the fix)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append((FORBIDDEN_TAGS[tag], f"<{tag}", FIX))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((f"an event handler ({name}=)", name, FIX))
            elif name in URL_ATTRIBUTES and value and SCRIPT_URL.match(value):
                self.found.append((f"a script address ({value.split(':')[0].strip()}:)", value.split(":")[0].strip() + ":", FIX))
            elif (name in LOADED_ATTRIBUTES or (name == "style" and "url(" in (value or "").lower())) and value \
                    and (other := OTHER_SITE.search(value)):
                what = LOADED_THINGS.get(tag, f"a <{tag}>")
                self.found.append((f"{what} loaded from another site ({other.group(1)})", other.group(1), OTHER_SITE_FIX))

    handle_startendtag = handle_starttag


def unsafe_parts(html: str) -> list[tuple[str, str, str]]:
    if not MAYBE_UNSAFE.search(html):
        return []
    finder = Finder()
    walk(html, finder)
    return finder.found


def markdown_parts(line: str) -> list[tuple[str, str, str]]:
    """What a line's Markdown links and pictures would add: a script address, a picture from another site."""
    found = []
    for picture, target in MARKDOWN_TARGET.findall(line):
        if SCRIPT_URL.match(target):
            found.append((f"a script address ({target.split(':')[0].strip()}:)", target, FIX))
        elif picture and (other := OTHER_SITE.search(target)):
            found.append((f"a picture loaded from another site ({other.group(1)})", target, OTHER_SITE_FIX))
    return found


def check_page_source(lines: Iterable[tuple[int, str]], source: Path) -> None:
    """Stop at the first unsafe part in the page's own lines (numbered, outside fenced code), at its line."""
    for number, line in lines:
        text = INLINE_CODE.sub("", line)
        for what, _, fix in [*unsafe_parts(text), *markdown_parts(text)]:
            raise StaffError(source, number, None, f"the page has {what}, which is not allowed on the site", fix)


def check_found(found: list[tuple[str, str, str]], source: Path) -> None:
    """The backstop after rendering: stop at the first of the unsafe parts a Finder found in a page's HTML, naming the
    page (HTML holds no source lines). pages/checks.check_rendered_html hands it the page's HTML."""
    for what, _, fix in found:
        raise StaffError(source, None, None, f"the page has {what}, which is not allowed on the site", fix)
