"""Running the `tabletop` command in-process, as a user would, for the CLI tests."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from pytest import MonkeyPatch
from typer.testing import CliRunner

from tabletop_cli.main import app
from tui.session import Launch

RUNNER = CliRunner()


def invoke(*arguments: str) -> tuple[int, str]:
    """Run `tabletop ARGUMENTS`; its exit code and output. A Python traceback or an uncaught exception fails."""
    result = RUNNER.invoke(app, list(arguments))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def quoted_commands(document: Path) -> list[list[str]]:
    """The `tabletop ...` commands quoted inline in a Markdown document, in order, without `tabletop`."""
    text = document.read_text(encoding="utf-8")
    return [shlex.split(command)[1:] for command in re.findall(r"`(tabletop [^`]+)`", text)]


def run_as_written(folder: Path, arguments: list[str]) -> str:
    """Run `tabletop ARGUMENTS` as a separate process in `folder`, as a user's shell would; its standard output.

    It must succeed and print no traceback.
    """
    result = subprocess.run(
        [sys.executable, "-m", "tabletop_cli.main", *arguments], cwd=folder, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"tabletop {shlex.join(arguments)}:\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr
    return result.stdout


def capture_play(monkeypatch: MonkeyPatch) -> list[tuple[Launch, bool]]:
    """Make `tabletop play` record what it was asked to open (its launch, and whether on the start screen) instead
    of opening the console, which needs a terminal."""
    launched: list[tuple[Launch, bool]] = []

    def fake_play(launch: Launch, *, start_screen: bool) -> int:
        launched.append((launch, start_screen))
        return 0

    monkeypatch.setattr("tabletop_cli._play.run_play", fake_play)
    return launched
