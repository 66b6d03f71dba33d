"""The form of one link: a phone or text link, an email link, an address on another site.

Pure functions on the link as written, used twice: on each page's Markdown as the site builds
(pages.check_links, with the page's file and line) and on the built HTML (tools/linkcheck.py, which
also sees links the theme and the macros write).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

PHONE_NUMBER = re.compile(r"\+[1-9][0-9]{6,14}|[0-9]{3,6}")
EMAIL = re.compile(r"[^@\s<>()\[\]\\,;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def check_phone(url: str) -> str | None:
    """tel: and sms: links (RFC 3966, RFC 5724); '-', '.', '(' and ')' may separate digits."""
    scheme, _, rest = url.partition(":")
    number = re.sub(r"[-.()]", "", re.split(r"[;?]", rest)[0])
    if not PHONE_NUMBER.fullmatch(number):
        return (f"not a well-formed {scheme.lower()}: link; write + and the country code, then 7 to 15 digits "
                f"({scheme}:+15035550100), or a 3- to 6-digit service code ({scheme}:988)")
    return None


def check_mailto(url: str) -> str | None:
    addresses = unquote(url.removeprefix("mailto:").split("?")[0])
    bad = [address for address in addresses.split(",") if not EMAIL.fullmatch(address.strip())]
    if not addresses or bad:
        return f"not a well-formed mailto: link; '{', '.join(bad) or addresses}' is not an email address"
    return None


def check_external_form(url: str) -> str | None:
    """Syntax only; `check_external` fetches the URL."""
    if url.startswith("//"):
        return "protocol-relative URL; write it with https://"
    parts = urlsplit(url)
    if parts.scheme == "http":
        return "uses http; use https"
    if re.search(r"\s", url):
        return "contains a space; percent-encode it as %20"
    host = parts.hostname or ""
    try:
        labels = host.encode("idna").decode("ascii").split(".") if host else []
    except UnicodeError:
        labels = []
    if len(labels) < 2 or not all(HOST_LABEL.fullmatch(label) for label in labels):
        return f"'{host}' is not a valid host name"
    try:
        _ = parts.port  # reading it checks it
    except ValueError:
        return "has an invalid port number"
    return None


# Links as staff write them in a page's Markdown: [words](address "title") and ![alt](picture).
SOURCE_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
SPACED_ADDRESS = re.compile(r"\]\(\s*((?:https?://|www\.)[^)\"]*?\s[^)\"]*?)\s*\)", re.IGNORECASE)
CODE_SPAN = re.compile(r"`[^`]*`")
HTML_LINK = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
# { phone_link() } or { clinic.name }: one brace each side. (Markdown's { .class } and { #id } start with . or #.)
SINGLE_BRACES = re.compile(r"(?<![{%])\{\s*[A-Za-z_][\w.]*(?:\([^{}]*\))?\s*\}(?![}%])")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
WITHOUT_HTTPS = "the address has no https:// at the front, so it would go to a page of this site"


def source_link_problems(line: str) -> list[tuple[str, str, str]]:
    """(the link as written, problem, fix) for each link on one line of Markdown whose form is wrong.

    Links to pages (faq.md) are checked against the site's pages elsewhere; anchors are checked by MkDocs.
    """
    line = CODE_SPAN.sub("", line)
    found = [(address, f"the address '{address}' has a space in it, so it is not a link", "Write %20 for each space, "
              "or copy the address again from the browser's address bar.") for address in SPACED_ADDRESS.findall(line)]
    for image, words, target in SOURCE_LINK.findall(line):
        if problem := _link_problem(bool(image), words, target):
            found.append((target or f"[{words}]", *problem))
    for target in HTML_LINK.findall(line):  # <a href="..."> typed as HTML: the same rules, though its words are not read here
        if problem := _link_problem(False, "the words", target):
            found.append((target, *problem))
    for written in SINGLE_BRACES.findall(line):
        found.append((written, "a macro needs two braces on each side, so the page would show it as typed",
                      f"Write {{{{ {written.strip('{} ')} }}}}."))
    return found


def _link_problem(image: bool, words: str, target: str) -> tuple[str, str] | None:
    if not target:
        return "the link has no address", "Write the address between the round brackets: [our prices](costs.md)."
    if not image and not words.strip():
        return ("the link has no words, so a screen reader can only say 'link'",
                "Write the words to click between the square brackets: [Costs and insurance](costs.md).")
    lowered = target.lower()
    if lowered.startswith(("tel:", "sms:")):
        return (f"'{target}' is not a number a phone can call", "Write + and the country code, then the number: tel:+15035550100. For your clinic's own number, "
                "write {{ phone_link() }}.") if check_phone(target) else None
    if lowered.startswith("mailto:"):
        return (f"'{target.removeprefix('mailto:')}' is not an email address", "Write the whole address: mailto:care@clinic.example. For your clinic's own address, write "
                "{{ email_link() }}.") if check_mailto(target) else None
    if lowered.startswith(("http:", "https:", "//")):
        problem = check_external_form(target)
        return (f"the address {problem}", "Copy the address again from the browser's address bar.") if problem else None
    if lowered.startswith("www."):
        return WITHOUT_HTTPS, f"Write it as https://{target}"
    if SCHEME.match(target) or target.startswith("#"):
        return None  # script addresses are refused by html_safety; anchors are checked by MkDocs
    path = target.split("#")[0].split("?")[0]
    if image or path.endswith(".md"):
        return None
    if path.startswith("/") or path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]:
        page = path.strip("/").removesuffix(".html").removesuffix("/index") or "index"
        return ("the link goes to a web address of this site, not to a page's file",
                f"Link to the page's file instead, such as [{words or 'the page'}]({page}.md).")
    return None
