"""The Decap config for one clinic: collections of forms, the clinic's own pages, and where to save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic.fields import FieldInfo

from ..data.references import ids_by_file
from ..pages.front_matter import PageMeta
from ..pages.plan import markdown_files
from ..schema import FILES
from .forms import Context, label, list_widget, model_fields
from .settings import Editor

README_MACROS = "README.md#editing-a-page"  # the table of macros, linked from the pages' help
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
                   **list_widget(file_name, list[known.model], [], FieldInfo(description=known.purpose), known.purpose, context,
                                 collapsed=True)}]
    else:
        fields = model_fields(known.model, context)
    return {"name": name, "label": title, "file": path, "description": known.purpose, "fields": fields}


def pages_collection(folder: str, readme: str, pages: list[str]) -> dict[str, Any]:
    """The clinic's own pages: front matter fields, then the Markdown body exactly as typed, macros included.

    The body is a plain text box: Decap's Markdown editor rewrites links and lists in its rich mode, and
    its raw mode is a text area without a label that moves the cursor unexpectedly.
    """
    return {
        "name": "pages", "label": "Your pages", "label_singular": "page",
        "description": f"Pages only your clinic's site has. Clinic facts such as the phone number come from the forms, "
                       f"through macros like {{{{ phone_link() }}}}: see [the table of macros]({readme}).",
        "folder": folder, "extension": "md", "format": "markdown-keep", "create": False, "delete": False,
        "identifier_field": "title", "summary": "{{title}}", "editor": {"preview": False},
        "fields": [*model_fields(PageMeta, Context({}, pages)),
                   {"label": "Text", "name": "body", "widget": "text", "required": True,
                    "hint": f"Markdown. Write clinic facts with macros, such as {{{{ phone_link() }}}}: "
                            f"see [the table of macros]({readme})."}],
    }


def editor_config(editor: Editor, root: Path, clinic_folder: Path, data: Any, site_url: str) -> dict[str, Any]:
    """The Decap config for one clinic (`data`: its ClinicData). Paths are relative to the repository's top folder, `root`."""
    settings = editor.settings
    clinic = clinic_folder.relative_to(root).as_posix()
    readme = f"https://github.com/{editor.repo}/blob/{settings.branch}/{README_MACROS}"
    pages = sorted({*markdown_files(root / "docs"), *markdown_files(clinic_folder / "docs")})
    context = Context(ids_by_file(data), pages)
    collections: dict[str, dict[str, Any]] = {}
    for file_name, known in FILES.items():
        path = clinic_folder / "data" / file_name
        if known.owner != "clinic" or not (known.required or path.exists()):
            continue
        name, title = COLLECTIONS.get(file_name, (file_name.removesuffix(".yml"), label(file_name.removesuffix(".yml"))))
        collection = collections.setdefault(name, {"name": name, "label": title, "format": "yaml-keep", "extension": "yml",
                                                   "editor": {"preview": False}, "files": []})
        collection["files"].append(data_form(file_name, path.relative_to(root).as_posix(), context))
    own = sorted((clinic_folder / "docs").glob("*.md"))
    backend = {"name": "github", "repo": editor.repo, "branch": settings.branch,
               **{key: value for key in ("base_url", "auth_endpoint", "site_domain") if (value := getattr(settings, key))}}
    return {
        "backend": backend,
        "local_backend": {"url": f"http://127.0.0.1:{settings.local_port}/api/v1", "allowed_hosts": ["127.0.0.1", "localhost"]},
        "publish_mode": "editorial_workflow",
        "site_url": site_url,
        "display_url": site_url,
        "media_folder": f"{clinic}/docs/images",
        "public_folder": "images",
        "collections": [*collections.values(), *([pages_collection(f"{clinic}/docs", readme, pages)] if own else [])],
    }


def config_yaml(config: dict[str, Any]) -> str:
    """admin/config.yml, with a first line saying where it comes from."""
    return ("# Made by the clinic plugin (hooks/clinic_site/editor/) from the schema and the clinic's folder at each build.\n"
            + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1_000_000))
