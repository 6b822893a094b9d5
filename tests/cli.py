"""Running the `tabletop` command in-process, as a user would, for the CLI tests."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tabletop_cli.main import app

RUNNER = CliRunner()


def invoke(*arguments: str) -> tuple[int, str]:
    """Run `tabletop ARGUMENTS`; its exit code and output. A Python traceback or an uncaught exception fails."""
    result = RUNNER.invoke(app, list(arguments))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


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
