"""The README and the handbook say what the code does: the data tables are the schema's, the tables name
every folder, module, macro, page key and command there is, and every link and #anchor leads somewhere."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest
from conftest import ROOT
from pymdownx.slugs import slugify
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from clinic_site.macros import MacroContext, make_macros, page_variables
from clinic_site.pages.front_matter import PageMeta
from tools.data_reference import PAGE as DATA_PAGE
from tools.data_reference import readme_block, reference

HANDBOOK = ROOT / "handbook"
README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDES = sorted(HANDBOOK.glob("*.md"))
DOCUMENTS = [ROOT / "README.md", *GUIDES]
README_MOST_LINES = 120


def guide(name: str) -> str:
    return (HANDBOOK / name).read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    """From the heading `## <title>` (any level) to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(title)}\s*$", text, re.MULTILINE)
    assert match, f"no heading {title!r}"
    level = len(match.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", re.MULTILINE).search(text, match.end())
    return text[match.start():end.start() if end else None]


def rendered(path: Path) -> HTMLParser:
    """The Markdown as GitHub shows it: headings get GitHub's ids (lowercase, punctuation dropped, spaces to -)."""
    converter = markdown.Markdown(extensions=["toc", "tables", "fenced_code"],
                                  extension_configs={"toc": {"slugify": slugify(case="lower")}})
    return HTMLParser(converter.convert(path.read_text(encoding="utf-8")))


def anchors(path: Path) -> list[str]:
    return [node.attributes["id"] for node in rendered(path).css("h1, h2, h3, h4, h5, h6") if node.attributes.get("id")]


def test_readme_is_short_and_points_into_the_handbook():
    lines = README.count("\n") + 1
    assert lines <= README_MOST_LINES, f"README.md has {lines} lines; keep it to {README_MOST_LINES} and move the rest into handbook/"
    for page in GUIDES:
        if page.name != "README.md":
            assert f"handbook/{page.name}" in README or f"({page.name})" in guide("README.md"), (
                f"neither README.md nor handbook/README.md links handbook/{page.name}")


def test_the_handbook_index_lists_every_guide():
    index = guide("README.md")
    for page in GUIDES:
        if page.name != "README.md":
            assert f"]({page.name})" in index, f"handbook/README.md does not list {page.name}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=[path.relative_to(ROOT).as_posix() for path in DOCUMENTS])
def test_every_link_and_anchor_leads_somewhere(document: Path):
    problems = []
    ids = anchors(document)
    duplicates = {anchor for anchor in ids if ids.count(anchor) > 1}
    if duplicates:
        problems.append(f"two headings with the same anchor (GitHub would number them): {sorted(duplicates)}")
    for link in rendered(document).css("a[href]"):
        href = link.attributes["href"] or ""
        parts = urlsplit(href)
        if parts.scheme in ("http", "https", "mailto"):
            continue
        assert not parts.scheme, f"{document.name}: unexpected link {href}"
        target = (document.parent / unquote(parts.path)).resolve() if parts.path else document
        if not target.exists():
            problems.append(f"{href}: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} does not exist")
            continue
        if not target.resolve().is_relative_to(ROOT):
            problems.append(f"{href}: leads out of the repository")
        if parts.fragment:
            if target.suffix != ".md":
                problems.append(f"{href}: an #anchor into a file that is not Markdown")
            elif unquote(parts.fragment) not in anchors(target):
                problems.append(f"{href}: {target.name} has no heading with the anchor #{parts.fragment}")
    assert not problems, f"{document.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_the_data_tables_are_the_schemas():
    assert readme_block(DATA_PAGE.read_text(encoding="utf-8")) == reference().strip(), (
        f"{DATA_PAGE.relative_to(ROOT)}'s data tables and the schema disagree: run `python -m tools.data_reference --write`")


def test_where_things_live_names_every_folder_and_module():
    developers = guide("developers.md")
    table = section(developers, "Where things live")
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True, cwd=ROOT).stdout.split()
    top = {path.split("/")[0] for path in tracked if "/" in path}
    for folder in top - {".gitignore"}:
        assert f"`{folder}/" in table or f"`{folder}`" in table, f"handbook/developers.md 'Where things live' does not name {folder}/"
    code = section(developers, "How the code is built")
    for module in (ROOT / "hooks" / "clinic_site").rglob("*.py"):
        if module.name != "__init__.py" and module.parent.name != "admin":
            name = module.relative_to(ROOT / "hooks" / "clinic_site").as_posix()
            assert f"`{module.name}`" in code or f"`{name}`" in code or f"`{module.parent.name}/`" in code, (
                f"handbook/developers.md 'How the code is built' does not name {name}")
    for tool in (ROOT / "tools").glob("*.py"):
        if tool.name != "__init__.py":
            assert f"`{tool.name}`" in table, f"handbook/developers.md 'Where things live' does not name tools/{tool.name}"


def test_every_macro_and_variable_is_in_the_table(clinic_data):
    data = clinic_data
    context = MacroContext(data, date(2026, 11, 22), None, lambda: None, str, list)
    table = section(guide("staff.md"), "Editing a page")
    for name in make_macros(context):
        assert f"{{{{ {name}(" in table, f"handbook/staff.md 'Editing a page' does not show the macro {name}()"
    for name in page_variables(data, date(2026, 11, 22)):
        assert re.search(rf"\b{name}\b", table), f"handbook/staff.md 'Editing a page' does not name the variable {name}"


def test_every_page_key_is_named():
    table = section(guide("staff.md"), "Editing a page")
    for key in PageMeta.model_fields:
        assert f"`{key}`" in table, f"handbook/staff.md does not name the front matter key {key}"


def test_the_commands_are_documented_as_the_makefile_has_them():
    makefile = (ROOT / "Makefile").read_text()
    everything = "\n".join(path.read_text(encoding="utf-8") for path in DOCUMENTS)
    for command in re.findall(r"`make ([a-z-]+)", everything):
        assert re.search(rf"^{command}:", makefile, re.MULTILINE), f"the documents name `make {command}`, which the Makefile lacks"
    phony = re.search(r"^\.PHONY: (.*)$", makefile, re.MULTILINE).group(1).split()
    commands = section(guide("README.md"), "Commands")
    for target in set(phony) - {"system-deps"}:  # system-deps: a step of `make test`, not a command of its own
        assert f"`make {target}" in commands, f"handbook/README.md 'Commands' does not explain `make {target}`"
    assert "make serve CONFIG=clinics/" in README and "make test CONFIG=clinics/" in README


def test_the_clinic_config_keys_are_explained():
    table = section(guide("clinic-setup.md"), "`mkdocs.yml`: your site's config file")
    for config in (ROOT / "clinics").glob("*/mkdocs.yml"):
        for line in config.read_text().splitlines():
            if re.match(r"^[a-zA-Z_]+:", line):
                assert f"| `{line.split(':')[0]}` |" in table, f"handbook/clinic-setup.md does not explain {config.name} key {line.split(':')[0]}"


def test_every_staff_message_is_in_the_staff_guide():
    """Each row of the staff-mistakes table has its message in handbook/staff.md, made by the build
    (tools/staff_messages.py); the row's own checks hold for the text shown there."""
    from tools.staff_messages import block, table, title

    rows, _ = table()
    listed = block(guide("staff.md"))
    for row in rows:
        if row.builds:
            assert title(row.id).lower() in listed.lower(), f"handbook/staff.md does not list '{row.id}' among what builds as meant"
            continue
        marker = f"(`{row.id}`)"
        assert marker in listed, f"handbook/staff.md has no message for '{row.id}': run `python -m tools.staff_messages --write`"
        entry = re.split(r"\n\n(?=\*\*|###)", listed[listed.index(marker):], maxsplit=1)[0]
        for words in ((row.where,) if row.where and not row.mkdocs_shape else ()) + row.words:
            assert words in entry, f"handbook/staff.md's message for '{row.id}' lacks {words!r}: run `python -m tools.staff_messages --write`"
