"""A clinic's config that INHERITs mkdocs.yml: the same hooks, its own name and address, or the build stops saying what to set."""

from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from clinic_config import check_clinic_config, check_hooks, expected_hooks, read_config
from conftest import ROOT, build, copy_project

BASE = (
    "site_name: Harbor\nsite_url: https://harbor.example/\nhooks:\n  - hooks/one.py\n  - hooks/two.py\n"
    "extra:\n  clinic_data:\n    - data/common\n    - data/harbor\n"
)
OWN = {
    "site_name": "Willow", "site_url": "https://willow.example/", "hooks": ["../../hooks/one.py", "../../hooks/two.py"],
    "extra": {"clinic_data": ["../../data/common", "data"]},
}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def base(tmp_path) -> Path:
    return write(tmp_path / "mkdocs.yml", BASE)


@pytest.fixture
def clinic(tmp_path) -> Path:
    return tmp_path / "examples" / "willow" / "mkdocs.yml"


def test_expected_hooks_are_written_from_the_clinic_folder(base, clinic):
    assert expected_hooks(clinic, base) == ["../../hooks/one.py", "../../hooks/two.py"]


def test_a_clinic_config_with_its_own_keys_passes_and_the_default_is_not_checked(base, clinic):
    check_clinic_config(clinic, OWN, base)
    check_clinic_config(base, {"site_name": "Harbor", "site_url": "https://harbor.example/", "hooks": []}, base)


@pytest.mark.parametrize("hooks", [[], ["../../hooks/two.py", "../../hooks/one.py"], ["../../hooks/one.py"]])
def test_missing_or_reordered_hooks_stop_with_the_list_to_paste(base, clinic, hooks):
    with pytest.raises(PluginError) as caught:
        check_hooks(clinic, hooks, base)
    message = str(caught.value)
    assert message.startswith(f"{clinic}: 'hooks' must list the same files as ../../mkdocs.yml, in the same order")
    assert message.endswith("Set it to:\nhooks:\n  - ../../hooks/one.py\n  - ../../hooks/two.py")


@pytest.mark.parametrize(("key", "default"), [("site_name", "Harbor"), ("site_url", "https://harbor.example/")])
def test_a_key_left_at_the_default_clinic_value_stops_the_build(base, clinic, key, default):
    with pytest.raises(PluginError) as caught:
        check_clinic_config(clinic, {**OWN, key: default}, base)
    assert str(caught.value) == f"{clinic}: '{key}' is still the default clinic's ('{default}'). Set {key} to your clinic's own."


def test_a_variant_config_of_the_default_clinic_keeps_its_name(base, clinic):
    """Same data folders, same clinic: a config that only changes the nav keeps the default's name and address."""
    variant = {**OWN, "site_name": "Harbor", "site_url": "https://harbor.example/",
               "extra": {"clinic_data": ["../../data/common", "../../data/harbor"]}}
    check_clinic_config(clinic, variant, base)


def clinic_b_copy(tmp_path: Path, change) -> Path:
    root = copy_project(tmp_path / "project").parent
    source = ROOT / "examples" / "clinic-b"
    config = write(root / "examples" / "clinic-b" / "mkdocs.yml", change((source / "mkdocs.yml").read_text()))
    (config.parent / "data").symlink_to(source / "data")
    return config


def test_clinic_b_build_stops_when_a_hook_is_missing(tmp_path):
    config = clinic_b_copy(tmp_path, lambda text: text.replace("  - ../../hooks/macros.py\n", ""))
    result = build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "mkdocs.yml: 'hooks' must list the same files as ../../mkdocs.yml" in result.stderr
    assert "  - ../../hooks/macros.py" in result.stderr


def test_clinic_b_build_stops_when_site_name_is_not_set(tmp_path):
    config = clinic_b_copy(tmp_path, lambda text: "\n".join(line for line in text.splitlines() if not line.startswith("site_name:")))
    result = build(config, tmp_path / "site")
    assert result.returncode != 0
    default = read_config(ROOT / "mkdocs.yml")["site_name"]
    assert f"mkdocs.yml: 'site_name' is still the default clinic's ('{default}'). Set site_name to your clinic's own." in result.stderr
