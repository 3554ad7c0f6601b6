"""``portfolio discover``: the papers that the owner's author profiles list and
``refs.bib`` lacks.  The profiles are named in ``portfolio_author_ids`` (OpenAlex, ORCID,
DBLP); a paper is known when ``refs.bib`` has its DOI, its arXiv id or its title, so a
preprint and its published version are one paper.  ``--add`` appends them through the
same path as ``portfolio add``; ``--ignore`` puts one on the ignore list (a namesake's
paper), which is never proposed again."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable

from ..bib import ARXIV_ID
from ..output import replace_atomically
from ..services import Client, SourceError, Work, dblp_works, openalex_works, orcid_works
from ._site import Known, Site, fold, known_papers, read_site

#: portfolio_author_ids' keys, the service each names, and how its works are read
PROFILES: dict[str, tuple[str, Callable[[Client, str], list[Work]]]] = {
    "openalex": ("OpenAlex", openalex_works),
    "orcid": ("ORCID", orcid_works),
    "dblp": ("DBLP", dblp_works),
}


def normal(identifier: str) -> str:
    """An identifier as the ignore list compares it: a DOI without its address, lower-case;
    an arXiv id without ``arXiv:`` and its version; a DBLP key as written."""
    text = identifier.strip()
    text = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", text, flags=re.I)
    text = re.sub(r"^(?:arxiv:|https?://arxiv\.org/abs/)", "", text, flags=re.I)
    if text.lower().startswith("10."):
        return text.lower()
    if ARXIV_ID.match(text):
        return re.sub(r"v\d+$", "", text)
    return text


def names(work: Work) -> set[str]:
    """Every identifier a work is known by, as :func:`normal` writes them."""
    found = {work.identifier, work.doi, work.arxiv, f"DBLP:{work.dblp}" if work.dblp else "", work.dblp}
    return {normal(n) for n in found if n}


IGNORE_HEADER = (
    "# Papers that portfolio discover proposed and that are not the owner's (a namesake's):\n"
    "# one identifier a line; portfolio discover --ignore <identifier> adds one.\n"
)


def read_ignored(site: Site) -> set[str]:
    if site.ignore is None or not site.ignore.is_file():
        return set()
    lines = site.ignore.read_text(encoding="utf-8").splitlines()
    return {normal(line.split("#", 1)[0]) for line in lines if line.split("#", 1)[0].strip()}


def known(work: Work, papers: list[Known]) -> str | None:
    """The key of the entry of refs.bib that is this work, if one is."""
    arxiv = re.sub(r"v\d+$", "", work.arxiv)
    title = fold(work.title)
    for paper in papers:
        if (
            (work.doi and paper.doi == work.doi)
            or (arxiv and paper.arxiv == arxiv)
            or (title and paper.title == title)
        ):
            return paper.key
    return None


def merged(works: list[Work]) -> list[Work]:
    """One work per paper that several profiles list, with all their sources."""
    out: list[Work] = []
    for work in works:
        title = fold(work.title)  # "" for a title in a script fold() does not keep: no match by title
        same = next((w for w in out if names(w) & names(work) or (title and fold(w.title) == title)), None)
        if same is None:
            out.append(work)
            continue
        same.doi = same.doi or work.doi
        same.arxiv = same.arxiv or work.arxiv
        same.dblp = same.dblp or work.dblp
        same.year = same.year or work.year
        same.sources += [s for s in work.sources if s not in same.sources]
    return out


def discover(site: Site, client: Client) -> tuple[list[Work], list[str], dict[str, int]]:
    """(the works refs.bib lacks, one line per profile that failed, counts for the summary)."""
    works: list[Work] = []
    failures = []
    for name, ident in sorted(site.author_ids.items()):
        if name not in PROFILES:
            failures.append(f"portfolio_author_ids: unknown profile {name!r}; use {', '.join(PROFILES)}")
            continue
        try:
            works += PROFILES[name][1](client, ident)
        except SourceError as err:
            failures.append(f"{err}")
    papers = known_papers(site.bib, site.owner_names, site.owner_field)
    ignored = read_ignored(site)
    found = merged(works)
    new = [w for w in found if known(w, papers) is None and not names(w) & ignored and w.identifier]
    counts = {"listed": len(found), "known": sum(known(w, papers) is not None for w in found),
              "ignored": sum(bool(names(w) & ignored) for w in found)}  # fmt: skip
    return sorted(new, key=lambda w: (w.year, w.title), reverse=True), failures, counts


def ignore(site: Site, identifier: str) -> str:
    """Put ``identifier`` on the ignore list; the report."""
    if site.ignore is None:
        raise SourceError(
            "portfolio_discover_ignore is empty in conf.py; set it to a file such as 'discover-ignore.txt'"
        )
    ident = normal(identifier)
    if not ident:
        raise SourceError("give the identifier that discover printed (a DOI, an arXiv id or a DBLP key)")
    if ident in read_ignored(site):
        return f"{ident} is on the ignore list already ({site.ignore.name})"
    text = site.ignore.read_text(encoding="utf-8") if site.ignore.is_file() else IGNORE_HEADER
    replace_atomically(site.ignore, text + ("" if text.endswith("\n") else "\n") + ident + "\n")
    return f"ignored {ident}: portfolio discover will not propose it again ({site.ignore.name})"


def report(site: Site, client: Client, add: bool) -> tuple[list[str], int]:
    """(the lines discover prints, its exit status)."""
    from ._import import add as add_paper

    if not site.author_ids:
        example = '{"orcid": "0000-0002-1825-0097", "dblp": "12/3456", "openalex": "A5023888391"}'
        return [f"error: no author profiles: set portfolio_author_ids in conf.py, for example {example}"], 2
    new, failures, counts = discover(site, client)
    lines = [f"error: {line}" for line in failures]
    lines += [f"{w.identifier}  {w.year or '----'}  {w.title}  ({', '.join(w.sources)})" for w in new]
    added = 0
    if add:
        for work in new:
            try:
                add_paper(site, work.identifier, client)
                added += 1
            except SourceError as err:
                lines.append(f"error: {err}")
    profiles = ", ".join(PROFILES[n][0] for n in sorted(site.author_ids) if n in PROFILES)
    lines.append(
        f"discover: {len(new)} new of {counts['listed']} listed by {profiles} ({counts['known']} in "
        f"{site.bib.name}, {counts['ignored']} ignored)" + (f"; added {added}" if add else "")
    )
    return lines, 1 if failures and not new and not counts["listed"] else 0


def run(args: argparse.Namespace) -> int:
    site = read_site(args.conf.resolve(), (args.conf / args.source).resolve())
    try:
        if args.ignore:
            sys.stdout.write(ignore(site, args.ignore) + "\n")
            return 0
        lines, status = report(site, Client(contact=args.contact or site.contact), args.add)
    except SourceError as err:
        sys.stderr.write(f"error: {err}\n")
        return 1
    out = sys.stderr if status == 2 else sys.stdout
    out.write("\n".join(lines) + "\n")
    return status
