"""The clinic's menu: the shared one without the left-out pages, with the clinic's own pages placed."""

from __future__ import annotations

import difflib
from pathlib import Path

from ..data.load import ClinicData
from ..errors import StaffError


def edit_nav(nav: list, data: ClinicData, own_pages: frozenset[str], not_in_nav: set[str],
             chosen: dict[str, tuple[str, Path, int | None]] | None = None) -> list:
    """The shared menu without the left-out pages, with the clinic's own new pages added.

    A page pages.yml does not place goes under the section its front matter names (`chosen`: page ->
    (menu_section, the page's file, the line)), as the editor's page form sets it; else at the menu's end.
    """
    left_out = set(data.pages.leave_out)

    def without(items: list) -> list:
        kept = []
        for item in items:
            if isinstance(item, dict):
                title, value = next(iter(item.items()))
                if isinstance(value, list):
                    value = without(value)
                    if value:
                        kept.append({title: value})
                elif value not in left_out:
                    kept.append(item)
            elif item not in left_out:
                kept.append(item)
        return kept

    edited = without(nav)
    listed = set(nav_pages(edited))
    document = data.documents.get("pages.yml")
    placed = set()
    for index, entry in enumerate(data.pages.menu):
        where = (document.path, document.line(("menu", index, "page")), f"menu[{index + 1}].page")
        if entry.page not in own_pages:
            raise StaffError(*where, f"{entry.page} is not one of your own pages",
                             "Put the page in your clinic's docs/ folder, or check the path.")
        if entry.page in listed:
            raise StaffError(*where, f"{entry.page} is already in the menu", "Remove this entry.")
        placed.add(entry.page)
        if entry.section is None:
            edited.append(entry.page)
            continue
        sections = [next(iter(item)) for item in edited if isinstance(item, dict) and isinstance(next(iter(item.values())), list)]
        if entry.section not in sections:
            raise StaffError(document.path, document.line(("menu", index, "section")), f"menu[{index + 1}].section",
                             f"there is no menu section called '{entry.section}'", f"Use one of: {', '.join(sections)}.")
        for item in edited:
            if isinstance(item, dict) and entry.section in item:
                item[entry.section] = [*item[entry.section], entry.page]
    chosen = chosen or {}
    for page in sorted(own_pages - listed - placed - not_in_nav):
        if page not in chosen:
            edited.append(page)
            continue
        section, path, line = chosen[page]
        sections = [next(iter(item)) for item in edited if isinstance(item, dict) and isinstance(next(iter(item.values())), list)]
        if section not in sections:
            close = difflib.get_close_matches(section, sections, n=1)
            raise StaffError(path, line, "menu_section", f"there is no menu section called '{section}'",
                             (f"Did you mean {close[0]}? " if close else "") + f"Use one of: {', '.join(sections)}.")
        for item in edited:
            if isinstance(item, dict) and section in item:
                item[section] = [*item[section], page]
    return edited


def chosen_sections(records: dict) -> dict[str, tuple[str, Path, int | None]]:
    """Each own page's menu_section (its front matter, OwnPageMeta), by page: (the section, the page's file, the line)."""
    chosen = {}
    for uri, record in records.items():
        section = getattr(record.meta, "menu_section", None)
        if section is not None:
            line = next((number for number, text in enumerate(record.source.splitlines(), 1) if text.startswith("menu_section:")), None)
            chosen[uri] = (section, record.path, line)
    return chosen


def nav_pages(nav: list) -> list[str]:
    pages = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages
