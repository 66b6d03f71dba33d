"""A clinic's config that INHERITs mkdocs.yml must list the same hooks, or the build stops saying what to paste."""

from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from clinic_config import check_hooks, expected_hooks
from conftest import ROOT, build, copy_project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_expected_hooks_are_written_from_the_clinic_folder(tmp_path):
    base = write(tmp_path / "mkdocs.yml", "site_name: A\nhooks:\n  - hooks/one.py\n  - hooks/two.py\n")
    clinic = tmp_path / "examples" / "b" / "mkdocs.yml"
    assert expected_hooks(clinic, base) == ["../../hooks/one.py", "../../hooks/two.py"]


def test_same_hooks_pass_and_the_base_itself_is_not_checked(tmp_path):
    base = write(tmp_path / "mkdocs.yml", "site_name: A\nhooks:\n  - hooks/one.py\n")
    check_hooks(tmp_path / "examples" / "b" / "mkdocs.yml", ["../../hooks/one.py"], base)
    check_hooks(base, [], base)


@pytest.mark.parametrize("hooks", [[], ["../../hooks/two.py", "../../hooks/one.py"], ["../../hooks/one.py"]])
def test_missing_or_reordered_hooks_stop_with_the_list_to_paste(tmp_path, hooks):
    base = write(tmp_path / "mkdocs.yml", "site_name: A\nhooks:\n  - hooks/one.py\n  - hooks/two.py\n")
    clinic = tmp_path / "examples" / "b" / "mkdocs.yml"
    with pytest.raises(PluginError) as caught:
        check_hooks(clinic, hooks, base)
    message = str(caught.value)
    assert message.startswith(f"{clinic}: 'hooks' must list the same files as ../../mkdocs.yml, in the same order")
    assert message.endswith("Set it to:\nhooks:\n  - ../../hooks/one.py\n  - ../../hooks/two.py")


def test_clinic_b_build_stops_when_a_hook_is_missing(tmp_path):
    root = copy_project(tmp_path / "project").parent
    source = ROOT / "examples" / "clinic-b"
    config = write(root / "examples" / "clinic-b" / "mkdocs.yml", (source / "mkdocs.yml").read_text().replace("  - ../../hooks/macros.py\n", ""))
    (config.parent / "data").symlink_to(source / "data")
    result = build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "mkdocs.yml: 'hooks' must list the same files as ../../mkdocs.yml" in result.stderr
    assert "  - ../../hooks/macros.py" in result.stderr
