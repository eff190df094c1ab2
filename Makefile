# Tanggap: `make run` starts the demo, `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt messages compile-messages venv clean

run: $(STAMP) compile-messages ## Set up and start web server and worker on SQLite with demo data
	@scripts/run.sh

test: $(STAMP) compile-messages ## Set up and run the suite on SQLite, PostgreSQL and in Chromium
	@$(VENV)/bin/ruff check .
	@scripts/test.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || { python=$$(scripts/find-python.sh) && $$python -m venv $(VENV); }
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

compile-messages: $(STAMP) ## Compile the translations (no GNU gettext needed)
	@$(PY) scripts/compile_messages.py

messages: $(STAMP) ## Extract new strings into locale/id (needs GNU gettext)
	@$(PY) manage.py makemessages -l id --no-obsolete --no-location --ignore '.venv/*' --ignore 'bench/*'
	@$(PY) manage.py makemessages -d djangojs -l id --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*'

lint: $(STAMP) ## Check style
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

fmt: $(STAMP) ## Format and fix
	@$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

clean: ## Remove the environment and local data
	rm -rf $(VENV) var
