# A bare site for BibTeX that nobody here wrote: the test writes refs.bib.
extensions = ["myst_parser", "sphinxcontrib.bibtex", "sphinx_design", "portfolio"]
project = "Real BibTeX"
bibtex_bibfiles = ["refs.bib"]
myst_enable_extensions = ["colon_fence"]
portfolio_export_all = True
html_baseurl = "https://example.org/"
exclude_patterns = ["_build"]
nitpicky = True
