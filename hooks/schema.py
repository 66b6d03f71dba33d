"""The shape of a clinic's data: one pydantic model per YAML file.

Every model forbids unknown keys, so a typo such as `descripton:` stops the
build instead of silently dropping a fact. Staff never read this file; they
read the error messages it produces (see clinic_data.py).
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Day = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
US_PHONE = re.compile(r"^\(?(\d{3})\)?[ .-]?(\d{3})[ .-]?(\d{4})$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Address(Strict):
    street: Text
    city: Text
    region: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = Field(description="Two-letter state code")
    postal_code: Annotated[str, StringConstraints(pattern=r"^\d{5}(-\d{4})?$")]
    country: Literal["US"] = "US"

    @property
    def one_line(self) -> str:
        return f"{self.street}, {self.city}, {self.region} {self.postal_code}"


class OpeningHours(Strict):
    days: list[Day] = Field(min_length=1)
    opens: time
    closes: time

    @model_validator(mode="after")
    def _closes_after_opening(self) -> OpeningHours:
        if self.closes <= self.opens:
            raise ValueError(f"closes ({self.closes:%H:%M}) must be later than opens ({self.opens:%H:%M})")
        return self


class Price(Strict):
    item: Text
    amount: int | None = Field(default=None, ge=0, description="US dollars; leave out to show 'call for a price'")
    note: Text | None = None


class Referral(Strict):
    required_for_mental_health: bool
    from_whom: Text | None = Field(default=None, description="Who must refer, in plain words; needed when a referral is required")

    @model_validator(mode="after")
    def _says_who_refers(self) -> Referral:
        if self.required_for_mental_health and not self.from_whom:
            raise ValueError("add from_whom: who must refer, because required_for_mental_health is true")
        return self


class Fasting(Strict):
    rule: Literal["light-meal", "fast"]
    hours: int = Field(ge=0, le=24, description="Light meal at least this many hours before, or nothing to eat for this many hours")
    clear_fluids_until_hours: int | None = Field(default=None, ge=0, le=24)


class Course(Strict):
    trial_first: bool = Field(description="The first infusion is a trial to see if it helps")
    infusions_after_trial: int | None = Field(default=None, ge=1, le=20, description="Most infusions after a helpful trial; leave out if it varies")
    typical_series: Text | None = Field(default=None, description="How a series usually runs, in plain words")
    reported_benefit_months: int | None = Field(
        default=None, ge=1, le=24, description="How long the clinic says benefits last after each infusion; pages show it as the clinic's report, not a promise"
    )


class Session(Strict):
    infusion_minutes_min: int = Field(ge=10, le=600)
    infusion_minutes_max: int = Field(ge=10, le=600)
    observation_minutes: int = Field(ge=0, le=240)
    premedication: bool = Field(description="A calming medicine is given before the infusion")
    setting: Text = Field(description="Where the infusion happens, e.g. 'a private infusion room'")

    @model_validator(mode="after")
    def _range(self) -> Session:
        if self.infusion_minutes_max < self.infusion_minutes_min:
            raise ValueError("infusion_minutes_max must not be less than infusion_minutes_min")
        return self


class Policies(Strict):
    referral: Referral
    fasting: Fasting
    driver_required: bool
    course: Course
    session: Session
    considered_after_months: int | None = Field(default=None, ge=1, le=60)
    workers_compensation: bool
    prior_authorization: bool


class Clinic(Strict):
    name: Text
    short_name: Text
    phone: Text
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
    address: Address
    hours: list[OpeningHours] = Field(min_length=1)
    states_served: list[Text] = Field(min_length=1)
    prices: list[Price] = Field(min_length=1)
    policies: Policies

    @field_validator("phone")
    @classmethod
    def _us_phone(cls, value: str) -> str:
        if not US_PHONE.match(value):
            raise ValueError(f"'{value}' is not a US phone number like (208) 555-0147")
        return value

    @property
    def phone_e164(self) -> str:
        area, exchange, line = US_PHONE.match(self.phone).groups()
        return f"+1{area}{exchange}{line}"


class Condition(Strict):
    id: Id
    name: Text
    category: Literal["pain", "mental-health"]
    description: Text
    also_called: Text | None = None


class SideEffect(Strict):
    id: Id
    name: Text
    kind: Literal["common", "serious"]
    description: Text


class ScreeningRule(Strict):
    id: Id
    text: Text


class ComparisonRow(Strict):
    id: Id
    treatment: Text
    how_it_works: Text
    time_to_work: Text
    best_for: Text
    downsides: Text
    cites: list[Id] = Field(default_factory=list)


class FaqEntry(Strict):
    id: Id
    question: Text
    answer: Text
    cites: list[Id] = Field(default_factory=list)


class Reference(Strict):
    id: Id
    authors: Text
    title: Text
    source: Text = Field(description="Journal or publisher, with volume and pages")
    year: int = Field(ge=1900, le=2100)
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _has_link(self) -> Reference:
        if not (self.doi or self.url):
            raise ValueError("give a doi or a url so readers can find the source")
        return self

    @property
    def link(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url


class Reviewer(Strict):
    id: Id
    name: Text
    credentials: Text
    role: Text


class CrisisLine(Strict):
    number: Annotated[str, StringConstraints(pattern=r"^\d{3,11}$")] = Field(description="Digits to dial, e.g. 988")
    can_text: bool = Field(default=False, description="The number also takes text messages")
    name: Text = Field(description="Who answers, e.g. 'the 988 Suicide & Crisis Lifeline'")
    when: Text = Field(description="When to use it, in plain words")


class CrisisHelp(Strict):
    heading: Text
    lines: list[CrisisLine] = Field(min_length=1)
    not_monitored: Text = Field(description="Says the clinic's phone and email are not watched around the clock; {phone} and {email} are filled in")


# One entry per data file: file name -> (model of its content, is it a list of entries with ids).
FILES: dict[str, tuple[type, bool]] = {
    "clinic.yml": (Clinic, False),
    "conditions.yml": (Condition, True),
    "side_effects.yml": (SideEffect, True),
    "screening.yml": (ScreeningRule, True),
    "comparison.yml": (ComparisonRow, True),
    "faq.yml": (FaqEntry, True),
    "references.yml": (Reference, True),
    "reviewers.yml": (Reviewer, True),
    "crisis.yml": (CrisisHelp, False),
}
