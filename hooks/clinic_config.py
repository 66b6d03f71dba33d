"""Checks on a clinic's own config file, run by clinic_data.py's on_config.

A clinic's config (examples/clinic-b/mkdocs.yml) INHERITs the default mkdocs.yml, so
two mistakes go unnoticed by MkDocs:

- INHERIT merges mappings but replaces lists, so the clinic's config repeats the default's
  `hooks:` list, each path starting from its own folder. When a hook is added to the
  default, each clinic's config must add it too. The check runs from clinic_data.py, the
  hook every clinic's config has, so it also catches a list that lacks a newer hook.
- A key the clinic forgot to set keeps the default clinic's value, and its name or web
  address would show on the other clinic's site. (A config that keeps the default's data
  folders is the same clinic, so it may keep them.)

Each stops the build with the fix to paste.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.utils.yaml import yaml_load

BASE_CONFIG = Path(__file__).resolve().parent.parent / "mkdocs.yml"
OWN_KEYS = ("site_name", "site_url")


def read_config(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return yaml_load(handle)


def expected_hooks(config_file: Path, base_file: Path = BASE_CONFIG) -> list[str]:
    """The default config's hooks, written as paths from config_file's folder."""
    hooks = read_config(base_file).get("hooks", [])
    return [Path(os.path.relpath(base_file.parent / hook, config_file.parent)).as_posix() for hook in hooks]


def check_hooks(config_file: Path, hooks: list[str], base_file: Path = BASE_CONFIG) -> None:
    expected = expected_hooks(config_file, base_file)
    if [(config_file.parent / hook).resolve() for hook in hooks] != [(config_file.parent / hook).resolve() for hook in expected]:
        listing = "\n".join(f"  - {hook}" for hook in expected)
        raise PluginError(
            f"{config_file}: 'hooks' must list the same files as {os.path.relpath(base_file, config_file.parent)}, in the same order, "
            f"because INHERIT replaces lists. Set it to:\nhooks:\n{listing}"
        )


def data_folders(config_file: Path, values: dict[str, Any]) -> list[Path]:
    return [(config_file.parent / folder).resolve() for folder in values.get("extra", {}).get("clinic_data", [])]


def check_own_identity(config_file: Path, values: dict[str, Any], base_file: Path = BASE_CONFIG) -> None:
    """Only for another clinic's data: a variant config of the default clinic (another nav, say) keeps its name."""
    base = read_config(base_file)
    if data_folders(config_file, values) == data_folders(base_file, base):
        return
    for key in OWN_KEYS:
        if values.get(key) == base.get(key):
            raise PluginError(f"{config_file}: '{key}' is still the default clinic's ('{base[key]}'). Set {key} to your clinic's own.")


def check_clinic_config(config_file: Path, values: dict[str, Any], base_file: Path = BASE_CONFIG) -> None:
    """Both checks, for any config but the default one itself."""
    if config_file.resolve() == base_file.resolve():
        return
    check_hooks(config_file, list(values["hooks"]), base_file)
    check_own_identity(config_file, values, base_file)
