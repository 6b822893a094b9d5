"""Every `tabletop` command in the README works as written, in the order it is listed, in an empty folder."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.cli import run_as_written

README = Path(__file__).parents[1] / "README.md"


def readme_commands() -> list[list[str]]:
    """The `tabletop ...` commands quoted in the README, in order."""
    text = README.read_text(encoding="utf-8")
    return [shlex.split(command)[1:] for command in re.findall(r"`(tabletop [^`]+)`", text)]


def test_the_readme_lists_a_command_for_every_job() -> None:
    jobs = {arguments[0] for arguments in readme_commands()}
    assert jobs >= {"new", "validate", "schema", "run", "replay", "fork", "compare", "batch", "export"}


def test_every_readme_command_runs_as_written(tmp_path: Path) -> None:
    for arguments in readme_commands():
        run_as_written(tmp_path, arguments)
    assert (tmp_path / "runs.png").is_file()
    assert (tmp_path / "results" / "summary.json").is_file()
