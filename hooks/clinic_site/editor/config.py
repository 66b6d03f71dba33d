"""The Decap config for one clinic: collections of forms, the clinic's own pages, and where to save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..data.references import entries_at, ids_by_file
from ..pages.front_matter import OwnPageMeta
from ..pages.plan import markdown_files
from ..schema import FILES
from .forms import Context, label, list_widget, model_fields
from .settings import Editor

MAX_UPLOAD_BYTES = 8_000_000  # files.MAX_UPLOAD_BYTES: the largest photo staff may upload

README_MACROS = "handbook/staff.md#editing-a-page"  # the table of macros, linked from the pages' help
# Which collection (the editor's menu on the left) each of the clinic's data files is in, and its form's name.
COLLECTIONS = {"clinic.yml": ("clinic", "Your clinic"), "conditions.yml": ("conditions", "Conditions"),
               "reviewers.yml": ("reviews", "Reviewers and reviews"), "reviews.yml": ("reviews", "Reviewers and reviews"),
               "pages.yml": ("menu", "Menu")}
FORM_LABELS = {"clinic.yml": "Clinic facts", "conditions.yml": "Conditions you treat", "reviewers.yml": "Reviewers",
               "reviews.yml": "Reviews of the health pages", "pages.yml": "Menu and left-out pages"}



def data_form(file_name: str, path: str, context: Context) -> dict[str, Any]:
    """One data file's form. yaml-keep shows a file whose top level is a list as {items: [...]}."""
    known = FILES[file_name]
    name = file_name.removesuffix(".yml")
    title = FORM_LABELS.get(file_name, label(name))
    if known.is_list:
        fields = [{"label": title, "name": "items", "hint": known.purpose, "required": True,
                   **list_widget(file_name, list[known.model], [], FieldInfo(description=known.purpose),  # type: ignore[name-defined]
                                 known.purpose, context, collapsed=True)}]
    else:
        fields = model_fields(known.model, context)
    return {"name": name, "label": title, "file": path, "description": known.purpose, "fields": fields}


# Front matter for developers, not staff: kept in the file as it is, never shown in the page form.
DEVELOPER_KEYS = ("template", "hero_title", "search_form", "search", "hide")
# A new page's file name comes from its title ("Parking and directions" -> parking-and-directions.md).
SLUG = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
PAGE_KINDS = {  # collection name: (label, singular, folder below the clinic's docs/, what it holds)
    "pages": ("Your pages", "page", "", "Pages only your clinic's site has"),
    "articles": ("Your articles", "article", "articles", "Articles only your clinic's site has, listed on the articles page"),
}


def page_fields(readme: str, context: Context, sections: list[str]) -> list[dict[str, Any]]:
    """The page form: the front matter staff set (the menu section a choice of the menu's sections), then the text."""
    hidden = (*DEVELOPER_KEYS, *(() if sections else ("menu_section",)))  # articles are listed on their page, not in the menu
    fields = [field for field in model_fields(OwnPageMeta, context) if field["name"] not in hidden]
    for field in fields:
        if field["name"] == "menu_section" and sections:
            field.update({"widget": "select", "options": sections})
            field.pop("pattern", None)
        if field["name"] == "photo":  # uploaded from here into this page's pull request; no address typed in
            field.pop("pattern", None)  # the upload writes the path (the build checks it)
            field.update({"widget": "image", "choose_url": False,
                          "media_library": {"allow_multiple": False, "config": {"max_file_size": MAX_UPLOAD_BYTES}}})
    return [*fields, {"label": "Text", "name": "body", "widget": "text", "required": True,
                      "hint": f"Markdown. Write clinic facts with macros, such as {{{{ phone_link() }}}}: "
                              f"see [the table of macros]({readme})."}]


def pages_collection(folder: str, readme: str, pages: list[str], *, kind: str = "pages",
                     sections: list[str] | None = None) -> dict[str, Any]:
    """The clinic's own pages (or articles): front matter fields, then the Markdown body exactly as typed, macros included.

    Staff create new ones here; the title makes the file name. The body is a plain text box: Decap's Markdown
    editor rewrites links and lists in its rich mode, and its raw mode is a text area without a label that
    moves the cursor unexpectedly. Deleting is off: Decap deletes a published entry straight on the published
    branch, outside any pull request; a page is left out through the Menu form (pages.yml) instead.
    """
    title, singular, _, purpose = PAGE_KINDS[kind]
    return {
        "name": kind, "label": title, "label_singular": singular,
        "description": f"{purpose}. Clinic facts such as the phone number come from the forms, "
                       f"through macros like {{{{ phone_link() }}}}: see [the table of macros]({readme}).",
        "folder": folder, "extension": "md", "format": "markdown-keep", "create": True, "delete": False,
        "slug": "{{slug}}", "identifier_field": "title", "summary": "{{title}}",
        # Photos in the clinic's docs/images/, written as the page's path to them (an article is one folder down).
        **({"media_folder": "/" + folder.rsplit("/", 1)[0] + "/images", "public_folder": "../images"} if kind == "articles" else {}),
        "fields": page_fields(readme, Context({}, pages), [] if kind == "articles" else (sections or [])),
    }


def named_choices(data: Any) -> dict[str, list[dict[str, str]]]:
    """The registry's ids (data/references.ids_by_file) as the editor's select options: staff see each entry's name
    ("Treatment-resistant depression"), the file gets its id (treatment-resistant-depression)."""
    named = {}
    for file, ids in ids_by_file(data).items():
        entries = {entry.id: entry for entry in entries_at(data, file)}
        named[file] = [{"label": str(getattr(entries[id_], "name", None) or getattr(entries[id_], "title", None)
                                     or getattr(entries[id_], "item", None) or id_), "value": id_}
                       for id_ in ids]
    return named


def nav_sections(nav: list | None) -> list[str]:
    """The names of the menu's sections (its entries that hold pages)."""
    return [next(iter(item)) for item in nav or [] if isinstance(item, dict) and isinstance(next(iter(item.values())), list)]


def editor_config(editor: Editor, root: Path, clinic_folder: Path, data: Any, site_url: str,
                  nav: list | None = None) -> dict[str, Any]:
    """The Decap config for one clinic (`data`: its ClinicData; `nav`: its menu, for the sections a page may go under).
    Paths are relative to the repository's top folder, `root`."""
    settings = editor.settings
    clinic = clinic_folder.relative_to(root).as_posix()
    readme = f"https://github.com/{editor.repo}/blob/{settings.branch}/{README_MACROS}"
    pages = sorted({*markdown_files(root / "docs"), *markdown_files(clinic_folder / "docs")})
    context = Context(named_choices(data), pages)
    collections: dict[str, dict[str, Any]] = {}
    for file_name, known in FILES.items():
        path = clinic_folder / "data" / file_name
        if known.owner != "clinic" or not (known.required or path.exists()):
            continue
        name, title = COLLECTIONS.get(file_name, (file_name.removesuffix(".yml"), label(file_name.removesuffix(".yml"))))
        collection = collections.setdefault(name, {"name": name, "label": title, "format": "yaml-keep", "extension": "yml",
                                                   "editor": {"preview": False}, "files": []})
        collection["files"].append(data_form(file_name, path.relative_to(root).as_posix(), context))
    # Sign-in (base_url, auth_endpoint, site_domain) and the API (api_root) as Decap's github backend names them.
    backend = {"name": "github", "repo": editor.repo, "branch": settings.branch,
               **{key: value.rstrip("/") if key == "base_url" else value
                  for key in ("base_url", "auth_endpoint", "site_domain", "api_root") if (value := getattr(settings, key))}}
    own = [pages_collection(f"{clinic}/docs" + (f"/{PAGE_KINDS[kind][2]}" if PAGE_KINDS[kind][2] else ""), readme, pages,
                            kind=kind, sections=nav_sections(nav)) for kind in PAGE_KINDS]
    return {
        "backend": backend,
        **({"local_backend": {"url": f"{editor.local_origin}/api/v1", "allowed_hosts": ["127.0.0.1", "localhost"]}}
           if editor.local_origin else {}),
        "publish_mode": "editorial_workflow",
        "site_url": site_url,
        "display_url": site_url,
        "media_folder": f"{clinic}/docs/images",
        "public_folder": "images",
        "slug": SLUG,
        "collections": [*collections.values(), *own],
    }


def key_orders() -> list[list[str]]:
    """The schema's key order for every mapping the forms write (each data file's models and those inside them, and
    a page's front matter): yaml-keep.js puts a new key, and the keys of a new list entry, where the schema has them."""
    from ..schema import nested_model

    orders: list[list[str]] = []
    seen: set[type[BaseModel]] = set()

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        orders.append(list(model.model_fields))
        for info in model.model_fields.values():
            inner = nested_model(info.annotation)
            if inner is not None:
                visit(inner)

    for known in FILES.values():
        visit(known.model)
    visit(OwnPageMeta)
    return orders


def config_yaml(config: dict[str, Any]) -> str:
    """admin/config.yml, with a first line saying where it comes from. Written by libyaml's emitter (CSafeDumper, as
    yamlfile reads with CSafeLoader): the pure-Python one took a tenth of a second for the editor's config."""
    return ("# Made by the clinic plugin (hooks/clinic_site/editor/) from the schema and the clinic's folder at each build.\n"
            + yaml.dump(config, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=1_000_000))
