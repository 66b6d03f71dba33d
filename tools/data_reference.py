"""The handbook's tables of data keys, generated from the schema (hooks/clinic_site/schema.py).

    python -m tools.data_reference           # print the tables
    python -m tools.data_reference --write   # put them into handbook/clinic-setup.md between the data-reference markers

tests/test_docs.py fails when the handbook and the schema disagree, so the tables cannot go stale.
"""

from __future__ import annotations

import argparse
import sys

from pydantic import BaseModel

from clinic_site.data.references import EACH, relations
from clinic_site.schema import FILES, RefersTo, literal_choices, nested_model
from tools.new_clinic import example_text, is_list
from tools.project import ROOT

PAGE = ROOT / "handbook" / "clinic-setup.md"  # "The data files"
START, END = "<!-- data-reference:start (python -m tools.data_reference --write) -->", "<!-- data-reference:end -->"


def referred(file: str) -> dict[str, RefersTo]:
    """The file's keys that name an entry of another file (the schema's RefersTo marks), by key path."""
    return {".".join(part for part in relation.path if part != EACH): relation.target
            for relation in relations() if relation.file == file}


def rows(model: type[BaseModel], prefix: str = "", targets: dict[str, RefersTo] | None = None) -> list[tuple[str, str, str]]:
    found = []
    for name, info in model.model_fields.items():
        key = f"{prefix}{name}"
        inner = nested_model(info.annotation)
        allowed = literal_choices(info.annotation)
        meaning = (info.description or "").rstrip(".") or name.replace("_", " ").capitalize()
        if allowed and "One of" not in meaning and ":" not in meaning:
            meaning += f" (one of: {', '.join(allowed)})"
        target = (targets or {}).get(key)
        if target is not None and target.file not in meaning:
            meaning += f" ({'ids' if is_list(info.annotation) else 'an id'} from {target.file})" if target.by == "id" \
                else f" (a setting's key path in {target.file})"
        if not info.is_required():
            meaning = f"*Optional.* {meaning}"
        if inner:
            meaning += ": a list of entries with the keys below" if is_list(info.annotation) else ": the keys below"
        example = info.examples[0] if info.examples and not isinstance(info.examples[0], dict) else None
        found.append((key, meaning, f"`{example_text(example)}`" if example is not None else ""))
        if inner:
            found += rows(inner, f"{key}.", targets)
    return found


def table(model: type[BaseModel], file: str) -> str:
    lines = ["| Key | What it means | Example |", "| --- | --- | --- |"]
    lines += [f"| `{key}` | {meaning.replace('|', '/')} | {example.replace('|', '/')} |"
              for key, meaning, example in rows(model, targets=referred(file))]
    return "\n".join(lines)


def reference() -> str:
    parts = []
    for owner, heading in (("clinic", "Your clinic's files, in `clinics/<name>/data/`"),
                           ("shared", "Shared files, in `data/` (the same for every clinic)")):
        parts.append(f"#### {heading}")
        for name, file in FILES.items():
            if file.owner == owner:
                kind = "a list; each entry has these keys" if file.is_list else "these keys"
                required = "" if file.required else " *Optional file.*"
                parts.append(f"**`{name}`**: {file.purpose}; {kind}.{required}\n\n{table(file.model, name)}")
    return "\n\n".join(parts)


def readme_block(text: str) -> str:
    start, end = text.index(START) + len(START), text.index(END)
    return text[start:end].strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update handbook/clinic-setup.md")
    args = parser.parse_args(argv)
    generated = reference()
    if not args.write:
        print(generated)
        return 0
    text = PAGE.read_text()
    start, end = text.index(START) + len(START), text.index(END)
    PAGE.write_text(text[:start] + "\n\n" + generated + "\n\n" + text[end:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
