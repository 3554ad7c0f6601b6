"""``python -m portfolio new DIR``: a working portfolio for a new researcher.

It writes conf.py, a starter refs.bib (one example entry), a home page, a biography, one
project, one news item, the publications page, an empty urls.txt, .readthedocs.yaml, a
Makefile, .gitignore and a test suite of that site, from ``templates/new``.  The questions
it asks (when it runs in a terminal) are its options; nothing is downloaded.

The toolchain: the new site's Makefile builds with the Python that ran this command (the
engine checkout's venv, with the engine and every locked package), and Read the Docs
installs ``requirements.txt``: the engine's hashed lock plus a wheel of the engine copied
into ``vendor/``, so the site is self-contained once committed.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from string import Template

TEMPLATES = Path(__file__).parents[1] / "templates" / "new"
ENGINE = Path(__file__).resolve().parents[2]  # the checkout, when run from one

#: template -> file in the new site (the others keep their path without ``.tmpl``)
RENAMES = {
    "gitignore.tmpl": ".gitignore",
    "readthedocs.yaml.tmpl": ".readthedocs.yaml",
    "github/workflows/upkeep.yml.tmpl": ".github/workflows/upkeep.yml",
}


class RefusedError(Exception):
    """What cannot be done, said in one line."""


def slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def split_name(name: str) -> tuple[str, str]:
    """("Ada", "Lovelace") from "Ada Lovelace"; a "Family, Given" form is read as such."""
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
        return given, family
    words = name.split()
    return " ".join(words[:-1]), (words[-1] if words else "")


def _py(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _profile(text: str) -> dict[str, str]:
    name, sep, url = text.partition("=")
    if not sep:
        url = text
        host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
        name = {"github.com": "GitHub", "scholar.google.com": "Google Scholar", "orcid.org": "ORCID"}.get(
            host, host
        )
    if not re.match(r"https://\S+$", url.strip()):
        raise RefusedError(f"--profile {text!r}: give an https:// address, optionally as Name=https://...")
    return {"name": name.strip(), "url": url.strip()}


def values(args: argparse.Namespace, today: datetime.date) -> dict[str, str]:
    given, family = split_name(args.name)
    if not given or not family:
        raise RefusedError(f"--name {args.name!r}: give a given and a family name, such as 'Ada Lovelace'")
    spellings = list(dict.fromkeys([args.name, *args.spelling]))
    project = args.project or "My first project"
    person: dict[str, object] = {"name": args.name}
    if args.affiliation:
        person["affiliation"] = {"@type": "Organization", "name": args.affiliation}
    base_url = args.base_url if args.base_url.endswith("/") else args.base_url + "/"
    if not re.match(r"https?://\S+/$", base_url):
        raise RefusedError(
            f"--base-url {args.base_url!r}: give the site's address, such as https://me.example.org/"
        )
    key = f"{slug(family).replace('-', '')}{today.year}example"
    return {
        "name": args.name,
        "name_py": _py(args.name),
        "name_toml": json.dumps(args.name, ensure_ascii=False),
        "affiliation_toml": json.dumps(args.affiliation or "", ensure_ascii=False),
        "copyright_py": _py(f"{today.year}, {args.name}"),
        "spellings_py": _py(spellings),
        "person_py": _py(person),
        "profiles_py": _py([_profile(p) for p in args.profile]),
        "base_url_py": _py(base_url),
        "at_affiliation": f" at {args.affiliation}" if args.affiliation else "",
        "given": given,
        "family": family,
        "initials": (given[:1] + family[:1]).upper(),
        "key": key,
        "year": str(today.year),
        "today": today.isoformat(),
        "project": project,
        "project_yaml": json.dumps(project, ensure_ascii=False),
        "project_id": slug(project) or "project",
        "engine_python": sys.executable,
    }


def engine_wheel(target: Path) -> Path:
    """A wheel of this engine, built offline with the running environment's setuptools."""
    if not (ENGINE / "pyproject.toml").is_file():
        raise RefusedError(f"{ENGINE} is not a checkout of the engine: run python -m portfolio new from one")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
             "--wheel-dir", tmp, str(ENGINE)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        wheels = list(Path(tmp).glob("portfolio-*.whl"))
        if proc.returncode or len(wheels) != 1:
            last = (proc.stderr.strip().splitlines() or ["no wheel"])[-1]
            raise RefusedError(f"could not build the engine's wheel: {last}")
        target.mkdir(parents=True, exist_ok=True)
        wheel = target / wheels[0].name
        wheel.write_bytes(wheels[0].read_bytes())
    return wheel


def _lock(name: str) -> str:
    path = ENGINE / "requirements" / name
    if not path.is_file():
        raise RefusedError(f"{path} is missing: run python -m portfolio new from an engine checkout")
    return path.read_text(encoding="utf-8")


def create(directory: Path, fill: dict[str, str]) -> list[Path]:
    """Write the site into ``directory`` (absent or empty); the files written."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise RefusedError(f"{directory} is not an empty folder: choose a new one")
    written = []
    for template in sorted(TEMPLATES.rglob("*.tmpl")):
        rel = template.relative_to(TEMPLATES)
        name = RENAMES.get(str(rel), str(rel).removesuffix(".tmpl"))
        if name == "docs/projects/project.md":
            name = f"docs/projects/{fill['project_id']}.md"
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(template.read_text(encoding="utf-8")).substitute(fill), encoding="utf-8")
        written.append(path)
    wheel = engine_wheel(directory / "vendor")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    docs = _lock("docs.txt").split("\n", 1)[1]
    header = "# The engine's hashed lock (its requirements/docs.txt) and the engine's wheel.\n"
    (directory / "requirements.txt").write_text(
        f"{header}{docs}./vendor/{wheel.name} \\\n    --hash=sha256:{digest}\n", encoding="utf-8"
    )
    (directory / "requirements-test.txt").write_text(_lock("dev.txt"), encoding="utf-8")
    return [*written, directory / "requirements.txt", directory / "requirements-test.txt", wheel]


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
        fill = values(args, datetime.date.today())
        files = create(args.directory, fill)
    except RefusedError as err:
        sys.stderr.write(f"portfolio new: {err}\n")
        return 2
    where = args.directory
    sys.stdout.write(f"wrote {len(files)} files into {where}; next: cd {where} && make html && make test\n")
    if importlib.util.find_spec("pytest") is None:
        sys.stdout.write(
            f"note: {sys.executable} has no pytest, which the new site's make test runs: run make test "
            "once in the engine's checkout to install its test tools\n"
        )
    return 0
