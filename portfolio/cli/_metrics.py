"""``portfolio metrics``: how often each of the owner's papers is cited, read from OpenAlex
(and from Semantic Scholar for a paper OpenAlex does not know) into the data file the
build shows (``portfolio_metrics``).  A paper whose service fails keeps its previous
number and is named; a run in which every request fails changes nothing."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter

from ..bib import Cited, Metrics, metrics_text, parse_bibliography, read_metrics, totals
from ..output import replace_atomically
from ..services import Client, Ids, SourceError, key_of, missing_key, openalex_count, s2_count
from ._site import Site, read_site


def metrics(site: Site, client: Client, today: dt.date) -> tuple[list[str], int]:
    """(the report's lines, the exit status) of reading every count and writing the file."""
    assert site.metrics is not None
    bib = parse_bibliography(site.bib, site.owner_names, site.owner_field)
    papers = [p for p in bib.papers.values() if p.owner and (p.doi or p.arxiv)]
    previous = read_metrics(site.metrics)
    lines = [f"{site.metrics}:{line}: {message}" for line, message in previous.problems]
    openalex = bool(key_of("openalex"))
    if not openalex:
        lines.append(missing_key("openalex") + "; asking Semantic Scholar for every paper")
    if not key_of("s2"):
        lines.append(missing_key("s2") + "; asking its shared pool, more slowly")
    found: dict[str, Cited] = {}
    failed: dict[str, str] = {}
    unknown: list[str] = []
    for paper in sorted(papers, key=lambda p: p.line):
        ids = Ids(paper.key, paper.doi, paper.arxiv)
        try:
            cited = openalex_count(client, ids, today) if openalex else None
            if cited is None:  # OpenAlex does not know it (or has no key): Semantic Scholar
                cited = s2_count(client, ids, today)
        except SourceError as err:
            failed[paper.key] = str(err)
            old = previous.papers.get(paper.key)
            note = f"kept its count of {old.count} from {old.date}" if old else "it has no count yet"
            lines.append(f"{site.bib}:{paper.line}: {err}; {note}")
            continue
        if cited is None:
            unknown.append(paper.key)
        else:
            found[paper.key] = cited
    if failed and not found:
        lines.append(f"metrics: every request failed; {site.metrics.name} is unchanged (try again later)")
        return lines, 1
    kept = {key: previous.papers[key] for key in failed if key in previous.papers}
    result = Metrics(updated=today.isoformat(), papers={**kept, **found})
    text = metrics_text(result)
    old_text = site.metrics.read_text(encoding="utf-8") if site.metrics.is_file() else None
    if text != old_text:
        replace_atomically(site.metrics, text)
    citations, h, _, _ = totals(result.papers.values())
    sources = Counter(c.source_name for c in found.values())
    by = ", ".join(f"{n} from {name}" for name, n in sorted(sources.items()))
    lines.append(
        f"metrics: {len(found)} of {len(papers)} papers counted ({by or 'none'}), {len(unknown)} unknown to "
        f"the services, {len(failed)} failed; {citations} citations, h-index {h}; "
        f"{'wrote' if text != old_text else 'no change to'} {site.metrics.name}"
    )
    return lines, 1 if failed else 0


def run(args: argparse.Namespace) -> int:
    site = read_site(args.conf.resolve(), (args.conf / args.source).resolve())
    if site.metrics is None:
        sys.stderr.write(
            "error: portfolio_metrics is empty in conf.py; set it to a file such as 'citations.json'\n"
        )
        return 2
    client = Client(contact=args.contact or site.contact)
    lines, status = metrics(site, client, dt.date.today())
    sys.stdout.write("\n".join(lines) + "\n")
    return status
