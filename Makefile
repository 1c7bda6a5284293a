# The two commands of the README: `make site` builds the site, `make test` runs every test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
ENGINE ?= mkdocs   # the site engine: mkdocs, or properdocs (its drop-in fork); README, "Site engines"
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.DEFAULT_GOAL := site
.PHONY: site pages test lint serve preview chromium clean bench

$(VENV)/.site-deps: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null \
	  || $(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt $(VENV)/.site-deps
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## site: generate docs/ from digests/, build site/ with the engine (strict), verify it, index it;
## only what changed when that is safe (it says which it did); FULL=1 builds everything
site: pages
	$(PY) -m generator site --engine $(strip $(ENGINE)) $(if $(FULL),--full)
	@echo "Site built in site/ (open it with search: make preview)"

## pages: generate docs/ only
pages: $(VENV)/.site-deps
	$(PY) -m generator build

## test: lint, type-check, then the whole pytest suite (browser tests need Chromium)
test: $(VENV)/.dev-deps chromium
	$(VENV)/bin/ruff check
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n auto --dist loadfile

## bench: build a synthetic 2,000-paper site and print its times and sizes (BENCHMARKS.md)
bench: $(VENV)/.dev-deps chromium
	$(PY) -m bench.bench --papers 2000

## preview: serve the built site/ on http://127.0.0.1:8000, search included (run make site first)
preview:
	@test -f site/index.html || { echo "No site/ yet: run make site first"; exit 1; }
	$(PYTHON) -m http.server --bind 127.0.0.1 --directory site 8000

## serve: live preview while editing pages on http://127.0.0.1:8000, rebuilding only edited pages
serve: $(VENV)/.site-deps
	$(VENV)/bin/mkdocs serve --dirty

## chromium: install Debian's Chromium if missing (browser tests)
chromium:
	@command -v chromium >/dev/null || ./scripts/install-chromium

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
