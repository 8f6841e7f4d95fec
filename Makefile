# Safetydesk: set up, run and test on a fresh Debian 12 machine with Python 3.12 (README.md).
# `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAFETYDESK := $(BIN)/safetydesk

# What the suite and the install need from Debian: Chromium for the Playwright browser tests,
# gettext (msgfmt) for compilemessages, and fonts (Latin, and Japanese for CJK screenshots) so that pages render
# as a person sees them; dovecot-imapd is the real IMAP server the mail poller's tests run;
# mediawiki with php-cli and php-sqlite3 is the real wiki of the enforcement tests and of
# `safetydesk devwiki` (installed per wiki into a folder of ours, served by `php -S`).
# Add packages here; deps-system installs whatever is missing.
DEBIAN_PACKAGES := chromium gettext fonts-liberation fonts-ipafont-gothic dovecot-imapd mediawiki php-cli php-sqlite3

# Translations are compiled at install time; the .mo files are not in git.
PO_FILES := $(shell find safetydesk -path '*/locale/*/LC_MESSAGES/*.po' 2>/dev/null)
MO_FILES := $(PO_FILES:.po=.mo)

# Management commands that only read code (compilemessages, makemigrations) need no real keys.
TOOL_ENV := SAFETYDESK_ENV=test

# `make bench` runs this once on SQLite and once on PostgreSQL when one answers on 127.0.0.1.
# Add a benchmark by appending `&& $(BIN)/python benchmarks/<name>.py` inside the quotes: one
# shell, so that the DATABASE_URL put in front of $(BENCH_RUN) reaches every benchmark.
BENCH_RUN = $(TOOL_ENV) sh -c '$(BIN)/python benchmarks/queue.py && $(BIN)/python benchmarks/intake.py && $(BIN)/python benchmarks/emergency.py'
BENCH_DATABASE := safetydesk_bench
PG := -h 127.0.0.1 -p 5432 -U postgres

.PHONY: help deps-system $(VENV) install run test lint bench clean

help:
	@echo "make run          install, migrate, load the demo (first time), serve http://127.0.0.1:8000"
	@echo "make test         install everything the suite needs, then run the whole suite"
	@echo "                  (PYTEST_ARGS='-k name' to select; DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make lint         ruff, mypy, and a check for missing migrations"
	@echo "make bench        benchmarks on SQLite, and on PostgreSQL if it answers on 127.0.0.1"
	@echo "make install      create $(VENV) and install Safetydesk with its development tools"
	@echo "make deps-system  install the Debian packages in DEBIAN_PACKAGES that are missing"
	@echo "make clean        remove $(VENV), caches and compiled translations (var/ is kept)"

deps-system:
	@if ! command -v dpkg-query >/dev/null; then \
	  echo "deps-system: not a Debian system; make sure these (or their equivalents) are installed: $(DEBIAN_PACKAGES)" >&2; \
	  exit 0; \
	fi; \
	missing=$$(for package in $(DEBIAN_PACKAGES); do \
	  [ "$$(dpkg-query -W -f='$${db:Status-Status}' "$$package" 2>/dev/null)" = installed ] || echo "$$package"; \
	done | xargs); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "Missing Debian packages: $$missing. Install them with:" >&2; \
	  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $$missing" >&2; \
	  exit 1; \
	fi; \
	echo "Installing Debian packages: $$missing"; \
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing

# The virtualenv, made with the first Python >= 3.12 found: $(PYTHON), else python3.12.
$(VENV): $(BIN)/python

$(BIN)/python:
	@python='$(PYTHON)'; \
	if ! "$$python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  if python3.12 -c '' 2>/dev/null; then \
	    echo "$(PYTHON) is not Python >= 3.12; using python3.12."; \
	    python=python3.12; \
	  else \
	    echo "Safetydesk needs Python >= 3.12, but '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo 'not installed')." >&2; \
	    echo "Install Python 3.12, or name one: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)" >&2; \
	    exit 1; \
	  fi; \
	fi; \
	echo "Creating $(VENV) with $$("$$python" --version)"; \
	"$$python" -m venv $(VENV)

# Re-installs only when pyproject.toml changes (the stamp file is older then).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "$(VENV) was made with $$($(BIN)/python --version); Safetydesk needs >= 3.12. Run 'make clean' and retry." >&2; \
	  exit 1; }
	PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/pip install --progress-bar off -e '.[dev]'
	@touch $@

ifneq ($(PO_FILES),)
# compilemessages skips catalogues whose .mo is newer; touching them all keeps make from
# seeing a stale one next time.
$(MO_FILES) &: $(PO_FILES) | $(VENV)/.installed deps-system
	cd safetydesk && $(TOOL_ENV) $(abspath $(SAFETYDESK)) compilemessages --verbosity 0
	@touch $(MO_FILES)
endif

install: deps-system $(VENV)/.installed $(MO_FILES)

run: export SAFETYDESK_DEMO := 1
run: install
	$(SAFETYDESK) migrate --noinput
	$(SAFETYDESK) demo --if-empty
	exec $(SAFETYDESK) serve --bind 127.0.0.1:8000

# pytest exits 5 when it collected no tests: that must fail, never pass quietly.
test: export SAFETYDESK_ENV := test
test: install
	@status=0; $(BIN)/pytest $(PYTEST_ARGS) || status=$$?; \
	if [ "$$status" -eq 5 ]; then echo "make test: pytest ran no tests; that is a failure." >&2; exit 1; fi; \
	exit "$$status"

# Runs every check even when an earlier one fails, so one run shows all problems.
lint: $(VENV)/.installed
	@status=0; \
	echo "--- ruff check"; $(BIN)/ruff check . || status=1; \
	echo "--- mypy safetydesk"; $(BIN)/mypy safetydesk || status=1; \
	echo "--- makemigrations --check"; $(TOOL_ENV) $(SAFETYDESK) makemigrations --check --dry-run || status=1; \
	exit "$$status"

bench: $(VENV)/.installed
	$(TOOL_ENV) $(BIN)/python benchmarks/urgency.py
	$(BENCH_RUN)
	@if command -v pg_isready >/dev/null && pg_isready -q $(PG); then \
	  [ "$$(psql $(PG) -tAc "SELECT 1 FROM pg_database WHERE datname = '$(BENCH_DATABASE)'")" = 1 ] \
	    || psql $(PG) -qc 'CREATE DATABASE $(BENCH_DATABASE)'; \
	  echo "DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DATABASE)"; \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DATABASE) $(BENCH_RUN); \
	else \
	  echo "bench: PostgreSQL does not answer on 127.0.0.1:5432; ran on SQLite only."; \
	fi

clean:
	rm -rf $(VENV) build dist safetydesk.egg-info .mypy_cache .ruff_cache .pytest_cache
	find . -name .git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -f $(MO_FILES)
