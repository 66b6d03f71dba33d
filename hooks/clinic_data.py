"""Load and check a clinic's YAML data before any page is built.

The config lists data folders under `extra.clinic_data`, shared ones first.
A file in a later folder replaces the file of the same name in an earlier
one, so a clinic overrides only what differs (its identity, its conditions).

Every mistake becomes one DataError whose text names the file, the line and
the key, and says what to do. The MkDocs hook at the bottom turns it into a
PluginError so the build stops with that text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from pydantic import BaseModel, TypeAdapter, ValidationError

from clinic_config import check_clinic_config
from schema import (
    FILES,
    Clinic,
    ComparisonRow,
    Condition,
    CrisisHelp,
    FaqEntry,
    Reference,
    Reviewer,
    ScreeningRule,
    SideEffect,
)


class DataError(Exception):
    """A mistake in the clinic data, worded for the staff who made it."""


@dataclass(frozen=True)
class ClinicData:
    clinic: Clinic
    conditions: tuple[Condition, ...]
    side_effects: tuple[SideEffect, ...]
    screening: tuple[ScreeningRule, ...]
    comparison: tuple[ComparisonRow, ...]
    faq: tuple[FaqEntry, ...]
    references: tuple[Reference, ...]
    reviewers: tuple[Reviewer, ...]
    crisis: CrisisHelp
    sources: dict[str, Path]

    def condition(self, condition_id: str) -> Condition:
        return _by_id(self.conditions, condition_id, "condition", self.sources["conditions.yml"])

    def reference(self, reference_id: str) -> Reference:
        return _by_id(self.references, reference_id, "reference", self.sources["references.yml"])

    def reviewer(self, reviewer_id: str) -> Reviewer:
        return _by_id(self.reviewers, reviewer_id, "reviewer", self.sources["reviewers.yml"])


def _by_id(entries: tuple[Any, ...], wanted: str, kind: str, source: Path) -> Any:
    for entry in entries:
        if entry.id == wanted:
            return entry
    known = ", ".join(entry.id for entry in entries)
    raise DataError(f"unknown {kind} id '{wanted}'. Known ids in {source}: {known}")


def find_data_files(folders: list[Path]) -> dict[str, Path]:
    """Pick each data file from the last folder that has it."""
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            raise DataError(f"data folder {folder} does not exist. Check extra.clinic_data in the config file.")
        for path in sorted(folder.glob("*.y*ml")):
            if path.name not in FILES:
                raise DataError(f"{path}: unknown data file. Data files are named: {', '.join(FILES)}")
            found[path.name] = path
    missing = [name for name in FILES if name not in found]
    if missing:
        where = ", ".join(str(folder) for folder in folders)
        raise DataError(f"data file {missing[0]} is missing: no folder in extra.clinic_data ({where}) has it. Add the file.")
    return found


def read_yaml(path: Path) -> tuple[Any, dict[tuple, int]]:
    """Parse one file; return its value and the line of every key path in it."""
    text = path.read_text(encoding="utf-8")
    try:
        # Parse once with libyaml (about ten times faster than pure Python): the node tree gives
        # the line marks, and the same tree is turned into the value.
        loader = yaml.CSafeLoader(text)
        try:
            node = loader.get_single_node()
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise DataError(f"{path}{line}: this is not valid YAML ({problem}). Check the indentation and the colons on that line.") from None
    if value is None:
        raise DataError(f"{path}: the file is empty.")
    return value, key_lines(node)


def key_lines(node: yaml.Node, path: tuple = ()) -> dict[tuple, int]:
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, child in node.value:
            lines.update(key_lines(child, path + (key.value,)))
            lines[path + (key.value,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            lines.update(key_lines(child, path + (index,)))
    return lines


def describe(path: Path, loc: tuple, lines: dict[tuple, int], value: Any) -> str:
    """'file, line N, item 3 (id 'ptsd'), key "name"' for a location in a file."""
    known = ()
    for part in loc:
        if known + (part,) not in lines:
            break
        known += (part,)
    words = [f"{path}, line {lines.get(known, 1)}"]
    keys: list[str] = []
    node = value
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            entry_id = node.get("id") if isinstance(node, dict) else None
            words.append(f"item {part + 1}" + (f" (id '{entry_id}')" if entry_id else ""))
        elif isinstance(part, str) and (isinstance(node, dict) or node is None):
            keys.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    if keys:
        words.append(f"key '{'.'.join(keys)}'")
    return ", ".join(words)


def explain(error: dict) -> str:
    kind, loc = error["type"], error["loc"]
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "missing":
        return f"the required key '{name}' is missing. Add it."
    if kind == "extra_forbidden":
        return f"'{name}' is not a known key. Check its spelling, or remove it."
    return error["msg"].removeprefix("Value error, ") + "."


def validate_file(path: Path, model: type[BaseModel], is_list: bool) -> Any:
    value, lines = read_yaml(path)
    adapter = TypeAdapter(list[model] if is_list else model)
    try:
        parsed = adapter.validate_python(value)
    except ValidationError as error:
        problems = [f"{describe(path, tuple(e['loc']), lines, value)}: {explain(e)}" for e in error.errors()]
        raise DataError("\n".join(problems[:10])) from None
    if is_list:
        check_unique_ids(path, parsed, lines)
        return tuple(parsed)
    return parsed


def check_unique_ids(path: Path, entries: list[Any], lines: dict[tuple, int]) -> None:
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry.id in seen:
            raise DataError(f"{path}, line {lines[(index, 'id')]}: the id '{entry.id}' is used twice. Give each entry its own id.")
        seen.add(entry.id)


def check_citations(data: ClinicData) -> None:
    known = {reference.id for reference in data.references}
    for name, entries in (("faq.yml", data.faq), ("comparison.yml", data.comparison)):
        for entry in entries:
            for cited in entry.cites:
                if cited not in known:
                    raise DataError(
                        f"{data.sources[name]}, id '{entry.id}', key 'cites': unknown reference id '{cited}'. "
                        f"Add it to {data.sources['references.yml']} or fix the spelling."
                    )


def load_clinic_data(folders: list[Path]) -> ClinicData:
    sources = find_data_files(folders)
    loaded = {name: validate_file(path, *FILES[name]) for name, path in sources.items()}
    data = ClinicData(**{name.removesuffix(".yml"): value for name, value in loaded.items()}, sources=sources)
    check_citations(data)
    return data


_cache: dict[tuple, ClinicData] = {}


def data_folders(config: MkDocsConfig) -> list[Path]:
    folders = config.extra.get("clinic_data")
    if not folders or not isinstance(folders, list):
        raise DataError(f"{config.config_file_path}: 'extra.clinic_data' must list the data folders, shared ones first.")
    base = Path(config.config_file_path).parent
    return [shorten((base / folder).resolve()) for folder in folders]


def shorten(path: Path) -> Path:
    """Paths in messages relative to where staff ran mkdocs, when the data is below it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def data_for_config(config: MkDocsConfig) -> ClinicData:
    """The clinic data for this build, read again only when a file changed."""
    folders = data_folders(config)
    stamp = tuple((str(path), path.stat().st_mtime_ns) for folder in folders if folder.is_dir() for path in sorted(folder.iterdir()))
    key = (tuple(map(str, folders)), stamp)
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_clinic_data(folders)
    return _cache[key]


def on_config(config: MkDocsConfig) -> None:
    check_clinic_config(Path(config.config_file_path), config)
    try:
        data_for_config(config)
    except DataError as error:
        raise PluginError(f"Clinic data: {error}") from None


def on_serve(server, *, config: MkDocsConfig, builder):
    """`mkdocs serve` watches only docs_dir and the config file: also rebuild when a data file changes."""
    for folder in data_folders(config):
        server.watch(str(folder))
    return server
