"""The staff editor at /admin/: Decap CMS with forms generated from the schema, opt-in per clinic.

`plugins: clinic: editor: true` (or a mapping of the settings below) in a clinic's mkdocs.yml turns
it on. The build then writes admin/ into that clinic's site: a page with its own Content-Security-Policy
and `noindex`, the config made here from schema.py and the clinic's folder (never written by hand), the
Decap CMS and the `yaml` package copied from node_modules at the versions package.json pins, and
admin/yaml-keep.js, which saves only what a form changed. Visitor pages are built as without it.

Each of the clinic's data files becomes a form with the schema's required keys, choices, patterns, help
text and examples; an id that points into another data file, or a page's path, is a choice of those ids
or pages. The clinic's own pages (its docs/*.md) become a collection: front matter fields and the Markdown
body as typed, macros included. Saving makes a branch and a pull request (the editorial workflow), so
every change goes through CI before it is published.
"""

from __future__ import annotations

import json
import re
import shutil
import types
import typing
from dataclasses import dataclass
from html import escape
from datetime import date, time
from pathlib import Path
from typing import Any, Literal

import yaml
from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import AfterValidator, BaseModel, Field, ValidationError
from pydantic.fields import FieldInfo

from . import schema
from .data import explain_for, first_error
from .errors import StaffError
from .pages import PageMeta, markdown_files
from .schema import FILES, Strict

ADMIN = "admin"
README_MACROS = "README.md#editing-a-page"  # the table of macros, linked from the pages' help
PACKAGES = ("decap-cms", "yaml")  # pinned in package.json, copied from node_modules
BUNDLE = {  # what the admin page loads, by package: (source in node_modules/<package>, target below admin/vendor/)
    "decap-cms": (("dist/decap-cms.js", "decap-cms.js"), ("dist/decap-cms.js.LICENSE.txt", "decap-cms.js.LICENSE.txt")),
    "yaml": (("browser", "yaml"), ("LICENSE", "yaml/LICENSE")),
}
OWN_FILES = ("manual-init.js", "admin.js", "yaml-keep.js")  # the page's own scripts, in hooks/clinic_site/admin/

# Names for the fields whose key says less than it could; any other key is its own name, capitalized.
LABELS = {"closures": "Closures and announcements", "region": "State", "postal_code": "ZIP code",
          "booking_url": "Booking page", "states_served": "States served", "short_name": "Short name"}
# Which collection (the editor's menu on the left) each of the clinic's data files is in, and its form's name.
COLLECTIONS = {"clinic.yml": ("clinic", "Your clinic"), "conditions.yml": ("conditions", "Conditions"),
               "reviewers.yml": ("reviews", "Reviewers and reviews"), "reviews.yml": ("reviews", "Reviewers and reviews"),
               "pages.yml": ("menu", "Menu")}
FORM_LABELS = {"clinic.yml": "Clinic facts", "conditions.yml": "Conditions you treat", "reviewers.yml": "Reviewers",
               "reviews.yml": "Reviews of the health pages", "pages.yml": "Menu and left-out pages"}
# What one entry of a list is called ("Add price"), by the list's key; and how a closed entry is summed up.
SINGULAR = {"hours": "opening hours", "closures": "closure", "states_served": "state", "languages": "language",
            "prices": "price", "pages": "page", "leave_out": "page", "menu": "menu entry", "conditions.yml": "condition",
            "reviewers.yml": "reviewer", "reviews.yml": "review"}
SUMMARIES = {"OpeningHours": "{{fields.opens}} to {{fields.closes}}", "Closure": "{{fields.first_day}}: {{fields.reason}}",
             "ReviewRecord": "{{fields.reviewed_by}}, {{fields.last_reviewed}}"}
# A key whose description says "an id from data/x.yml" or "id from x.yml" is a choice of that file's ids.
ID_FROM = re.compile(r"\bid from (?:data/)?(\w+)\.yml\b")
PAGE_PATTERN = typing.get_args(schema.PagePath)[1].metadata[0].pattern  # a page's path in docs/: a choice of the pages
# Times as schema.Time reads them: 08:00, 8:00, 17:30, 8.30, 5 pm, 5:30 p.m. (The files keep what was typed.)
TIME_PATTERN = r"^\s*(([01]?\d|2[0-3])[:.][0-5]\d|(0?[1-9]|1[0-2])([:.][0-5]\d)?\s*[aApP]\.?\s*[mM]\.?)\s*$"
DATE_FORMAT = "YYYY-MM-DD"


class EditorSettings(Strict):
    """`plugins.clinic.editor` as a mapping: where the editor saves, and how staff sign in.

    Each description reads after "Write" in a message (data.explain), so it names the value, not the setting.
    """

    repo: str | None = Field(None, pattern=r"^[\w.-]+/[\w.-]+$", examples=["your-org/your-clinic-site"],
                             description="The GitHub repository the editor saves to, as owner/name")
    branch: str = Field("main", min_length=1, examples=["main"], description="The branch the site is published from")
    # Without base_url, staff sign in through Netlify.
    base_url: str | None = Field(None, pattern=r"^https://[^\s/]+(/[^\s]*)?$", examples=["https://auth.example.workers.dev"],
                                 description="The address of the sign-in service (an OAuth proxy), starting with https://")
    auth_endpoint: str | None = Field(None, pattern=r"^[\w./-]+$", examples=["auth"],
                                      description="The sign-in path on base_url")
    # For signing in through Netlify from a site hosted elsewhere.
    site_domain: str | None = Field(None, pattern=r"^[\w.-]+$", examples=["clinic.netlify.app"],
                                    description="The site's name at Netlify, without https://")
    local_port: int = Field(8081, ge=1024, le=65535, examples=[8081],
                            description="The port of decap-server on 127.0.0.1, for editing a copy on your own computer")


@dataclass(frozen=True)
class Editor:
    settings: EditorSettings
    repo: str


def read_settings(value: Any, config_file: str | Path, repo_url: str | None) -> Editor | None:
    """The editor's settings from `plugins.clinic.editor` (true, false or a mapping); None when it is off."""
    key = "plugins.clinic.editor"
    if value is None or value is False:
        return None
    if value is True:
        value = {}
    if not isinstance(value, dict):
        raise StaffError(config_file, None, key, f"'{value}' is neither true, false nor a list of settings",
                         "Write editor: true, or the settings under it (repo:, branch:, base_url:).")
    try:
        settings = EditorSettings.model_validate(value)
    except ValidationError as error:
        first = first_error(error.errors())
        problem, fix = explain_for(EditorSettings, first)
        if first["type"] == "extra_forbidden":
            fix += f" The settings are: {', '.join(EditorSettings.model_fields)}."
        raise StaffError(config_file, None, ".".join(map(str, (key, *first["loc"]))), problem, fix) from None
    found = re.match(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$", repo_url or "")
    repo = settings.repo or (found.group(1) if found else None)
    if not repo:
        raise StaffError(config_file, None, f"{key}.repo", "the editor needs the GitHub repository it saves changes to",
                         "Add repo: owner/name under editor:, or set repo_url: https://github.com/owner/name.")
    return Editor(settings, repo)


# The forms: one Decap field for each schema field.

def label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def unwrap(annotation: Any) -> tuple[Any, list[Any], bool]:
    """(the type, its constraints, whether None is allowed) of an annotation such as `Annotated[str, ...] | None`."""
    optional = False
    metadata: list[Any] = []
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            base, *extra = typing.get_args(annotation)
            for item in extra:
                metadata.extend(item.metadata if isinstance(item, FieldInfo) else [item])
            annotation = base
        elif typing.get_origin(annotation) in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            optional = optional or len(options) < len(typing.get_args(annotation))
            annotation = options[0] if len(options) == 1 else annotation
            if len(options) != 1:
                return annotation, metadata, optional
        else:
            return annotation, metadata, optional


def constraint(metadata: list[Any], kind: type, attribute: str) -> Any:
    return next((getattr(item, attribute) for item in metadata if isinstance(item, kind)), None)


def pattern_of(metadata: list[Any]) -> str | None:
    return next((item.pattern for item in metadata if getattr(item, "pattern", None)), None)


def example_text(example: Any) -> str:
    if isinstance(example, bool) or isinstance(example, dict):
        return ""
    if isinstance(example, list):
        return ", ".join(map(str, example))
    return str(example).rstrip(".")


def help_text(info: FieldInfo) -> tuple[str, str]:
    """(the hint under a field, the message when its pattern is not matched): the schema's description and example."""
    description = (info.description or "").rstrip(".")
    example = example_text(info.examples[0]) if info.examples else ""
    hint = f"{description}. For example: {example}" if description and example else description
    message = f"{description}, for example {example}" if description and example else description or "See the hint"
    return hint, message


def is_markdown(metadata: list[Any]) -> bool:
    """schema.Markdown (sentences with emphasis and links) rather than one line of text."""
    return any(isinstance(item, AfterValidator) and item.func is schema._safe_links for item in metadata)


@dataclass(frozen=True)
class Context:
    """What a field's form depends on besides its type: the ids it may choose from (each data file's ids,
    by the file's name without .yml), the site's pages, and whether it sits inside an optional part."""

    ids: dict[str, list[str]]
    pages: list[str]
    in_optional: bool = False

    def choices(self, info: FieldInfo, metadata: list[Any]) -> list[str] | None:
        """An id from another data file, or a page of the site; None for free text."""
        if pattern_of(metadata) == PAGE_PATTERN:
            return self.pages
        found = ID_FROM.search(info.description or "")
        return self.ids.get(found.group(1)) if found else None


def form_field(name: str, info: FieldInfo, context: Context) -> dict[str, Any]:
    """The Decap field for one schema field.

    Decap checks the required fields inside an optional part even when the part is left out, so there
    they are optional in the form; the build still stops when a part is given without them.
    """
    kind, metadata, optional = unwrap(info.annotation)
    required = info.is_required() and not optional
    field: dict[str, Any] = {"label": label(name), "name": name}
    hint, message = help_text(info)
    if hint:
        field["hint"] = hint
    field["required"] = required and not context.in_optional
    inner = Context(context.ids, context.pages, context.in_optional or not required)
    field.update(widget_for(name, kind, [*info.metadata, *metadata], info, message, inner))
    return field


def widget_for(name: str, kind: Any, metadata: list[Any], info: FieldInfo, message: str, context: Context) -> dict[str, Any]:
    """The widget and its settings for a type: the part of a Decap field that depends on the type."""
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return {"widget": "object", "collapsed": False, "fields": model_fields(kind, context)}
    if typing.get_origin(kind) is list:
        return list_widget(name, kind, metadata, info, message, context)
    if typing.get_origin(kind) is Literal:
        return {"widget": "select", "options": list(typing.get_args(kind))}
    options = context.choices(info, metadata)
    if options is not None:
        return {"widget": "select", "options": options}
    if kind is bool:
        return {"widget": "boolean", **({"default": info.default} if isinstance(info.default, bool) else {})}
    if kind in (int, float):
        limits = {key: value for key, value in (("min", constraint(metadata, Ge, "ge")), ("max", constraint(metadata, Le, "le")))
                  if value is not None}
        return {"widget": "number", "value_type": kind.__name__, **limits}
    if kind is date:
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False, "picker_utc": True}
    if kind is time:
        return {"widget": "string", "pattern": [TIME_PATTERN, message]}
    if kind is str:
        pattern = pattern_of(metadata)
        widget = {"widget": "text" if is_markdown(metadata) else "string"}
        return {**widget, "pattern": [pattern, message]} if pattern else widget
    raise TypeError(f"the editor has no widget for {kind!r}: add one to editor.widget_for")


def list_widget(name: str, kind: Any, metadata: list[Any], info: FieldInfo, message: str, context: Context,
                *, collapsed: bool = False) -> dict[str, Any]:
    """A list: several choices, entries with their own fields, or plain values (one field each).

    The entries of a file that is a list (conditions, reviewers, reviews) start closed, showing their
    summary; the lists inside a form (hours, prices) start open.
    """
    (item,) = typing.get_args(kind)
    item_kind, item_metadata, _ = unwrap(item)
    sizes = {key: value for key, value in (("min", constraint(metadata, MinLen, "min_length")),
                                           ("max", constraint(metadata, MaxLen, "max_length"))) if value is not None}
    options = list(typing.get_args(item_kind)) if typing.get_origin(item_kind) is Literal else context.choices(info, item_metadata)
    if options is not None:
        return {"widget": "select", "multiple": True, "options": options, **sizes}
    entries = Context(context.ids, context.pages)  # an entry that is there has all its required fields
    singular = SINGULAR.get(name, "entry")
    if isinstance(item_kind, type) and issubclass(item_kind, BaseModel):
        summary = SUMMARIES.get(item_kind.__name__) or next(
            (f"{{{{fields.{key}}}}}" for key in ("name", "item", "reason", "id", "page") if key in item_kind.model_fields), None)
        return {"widget": "list", "label_singular": singular, "collapsed": collapsed, **({"summary": summary} if summary else {}),
                "fields": model_fields(item_kind, entries), **sizes}
    single = {"label": singular.capitalize(), "name": singular.replace(" ", "_"), "required": True,
              **widget_for(singular, item_kind, item_metadata, FieldInfo(description=info.description), message, entries)}
    return {"widget": "list", "label_singular": singular, "collapsed": False, "field": single, **sizes}


def model_fields(model: type[BaseModel], context: Context) -> list[dict[str, Any]]:
    return [form_field(name, info, context) for name, info in model.model_fields.items()]


# The config: collections of forms, the pages, and where to save.

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


def data_ids(data: Any) -> dict[str, list[str]]:
    """Each data file's ids, by the file's name without .yml (ClinicData names its attributes so)."""
    return {name.removesuffix(".yml"): [entry.id for entry in getattr(data, name.removesuffix(".yml"))]
            for name, known in FILES.items() if known.is_list and "id" in known.model.model_fields}


def editor_config(editor: Editor, root: Path, clinic_folder: Path, data: Any, site_url: str) -> dict[str, Any]:
    """The Decap config for one clinic (`data`: its ClinicData). Paths are relative to the repository's top folder, `root`."""
    settings = editor.settings
    clinic = clinic_folder.relative_to(root).as_posix()
    readme = f"https://github.com/{editor.repo}/blob/{settings.branch}/{README_MACROS}"
    pages = sorted({*markdown_files(root / "docs"), *markdown_files(clinic_folder / "docs")})
    context = Context(data_ids(data), pages)
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
    return ("# Made by the clinic plugin (hooks/clinic_site/editor.py) from the schema and the clinic's folder at each build.\n"
            + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1_000_000))


# The page, its policy, and the files it loads.

def admin_policy(editor: Editor, *, for_meta: bool = False) -> str:
    """The editor's own Content-Security-Policy: our origin, GitHub's API, and decap-server on 127.0.0.1 only."""
    directives = {
        "default-src": ["'none'"],
        # Decap compiles its config's JSON schema with ajv (new Function) at start; it stops without this.
        "script-src": ["'self'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # Decap's components write <style> tags (emotion)
        "img-src": ["'self'", "data:", "blob:", "https://avatars.githubusercontent.com"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", "blob:", "https://api.github.com", f"http://127.0.0.1:{editor.settings.local_port}"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
    if for_meta:
        del directives["frame-ancestors"]  # browsers ignore it in a <meta>
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def headers_rule(editor: Editor) -> str:
    """The /admin/* rule for `_headers`, after the visitors' /* rule.

    Cloudflare Pages adds up the headers of every matching rule, so `! Content-Security-Policy` first
    detaches the visitors' policy (its documented syntax). Netlify's parser skips a line without a colon,
    and its CLI lets a later matching rule's value replace an earlier one's.
    """
    return "\n".join(["/admin/*", "  ! Content-Security-Policy", f"  Content-Security-Policy: {admin_policy(editor)}",
                      "  X-Robots-Tag: noindex, nofollow", "  Cache-Control: no-cache"]) + "\n"


def admin_page(site_name: str, editor: Editor) -> str:
    """admin/index.html: no inline script, no external file, never indexed."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{admin_policy(editor, for_meta=True)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>Edit {escape(site_name)}</title>
<link rel="icon" href="data:,">
<link rel="cms-config-url" type="text/yaml" href="config.yml">
</head>
<body>
<script src="manual-init.js"></script>
<script src="vendor/decap-cms.js"></script>
<script type="module" src="admin.js"></script>
</body>
</html>
"""


def pinned_versions(root: Path) -> dict[str, str]:
    manifest = root / "package.json"
    dependencies = json.loads(manifest.read_text(encoding="utf-8")).get("dependencies", {}) if manifest.exists() else {}
    return {package: dependencies.get(package, "") for package in PACKAGES}


def check_bundle(root: Path, config_file: str | Path) -> dict[str, Path]:
    """Each package the page loads, in node_modules at the version package.json pins; otherwise stop and say `npm ci`."""
    found = {}
    for package, pinned in pinned_versions(root).items():
        folder = root / "node_modules" / package
        manifest = folder / "package.json"
        installed = json.loads(manifest.read_text(encoding="utf-8")).get("version") if manifest.exists() else None
        if not pinned:
            raise StaffError(root / "package.json", None, f"dependencies.{package}", "the editor's package is not pinned",
                             f"Add it with npm install --save-exact {package}@<version>, and commit package-lock.json.")
        if installed != pinned or not all((folder / source).exists() for source, _ in BUNDLE[package]):
            problem = f"the editor needs {package} {pinned} in node_modules, which has {installed or 'none'}"
            raise StaffError(config_file, None, "plugins.clinic.editor", problem,
                             "Run npm ci (or make build, which runs it) in the project's top folder, then build again.")
        found[package] = folder
    return found


def write_admin(site_dir: Path, editor: Editor, config: dict[str, Any], site_name: str, packages: dict[str, Path]) -> None:
    """admin/ in the built site: the page, its config, its own scripts and the copied packages."""
    admin = site_dir / ADMIN
    vendor = admin / "vendor"
    if admin.exists():
        shutil.rmtree(admin)
    vendor.mkdir(parents=True)
    (admin / "index.html").write_text(admin_page(site_name, editor), encoding="utf-8")
    (admin / "config.yml").write_text(config_yaml(config), encoding="utf-8")
    own = Path(__file__).parent / ADMIN
    for name in OWN_FILES:
        shutil.copyfile(own / name, admin / name)
    for package, folder in packages.items():
        for source, target in BUNDLE[package]:
            if (folder / source).is_dir():
                shutil.copytree(folder / source, vendor / target, ignore=shutil.ignore_patterns("*.map", "*.d.ts"))
            else:
                shutil.copyfile(folder / source, vendor / target)
