"""A paper as CSL-JSON, the item that citation engines (citeproc-js in Zotero and
Citation.js, citeproc-py) format: the exports' ``publications.json`` and "Cite this paper"
read the same item."""

from __future__ import annotations

from typing import Any

from ._model import Paper

#: CSL-JSON's name fields (Author.fields).
CSL_NAME = {
    "literal": "literal",
    "family": "family",
    "given": "given",
    "particle": "non-dropping-particle",
    "suffix": "suffix",
}


def csl_item(paper: Paper) -> dict[str, Any]:
    """A CSL-JSON item that citation engines (citeproc-js in Zotero and Citation.js,
    citeproc-py) render as the BibTeX entry says.

    An arXiv preprint is CSL's preprint type (``article``) published by arXiv with its
    identifier as the number, as Zotero writes it.  A published paper's arXiv id has no CSL
    field that styles print in the right place (``number`` reads as an article number), so
    it is left out there; the paper's page and BibTeX carry it.  BibTeX's "and others" has
    no CSL form: the list ends before it."""
    item: dict[str, Any] = {"id": paper.key, "type": paper.csl_type, "title": paper.title}
    names = [a.fields(CSL_NAME) for a in paper.authors if not a.is_others]
    if names:
        item[paper.names_role] = names
    for variable, people in (("translator", paper.translators), ("container-author", paper.bookauthors)):
        if people:
            item[variable] = [a.fields(CSL_NAME) for a in people if not a.is_others]
    parts = [
        paper.year,
        *([paper.month] if paper.month else []),
        *([paper.day] if paper.month and paper.day else []),
    ]
    item["issued"] = {"date-parts": [parts, [paper.year_end]] if paper.year_end else [parts]}
    optional = {
        "container-title": paper.container,
        "event-title": paper.event if paper.event != paper.container else "",
        "collection-title": paper.series,
        "genre": paper.genre,
        "publisher": paper.publisher,
        "publisher-place": paper.place,
        "edition": paper.edition,
        "volume": paper.volume,
        "page": paper.pages,
        "DOI": paper.doi,
        "URL": paper.url,
    }
    item.update({key: value for key, value in optional.items() if value})
    if paper.kind in {"report", "patent"} and paper.number:
        item["number"] = paper.number
    elif paper.number:
        item["issue"] = paper.number
    if paper.is_preprint:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{paper.arxiv}"
        item.setdefault("URL", f"https://arxiv.org/abs/{paper.arxiv}")
    return item
