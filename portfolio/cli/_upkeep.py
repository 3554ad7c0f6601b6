"""``portfolio upkeep`` (``make upkeep``, and the weekly workflow): ``refresh --write``,
``discover --add`` and ``metrics`` in turn, one summary of what each did, and the same
summary in Markdown for the pull request that proposes the changes (``--summary FILE``).
It only writes the site's files; the workflow opens the pull request, never a push to the
default branch."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..services import Client, SourceError
from ._site import Site, read_site


def upkeep(site: Site, client: Client, today: dt.date) -> tuple[list[tuple[str, list[str], int]], int]:
    """Each step's (name, lines, status), and whether anything failed (1) or not (0)."""
    from ._discover import report as discover
    from ._import import refresh
    from ._metrics import metrics

    steps: list[tuple[str, list[str], int]] = []
    try:
        text, status = refresh(site, client, write=True)
        steps.append(("refresh", text.splitlines(), status))
    except SourceError as err:
        steps.append(("refresh", [f"error: {err}"], 1))
    if site.author_ids:
        lines, status = discover(site, client, add=True)
        steps.append(("discover", lines, status))
    else:
        steps.append(("discover", ["skipped: no author profiles in portfolio_author_ids"], 0))
    if site.metrics is not None:
        lines, status = metrics(site, client, today)
        steps.append(("metrics", lines, status))
    else:
        steps.append(("metrics", ["skipped: portfolio_metrics is empty"], 0))
    return steps, int(any(status for _, _, status in steps))


def markdown(steps: list[tuple[str, list[str], int]], today: dt.date) -> str:
    """The pull request's description: what each step did, as it said it."""
    out = [f"Weekly upkeep of {today.isoformat()}: what `portfolio upkeep` found. Review the diff; "
           "a proposed paper that is not yours goes on the ignore list with "
           "`portfolio discover --ignore <identifier>` (and its entry out of refs.bib).", ""]  # fmt: skip
    for name, lines, _ in steps:
        out += [f"### {name}", "", "```text", *lines, "```", ""]
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    site = read_site(args.conf.resolve(), (args.conf / args.source).resolve())
    today = dt.date.today()
    steps, status = upkeep(site, Client(contact=args.contact or site.contact), today)
    for name, lines, _ in steps:
        last = lines[-1] if lines else "nothing to do"
        sys.stdout.write(f"{name}: {last.removeprefix(f'{name}: ')}\n")
        for line in lines[:-1]:
            sys.stdout.write(f"  {line}\n")
    if args.summary:
        Path(args.summary).parent.mkdir(parents=True, exist_ok=True)
        Path(args.summary).write_text(markdown(steps, today), encoding="utf-8")
    return status
