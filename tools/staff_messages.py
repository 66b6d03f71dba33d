"""The staff guide's list of messages, made by the build itself: each mistake in the staff-mistakes table
(tests/test_staff_mistakes.py) is made on a copy of the tiny fixture clinic, built, and its one line kept.

    python -m tools.staff_messages           # print the list
    python -m tools.staff_messages --write   # put it into handbook/staff.md between the staff-messages markers

tests/test_docs.py fails when a row of the table has no entry, or an entry lacks the words the table checks.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from tools.project import ROOT, build_in_process

PAGE = ROOT / "handbook" / "staff.md"
START, END = "<!-- staff-messages:start (python -m tools.staff_messages --write) -->", "<!-- staff-messages:end -->"
GROUPS = (("data", "In data files"), ("page", "In pages"), ("config", "In a config file"), ("file", "Photos and other files"))


def table():
    """The staff-mistakes table's rows (it lives with its test)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import test_staff_mistakes

    return test_staff_mistakes.ROWS, test_staff_mistakes.staff_lines


def title(row_id: str) -> str:
    return row_id.replace("-", " ").replace("utf8", "UTF-8").capitalize()


def group(message: str) -> str:
    where = message.split(":", 1)[0]
    if where.endswith("mkdocs.yml"):
        return "config"
    if where.endswith((".yml", ".yaml")):
        return "data"
    if where.endswith(".md"):
        return "page"
    return "file"


def message_of(row, staff_lines) -> str:
    with tempfile.TemporaryDirectory(prefix="staff-messages-") as folder:
        root = Path(shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", Path(folder) / "tiny"))
        shutil.copytree(ROOT / "overrides", root / "overrides")
        row.change(root)
        result = build_in_process(root / row.config, Path(folder) / "site", cwd=root)
        lines = staff_lines(result.stderr)
        if result.returncode == 0 or len(lines) != 1:
            raise SystemExit(f"{row.id}: expected one message, got:\n{result.stderr}")
        return lines[0]


def entries(rows, messages: dict[str, str]) -> str:
    parts = []
    for key, heading in GROUPS:
        chosen = [row for row in rows if not row.builds and group(messages[row.id]) == key]
        if not chosen:
            continue
        parts.append(f"### {heading}")
        for row in chosen:
            parts.append(f"**{title(row.id)}** (`{row.id}`)\n\n    {messages[row.id]}")
    built = ", ".join(title(row.id).lower() for row in rows if row.builds)
    parts.append(f"### Built as meant, with no message\n\n{built[0].upper()}{built[1:]}.")
    return "\n\n".join(parts)


def block(text: str) -> str:
    start, end = text.index(START) + len(START), text.index(END)
    return text[start:end].strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update handbook/staff.md")
    args = parser.parse_args(argv)
    rows, staff_lines = table()
    mistakes = [row for row in rows if not row.builds]
    messages = {row.id: message_of(row, staff_lines) for row in mistakes}  # one at a time: a build changes the folder
    generated = entries(rows, messages)
    if not args.write:
        print(generated)
        return 0
    text = PAGE.read_text(encoding="utf-8")
    start, end = text.index(START) + len(START), text.index(END)
    PAGE.write_text(text[:start] + "\n\n" + generated + "\n\n" + text[end:], encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
