"""admin/ in the built site: the page, its own Content-Security-Policy, its scripts and the packages it loads."""

from __future__ import annotations

import json
import shutil
from html import escape
from pathlib import Path
from typing import Any

from ..errors import StaffError
from .config import MAX_UPLOAD_BYTES, config_yaml, key_orders
from .settings import Editor

ADMIN = "admin"
PACKAGES = ("decap-cms", "yaml", "nunjucks", "markdown-it")  # pinned in package.json, copied from node_modules
BUNDLE = {  # what the admin page loads, by package: (source in node_modules/<package>, target below admin/vendor/)
    "decap-cms": (("dist/decap-cms.js", "decap-cms.js"), ("dist/decap-cms.js.LICENSE.txt", "decap-cms.js.LICENSE.txt")),
    "yaml": (("browser", "yaml"), ("LICENSE", "yaml/LICENSE")),
    # The preview's Jinja (nunjucks reads the same {{ }} and {% %}) and Markdown (markdown-it, as an ES module).
    "nunjucks": (("browser/nunjucks.min.js", "nunjucks.min.js"), ("LICENSE", "nunjucks.LICENSE")),
    "markdown-it": (("dist/browser/markdown-it.esm.min.mjs", "markdown-it.js"), ("LICENSE", "markdown-it.LICENSE")),
}
PREVIEW_FACTS = "preview-facts.json"  # editor/preview.preview_facts: what the preview fills in for a page's {{ }}
OWN_FILES = ("manual-init.js", "admin.js", "yaml-keep.js", "sign-in.js", "admin.css")  # the page's own files, in hooks/clinic_site/admin/
# Photos staff may upload from an entry's image field: what the build's image step reads (images.EXTENSIONS), never
# SVG (a script can hide in one), and at most this size (a phone's photo; the build then makes it small).
UPLOAD_TYPES = ("image/jpeg", "image/png", "image/webp")


def admin_policy(editor: Editor, *, for_meta: bool = False) -> str:
    """The editor's own Content-Security-Policy: our origin and GitHub's API (or api_root's); decap-server on 127.0.0.1 only in a
    build for one's own computer (`mkdocs serve`, or local_backend: true), never in a published one."""
    directives = {
        "default-src": ["'none'"],
        # Decap compiles its config's JSON schema with ajv (new Function) at start; it stops without this.
        "script-src": ["'self'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # Decap's components write <style> tags (emotion)
        "img-src": ["'self'", "data:", "blob:", "https://avatars.githubusercontent.com"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", "blob:", editor.api_origin, *([editor.local_origin] if editor.local_origin else [])],
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


def preview_styles(site_dir: Path, extra_css: list[str]) -> list[str]:
    """The site's own stylesheets (the theme's, then the site's extra_css), as paths from admin/, for the editor's preview."""
    theme = sorted(path.relative_to(site_dir).as_posix() for path in (site_dir / "assets" / "stylesheets").glob("main.*.min.css"))
    return [f"../{path}" for path in [*theme, *extra_css] if (site_dir / path).is_file()]


def sign_in_service(editor: Editor) -> dict[str, str]:
    """What sign-in.js needs to show the clinic's sign-in service's errors: its origin (base_url), when it has one."""
    return {"origin": editor.settings.base_url.rstrip("/"), "provider": "github"} if editor.settings.base_url else {}


def admin_page(site_name: str, editor: Editor, styles: list[str] | None = None) -> str:
    """admin/index.html: no inline script, no external file, never indexed; manual-init.js refuses to run in a frame."""
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
<meta name="clinic-editor-uploads" content="{escape(json.dumps({"max_bytes": MAX_UPLOAD_BYTES, "types": list(UPLOAD_TYPES)}))}">
<meta name="clinic-editor-preview-styles" content="{escape(json.dumps(styles or []))}">
<meta name="clinic-editor-sign-in" content="{escape(json.dumps(sign_in_service(editor)))}">
<link rel="cms-config-url" type="text/yaml" href="config.yml">
<link rel="stylesheet" href="admin.css">
</head>
<body>
<script src="manual-init.js"></script>
<script src="vendor/decap-cms.js"></script>
<script src="vendor/nunjucks.min.js"></script>
<script type="module" src="admin.js"></script>
<script type="module" src="sign-in.js"></script>
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


def write_admin(site_dir: Path, editor: Editor, config: dict[str, Any], site_name: str, packages: dict[str, Path],
                extra_css: list[str] | None = None, preview: dict[str, Any] | None = None) -> None:
    """admin/ in the built site: the page, its config, its own scripts and the copied packages."""
    admin = site_dir / ADMIN
    vendor = admin / "vendor"
    if admin.exists():
        shutil.rmtree(admin)
    vendor.mkdir(parents=True)
    (admin / "index.html").write_text(admin_page(site_name, editor, preview_styles(site_dir, extra_css or [])), encoding="utf-8")
    (admin / "config.yml").write_text(config_yaml(config), encoding="utf-8")
    (admin / "key-order.json").write_text(json.dumps(key_orders()), encoding="utf-8")
    (admin / PREVIEW_FACTS).write_text(json.dumps(preview or {"variables": {}, "macros": {}}), encoding="utf-8")
    own = Path(__file__).parent.parent / ADMIN
    for name in OWN_FILES:
        shutil.copyfile(own / name, admin / name)
    for package, folder in packages.items():
        for source, target in BUNDLE[package]:
            if (folder / source).is_dir():
                shutil.copytree(folder / source, vendor / target, ignore=shutil.ignore_patterns("*.map", "*.d.ts"))
            else:
                shutil.copyfile(folder / source, vendor / target)
