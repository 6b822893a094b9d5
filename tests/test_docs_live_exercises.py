"""The Python example of docs/live-exercises.md runs as written and does what the guide says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).parents[1] / "docs" / "live-exercises.md"


def python_examples() -> list[str]:
    """The guide's Python blocks."""
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_console_authors_example_runs_and_a_participant_cannot_decide_for_another(tmp_path: Path) -> None:
    (example,) = python_examples()

    done = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True, check=False)

    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert printed[:3] == [
        "An armed person is reported at the synagogue (or shots). Do the first patrols go to the door now, or hold "
        "a cordon and wait for the armed response team?",
        "- Send the nearest patrols in now: tell Patrol cars on duty in the city “Patrols are ordered to go to the "
        "synagogue and engage.”",
        "- Patrols hold a cordon; wait for armed response: tell Patrol cars on duty in the city “Patrols - hold a "
        "cordon at a distance; do not go to the door; wait for the armed response team.”",
    ]
    assert "seat 'community-security' cannot take decision 'patrols-in-or-wait'" in done.stdout
    assert (tmp_path / "exercise.jsonl").is_file()


def test_the_guide_lists_every_command() -> None:
    from simulator import COMMANDS

    table = DOC.read_text(encoding="utf-8").split("## Commands", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    listed = {name for cell in first_cells for name in re.findall(r"`([a-z_]+)`", cell)}

    assert listed == set(COMMANDS)
