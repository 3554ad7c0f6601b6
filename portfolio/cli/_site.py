"""A site as the commands see it: its settings read from conf.py as ``check`` reads them
(no Sphinx build), the papers ``refs.bib`` knows, and files written whole or not at all."""

from __future__ import annotations

import re
import runpy
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import default


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: for keys and for comparing titles."""
    text = unicodedata.normalize("NFKD", text).replace("ł", "l").replace("Ł", "L")
    return re.sub(r"[^a-z0-9]+", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


@dataclass
class Site:
    bib: Path
    owner_names: list[str]
    owner_field: str
    paper_dir: str
    news: Path
    contact: str = ""
    confdir: Path = field(default_factory=Path)
    metrics: Path | None = None  # portfolio_metrics, or None when the site keeps no counts
    author_ids: dict[str, str] = field(default_factory=dict)
    ignore: Path | None = None  # portfolio_discover_ignore


def read_site(confdir: Path, srcdir: Path) -> Site:
    conf: dict[str, Any] = runpy.run_path(str(confdir / "conf.py")) if (confdir / "conf.py").is_file() else {}

    def get(name: str) -> Any:
        return conf.get(name, default(name))

    ids = get("portfolio_author_ids")
    return Site(
        bib=confdir / get("portfolio_bibfile"),
        owner_names=list(conf.get("portfolio_owner_names", [])),
        owner_field=str(get("portfolio_owner_field")),
        paper_dir=str(get("portfolio_paper_dir")),
        news=srcdir / f"{get('portfolio_news_page')}.md",
        contact=str(get("portfolio_contact")),
        confdir=confdir,
        metrics=confdir / get("portfolio_metrics") if get("portfolio_metrics") else None,
        author_ids={str(k): str(v) for k, v in ids.items()} if isinstance(ids, dict) else {},
        ignore=confdir / get("portfolio_discover_ignore") if get("portfolio_discover_ignore") else None,
    )


@dataclass
class Known:
    key: str
    doi: str
    arxiv: str
    title: str


def known_papers(bib: Path, owner_names: list[str], owner_field: str) -> list[Known]:
    from ..bib import parse_bibliography

    parsed = parse_bibliography(bib, owner_names, owner_field)
    return [Known(p.key, p.doi.lower(), p.arxiv, fold(p.title)) for p in parsed.papers.values()]
