"""The clinic site generator's own code: an engine-free core, and the MkDocs wiring in plugin.py.

Every module but plugin.py is plain Python with no MkDocs import: the data and its schema
(schema.py, yamlfile.py, data/), the pages of a clinic's site and their review records (clinics.py, pages/),
what the macros render (render.py, macros.py, crisis.py, text.py), what each page ships (jsonld.py, csp.py,
html_safety.py, theme_fixes.py, tasklists.py, site_files.py, images.py), and the staff editor (editor/).
"""
