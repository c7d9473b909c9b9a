# Two commands on a fresh machine: `make run` and `make test`.
VENV      ?= .venv
PYTHON    ?= python3
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
CATALOGS  := intake/translations/en/LC_MESSAGES/messages.mo
FLASK     := $(BIN)/flask --app intake
HOST      ?= 127.0.0.1
PORT      ?= 5000
# Links printed and emailed in development follow the address the server listens on.
LINK_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))

AXE       := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: run test install install-test translations extract-messages lint bench clean

# `make run` installs what running needs; `make test` adds the test extras.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

$(CATALOGS): intake/translations/en/LC_MESSAGES/messages.po | $(STAMP)
	$(BIN)/pybabel compile --statistics -d intake/translations

translations: $(CATALOGS)

# axe-core for the accessibility checks of the browser tests (skipped loudly without npm).
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	-command -v npm >/dev/null && npm ci --prefix tests/browser --no-audit --no-fund --silent

## Set everything up and serve the app on its embedded defaults (SQLite, mail kept in the outbox),
## with the worker beside it (mail, reminders, PDFs): `flask serve` runs both, Ctrl-C stops both.
## `doctor` says what this machine lacks; the app starts anyway, its findings stay on screen.
run: export INTAKE_DEV_BASE_URL ?= http://$(LINK_HOST):$(PORT)
run: install translations
	$(FLASK) setup
	$(FLASK) doctor || echo "flask doctor found problems (see above); starting anyway."
	$(FLASK) serve --host $(HOST) --port $(PORT)

## Set everything up and run the whole test suite.
test: install-test translations $(AXE)
	$(BIN)/ruff check intake tests $(wildcard bench)
	$(BIN)/pytest $(PYTEST_ARGS)

## Refresh the message catalogue after changing French strings (then translate the new ones).
extract-messages: install
	$(BIN)/pybabel extract --no-location --no-wrap --sort-output -F babel.cfg -k _l -o intake/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --no-wrap -i intake/translations/messages.pot -d intake/translations

lint: install-test
	$(BIN)/ruff check intake tests $(wildcard bench)

bench: install-test translations
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
