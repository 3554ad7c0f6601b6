"""Shared fixtures: the real site, built once per session; small test roots for the rest."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from helpers import ROOT, ROOTS, Site, clean_env, sphinx_command

pytest_plugins = ("sphinx.testing.fixtures",)

# property tests: a quick profile for `make test`; HYPOTHESIS_PROFILE=thorough for a long hunt
settings.register_profile("default", max_examples=12, deadline=None)
settings.register_profile("thorough", max_examples=150, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The real portfolio, built once with the same command as `make html`, with the modules
    that Python 3.13 and setuptools removed out of reach (tests/strictpython.py) and
    deprecation warnings shown (tests/site/test_python.py reads them)."""
    base = tmp_path_factory.mktemp("site")
    env = clean_env()
    env["PYTHONWARNINGS"] = "default::DeprecationWarning,default::PendingDeprecationWarning"
    python, *args = sphinx_command(ROOT / "docs", base / "html", base / "doctrees")
    proc = subprocess.run(
        [python, str(ROOT / "tests" / "strictpython.py"), *args],
        cwd=ROOT, capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    return Site(base / "html", base / "doctrees", proc.returncode, proc.stdout, proc.stderr)


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


@pytest.fixture(scope="session")
def check_jsonschema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """check-jsonschema in a venv of its own (requirements/check-jsonschema.txt, hashed): it
    validates against the schemas it vendors, with no network."""
    venv = tmp_path_factory.mktemp("check-jsonschema") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--require-hashes", "--no-deps", "-r", str(ROOT / "requirements" / "check-jsonschema.txt")],
                   check=True)  # fmt: skip
    return venv / "bin" / "check-jsonschema"
