"""Every ``portfolio_*`` option, declared once, validated on ``config-inited``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    rebuild: str  # "env" when it changes doctrees, "html" when it changes output only
    types: tuple[type, ...]
    doc: str


OPTIONS: tuple[Option, ...] = (
    Option("portfolio_bibfile", "refs.bib", "env", (str,),
           "BibTeX file with every paper, relative to the directory of conf.py."),
    Option("portfolio_owner_names", [], "env", (list,),
           "Every spelling of the portfolio owner's name (e.g. ``'Rui-Jie Zhu'``); highlighted in author lists."),
    Option("portfolio_owner_field", "x-owner", "env", (str,),
           "BibTeX field that says ``yes``/``no`` to 'the owner is an author'; when absent the names decide."),
    Option("portfolio_paper_dir", "papers", "env", (str,),
           "Folder (inside the source folder) where one page per paper is generated."),
    Option("portfolio_news_page", "news", "env", (str,),
           "Document that holds the news items; the feed links to it."),
    Option("portfolio_feed_path", "news.xml", "html", (str,),
           "Path of the Atom feed in the built site."),
    Option("portfolio_feed_title", "", "html", (str,),
           "Title of the Atom feed; defaults to '<project>: news'."),
    Option("portfolio_person", {}, "html", (dict,),
           "schema.org Person properties for the home page's JSON-LD (name, jobTitle, affiliation, sameAs...)."),
    Option("portfolio_exports", True, "html", (bool,),
           "Write publications.bib and publications.json next to the home page."),
)  # fmt: skip


def setup_config(app: Sphinx) -> None:
    for opt in OPTIONS:
        app.add_config_value(opt.name, opt.default, opt.rebuild, types=opt.types)
    app.connect("config-inited", validate_config)


def validate_config(app: Sphinx, config: Config) -> None:
    for opt in OPTIONS:
        value = config[opt.name]
        if not isinstance(value, opt.types):
            expected = " or ".join(t.__name__ for t in opt.types)
            raise ConfigError(
                f"{opt.name} must be a {expected}, not {type(value).__name__} ({value!r}); "
                f"fix it in conf.py. It is: {opt.doc}"
            )
    names = config.portfolio_owner_names
    if not all(isinstance(n, str) and n.strip() for n in names):
        raise ConfigError(
            "portfolio_owner_names must be a list of non-empty names, "
            "e.g. ['Rui-Jie Zhu', 'Ruijie Zhu']; fix it in conf.py."
        )
    paper_dir = config.portfolio_paper_dir.strip("/")
    if not paper_dir or ".." in paper_dir.split("/"):
        raise ConfigError(
            f"portfolio_paper_dir {config.portfolio_paper_dir!r} must be a folder inside the "
            "source folder, such as 'papers'; fix it in conf.py."
        )
    suffixes = config.source_suffix
    if ".rst" not in suffixes:
        raise ConfigError(
            "the portfolio extension generates one .rst page per paper, so source_suffix "
            "must keep '.rst'; add it back in conf.py."
        )
