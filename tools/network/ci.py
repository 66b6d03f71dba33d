"""A network of clinics in CI: which clinics a run tests, where each deploys, and what the run's summary says.

The workflow (.github/workflows/test.yml) calls it; the rules live here, as pure functions with tests
(tests/test_network.py):

    python -m tools.network.ci plan --event pull_request --changed changed.txt   # the matrix, to $GITHUB_OUTPUT
    python -m tools.network.ci result --clinic harbor --step build=success ...  # one clinic's outcome, as JSON
    python -m tools.network.ci report results/ --shared success                  # the summary and the deploys

Which clinics a change runs (`affected`): a change only inside clinics/<name>/ runs that clinic's tests and the
shared quick ones; a change to the handbook or the README runs the shared tests only; any other change (shared
pages, shared data, code, theme, tests, pins, workflows) runs every clinic. Pushes to main, the daily run and
manual runs test every clinic.

Where a clinic deploys (`deploy_target`): its folder's deploy.yml, e.g. `to: netlify` and `project: my-site`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from clinic_site.errors import StaffError
from clinic_site.yamlfile import read_yaml
from tools.network.check import NetworkClinic, network_clinics
from tools.project import ROOT

DEPLOY_FILE = "deploy.yml"
# Where a site can go, and what each needs. `folder` keeps the built site as the run's artifact for any host.
TARGETS = {
    "github-pages": (),  # this repository's GitHub Pages: one clinic at most
    "cloudflare-pages": ("project",),
    "netlify": ("project",),
    "folder": (),
    "none": (),
}
ALL = "all"


@dataclass(frozen=True)
class Deploy:
    to: str
    project: str = ""


@dataclass(frozen=True)
class Plan:
    clinics: list[str]  # the clinics this run tests
    shared: str  # "shared" (every shared test) or "quick": which shared tests run
    reason: str


def affected(changed: Iterable[str], clinics: Iterable[str]) -> tuple[set[str] | str, bool]:
    """(the clinics a change touches, or ALL; whether it touches anything outside clinic folders and docs).

    The one rule for changed-only runs: a path clinics/<name>/... touches clinic <name> alone; handbook/ and
    README.md touch no clinic; anything else is shared and touches every clinic.
    """
    known = set(clinics)
    touched: set[str] = set()
    shared = False
    for path in changed:
        parts = PurePosixPath(path.strip()).parts
        if not parts:
            continue
        if parts[0] == "clinics" and len(parts) > 2:
            if parts[1] in known:
                touched.add(parts[1])
            continue  # a clinic folder that is gone: the network check (shared) still runs
        if path == "README.md":  # its tables are checked by the shared tests
            shared = True
            continue
        if parts[0] == "handbook" and len(parts) > 1:
            continue
        return ALL, True
    return touched, shared


def plan(event: str, changed: Iterable[str] | None, clinics: list[str]) -> Plan:
    """What a run tests: every clinic, except on a pull request whose changed files say fewer."""
    if event != "pull_request" or changed is None:
        return Plan(sorted(clinics), "shared", f"a {event} run tests every clinic")
    touched, shared = affected(changed, clinics)
    if touched == ALL:
        return Plan(sorted(clinics), "shared", "a shared file changed: every clinic")
    names = sorted(touched)
    return Plan(names, "shared" if shared else "quick",
                f"only {', '.join(f'clinics/{name}/' for name in names) or 'documentation'} changed")


def deploy_target(folder: Path) -> Deploy:
    """The clinic's deploy.yml, checked; without one, the site is kept as a folder (the run's artifact)."""
    path = folder / DEPLOY_FILE
    if not path.is_file():
        return Deploy("folder")
    document = read_yaml(path)
    value = document.value if isinstance(document.value, dict) else None
    if value is None:
        raise StaffError(path, 1, None, "this file is not a list of settings",
                         "Write to: and the host, for example to: netlify (handbook/network.md).")
    for key in value:
        if key not in ("to", "project"):
            raise StaffError(path, document.line((key,)), str(key), "this is not a deploy setting", "Keep only to: and project:.")
    to = str(value.get("to") or "")
    if to not in TARGETS:
        raise StaffError(path, document.line(("to",)) if "to" in value else 1, "to", f"'{to}' is not a host the workflow knows",
                         f"Write one of: {', '.join(TARGETS)}.")
    for key in TARGETS[to]:
        if not value.get(key):
            raise StaffError(path, None, key, f"{to} needs the {key} the site is published as",
                             f"Add {key}: and the {to} project's name.")
    if value.get("project") and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", str(value["project"])):
        raise StaffError(path, document.line(("project",)), "project", f"'{value['project']}' is not a project name",
                         "Use lowercase letters, digits and dashes.")
    return Deploy(to, str(value.get("project") or ""))


def deploy_targets(clinics: list[NetworkClinic]) -> tuple[dict[str, Deploy], dict[str, str]]:
    """Each clinic's deploy target, and the problem of each clinic whose deploy.yml is wrong (that clinic only)."""
    targets, problems = {}, {}
    for clinic in clinics:
        try:
            targets[clinic.name] = deploy_target(clinic.folder)
        except StaffError as error:
            problems[clinic.name] = str(error)
    pages = sorted(name for name, target in targets.items() if target.to == "github-pages")
    for name in pages[1:]:
        problems[name] = (f"clinics/{name}/{DEPLOY_FILE}: to: github-pages is already {pages[0]}'s (a repository has one "
                          "GitHub Pages site). Use cloudflare-pages, netlify or folder.")
        del targets[name]
    return targets, problems


def matrix(root: Path, chosen: list[str]) -> list[dict[str, str]]:
    """One matrix entry per clinic: its name, config (as `make` takes it) and deploy target."""
    clinics, _ = network_clinics(root)
    targets, _ = deploy_targets(clinics)
    return [{"clinic": clinic.name, "config": clinic.config.relative_to(root).as_posix(),
             "deploy": targets.get(clinic.name, Deploy("none")).to, "project": targets.get(clinic.name, Deploy("none")).project}
            for clinic in clinics if clinic.name in chosen]


# One clinic's outcome, and the run's summary.

@dataclass(frozen=True)
class Result:
    clinic: str
    steps: dict[str, str]  # step -> success, failure, skipped, cancelled
    why: list[str]

    @property
    def passed(self) -> bool:
        return bool(self.steps) and all(outcome == "success" for outcome in self.steps.values())


# A staff message anywhere in a line (after "ERROR - ", or a clinic's name): `file[:line]: key: problem. fix`.
STAFF_LINE = re.compile(r"(?<!\S)(?P<message>[^\s:]+\.(?:yml|yaml|md|html|json|txt|css|js)(?::\d+)?: .+)$")
PYTEST_FAILED = re.compile(r"^(?:FAILED|ERROR) (?P<test>\S+)(?: - (?P<why>.*))?$")


def why_failed(log: str, limit: int = 5) -> list[str]:
    """The lines of a build or test log that say why: staff messages (file:line: ...) and pytest's FAILED lines."""
    found = []
    for line in log.splitlines():
        line = line.strip()
        if match := PYTEST_FAILED.match(line):
            found.append(f"{match['test']}: {match['why'] or 'failed'}")
        elif (match := STAFF_LINE.search(line)) and not line.startswith(("tests/", "INFO", "WARNING")):
            found.append(match["message"])
    unique = list(dict.fromkeys(found))
    return unique[:limit] + ([f"... and {len(unique) - limit} more"] if len(unique) > limit else [])


def deployable(results: list[Result], shared: str, targets: dict[str, Deploy]) -> list[dict[str, str]]:
    """The clinics that deploy: each whose own steps passed, when the shared tests passed. Another clinic's
    failure never removes a clinic from this list."""
    if shared != "success":
        return []
    return [{"clinic": result.clinic, "deploy": targets[result.clinic].to, "project": targets[result.clinic].project}
            for result in sorted(results, key=lambda r: r.clinic)
            if result.passed and result.clinic in targets and targets[result.clinic].to != "none"]


def summary(results: list[Result], shared: str, tested: list[str], deploys: list[dict[str, str]]) -> str:
    """The run's summary in Markdown: one row per clinic (passed, or which step failed and why), then the deploys."""
    lines = ["## Clinics", "", f"Shared tests: {'passed' if shared == 'success' else shared}"
             + ("" if shared == "success" else " (no clinic deploys until they pass)"), "",
             "| Clinic | Result | Why |", "| --- | --- | --- |"]
    by_name = {result.clinic: result for result in results}
    for name in tested:
        result = by_name.get(name)
        if result is None:
            lines.append(f"| {name} | no result | the job did not finish: open it in the run |")
            continue
        failed = ([step for step, outcome in result.steps.items() if outcome in ("failure", "cancelled")]
                  or [step for step, outcome in result.steps.items() if outcome != "success"])
        why = "<br>".join(line.replace("|", "\\|") for line in result.why) or (f"{', '.join(failed)}" if failed else "")
        lines.append(f"| {name} | {'passed' if result.passed else 'failed: ' + ', '.join(failed)} | {why} |")
    lines += ["", "Deploys: " + (", ".join(f"{d['clinic']} to {d['deploy']}" for d in deploys) or "none")]
    return "\n".join(lines) + "\n"


def read_results(folder: Path) -> list[Result]:
    results = []
    for path in sorted(folder.rglob("*.json")) if folder.is_dir() else []:
        value = json.loads(path.read_text())
        results.append(Result(value["clinic"], value["steps"], value.get("why", [])))
    return results


def write_output(name: str, value: str) -> None:
    """A step output for later jobs ($GITHUB_OUTPUT), or printed when run by hand."""
    if target := os.environ.get("GITHUB_OUTPUT"):
        with open(target, "a", encoding="utf-8") as output:
            output.write(f"{name}={value}\n")
    else:
        print(f"{name}={value}")


def write_summary(text: str) -> None:
    """To the run's summary page ($GITHUB_STEP_SUMMARY), and to the log (stderr: stdout may be the result's JSON)."""
    if target := os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(target, "a", encoding="utf-8") as output:
            output.write(text)
    print(text, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    planning = commands.add_parser("plan", help="the clinics to test and the matrix")
    planning.add_argument("--event", default="push")
    planning.add_argument("--changed", type=Path, help="a file listing the changed paths, one a line (pull requests)")
    one = commands.add_parser("result", help="one clinic's outcome as JSON")
    one.add_argument("--clinic", required=True)
    one.add_argument("--step", action="append", default=[], metavar="NAME=OUTCOME")
    one.add_argument("--log", action="append", default=[], type=Path)
    report = commands.add_parser("report", help="the run's summary and the clinics that deploy")
    report.add_argument("results", type=Path)
    report.add_argument("--shared", required=True, help="the shared job's result")
    report.add_argument("--tested", default="", help="the clinics the run tested, comma-separated")
    args = parser.parse_args(argv)
    root = ROOT
    if args.command == "plan":
        names = [clinic.name for clinic in network_clinics(root)[0]]
        changed = args.changed.read_text().splitlines() if args.changed else None
        chosen = plan(args.event, changed, names)
        print(f"{chosen.reason}: {', '.join(chosen.clinics) or 'no clinic'}; shared tests: {chosen.shared}", file=sys.stderr)
        write_output("matrix", json.dumps({"include": matrix(root, chosen.clinics)}))
        write_output("any", "true" if chosen.clinics else "false")
        write_output("shared", chosen.shared)
        write_output("clinics", ",".join(chosen.clinics))
        return 0
    if args.command == "result":
        steps = dict(step.split("=", 1) for step in args.step)
        logs = "\n".join(path.read_text(errors="replace") for path in args.log if path.is_file())
        result = Result(args.clinic, steps, [] if all(v == "success" for v in steps.values()) else why_failed(logs))
        print(json.dumps(asdict(result)))
        status = "passed" if result.passed else "failed"
        write_summary(f"### {args.clinic}: {status}\n\n" + "".join(f"- {line}\n" for line in result.why))
        return 0
    results = read_results(args.results)
    clinics, _ = network_clinics(root)
    targets, problems = deploy_targets(clinics)
    results = [Result(r.clinic, {**r.steps, **({"deploy.yml": "failure"} if r.clinic in problems else {})},
                      r.why + ([problems[r.clinic]] if r.clinic in problems else [])) for r in results]
    tested = [name for name in args.tested.split(",") if name] or sorted(r.clinic for r in results)
    deploys = deployable(results, args.shared, targets)
    write_summary(summary(results, args.shared, tested, deploys))
    write_output("deploy", json.dumps({"include": deploys}))
    write_output("any", "true" if deploys else "false")
    return 0


if __name__ == "__main__":
    sys.exit(main())
