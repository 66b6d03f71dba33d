"""The checks between data files: an id that points into another file exists there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Problem, StaffError
from ..yamlfile import describe_key

if TYPE_CHECKING:
    from .load import ClinicData


def check_links_between_files(data: ClinicData) -> None:
    """Ids that point into another file exist there; a condition is listed once under one name."""
    def check(name: str, keys: tuple, lookup, wanted: str) -> None:
        try:
            lookup(wanted)
        except Problem as problem:
            document = data.documents[name]
            raise problem.at(document.path, document.line(keys), describe_key(keys, document.value)) from None

    names: dict[str, int] = {}
    for index, condition in enumerate(data.conditions):
        check("conditions.yml", (index, "category"), data.category, condition.category)
        check("conditions.yml", (index, "evidence", "level"), data.evidence_level, condition.evidence.level)
        written = data.documents["conditions.yml"].value[index]["evidence"]["source"]  # one id, or a list of ids
        for number, source in enumerate(condition.evidence.source):
            check("conditions.yml", (index, "evidence", "source", *([number] if isinstance(written, list) else [])), data.reference, source)
        for name in (condition.name, condition.also_called):
            if name and name.lower() in names and names[name.lower()] != index:
                document = data.documents["conditions.yml"]
                first = data.conditions[names[name.lower()]]
                raise StaffError(document.path, document.line((index, "name")), describe_key((index, "name"), document.value),
                                 f"'{name}' is already listed as the condition '{first.id}' (line {document.line((names[name.lower()], 'name'))})",
                                 "List each condition once: delete one of the two entries.")
            if name:
                names[name.lower()] = index
    for file_name, entries in (("comparison.yml", data.comparison), ("facts.yml", data.facts)):
        for index, entry in enumerate(entries):
            for number, cited in enumerate(entry.cites):
                check(file_name, (index, "cites", number), data.reference, cited)
    for number, cited in enumerate(data.treatment.off_label.cites):
        check("treatment.yml", ("off_label", "cites", number), data.reference, cited)
    for index, entry in enumerate(data.faq):
        if entry.when:
            check("faq.yml", (index, "when"), data.setting, entry.when)
    for index, record in enumerate(data.reviews):
        written = data.documents["reviews.yml"].value[index]["reviewed_by"]  # one id, or a list of ids
        for number, reviewer in enumerate(record.reviewed_by):
            check("reviews.yml", (index, "reviewed_by", *([number] if isinstance(written, list) else [])), data.reviewer, reviewer)
    reviewed: dict[str, int] = {}
    document = data.documents["reviews.yml"]
    for index, record in enumerate(data.reviews):
        for number, page in enumerate(record.pages):
            if page in reviewed:
                raise StaffError(document.path, document.line((index, "pages", number)), describe_key((index, "pages"), document.value),
                                 f"{page} is listed in two review records (the other on line {reviewed[page]})",
                                 "List each page in one record: the latest review of it.")
            reviewed[page] = document.line((index, "pages", number))
