"""A MkDocs hook for benchmarks/build.py (given to one build with load_config(hooks=...), never in a config file):
writes each page's Markdown as the clinic plugin and the macros left it, with its front matter, and the menu, into
the folder CLINIC_SITE_CAPTURE names. Material alone then builds those finished pages: the same content as the
clinic's site, without our plugin's work."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority


def folder() -> Path:
    return Path(os.environ["CLINIC_SITE_CAPTURE"])


@event_priority(-100)  # after mkdocs-macros, in whose page hooks the clinic plugin renders each page
def on_page_markdown(markdown, page, config, files):
    meta = {key: str(value) if isinstance(value, str) else value for key, value in page.meta.items() if key != "render_macros"}
    path = folder() / "docs" / page.file.src_uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n\n{markdown}", encoding="utf-8")
    return markdown


def on_post_build(config):
    (folder() / "nav.yml").write_text(yaml.safe_dump(config.nav, sort_keys=False), encoding="utf-8")
