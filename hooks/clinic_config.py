"""A clinic's own config must keep the default config's hooks (checked by clinic_data.py's on_config).

A clinic's config (examples/clinic-b/mkdocs.yml) INHERITs the default mkdocs.yml. INHERIT
merges mappings but replaces lists, so the clinic's config repeats the default's `hooks:`
list, each path starting from its own folder. When a hook is added to the default, each
clinic's config must add it too: this check stops the build with the list to paste, so a
clinic's site never quietly misses a hook. It runs from clinic_data.py, the hook every
clinic's config has, so it also catches a list that lacks a newer hook.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils.yaml import yaml_load

BASE_CONFIG = Path(__file__).resolve().parent.parent / "mkdocs.yml"


def expected_hooks(config_file: Path, base_file: Path = BASE_CONFIG) -> list[str]:
    """The default config's hooks, written as paths from config_file's folder."""
    with base_file.open("rb") as handle:
        base = yaml_load(handle)
    return [Path(os.path.relpath(base_file.parent / hook, config_file.parent)).as_posix() for hook in base.get("hooks", [])]


def check_hooks(config_file: Path, hooks: list[str], base_file: Path = BASE_CONFIG) -> None:
    if config_file.resolve() == base_file.resolve():
        return
    expected = expected_hooks(config_file, base_file)
    if [(config_file.parent / hook).resolve() for hook in hooks] != [(config_file.parent / hook).resolve() for hook in expected]:
        listing = "\n".join(f"  - {hook}" for hook in expected)
        raise PluginError(
            f"{config_file}: 'hooks' must list the same files as {os.path.relpath(base_file, config_file.parent)}, in the same order, "
            f"because INHERIT replaces lists. Set it to:\nhooks:\n{listing}"
        )
