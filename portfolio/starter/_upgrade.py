"""``portfolio upgrade``: move a site to the installed engine.

Three versions of each file meet here: what the site's engine wrote (``old``: rendered again
by that engine, from the wheel the site still pins, with the answers in the site's record),
what the installed engine writes (``new``), and the file as it is (``current``).  A file
whose hash is still the one the record holds is the engine's: it becomes ``new``.  Any other
file is the owner's: it is left alone, and the engine's change to it (``old`` to ``new``) is
shown as a diff to apply by hand (``git apply`` takes it).  The pin moves: the wheel in
``vendor/`` and both requirement files.  The record is written last, so an upgrade that
stops half way is finished by running it again.
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from packaging.version import InvalidVersion, Version

from ._render import RefusedError, render
from ._site import RECORD, Record, digest, pin_texts, write_file
from ._wheel import DIST, engine_wheel

#: How the site's own engine is asked what it wrote: its ``render`` (the one entry point kept
#: across versions), run from its wheel ahead of the installed engine on ``sys.path``.
OLD_RENDER = (
    "import json, sys; sys.path.insert(0, sys.argv[1]); "
    "from portfolio.starter import render; "
    "json.dump(render(json.load(sys.stdin)), sys.stdout)"
)


@dataclass
class Change:
    path: str
    action: str  # updated, added, removed, yours
    note: str = ""
    diff: str = ""


@dataclass
class Plan:
    site: Path
    old: str
    new: str
    record: Record
    writes: dict[str, str] = field(default_factory=dict)
    removes: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)


def _version(text: str, where: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise RefusedError(f"{where}: {text!r} is not a version") from None


def old_files(site: Path, record: Record) -> dict[str, str] | None:
    """What the site's engine wrote, rendered again by it; None if its wheel is gone or
    cannot say."""
    wheels = sorted((site / "vendor").glob(f"{DIST}-{record.engine}-*.whl"))
    if not wheels:
        return None
    try:
        proc = subprocess.run(
            [sys.executable, "-I", "-c", OLD_RENDER, str(wheels[0])], input=json.dumps(record.answers.data()),
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        files = json.loads(proc.stdout) if proc.returncode == 0 else None
    except (subprocess.TimeoutExpired, ValueError):
        return None
    return files if isinstance(files, dict) else None


def _diff(before: str, after: str, path: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    end = "\n\\ No newline at end of file\n"
    return "".join(line if line.endswith("\n") else line + end for line in lines)


def plan(site: Path) -> Plan:
    """What an upgrade of ``site`` to the installed engine changes (nothing written)."""
    from .. import __version__

    record = Record.read(site)
    if _version(__version__, "the installed engine") < _version(record.engine, str(site / RECORD)):
        raise RefusedError(
            f"{site} is on portfolio {record.engine}, newer than the installed {__version__}: "
            "install that engine or a newer one first"
        )
    new = render(record.answers.data())
    old = old_files(site, record)
    out = Plan(site, record.engine, __version__, Record(__version__, record.answers, {}))
    out.record.files = {path: digest(text) for path, text in new.items()}
    for path in sorted(set(record.files) | set(new)):
        file = site / path
        current = file.read_text(encoding="utf-8") if file.is_file() else None
        ours = current is not None and digest(current) == record.files.get(path)
        if path not in new:
            if ours:
                out.removes.append(path)
                out.changes.append(Change(path, "removed", "the engine no longer writes it"))
            elif current is not None:
                out.changes.append(Change(path, "yours", "the engine no longer writes it; left alone"))
            continue
        if current == new[path]:
            continue
        if current is None:
            if path in record.files:
                out.changes.append(Change(path, "yours", "deleted by you; left out"))
            else:
                out.writes[path] = new[path]
                out.changes.append(Change(path, "added"))
        elif ours:
            out.writes[path] = new[path]
            out.changes.append(Change(path, "updated"))
        elif old is not None and path in old:
            if old[path] == new[path]:
                continue  # the owner's edit of a file the engine did not change
            out.changes.append(
                Change(path, "yours", f"left alone; the engine's change to it ({record.engine} to "
                       f"{__version__}), to apply by hand:", _diff(old[path], new[path], path))
            )  # fmt: skip
        else:
            out.changes.append(
                Change(path, "yours", f"left alone; what the engine's {__version__} version would change "
                       f"in yours (what {record.engine} wrote is unknown):", _diff(current, new[path], path))
            )  # fmt: skip
    return out


def changelog(old: str, new: str) -> str:
    """The engine's changelog sections after ``old`` up to ``new``, newest first."""
    text = (resources.files("portfolio") / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.split(r"(?m)^(?=## )", text)[1:]
    low, high = Version(old), Version(new)
    kept = []
    for section in sections:
        try:
            version = Version(section.split(None, 2)[1])
        except (IndexError, InvalidVersion):
            continue
        if low < version <= high:
            kept.append(section.rstrip() + "\n")
    return "\n".join(kept)


def apply(p: Plan) -> None:
    """Write the plan: the files, the pin (wheel and requirements), then the record."""
    for path, text in p.writes.items():
        write_file(p.site / path, text)
    for path in p.removes:
        (p.site / path).unlink()
    wheel = engine_wheel(p.site / "vendor")  # written whole, as the requirement files are
    for name, text in pin_texts(wheel).items():
        write_file(p.site / name, text)
    for stale in wheel.parent.glob(f"{DIST}-*.whl"):
        if stale != wheel:
            stale.unlink()
    write_file(p.site / RECORD, p.record.text())
