"""Sphinx configuration of Rui-Jie Zhu's research portfolio (configuration only).

Build: ``make html`` (sources in docs/, this file at the repository root).
"""

import os
from urllib.parse import urlsplit

# -- Project information -----------------------------------------------------
project = "Rui-Jie Zhu"
author = "Rui-Jie Zhu"
copyright = "2026, Rui-Jie Zhu"
language = "en"

# -- General configuration ---------------------------------------------------
extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxext.opengraph",
    "sphinx_sitemap",
    "notfound.extension",
    "sphinx_reredirects",
    "portfolio",
]
root_doc = "index"
exclude_patterns = ["_build", ".venv"]
nitpicky = True

# -- Options for MyST --------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3
# keep footnote citations in each page's {footbibliography} rather than at the end
myst_footnote_sort = False

# -- Options for citations (sphinxcontrib-bibtex) ----------------------------
bibtex_bibfiles = ["refs.bib"]  # relative to this file's folder
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- Options for the portfolio extension -------------------------------------
portfolio_bibfile = "refs.bib"
portfolio_owner_names = ["Rui-Jie Zhu", "Rui-jie Zhu", "Ruijie Zhu"]
portfolio_owner_field = "x-rjz-author"
portfolio_paper_dir = "papers"
portfolio_cv = "cv.yaml"  # education, talks, service...: the CV page, cv.pdf and the biography
portfolio_news_page = "news"
portfolio_feed_path = "news.xml"
portfolio_person = {
    "name": "Rui-Jie Zhu",
    "alternateName": "Ridger",
    "jobTitle": "Ph.D. student in Electrical and Computer Engineering",
    "affiliation": {"@type": "CollegeOrUniversity", "name": "UC Santa Cruz"},
    "alumniOf": {
        "@type": "CollegeOrUniversity",
        "name": "University of Electronic Science and Technology of China",
    },
    "knowsAbout": [
        "Spiking neural networks",
        "Efficient language models",
        "Looped language models",
    ],
}
# Every profile is shown once here and used everywhere (footer, home page, JSON-LD sameAs);
# add Google Scholar or e-mail the same way when known.
portfolio_profiles = [{"name": "GitHub", "url": "https://github.com/ridgerchu"}]
# Co-authors whose names link to their homepages in every author list (his homepage links
# his advisor's); add others with the homepage their own page gives.
portfolio_people = {
    "Jason K. Eshraghian": {
        "url": "https://ncg.ucsc.edu/jason-eshraghian-bio/",
        "spellings": ["Jason Eshraghian"],
    },
}

# Every URL the site has published (make urls records new ones); a build that loses one
# without a redirect below fails, naming it.
portfolio_url_manifest = "urls.txt"
# the name project repos give this site in intersphinx_mapping (the link-here page's snippet)
portfolio_intersphinx_name = "rjz"

# -- Redirects (sphinx-reredirects): old address -> new page --------------------
# The old homepage (an academicpages site) served its home page at /about/ and /about.html.
redirects = {
    "about": "/index.html",
    "about/index": "/index.html",
}
redirect_html_template_file = "_templates/redirect.html"  # relative to docs/

# -- Options for HTML output -------------------------------------------------
html_theme = "furo"
html_title = "Rui-Jie Zhu"
html_static_path = ["docs/_static"]
# The canonical address: Read the Docs sets READTHEDOCS_CANONICAL_URL and the GitHub Pages
# workflow PORTFOLIO_BASE_URL (with a /<repository>/ path for a project site); a local build
# links to the local preview server.
html_baseurl = (
    os.environ.get("READTHEDOCS_CANONICAL_URL")
    or os.environ.get("PORTFOLIO_BASE_URL")
    or "http://127.0.0.1:8000/"
)
html_favicon = "docs/_static/favicon.svg"
html_last_updated_fmt = None
html_use_index = False  # no index entries: the general index would be an empty page
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {"top_of_page_buttons": []}

# -- Options for OpenGraph, the sitemap and the 404 page ---------------------
ogp_site_url = html_baseurl
ogp_site_name = "Rui-Jie Zhu"
ogp_enable_meta_description = True
ogp_social_cards = {"enable": False}  # would need matplotlib: one site-wide card instead
# the link-preview image is made at build time from project, html_title and
# portfolio_accent_color (the favicon's blue, the default), unless ogp_image names one
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary_large_image">']
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html"]
# the 404 page is served from any depth, so its links are absolute paths
notfound_urls_prefix = urlsplit(html_baseurl).path
