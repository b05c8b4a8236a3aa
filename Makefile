# congresslab — `make help` lists the targets. Every target creates or reuses .venv itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
# notebooks show figures inline: a MPLBACKEND from the environment would hide them from nbval
unexport MPLBACKEND
export PYTHONHASHSEED := 0

.DEFAULT_GOAL := help
.PHONY: help venv data notebooks html reproduce test lint benchmark studies lab docs docs-check clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("congresslab needs Python >= 3.11" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[notebooks,dev]'
	touch $(STAMP)

# numba compiles the Bayesian sampler on its first use (30-40 s of CPU): done here once, so that
# tests, notebooks and the command line load it from numba's cache. Redone (cache cleared first:
# numba does not see changes in a kernel's dependencies) whenever a file of the sampler changes.
WARM := $(VENV)/.numba-warm
$(WARM): $(STAMP) $(wildcard src/congresslab/transfers/_md/*.py)
	$(BIN)/python -m congresslab.transfers._md.warm --clear
	touch $(WARM)

venv: $(STAMP) $(WARM) ## create or update the virtual environment .venv (sampler compiled)

data: $(STAMP) $(WARM) ## rebuild data/processed/ from data/raw/ (checksums verified)
	$(BIN)/congresslab build-data

notebooks: data ## execute the notebooks (writes reports/figures/) and render them to reports/html/
	$(BIN)/congresslab explorer
	$(BIN)/congresslab report $(NOTEBOOKS)

reproduce: notebooks ## the main job: processed data, executed notebooks, figures, HTML
	@echo "figures: reports/figures/   notebooks as HTML: reports/html/index.html"

test: $(STAMP) $(WARM) ## run the tests: unit tests, doctests, notebooks through nbval, ruff
	$(BIN)/ruff check src tests $(wildcard benchmarks scripts)
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP) ## ruff
	$(BIN)/ruff check src tests $(wildcard benchmarks scripts)

benchmark: $(STAMP) $(WARM) ## run the transfer engine on the benchmark datasets → reports/benchmarks.md
	$(BIN)/python benchmarks/run_benchmarks.py

studies: $(STAMP) $(WARM) ## coverage, power and prior studies on SIMULATED data → reports/
	$(BIN)/python scripts/coverage_study.py
	$(BIN)/python scripts/power_study.py
	$(BIN)/python scripts/prior_study.py

lab: $(STAMP) $(WARM) ## open JupyterLab on notebooks/ in the project's environment
	$(BIN)/jupyter lab notebooks/

DOCS_STAMP := $(VENV)/.installed-docs
$(DOCS_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[notebooks,dev,docs]'
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP) ## build the documentation site offline → docs/_build/html/index.html
	@start=$$(date +%s); \
	$(BIN)/python -m sphinx -b html -q -j 2 docs docs/_build/html && \
	echo "docs built in $$(( $$(date +%s) - start )) s: docs/_build/html/index.html"

docs-check: $(DOCS_STAMP) ## open the built site in headless Chromium: screenshots, links, console, slider
	$(BIN)/python scripts/docs_check.py docs/_build/html --screenshots docs/_build/screenshots

clean: ## remove the virtual environment and generated HTML
	rm -rf $(VENV) reports/html docs/_build docs/_generated docs/case-studies/notebooks
