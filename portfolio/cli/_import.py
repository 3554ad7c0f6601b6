"""``python -m portfolio add <identifier>`` and ``python -m portfolio refresh``: the
publication list keeps itself complete.

``add`` reads a paper from its service (:mod:`portfolio.services._sources`), writes one entry in the
file's own style (key ``<first author><year><first word>``, fields in the file's order,
braces around acronyms and words with inner capitals, the full author list, ``eprint`` and
``archivePrefix`` for arXiv, the owner flag from ``portfolio_owner_names``, where it was
read in ``x-source``) and appends it to ``refs.bib``; every other byte of the file stays.
``refresh`` asks, for each preprint and each entry whose author list ends in "and others",
whether a published version or the full author list is known, and reports what it would
change; ``--write`` changes those fields in place, keeping the key, the ``x-*`` fields and
the keywords.  Nothing is written unless the whole entry was built; a file is replaced
atomically (a temporary file beside it, then a rename)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import re
import sys
from typing import Any

from ..output import replace_atomically
from ..services import Client, Record, SourceError, fetch, fetch_arxiv, fetch_doi, parse_identifier
from ._site import Known, Site, fold, known_papers, read_site

#: the order of fields in an entry we write (the file's own), then the site's fields
ORDER = ("title", "author", "editor", "journal", "booktitle", "series", "volume", "number", "month",
         "year", "address", "publisher", "school", "institution", "howpublished", "pages", "doi",
         "eprint", "archivePrefix", "url")  # fmt: skip
_STOP = {"a", "an", "the", "on", "of", "for", "in", "to", "with", "and", "towards", "toward", "via"}
_TYPES = {"conference": "inproceedings", "proceedings-article": "inproceedings", "journal-article": "article"}


def protect(title: str) -> str:
    """Braces around each word BibTeX styles must not lower-case: acronyms and words with a
    capital after their first letter ({RWKV}, {MatMul}-free, {RNNs})."""
    return re.sub(r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*", lambda m: f"{{{m.group(0)}}}"
                  if any(c.isupper() for c in m.group(0)[1:]) else m.group(0), title)  # fmt: skip


def escape(value: str) -> str:
    """Plain text as a BibTeX value: the characters LaTeX reads as commands escaped."""
    value = value.replace("{", "").replace("}", "")
    return re.sub(r"([&%$#_])", r"\\\1", value)


def make_key(record: Record, taken: set[str]) -> str:
    family = fold(record.authors[0][0].split(",")[0]) if record.authors else "anon"
    words = [fold(w) for w in record.title.split()]
    word = next((w for w in words if w and w not in _STOP), "paper")
    key = f"{family}{record.year}{word}"
    suffix = ord("b")
    candidate = key
    while candidate.lower() in {k.lower() for k in taken}:
        candidate = f"{key}{chr(suffix)}"
        suffix += 1
    return candidate


def is_owner(record: Record, owner_names: list[str]) -> bool:
    owners = {fold(n) for n in owner_names}
    return any(fold(f"{given} {family}") in owners for family, given in record.authors)


def entry_text(key: str, record: Record, owner_field: str, owner: bool) -> str:
    """The entry in the file's style."""
    entry_type = _TYPES.get(record.entry_type, record.entry_type)
    if record.arxiv and not ({"journal", "booktitle"} & set(record.fields)):
        entry_type = "misc"  # a preprint, as the file writes one
    names = [
        f"{escape(family)}, {escape(given)}" if given else escape(family) for family, given in record.authors
    ]
    fields: dict[str, str] = {
        "title": f"{{{protect(record.title_latex or escape(record.title))}}}",
        "author": "{" + " and ".join(names) + "}",
    }
    doi = record.fields.get("doi", "").lower()
    for name, value in record.fields.items():
        if name == "url" and doi and re.sub(r"^https?://(dx\.)?doi\.org/", "", value.strip().lower()) == doi:
            continue  # the DOI's own address: the doi field links it already
        if name in {"doi", "url"}:
            fields[name] = "{" + value.strip() + "}"
        elif name != "month":
            fields[name] = "{" + escape(value) + "}"
    if record.month in {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}:
        fields["month"] = record.month
    fields["year"] = "{" + record.year + "}"
    if record.arxiv:
        fields["eprint"], fields["archivePrefix"] = "{" + record.arxiv + "}", "{arXiv}"
        fields.setdefault("url", "{https://arxiv.org/abs/" + record.arxiv + "}")
    lines = [(n, fields[n]) for n in ORDER if n in fields] + [
        (n, v) for n, v in fields.items() if n not in ORDER
    ]
    day = dt.date.today().isoformat()
    lines += [("x-source", f"{{{record.source} (read by python -m portfolio add, {day})}}"),
              ("x-status", "{official-record}"), (owner_field, "{yes}" if owner else "{no}")]  # fmt: skip
    body = ",\n".join(f"  {name:<12} = {value}" for name, value in lines)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def duplicate(record: Record, known: list[Known]) -> str | None:
    doi = record.fields.get("doi", "").lower()
    for paper in known:
        if (
            (doi and paper.doi == doi)
            or (record.arxiv and paper.arxiv == record.arxiv)
            or (paper.title and paper.title == fold(record.title))
        ):
            return paper.key
    return None


def add(site: Site, identifier: str, client: Client, *, dry_run: bool = False, news: bool = False) -> str:
    """The report of adding one paper (raises SourceError with one line)."""
    from ..bib import page_slug

    service, ident = parse_identifier(identifier)
    if not site.bib.is_file():
        raise SourceError(f"{site.bib} does not exist; create it or set portfolio_bibfile in conf.py")
    known = known_papers(site.bib, site.owner_names, site.owner_field)
    record = fetch(client, service, ident)
    if not record.title or not record.authors or not record.year.isdigit():
        raise SourceError(f"{identifier}: the record lacks a title, authors or a year; nothing was written")
    if (key := duplicate(record, known)) is not None:
        raise SourceError(
            f"{identifier}: refs.bib has this paper already, as {key!r} (same DOI, arXiv id or title)"
        )
    key = make_key(record, {k.key for k in known})
    text = entry_text(key, record, site.owner_field, is_owner(record, site.owner_names))
    report = [
        text.rstrip(),
        "",
        f"page: {site.paper_dir}/{page_slug(key)}.html",
        f"link it: {{paper}}`{key}`",
    ]
    if dry_run:
        return "\n".join([*report, "(dry run: nothing written)"])
    original = site.bib.read_text(encoding="utf-8")
    replace_atomically(site.bib, original + ("" if original.endswith("\n") else "\n") + "\n" + text)
    if news and site.news.is_file():
        stub = (f"\n:::{{news}} {dt.date.today().isoformat()}\n:id: {key.lower()}\n:papers: {key}\n"
                f"New paper: {{paper}}`{key}`.\n:::\n")  # fmt: skip
        current = site.news.read_text(encoding="utf-8")
        replace_atomically(site.news, current + ("" if current.endswith("\n") else "\n") + stub)
        report.append(f"news: a dated stub added to {site.news.name}; write its sentence")
    return "\n".join([*report, f"added to {site.bib.name}"])


# -- refresh -------------------------------------------------------------------------------
_FIELD = re.compile(r"\s*([A-Za-z][\w:.+-]*)\s*=\s*")


def _value_end(text: str, i: int) -> int:
    """End of a BibTeX value starting at ``i`` (braced, quoted or bare)."""
    depth, quoted = 0, False
    while i < len(text):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        elif c == '"' and depth == 0:
            quoted = not quoted
        elif c == "," and depth == 0 and not quoted:
            return i
        i += 1
    return i


def entry_span(text: str, key: str) -> tuple[int, int] | None:
    """(start, end) of the entry ``key`` in the file's text, its closing brace included."""
    match = re.search(rf"^@\w+\s*\{{\s*{re.escape(key)}\s*,", text, re.M)
    if not match:
        return None
    depth, i = 0, text.index("{", match.start())
    while i < len(text):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return match.start(), i + 1
        i += 1
    return None


def fields_of(entry: str) -> list[tuple[str, str]]:
    """(name, value as written) of each field of one entry's text."""
    out: list[tuple[str, str]] = []
    i = entry.index(",") + 1
    while True:
        match = _FIELD.match(entry, i)
        if not match:
            return out
        end = _value_end(entry, match.end())
        out.append((match.group(1), entry[match.end() : end].strip()))
        i = end + 1


def updated_entry(entry: str, entry_type: str, changes: dict[str, str]) -> str:
    """The entry with ``changes`` (name -> value as written) applied and its type set; other
    fields keep their text and order, new ones go before the site's own (x-*, keywords)."""
    key = re.match(r"@\w+\s*\{\s*([^,\s]+)", entry).group(1)  # type: ignore[union-attr]
    fields = fields_of(entry)
    names = [n.lower() for n, _ in fields]
    out = [(n, changes.get(n.lower(), v)) for n, v in fields]
    new = [(n, v) for n, v in changes.items() if n.lower() not in names]
    at = next(
        (i for i, (n, _) in enumerate(out) if n.lower().startswith("x-") or n.lower() == "keywords"), len(out)
    )
    out[at:at] = new
    body = ",\n".join(f"  {name:<12} = {value}" for name, value in out)
    return f"@{entry_type}{{{key},\n{body}\n}}"


def proposed(paper: Any, client: Client) -> tuple[str, dict[str, str], list[str]]:
    """(entry type, changes, what) for one entry, from what the services know now."""
    changes: dict[str, str] = {}
    notes: list[str] = []
    entry_type = paper.entry_type
    published: Record | None = None
    if paper.arxiv and paper.kind == "preprint":
        preprint = fetch_arxiv(client, paper.arxiv)
        if preprint.fields.get("doi"):
            published = fetch_doi(client, preprint.fields["doi"])
            notes.append(f"published as doi:{preprint.fields['doi']}" + (f" ({preprint.journal_ref})"
                         if preprint.journal_ref else ""))  # fmt: skip
        elif preprint.journal_ref:
            notes.append(f"arXiv notes a published version ({preprint.journal_ref}) without a DOI; "
                         "add it by its DOI when known")  # fmt: skip
        if paper.authors and paper.authors[-1].is_others and len(preprint.authors) >= len(paper.authors):
            published = published or preprint
    elif paper.doi and paper.authors and paper.authors[-1].is_others:
        published = fetch_doi(client, paper.doi)
    if published is None:
        return entry_type, changes, notes
    names = [f"{escape(f)}, {escape(g)}" if g else escape(f) for f, g in published.authors]
    if paper.authors and paper.authors[-1].is_others and len(names) >= len(paper.authors):
        changes["author"] = "{" + " and ".join(names) + "}"
        notes.append(f"full author list ({len(names)} names)")
    if {"journal", "booktitle"} & set(published.fields):  # a venue: the published version
        for name in ("journal", "booktitle", "volume", "number", "pages", "publisher", "doi"):
            value = published.fields.get(name)
            if value:
                changes[name] = "{" + (value if name == "doi" else escape(value)) + "}"
        kind = _TYPES.get(published.entry_type, published.entry_type)
        if kind in {"article", "inproceedings", "incollection"}:
            entry_type = kind
        if published.year and published.year != str(paper.year):
            changes["year"] = "{" + published.year + "}"
            notes.append(f"year {paper.year} -> {published.year}")
    return entry_type, changes, notes


def refresh(site: Site, client: Client, *, write: bool = False) -> tuple[str, int]:
    """The report of a refresh and its exit status (1 when a service failed for an entry)."""
    from ..bib import parse_bibliography

    parsed = parse_bibliography(site.bib, site.owner_names, site.owner_field)
    text = site.bib.read_text(encoding="utf-8")
    lines, failed, changed = [], 0, 0
    for paper in sorted(parsed.papers.values(), key=lambda p: p.line):
        if not (
            (paper.arxiv and paper.kind == "preprint") or (paper.authors and paper.authors[-1].is_others)
        ):
            continue
        try:
            entry_type, changes, notes = proposed(paper, client)
        except SourceError as err:
            lines.append(f"{site.bib.name}:{paper.line}: {paper.key}: {err}")
            failed = 1
            continue
        if not changes and entry_type == paper.entry_type:
            lines.append(
                f"{site.bib.name}:{paper.line}: {paper.key}: nothing new"
                + (f"; {'; '.join(notes)}" if notes else "")
            )
            continue
        span = entry_span(text, paper.key)
        if span is None:
            lines.append(f"{site.bib.name}:{paper.line}: {paper.key}: entry not found in the file; skipped")
            continue
        what = ", ".join(f"{n} = {v}" for n, v in changes.items())
        verb = "set" if write else "would set"
        lines.append(
            f"{site.bib.name}:{paper.line}: {paper.key}: {verb} @{entry_type}, {what} ({'; '.join(notes)})"
        )
        text = text[: span[0]] + updated_entry(text[span[0] : span[1]], entry_type, changes) + text[span[1] :]
        changed += 1
    if write and changed:
        replace_atomically(site.bib, text)
    lines.append(f"{changed} entr{'y' if changed == 1 else 'ies'} {'updated' if write else 'to update'}"
                 + ("" if write or not changed else "; run with --write to apply"))  # fmt: skip
    return "\n".join(lines), failed


def run(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("feedparser") is None:
        sys.stderr.write(
            f"error: portfolio {args.command} needs the engine's import extra; "
            "install it with pip install 'portfolio[import]' (feedparser, urllib3)\n"
        )
        return 2
    site = read_site(args.conf.resolve(), (args.conf / args.source).resolve())
    client = Client(contact=args.contact or site.contact)
    try:
        if args.command == "add":
            sys.stdout.write(add(site, args.identifier, client, dry_run=args.dry_run, news=args.news) + "\n")
            return 0
        report, status = refresh(site, client, write=args.write)
        sys.stdout.write(report + "\n")
        return status
    except SourceError as err:
        sys.stderr.write(f"error: {err}\n")
        return 1
