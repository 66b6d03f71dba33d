"""The clinic's menu: the shared one without the left-out pages, with the clinic's own pages placed."""

from __future__ import annotations

from ..data.load import ClinicData
from ..errors import StaffError


def edit_nav(nav: list, data: ClinicData, own_pages: frozenset[str], not_in_nav: set[str]) -> list:
    """The shared menu without the left-out pages, with the clinic's own new pages added."""
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
    for page in sorted(own_pages - listed - placed - not_in_nav):
        edited.append(page)
    return edited


def nav_pages(nav: list) -> list[str]:
    pages = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages
