"""Turning pydantic's errors into plain words with a fix: for data files, front matter and config settings."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from ..errors import Problem, StaffError, did_you_mean
from ..schema import US_STATES, field_at, nested_model, refers_to, unwrap
from ..text import lower_first
from ..yamlfile import YamlDocument, describe_key, invisible_in

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


def as_written(example: Any) -> str:
    """A value as staff write it in YAML: a list as [a, b], never Python's ['a', 'b']."""
    return "[" + ", ".join(map(str, example)) + "]" if isinstance(example, list) else str(example)


def example_of(info: Any) -> str:
    examples = getattr(info, "examples", None)
    if not examples or isinstance(examples[0], dict):
        return ""
    return f", for example {as_written(examples[0]).rstrip('.')}"


def takes_a_list(info: Any) -> bool:
    """Whether the field holds a list (alone, or as one of its choices)."""
    if info is None:
        return False
    kind = unwrap(info.annotation)[0]
    kinds = typing.get_args(kind) if typing.get_origin(kind) in (typing.Union, types.UnionType) else (kind,)
    return any(typing.get_origin(unwrap(option)[0]) is list for option in kinds)


QUOTED_LIST = re.compile(r"\s*\[.*\]\s*", re.S)


def explain(error: dict, info: Any, name: str, known: list[str] | None = None) -> tuple[str, str]:
    """(what is wrong, how to fix it) for one pydantic error."""
    kind, value, context = error["type"], error.get("input"), error.get("ctx") or {}
    if isinstance(context.get("error"), Problem):  # a check of schema.py that raised Problem(problem, fix)
        return context["error"].problem, with_stop(context["error"].fix)
    if "problem" in context and "fix" in context:  # one that raised schema.invalid(kind, problem, fix)
        return str(context["problem"]), with_stop(str(context["fix"]))
    if isinstance(value, str) and QUOTED_LIST.fullmatch(value) and takes_a_list(info):  # reviewed_by: "[reyes]"
        return (f"'{value}' is in quotes, so it is read as one piece of text, not as a list",
                f"Remove the quotes around it: {name}: {value.strip()}.")
    example = example_of(info)
    described = lower_first(info.description) if info is not None and info.description else ""
    if kind == "missing":
        inner = nested_model(info.annotation) if info is not None else None
        if inner is not None:
            keys = [key for key, field in inner.model_fields.items() if field.is_required()]
            return "this required key is missing", f"Add {name}: with the keys under it: {', '.join(keys)}."
        return "this required key is missing", f"Add {name}:{' ' + described if described else ''}{example}."
    if kind == "extra_forbidden":
        return f"'{name}' is not a known key", did_you_mean(name, known or []) + "Check its spelling, or remove it."
    if value is None and kind in ("string_type", "int_type", "bool_type", "date_type", "time_type", "list_type", "model_type",
                                  "dict_type", "literal_error", "string_pattern_mismatch"):
        return "the value is empty", f"Write {described or 'a value'}{example}, or remove the key if it is optional."
    if kind in ("string_type",) and isinstance(value, (list, dict)):
        return "expected one value here, not a list or keys", f"Write the value after the colon on the same line{example}."
    if kind == "string_too_short":
        return "the value is empty", f"Write {described or 'a value'}{example}, or remove the key if it is optional."
    if kind == "string_pattern_mismatch":
        fallback = f"Write {described}{example}." if described else f"Check the value{example}."
        target = target_of(info)
        if target is not None:  # an id of another file's entry: say which file, with an example of its own kind
            example = f", for example {as_written(info.examples[0])}" if info.examples else ""
            fix = (f"Write the id of {'a setting' if target.by == 'key path' else 'an entry'} in {target.file}, "
                   f"as it is written there{example}.")
        else:
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
        hint = did_you_mean(str(value), re.split(r", | or ", expected))
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
    # pydantic's own wording for a check no case above knows: a problem with no fix to cut from it.
    return error["msg"].removeprefix("Value error, ").rstrip("."), "Check the value."


def target_of(info: Any) -> Any:
    """The RefersTo mark of a field (or of its list's items), or None."""
    if info is None:
        return None
    kind, metadata, _ = unwrap(info.annotation)
    if typing.get_origin(kind) is list:
        metadata = unwrap(typing.get_args(kind)[0])[1]
    return refers_to([*getattr(info, "metadata", []), *metadata])


def with_stop(fix: str) -> str:
    return fix if fix.endswith((".", "?", "!")) else fix + "."


def first_error(errors: list[Any]) -> Any:
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
