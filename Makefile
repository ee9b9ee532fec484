# Inclusive Recovery City: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run demo test lint format check bench clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned requirements

demo: install ## Migrate the database and load the demo city (safe to repeat)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo --address 127.0.0.1:$(PORT)

run: demo ## Set everything up and serve the demo city at http://127.0.0.1:$(PORT)/
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install ## Check style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Django's system checks and the missing-migrations check
	DJANGO_SETTINGS_MODULE=site.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=site.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

test: lint check ## Set everything up and run the whole suite (lint, checks, unit, browser)
	bash .ci/system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install ## Run the benchmarks under bench/ and print their figures
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: ## Remove the virtualenv, the database and collected files
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media .pytest_cache
