"""What staff give a command: the clinic's config (`make build CONFIG=...`) and a day (`make reviews TODAY=...`).

Every command that takes them (make build, serve, test, reviews, readability) checks them here first, so a
folder, a missing file or a date written another way stops with one line naming the value and the fix,
instead of a Python traceback.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .clinics import inherit_chain, read_config_keys, repository_configs
from .errors import StaffError, shown_path

DATE_FORMAT = "YYYY-MM-DD"


def config_file(given: str | Path, shared: Path, key: str = "CONFIG") -> Path:
    """The clinic config named by `given` (relative to the folder the command runs in), resolved.

    `shared` is the repository's top folder: its mkdocs.yml builds the default clinic, whose folder has none.
    """
    path = Path(given).resolve()
    configs = ", ".join(shown_path(config) for config in repository_configs(shared) if config.is_file())
    if path.is_file() and path.suffix in (".yml", ".yaml"):
        return readable_config(path)
    if path.is_file():
        raise StaffError(None, None, key, f"'{given}' is not a config file", f"Give a clinic's mkdocs.yml, one of: {configs}.")
    if path.is_dir() and (path / "mkdocs.yml").is_file():
        raise StaffError(None, None, key, f"'{given}' is a folder, not a config file",
                         f"Give the clinic's mkdocs.yml: {key}={shown_path(path / 'mkdocs.yml')}.")
    folder = path if path.is_dir() or path.suffix not in (".yml", ".yaml") else path.parent
    problem = f"'{given}' is a folder with no mkdocs.yml" if path.is_dir() else f"there is no file '{given}'"
    if folder == default_clinic_folder(shared):
        raise StaffError(None, None, key, f"{problem}: the default clinic, {shown_path(folder)}, has no config of its own",
                         f"The top-level mkdocs.yml builds it: give {key}={shown_path(shared / 'mkdocs.yml')}, or leave {key} out.")
    raise StaffError(None, None, key, problem, f"Give a clinic's mkdocs.yml, one of: {configs}.")


def readable_config(path: Path) -> Path:
    """The config, once each file of its INHERIT chain names a file that is there and reads as staff YAML.

    MkDocs would stop at a wrong INHERIT with its own message naming neither the file nor the line, and read
    an alias-laden file without a limit: every command checks the chain here first.
    """
    for config in inherit_chain(path):
        read_config_keys(config)
    return path


def default_clinic_folder(shared: Path) -> Path | None:
    """The folder the top-level mkdocs.yml builds (plugins.clinic.default_clinic), if it names one."""
    top = shared / "mkdocs.yml"
    keys = read_config_keys(top).value if top.is_file() else None
    plugin = ((keys if isinstance(keys, dict) else {}).get("plugins") or {})
    named = (plugin.get("clinic") or {}).get("default_clinic") if isinstance(plugin, dict) else None
    return (shared / named).resolve() if isinstance(named, str) else None


def day(given: str, key: str = "TODAY") -> date:
    """A day written YYYY-MM-DD, such as 2027-06-01."""
    try:
        return date.fromisoformat(given.strip())
    except ValueError:
        raise StaffError(None, None, key, f"'{given}' is not a date written {DATE_FORMAT}",
                         f"Write it as {DATE_FORMAT}, such as 2027-06-01.") from None
