"""README.md says what the code does: its data tables are the schema's, and its tables name every
folder, module, macro and page key there is."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

from clinic_site.macros import MacroContext, make_macros, page_variables
from clinic_site.pages.front_matter import PageMeta
from conftest import ROOT
from tools.data_reference import reference, readme_block

README = (ROOT / "README.md").read_text()


def section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def test_the_data_tables_are_the_schemas():
    assert readme_block(README) == reference().strip(), (
        "README.md's data tables and the schema disagree: run `python -m tools.data_reference --write`")


def test_where_things_live_names_every_folder_and_module():
    table = section("Where things live")
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True, cwd=ROOT).stdout.split()
    top = {path.split("/")[0] for path in tracked if "/" in path}
    for folder in top - {".gitignore"}:
        assert f"`{folder}/" in table or f"`{folder}`" in table, f"README 'Where things live' does not name {folder}/"
    code = section("How the code is built")
    for module in (ROOT / "hooks" / "clinic_site").glob("*.py"):
        if module.name != "__init__.py":
            assert f"`{module.name}`" in code, f"README 'How the code is built' does not name {module.name}"
    for tool in (ROOT / "tools").glob("*.py"):
        if tool.name != "__init__.py":
            assert f"`{tool.name}`" in table, f"README 'Where things live' does not name tools/{tool.name}"


def test_every_macro_and_variable_is_in_the_table(clinic_data):
    data = clinic_data
    context = MacroContext(data, date(2026, 11, 22), None, lambda: None, str, list)
    table = section("Editing a page")
    for name in make_macros(context):
        assert f"{{{{ {name}(" in table, f"README 'Editing a page' does not show the macro {name}()"
    for name in page_variables(data, date(2026, 11, 22)):
        assert re.search(rf"\b{name}\b", table), f"README 'Editing a page' does not name the variable {name}"


def test_every_page_key_is_named():
    table = section("Editing a page")
    for key in PageMeta.model_fields:
        assert f"`{key}`" in table, f"README does not name the front matter key {key}"


def test_the_commands_are_documented_as_the_makefile_has_them():
    makefile = (ROOT / "Makefile").read_text()
    for command in re.findall(r"`make ([a-z-]+)", README):
        assert re.search(rf"^{command}:", makefile, re.MULTILINE), f"README names `make {command}`, which the Makefile lacks"
    assert "make test CONFIG=clinics/" in README and "make new-clinic NAME=" in README


def test_the_clinic_config_keys_are_explained():
    table = section("Start a site for your clinic")
    for config in (ROOT / "clinics").glob("*/mkdocs.yml"):
        for line in config.read_text().splitlines():
            if re.match(r"^[a-zA-Z_]+:", line):
                assert f"| `{line.split(':')[0]}` |" in table, f"README does not explain {config.name} key {line.split(':')[0]}"
    assert Path(ROOT / "clinics").is_dir()
