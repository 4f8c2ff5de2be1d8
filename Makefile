# ant-cli: every target works from a fresh clone; the virtual environment is created when missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
MIN_VENV ?= build/venv-min

.DEFAULT_GOAL := help
.PHONY: help install demo test test-min lint completions man bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): setup.cfg pyproject.toml
	@echo "setting up $(VENV): a virtual environment with ant and its test tools (first run, or setup.cfg changed)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# compat mode installs a plain path entry; the default editable finder costs ~25 ms at every start
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
	@# precompile: an editable install gets no bytecode, and PYTHONDONTWRITEBYTECODE would keep it that way
	@$(PY) -m compileall -q ant_cli
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install ant (and its man pages) into it; then: . .venv/bin/activate
	@mkdir -p $(VENV)/share/man/man1 && cp man/man1/*.1 $(VENV)/share/man/man1/
	@echo "installed: $(VENV)/bin/ant  — activate with '. $(VENV)/bin/activate' (then 'man ant' works too)"

demo: $(STAMP) ## run ant for real against the offline mock API on 127.0.0.1 (no key, no network)
	@PATH="$(CURDIR)/$(VENV)/bin:$$PATH" bash scripts/demo.sh

test: $(STAMP) ## run the whole test suite (unit, CLI and end-to-end) and report its branch coverage
	@# [tool.coverage.*] in pyproject.toml: the `ant` processes the tests start are measured too
	@$(PY) -m coverage erase
	$(PY) -m coverage run -m pytest
	@$(PY) -m coverage combine --quiet
	$(PY) -m coverage report

test-min: ## run the whole test suite with the lowest version of every dependency setup.cfg allows
	@# a fresh venv of its own, so the floors in setup.cfg are what is tested, not what .venv happens to hold
	rm -rf $(MIN_VENV) && $(PYTHON) -m venv $(MIN_VENV)
	$(MIN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c .ci/constraints-min.txt \
		-e '.[test]' --config-settings editable_mode=compat
	$(MIN_VENV)/bin/python -m pytest

lint: $(STAMP) ## check the code with ruff and mypy
	@$(PY) -m ruff --version >/dev/null 2>&1 || $(PY) -m pip install --quiet --disable-pip-version-check ruff
	@$(PY) -m mypy --version >/dev/null 2>&1 || $(PY) -m pip install --quiet --disable-pip-version-check mypy
	$(PY) -m ruff check ant_cli ant_mock tests bench
	$(PY) -m mypy

completions: $(STAMP) ## regenerate completions/ant.{bash,zsh,fish,pwsh} from the click definitions
	for shell in bash zsh fish pwsh; do $(VENV)/bin/ant completion $$shell > completions/ant.$$shell; done

man: $(STAMP) ## regenerate the man pages in man/man1 from the click definitions
	$(PY) -m ant_cli.cli.manpage man/man1

bench: $(STAMP) ## time start-up, requests, streaming and batches against curl, a bare script, xargs and the official SDK, and batches at rate limits (about 16 minutes)
	$(PY) bench/bench.py --out bench/results/latest.md

clean: ## remove the virtual environment and caches
	rm -rf $(VENV) build *.egg-info .pytest_cache .coverage-data bench/.sdk-venv bench/results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
