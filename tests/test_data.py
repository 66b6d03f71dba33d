"""Clinic data errors: each bad input stops the build with one message naming the file and the line or key."""

from pathlib import Path

import pytest
import yaml

from clinic_data import DataError, load_clinic_data
from conftest import ROOT, build

FOLDERS = [ROOT / "data" / "common", ROOT / "data" / "clinic-a"]


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    """Copies of the real data folders, to break on purpose."""
    copies = []
    for folder in FOLDERS:
        copy = tmp_path / folder.name
        copy.mkdir()
        for path in folder.iterdir():
            (copy / path.name).write_text(path.read_text())
        copies.append(copy)
    return copies


def edit_yaml(path: Path, change) -> None:
    value = yaml.safe_load(path.read_text())
    change(value)
    path.write_text(yaml.safe_dump(value, sort_keys=False, allow_unicode=True))


def load_error(folders: list[Path]) -> str:
    with pytest.raises(DataError) as caught:
        load_clinic_data(folders)
    return str(caught.value)


def test_real_data_loads():
    data = load_clinic_data(FOLDERS)
    assert data.clinic.name and data.conditions and data.faq and data.references


def test_broken_yaml_names_file_and_line(folders):
    path = folders[1] / "conditions.yml"
    lines = path.read_text().splitlines()
    lines[6] = lines[6] + ":"  # a stray colon: `name: x:` is not a mapping YAML accepts
    lines.insert(7, "  category pain")  # a key with no colon
    path.write_text("\n".join(lines))
    message = load_error(folders)
    assert str(path) in message and "line " in message and "not valid YAML" in message


def test_missing_required_key_names_file_line_and_key(folders):
    path = folders[1] / "conditions.yml"
    edit_yaml(path, lambda conditions: conditions[2].pop("description"))
    message = load_error(folders)
    assert message.startswith(f"{path}, line ")
    assert "item 3 (id 'refractory-chronic-pain')" in message
    assert "the required key 'description' is missing" in message


def test_unknown_key_is_named_as_a_typo(folders):
    path = folders[1] / "clinic.yml"
    edit_yaml(path, lambda clinic: clinic.update(phnoe="x"))
    message = load_error(folders)
    assert f"{path}, line" in message and "'phnoe' is not a known key" in message


def test_wrong_type_names_the_key_path(folders):
    path = folders[1] / "clinic.yml"
    edit_yaml(path, lambda clinic: clinic["policies"]["fasting"].update(hours="three"))
    message = load_error(folders)
    assert "key 'policies.fasting.hours'" in message and "valid integer" in message


def test_duplicate_id_names_the_line(folders):
    path = folders[0] / "side_effects.yml"
    edit_yaml(path, lambda effects: effects.append(dict(effects[0])))
    message = load_error(folders)
    assert f"{path}, line" in message and "the id 'dizziness' is used twice" in message


def test_unknown_reference_in_data(folders):
    path = folders[0] / "faq.yml"
    edit_yaml(path, lambda faq: faq[0]["cites"].append("smith-1999"))
    assert "unknown reference id 'smith-1999'" in load_error(folders)


def test_missing_data_file(folders):
    (folders[1] / "conditions.yml").unlink()
    assert "data file conditions.yml is missing" in load_error(folders)


def test_misspelt_data_file(folders):
    (folders[1] / "conditions.yml").rename(folders[1] / "condition.yml")
    assert "condition.yml: unknown data file" in load_error(folders)


def test_later_folder_overrides_earlier(folders):
    edit_yaml(folders[0] / "screening.yml", lambda rules: rules.clear() or rules.append({"id": "x", "text": "Shared."}))
    (folders[1] / "screening.yml").write_text("- id: own\n  text: The clinic's own rule.\n")
    assert [rule.id for rule in load_clinic_data(folders).screening] == ["own"]


# The same errors, end to end through `mkdocs build --strict`.

def test_build_stops_on_broken_yaml(project, tmp_path):
    path = project.parent / "data" / "clinic-a" / "clinic.yml"
    path.write_text(path.read_text().replace("city: Boise", "city: [Boise"))
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "clinic.yml, line" in result.stderr and "not valid YAML" in result.stderr


def test_build_stops_on_missing_data_file(project, tmp_path):
    (project.parent / "data" / "common" / "faq.yml").unlink()
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "data file faq.yml is missing" in result.stderr


def test_build_stops_on_missing_key(project, tmp_path):
    path = project.parent / "data" / "clinic-a" / "clinic.yml"
    path.write_text(path.read_text().replace("email: care@harborinfusion.example\n", ""))
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "clinic.yml, line 3, key 'email': the required key 'email' is missing" in result.stderr


def test_build_stops_on_unknown_variable_and_names_the_page(project, tmp_path):
    page = project.parent / "docs" / "contact.md"
    page.write_text(page.read_text() + "\nCall {{ clinic.phnoe }} or {{ opening_hourz() }}.\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "contact.md: 'schema.Clinic object' has no attribute 'phnoe'" in result.stderr


def test_build_stops_on_unknown_macro_and_names_the_page(project, tmp_path):
    page = project.parent / "docs" / "faq.md"
    page.write_text(page.read_text() + "\n{{ opening_hourz() }}\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "faq.md: 'opening_hourz' is undefined" in result.stderr


def test_build_stops_on_unknown_condition_id(project, tmp_path):
    page = project.parent / "docs" / "conditions.md"
    page.write_text(page.read_text() + "\n{{ condition('lupus') }}\n")
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "conditions.md: unknown condition id 'lupus'" in result.stderr
