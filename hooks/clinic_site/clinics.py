"""Which clinic a config builds, and the checks of a clinic's own name and address.

The top-level mkdocs.yml holds the shared settings and builds the default clinic, whose folder its
`plugins.clinic.default_clinic` names. Every other clinic is a folder `clinics/<name>/` holding its
own mkdocs.yml (`INHERIT: ../../mkdocs.yml` plus its name and address), its data/ and, if it has
any, its own pages in docs/. The shared folder is the one holding the config at the end of the
INHERIT chain; the clinic folder is the config's own folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import StaffError, shown_path
from .schema import PLACEHOLDER
from .yamlfile import YamlDocument, decode, parse_yaml

INHERIT = re.compile(r"^INHERIT:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)
OWN_KEYS = ("site_name", "site_url")


@dataclass(frozen=True)
class Folders:
    config: Path  # the config file being built
    shared: Path  # the folder of the top-level config: docs/, data/, overrides/, clinics/
    clinic: Path  # the clinic's folder: data/ and, optionally, docs/

    @property
    def is_default(self) -> bool:
        return self.config == self.shared / "mkdocs.yml"


def inherit_chain(config_file: Path) -> list[Path]:
    """The config, then each config it inherits from; an INHERIT that names no file stops with the fix."""
    chain = [config_file.resolve()]
    while match := INHERIT.search(text := chain[-1].read_text(encoding="utf-8-sig")):
        parent = (chain[-1].parent / match.group(1)).resolve()
        if parent in chain:
            break
        if not parent.is_file():
            line = text.count("\n", 0, match.start()) + 1
            raise StaffError(chain[-1], line, "INHERIT", f"'{match.group(1)}' names no file (it would be {shown_path(parent)})",
                             f"Write INHERIT: {shared_config_path(chain[-1]) or 'and the path to the top-level mkdocs.yml'}.")
        chain.append(parent)
    return chain


def inherit_line(config_file: Path) -> int | None:
    text = config_file.read_text(encoding="utf-8-sig")
    match = INHERIT.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def shared_config_path(config_file: Path) -> str | None:
    """How a clinic's config at clinics/<name>/mkdocs.yml names the top-level one: '../../mkdocs.yml'; None elsewhere."""
    folder = config_file.resolve().parent
    if folder.parent.name == "clinics" and (folder.parent.parent / "mkdocs.yml").is_file():
        return os.path.relpath(folder.parent.parent / "mkdocs.yml", folder).replace(os.sep, "/")
    return None


def clinic_folders(config_file: Path, default_clinic: object) -> Folders:
    chain = inherit_chain(config_file)
    config, base = chain[0], chain[-1]
    if shared := shared_config_path(base):
        raise StaffError(base, 1, "INHERIT", "this clinic's config does not build on the shared one: it has no INHERIT line",
                         f"Add INHERIT: {shared} as its first line.")
    if config != base:
        if not config.is_relative_to(base.parent):
            raise StaffError(config, inherit_line(config), "INHERIT",
                             f"this config builds on {shown_path(base)}, outside the folder it belongs to",
                             f"Write INHERIT: {shared}." if (shared := shared_config_path(config))
                             else "Point INHERIT at the top-level mkdocs.yml of the repository this config is in.")
        return Folders(config, base.parent, config.parent)
    if not default_clinic:
        raise StaffError(config, None, "plugins.clinic.default_clinic", "the top-level config names no clinic folder",
                         "Set it to the default clinic's folder, for example clinics/harbor.")
    if not isinstance(default_clinic, str):
        raise StaffError(config, None, "plugins.clinic.default_clinic", f"'{default_clinic}' is not a folder",
                         "Set it to the default clinic's folder, for example clinics/harbor.")
    folder = (base.parent / default_clinic).resolve()
    if not folder.is_relative_to(base.parent):
        raise StaffError(config, None, "plugins.clinic.default_clinic", f"{default_clinic} is outside this repository",
                         "Set it to a clinic's folder inside it, for example clinics/harbor.")
    if not (folder / "data").is_dir():
        raise StaffError(config, None, "plugins.clinic.default_clinic", f"{default_clinic} has no data/ folder",
                         "Set it to a clinic's folder, for example clinics/harbor.")
    return Folders(config, base.parent, folder)


def repository_configs(shared: Path) -> list[Path]:
    """Every clinic config in the repository: the top-level one, then clinics/*/mkdocs.yml."""
    return [shared / "mkdocs.yml", *sorted((shared / "clinics").glob("*/mkdocs.yml"))]


def read_config_keys(path: Path) -> YamlDocument:
    """The config's own keys, without what it inherits."""
    return parse_yaml(decode(path.read_bytes(), path), path)


def written_site_url(folders: Folders) -> object:
    """The site_url the config files set (the config's own, else the one it inherits): the address the site is
    published at. `mkdocs serve` replaces config.site_url with its own preview address, http://127.0.0.1:8000/."""
    for config in inherit_chain(folders.config):
        keys = read_config_keys(config).value
        if isinstance(keys, dict) and keys.get("site_url") is not None:
            return keys["site_url"]
    return None


def check_own_identity(folders: Folders, values: dict[str, str]) -> None:
    """A clinic's config sets its own name and address, filled in and well formed.

    It reads only this clinic's config and the shared one: whether another clinic has the same name or address
    is checked once for the whole repository (tools/network/check.py), so one clinic's files never stop another's build.
    """
    own = read_config_keys(folders.config)
    own_keys = own.value if isinstance(own.value, dict) else {}
    if not folders.is_default:
        for key in OWN_KEYS:
            if key not in own_keys:
                raise StaffError(folders.config, None, key, f"this clinic's config sets no {key}, so it would be the default clinic's "
                                 f"'{values.get(key)}'", f"Set {key} in this file to your clinic's own.")
    for key in OWN_KEYS:
        value = str(values.get(key) or "")
        if PLACEHOLDER.lower().replace(" ", "-") in value.lower() or value.startswith(PLACEHOLDER):
            raise StaffError(folders.config, own.line((key,)), key, f"this is still the placeholder '{value}'",
                             f"Set {key} to your clinic's own.")
    site_url = str(values.get("site_url") or "")
    if site_url and not re.match(r"^https://[^/\s]+(/[^\s]*)?/$", site_url):
        where = folders.config if "site_url" in own_keys else folders.shared / "mkdocs.yml"
        raise StaffError(where, own.line(("site_url",)) if "site_url" in own_keys else None, "site_url",
                         f"'{site_url}' is not a web address starting with https:// and ending with /",
                         "Write it as https://www.yourclinic.example/ (browsers warn visitors about http://, and page links need the /).")
