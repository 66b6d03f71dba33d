"""Building the site and copying the project: shared by the tests and the benchmarks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", "docs", "data", "hooks", "overrides")


def build(config_file: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """A strict build. Never add the quiet flag (it hides warnings from --strict) or the verbose one (it skips anchor checks)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(site_dir)],
        capture_output=True, text=True, env=env, cwd=config_file.parent,
    )


def copy_project(destination: Path, root: Path = ROOT, parts: tuple[str, ...] = PROJECT_PARTS) -> Path:
    """A copy of the project to change freely (tests break it, benchmarks grow it); returns its mkdocs.yml."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__", "site"))
        elif source.exists():
            shutil.copy2(source, destination / part)
    return destination / "mkdocs.yml"
