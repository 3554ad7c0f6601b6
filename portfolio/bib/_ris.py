"""RIS, the tagged format EndNote, Mendeley, Zotero and most library catalogues import:
``papers/<slug>.ris`` for each paper page and ``publications.ris`` beside the other exports.

Tags and types follow the RIS specification as Zotero's RIS translator writes and reads them
(``T2`` the journal or proceedings, ``DA`` the date as ``YYYY/MM/DD/``); lines end in CR LF.
An arXiv preprint is a ``JOUR`` published in "arXiv", as Google Scholar's RIS has it, since
RIS has no preprint type."""

from __future__ import annotations

import re

from ._model import Author, Paper

#: RIS reference types by the kind of the paper.
TYPES = {
    "journal": "JOUR",
    "conference": "CPAPER",
    "chapter": "CHAP",
    "book": "BOOK",
    "thesis": "THES",
    "report": "RPRT",
    "patent": "PAT",
    "web": "ELEC",
    "preprint": "JOUR",
    "other": "GEN",
}


def _name(author: Author) -> str:
    """``Family, Given[, Suffix]`` (the particle kept with the family name)."""
    if author.literal:
        return author.family
    family = f"{author.particle} {author.family}".strip()
    parts = [family, author.given] + ([author.suffix] if author.suffix else [])
    return ", ".join(p for p in parts if p)


_PAGE_RANGE = re.compile(r"\s*[-\u2013\u2014]+\s*")


def _clean(value: str) -> str:
    """One line: a value's newlines and runs of spaces as one space."""
    return " ".join(value.split())


def ris_record(paper: Paper) -> str:
    """One paper as a RIS record, ending with its ``ER`` line."""
    kind = "UNPB" if paper.csl_type == "manuscript" else TYPES.get(paper.kind, "GEN")  # not yet published
    lines: list[tuple[str, str]] = [("TY", kind), ("TI", paper.title)]
    role = "A2" if paper.names_role == "editor" else "AU"
    lines += [(role, _name(a)) for a in paper.authors if not a.is_others]
    lines += [("A4", _name(a)) for a in paper.translators if not a.is_others]  # Zotero's translator tag
    lines.append(("PY", str(paper.year)))
    if paper.month:
        day = f"{paper.day:02d}" if paper.day else ""
        lines.append(("DA", f"{paper.year}/{paper.month:02d}/{day}/"))
    venue = "arXiv" if paper.is_preprint else paper.container
    if venue:
        lines.append(("T2", venue))
    if paper.event and paper.event != paper.container:
        lines.append(("C3", paper.event))
    first, _, last = _PAGE_RANGE.sub("-", paper.pages).partition("-")
    fields = [
        ("VL", paper.volume),
        ("IS", paper.number if paper.kind not in {"report", "patent"} else ""),
        ("M1", paper.number if paper.kind in {"report", "patent"} else ""),
        ("SP", first),
        ("EP", last),
        ("PB", "arXiv" if paper.is_preprint else paper.publisher),
        ("CY", paper.place),
        ("ET", paper.edition),
        ("T3", paper.series),
        ("M3", paper.genre),
        ("DO", paper.doi),
        ("UR", paper.url or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else "")),
        ("AN", f"arXiv:{paper.arxiv}" if paper.arxiv else ""),
    ]
    lines += [(tag, value) for tag, value in fields if value]
    lines += [("KW", k) for k in paper.keywords if k != "selected"]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_clean(value)}\r\n" for tag, value in lines)


def ris_file(papers: list[Paper]) -> str:
    """Records one after another, a blank line between them."""
    return "\r\n".join(ris_record(p) for p in papers)
