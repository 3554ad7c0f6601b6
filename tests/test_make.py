"""The Makefile's promises that no other test exercises: `make live` needs only the site's
packages and sphinx-autobuild, takes a port, and the live pins are exactly what
sphinx-autobuild needs beyond the site's."""

from __future__ import annotations

import subprocess
from importlib.metadata import requires

from packaging.requirements import Requirement

from conftest import ROOT


def _pins(name: str) -> set[str]:
    lines = (ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines()
    return {line.split("==")[0].lower().replace("_", "-") for line in lines if "==" in line}


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
    assert _pins("live.txt") == needed - _pins("docs.txt")
    assert not _pins("live.txt") & _pins("dev.txt")
