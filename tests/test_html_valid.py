"""The Nu HTML Checker (vnu-jar, pinned in package.json, run with the machine's Java) finds no errors.

One Java start checks every built page plus one page that is broken on purpose, so the test also shows
that the checker really runs and reports.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import ROOT, browser_pages

pytestmark = pytest.mark.java

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BROKEN_PAGE = '<!doctype html><html lang="en"><title>t</title><p><input type="checkbox" autocomplete="off"></p></html>'


def vnu_errors(files: list[Path]) -> dict[Path, list[str]]:
    """Errors per file, each as 'line:column: message'."""
    if shutil.which("java") is None:
        pytest.fail("java is missing: run `make test`, which installs a Java runtime")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `make test`, which runs `npm ci`")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True, text=True,
    )
    errors: dict[Path, list[str]] = {}
    for message in json.loads(result.stderr)["messages"]:
        path = Path(unquote(urlparse(message["url"]).path))
        errors.setdefault(path, []).append(
            f"{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}: {message['message']}")
    return errors


def test_every_page_is_valid_html(clinic, site, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    pages = browser_pages(clinic)
    errors = vnu_errors([*pages, broken])

    assert any("autocomplete" in line for line in errors.pop(broken, [])), "the checker missed a known error"
    report = [f"{path.relative_to(site)}:{line}" for path, lines in sorted(errors.items()) for line in lines]
    assert not report, f"{len(report)} HTML errors in {len(errors)} of {len(pages)} pages:\n" + "\n".join(report)
