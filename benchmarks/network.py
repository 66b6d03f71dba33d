"""A network of clinics: N fictional clinics made by the scaffold, their build and test times, and CI's wall time.

For each N (1, 5 and 25 by default) it copies the project into a temporary folder, adds N clinics with
`tools.new_clinic` (each with its own name, phone, email, web domain, street, reviewer and conditions), then
times, on this machine:

- the strict build of each generated clinic (mean and total);
- the checks between clinics (`python -m tools.network.check`) over the whole network;
- the per-clinic tests of a sample of generated clinics (`make test TESTS=clinic CONFIG=...`: its one build
  and its tests, in parallel as `make test` runs them);

and prints the CI wall time projected for a matrix of M runners (one job per clinic, the shared tests in one
job beside them): max(shared, ceil(clinics / M) x (job set-up + per-clinic job)). Job set-up and the shared
tests' time are assumptions unless measured (`--measure-shared`). It prints figures and never fails on them.

    python -m benchmarks.network                      # N = 1, 5, 25
    python -m benchmarks.network --clinics 10 --runners 1 10 --sample 2
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from tools.network.check import network_clinics
from tools.new_clinic import create
from tools.project import PROJECT_PARTS, ROOT, build, copy_project

PARTS = (*PROJECT_PARTS, "tests", "tools", "pyproject.toml", "package.json", "package-lock.json", "Makefile", "README.md",
         "requirements.txt", "requirements-test.txt", ".github")
FIRST = ("Nor", "Quen", "Vel", "Tam", "Oro", "Lis", "Fen", "Ysk", "Bram", "Dal")
LAST = ("vale", "by", "mont", "rick", "wood", "holm")
PEOPLE = ("Imani Okafor", "Tomas Lindqvist", "Priya Raman", "Mateo Vargas", "Hana Sato", "Oluwaseun Adeyemi", "Greta Novak")
CONDITION_BLOCK = re.compile(r"^- id: .*?(?=^- id: |\Z)", re.M | re.S)
FILL = re.compile(r'^(\s*-?\s*)(\w+): \[?"FILL IN[^"]*"\]?$', re.M)


def clinic_values(number: int, today: date) -> dict[str, str]:
    """The facts of generated clinic `number`: each its own name, phone, email, domain, street and reviewer."""
    word = FIRST[number % len(FIRST)] + LAST[number // len(FIRST) % len(LAST)]
    slug = f"{word.lower()}{number}"
    return {
        "site_name": f"{word} Infusion Center", "site_url": f"https://{slug}.example/",
        "site_description": f"IV ketamine infusions at {word}, explained in plain words.",
        "name": f"{word} Infusion Center", "short_name": word, "phone": f"({620 + number}) 555-01{number % 100:02d}",
        "email": f"care@{slug}.example", "street": f"{10 + number} {word} Road", "city": "Riverton", "region": "OR",
        "postal_code": f'"97{number:03d}"', "days": "[Monday, Wednesday]", "opens": '"09:00"', "closes": '"17:00"',
        "states_served": "[Oregon]", "item": "One infusion", "methods": "[credit-card, hsa]", "insurance": "self-pay",
        "required_for_mental_health": "false", "rule": "fast", "hours": "4", "driver_required": "true", "trial_first": "true",
        "infusion_minutes_min": "40", "infusion_minutes_max": "50", "observation_minutes": "30", "premedication": "true",
        "setting": "a quiet room with a reclining chair", "workers_compensation": "false", "prior_authorization": "false",
        "id": f"reviewer{number}", "reviewed_by": f"reviewer{number}",
        "credentials": "MD, board-certified in anesthesiology", "role": "Medical director",
        "last_reviewed": today.isoformat(), "next_review": today.replace(year=today.year + 1).isoformat(),
        "reviewer": f"Dr. {PEOPLE[number % len(PEOPLE)]} {word}",
    }


def fill(path: Path, values: dict[str, str]) -> None:
    def value_for(match: re.Match) -> str:
        return f"{match.group(1)}{match.group(2)}: {values[match.group(2)]}"

    text = FILL.sub(value_for, path.read_text())
    path.write_text(text.replace("https://fill-in.example/", values["site_url"]))


def add_clinic(root: Path, number: int, conditions: list[str], today: date) -> Path:
    """A clinic from the scaffold, filled in: three of the default clinic's conditions, a different three for each."""
    values = clinic_values(number, today)
    folder = create(f"generated {number}", root)
    fill(folder / "mkdocs.yml", values)
    for name in ("clinic.yml", "reviews.yml"):
        fill(folder / "data" / name, values)
    fill(folder / "data" / "reviewers.yml", {**values, "name": values["reviewer"]})
    chosen = [conditions[(number + step) % len(conditions)] for step in range(3)]
    (folder / "data" / "conditions.yml").write_text("".join(block.rstrip() + "\n" for block in chosen))
    return folder / "mkdocs.yml"


def network(destination: Path, count: int, today: date) -> tuple[Path, list[Path]]:
    root = copy_project(destination, parts=PARTS).parent
    if (ROOT / "node_modules").is_dir():
        (root / "node_modules").symlink_to(ROOT / "node_modules")
    default = network_clinics(root)[0][0]
    conditions = CONDITION_BLOCK.findall((default.folder / "data" / "conditions.yml").read_text())
    return root, [add_clinic(root, number, conditions, today) for number in range(1, count + 1)]


def cpu_seconds() -> float:
    """CPU time of this process's finished children (builds, pytest and its workers, Chromium, Java): unlike the
    wall time, it hardly changes when other work shares the machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds, result)."""
    start, cpu = time.perf_counter(), cpu_seconds()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start, cpu_seconds() - cpu, result


def clinic_tests(root: Path, config: Path, jobs: str) -> tuple[float, float, str]:
    """One clinic's per-clinic job as CI runs it: its tests on one strict build (the clinic fixture's)."""
    seconds, cpu, result = timed([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", jobs,
                                  "-m", "per_clinic and not external", f"--clinic={config.relative_to(root)}"], root)
    lines = result.stdout.strip().splitlines() or ["no output"]
    failed = [line for line in lines if line.startswith(("FAILED ", "ERROR "))]
    return seconds, cpu, "; ".join([lines[-1], *failed])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.network", description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, nargs="+", default=[1, 5, 25], metavar="N")
    parser.add_argument("--runners", type=int, nargs="+", default=[1, 5, 20], metavar="M", help="matrix sizes to project")
    parser.add_argument("--sample", type=int, default=1, help="generated clinics whose tests are timed, for each N")
    parser.add_argument("--jobs", default="auto", help="pytest-xdist workers for the per-clinic tests (as make test)")
    parser.add_argument("--job-setup", type=float, default=60.0, help="seconds a CI job spends on checkout and installs (assumed)")
    parser.add_argument("--shared-seconds", type=float, default=180.0, help="the shared tests' time, when not measured")
    parser.add_argument("--measure-shared", action="store_true", help="time `make test TESTS=shared` once instead")
    args = parser.parse_args(argv)
    today = date.today()
    shared, shared_note = args.shared_seconds, "assumed (--shared-seconds)"
    print(f"{os.cpu_count()} cores; job set-up {args.job_setup:.0f} s (assumed)", flush=True)
    for count in args.clinics:
        with tempfile.TemporaryDirectory(prefix="network-") as folder:
            root, configs = network(Path(folder) / "project", count, today)
            builds, build_cpu = [], []
            for config in configs:
                start, cpu = time.perf_counter(), cpu_seconds()
                result = build(config, Path(folder) / "site" / config.parent.name, today)
                builds.append(time.perf_counter() - start)
                build_cpu.append(cpu_seconds() - cpu)
                if result.returncode != 0:
                    print(f"  {config.parent.name}: the build failed:\n{result.stderr[-1500:]}")
            check_seconds, check_cpu, check = timed([sys.executable, "-m", "tools.network.check"], root)
            total = len(network_clinics(root)[0])
            print(f"\nN = {count} generated clinics ({total} in the network); load average {os.getloadavg()[0]:.1f}", flush=True)
            print(f"  build: {statistics.mean(builds):.1f} s per clinic (min {min(builds):.1f}, max {max(builds):.1f}; "
                  f"CPU {statistics.mean(build_cpu):.1f} s), {sum(builds):.0f} s for all {count}")
            print(f"  network check: {check_seconds:.1f} s (CPU {check_cpu:.1f} s) for {total} clinics "
                  f"({check.stderr.strip().splitlines()[-1]})")
            tested, tested_cpu = [], []
            for config in configs[:args.sample]:
                seconds, cpu, summary = clinic_tests(root, config, args.jobs)
                tested.append(seconds)
                tested_cpu.append(cpu)
                print(f"  per-clinic tests of {config.parent.name} (one build + its tests): {seconds:.1f} s, CPU {cpu:.1f} s "
                      f"({summary})", flush=True)
            if args.measure_shared and shared_note.startswith("assumed"):
                shared, _, result = timed([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", args.jobs,
                                           "-m", "not per_clinic and not external"], root)
                shared_note = "measured: " + (result.stdout.strip().splitlines() or [""])[-1]
            per_clinic = statistics.mean(tested) if tested else statistics.mean(builds)
            job = args.job_setup + per_clinic
            print(f"  shared tests: {shared:.0f} s, {shared_note}")
            print(f"  one runner, every clinic in turn: {(shared + total * per_clinic) / 60:.1f} min")
            idle = args.job_setup + (statistics.mean(tested_cpu) if tested_cpu else statistics.mean(build_cpu))
            for runners in args.runners:
                wall = max(args.job_setup + shared, math.ceil(total / runners) * job)
                print(f"  CI wall time with a matrix of {runners} runners: {wall / 60:.1f} min "
                      f"({math.ceil(total / runners)} clinic jobs of {job:.0f} s on each runner); "
                      f"{max(args.job_setup + shared, math.ceil(total / runners) * idle) / 60:.1f} min "
                      f"if each job took its CPU time (a runner to itself)")


if __name__ == "__main__":
    main()
