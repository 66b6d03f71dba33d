"""The clinic's menu: the shared one without the left-out pages, with the clinic's own pages placed.

An own page goes where its entry in pages.yml says: at the end of a section (`section`), just before or
after a page already in the menu (`before`, `after`), in a new section of its own (`section` with
`new_section: true`, at the end of the menu or before or after the section of the page named), or, with
no entry, under the section its front matter's `menu_section` names (the editor's page form sets it), or at
the end of the menu.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..data.load import ClinicData
from ..errors import StaffError, did_you_mean


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
        def stop(key: str, problem: str, fix: str, index: int = index) -> StaffError:
            return StaffError(document.path, document.line(("menu", index, key)), f"menu[{index + 1}].{key}", problem, fix)

        if entry.page not in own_pages:
            raise stop("page", f"{entry.page} is not one of your own pages", "Put the page in your clinic's docs/ folder, or check the path.")
        if entry.page in listed or entry.page in placed:
            raise stop("page", f"{entry.page} is already in the menu", "Remove this entry.")
        place(edited, entry, stop)
        placed.add(entry.page)
    chosen = chosen or {}
    for page in sorted(own_pages - listed - placed - not_in_nav):
        if page not in chosen:
            edited.append(page)
            continue
        section, path, line = chosen[page]
        sections = [next(iter(item)) for item in edited if isinstance(item, dict) and isinstance(next(iter(item.values())), list)]
        if section not in sections:
            raise StaffError(path, line, "menu_section", f"there is no menu section called '{section}'",
                             did_you_mean(section, sections) + f"Use one of: {', '.join(sections)}.")
        for item in edited:
            if isinstance(item, dict) and section in item:
                item[section] = [*item[section], page]
    return edited


def sections(nav: list) -> list[str]:
    return [next(iter(item)) for item in nav if isinstance(item, dict) and isinstance(next(iter(item.values())), list)]


def place(nav: list, entry, stop) -> None:
    """Put one own page into the menu (in place) where its pages.yml entry says."""
    if entry.before and entry.after:
        raise stop("after", "before and after both say where the page goes", "Keep one of the two lines.")
    neighbour_key = "before" if entry.before else "after" if entry.after else None
    neighbour = entry.before or entry.after
    if entry.new_section and not entry.section:
        raise stop("new_section", "a new section needs a name", "Add section: and the new section's name, for example section: Our clinic.")
    if neighbour and entry.section and not entry.new_section:
        raise stop(neighbour_key, f"section and {neighbour_key} both say where the page goes",
                   f"Keep one: section: puts the page at the end of a section, {neighbour_key}: next to a page.")
    found = locate(nav, neighbour) if neighbour else None
    if neighbour and found is None:
        menu_pages = nav_pages(nav)
        hint = did_you_mean(neighbour, menu_pages, quoted=False)
        raise stop(neighbour_key, f"{neighbour} is not in the menu", f"{hint}Name a page the menu shows, such as {menu_pages[-1]}.")
    existing = sections(nav)
    if entry.new_section:
        if entry.section in existing:
            raise stop("section", f"there is already a menu section called '{entry.section}'",
                       "Remove new_section: true to add the page to it, or give the new section another name.")
        new = {entry.section: [entry.page]}
        if found is None:
            nav.append(new)
        else:
            top = found[2]
            nav.insert(top if neighbour_key == "before" else top + 1, new)
        return
    if found is not None:
        items, at, _ = found
        items.insert(at if neighbour_key == "before" else at + 1, entry.page)
        return
    if entry.section is None:
        nav.append(entry.page)
        return
    if entry.section not in existing:
        hint = did_you_mean(entry.section, existing)
        choices = f"Use one of: {', '.join(existing)}; or add" if existing else "The menu has no sections yet: add"
        raise stop("section", f"there is no menu section called '{entry.section}'",
                   f"{hint}{choices} new_section: true to make it.")
    for item in nav:
        if isinstance(item, dict) and entry.section in item:
            item[entry.section] = [*item[entry.section], entry.page]


def locate(nav: list, page: str) -> tuple[list, int, int] | None:
    """(the list holding `page`'s menu item, its index there, the index of its top-level item), or None."""
    for top, item in enumerate(nav):
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if value == page:
            return nav, top, top
        if isinstance(value, list):
            for at, inner in enumerate(value):
                inner_value = next(iter(inner.values())) if isinstance(inner, dict) else inner
                if inner_value == page:
                    return value, at, top
    return None


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
    pages: list[Any] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages
