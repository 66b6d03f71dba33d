"""Whether a clinic's build needs node_modules: exits 0 when its config turns on the staff editor, 1 when not.

    python -m tools.editor_packages clinics/kestrel-peak/mkdocs.yml && npm ci

The editor (plugins.clinic.editor, hooks/clinic_site/editor/) is copied into the site from the pinned
npm packages, so `make build` and `make serve` run `npm ci` for such a clinic only: a clinic without the
editor builds with Python alone. It is also the first thing `make build` and `make serve` run, so it checks
CONFIG: a folder or a missing file exits 2 with the fix. A config MkDocs cannot read exits 1 here; the build
then says why.
"""

from __future__ import annotations

import logging
import sys

from mkdocs.config import load_config

from clinic_site import commands
from clinic_site.errors import StaffError
from tools.project import ROOT


def editor_on(config_file: str) -> bool:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        settings = load_config(config_file)
    except Exception:  # noqa: BLE001 (any config mistake: the build reports it properly)
        return False
    value = settings.plugins["clinic"].config.get("editor") if "clinic" in settings.plugins else None
    return value is True or isinstance(value, dict)


def main(given: str) -> int:
    try:
        config = commands.config_file(given, ROOT)
    except StaffError as error:
        print(error, file=sys.stderr)
        return 2
    return 0 if editor_on(str(config)) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
