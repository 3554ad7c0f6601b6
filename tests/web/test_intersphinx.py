"""A project repo's own docs link to this portfolio through
intersphinx, with references Sphinx checks (-W -n), and every link lands on a real anchor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest
from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile

from helpers import OWNER_KEYS, ROOT, Site, sphinx_command

CONSUMER_CONF = """
extensions = ["myst_parser", "sphinx.ext.intersphinx"]
project = "A project's docs"
intersphinx_mapping = {{"site": ({base!r}, {inv!r})}}
intersphinx_disabled_reftypes = []
"""


def targets(site: Site) -> dict[str, str]:
    """One project, one paper of the owner and one news item the site's inventory offers
    (read with Sphinx's own reader), by kind: label -> page."""
    with (site.out / "objects.inv").open("rb") as f:
        inv = InventoryFile.load(f, "", lambda base, uri: uri)
    out = {}
    for kind in ("portfolio:project", "portfolio:paper", "portfolio:news"):
        names = sorted(inv[kind]) if kind != "portfolio:paper" else [k for k in OWNER_KEYS if k in inv[kind]]
        assert names, f"the inventory has no {kind}"
        label = names[0] if kind != "portfolio:news" else f"news-{names[0]}"
        out[label] = inv["std:label"][label].uri.split("#")[0]
    return out


def consumer_pages(site: Site) -> tuple[str, str]:
    """A MyST page and an rST page that reference the site: by ref and by external+ref."""
    project, paper, news = targets(site)
    index = (
        "# A project's documentation\n\n"
        f"- Project page: {{ref}}`on the portfolio <site:{project}>`\n"
        f"- The paper: {{ref}}`site:{paper}`\n"
        f"- Related: {{external+site:ref}}`{news}`\n"
    )
    rst = f"Elsewhere\n=========\n\nSee :ref:`site:{project}` and :ref:`site:{paper}`.\n"
    return index, rst


def build_consumer(tmp_path: Path, site: Site, index: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    src = tmp_path / "project-docs"
    src.mkdir()
    (src / "conf.py").write_text(
        CONSUMER_CONF.format(base=str(site.out), inv=str(site.out / "objects.inv")), encoding="utf-8"
    )
    (src / "index.md").write_text(index + "\n```{toctree}\nelsewhere\n```\n", encoding="utf-8")
    (src / "elsewhere.rst").write_text(consumer_pages(site)[1], encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(
        sphinx_command(src, out, confdir=None),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return proc, out


def test_consumer_project_links_resolve(tmp_path: Path, site: Site) -> None:
    proc, out = build_consumer(tmp_path, site, consumer_pages(site)[0])
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    expected = set(targets(site).values())
    landed = set()
    for page in ("index.html", "elsewhere.html"):
        soup = BeautifulSoup((out / page).read_text(encoding="utf-8"), "html5lib")
        for a in soup.select("a.reference.external"):
            path, frag = urldefrag(unquote(a["href"]))
            target = Path(path)
            assert target.is_file(), a["href"]
            landed.add(str(target.relative_to(site.out)))
            if frag:
                ids = {
                    t["id"]
                    for t in BeautifulSoup(target.read_text(encoding="utf-8"), "html5lib").select("[id]")
                }
                assert frag in ids, a["href"]
    assert expected <= landed


def test_consumer_build_fails_on_unknown_target(tmp_path: Path, site: Site) -> None:
    proc, _ = build_consumer(tmp_path, site, consumer_pages(site)[0] + "\n- {ref}`site:no-such-paper`\n")
    assert proc.returncode == 1
    assert "no-such-paper" in proc.stderr


@pytest.fixture(scope="session")
def old_sphinx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with Sphinx 7.4, from requirements/old-sphinx.txt (hashed, like the lock)."""
    venv = tmp_path_factory.mktemp("old-sphinx") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "--no-deps", "-r", str(ROOT / "requirements" / "old-sphinx.txt")],
                   check=True)  # fmt: skip
    return venv / "bin" / "python"


def test_a_project_on_an_older_sphinx_links_here(tmp_path: Path, site: Site, old_sphinx: Path) -> None:
    """Sphinx 7.4 reads this site's inventory, which Sphinx 9 wrote: a project whose
    documentation is on it links to a project, a paper and a news item with -W -n."""
    version = subprocess.run([str(old_sphinx), "-c", "import sphinx; print(sphinx.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    assert version.startswith("7.")
    src = tmp_path / "project-docs"
    src.mkdir()
    conf = CONSUMER_CONF.replace('"myst_parser", ', "").format(
        base=str(site.out), inv=str(site.out / "objects.inv")
    )
    (src / "conf.py").write_text(conf, encoding="utf-8")
    project, paper, news = targets(site)
    (src / "index.rst").write_text(
        f"Docs\n====\n\nSee :ref:`site:{project}`, :ref:`site:{paper}` and :ref:`site:{news}`.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    _, *args = sphinx_command(src, out, confdir=None)
    proc = subprocess.run([str(old_sphinx), *args], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    hrefs = {
        unquote(urldefrag(a["href"])[0])
        for a in BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html5lib").select(
            "a.reference.external"
        )
    }
    assert {str(site.out / page) for page in targets(site).values()} <= hrefs
    # and a key the site does not have fails that build too
    (src / "index.rst").write_text(":ref:`site:no-such-paper`\n", encoding="utf-8")
    proc = subprocess.run([str(old_sphinx), *args], capture_output=True, text=True, check=False)
    assert proc.returncode != 0 and "no-such-paper" in proc.stderr
