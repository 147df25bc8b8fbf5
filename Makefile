# hoptac: `make demo` runs the product on SQLite with demo data; `make test` runs every test.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
HOPTAC := $(VENV)/bin/hoptac
# The newest working python3.x >= 3.11 on this machine (pyenv shims that fail are skipped).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then echo $$p; break; fi; done)
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/hoptac
# The demo runs without debug (real error pages), on this machine only (hoptac/settings.py: DEMO).
DEMO_ENV := HOPTAC_DEMO=1

.PHONY: install demo test test-sqlite test-postgres lint typecheck format check messages lock bench clean

install: $(VENV)/.installed

# What the product needs to run (the demo installs only this: the test tools take as long again).
$(VENV)/.runtime: requirements.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "hoptac needs Python 3.11 or newer (python3.11, python3.12, …) on PATH." >&2; exit 1; }
	@echo "Creating $(VENV) with $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# And the test and tooling dependencies.
$(VENV)/.installed: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

demo: $(VENV)/.runtime
	$(DEMO_ENV) $(HOPTAC) migrate --noinput
	$(DEMO_ENV) $(HOPTAC) load-units
	$(DEMO_ENV) $(HOPTAC) load-plans
	PORT=$(PORT) $(DEMO_ENV) $(HOPTAC) load-demo
	@# A background-job worker beside the server (var/worker.log), stopped when `make demo` ends.
	@mkdir -p var; $(DEMO_ENV) $(HOPTAC) worker --no-reload >var/worker.log 2>&1 & w=$$!; m=$$PPID; \
		(while kill -0 $$m 2>/dev/null; do sleep 2; done; kill $$w) >/dev/null 2>&1 &
	$(DEMO_ENV) $(HOPTAC) runserver 127.0.0.1:$(PORT)

# The whole suite on SQLite, then again on PostgreSQL when a server is reachable
# (always in CI: with CI=true an unreachable PostgreSQL fails the run).
test: install test-sqlite test-postgres

test-sqlite: install
	@echo "== tests on SQLite"
	$(PY) -m pytest

test-postgres: install
	@url="$(TEST_DATABASE_URL)"; \
	if $(PY) scripts/db_reachable.py "$$url"; then \
		echo "== tests on PostgreSQL ($$url)"; DATABASE_URL="$$url" $(PY) -m pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI: PostgreSQL is not reachable at $$url; every change must be tested on it." >&2; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $$url: the PostgreSQL run was not done (CI always does it)."; \
	fi

lint: install
	$(VENV)/bin/ruff check hoptac scripts bench
	$(VENV)/bin/ruff format --check hoptac scripts bench
	HOPTAC_DEBUG=1 $(HOPTAC) check
	HOPTAC_DEBUG=1 $(HOPTAC) makemigrations --check --dry-run
	$(MAKE) --no-print-directory typecheck

# mypy with django-stubs and djangorestframework-stubs ([tool.mypy] in pyproject.toml): core,
# accounts and every services.py must be clean; the rest is counted (scripts/typecheck.py).
typecheck: install
	$(PY) scripts/typecheck.py

format: install
	$(VENV)/bin/ruff check --fix hoptac scripts bench
	$(VENV)/bin/ruff format hoptac scripts bench

# Vietnamese translations: extract, then compile (needs GNU gettext's msgfmt).
messages: install
	cd hoptac && HOPTAC_DEBUG=1 ../$(HOPTAC) makemessages -l vi --no-obsolete --no-location
	cd hoptac && HOPTAC_DEBUG=1 ../$(HOPTAC) compilemessages -l vi

# Re-resolve the pinned requirement files from the *.in lists.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	(echo "# Fully pinned runtime dependencies (resolved from requirements.in; regenerate with \`make lock\`)."; .lock-venv/bin/pip freeze --exclude-editable) > requirements.txt
	.lock-venv/bin/pip install --quiet -r requirements-dev.in
	(echo "# Fully pinned test and tooling dependencies (resolved from requirements-dev.in)."; echo "-r requirements.txt"; \
		.lock-venv/bin/pip freeze --exclude-editable | grep -vxFf <(grep -v '^#' requirements.txt)) > requirements-dev.txt
	rm -rf .lock-venv

# National-scale benchmarks (synthetic data is made once per database and reused).
bench: install
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(PY) bench/run.py --db sqlite --scale national
	@if $(PY) scripts/db_reachable.py "$(TEST_DATABASE_URL)"; then $(PY) bench/run.py --db postgres --scale national; \
	else echo "PostgreSQL not reachable: benchmarks ran on SQLite only."; fi
	$(PY) bench/import_bench.py --rows 100000
	$(PY) bench/hostile_bench.py
	$(PY) bench/trace_load.py
	$(PY) bench/report.py

clean:
	rm -rf $(VENV) var/static
