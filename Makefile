# Brückenbau. `make run` serves the app with demo data on http://127.0.0.1:5000 in debug mode
# (the only mode that accepts the public development key),
# `make test` runs every test. Both create the virtual environment on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PYTEST_ARGS ?=
export FLASK_APP := wsgi

.PHONY: run test lint bench translations translations-compile clean

$(INSTALLED): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

translations-compile: $(INSTALLED)
	$(BIN)/pybabel compile --directory translations --domain messages > /dev/null

run: $(INSTALLED) translations-compile
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask run --debug --host 127.0.0.1 --port 5000

test: $(INSTALLED) translations-compile
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	PYTHONPATH=.ci $(BIN)/lint-imports --no-cache
	$(BIN)/ruff format --check app tests config.py wsgi.py

bench: $(INSTALLED)
	$(BIN)/python -m bench.matching

# After adding or changing user-facing strings: refresh every catalogue, then
# translate what is new (English msgids; the en catalogue mirrors them).
translations: $(INSTALLED)
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _l --keywords lazy_gettext --keywords N_ --sort-by-file \
		--project Brückenbau --copyright-holder "Brückenbau contributors" --output-file translations/messages.pot .
	$(BIN)/pybabel update --input-file translations/messages.pot --output-dir translations --ignore-obsolete \
		--no-fuzzy-matching
	msgen translations/en/LC_MESSAGES/messages.po --output-file translations/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile --directory translations --statistics

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
