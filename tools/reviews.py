"""Health pages due for review: `make reviews` (or `python -m tools.reviews`), for every clinic.

Lists, per clinic, the pages whose next review falls within the next 30 days and the ones already
overdue, each as `file:line: page: ...` pointing at the record in the clinic's reviews.yml. Exits
with 1 when any page is overdue, so the weekly workflow fails and someone is told. The build itself
never fails because time passed: the dates are compared here, with today as a parameter.

    python -m tools.reviews                      # today, every clinic
    python -m tools.reviews --today 2027-06-01   # as on another day
    python -m tools.reviews --config clinics/kestrel-peak/mkdocs.yml --within 60
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from clinic_site import commands
from clinic_site.clinics import clinic_folders, read_config_keys, repository_configs
from clinic_site.data.load import load_clinic_data
from clinic_site.errors import StaffError, shown_path
from clinic_site.pages.plan import plan_pages
from clinic_site.pages.record import read_page
from clinic_site.pages.reviews import check_reviews, reviews_due
from tools.project import ROOT, clinic_name


def report(config: Path, today: date, within: int) -> tuple[list[str], int]:
    """(lines to print, number of overdue pages) for one clinic."""
    plugin = ((read_config_keys(config).value or {}).get("plugins") or {}).get("clinic") or {}
    folders = clinic_folders(config, plugin.get("default_clinic"))
    data = load_clinic_data(folders.clinic, folders.shared / "data")
    plan = plan_pages(folders.shared / "docs", folders.clinic / "docs", data)
    check_reviews(data, {uri: read_page(uri, path) for uri, path in plan.pages.items()}, today)
    path = shown_path(data.path("reviews.yml"))
    lines, overdue = [], 0
    for item in reviews_due(data, today, within):
        when = item.review.next_review
        if item.days_left < 0:
            overdue += 1
            lines.append(f"{path}:{item.line}: {item.page}: overdue since {when} ({-item.days_left} days ago)")
        else:
            lines.append(f"{path}:{item.line}: {item.page}: due on {when} (in {item.days_left} days)")
    return lines, overdue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", help="YYYY-MM-DD (default: today)")
    parser.add_argument("--within", type=int, default=30, help="days ahead to list (default: 30)")
    parser.add_argument("--config", action="append", help="one clinic's mkdocs.yml (default: every clinic)")
    args = parser.parse_args(argv)
    total, broken = 0, []
    try:
        today = commands.day(args.today) if args.today else date.today()
        configs = [commands.config_file(path, ROOT) for path in args.config] if args.config else repository_configs(ROOT)
    except StaffError as error:
        print(error, file=sys.stderr)
        return 1
    for config in configs:  # every clinic is reported: one whose files do not load is named, and the next one follows
        name = config.parent.name if config.parent.parent.name == "clinics" else shown_path(config)
        try:
            name = clinic_name(config)
            lines, overdue = report(config, today, args.within)
        except StaffError as error:
            broken.append(name)
            print(f"{name}: not checked: its files do not load", flush=True)
            print(f"  {error}", file=sys.stderr, flush=True)
            continue
        total += overdue
        summary = f"{overdue} overdue, {len(lines) - overdue} due within {args.within} days" if lines else f"nothing due within {args.within} days"
        print(f"{name}: {summary} (as of {today})")
        for line in lines:
            print(f"  {line}")
    if total:
        print(f"\n{total} health pages are overdue for review. Have each reviewed, then update its record's last_reviewed and next_review.")
    if broken:
        print(f"\n{', '.join(broken)}: not checked, because of the mistake shown for each. Fix it, then run make reviews again.")
    return 1 if total or broken else 0


if __name__ == "__main__":
    sys.exit(main())
