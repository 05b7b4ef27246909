# `make run` and `make test` each set up .venv themselves on a machine with only Python.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint bench clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(BIN)/datatrust demo --if-empty --no-report
	$(BIN)/datatrust serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

# The bot's words, for translators: adapters/bot/locale/bot.pot (see adapters/bot/texts.py).
messages: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --project=datatrust -k _ \
		-o adapters/bot/locale/bot.pot adapters/bot

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache
