# `make run` and `make test` each set up .venv themselves on a machine with only Python.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)

.PHONY: run test test-fast lint bench clean messages lock

# Installs exactly what requirements.lock names, each file checked against its hash;
# `pip check` then fails if pyproject.toml asks for something the lock lacks (run `make lock`).
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	rm -f $(VENV)/.installed-*
	touch $@

# `make run PORT=8080 HOST=0.0.0.0` serves elsewhere (HOST is the address to listen on).
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(STAMP)
	$(BIN)/datatrust demo --if-empty --no-report
	$(BIN)/datatrust serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Every test, on two pytest-xdist workers per core: many tests wait on real time (Telegram's limits,
# the schedulers) or on a child process, so a core has room for a second (2 cores: 304 s with 4
# workers, 369 to 418 s with 2; docs/performance.md). --dist loadgroup keeps the browser tests on
# one worker, which starts the servers and the browser they share.
# CI (.ci/run) requires PostgreSQL and Chromium; without them here those tests skip.
PYTEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(2 * (os.cpu_count() or 1))')
test: lint
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

# The edit loop, under a minute: the command rules and read models on SQLite (unit, integration and
# Gherkin tests), without PostgreSQL, the browser, the bot and web adapters or the slow tests (tests/conftest.py).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not postgres and not slow" tests/unit tests/integration tests/features

# The bot's words, for translators: adapters/conversation/locale/bot.pot (see adapters/conversation/texts.py).
messages: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --project=datatrust -k _ \
		-o adapters/conversation/locale/bot.pot adapters/conversation adapters/bot

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache

# Re-resolve every dependency (after changing pyproject.toml, or to take new releases)
# into requirements.lock, pinned with the hashes of every file PyPI holds for each release.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'uv>=0.9,<1'
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 \
		--upgrade --quiet -o requirements.lock
