"""``portfolio upgrade``: move the site in the current folder (or ``--site``) to the installed
engine, say what changed and what was left alone (with the engine's changes to the owner's
files as diffs), then run the site's own tests (``make test``)."""

from __future__ import annotations

import argparse
import subprocess
import sys

from ..starter import RefusedError, apply, changelog, plan


def run(args: argparse.Namespace) -> int:
    try:
        p = plan(args.site)
    except RefusedError as err:
        sys.stderr.write(f"portfolio upgrade: {err}\n")
        return 2
    out = sys.stdout
    moving, site = p.old != p.new, args.site.resolve()
    out.write(f"{site}: portfolio {p.old} -> {p.new}\n" if moving else f"{site}: portfolio {p.new}\n")
    for change in p.changes:
        out.write(f"  {change.action:8} {change.path}{f': {change.note}' if change.note else ''}\n")
    if not p.changes and not moving:
        out.write("  nothing to change\n")
    diffs = "".join(c.diff for c in p.changes)
    if diffs:
        diffs = f"\nThe engine's changes to files you changed (git apply or patch -p1 takes them):\n\n{diffs}"
    if args.dry_run:
        out.write(f"(dry run: nothing written){diffs}")
        return 0
    try:
        apply(p)
    except (OSError, RefusedError) as err:
        sys.stderr.write(f"portfolio upgrade: {err}\n")
        return 2
    out.write(f"  pinned   requirements.txt, requirements-test.txt, vendor/: portfolio {p.new}\n")
    if moving:
        out.write(f"\nWhat changed in the engine (its CHANGELOG.md):\n\n{changelog(p.old, p.new)}")
    out.write(diffs)
    if args.no_test:
        return 0
    out.write("running the site's tests: make test\n")
    out.flush()
    try:
        return subprocess.run(["make", "test"], cwd=args.site, check=False).returncode
    except FileNotFoundError:
        sys.stderr.write(
            "portfolio upgrade: make is not installed: the site is upgraded; run its tests with make test\n"
        )
        return 2
