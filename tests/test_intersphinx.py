"""A project repo's own docs (as SpikeGPT's would be) link to this portfolio through
intersphinx, with references Sphinx checks (-W -n), and every link lands on a real anchor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urldefrag

from bs4 import BeautifulSoup

from conftest import Site

CONSUMER_CONF = """
extensions = ["myst_parser", "sphinx.ext.intersphinx"]
project = "SpikeGPT"
intersphinx_mapping = {{"rjz": ({base!r}, {inv!r})}}
intersphinx_disabled_reftypes = []
"""

CONSUMER_INDEX = """
# SpikeGPT documentation

- Project page: {ref}`SpikeGPT on the portfolio <rjz:spikegpt>`
- The paper: {ref}`rjz:zhu2023spikegpt`
- Announcement: {ref}`rjz:news-tmlr-spikegpt`
- Related: {external+rjz:ref}`matmulfree-lm`
"""

CONSUMER_RST = """
Elsewhere
=========

See :ref:`rjz:ouro`, :ref:`rjz:zhu2025scaling` and :ref:`rjz:news-neurips-2024`.

.. toctree::
"""


def build_consumer(tmp_path: Path, site: Site, index: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    src = tmp_path / "spikegpt-docs"
    src.mkdir()
    (src / "conf.py").write_text(
        CONSUMER_CONF.format(base=str(site.out), inv=str(site.out / "objects.inv")), encoding="utf-8"
    )
    (src / "index.md").write_text(index + "\n```{toctree}\nelsewhere\n```\n", encoding="utf-8")
    (src / "elsewhere.rst").write_text(CONSUMER_RST, encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-b", "html", str(src), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return proc, out


def test_consumer_project_links_resolve(tmp_path: Path, site: Site) -> None:
    proc, out = build_consumer(tmp_path, site, CONSUMER_INDEX)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    expected = {
        "projects/spikegpt.html",
        "papers/zhu2023spikegpt.html",
        "news.html",
        "projects/matmulfree-lm.html",
        "projects/ouro.html",
        "papers/zhu2025scaling.html",
    }
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
    proc, _ = build_consumer(tmp_path, site, CONSUMER_INDEX + "\n- {ref}`rjz:no-such-paper`\n")
    assert proc.returncode == 1
    assert "no-such-paper" in proc.stderr
