# Two commands do all set-up on a fresh machine: `make html` and `make test`.
# Everything runs inside .venv, created from the pinned files in requirements/.

PYTHON      ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
SRCDIR      := docs
BUILDDIR    := _build
# The one Sphinx command line; .readthedocs.yaml runs the same one (a test checks it).
SPHINXOPTS  ?= -W --keep-going -n
SPHINXBUILD  = $(PY) -m sphinx -b html -c . -d $(BUILDDIR)/doctrees $(SPHINXOPTS)

.PHONY: html live test lint check bench bench-search audit clean lock help system-tools urls

help:
	@echo "make html   build the site into $(BUILDDIR)/html (warnings are errors)"
	@echo "make live   preview at http://127.0.0.1:8000 (PORT=8001 for another), reloaded on save"
	@echo "make test   run the test suite"
	@echo "make lint   ruff and mypy --strict"
	@echo "make check  validate refs.bib, front matter and news without a build"
	@echo "make bench  build speed, scale and page weight vs a bare Sphinx site"
	@echo "make bench-search  search relevance and speed in Chromium"
	@echo "make audit  Lighthouse scores per page type, mobile and desktop"
	@echo "make urls   record the build's URLs in urls.txt as permanent"
	@echo "make clean  remove build output"

# The venv is rebuilt only when a pin changes.
$(VENV)/.docs-stamp: requirements/docs.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/docs.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.live-stamp: requirements/live.txt $(VENV)/.docs-stamp
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/live.txt
	touch $@

$(VENV)/.dev-stamp: requirements/dev.txt $(VENV)/.live-stamp
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
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

# The browser tests drive Debian's Chromium, the Nu HTML Checker runs on Java and biber checks
# the BibTeX export; install them when we can (root with apt-get), else say what is missing.
CHROMIUM ?= /usr/bin/chromium
system-tools:
	@missing=""; [ -x $(CHROMIUM) ] || missing="chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v biber >/dev/null || missing="$$missing biber"; \
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
	$(PY) -m ruff check portfolio tests benchmarks conf.py
	$(PY) -m ruff format --check portfolio tests benchmarks conf.py
	$(PY) -m mypy

check: $(VENV)/.docs-stamp
	$(PY) -m portfolio check

# Speed, scale and weight against a bare Sphinx baseline; writes _build/bench/bench.{json,md}.
bench: $(VENV)/.dev-stamp
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

# Search relevance and speed in Chromium (with Pagefind beside it when pagefind is installed).
bench-search: $(VENV)/.dev-stamp system-tools html
	$(PY) benchmarks/search.py $(BENCH_ARGS)

# Record every URL of the current build as permanent (after adding pages on purpose).
urls: html
	cp $(BUILDDIR)/doctrees/urls.txt urls.txt

clean:
	rm -rf $(BUILDDIR)

# Re-resolve the pins from pyproject.toml (needs network access to PyPI).
lock:
	rm -rf $(BUILDDIR)/lockenv && $(PYTHON) -m venv $(BUILDDIR)/lockenv
	$(BUILDDIR)/lockenv/bin/pip install --quiet . && $(BUILDDIR)/lockenv/bin/pip freeze --exclude portfolio > $(BUILDDIR)/docs.txt
	$(BUILDDIR)/lockenv/bin/pip install --quiet ".[live]" && $(BUILDDIR)/lockenv/bin/pip freeze --exclude portfolio > $(BUILDDIR)/live.txt
	$(BUILDDIR)/lockenv/bin/pip install --quiet ".[live,test,lint]" && $(BUILDDIR)/lockenv/bin/pip freeze --exclude portfolio > $(BUILDDIR)/all.txt
	(echo "# Build dependencies of the site, pinned; used by make html and Read the Docs. Generated by 'make lock'."; cat $(BUILDDIR)/docs.txt) > requirements/docs.txt
	(echo "# The live preview (make live): sphinx-autobuild and what it needs, pinned. Generated by 'make lock'."; echo "-r docs.txt"; grep -vxFf $(BUILDDIR)/docs.txt $(BUILDDIR)/live.txt) > requirements/live.txt
	(echo "# Test, lint and live-preview tools, pinned. Generated by 'make lock'."; echo "-r live.txt"; grep -vxFf $(BUILDDIR)/live.txt $(BUILDDIR)/all.txt) > requirements/dev.txt
