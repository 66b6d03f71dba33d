"""A clinic's pages: the shared pages in docs/, plus its own, minus the ones it leaves out.

front_matter: each page's front matter, checked against PageMeta (a typo in a key stops the build).
record: the PageRecord of each page of a build, read once, which the macros fill in as the page is rendered.
plan: which Markdown files make up a clinic's site. menu: the shared menu edited for the clinic.
checks: the checks over all pages (links, pictures, title headings, typed facts, comparisons, titles).
reviews: the health pages' review records, checked against the pages, and the reviews due.
claims: the claims policy (sources support their sentences, clinic results only with their outcome record,
reviewers and clinicians fit the topic, must-have facts on pages no clinic leaves out).
spelling: US English in the pages and the data texts, from data/us_english.yml's word list.
"""
