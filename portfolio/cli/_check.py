"""``python -m portfolio check``: validate refs.bib, project front matter, news items and the CV
without a Sphinx build, in well under a second, with the build's own messages.

For editors and pre-commit hooks; ``make check`` runs it.  Exit status 1 when anything
is wrong, one ``file:line: WARNING: message [portfolio.<subtype>]`` line per problem."""

from __future__ import annotations

import argparse
import json
import re
import runpy
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..bib import UNREADABLE, parse_bibliography, read_metrics, read_people
from ..config import assignment_line, default
from ..cv import read_cv
from ..model import (
    date_problem,
    duplicate_message,
    front_matter_line,
    id_problem,
    project_from_meta,
    suggest,
)
from ..warnings_ import Subtype

_NEWS_START = re.compile(r"^(?::{3,}|`{3,})\{news\}[ \t]*(.*)$")
_OPTION = re.compile(r"^:([\w-]+):[ \t]*(.*)$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}|:{3,})(.*)$")
_LITERAL = re.compile(r"``.+?``")
_PAPER_ROLE = re.compile(r"\{paper\}`(?:[^`<]*<)?([^`>]+)>?`")
_CITE_ROLE = re.compile(r"\{(?:foot)?cite(?::\w+)?\}`([^`]+)`")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    message: str
    subtype: str

    def __str__(self) -> str:
        return f"{self.path}:{max(self.line, 1)}: WARNING: {self.message} [{self.subtype}]"


def _front_matter(text: str) -> tuple[dict[str, Any], int]:
    if not text.startswith("---\n"):
        return {}, 0
    end = text.find("\n---", 4)
    if end < 0:
        return {}, 0
    data = yaml.safe_load(text[4:end]) or {}
    return (data if isinstance(data, dict) else {}), 1


def _prose_lines(lines: list[str]) -> list[tuple[int, str]]:
    """Numbered lines outside code blocks, with inline literals blanked: examples in the
    docs are not content.  A fence whose info string is ``{name}`` is a directive, not code."""
    out: list[tuple[int, str]] = []
    closing = ""
    for number, row in enumerate(lines, start=1):
        fence = _FENCE.match(row)
        if closing:
            if fence is not None and fence.group(1)[0] == closing[0] and not fence.group(2).strip():
                closing = "" if len(fence.group(1)) >= len(closing) else closing
            continue
        if fence and fence.group(1)[0] != ":" and not fence.group(2).strip().startswith("{"):
            closing = fence.group(1)
            continue
        out.append((number, _LITERAL.sub("", row)))
    return out


def check(confdir: Path, srcdir: Path) -> tuple[list[Finding], dict[str, int]]:
    conf = runpy.run_path(str(confdir / "conf.py")) if (confdir / "conf.py").is_file() else {}
    bibpath = confdir / conf.get("portfolio_bibfile", default("portfolio_bibfile"))
    bib = parse_bibliography(
        bibpath,
        list(conf.get("portfolio_owner_names", [])),
        conf.get("portfolio_owner_field", default("portfolio_owner_field")),
    )
    findings: list[Finding] = []
    papers = set(bib.papers)
    # an unreadable file is one message, as in the build: no "unknown key" for every citation
    unreadable = any(p.subtype in UNREADABLE for p in bib.problems)

    def found(path: Path, line: int, message: str, subtype: Subtype | str) -> None:
        name = subtype if isinstance(subtype, str) else f"portfolio.{subtype.value}"
        cwd = Path.cwd()
        shown = path.relative_to(cwd) if path.is_relative_to(cwd) else path
        findings.append(Finding(str(shown), line, message, name))

    for bib_problem in bib.problems:
        if bib_problem.subtype is Subtype.bib_missing:  # a configuration problem: point at conf.py
            conf_path = confdir / "conf.py"
            line = assignment_line(conf_path, "portfolio_bibfile")
            found(conf_path, line, bib_problem.message, bib_problem.subtype)
        else:
            found(Path(bib_problem.path), bib_problem.line, bib_problem.message, bib_problem.subtype)

    pages = sorted(srcdir.rglob("*.md"))
    projects: dict[str, tuple[Path, int, list[str]]] = {}
    news: list[tuple[Path, int, str, dict[str, str]]] = []
    for page in pages:
        if "_build" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        meta, line = _front_matter(text)
        if "project" in meta:
            raw = meta["project"]
            docname = str(page.relative_to(srcdir).with_suffix(""))
            project, problem, key = project_from_meta(
                raw if isinstance(raw, dict) else {"__invalid__": raw}, docname, ""
            )
            if problem:
                found(page, front_matter_line(text, key), problem, Subtype.project_metadata)
            elif project and project.id in projects:
                place = f"{projects[project.id][0].relative_to(srcdir)}:{projects[project.id][1]}"
                found(page, line, duplicate_message("project", project.id, place), Subtype.project_duplicate)
            elif project:
                projects[project.id] = (page, line, list(project.papers))
        lines = text.splitlines()
        for number, row in _prose_lines(lines):
            m = _NEWS_START.match(row)
            if m:
                options: dict[str, str] = {}
                for follow in lines[number:]:
                    opt = _OPTION.match(follow)
                    if not opt:
                        break
                    options[opt.group(1)] = opt.group(2).strip()
                news.append((page, number, m.group(1).strip(), options))
            for key in _PAPER_ROLE.findall(row):
                if key.strip() not in papers and not unreadable:
                    found(
                        page,
                        number,
                        f"unknown paper {key.strip()!r}{suggest(key.strip(), papers)}; "
                        "use a key from refs.bib or add the entry.",
                        Subtype.unknown_paper,
                    )
            for keys in _CITE_ROLE.findall(row):
                for key in (k.strip() for k in keys.split(",")):
                    if key not in papers and not unreadable:
                        found(page, number, f'could not find bibtex key "{key}"', "bibtex.key_not_found")

    seen: dict[str, tuple[Path, int]] = {}
    for page, line, raw_date, options in news:
        item_id = options.get("id", "")
        if date_problem(raw_date) or id_problem(raw_date, item_id):
            subtype = Subtype.news_date if date_problem(raw_date) else Subtype.news_id
            found(page, line, date_problem(raw_date) or id_problem(raw_date, item_id), subtype)
            continue
        if item_id in seen:
            first = seen[item_id]
            place = f"{first[0].relative_to(srcdir)}:{first[1]}"
            found(page, line, duplicate_message("news", item_id, place), Subtype.news_duplicate)
            continue
        seen[item_id] = (page, line)
        for key in re.split(r"[\s,]+", options.get("papers", "")):
            if key and key not in papers and not unreadable:
                found(
                    page,
                    line,
                    f"news item {item_id!r} names unknown paper {key!r}{suggest(key, papers)}; "
                    "use a key from refs.bib",
                    Subtype.unknown_paper,
                )
        for pid in re.split(r"[\s,]+", options.get("projects", "")):
            if pid and pid not in projects:
                found(
                    page,
                    line,
                    f"news item {item_id!r} names unknown project {pid!r}{suggest(pid, projects)}; "
                    "use a project page's id",
                    Subtype.unknown_project,
                )
    for pid, (page, _, keys) in projects.items():
        for key in keys:
            if key not in papers and not unreadable:
                found(
                    page,
                    1,
                    f"project {pid!r} lists unknown paper {key!r}{suggest(key, papers)} in its front matter; "
                    "use a key from refs.bib",
                    Subtype.unknown_paper,
                )
    if conf.get("portfolio_cv"):  # the CV's facts, as the build reads them
        cv_file = confdir / conf["portfolio_cv"]
        if not cv_file.is_file():
            conf_path = confdir / "conf.py"
            message = f"the CV file {cv_file} does not exist; create it or fix portfolio_cv"
            found(conf_path, assignment_line(conf_path, "portfolio_cv"), message, Subtype.cv)
        else:
            cv = read_cv(cv_file)
            for line, message in cv.problems:
                found(cv_file, line, message, Subtype.cv)
            for item in cv.open_source:
                for link in item.projects:
                    if link.project and link.project not in projects:
                        found(cv_file, item.line, f"open_source names project {link.project!r}, which no "
                              "project page declares; use a project page's id, or write the project as "
                              "{name, url}", Subtype.cv)  # fmt: skip
    if "portfolio_people" in conf:  # the co-authors' homepages, as the build reads them
        conf_path = confdir / "conf.py"
        for message in read_people(conf["portfolio_people"]).problems:
            found(conf_path, assignment_line(conf_path, "portfolio_people"), message, Subtype.config)
    metrics = conf.get("portfolio_metrics", default("portfolio_metrics"))
    if metrics:  # the citation counts, as the build reads them (no file: no counts, no problem)
        for line, message in read_metrics(confdir / metrics).problems:
            found(confdir / metrics, line, message, Subtype.metrics)
    counts = {"entries": len(bib.papers), "pages": len(pages), "projects": len(projects), "news": len(news)}
    return findings, counts


def run(args: argparse.Namespace) -> int:
    findings, counts = check(args.conf.resolve(), args.source.resolve())
    if args.json:
        sys.stdout.write(
            json.dumps({"counts": counts, "findings": [str(f) for f in findings]}, indent=1) + "\n"
        )
    else:
        for finding in findings:
            sys.stderr.write(f"{finding}\n")
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        sys.stdout.write(
            f"checked {summary}: {len(findings) or 'no'} problem{'s' if len(findings) != 1 else ''}\n"
        )
    return 1 if findings else 0
