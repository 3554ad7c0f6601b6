"""A site made by ``portfolio new``: its files, its pin on the engine, and its record.

The record, ``portfolio-site.json``, holds the engine version the site is on, the answers it
was made with, and the SHA-256 of every file the engine wrote as it wrote it: a file whose
hash still matches is the engine's to rewrite; any other is the owner's.

The pin is the engine's wheel in ``vendor/`` and two requirement files with hashes, from the
hashed locks the engine ships (``portfolio/locks``, its ``requirements/``):
``requirements.txt`` (the build, what Read the Docs and ``make html`` install) and
``requirements-test.txt`` (adds what the site's tests and upkeep run).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..output import replace_atomically
from ._render import Answers, RefusedError, render
from ._wheel import engine_wheel, sha256

RECORD = "portfolio-site.json"
ABOUT = (
    "What portfolio new wrote into this site, read by portfolio upgrade: the engine version, the "
    "answers it was made with, and the SHA-256 of each file as the engine wrote it (a file that "
    "differs is yours, and an upgrade leaves it alone). Written by the engine; not to be edited."
)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Record:
    engine: str
    answers: Answers
    files: dict[str, str]  # path -> sha256 of the text the engine wrote

    @classmethod
    def read(cls, site: Path) -> Record:
        path = site / RECORD
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return cls(str(data["engine"]), Answers.from_data(data["answers"]), dict(data["files"]))
        except FileNotFoundError:
            raise RefusedError(
                f"{path} is missing: {site} was not made by portfolio new 0.2.0 or later; make a new "
                "site with portfolio new and copy your conf.py, refs.bib and docs/ into it"
            ) from None
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise RefusedError(f"{path}: not a site record ({err}); restore it from your history") from None

    def text(self) -> str:
        data = {"about": ABOUT, "engine": self.engine, "answers": self.answers.data(), "files": self.files}
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def lock(name: str) -> str:
    """One of the engine's hashed locks, without its first (comment) line."""
    path = resources.files("portfolio") / "locks" / name
    try:
        return path.read_text(encoding="utf-8").split("\n", 1)[1]
    except FileNotFoundError:
        raise RefusedError(f"the engine's lock {name} is missing: reinstall the engine") from None


def pin_texts(wheel: Path) -> dict[str, str]:
    """The requirement files that pin the site to ``wheel`` (in ``vendor/``)."""
    return {
        "requirements.txt": (
            "# The engine's hashed lock of the build (portfolio/locks/docs.txt) and the engine's wheel,\n"
            "# written by portfolio new and portfolio upgrade. make html and Read the Docs install it.\n"
            f"{lock('docs.txt')}./vendor/{wheel.name} \\\n    --hash=sha256:{sha256(wheel)}\n"
        ),
        "requirements-test.txt": (
            "# The engine's hashed lock of the build, tests and upkeep (portfolio/locks/site-test.txt).\n"
            "# make test installs it after requirements.txt. portfolio new and upgrade write it.\n"
            f"{lock('site-test.txt')}"
        ),
    }


def create(directory: Path, answers: Answers) -> list[Path]:
    """Write a new site into ``directory`` (absent or empty); the files written."""
    from .. import __version__

    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise RefusedError(f"{directory} is not an empty folder: choose a new one")
    files = render(answers.data())
    wheel = engine_wheel(directory / "vendor")  # made whole before anything is written
    written = [wheel]
    for name, text in {**files, **pin_texts(wheel)}.items():
        write_file(directory / name, text)
        written.append(directory / name)
    record = Record(__version__, answers, {name: digest(text) for name, text in files.items()})
    write_file(directory / RECORD, record.text())
    return [*written, directory / RECORD]


def write_file(path: Path, text: str) -> None:
    """``text`` into ``path``, its folder made, the file replaced whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(path, text)
