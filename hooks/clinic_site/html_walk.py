"""One pass of Python's html.parser over a page's HTML, handing each tag and each run of text to several checks.

Parsing is most of a check's cost, so the checks of a page's HTML (html_safety, crisis) are handlers that one
walk feeds, instead of parsers that each read the page again.
"""

from __future__ import annotations

from html.parser import HTMLParser


class Handler:
    """What a check does with the parts of the HTML; a tag that closes itself (<br/>) is a start and an end."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        pass

    def handle_data(self, data: str) -> None:
        pass


class _Walk(HTMLParser):
    def __init__(self, handlers: tuple[Handler, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers = handlers

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for handler in self.handlers:
            handler.handle_starttag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for handler in self.handlers:
            handler.handle_startendtag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        for handler in self.handlers:
            handler.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        for handler in self.handlers:
            handler.handle_data(data)


def walk(html: str, *handlers: Handler) -> None:
    """Parse `html` once, handing every part to each handler in turn."""
    parser = _Walk(handlers)
    parser.feed(html)
    parser.close()
