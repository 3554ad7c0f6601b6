"""The ``portfolio`` command (and ``python -m portfolio``): one parser, declared here, whose
subcommands each run in a module of their own: ``_build`` (``build``), ``_new`` (``new``),
``_upgrade`` (``upgrade``), ``_check`` (``check``),
``_import`` (``add``, ``refresh``), ``_metrics``, ``_discover`` and ``_upkeep``; ``_site``
is how they all read a site.  A subcommand's module is imported only when it
runs, so ``portfolio check`` imports neither Sphinx nor the network's libraries."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

__all__ = ["main", "parser"]


def _site_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--conf", type=Path, default=Path(), help="folder of conf.py (default: .)")
    cmd.add_argument("--source", type=Path, default=Path("docs"), help="source folder (default: docs)")


def _service_options(cmd: argparse.ArgumentParser) -> None:
    _site_options(cmd)
    cmd.add_argument("--contact", default="", help="an e-mail for the services' polite pools")


def parser() -> argparse.ArgumentParser:
    """Every subcommand and its options."""
    from .. import __version__

    top = argparse.ArgumentParser(
        prog="portfolio",
        description="The research portfolio's commands (the site itself is built by make html).",
    )
    top.add_argument("--version", action="version", version=f"portfolio {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, module: str, text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.set_defaults(module=module, parser=cmd)
        return cmd

    build = command(
        "build",
        "_build",
        "build the site: sphinx-build's arguments, then an exit that skips tearing the heap down",
    )
    build.add_argument(
        "arguments", nargs="*", help="what sphinx-build takes, such as -b html docs _build/html"
    )

    new = command("new", "_new", "start a portfolio for a new researcher in a new folder")
    new.add_argument("directory", type=Path, help="an empty or new folder for the site")
    new.add_argument("--name", help="your name as it appears on the site, such as 'Ada Lovelace'")
    new.add_argument("--spelling", action="append", default=[], help="another spelling of it in author lists")
    new.add_argument("--affiliation", default=None, help="your university or employer")
    new.add_argument("--profile", action="append", default=[], help="a profile: URL or Name=URL")
    new.add_argument("--base-url", default=None, help="the site's address, such as https://me.example.org/")
    new.add_argument("--project", default=None, help="the name of your first project page")

    upgrade = command(
        "upgrade",
        "_upgrade",
        "move a site made by portfolio new to this engine: its pin, and the files you did not change",
    )
    upgrade.add_argument("--site", type=Path, default=Path(), help="the site's folder (default: .)")
    upgrade.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    upgrade.add_argument("--no-test", action="store_true", help="do not run the site's make test after")

    check = command(
        "check", "_check", "validate refs.bib, front matter, news items and the CV without a build"
    )
    _site_options(check)
    check.add_argument("--json", action="store_true", help="print the findings as JSON")

    add = command("add", "_import", "add a paper from its arXiv id, DOI, DBLP key or OpenReview URL")
    _service_options(add)
    add.add_argument("identifier")
    add.add_argument("--dry-run", action="store_true", help="print the entry, write nothing")
    add.add_argument("--news", action="store_true", help="also add a dated news stub")

    refresh = command("refresh", "_import", "find published versions and full author lists of the entries")
    _service_options(refresh)
    refresh.add_argument("--write", action="store_true", help="apply the changes to refs.bib")

    metrics = command(
        "metrics", "_metrics", "read the owner's papers' citation counts into portfolio_metrics"
    )
    _service_options(metrics)

    discover = command(
        "discover", "_discover", "list the papers the owner's author profiles have and refs.bib lacks"
    )
    _service_options(discover)
    discover.add_argument("--add", action="store_true", help="add them to refs.bib, as portfolio add does")
    discover.add_argument(
        "--ignore", metavar="IDENTIFIER", help="never propose this paper again (not the owner's)"
    )

    upkeep = command("upkeep", "_upkeep", "refresh --write, discover --add and metrics, with one summary")
    _service_options(upkeep)
    upkeep.add_argument(
        "--summary", metavar="FILE", help="also write the summary as Markdown (a pull request's)"
    )
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; its exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["build"] and argv[1:2] not in (["-h"], ["--help"]):
        from ._build import build

        build(argv[1:])  # sphinx-build's own arguments, parsed by it; does not return
    args = parser().parse_args(argv)
    return int(importlib.import_module(f"{__name__}.{args.module}").run(args))
