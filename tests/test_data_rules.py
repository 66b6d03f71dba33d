"""What the staff guide says about values, the build does, in every file it applies to.

handbook/staff.md ("What the build accepts and refuses") states rules about how values are written: a note
after a value, a key written twice, a tab, Windows line ends, yes/no settings written Yes or No, times written
6pm, text that looks like a yes. Each rule here runs against every real file it applies to: the shared data
(data/), each clinic's data (clinics/<name>/data/), each clinic's config and each page's front matter. The
bad or unusual value goes into a temporary copy (data files) or into the text given to the build's own
front-matter reader (pages), never into the real files.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import time
from pathlib import Path

import pytest
from conftest import ROOT, clinic_name, selected_configs

from clinic_site.clinics import clinic_folders, read_config_keys
from clinic_site.data.load import load_clinic_data
from clinic_site.errors import StaffError
from clinic_site.pages.front_matter import read_front_matter
from clinic_site.pages.plan import markdown_files
from clinic_site.yamlfile import decode, texts


def clinic_folder(config: Path) -> Path:
    """The clinic folder a config builds, read from the config's own keys (no data is loaded here)."""
    plugin = ((read_config_keys(config).value or {}).get("plugins") or {}).get("clinic") or {}
    return clinic_folders(config, plugin.get("default_clinic")).clinic


def files_of(config: Path) -> dict[str, list[str]]:
    """The files each rule runs on for one clinic: the shared data and its own, its config, the shared pages and its own."""
    folder = clinic_folder(config)
    own_data = {path.name for path in (folder / "data").glob("*.yml")}
    data = [path for path in sorted((ROOT / "data").glob("*.yml")) if path.name not in own_data] + sorted((folder / "data").glob("*.yml"))
    pages = {uri: path for uri, path in markdown_files(ROOT / "docs").items()}
    pages.update(markdown_files(folder / "docs"))
    return {"data": [path.relative_to(ROOT).as_posix() for path in data],
            "page": sorted(path.relative_to(ROOT).as_posix() for path in pages.values()),
            "config": [config.relative_to(ROOT).as_posix()]}


# Which files each parameter takes, by a look at their text.
KINDS = {
    "data_file": ("data", lambda text: True),
    "page_file": ("page", lambda text: True),
    "config_file": ("config", lambda text: True),
    "bool_data_file": ("data", lambda text: any(BOOLEAN.match(line) for line in text.splitlines())),
    "bool_page_file": ("page", lambda text: any(BOOLEAN.match(line) for line in front_matter_text(text).splitlines())),
    "time_data_file": ("data", lambda text: any(TIME.match(line) for line in text.splitlines())),
    "text_data_file": ("data", lambda text: re.search(r"^\s*(?:- )?name:[ \t]+[^\"'\n]", text, re.MULTILINE) is not None),
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each rule runs once per file of each chosen clinic (--clinic, or every clinic): a test of that clinic,
    marked per_clinic, so CI runs it in the clinic's own job and one clinic's files never stop another's."""
    for name, (kind, wanted) in KINDS.items():
        if name in metafunc.fixturenames:
            params, seen = [], set()
            for config in selected_configs(metafunc.config):
                for relative in files_of(config)[kind]:
                    if (config, relative) not in seen and wanted((ROOT / relative).read_text(encoding="utf-8")):
                        seen.add((config, relative))
                        params.append(pytest.param((config, relative), id=f"{clinic_name(config)}:{relative}",
                                                   marks=pytest.mark.per_clinic))
            metafunc.parametrize(name, params)


# A line `key: value` (or `- key: value`) whose value is one plain word or sentence: where the rules put their value.
PLAIN_VALUE = re.compile(r"^(?P<lead>\s*(?:- )?[A-Za-z_][\w-]*:[ \t]+)(?P<value>[^\s\"'\[\]{}|>&*!#%@`][^#\n]*?)[ \t]*$")
INDENTED_KEY = re.compile(r"^(?P<indent> {2,})[A-Za-z_][\w-]*:")
BOOLEAN = re.compile(r"^(?P<lead>\s*(?:- )?[A-Za-z_][\w-]*:[ \t]+)(?P<value>true|false)[ \t]*$")
TIME = re.compile(r"^(?P<lead>\s*(?:opens|closes):[ \t]+)\"?(?P<hour>\d{1,2}):(?P<minute>\d{2})\"?[ \t]*$")


# How the build reads each kind of file, on a copy.

def load_data(project: Path, config: Path) -> object:
    """The build's loading of a clinic's data (with the shared data), from a copy of the project."""
    folder = project / clinic_folder(config).relative_to(ROOT)
    return load_clinic_data(folder, project / "data")


def data_copy(tmp_path: Path, relative: str, change) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "data", project / "data")
    shutil.copytree(ROOT / "clinics", project / "clinics")
    path = project / relative
    path.write_bytes(change(path.read_bytes().decode("utf-8")).encode("utf-8") if callable(change) else change)
    return project


def front_matter_text(text: str) -> str:
    match = re.match(r"\A---\n(.*?\n)---\n", text, re.DOTALL)
    return match.group(1) if match else ""


def front_matter(relative: str) -> tuple[str, str]:
    """(the page's whole text, its front matter's text)."""
    text = (ROOT / relative).read_text(encoding="utf-8")
    raw = front_matter_text(text)
    assert raw, f"{relative} has no front matter"
    return text, raw


def values(data) -> dict:
    """Everything the build read from the data, but the files' line records."""
    return {item.name: getattr(data, item.name) for item in dataclasses.fields(data) if item.name not in ("documents", "folder")}


def first_line(text: str, pattern: re.Pattern, offset: int = 0) -> tuple[int, re.Match]:
    """The first line (1-based, counted from `offset` + 1) that matches `pattern`."""
    for number, line in enumerate(text.split("\n"), start=1 + offset):
        if match := pattern.match(line):
            return number, match
    pytest.skip("no line of this kind in the file")


def replace_line(text: str, number: int, new: str, offset: int = 0) -> str:
    lines = text.split("\n")
    lines[number - 1 - offset] = new
    return "\n".join(lines)


# Mistakes in how a line is written: refused in every file, at the line, with the key.

MISTAKES = {
    # name: (how to change the first plain `key: value` line, words the message must hold)
    "a note after a value": (lambda match: f"{match.group('lead')}{match.group('value')}  # checked in May",
                             "'# checked in May') is read as a comment"),
    "a note after a quoted value": (lambda match: f"{match.group('lead')}\"{match.group('value')}\"  # checked in May",
                                    "notes go on a line of their own"),
    "a note after a [list]": (lambda match: f"{match.group('lead')}[{match.group('value')}]  # checked in May",
                              "notes go on a line of their own"),
}


def staff_error_at(error: StaffError, relative: str, line: int) -> None:
    assert error.file.endswith(relative), f"the message names {error.file}, not {relative}: {error}"
    assert error.line == line, f"the message names line {error.line}, not {line}: {error}"


@pytest.mark.parametrize("mistake", MISTAKES)
def test_data_file_refuses_a_note_after_a_value(data_file, mistake, tmp_path):
    config, relative = data_file
    change, words = MISTAKES[mistake]
    text = (ROOT / relative).read_text(encoding="utf-8")
    number, match = first_line(text, PLAIN_VALUE)
    project = data_copy(tmp_path, relative, replace_line(text, number, change(match)).encode("utf-8"))
    with pytest.raises(StaffError) as caught:
        load_data(project, config)
    staff_error_at(caught.value, relative, number)
    assert words in str(caught.value) and "line of its own" in caught.value.fix


@pytest.mark.parametrize("mistake", MISTAKES)
def test_front_matter_refuses_a_note_after_a_value(page_file, mistake):
    config, relative = page_file
    change, words = MISTAKES[mistake]
    text, raw = front_matter(relative)
    number, match = first_line(raw, PLAIN_VALUE, offset=1)
    changed = replace_line(text, number, change(match))
    with pytest.raises(StaffError) as caught:
        read_front_matter(changed, ROOT / relative)
    staff_error_at(caught.value, relative, number)
    assert words in str(caught.value) and "line of its own" in caught.value.fix


@pytest.mark.parametrize("mistake", MISTAKES)
def test_config_refuses_a_note_after_a_value(config_file, mistake, tmp_path):
    config, relative = config_file
    change, words = MISTAKES[mistake]
    text = (ROOT / relative).read_text(encoding="utf-8")
    number, match = first_line(text, re.compile(r"^(?P<lead>site_name:[ \t]+)(?P<value>[^\"'#\n]+?)[ \t]*$"))
    path = tmp_path / "mkdocs.yml"
    path.write_text(replace_line(text, number, change(match)), encoding="utf-8")
    with pytest.raises(StaffError) as caught:
        read_config_keys(path)
    assert caught.value.line == number and words in str(caught.value)


def test_data_file_refuses_a_key_written_twice(data_file, tmp_path):
    config, relative = data_file
    text = (ROOT / relative).read_text(encoding="utf-8")
    number, match = first_line(text, PLAIN_VALUE)
    twice = match.group(0).replace("- ", "  ", 1) if match.group("lead").lstrip().startswith("- ") else match.group(0)
    project = data_copy(tmp_path, relative, replace_line(text, number, f"{match.group(0)}\n{twice}").encode("utf-8"))
    with pytest.raises(StaffError) as caught:
        load_data(project, config)
    staff_error_at(caught.value, relative, number + 1)
    assert "written twice" in caught.value.problem and "Keep one" in caught.value.fix


def test_front_matter_refuses_a_key_written_twice(page_file):
    config, relative = page_file
    text, raw = front_matter(relative)
    number, match = first_line(raw, PLAIN_VALUE, offset=1)
    with pytest.raises(StaffError) as caught:
        read_front_matter(replace_line(text, number, f"{match.group(0)}\n{match.group(0)}"), ROOT / relative)
    staff_error_at(caught.value, relative, number + 1)
    assert "written twice" in caught.value.problem


def test_data_file_refuses_a_tab_indent(data_file, tmp_path):
    config, relative = data_file
    text = (ROOT / relative).read_text(encoding="utf-8")
    number, match = first_line(text, INDENTED_KEY)
    line = text.split("\n")[number - 1]
    project = data_copy(tmp_path, relative, replace_line(text, number, "\t" + line[len(match.group("indent")):]).encode("utf-8"))
    with pytest.raises(StaffError) as caught:
        load_data(project, config)
    assert caught.value.file.endswith(relative) and caught.value.line in (number - 1, number), str(caught.value)
    assert "not valid YAML" in caught.value.problem


# What builds as meant: the same values as the file as it is.

AS_MEANT = {
    "Windows line ends": lambda text: text.replace("\n", "\r\n"),
    "a byte-order mark": lambda text: "\ufeff" + text,
    "a non-breaking space pasted after a colon": lambda text: re.sub(r"^(\s*[A-Za-z_]\w*:) (?=\S)", "\\1\u00a0", text, count=1,
                                                                      flags=re.MULTILINE),
}


@pytest.mark.parametrize("change", AS_MEANT)
def test_data_file_reads_the_same_with(data_file, change, tmp_path):
    config, relative = data_file
    unchanged = values(load_data(data_copy(tmp_path / "before", relative, lambda text: text), config))
    assert values(load_data(data_copy(tmp_path / "after", relative, AS_MEANT[change]), config)) == unchanged


@pytest.mark.parametrize("change", AS_MEANT)
def test_front_matter_reads_the_same_with(page_file, change):
    config, relative = page_file
    path = ROOT / relative
    text = path.read_text(encoding="utf-8")
    before = read_front_matter(text, path)
    after = read_front_matter(decode(AS_MEANT[change](text).encode("utf-8"), path), path)  # the build decodes each page so
    assert after[0] == before[0]


# Yes/no settings: true or false, Yes or No (any capitals); anything else is refused with the fix.



@pytest.mark.parametrize("written", ["Yes", "No", "yes", "NO"])
def test_every_yes_no_setting_in_data_takes_yes_and_no(bool_data_file, written, tmp_path):
    config, relative = bool_data_file
    text = (ROOT / relative).read_text(encoding="utf-8")
    meaning = written.lower() == "yes"
    lines = text.split("\n")
    targets = [number for number, line in enumerate(lines, 1) if (match := BOOLEAN.match(line)) and (match.group("value") == "true") == meaning]
    if not targets:
        pytest.skip(f"no setting that is {str(meaning).lower()} here")
    changed = "\n".join(BOOLEAN.sub(lambda match: match.group("lead") + written, line) if number in targets else line
                        for number, line in enumerate(lines, 1))
    unchanged = values(load_data(data_copy(tmp_path / "before", relative, lambda same: same), config))
    assert values(load_data(data_copy(tmp_path / "after", relative, lambda _: changed), config)) == unchanged


def test_every_yes_no_setting_in_data_refuses_other_words(bool_data_file, tmp_path):
    config, relative = bool_data_file
    text = (ROOT / relative).read_text(encoding="utf-8")
    number, match = first_line(text, BOOLEAN)
    project = data_copy(tmp_path, relative, replace_line(text, number, match.group("lead") + "maybe").encode("utf-8"))
    with pytest.raises(StaffError) as caught:
        load_data(project, config)
    staff_error_at(caught.value, relative, number)
    assert "'maybe' is not true or false" in caught.value.problem and "true or false" in caught.value.fix


@pytest.mark.parametrize("written", ["Yes", "No", "yes", "NO"])
def test_every_yes_no_setting_in_front_matter_takes_yes_and_no(bool_page_file, written):
    config, relative = bool_page_file
    text, raw = front_matter(relative)
    meaning = written.lower() == "yes"
    number, match = first_line(raw, re.compile(BOOLEAN.pattern.replace("true|false", str(meaning).lower())), offset=1)
    before = read_front_matter(text, ROOT / relative)[0]
    after = read_front_matter(replace_line(text, number, match.group("lead") + written), ROOT / relative)[0]
    key = match.group("lead").strip().rstrip(":")
    assert getattr(after, key) is meaning
    assert after.model_dump(exclude={key}) == before.model_dump(exclude={key})


def test_every_yes_no_setting_in_front_matter_refuses_other_words(bool_page_file):
    config, relative = bool_page_file
    text, raw = front_matter(relative)
    number, match = first_line(raw, BOOLEAN, offset=1)
    with pytest.raises(StaffError) as caught:
        read_front_matter(replace_line(text, number, match.group("lead") + "maybe"), ROOT / relative)
    staff_error_at(caught.value, relative, number)
    assert "'maybe' is not true or false" in caught.value.problem


# Times: 24-hour (08:00, 8:00, 17:30) or with am/pm (8am, 5:30 pm, 6 p.m.); each read as the same time.

def twelve_hour(hour: int, minute: int, style: int) -> str:
    shown = hour % 12 or 12
    half = ("am", "pm")[hour >= 12]
    minutes = f":{minute:02d}" if minute or style == 2 else ""
    return (f"{shown}{minutes}{half}", f"{shown}{minutes} {half.upper()}", f"{shown}{minutes} {half[0]}.m.")[style]




@pytest.mark.parametrize("style", [0, 1, 2], ids=["6pm", "6 PM", "6:00 p.m."])
def test_every_time_takes_am_and_pm(time_data_file, style, tmp_path):
    config, relative = time_data_file
    text = (ROOT / relative).read_text(encoding="utf-8")
    changed = re.sub(TIME.pattern, lambda match: match.group("lead") + twelve_hour(int(match.group("hour")), int(match.group("minute")), style),
                     text, flags=re.MULTILINE)
    assert changed != text
    unchanged = values(load_data(data_copy(tmp_path / "before", relative, lambda same: same), config))
    assert values(load_data(data_copy(tmp_path / "after", relative, lambda _: changed), config)) == unchanged


@pytest.mark.parametrize("written", ["6", "six", "25:00", "6:75", "13pm"])
def test_every_time_refuses_what_is_not_a_time(time_data_file, written, tmp_path):
    config, relative = time_data_file
    text = (ROOT / relative).read_text(encoding="utf-8")
    number, match = first_line(text, TIME)
    project = data_copy(tmp_path, relative, replace_line(text, number, match.group("lead") + written).encode("utf-8"))
    with pytest.raises(StaffError) as caught:
        load_data(project, config)
    staff_error_at(caught.value, relative, number)
    assert f"'{written}' is not a time" in caught.value.problem and '"18:00"' in caught.value.fix


def test_a_time_is_read_as_written():
    from clinic_site.schema import OpeningHours

    for written, meant in (("8:00", time(8)), ("08:00", time(8)), ("17:30", time(17, 30)), ("6pm", time(18)),
                           ("6 PM", time(18)), ("6:30 p.m.", time(18, 30)), ("12am", time(0)), ("12pm", time(12))):
        assert OpeningHours.model_validate({"days": ["Monday"], "opens": "00:00" if meant != time(0) else written,
                                            "closes": written if meant != time(0) else "23:59"}).model_dump()[
            "closes" if meant != time(0) else "opens"] == meant, written


# Text that looks like a yes, a number or a time stays the text typed.



@pytest.mark.parametrize("written", ["Yes", "No", "1600", "8:00"])
def test_text_that_looks_like_a_yes_or_a_number_stays_text(text_data_file, written, tmp_path):
    config, relative = text_data_file
    text = (ROOT / relative).read_text(encoding="utf-8")
    number, match = first_line(text, re.compile(r"^(?P<lead>\s*(?:- )?name:[ \t]+)(?P<value>[^\"'\n].*)$"))
    project = data_copy(tmp_path, relative, replace_line(text, number, match.group("lead") + written).encode("utf-8"))
    document = load_data(project, config).documents[Path(relative).name]
    assert written in [value for _, value in texts(document.value)]


@pytest.mark.parametrize("written", ["Yes", "1600"])
def test_a_title_that_looks_like_a_yes_or_a_number_stays_text(page_file, written):
    config, relative = page_file
    text, raw = front_matter(relative)
    number, match = first_line(raw, re.compile(r"^(?P<lead>title:[ \t]+)(?P<value>.*)$"), offset=1)
    assert read_front_matter(replace_line(text, number, match.group("lead") + written), ROOT / relative)[0].title == written
