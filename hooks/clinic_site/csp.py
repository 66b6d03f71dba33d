"""Security headers: a Content-Security-Policy for every page and a `_headers` file for the host.

The theme writes a few small inline scripts into each page. The policy allows exactly those, by
their sha256 hash, taken from the page with its own content cut out: so a script in a page's text
is never allowed, even if one got past the check in html_safety.py. `_headers` (read by Netlify and
Cloudflare Pages) carries the union of every page's hashes and the headers a `<meta>` cannot carry.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence
from html import unescape
from typing import Any

from .errors import StaffError

# Script types a browser runs; anything else (application/json, application/ld+json) is a data block.
JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.DOTALL | re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""<[a-zA-Z][^>]*?\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""")
CHARSET_META = re.compile(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)

OTHER_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    # A health site: a link to another site must not tell it which page the visitor read.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
                          "accelerometer=(), gyroscope=(), magnetometer=(), browsing-topics=()",
}


def attributes(tag_attributes: str) -> dict[str, str]:
    return {m.group(1).lower(): next((v for v in m.groups()[1:] if v is not None), "")
            for m in ATTRIBUTE.finditer(tag_attributes)}


def hash_sources(texts: Iterable[str]) -> list[str]:
    """CSP hash sources ('sha256-...'), without repeats, in the order given."""
    sources = [f"'sha256-{base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode('ascii')}'"
               for text in texts]
    return list(dict.fromkeys(sources))


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script the browser would run, in page order."""
    return [match.group(2) for match in SCRIPT.finditer(html)
            if "src" not in (attrs := attributes(match.group(1))) and attrs.get("type", "").strip().lower() in JAVASCRIPT_TYPES]


def theme_script_hashes(page_html: str, page_content: str) -> list[str]:
    """Hashes of the inline scripts the theme wrote: the page's own content is cut out first."""
    return hash_sources(inline_scripts(page_html.replace(page_content, "") if page_content else page_html))


def inline_style_hashes(html: str) -> list[str]:
    """Hashes for <style> blocks and style="..." attributes (Markdown table alignment writes these).

    Attribute hashes only count with 'unsafe-hashes', which allows exactly these declarations and no others.
    """
    blocks = hash_sources(match.group(1) for match in STYLE.finditer(html))
    declarations = hash_sources(unescape(next(v for v in m.groups() if v is not None)) for m in STYLE_ATTRIBUTE.finditer(html))
    return blocks + (["'unsafe-hashes'", *declarations] if declarations else [])


def third_party_settings(settings: dict[str, Any], config_file: str) -> None:
    """Stops the build when a config setting would make the pages load from another site.

    `settings`: the config's values by key: extra.analytics, theme.font, extra_javascript, extra_css.
    Which pages a visitor reads is health information: no tracker, web font or file from another site.
    """
    if settings.get("extra.analytics"):
        raise StaffError(config_file, None, "extra.analytics",
                         "analytics would send every visitor's reading to another company, and the site sends nothing about its visitors",
                         "Remove extra.analytics. Your host's own visitor counts, taken from its server logs, need no script (handbook/operators.md, 'Privacy and analytics').")
    if settings.get("theme.font") not in (None, False):
        raise StaffError(config_file, None, "theme.font", "the theme would load its fonts from Google Fonts",
                         "Remove font: from theme:, or set font: false. The site uses the visitor's own fonts.")
    for key in ("extra_javascript", "extra_css"):
        for number, entry in enumerate(settings.get(key) or [], start=1):
            address = str(getattr(entry, "path", entry))
            if re.match(r"^\s*(?:https?:)?//", address, re.IGNORECASE):
                raise StaffError(config_file, None, f"{key}[{number}]", f"'{address}' is a file on another site",
                                 "Save the file in the project and name it by its path, or remove it.")


def content_security_policy(script_hashes: Sequence[str], style_hashes: Sequence[str] = (), *, for_meta: bool = False) -> str:
    """This site's own origin only, inline scripts by hash, no plugins, no framing."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", *style_hashes],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    if for_meta:
        del directives["frame-ancestors"]  # browsers ignore it in a <meta> and warn in the console
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def insert_policy_meta(html: str, policy: str) -> str | None:
    """The policy right after <meta charset>, before any script it governs; None if the page has no charset tag."""
    found = CHARSET_META.search(html)
    if not found:
        return None
    return html[:found.end()] + f'<meta http-equiv="Content-Security-Policy" content="{policy}">' + html[found.end():]


def headers_file(policy: str) -> str:
    """The `_headers` file: the same headers for every path."""
    lines = ["/*", f"  Content-Security-Policy: {policy}", *(f"  {name}: {value}" for name, value in OTHER_HEADERS.items())]
    return "\n".join(lines) + "\n"
