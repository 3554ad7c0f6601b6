"""Shared fixtures: the real site, built once per session; small test roots for the rest."""

from __future__ import annotations

import functools
import os
import re
import runpy
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

pytest_plugins = ("sphinx.testing.fixtures",)

# property tests: a quick profile for `make test`; HYPOTHESIS_PROFILE=thorough for a long hunt
settings.register_profile("default", max_examples=12, deadline=None)
settings.register_profile("thorough", max_examples=150, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: "3.11", "3.12", ... from pyproject.toml's classifiers: the one list of supported Pythons
SUPPORTED = [
    c.rsplit(" :: ", 1)[1]
    for c in PYPROJECT["project"]["classifiers"]
    if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOT / "tests" / "roots"


def sphinx_command(srcdir: Path, outdir: Path, doctreedir: Path, confdir: Path = ROOT) -> list[str]:
    """The Sphinx command line of `make html` (the Makefile's SPHINXBUILD)."""
    return [
        sys.executable, "-m", "sphinx", "-b", "html", "-c", str(confdir), "-d", str(doctreedir),
        "-W", "--keep-going", "-n", str(srcdir), str(outdir),
    ]  # fmt: skip


def find_python(version: str) -> str | None:
    """A Python of ``version`` ("3.13") that runs: on PATH, or one that pyenv installed."""
    candidates = [shutil.which(f"python{version}")]
    pyenv = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(str(p) for p in Path(pyenv).glob(f"versions/{version}.*/bin/python{version}"))
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", ""], capture_output=True, check=False).returncode == 0:
            return candidate
    return None


@dataclass
class Site:
    out: Path
    doctrees: Path
    returncode: int
    stdout: str
    stderr: str

    def html(self, page: str) -> str:
        return (self.out / page).read_text(encoding="utf-8")

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(page), "html5lib")

    @functools.cached_property
    def paper_pages(self) -> dict[str, str]:
        """Each BibTeX key's page, as the site's inventory (Sphinx's reader) gives it: a key
        such as DBLP:conf/x/Y is not a file name."""
        from sphinx.util.inventory import InventoryFile

        with (self.out / "objects.inv").open("rb") as f:
            inv = InventoryFile.load(f, "", lambda base, uri: uri)
        return {k: item.uri.split("#")[0] for k, item in inv["portfolio:paper"].items()}

    def paper_page(self, key: str) -> str:
        return self.paper_pages[key]

    def main(self, page: str) -> BeautifulSoup:
        """The page's content area, without furo's navigation."""
        article = self.soup(page).find("article", attrs={"role": "main"})
        assert article is not None, page
        return article


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The real portfolio, built once with the same command as `make html`, with the modules
    that Python 3.13 and setuptools removed out of reach (tests/strictpython.py) and
    deprecation warnings shown (tests/test_python.py reads them)."""
    base = tmp_path_factory.mktemp("site")
    env = {k: v for k, v in os.environ.items() if not k.startswith("READTHEDOCS")}
    env["PYTHONWARNINGS"] = "default::DeprecationWarning,default::PendingDeprecationWarning"
    python, *args = sphinx_command(ROOT / "docs", base / "html", base / "doctrees")
    proc = subprocess.run(
        [python, str(ROOT / "tests" / "strictpython.py"), *args],
        cwd=ROOT, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    return Site(base / "html", base / "doctrees", proc.returncode, proc.stdout, proc.stderr)


#: Facts the tests check, kept in the project (tests/test_facts.py holds them to ../shared).
#: A fork replaces this file with its owner's facts; what it leaves out is not checked.
FACTS = tomllib.loads((ROOT / "tests" / "facts.toml").read_text(encoding="utf-8"))
#: The site's conf.py as Sphinx reads it: the owner, the owner field, the base URL...
CONF: dict[str, Any] = runpy.run_path(str(ROOT / "conf.py"), run_name="conf")
OWNER_FIELD: str = CONF.get("portfolio_owner_field", "x-owner")


def named_people(text: str) -> Any:
    """BibTeX read by bibtexparser with LaTeX decoded and each name split into its parts
    ("First Last" and "Last, First" alike): the library, for its entries."""
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

    return bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()]
    )


def full_name(name: Any) -> str:
    """A split name as it is read: given names, then von and family parts."""
    return " ".join([*name.first, *name.von, *name.last])


def owner_keys(text: str | None = None) -> list[str]:
    """Keys of the BibTeX entries with the owner as an author, as bibtexparser reads them:
    the owner field (portfolio_owner_field) says yes or no; without it, one of the
    portfolio_owner_names spellings is among the authors."""
    if text is None:
        text = (ROOT / CONF.get("portfolio_bibfile", "refs.bib")).read_text(encoding="utf-8")
    names = {" ".join(n.split()).casefold() for n in CONF["portfolio_owner_names"]}
    keys = []
    for entry in named_people(text).entries:
        says = entry.fields_dict.get(OWNER_FIELD)
        people = entry.fields_dict.get("author")
        authors = {full_name(n).casefold() for n in (people.value if people else [])}
        if (str(says.value).strip().lower() == "yes") if says else bool(authors & names):
            keys.append(entry.key)
    return keys


OWNER_KEYS = owner_keys()


def seed(prefix: str) -> str:
    """A seed file by its numeric prefix (000 homepage, 002 paper list, 004 lab news).
    Only tests/test_facts.py reads the seeds, and it skips when ../shared is absent."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def normalise(text: str) -> str:
    # the seeds' encoding damage: U+2010 read as Mac Roman shows up as "\u201a\u00c4\u00ea"
    text = text.replace("\u2010", "-").replace("\u201a\u00c4\u00ea", "-")
    return re.sub(r"\s+", " ", text).strip().casefold()


@pytest.fixture(scope="session")
def base_url(site: Site) -> Iterator[str]:
    """The built site served on 127.0.0.1 for the session (tests/webchecks.serve)."""
    from webchecks import serve

    assert site.returncode == 0, site.stderr
    with serve(site.out) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One Chromium for the whole session (Playwright allows one sync session per thread)."""
    from playwright.sync_api import sync_playwright
    from webchecks import launch_browser

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright, tmp_path_factory.mktemp("chromium"))
        yield chromium
        chromium.close()
