"""The site builds wherever its users are: the supported Pythons are said in one place and
agree everywhere, one hashed lock gives each of them its own versions, `make html` says in
one line what is wrong with a Python it cannot use, and no dependency needs a module that
Python 3.13 or current setuptools removed.

CI (.ci/run) runs the whole suite on every supported Python the machine has."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from helpers import PYPROJECT, ROOT, SUPPORTED, Site, find_python
from lockfile import environment, pins, requirements

RTD = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text(encoding="utf-8"))
LOCKED = ("docs.txt", "live.txt", "dev.txt", "site-test.txt")
VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"  # this Python's


def _key(version: str) -> tuple[int, ...]:
    return tuple(map(int, version.split(".")))


def _make(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """make in the checkout, outside any make that runs the tests."""
    clean = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT, capture_output=True, text=True, env={**clean, **env}, check=False,
    )  # fmt: skip


def test_supported_pythons_are_said_once_and_agree() -> None:
    assert SUPPORTED == ["3.11", "3.12", "3.13"]
    requires = SpecifierSet(PYPROJECT["project"]["requires-python"])
    oldest = _key(SUPPORTED[0])
    assert f"{SUPPORTED[0]}.0" in requires and f"{oldest[0]}.{oldest[1] - 1}.99" not in requires
    # what make html says to a Python it cannot use
    checker = (ROOT / "tools" / "check_python.py").read_text(encoding="utf-8")
    assert f"OLDEST, NEWEST = {_key(SUPPORTED[0])}, {_key(SUPPORTED[-1])}" in checker
    # Read the Docs builds on the newest
    assert RTD["build"]["tools"]["python"] == SUPPORTED[-1]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"PYTHON=python{SUPPORTED[-1]} make html" in readme


@pytest.mark.parametrize("name", LOCKED)
def test_lock_pins_every_package_with_hashes(name: str) -> None:
    locked = requirements(name)
    assert len(locked) > 40
    for req, hashes in locked:
        assert [s.operator for s in req.specifier] == ["=="], f"{name}: {req} is not pinned"
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), f"{name}: {req}"


@pytest.mark.parametrize("version", SUPPORTED)
def test_lock_gives_each_python_what_pyproject_asks(version: str) -> None:
    """On each Python the lock installs one version of every package, and that version is
    one pyproject.toml allows there; each Python gets the newest Sphinx it can run."""
    docs, dev = pins("docs.txt", version), pins("dev.txt", version)
    optional = PYPROJECT["project"]["optional-dependencies"]
    wanted = [
        *PYPROJECT["project"]["dependencies"],
        *(spec for group in optional.values() for spec in group),
        *PYPROJECT["dependency-groups"]["build"],
        *PYPROJECT["build-system"]["requires"],
    ]
    for spec in wanted:
        req = Requirement(spec)
        if req.marker is not None and not req.marker.evaluate(environment(version)):
            continue
        name = req.name.lower().replace("_", "-")
        assert name in dev, f"Python {version}: {name} is not in the lock"
        assert dev[name] in req.specifier, f"Python {version}: {name} {dev[name]} does not satisfy {spec}"
    for name, pinned in docs.items():  # the build's files are the same in every lock file
        assert dev[name] == pinned == pins("live.txt", version)[name], name
    sphinx = {"3.11": "9.0", "3.12": "9.1", "3.13": "9.2"}[version]
    assert docs["sphinx"].base_version.startswith(sphinx + "."), docs["sphinx"]
    assert "pybadges" not in dev  # imports pkg_resources and imghdr (issue 19)


def test_lock_is_current_and_the_exports_are_its_own() -> None:
    """uv.lock satisfies pyproject.toml, and requirements/*.txt are exactly what `make lock`
    exports from it (checked offline: nothing is resolved again)."""
    uv = Path(sys.executable).with_name("uv")
    check = subprocess.run(
        [str(uv), "lock", "--check", "--offline"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stderr
    dry = _make("-n", "-W", "requirements/dev.txt", "lock", f"VENV={Path(sys.executable).parent.parent}")
    exports = [line for line in dry.stdout.splitlines() if " export " in line]
    assert len(exports) == len(LOCKED), dry.stdout
    for line in exports:
        command, target = line.rsplit(" > ", 1)
        made = subprocess.run(
            ["bash", "-c", command.replace(" export ", " export --offline ")],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert made == (ROOT / target).read_text(encoding="utf-8"), f"{target} is not uv.lock's export"


def _install_commands(make_output: str) -> list[list[str]]:
    return [shlex.split(line) for line in make_output.splitlines() if " -m pip install " in line]


def test_make_and_read_the_docs_install_only_the_hashed_lock(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    html = _install_commands(_make("-n", "html", f"VENV={venv}").stdout)
    for goal, lock in (("html", "docs.txt"), ("live", "live.txt"), ("test", "dev.txt")):
        dry = _make("-n", goal, f"VENV={venv}")
        installs = _install_commands(dry.stdout)
        locked = [c for c in installs if "-r" in c]
        assert locked and all("--require-hashes" in c and "--no-deps" in c for c in locked), dry.stdout
        assert f"requirements/{lock}" in locked[-1]
        project = [c for c in installs if "-e" in c]
        assert project and all({"--no-deps", "--no-build-isolation"} <= set(c) for c in project)
    rtd = [shlex.split(c) for c in RTD["build"]["jobs"]["install"]]
    make = [[a for a in c if a not in {"--quiet", "--disable-pip-version-check"}][1:] for c in html]
    assert [c[1:] for c in rtd] == make  # the same two commands as make html's
    assert "install" not in RTD.get("python", {})


@pytest.mark.parametrize(
    ("python", "says"),
    [
        ("python3.99", "cannot run python3.99: set PYTHON to an installed Python 3.11 to 3.13"),
        ("old", "is Python 3.10."),
        ("no-ensurepip", "cannot create a virtual environment: it has no ensurepip module; on Debian or "
         "Ubuntu run: sudo apt-get install python{version}-venv"),
    ],
)  # fmt: skip
def test_make_html_says_what_is_wrong_with_the_python(tmp_path: Path, python: str, says: str) -> None:
    if python == "old":
        found = find_python("3.10")
        if found is None:
            pytest.skip("no Python 3.10 on this machine to try (pyenv install 3.10)")
        python = found
    elif python == "no-ensurepip":  # Debian's python3 without python3-venv
        shadow = tmp_path / "shadow"
        shadow.mkdir()
        (shadow / "ensurepip.py").write_text("raise ImportError('No module named ensurepip')\n")
        python = str(tmp_path / "python3")
        Path(python).write_text(
            f'#!/bin/sh\nPYTHONPATH={shadow} exec {Path(sys.base_prefix, "bin", f"python{VERSION}")} "$@"\n'
        )
        Path(python).chmod(0o755)
    venv = tmp_path / "venv"
    proc = _make("html", f"PYTHON={python}", f"VENV={venv}")
    assert proc.returncode != 0 and not venv.exists()
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and says.format(version=VERSION) in lines[0], proc.stderr
    if "Python 3.10" in says:
        assert "needs Python 3.11 or newer" in lines[0] and "PYTHON=python3.13 make html" in lines[0]


def test_no_dependency_needs_a_module_that_python_or_setuptools_removed() -> None:
    """Every module of every installed runtime and test dependency imports with the modules
    that Python 3.12/3.13 removed, and pkg_resources, out of reach (tests/strictpython.py);
    the site's own build runs that way too (conftest's ``site``)."""
    code = (
        "import importlib, importlib.metadata as m\n"
        "for name, dists in sorted(m.packages_distributions().items()):\n"
        "    if name.isidentifier() and not name.startswith('_') and 'setuptools' not in dists:\n"
        "        importlib.import_module(name)\n"
    )
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "strictpython.py"), "-c", code],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_strict_python_refuses_what_was_removed() -> None:
    for module in ("imghdr", "pkg_resources", "distutils.core", "cgi"):
        proc = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "strictpython.py"), "-c", f"import {module}"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        top = module.partition(".")[0]
        assert proc.returncode == 1 and f"No module named '{top}' (removed from Python" in proc.stderr


def test_dependency_deprecations_are_shown_and_none_is_ours(site: Site) -> None:
    """The real build runs with deprecation warnings on; each one a dependency gives is
    shown in pytest's warnings summary, and none may come from the portfolio itself."""
    found = sorted(
        set(re.findall(r"^(\S+\.py):(\d+): (\w*(?:Deprecation|Removed\w*)Warning): (.*)$", site.stderr, re.M))
    )
    ours = [f for f in found if f"{os.sep}portfolio{os.sep}" in f[0] and "site-packages" not in f[0]]
    assert not ours, ours
    for path, line, category, message in found:
        assert not re.search(r"\b(imghdr|pkg_resources|distutils|cgi)\b", message), message
        warnings.warn(f"{category} in the site's build, {path}:{line}: {message}", UserWarning, stacklevel=1)
