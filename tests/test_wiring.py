"""How the code is built: an engine-free core, one MkDocs entry point, each module loaded once per build,
each data file and each page read once, and compiled theme templates kept between the rebuilds of `mkdocs serve`."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT, copy_project

PACKAGE = ROOT / "hooks" / "clinic_site"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_wiring_imports_mkdocs():
    engine = {"mkdocs", "material", "mkdocs_macros"}
    wiring = [path.relative_to(PACKAGE).as_posix() for path in sorted(PACKAGE.rglob("*.py")) if imported_modules(path) & engine]
    assert wiring == ["plugin.py"], f"modules importing the engine: {wiring}"


def test_one_entry_point_and_no_hook_files():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert pyproject.count('= "clinic_site.') == 1 and 'clinic = "clinic_site.plugin:ClinicPlugin"' in pyproject
    assert not list((ROOT / "hooks").glob("*.py")), "MkDocs hook files load a second copy of what they import"
    for config in [ROOT / "mkdocs.yml", *(ROOT / "clinics").glob("*/mkdocs.yml")]:
        assert "hooks:" not in config.read_text(), config


BUILD_TWICE = textwrap.dedent("""
    import builtins, collections, importlib.util, io, json, os, sys
    if importlib.util.find_spec("mkdocs") is None:  # the ProperDocs venv (tools/project.ENGINE)
        import properdocs.replacement
    from pathlib import Path
    from jinja2 import Environment
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    import clinic_site.yamlfile as yamlfile
    import clinic_site.data.load as load

    reads = collections.Counter()
    original = yamlfile.read_yaml
    def counting(path):
        reads[Path(path).name] += 1
        return original(path)
    load.read_yaml = counting
    compiled = []
    original_compile = Environment.compile
    def counting_compile(self, source, name=None, *args, **kwargs):
        if self.bytecode_cache is not None:  # the theme's environment (Material's search plugin makes its own)
            compiled.append(name)
        return original_compile(self, source, name, *args, **kwargs)
    Environment.compile = counting_compile
    pages = collections.Counter()  # each opening of a page's Markdown file, by whoever opens it (MkDocs or us)
    def counting_open(original):
        def opening(file, *args, **kwargs):
            if str(file).endswith(".md"):
                pages[os.path.normpath(str(file))] += 1
            return original(file, *args, **kwargs)
        return opening
    builtins.open, io.open = counting_open(builtins.open), counting_open(io.open)

    results = []
    for run in range(2):
        reads.clear(); compiled.clear(); pages.clear()
        build(load_config(sys.argv[1], site_dir=sys.argv[2] + str(run)))
        results.append({"reads": dict(reads), "compiled": [name for name in compiled if name and name.endswith(".html")],
                        "pages": dict(pages)})
    ours = {name: module.__file__ for name, module in sys.modules.items() if getattr(module, "__file__", None)
            and "clinic_site" in module.__file__}
    print(json.dumps({"runs": results, "modules": ours}))
""")


def test_each_module_data_file_and_page_is_loaded_once_and_templates_compile_once(tmp_path):
    """Two builds in one process, as `mkdocs serve` makes them, in a copy with no compiled templates kept yet."""
    config = copy_project(tmp_path / "project")
    result = subprocess.run([sys.executable, "-c", BUILD_TWICE, str(config), str(tmp_path / "site")],
                            capture_output=True, text=True, cwd=config.parent, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    import json
    report = json.loads(result.stdout.strip().splitlines()[-1])
    first, second = report["runs"]
    assert first["reads"] and set(first["reads"].values()) == {1}, f"a data file was read more than once: {first['reads']}"
    assert second["reads"] == {}, "unchanged data was read again for the second build"
    assert first["compiled"], "no theme template was compiled: the check saw nothing"
    assert second["compiled"] == [], f"templates compiled again in the second build: {second['compiled'][:5]}"
    for run in (first, second):  # the plugin reads each page for its checks and hands MkDocs that text (on_files)
        assert len(run["pages"]) > 10, "no page was read: the check saw nothing"
        assert set(run["pages"].values()) == {1}, f"a page was read more than once: {run['pages']}"
    files = list(report["modules"].values())
    assert len(files) == len(set(files)), "a module of ours was loaded twice under two names"
    assert all(name.startswith("clinic_site") for name in report["modules"]), report["modules"]


OUR_CODE = ["hooks", "tools", "tests", "benchmarks"]


def private_names_of_other_packages(files: list[Path]) -> list[str]:
    """Each place our code imports, reads or sets a private name (a leading underscore) that is not one of ours:
    a name no file of ours defines, or one imported from another package."""
    trees = {path: ast.parse(path.read_text(), str(path)) for path in files}
    ours = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                ours.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                ours.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name) \
                    and node.value.id in ("self", "cls"):
                ours.add(node.attr)
            elif isinstance(node, ast.arg):
                ours.add(node.arg)
    ours = {name for name in ours if name.startswith("_")}
    found = []
    for path, tree in trees.items():
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                top = node.module.split(".")[0]
                local = (ROOT / "hooks" / top).is_dir() or (ROOT / top).is_dir() or (path.parent / f"{top}.py").exists()
                if not local and node.module != "__future__" and (any(part.startswith("_") for part in node.module.split("."))
                                  or any(alias.name.startswith("_") for alias in node.names)):
                    found.append(f"{where}:{node.lineno}: from {node.module} import {', '.join(a.name for a in node.names)}")
            elif isinstance(node, ast.Import):
                found += [f"{where}:{node.lineno}: import {alias.name}" for alias in node.names
                          if any(part.startswith("_") for part in alias.name.split("."))]
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.endswith("__") \
                    and node.attr not in ours:
                found.append(f"{where}:{node.lineno}: .{node.attr}")
    return found


def test_no_private_name_of_another_package_is_used():
    """Only documented interfaces of the packages we build on: a private name can change in any release."""
    files = sorted(path for folder in OUR_CODE for path in (ROOT / folder).rglob("*.py") if "fixtures" not in path.parts)
    found = private_names_of_other_packages(files)
    assert not found, "private names of other packages:\n" + "\n".join(found)


def test_the_private_name_check_finds_each_kind(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from mkdocs.utils import _removesuffix\nimport jinja2._compat\n"
                      "from jinja2 import Environment\nEnvironment()._load_template\nplugin.env._env = 1\n")
    found = private_names_of_other_packages([sample])
    assert [line.split(": ", 1)[1] for line in found] == [
        "from mkdocs.utils import _removesuffix", "import jinja2._compat", "._load_template", "._env"], found


def test_mkdocs_macros_hands_each_page_to_our_hooks_and_renders_it_once(tiny, tmp_path):
    """We render a page's macros in mkdocs-macros' documented on_pre_page_macros hook and set its documented
    `render_macros: false`. Were macros to stop honouring either, a page would be rendered twice: the text
    {{ "{{ 1 + 1 }}" }} shows {{ 1 + 1 }} when rendered once, and 2 when rendered twice."""
    project = tiny.parent
    page = project / "docs" / "contact.md"
    page.write_text(page.read_text() + '\nTyped as is: {{ "{{ 1 + 1 }}" }}\n')
    from tools.project import build
    result = build(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "contact" / "index.html").read_text()
    assert "Typed as is: {{ 1 + 1 }}" in html, "a page's macros were rendered twice, or not by our hook"


def test_a_config_without_our_macros_module_says_how_to_add_it(tiny, tmp_path):
    config = tiny.read_text()
    assert "    modules: [clinic_site.plugin]\n" in config
    tiny.write_text(config.replace("    modules: [clinic_site.plugin]\n", ""))
    from tools.project import build
    result = build(tiny, tmp_path / "site")
    assert result.returncode != 0
    assert "mkdocs.yml: plugins.macros.modules: clinic_site.plugin is not among the macros modules. Write modules: " \
           "[clinic_site.plugin] under macros:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
