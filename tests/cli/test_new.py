"""``portfolio new`` from this checkout: a new researcher's site from one command, with every
starter file, a record of what was written, and its own tests passing offline with zero
warnings.  The same command from an engine installed alone, and the site's own ``make html``
and ``make test``, are in test_upgrade.py."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import yaml

import portfolio
from helpers import ROOT, offline

NEW = [sys.executable, "-m", "portfolio", "new"]
ADA = ["--name", "Ada Lovelace", "--spelling", "A. Lovelace", "--affiliation", "University of London",
       "--profile", "https://github.com/example-ada", "--project", "Analytical Engine"]  # fmt: skip


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("new") / "ada-portfolio"
    proc = subprocess.run([*NEW, str(site), *ADA], cwd=ROOT, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("wrote ") and "make html && make test" in proc.stdout
    return site


def test_new_site_has_every_starter_file(made: Path) -> None:
    for name in ("conf.py", "refs.bib", "docs/index.md", "docs/biography.md", "docs/projects/index.md",
                 "docs/projects/analytical-engine.md", "docs/news.md", "docs/publications.md", "urls.txt",
                 ".readthedocs.yaml", "Makefile", ".gitignore", "tests/test_site.py", "tests/facts.toml",
                 ".github/workflows/upkeep.yml", ".github/workflows/pages.yml",
                 "requirements.txt", "requirements-test.txt", "portfolio-site.json"):  # fmt: skip
        assert (made / name).is_file(), name
    assert (made / "urls.txt").read_text(encoding="utf-8") == ""
    entries = bibtexparser.parse_string((made / "refs.bib").read_text(encoding="utf-8")).entries
    assert len(entries) == 1 and "Lovelace" in entries[0].fields_dict["author"].value
    (wheel,) = (made / "vendor").glob("portfolio-*.whl")
    assert f"./vendor/{wheel.name}" in (made / "requirements.txt").read_text(encoding="utf-8")
    for text in (made / "conf.py").read_text("utf-8"), (made / "docs" / "index.md").read_text("utf-8"):
        assert "Zhu" not in text and "Ada Lovelace" in text


def test_new_site_records_what_it_wrote_and_pins_the_engine(made: Path) -> None:
    record = json.loads((made / "portfolio-site.json").read_text(encoding="utf-8"))
    assert record["engine"] == portfolio.__version__
    assert record["answers"]["name"] == "Ada Lovelace" and record["answers"]["spellings"] == [
        "Ada Lovelace",
        "A. Lovelace",
    ]
    # every file the templates wrote is recorded with the hash of what was written, and only those
    written = {p.relative_to(made).as_posix() for p in made.rglob("*") if p.is_file()}
    assert set(record["files"]) == written - {"portfolio-site.json", "requirements.txt", "requirements-test.txt",
                                              f"vendor/{next((made / 'vendor').iterdir()).name}"}  # fmt: skip
    for name, digest in record["files"].items():
        assert hashlib.sha256((made / name).read_bytes()).hexdigest() == digest, name
    # the pin: the engine's build lock, then its wheel by hash; the test lock adds the test tools
    requirements = (made / "requirements.txt").read_text(encoding="utf-8")
    assert (ROOT / "requirements" / "docs.txt").read_text(encoding="utf-8").split("\n", 1)[1] in requirements
    tests = (made / "requirements-test.txt").read_text(encoding="utf-8")
    assert "\npytest==" in tests and "\nbibtexparser==" in tests and "\nplaywright==" not in tests
    assert str(ROOT) not in requirements + tests + (made / "Makefile").read_text(encoding="utf-8")


def test_new_refuses_a_folder_in_use_and_a_missing_name(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine", encoding="utf-8")
    proc = subprocess.run([*NEW, str(tmp_path / "used"), *ADA], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "is not an empty folder" in proc.stderr
    assert (tmp_path / "used" / "notes.txt").read_text(encoding="utf-8") == "mine"
    proc = subprocess.run([*NEW, str(tmp_path / "other")], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip
    assert proc.returncode == 2 and "--name is required" in proc.stderr and not (tmp_path / "other").exists()


def test_new_with_only_a_name_passes_its_own_tests(tmp_path: Path) -> None:
    """No affiliation, profile or project given: the starter's own tests (which build it with
    -W, as its make test does) pass offline, run by this checkout's Python."""
    site = tmp_path / "minimal"
    proc = subprocess.run([*NEW, str(site), "--name", "Mary Somerville"], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    cmd, env = offline([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests"])
    test = subprocess.run(cmd, cwd=site, capture_output=True, text=True, env=env, check=False)
    assert test.returncode == 0, test.stdout[-3000:] + test.stderr[-2000:]
    assert " passed" in test.stdout and "failed" not in test.stdout and "skipped" not in test.stdout


def test_new_sites_workflows_validate(made: Path, check_jsonschema: Path) -> None:
    workflows = [made / ".github" / "workflows" / name for name in ("upkeep.yml", "pages.yml")]
    workflows.append(ROOT / ".github" / "workflows" / "pages.yml")
    proc = subprocess.run([str(check_jsonschema), "--builtin-schema", "vendor.github-workflows", *map(str, workflows)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = workflows[0].read_text(encoding="utf-8")
    assert "Ada Lovelace" in text and "${{ secrets.PORTFOLIO_OPENALEX_KEY }}" in text
    assert "upkeep:" in (made / "Makefile").read_text(encoding="utf-8")
    # this repository deploys to Pages with the very jobs a new site gets
    ours, theirs = (yaml.safe_load(path.read_text(encoding="utf-8")) for path in workflows[1:])
    assert ours == theirs and theirs["jobs"]["build"]["steps"][3]["run"] == "make html"
