# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint migrate demo clean browser schemathesis

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

## make run: install, migrate, load the demo boards, start the web app and a Celery
## worker with beat on http://$(HOST):$(PORT), and print the demo logins.
run: demo
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) bin/run

## make test: install what the tests need and run the whole suite, one pytest-xdist
## worker per CPU (each with its own test database; XDIST=0 runs in one process).
XDIST ?= auto
test: $(VENV)/.installed-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(XDIST) $(PYTEST_ARGS)

## make browser: only the browser journeys (Playwright driving Debian's chromium,
## headless; screenshots in test-artefacts/). `make test` runs them too.
browser: $(VENV)/.installed-dev
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

## make schemathesis: only the API robustness run (bounded examples per operation).
schemathesis: $(VENV)/.installed-dev
	$(PY) -m pytest tests/api $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r governance boards meetings pooled_funds publication -lll

clean:
	rm -rf $(VENV) var staticfiles
