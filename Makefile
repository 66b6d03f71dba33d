# The two commands in README.md: `make serve` (preview the site) and `make test` (every test).
# Each installs what it needs on a fresh machine first; a second run skips what is already there.
PYTHON ?= python3
# Which clinic: `make serve CONFIG=clinics/kestrel-peak/mkdocs.yml`. Empty for `make test`: every clinic.
CONFIG ?=
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
SITE_CONFIG := $(if $(CONFIG),$(CONFIG),mkdocs.yml)
# Where `make build` writes the site: site/ at the top, whichever clinic (the deploy workflow uploads it).
SITE_DIR ?= site

# A clinic with the staff editor on (plugins.clinic.editor) has it copied from node_modules into its site:
# only then (exit 0) do `make serve` and `make build` install the npm packages. Other clinics (1) build with
# Python alone. A CONFIG that names a folder or no file (2) stops here, with the fix.
EDITOR_PACKAGES = $(BIN)/python -m tools.editor_packages "$(SITE_CONFIG)"; \
	case $$? in 0) $(MAKE) --no-print-directory node_modules/.installed;; 1) ;; *) exit 2;; esac

.PHONY: serve build test test-properdocs bench readability reviews new-clinic external-links system-deps

serve: $(VENV)/.site-deps
	@$(EDITOR_PACKAGES)
	$(BIN)/mkdocs serve -f $(SITE_CONFIG)

# Built beside site/ and moved in only when the build passes: a failed build (MkDocs writes pages before it
# counts its warnings) leaves no half-built site to upload.
build: $(VENV)/.site-deps
	@$(EDITOR_PACKAGES)
	@rm -rf "$(abspath $(SITE_DIR)).new"
	$(BIN)/mkdocs build --strict -f $(SITE_CONFIG) -d "$(abspath $(SITE_DIR)).new" || { rm -rf "$(abspath $(SITE_DIR)).new"; exit 1; }
	@rm -rf "$(abspath $(SITE_DIR))" && mv "$(abspath $(SITE_DIR)).new" "$(abspath $(SITE_DIR))"

# Every test, for every clinic in the repository, or for one: `make test CONFIG=clinics/<name>/mkdocs.yml`.
# TESTS=shared runs only the tests of the code, tools and fixtures (once, whatever the number of clinics);
# TESTS=quick the shared ones that need no browser nor Java; TESTS=clinic only the per-clinic ones (of CONFIG's clinic).
# The tests run in parallel, one worker per core (JOBS=1 for one at a time); each clinic's site is built once.
# BUILT=site: the tests check the site `make build` already made for CONFIG's clinic instead of building it again (CI).
TESTS ?=
JOBS ?= auto
TEST_MARKS_shared := -m "not per_clinic and not external"
TEST_MARKS_quick := -m "not per_clinic and not browser and not java and not external"
TEST_MARKS_clinic := -m "per_clinic and not external"
test: $(VENV)/.test-deps node_modules/.installed system-deps
	$(BIN)/python -m pytest -n $(JOBS) $(if $(CONFIG),--clinic=$(CONFIG)) $(if $(BUILT),--built-site=$(BUILT)) $(TEST_MARKS_$(TESTS))

# Health pages due for review within 30 days, and overdue ones (which fail it), for every clinic.
# `make reviews TODAY=2027-06-01` answers for another day.
reviews: $(VENV)/.site-deps
	$(BIN)/python -m tools.reviews $(if $(TODAY),--today "$(TODAY)") $(if $(CONFIG),--config "$(CONFIG)")

# A new clinic's folder with commented placeholders: `make new-clinic NAME=sunrise`
# (`NAME="Sunrise Clinic"` makes clinics/sunrise-clinic/).
new-clinic: $(VENV)/.site-deps
	$(BIN)/python -m tools.new_clinic "$(NAME)"

# `make bench ARGS=--quick`: Lighthouse on the home page and two others instead of every page.
bench: $(VENV)/.test-deps node_modules/.installed system-deps
	$(BIN)/python -m benchmarks $(ARGS)

readability: $(VENV)/.test-deps
	$(BIN)/python -m tools.readability $(if $(CONFIG),--config "$(CONFIG)")

external-links: $(VENV)/.test-deps
	$(BIN)/python -m pytest -m external -p no:cacheprovider

# The pinned packages, then the site's own code (hooks/clinic_site, the `clinic` plugin), editable.
$(VENV)/.site-deps: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
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

# The second engine: the same suite on ProperDocs 1.6.7 (requirements-properdocs.txt, in .venv-properdocs), and each
# clinic's site built on both engines and compared (tests/test_engines.py; needs .venv too). Takes TESTS and CONFIG.
PROPERDOCS_VENV := .venv-properdocs
test-properdocs: $(PROPERDOCS_VENV)/.deps $(VENV)/.site-deps node_modules/.installed system-deps
	CLINIC_SITE_ENGINES=both $(PROPERDOCS_VENV)/bin/python -m pytest -n $(JOBS) $(if $(CONFIG),--clinic=$(CONFIG)) $(TEST_MARKS_$(TESTS))

# --no-deps: Material and mkdocs-macros name `mkdocs` as a dependency; ProperDocs stands in for it.
$(PROPERDOCS_VENV)/.deps: requirements-properdocs.txt pyproject.toml
	test -x $(PROPERDOCS_VENV)/bin/python || $(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-properdocs.txt
	$(PROPERDOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@
