# Inclusive Recovery City: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed
# uv installs from the same registry as pip, from its own cache, many times faster.
UV_INSTALL = $(UV) pip install --quiet --require-hashes --python $(BIN)/python

.DEFAULT_GOAL := help
.PHONY: help system-deps install install-dev lock audit run demo test lint format check bench clean messages

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# A virtualenv without pip (making pip's copy is slow), uv put in by the machine's pip; where
# that pip may not (an externally managed Python), the virtualenv's own pip does it.
$(UV): requirements-uv.txt
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip install --quiet --require-hashes --no-deps --no-warn-script-location \
	  --prefix $(VENV) -r requirements-uv.txt 2>/dev/null \
	  || { $(PYTHON) -m venv $(VENV) && $(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-uv.txt; }
	touch $(UV)

$(STAMP): requirements.txt | $(UV)
	$(UV_INSTALL) -r requirements.txt
	touch $(STAMP)

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(UV_INSTALL) -r requirements-dev.txt
	touch $(DEV_STAMP)

# The translation catalogues, compiled (with polib: no system gettext needed); never committed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard site/locale/*/LC_MESSAGES/*.po))

%.mo: %.po | $(STAMP)
	$(BIN)/python home/compile_messages.py $<

# Front-end libraries (jsQR) from the npm registry, exactly as package-lock.json locks them
# (hash checked); Django serves them from node_modules/ (FRONTEND_PACKAGES in settings).
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Please install npm (Debian: apt-get install npm): it fetches the scanner's QR decoder." >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP) $(MO_FILES) ## Create .venv with what the site runs (requirements.txt, as production) and node_modules (package-lock.json)

install-dev: $(DEV_STAMP) $(NODE_STAMP) $(MO_FILES) ## Add the test and tooling requirements (requirements-dev.txt)

# New strings since the last run appear empty in each catalogue; translate them there.
# Scripts have no words of their own: the page gives them, translated (data-msg-* on the
# scanner), so there is no djangojs catalogue
# (tests/project/test_translations.py fails until none is left empty or fuzzy).
MAKEMESSAGES_IGNORE := --ignore=node_modules --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=static/vendor --ignore=media
messages: install-dev ## Extract every marked string into the Welsh and Dutch catalogues (site/locale/)
	$(BIN)/python manage.py makemessages -l cy -l nl -d django --add-location=file $(MAKEMESSAGES_IGNORE)
	$(BIN)/python home/compile_messages.py

lock: $(UV) ## Lock requirements*.in into requirements*.txt, every dependency with its hash
	for f in requirements requirements-dev requirements-uv; do \
	  $(UV) pip compile --quiet --generate-hashes --python-version 3.11 --no-header $$f.in -o $$f.txt || exit 1; \
	done

audit: install-dev ## Check every locked requirement against known vulnerabilities (pip-audit)
	bash .ci/audit

demo: install ## Migrate the database and load the demo city (safe to repeat)
	$(BIN)/python manage.py load_demo --migrate --address 127.0.0.1:$(PORT)

run: demo ## Set everything up and serve the demo city at http://127.0.0.1:$(PORT)/
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install-dev ## Django's system checks and the missing-migrations check
	DJANGO_SETTINGS_MODULE=site.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=site.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

system-deps: # The machine packages the suite drives (Chromium, zbar, ffmpeg, npm, PostgreSQL, Redis)
	bash .ci/system-deps

test: system-deps lint check ## Set everything up and run the whole suite (lint, checks, unit, browser)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-dev ## Run the benchmarks under bench/ and print their figures
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: ## Remove the virtualenv, the database and collected files
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .test-media .test-private-media .pytest_cache
