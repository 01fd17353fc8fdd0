# wb-pulse: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint install clean demo login-link screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[embedded,dev]"
	touch $(STAMP)

install: $(STAMP)

## Start wb-pulse (API + worker) on http://localhost:8000; embedded Postgres/Redis unless DATABASE_URL/REDIS_URL are set.
run: $(STAMP)
	$(BIN)/wbpulse run

## Run every test: real Postgres/Redis from TEST_DATABASE_URL/TEST_REDIS_URL, else the embedded servers.
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

## Layer contracts, lint and types (mypy: strict for domain/ and application/, see pyproject.toml).
lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache

## The demo: WB simulator + a seed-scale demo cabinet synced into wb-pulse (data in ./.wbpulse-demo), then serves
## with the sim clock at 2 min per second, printing the messages the bot would send as they arrive.
demo: $(STAMP)
	DATA_DIR=./.wbpulse-demo PORT=$${PORT:-8000} $(BIN)/wbpulse demo

## A fresh one-time dashboard login link for the demo user of a running `make demo` (good once, 5 minutes).
login-link: $(STAMP)
	DATA_DIR=./.wbpulse-demo PORT=$${PORT:-8000} $(BIN)/wbpulse login-link

## Retake the dashboard page's screenshots in docs/screenshots (the browser tests, against the demo's data).
screenshots: $(STAMP)
	WBPULSE_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/browser/test_keyboard_and_screenshots.py -k test_screenshots_of_each_page
