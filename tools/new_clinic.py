"""Start a clinic: `make new-clinic NAME=sunrise` (or `python -m tools.new_clinic sunrise`).

Creates clinics/<name>/ (a name such as "Sunrise Clinic" becomes the folder sunrise-clinic) with its
config and data files, every key written out from the schema (hooks/clinic_site/schema.py) with its
help as a comment. Each value to fill in starts with FILL IN; the build refuses every one that is left,
naming the file, the line and the key. Optional keys are written as comments: remove the # to use one.
Examples come from the schema and are neutral: never another clinic's name, address or reviewer.
"""

from __future__ import annotations

import argparse
import re
import typing
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from clinic_site.errors import StaffError
from clinic_site.pages.front_matter import read_front_matter
from clinic_site.pages.plan import markdown_files
from clinic_site.schema import (
    PLACEHOLDER,
    Address,
    Clinic,
    Condition,
    Reviewer,
    ReviewRecord,
    asked_of_new_clinics,
    literal_choices,
    nested_model,
)
from clinic_site.yamlfile import decode
from tools.project import ROOT

NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def placeholder(example: Any = None, boolean: bool = False) -> str:
    if boolean:
        return f'"{PLACEHOLDER}: true or false"'
    return f'"{PLACEHOLDER}' + (f", for example {example_text(example).strip(chr(34))}" if example is not None else "") + '"'




def is_list(annotation: Any) -> bool:
    return any(typing.get_origin(candidate) is list for candidate in (annotation, *typing.get_args(annotation)))


def is_bool(annotation: Any) -> bool:
    return annotation is bool or bool in typing.get_args(annotation)


def example_text(example: Any) -> str:
    if isinstance(example, bool):
        return str(example).lower()
    if isinstance(example, list):
        return "[" + ", ".join(map(example_text, example)) + "]"
    text = str(example)
    return f'"{text}"' if re.match(r"^\d{1,2}:\d{2}$|^\d{5}$", text) else text


def model_lines(model: type[BaseModel], indent: str = "", fill: bool = True) -> list[str]:
    """The model's keys as commented YAML: required ones to fill in (FILL IN), optional ones commented out.

    With fill=False (an optional section, shown commented out) values are examples instead of placeholders.
    """
    lines: list[str] = []
    for name, info in model.model_fields.items():
        allowed = literal_choices(info.annotation)
        help_text = (info.description or name.replace("_", " ")) + (f". One of: {', '.join(allowed)}" if allowed else "")
        inner = nested_model(info.annotation)
        example = info.examples[0] if info.examples else None
        optional = not info.is_required() and not asked_of_new_clinics(info)
        lines.append(f"{indent}# {help_text}{' (optional)' if optional else ''}")
        if optional and fill:
            if inner and not is_list(info.annotation):
                lines.append(f"{indent}# {name}:")
                lines += [f"{indent}#   {line.strip()}" for line in model_lines(inner, fill=False) if not line.strip().startswith("#")]
            else:
                lines.append(f"{indent}# {name}: {example_text(example) if example is not None and not inner else ''}".rstrip())
            continue
        if inner and is_list(info.annotation):
            lines += [f"{indent}{name}:", *list_item(model_lines(inner, indent + "    ", fill), indent + "  ")]
        elif inner:
            lines += [f"{indent}{name}:", *model_lines(inner, indent + "  ", fill)]
        elif not fill:
            lines.append(f"{indent}{name}: {example_text(example) if example is not None else ''}".rstrip())
        elif is_list(info.annotation):
            lines.append(f"{indent}{name}: [{placeholder(example[0] if isinstance(example, list) and example else None)}]")
        else:
            lines.append(f"{indent}{name}: {placeholder(example, is_bool(info.annotation))}")
    return lines


def health_pages(docs: Path = ROOT / "docs") -> list[str]:
    pages = []
    for uri, path in markdown_files(docs).items():
        meta, _, _ = read_front_matter(decode(path.read_bytes(), path), path)
        if meta.health_page:
            pages.append(uri)
    return pages


def example(model: type[BaseModel], key: str) -> Any:
    """The schema's example for a key: neutral, never another clinic's fact."""
    return model.model_fields[key].examples[0]


def files_for(name: str) -> dict[str, str]:
    today = date.today().isoformat()
    review_pages = "\n".join(f"    - {page}" for page in health_pages())
    city = example(Address, "city")
    return {
        "mkdocs.yml": (
            "# This clinic's site. Everything else comes from the top-level mkdocs.yml; the clinic plugin finds\n"
            "# this folder's data/ and docs/. Build it with `make build CONFIG=clinics/" + folder_name(name) + "/mkdocs.yml`.\n"
            "INHERIT: ../../mkdocs.yml\n"
            f"# Your clinic's name, shown in the header and the browser tab.\nsite_name: {placeholder(example(Clinic, 'name'))}\n"
            "# Your site's web address, ending in /.\nsite_url: https://fill-in.example/\n"
            "# One sentence about the site, for search results.\n"
            f"site_description: {placeholder(f'IV ketamine infusions in {city}, explained in plain words.')}\n"),
        "data/clinic.yml": (
            "# Who you are, how to reach you, your prices and your own rules. Pages read every fact here.\n"
            "# Replace each FILL IN value; the build names any that is left. Lines starting with # are help:\n"
            "# remove the # in front of an optional key to use it. Put times in quotes: \"08:00\".\n"
            + "\n".join(model_lines(Clinic)) + "\n"),
        "data/conditions.yml": (
            "# What you treat: one entry per condition. For a condition another clinic also treats, use its id\n"
            "# (see clinics/harbor/data/conditions.yml), so a page that names it by id works for you too.\n"
            + "\n".join(model_lines_item(Condition)) + "\n"),
        "data/reviewers.yml": (
            "# The people who check your health pages. reviews.yml names them by id; one person is fine.\n"
            + "\n".join(model_lines_item(Reviewer)) + "\n"),
        "data/reviews.yml": (
            "# Who checked each health page, and when. A health page with no record here cannot be published.\n"
            "# Have your reviewer read each page on your site (make serve), then fill in the record.\n"
            f"- pages:\n{review_pages}\n"
            "  # The id of your reviewer in reviewers.yml, inside the [ ]; more than one: [reyes, lee]\n"
            f"  reviewed_by: [{placeholder(example(ReviewRecord, 'reviewed_by')[0])}]\n"
            "  # The date of the review, YYYY-MM-DD (not in the future), and when the pages are due again\n"
            f"  last_reviewed: {placeholder(today)}\n"
            f"  next_review: {placeholder(example(ReviewRecord, 'next_review'))}\n"),
        "data/pages.yml": (
            "# How your site differs from the shared pages in docs/ (all optional).\n"
            "# leave_out: shared pages your site does not have, for example articles/ketamine-a-hopeful-treatment.md\n"
            "leave_out: []\n"
            "# menu: where your own pages (in this folder's docs/) go in the menu; section: a menu heading such as Your care\n"
            "menu: []\n"),
        "docs/.gitkeep": "",
    }


def list_item(lines: list[str], dash_indent: str) -> list[str]:
    """A list's one example entry: `- ` before its first key, the help above it at the dash's indent; the optional
    keys after it, commented out, at the entry's indent, so that removing a # gives a key of the entry."""
    first = next(index for index, line in enumerate(lines) if not line.strip().startswith("#"))
    return [f"{dash_indent}{line.strip()}" for line in lines[:first]] + [f"{dash_indent}- {lines[first].strip()}", *lines[first + 1:]]


def model_lines_item(model: type[BaseModel]) -> list[str]:
    """One entry of a list file."""
    return list_item(model_lines(model, "  "), "")


def folder_name(name: str) -> str:
    """The clinic's folder name: 'Sunrise Clinic' and 'sunrise_clinic' become sunrise-clinic; accents are dropped."""
    plain = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    folder = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if not NAME.match(folder):
        raise StaffError(None, None, "NAME", f"'{name}' has no letters or digits to name a folder" if name else "no name given",
                         "Give the clinic a short name, for example: make new-clinic NAME=sunrise")
    return folder


def create(name: str, root: Path = ROOT) -> Path:
    folder = root / "clinics" / folder_name(name)
    if folder.exists():
        raise StaffError(folder, None, None, "this folder already exists",
                         "Choose another name, or edit that folder's files.")
    for relative, text in files_for(name).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", help="the clinic's short name, such as sunrise; \"Sunrise Clinic\" becomes sunrise-clinic")
    args = parser.parse_args(argv)
    try:
        folder = create(args.name)
    except StaffError as error:
        raise SystemExit(str(error)) from None
    shown = folder.relative_to(ROOT)
    print(f"Created {shown}/. Next:\n"
          f"  1. Fill in every FILL IN in {shown}/mkdocs.yml and {shown}/data/*.yml (handbook/clinic-setup.md: 'Start a site for your clinic').\n"
          f"  2. make build CONFIG={shown}/mkdocs.yml   (names each value still to fill in)\n"
          f"  3. make test CONFIG={shown}/mkdocs.yml\n"
          f"  4. make serve CONFIG={shown}/mkdocs.yml   (preview at http://127.0.0.1:8000/)")


if __name__ == "__main__":
    main()
