# The two commands in README.md: `make serve` (preview the site) and `make test` (every test).
# Each installs what it needs on a fresh machine first; a second run skips what is already there.
PYTHON ?= python3
# Which clinic's site: `make serve CONFIG=examples/clinic-b/mkdocs.yml` (README: Start a site for your clinic).
CONFIG ?= mkdocs.yml
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test bench readability external-links system-deps

serve: $(VENV)/.site-deps
	$(BIN)/mkdocs serve -f $(CONFIG)

build: $(VENV)/.site-deps
	$(BIN)/mkdocs build --strict -f $(CONFIG)

test: $(VENV)/.test-deps node_modules/.installed system-deps
	$(BIN)/python -m pytest

# `make bench ARGS=--quick`: Lighthouse on the home page and two others instead of every page.
bench: $(VENV)/.test-deps node_modules/.installed system-deps
	$(BIN)/python -m benchmarks $(ARGS)

readability: $(VENV)/.test-deps
	$(BIN)/python -m tools.readability

external-links: $(VENV)/.test-deps
	$(BIN)/python -m pytest -m external -p no:cacheprovider

$(VENV)/.site-deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-test.txt $(VENV)/.site-deps
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Debian's Chromium for the browser tests (never `playwright install`) and Java for the Nu HTML Checker.
system-deps:
	@command -v chromium >/dev/null && command -v java >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium default-jre-headless; }
