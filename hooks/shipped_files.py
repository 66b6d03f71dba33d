"""Ship only what pages load: leave Material's source maps and unused search languages out of the site.

Material copies every theme file into the site. Browsers fetch a `.map` file only while
developer tools are open, and the search worker loads `assets/javascripts/lunr/` only for
search languages other than English. Material has no option for this, so `on_files`
drops those files before they are copied.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.plugins.shipped_files")
SEARCH_LANGUAGE_FILES = "assets/javascripts/lunr/"


def search_languages(config: MkDocsConfig) -> list[str]:
    """The languages the search worker loads, or none without a search plugin."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return list(plugin.config.lang or []) if plugin else []


def unloaded_files(paths: Iterable[str], languages: Iterable[str]) -> list[str]:
    """Theme files no page loads: source maps always; lunr language support when search is English only."""
    english_only = set(languages) <= {"en"}
    return [path for path in paths
            if path.endswith(".map") or (english_only and path.startswith(SEARCH_LANGUAGE_FILES))]


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    theme_files = [file.src_uri for file in files if file.src_dir != config.docs_dir]
    unloaded = unloaded_files(theme_files, search_languages(config))
    for path in unloaded:
        files.remove(files.get_file_from_path(path))
    log.debug("left out %d files no page loads", len(unloaded))
    return files
