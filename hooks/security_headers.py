"""Security headers: a Content-Security-Policy `<meta>` in every page and a `_headers` file.

Material puts a few small inline scripts into each page. The policy allows them by
their sha256 hash, computed from the rendered HTML, so it stays right when Material
changes them. Each page's `<meta>` lists that page's own hashes; `_headers` (read by
Netlify and Cloudflare Pages) lists the union, with the headers a `<meta>` cannot carry.

A `<meta>` policy cannot set `frame-ancestors`, so only the header does. Keep this hook
last under `hooks:` so that no later hook adds a script after the hashes are taken.

`mkdocs serve` adds its own inline live-reload script to each page as it sends it, after this
hook has run, so pages get no `<meta>` policy there; the tests check the built pages.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from html import unescape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

# Script types a browser runs; anything else (application/json, application/ld+json) is a data block.
JAVASCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.DOTALL | re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""<[a-zA-Z][^>]*?\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""")
CHARSET_META = re.compile(r"<meta\s+charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)

# Where each analytics provider Material supports loads from and reports to (extra.analytics).
ANALYTICS_ORIGINS = {
    "google": {
        "script-src": ["https://www.googletagmanager.com"],
        "connect-src": ["https://*.google-analytics.com", "https://*.analytics.google.com",
                        "https://*.googletagmanager.com"],
        "img-src": ["https://*.google-analytics.com", "https://*.googletagmanager.com"],
    },
}

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


def hash_sources(texts: list[str]) -> list[str]:
    """CSP hash sources ('sha256-...'), without repeats, in the order given."""
    sources = [f"'sha256-{base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode('ascii')}'"
               for text in texts]
    return list(dict.fromkeys(sources))


def inline_script_hashes(html: str) -> list[str]:
    """A hash for every inline script the browser would run, in page order."""
    return hash_sources([match.group(2) for match in SCRIPT.finditer(html)
                         if "src" not in (attrs := attributes(match.group(1)))
                         and attrs.get("type", "").strip().lower() in JAVASCRIPT_TYPES])


def inline_style_hashes(html: str) -> list[str]:
    """Hashes for <style> blocks and style="..." attributes (Markdown table alignment writes these).

    Attribute hashes only count with 'unsafe-hashes', which allows exactly these declarations and no others.
    """
    blocks = hash_sources([match.group(1) for match in STYLE.finditer(html)])
    declarations = hash_sources([unescape(next(v for v in m.groups() if v is not None))
                                 for m in STYLE_ATTRIBUTE.finditer(html)])
    return blocks + (["'unsafe-hashes'", *declarations] if declarations else [])


def analytics_origins(analytics: dict | None) -> dict[str, list[str]]:
    """Extra origins the opt-in analytics needs; none when `extra.analytics` is unset."""
    if not analytics:
        return {}
    provider = analytics.get("provider")
    if provider not in ANALYTICS_ORIGINS:
        raise PluginError(
            f"mkdocs.yml: extra.analytics.provider is '{provider}', which the Content-Security-Policy does not "
            f"know. Use one of: {', '.join(ANALYTICS_ORIGINS)}, or remove extra.analytics."
        )
    return ANALYTICS_ORIGINS[provider]


def content_security_policy(script_hashes: list[str], style_hashes: Sequence[str] = (),
                            extra_origins: dict[str, list[str]] | None = None, *, for_meta: bool = False) -> str:
    """The policy: this site's own origin only, inline scripts by hash, no plugins, no framing."""
    extra_origins = extra_origins or {}
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
    for directive, origins in extra_origins.items():
        directives[directive] += origins
    if for_meta:
        del directives["frame-ancestors"]  # browsers ignore it in a <meta> and warn in the console
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def insert_policy_meta(html: str, policy: str, page_name: str) -> str:
    """Put the policy right after <meta charset>, before any script it governs."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    found = CHARSET_META.search(html)
    if not found:
        raise PluginError(f"{page_name}: no <meta charset=\"utf-8\"> to put the Content-Security-Policy after. "
                          "Keep Material's <head> in overrides/main.html (extend base.html, do not replace it).")
    return html[:found.end()] + meta + html[found.end():]


def headers_file(policy: str) -> str:
    """The `_headers` file: the same headers for every path."""
    lines = ["/*", f"  Content-Security-Policy: {policy}"]
    lines += [f"  {name}: {value}" for name, value in OTHER_HEADERS.items()]
    return "\n".join(lines) + "\n"


class _Build:
    """The hashes seen in this build's pages, for the union in `_headers`; whether `mkdocs serve` runs."""
    scripts: set[str] = set()
    styles: set[str] = set()
    serving = False


def with_policy(html: str, config: MkDocsConfig, page_name: str) -> str:
    if _Build.serving:
        return html
    scripts, styles = inline_script_hashes(html), inline_style_hashes(html)
    _Build.scripts.update(scripts)
    _Build.styles.update(styles)
    origins = analytics_origins(config.extra.get("analytics"))
    return insert_policy_meta(html, content_security_policy(scripts, styles, origins, for_meta=True), page_name)


def on_startup(*, command: str, dirty: bool) -> None:
    _Build.serving = command == "serve"


def on_pre_build(*, config: MkDocsConfig) -> None:
    _Build.scripts, _Build.styles = set(), set()
    analytics_origins(config.extra.get("analytics"))


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return with_policy(output, config, page.file.src_uri)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    if not template_name.endswith(".html"):
        return output_content
    return with_policy(output_content, config, template_name)


def on_post_build(*, config: MkDocsConfig) -> None:
    styles = sorted(_Build.styles, key=lambda source: (source != "'unsafe-hashes'", source))
    policy = content_security_policy(sorted(_Build.scripts), styles, analytics_origins(config.extra.get("analytics")))
    Path(config.site_dir, "_headers").write_text(headers_file(policy))
