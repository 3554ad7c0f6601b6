"""The weekly upkeep: ``make upkeep`` (``portfolio upkeep``) runs refresh, discover and
metrics against the local stand-in and prints one summary; the workflow that runs it every
week validates against GitHub's workflow schema and proposes a pull request, never a push."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from fakeservices import Reply, services
from test_discover import DBLP, ORCID
from test_importer import ARXIV
from test_metrics import first_answers

from helpers import ROOT, copy_root

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_the_workflows_validate_against_githubs_schema(check_jsonschema: Path, tmp_path: Path) -> None:
    assert WORKFLOWS, "no workflow in .github/workflows"
    command = [str(check_jsonschema), "--builtin-schema", "vendor.github-workflows"]
    proc = subprocess.run([*command, *map(str, WORKFLOWS)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the check can fail: a job without runs-on is not a workflow
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    steps:\n      - run: echo\n", encoding="utf-8")
    assert subprocess.run([*command, str(broken)], capture_output=True, check=False).returncode == 1


def test_the_upkeep_workflow_proposes_a_pull_request_with_the_secrets() -> None:
    flow: dict[Any, Any] = yaml.safe_load((ROOT / ".github" / "workflows" / "upkeep.yml").read_text("utf-8"))
    assert flow[True]["schedule"] and "workflow_dispatch" in flow[True]  # PyYAML reads `on:` as True
    (job,) = flow["jobs"].values()
    runs = [step.get("run", "") for step in job["steps"]]
    assert any(run.startswith("make upkeep") for run in runs) and any(
        run.startswith("make html") for run in runs
    )
    assert not any("git push" in run for run in runs)  # a pull request, never the default branch
    uses = [step.get("uses", "") for step in job["steps"]]
    assert any(u.startswith("peter-evans/create-pull-request@") for u in uses)
    env = next(step["env"] for step in job["steps"] if step.get("run", "").startswith("make upkeep"))
    assert env == {name: f"${{{{ secrets.{name} }}}}" for name in
                   ("PORTFOLIO_OPENALEX_KEY", "PORTFOLIO_S2_KEY", "PORTFOLIO_CONTACT")}  # fmt: skip
    assert flow["permissions"] == {"contents": "write", "pull-requests": "write"}


def test_make_upkeep_runs_all_three_and_prints_one_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = copy_root(tmp_path, "metrics")
    with (site / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('portfolio_author_ids = {"orcid": "0000-0002-1825-0097", "dblp": "12/3456"}\n')
    (site / "discover-ignore.txt").write_text("10.1000/namesake.9\n", encoding="utf-8")
    make = subprocess.run(["make", "--no-print-directory", "-n", "upkeep", f"PYTHON={sys.executable}"], cwd=ROOT,
                          capture_output=True,
                          text=True, check=True).stdout.splitlines()  # fmt: skip
    (command,) = [line for line in make if "-m portfolio upkeep" in line]
    python, *args = command.split()
    monkeypatch.setenv("PORTFOLIO_OPENALEX_KEY", "test-key")
    monkeypatch.setenv("PORTFOLIO_S2_KEY", "test-key")
    with services(monkeypatch) as fake:
        first_answers(fake)
        fake.reply("/api/query?id_list=2503.00003", Reply(body=ARXIV.replace("2501.01234", "2503.00003")))
        fake.reply(
            "/v3.0/0000-0002-1825-0097/works", Reply(body=json.dumps(ORCID), content_type="application/json")
        )
        fake.reply("/pid/12/3456.xml", Reply(body=DBLP, content_type="application/xml"))
        fake.reply("/10.1000/engine.2", Reply(404, "no"))  # the DOI the profiles list: doi.org has not got it
        proc = subprocess.run(
            [str(ROOT / python), *args], cwd=site, capture_output=True, text=True, check=False
        )
    lines = proc.stdout.splitlines()
    steps = [line.split(":")[0] for line in lines if not line.startswith("  ")]
    assert steps == ["refresh", "discover", "metrics"], proc.stdout + proc.stderr
    assert lines[-1].startswith("metrics: 5 of 6 papers counted") and (site / "citations.json").is_file()
    summary = (site / "_build" / "upkeep.md").read_text(encoding="utf-8")
    assert [line for line in summary.splitlines() if line.startswith("### ")] == [
        "### refresh", "### discover", "### metrics",
    ]  # fmt: skip
    assert "portfolio discover --ignore" in summary
