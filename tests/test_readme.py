"""Every `tabletop` command in the README works as written, in the order it is listed, in an empty folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import capture_play, invoke, quoted_commands, run_as_written

README = Path(__file__).parents[1] / "README.md"


def readme_commands() -> list[list[str]]:
    """The `tabletop ...` commands quoted in the README, in order."""
    return quoted_commands(README)


def test_the_readme_lists_a_command_for_every_job() -> None:
    jobs = {arguments[0] for arguments in readme_commands()}
    assert jobs >= {
        "play",
        "new",
        "validate",
        "schema",
        "migrate",
        "run",
        "replay",
        "fork",
        "compare",
        "batch",
        "export",
    }


INTERACTIVE = {"play"}
"""Commands that open the console: a subprocess without a terminal cannot drive them (tests/tui/test_tmux.py does)."""


def test_every_readme_command_runs_as_written(tmp_path: Path) -> None:
    for arguments in readme_commands():
        if arguments[0] not in INTERACTIVE:
            run_as_written(tmp_path, arguments)
    assert (tmp_path / "runs.png").is_file()
    assert (tmp_path / "results" / "summary.json").is_file()


def test_the_readme_s_console_commands_are_accepted_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    launched = capture_play(monkeypatch)
    commands = [arguments for arguments in readme_commands() if arguments[0] in INTERACTIVE]

    for arguments in commands:
        code, output = invoke(*arguments)
        assert code == 0, output
    assert len(launched) == len(commands) >= 2
