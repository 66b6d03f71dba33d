"""The shape of the data: one pydantic model per YAML file.

Every model forbids unknown keys, so a typo such as `descripton:` stops the build instead of
dropping a fact. Every scalar arrives as the text staff typed (yamlfile.py); the field's type reads
it: `"08:00"` and `8:00` are both eight in the morning, `575` is a number, `Yes` stays text where
text is meant. Each field's `description` and `examples` are the help staff see: in error messages
(data/), in the handbook's data tables (tools/data_reference.py) and in the editor's forms.

`mentions` on a setting lists words that may appear on the site only while the setting is on:
tests/test_policies.py checks every clinic's built site against them.
"""

from __future__ import annotations

import re
import types
import typing
import urllib.parse
import zoneinfo
from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from .errors import Problem

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# (208) 555-0147, 208-555-0147, 208.555.0147, 2085550147, +1 208 555 0147, 1-208-555-0147, 1 (208) 555-0147.
# Also the editor's pattern (JavaScript), so no Python-only syntax.
US_PHONE = re.compile(r"^(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
TIME_TEXT = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(?:([ap])\.?\s*m\.?)?$", re.IGNORECASE)
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")
MARKDOWN_LINK = re.compile(r"\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+\"[^\"]*\")?\s*\)")
SAFE_LINK = re.compile(r"^(https://\S+|[\w./-]+\.md(#[\w-]+)?|#[\w-]+|tel:\+?[\d-]+|mailto:\S+@\S+)$")
PLACEHOLDER = "FILL IN"
FILL_IN = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")  # {phone}, not a macro's {{ phone_link() }}

Day = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# The US states and DC, as the postal service writes them: a typo ("Oregan", "XX") would be published as written.
US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii",
    "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}
StateCode = Literal[tuple(US_STATES)]  # type: ignore[valid-type]
StateName = Literal[tuple(US_STATES.values())]  # type: ignore[valid-type]
WEEK: tuple[str, ...] = typing.get_args(Day)


def invalid(kind: str, problem: str, fix: str, **context: str) -> PydanticCustomError:
    """pydantic's error for one of the checks here, with the problem and the fix as two fields of its context:
    data/messages.py prints them as written (a value such as 'Tel. 555' or 'Dr. Ames' never cuts a sentence)."""
    return PydanticCustomError(kind, "{problem}. {fix}", {"problem": problem, "fix": fix.rstrip("."), **context})


# An optional key that most clinics need: a new clinic's files ask for it (FILL IN) instead of leaving it commented out.
FILL_IN_NEW = {"fill_in_for_a_new_clinic": True}


def asked_of_new_clinics(info: FieldInfo) -> bool:
    return bool((info.json_schema_extra or {}).get("fill_in_for_a_new_clinic")) if isinstance(info.json_schema_extra, dict) else False


def help_field(description: str, *examples: Any, default: Any = ..., **constraints: Any) -> Any:
    """A field with its help text and examples, for messages, the handbook and the editor."""
    return Field(default, description=description, examples=list(examples) or None, **constraints)


def _no_html(value: str) -> str:
    if HTML_TAG.search(value):
        raise invalid("html", "HTML is not allowed here", "Write plain words; Markdown such as *emphasis* "
                                                          "or [a link](contact.md) is fine")
    return value


def _no_links(value: str) -> str:
    if "](" in value:
        raise invalid("link_in_text", "a link does not work here, so the page would show its brackets", "Write the words only")
    return value


def _no_headings(value: str) -> str:
    if re.search(r"^\s{0,3}#{1,6}\s", value, re.MULTILINE):
        raise invalid("heading", "a heading (a line starting with #) does not belong here: it would break the page's outline",
                      "Write the words as a sentence, or use **bold**")
    return value


def _no_macros(value: str) -> str:
    if "{{" in value or "{%" in value:
        raise invalid("macros", "a macro ({{ ... }} or {% ... %}) does not work here, so the page would show it as typed",
                      "Write the words themselves")
    return value


def _safe_links(value: str) -> str:
    for target in MARKDOWN_LINK.findall(_no_html(value)):
        if not SAFE_LINK.match(target):
            raise invalid("link", f"the link '{target}' is not allowed",
                          "Link to a page of this site (such as contact.md) or to a full https:// address", target=target)
    return value


def filled_in(*names: str) -> AfterValidator:
    """Text in which the site fills in each {name} (fill_in below): any other {word} would be shown as typed."""
    def check(value: str) -> str:
        for found in FILL_IN.findall(value):
            if found not in names:
                raise invalid("placeholder", f"'{{{found}}}' is not one of the names the site fills in here, so pages would "
                                             "show it as typed", "Use " + " or ".join(f"{{{name}}}" for name in names),
                              target=f"{{{found}}}")
        return value
    return AfterValidator(check)


def fill_in(text: str, values: dict[str, str]) -> str:
    """Each {name} in `text` replaced by its value; the schema (filled_in) has checked every name is known."""
    return FILL_IN.sub(lambda match: values[match.group(1)], text)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# Text is one plain line or paragraph; Markdown allows emphasis and links too. Neither may hold HTML, nor a macro,
# which would show as typed: only a FAQ answer is a template (MarkdownWithMacros).
Text = Annotated[str, BeforeValidator(_strip), Field(min_length=1), AfterValidator(_no_html), AfterValidator(_no_macros),
                 AfterValidator(_no_links)]
Markdown = Annotated[str, BeforeValidator(_strip), Field(min_length=1), AfterValidator(_safe_links), AfterValidator(_no_macros),
                     AfterValidator(_no_headings)]
MarkdownWithMacros = Annotated[str, BeforeValidator(_strip), Field(min_length=1), AfterValidator(_safe_links),
                               AfterValidator(_no_headings)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]


@dataclass(frozen=True)
class RefersTo:
    """The mark of a field that names an entry of another data file, in its type: the one place that says so.

    data/references.py checks each such value against the file's entries (with a did-you-mean), the editor
    offers the file's ids as the field's choices, and tools/data_reference.py names the file in the tables.
    A new reference field is one line: `source: ReferenceId = help_field(...)`, or `cites: list[ReferenceId]`.
    """

    file: str  # the data file the value names an entry of
    kind: str  # what one entry is called in a message: "there is no reference with the id ..."
    by: Literal["id", "key path"] = "id"  # an entry's id, or a setting's key path in clinic.yml
    within: str | None = None  # the list that holds the entries, in a file that is not itself a list (clinic.yml: prices)

    @property
    def key(self) -> str:
        """The name of the entries' list: the file, or the file and the list inside it ('clinic.yml#prices')."""
        return f"{self.file}#{self.within}" if self.within else self.file


# The references between data files; a new kind of reference is a new line here.
ReferenceId = Annotated[Id, RefersTo("references.yml", "reference")]
CategoryId = Annotated[Id, RefersTo("categories.yml", "category")]
EvidenceLevelId = Annotated[Id, RefersTo("evidence_levels.yml", "evidence level")]
ReviewerId = Annotated[Id, RefersTo("reviewers.yml", "reviewer")]
PriceId = Annotated[Id, RefersTo("clinic.yml", "price", within="prices")]
SettingPath = Annotated[str, Field(pattern=r"^[a-z_]+(\.[a-z_]+)*$"), RefersTo("clinic.yml", "setting", by="key path")]
HttpsUrl = Annotated[str, Field(pattern=r"^https://[^\s<>\"']+$")]
PagePath = Annotated[str, Field(pattern=r"^[\w][\w./-]*\.md$")]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$")]  # ISO 639-1, as in <html lang>: en, es


def _read_time(value: Any) -> Any:
    """'08:00', '8:00', '17:30', '5 pm' and '5:30 p.m.' are read as written."""
    if isinstance(value, time) or not isinstance(value, str):
        return value
    match = TIME_TEXT.match(value.strip())
    if match:
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "p" else 0)
        elif half:  # 13pm, 0am: not a time on a 12-hour clock
            hour = 24
        if (half or match.group(2)) and hour < 24 and minute < 60:
            return time(hour, minute)
    raise invalid("time", f"'{value}' is not a time", 'Write it in 24-hour form in quotes, for example "08:00" or "18:00", '
                                                      "or with am or pm, for example 6pm")


Time = Annotated[time, BeforeValidator(_read_time)]


def _time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise invalid("time_zone", f"'{value}' is not a time zone name",
                      "Write one like America/Denver (America/New_York, America/Chicago, America/Los_Angeles, ...)") from None
    return value


TimeZone = Annotated[str, AfterValidator(_time_zone)]


def _read_phone(value: Any) -> Any:
    """Any common way of writing a US number, shown everywhere in one form: (208) 555-0147."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    digits = re.sub(r"\D", "", value)
    if US_PHONE.match(value):
        area, exchange, line = digits[-10:-7], digits[-7:-4], digits[-4:]
        return f"({area}) {exchange}-{line}"
    extra = " ".join(re.findall(r"[^\d\s().+-]+", value))
    national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    if re.search(r"\d\s*(?:ext\.?|extension|x)\s*\d", value, re.IGNORECASE):
        problem = "has an extension, which a tap-to-call link cannot dial"
        fix = "Write the main number only, for example (503) 555-0100, and give the extension in a page's text"
    elif extra:
        problem = f"has '{extra[:20]}' in it, and a phone number is digits only"
        fix = "Write the 10 digits with spaces, dashes, dots or brackets, for example (503) 555-0100"
    elif len(national) < 10:
        problem = f"has {len(digits)} digits, too few for a US number with its area code"
        fix = "Write all 10 digits, starting with the area code, for example (503) 555-0100"
    elif len(national) > 10:
        problem = f"has {len(digits)} digits, and a US number has 10 (11 with 1 in front)"
        fix = "Check the digits, for example (503) 555-0100"
    else:
        problem = "has its brackets, dashes or spaces in unusual places"
        fix = "Write it as (503) 555-0100 or 503-555-0100"
    raise invalid("phone", f"'{value}' {problem}", fix)


def _read_email(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = value.strip()
    if EMAIL.match(value):
        return value
    local, at, domain = value.rpartition("@")
    if value.lower().startswith("mailto:"):
        problem = "starts with 'mailto:', which the site adds itself to email links"
    elif re.search(r"\s", value):
        problem = "has a space in it"
    elif value.count("@") != 1:
        problem = "has no @" if not at else f"has {value.count('@')} @ signs, and an address has one"
    elif value.endswith("."):
        problem = "ends with a period"
    elif "." not in domain:
        problem = f"has no dot after the @ (in '{domain}')"
    else:
        problem = "is not an email address"
    raise invalid("email", f"'{value}' {problem}", "Write the address only, for example care@yourclinic.com")


# The pattern is the editor's check and the JSON schema's; the reader before it gives the build's message.
Phone = Annotated[str, Field(pattern=US_PHONE.pattern), BeforeValidator(_read_phone)]
Email = Annotated[str, Field(pattern=EMAIL.pattern), BeforeValidator(_read_email)]


def in_order(later: str, earlier: str, *, strictly: bool, fix: str) -> Any:
    """A validator: the value of `later` (a time, a date or a number) may not come before `earlier`'s."""
    def shown(value: Any) -> str:
        return f"{value:%H:%M}" if isinstance(value, time) else str(value)

    def check(cls: type, value: Any, info: ValidationInfo) -> Any:
        first = info.data.get(earlier)
        if value is not None and first is not None and (value <= first if strictly else value < first):
            number = isinstance(value, int)
            relation = ("is not more than" if number else "is not later than") if strictly else ("is less than" if number else "is before")
            raise Problem(f"{later} ({shown(value)}) {relation} {earlier} ({shown(first)})", fix)
        return value
    return field_validator(later)(check)


class Strict(BaseModel):
    # defer_build: a model's validator is built when first used, not at import (a faster start for every build).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# clinic.yml: who the clinic is, how to reach it, and its own rules.

class Coordinates(Strict):
    latitude: float = help_field("Degrees north, as a map app shows them", 45.5231, ge=-90, le=90)
    longitude: float = help_field("Degrees east; west of Greenwich is below zero", -122.6765, ge=-180, le=180)


class Address(Strict):
    street: Text = help_field("Street, number and suite", "12 Elm Street, Suite 3")
    city: Text = help_field("City", "Portland")
    region: StateCode = help_field("Two-letter state code", "OR")  # type: ignore[valid-type]
    postal_code: str = help_field("ZIP code, 5 digits (or ZIP+4)", "97205", pattern=r"^\d{5}(-\d{4})?$")
    country: Literal["US"] = help_field("Only US for now", "US", default="US")
    geo: Coordinates | None = help_field("Where your door is on a map, for search engines (optional)", default=None)

    @property
    def one_line(self) -> str:
        return f"{self.street}, {self.city}, {self.region} {self.postal_code}"

    @property
    def map_url(self) -> str:
        """A search for the address on a map (Google Maps' documented Maps URLs): a plain link, which a phone opens in
        its maps app; the page embeds no map and makes no request of its own."""
        return "https://www.google.com/maps/search/?api=1&query=" + urllib.parse.quote_plus(self.one_line)


class OpeningHours(Strict):
    days: list[Day] = help_field("The days of one entry, written in full", ["Monday", "Tuesday"], min_length=1)
    opens: Time = help_field("Opening time: 24-hour, or with am or pm (6pm is 18:00)", "08:00")
    closes: Time = help_field("Closing time, later than opens: 24-hour, or with am or pm (6pm is 18:00)", "17:00")

    _closes_after_opening = in_order("closes", "opens", strictly=True, fix="Use 24-hour times: 5 in the afternoon is 17:00")

    @field_validator("days")
    @classmethod
    def _each_day_once(cls, days: list[str]) -> list[str]:
        twice = next((day for number, day in enumerate(days) if day in days[:number]), None)
        if twice:
            raise Problem(f"{twice} is written twice in this entry's days", "Write each day once")
        return days


class Closure(Strict):
    first_day: date = help_field("First day you are closed", "2026-11-26")
    last_day: date | None = help_field("Last day you are closed; leave out for one day", "2026-11-27", default=None)
    reason: Text = help_field("Why, in a few words", "Thanksgiving")
    announce: bool = help_field("Show a notice at the top of every page until the last day", True, default=False)

    @property
    def until(self) -> date:
        return self.last_day or self.first_day

    _in_order = in_order("last_day", "first_day", strictly=False, fix="Swap them")


class Price(Strict):
    id: Id = help_field("A short name for the price in lowercase words joined by -, used by a treatment plan's cost "
                        "(policies.plans); never shown", "one-infusion")
    item: Text = help_field("What is paid for", "One infusion")
    amount: int | None = help_field("US dollars, a whole number; leave out to show 'Call us for a price'", 450,
                                    default=None, ge=0)
    note: Text | None = help_field("A short note in the price table", "Paid on the day of each infusion.", default=None)


PaymentMethod = Literal["cash", "check", "credit-card", "debit-card", "hsa", "fsa", "financing"]
PAYMENT_METHOD_NAMES: dict[str, str] = {
    "cash": "cash", "check": "check", "credit-card": "credit card", "debit-card": "debit card",
    "hsa": "HSA card (Health Savings Account)", "fsa": "FSA card (Flexible Spending Account)",
    "financing": "a payment plan through a financing company",
}


class FreeConsultation(Strict):
    minutes: int = help_field("How long the free talk lasts", 15, ge=5, le=120)
    by: list[Literal["phone", "video", "in-person"]] = help_field("How it takes place", ["phone"], min_length=1)


class Payment(Strict):
    methods: list[PaymentMethod] = help_field(
        "How patients can pay: cash, check, credit-card, debit-card, hsa, fsa, financing", ["credit-card", "hsa", "fsa"],
        min_length=1, json_schema_extra={"mentions": {"hsa": ["HSA"], "fsa": ["FSA"], "financing": ["financing company"]}})
    insurance: Literal["self-pay", "superbill"] = help_field(
        "self-pay: you do not bill insurance. superbill: you give patients a receipt (a superbill) to send to their insurer",
        "self-pay", json_schema_extra={"mentions": {"superbill": ["superbill"]}})
    payment_plan: bool = help_field("You let patients pay for a course in parts over time (a payment plan)", False,
                                    json_schema_extra={"mentions": ["we offer a payment plan"]})
    payment_plan_details: Text | None = help_field("How your payment plan works, in one or two sentences",
                                                   "You can pay for a course in 3 monthly parts, with no interest.", default=None)
    not_included: list[Text] = help_field("What a course's price does not cover, one line each; the costs page lists them",
                                          ["Blood tests, if our doctor asks for them before you start"], default=[])
    free_consultation: FreeConsultation | None = help_field(
        "A free talk before booking; leave out if you do not offer one", {"minutes": 15, "by": ["phone"]}, default=None,
        json_schema_extra={"mentions": ["free consultation", "minute consultation"]})

    @field_validator("payment_plan")
    @classmethod
    def _financing_is_a_payment_plan(cls, payment_plan: bool, info: ValidationInfo) -> bool:
        if not payment_plan and "financing" in (info.data.get("methods") or []):
            raise Problem("payment_plan is false, but methods has financing, which is a payment plan",
                          "Set payment_plan to true, or take financing out of methods")
        return payment_plan

    @field_validator("payment_plan_details")
    @classmethod
    def _details_need_a_plan(cls, details: str | None, info: ValidationInfo) -> str | None:
        if details and info.data.get("payment_plan") is False:
            raise Problem("payment_plan_details is set, but payment_plan is false",
                          "Set payment_plan to true, or remove payment_plan_details")
        return details


class Access(Strict):
    step_free: bool = help_field("The way in has no steps (a ramp or elevator where needed)", True)
    parking: Text | None = help_field("Where to park", "Free parking behind the building.", default=None)
    notes: Text | None = help_field("Anything else about getting in", "The entrance is on Elm Street.", default=None)


class Referral(Strict):
    required_for_mental_health: bool = help_field(
        "Mental health patients need a referral", True, json_schema_extra={"mentions": ["you need a referral"]})
    from_whom: Text | None = help_field("Who must refer, in plain words; needed when the key above is true",
                                        "your psychiatrist or family doctor", default=None)

    from_family_doctor: bool = help_field(
        "A family doctor (primary care) who prescribes the patient's mental health medicine may refer them too; "
        "your own psychiatrist or mental health clinician then assesses the patient before treatment", True, default=False)

    @model_validator(mode="after")
    def _says_who_refers(self) -> Referral:
        if self.required_for_mental_health and not self.from_whom:
            raise Problem("from_whom is missing, but required_for_mental_health is true", "Add from_whom: who must refer")
        return self


class Fasting(Strict):
    rule: Literal["light-meal", "fast"] = help_field("light-meal: a light meal some hours before. fast: nothing to eat", "light-meal")
    hours: int = help_field("Hours before the infusion for that rule", 3, ge=1, le=24)
    clear_fluids_until_hours: int | None = help_field("Clear drinks are fine until this many hours before", 2,
                                                      default=None, ge=0, le=24, json_schema_extra={"mentions": ["clear fluids"]})


DrugClass = Literal["benzodiazepine", "anti-nausea", "alpha-2-agonist"]
class DrugClassWords(NamedTuple):
    """A drug class as a page names it (never one brand): for patients, for clinicians, and what it is for."""
    plain: str
    clinical: str
    if_needed: str  # when it is given only if needed, for patients ("you are very anxious")
    if_needed_clinical: str  # the same, for clinicians ("marked anxiety")
    purpose: str  # when it is given before every infusion ("to ease worry before the drip")


DRUG_CLASSES: dict[str, DrugClassWords] = {
    "benzodiazepine": DrugClassWords("a calming medicine from the benzodiazepine group, such as midazolam",
                                     "a benzodiazepine (such as midazolam)", "you are very anxious", "marked anxiety",
                                     "to ease worry before the drip"),
    "anti-nausea": DrugClassWords("a medicine against feeling sick (an anti-nausea medicine), such as ondansetron",
                                  "an antiemetic (such as ondansetron)", "you feel sick", "nausea",
                                  "to keep you from feeling sick"),
    "alpha-2-agonist": DrugClassWords("a calming medicine that also lowers blood pressure, such as clonidine",
                                      "an alpha-2 agonist (such as clonidine)", "you are very anxious", "marked anxiety",
                                      "to ease worry before the drip"),
}


class Premedication(Strict):
    drug_class: DrugClass = help_field(
        "The kind of medicine given before the infusion: benzodiazepine (calming, such as midazolam), anti-nausea "
        "(such as ondansetron) or alpha-2-agonist (such as clonidine)", "benzodiazepine")
    given: Literal["every-infusion", "if-needed"] = help_field(
        "every-infusion: before each infusion. if-needed: only when a patient needs it (very anxious for a calming medicine, "
        "feeling sick for an anti-nausea one)", "every-infusion")


class Trial(Strict):
    infusions: int = help_field("How many infusions the trial has. In studies of depression, many people improved only after "
                                "several infusions", 1, ge=1, le=12)
    then_up_to: int = help_field("The most infusions after a trial that helped", 9, ge=1, le=20)


class PlanCost(Strict):
    once: list[PriceId] = help_field("Prices paid once per course (such as the screening visit), by their id in prices",
                                ["screening"], default=[])
    first_infusion: PriceId | None = help_field("The price of the first infusion, when it differs from the others, by its id in prices",
                                           "trial-infusion", default=None)
    each_infusion: PriceId = help_field("The price of one infusion (also of an extra one after the course), by its id in prices",
                                       "one-infusion")


class Plan(Strict):
    @model_validator(mode="before")
    @classmethod
    def _no_outcome_claim_here(cls, value: Any) -> Any:
        if isinstance(value, dict) and "reported_benefit_months" in value:
            raise invalid(
                "outcome_claim", "reported_benefit_months states your patients' results, and a clinic's own outcome claim may be "
                "published only beside its outcome record", "Remove it; to publish results, add the record under outcomes: in "
                "clinic.yml (what was measured, how many patients, the dates, who audited it)")
        return value

    category: CategoryId = help_field("The conditions this plan is for: a category id from data/categories.yml", "mental-health")
    set_per_patient: bool = help_field("Your doctor sets the number, length and spacing of infusions for each patient", False,
                                       default=False)
    usually: Text | None = help_field("What the plan usually involves, in plain words; needed when set_per_patient is true",
                                      "Infusions of 2 to 4 hours on 3 to 5 days in a row", default=None)
    dose: Text | None = help_field("The usual ketamine dose, as clinicians write it", "0.5 mg/kg", default=None)
    infusion_minutes_min: int = help_field("Shortest infusion, in minutes", 40, ge=10, le=600)
    infusion_minutes_max: int = help_field("Longest infusion, in minutes (the same as the shortest for 'about an hour')", 40,
                                           ge=10, le=600)
    infusions: int | None = help_field("How many infusions a first course has; leave out when there is a trial "
                                       "(the trial's numbers count) or when set_per_patient is true", 6, default=None, ge=1, le=30,
                                       json_schema_extra=FILL_IN_NEW)
    spacing: Text = help_field("How often infusions are given, as it reads after 'Infusions are given'",
                               "2 or 3 times a week, over 2 to 3 weeks")
    premedication: Premedication | None = help_field("A medicine given before the infusion; leave out if you give none",
                                                     default=None)
    trial: Trial | None = help_field("The first infusions are a trial: the course goes on only if they help; leave out if not",
                                     default=None)
    maintenance: Text = help_field("What can happen after the first course, in plain words",
                                   "Some people come back for one infusion every few weeks or months to keep the benefit.")
    cost: PlanCost = help_field("Which prices a course of this plan adds up to; the costs page shows the total")

    _range = in_order("infusion_minutes_max", "infusion_minutes_min", strictly=False,
                      fix="Make the longest at least the shortest")

    @model_validator(mode="after")
    def _says_how_many(self) -> Plan:
        if self.set_per_patient and not self.usually:
            raise Problem("usually is missing, but set_per_patient is true", "Add usually: what the plan usually involves, "
                          "such as Infusions of 2 to 4 hours on 3 to 5 days in a row")
        if self.trial and self.infusions is not None:
            raise Problem("infusions and trial are both set", "With a trial, the trial's infusions and then_up_to give the "
                          "numbers: remove infusions")
        if not self.set_per_patient and not self.trial and self.infusions is None:
            raise Problem("infusions is missing", "Add infusions: how many infusions a first course has, or add a trial, "
                          "or set set_per_patient: true")
        return self

    @property
    def most_infusions(self) -> int | None:
        """The infusions of a full first course: the trial's and those after it, or `infusions`."""
        return self.trial.infusions + self.trial.then_up_to if self.trial else self.infusions


class BloodPressure(Strict):
    systolic: int = help_field("The top number, in mmHg", 160, ge=110, le=220)
    diastolic: int = help_field("The bottom number, in mmHg", 100, ge=60, le=130)


class Eligibility(Strict):
    min_age: int = help_field("The youngest age you treat", 18, ge=1, le=99)
    max_age: int | None = help_field("The oldest age you treat; leave out for no upper limit", 80, default=None, ge=18, le=120)
    blood_pressure_limit: BloodPressure = help_field(
        "Blood pressure is checked before each infusion; above this, you do not start the infusion that day")

    _ages = in_order("max_age", "min_age", strictly=False, fix="Make max_age at least min_age, or remove it")


class Session(Strict):
    # Every patient is watched after a ketamine infusion until steady: "at least 0 minutes" is never right.
    observation_minutes: int = help_field("Rest and checks after the infusion, in minutes (at least 15)", 30, ge=15, le=240)
    setting: Text = help_field("Where the infusion happens, as it reads after 'in'", "a private room with a reclining chair")


class Policies(Strict):
    referral: Referral = help_field("Who needs a referral")
    fasting: Fasting = help_field("Eating before an infusion")
    driver_required: bool = help_field("Someone must drive the patient home", True,
                                       json_schema_extra={"mentions": ["must have an adult drive you home"]})
    session: Session = help_field("One infusion visit")
    eligibility: Eligibility = help_field("Who you can treat: ages, and the blood-pressure limit for an infusion")
    plans: list[Plan] = help_field("Your treatment plan for each group of conditions (pain, mental health): every page that "
                                   "describes a course reads it", min_length=1)
    considered_after: Text | None = help_field(
        "When you consider ketamine, as it reads after 'We usually consider it after'",
        "other treatments have not helped enough", default=None,
        json_schema_extra={"mentions": ["We usually consider it after", "We usually consider ketamine after"]})
    workers_compensation: bool = help_field(
        "You treat injured workers paid for by workers' compensation", True,
        json_schema_extra={"mentions": ["workers' compensation", "workers’ compensation", "injured worker", "hurt at work"]})
    prior_authorization: bool = help_field(
        "Workers' compensation must approve the treatment before the first infusion", True,
        json_schema_extra={"mentions": ["prior authorization"]})

    @field_validator("plans")
    @classmethod
    def _one_plan_per_category(cls, plans: list[Plan]) -> list[Plan]:
        seen: dict[str, int] = {}
        for number, plan in enumerate(plans, start=1):
            if plan.category in seen:
                raise Problem(f"plans {seen[plan.category]} and {number} are both for {plan.category}",
                              "Give each group of conditions one plan")
            seen[plan.category] = number
        return plans

    @field_validator("prior_authorization")
    @classmethod
    def _authorization_needs_compensation(cls, prior_authorization: bool, info: ValidationInfo) -> bool:
        if prior_authorization and info.data.get("workers_compensation") is False:
            raise Problem("prior_authorization is true, but workers_compensation is false",
                          "Set prior_authorization to false, or workers_compensation to true")
        return prior_authorization


class OutcomeRecord(Strict):
    """A clinic's own results, published only with the record that backs them, on the session page (pages/claims.py)."""

    id: Id = help_field("A short id for the record", "benefit-duration")
    claim: Text = help_field("The result, in one plain sentence", "Of 84 patients treated for depression, 41 still felt clearly better 3 months after their series.")
    measured: Text = help_field("What was measured, and how", "PHQ-9 depression score before the series and 4, 8 and 12 weeks after it")
    patients: int = help_field("How many patients the record covers", 84, ge=1)
    first_day: date = help_field("The first day the record covers, YYYY-MM-DD", "2025-01-01")
    last_day: date = help_field("The last day the record covers, YYYY-MM-DD", "2025-12-31")
    audited_by: Text = help_field("Who checked the record, outside the team that treated the patients", "Mountain Health Quality Partners")

    _in_order = in_order("last_day", "first_day", strictly=False, fix="Swap them")


class Clinic(Strict):
    name: Text = help_field("Full name, as on your sign", "Lakeside Infusion Clinic")
    short_name: Text = help_field("Short name for running text", "Lakeside Clinic")
    phone: Phone = help_field("US phone number with its area code; pages show it as (503) 555-0100 and make it a "
                              "tap-to-call link", "(503) 555-0100")
    email: Email = help_field("Email address for patients", "care@yourclinic.example")
    address: Address = help_field("Where you are")
    hours: list[OpeningHours] = help_field("Opening hours: one entry per group of days with the same times", min_length=1)
    time_zone: TimeZone | None = help_field("Your time zone, so pages can say 'Open now' by your clock (optional)",
                                            "America/Denver", default=None)
    closures: list[Closure] = help_field("Dates you are closed, such as holidays", default=[])
    states_served: list[StateName] = help_field("States you take patients from, written in full", ["Oregon", "Washington"], min_length=1)  # type: ignore[valid-type]
    languages: list[Text] = help_field("Languages your staff speak with patients", ["English", "Spanish"], default=[])
    access: Access | None = help_field("Getting in: steps, parking", default=None)
    booking_url: HttpsUrl | None = help_field("A page on another site where patients book a visit", "https://booking.example/lakeside",
                                              default=None, json_schema_extra={"mentions": ["Book online"]})
    prices: list[Price] = help_field("Your price list", min_length=1)
    payment: Payment = help_field("How patients pay")
    outcomes: list[OutcomeRecord] = help_field(
        "Your own results, each with its record (what was measured, how many patients, the dates, who audited it). "
        "Only these may be published as your results", default=[], json_schema_extra={"mentions": ["Our own results"]})
    policies: Policies = help_field("Your own rules; the pages change with them")

    @property
    def phone_e164(self) -> str:
        return "+1" + re.sub(r"\D", "", self.phone)

    @field_validator("hours")
    @classmethod
    def _each_day_once(cls, hours: list[OpeningHours]) -> list[OpeningHours]:
        seen: dict[str, int] = {}
        for number, entry in enumerate(hours, start=1):
            for day in entry.days:
                if day in seen:
                    raise Problem(f"{day} is in hours entry {seen[day]} and entry {number}",
                                  "List each day once; for a day with a break, give it the full opening span")
                seen[day] = number
        return hours


# conditions.yml, reviewers.yml, reviews.yml, pages.yml: the clinic's other files.

class Evidence(Strict):
    level: EvidenceLevelId = help_field("How strong the research is: an id from data/evidence_levels.yml", "some")
    source: Annotated[list[ReferenceId], BeforeValidator(lambda value: [value] if isinstance(value, str) else value)] = help_field(
        "The references the level and note rest on: one id from data/references.yml, or a list of them", ["cohen-2018"], min_length=1)
    note: Markdown = help_field("One or two plain sentences on what the research found",
                                "Pain experts found some proof that infusions ease this pain for up to 12 weeks.")


class Condition(Strict):
    id: Id = help_field("Short name in lowercase words joined by -; used by pages, never shown", "nerve-pain")
    name: Text = help_field("The name patients know", "Nerve pain")
    also_called: Text | None = help_field("Another name, shown in brackets", "neuropathic pain", default=None)
    category: CategoryId = help_field("An id from data/categories.yml", "pain")
    description: Markdown = help_field("One or two plain sentences", "Burning, shooting or tingling pain from damaged nerves.")
    evidence: Evidence = help_field("How strong the research is for this condition")


# The closed set of clinicians' specialties (reviewers.yml); categories.yml says which ones may review a category's pages.
SPECIALTY_NAMES: dict[str, str] = {
    "psychiatry": "Psychiatry", "psychiatric-nurse-practitioner": "Psychiatric nurse practitioner",
    "clinical-psychology": "Clinical psychology", "anesthesiology": "Anesthesiology", "pain-medicine": "Pain medicine",
    "emergency-medicine": "Emergency medicine", "family-medicine": "Family medicine", "internal-medicine": "Internal medicine",
    "nursing": "Nursing",
}
Specialty = Literal[tuple(SPECIALTY_NAMES)]  # type: ignore[valid-type]


class Reviewer(Strict):
    id: Id = help_field("A short id for the person, used in reviews.yml", "reyes")
    name: Text = help_field("The person's name", "Dr. Ana Reyes")
    credentials: Text = help_field("Degree and board certification", "MD, board-certified in anesthesiology")
    specialty: Specialty = help_field("Their specialty; it decides which pages they may review", "anesthesiology")  # type: ignore[valid-type]
    role: Text = help_field("Their job at your clinic", "Medical director")


class ReviewRecord(Strict):
    pages: list[PagePath] = help_field("The health pages this review covered, as paths in docs/", ["safety.md", "faq.md"], min_length=1)
    reviewed_by: Annotated[list[ReviewerId], BeforeValidator(lambda value: [value] if isinstance(value, str) else value)] = help_field(
        "The reviewer's id from reviewers.yml, or a list of ids: a page about mental health needs a mental-health clinician, "
        "a page about pain a pain or anesthesia specialist", ["reyes"], min_length=1)
    last_reviewed: date = help_field("The date of the review, YYYY-MM-DD, not in the future", "2026-09-01")
    next_review: date = help_field("When the pages are due for review again, YYYY-MM-DD", "2027-03-01")

    _next_after_last = in_order("next_review", "last_reviewed", strictly=False, fix="Set a later next_review")


class MenuEntry(Strict):
    page: PagePath = help_field("One of your own pages, as a path in your docs/ folder", "our-team.md")
    section: Text | None = help_field("The menu section it goes at the end of; leave out (and before and after) to put it at "
                                      "the end of the menu", "Your care", default=None)
    new_section: bool = help_field("The section is a new one, made for this page: at the end of the menu, or where before "
                                   "or after says", True, default=False)
    before: PagePath | None = help_field("A page in the menu this page goes just before, in that page's section", "costs.md",
                                         default=None)
    after: PagePath | None = help_field("A page in the menu this page goes just after, in that page's section", "contact.md",
                                        default=None)


class SitePages(Strict):
    leave_out: list[PagePath] = help_field("Shared pages your site does not have", ["articles/ketamine-a-hopeful-treatment.md"],
                                           default=[])
    menu: list[MenuEntry] = help_field("Where your own new pages go in the menu", default=[])


# The shared files in data/: facts about the treatment, the same for every clinic.

class Category(Strict):
    id: Id = help_field("The category's id, used by conditions.yml", "pain")
    name: Text = help_field("Its heading", "Pain conditions")
    specialty: Text = help_field("The schema.org MedicalSpecialty it belongs to, for search engines", "Anesthesia")
    crisis_help: bool = help_field("A page naming one of its conditions shows the crisis help box", False)
    reviewer_specialties: list[Specialty] = help_field(  # type: ignore[valid-type]
        "The specialties qualified to review a page about these conditions; a clinic treating them must list such a clinician",
        ["anesthesiology", "pain-medicine"], min_length=1)
    words: list[Text] = help_field("Words that show a page is about this category, besides its conditions' names", ["pain"], default=[])


class EvidenceLevel(Strict):
    id: Id = help_field("The level's id, used by conditions.yml", "some")
    name: Text = help_field("Its name, shown beside each condition", "Some evidence")
    meaning: Text = help_field("What it means, in plain words", "A few good studies found it helps many people.")


class SideEffect(Strict):
    id: Id
    name: Text
    kind: Literal["common", "serious"]
    description: Markdown


class ScreeningRule(Strict):
    id: Id
    text: Markdown
    case_by_case: bool = help_field("The doctor decides for each person: not a flat rule (search engines are not told it is one)",
                                    True, default=False)


class ComparisonRow(Strict):
    id: Id
    treatment: Text
    how_it_works: Text
    time_to_work: Text
    best_for: Text
    downsides: Text
    cites: list[ReferenceId] = Field(default_factory=list)
    as_of: date | None = help_field("When the facts of this row (approvals, labels) were last checked", "2026-11-22", default=None)


class FaqEntry(Strict):
    id: Id
    question: Text
    answer: MarkdownWithMacros = help_field("Markdown; may use the same macros as a page, such as {{ phone_link() }}. Cite a source "
                                  'right after the sentence it supports: {{ cite("sanacora-2017") }}')
    when: SettingPath | None = help_field("Show the entry only when this clinic setting is on", "payment.free_consultation",
                                          default=None)


class SupportedClaim(Strict):
    claim: Text = help_field("What the source found or says, in one plain sentence written from the source",
                             "Pain experts found moderate evidence that IV ketamine eases CRPS pain for up to about 12 weeks.")
    words: list[str] = help_field("Words a sentence about this claim contains, all of them: 'a|b' means either; a word "
                                  "matches any word it starts (sensitiv: sensitive, sensitivity)", ["CRPS|complex regional"],
                                  min_length=1)


class Reference(Strict):
    id: Id
    authors: Text
    title: Text
    source: Text = help_field("Journal or publisher, with volume and pages", "JAMA Psychiatry 74(4):399-405")
    year: int = Field(ge=1900, le=2100)
    doi: str | None = help_field("The DOI, without https://doi.org/", "10.1001/jamapsychiatry.2017.0080",
                                 default=None, pattern=r"^10\.\d{4,9}/\S+$")
    url: HttpsUrl | None = None
    note: Text | None = None
    checked: date | None = help_field("When these details were last checked against the source", "2026-11-22", default=None)
    supports: list[SupportedClaim] = help_field("The claims this source may support; a page's cite() must sit on a "
                                                "sentence about one of them", min_length=1)

    @model_validator(mode="after")
    def _has_link(self) -> Reference:
        if not (self.doi or self.url):
            raise Problem("there is no doi and no url", "Give one of them, so readers can find the source")
        return self

    @property
    def link(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url


class CrisisLine(Strict):
    number: str = help_field("Digits to dial", "988", pattern=r"^\d{3,11}$")
    can_text: bool = help_field("The number also takes text messages", True, default=False)
    name: Text = help_field("Who answers", "the 988 Suicide & Crisis Lifeline")
    when: Text = help_field("When to use it, in plain words", "if you are thinking about suicide.")


NOT_MONITORED_FILLS = ("phone", "email")  # clinic.yml's keys, filled into crisis.yml's not_monitored


class CrisisHelp(Strict):
    heading: Text
    lines: list[CrisisLine] = Field(min_length=1)
    not_monitored: Annotated[Text, filled_in(*NOT_MONITORED_FILLS)] = help_field(
        "Says the clinic's phone and email are not watched around the clock; {phone} and {email} are filled in")
    triggers: list[Text] = help_field("Words that show a page is about mental health", ["depression", "suicide"], min_length=1)
    search_phrases: dict[LanguageCode, Annotated[list[Text], Field(min_length=1)]] = help_field(
        "Words a person in crisis may search for, by language: a search for any of them shows the crisis lines above "
        "the results. Write each form people type (kill myself, killing myself)", {"en": ["kill myself", "want to die"]},
        min_length=1)
    as_of: date | None = help_field("When the numbers were last checked", "2026-11-22", default=None)


class OffLabelNote(Strict):
    title: Text
    text: Markdown
    cites: list[ReferenceId] = Field(min_length=1)
    as_of: date | None = help_field("When the FDA status was last checked", "2026-11-22", default=None)


class DatedFact(Strict):
    id: Id = help_field("The fact's id, used by pages: {{ fact(\"no-surprises-help-desk\") }}", "no-surprises-help-desk")
    text: Markdown = help_field("The statement, in plain words", "The federal help desk for surprise bills is 1-800-985-3059.")
    as_of: date = help_field("When the statement was last checked against its source", "2026-11-22")
    cites: list[ReferenceId] = Field(default_factory=list)
    must_show_on: PagePath | None = help_field(
        "A page every clinic's site must show this fact on (with {{ fact() }}); no clinic may leave that page out",
        "comparison.md", default=None)


class Treatment(Strict):
    name: Text = help_field("The treatment's name", "IV ketamine infusion therapy")
    drug: Text = help_field("The drug's name", "Ketamine")
    legal_status: Text = help_field("Its legal status in the US, for search engines")
    off_label: OffLabelNote


class UsEnglish(Strict):
    words: dict[Annotated[str, BeforeValidator(_strip), Field(min_length=1)], Text] = help_field(
        "British words and spellings, each with the US word to write instead", {"colour": "color", "a lift": "an elevator"},
        default={})


@dataclass(frozen=True)
class DataFile:
    """One YAML file: its model, whether it is a list of entries, and whose it is."""

    model: type[BaseModel]
    is_list: bool
    owner: Literal["clinic", "shared"]
    required: bool = True
    purpose: str = ""


FILES: dict[str, DataFile] = {
    "clinic.yml": DataFile(Clinic, False, "clinic", purpose="Who you are, how to reach you, your prices and your own rules"),
    "conditions.yml": DataFile(Condition, True, "clinic", purpose="What you treat, with how strong the evidence is"),
    "reviewers.yml": DataFile(Reviewer, True, "clinic", purpose="The people who check your health pages"),
    "reviews.yml": DataFile(ReviewRecord, True, "clinic", purpose="Who checked each health page, and when"),
    "pages.yml": DataFile(SitePages, False, "clinic", required=False, purpose="Shared pages you leave out; where your own pages go"),
    "categories.yml": DataFile(Category, True, "shared", purpose="Condition categories"),
    "evidence_levels.yml": DataFile(EvidenceLevel, True, "shared", purpose="The scale of evidence levels"),
    "side_effects.yml": DataFile(SideEffect, True, "shared", purpose="Side effects"),
    "screening.yml": DataFile(ScreeningRule, True, "shared", purpose="Who cannot have the treatment"),
    "comparison.yml": DataFile(ComparisonRow, True, "shared", purpose="Rows of the comparison table"),
    "faq.yml": DataFile(FaqEntry, True, "shared", purpose="Questions and answers"),
    "references.yml": DataFile(Reference, True, "shared", purpose="Every source the site cites"),
    "crisis.yml": DataFile(CrisisHelp, False, "shared", purpose="The crisis help box"),
    "facts.yml": DataFile(DatedFact, True, "shared", purpose="Statements that can go out of date (approvals, laws, "
                                                            "phone numbers), each with the date it was last checked"),
    "treatment.yml": DataFile(Treatment, False, "shared", purpose="The treatment's name, legal status and off-label note"),
    "us_english.yml": DataFile(UsEnglish, False, "shared", required=False,
                               purpose="British words the build refuses in pages and data, with the US word for each"),
}


def field_at(model: type[BaseModel], loc: tuple) -> Any:
    """The pydantic FieldInfo at an error location such as ('hours', 0, 'opens'), or None."""
    current: Any = model
    found = None
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        found = current.model_fields.get(part)
        if found is None:
            return None
        current = nested_model(found.annotation)
    return found


def unwrap(annotation: Any) -> tuple[Any, list[Any], bool]:
    """(the type, its constraints, whether None is allowed) of an annotation such as `Annotated[str, ...] | None`."""
    optional = False
    metadata: list[Any] = []
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            base, *extra = typing.get_args(annotation)
            for item in extra:
                metadata.extend(item.metadata if isinstance(item, FieldInfo) else [item])
            annotation = base
        elif typing.get_origin(annotation) in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            optional = optional or len(options) < len(typing.get_args(annotation))
            annotation = options[0] if len(options) == 1 else annotation
            if len(options) != 1:
                return annotation, metadata, optional
        else:
            return annotation, metadata, optional


def refers_to(metadata: list[Any]) -> RefersTo | None:
    """The RefersTo mark among a type's constraints (unwrap's second item), if it has one."""
    return next((item for item in metadata if isinstance(item, RefersTo)), None)


def literal_choices(annotation: Any) -> list[str]:
    """The allowed values of a Literal, of an optional one, or of a list of them; [] for anything else."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is Literal:
            return [str(value) for value in typing.get_args(candidate)]
        for inner in typing.get_args(candidate):
            if typing.get_origin(inner) is Literal:
                return [str(value) for value in typing.get_args(inner)]
    return []


def nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside `X`, `X | None` or `list[X]`."""
    for candidate in (annotation, *typing.get_args(annotation)):
        for inner in (candidate, *typing.get_args(candidate)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def mentions(model: type[BaseModel], prefix: str = "") -> dict[str, Any]:
    """Every setting's `mentions`, by key path: {'policies.session.premedication': ['sedative', ...], ...}."""
    found: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if "mentions" in extra:
            found[prefix + name] = extra["mentions"]
        inner = nested_model(info.annotation)
        if inner:
            found.update(mentions(inner, f"{prefix}{name}."))
    return found
