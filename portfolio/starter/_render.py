"""What ``portfolio new`` writes, as text: the answers to its questions, and the site's files
rendered from ``templates/new`` with them.

:func:`render` is the one entry point an *older* engine is asked through, by ``portfolio
upgrade``, for what it wrote (``_upgrade.py`` runs it from the site's old wheel): it takes
the answers as JSON-ready data and returns ``{path: text}``, and reads its templates through
:mod:`importlib.resources`, which works from a wheel on ``sys.path`` as from a folder.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from string import Template
from typing import Any

#: template -> file in the new site (the others keep their path without ``.tmpl``)
RENAMES = {
    "gitignore.tmpl": ".gitignore",
    "readthedocs.yaml.tmpl": ".readthedocs.yaml",
    "github/workflows/upkeep.yml.tmpl": ".github/workflows/upkeep.yml",
    "github/workflows/pages.yml.tmpl": ".github/workflows/pages.yml",
}


class RefusedError(Exception):
    """What cannot be done, said in one line."""


@dataclass(frozen=True)
class Answers:
    """The answers to ``portfolio new``'s questions, kept in the site's record so that an
    upgrade renders the engine's new templates with them."""

    name: str
    spellings: list[str] = field(default_factory=list)
    affiliation: str | None = None
    profiles: list[dict[str, str]] = field(default_factory=list)
    base_url: str = "http://127.0.0.1:8000/"
    project: str = "My first project"
    made: str = ""  # the day the site was made (ISO), which dates its starter entry and news

    def data(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Answers:
        """The answers in ``data`` (a site's record), checked: :class:`ValueError` (or
        :class:`TypeError`) when one is not what ``portfolio new`` writes."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        answers = cls(**known)
        lists = [answers.spellings, answers.profiles]
        if not all(isinstance(x, list) for x in lists) or not all(
            isinstance(p, dict) for p in answers.profiles
        ):
            raise ValueError("the spellings or the profiles are not what portfolio new writes")
        texts: list[object] = [
            answers.name,
            answers.base_url,
            answers.project,
            answers.made,
            *answers.spellings,
        ]
        texts += [v for p in answers.profiles for v in (p.get("name"), p.get("url"))]
        if not all(isinstance(t, str) for t in texts) or not isinstance(answers.affiliation, str | None):
            raise ValueError("an answer is not text")
        datetime.date.fromisoformat(answers.made)  # ValueError names it
        return answers


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def split_name(name: str) -> tuple[str, str]:
    """("Ada", "Lovelace") from "Ada Lovelace"; a "Family, Given" form is read as such."""
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
        return given, family
    words = name.split()
    return " ".join(words[:-1]), (words[-1] if words else "")


def profile(text: str) -> dict[str, str]:
    """``{"name", "url"}`` from a profile's URL or ``Name=URL``."""
    name, sep, url = text.partition("=")
    if not sep:
        url = text
        host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
        name = {"github.com": "GitHub", "scholar.google.com": "Google Scholar", "orcid.org": "ORCID"}.get(
            host, host
        )
    if not re.match(r"https://\S+$", url.strip()):
        raise RefusedError(f"--profile {text!r}: give an https:// address, optionally as Name=https://...")
    return {"name": name.strip(), "url": url.strip()}


def answers(
    name: str,
    spellings: list[str],
    affiliation: str | None,
    profiles: list[str],
    base_url: str,
    project: str | None,
    today: datetime.date,
) -> Answers:
    """The checked answers; :class:`RefusedError` names the one that cannot be used."""
    given, family = split_name(name)
    if not given or not family:
        raise RefusedError(f"--name {name!r}: give a given and a family name, such as 'Ada Lovelace'")
    base = base_url if base_url.endswith("/") else base_url + "/"
    if not re.match(r"https?://\S+/$", base):
        raise RefusedError(
            f"--base-url {base_url!r}: give the site's address, such as https://me.example.org/"
        )
    return Answers(
        name=name,
        spellings=list(dict.fromkeys([name, *spellings])),
        affiliation=affiliation or None,
        profiles=[profile(p) for p in profiles],
        base_url=base,
        project=project or "My first project",
        made=today.isoformat(),
    )


def _py(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def fill(a: Answers) -> dict[str, str]:
    """The templates' placeholders."""
    from .. import __version__

    given, family = split_name(a.name)
    made = datetime.date.fromisoformat(a.made)
    person: dict[str, object] = {"name": a.name}
    if a.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": a.affiliation}
    return {
        "name": a.name,
        "name_py": _py(a.name),
        "name_toml": json.dumps(a.name, ensure_ascii=False),
        "affiliation_toml": json.dumps(a.affiliation or "", ensure_ascii=False),
        "copyright_py": _py(f"{made.year}, {a.name}"),
        "spellings_py": _py(a.spellings),
        "person_py": _py(person),
        "profiles_py": _py(a.profiles),
        "base_url_py": _py(a.base_url),
        "at_affiliation": f" at {a.affiliation}" if a.affiliation else "",
        "given": given,
        "family": family,
        "initials": (given[:1] + family[:1]).upper(),
        "key": f"{slug(family).replace('-', '')}{made.year}example",
        "year": str(made.year),
        "today": a.made,
        "project": a.project,
        "project_yaml": json.dumps(a.project, ensure_ascii=False),
        "project_id": slug(a.project) or "project",
        "version": __version__,
    }


def _templates(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for item in folder.iterdir():
        rel = f"{prefix}{item.name}"
        if item.is_dir():
            found += _templates(item, rel + "/")
        elif item.name.endswith(".tmpl"):
            found.append((rel, item))
    return sorted(found)


def render(data: dict[str, Any]) -> dict[str, str]:
    """Every file ``portfolio new`` writes from its templates, ``{path: text}``, for the
    answers ``data`` (:meth:`Answers.data`)."""
    values = fill(Answers.from_data(data))
    out = {}
    for rel, template in _templates(resources.files("portfolio") / "templates" / "new"):
        name = RENAMES.get(rel, rel.removesuffix(".tmpl"))
        if name == "docs/projects/project.md":
            name = f"docs/projects/{values['project_id']}.md"
        out[name] = Template(template.read_text(encoding="utf-8")).substitute(values)
    return out
