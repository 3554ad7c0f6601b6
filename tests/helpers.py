"""Everything the tests share but their fixtures (tests/conftest.py): where things are,
the site's facts, building a test root or a copy of the site, reading what a build emits.

An importable module, as sphinx-design's ``testing.py``: test files import from here, not
from conftest.  The site's conf.py and refs.bib are read when a test first asks for
``CONF``, ``OWNER_KEYS`` or ``FACTS``, not when this module is imported."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import runpy
import shutil
import subprocess
import sys
import tomllib
import unicodedata
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

#: the repository (the site's sources and the engine)
ROOT = Path(__file__).resolve().parent.parent
#: the one-root-per-scenario test roots, tests/roots/test-<name>/
ROOTS = ROOT / "tests" / "roots"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: "3.11", "3.12", ... from pyproject.toml's classifiers: the one list of supported Pythons
SUPPORTED = [
    c.rsplit(" :: ", 1)[1]
    for c in PYPROJECT["project"]["classifiers"]
    if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
]
#: The site's own sources beside docs/: configuration, papers, the CV's facts, its URLs.
SITE_FILES = ("conf.py", "refs.bib", "cv.yaml", "urls.txt")


def sphinx_command(
    srcdir: Path,
    outdir: Path,
    doctreedir: Path | None = None,
    confdir: Path | None = ROOT,
    *,
    strict: bool = True,
    quiet: bool = False,
) -> list[str]:
    """A build command line: by default the one of `make html` (the Makefile's SPHINXBUILD:
    ``portfolio build``, Sphinx's build ended early; warnings are errors); ``confdir=None``
    reads conf.py from ``srcdir``."""
    cmd = [sys.executable, "-m", "portfolio", "build", "-b", "html"]
    if confdir is not None:
        cmd += ["-c", str(confdir)]
    if doctreedir is not None:
        cmd += ["-d", str(doctreedir)]
    if strict:
        cmd += ["-W", "--keep-going", "-n"]
    if quiet:
        cmd += ["-q", "--no-color"]
    return [*cmd, str(srcdir), str(outdir)]


def clean_env(*drop: str) -> dict[str, str]:
    """This process's environment without Read the Docs' variables (a build on Read the
    Docs sets them, and the site's conf.py reads them), nor the GitHub Pages workflow's base
    URL, nor those starting with ``drop``."""
    return {
        k: v for k, v in os.environ.items() if not k.startswith(("READTHEDOCS", "PORTFOLIO_BASE_URL", *drop))
    }


def find_python(version: str) -> str | None:
    """A Python of ``version`` ("3.13") that runs: on PATH, or one that pyenv installed."""
    candidates = [shutil.which(f"python{version}")]
    pyenv = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates += sorted(str(p) for p in Path(pyenv).glob(f"versions/{version}.*/bin/python{version}"))
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", ""], capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def pdf_text(pdf: Path | Any) -> str:
    """The text of a PDF (a path or a pypdf reader), its white space folded."""
    from pypdf import PdfReader

    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(pdf)
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


# -- what a build emits ------------------------------------------------------------------------
class Output:
    """The HTML a build wrote into ``outdir``."""

    outdir: Path

    def html(self, page: str) -> str:
        return (self.outdir / page).read_text(encoding="utf-8")

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(page), "html5lib")


@dataclass
class Site(Output):
    """The real site, built by a Sphinx process (the `site` fixture)."""

    out: Path
    doctrees: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def outdir(self) -> Path:  # type: ignore[override]
        return self.out

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


@dataclass
class Built(Output):
    """A test root built in this process (:func:`build`)."""

    srcdir: Path
    outdir: Path
    warnings: list[str]
    app: SphinxTestApp


# -- the site's facts --------------------------------------------------------------------------
#: Facts the tests check, kept in the project (tests/site/test_facts.py holds them to ../shared).
#: A fork replaces this file with its owner's facts; what it leaves out is not checked.
@functools.cache
def _facts() -> dict[str, Any]:
    return tomllib.loads((ROOT / "tests" / "facts.toml").read_text(encoding="utf-8"))


@functools.cache
def _conf() -> dict[str, Any]:
    """The site's conf.py as Sphinx reads it: the owner, the owner field, the base URL..."""
    return runpy.run_path(str(ROOT / "conf.py"), run_name="conf")


def _owner_field() -> str:
    from portfolio.config import default

    return str(_conf().get("portfolio_owner_field", default("portfolio_owner_field")))


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
        from portfolio.config import default

        bibfile = _conf().get("portfolio_bibfile", default("portfolio_bibfile"))
        text = (ROOT / bibfile).read_text(encoding="utf-8")
    names = {" ".join(n.split()).casefold() for n in _conf()["portfolio_owner_names"]}
    keys = []
    for entry in named_people(text).entries:
        says = entry.fields_dict.get(_owner_field())
        people = entry.fields_dict.get("author")
        authors = {full_name(n).casefold() for n in (people.value if people else [])}
        if (str(says.value).strip().lower() == "yes") if says else bool(authors & names):
            keys.append(entry.key)
    return keys


#: the site's facts, read when first asked for (``from helpers import CONF``)
_LAZY = {
    "FACTS": _facts,
    "CONF": _conf,
    "OWNER_FIELD": _owner_field,
    "OWNER_KEYS": functools.cache(lambda: owner_keys()),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return _LAZY[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def seed(prefix: str) -> str:
    """A seed file by its numeric prefix (000 homepage, 002 paper list, 004 lab news).
    Only tests/site/test_facts.py reads the seeds, and it skips when ../shared is absent."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def normalise(text: str) -> str:
    # the seeds' encoding damage: U+2010 read as Mac Roman shows up as "\u201a\u00c4\u00ea"
    text = text.replace("\u2010", "-").replace("\u201a\u00c4\u00ea", "-")
    return re.sub(r"\s+", " ", text).strip().casefold()


# -- building test roots and copies of the site ------------------------------------------------
def project_front_matter(pattern: str = "projects/*.md") -> list[tuple[Path, dict[str, Any]]]:
    """The site's project pages (``docs/<pattern>``) and their ``project:`` front matter, as
    PyYAML reads it, in file order."""
    import yaml

    out = []
    for page in sorted((ROOT / "docs").glob(pattern)):
        text = page.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            meta = (yaml.safe_load(text.split("---\n", 2)[1]) or {}).get("project")
            if meta:
                out.append((page, meta))
    return out


def copy_site(dest: Path, site: Path = ROOT) -> Path:
    """A copy of a site's sources (the real site's, or another copy's), without the
    generated paper pages, to build or edit."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(site / "docs", dest / "docs", ignore=shutil.ignore_patterns("papers"))
    for name in SITE_FILES:
        if (site / name).is_file():  # a site may have no CV
            shutil.copy2(site / name, dest / name)
    return dest


def source_hashes(srcdir: Path) -> dict[str, str]:
    """Every source file's hash, leaving out build output and the generated paper pages."""
    out = {}
    for path in sorted(srcdir.rglob("*")):
        rel = path.relative_to(srcdir)
        if path.is_file() and rel.parts[0] not in {"_build", "papers"}:
            out[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def copy_root(
    tmp_path: Path, name: str = "basic", files: dict[str, str | bytes | None] | None = None
) -> Path:
    srcdir = tmp_path / name
    shutil.copytree(ROOTS / f"test-{name}", srcdir)
    for rel, content in (files or {}).items():
        target = srcdir / rel
        if content is None:
            target.unlink()
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return srcdir


def rebuild(srcdir: Path) -> tuple[set[str], set[str], SphinxTestApp]:
    """One (incremental) HTML build of ``srcdir``: the pages read, the pages written, the app."""
    status = StringIO()
    app = SphinxTestApp("html", srcdir=srcdir, status=status, warning=StringIO())
    try:
        app.build()
    finally:
        app.cleanup()
    text = re.sub(r"\x1b\[[0-9;]*m", "", status.getvalue())
    read = set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", text))
    written = set(re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", text))
    return read, written, app


def build(srcdir: Path, buildername: str = "html", **confoverrides: object) -> Built:
    warning = StringIO()
    app = SphinxTestApp(
        buildername,
        srcdir=srcdir,
        status=StringIO(),
        warning=warning,
        confoverrides=confoverrides or None,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    text = re.sub(r"\x1b\[[0-9;]*m", "", warning.getvalue()).replace(str(srcdir) + "/", "")
    lines = [line for line in text.splitlines() if line.strip()]
    return Built(srcdir, Path(app.outdir), lines, app)


@dataclass
class Ran(Output):
    """A test root built by a Sphinx process of its own (:func:`build_apart`)."""

    srcdir: Path
    outdir: Path
    warnings: list[str]
    returncode: int


def build_apart(srcdir: Path) -> Ran:
    """An HTML build of ``srcdir`` in a Sphinx process of its own, warnings not errors: for
    a root whose extensions start processes of their own (sphinx-sitemap's manager), which
    must not outlive the build inside the test session."""
    out = srcdir / "_build" / "html"
    proc = subprocess.run(
        sphinx_command(srcdir, out, srcdir / "_build" / "doctrees", confdir=None, strict=False, quiet=True),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = [line.replace(str(srcdir) + "/", "") for line in proc.stderr.splitlines() if line.strip()]
    return Ran(srcdir, out, lines, proc.returncode)


def fold(text: str) -> str:
    """Lower case, accents and punctuation away: for comparing words across outputs."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def source_words(value: str) -> list[str]:
    """Words of a raw BibTeX value that a reader must find in any output: plain tokens only
    (a token with a LaTeX command is the converter's business, checked separately)."""
    words = []
    value = re.sub(r"(\\[A-Za-z]+)\s+", r"\1", value)  # LaTeX joins "\TeX book" into "TeXbook"
    for token in value.split():
        if "\\" in token or "$" in token:
            continue
        words.extend(fold(token.replace("{", "").replace("}", "")).split())
    return [w for w in words if w]


# -- a root with a CV ---------------------------------------------------------------------------
#: the CV facts and the CV page of tests/roots/test-cv (test-basic with a CV)
CV_YAML = (ROOTS / "test-cv" / "cv.yaml").read_text(encoding="utf-8")
CV_PAGE = (ROOTS / "test-cv" / "cv.md").read_text(encoding="utf-8")
#: a font with Chinese characters, from Debian's fonts-droid-fallback, which make test installs
#: (the builds never read the system's fonts otherwise: Typst is told to ignore them)
CJK_FONT = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")


def cv_root(tmp_path: Path, cv: str = CV_YAML) -> Path:
    """A copy of tests/roots/test-cv, with its CV facts replaced by ``cv``."""
    return copy_root(tmp_path, "cv", files={"cv.yaml": cv} if cv != CV_YAML else None)


# -- the tools that read what we publish ----------------------------------------------------------
def run_check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``portfolio check`` run in ``cwd`` (the engine of this checkout)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "portfolio", "check", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def biber_warnings(bib: Path) -> list[str]:
    """biber's data-model check of a .bib file: its WARN and ERROR lines."""
    biber = shutil.which("biber")
    assert biber, "biber is missing: `make test` installs it (apt-get install biber)"
    work = bib.parent / "biber"
    work.mkdir(exist_ok=True)
    shutil.copy(bib, work / "in.bib")
    proc = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "--nolog", "in.bib"],
        cwd=work, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [line for line in proc.stdout.splitlines() if line.startswith(("WARN", "ERROR"))]


def offline(cmd: list[str], env: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """``cmd`` and its environment without network: in a user namespace with no interfaces
    where unshare can make one, and in any case with pip told to use no index and every
    HTTP client sent to a proxy where nothing listens, so that a download fails loudly."""
    env = dict(clean_env("PYTEST") if env is None else env)
    dead = "http://127.0.0.1:9"
    env.update(PIP_NO_INDEX="1", http_proxy=dead, https_proxy=dead, HTTP_PROXY=dead, HTTPS_PROXY=dead,
               no_proxy="", NO_PROXY="")  # fmt: skip
    probe = (
        subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
        if shutil.which("unshare")
        else None
    )
    return (["unshare", "-rn", *cmd] if probe is not None and probe.returncode == 0 else cmd), env
