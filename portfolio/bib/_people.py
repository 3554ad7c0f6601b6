"""The co-authors a site links to (``portfolio_people`` in conf.py): each person's name, the
other spellings of it that BibTeX entries use, and a homepage.  Read without Sphinx, so the
build and ``portfolio check`` say the same thing about a bad address.

    portfolio_people = {
        "Jason K. Eshraghian": {"url": "https://...", "spellings": ["Jason Eshraghian"]},
        "Ada Lovelace": "https://...",          # the name as entries spell it, and a homepage
    }
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._entry import HTTP_URL, owner_spellings
from ._model import Author


@dataclass(frozen=True)
class People:
    #: (given, family) as an author's key compares them -> homepage
    links: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def homepage(self, author: Author) -> str:
        """The author's homepage, or "" for a name the table does not list."""
        return self.links.get(author.key, "") if self.links and not author.is_owner else ""


def read_people(value: Any) -> People:
    """The table; each entry it cannot use is a problem (one line, saying the fix) and is
    left out, so that person's name stays text."""
    if not isinstance(value, dict):
        return People(problems=(f"portfolio_people must be a dict of names, not {type(value).__name__}; "
                                "write {'Name': 'https://...'}",))  # fmt: skip
    links: dict[tuple[str, str], str] = {}
    problems = []
    for name, entry in value.items():
        url: Any = entry if isinstance(entry, str) else None
        spellings: Any = []
        if isinstance(entry, dict):
            url, spellings = entry.get("url"), entry.get("spellings", [])
        if not isinstance(name, str) or not name.strip():
            problems.append(f"portfolio_people: {name!r} is not a name; write it as the entries spell it")
            continue
        if not isinstance(url, str) or not HTTP_URL.match(url):
            problems.append(
                f"portfolio_people: the address of {name!r} is {url!r}, not an http(s) address; write it "
                "as https://... (the name is shown as text)"
            )
            continue
        if not isinstance(spellings, list) or not all(isinstance(s, str) and s.strip() for s in spellings):
            problems.append(
                f"portfolio_people: the spellings of {name!r} must be a list of names, such as "
                "['A. Lovelace']; using the name alone"
            )
            spellings = []
        for key in owner_spellings([name, *spellings]):
            links[key] = url
    return People(links, tuple(problems))
