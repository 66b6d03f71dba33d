"""What staff give a command (commands.py): `CONFIG=` names a clinic's config file and `TODAY=` a day. A folder,
a missing file or a date written another way stops every command that takes one (make build, serve, test,
reviews, readability) with one line naming the value and the fix, never a traceback."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT

from clinic_site import commands
from clinic_site.clinics import repository_configs
from clinic_site.errors import StaffError
from tools import editor_packages, linkcheck, readability, reviews


@pytest.fixture
def second(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny project with a second clinic's config, as the folder staff run commands from."""
    root = tiny.parent
    (root / "clinics" / "second").mkdir()
    (root / "clinics" / "second" / "mkdocs.yml").write_text("INHERIT: ../../mkdocs.yml\nsite_name: Second\n")
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("given, message", [
    ("clinics/second", "CONFIG: 'clinics/second' is a folder, not a config file. "
                       "Give the clinic's mkdocs.yml: CONFIG=clinics/second/mkdocs.yml."),
    ("clinics/tiny", "CONFIG: 'clinics/tiny' is a folder with no mkdocs.yml: the default clinic, clinics/tiny, has no config "
                     "of its own. The top-level mkdocs.yml builds it: give CONFIG=mkdocs.yml, or leave CONFIG out."),
    ("clinics/tiny/mkdocs.yml", "CONFIG: there is no file 'clinics/tiny/mkdocs.yml': the default clinic, clinics/tiny, has no "
                                "config of its own. The top-level mkdocs.yml builds it"),
    ("clinics/nope/mkdocs.yml", "CONFIG: there is no file 'clinics/nope/mkdocs.yml'. "
                                "Give a clinic's mkdocs.yml, one of: mkdocs.yml, clinics/second/mkdocs.yml."),
    ("clinics", "CONFIG: 'clinics' is a folder with no mkdocs.yml. Give a clinic's mkdocs.yml, one of:"),
    ("docs/index.md", "CONFIG: 'docs/index.md' is not a config file. Give a clinic's mkdocs.yml, one of:"),
])
def test_a_config_that_is_not_a_config_file_names_the_one_to_give(second: Path, given: str, message: str):
    with pytest.raises(StaffError) as caught:
        commands.config_file(given, second)
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_config_file_is_taken(second: Path):
    assert commands.config_file("clinics/second/mkdocs.yml", second) == second / "clinics" / "second" / "mkdocs.yml"
    assert commands.config_file("mkdocs.yml", second) == second / "mkdocs.yml"


def test_a_day_is_written_yyyy_mm_dd():
    assert commands.day("2027-06-01") == date(2027, 6, 1)
    for given in ("06/01/2027", "1 June 2027", "2027-13-01"):
        with pytest.raises(StaffError) as caught:
            commands.day(given)
        assert str(caught.value) == f"TODAY: '{given}' is not a date written YYYY-MM-DD. Write it as YYYY-MM-DD, such as 2027-06-01."


# Each command that takes CONFIG or TODAY, given a wrong one in the repository (read, never changed).

def a_clinic_folder() -> str:
    """A clinic's folder that has a config of its own, as staff would type it."""
    return repository_configs(ROOT)[1].parent.relative_to(ROOT).as_posix()


@pytest.fixture
def at_top(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


def test_reviews_names_a_wrong_config_or_day(at_top, capsys):
    folder = a_clinic_folder()
    assert reviews.main(["--config", folder]) == 1
    assert capsys.readouterr().err == f"CONFIG: '{folder}' is a folder, not a config file. Give the clinic's mkdocs.yml: CONFIG={folder}/mkdocs.yml.\n"
    default = commands.default_clinic_folder(ROOT).relative_to(ROOT).as_posix()
    assert reviews.main(["--config", f"{default}/mkdocs.yml"]) == 1
    assert "The top-level mkdocs.yml builds it: give CONFIG=mkdocs.yml, or leave CONFIG out." in capsys.readouterr().err
    assert reviews.main(["--today", "06/01/2027"]) == 1
    assert capsys.readouterr().err.startswith("TODAY: '06/01/2027' is not a date written YYYY-MM-DD")


def test_the_other_tools_name_a_wrong_config(at_top, capsys):
    folder = a_clinic_folder()
    assert editor_packages.main(folder) == 2
    assert capsys.readouterr().err.startswith(f"CONFIG: '{folder}' is a folder")
    assert linkcheck.main(["site", "--config", folder]) == 2
    assert capsys.readouterr().err.startswith(f"CONFIG: '{folder}' is a folder")
    with pytest.raises(SystemExit) as exited:
        readability.main(["--config", folder])
    assert str(exited.value.code).startswith(f"CONFIG: '{folder}' is a folder")


def test_make_build_and_reviews_stop_at_a_wrong_config_or_day(at_top):
    """The Makefile's own recipes, with the installed packages taken as they are (-o: never reinstalled here)."""
    folder = a_clinic_folder()
    make = ["make", "--no-print-directory", "-o", ".venv/.site-deps", f"BIN={Path(sys.executable).parent}"]
    for arguments, message in [(["build", f"CONFIG={folder}"], f"CONFIG: '{folder}' is a folder, not a config file."),
                               (["reviews", "TODAY=06/01/2027"], "TODAY: '06/01/2027' is not a date written YYYY-MM-DD.")]:
        result = subprocess.run([*make, *arguments], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode != 0 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("environment, message", [
    ({}, "ERROR: CONFIG: '{folder}' is a folder, not a config file."),
    ({"CLINIC_SITE_TODAY": "06/01/2027"}, "ERROR: CLINIC_SITE_TODAY: '06/01/2027' is not a date written YYYY-MM-DD."),
])
def test_make_test_stops_at_a_wrong_config_or_day_before_any_test(environment, message):
    folder = a_clinic_folder()
    chosen = ["--clinic", folder] if not environment else []
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *chosen, "tests/test_docs.py"],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, **environment})
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert message.format(folder=folder) in result.stderr and "Traceback" not in result.stdout + result.stderr


def test_make_new_clinic_passes_a_name_with_spaces_as_one_word():
    result = subprocess.run(["make", "-n", "--no-print-directory", "-o", ".venv/.site-deps", "new-clinic", "NAME=Sunrise Clinic"],
                            cwd=ROOT, capture_output=True, text=True)
    assert shlex.split(result.stdout.strip())[-2:] == ["tools.new_clinic", "Sunrise Clinic"], result.stdout


def test_a_wrong_inherit_path_stops_before_mkdocs_with_the_right_path(second: Path, capsys):
    """MkDocs would say only "Inherited config file '../mkdocs.yml' does not exist", naming neither file nor line."""
    config = second / "clinics" / "second" / "mkdocs.yml"
    config.write_text("# The second clinic.\nINHERIT: ../mkdocs.yml\nsite_name: Second\n")
    expected = ("clinics/second/mkdocs.yml:2: INHERIT: '../mkdocs.yml' names no file (it would be clinics/mkdocs.yml). "
                "Write INHERIT: ../../mkdocs.yml.")
    with pytest.raises(StaffError) as caught:
        commands.config_file("clinics/second/mkdocs.yml", second)
    assert str(caught.value) == expected
    assert editor_packages.main("clinics/second/mkdocs.yml") == 2  # the first step of make build and make serve
    assert capsys.readouterr().err == expected + "\n"


def test_a_config_that_builds_on_another_repository_or_expands_stops(second: Path, tmp_path: Path):
    config = second / "clinics" / "second" / "mkdocs.yml"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mkdocs.yml").write_text("site_name: Elsewhere\n")
    config.write_text(f"INHERIT: {os.path.relpath(elsewhere / 'mkdocs.yml', config.parent)}\nsite_name: Second\n")
    from clinic_site.clinics import clinic_folders

    with pytest.raises(StaffError) as caught:
        clinic_folders(config, None)
    assert caught.value.line == 1 and "outside the folder it belongs to" in caught.value.problem
    assert caught.value.fix == "Write INHERIT: ../../mkdocs.yml."
    config.write_text("INHERIT: ../../mkdocs.yml\nsite_name: &name Second\nsite_description: *name\n")
    with pytest.raises(StaffError) as caught:
        commands.config_file("clinics/second/mkdocs.yml", second)
    assert str(caught.value).startswith("clinics/second/mkdocs.yml:2: site_name: '&name' marks this value for reuse")
    with pytest.raises(StaffError) as caught:
        clinic_folders(second / "mkdocs.yml", "../..")
    assert "../.. is outside this repository" in caught.value.problem
