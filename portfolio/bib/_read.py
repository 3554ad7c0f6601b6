"""Read ``refs.bib`` into :class:`~portfolio.bib._model.Paper` objects, with every problem
located.

Pure Python (pybtex, no Sphinx): the build and ``python -m portfolio check`` share it,
so both give the same messages.  Nothing here writes to the BibTeX file.

A parse can start from the previous one (:class:`~portfolio.bib._model.EntryCache`): then
only the entries whose text changed are read again, each on its own, and the others are
taken as they were (moved to their new lines).  A file whose entries depend on each other
(``crossref``, ``xdata``, ``@string``, ``@set``, ``@preamble``) or that repeats a key is
read whole, every time.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData, BibliographyDataError, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from ..warnings_ import Subtype
from . import _datamodel as biblatex
from ._entry import make_paper, owner_spellings
from ._latex import without_controls
from ._locate import ENTRY_START, entry_lines, field_line
from ._model import Bibliography, Cached, EntryCache, Paper, Problem

__all__ = ["parse_bibliography"]

#: What makes one entry depend on another, or on text outside it: such a file is read whole.
_LINKED = re.compile(r"@\s*(string|preamble|xdata|set)\s*[{(]|\b(crossref|xdata)\s*=", re.IGNORECASE)


class _ReadWholeError(Exception):
    """An entry that does not parse on its own: the whole file is read, and reported, as one."""


def parse_bibliography(
    path: Path, owner_names: list[str], owner_field: str, cache: EntryCache | None = None
) -> Bibliography:
    """Parse ``path``; never raises for bad content: problems are returned, located.
    With ``cache`` (the previous parse's), entries whose text is unchanged are not read again."""
    spath = str(path)
    problems: list[Problem] = []
    if not path.is_file():
        problems.append(
            Problem(
                Subtype.bib_missing,
                f"BibTeX file {spath} not found; create it or set portfolio_bibfile to its path",
                spath,
                0,
            )
        )
        return Bibliography(spath, {}, problems)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                Subtype.bib_encoding,
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); re-save the file as UTF-8",
                spath,
                line,
            )
        )
        return Bibliography(spath, {}, problems)
    text, controls = without_controls(text)
    bib = _parse_decoded(text, spath, owner_names, owner_field, cache, problems)
    bib.problems[:0] = [
        Problem(
            Subtype.control_char,
            f"a control character (U+{ord(char):04X}), as text pasted from a PDF carries, is left out; "
            "delete it from the line named",
            spath,
            line,
        )
        for line, char in controls
    ]
    return bib


def _parse_decoded(
    text: str,
    spath: str,
    owner_names: list[str],
    owner_field: str,
    cache: EntryCache | None,
    problems: list[Problem],
) -> Bibliography:
    lines = entry_lines(text)
    options = (spath, repr(owner_names), owner_field)
    if not any(len(v) > 1 for v in lines.values()) and not _LINKED.search(text):
        try:
            return _parse_by_entry(text, spath, owner_names, owner_field, options, cache)
        except _ReadWholeError:
            pass  # read whole below, which locates the problem
    for key, found in lines.items():
        if len(found) > 1:
            where = ", ".join(f"line {n}" for n in found)
            problems.append(
                Problem(
                    Subtype.bib_duplicate,
                    f"duplicate key {key!r} at {where}; rename one of them (no entry was dropped)",
                    spath,
                    found[1],
                )
            )
    # pybtex refuses the whole file on a repeated key; parse each duplicate separately so
    # that no entry is dropped, and report the clash above.
    data = _parse_text(text, spath, problems, lines)
    if data is None:
        return Bibliography(spath, {}, problems)
    owners = owner_spellings(owner_names)
    records, inherit_problems = biblatex.resolve(dict(data.entries))
    for key, fieldname, message in inherit_problems:
        line = lines.get(key.lower(), [0])[0]
        problems.append(
            Problem(
                Subtype.bib_crossref,
                f"entry {key!r}: {message}; fix the key or remove the field",
                spath,
                field_line(text, line, fieldname),
            )
        )
    papers: dict[str, Paper] = {}
    slugs: dict[str, str] = {}  # casefolded slug -> key (file systems may ignore case)
    for key, record in records.items():
        if record.type in biblatex.CONTAINER_TYPES:
            continue  # @xdata and @set hold data for other entries; they are not works
        line = lines.get(key.lower(), [0])[0]
        paper = make_paper(key, record, text, spath, line, owners, owner_field, problems)
        if paper is not None and key not in papers:
            _add_paper(papers, slugs, paper, problems, spath)
    return _bibliography(text, spath, papers, problems, data, EntryCache(), len(data.entries))


def _bibliography(
    text: str,
    spath: str,
    papers: dict[str, Paper],
    problems: list[Problem],
    data: BibliographyData,
    cache: EntryCache,
    parsed: int,
) -> Bibliography:
    """The parse's result, read whole or entry by entry: a file with no entry says so, and
    pybtex's data is handed on only when it is exactly what any pybtex reader gets."""
    if not data.entries and not problems:
        problems.append(Problem(Subtype.bib_empty, "no BibTeX entries found; add one", spath, 1))
    usable = None if problems or text.startswith("\ufeff") else data
    return Bibliography(spath, papers, problems, usable, cache, parsed)


@contextmanager
def _strict() -> Iterator[None]:
    """pybtex raising on every problem (instead of printing some and going on), for a while."""
    previous = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)
    try:
        yield
    finally:
        pybtex.errors.set_strict_mode(previous)


def _add_paper(
    papers: dict[str, Paper], slugs: dict[str, str], paper: Paper, problems: list[Problem], spath: str
) -> None:
    """Add ``paper`` unless its page name is taken (file systems may ignore case)."""
    other = slugs.get(paper.slug.casefold())
    if other is not None:
        problems.append(
            Problem(
                Subtype.bib_key,
                f"entry {paper.key!r} would get the same page, {paper.slug}.html, as entry {other!r} "
                f"(line {papers[other].line}); rename one of the two keys",
                spath,
                paper.line,
            )
        )
        return
    slugs[paper.slug.casefold()] = paper.key
    papers[paper.key] = paper


def _parse_by_entry(
    text: str,
    spath: str,
    owner_names: list[str],
    owner_field: str,
    options: tuple[str, ...],
    cache: EntryCache | None,
) -> Bibliography:
    """Each entry read on its own, or taken from ``cache`` when its text is unchanged."""
    old = cache.entries if cache is not None and cache.options == options else {}
    owners = owner_spellings(owner_names)
    matches = list(ENTRY_START.finditer(text))
    starts = [m.start() for m in matches]
    keys: list[str | None] = [m.group(2) for m in matches]  # the key each entry's text starts with
    if not starts or "@" in text[: starts[0]]:
        starts.insert(0, 0)  # text before the first entry that pybtex reads as more than a comment
        keys.insert(0, None)
    new: dict[str, tuple[Cached, ...]] = {}
    data = BibliographyData()
    papers: dict[str, Paper] = {}
    slugs: dict[str, str] = {}
    problems: list[Problem] = []
    parsed, line, counted = 0, 1, 0
    with _strict():
        # nothing to start from: one pass of pybtex over the file, as fast as a whole read
        first = None if old else _parsed_whole(text, keys)
        for i, (begin, end) in enumerate(itertools.pairwise([*starts, len(text)])):
            line += text.count("\n", counted, begin)
            counted = begin
            chunk = text[begin:end]
            digest = hashlib.blake2b(chunk.encode(), digest_size=16).hexdigest()
            found = old.get(digest)
            if found is None:
                entries = first[i] if first is not None else _parse_chunk(chunk)
                found = _read_entries(entries, chunk, spath, owners, owner_field, line)
                parsed += 1
            new[digest] = found = tuple(_moved(item, line) for item in found)
            for item in found:
                data.entries[item.key] = item.entry
                problems.extend(item.problems)
                if item.paper is not None:
                    _add_paper(papers, slugs, item.paper, problems, spath)
    return _bibliography(text, spath, papers, problems, data, EntryCache(options, new), parsed)


def _parse_text(
    text: str, spath: str, problems: list[Problem], entry_lines: dict[str, list[int]]
) -> BibliographyData | None:
    try:
        with _strict():
            if any(len(v) > 1 for v in entry_lines.values()):
                return _parse_with_duplicates(text, spath, problems)
            return Parser().parse_string(text)
    except PybtexSyntaxError as exc:
        lineno = int(getattr(exc, "lineno", 0) or 0)
        reason = re.sub(r"^syntax error in line [0-9]+: ", "", str(exc))
        starts = sorted((n, key) for key, found in entry_lines.items() for n in found if n <= lineno)
        if starts:  # point at the entry that is broken, not where pybtex gave up
            line, key = starts[-1]
            message = (
                f"BibTeX syntax error in entry {key!r}: {reason} (detected at line {lineno}); "
                "check that entry's braces, quotes and commas"
            )
        else:
            line, message = (
                lineno,
                f"BibTeX syntax error: {reason}; check the braces, quotes and commas",
            )
        problems.append(Problem(Subtype.bib_syntax, message, spath, line))
        return None
    except BibliographyDataError as exc:
        problems.append(Problem(Subtype.bib_syntax, f"BibTeX error: {exc}", spath, 0))
        return None


def _parse_with_duplicates(text: str, spath: str, problems: list[Problem]) -> BibliographyData:
    """Parse entry by entry so that every copy of a repeated key is kept (suffixed)."""
    data = BibliographyData()
    starts = [m.start() for m in ENTRY_START.finditer(text)] + [len(text)]
    seen: dict[str, int] = {}
    for begin, end in itertools.pairwise(starts):
        chunk = Parser().parse_string(text[begin:end])
        for key, entry in chunk.entries.items():
            n = seen.get(key.lower(), 0)
            seen[key.lower()] = n + 1
            data.entries[key if n == 0 else f"{key}~{n + 1}"] = entry
    return data


def _parse_chunk(chunk: str) -> list[tuple[str, Entry]]:
    """pybtex's entries of one entry's text (one, or none for a comment)."""
    try:
        return list(Parser().parse_string(chunk).entries.items())
    except (PybtexSyntaxError, BibliographyDataError) as exc:
        raise _ReadWholeError from exc


def _parsed_whole(text: str, keys: list[str | None]) -> list[list[tuple[str, Entry]]] | None:
    """pybtex's entries of the whole file, shared out to the entries' texts (``keys``: the
    key each text starts with, None for text before the first entry); None when they do not
    line up one to one, and each text is then parsed on its own."""
    try:
        entries = list(Parser().parse_string(text).entries.items())
    except (PybtexSyntaxError, BibliographyDataError) as exc:
        raise _ReadWholeError from exc
    found = [k for k in keys if k is not None]
    if [k.lower() for k, _ in entries] != [k.lower() for k in found]:
        return None
    shared = iter(entries)
    return [[] if key is None else [next(shared)] for key in keys]


def _read_entries(
    entries: list[tuple[str, Entry]],
    chunk: str,
    spath: str,
    owners: set[tuple[str, str]],
    owner_field: str,
    line: int,
) -> tuple[Cached, ...]:
    """The papers of one entry's text (``chunk``, which starts at ``line``)."""
    out = []
    for key, entry in entries:
        records, _ = biblatex.resolve({key: entry})
        record = records[key]
        problems: list[Problem] = []
        paper = None
        if record.type not in biblatex.CONTAINER_TYPES:
            paper = make_paper(key, record, chunk, spath, 1, owners, owner_field, problems, line - 1)
        out.append(Cached(key, entry, paper, tuple(problems), line))
    return tuple(out)


def _moved(item: Cached, line: int) -> Cached:
    """``item`` as found at ``line`` (its paper and problems moved with it)."""
    shift = line - item.line
    if not shift:
        return item
    paper = replace(item.paper, line=item.paper.line + shift) if item.paper is not None else None
    problems = tuple(replace(p, line=p.line + shift) for p in item.problems)
    return Cached(item.key, item.entry, paper, problems, line)
