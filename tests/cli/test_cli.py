"""The ``portfolio`` command: the console script that installing the engine gives, and
``python -m portfolio``, one parser with every subcommand."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from helpers import ROOT
from portfolio.cli import parser

SCRIPT = Path(sys.executable).parent / "portfolio"


def subcommands() -> list[str]:
    (action,) = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return list(action.choices)


def test_the_console_script_lists_every_subcommand() -> None:
    assert SCRIPT.is_file(), f"{SCRIPT}: pyproject.toml's [project.scripts] names the command"
    shown = subprocess.run(
        [str(SCRIPT), "--help"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    listed = re.findall(r"^ {4}(\w+) {2,}\S", shown, re.M)
    assert listed == subcommands()
    assert {"new", "check", "add", "refresh"} <= set(listed)
    module = subprocess.run(
        [sys.executable, "-m", "portfolio", "--help"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert module == shown  # python -m portfolio is the same command


def test_each_subcommand_has_help_and_a_wrong_one_is_one_line() -> None:
    for name in subcommands():
        out = subprocess.run([str(SCRIPT), name, "--help"], capture_output=True, text=True, check=False)
        assert out.returncode == 0 and out.stdout.startswith(f"usage: portfolio {name}"), out.stderr
    wrong = subprocess.run([str(SCRIPT), "publish"], capture_output=True, text=True, check=False)
    assert wrong.returncode == 2 and "invalid choice: 'publish'" in wrong.stderr
    assert "Traceback" not in wrong.stderr
