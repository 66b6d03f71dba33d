"""The second engine: ProperDocs 1.6.7 in place of MkDocs 1.6.1 builds each clinic's site the same.

`make test-properdocs` runs the whole suite on ProperDocs (its own venv, .venv-properdocs) and this file
there too; CI runs it in .github/workflows/engines.yml. The comparison needs both venvs: it is skipped when
the other one is missing, except when CLINIC_SITE_ENGINES=both (set by make test-properdocs and CI), where a
missing venv fails.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from tools.project import ENGINE

ENGINES = {"mkdocs": ROOT / ".venv" / "bin" / "python", "properdocs": ROOT / ".venv-properdocs" / "bin" / "python"}
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def pins(name: str) -> set[str]:
    return {line.strip() for line in (ROOT / name).read_text().splitlines()
            if line.strip() and not line.startswith(("#", "-r"))}


def test_the_properdocs_pins_are_the_mkdocs_pins_but_the_engine():
    expected = (pins("requirements.txt") - {"mkdocs==1.6.1"}) | pins("requirements-test.txt") | {"properdocs==1.6.7"}
    assert pins("requirements-properdocs.txt") == expected, "requirements-properdocs.txt is out of step: " \
        f"missing {sorted(expected - pins('requirements-properdocs.txt'))}, extra {sorted(pins('requirements-properdocs.txt') - expected)}"


def test_this_run_uses_the_engine_it_says():
    import mkdocs
    assert mkdocs.__name__ == ENGINE, (mkdocs.__name__, ENGINE)  # ProperDocs answers `import mkdocs` with itself


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site, the generator tag (which names the engine) left out of the pages."""
    return {path.relative_to(site).as_posix(): GENERATOR.sub(b"", path.read_bytes()) if path.suffix == ".html" else path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


def engine_build(engine: str, config: Path, site: Path) -> None:
    python = ENGINES[engine]
    if not python.exists():
        if os.environ.get("CLINIC_SITE_ENGINES") == "both":
            pytest.fail(f"{python} is missing: make .venv-properdocs/.deps installs it")
        pytest.skip(f"{python} is missing (make test-properdocs makes it and runs this)")
    result = subprocess.run([str(python), "-m", engine, "build", "--strict", "-f", str(config), "-d", str(site)],
                            capture_output=True, text=True, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]


def test_both_engines_build_the_same_site(clinic_config, tmp_path):
    sites = {}
    for engine in ENGINES:
        sites[engine] = tmp_path / engine
        engine_build(engine, clinic_config, sites[engine])
    mkdocs_files, properdocs_files = (site_files(site) for site in sites.values())
    assert mkdocs_files.keys() == properdocs_files.keys(), sorted(mkdocs_files.keys() ^ properdocs_files.keys())
    differing = [name for name in mkdocs_files if mkdocs_files[name] != properdocs_files[name]]
    assert not differing, f"the engines built these files differently: {differing[:10]}"
    assert GENERATOR.search((sites["properdocs"] / "index.html").read_bytes()), "no generator tag: the check saw nothing"


def test_the_comparison_sees_a_difference(tmp_path):
    """Guards the test above: a page that differs in more than the generator tag is caught."""
    one, two = tmp_path / "one", tmp_path / "two"
    for site, generator, text in ((one, b"mkdocs-1.6.1", b"Call us"), (two, b"mkdocs-ProperDocs 1.6.7", b"Call us")):
        site.mkdir()
        (site / "index.html").write_bytes(b'<meta name="generator" content="' + generator + b'"><p>' + text + b"</p>")
    assert site_files(one) == site_files(two)
    (two / "index.html").write_bytes((two / "index.html").read_bytes().replace(b"Call us", b"Call them"))
    assert site_files(one) != site_files(two)
