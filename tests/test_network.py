"""A network of clinics in one repository (tools/network/): each clinic is built, tested, reviewed and deployed on
its own; the checks between clinics run once; CI's rules (which clinics a change runs, where each deploys, what
the summary says) are pure functions, tested here. The workflow files themselves: test_workflows.py."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, build, copy_project

from clinic_site.errors import StaffError
from tools.network import check, ci
from tools.network.ci import ALL, Deploy, Result
from tools.project import PROJECT_PARTS, clinic_name

CLINICS = ["harbor", "kestrel-peak", "wren"]
# The whole repository, as a network's would be, but its Python and npm packages (linked to ours).
NETWORK_PARTS = (*PROJECT_PARTS, "tests", "tools", "benchmarks", "handbook", ".github", "pyproject.toml", "package.json", "package-lock.json",
                 "Makefile", "README.md", "requirements.txt", "requirements-test.txt")


@functools.cache
def repository_findings() -> tuple[check.Finding, ...]:
    """The checks between the repository's clinics, run once for the whole test run."""
    return tuple(check.all_findings(ROOT))


def test_this_clinic_passes_the_checks_between_clinics(clinic_config):
    """Run once, reported per clinic: another clinic's broken file fails that clinic's test, not this one's."""
    assert check.concerning(list(repository_findings()), clinic_name(clinic_config)) == []


# Which clinics a change runs: the one rule.

@pytest.mark.parametrize(("changed", "clinics", "shared"), [
    (["clinics/kestrel-peak/data/clinic.yml"], {"kestrel-peak"}, False),
    (["clinics/kestrel-peak/docs/our-team.md", "clinics/wren/data/conditions.yml"], {"kestrel-peak", "wren"}, False),
    (["clinics/harbor/data/reviews.yml", "handbook/network.md"], {"harbor"}, False),
    (["handbook/network.md"], set(), False),
    (["README.md"], set(), True),
    (["clinics/gone/data/clinic.yml"], set(), False),  # a clinic removed: the shared network check still runs
])
def test_a_change_inside_clinic_folders_runs_those_clinics(changed, clinics, shared):
    assert ci.affected(changed, CLINICS) == (clinics, shared)


@pytest.mark.parametrize("shared_file", [
    "docs/faq.md", "data/crisis.yml", "hooks/clinic_site/render.py", "overrides/main.html", "requirements.txt",
    "package-lock.json", "mkdocs.yml", "tools/network/ci.py", "tests/conftest.py", ".github/workflows/test.yml",
    "Makefile", "clinics/README.md",
])
def test_a_shared_change_runs_every_clinic(shared_file):
    assert ci.affected(["clinics/wren/data/clinic.yml", shared_file], CLINICS) == (ALL, True)
    assert ci.plan("pull_request", [shared_file], CLINICS).clinics == CLINICS


def test_a_pull_request_on_one_clinic_runs_the_shared_quick_tests_and_that_clinic():
    plan = ci.plan("pull_request", ["clinics/wren/data/clinic.yml"], CLINICS)
    assert (plan.clinics, plan.shared) == (["wren"], "quick")
    assert ci.plan("pull_request", ["README.md"], CLINICS) == ci.Plan([], "shared", "only documentation changed")


@pytest.mark.parametrize("event", ["push", "schedule", "workflow_dispatch"])
def test_pushes_and_the_daily_run_test_every_clinic(event):
    plan = ci.plan(event, ["clinics/wren/data/clinic.yml"], CLINICS)
    assert (plan.clinics, plan.shared) == (CLINICS, "shared")


def test_the_matrix_lists_the_default_clinic_and_each_folder():
    clinics, problems = check.network_clinics(ROOT)
    names = [clinic.name for clinic in clinics]  # whichever clinics the repository holds
    entries = ci.matrix(ROOT, names)
    assert problems == [] and [entry["clinic"] for entry in entries] == names
    assert [entry["clinic"] for entry in ci.matrix(ROOT, names[-1:])] == names[-1:]  # only the clinics chosen
    assert entries[0]["config"] == "mkdocs.yml" and all((ROOT / entry["config"]).is_file() for entry in entries)
    assert all(entry["deploy"] in ci.TARGETS for entry in entries)


# Where each clinic deploys: its deploy.yml.

def deploy_file(tmp_path: Path, text: str | None) -> Path:
    folder = tmp_path / "clinics" / "wren"
    folder.mkdir(parents=True, exist_ok=True)
    if text is not None:
        (folder / "deploy.yml").write_text(text)
    return folder


@pytest.mark.parametrize(("text", "target"), [
    (None, Deploy("folder")),
    ("to: github-pages\n", Deploy("github-pages")),
    ("# Our site\nto: netlify\nproject: wren-clinic\n", Deploy("netlify", "wren-clinic")),
    ("to: cloudflare-pages\nproject: wren\n", Deploy("cloudflare-pages", "wren")),
    ("to: none\n", Deploy("none")),
])
def test_a_clinic_says_where_its_site_goes(tmp_path, text, target):
    assert ci.deploy_target(deploy_file(tmp_path, text)) == target


@pytest.mark.parametrize(("text", "message"), [
    ("to: heroku\n", "clinics/wren/deploy.yml:1: to: 'heroku' is not a host the workflow knows. Write one of: github-pages, "),
    ("to: netlify\n", "clinics/wren/deploy.yml: project: netlify needs the project the site is published as. Add project:"),
    ("to: folder\nbranch: main\n", "clinics/wren/deploy.yml:2: branch: this is not a deploy setting. Keep only to: and project:."),
    ("to: netlify\nproject: Wren Clinic\n", "clinics/wren/deploy.yml:2: project: 'Wren Clinic' is not a project name."),
    ("- netlify\n", "clinics/wren/deploy.yml:1: this file is not a list of settings. Write to: and the host"),
])
def test_a_wrong_deploy_file_names_its_line_and_the_fix(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StaffError) as caught:
        ci.deploy_target(deploy_file(tmp_path, text))
    assert str(caught.value).startswith(message)


def test_only_one_clinic_takes_the_repositorys_github_pages(tmp_path):
    clinics = []
    for name in ("ash", "birch"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "deploy.yml").write_text("to: github-pages\n")
        clinics.append(check.NetworkClinic(name, folder / "mkdocs.yml", folder))
    targets, problems = ci.deploy_targets(clinics)
    assert targets == {"ash": Deploy("github-pages")} and list(problems) == ["birch"]
    assert "to: github-pages is already ash's" in problems["birch"]


# The run's summary and the deploys: another clinic's failure never blocks a clinic.

BUILD_LOG = """INFO    -  Cleaning site directory
ERROR   -  clinics/wren/data/clinic.yml:4: phone: this key is written twice. Keep one phone line.
Aborted with a configuration error!
"""
TEST_LOG = """tests/test_site.py::test_home[wren] FAILED
=========================== short test summary info ============================
FAILED tests/test_site.py::test_home[wren] - AssertionError: no phone on the home page
FAILED tests/test_jsonld.py::test_facts[wren]
"""


def test_why_a_clinic_failed_comes_from_its_logs():
    assert ci.why_failed(BUILD_LOG) == ["clinics/wren/data/clinic.yml:4: phone: this key is written twice. Keep one phone line."]
    assert ci.why_failed(TEST_LOG) == ["tests/test_site.py::test_home[wren]: AssertionError: no phone on the home page",
                                       "tests/test_jsonld.py::test_facts[wren]: failed"]
    network = ("wren: clinics/wren/data/clinic.yml:3: name: this key is written twice. Keep one.\n"
               "clinics/wren/mkdocs.yml: site_name: this clinic's config sets no site_name. Set site_name in this file.\n"
               "network check (clinic wren): 2 problems\n")
    assert ci.why_failed(network) == ["clinics/wren/data/clinic.yml:3: name: this key is written twice. Keep one.",
                                      "clinics/wren/mkdocs.yml: site_name: this clinic's config sets no site_name. Set site_name in this file."]
    many = "".join(f"FAILED tests/test_x.py::t{i}\n" for i in range(8))
    assert ci.why_failed(many)[-1] == "... and 3 more"


def results(**outcomes: str) -> list[Result]:
    return [Result(name, {"network": "success", "build": outcome, "tests": "success" if outcome == "success" else "skipped"},
                   [] if outcome == "success" else ["clinics/wren/data/clinic.yml:4: phone: this key is written twice."])
            for name, outcome in outcomes.items()]


TARGETS = {"harbor": Deploy("github-pages"), "kestrel-peak": Deploy("netlify", "kestrel"), "wren": Deploy("folder")}


def test_each_clinic_that_passed_deploys_whatever_another_did():
    run = results(harbor="success", **{"kestrel-peak": "success"}, wren="failure")
    assert ci.deployable(run, "success", TARGETS) == [
        {"clinic": "harbor", "deploy": "github-pages", "project": ""},
        {"clinic": "kestrel-peak", "deploy": "netlify", "project": "kestrel"}]
    assert ci.deployable(run, "failure", TARGETS) == [], "nothing deploys until the shared tests pass"
    assert ci.deployable(results(harbor="success"), "success", {"harbor": Deploy("none")}) == []


def test_the_summary_says_which_clinic_failed_and_why():
    run = results(harbor="success", wren="failure")
    deploys = ci.deployable(run, "success", TARGETS)
    text = ci.summary(run, "success", ["harbor", "kestrel-peak", "wren"], deploys)
    assert "| harbor | passed |  |" in text
    assert "| kestrel-peak | no result | the job did not finish: open it in the run |" in text
    assert "| wren | failed: build | clinics/wren/data/clinic.yml:4: phone: this key is written twice. |" in text
    assert text.rstrip().endswith("Deploys: harbor to github-pages")
    assert "no clinic deploys until they pass" in ci.summary(run, "failure", ["harbor"], [])


def test_the_report_command_reads_each_clinics_result(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "results"
    folder.mkdir()
    for result in results(harbor="success", **{"kestrel-peak": "failure"}):
        (folder / f"{result.clinic}.json").write_text(json.dumps({"clinic": result.clinic, "steps": result.steps, "why": result.why}))
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert ci.main(["report", str(folder), "--shared", "success", "--tested", "harbor,kestrel-peak"]) == 0
    deploy = json.loads(re.search(r"^deploy=(.*)$", output.read_text(), re.M).group(1))
    assert [entry["clinic"] for entry in deploy["include"]] == ["harbor"]
    assert "| kestrel-peak | failed: build |" in summary.read_text()


# A fixture network of three: one clinic's broken data leaves the others' build, tests, reviews and deploy green.

@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Path:
    """The two clinics plus a third, wren, whose clinic.yml has a key written twice and whose conditions.yml names
    an unknown category: the mistakes that used to stop every clinic's build and test collection."""
    root = copy_project(tmp_path_factory.mktemp("network") / "project",
                        parts=NETWORK_PARTS).parent
    (root / "node_modules").symlink_to(ROOT / "node_modules")  # kestrel-peak's staff editor is copied from it
    wren = root / "clinics" / "wren"
    shutil.copytree(root / "clinics" / "kestrel-peak", wren)
    config = (wren / "mkdocs.yml").read_text()
    config = re.sub(r"^site_name: .*$", "site_name: Wren Valley Infusions", config, flags=re.M)
    (wren / "mkdocs.yml").write_text(re.sub(r"^site_url: .*$", "site_url: https://wrenvalley.example/", config, flags=re.M))
    clinic = (wren / "data" / "clinic.yml").read_text()
    clinic = re.sub(r"^name: .*$", "name: Wren Valley Infusions\nname: Wren Valley", clinic, count=1, flags=re.M)
    (wren / "data" / "clinic.yml").write_text(clinic)
    conditions = wren / "data" / "conditions.yml"
    conditions.write_text(re.sub(r"category: \w+", "category: nerves", conditions.read_text(), count=1))
    return root


def test_a_broken_clinic_stops_only_its_own_build(network, tmp_path):
    for config in (network / "mkdocs.yml", network / "clinics" / "kestrel-peak" / "mkdocs.yml"):
        result = build(config, tmp_path / config.parent.name, TODAY)
        assert result.returncode == 0, result.stderr
    result = build(network / "clinics" / "wren" / "mkdocs.yml", tmp_path / "wren", TODAY)
    assert result.returncode != 0 and "clinics/wren/data/clinic.yml:" in result.stderr and "name" in result.stderr


def test_the_network_check_names_the_broken_clinic_and_passes_the_others(network):
    problems = check.check(network)
    assert problems and all(problem.startswith("wren: clinics/wren/data/") for problem in problems), problems
    assert check.check(network, "harbor") == [] and check.check(network, "kestrel-peak") == []
    assert check.main(["--root", str(network), "--clinic", "wren"]) == 1
    assert check.main(["--root", str(network), "--clinic", "kestrel-peak"]) == 0


def test_make_reviews_reports_every_clinic_the_broken_one_too(network):
    result = subprocess.run([sys.executable, "-m", "tools.reviews"], cwd=network, capture_output=True, text=True)
    assert result.returncode == 1
    named = [line.split(":")[0] for line in result.stdout.splitlines() if line and not line.startswith((" ", "\n"))]
    assert list(dict.fromkeys(named)) == [clinic.name for clinic in check.network_clinics(network)[0]]  # every clinic, wren too
    assert "wren: not checked: its files do not load" in result.stdout
    assert "clinics/wren/data/clinic.yml:" in result.stderr


def test_another_clinics_tests_collect_and_pass_beside_the_broken_one(network):
    kestrel = "clinics/kestrel-peak/mkdocs.yml"
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", "per_clinic",
                                f"--clinic={kestrel}"], cwd=network, capture_output=True, text=True)
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-2000:]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "per_clinic and not browser and not java",
                             f"--clinic={kestrel}", "tests/test_jsonld.py", "tests/test_data.py",
                             "tests/test_clinics.py::test_nothing_of_another_clinic_is_published"],
                            cwd=network, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "wren" not in result.stdout


def test_the_broken_clinic_fails_its_own_job_and_the_others_deploy(network, tmp_path):
    wren_build = build(network / "clinics" / "wren" / "mkdocs.yml", tmp_path / "wren", TODAY)
    why = ci.why_failed(wren_build.stderr)
    assert why and why[0].startswith("clinics/wren/data/clinic.yml:")
    run = [Result("harbor", {"network": "success", "build": "success", "tests": "success"}, []),
           Result("kestrel-peak", {"network": "success", "build": "success", "tests": "success"}, []),
           Result("wren", {"network": "failure", "build": "failure", "tests": "skipped"}, why)]
    clinics, _ = check.network_clinics(network)
    targets, problems = ci.deploy_targets(clinics)
    assert problems == {}
    assert [entry["clinic"] for entry in ci.deployable(run, "success", targets)] == ["harbor", "kestrel-peak"]
    assert "| wren | failed: network, build | clinics/wren/data/clinic.yml:" in ci.summary(run, "success", CLINICS, [])


def collected(*args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode in (0, 5), result.stdout[-2000:] + result.stderr[-2000:]
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_the_themes_own_browser_checks_run_for_the_default_clinic_only():
    other = next(config for config in sorted((ROOT / "clinics").glob("*/mkdocs.yml")))
    for_default = collected("--clinic=mkdocs.yml", "tests/test_search.py")
    for_other = collected(f"--clinic={other.relative_to(ROOT)}", "tests/test_search.py")
    theme_only = "test_the_search_page_opens_search_with_focus_in_the_field"
    assert any(theme_only in line for line in for_default)
    assert not any(theme_only in line for line in for_other)
    assert any("test_only_the_search_page_has_the_search_form" in line for line in for_other), "its data's checks still run"
    shared = collected("-m", "not per_clinic", "tests/test_search.py", "tests/test_network.py")
    assert shared and not any("[" + other.parent.name in line for line in shared)


def test_the_plan_command_writes_the_matrix_for_the_workflow(tmp_path, monkeypatch):
    changed = tmp_path / "changed.txt"
    changed.write_text("clinics/kestrel-peak/data/clinic.yml\n")
    output = tmp_path / "output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    assert ci.main(["plan", "--event", "pull_request", "--changed", str(changed)]) == 0
    values = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert [entry["clinic"] for entry in json.loads(values["matrix"])["include"]] == ["kestrel-peak"]
    assert (values["any"], values["shared"], values["clinics"]) == ("true", "quick", "kestrel-peak")


def test_the_result_command_keeps_why_a_clinic_failed(tmp_path, monkeypatch, capsys):
    log = tmp_path / "build.log"
    log.write_text(BUILD_LOG)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    assert ci.main(["result", "--clinic", "wren", "--step", "build=failure", "--step", "tests=skipped", "--log", str(log)]) == 0
    result = json.loads(capsys.readouterr().out.splitlines()[0])
    assert result == {"clinic": "wren", "steps": {"build": "failure", "tests": "skipped"},
                      "why": ["clinics/wren/data/clinic.yml:4: phone: this key is written twice. Keep one phone line."]}
    assert (tmp_path / "summary.md").read_text().startswith("### wren: failed\n")


def test_a_wrong_deploy_file_fails_the_network_check_of_its_clinic_only(tmp_path):
    root = copy_project(tmp_path / "project").parent
    (root / "clinics" / "kestrel-peak" / "deploy.yml").write_text("to: heroku\n")
    assert check.check(root, "kestrel-peak") == [
        "kestrel-peak: clinics/kestrel-peak/deploy.yml:1: to: 'heroku' is not a host the workflow knows. "
        "Write one of: github-pages, cloudflare-pages, netlify, folder, none."]
    assert check.check(root, "harbor") == []


def test_tests_on_a_site_built_before_need_that_site_and_one_clinic(tmp_path):
    """`make test TESTS=clinic CONFIG=... BUILT=site` (CI's clinic job): a folder that is no built site stops the run."""
    for args in ([f"--built-site={tmp_path}", "--clinic=mkdocs.yml"], [f"--built-site={tmp_path}"]):
        result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args,
                                 "tests/test_site.py"], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 4
        assert f"BUILT: {tmp_path} is not a built site of the one clinic given with CONFIG." in result.stderr
