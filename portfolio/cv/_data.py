"""The CV's facts, held once in a YAML file (``portfolio_cv``, e.g. ``cv.yaml`` beside
conf.py): education and positions with their months, advisor, open-source work, talks,
memberships and reviewing.  Publications come from ``refs.bib`` and projects from the
project pages, so the file holds nothing that is written elsewhere.

Every problem is one located line (``cv.yaml:12: ...``) naming the fix; the entry (or the
field) with the problem is left out, nothing else.  No Sphinx import here: ``python -m
portfolio check`` reads the file too."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..bib import MONTHS, without_controls
from ..model import suggest


@dataclass(frozen=True)
class Month:
    """A year and, when known, a month (the CV's dates: ``2023``, ``2023-07``)."""

    year: int
    month: int | None = None

    def text(self, short: bool = False) -> str:
        if self.month is None:
            return str(self.year)
        name = MONTHS[self.month - 1]
        return f"{name[:3] if short else name} {self.year}"

    def iso(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)


@dataclass(frozen=True)
class Link:
    name: str
    url: str = ""
    project: str = ""  # a project page's id: its name and repository are used


@dataclass(frozen=True)
class Stay:
    """A degree or a position: what, where, from when to when (``end`` None: ongoing)."""

    title: str
    organisation: str
    start: Month
    end: Month | None = None
    note: str = ""
    advisor: str = ""
    advisor_url: str = ""
    line: int = field(default=0, compare=False)  # where it is, not what it says

    def when(self, short: bool = False) -> str:
        end = self.end.text(short) if self.end else "now"
        return f"{self.start.text(short)} to {end}"


@dataclass(frozen=True)
class Contribution:
    """Open-source work: the projects (links or project ids) and what was done."""

    projects: tuple[Link, ...]
    what: str
    line: int = field(default=0, compare=False)  # where it is, not what it says


@dataclass(frozen=True)
class Talk:
    date: Month
    title: str
    event: str = ""
    url: str = ""  # the event's page
    slides: str = ""
    video: str = ""  # a video or a recording
    line: int = field(default=0, compare=False)  # where it is, not what it says


@dataclass(frozen=True)
class CV:
    path: str = ""
    headline: str = ""
    education: tuple[Stay, ...] = ()
    positions: tuple[Stay, ...] = ()
    open_source: tuple[Contribution, ...] = ()
    talks: tuple[Talk, ...] = ()
    memberships: tuple[str, ...] = ()
    reviewing: tuple[Link, ...] = ()
    problems: tuple[tuple[int, str], ...] = field(default=(), compare=False)


#: the fields of each part, and the ones it needs
STAY = {"title", "organisation", "start", "end", "note", "advisor", "advisor_url"}
PARTS: dict[str, tuple[set[str], set[str]]] = {
    "education": (STAY, {"title", "organisation", "start"}),
    "positions": (STAY, {"title", "organisation", "start"}),
    "open_source": ({"projects", "what"}, {"projects", "what"}),
    "talks": ({"date", "title", "event", "url", "slides", "video"}, {"date", "title"}),
    "reviewing": ({"name", "url"}, {"name"}),
}
TOP = {"headline", "memberships", *PARTS}
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?")


class _Reader:
    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []

    def bad(self, node: Any, message: str) -> None:
        self.problems.append((node.start_mark.line + 1, message))

    def mapping(self, node: Any, where: str, allowed: set[str], required: set[str]) -> dict[str, Any] | None:
        """A mapping's values by key (their nodes), or None with a located problem."""
        if not isinstance(node, yaml.MappingNode):
            self.bad(node, f"{where} must be a mapping of fields ({', '.join(sorted(required))}...)")
            return None
        out = {}
        for key, value in node.value:
            name = str(key.value)
            if name not in allowed:
                hint = suggest(name, allowed) or f"; the fields are {', '.join(sorted(allowed))}"
                self.bad(key, f"{where}: unknown field {name!r}{hint}")
                continue
            out[name] = value
        missing = sorted(required - set(out))
        if missing:
            self.bad(
                node, f"{where} needs {' and '.join(missing)}; add {'them' if len(missing) > 1 else 'it'}"
            )
            return None
        return out

    def text(self, node: Any, where: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.bad(node, f"{where} must be text")
            return None
        return " ".join(str(node.value).split())

    def url(self, node: Any, where: str) -> str:
        value = self.text(node, where) or ""
        if value and not value.startswith(("https://", "http://")):
            self.bad(node, f"{where} {value!r} is not an http(s) address; write it as https://...")
            return ""
        return value

    def month(self, node: Any, where: str) -> Month | None:
        value = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        match = _DATE.fullmatch(value)
        if match:
            year, month = int(match.group(1)), int(match.group(2)) if match.group(2) else None
            if month is None or 1 <= month <= 12:
                return Month(year, month)
        self.bad(node, f"{where}: {value or 'the value'!r} is not a date such as 2023 or 2023-07")
        return None

    def items(self, node: Any, where: str) -> list[Any]:
        if not isinstance(node, yaml.SequenceNode):
            self.bad(node, f"{where} must be a list (each item starting with '- ')")
            return []
        return list(node.value)


def _stay(r: _Reader, node: Any, part: str) -> Stay | None:
    fields = r.mapping(node, f"{part} entry", *PARTS[part])
    if fields is None:
        return None
    title = r.text(fields["title"], f"{part} entry: title") or ""
    where = f"{part} entry {title!r}"
    organisation = r.text(fields["organisation"], f"{where}: organisation")
    start = r.month(fields["start"], f"{where}: start")
    end = r.month(fields["end"], f"{where}: end") if "end" in fields else None
    if not (title and organisation and start) or ("end" in fields and end is None):
        return None
    if end and (end.year, end.month or 12) < (start.year, start.month or 1):
        r.bad(fields["end"], f"{where}: end {end.iso()} is before start {start.iso()}; swap them")
        return None
    return Stay(
        title=title,
        organisation=organisation,
        start=start,
        end=end,
        note=r.text(fields["note"], f"{where}: note") or "" if "note" in fields else "",
        advisor=r.text(fields["advisor"], f"{where}: advisor") or "" if "advisor" in fields else "",
        advisor_url=r.url(fields["advisor_url"], f"{where}: advisor_url") if "advisor_url" in fields else "",
        line=node.start_mark.line + 1,
    )


def _link(r: _Reader, node: Any, where: str, projects: bool = True) -> Link | None:
    """``{name, url}``, or a name alone: a project page's id where ``projects``."""
    if isinstance(node, yaml.ScalarNode):
        name = r.text(node, where)
        return (Link(name=name, project=name) if projects else Link(name)) if name else None
    fields = r.mapping(node, where, {"name", "url"}, {"name"})
    if fields is None:
        return None
    name = r.text(fields["name"], f"{where}: name")
    url = r.url(fields["url"], f"{where}: url") if "url" in fields else ""
    return Link(name, url) if name else None


def read_cv(path: Path) -> CV:
    """The CV file, read and checked; ``problems`` lists (line, message) of what was left out."""
    r = _Reader()
    try:
        text, controls = without_controls(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        return CV(str(path), problems=((0, f"cannot read the CV file ({err}); save it as UTF-8 text"),))
    r.problems += [
        (line, f"a control character (U+{ord(char):04X}), as text pasted from a PDF carries, is left out; "
               "delete it from the line named")
        for line, char in controls
    ]  # fmt: skip
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(err, "problem", None) or str(err)
        return CV(
            str(path), problems=(*r.problems, (line, f"YAML syntax error: {problem}; fix the line named"))
        )
    if root is None:
        return CV(str(path), problems=tuple(r.problems))
    top = r.mapping(root, "the CV file", TOP, set()) or {}
    education = tuple(s for n in r.items(top["education"], "education") if (s := _stay(r, n, "education"))) \
        if "education" in top else ()  # fmt: skip
    positions = tuple(s for n in r.items(top["positions"], "positions") if (s := _stay(r, n, "positions"))) \
        if "positions" in top else ()  # fmt: skip
    contributions = []
    for node in r.items(top["open_source"], "open_source") if "open_source" in top else []:
        fields = r.mapping(node, "open_source entry", *PARTS["open_source"])
        if fields is None:
            continue
        links = [
            link for n in r.items(fields["projects"], "open_source entry: projects")
            if (link := _link(r, n, "open_source entry: project"))
        ]  # fmt: skip
        what = r.text(fields["what"], "open_source entry: what")
        if links and what:
            contributions.append(Contribution(tuple(links), what, node.start_mark.line + 1))
    talks = []
    for node in r.items(top["talks"], "talks") if "talks" in top else []:
        fields = r.mapping(node, "talk", *PARTS["talks"])
        if fields is None:
            continue
        title = r.text(fields["title"], "talk: title")
        date = r.month(fields["date"], f"talk {title!r}: date")
        event = r.text(fields["event"], f"talk {title!r}: event") or "" if "event" in fields else ""
        url, slides, video = (
            r.url(fields[name], f"talk {title!r}: {name}") if name in fields else ""
            for name in ("url", "slides", "video")
        )
        if title and date:
            talks.append(Talk(date, title, event, url, slides, video, node.start_mark.line + 1))
    memberships = tuple(
        t for n in (r.items(top["memberships"], "memberships") if "memberships" in top else [])
        if (t := r.text(n, "membership"))
    )  # fmt: skip
    reviewing = tuple(
        link for n in (r.items(top["reviewing"], "reviewing") if "reviewing" in top else [])
        if (link := _link(r, n, "reviewing entry", projects=False))
    )  # fmt: skip
    headline = (r.text(top["headline"], "headline") or "") if "headline" in top else ""
    return CV(
        path=str(path),
        headline=headline,
        education=education,
        positions=positions,
        open_source=tuple(contributions),
        talks=tuple(sorted(talks, key=lambda t: (t.date.year, t.date.month or 0), reverse=True)),
        memberships=memberships,
        reviewing=reviewing,
        problems=tuple(r.problems),
    )


def generated_on(epoch: str | None) -> tuple[dt.date, int]:
    """The date a CV says it was generated, and its timestamp: ``SOURCE_DATE_EPOCH`` when
    set (reproducible builds), else the start of today (UTC)."""
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date(), int(epoch)
    today = dt.datetime.now(dt.UTC).date()
    return today, int(dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp())
