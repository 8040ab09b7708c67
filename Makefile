# Brückenbau. `make run` serves the app with demo data on http://127.0.0.1:5000 (PORT=… for another
# port) in debug mode (the only mode that accepts the public development key), `make test` runs
# every test, `make reset-demo` starts the demo data from scratch. They create the virtual
# environment on first use: `run` with the app's packages only, `test` and `lint` add their tools.
PYTHON ?= python3
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
INSTALLED := $(VENV)/.installed
PYTEST_ARGS ?=
export FLASK_APP := wsgi

.PHONY: run reset-demo test lint bench translations translations-compile clean

# pip's own progress bars show that the first install (a few minutes) is working.
$(RUNTIME): requirements.txt
	@echo "make: installing the app's packages into $(VENV) (the first time takes a few minutes)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install -r requirements.txt
	touch $@

$(INSTALLED): $(RUNTIME) requirements-dev.txt
	@echo "make: installing the test and lint tools into $(VENV)"
	$(BIN)/pip install -r requirements-dev.txt
	touch $@

translations-compile: $(RUNTIME)
	$(BIN)/pybabel compile --directory translations --domain messages > /dev/null

run: $(RUNTIME) translations-compile
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask run --debug --host 127.0.0.1 --port $(PORT)

# Every table emptied by the migrations' way down and up, then the demo data loaded again.
reset-demo: $(RUNTIME) translations-compile
	$(BIN)/flask db downgrade base
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo

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
translations: $(RUNTIME)
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _l --keywords lazy_gettext --keywords N_ --sort-by-file \
		--project Brückenbau --copyright-holder "Brückenbau contributors" --output-file translations/messages.pot .
	$(BIN)/pybabel update --input-file translations/messages.pot --output-dir translations --ignore-obsolete \
		--no-fuzzy-matching
	msgen translations/en/LC_MESSAGES/messages.po --output-file translations/en/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile --directory translations --statistics

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
