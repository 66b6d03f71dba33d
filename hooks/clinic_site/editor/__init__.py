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

settings: the editor's settings in mkdocs.yml. forms: one Decap field per schema field. config: the Decap
config (admin/config.yml) for one clinic. files: the admin page, its security policy, and the files copied.
"""
