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
        check("conditions.yml", (index, "evidence", "source"), data.reference, condition.evidence.source)
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
        check("reviews.yml", (index, "reviewed_by"), data.reviewer, record.reviewed_by)
    reviewed: dict[str, int] = {}
    document = data.documents["reviews.yml"]
    for index, record in enumerate(data.reviews):
        for number, page in enumerate(record.pages):
            if page in reviewed:
                raise StaffError(document.path, document.line((index, "pages", number)), describe_key((index, "pages"), document.value),
                                 f"{page} is listed in two review records (the other on line {reviewed[page]})",
                                 "List each page in one record: the latest review of it.")
            reviewed[page] = document.line((index, "pages", number))
    check_plans(data)


def check_plans(data: ClinicData) -> None:
    """Each treatment plan (clinic.yml, policies.plans) is for a group the clinic treats and adds up prices it lists;
    each group with conditions has a plan; each price id is used once."""
    from .load import by_id

    document = data.documents["clinic.yml"]
    clinic = data.clinic

    def stop(keys: tuple, problem: str, fix: str) -> None:
        raise StaffError(document.path, document.line(keys), describe_key(keys, document.value), problem, fix)

    seen: dict[str, int] = {}
    for index, price in enumerate(clinic.prices):
        if price.id in seen:
            stop(("prices", index, "id"), f"the id '{price.id}' is used by two prices (first on line "
                 f"{document.line(('prices', seen[price.id], 'id'))})", "Give each price its own id.")
        seen[price.id] = index
    treated = {condition.category for condition in data.conditions}
    for index, plan in enumerate(clinic.policies.plans):
        keys = ("policies", "plans", index)
        try:
            category = data.category(plan.category)
        except Problem as problem:
            raise problem.at(document.path, document.line((*keys, "category")), describe_key((*keys, "category"), document.value)) from None
        if plan.category not in treated:
            stop((*keys, "category"), f"this plan is for {category.name.lower()}, but conditions.yml lists none of them",
                 "Remove this plan, or add the conditions it is for to conditions.yml.")
        cost = plan.cost
        named = [(("once", number), price_id) for number, price_id in enumerate(cost.once)]
        named += [((key,), getattr(cost, key)) for key in ("first_infusion", "each_infusion", "whole_course") if getattr(cost, key)]
        for where, price_id in named:
            try:
                by_id(clinic.prices, price_id, "price", document.path)
            except Problem as problem:
                at = (*keys, "cost", *where)
                raise problem.at(document.path, document.line(at), describe_key(at, document.value)) from None
    planned = {plan.category for plan in clinic.policies.plans}
    for category in sorted(treated - planned):
        name = data.category(category).name.lower()
        stop(("policies", "plans"), f"conditions.yml lists {name}, but there is no plan for them",
             f"Add a plan with category: {category} under policies.plans (handbook/protocol-and-costs.md).")
