"""The MkDocs wiring: the only module that imports MkDocs. Each event hands its work to a plain function.

Registered as the `clinic` plugin (pyproject.toml). `plugins` is a mapping, which INHERIT merges, so
a clinic's config inherits this plugin and repeats nothing. `on_config` runs first (priority 100) and
registers the macros with mkdocs-macros' documented register_macros/register_variables. Each page is
handled through mkdocs-macros' documented module hooks (this module is named in `plugins.macros.modules`):
on_pre_page_macros checks the page and renders its macros itself (so a mistake is one staff message), and
marks the page `render_macros: false` so mkdocs-macros does not render it again; on_post_page_macros adds
the crisis box and the source list. Only documented interfaces of MkDocs, mkdocs-macros and Jinja are used.
"""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, PrefixLoader
from jinja2.bccache import Bucket
from markupsafe import Markup, escape
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import base, config_options
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import (
    clinics,
    commands,
    crisis,
    csp,
    images,
    jsonld,
    macros,
    previews,
    published,
    render,
    site_files,
    tasklists,
    theme_fixes,
)
from .data.load import ClinicData, load_clinic_data
from .editor import config as editor_config
from .editor import files as editor_files
from .editor import preview as editor_preview
from .editor import settings as editor_settings
from .errors import StaffError, shown_path
from .pages import checks, claims, menu, plan, reviews, spelling
from .pages.record import PageRecord, read_page
from .text import plain_text

log = logging.getLogger("mkdocs.plugins.clinic")
TODAY_VARIABLE = "CLINIC_SITE_TODAY"  # YYYY-MM-DD: build as on that day (tests, `make reviews TODAY=...`)
MACROS_CHOICES = {"on_undefined": ("keep", "silent", "strict", "lax")}
MACROS_MODULE = __name__  # named in plugins.macros.modules: mkdocs-macros calls this module's page hooks below


class ClinicPluginConfig(base.Config):
    """Any value is taken here: clinics.clinic_folders and editor/settings.read_settings check them, naming the file and the fix."""

    default_clinic = config_options.Optional(config_options.Type(object))
    # The staff editor at /admin/ (editor/): true, or a mapping of its settings (repo, branch, base_url, ...).
    editor = config_options.Optional(config_options.Type(object))


class _Compiled(FileSystemBytecodeCache):
    """Compiled theme templates, kept in memory between the rebuilds of `mkdocs serve` and on disk
    (.cache/jinja/) between builds: compiling Material's templates was a third of a build's time.

    Jinja checks each cached template against a hash of its source, so an edited template is compiled afresh.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}
        super().__init__()

    def use_folder(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.directory = str(folder)

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key not in self.compiled:
            super().load_bytecode(bucket)
            if bucket.code is None:
                return
            self.compiled[bucket.key] = bucket.bytecode_to_string()
        bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
        super().dump_bytecode(bucket)


_COMPILED = _Compiled()
_DATA: dict[tuple, ClinicData] = {}  # the last data read, by its files' change times: serve rebuilds reread only on a change


class _OneMessage(logging.Filter):
    """MkDocs logs "Error reading page 'x.md':" before a page's error; ours already names the page and line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.getMessage().startswith("Error reading page '") and record.getMessage().endswith("':"))


# The build command's logger by its module's name: mkdocs.commands.build, or properdocs.commands.build when
# ProperDocs stands in for MkDocs (tests/test_engines.py).
logging.getLogger(mkdocs_build.__name__).addFilter(_OneMessage())


def today() -> date:
    return commands.day(os.environ[TODAY_VARIABLE], TODAY_VARIABLE) if os.environ.get(TODAY_VARIABLE) else date.today()


def cached_data(folders: clinics.Folders) -> ClinicData:
    data_folders = (folders.clinic / "data", folders.shared / "data")
    stamp = tuple((path.name, path.stat().st_mtime_ns) for folder in data_folders if folder.is_dir() for path in sorted(folder.iterdir()))
    key = (str(folders.clinic), str(folders.shared), stamp)
    if key not in _DATA:
        _DATA.clear()
        _DATA[key] = load_clinic_data(folders.clinic, folders.shared / "data")
    return _DATA[key]


def staff_error(error: StaffError) -> PluginError:
    return PluginError(str(error))


class ClinicPlugin(BasePlugin[ClinicPluginConfig]):
    supports_multiple_instances = False
    serving = False  # set by on_startup; a build run from Python (tests, benchmarks) has none

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # MkDocs keeps a plugin with on_startup for every rebuild of `mkdocs serve`, so this holds for all of them.
        self.serving = command == "serve"

    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.configure(config)
        except StaffError as error:
            raise staff_error(error) from None
        return config

    def configure(self, config: MkDocsConfig) -> None:
        self.folders = folders = clinics.clinic_folders(Path(config.config_file_path), self.config.default_clinic)
        check_other_plugins(config)
        published.check_no_links([folders.shared / "docs", folders.shared / "data", folders.clinic / "docs", folders.clinic / "data"])
        # The https rule is for the address the site is published at; `mkdocs serve` previews at its own http:// address.
        address = clinics.written_site_url(folders) if self.serving else config.site_url
        clinics.check_own_identity(folders, {"site_name": config.site_name, "site_url": address if isinstance(address, str) else ""})
        self.data = data = cached_data(folders)
        self.today = today()
        csp.third_party_settings({"extra.analytics": config.extra.get("analytics"), "theme.font": config.theme.get("font"),
                                  "extra_javascript": config.extra_javascript, "extra_css": config.extra_css}, config.config_file_path)
        config.docs_dir = str(folders.shared / "docs")
        overrides = str(folders.shared / "overrides")
        if overrides not in config.theme.dirs:
            config.theme.dirs.insert(0, overrides)
        self.own_docs = folders.clinic / "docs"
        self.plan = plan.plan_pages(folders.shared / "docs", self.own_docs, data)
        self.records = {uri: read_page(uri, path, own=uri in self.plan.own) for uri, path in self.plan.pages.items()}
        config.nav = menu.edit_nav(config.nav or [], data, self.plan.own, {uri for uri in self.plan.own if config.not_in_nav
                                                                            and config.not_in_nav.match_file(uri)},
                                   menu.chosen_sections(self.records))
        checks.check_active_content_and_pictures(self.records)
        checks.check_links(self.records, data)
        checks.check_unique_titles(self.records)
        checks.check_typed_facts(self.records, data)
        checks.check_comparisons(self.records, data)
        spelling.check_documents(data.documents, data.us_english.words)
        spelling.check_pages(((record.path, checks.prose_lines(record.source)) for record in self.records.values()),
                             data.us_english.words)
        reviews.check_reviews(data, self.records, self.today)
        # The claims policy (pages/claims.py): sources support their sentences, clinic results only with their record,
        # a qualified clinician for each kind of care offered, must-have facts on pages no clinic leaves out.
        claims.check_team(data)
        claims.check_must_show(data, self.records)
        claims.check_outcome_records(data, self.today)
        claims.check_outcome_claims(data, self.records)
        claims.check_all_citations(data, self.records)
        for due in reviews.reviews_due(data, self.today, -1):  # information only: time passing never stops a build
            log.info(f"{shown_path(data.path('reviews.yml'))}:{due.line}: {due.page}: its review was due on "
                     f"{due.review.next_review} (make reviews lists what is due)")
        self.templates = render.fragments(folders.shared / "overrides" / "fragments")
        self.mental_health = crisis.terms_pattern(crisis.mental_health_terms(data))
        self.topics = claims.topic_patterns(data)  # made once per build: each page's review is checked against them
        # The same for every page that discusses mental health: rendered once per build.
        self.crisis_box = render.render_crisis_box(data.crisis, data.clinic, self.templates)
        self.conditions_named = checks.condition_terms(data)
        self.site_name = str(config.site_name)
        config.site_name = Markup(escape(config.site_name))  # Material prints it unescaped in places
        self.script_hashes: set[str] = set()
        self.previews: dict[str, str] = {}  # a page's link-preview picture: its path in the site, the page's title
        self.style_hashes: set[str] = set()
        self.register_macros(config)
        self.configure_editor(config)

    def configure_editor(self, config: MkDocsConfig) -> None:
        """The staff editor, when this clinic's config turns it on: its settings, and its bundle in node_modules."""
        self.editor = editor_settings.read_settings(self.config.editor, config.config_file_path, config.repo_url,
                                                   serving=self.serving)
        if self.editor:
            self.editor_packages = editor_files.check_bundle(self.folders.shared, config.config_file_path)

    def register_macros(self, config: MkDocsConfig) -> None:
        """Our macros and variables, through mkdocs-macros' documented registration (it keeps them until its on_config)."""
        macros_plugin = config.plugins["macros"]
        self.current: PageRecord | None = None
        self.macros_env = macros_plugin  # its module hooks hand the same object back as `env`

        def render_text(text: str) -> str:
            return self.jinja().from_string(text).render(**self.macros_env.variables)

        self.macro_context = macros.MacroContext(
            data=self.data, today=self.today, templates=self.templates, current=lambda: self.current,
            render_text=render_text, articles=self.article_list)
        macros_plugin.register_variables(macros.page_variables(self.data, self.today))
        macros_plugin.register_macros(macros.make_macros(self.macro_context))

    def jinja(self) -> Environment:
        """mkdocs-macros' Jinja environment (its documented `env.env`, with our macros in it) as an overlay whose
        `finalize` checks each value a page shows (Jinja's documented Environment.overlay: macros' own is unchanged)."""
        if getattr(self, "_jinja_base", None) is not self.macros_env.env:
            self._jinja_base = self.macros_env.env
            self._jinja = self._jinja_base.overlay(finalize=macros.finalize)
        return self._jinja

    def article_list(self) -> list[tuple[str, str, str]]:
        return [(uri.removeprefix("articles/"), record.meta.title, record.meta.description)
                for uri, record in sorted(self.records.items()) if uri.startswith("articles/") and uri != "articles/index.md"]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for path in sorted(self.own_docs.rglob("*")) if self.own_docs.is_dir() else []:
            uri = path.relative_to(self.own_docs).as_posix()
            if path.is_file() and not any(part.startswith(".") for part in uri.split("/")):
                if (shared := files.get_file_from_path(uri)) is not None:
                    files.remove(shared)
                files.append(File(uri, str(self.own_docs), config.site_dir, config.use_directory_urls))
        for uri in self.data.pages.leave_out:
            files.remove(files.get_file_from_path(uri))
        search = config.plugins.get("material/search") or config.plugins.get("search")
        languages = list(search.config.lang or []) if search else []
        theme_files = [file.src_uri for file in files if file.src_dir not in (config.docs_dir, str(self.own_docs))]
        for uri in site_files.unloaded_files(theme_files, languages):
            files.remove(files.get_file_from_path(uri))
        try:
            published.check_files(((file.src_uri, Path(file.abs_src_path), Path(file.src_dir)) for file in files
                                    if file.src_dir in (config.docs_dir, str(self.own_docs)) and file.abs_src_path
                                    and not file.inclusion.is_excluded()),
                                  developer_files(config))
            self.process_images(files, config)
        except StaffError as error:
            raise staff_error(error) from None
        self.hand_over_pages(files)
        return files

    def hand_over_pages(self, files: Files) -> None:
        """Each page's text as on_config read it (pages/record.py), so MkDocs does not read the file again: since MkDocs 1.6
        the documented way is a File's content_string, set in on_files. The text is what MkDocs would read (UTF-8, no
        byte-order mark, Unix line ends)."""
        for file in files.documentation_pages():
            record = self.records.get(file.src_uri)
            if record is not None and file.abs_src_path == os.path.normpath(record.path):
                file.content_string = record.source

    def process_images(self, files: Files, config: MkDocsConfig) -> None:
        """Each photo in the pages' folders: compressed at its own path, with WebP copies beside it (images.py)."""
        self.images: dict[str, images.Processed] = {}
        cache = self.folders.shared / ".cache" / "images"
        for file in list(files):
            if file.src_dir in (config.docs_dir, str(self.own_docs)) and file.src_uri.lower().endswith(images.EXTENSIONS):
                processed = images.cached_process(file.content_bytes, Path(file.abs_src_path), cache)
                file.content_bytes = processed.data
                for width, data in processed.variants.items():
                    files.append(File.generated(config, images.variant_path(file.src_uri, width), content=data))
                self.images[file.src_uri] = processed

    def before_macros(self, env) -> None:
        """mkdocs-macros' on_pre_page_macros: the page's checked front matter replaces MkDocs' reading of it, its notes
        (<!-- -->) go, and its macros are rendered here, so that a mistake in them is one `file:line: key: problem. fix`."""
        page = env.page
        record = self.records[page.file.src_uri]
        record.citations = render.Citations(self.data.reference, self.templates)
        record.faq.clear()
        record.shows_crisis_lines = record.shows_off_label_note = False
        self.current = record
        meta = record.meta.model_dump(exclude_none=True)
        # Material prints both unescaped, in <title> and in attributes; Markdown emphasis is not for a meta tag.
        meta["title"], meta["description"] = Markup(escape(record.meta.title)), Markup(escape(plain_text(record.meta.description)))
        try:
            markdown = checks.without_comments(env.markdown, record)
        except StaffError as error:
            raise staff_error(error) from None
        try:
            rendered = self.jinja().from_string(markdown).render(**{**env.variables, **meta})
        except Exception as error:  # any mistake in a page's macros: a Jinja error, or one our macros raise
            raise staff_error(macros.page_error(error, record.path, markdown, record.body_line, self.macro_context)) from None
        page.meta.clear()  # in place: mkdocs-macros' copy of the page for this render shares the mapping
        page.meta.update(meta, render_macros=False)  # rendered above: mkdocs-macros' documented switch
        env.markdown = rendered

    def after_macros(self, env) -> None:
        """mkdocs-macros' on_post_page_macros: an own page's photo (front matter) under its heading, the crisis box if
        the page discusses mental health, then its source list."""
        record = self.records[env.page.file.src_uri]
        markdown = checks.with_photo(env.markdown, record)
        try:
            checks.check_off_label_note(markdown, record, self.conditions_named)
            claims.check_review_fit(self.data, env.page.file.src_uri, markdown, record.review, self.topics)
            if record.meta.summary:
                claims.check_summary(record, markdown)
        except StaffError as error:
            raise staff_error(error) from None
        if "toc" not in record.meta.hide and crisis.section_count(markdown) >= crisis.CONTENTS_FROM:
            markdown = crisis.add_crisis_box(markdown, crisis.PAGE_CONTENTS)  # after the title; the summary and crisis box go before it
        if record.meta.summary:  # at a glance, after the title (and after the crisis box, added next, and its bar)
            markdown = crisis.add_crisis_box(markdown, render.render_summary(record.meta.summary))
        if not record.shows_crisis_lines and crisis.discusses_mental_health(markdown, self.mental_health):
            markdown = crisis.add_crisis_box(markdown, self.crisis_box)
        if env.page.file.src_uri == render.OUTCOMES_PAGE:  # the clinic's own results, only ever beside their records
            markdown += render.render_outcomes(self.data.clinic.outcomes)
        if record.citations.cited:
            markdown += render.render_source_list(record.citations.cited, self.templates)
        env.markdown = markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        record = self.records[page.file.src_uri]
        try:
            checks.check_rendered_html(html, record.path, record.source, self.data.crisis.lines)
            html = images.rewrite_images(html, page.url, record.path, self.images)
        except StaffError as error:
            raise staff_error(error) from None
        labeled = tasklists.label_task_items(html)
        if tasklists.has_unnamed_box(labeled):
            raise staff_error(StaffError(record.path, None, None, "a checklist item has no text after its [ ] box",
                                         "Write what to check after the box, or remove the item."))
        return labeled

    def on_page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
        record = self.records[page.file.src_uri]
        document = jsonld.page_graph(self.data, record, url=page.canonical_url, site_name=self.site_name,
                                     site_url=config.site_url, today=self.today)
        context["structured_data"] = jsonld.to_script_json(document)
        preview = previews.preview_path(page.file.src_uri)
        self.previews[preview] = record.meta.title
        context["preview_image"] = config.site_url + preview
        context["review"] = record.review
        context["reviewers"] = [self.data.reviewer(i) for i in record.review.reviewed_by] if record.review else []
        return context

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Theme templates read the clinic's facts; `material/...` names Material's own template (search.html wraps it)."""
        material = next(folder for folder in config.theme.dirs if Path(folder).parts[-2:] == ("material", "templates"))
        env.loader = ChoiceLoader([env.loader, PrefixLoader({"material": FileSystemLoader(material)})])
        _COMPILED.use_folder(self.folders.shared / ".cache" / "jinja")
        env.bytecode_cache = _COMPILED
        env.filters["long_date"] = render.long_date
        env.globals.update(
            clinic=self.data.clinic, crisis=self.data.crisis, crisis_note=render.crisis_note(self.data.crisis, self.data.clinic),
            announcements=[c for c in render.upcoming_closures(self.data.clinic.closures, self.today) if c.announce],
            closure_dates=render.closure_dates)
        return env

    @event_priority(-100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.records[page.file.src_uri].lists_all_sources:
            output = output.replace(render.ALL_SOURCES, render.render_all_sources(self.cited_on_site(), self.templates))
        shape = theme_fixes.PageShape(bool(page.meta.get("search_form")), get_relative_url("search/", page.url),
                                      self.data.clinic.short_name)
        return self.finish(output, shape, page.content or "", page.file.src_uri)

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output_content
        root = config.site_url.split("//", 1)[-1].partition("/")[2]
        return self.finish(output_content, theme_fixes.PageShape(False, f"/{root}search/", self.data.clinic.short_name), "", template_name)

    def finish(self, html: str, shape: theme_fixes.PageShape, content: str, name: str) -> str:
        """Material's markup fixed, then the page's policy: the theme's own inline scripts, by hash."""
        try:
            html = theme_fixes.fix_page(html, shape)
        except theme_fixes.ThemeChanged as error:
            raise PluginError(f"{name}: {error}") from None
        if self.serving:  # serve adds its own live-reload script after this, so a policy would block it
            return html
        scripts, styles = csp.theme_script_hashes(html, content), csp.inline_style_hashes(html)
        self.script_hashes.update(scripts)
        self.style_hashes.update(styles)
        with_policy = csp.insert_policy_meta(html, csp.content_security_policy(scripts, styles, for_meta=True))
        if with_policy is None:
            raise PluginError(f"{name}: the page has no <meta charset=\"utf-8\"> to put the Content-Security-Policy after. "
                              "Keep Material's <head>: overrides/main.html must extend base.html.")
        return with_policy

    def cited_on_site(self) -> list:
        """Every source a page of this site cites (all pages are rendered before the first is written)."""
        cited = {reference.id: reference for record in self.records.values() if record.citations
                 for reference in record.citations.cited}
        return list(cited.values())

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        (site / "robots.txt").write_text(site_files.robots_txt(config.site_url), encoding="utf-8")
        domain = config.site_url.split("//", 1)[-1].rstrip("/")
        for path, title in self.previews.items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_bytes(previews.cached_draw(self.site_name, title, domain, self.folders.shared / ".cache" / "previews"))
        styles = sorted(self.style_hashes, key=lambda source: (source != "'unsafe-hashes'", source))
        policy = csp.content_security_policy(sorted(self.script_hashes), styles)
        (site / "_headers").write_text(csp.headers_file(policy) + (editor_files.headers_rule(self.editor) if self.editor else ""),
                                       encoding="utf-8")
        if self.editor:
            self.write_editor(site, config)

    def write_editor(self, site: Path, config: MkDocsConfig) -> None:
        """admin/: the editor's page, its generated config and its files; no visitor page links to it."""
        settings = editor_config.editor_config(self.editor, self.folders.shared, self.folders.clinic, self.data, config.site_url,
                                              config.nav)
        facts = editor_preview.preview_facts(self.data, macros.page_variables(self.data, self.today),
                                             macros.make_macros(self.macro_context))
        editor_files.write_admin(site, self.editor, settings, self.site_name, self.editor_packages,
                                 [str(path) for path in config.extra_css], facts)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        """Also rebuild when the clinic's data or pages, the shared data or the theme change."""
        for folder in (self.folders.clinic, self.folders.shared / "data", self.folders.shared / "overrides"):
            server.watch(str(folder))
        return server


def on_pre_page_macros(env) -> None:
    """mkdocs-macros' documented module hook, before it renders a page: handed to the clinic plugin."""
    env.conf.plugins["clinic"].before_macros(env)


def on_post_page_macros(env) -> None:
    """mkdocs-macros' documented module hook, after it renders a page."""
    env.conf.plugins["clinic"].after_macros(env)


def developer_files(config: MkDocsConfig) -> set[str]:
    """The style sheets and scripts the config names: the site's own, published from docs/ (published.py)."""
    named = [*config.extra_css, *(str(getattr(script, "path", script)) for script in config.extra_javascript)]
    return {str(path) for path in named if "://" not in str(path)}


def check_other_plugins(config: MkDocsConfig) -> None:
    """Settings other plugins would fail on with a traceback: named here with the config file and key."""
    macros_plugin = config.plugins.get("macros")
    if macros_plugin is None:
        raise StaffError(config.config_file_path, None, "plugins.macros", "the macros plugin is missing",
                         "Keep `macros:` under plugins, as in the top-level mkdocs.yml.")
    if MACROS_MODULE not in (macros_plugin.config.get("modules") or []):
        raise StaffError(config.config_file_path, None, "plugins.macros.modules", f"{MACROS_MODULE} is not among the macros modules",
                         f"Write modules: [{MACROS_MODULE}] under macros:, as in the top-level mkdocs.yml: it renders the pages.")
    for key, choices in MACROS_CHOICES.items():
        value = macros_plugin.config.get(key)
        if value not in choices:
            raise StaffError(config.config_file_path, None, f"plugins.macros.{key}", f"'{value}' is not a known value",
                             f"Use one of: {', '.join(choices)} (the site uses strict).")
