"""``portfolio new DIR``: a working portfolio for a new researcher.

It asks its questions (when it runs in a terminal; they are its options too) and writes the
site the starter renders (``portfolio.starter``): conf.py, a starter refs.bib, a home page,
a biography, one project, one news item, the publications page, an empty urls.txt, a
Makefile, the Read the Docs and GitHub Pages configurations, the weekly upkeep workflow and
a test suite of the site, pinned to this engine's wheel and hashed locks.  Nothing is
downloaded: it needs only the installed engine.
"""

from __future__ import annotations

import argparse
import datetime
import sys

from ..starter import RefusedError, answers, create


def _ask(question: str, default: str = "") -> str:
    answer = input(f"{question}{f' [{default}]' if default else ''}: ").strip()
    return answer or default


def run(args: argparse.Namespace) -> int:
    interactive = sys.stdin.isatty()
    if args.name is None:
        if not interactive:
            args.parser.error("--name is required when not run in a terminal")
        args.name = _ask("Your name")
        args.spelling += [
            s.strip() for s in _ask("Other spellings in author lists, comma-separated").split(",")
        ]
        args.spelling = [s for s in args.spelling if s]
        args.affiliation = _ask("Affiliation") or None
        args.profile += [p for p in _ask("Profile URLs (GitHub, Scholar...), space-separated").split() if p]
    if args.base_url is None:
        args.base_url = (
            _ask("Site address", "http://127.0.0.1:8000/") if interactive else "http://127.0.0.1:8000/"
        )
    try:
        given = answers(args.name, args.spelling, args.affiliation, args.profile, args.base_url,
                        args.project, datetime.date.today())  # fmt: skip
        files = create(args.directory, given)
    except RefusedError as err:
        sys.stderr.write(f"portfolio new: {err}\n")
        return 2
    where = args.directory
    sys.stdout.write(f"wrote {len(files)} files into {where}; next: cd {where} && make html && make test\n")
    return 0
