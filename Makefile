# `make chat` and `make test` set everything up on a fresh machine with Python 3.11+ and make.
#   make chat     the console (installs only what chatting needs)
#   make test     ruff, mypy --strict and the tests (installs the bot and the pinned dev tools)
#   make bot      the Telegram bot (installs the bot's extra; settings in .env, see bot/README.md)
#   make audit SOURCE=path/to/report.txt    every number in facts/ against the source report
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SOURCE ?=

.PHONY: chat test lint typecheck unit eval bench audit audit-source bot venv clean

# A venv that can install: Debian/Ubuntu without python3-venv leave .venv with a python but no pip,
# and every later `pip install` would fail with "No module named pip"; say what to do instead.
venv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "jinshui-qa needs Python 3.11 or newer as $(PYTHON) (try: make PYTHON=python3.11 ...)" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
		echo "jinshui-qa: '$(PYTHON) -m venv' failed; on Debian/Ubuntu install the venv module" \
		     "(sudo apt install python3-venv), then: rm -rf $(VENV) && make $(MAKECMDGOALS)" >&2; exit 1; }
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || { \
		echo "jinshui-qa: $(VENV) is half-created (it has no pip, as Debian leaves it without python3-venv)." \
		     "Install the venv module (sudo apt install python3-venv), then: rm -rf $(VENV) && make $(MAKECMDGOALS)" >&2; \
		exit 1; }

$(VENV)/.chat: pyproject.toml | venv
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.bot: pyproject.toml | venv
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[bot]'
	touch $@ $(VENV)/.chat

$(VENV)/.dev: pyproject.toml | venv
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.bot $(VENV)/.chat

chat: $(VENV)/.chat
	$(BIN)/jinshui-qa chat

test: lint typecheck unit

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.dev
	$(BIN)/mypy

unit: $(VENV)/.dev
	$(BIN)/pytest

eval: $(VENV)/.chat
	$(BIN)/jinshui-qa eval tests/eval/test.yaml

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/router.py

# The source report is not in the repository (facts/sources.yaml says where it was published).
audit: audit-source $(VENV)/.chat
	$(BIN)/jinshui-qa audit --source "$(SOURCE)"

audit-source:
	@test -n "$(SOURCE)" || { echo "usage: make audit SOURCE=path/to/report.txt (the report's text;" \
		"facts/sources.yaml says where it was published)" >&2; exit 2; }

bot: $(VENV)/.bot
	$(BIN)/jinshui-qa bot

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
