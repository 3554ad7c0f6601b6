# Two commands do all set-up on a fresh machine: `make html` and `make test`.
# Everything runs inside a venv of $(PYTHON), installed from the hashed lock in requirements/.

# Any Python from 3.11 to 3.13: PYTHON=python3.13 make html. Each version has its own venv.
PYTHON      ?= python3
PYVER       := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV        ?= .venv/$(or $(PYVER),none)
PY          := $(VENV)/bin/python
# Installs exactly what the lock names, each file checked against its hash.
PIP_INSTALL  = $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps
SRCDIR      := docs
BUILDDIR    := _build
# The one build command line: Sphinx's, ended without tearing the heap down (portfolio build,
# portfolio/cli/_build.py). .readthedocs.yaml runs the same one (a test checks it).
SPHINXOPTS  ?= -W --keep-going -n
SPHINXBUILD  = $(PY) -m portfolio build -b html -c . -d $(BUILDDIR)/doctrees $(SPHINXOPTS)

.PHONY: html live test lint check bench bench-search audit clean lock help system-tools urls fork-check upkeep wheel

help:
	@echo "make html   build the site into $(BUILDDIR)/html (warnings are errors)"
	@echo "make live   preview at http://127.0.0.1:8000 (PORT=8001 for another), reloaded on save"
	@echo "make test   run the test suite"
	@echo "make lint   ruff and mypy --strict"
	@echo "make check  validate refs.bib, front matter and news without a build"
	@echo "make bench  build speed, scale and page weight vs a bare Sphinx site"
	@echo "make bench-search  search relevance and speed in Chromium"
	@echo "make audit  Lighthouse scores per page type, mobile and desktop"
	@echo "make upkeep refresh preprints, add papers the author profiles list, read citation counts"
	@echo "make urls   record the build's URLs in urls.txt as permanent (a new site: empty it first)"
	@echo "make fork-check  this repository with another researcher's site: make html, make test"
	@echo "make wheel  the engine as a wheel in dist/, for a labmate to install (README)"
	@echo "make clean  remove build output"
	@echo "make lock   re-resolve uv.lock and export requirements/ (needs PyPI)"
	@echo "PYTHON=python3.13 make html   the same with another Python (3.11 to 3.13)"

# Is $(PYTHON) one that can build the site?  One line (tools/check_python.py) if not.
python_check = $(shell $(PYTHON) tools/check_python.py "$(PYTHON)" 2>/dev/null || echo \
  "cannot run $(PYTHON): set PYTHON to an installed Python 3.11 to 3.13, for example PYTHON=python3.13 make html")

# The venv is rebuilt only when the lock changes.  The project itself is installed without
# build isolation, with the build backend that the lock names, so nothing unlocked is fetched.
$(VENV)/.docs-stamp: requirements/docs.txt pyproject.toml
	$(eval problem := $(python_check))
	$(if $(filter note:,$(firstword $(problem))),$(info $(problem)),$(if $(problem),$(error $(problem))))
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) >/dev/null 2>&1 || { rm -rf $(VENV); \
	  echo "make: $(PYTHON) could not create $(VENV); on Debian or Ubuntu: sudo apt-get install python$(PYVER)-venv" >&2; exit 1; }
	$(PIP_INSTALL) -r requirements/docs.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.live-stamp: requirements/live.txt $(VENV)/.docs-stamp
	$(PIP_INSTALL) -r requirements/live.txt
	touch $@

$(VENV)/.dev-stamp: requirements/dev.txt $(VENV)/.live-stamp
	$(PIP_INSTALL) -r requirements/dev.txt
	touch $@

html: $(VENV)/.docs-stamp
	$(SPHINXBUILD) $(SRCDIR) $(BUILDDIR)/html

# The preview needs the site's packages and sphinx-autobuild only; Ctrl-C stops it.  The
# generated paper stubs are ignored: the build that writes them reads them already.
PORT ?= 8000
live: $(VENV)/.live-stamp
	$(PY) -m sphinx_autobuild -b html -c . -d $(BUILDDIR)/doctrees $(SPHINXOPTS) \
	  --host 127.0.0.1 --port $(PORT) --watch refs.bib --watch portfolio \
	  --ignore $(SRCDIR)/papers $(SRCDIR) $(BUILDDIR)/html

# Node tools (Nu HTML Checker, Lighthouse), pinned by package-lock.json.
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

# The browser tests drive Debian's Chromium, the Nu HTML Checker runs on Java, biber checks
# the BibTeX export and a Chinese font (fonts-droid-fallback) is drawn into a preview image;
# install them when we can (root with apt-get), else say what is missing.
CHROMIUM ?= /usr/bin/chromium
system-tools:
	@missing=""; [ -x $(CHROMIUM) ] || missing="chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v biber >/dev/null || missing="$$missing biber"; \
	[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || missing="$$missing fonts-droid-fallback"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "make test needs Debian packages: $$missing (apt-get install $$missing)" >&2; exit 1; fi; \
	fi

test: $(VENV)/.dev-stamp node_modules/.stamp system-tools
	$(PY) -m pytest $(PYTEST_ARGS)

# Lighthouse scores of each page type, mobile and desktop (an audit: it gates nothing).
audit: $(VENV)/.dev-stamp node_modules/.stamp system-tools html
	CHROME_PATH=$(CHROMIUM) $(PY) benchmarks/audit.py

lint: $(VENV)/.dev-stamp
	$(PY) -m ruff check portfolio tests benchmarks conf.py tools/fork_check.py
	$(PY) -m ruff format --check portfolio tests benchmarks conf.py tools/fork_check.py
	$(PY) -m mypy

check: $(VENV)/.docs-stamp
	$(PY) -m portfolio check

# Speed, scale and weight against a bare Sphinx baseline; writes _build/bench/bench.{json,md}.
bench: $(VENV)/.dev-stamp
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

# Search relevance and speed in Chromium (with Pagefind beside it when pagefind is installed).
bench-search: $(VENV)/.dev-stamp system-tools html
	$(PY) benchmarks/search.py $(BENCH_ARGS)

# Weekly upkeep (also .github/workflows/upkeep.yml, which proposes the result as a pull
# request): refresh --write, discover --add and metrics against the services, one summary.
upkeep: $(VENV)/.dev-stamp
	$(PY) -m portfolio upkeep --summary $(BUILDDIR)/upkeep.md

# Record every URL of the current build as permanent (after adding pages on purpose).
# A new site (a fork or a copy) starts from an empty urls.txt: `: > urls.txt`, then
# `make urls` once it is published; an empty manifest needs no step before that.
urls: html
	cp $(BUILDDIR)/doctrees/urls.txt urls.txt

# A fork with every content file and the facts replaced (tools/fork_check.py).
fork-check: $(VENV)/.dev-stamp node_modules/.stamp system-tools
	$(PY) tools/fork_check.py $(PYTEST_ARGS)

# The engine alone, as the wheel a new site pins (the same bytes wherever it is made):
# a labmate installs it and runs `portfolio new` (README, "A site of your own").
wheel: $(VENV)/.docs-stamp
	$(PY) -c 'import pathlib, portfolio.starter as s; print(s.engine_wheel(pathlib.Path("dist")))'

clean:
	rm -rf $(BUILDDIR)

# Re-resolve the lock from pyproject.toml (needs PyPI): uv.lock holds one resolution per
# Python (3.11 gets Sphinx 9.0, 3.12 9.1, 3.13 9.2), and requirements/*.txt are its exports,
# with environment markers and hashes, for pip, make and Read the Docs.
UV_EXPORT = $(VENV)/bin/uv export --frozen --no-dev --no-emit-project --no-header --format requirements-txt
LOCK_NOTE = \# Generated from uv.lock by 'make lock'; installed with pip --require-hashes.
lock: $(VENV)/.dev-stamp
	$(VENV)/bin/uv lock --upgrade
	(echo "$(LOCK_NOTE) The site's build (make html, Read the Docs)."; $(UV_EXPORT) --group build --extra site --extra cv) > requirements/docs.txt
	(echo "$(LOCK_NOTE) The build and make live."; $(UV_EXPORT) --group build --extra site --extra cv --extra live) > requirements/live.txt
	(echo "$(LOCK_NOTE) Everything (build, preview, tests, lint)."; $(UV_EXPORT) --group build --all-extras) > requirements/dev.txt
	(echo "$(LOCK_NOTE) A new site's tests and upkeep (portfolio new ships it)."; $(UV_EXPORT) --group build --extra site --extra cv --extra import --extra site-test) > requirements/site-test.txt
	for src in requirements/*.in; do \
	  (echo "# Generated from $$src by 'make lock'; installed with pip --require-hashes."; \
	   $(VENV)/bin/uv pip compile $$src --universal --generate-hashes --python-version 3.11 --no-header -q) \
	  > $${src%.in}.txt; done
