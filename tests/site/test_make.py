"""The Makefile's promises that no other test exercises: `make live` needs only the site's
packages and sphinx-autobuild, takes a port, and the live pins are exactly what
sphinx-autobuild needs beyond the site's."""

from __future__ import annotations

import os
import select
import shlex
import shutil
import socket
import subprocess
import sys
import time
from importlib.metadata import requires
from pathlib import Path

import bibtexparser
from packaging.requirements import Requirement

from helpers import OWNER_KEYS, ROOT, copy_site
from lockfile import pins
from portfolio.bib import page_slug

KEY = OWNER_KEYS[0]  # the entry the live-reload test edits


def _pins(name: str) -> set[str]:
    """The packages ``requirements/<name>`` installs on this Python."""
    return set(pins(name))


def test_make_live_installs_only_the_preview() -> None:
    proc = subprocess.run(
        ["make", "-n", "-W", "requirements/live.txt", "live", "PORT=8001"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "-r requirements/live.txt" in proc.stdout
    assert "requirements/dev.txt" not in proc.stdout
    assert "--port 8001" in proc.stdout and "--host 127.0.0.1" in proc.stdout


def test_live_pins_are_sphinx_autobuild_and_its_dependencies() -> None:
    needed, stack = set(), ["sphinx-autobuild"]
    while stack:
        name = stack.pop().lower().replace("_", "-")
        if name in needed:
            continue
        needed.add(name)
        for spec in requires(name) or []:
            req = Requirement(spec)
            if not req.marker or req.marker.evaluate({"extra": ""}):
                stack.append(req.name)
    # each export is whole (pip installs it with --require-hashes); live adds exactly these
    assert _pins("live.txt") - _pins("docs.txt") == needed - _pins("docs.txt")
    assert _pins("docs.txt") <= _pins("live.txt") <= _pins("dev.txt")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(
    proc: subprocess.Popen[str], lines: list[str], pattern: str, count: int, timeout: float
) -> None:
    """Read the live server's output into ``lines`` until ``pattern`` has been seen
    ``count`` times (or ``timeout`` seconds pass)."""
    end = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < end and sum(pattern in line for line in lines) < count:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)


def test_make_live_builds_once_per_save(tmp_path: Path) -> None:
    """`make live` on a copy of the site: editing refs.bib starts one build, not a second
    one for the paper pages that build writes (they are generated inside the sources)."""
    site = copy_site(tmp_path / "site")
    # the command `make live` runs (outside `make test`'s own make, which would add lines)
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "-W", "requirements/live.txt", "live", f"PORT={_free_port()}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    command = shlex.split(dry[dry.index("-m sphinx_autobuild") :].replace("\\\n", " "))
    assert command[:2] == ["-m", "sphinx_autobuild"] and command[-2:] == ["docs", "_build/html"], command
    shutil.copytree(ROOT / "portfolio", site / "portfolio")  # watched by make live
    proc = subprocess.Popen(
        [sys.executable, *command],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    built = "build succeeded"
    try:
        _wait_for(proc, lines, built, 1, 120)
        assert sum(built in line for line in lines) == 1, "".join(lines[-30:])
        _wait_for(proc, lines, "Serving on", 1, 30)
        time.sleep(1)  # the watcher starts with the server
        bib = site / "refs.bib"
        title = str(
            bibtexparser.parse_string(bib.read_text("utf-8")).entries_dict[KEY].fields_dict["title"].value
        )
        bib.write_text(bib.read_text("utf-8").replace(title, f"{title} (edited)", 1), "utf-8")
        _wait_for(proc, lines, built, 2, 120)
        _wait_for(proc, lines, built, 3, 8)  # a second build would start within seconds
        assert sum(built in line for line in lines) == 2, "".join(lines[-40:])
        assert "(edited)" in (site / "_build" / "html" / "papers" / f"{page_slug(KEY)}.html").read_text(
            "utf-8"
        )
    finally:
        proc.terminate()
        proc.wait(10)
