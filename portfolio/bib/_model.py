"""The entries of ``refs.bib`` as the site presents them: :class:`Paper`, its
:class:`Author` s, and the located :class:`Problem` s of reading them (no parsing here:
:mod:`portfolio.bib._read` reads the file, :mod:`portfolio.bib._entry` makes each paper)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pybtex.database import BibliographyData, Entry

from ..warnings_ import Subtype
from ._metrics import Cited

#: Problems after which the file cannot be used at all.
UNREADABLE = {Subtype.bib_missing, Subtype.bib_encoding, Subtype.bib_syntax}
#: Characters of a key kept in its page's file name and URL; any other run becomes "-".
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Problem:
    """One located problem in the BibTeX file."""

    subtype: Subtype
    message: str
    path: str
    line: int

    @property
    def location(self) -> str:
        return f"{self.path}:{max(self.line, 1)}"

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [portfolio.{self.subtype.value}]"


@dataclass(frozen=True)
class Author:
    given: str
    family: str
    is_owner: bool = False
    is_others: bool = False
    suffix: str = ""  # "Jr.", "III"
    particle: str = ""  # "van", "de la"
    literal: bool = False  # an organisation, {American Psychological Association}

    def fields(self, names: dict[str, str]) -> dict[str, str]:
        """The name's parts under a format's own field names (CSL-JSON, Citation File Format):
        ``names`` maps literal, family, given, particle and suffix to them; empty parts left out."""
        if self.literal:
            return {names["literal"]: self.family}
        parts = {"family": self.family, "given": self.given, "particle": self.particle, "suffix": self.suffix}
        return {names[part]: value for part, value in parts.items() if value}

    @property
    def key(self) -> tuple[str, str]:
        """What compares two spellings of a name: given names and family name, case folded."""
        return (self.given.casefold(), f"{self.particle} {self.family}".strip().casefold())

    @property
    def display(self) -> str:
        if self.is_others:
            return "others"
        family = f"{self.particle} {self.family}".strip()
        name = f"{self.given} {family}".strip()
        return f"{name} {self.suffix}" if self.suffix else name


@dataclass(frozen=True)
class Paper:
    """A paper of ``refs.bib``, ready to present.

    Strings are plain Unicode text (no LaTeX); ``title_markup`` keeps emphasis as the
    markers of :mod:`portfolio.bib._latex` for HTML."""

    key: str
    entry_type: str
    title: str
    authors: tuple[Author, ...]
    year: int
    month: int | None
    venue: str
    kind: str
    csl_type: str
    owner: bool
    line: int
    slug: str = ""
    title_markup: str = ""
    day: int | None = None
    year_end: int | None = None
    names_role: str = "author"  # "editor" when the entry lists editors only
    translators: tuple[Author, ...] = ()
    bookauthors: tuple[Author, ...] = ()  # biblatex's bookauthor: the author of the book it is in
    container: str = ""  # journal or book the work appears in (CSL container-title)
    event: str = ""
    genre: str = ""  # "PhD thesis", "Technical report", "U.S. patent"
    doi: str = ""
    arxiv: str = ""
    url: str = ""
    code: str = ""
    models: str = ""
    pdf: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    publisher: str = ""
    place: str = ""
    edition: str = ""
    series: str = ""
    keywords: tuple[str, ...] = ()
    summary: str = ""
    bibtex: str = ""
    digest: str = ""
    links: tuple[tuple[str, str], ...] = field(default=())
    #: how often it is cited, from the citation counts file (portfolio_metrics); None when
    #: no service knows the paper or the site keeps no counts
    cited: Cited | None = None

    @property
    def authors_text(self) -> str:
        names = [a.display for a in self.authors]
        if len(names) > 1 and self.authors[-1].is_others:
            return ", ".join(names[:-1]) + " and others"
        return ", ".join(names)

    @property
    def is_preprint(self) -> bool:
        """An arXiv listing with no other venue."""
        return bool(self.arxiv) and self.kind == "preprint"


@dataclass(frozen=True)
class Cached:
    """What one parse made of one entry's text: pybtex's entry, the paper (None when the
    entry is not shown) and its problems, located from the entry's line ``line``."""

    key: str
    entry: Entry
    paper: Paper | None
    problems: tuple[Problem, ...]
    line: int


@dataclass
class EntryCache:
    """The last parse of the file, entry by entry, by a digest of each entry's text; valid
    for one path and one set of owner options (``options``)."""

    options: tuple[str, ...] = ()
    entries: dict[str, tuple[Cached, ...]] = field(default_factory=dict)


@dataclass
class Bibliography:
    path: str
    papers: dict[str, Paper]
    problems: list[Problem]
    #: pybtex's data, when the file parsed in one piece with no problem at all: what any
    #: pybtex reader of the same file gets (papers.share_parse hands it on)
    data: BibliographyData | None = None
    #: for the next parse of the file: only the entries whose text changed are read again
    cache: EntryCache = field(default_factory=EntryCache)
    #: how many entries this parse read (the others came from the cache)
    parsed: int = 0


def page_slug(key: str) -> str:
    """The file name (and URL) of a key's page: the key itself when it is safe, otherwise
    every run of other characters as "-" (``DBLP:journals/corr/abs-2302-13939`` becomes
    ``DBLP-journals-corr-abs-2302-13939``).  It depends on the key alone, so it is stable."""
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("-", ascii_key).strip("-") or "paper"
