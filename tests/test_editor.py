"""The staff editor at /admin/ (hooks/clinic_site/editor/), on for the clinics whose config turns it on.

- The editor's config, made from the schema at each build, agrees with the schema: every key, whether it
  is required, its choices and its pattern (checked against pydantic's own JSON schema, not the editor's reading).
- yaml-keep.js, which saves the forms, writes every clinic file back byte for byte, and changes only what changed.
- For visitors the site is the same with the editor on or off; /admin/ has its own policy and stays out of
  the sitemap, the search index and every visitor page.
- End to end, offline, on a git copy of the project: decap-server (127.0.0.1, git mode) and the built
  site on a local static host, driven in Debian's Chromium. Staff change the phone, hours, a price, a
  condition and a page's text; each change is saved as a branch and published; exactly those lines change
  on disk; the strict build shows the new facts. Invalid values are refused with the schema's help.
  axe's findings on the editor's screens are reported (written to test-artifacts/editor/).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import ROOT, TODAY, build, built_path, copy_project, html_pages, read_clinic, settle
from mkdocs.config import load_config
from pydantic import BaseModel, TypeAdapter
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from static_host import headers_for, read_rules
from test_accessibility import RUN_AXE, WCAG_TAGS, axe_source

from clinic_site import schema
from clinic_site.data.load import load_clinic_data
from clinic_site.editor import config as editor_config_module
from clinic_site.editor.config import editor_config
from clinic_site.editor.files import UPLOAD_TYPES, admin_policy, headers_rule
from clinic_site.editor.forms import PAGE_PATTERN, TIME_PATTERN
from clinic_site.editor.settings import Editor, read_settings
from clinic_site.errors import StaffError
from clinic_site.pages.front_matter import OwnPageMeta, PageMeta
from clinic_site.pages.plan import markdown_files
from clinic_site.pages.record import read_page
from clinic_site.schema import FILES
from clinic_site.yamlfile import read_yaml
from tools.new_clinic import files_for
from tools.project import clinic_name

NODE_MODULES = ROOT / "node_modules"
YAML_MODULE = NODE_MODULES / "yaml" / "browser" / "index.js"
ARTIFACTS = ROOT / "test-artifacts" / "editor"


def editor_of(config_file: Path) -> Editor | None:
    settings = load_config(str(config_file))
    return read_settings(settings.plugins["clinic"].config.editor, config_file, settings.repo_url)


EDITOR_CONFIGS = [path for path in [ROOT / "mkdocs.yml", *sorted((ROOT / "clinics").glob("*/mkdocs.yml"))] if editor_of(path)]
EDITOR_IDS = [clinic_name(path) for path in EDITOR_CONFIGS]


def test_a_clinic_in_the_repository_has_the_editor_on():
    """So that CI builds and drives it."""
    assert EDITOR_CONFIGS, "no clinic config turns on plugins.clinic.editor"


# The config agrees with the schema -------------------------------------------------------------------

@dataclass(frozen=True)
class Expected:
    """What a field's choices must be: the ids the build accepts in it (by the field's place, such as
    'conditions.yml: items[].category'), and the site's pages."""

    references: dict[str, list[str]]
    pages: list[str]
    sections: list[str]  # the menu's sections, which a page's menu_section chooses from


def merged(node: dict, defs: dict) -> tuple[dict, bool]:
    """A JSON-schema property with its $ref and `X | None` resolved: (the property, whether null is allowed)."""
    nullable = False
    if "anyOf" in node:
        options = [option for option in node["anyOf"] if option.get("type") != "null"]
        nullable = len(options) < len(node["anyOf"])
        assert len(options) == 1, node
        node = {**{k: v for k, v in node.items() if k != "anyOf"}, **options[0]}
    if "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node, nullable


def disagreements(node: dict, fields: list[dict], defs: dict, expected: Expected, in_optional: bool, where: str) -> list[str]:
    """Every way the editor's fields differ from a model's JSON schema (`node`)."""
    problems = []
    properties, required = node.get("properties", {}), set(node.get("required", []))
    by_name = {field["name"]: field for field in fields}
    problems += [f"{where}{name}: in the schema, not in the editor" for name in properties if name not in by_name]
    problems += [f"{where}{name}: in the editor, not in the schema" for name in by_name if name not in properties]
    for name, prop in properties.items():
        if name not in by_name:
            continue
        field = by_name[name]
        prop, nullable = merged(prop, defs)
        is_required = name in required and not nullable
        if field.get("required", True) != (is_required and not in_optional):
            problems.append(f"{where}{name}: required is {field.get('required', True)} in the editor, "
                            f"{is_required} in the schema{' (inside an optional part)' if in_optional else ''}")
        if not field.get("label"):
            problems.append(f"{where}{name}: no label")
        description = prop.get("description", "").rstrip(".")
        if description and description not in field.get("hint", ""):
            problems.append(f"{where}{name}: the hint does not give the schema's description")
        problems += value_disagreements(prop, field, defs, expected, in_optional or not is_required, f"{where}{name}")
    return problems


def value_disagreements(prop: dict, field: dict, defs: dict, expected: Expected, in_optional: bool, where: str) -> list[str]:
    """How one field's widget, choices, pattern and limits differ from its property in the JSON schema."""
    problems = []

    def expect(key: str, value: object) -> None:
        if key == "options":  # a choice of entries shows each one's name and saves its id
            shown = field.get(key) or []
            if any(isinstance(option, dict) and not option.get("label") for option in shown):
                problems.append(f"{where}: an option without a name")
            if [option["value"] if isinstance(option, dict) else option for option in shown] != value:
                problems.append(f"{where}: {key} is {shown!r} in the editor, {value!r} in the schema")
            return
        if field.get(key) != value:
            problems.append(f"{where}: {key} is {field.get(key)!r} in the editor, {value!r} in the schema")

    choices = choices_of(prop, expected, where)
    if "properties" in prop:
        expect("widget", "object")
        problems += disagreements(prop, field.get("fields", []), defs, expected, in_optional, f"{where}.")
    elif prop.get("type") == "array":
        item, _ = merged(prop["items"], defs)
        expect("min", prop.get("minItems"))
        expect("max", prop.get("maxItems"))
        item_choices = choices_of(item, expected, where)
        if item_choices is not None:
            expect("widget", "select")
            expect("multiple", True)
            expect("options", item_choices)
        elif "properties" in item:
            expect("widget", "list")
            problems += disagreements(item, field.get("fields", []), defs, expected, False, f"{where}[].")
        else:
            expect("widget", "list")
            problems += value_disagreements(item, field.get("field", {}), defs, expected, False, f"{where}[]")
    elif choices is not None:
        expect("widget", "select")
        expect("options", choices)
    elif prop.get("type") == "boolean":
        expect("widget", "boolean")
    elif prop.get("type") in ("integer", "number"):
        expect("widget", "number")
        expect("value_type", "int" if prop["type"] == "integer" else "float")
        expect("min", prop.get("minimum"))
        expect("max", prop.get("maximum"))
    elif prop.get("format") == "date":
        expect("widget", "datetime")
        expect("format", "YYYY-MM-DD")
    elif prop.get("format") == "time":
        expect("widget", "string")
        if not field.get("pattern"):
            problems.append(f"{where}: a time without a pattern")
    elif prop.get("type") == "string":
        if where.endswith(": photo"):  # a page's photo: uploaded, which writes its path (the build checks it)
            expect("widget", "image")
            return problems
        if field.get("widget") not in ("string", "text"):
            problems.append(f"{where}: widget {field.get('widget')!r} for text")
        if "pattern" in prop:
            if (field.get("pattern") or [None])[0] != prop["pattern"]:
                problems.append(f"{where}: pattern {field.get('pattern')!r} in the editor, {prop['pattern']!r} in the schema")
            elif prop.get("description", "").rstrip(".") not in field["pattern"][1]:
                problems.append(f"{where}: the pattern's message does not give the schema's description")
        elif field.get("pattern"):
            problems.append(f"{where}: a pattern the schema does not have")
    else:
        problems.append(f"{where}: a type the check does not know: {prop}")
    return problems


def choices_of(prop: dict, expected: Expected, where: str) -> list | None:
    """A property's choices: a Literal's values, the ids the build accepts there, or the site's pages."""
    if "enum" in prop:
        return prop["enum"]
    if "const" in prop:
        return [prop["const"]]
    if prop.get("pattern") == PAGE_PATTERN:
        return expected.pages
    if prop.get("title") == "Menu Section":
        return expected.sections
    return expected.references.get(where)


UNKNOWN_ID = "zz-no-such-entry"


def references_the_build_checks(clinic_folder: Path, shared_folder: Path, workspace: Path) -> dict[str, list[str]]:
    """Found from the build's behaviour, not from the schema's marks the editor reads: in a copy of the clinic's data,
    one id-like value of each key of its files (except an entry's own id) is replaced by an unknown id. Where the build
    then stops at that key saying there is no entry with that id, the key is a reference, and the ids its message
    lists ("Use one of: ...") are the field's choices. Keyed as config_disagreements names the fields."""
    clinic = Path(shutil.copytree(clinic_folder / "data", workspace / "clinic" / "data")).parent
    shared = Path(shutil.copytree(shared_folder / "data", workspace / "shared"))
    found: dict[str, list[str]] = {}
    for name, known in FILES.items():
        path = clinic / "data" / name
        if known.owner != "clinic" or not path.exists():
            continue
        original = path.read_text()
        value = read_yaml(path).value
        places: dict[str, tuple] = {}

        def walk(node, loc):
            if isinstance(node, dict):
                for key, item in node.items():
                    walk(item, (*loc, key))
            elif isinstance(node, list):
                for index, item in enumerate(node):
                    walk(item, (*loc, index))
            elif isinstance(node, str) and re.fullmatch(schema.ID_PATTERN, node) and loc[-1] != "id":
                where = name + ": " + ("items" if known.is_list else "") + "".join(  # noqa: B023 (called in the loop)
                    "[]" if isinstance(part, int) else ("." if index or known.is_list else "") + part  # noqa: B023
                    for index, part in enumerate(loc))
                places.setdefault(where.removesuffix("[]"), loc)  # noqa: B023

        walk(value, ())
        for where, loc in places.items():
            changed = json.loads(json.dumps(value))
            node = changed
            for part in loc[:-1]:
                node = node[part]
            node[loc[-1]] = UNKNOWN_ID
            path.write_text(yaml.safe_dump(changed, sort_keys=False, allow_unicode=True))
            try:
                load_clinic_data(clinic, shared)
            except StaffError as error:
                if error.file.endswith(name) and f"with the id '{UNKNOWN_ID}'" in error.problem and "Use one of: " in error.fix:
                    found[where] = error.fix.split("Use one of: ", 1)[1].rstrip(".").split(", ")
            finally:
                path.write_text(original)
    return found


def config_disagreements(config: dict, root: Path, clinic_folder: Path, expected: Expected) -> list[str]:
    """Every clinic data file and the clinic's pages against the editor's config."""
    problems = []
    forms = {form["file"]: form for collection in config["collections"] for form in collection.get("files", [])}
    for name, known in FILES.items():
        path = (clinic_folder / "data" / name).relative_to(root).as_posix()
        if known.owner == "shared" or not ((root / path).exists() or known.required):
            problems += [f"{name}: a form for a file that is not the clinic's"] if path in forms else []
            continue
        if path not in forms:
            problems.append(f"{name}: no form")
            continue
        model_schema = known.model.model_json_schema()
        defs = model_schema.get("$defs", {})
        if known.is_list:
            (items,) = forms[path]["fields"]
            wrapper = {"properties": {"items": {"type": "array", "items": model_schema}}, "required": ["items"]}
            problems += disagreements(wrapper, [items], defs, expected, False, f"{name}: ")
        else:
            problems += disagreements(model_schema, forms[path]["fields"], defs, expected, False, f"{name}: ")
    folders = {collection["name"]: collection for collection in config["collections"] if collection.get("folder")}
    for kind, (_, _, below, _) in editor_config_module.PAGE_KINDS.items():
        pages = folders.get(kind)
        if pages is None:
            problems.append(f"{kind}: no collection")
            continue
        if pages["folder"] != "/".join(filter(None, [(clinic_folder / "docs").relative_to(root).as_posix(), below])):
            problems.append(f"{kind}: folder {pages['folder']}")
        if not pages.get("create") or pages.get("delete") is not False:
            problems.append(f"{kind}: staff cannot create, or can delete outside a pull request")
        fields = [field for field in pages["fields"] if field["name"] != "body"]
        # Developers' keys stay out of the form; articles are not in the menu, so they choose no section.
        hidden = {*editor_config_module.DEVELOPER_KEYS, *(["menu_section"] if kind == "articles" else [])}
        page_schema = OwnPageMeta.model_json_schema()
        page_schema["properties"] = {k: v for k, v in page_schema["properties"].items() if k not in hidden}
        problems += disagreements(page_schema, fields, page_schema.get("$defs", {}), expected, False, f"{kind} front matter: ")
        if not any(field["name"] == "body" and field["widget"] == "text" for field in pages["fields"]):
            problems.append(f"{kind}: no body field")
    return problems


@dataclass(frozen=True)
class Generated:
    config: dict
    root: Path
    clinic_folder: Path
    expected: Expected


@pytest.fixture(scope="module", params=EDITOR_CONFIGS, ids=EDITOR_IDS)
def generated(request, tmp_path_factory) -> Generated:
    folders, data, settings = read_clinic(request.param)
    config = editor_config(editor_of(request.param), folders.shared, folders.clinic, data, settings.site_url, settings.nav)
    references = references_the_build_checks(folders.clinic, folders.shared, tmp_path_factory.mktemp("references"))
    assert references, "the build checked no reference in the clinic's files: the oracle found nothing"
    pages = sorted({*markdown_files(folders.shared / "docs"), *markdown_files(folders.clinic / "docs")})
    sections = [next(iter(item)) for item in settings.nav if isinstance(item, dict) and isinstance(next(iter(item.values())), list)]
    return Generated(config, folders.shared, folders.clinic, Expected(references, pages, sections))


def test_the_generated_config_agrees_with_the_schema(generated):
    problems = config_disagreements(generated.config, generated.root, generated.clinic_folder, generated.expected)
    assert not problems, "\n".join(problems)


def test_the_check_finds_each_kind_of_disagreement(generated):
    """Guards the test above: a config that differs from the schema is caught, each way."""
    config = json.loads(json.dumps(generated.config))
    form = next(f for c in config["collections"] for f in c.get("files", []) if f["file"].endswith("/clinic.yml"))
    fields = {field["name"]: field for field in form["fields"]}
    fields["phone"]["required"] = False
    fields["phone"]["pattern"][0] = r"^\d+$"
    fields["email"]["name"] = "e_mail"
    next(f for f in fields["address"]["fields"] if f["name"] == "region")["required"] = False
    fields["payment"]["fields"][1]["options"] = ["self-pay"]
    problems = config_disagreements(config, generated.root, generated.clinic_folder, generated.expected)
    expected = ["clinic.yml: email: in the schema, not in the editor", "clinic.yml: e_mail: in the editor, not in the schema",
                "clinic.yml: phone: required is False", "clinic.yml: phone: pattern", "clinic.yml: address.region: required",
                "clinic.yml: payment.insurance: options"]
    for start in expected:
        assert any(problem.startswith(start) for problem in problems), (start, problems)


def test_patterns_compile_in_the_browser_and_accept_the_schemas_examples(generated, tmp_path):
    """Python and JavaScript read most regular expressions alike; each pattern is tried in Node, as Decap runs it."""
    checks = []

    def collect(fields: list[dict], model: type[BaseModel] | None) -> None:
        for field in fields:
            info = model.model_fields.get(field["name"]) if model else None
            if field.get("pattern"):
                examples = [e for e in (info.examples or []) if isinstance(e, str)] if info else []
                checks.append([field["pattern"][0], examples])
            inner = schema.nested_model(info.annotation) if info else None
            collect(field.get("fields", []), inner)
            if "field" in field:
                collect([field["field"]], None)

    for collection in generated.config["collections"]:
        for form in collection.get("files", []):
            known = FILES[Path(form["file"]).name]
            collect(form["fields"] if not known.is_list else form["fields"][0]["fields"], known.model)
        if collection.get("folder"):
            collect(collection["fields"], PageMeta)
    assert len(checks) >= 8
    script = tmp_path / "patterns.mjs"
    script.write_text("const checks = JSON.parse(process.argv[2]);\n"
                      "console.log(JSON.stringify(checks.map(([p, examples]) => examples.filter(e => !new RegExp(p).test(e)))));\n")
    result = subprocess.run(["node", str(script), json.dumps(checks)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    refused = [(pattern, bad) for (pattern, _), bad in zip(checks, json.loads(result.stdout), strict=True) if bad]
    assert not refused, refused


TIME_ACCEPTED = ["08:00", "8:00", "17:30", "23:59", "0:00", "8.30", "5 pm", "5pm", "5:30 p.m.", "12 am", "11:15 AM"]
TIME_REFUSED = ["25:00", "24:00", "8:75", "17", "noon", "8 o'clock", "", "13 pm", "8:0"]


def test_the_time_pattern_accepts_what_the_schema_reads_and_refuses_the_rest():
    """The form accepts a time exactly when the site reads it as one (8:00 too: the files keep typed text)."""
    read = TypeAdapter(schema.Time)
    for text in TIME_ACCEPTED:
        assert re.match(TIME_PATTERN, text), text
        assert isinstance(read.validate_python(text), clock), text
    for text in TIME_REFUSED:
        assert not re.match(TIME_PATTERN, text), text


# Settings ---------------------------------------------------------------------------------------------

def test_settings_one_key_turns_it_on_and_mistakes_name_the_key():
    assert read_settings(None, "mkdocs.yml", None) is None and read_settings(False, "mkdocs.yml", None) is None
    on = read_settings(True, "mkdocs.yml", "https://github.com/example-org/clinic-site")
    assert on.repo == "example-org/clinic-site" and on.settings.branch == "main" and on.settings.base_url is None
    chosen = read_settings({"repo": "a/b", "base_url": "https://auth.example.workers.dev", "local_port": 9000},
                                  "mkdocs.yml", None)
    folders, data, _ = read_clinic(EDITOR_CONFIGS[0])
    made = editor_config(chosen, folders.shared, folders.clinic, data, "https://x.example/")
    assert made["backend"] == {"name": "github", "repo": "a/b", "branch": "main", "base_url": "https://auth.example.workers.dev"}
    # The local backend (decap-server on 127.0.0.1) only where asked for, or under `mkdocs serve`; never by default.
    assert "local_backend" not in made and "127.0.0.1" not in admin_policy(chosen)
    for local in (read_settings({"repo": "a/b", "local_port": 9000}, "mkdocs.yml", None, serving=True),
                  read_settings({"repo": "a/b", "local_port": 9000, "local_backend": True}, "mkdocs.yml", None)):
        assert editor_config(local, folders.shared, folders.clinic, data, "https://x.example/")["local_backend"]["url"] == \
            "http://127.0.0.1:9000/api/v1"
        assert "connect-src 'self' blob: https://api.github.com http://127.0.0.1:9000;" in admin_policy(local)
    for value, message in [
        (True, "mkdocs.yml: plugins.clinic.editor.repo: the editor needs the GitHub repository it saves changes to. Add repo:"),
        ({"repo": "a/b", "branch_name": "x"}, "mkdocs.yml: plugins.clinic.editor.branch_name: 'branch_name' is not a known key. "
                                              "Did you mean 'branch'? Check its spelling, or remove it. The settings are: repo, branch"),
        ({"repo": "not a repo"}, "mkdocs.yml: plugins.clinic.editor.repo: 'not a repo' is not in the right form. "
                                 "Write the GitHub repository the editor saves to, as owner/name, for example your-org/your-clinic-site."),
        ("yes please", "mkdocs.yml: plugins.clinic.editor: 'yes please' is neither true, false nor a list of settings"),
    ]:
        with pytest.raises(StaffError) as error:
            read_settings(value, "mkdocs.yml", None)
        assert str(error.value).startswith(message), str(error.value)


def test_without_the_editors_packages_the_build_says_to_run_npm_ci(tiny, tmp_path):
    root = tiny.parent
    shutil.copy2(ROOT / "package.json", root / "package.json")
    tiny.write_text(tiny.read_text().replace("    default_clinic: clinics/tiny\n",
                                             "    default_clinic: clinics/tiny\n    editor:\n      repo: example-org/tiny\n"))
    result = build(tiny, tmp_path / "site", TODAY)
    assert result.returncode == 1
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["decap-cms"]
    assert (f"mkdocs.yml: plugins.clinic.editor: the editor needs decap-cms {pinned} in node_modules, which has none. "
            "Run npm ci") in result.stderr, result.stderr
    assert not (tmp_path / "site" / "admin").exists()


# yaml-keep.js: what the forms write ----------------------------------------------------------------

YAML_KEEP_CHECK = """
import * as YAML from %(yaml)s;
import { yamlKeep } from %(keep)s;
import fs from 'fs';
const keep = yamlKeep(YAML, JSON.parse(%(options)s));
const format = (path) => path.endsWith('.md') ? keep.markdown : keep.yaml;
const [files, edits] = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const changed = files.filter((path) => { const text = fs.readFileSync(path, 'utf8');
  return format(path).toFile(format(path).fromFile(text)) !== text; });
const edited = edits.map(([path, change]) => { const data = format(path).fromFile(fs.readFileSync(path, 'utf8'));
  new Function('data', change)(data); return format(path).toFile(data); });
console.log(JSON.stringify({ changed, edited }));
"""


def yaml_keep(tmp_path: Path, files: list[Path], edits: list[tuple[Path, str]], options: dict | None = None) -> dict:
    """Runs admin/yaml-keep.js in Node with the `yaml` package the page loads: read, (edit,) write.
    `options`: what admin.js gives it (the schema's key orders)."""
    shutil.copy2(ROOT / "hooks" / "clinic_site" / "admin" / "yaml-keep.js", tmp_path / "yaml-keep.mjs")
    script = tmp_path / "check.mjs"
    script.write_text(YAML_KEEP_CHECK % {"yaml": json.dumps(YAML_MODULE.as_uri()), "keep": json.dumps("./yaml-keep.mjs"),
                                         "options": json.dumps(json.dumps(options or {}))})
    (tmp_path / "input.json").write_text(json.dumps([[str(p) for p in files], [[str(p), change] for p, change in edits]]))
    result = subprocess.run(["node", str(script), str(tmp_path / "input.json")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_yaml_keep_writes_every_file_back_byte_for_byte(tmp_path):
    """Every file the editor can open, and the shared pages' front matter. (Not the shared data/: a folded
    `>` block, as in data/treatment.yml, would be written unfolded; the editor does not open those files.)"""
    files = [*sorted((ROOT / "clinics").glob("*/data/*.yml")), *sorted((ROOT / "clinics").glob("*/docs/*.md")),
             *sorted((ROOT / "tests" / "fixtures").glob("*/clinics/*/data/*.yml")), *sorted((ROOT / "docs").rglob("*.md"))]
    for relative, text in files_for("scaffolded").items():  # a clinic fresh from make new-clinic, before staff fill it in
        if relative.endswith((".yml", ".md")):
            (tmp_path / "scaffolded" / relative).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "scaffolded" / relative).write_text(text)
            files.append(tmp_path / "scaffolded" / relative)
    level = tmp_path / "level.yml"  # lists written level with their key, as many people write YAML
    level.write_text("# Hours\nhours:\n- days: [Monday]\n  opens: \"08:00\"\n# Prices\nprices:\n- item: One\n  amount: 450\nname: X\n")
    files.append(level)
    assert len(files) > 30
    assert yaml_keep(tmp_path, files, [])["changed"] == []


FACTS = """\
# Who we are. Comments stay.
name: Test Clinic
phone: (541) 555-0111
address:
  postal_code: "83702"
hours:
  - days: [Monday, Tuesday]
    opens: "08:00"
    closes: "17:00"
access:
  step_free: true
  parking: Behind the building.
booking_url: https://booking.example/test
"""
LIST = """\
# A file whose top level is a list.
- id: one
  name: One
  description: A first sentence that is long enough to be folded at eighty columns by a YAML writer that folds.
- id: two
  name: Two
  description: Second.
"""
PAGE = """\
---
title: Our team
description: Who we are.
health_page: false
---

# Our team

A small team cares for you. {{ phone_link() }}
"""


def test_yaml_keep_changes_only_what_the_form_changed(tmp_path):
    facts, listed, page = tmp_path / "clinic.yml", tmp_path / "conditions.yml", tmp_path / "page.md"
    facts.write_text(FACTS), listed.write_text(LIST), page.write_text(PAGE)
    edited = yaml_keep(tmp_path, [], [
        (facts, "data.phone = '(541) 555-0199'; data.hours[0].closes = '14:30';"
                "data.hours.push({days: ['Saturday'], opens: '9:00', closes: '12:00'});"
                "data.closures = [{first_day: '2026-12-24', reason: 'the holidays', announce: true}];"
                "data.access.notes = 'Ring the bell: it is loud.'; data.booking_url = '';"),
        (listed, "data.items[1].description = 'Pain: long-lasting.'; data.items[0].also_called = 'yes';"),
        (page, "data.body = data.body.replace('A small team', 'A friendly team'); data.audience = 'patients';"),
    ])["edited"]
    assert edited[0] == replaced(FACTS, [
        ("phone: (541) 555-0111", "phone: (541) 555-0199"),
        ('    closes: "17:00"\n', '    closes: "14:30"\n  - days: [Saturday]\n    opens: "9:00"\n    closes: "12:00"\n'),
        ("  parking: Behind the building.\n", "  parking: Behind the building.\n  notes: \"Ring the bell: it is loud.\"\n"),
        ("booking_url: https://booking.example/test\n", ""),
    ]) + "closures:\n  - first_day: 2026-12-24\n    reason: the holidays\n    announce: true\n"
    # A new key goes before the next key the form has, here none: last.
    assert edited[1] == replaced(LIST, [("  description: Second.", '  description: "Pain: long-lasting."'),
                                        ("folds.\n", 'folds.\n  also_called: "yes"\n')])
    assert edited[2] == replaced(PAGE, [("health_page: false\n", "health_page: false\naudience: patients\n"),
                                        ("A small team", "A friendly team")])


def test_with_the_schemas_order_a_new_key_and_a_new_entrys_keys_go_where_the_schema_has_them(tmp_path):
    """The closures key after hours (as the schema orders clinic.yml), the new entry's keys as the schema orders a
    closure, whatever order the form gives them in; a list of entries in block style."""
    facts = tmp_path / "clinic.yml"
    facts.write_text(FACTS)
    edited = yaml_keep(tmp_path, [], [(facts, "const {hours, ...rest} = data; for (const k of Object.keys(data)) delete data[k];"
                                             "Object.assign(data, {closures: [{announce: true, reason: 'the holidays', "
                                             "first_day: '2026-12-24'}]}, rest, {hours});")],
                       {"orders": editor_config_module.key_orders()})["edited"]
    assert edited[0] == FACTS.replace('    closes: "17:00"\n', '    closes: "17:00"\nclosures:\n  - first_day: 2026-12-24\n'
                                      '    reason: the holidays\n    announce: true\n'), edited[0]


def replaced(text: str, changes: list[tuple[str, str]]) -> str:
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


# The built site, with the editor and without ----------------------------------------------------------

def project_copy(destination: Path) -> Path:
    """A copy of the project that builds the editor: the pinned packages as installed here."""
    copy_project(destination)
    shutil.copy2(ROOT / "package.json", destination / "package.json")
    (destination / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    return destination


def without_editor(config_file: Path) -> None:
    settings = yaml.safe_load(config_file.read_text())
    settings["plugins"]["clinic"]["editor"] = False
    config_file.write_text(yaml.safe_dump(settings, sort_keys=False))


@pytest.fixture(scope="module", params=EDITOR_CONFIGS, ids=EDITOR_IDS)
def two_builds(request, tmp_path_factory) -> tuple[Path, Path, Path]:
    """(the site with the editor, the same site with `editor: false`, the config) built from one copy."""
    root = project_copy(tmp_path_factory.mktemp("project"))
    config = root / request.param.relative_to(ROOT)
    sites = tmp_path_factory.mktemp("sites")
    on = build(config, sites / "on", TODAY)
    assert on.returncode == 0, on.stderr
    without_editor(config)
    off = build(config, sites / "off", TODAY)
    assert off.returncode == 0, off.stderr
    return sites / "on", sites / "off", request.param


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_visitors_get_the_same_site_with_the_editor_on_or_off(two_builds):
    on, off, config = two_builds
    with_editor, without = files_of(on), files_of(off)
    assert {name for name in with_editor if not name.startswith("admin/")} == set(without)
    different = [name for name in without if name != "_headers" and with_editor[name] != without[name]]
    assert not different, f"visitor files that differ with the editor on: {different}"
    headers_on, headers_off = with_editor["_headers"].decode(), without["_headers"].decode()
    assert headers_on == headers_off + headers_rule(editor_of(config))
    rules_on, rules_off = read_rules(headers_on), read_rules(headers_off)
    for path in ["/", "/contact/", "/assets/clinic.css", "/search/search_index.json"]:
        assert headers_for(rules_on, path) == headers_for(rules_off, path), path


def test_the_editor_page_has_its_own_policy_and_is_never_indexed_or_linked(two_builds):
    on, _, config = two_builds
    settings = editor_of(config)
    admin = on / "admin"
    assert {"index.html", "config.yml", "admin.js", "manual-init.js", "yaml-keep.js",
            "vendor/decap-cms.js", "vendor/yaml/index.js", "preview-facts.json", "vendor/nunjucks.min.js",
            "vendor/markdown-it.js"} <= {p.relative_to(admin).as_posix() for p in admin.rglob("*")}
    page = HTMLParser((admin / "index.html").read_text())
    assert page.css_first('meta[name="robots"]').attributes["content"] == "noindex, nofollow"
    assert page.css_first('meta[http-equiv="Content-Security-Policy"]').attributes["content"] == admin_policy(settings, for_meta=True)
    scripts = page.css("script")
    assert scripts and all(s.attributes.get("src") and "//" not in s.attributes["src"] and not s.text().strip() for s in scripts)
    served = headers_for(read_rules((on / "_headers").read_text()), "/admin/")
    assert served["content-security-policy"] == admin_policy(settings)
    assert served["x-robots-tag"] == "noindex, nofollow"
    policy = dict(part.strip().split(" ", 1) for part in served["content-security-policy"].split(";"))
    assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    # A published build never allows the local backend: 127.0.0.1 is in neither policy nor the config.
    assert set(re.findall(r"https?://[^\s;]+", served["content-security-policy"])) == {
        "https://avatars.githubusercontent.com", "https://api.github.com"}
    assert "127.0.0.1" not in (admin / "index.html").read_text() and "127.0.0.1" not in (admin / "config.yml").read_text()
    assert "local_backend" not in yaml.safe_load((admin / "config.yml").read_text())
    # Photos: the page tells admin.js the limits; no SVG.
    uploads = json.loads(page.css_first('meta[name="clinic-editor-uploads"]').attributes["content"])
    assert uploads == {"max_bytes": editor_config_module.MAX_UPLOAD_BYTES, "types": list(UPLOAD_TYPES)}
    assert "image/svg+xml" not in uploads["types"] and uploads["max_bytes"] > 0
    assert "admin" not in (on / "sitemap.xml").read_text() and "admin" not in gzip.decompress((on / "sitemap.xml.gz").read_bytes()).decode()
    index = json.loads((on / "search" / "search_index.json").read_text())
    assert not [doc["location"] for doc in index["docs"] if "admin" in doc["location"]]
    for visitor_page in html_pages(on):
        links = [node.attributes.get("href") or node.attributes.get("src") or "" for node in HTMLParser(visitor_page.read_text()).css("[href], [src]")]
        assert not [link for link in links if re.search(r"(^|/)admin(/|$)", link)], visitor_page
    copied = (on / "admin" / "vendor" / "decap-cms.js").read_bytes()
    assert copied == (NODE_MODULES / "decap-cms" / "dist" / "decap-cms.js").read_bytes()
    print(f"\nadmin/: {sum(p.stat().st_size for p in admin.rglob('*') if p.is_file()):,} bytes; decap-cms.js {len(copied):,} bytes, "
          f"{len(gzip.compress(copied, 9)):,} gzipped")


def test_the_served_config_is_the_generated_one(two_builds):
    on, _, config = two_builds
    folders, data, settings = read_clinic(config)
    generated = editor_config(editor_of(config), folders.shared, folders.clinic, data, settings.site_url, settings.nav)
    text = (on / "admin" / "config.yml").read_text()
    assert text.startswith("# Made by the clinic plugin") and yaml.safe_load(text) == generated


# End to end, in Debian's Chromium ----------------------------------------------------------------------

@dataclass(frozen=True)
class Servers:
    repo: Path  # the git copy of the project decap-server edits
    config: Path
    site: Path
    admin: str  # the editor's URL on the static host
    api: str  # decap-server's URL
    start: str  # the commit the copy started at


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def commit_as_it_was(repo: Path) -> None:
    """The project copy as a git repository with one commit, as the editor's backends read it."""
    git(repo, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Test"), ("user.email", "test@example.invalid"), ("commit.gpgsign", "false")):
        git(repo, "config", key, value)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The project as it was")


def stop(process: subprocess.Popen) -> None:
    """Stop one server the tests started, by its own process id."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(url: str, body: bytes | None = None, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[Servers]:
    with running_servers(tmp_path_factory) as running:
        yield running


@contextlib.contextmanager
def running_servers(tmp_path_factory, config_source: Path | None = None) -> Iterator[Servers]:
    """A git copy of the project, a clinic built with its editor on, decap-server and a static host on 127.0.0.1.
    A clinic whose config has no editor gets one in the copy (a repo, under plugins.clinic)."""
    config_source = config_source or EDITOR_CONFIGS[0]
    repo = project_copy(tmp_path_factory.mktemp("repo"))
    shutil.copy2(ROOT / ".gitignore", repo / ".gitignore")  # builds write .cache/ into the project, as in a checkout
    config = repo / config_source.relative_to(ROOT)
    port = free_port()
    settings = yaml.safe_load(config.read_text())
    if editor_of(config_source):  # its editor's settings end the file
        config.write_text(config.read_text() + f"      local_port: {port}\n      local_backend: true\n")
        expected = {**settings["plugins"]["clinic"]["editor"], "local_port": port, "local_backend": True}
    else:  # after `clinic:`, or in a plugins block of its own (a new clinic's config has none)
        editor = f"    editor:\n      repo: test-org/clinic-site\n      local_port: {port}\n      local_backend: true\n"
        text = config.read_text()
        if re.search(r"^  clinic:\n", text, flags=re.M):
            text = re.sub(r"^  clinic:\n", lambda found: found.group() + editor, text, count=1, flags=re.M)
        elif re.search(r"^plugins:\n", text, flags=re.M):
            text = re.sub(r"^plugins:\n", lambda found: found.group() + "  clinic:\n" + editor, text, count=1, flags=re.M)
        else:
            text = text.rstrip("\n") + "\nplugins:\n  clinic:\n" + editor
        config.write_text(text)
        expected = {"repo": "test-org/clinic-site", "local_port": port, "local_backend": True}
    assert yaml.safe_load(config.read_text())["plugins"]["clinic"]["editor"] == expected
    commit_as_it_was(repo)
    site = tmp_path_factory.mktemp("site")
    built = build(config, site, TODAY, cwd=repo)
    assert built.returncode == 0, built.stderr
    quiet = tmp_path_factory.mktemp("run")  # decap-server reads a .env file in its working folder: none here
    decap = subprocess.Popen(["node", str(NODE_MODULES / "decap-server" / "dist" / "index.js")], cwd=quiet,
                             env={**os.environ, "BIND_HOST": "127.0.0.1", "PORT": str(port), "MODE": "git",
                                  "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": "warn"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    host = None
    try:
        host = subprocess.Popen([sys.executable, str(ROOT / "tests" / "static_host.py"), str(site)], stdout=subprocess.PIPE, text=True)
        host_port = int(host.stdout.readline().split()[1])
        api = f"http://127.0.0.1:{port}/api/v1"
        wait_for(api, json.dumps({"action": "info"}).encode())
        yield Servers(repo, config, site, f"http://127.0.0.1:{host_port}/admin/", api, git(repo, "rev-parse", "HEAD").strip())
    finally:
        for process in (host, decap):
            if process is not None:
                stop(process)


class Session:
    """One editor tab with its own storage (Decap keeps unsaved forms there), recording what the page loads."""

    def __init__(self, browser, servers: Servers, *, bypass_csp: bool = False, viewport: dict | None = None) -> None:
        self.servers = servers
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, bypass_csp=bypass_csp)
        self.context.add_init_script("window.__violations = []; document.addEventListener('securitypolicyviolation',"
                                     " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
        self.page = self.context.new_page()
        self.requests: list[tuple[str, str, int, str | None]] = []  # method, URL, status (0: failed), decap-server action
        self.errors: list[str] = []
        self.page.on("response", lambda r: self.requests.append((r.request.method, r.url, r.status, action(r.request))))
        self.page.on("requestfailed", lambda r: self.requests.append((r.method, r.url, 0, action(r))))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.dialogs: list[str] = []  # the messages of alerts: admin.js's refused photos, "leave with unsaved changes?"
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.accept()))
        self.page.goto(servers.admin)
        self.page.get_by_role("button", name="Login").wait_for()

    def sign_in(self) -> None:
        self.page.get_by_role("button", name="Login").click()
        self.page.get_by_text("Your clinic").first.wait_for()

    def open(self, collection: str, entry: str, first_key: str) -> None:
        """An entry, opened as a person does: the collection, then the entry's card; ready when its first field is."""
        self.page.goto(f"{self.servers.admin}#/collections/{collection}")
        self.page.get_by_text(entry, exact=True).first.click()
        self.page.locator(f'label[for^="{first_key}-field"]').first.wait_for()
        self.page.wait_for_timeout(300)

    def type_into(self, field, value: str) -> None:
        """Replace a field's text as a person does. (fill() on Decap's inputs can append to the old value.)"""
        field.click()
        field.press("Control+a")
        field.press("Delete")
        if value:
            field.press_sequentially(value)

    def save(self) -> None:
        self.page.get_by_role("button", name="Save", exact=True).click()

    def save_new(self, collection: str, slug: str) -> None:
        """Save a new entry, and wait until the editor has opened it again as a saved entry. After decap-server
        answers, Decap reads the entry back (unpublishedEntry, its photo, its text), replaces the form with what
        it read, and only then moves to the entry's own address: a change made before that is undone, and a
        Save before that does not carry it (both seen in parallel runs: the Save button then stayed disabled, or
        the pull request's check still found the mistake just fixed)."""
        with self.answer("persistEntry"):
            self.save()
        self.page.wait_for_url(re.compile(rf"#/collections/{re.escape(collection)}/entries/{re.escape(slug)}$"))

    def save_and_publish(self) -> None:
        """Save (a branch with one commit), mark it ready, publish (merged into main, as a pull request is).
        Each step waits for decap-server's own answer, not for a toast: the last entry's toasts stay on screen
        for 4 s, so waiting for "Entry published" could return before this entry was merged."""
        with self.answer("persistEntry"):
            self.save()
        self.publish_saved()

    def publish_saved(self) -> None:
        """Mark the saved entry ready, and publish it (as merging its pull request)."""
        page = self.page
        page.get_by_role("button", name="Status: Draft").click()
        with self.answer("updateUnpublishedEntryStatus"):
            page.get_by_text("Ready", exact=True).click()
        page.get_by_role("button", name="Publish", exact=True).first.click()
        with self.answer("publishUnpublishedEntry"):
            page.get_by_text("Publish now").click()

    @contextlib.contextmanager
    def held(self, name: str) -> Iterator[None]:
        """Holds decap-server's requests for this action until the block ends (the screen while they are on their way)."""
        waiting = []

        def hold(route) -> None:
            if action(route.request) == name:
                waiting.append(route)
            else:
                route.continue_()

        self.page.route(self.servers.api, hold)
        try:
            yield
            assert waiting, f"no {name} request was made"
        finally:
            for route in waiting:
                route.continue_()
            self.page.unroute(self.servers.api, hold)

    @contextlib.contextmanager
    def answer(self, name: str) -> Iterator[None]:
        """Waits until decap-server has answered the request for this action that the block makes; it must succeed."""
        with self.page.expect_response(lambda response: action(response.request) == name) as answered:
            yield
        assert answered.value.ok, f"{name}: {answered.value.status} {answered.value.text()}"

    def field_errors(self) -> list[tuple[str, str]]:
        """(field label, message) for each message the form shows."""
        return [tuple(pair) for pair in self.page.evaluate(
            f"""() => [...document.querySelectorAll('{ERRORS}')].map(li =>
                 [li.closest('[class*=ControlContainer]').querySelector('label').textContent.trim(), li.textContent.trim()])""")]

    def axe(self) -> list[dict]:
        settle(self.page)  # axe measures colors as drawn: after Decap's fades and slides (a contrast seen mid-fade)
        self.page.add_script_tag(content=axe_source())
        return self.page.evaluate(RUN_AXE.replace("id: v.id,", "id: v.id, impact: v.impact,"), WCAG_TAGS)

    def close(self) -> list[str]:
        """Closes the tab; returns what went wrong in it: CSP violations, page errors."""
        problems = self.page.evaluate("window.__violations") + self.errors
        self.context.close()
        return problems


ERRORS = "ul[class*=ControlErrorsList] li"  # the messages Decap shows above a field it refuses


def action(request) -> str | None:
    """The decap-server action a request asks for (getEntry, persistEntry, ...)."""
    try:
        return json.loads(request.post_data or "null")["action"]
    except (ValueError, TypeError, KeyError):
        return None


@pytest.mark.browser
def test_the_forms_refuse_invalid_values_with_the_schemas_help(browser, servers):
    before = (git(servers.repo, "branch", "--list"), git(servers.repo, "rev-parse", "HEAD"))
    tab = Session(browser, servers)
    tab.sign_in()
    tab.open("clinic", "Clinic facts", "phone")
    page = tab.page
    tab.type_into(page.get_by_label("Phone", exact=True), "(970) 555-CALL")
    tab.type_into(page.get_by_label("City", exact=True), "")
    tab.type_into(page.get_by_label("Opens", exact=True).first, "25:00")
    tab.type_into(page.get_by_label("Closes", exact=True).first, "8:00")  # accepted: the site reads it as 08:00
    tab.type_into(page.get_by_label(re.compile(r"^Amount")).first, "-5")
    tab.save()
    page.locator(ERRORS).first.wait_for()
    errors = tab.field_errors()
    phone, opens = schema.Clinic.model_fields["phone"], schema.OpeningHours.model_fields["opens"]
    assert errors == [
        ("Phone", f"Phone didn't match the pattern: {phone.description}, for example {phone.examples[0]}."),
        ("City", "City is required."),
        ("Opens", f"Opens didn't match the pattern: {opens.description}, for example {opens.examples[0]}."),
        ("Amount (optional)", "Amount must be at least 0."),
    ], errors
    problems = tab.close()
    report("refused", {"errors": errors, "page errors": problems})
    # Decap rejects its save with no reason when a form is refused: an "undefined" page error, and nothing else.
    assert set(problems) <= {"page error: undefined"}, problems
    assert (git(servers.repo, "branch", "--list"), git(servers.repo, "rev-parse", "HEAD")) == before
    assert git(servers.repo, "status", "--porcelain") == ""


@pytest.mark.browser
def test_staff_change_facts_and_a_page_in_the_forms_and_only_those_lines_change(browser, servers):
    """The phone, the last opening hours' closing time, a price, a condition's description and a sentence of
    the clinic's first page: each saved as a branch and published, each changing exactly its own line."""
    folders, data, _ = read_clinic(servers.config)
    facts = data.documents["clinic.yml"]
    phone = facts.value["phone"]
    new_phone = phone[:-4] + f"{(int(phone[-4:]) + 52) % 10000:04d}"
    last = len(data.clinic.hours) - 1
    closes = data.clinic.hours[last].closes.hour * 60 + data.clinic.hours[last].closes.minute
    new_closes = "{:02d}:{:02d}".format(*divmod(closes + 30 if closes + 30 < 24 * 60 else closes - 30, 60))
    priced = max(number for number, price in enumerate(data.clinic.prices) if price.amount is not None)
    new_amount = data.clinic.prices[priced].amount + 25
    condition_number = len(data.conditions) - 1
    condition = data.conditions[condition_number]
    new_description = f"{condition.description} It can last for years."
    own_page = sorted((folders.clinic / "docs").glob("*.md"))[0]
    record = read_page(own_page.name, own_page)
    sentence = next(line for line in own_page.read_text().splitlines()[record.body_line - 1:] if line[:1].isalpha())
    new_sentence = f"{sentence} Ask us anything, any day."
    changes = {
        facts.path: [(facts.line(("phone",)), phone, new_phone),
                     (facts.line(("hours", last, "closes")), facts.value["hours"][last]["closes"], new_closes),
                     (facts.line(("prices", priced, "amount")), facts.value["prices"][priced]["amount"], str(new_amount))],
        data.path("conditions.yml"): [(data.documents["conditions.yml"].line((condition_number, "description")),
                                       condition.description, new_description)],
        own_page: [(None, sentence, new_sentence)],
    }
    originals = {path: path.read_text() for path in changes}
    started = time.monotonic()

    tab = Session(browser, servers)
    tab.sign_in()
    page = tab.page
    tab.open("clinic", "Clinic facts", "phone")
    tab.type_into(page.get_by_label("Phone", exact=True), new_phone)
    tab.type_into(page.get_by_label("Closes", exact=True).nth(last), new_closes)
    tab.type_into(page.get_by_label(re.compile(r"^Amount")).nth(priced), str(new_amount))
    tab.save_and_publish()
    tab.open("conditions", "Conditions you treat", "items")
    open_entry(page, condition.name)
    description = page.get_by_label("Description", exact=True).filter(visible=True)
    assert description.count() == 1 and description.input_value() == condition.description
    tab.type_into(description, new_description)
    tab.save_and_publish()
    tab.open("pages", record.meta.title, "title")
    body = page.get_by_label("Text", exact=True)
    body.fill(body.input_value().replace(sentence, new_sentence, 1))
    tab.save_and_publish()
    requests, problems = tab.requests, tab.close()
    seconds = time.monotonic() - started

    # On disk: three commits on main, no branch left, and exactly these lines changed.
    assert git(servers.repo, "branch", "--list").split() == ["*", "main"] and git(servers.repo, "status", "--porcelain") == ""
    assert len(git(servers.repo, "log", "--format=%s", f"{servers.start}..main").splitlines()) == 3
    changed = git(servers.repo, "diff", "--name-only", servers.start, "main").split()
    assert sorted(changed) == sorted(path.relative_to(servers.repo).as_posix() for path in changes)
    for path, edits in changes.items():
        lines = originals[path].splitlines(keepends=True)
        for line, old, new in edits:
            number = line - 1 if line else next(n for n, text in enumerate(lines) if old in text)
            assert lines[number].count(old) == 1, (path, lines[number], old)
            lines[number] = lines[number].replace(old, new)
        assert path.read_text() == "".join(lines), path
    diff = git(servers.repo, "diff", servers.start, "main")

    # What the page loaded, and from where: our own origin and decap-server only; no CSP violation.
    assert problems == []
    origins = {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for _, url, _, _ in requests if urlsplit(url).scheme in ("http", "https")}
    host = f"http://{urlsplit(servers.admin).netloc}"
    assert origins == {host, f"http://{urlsplit(servers.api).netloc}"}
    # decap-server answers 404 to "a draft of this entry?" when there is none.
    failed = [r for r in requests if r[2] == 0 or (r[2] >= 400 and not (r[1] == servers.api and r[3] == "unpublishedEntry"))]
    assert not failed, failed
    vendor = sorted({urlsplit(url).path for _, url, _, _ in requests if "/vendor/" in url and "/vendor/yaml/" not in url})
    # Decap (none of its lazy chunks is needed), and the preview's nunjucks and markdown-it
    assert vendor == ["/admin/vendor/decap-cms.js", "/admin/vendor/markdown-it.js", "/admin/vendor/nunjucks.min.js"], vendor
    api_actions = dict(sorted(Counter(r[3] for r in requests if r[1] == servers.api).items()))

    # The strict build of the changed files shows the new facts.
    site = servers.site.parent / "after"
    built = build(servers.config, site, TODAY, cwd=servers.repo)
    assert built.returncode == 0, built.stderr
    contact = (site / "contact" / "index.html").read_text()
    assert f'href="tel:+1{"".join(re.findall(r"[0-9]", new_phone))}"' in contact and f'"closes":"{new_closes}"' in contact
    assert f"${new_amount:,}" in (site / "costs" / "index.html").read_text()
    assert "It can last for years." in (site / "conditions" / "index.html").read_text()
    assert "Ask us anything, any day." in (site / built_path(own_page.name)).read_text()
    report("edited", {"seconds_in_the_browser": round(seconds, 1), "diff": diff, "origins": sorted(origins),
                      "requests": len(requests), "api": api_actions})
    print(f"\nWhat the editor wrote ({seconds:.0f} s in the browser):\n{diff}")


def open_entry(page, summary: str) -> None:
    """Opens a closed entry of a list by its summary (its open button has no name: reported by axe)."""
    label = page.locator("div[class*=NestedObjectLabel]", has_text=summary)
    page.locator("div[class*=ListItem-listControlItem]", has=label).locator("button").first.click()


PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_axe_finds_nothing_serious_on_the_editors_screens(browser, servers, viewport):
    """Every screen staff use, at a phone's width and a desktop's: no serious or critical axe finding (Decap's
    own findings fixed by admin.css and admin.js's names; handbook/editor.md, "Accessibility"). All findings are
    reported in test-artifacts/editor/axe-<width>.json."""
    tab = Session(browser, servers, bypass_csp=True, viewport=viewport)
    page, found = tab.page, {}
    found["sign-in"] = tab.axe()
    # The collections while the first one's entries are on their way: Decap's "Loading Entries..." (in a parallel
    # run decap-server is slow enough that axe used to find it there, in a box whose class is "[object Object]").
    with tab.held("entriesByFiles"):
        tab.sign_in()
        page.get_by_text("Loading Entries...", exact=True).wait_for()
        found["collections, loading"] = tab.axe()
    page.get_by_text("Clinic facts", exact=True).first.wait_for()  # the entries, shown
    found["collections"] = tab.axe()
    tab.open("clinic", "Clinic facts", "phone")
    found["clinic facts"] = tab.axe()
    tab.type_into(page.get_by_label("Phone", exact=True), "(970) 555-CALL")
    tab.save()
    page.locator(ERRORS).first.wait_for()
    found["clinic facts, refused"] = tab.axe()
    tab.open("conditions", "Conditions you treat", "items")
    open_entry(page, read_clinic(servers.config)[1].conditions[0].name)
    found["conditions, one open"] = tab.axe()
    tab.open("pages", "Our team", "title")
    found["page"] = tab.axe()
    page.goto(servers.admin + "#/collections/pages/new")
    page.get_by_label("Title", exact=True).wait_for()
    found["new page"] = tab.axe()
    page.goto(servers.admin + "#/workflow")
    page.get_by_text("Editorial Workflow").first.wait_for()
    found["workflow"] = tab.axe()
    tab.close()
    lines = [f"{screen}: {v['id']} ({v['impact']}, {len(v['targets'])}x) {v['help']}" for screen, violations in found.items()
             for v in violations]
    report(f"axe-{viewport['width']}", found)
    print(f"\naxe on the editor at {viewport['width']} px (WCAG 2.x A and AA rules):\n" + "\n".join(lines or ["none"]))
    serious = [line for screen, violations in found.items() for v in violations if v["impact"] in ("serious", "critical")
               for line in [f"{screen}: {v['id']} ({v['impact']}) {v['targets'][:3]}"]]
    assert not serious, serious


def report(name: str, value: object) -> None:
    """test-artifacts/editor/<name>.json: what the editor did, for the issue's note and for a failed CI run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(value, indent=1, default=str), encoding="utf-8")


# Going live, new pages' menu places ------------------------------------------------------------------

def test_the_handbook_requires_branch_protection_and_the_tests_run_on_pull_requests():
    """The editor's pull requests are a gate only if the tests run on them and the branch requires them."""
    handbook = (ROOT / "handbook" / "editor.md").read_text()
    section = handbook.split("## Going live", 1)[1].split("\n## ", 1)[0]
    for needed in ("branch protection is required", "Require a pull request before merging",
                   "Require status checks to pass before merging"):
        assert needed in section, needed
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # PyYAML reads the key `on` as true
    assert "pull_request" in triggers
    # The check the handbook names is a job of the Test workflow that waits for every job that tests.
    check = re.search(r"choose the `([\w-]+)` check", section).group(1)
    jobs = workflow["jobs"]
    assert check in jobs, f"the handbook names the check {check}, which test.yml does not have"
    needs = jobs[check].get("needs", [])
    waits_for = {needs} if isinstance(needs, str) else set(needs)
    after = {name for name, job in jobs.items() if check in ([job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", []))}
    assert waits_for >= set(jobs) - {check} - after, (check, waits_for, set(jobs))


def test_a_page_chooses_its_menu_section_and_a_wrong_one_is_named(tmp_path):
    from clinic_site.pages import menu

    folders, data, settings = read_clinic(EDITOR_CONFIGS[0])
    sections = [next(iter(item)) for item in settings.nav if isinstance(item, dict) and isinstance(next(iter(item.values())), list)]
    page = tmp_path / "parking.md"
    nav = menu.edit_nav(json.loads(json.dumps(settings.nav)), data, frozenset({"parking.md", "our-team.md"}), set(),
                        {"parking.md": (sections[-1], page, 4)})
    assert next(item for item in nav if sections[-1] in item)[sections[-1]][-1] == "parking.md"
    with pytest.raises(StaffError) as error:
        menu.edit_nav(json.loads(json.dumps(settings.nav)), data, frozenset({"parking.md", "our-team.md"}), set(),
                      {"parking.md": (sections[-1] + "s", page, 4)})
    assert str(error.value).startswith(f"{page}:4: menu_section: there is no menu section called '{sections[-1]}s'. "
                                       f"Did you mean '{sections[-1]}'? Use one of: {', '.join(sections)}."), str(error.value)
    # Only a clinic's own page chooses its place; on a shared page the key is unknown, and the message says so.
    from clinic_site.pages.front_matter import read_front_matter
    text = "---\ntitle: Parking\ndescription: Where to park.\nhealth_page: false\nmenu_section: Your care\n---\n\n# Parking\n\nText.\n"
    assert read_front_matter(text, page, OwnPageMeta)[0].menu_section == "Your care"
    with pytest.raises(StaffError) as error:
        read_front_matter(text, page)
    assert str(error.value).startswith(f"{page}:5: menu_section: 'menu_section' is not a known key"), str(error.value)


@pytest.mark.browser
def test_inside_another_sites_frame_the_editor_never_starts(browser, servers):
    """On a host without _headers (GitHub Pages), frame-ancestors cannot apply: manual-init.js stops the editor in a frame.
    The admin page is served here without its headers, as such a host serves it."""
    context = browser.new_context()
    framer = "http://framer.invalid/"
    context.route(framer, lambda route: route.fulfill(content_type="text/html",
                                                      body=f'<!doctype html><title>x</title><iframe src="{servers.admin}"></iframe>'))

    def without_headers(route):
        response = route.fetch()
        route.fulfill(response=response, headers={k: v for k, v in response.headers.items()
                                                  if k.lower() not in ("content-security-policy", "x-frame-options")})

    context.route(servers.admin, without_headers)
    page = context.new_page()
    page.goto(framer)
    frame = page.frame_locator("iframe")
    page.wait_for_timeout(3000)
    framed = next(f for f in page.frames if f.url.startswith(servers.admin)) if page.url == framer else None
    if framed is not None:  # the browser refused the frame's jump to the top: the page stays empty
        assert framed.evaluate("document.documentElement.hidden") is True
        assert framed.evaluate("typeof window.CMS") == "undefined" and framed.evaluate("window.CMS_MANUAL_INIT") is None
        assert frame.get_by_role("button", name="Login").count() == 0
    else:  # or the editor opened at the top, where it belongs
        assert page.url.startswith(servers.admin)
    # The control: the same page, not in a frame, starts.
    alone = context.new_page()
    alone.goto(servers.admin)
    alone.get_by_role("button", name="Login").wait_for()
    context.close()


# Every problem of a pull request at once, and its preview -------------------------------------------

def test_every_problem_of_a_change_is_reported_at_once_in_the_builds_words(tmp_path):
    """Mistakes in two data files and a new page: the build stops at the first; tools.problems names them all,
    each as the build names it alone."""
    from tools.problems import as_markdown, problems

    copy_project(tmp_path)
    config = tmp_path / EDITOR_CONFIGS[0].relative_to(ROOT)
    facts = config.parent / "data" / "clinic.yml"
    text = facts.read_text()
    phone = yaml.safe_load(text)["phone"]
    facts.write_text(text.replace(f"phone: {phone}", "phone: (970) 555-CALL", 1).replace("\nemail: ", "\nemail: not-an-address\nold_email: ", 1))
    page = config.parent / "docs" / "parking-and-directions.md"
    page.write_text("---\ntitle: Parking and directions\ndescription: Where to park and how to find our door.\n---\n\n"
                    "# Parking and directions\n\nPark behind the building.\n")
    reviewers = config.parent / "data" / "reviewers.yml"
    reviewers.write_text(reviewers.read_text().replace("  name: ", "  nmae: ", 1))
    found = problems(config, TODAY)
    assert len(found) == 5, found  # clinic.yml: phone, email, old_email; reviewers.yml; the page
    assert any(line.startswith(f"{facts}:") and "email" in line for line in found), found
    assert any(":5: phone:" in line or "phone: '(970) 555-CALL'" in line for line in found), found
    assert any(line.startswith(f"{page}:") and "audience is missing" in line for line in found), found
    assert any(line.startswith(f"{reviewers}:") and "nmae" in line for line in found), found
    # The build, with only the page's mistake left, stops with the same line.
    facts.write_text(text)
    reviewers.write_text(reviewers.read_text().replace("  nmae: ", "  name: ", 1))
    alone = build(config, tmp_path / "site", TODAY)
    page_line = next(line for line in found if "audience is missing" in line)
    assert alone.returncode == 1 and page_line.replace(str(tmp_path) + "/", "") in alone.stderr, (page_line, alone.stderr[-600:])
    comment = as_markdown(config, found)
    assert "found 5 problems" in comment and comment.count("\n- `") == 5
    assert problems(config, TODAY) == [page_line]


def test_each_pull_request_gets_the_problems_as_a_comment_and_the_built_site():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "editor-preview.yml").read_text())
    assert "pull_request" in workflow.get("on", workflow.get(True))
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "tools.problems mkdocs.yml clinics/*/mkdocs.yml --markdown problems.md" in runs
    assert "gh pr comment" in runs and "--body-file problems.md" in runs
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "site-preview" and "make build CONFIG=" in runs
    assert steps.index(upload) > next(i for i, step in enumerate(steps) if "tools.problems" in step.get("run", ""))


def test_an_own_pages_photo_needs_its_words_and_goes_under_the_heading(tmp_path):
    from clinic_site.pages.checks import with_photo
    from clinic_site.pages.front_matter import read_front_matter
    from clinic_site.pages.record import PageRecord

    page = tmp_path / "parking.md"
    head = "---\ntitle: Parking\ndescription: Where to park.\nhealth_page: false\nphoto: images/lot.jpg\n"
    end = "---\n\n# Parking\n\nText.\n"
    for front, problem in [(head, "photo_alt is missing"),
                           (head.replace("images/lot.jpg", "images/lot.svg") + "photo_alt: Our lot\n", "photo"),
                           (head.replace("photo: images/lot.jpg\n", "photo_alt: Our lot\n"), "photo_alt is there without a photo")]:
        with pytest.raises(StaffError) as error:
            read_front_matter(front + end, page, OwnPageMeta)
        assert problem in str(error.value), str(error.value)
    text = head + "photo_alt: Our lot, with two wide spaces by the door\n---\n\n# Parking\n\nText.\n"
    meta, body, line = read_front_matter(text, page, OwnPageMeta)
    record = PageRecord("parking.md", page, meta, line, text)
    assert with_photo(body, record) == body.replace("# Parking\n", "# Parking\n\n![Our lot, with two wide spaces by the door](images/lot.jpg)\n\n", 1)


# The staff script: what a clinic's front desk does, on a phone and at a desk ---------------------------

PARKING = "Parking and directions"


def photo_files(folder: Path) -> dict[str, Path]:
    """A photo to use, an SVG (refused: a script can hide in one) and a file over the size limit (refused)."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 800), (90, 120, 160)).save(folder / "parking-lot.jpg", quality=80)
    (folder / "map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    (folder / "huge.jpg").write_bytes(b"\xff\xd8\xff" + bytes(editor_config_module.MAX_UPLOAD_BYTES))
    return {"photo": folder / "parking-lot.jpg", "svg": folder / "map.svg", "huge": folder / "huge.jpg"}


def branch_problems(servers: Servers, branch: str, workspace: Path) -> list[str]:
    """What the pull request's check (tools.problems, editor-preview.yml) says about a branch decap-server made."""
    from tools.problems import problems

    checkout = workspace / branch.replace("/", "-")
    subprocess.run(["git", "clone", "-q", "--branch", branch, str(servers.repo), str(checkout)], check=True)
    found = problems(checkout / servers.config.relative_to(servers.repo), TODAY)
    return [line.replace(f"{checkout}/", "") for line in found]


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_the_staff_script(browser, tmp_path_factory, tmp_path, viewport):
    """Create "Parking and directions" with a photo, after Contact in the menu; make a mistake the build catches
    between fields and see it at the pull request, all problems at once; fix it; change the phone; add a closure;
    see names, not ids, in a select list; publish each; the strict build of the result shows all of it."""
    width = viewport["width"]
    with running_servers(tmp_path_factory) as servers:
        folders, data, settings = read_clinic(servers.config)
        section = next(name for item in settings.nav if isinstance(item, dict)
                       for name, pages in item.items() if isinstance(pages, list) and any("contact.md" in str(p) for p in pages))
        phone = data.documents["clinic.yml"].value["phone"]
        new_phone = phone[:-4] + f"{(int(phone[-4:]) + 77) % 10000:04d}"
        files = photo_files(tmp_path / "photos")
        started = time.monotonic()
        tab = Session(browser, servers, viewport=viewport)
        page = tab.page
        tab.sign_in()
        assert fits(page, width)

        # A new page, with its photo and its place in the menu.
        page.goto(servers.admin + "#/collections/pages/new")
        tab.type_into(page.get_by_label("Title", exact=True), PARKING)
        tab.type_into(page.get_by_label("Description", exact=True), "Where to park, and how to find our door.")
        page.get_by_label(re.compile(r"^Menu section")).click()
        page.get_by_role("option", name=section, exact=True).click()
        page.get_by_role("button", name="Choose an image").click()
        upload = page.locator("input[type=file]")
        upload.set_input_files(files["svg"])
        upload.set_input_files(files["huge"])
        assert tab.dialogs[-2:] == [
            "map.svg is not a photo the site can use (image/svg+xml). Choose a JPEG, PNG or WebP photo.",
            f"huge.jpg is {files['huge'].stat().st_size / 1e6:.1f} MB, over the {editor_config_module.MAX_UPLOAD_BYTES / 1e6:.1f} MB "
            "the editor takes. Save it smaller (for example 2000 pixels wide, as JPEG) and choose it again."], tab.dialogs
        upload.set_input_files(files["photo"])
        page.get_by_role("button", name="Choose selected").click()
        tab.type_into(page.get_by_label(re.compile(r"^Photo alt")), "The parking lot behind our building")
        page.get_by_label("Text", exact=True).fill(f"# {PARKING}\n\nPark behind the building. Lost? Call {{{{ phone_link() }}}}.\n")
        assert fits(page, width)
        if width >= 800:  # the side preview (off on a phone) uses the site's own stylesheets
            preview = page.frame_locator("#preview-pane")
            preview.get_by_text("Park behind the building.", exact=False).first.wait_for()
            styles = preview.locator('link[rel="stylesheet"]').evaluate_all("links => links.map(l => l.href)")
            assert any(href.endswith("/assets/clinic.css") for href in styles), styles
        # The mistake: a page is a health page unless it says otherwise, and a health page needs its audience.
        tab.save_new("pages", "parking-and-directions")
        branch = "cms/pages/parking-and-directions"
        found = branch_problems(servers, branch, tmp_path)
        page_file = (servers.config.parent / "docs" / "parking-and-directions.md").relative_to(servers.repo).as_posix()
        assert len(found) == 1 and found[0].startswith(f"{page_file}:") and "audience is missing" in found[0], found
        switch = page.get_by_role("switch").and_(page.locator('[id^="health_page-field"]'))
        switch.click()
        assert switch.get_attribute("aria-checked") == "false"
        with tab.answer("persistEntry"):
            tab.save()
        assert branch_problems(servers, branch, tmp_path / "again") == []
        tab.publish_saved()

        # The phone, and a closure.
        tab.open("clinic", "Clinic facts", "phone")
        tab.type_into(page.get_by_label("Phone", exact=True), new_phone)
        page.get_by_role("button", name=re.compile(r"^Add closure")).click()
        page.get_by_label("First day", exact=True).last.fill("2099-12-24")
        tab.type_into(page.get_by_label("Reason", exact=True).last, "the winter holidays")
        assert fits(page, width)
        tab.save_and_publish()

        # Names in a select list: a condition's category shows its name; the file keeps the id.
        tab.open("conditions", "Conditions you treat", "items")
        first = data.conditions[0]
        open_entry(page, first.name)
        category = next(c for c in data.categories if c.id == first.category)
        assert page.get_by_text(category.name, exact=True).first.is_visible()
        assert fits(page, width)
        problems_seen = tab.close()
        seconds = time.monotonic() - started

        # What was published: three merges, the photo with them; then the strict build shows it all.
        assert git(servers.repo, "branch", "--list").split() == ["*", "main"]
        changed = set(git(servers.repo, "diff", "--name-only", servers.start, "main").split())
        clinic = servers.config.parent.relative_to(servers.repo).as_posix()
        assert changed == {f"{clinic}/docs/parking-and-directions.md", f"{clinic}/docs/images/parking-lot.jpg",
                           f"{clinic}/data/clinic.yml"}, changed
        facts_diff = git(servers.repo, "diff", servers.start, "main", "--", f"{clinic}/data/clinic.yml")
        # The closure: block style, its keys in the schema's order, at the schema's place in the file; the phone's line.
        assert "\n+closures:\n+  - first_day: 2099-12-24\n+    reason: the winter holidays\n+    announce: false\n" in facts_diff, facts_diff
        keys = [line.split(":")[0] for line in (servers.repo / clinic / "data" / "clinic.yml").read_text().splitlines()
                if re.match(r"^[a-z_]+:", line)]
        order = list(schema.Clinic.model_fields)
        assert keys == sorted(keys, key=order.index), keys  # closures among the others, where the schema has it
        assert f"-phone: {phone}\n+phone: {new_phone}\n" in facts_diff
        site = tmp_path / "after"
        built = build(servers.config, site, TODAY, cwd=servers.repo)
        assert built.returncode == 0, built.stderr
        parking = HTMLParser((site / "parking-and-directions" / "index.html").read_text())
        picture = parking.css_first("article picture img, .md-content picture img")
        assert picture is not None and picture.attributes["alt"] == "The parking lot behind our building"
        assert f'tel:+1{"".join(re.findall(r"[0-9]", new_phone))}' in parking.html
        menu_section = next(item for item in built_nav(site) if item[0] == section)
        assert menu_section[1][-2:] == ["Contact us", PARKING] or menu_section[1][-1] == PARKING, menu_section
        assert "the winter holidays" in (site / "contact" / "index.html").read_text()
        assert set(problems_seen) <= {"page error: undefined"}, problems_seen
        report(f"staff-script-{width}", {"seconds_in_the_browser": round(seconds, 1), "dialogs": tab.dialogs,
                                         "problems_at_the_pull_request": found})
        print(f"\nThe staff script at {width} px: {seconds:.0f} s in the browser")


def built_nav(site: Path) -> list[tuple[str, list[str]]]:
    """The built menu's sections and their pages' titles, from the home page's navigation."""
    home = HTMLParser((site / "index.html").read_text())
    found = []
    for item in home.css("nav.md-nav--primary > ul > li.md-nav__item--nested"):
        label = item.css_first("label")
        found.append((label.text(strip=True) if label else "", [a.text(strip=True) for a in item.css("ul li a.md-nav__link")]))
    return found


# The preview beside a page's form: the site's stylesheets and the clinic's facts ----------------------------

def macro_names(data) -> list[str]:
    from clinic_site.macros import MacroContext, make_macros

    return list(make_macros(MacroContext(data, TODAY, None, lambda: None, str, list)))


def test_the_preview_gets_the_values_pages_read_and_words_for_every_macro(clinic_data):
    """editor/preview.preview_facts: the page variables' values (a model with its properties, an empty list as null,
    which JavaScript would take as true), a text for the short macros, a placeholder in plain words for the rest."""
    from clinic_site.editor.preview import PLACEHOLDERS, SHORT, placeholder, preview_facts
    from clinic_site.macros import page_variables

    variables = page_variables(clinic_data, TODAY)
    names = macro_names(clinic_data)
    facts = json.loads(json.dumps(preview_facts(clinic_data, variables, names)))  # as admin/preview-facts.json holds it
    clinic = clinic_data.clinic
    assert set(facts["variables"]) == set(variables)  # only what pages read
    assert facts["variables"]["clinic"]["phone"] == clinic.phone
    assert facts["variables"]["clinic"]["address"]["one_line"] == clinic.address.one_line  # a property, as pages use it
    assert facts["variables"]["clinic"]["hours"][0]["opens"] == f"{clinic.hours[0].opens:%H:%M}"
    empty = [name for name, value in variables["clinic"] if value in ([], (), {})]
    assert all(facts["variables"]["clinic"][name] is None for name in empty)
    closures = facts["variables"]["upcoming_closures"]
    assert (closures is None) is (not variables["upcoming_closures"])
    assert [closure["first_day"] for closure in closures or []] == [f"{c.first_day:%Y-%m-%d}" for c in variables["upcoming_closures"]]
    # Every macro the build gives pages has its own words; none falls back to its bare name.
    assert set(names) <= set(PLACEHOLDERS) | set(SHORT), set(names) - set(PLACEHOLDERS) - set(SHORT)
    assert set(facts["macros"]) == set(names)
    assert all(entry["placeholder"].startswith("[") and entry["placeholder"].endswith("]") for entry in facts["macros"].values())
    assert facts["macros"]["phone_link"]["text"] == f"[{clinic.phone}](tel:{clinic.phone_e164})"
    for category in clinic_data.categories:
        words = facts["macros"]["conditions_list"]["by_argument"][category.id]["placeholder"]
        assert words == placeholder(f"the list of {category.name.lower()}"), words
    assert {key: entry["text"] for key, entry in facts["macros"]["condition"]["by_argument"].items()} == {
        condition.id: condition.name for condition in clinic_data.conditions}


@pytest.mark.browser
def test_the_preview_shows_a_page_with_the_clinics_facts(browser, clinic_config, tmp_path_factory):
    """Staff open one of the clinic's own pages (a new page where it has none) and write a line with a fact, a
    macro the preview cannot run and an {% if %}: the preview beside the form shows the clinic's phone, the macro's
    placeholder, the part the clinic's data chooses, the site's stylesheets, and no {{ }} left."""
    from clinic_site.editor.preview import placeholder
    from clinic_site.render import upcoming_closures

    with running_servers(tmp_path_factory, clinic_config) as servers:
        folders, data, _ = read_clinic(servers.config)
        own = sorted((folders.clinic / "docs").glob("*.md"))
        category = data.category(data.conditions[0].category)
        closing = bool(upcoming_closures(data.clinic.closures, TODAY))
        tab = Session(browser, servers, viewport=DESKTOP)
        page = tab.page
        tab.sign_in()
        if own:
            tab.open("pages", read_page(own[0].name, own[0]).meta.title, "title")
        else:
            page.goto(servers.admin + "#/collections/pages/new")
        body = page.get_by_label("Text", exact=True)
        body.wait_for()
        added = (f"Call {{{{ clinic.phone }}}} to book.\n\n{{{{ conditions_list(\"{category.id}\") }}}}\n\n"
                 "{% if upcoming_closures %}We close soon.{% else %}Open as usual.{% endif %}\n")
        body.fill(body.input_value() + "\n\n" + added)
        preview = page.frame_locator("#preview-pane")
        article = preview.locator("article.md-typeset")
        article.get_by_text(f"Call {data.clinic.phone} to book.", exact=True).wait_for()
        shown = preview.locator(".clinic-preview-placeholder").all_inner_texts()
        assert placeholder(f"the list of {category.name.lower()}") in shown, shown
        text = article.inner_text()
        assert ("We close soon." in text) is closing and ("Open as usual." in text) is not closing, text
        assert "{{" not in text and "{%" not in text, text
        styles = preview.locator('link[rel="stylesheet"]').evaluate_all("links => links.map(l => l.href)")
        assert any(href.endswith("/assets/clinic.css") for href in styles), styles
        assert any("/assets/stylesheets/main." in href for href in styles), styles
        # A {{ }} not finished yet: the preview says so in plain words and shows the text as typed.
        body.fill(body.input_value() + "\nCall {{ clinic.phone\n")
        note = preview.get_by_role("status")
        note.wait_for()
        assert note.inner_text().startswith("The preview cannot fill in this page's {{ }} and {% %} yet"), note.inner_text()
        assert "{{ clinic.phone" in article.inner_text()
        problems = tab.close()
        assert problems == [], problems
        report(f"preview-{clinic_name(clinic_config)}", {"placeholders": shown, "text": text})
