"""The console examples of docs/writing-scenarios.md run as written, in order, and print what the guide shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.cli import run_as_written

DOC = Path(__file__).parents[1] / "docs" / "writing-scenarios.md"


def examples() -> list[tuple[list[str], list[str]]]:
    """Each `$ tabletop ...` command with the output lines the guide prints under it."""
    out: list[tuple[list[str], list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                out.append((shlex.split(line[2:])[1:], []))
            elif out:
                out[-1][1].append(line)
    return out


def files() -> dict[str, str]:
    """The files the guide shows (```yaml file NAME), which its commands then read."""
    return dict(re.findall(r"```yaml file ([\w.-]+)\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL))


def test_the_guide_shows_how_to_start_a_scenario_of_ones_own() -> None:
    assert any(arguments[0] == "new" for arguments, _ in examples())


def test_the_guide_shows_how_to_migrate_a_version_1_file() -> None:
    assert "old-drill.yaml" in files()
    assert ["migrate", "old-drill.yaml", "--force"] in [arguments for arguments, _ in examples()]


def test_every_console_example_runs_and_prints_what_the_guide_shows(tmp_path: Path) -> None:
    for name, text in files().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for arguments, shown in examples():
        printed = run_as_written(tmp_path, arguments).splitlines()
        for line in shown:
            assert line in printed, f"tabletop {shlex.join(arguments)} should print {line!r}"
