"""Read the Docs: the config is valid for this layout, and its build command, run the way
Read the Docs runs it, builds the same site as `make html` with the canonical URL."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from conftest import ROOT

CONFIG = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))


def html_command() -> list[str]:
    (command,) = CONFIG["build"]["jobs"]["build"]["html"]
    return shlex.split(command)


def make_command() -> list[str]:
    """What `make html` runs, from make's own dry run."""
    proc = subprocess.run(
        ["make", "--no-print-directory", "-n", "-W", "requirements/docs.txt", "html"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return shlex.split(proc.stdout.strip().splitlines()[-1])


def test_config_shape() -> None:
    assert CONFIG["version"] == 2
    assert CONFIG["build"]["os"].startswith("ubuntu-")
    assert CONFIG["build"]["tools"]["python"] == f"{sys.version_info.major}.{sys.version_info.minor}"
    # Read the Docs needs the sphinx key; the default build (source ".") is replaced below
    assert CONFIG["sphinx"]["configuration"] == "conf.py"
    installs = CONFIG["python"]["install"]
    assert {"requirements": "requirements/docs.txt"} in installs  # the pins `make html` uses
    assert {"method": "pip", "path": "."} in installs


def test_same_sphinx_command_as_make_html() -> None:
    rtd, make = html_command(), make_command()
    assert rtd[0] == "python" and make[0].endswith("/python")
    assert rtd[1:-1] == make[1:-1]  # same builder, confdir, doctrees, flags and source folder
    assert {"-W", "--keep-going", "-n"} <= set(rtd)
    assert rtd[-1] == "$READTHEDOCS_OUTPUT/html" and make[-1] == "_build/html"
    assert rtd[-2] == "docs" and (ROOT / rtd[-2] / "index.md").is_file()


def test_build_as_read_the_docs_would(tmp_path: Path) -> None:
    """Run the configured command through a shell from the checkout root, with the variables
    Read the Docs sets, and `python` being the project's environment."""
    (command,) = CONFIG["build"]["jobs"]["build"]["html"]
    checkout = tmp_path / "checkout"  # a clean checkout: no build output, no generated pages
    shutil.copytree(
        ROOT,
        checkout,
        ignore=shutil.ignore_patterns(".git", ".venv", "_build", "papers", "__pycache__", ".*_cache"),
    )
    canonical = "https://rui-jie-zhu.example.org/en/latest/"
    env = dict(
        os.environ,
        READTHEDOCS="True",
        READTHEDOCS_OUTPUT=str(tmp_path / "out"),
        READTHEDOCS_CANONICAL_URL=canonical,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )
    proc = subprocess.run(
        ["bash", "-c", command], cwd=checkout, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    html = tmp_path / "out" / "html"
    soup = BeautifulSoup((html / "projects" / "spikegpt.html").read_text(encoding="utf-8"), "html5lib")
    assert soup.select_one('link[rel="canonical"]')["href"] == canonical + "projects/spikegpt.html"
    feed = (html / "news.xml").read_text(encoding="utf-8")
    assert f'<link href="{canonical}news.html" rel="alternate"/>' in feed
