"""Every problem a clinic's files have, at once, in the build's own words: for a pull request's comment.

    python -m tools.problems clinics/kestrel-peak/mkdocs.yml [--markdown comment.md] [--today 2026-12-01]

The build stops at its first problem, which is right for a build and slow for staff: a pull request
from the editor with three mistakes would need three rounds of CI. This tool checks the same things
file by file and keeps going: each data file on its own (every value it refuses, not just the first),
each page's front matter on its own, then, when those pass, the checks between files and the pages'
own checks (the strict build). Each problem is the build's line, `file:line: key: problem. fix`.
Exit status 1 when there is any, so CI can also fail on it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from clinic_site.clinics import clinic_folders, read_config_keys
from clinic_site.data.load import check_no_placeholder, data_files, load_clinic_data
from clinic_site.data.messages import first_error, translate
from clinic_site.errors import StaffError
from clinic_site.pages.plan import markdown_files
from clinic_site.pages.record import read_page
from clinic_site.schema import FILES
from clinic_site.yamlfile import read_yaml
from tools.project import build


def data_problems(clinic_folder: Path, shared_folder: Path) -> list[str]:
    """Each data file alone: every value its model refuses (pydantic reports them all), or why it cannot be read."""
    try:
        paths = data_files(clinic_folder, shared_folder)
    except StaffError as error:
        return [str(error)]
    found = []
    for name, path in paths.items():
        known = FILES[name]
        try:
            document = read_yaml(path)
            check_no_placeholder(document)
        except StaffError as error:
            found.append(str(error))
            continue
        model: Any = Annotated[list[known.model], Field(min_length=1)] if known.is_list else known.model  # type: ignore[name-defined]
        try:
            TypeAdapter(model).validate_python(document.value)
        except ValidationError as error:
            # A misspelt key is both "not a known key" and, for its right name, "missing": the first says it all.
            errors = error.errors()
            misspelt = {tuple(each["loc"][:-1]) for each in errors if each["type"] == "extra_forbidden"}
            for each in errors:
                if each["type"] == "missing" and tuple(each["loc"][:-1]) in misspelt:
                    continue
                message = str(translate(document, known.model, first_error([each])))
                if message not in found:
                    found.append(message)
    return found


def page_problems(shared_docs: Path, own_docs: Path) -> list[str]:
    """Each page's front matter and heading on its own (a clinic's own page replaces a shared one of the same name)."""
    pages = {uri: (path, False) for uri, path in markdown_files(shared_docs).items()}
    pages.update({uri: (path, True) for uri, path in markdown_files(own_docs).items()})
    found = []
    for uri, (path, own) in sorted(pages.items()):
        try:
            read_page(uri, path, own=own)
        except StaffError as error:
            found.append(str(error))
    return found


def build_problem(config_file: Path, today: date | None) -> list[str]:
    """The strict build's first problem, when the files pass on their own: checks between files and pages."""
    import tempfile

    with tempfile.TemporaryDirectory() as site:
        result = build(config_file, Path(site), today)
    if result.returncode == 0:
        return []
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    staff = [line.removeprefix("ERROR   -  ").strip() for line in lines if line.startswith(("ERROR", "WARNING"))]
    return staff[-1:] or lines[-1:]


def problems(config_file: Path, today: date | None = None) -> list[str]:
    plugin = ((read_config_keys(config_file).value or {}).get("plugins") or {}).get("clinic") or {}
    folders = clinic_folders(config_file, plugin.get("default_clinic"))
    found = data_problems(folders.clinic, folders.shared / "data")
    if not found:
        try:
            load_clinic_data(folders.clinic, folders.shared / "data")  # the references between files
        except StaffError as error:
            found.append(str(error))
    found += page_problems(folders.shared / "docs", folders.clinic / "docs")
    return found or build_problem(config_file, today)


def as_markdown(config_file: Path, found: list[str]) -> str:
    name = config_file.parent.name if config_file.parent.parent.name == "clinics" else config_file.name
    if not found:
        return f"**{name}**: the build found no problem in this change."
    head = f"**{name}**: the build found {len(found)} problem{'s' if len(found) > 1 else ''} to fix before this can be published:"
    return "\n".join([head, "", *(f"- `{line}`" for line in found), "",
                      "Each line names the file, the line, the setting, what is wrong and how to fix it."])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.problems", description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="+", type=Path, help="a clinic's mkdocs.yml (one or more)")
    parser.add_argument("--markdown", type=Path, help="also write the findings as a pull-request comment")
    parser.add_argument("--today", type=date.fromisoformat)
    options = parser.parse_args(argv)
    comments, failed = [], False
    for config in options.configs:
        found = problems(config, options.today)
        failed = failed or bool(found)
        print("\n".join(found) or f"{config}: no problem found")
        comments.append(as_markdown(config, found))
    if options.markdown:
        options.markdown.write_text("\n\n".join(comments) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
