"""Which pages make up a clinic's site: the shared pages in docs/, plus its own, minus the ones it leaves out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..data.load import ClinicData
from ..errors import StaffError, did_you_mean, shown_path


@dataclass(frozen=True)
class PagePlan:
    pages: dict[str, Path]  # src_uri -> the Markdown file it is built from
    own: frozenset[str]  # the clinic's own pages: new ones and replacements


def markdown_files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): path for path in sorted(folder.rglob("*.md"))
            if not any(part.startswith(".") for part in path.relative_to(folder).parts)}


def plan_pages(shared_docs: Path, own_docs: Path | None, data: ClinicData) -> PagePlan:
    shared = markdown_files(shared_docs)
    own = markdown_files(own_docs) if own_docs else {}
    document = data.documents.get("pages.yml")
    for index, left_out in enumerate(data.pages.leave_out):
        where = (document.path, document.line(("leave_out", index)), f"leave_out[{index + 1}]")
        if left_out not in shared and left_out in own:
            raise StaffError(*where, f"{left_out} is this clinic's own page, and leave_out names shared pages only",
                             f"Remove it from leave_out. To take your own page off the site, delete {shown_path(own[left_out])}.")
        if left_out not in shared:
            raise StaffError(*where, f"{left_out} is not a shared page",
                             did_you_mean(left_out, shared, quoted=False) + "Use a path as it is in docs/, such as articles/index.md.")
        if left_out in own:
            raise StaffError(*where, f"{left_out} is left out, but your docs/ folder also has its own version",
                             "Either delete your own version, or remove this line to use it.")
    pages = {uri: path for uri, path in shared.items() if uri not in data.pages.leave_out}
    pages.update(own)
    return PagePlan(pages, frozenset(own))
