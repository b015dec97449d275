# brandrail — the two commands a new user runs: `make demo` and `make test`.
# Every target creates .venv from nothing when it is missing; dependencies are pinned in constraints.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

CORE_TESTS := tests/core tests/content

.PHONY: test-core demo test lint typecheck pytest bench bench-quick benchmarks-md docs screenshots install clean lock

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24" "setuptools>=68" wheel
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[all,dev]'
	touch $(STAMP)

# The bare core install (no extras) in its own venv, for the core tests: proves `pip install brandrail` works.
CORE_VENV := .venv-core
$(CORE_VENV)/.installed: pyproject.toml constraints.txt
	test -x $(CORE_VENV)/bin/python || $(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/python -m pip install --quiet --upgrade "pip>=24" "setuptools>=68" wheel
	$(CORE_VENV)/bin/python -m pip install --quiet -c constraints.txt -e . pytest pytest-xdist hypothesis
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/brandrail demo --out demo-report

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup --durations=25

# The core tests under the bare core install; tests that need an extra skip themselves there.
test-core: $(CORE_VENV)/.installed
	BRANDRAIL_CORE_ONLY=1 $(CORE_VENV)/bin/python -m pytest -p no:cacheprovider -n 2 --dist loadgroup --durations=15 $(CORE_TESTS)

test: lint typecheck pytest test-core

docs: $(STAMP)
	$(BIN)/python -m brandrail.docgen

# Screenshots of the HTML reports in docs/img (needs Chromium: apt-get install chromium).
screenshots: $(STAMP)
	$(BIN)/python bench/report_screenshots.py

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
	rm -rf $(VENV) $(CORE_VENV) demo-report .pytest_cache .mypy_cache .ruff_cache
