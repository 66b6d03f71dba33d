"""Load and check one clinic's data, together with the shared data, before any page is built.

The shared facts about the treatment live in `data/`; a clinic's own files live in
`clinics/<name>/data/`. A clinic may also replace a shared file by putting one of the same name in
its own folder. Every mistake becomes one StaffError in the shape `file:line: key: problem. fix`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from .errors import Problem, StaffError, shown_path
from .text import lower_first
from .schema import (
    FILES, PLACEHOLDER, Category, Clinic, ComparisonRow, DatedFact, Condition, CrisisHelp, EvidenceLevel,
    FaqEntry, Reference, Reviewer, ReviewRecord, ScreeningRule, SideEffect, SitePages, Treatment, field_at,
    US_STATES, nested_model,
)
from .yamlfile import YamlDocument, describe_key, invisible_in, read_yaml, texts


@dataclass(frozen=True)
class ClinicData:
    folder: Path  # the clinic's folder: clinics/<name>
    clinic: Clinic
    conditions: tuple[Condition, ...]
    reviewers: tuple[Reviewer, ...]
    reviews: tuple[ReviewRecord, ...]
    pages: SitePages
    categories: tuple[Category, ...]
    evidence_levels: tuple[EvidenceLevel, ...]
    side_effects: tuple[SideEffect, ...]
    screening: tuple[ScreeningRule, ...]
    comparison: tuple[ComparisonRow, ...]
    faq: tuple[FaqEntry, ...]
    references: tuple[Reference, ...]
    crisis: CrisisHelp
    facts: tuple[DatedFact, ...]
    treatment: Treatment
    documents: dict[str, YamlDocument]

    def path(self, name: str) -> Path:
        return self.documents[name].path

    def condition(self, wanted: str) -> Condition:
        return by_id(self.conditions, wanted, "condition", self.path("conditions.yml"))

    def reference(self, wanted: str) -> Reference:
        return by_id(self.references, wanted, "reference", self.path("references.yml"))

    def reviewer(self, wanted: str) -> Reviewer:
        return by_id(self.reviewers, wanted, "reviewer", self.path("reviewers.yml"))

    def category(self, wanted: str) -> Category:
        return by_id(self.categories, wanted, "category", self.path("categories.yml"))

    def evidence_level(self, wanted: str) -> EvidenceLevel:
        return by_id(self.evidence_levels, wanted, "evidence level", self.path("evidence_levels.yml"))

    def fact(self, wanted: str) -> DatedFact:
        return by_id(self.facts, wanted, "fact", self.path("facts.yml"))

    def setting(self, key_path: str) -> Any:
        """A clinic setting by its key path, such as 'payment.free_consultation'."""
        value: Any = self.clinic
        for part in key_path.split("."):
            if not isinstance(value, BaseModel) or part not in type(value).model_fields:
                raise Problem(f"'{key_path}' is not a setting in clinic.yml",
                              "Use a key path from clinic.yml, for example payment.free_consultation.")
            value = getattr(value, part)
        return value


def by_id(entries: tuple[Any, ...], wanted: str, kind: str, source: Path) -> Any:
    for entry in entries:
        if entry.id == wanted:
            return entry
    known = [entry.id for entry in entries]
    close = difflib.get_close_matches(str(wanted), known, n=1)
    hint = f"Did you mean '{close[0]}'? " if close else ""
    raise Problem(f"there is no {kind} with the id '{wanted}' in {shown_path(source)}",
                  f"{hint}Use one of: {', '.join(known)}.")


def data_files(clinic_folder: Path, shared_folder: Path) -> dict[str, Path]:
    """Each data file: the clinic's own copy when it has one, else the shared one."""
    found: dict[str, Path] = {}
    for folder, owner in ((shared_folder, "shared"), (clinic_folder / "data", "clinic")):
        if not folder.is_dir():
            raise StaffError(folder, None, None, "this data folder does not exist",
                             "Create it, with the files listed in README.md (make new-clinic does this for you).")
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            known = FILES.get(path.name)
            if known is None or (owner == "shared" and known.owner == "clinic"):
                allowed = [name for name, file in FILES.items() if owner == "clinic" or file.owner == "shared"]
                close = difflib.get_close_matches(path.name, allowed, n=1)
                hint = f"Did you mean {close[0]}? " if close else ""
                raise StaffError(path, None, None, "this is not a data file the site knows",
                                 f"{hint}Data files are named: {', '.join(allowed)}.")
            found[path.name] = path
    for name, file in FILES.items():
        if name not in found and file.required:
            where = clinic_folder / "data" if file.owner == "clinic" else shared_folder
            raise StaffError(where / name, None, None, "this data file is missing",
                             f"Add it: it holds {file.purpose.lower()} (see README.md, 'Editing the data').")
    return found


def load_clinic_data(clinic_folder: Path, shared_folder: Path) -> ClinicData:
    paths = data_files(clinic_folder, shared_folder)
    documents = {name: read_yaml(path) for name, path in paths.items()}
    loaded = {name: validate(document, FILES[name].model, FILES[name].is_list) for name, document in documents.items()}
    data = ClinicData(
        folder=clinic_folder,
        pages=loaded.pop("pages.yml", SitePages()),
        documents=documents,
        **{name.removesuffix(".yml"): value for name, value in loaded.items()},
    )
    check_links_between_files(data)
    return data


def validate(document: YamlDocument, model: type[BaseModel], is_list: bool) -> Any:
    check_no_placeholder(document)
    try:
        parsed = TypeAdapter(Annotated[list[model], Field(min_length=1)] if is_list else model).validate_python(document.value)
    except ValidationError as error:
        raise translate(document, model, first_error(error.errors())) from None
    if is_list:
        check_unique(document, parsed, "id")
        return tuple(parsed)
    return parsed


def check_no_placeholder(document: YamlDocument) -> None:
    for keys, value in texts(document.value):
        if value.strip().startswith(PLACEHOLDER):
            raise StaffError(document.path, document.line(keys), describe_key(keys, document.value),
                             f"this is still the placeholder '{value.strip()}'", "Replace it with your clinic's own value.")


def check_unique(document: YamlDocument, entries: list[Any], attribute: str) -> None:
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        value = getattr(entry, attribute, None)
        if value is None:
            continue
        if value in seen:
            raise StaffError(document.path, document.line((index, attribute)), describe_key((index, attribute), document.value),
                             f"the {attribute} '{value}' is used twice (first on line {document.line((seen[value], attribute))})",
                             f"Give each entry its own {attribute}.")
        seen[value] = index


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


# Turning pydantic's errors into plain words with a fix.

STATE_CODES = {name.lower(): code for code, name in US_STATES.items()}  # 'Idaho' written where the code goes

PATTERN_FIXES = {
    "postal_code": 'Write the ZIP code as 5 digits in quotes, for example "97205".',
    "booking_url": "Write the full address, starting with https://.",
    "url": "Write the full address, starting with https://.",
    "doi": "Write the DOI without https://doi.org/ in front, for example 10.1001/jamapsychiatry.2017.0080.",
    "pages": "Write the page's path in docs/, ending in .md, for example safety.md.",
    "page": "Write the page's path in docs/, ending in .md, for example our-team.md.",
    "leave_out": "Write the page's path in docs/, ending in .md, for example articles/index.md.",
    "when": "Write a setting's key path from clinic.yml, for example payment.free_consultation.",
    "number": "Write the digits only, for example 988.",
}
ID_FIX = "Use lowercase letters, digits and dashes only, for example nerve-pain."


def known_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed where the error is (for 'did you mean')."""
    parent = field_at(model, loc[:-1]) if len(loc) > 1 else None
    inner = nested_model(parent.annotation) if parent is not None else model
    return list(inner.model_fields) if inner else []


def example_of(info: Any) -> str:
    examples = getattr(info, "examples", None)
    if not examples:
        return ""
    example = examples[0]
    if isinstance(example, list):
        example = "[" + ", ".join(map(str, example)) + "]"
    elif isinstance(example, dict):
        return ""
    return f", for example {str(example).rstrip('.')}"


def explain(error: dict, info: Any, name: str, known: list[str] | None = None) -> tuple[str, str]:
    """(what is wrong, how to fix it) for one pydantic error."""
    kind, value, context = error["type"], error.get("input"), error.get("ctx") or {}
    example = example_of(info)
    described = lower_first(info.description) if info is not None and info.description else ""
    if kind == "missing":
        inner = nested_model(info.annotation) if info is not None else None
        if inner is not None:
            keys = [key for key, field in inner.model_fields.items() if field.is_required()]
            return "this required key is missing", f"Add {name}: with the keys under it: {', '.join(keys)}."
        return "this required key is missing", f"Add {name}:{' ' + described if described else ''}{example}."
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, known or [], n=1)
        return f"'{name}' is not a known key", (f"Did you mean '{close[0]}'? " if close else "") + "Check its spelling, or remove it."
    if value is None and kind in ("string_type", "int_type", "bool_type", "date_type", "time_type", "list_type", "model_type",
                                  "dict_type", "literal_error", "string_pattern_mismatch"):
        return "the value is empty", f"Write {described or 'a value'}{example}, or remove the key if it is optional."
    if kind in ("string_type",) and isinstance(value, (list, dict)):
        return "expected one value here, not a list or keys", f"Write the value after the colon on the same line{example}."
    if kind == "string_too_short":
        return "the value is empty", f"Write {described or 'a value'}{example}, or remove the key if it is optional."
    if kind == "string_pattern_mismatch":
        fallback = f"Write {described}{example}." if described else f"Check the value{example}."
        fix = ID_FIX if context.get("pattern", "").startswith("^[a-z0-9]+") else PATTERN_FIXES.get(name, fallback)
        return f"'{value}' is not in the right form", fix
    if kind == "string_type":  # a config's YAML reads 2024 as a number and yes as true
        read_as = "true or false" if isinstance(value, bool) else "a number" if isinstance(value, (int, float)) else "a date or a time"
        shown = str(value).lower() if isinstance(value, bool) else value
        return f"'{shown}' is read as {read_as}, not as text", f"Put it in double quotes, as \"{shown}\"."
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"'{value}' is not a whole number", f"Write digits only, with no $ sign, commas or words{example or ', for example 60'}."
    if kind in ("bool_parsing", "bool_type"):
        return f"'{value}' is not true or false", "Write true or false."
    if kind.startswith("date_"):
        return f"'{value}' is not a date", "Write it as YYYY-MM-DD, for example 2026-11-15."
    if kind == "literal_error":
        expected = context.get("expected", "").replace(chr(39), "")
        close = difflib.get_close_matches(str(value), re.split(r", | or ", expected), n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        if (code := STATE_CODES.get(str(value).strip().lower())) and code in expected:
            hint = f"Write its two-letter code, {code}. "
        return f"'{value}' is not one of the choices", f"{hint}Use one of: {expected}."
    if kind == "too_short":
        return "the list is empty", f"Add at least one entry{example}."
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = context.get("ge", context.get("gt", context.get("le", context.get("lt"))))
        word = "small" if kind.startswith("greater") else "large"
        return f"{value} is too {word}", f"Use a number {'of at least' if word == 'small' else 'of at most'} {bound}."
    if kind == "list_type":
        return "expected a list here", "Write each entry on its own line starting with '- ', or as [first, second]."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "expected keys under this one", "Put the keys that belong to it on the lines below, indented by two more spaces."
    message = error["msg"].removeprefix("Value error, ")
    problem, _, fix = message.partition(". ")
    return problem, (fix.rstrip(".") + ".") if fix else "Check the value."


def first_error(errors: list[dict]) -> dict:
    """The error to show: a misspelt key first, since it also explains the 'missing' key it was meant to be."""
    return next((error for error in errors if error["type"] == "extra_forbidden"), errors[0])


def explain_for(model: type[BaseModel], error: dict) -> tuple[str, str]:
    """(what is wrong, how to fix it) for one pydantic error on `model`: for a data file or for settings in a config."""
    loc = tuple(error["loc"])
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    return explain(error, field_at(model, loc), name, known_keys(model, loc))


def translate(document: YamlDocument, model: type[BaseModel], error: dict) -> StaffError:
    loc = tuple(error["loc"])
    problem, fix = explain_for(model, error)
    value = error.get("input")
    invisible = invisible_in(value) if isinstance(value, str) else None
    if invisible is not None:  # the value looks right on screen: say what cannot be seen
        index, character = invisible
        before = f" after '{value[:index][-12:]}'" if index else " at its start"
        problem = f"{problem}: it has an invisible character ({character}){before}"
        fix = f"Delete the value and type it again by hand. {fix}"
    return StaffError(document.path, line_in_value(document, loc, error), describe_key(loc, document.value) or None, problem, fix)


def line_in_value(document: YamlDocument, loc: tuple, error: dict) -> int:
    """The key's line, or for a block of text (`answer: |`) the line inside it that holds the mistake."""
    line = document.line(loc)
    value = error.get("input")
    needle = (error.get("ctx") or {}).get("target") or ("<" if error["type"] == "html" else None)
    if isinstance(value, str) and "\n" in value and needle:
        for number, text in enumerate(value.split("\n"), start=1):
            if needle in text:
                return line + number
    return line
