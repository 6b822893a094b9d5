"""Every `tabletop` command in the README works as written, in the order it is listed, in an empty folder."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

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
        result = subprocess.run(
            [sys.executable, "-m", "tabletop_cli.main", *arguments],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"tabletop {shlex.join(arguments)}:\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr
    assert (tmp_path / "runs.png").is_file()
    assert (tmp_path / "results" / "summary.json").is_file()
