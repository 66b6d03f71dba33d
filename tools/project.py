"""Building a clinic's site and copying the project: shared by the tests, the tools and the benchmarks."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The engine builds run on: MkDocs 1.6.1, or ProperDocs 1.6.7 in its own venv (make test-properdocs,
# requirements-properdocs.txt). ProperDocs answers `import mkdocs` (for Material, mkdocs-macros and our
# plugin) once its `replacement` module is imported, as its own command does.
ENGINE = "mkdocs" if importlib.util.find_spec("mkdocs") else "properdocs"
if ENGINE == "properdocs":
    import properdocs.replacement  # noqa: F401
PROJECT_PARTS = ("mkdocs.yml", "docs", "data", "overrides", "clinics")


def build(config_file: Path, site_dir: Path, today: date | None = None, cwd: Path | None = None,
          strict: bool = True) -> subprocess.CompletedProcess:
    """A strict build, run from the project's top folder as staff run it (messages name files from there).

    Never add the quiet flag (it hides warnings from --strict) or the verbose one (it skips anchor checks).
    """
    from clinic_site.clinics import inherit_chain

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if today is not None:
        env["CLINIC_SITE_TODAY"] = today.isoformat()
    return subprocess.run(
        [sys.executable, "-m", ENGINE, "build", *(["--strict"] if strict else []), "-f", str(config_file), "-d", str(site_dir)],
        capture_output=True, text=True, env=env, cwd=cwd or inherit_chain(config_file)[-1].parent,
    )


def build_in_process(config_file: Path, site_dir: Path, today: date | None = None, cwd: Path | None = None,
                     strict: bool = True) -> subprocess.CompletedProcess:
    """build(), in this interpreter: what `mkdocs build --strict` does, with its log as the command would print it.

    For the many small builds of the staff-mistake table: no new interpreter to start and no theme templates to
    compile again (the plugin keeps them between builds), so a build costs a fraction of build()'s. The result
    has build()'s shape: returncode 1 and the message for a build MkDocs stops, a traceback in stderr for any
    other exception, as the command would show. A few rows still run build() to prove the command's wiring.
    """
    import logging
    import traceback

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    from clinic_site.clinics import inherit_chain

    stderr, stdout = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger(ENGINE)
    if ENGINE != "mkdocs":  # as ProperDocs' own command does: what plugins log to `mkdocs` goes through its logger
        logging.getLogger("mkdocs").parent = logger
    level, before, environment = logger.level, Path.cwd(), dict(os.environ)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    returncode = 0
    try:
        os.chdir(cwd or inherit_chain(config_file)[-1].parent)
        os.environ["NO_MKDOCS_2_WARNING"] = "1"
        os.environ.pop("CLINIC_SITE_TODAY", None)
        if today is not None:
            os.environ["CLINIC_SITE_TODAY"] = today.isoformat()
        config = load_config(str(config_file), strict=strict, site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except Abort as error:  # the command prints it to the terminal, after the log
        stdout.write(f"\n{error.format_message()}\n")
        returncode = 1
    except MkDocsException as error:
        stderr.write(f"Error: {error.format_message()}\n")
        returncode = 1
    except Exception:  # noqa: BLE001 (the command would print a traceback: so does this, for the tests to see)
        stderr.write(traceback.format_exc())
        returncode = 1
    finally:
        os.chdir(before)
        os.environ.clear()
        os.environ.update(environment)
        logger.removeHandler(handler)
        logger.setLevel(level)
    return subprocess.CompletedProcess(["mkdocs build (in this interpreter)"], returncode, stdout.getvalue(), stderr.getvalue())


def copy_project(destination: Path, root: Path = ROOT, parts: tuple[str, ...] = PROJECT_PARTS) -> Path:
    """A copy of the project to change freely (tests edit it as staff would, benchmarks grow it); returns its mkdocs.yml."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__", "site"))
        elif source.exists():
            shutil.copy2(source, destination / part)
    return destination / "mkdocs.yml"


def review_pages(project: Path, pages: list[str], clinic: str = "harbor") -> None:
    """Add a review record for new health pages (generated articles) to a clinic's reviews.yml in a project copy.

    The new record copies the reviewers and dates of the file's first record, read as YAML (the file's
    comments and layout are staff's to change), and is appended as one more list item.
    """
    import yaml

    from clinic_site.data.messages import as_written

    reviews = project / "clinics" / clinic / "data" / "reviews.yml"
    text = reviews.read_text(encoding="utf-8")
    first = yaml.load(text, Loader=yaml.BaseLoader)[0]  # every value as the text typed, as the site reads it
    reviewed_by = as_written(first["reviewed_by"])  # one id, or a list written [a, b]
    listed = "".join(f"    - {page}\n" for page in pages)
    reviews.write_text(f"{text.rstrip()}\n- pages:\n{listed}  reviewed_by: {reviewed_by}\n"
                       f"  last_reviewed: {first['last_reviewed']}\n  next_review: {first['next_review']}\n", encoding="utf-8")


def clinic_name(config_file: Path) -> str:
    """'harbor' for the top-level mkdocs.yml (its default clinic), else the clinic's folder name."""
    from clinic_site.clinics import clinic_folders, read_config_keys

    config_file = config_file.resolve()
    if config_file.parent.parent.name == "clinics":
        return config_file.parent.name
    plugin = ((read_config_keys(config_file).value or {}).get("plugins") or {}).get("clinic") or {}
    return clinic_folders(config_file, plugin.get("default_clinic")).clinic.name
