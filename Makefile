# brandrail — the two commands a new user runs: `make demo` and `make test`.
# Every target creates .venv from nothing when it is missing; dependencies are pinned in constraints.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint typecheck pytest bench bench-quick benchmarks-md docs install clean lock

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24" "setuptools>=68" wheel
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[voice,spark,dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/brandrail demo --out demo-report

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test: lint typecheck pytest

docs: $(STAMP)
	$(BIN)/python -m brandrail.docgen

# Full sizes (100M-row fairness log, 10M OPE rounds, 1M-entry ledger, Fairlearn side by side): about an hour.
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Tiny sizes: a smoke run of every benchmark in a few minutes.
bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --quick

benchmarks-md:
	python3 bench/assemble.py

# Regenerate constraints.txt from what is installed (after changing dependencies in pyproject.toml).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' | sort > constraints.txt

clean:
	rm -rf $(VENV) demo-report .pytest_cache .mypy_cache .ruff_cache
