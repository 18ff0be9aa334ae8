# `make chat` and `make test` set everything up on a fresh machine with Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat test lint typecheck unit eval bench audit bot clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

chat: $(STAMP)
	$(BIN)/jinshui-qa chat

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

eval: $(STAMP)
	$(BIN)/jinshui-qa eval tests/eval/dev.yaml

bench: $(STAMP)
	$(BIN)/python benchmarks/router.py

audit: $(STAMP)
	@if [ -d ../shared/seed ]; then \
		$(BIN)/jinshui-qa audit --source ../shared/seed/000_18b84582b9f4eec0.txt; \
	else echo "../shared/seed/ not found: nothing to audit against"; fi

bot: $(STAMP)
	$(BIN)/jinshui-qa bot

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
