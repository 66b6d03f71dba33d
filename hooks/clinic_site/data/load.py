"""Read a clinic's data files with the shared ones and validate each against its model into ClinicData."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from ..errors import Problem, StaffError, did_you_mean, shown_path
from ..schema import (
    FILES,
    PLACEHOLDER,
    Category,
    Clinic,
    ComparisonRow,
    Condition,
    CrisisHelp,
    DatedFact,
    EvidenceLevel,
    FaqEntry,
    Reference,
    RefersTo,
    Reviewer,
    ReviewRecord,
    ScreeningRule,
    SideEffect,
    SitePages,
    Treatment,
    UsEnglish,
)
from ..yamlfile import YamlDocument, describe_key, read_yaml, texts
from .messages import first_error, translate
from .references import check_links_between_files


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
    us_english: UsEnglish = UsEnglish()

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

    def lookup(self, target: RefersTo, wanted: str) -> Any:
        """The entry (or setting) a reference names: see data/references.py."""
        if target.by == "key path":
            return self.setting(wanted)
        return by_id(getattr(self, target.file.removesuffix(".yml")), wanted, target.kind, self.path(target.file))

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
    raise Problem(f"there is no {kind} with the id '{wanted}' in {shown_path(source)}",
                  f"{did_you_mean(str(wanted), known)}Use one of: {', '.join(known)}.")


def data_files(clinic_folder: Path, shared_folder: Path) -> dict[str, Path]:
    """Each data file: the clinic's own copy when it has one, else the shared one."""
    found: dict[str, Path] = {}
    for folder, owner in ((shared_folder, "shared"), (clinic_folder / "data", "clinic")):
        if not folder.is_dir():
            raise StaffError(folder, None, None, "this data folder does not exist",
                             "Create it, with the files listed in handbook/clinic-setup.md (make new-clinic does this for you).")
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            known = FILES.get(path.name)
            if known is None or (owner == "shared" and known.owner == "clinic"):
                allowed = [name for name, file in FILES.items() if owner == "clinic" or file.owner == "shared"]
                raise StaffError(path, None, None, "this is not a data file the site knows",
                                 f"{did_you_mean(path.name, allowed, quoted=False)}Data files are named: {', '.join(allowed)}.")
            found[path.name] = path
    for name, file in FILES.items():
        if name not in found and file.required:
            where = clinic_folder / "data" if file.owner == "clinic" else shared_folder
            raise StaffError(where / name, None, None, "this data file is missing",
                             f"Add it: it holds {file.purpose.lower()} (see handbook/staff.md, 'Editing the data').")
    return found


def load_clinic_data(clinic_folder: Path, shared_folder: Path) -> ClinicData:
    paths = data_files(clinic_folder, shared_folder)
    documents = {name: read_yaml(path) for name, path in paths.items()}
    loaded = {name: validate(document, FILES[name].model, FILES[name].is_list) for name, document in documents.items()}
    data = ClinicData(
        folder=clinic_folder,
        pages=loaded.pop("pages.yml", SitePages()),
        us_english=loaded.pop("us_english.yml", UsEnglish()),
        documents=documents,
        **{name.removesuffix(".yml"): value for name, value in loaded.items()},
    )
    check_links_between_files(data)
    return data


def validate(document: YamlDocument, model: type[BaseModel], is_list: bool) -> Any:
    check_no_placeholder(document)
    try:
        parsed: Any = TypeAdapter(Annotated[list[model], Field(min_length=1)]  # type: ignore[valid-type]  # a model chosen at run time
                                  if is_list else model).validate_python(document.value)
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
