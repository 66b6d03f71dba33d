"""A clinic's treatment plans and what a course costs, as page text: pure functions from the data to Markdown.

Every page that describes a course (the session page, the FAQ, the referral page, the costs page, the home
page) calls these through macros, so two pages can never say different things about one plan. The plans
are `policies.plans` in clinic.yml (schema.Plan); the research shown beside them comes from data/facts.yml.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .data.load import ClinicData
from .errors import Problem
from .schema import DRUG_CLASSES, Plan, Price
from .text import lower_first

AUDIENCES = ("patients", "clinicians")
# Research shown with the plans (data/facts.yml): after a trial, and wherever a course and maintenance are described.
SEVERAL_INFUSIONS = "response-after-several-infusions"
LONG_TERM_SAFETY = "long-term-safety-unknown"
BENZODIAZEPINES = "benzodiazepines-may-weaken-ketamine"


def join_words(words: Sequence[str], conjunction: str = "and") -> str:
    if len(words) <= 2:
        return f" {conjunction} ".join(words)
    return f"{', '.join(words[:-1])}, {conjunction} {words[-1]}"


def duration(minimum: int, maximum: int) -> str:
    """'about 60 minutes', '40 to 60 minutes', '2 to 4 hours' (whole hours from 2 hours up)."""
    if minimum >= 120 and minimum % 60 == 0 and maximum % 60 == 0:
        low, high, unit = minimum // 60, maximum // 60, "hours"
    else:
        low, high, unit = minimum, maximum, "minutes"
    return f"about {low} {unit}" if low == high else f"{low} to {high} {unit}"


def group_name(data: ClinicData, plan: Plan) -> str:
    """'pain conditions', from data/categories.yml."""
    return lower_first(data.category(plan.category).name)


def check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise Problem(f"'{audience}' is not an audience", f"Use one of: {', '.join(AUDIENCES)}.")


def plan_for(data: ClinicData, category: str) -> Plan:
    for plan in data.clinic.policies.plans:
        if plan.category == category:
            return plan
    known = [plan.category for plan in data.clinic.policies.plans]
    raise Problem(f"this clinic has no plan for '{category}'", f"Use one of: {', '.join(known)}.")


# What happens in a course.

def how_many(plan: Plan, audience: str) -> str:
    if plan.set_per_patient:
        base = ("Our doctor sets the number, length and spacing of infusions for each person. "
                f"It usually means: {lower_first(plan.usually.rstrip('.'))}.")
        return base if plan.infusions is None else f"{base} A first course is often {plan.infusions} infusions."
    if plan.trial:
        first = ("The first infusion is a trial" if plan.trial.infusions == 1
                 else f"The first {plan.trial.infusions} infusions are a trial")
        return (f"{first}. If {'it helps' if plan.trial.infusions == 1 else 'they help'}, you can have up to "
                f"{plan.trial.then_up_to} more, so a full course is at most {plan.most_infusions} infusions.")
    return f"A first course is {plan.infusions} infusions."


def premedication_text(plan: Plan, audience: str) -> str:
    """What is given before the infusion, by drug class; said to be this clinic's own practice."""
    premedication = plan.premedication
    if premedication is None:
        return "We give no other medicine before the ketamine as a routine." if audience == "clinicians" else \
            "You get no other medicine before the ketamine as a routine."
    words = DRUG_CLASSES[premedication.drug_class]
    if audience == "clinicians":
        when = "before every infusion" if premedication.given == "every-infusion" else f"only if needed ({words.if_needed_clinical})"
        return f"{upper_first(words.clinical)}, {when}. This is our own practice, not part of the research protocols."
    if premedication.given == "every-infusion":
        return (f"Before every infusion, a nurse gives you {words.plain}. This is our clinic's own practice: "
                f"it is meant {words.purpose}.")
    return f"Only if {words.if_needed}, a nurse gives you {words.plain}. This is our clinic's own practice."


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def render_plan(data: ClinicData, plan: Plan, audience: str, cite: Callable[..., str]) -> str:
    """One plan as a short list under its group's name, each line led by what it answers."""
    length = duration(plan.infusion_minutes_min, plan.infusion_minutes_max)
    if audience == "clinicians":
        dose = f"{plan.dose} over {length}" if plan.dose else f"set per patient, over {length}"
        first = f"- **Dose:** {dose}."
    else:
        first = f"- **Each infusion:** {length}."
    lines = [f"**For {group_name(data, plan)}**", "", first,
             f"- **How many:** {how_many(plan, audience)}",
             f"- **How often:** {upper_first(plan.spacing.rstrip('.'))}.",
             f"- **Before the drip:** {premedication_text(plan, audience)}"]
    # A benzodiazepine before an infusion for a mental health condition (a category with crisis help) meets the
    # research on benzodiazepines and ketamine's effect on depression: say it, beside the clinic's own practice.
    if plan.premedication and plan.premedication.drug_class == "benzodiazepine" and data.category(plan.category).crisis_help:
        why = ("That is why we give it only when it is needed." if plan.premedication.given == "if-needed"
               else "Ask our doctor what this means for you.")
        lines[-1] += f" {fact(data, BENZODIAZEPINES, cite)} {why}"
    lines.append(f"- **Later:** {upper_first(plan.maintenance)}")
    return "\n".join(lines)


def fact(data: ClinicData, fact_id: str, cite: Callable[..., str]) -> str:
    entry = data.fact(fact_id)
    return " ".join(entry.text.split()) + (cite(*entry.cites) if entry.cites else "")


def render_plans(data: ClinicData, audience: str, cite: Callable[..., str]) -> str:
    """Every plan of the clinic, then the research a reader needs beside them."""
    check_audience(audience)
    blocks = [render_plan(data, plan, audience, cite) for plan in data.clinic.policies.plans]
    notes = []
    if any(plan.trial for plan in data.clinic.policies.plans):
        notes.append(fact(data, SEVERAL_INFUSIONS, cite))
    notes.append(fact(data, LONG_TERM_SAFETY, cite))
    return "\n\n".join(blocks + [" ".join(notes)])


def render_infusion_length(data: ClinicData) -> str:
    """'about 60 minutes for pain conditions, and about 40 minutes for mental health conditions'."""
    plans = data.clinic.policies.plans
    lengths = {duration(p.infusion_minutes_min, p.infusion_minutes_max) for p in plans}
    if len(lengths) == 1:
        return lengths.pop()
    return join_words([f"{duration(p.infusion_minutes_min, p.infusion_minutes_max)} for {group_name(data, p)}" for p in plans])


def render_premedication(data: ClinicData, audience: str = "patients") -> str:
    """Each plan's medicine before the infusion, for the plans that give one ('' when none does)."""
    check_audience(audience)
    plans = [plan for plan in data.clinic.policies.plans if plan.premedication]
    if not plans:
        return ""
    same = len({plan.premedication for plan in plans}) == 1 and len(plans) == len(data.clinic.policies.plans)
    if same:
        return premedication_text(plans[0], audience)
    return " ".join(f"For {group_name(data, plan)}: {lower_first(premedication_text(plan, audience))}" for plan in plans)


# Eligibility.

def render_age_limits(data: ClinicData) -> str:
    """'aged 18 to 80', 'aged 13 and over'."""
    limits = data.clinic.policies.eligibility
    return f"aged {limits.min_age} to {limits.max_age}" if limits.max_age else f"aged {limits.min_age} and over"


def render_blood_pressure_limit(data: ClinicData) -> str:
    limit = data.clinic.policies.eligibility.blood_pressure_limit
    return f"{limit.systolic}/{limit.diastolic} mmHg"


# What a course costs.

@dataclass(frozen=True)
class CostLine:
    item: str
    count: int
    price: Price

    @property
    def amount(self) -> int | None:
        return None if self.price.amount is None else self.price.amount * self.count


@dataclass(frozen=True)
class CourseCost:
    plan: Plan
    lines: tuple[CostLine, ...]
    infusions: int | None  # the infusions the lines add up to; None when set per patient
    trial_lines: tuple[CostLine, ...] = ()

    @staticmethod
    def total_of(lines: Sequence[CostLine]) -> int | None:
        amounts = [line.amount for line in lines if line.amount is not None]
        return sum(amounts) if lines and len(amounts) == len(lines) else None

    @property
    def total(self) -> int | None:
        return self.total_of(self.lines) if self.infusions is not None else None

    @property
    def trial_total(self) -> int | None:
        return self.total_of(self.trial_lines)


def price_by_id(data: ClinicData, price_id: str) -> Price:
    for price in data.clinic.prices:
        if price.id == price_id:
            return price
    known = [price.id for price in data.clinic.prices]
    raise Problem(f"there is no price with the id '{price_id}' in clinic.yml", f"Use one of: {', '.join(known)}.")


def course_cost(data: ClinicData, plan: Plan) -> CourseCost:
    """The prices a plan's first course adds up to, and those of its trial alone."""
    once = [CostLine(price_by_id(data, pid).item, 1, price_by_id(data, pid)) for pid in plan.cost.once]

    each = price_by_id(data, plan.cost.each_infusion)
    first = price_by_id(data, plan.cost.first_infusion) if plan.cost.first_infusion else None
    total = plan.most_infusions

    def infusions(count: int) -> list[CostLine]:
        if count <= 0:
            return []
        if first is None:
            return [CostLine(each.item, count, each)]
        return [CostLine(first.item, 1, first)] + ([CostLine(each.item, count - 1, each)] if count > 1 else [])

    lines = once + infusions(total if total is not None else 1)
    trial = tuple(once + infusions(plan.trial.infusions)) if plan.trial else ()
    return CourseCost(plan, tuple(lines), total, trial)


def money(amount: int) -> str:
    return f"${amount:,}"


def render_course_costs(data: ClinicData) -> str:
    """For each plan: what a first course includes, its typical total, and its trial's total."""
    blocks = []
    for plan in data.clinic.policies.plans:
        cost = course_cost(data, plan)
        lines = [f"**For {group_name(data, plan)}**", ""]
        if cost.infusions is None:
            lines.append(f"The number of infusions is set for each person. It usually means: {lower_first(plan.usually.rstrip('.'))}. "
                         "So a total depends on your plan. Before you start, we give you a written estimate with it.")
            lines.append("")
            lines += [f"- {line.item}{f': {money(line.price.amount)} each' if line.price.amount is not None else ''}"
                      for line in cost.lines]
        else:
            count = f"{cost.infusions} infusions" if cost.infusions else "a course"
            if plan.trial:  # trial.then_up_to is a maximum, not a typical count
                lines.append(f"If the trial helps, a full first course is up to {count}. At most, it adds up to:")
            else:
                lines.append(f"A typical first course is {count}. It adds up to:")
            lines.append("")
            for line in cost.lines:
                shown = f"{line.item} × {line.count}" if line.count > 1 else line.item
                lines.append(f"- {shown}{f': {money(line.amount)}' if line.amount is not None else ''}")
            if cost.total is not None:
                lines += ["", f"**Total: {money(cost.total)}**"]
            if plan.trial and cost.trial_total is not None:
                lines += ["", f"If you stop after the trial, you pay {money(cost.trial_total)}."]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def unpublished_prices(data: ClinicData) -> list[Price]:
    return [price for price in data.clinic.prices if price.amount is None]
