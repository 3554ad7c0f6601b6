# A site with one planted defect per web-quality check (tests/web/test_defects.py).
project = "Defects"
extensions = ["notfound.extension"]  # with its default prefix /en/latest/: wrong for this host
html_theme = "furo"
html_baseurl = ""  # no canonical URL, no OpenGraph, no favicon
