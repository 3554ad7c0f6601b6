"""Where else to find the portfolio's owner (GitHub, Google Scholar, e-mail...), declared
once in ``portfolio_profiles`` and shown everywhere a reader or a crawler looks: furo's
footer icons on every page, the ``profile-links`` directive (the home page's opening) and
the ``sameAs`` of the home page's JSON-LD ``Person``."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective

# GitHub's mark (Primer Octicons, MIT), as furo's documentation shows it for footer_icons
_GITHUB = (
    '<svg stroke="currentColor" fill="currentColor" stroke-width="0" viewBox="0 0 16 16" aria-hidden='
    '"true"><path fill-rule="evenodd" d="M8 0C3.58 0 0 3.58 0 8c0 3.54 2.29 6.53 5.47 7.59.4.07.55-.1'
    "7.55-.38 0-.19-.01-.82-.01-1.49-2.01.37-2.53-.49-2.69-.94-.09-.23-.48-.94-.82-1.13-.28-.15-.68-."
    "52-.01-.53.63-.01 1.08.58 1.23.82.72 1.21 1.87.87 2.33.66.07-.52.28-.87.51-1.07-1.78-.2-3.64-.89"
    "-3.64-3.95 0-.87.31-1.59.82-2.15-.08-.2-.36-1.02.08-2.12 0 0 .67-.21 2.2.82.64-.18 1.32-.27 2-.2"
    "7.68 0 1.36.09 2 .27 1.53-1.04 2.2-.82 2.2-.82.44 1.1.16 1.92.08 2.12.51.56.82 1.27.82 2.15 0 3."
    "07-1.87 3.75-3.65 3.95.29.25.54.73.54 1.48 0 1.07-.01 1.93-.01 2.2 0 .21.15.46.55.38A8.013 8.013"
    ' 0 0 0 16 8c0-4.42-3.58-8-8-8z"></path></svg>'
)
# any other profile: a plain link symbol (Octicons "link")
_LINK = (
    '<svg stroke="currentColor" fill="currentColor" stroke-width="0" viewBox="0 0 16 16" aria-hidden='
    '"true"><path d="m7.775 3.275 1.25-1.25a3.5 3.5 0 1 1 4.95 4.95l-2.5 2.5a3.5 3.5 0 0 1-4.95 0 .75'
    "1.751 0 0 1 .018-1.042.751.751 0 0 1 1.042-.018 1.998 1.998 0 0 0 2.83 0l2.5-2.5a2.002 2.002 0 0"
    " 0-2.83-2.83l-1.25 1.25a.751.751 0 0 1-1.042-.018.751.751 0 0 1-.018-1.042Zm-4.69 9.64a1.998 1.9"
    "98 0 0 0 2.83 0l1.25-1.25a.751.751 0 0 1 1.042.018.751.751 0 0 1 .018 1.042l-1.25 1.25a3.5 3.5 0"
    " 1 1-4.95-4.95l2.5-2.5a3.5 3.5 0 0 1 4.95 0 .751.751 0 0 1-.018 1.042.751.751 0 0 1-1.042.018 1."
    '998 1.998 0 0 0-2.83 0l-2.5 2.5a1.998 1.998 0 0 0 0 2.83Z"></path></svg>'
)


def profiles(config: Config) -> list[tuple[str, str]]:
    """(name, url) of each profile, in the order of ``portfolio_profiles``."""
    return [
        (str(p.get("name", "")), str(p.get("url", "")))
        for p in config.portfolio_profiles
        if isinstance(p, dict) and p.get("url")
    ]


def add_footer_icons(app: Sphinx, config: Config) -> None:
    """furo's ``footer_icons``, from the profiles, unless conf.py sets them itself."""
    if config.html_theme != "furo" or not profiles(config):
        return
    options = dict(config.html_theme_options or {})
    if "footer_icons" not in options:
        options["footer_icons"] = [
            {"name": name, "url": url, "html": _GITHUB if "github.com" in url else _LINK, "class": ""}
            for name, url in profiles(config)
        ]
        config.html_theme_options = options


def same_as(config: Config) -> list[str]:
    """Profile addresses for JSON-LD ``sameAs`` (with any that ``portfolio_person`` lists)."""
    listed = config.portfolio_person.get("sameAs", [])
    listed = [listed] if isinstance(listed, str) else list(listed)
    return list(dict.fromkeys([*listed, *(url for _, url in profiles(config))]))


class ProfileLinks(SphinxDirective):
    """``profile-links``: a line of links to the owner's profiles (GitHub, ...)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        para = nodes.paragraph(classes=["portfolio-profiles"])
        for i, (name, url) in enumerate(profiles(self.config)):
            if i:
                para += nodes.Text(" · ")
            para += nodes.reference(name, name, refuri=url)
        self.set_source_info(para)
        return [para] if para.children else []


def setup_profiles(app: Sphinx) -> None:
    app.add_directive("profile-links", ProfileLinks)
