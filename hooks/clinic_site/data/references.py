"""The references between data files, read from the schema's RefersTo marks, and the checks they drive.

`relations()` lists every field whose type says it names an entry of another file (schema.RefersTo):
the file and key path that holds it, and the file it points into. The build checks each value against
that file (with a did-you-mean), the editor offers that file's ids as the field's choices (`choices`),
and tools/data_reference.py names the file in the README's tables. Nothing here names a field.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..errors import Problem, StaffError
from ..schema import FILES, RefersTo, nested_model, refers_to, unwrap
from ..yamlfile import describe_key

if TYPE_CHECKING:
    from .load import ClinicData

EACH = "*"  # in a Relation's path: each item of a list


@dataclass(frozen=True)
class Relation:
    file: str  # the data file that holds the field, such as conditions.yml
    path: tuple[str, ...]  # its keys from the file's top; EACH for every item of a list: ('*', 'evidence', 'source')
    target: RefersTo  # the file it names an entry of, and how


def model_relations(model: type[BaseModel], file: str, prefix: tuple[str, ...]) -> Iterator[Relation]:
    for name, info in model.model_fields.items():
        kind, metadata, _ = unwrap(info.annotation)
        path = (*prefix, name)
        if typing.get_origin(kind) is list:
            kind, metadata, _ = unwrap(typing.get_args(kind)[0])
            path = (*path, EACH)
        else:
            metadata = [*info.metadata, *metadata]
        target = refers_to(metadata)
        if target is not None:
            yield Relation(file, path, target)
        elif (inner := nested_model(kind)) is not None:
            yield from model_relations(inner, file, path)


@cache
def relations() -> tuple[Relation, ...]:
    """Every reference between the data files, in the order of schema.FILES."""
    return tuple(relation for name, known in FILES.items()
                 for relation in model_relations(known.model, name, (EACH,) if known.is_list else ()))


def values_at(value: Any, path: tuple[str, ...], loc: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(its location, such as (0, 'cites', 1), the value) for each value at `path` in a loaded file; None skipped."""
    if value is None:
        return
    if not path:
        yield loc, value
    elif path[0] == EACH:
        for index, item in enumerate(value):
            yield from values_at(item, path[1:], (*loc, index))
    else:
        yield from values_at(getattr(value, path[0]), path[1:], (*loc, path[0]))


def loaded(data: ClinicData, file: str) -> Any:
    """A loaded file: ClinicData names its attributes after the files (evidence_levels.yml: evidence_levels)."""
    return getattr(data, file.removesuffix(".yml"))


def choices(data: ClinicData, target: RefersTo) -> list[str] | None:
    """What a field that refers to `target` may hold: the ids of its file's entries (None for a setting's key path)."""
    return [entry.id for entry in loaded(data, target.file)] if target.by == "id" else None


def ids_by_file(data: ClinicData) -> dict[str, list[str]]:
    """For the editor: the ids each referenced file offers, by file name."""
    return {relation.target.file: ids for relation in relations() if (ids := choices(data, relation.target)) is not None}


def check_links_between_files(data: ClinicData) -> None:
    """Every reference names an entry that exists; a condition is listed once under one name; a page is in one review record."""
    for relation in relations():
        document = data.documents[relation.file]
        for loc, wanted in values_at(loaded(data, relation.file), relation.path):
            try:
                data.lookup(relation.target, wanted)
            except Problem as problem:
                raise problem.at(document.path, document.line(loc), describe_key(loc, document.value)) from None
    names: dict[str, int] = {}
    for index, condition in enumerate(data.conditions):
        for name in (condition.name, condition.also_called):
            if name and name.lower() in names and names[name.lower()] != index:
                document = data.documents["conditions.yml"]
                first = data.conditions[names[name.lower()]]
                raise StaffError(document.path, document.line((index, "name")), describe_key((index, "name"), document.value),
                                 f"'{name}' is already listed as the condition '{first.id}' (line {document.line((names[name.lower()], 'name'))})",
                                 "List each condition once: delete one of the two entries.")
            if name:
                names[name.lower()] = index
    reviewed: dict[str, int] = {}
    document = data.documents["reviews.yml"]
    for index, record in enumerate(data.reviews):
        for number, page in enumerate(record.pages):
            if page in reviewed:
                raise StaffError(document.path, document.line((index, "pages", number)), describe_key((index, "pages"), document.value),
                                 f"{page} is listed in two review records (the other on line {reviewed[page]})",
                                 "List each page in one record: the latest review of it.")
            reviewed[page] = document.line((index, "pages", number))
