"""portfolio: a Sphinx extension that turns ``refs.bib`` and MyST front matter into
first-class papers, projects and news (pages, lists, feeds, metadata, cross-references).

The house (the guide's *Architecture* page says more):

- the core, here: :mod:`~portfolio.config` (every option), :mod:`~portfolio.requirements`
  (what conf.py must have), :mod:`~portfolio.warnings_` (every warning), :mod:`~portfolio.model`
  (projects, news, mentions), :mod:`~portfolio.domain` (the build's shared state),
  :mod:`~portfolio.nodes`, :mod:`~portfolio.changes` (what changed since the last build),
  :mod:`~portfolio.output` (what the build writes, and where), :mod:`~portfolio.consistency`
  (what to read and write again) and :mod:`~portfolio.guide` (the guide's generated tables);
- the features, each a package whose ``__init__`` is its face: ``bib`` (BibTeX without
  Sphinx), ``papers``, ``projects``, ``news``, ``web``, ``cv``, and for the commands
  ``services`` (the network, without Sphinx), ``starter`` (new sites and their upgrades)
  and ``cli``.

:data:`HANDLERS` is the build's order: every event handler the extension connects, with its
priority and why it runs there.  :func:`setup` connects exactly these.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # keeps `portfolio check` from importing all of Sphinx
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "0.2.0"
__all__ = ["HANDLERS", "Handler", "__version__", "setup"]


class Handler(NamedTuple):
    event: str
    priority: int  # Sphinx's default is 500; lower runs first
    target: str  # "package:function", the function a face (or a core module) exports
    why: str


#: Every event handler, in the order of the build (events in the order Sphinx emits them,
#: then by priority).  The guide's *Architecture* page renders this table; a test compares
#: it with the listeners connected in a build.
HANDLERS: tuple[Handler, ...] = (
    Handler("config-inited", 400, "papers:copy_references",
            "before sphinx-copybutton (500) reads its selector into its template"),
    Handler("config-inited", 500, "config:validate_config",
            "every option has its declared type before anything reads it"),
    Handler("config-inited", 510, "papers:check_cite_styles",
            "after validation: each citation style names a file"),
    Handler("config-inited", 500, "web:relative_redirects",
            "sphinx-reredirects reads its table at builder-inited"),
    Handler("config-inited", 500, "portfolio:add_static",
            "before Sphinx compares the configuration with the pickled one, so our static "
            "folder is no configuration change"),
    Handler("config-inited", 600, "web:use_preview",
            "after validation; before sphinxext-opengraph reads ogp_image"),
    Handler("config-inited", 600, "web:add_footer_icons",
            "after validation of portfolio_profiles"),
    Handler("config-inited", 700, "requirements:check_requirements",
            "after validation has cleaned portfolio_owner_names"),
    Handler("builder-inited", 300, "output:remember_app",
            "first: transforms reach the builder through the environment"),
    Handler("builder-inited", 400, "consistency:read_inputs",
            "refs.bib and the CV read, and the record of what changed made, before Sphinx "
            "decides which pages to read"),
    Handler("env-get-outdated", 500, "consistency:outdated_docs",
            "pages that show a changed entry or CV fact are read again"),
    Handler("env-before-read-docs", 300, "papers:register_pybtex_plugins",
            "before sphinxcontrib-bibtex (500) looks its styles up"),
    Handler("env-before-read-docs", 500, "papers:format_references_ahead",
            "the paper pages' references formatted beside the reading, when many are new"),
    Handler("env-before-read-docs", 500, "consistency:snapshot",
            "the pages to read and the shared data before reading"),
    Handler("env-before-read-docs", 600, "domain:lend_to_readers",
            "after the bibliography is shared with sphinxcontrib-bibtex: -j readers send it "
            "back by reference"),
    Handler("source-read", 500, "consistency:strip_controls",
            "before a page is parsed: no control character reaches a feed, a PDF or the index"),
    Handler("doctree-read", 500, "papers:collect_mentions",
            "each page's citations of papers, while its doctree is fresh"),
    Handler("env-updated", 400, "domain:end_lending", "every reader is done"),
    Handler("env-updated", 500, "news:name_news_labels",
            "once every page is read: labels name their project"),
    Handler("env-updated", 500, "consistency:pages_to_rewrite",
            "pages whose generated lists show changed data are written again"),
    Handler("env-check-consistency", 500, "cv:check_cv_projects",
            "every page read: the CV's project ids name project pages"),
    Handler("env-check-consistency", 500, "consistency:check_references",
            "every page read: unknown papers and projects in news and front matter"),
    Handler("warn-missing-reference", 500, "domain:warn_missing",
            "an unknown paper, project or news id is a typed, located warning"),
    Handler("doctree-resolved", 100, "papers:fill_paper_lists",
            "after the post-transforms, so they do not walk 1,000 list entries"),
    Handler("html-page-context", 400, "papers:share_paper_navigation",
            "before furo (500) draws the navigation: paper pages share one"),
    Handler("html-page-context", 450, "web:add_metadata",
            "before sphinxext-opengraph (500), which keeps our description"),
    Handler("html-page-context", 500, "papers:add_filter_script", "pages with filters load their script"),
    Handler("html-page-context", 500, "papers:add_authors_script",
            "pages with a folded author list load its script, and fold it from their head"),
    Handler("html-page-context", 500, "news:add_feed_link", "the feed announced on every page"),
    Handler("html-page-context", 500, "web:add_search_script", "the search page loads ours"),
    Handler("html-page-context", 500, "web:focusable_code", "code blocks take keyboard focus"),
    Handler("html-page-context", 900, "web:trim_assets",
            "last: after every extension has added its assets for the page"),
    Handler("build-finished", 300, "cv:write_cv_files",
            "before the sitemap is completed (400), which lists cv.pdf"),
    Handler("build-finished", 400, "web:complete_sitemap",
            "before sphinx-sitemap (500) writes the file"),
    Handler("build-finished", 500, "news:write_feed", "the Atom feed"),
    Handler("build-finished", 500, "web:write_exports", "publications.bib, .json, .ris"),
    Handler("build-finished", 500, "web:write_robots", "robots.txt"),
    Handler("build-finished", 500, "projects:write_project_files", "CITATION.cff and badges"),
    Handler("build-finished", 500, "web:write_preview", "the link-preview image"),
    Handler("build-finished", 800, "papers:save_lists", "the drawn lists kept for the next build"),
    Handler("build-finished", 800, "papers:keep_references",
            "the formatted references kept for the next build; background processes stopped"),
    Handler("build-finished", 900, "web:check_manifest",
            "after every writer: each published URL is still served"),
    Handler("build-finished", 999, "changes:end",
            "last: the record of what changed is closed after every writer used it"),
)  # fmt: skip


def resolve(target: str) -> Any:
    """The function that a :data:`HANDLERS` target names."""
    module, name = target.split(":")
    if module == "portfolio":
        return globals()[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def add_static(app: Sphinx, config: Config) -> None:
    """Our static folder (the stylesheet and scripts) on ``html_static_path``."""
    static = str(Path(__file__).parent / "_static")
    if static not in config.html_static_path:
        config.html_static_path.append(static)


def setup(app: Sphinx) -> dict[str, Any]:
    from .config import setup_config
    from .cv import setup_cv
    from .domain import PortfolioDomain
    from .guide import setup_guide
    from .news import setup_news
    from .nodes import setup_nodes
    from .papers import setup_papers
    from .projects import setup_projects
    from .web import setup_web

    # what the build knows: options, nodes, the domain
    setup_config(app)
    setup_nodes(app)
    app.add_domain(PortfolioDomain)
    # what pages can say: directives, roles, transforms, by feature
    setup_papers(app)
    setup_projects(app)
    setup_news(app)
    setup_cv(app)
    setup_web(app)
    setup_guide(app)
    app.add_css_file("portfolio.css")
    # when things happen: the build's order
    for handler in HANDLERS:
        app.connect(handler.event, resolve(handler.target), priority=handler.priority)
    return {
        "version": __version__,
        "env_version": 9,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
