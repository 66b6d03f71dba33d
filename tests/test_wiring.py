"""How the code is built: an engine-free core, one MkDocs entry point, each module loaded once per build,
each data file read once, and compiled theme templates kept between the rebuilds of `mkdocs serve`."""

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
    import collections, json, os, sys
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

    results = []
    for run in range(2):
        reads.clear(); compiled.clear()
        build(load_config(sys.argv[1], site_dir=sys.argv[2] + str(run)))
        results.append({"reads": dict(reads), "compiled": [name for name in compiled if name and name.endswith(".html")]})
    ours = {name: module.__file__ for name, module in sys.modules.items() if getattr(module, "__file__", None)
            and "clinic_site" in module.__file__}
    print(json.dumps({"runs": results, "modules": ours}))
""")


def test_each_module_and_data_file_is_loaded_once_and_templates_compile_once(tmp_path):
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
    files = list(report["modules"].values())
    assert len(files) == len(set(files)), "a module of ours was loaded twice under two names"
    assert all(name.startswith("clinic_site") for name in report["modules"]), report["modules"]
