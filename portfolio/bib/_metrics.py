"""How often each paper is cited: the data file that ``portfolio metrics`` writes and the
build reads (``portfolio_metrics``, ``citations.json`` beside conf.py), never the network.

One JSON object, kept in the repository so that a diff shows what changed::

    {"updated": "2026-12-07",
     "papers": {"zhu2023spikegpt": {"count": 250, "source": "openalex", "date": "2026-12-07",
                                    "record": "https://openalex.org/W4321", "by_year": {"2024": 120}}}}

Each paper's number carries its source, the day it was read and the address of the
service's record of the paper; a paper that no service knows is not in the file (a page
shows no number for it, never a 0).  The totals (citations, h-index) are computed from the
counts, so that they always agree with them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: source -> how pages name it, and where its terms are
SOURCES = {
    "openalex": ("OpenAlex", "https://openalex.org"),
    "semantic-scholar": ("Semantic Scholar", "https://www.semanticscholar.org"),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Cited:
    """One paper's citation count, as one service gave it on one day."""

    count: int
    source: str  # a key of SOURCES
    date: str  # YYYY-MM-DD
    record: str = ""  # the service's page of the paper
    by_year: tuple[tuple[int, int], ...] = ()

    @property
    def source_name(self) -> str:
        return SOURCES[self.source][0]

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"count": self.count, "source": self.source, "date": self.date}
        if self.record:
            out["record"] = self.record
        if self.by_year:
            out["by_year"] = {str(year): n for year, n in self.by_year}
        return out


@dataclass
class Metrics:
    """The data file: each paper's count, by BibTeX key."""

    updated: str = ""
    papers: dict[str, Cited] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message) of what was left out


def h_index(counts: Iterable[int]) -> int:
    """The largest h such that h papers are cited at least h times each."""
    ranked = sorted(counts, reverse=True)
    return sum(1 for rank, n in enumerate(ranked, start=1) if n >= rank)


def totals(cited: Iterable[Cited]) -> tuple[int, int, str, list[str]]:
    """(citations, h-index, the newest date, the sources' names) of some papers' counts."""
    found = list(cited)
    names = sorted({c.source_name for c in found})
    return (
        sum(c.count for c in found),
        h_index(c.count for c in found),
        max((c.date for c in found), default=""),
        names,
    )


def _line(text: str, key: str) -> int:
    m = re.search(rf'^\s*"{re.escape(key)}"\s*:', text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def read_metrics(path: Path) -> Metrics:
    """The file, each paper's entry checked; an entry that is not as the format says is left
    out with a located problem, and an unreadable file is one problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Metrics()
    except (OSError, UnicodeDecodeError) as err:
        return Metrics(
            problems=[(0, f"cannot read the citation counts ({err}); run portfolio metrics again")]
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        line = getattr(err, "lineno", 0)
        return Metrics(
            problems=[(line, "the citation counts are not valid JSON; run portfolio metrics again")]
        )
    if not isinstance(data, dict) or not isinstance(data.get("papers", {}), dict):
        return Metrics(problems=[(1, 'the citation counts are not {"updated": ..., "papers": {...}}; '
                                     "run portfolio metrics again")])  # fmt: skip
    out = Metrics(updated=str(data.get("updated", "")))
    for key, value in data.get("papers", {}).items():
        cited = _cited(value)
        if cited is None:
            out.problems.append(
                (
                    _line(text, key),
                    f"the count of {key!r} is not as portfolio metrics writes it; it is left out",
                )
            )
        else:
            out.papers[key] = cited
    return out


def _cited(value: Any) -> Cited | None:
    if not isinstance(value, dict):
        return None
    count, source, date = value.get("count"), value.get("source"), value.get("date")
    if not (isinstance(count, int) and not isinstance(count, bool) and count >= 0):
        return None
    if source not in SOURCES or not (isinstance(date, str) and _DATE.match(date)):
        return None
    record = value.get("record", "")
    if not isinstance(record, str) or (record and not record.startswith("https://")):
        return None
    years = value.get("by_year", {})
    if not isinstance(years, dict) or not all(
        re.fullmatch(r"\d{4}", str(y)) and isinstance(n, int) and n >= 0 for y, n in years.items()
    ):
        return None
    return Cited(count, source, date, record, tuple(sorted((int(y), n) for y, n in years.items())))


def metrics_text(metrics: Metrics) -> str:
    """The file as ``portfolio metrics`` writes it: sorted, one paper a few lines."""
    data = {
        "updated": metrics.updated or dt.date.today().isoformat(),
        "papers": {key: metrics.papers[key].as_json() for key in sorted(metrics.papers)},
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
