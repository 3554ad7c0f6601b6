"""Build a copy of a test root, optionally with files replaced, and read what it emits."""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

ROOTS = Path(__file__).parent / "roots"
SITE = Path(__file__).resolve().parent.parent
#: The site's own sources beside docs/: configuration, papers, the CV's facts, its URLs.
SITE_FILES = ("conf.py", "refs.bib", "cv.yaml", "urls.txt")


def project_front_matter(pattern: str = "projects/*.md") -> list[tuple[Path, dict[str, Any]]]:
    """The site's project pages (``docs/<pattern>``) and their ``project:`` front matter, as
    PyYAML reads it, in file order."""
    import yaml

    out = []
    for page in sorted((SITE / "docs").glob(pattern)):
        text = page.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            meta = (yaml.safe_load(text.split("---\n", 2)[1]) or {}).get("project")
            if meta:
                out.append((page, meta))
    return out


def copy_site(dest: Path, site: Path = SITE) -> Path:
    """A copy of a site's sources (the real site's, or another copy's), without the
    generated paper pages, to build or edit."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(site / "docs", dest / "docs", ignore=shutil.ignore_patterns("papers"))
    for name in SITE_FILES:
        if (site / name).is_file():  # a site may have no CV
            shutil.copy2(site / name, dest / name)
    return dest


@dataclass
class Built:
    srcdir: Path
    outdir: Path
    warnings: list[str]
    app: SphinxTestApp

    def soup(self, page: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / page).read_text(encoding="utf-8"), "html5lib")


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
