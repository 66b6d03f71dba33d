"""Messages as data: problem and fix travel as two fields from where a mistake is found to where it is printed,
and one did-you-mean helper (errors.closest) picks what staff most likely meant, everywhere."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from test_data import CLINIC, edit, error_of

from clinic_site.errors import StaffError, closest, did_you_mean


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    """A copy of the tiny project's data (as in test_data.py)."""
    return Path(shutil.copytree(ROOT / "tests/fixtures/tiny", tmp_path / "tiny", ignore=shutil.ignore_patterns("docs")))


@pytest.mark.parametrize("old, new, problem, fix", [
    ("phone: (208) 555-0199", "phone: Tel. 555 0100", "'Tel. 555 0100' has 'Tel' in it, and a phone number is digits only",
     "Write the 10 digits with spaces, dashes, dots or brackets, for example (503) 555-0100."),
    ("email: hello@tiny.example", "email: Dr. Ames at tiny.example", "'Dr. Ames at tiny.example' has a space in it",
     "Write the address only, for example care@yourclinic.com."),
    ('    opens: "09:00"', "    opens: St. Patrick's day", "'St. Patrick's day' is not a time",
     'Write it in 24-hour form in quotes, for example "08:00" or "18:00", or with am or pm, for example 6pm.'),
])
def test_a_value_with_a_full_stop_never_cuts_the_message(tiny_data, old, new, problem, fix):
    edit(tiny_data / CLINIC, old, new)
    error = error_of(tiny_data)
    assert (error.problem, error.fix) == (problem, fix)
    assert str(error).endswith(f"{problem}. {fix}")


def test_no_check_writes_problem_and_fix_as_one_sentence():
    """Every check in the schema raises schema.invalid(kind, problem, fix) or errors.Problem(problem, fix)."""
    for path in [ROOT / "hooks/clinic_site/schema.py", *sorted((ROOT / "hooks/clinic_site").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
                assert node.exc.func.id not in ("ValueError", "PydanticCustomError"), f"{path.name}:{node.lineno}"


@pytest.mark.parametrize("wanted, choices, meant", [
    ("smith-2021", ["lipsitz-2021", "cohen-2018"], None),  # the year alone is no likeness
    ("phnoe", ["phone", "email"], "phone"),
    ("Door.JPG", ["door.jpg", "map.png"], "door.jpg"),
    ("very limited", ["some", "limited", "strong"], "limited"),
    ("our-team.md", ["your-session.md", "index.md"], None),
    ("Oregan", ["Oregon", "Ohio"], "Oregon"),
    ("2021", ["2020", "1999"], "2020"),
])
def test_did_you_mean_picks_what_staff_meant_or_nothing(wanted, choices, meant):
    assert closest(wanted, choices) == meant
    assert did_you_mean(wanted, choices) == (f"Did you mean '{meant}'? " if meant else "")


def test_one_did_you_mean_helper_is_used_everywhere():
    for path in sorted((ROOT / "hooks/clinic_site").rglob("*.py")):
        if path.name != "errors.py":
            text = path.read_text()
            assert "get_close_matches" not in text and "Did you mean" not in text, path


def error_of_edit(tiny_data: Path, file: str, old: str, new: str) -> StaffError:
    edit(tiny_data / file, old, new)
    return error_of(tiny_data)


def test_an_unknown_evidence_level_is_fixed_with_a_level(tiny_data):
    error = error_of_edit(tiny_data, "clinics/tiny/data/conditions.yml", "    level: some", "    level: very limited")
    assert error.key == "crps.evidence.level"
    assert "nerve-pain" not in error.fix and "evidence_levels.yml" in error.fix and "for example some" in error.fix


def test_an_unknown_source_is_not_matched_on_its_year(tiny_data):
    references = tiny_data / "data/references.yml"
    references.write_text(references.read_text() + "- id: lipsitz-2021\n  authors: Lipsitz A.\n  title: A third test study\n"
                                                   "  source: Test Journal 2(1):3-4\n  year: 2021\n  doi: 10.1000/test.three\n"
                                                   "  supports:\n    - claim: A third study.\n      words: [study]\n")
    error = error_of_edit(tiny_data, "clinics/tiny/data/conditions.yml", "    source: ref-one", "    source: smith-2021")
    assert "no reference with the id 'smith-2021'" in error.problem and "Did you mean" not in error.fix
    assert "lipsitz-2021" in error.fix  # among the ids to use, not as the likely one


# HTML-stage checks run on the page's Markdown, where each line is known: the line with the problem is named,
# never the first line that happens to hold the same word, and the picture's name as written, not as rewritten.

PAGE = """---
title: Contact
description: How to reach us.
health_page: false
---

# Contact

Our door is in door.jpg, and we never use onmouseover or iframe here.

![](door.jpg)

<p onmouseover="alert(1)">Hover</p>

`<script>` in backquotes is text.
"""


def first_error(check, text: str) -> StaffError:
    from clinic_site.pages.checks import prose_lines

    with pytest.raises(StaffError) as caught:
        check(list(prose_lines(text, 7)), Path("docs/contact.md"))
    return caught.value


def test_a_picture_without_alt_is_named_at_its_own_line_as_written():
    from clinic_site.images import check_alt_text

    error = first_error(check_alt_text, PAGE)
    assert (error.line, error.problem) == (11, "the image door.jpg has no alt text"), error
    error = first_error(check_alt_text, PAGE.replace("![](door.jpg)", '<img src="../door.jpg">'))
    assert (error.line, error.problem) == (11, "the image ../door.jpg has no alt text") and 'alt="' in error.fix, error


def test_active_content_is_named_at_its_own_line_and_code_is_text():
    from clinic_site.html_safety import check_page_source

    error = first_error(check_page_source, PAGE.replace("![](door.jpg)", "![Our door](door.jpg)"))
    assert (error.line, error.problem) == (13, "the page has an event handler (onmouseover=), which is not allowed on the site")
    error = first_error(check_page_source, PAGE.replace('<p onmouseover="alert(1)">Hover</p>', "[Go](javascript:alert(1))"))
    assert (error.line, error.problem) == (13, "the page has a script address (javascript:), which is not allowed on the site")
    check_page_source([(15, "`<script>` in backquotes is text.")], Path("docs/contact.md"))
