"""Read the Docs: the config is valid for this layout, and its install and build commands,
run the way Read the Docs runs them on a fresh Python 3.13 environment, install the hashed
lock and build the same site as `make html`, which works under the /en/latest/ prefix."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup
from webchecks import PAGE_TYPES, serve, watched_page

from helpers import CONF, FACTS, ROOT, SHARED, SUPPORTED, find_python

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
    assert CONFIG["build"]["tools"]["python"] == SUPPORTED[-1]  # the newest supported
    # Read the Docs needs the sphinx key; the default build (source ".") is replaced below
    assert CONFIG["sphinx"]["configuration"] == "conf.py"
    # the install step is the Makefile's (tests/site/test_python.py compares the commands)
    assert any(
        "--require-hashes" in c and "requirements/docs.txt" in c for c in CONFIG["build"]["jobs"]["install"]
    )


def test_config_is_valid_for_read_the_docs() -> None:
    schema = SHARED / "schemas" / "rtd-schema-v2.json"
    if not schema.is_file():
        pytest.skip("../shared/schemas/rtd-schema-v2.json is absent (it lies beside CI's checkout only)")
    import jsonschema

    jsonschema.validate(CONFIG, json.loads(schema.read_text(encoding="utf-8")))


def test_same_sphinx_command_as_make_html() -> None:
    rtd, make = html_command(), make_command()
    assert rtd[0] == "python" and make[0].endswith("/python")
    assert rtd[1:-1] == make[1:-1]  # same builder, confdir, doctrees, flags and source folder
    assert {"-W", "--keep-going", "-n"} <= set(rtd)
    assert rtd[-1] == "$READTHEDOCS_OUTPUT/html" and make[-1] == "_build/html"
    assert rtd[-2] == "docs" and (ROOT / rtd[-2] / "index.md").is_file()


CANONICAL = "https://portfolio.example.org/en/latest/"
HOME_TITLE = FACTS.get("owner", {}).get("name") or CONF["project"]


@pytest.fixture(scope="module")
def rtd_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Read the Docs' steps on a clean checkout: a new virtual environment of the configured
    Python, the configured install commands, then the build command, each through a shell
    from the checkout root with the variables Read the Docs sets."""
    version = CONFIG["build"]["tools"]["python"]
    python = find_python(version)
    if python is None:
        pytest.skip(
            f"no Python {version} on this machine to run Read the Docs' steps with (pyenv install {version})"
        )
    tmp = tmp_path_factory.mktemp("rtd")
    checkout = tmp / "checkout"  # a clean checkout: no build output, no generated pages
    shutil.copytree(
        ROOT,
        checkout,
        ignore=lambda folder, names: [
            name
            for name in names
            if name in {".git", ".venv", "_build", "__pycache__", "node_modules"}
            or name.endswith("_cache")
            or (name == "papers" and Path(folder) == ROOT / "docs")  # the generated paper pages
        ],
    )
    venv = tmp / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    env = dict(
        os.environ,
        READTHEDOCS="True",
        READTHEDOCS_OUTPUT=str(tmp / "out"),
        READTHEDOCS_CANONICAL_URL=CANONICAL,
        PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
    )
    env.pop("PYTHONPATH", None)
    for command in [*CONFIG["build"]["jobs"]["install"], *CONFIG["build"]["jobs"]["build"]["html"]]:
        proc = subprocess.run(["bash", "-c", command], cwd=checkout, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, f"{command}\n{proc.stderr[-3000:]}"
        assert "WARNING" not in proc.stderr.replace("WARNING: Location 'file:", ""), proc.stderr
    sphinx = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sphinx, sys; print(sys.version_info[:2], sphinx.__version__)"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert sphinx.startswith(f"({version.replace('.', ', ')})") and " 9.2." in sphinx, sphinx
    return tmp / "out" / "html"


def test_build_as_read_the_docs_would(rtd_build: Path) -> None:
    project = PAGE_TYPES["project"]
    soup = BeautifulSoup((rtd_build / project).read_text(encoding="utf-8"), "html5lib")
    assert soup.select_one('link[rel="canonical"]')["href"] == CANONICAL + project
    feed = (rtd_build / "news.xml").read_text(encoding="utf-8")
    assert f'<link href="{CANONICAL}news.html" rel="alternate"/>' in feed
    # every sitemap address is a page of this build, under the prefix
    locs = [
        e.text or "" for e in ElementTree.parse(rtd_build / "sitemap.xml").iter() if e.tag.endswith("loc")
    ]
    papers = {str(p.relative_to(rtd_build)) for p in (rtd_build / "papers").glob("*.html")}
    assert papers and {CANONICAL + p for p in papers} <= set(locs)
    for loc in locs:
        assert loc.startswith(CANONICAL) and (rtd_build / loc.removeprefix(CANONICAL)).is_file(), loc


def test_read_the_docs_site_works_under_its_prefix(rtd_build: Path, browser: Any) -> None:
    """Served under /en/latest/ as Read the Docs serves it: the old addresses lead home, and
    the 404 page, served for any missing path, loads its styles and links into the site."""
    prefix = urlsplit(CANONICAL).path
    with serve(rtd_build, prefix) as url:
        old_home = [
            f"{old}.html" if not old.endswith("/index") else old.removesuffix("index")
            for old, new in CONF.get("redirects", {}).items()
            if new == "/index.html"
        ]
        for old in old_home:  # this site's old homepage addresses, if conf.py redirects any
            with watched_page(browser) as (page, _, errors):
                page.goto(url + old)
                page.wait_for_url(url + "index.html")
                assert page.inner_text("h1").startswith(HOME_TITLE) and errors == []
        with watched_page(browser) as (page, _, errors):
            response = page.goto(url + "no/such/page.html")
            assert response is not None and response.status == 404
            assert errors == [f"HTTP 404: {url}no/such/page.html"]  # the page itself, nothing it loads
            assert (
                page.evaluate("getComputedStyle(document.body).fontFamily") != ""
                and page.locator(".sidebar-drawer").is_visible()
            )
            home = page.get_attribute("a.sidebar-brand", "href")
            assert home is not None and home.startswith(prefix), home
