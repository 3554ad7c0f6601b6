"""portfolio: a Sphinx extension that turns ``refs.bib`` and MyST front matter into
first-class papers, projects and news (pages, lists, feeds, metadata, cross-references)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # keeps `python -m portfolio check` from importing all of Sphinx
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "0.1.0"


def _add_static(app: Sphinx, config: Config) -> None:
    # on config-inited, before Sphinx compares the configuration with the pickled one, so
    # the extra path does not look like a configuration change on every rebuild
    static = str(Path(__file__).parent / "_static")
    if static not in config.html_static_path:
        config.html_static_path.append(static)


def setup(app: Sphinx) -> dict[str, Any]:
    from .assets import setup_assets
    from .changes import setup_changes
    from .citation import setup_citation
    from .cite import setup_cite
    from .config import setup_config
    from .consistency import setup_consistency
    from .cv import setup_cv
    from .cvpdf import setup_cvpdf
    from .domain import PortfolioDomain, warn_missing
    from .exports import setup_exports
    from .feeds import setup_feeds
    from .filters import setup_filters
    from .listing import setup_listing
    from .meta import setup_meta
    from .news import setup_news
    from .nodes import setup_nodes
    from .papers import setup_papers
    from .prerender import setup_prerender
    from .preview import setup_preview
    from .profiles import setup_profiles
    from .projects import setup_projects
    from .reference import setup_reference
    from .requirements import setup_requirements
    from .search import setup_search
    from .sitemap import setup_sitemap
    from .urls import setup_urls

    setup_config(app)
    setup_requirements(app)
    setup_nodes(app)
    app.add_domain(PortfolioDomain)
    app.connect("warn-missing-reference", warn_missing)
    setup_papers(app)
    setup_listing(app)
    setup_prerender(app)
    setup_filters(app)
    setup_projects(app)
    setup_cv(app)
    setup_cvpdf(app)
    setup_profiles(app)
    setup_news(app)
    setup_consistency(app)
    setup_changes(app)
    setup_feeds(app)
    setup_meta(app)
    setup_exports(app)
    setup_citation(app)
    setup_cite(app)
    setup_reference(app)
    setup_search(app)
    setup_assets(app)
    setup_sitemap(app)
    setup_preview(app)
    setup_urls(app)
    app.connect("config-inited", _add_static)
    app.add_css_file("portfolio.css")
    return {
        "version": __version__,
        "env_version": 5,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
