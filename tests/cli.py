"""Running the `tabletop` command in-process, as a user would, for the CLI tests."""

from __future__ import annotations

from typer.testing import CliRunner

from tabletop_cli.main import app

RUNNER = CliRunner()


def invoke(*arguments: str) -> tuple[int, str]:
    """Run `tabletop ARGUMENTS`; its exit code and output. A Python traceback or an uncaught exception fails."""
    result = RUNNER.invoke(app, list(arguments))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output
