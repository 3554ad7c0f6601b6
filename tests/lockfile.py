"""The lock's exports (requirements/*.txt) read with packaging, as pip reads them: each
requirement with its hashes, and what it installs on a given Python."""

from __future__ import annotations

import re
import sys

from packaging.requirements import Requirement
from packaging.version import Version

from helpers import ROOT


def requirements(name: str) -> list[tuple[Requirement, list[str]]]:
    """The requirements of ``requirements/<name>``, each with its hashes."""
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        spec, *hashes = re.split(r"\s+--hash=", line)
        found.append((Requirement(spec), hashes))
    return found


def environment(version: str) -> dict[str, str]:
    """The marker environment of CPython ``version`` ("3.13") on Linux."""
    return {
        "python_version": version,
        "python_full_version": f"{version}.0",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }


def pins(name: str, version: str = "") -> dict[str, Version]:
    """What ``requirements/<name>`` installs on Python ``version`` (default: this one)."""
    version = version or f"{sys.version_info.major}.{sys.version_info.minor}"
    found: dict[str, Version] = {}
    for req, _ in requirements(name):
        if req.marker is None or req.marker.evaluate(environment(version)):
            (spec,) = req.specifier
            key = req.name.lower().replace("_", "-")
            assert key not in found, f"{name}: two pins of {req.name} on Python {version}"
            found[key] = Version(spec.version)
    return found
