# Every target that needs the project installs it first: a fresh clone needs nothing but python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install test lint format profile-all bot clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The unit and integration tests, then every scenario in scenarios/ as a test of its own.
test: $(STAMP)
	$(BIN)/python -m pytest --replay scenarios

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Profile every scenario: reports/index.html links each one's HTML, JSON and JUnit report.
profile-all: $(STAMP)
	$(BIN)/replay run scenarios --report-dir reports

bot: $(STAMP)
	$(BIN)/python -m bot

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .ruff_cache
