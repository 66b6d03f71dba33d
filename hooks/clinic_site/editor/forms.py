"""The forms: one Decap field for each schema field, with its required keys, choices, patterns and help."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Literal

from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from .. import schema
from ..schema import refers_to, unwrap

# Names for the fields whose key says less than it could; any other key is its own name, capitalized.
LABELS = {"closures": "Closures and announcements", "region": "State", "postal_code": "ZIP code",
          "booking_url": "Booking page", "states_served": "States served", "short_name": "Short name"}
# What one entry of a list is called ("Add price"), by the list's key; and how a closed entry is summed up.
SINGULAR = {"hours": "opening hours", "closures": "closure", "states_served": "state", "languages": "language",
            "prices": "price", "pages": "page", "leave_out": "page", "menu": "menu entry", "conditions.yml": "condition",
            "reviewers.yml": "reviewer", "reviews.yml": "review"}
SUMMARIES = {"OpeningHours": "{{fields.opens}} to {{fields.closes}}", "Closure": "{{fields.first_day}}: {{fields.reason}}",
             "ReviewRecord": "{{fields.reviewed_by}}, {{fields.last_reviewed}}"}
PAGE_PATTERN = typing.get_args(schema.PagePath)[1].metadata[0].pattern  # a page's path in docs/: a choice of the pages
# Times as schema.Time reads them: 08:00, 8:00, 17:30, 8.30, 5 pm, 5:30 p.m. (The files keep what was typed.)
TIME_PATTERN = r"^\s*(([01]?\d|2[0-3])[:.][0-5]\d|(0?[1-9]|1[0-2])([:.][0-5]\d)?\s*[aApP]\.?\s*[mM]\.?)\s*$"
DATE_FORMAT = "YYYY-MM-DD"


def label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def constraint(metadata: list[Any], kind: type, attribute: str) -> Any:
    return next((getattr(item, attribute) for item in metadata if isinstance(item, kind)), None)


def pattern_of(metadata: list[Any]) -> str | None:
    return next((item.pattern for item in metadata if getattr(item, "pattern", None)), None)


def example_text(example: Any) -> str:
    if isinstance(example, bool) or isinstance(example, dict):
        return ""
    if isinstance(example, list):
        return ", ".join(map(str, example))
    return str(example).rstrip(".")


def help_text(info: FieldInfo) -> tuple[str, str]:
    """(the hint under a field, the message when its pattern is not matched): the schema's description and example."""
    description = (info.description or "").rstrip(".")
    example = example_text(info.examples[0]) if info.examples else ""
    hint = f"{description}. For example: {example}" if description and example else description
    message = f"{description}, for example {example}" if description and example else description or "See the hint"
    return hint, message


def is_markdown(metadata: list[Any]) -> bool:
    """schema.Markdown (sentences with emphasis and links) rather than one line of text."""
    return any(isinstance(item, AfterValidator) and item.func is schema._safe_links for item in metadata)


@dataclass(frozen=True)
class Context:
    """What a field's form depends on besides its type: the ids it may choose from (by the file's name, for the
    fields the schema marks RefersTo), the site's pages, and whether it sits inside an optional part."""

    ids: dict[str, list[Any]]  # each entry's id, or {label, value} for a select
    pages: list[str]
    in_optional: bool = False

    def choices(self, info: FieldInfo, metadata: list[Any]) -> list[str] | None:
        """An id from another data file, or a page of the site; None for free text."""
        if pattern_of(metadata) == PAGE_PATTERN:
            return self.pages
        target = refers_to(metadata)
        return self.ids.get(target.file) if target else None


def form_field(name: str, info: FieldInfo, context: Context) -> dict[str, Any]:
    """The Decap field for one schema field.

    Decap checks the required fields inside an optional part even when the part is left out, so there
    they are optional in the form; the build still stops when a part is given without them.
    """
    kind, metadata, optional = unwrap(info.annotation)
    required = info.is_required() and not optional
    field: dict[str, Any] = {"label": label(name), "name": name}
    hint, message = help_text(info)
    if hint:
        field["hint"] = hint
    field["required"] = required and not context.in_optional
    inner = Context(context.ids, context.pages, context.in_optional or not required)
    field.update(widget_for(name, kind, [*info.metadata, *metadata], info, message, inner))
    return field


def widget_for(name: str, kind: Any, metadata: list[Any], info: FieldInfo, message: str, context: Context) -> dict[str, Any]:
    """The widget and its settings for a type: the part of a Decap field that depends on the type."""
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return {"widget": "object", "collapsed": False, "fields": model_fields(kind, context)}
    if typing.get_origin(kind) is list:
        return list_widget(name, kind, metadata, info, message, context)
    if typing.get_origin(kind) is Literal:
        return {"widget": "select", "options": list(typing.get_args(kind))}
    options = context.choices(info, metadata)
    if options is not None:
        return {"widget": "select", "options": options}
    if kind is bool:
        return {"widget": "boolean", **({"default": info.default} if isinstance(info.default, bool) else {})}
    if kind in (int, float):
        limits = {key: value for key, value in (("min", constraint(metadata, Ge, "ge")), ("max", constraint(metadata, Le, "le")))
                  if value is not None}
        return {"widget": "number", "value_type": kind.__name__, **limits}
    if kind is date:
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False, "picker_utc": True}
    if kind is time:
        return {"widget": "string", "pattern": [TIME_PATTERN, message]}
    if kind is str:
        pattern = pattern_of(metadata)
        widget = {"widget": "text" if is_markdown(metadata) else "string"}
        return {**widget, "pattern": [pattern, message]} if pattern else widget
    raise TypeError(f"the editor has no widget for {kind!r}: add one to editor/forms.py, widget_for")


def list_widget(name: str, kind: Any, metadata: list[Any], info: FieldInfo, message: str, context: Context,
                *, collapsed: bool = False) -> dict[str, Any]:
    """A list: several choices, entries with their own fields, or plain values (one field each).

    The entries of a file that is a list (conditions, reviewers, reviews) start closed, showing their
    summary; the lists inside a form (hours, prices) start open.
    """
    (item,) = typing.get_args(kind)
    item_kind, item_metadata, _ = unwrap(item)
    sizes = {key: value for key, value in (("min", constraint(metadata, MinLen, "min_length")),
                                           ("max", constraint(metadata, MaxLen, "max_length"))) if value is not None}
    options = list(typing.get_args(item_kind)) if typing.get_origin(item_kind) is Literal else context.choices(info, item_metadata)
    if options is not None:
        return {"widget": "select", "multiple": True, "options": options, **sizes}
    entries = Context(context.ids, context.pages)  # an entry that is there has all its required fields
    singular = SINGULAR.get(name, "entry")
    if isinstance(item_kind, type) and issubclass(item_kind, BaseModel):
        summary = SUMMARIES.get(item_kind.__name__) or next(
            (f"{{{{fields.{key}}}}}" for key in ("name", "item", "reason", "id", "page") if key in item_kind.model_fields), None)
        return {"widget": "list", "label_singular": singular, "collapsed": collapsed, **({"summary": summary} if summary else {}),
                "fields": model_fields(item_kind, entries), **sizes}
    single = {"label": singular.capitalize(), "name": singular.replace(" ", "_"), "required": True,
              **widget_for(singular, item_kind, item_metadata, FieldInfo(description=info.description), message, entries)}
    return {"widget": "list", "label_singular": singular, "collapsed": False, "field": single, **sizes}


def model_fields(model: type[BaseModel], context: Context) -> list[dict[str, Any]]:
    return [form_field(name, info, context) for name, info in model.model_fields.items()]
