"""Every `tabletop` command in the README works as written, in the order it is listed, in an empty folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.screen import Screen

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
        "serve",
        "report",
        "show",
        "msel",
        "network",
    }


INTERACTIVE = {"play"}
"""Commands that open the console: a subprocess without a terminal cannot drive them (tests/tui/test_tmux.py does)."""


def opens_a_screen(arguments: list[str]) -> bool:
    """An analyst's command that opens the console on its screen (`--tui`), or the browser server."""
    return "--tui" in arguments or arguments[0] == "serve"


def test_every_readme_command_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    served: list[str] = []
    # The console screens and the server need a terminal or a browser: in process, each is built (its logs read,
    # its scenario checked) and then recorded instead of shown.

    def fake_console(opening: Callable[[], Screen[None]]) -> int:
        opened.append(type(opening()).__name__)
        return 0

    monkeypatch.setattr("tabletop_cli._play.run_analysis_console", fake_console)

    async def fake_serve(command: str, host: str, port: int, **_: object) -> None:
        served.append(f"{host}:{port} {command}")

    monkeypatch.setattr("tabletop_cli._console_server.serve_console", fake_serve)
    for arguments in readme_commands():
        if arguments[0] in INTERACTIVE:
            continue
        if opens_a_screen(arguments):
            monkeypatch.chdir(tmp_path)
            code, output = invoke(*arguments)
            assert code == 0, f"tabletop {' '.join(arguments)}: {output}"
        else:
            run_as_written(tmp_path, arguments)
    assert (tmp_path / "runs.png").is_file()
    assert (tmp_path / "msel.xlsx").is_file() and (tmp_path / "my-city-2.yaml").is_file()
    assert (tmp_path / "network.png").is_file()
    assert (tmp_path / "results" / "summary.json").is_file()
    assert (tmp_path / "run.report.html").is_file() and (tmp_path / "results" / "report.html").is_file()
    assert opened == ["CompareScreen", "ReplayScreen"]
    assert [line.split(" ")[0] for line in served] == ["127.0.0.1:8000", "127.0.0.1:8000"]  # this machine only
    assert served[0].endswith(" play synagogue-holiday-attack") and served[1].endswith(" play")


def test_the_readme_s_console_commands_are_accepted_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    launched = capture_play(monkeypatch)
    commands = [arguments for arguments in readme_commands() if arguments[0] in INTERACTIVE]

    for arguments in commands:
        code, output = invoke(*arguments)
        assert code == 0, output
    assert len(launched) == len(commands) >= 2
