"""What the engine needs from conf.py, checked once at start-up, one line per gap with its fix.

Each requirement is a row of :data:`REQUIREMENTS`; ``docs/reference/configuration.md``
renders the same rows (the ``portfolio-requirements`` directive), so the documented list
and the check cannot drift.  Without these checks the gaps fail silently or far from their
cause: without MyST's ``colon_fence`` every ``:::{news}`` block is printed as text, without
owner names the publication lists are empty, without sphinx-design the cards lose their
layout, and without sphinxcontrib-bibtex a page fails on "Unknown interpreted text role".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from .config import assignment_line
from .warnings_ import Subtype, warn


@dataclass(frozen=True)
class Requirement:
    what: str  # as conf.py spells it
    required: bool  # False: optional, and then ``gives`` says what it adds
    gives: str
    missing: Callable[[Sphinx, Config], bool]
    fix: str
    option: str  # the conf.py assignment the message points at


def _no_extension(name: str) -> Callable[[Sphinx, Config], bool]:
    return lambda app, config: name not in app.extensions


def _no_colon_fence(app: Sphinx, config: Config) -> bool:
    return "myst_parser" in app.extensions and "colon_fence" not in set(
        getattr(config, "myst_enable_extensions", None) or ()
    )


def _no_bibfile_for_bibtex(app: Sphinx, config: Config) -> bool:
    if "sphinxcontrib.bibtex" not in app.extensions:
        return False
    listed = {Path(app.confdir, f).resolve() for f in getattr(config, "bibtex_bibfiles", None) or ()}
    return Path(app.confdir, config.portfolio_bibfile).resolve() not in listed


def _no_owner(app: Sphinx, config: Config) -> bool:
    # a lab's site exports every entry (portfolio_export_all) and may have no one owner
    return not config.portfolio_owner_names and not config.portfolio_export_all


def _redirects_unserved(app: Sphinx, config: Config) -> bool:
    return bool(config._raw_config.get("redirects")) and "sphinx_reredirects" not in app.extensions


def _no_typst(app: Sphinx, config: Config) -> bool:
    import importlib.util

    preview = "sphinxext.opengraph" in app.extensions and "ogp_image" not in config._raw_config
    return bool(config.portfolio_cv or preview) and importlib.util.find_spec("typst") is None


def _theme_without_footer_icons(app: Sphinx, config: Config) -> bool:
    return bool(config.portfolio_profiles) and config.html_theme != "furo"


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("myst_parser", True, "reads the Markdown pages and their front matter",
                _no_extension("myst_parser"),
                "add 'myst_parser' to extensions in conf.py", "extensions"),
    Requirement("myst_enable_extensions: colon_fence", True,
                "the ::: blocks such as :::{news}, which are otherwise printed as text",
                _no_colon_fence,
                "add 'colon_fence' to myst_enable_extensions in conf.py", "myst_enable_extensions"),
    Requirement("sphinxcontrib.bibtex", True, "the {cite} and {footcite} roles and bibliographies",
                _no_extension("sphinxcontrib.bibtex"),
                "add 'sphinxcontrib.bibtex' to extensions in conf.py", "extensions"),
    Requirement("bibtex_bibfiles", True, "lists portfolio_bibfile, so citations find every paper",
                _no_bibfile_for_bibtex,
                "set bibtex_bibfiles = [portfolio_bibfile] (e.g. ['refs.bib']) in conf.py",
                "bibtex_bibfiles"),
    Requirement("sphinx_design", True, "the layout of the project cards",
                _no_extension("sphinx_design"),
                "add 'sphinx_design' to extensions in conf.py", "extensions"),
    Requirement("portfolio_owner_names", True,
                "whose papers are listed and exported (otherwise the lists are empty); not needed "
                "with portfolio_export_all",
                _no_owner,
                "set portfolio_owner_names = ['Your Name', 'Other Spelling'] in conf.py",
                "portfolio_owner_names"),
    Requirement("sphinx_reredirects", False, "serves the old addresses of conf.py's redirects",
                _redirects_unserved,
                "conf.py sets redirects; add 'sphinx_reredirects' to extensions",
                "redirects"),
    Requirement("typst (the engine's cv extra)", False,
                "typesets cv.pdf and the link-preview image",
                _no_typst,
                "install it with pip install 'portfolio[cv]', or set no portfolio_cv and an ogp_image "
                "of your own", "portfolio_cv"),
    Requirement("html_theme = 'furo'", False,
                "the profiles' footer icons, the dark mode the styles follow",
                _theme_without_footer_icons,
                "portfolio_profiles are furo's footer icons, which this theme lacks; set "
                "html_theme = 'furo', or show them with {profile-links} and add 'portfolio.requirement' "
                "to suppress_warnings",
                "html_theme"),
    Requirement("sphinx_copybutton", False, "copy buttons on BibTeX blocks and formatted references",
                lambda app, config: False, "", "extensions"),
    Requirement("sphinxext.opengraph", False, "link previews (og: and twitter: meta tags)",
                lambda app, config: False, "", "extensions"),
    Requirement("sphinx_sitemap", False, "sitemap.xml, which robots.txt names",
                lambda app, config: False, "", "extensions"),
    Requirement("notfound.extension", False, "a 404 page whose links work at any depth",
                lambda app, config: False, "", "extensions"),
)  # fmt: skip


def check_requirements(app: Sphinx, config: Config) -> None:
    """One ``portfolio.requirement`` warning per gap, located at the conf.py line to change."""
    conf = Path(app.confdir, "conf.py")
    for req in REQUIREMENTS:
        if req.missing(app, config):
            warn(Subtype.requirement, f"portfolio needs {req.what} ({req.gives}): {req.fix}",
                 f"{conf}:{assignment_line(conf, req.option)}")  # fmt: skip
