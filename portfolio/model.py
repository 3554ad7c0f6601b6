"""The plain data of papers' companions: projects, news items, mentions, and the checks
on them that need no Sphinx, shared by the build and ``python -m portfolio check``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from docutils.nodes import Element

from .bib import Paper, parse_date

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_URL = re.compile(r"^https?://\S+$")
FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "name": str,
    "tagline": str,
    "repository": str,
    "website": str,
    "papers": list,
    "models": list,
    "status": str,
    "related": list,
}


def news_order(date: tuple[int, int, int], docname: str, line: int) -> tuple[Any, ...]:
    """Newest first; items of the same date keep the order in which they were written."""
    year, month, day = date
    return (-year, -month, -day, docname, line)


@dataclass(frozen=True)
class NewsItem:
    id: str
    docname: str
    line: int
    date: tuple[int, int, int]  # (year, month or 0, day or 0)
    title: str  # the :title: option, or ""; readers get PortfolioDomain.news_title()
    text: str  # as written (references as keys); readers get PortfolioDomain.news_text()
    body: tuple[Element, ...]
    papers: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return f"news-{self.id}"

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return news_order(self.date, self.docname, self.line)


@dataclass(frozen=True)
class NewsSpec:
    """Which news items a list shows (0: no limit; a project id or a paper key filters)."""

    limit: int = 0
    project: str = ""
    paper: str = ""


@dataclass(frozen=True)
class Project:
    id: str
    docname: str
    title: str
    name: str
    tagline: str = ""
    repository: str = ""
    website: str = ""
    papers: tuple[str, ...] = ()
    models: tuple[tuple[str, str], ...] = ()
    years: str = ""  # derived from its papers (projects.year_span), never written
    status: str = ""
    related: tuple[str, ...] = ()
    line: int = 1  # of the front matter, for messages


@dataclass
class Mention:
    """A document (and anchor) that cites, links or lists a paper by hand."""

    paper: str
    docname: str
    anchor: str = ""
    label: str = ""
    line: int = 0


@dataclass(frozen=True)
class PaperFilter:
    """Which papers a list on a page shows, so a changed entry re-reads only those pages."""

    keys: tuple[str, ...] = ()  # explicit keys (project pages); empty: decided by the rest
    owner_only: bool = True
    keyword: str = ""
    limit: int = 0  # the newest this many only (a publications list's :limit:)

    def shows(self, paper: Paper | None) -> bool:
        if paper is None:
            return False
        if self.keys:
            return paper.key in self.keys
        return (paper.owner or not self.owner_only) and (not self.keyword or self.keyword in paper.keywords)


def read_news_date(text: str) -> tuple[int, int, int] | None:
    """A news item's date, ``2024``, ``2024-09`` or ``2024-09-30``, as (year, month or 0,
    day or 0); None for anything else (a range, a qualifier, an impossible day)."""
    text = text.strip()
    when = parse_date(text) if text.replace("-", "").isdigit() else None
    if when is None or when.end_year is not None:
        return None
    return when.year, when.month or 0, when.day or 0


def date_problem(raw_date: str) -> str:
    """The message for a missing or impossible news date ("" when the date is fine)."""
    if read_news_date(raw_date) is not None:
        return ""
    shown = f"date {raw_date!r} is not a real date" if raw_date else "has no date"
    return f"news item {shown}; write it as YYYY, YYYY-MM or YYYY-MM-DD after {{news}}"


def id_problem(raw_date: str, item_id: str) -> str:
    """The message for a missing or malformed news :id: ("" when it is fine)."""
    if ID_PATTERN.match(item_id):
        return ""
    if not item_id:
        return (
            f"news item of {raw_date} has no :id:; add one such as ':id: neurips-2024' "
            "(lower-case letters, digits, hyphens): it is the item's permanent anchor"
        )
    suggestion = re.sub(r"[^a-z0-9]+", "-", item_id.lower()).strip("-")
    return (
        f"news item :id: {item_id!r} must be lower-case letters, digits and hyphens, "
        f"such as {suggestion!r}: it is the item's permanent anchor"
    )


def suggest(name: str, candidates: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for a near miss among ``candidates``, else ""."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def front_matter_line(text: str, key: str) -> int:
    """Line of ``key:`` in a page's YAML front matter (1 when it is not there)."""
    if not text.startswith("---"):
        return 1
    end = text.find("\n---", 3)
    for number, row in enumerate(text[: end if end > 0 else len(text)].splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*:", row):
            return number
    return 1


_TYPE_NAMES: dict[Any, str] = {str: "text", list: "list such as [a, b]"}


def project_from_meta(meta: dict[str, Any], docname: str, title: str) -> tuple[Project | None, str, str]:
    """Validate a page's ``project:`` front matter: (project, "", "") or (None, message,
    the front-matter key at fault, whose line the message should name).

    Shared by the build and ``python -m portfolio check``, so both say the same thing."""

    def bad(message: str, key: str = "project") -> tuple[None, str, str]:
        return None, f"project front matter: {message}", key

    if "__invalid__" in meta:
        return bad("'project:' must be a mapping of fields such as name, tagline, papers")
    unknown = [k for k in meta if k not in FIELDS]
    if unknown:
        key = str(unknown[0])
        return bad(f"unknown field {key!r}{suggest(key, FIELDS)}; known fields are {', '.join(FIELDS)}", key)
    for name, types in FIELDS.items():
        if name in meta and not isinstance(meta[name], types):
            return bad(f"field {name!r} must be {_TYPE_NAMES.get(types, 'text')}, not {meta[name]!r}", name)
    if not str(meta.get("name", "")).strip():
        return bad("missing required field 'name'; add e.g. 'name: My Project'")
    for name in ("repository", "website"):
        if meta.get(name) and not _URL.match(meta[name]):
            return bad(f"{name} {meta[name]!r} is not an http(s) URL", name)
    models: list[tuple[str, str]] = []
    for model in meta.get("models", []):
        if isinstance(model, dict):
            label, url = model.get("label", ""), model.get("url", "")
        else:
            label, url = "", model
        if not isinstance(url, str) or not _URL.match(url):
            return bad(f"model link {url!r} is not an http(s) URL", "models")
        models.append((str(label) or url.rstrip("/").rsplit("/", 1)[-1], url))
    project = Project(
        id=meta.get("id") or docname.rsplit("/", 1)[-1],
        docname=docname,
        title=title or meta["name"],
        name=meta["name"],
        tagline=meta.get("tagline", ""),
        repository=meta.get("repository", ""),
        website=meta.get("website", ""),
        papers=tuple(str(k) for k in meta.get("papers", [])),
        models=tuple(models),
        status=meta.get("status", ""),
        related=tuple(str(r) for r in meta.get("related", [])),
    )
    return project, "", ""


def duplicate_message(kind: str, key: str, place: str) -> str:
    """One wording for a duplicate news or project id, wherever it is found (a directive, a
    parallel merge, ``python -m portfolio check``); ``place`` is ``path:line`` of the first."""
    if kind == "news":
        return f"duplicate news id {key!r}, first declared at {place}; give one of them a different :id:"
    return (
        f"duplicate project id {key!r}, first declared at {place}; "
        "give one of them a different id in its front matter"
    )
