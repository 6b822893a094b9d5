"""`tabletop play` in a real terminal (tmux): a short exercise as the facilitator sees it, then its log checked."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tui.tmux_exercise import LOG, expected_sights, play_short_exercise, shows_line, taken_row, visible_part

TABLETOP = Path(sys.executable).with_name("tabletop")


def row_with(screen: str, text: str) -> str:
    """The first row of `screen` that shows `text` (the clock bar's, the decision bar's...)."""
    return next((row for row in screen.splitlines() if text in row), "")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_a_short_exercise_in_a_terminal_shows_the_clock_the_inject_the_decision_and_the_debrief(
    tmp_path: Path,
) -> None:
    sights = expected_sights()

    screens = play_short_exercise(tmp_path, TABLETOP, sights)

    assert "T+00:00:00" in row_with(screens.first, "PAUSED")
    # The feed cuts a line at its panel's edge: at 120 columns only the inject text's first words show.
    assert f"“{sights.inject_text[:3]}" in visible_part(screens.stepped, sights.inject_line)
    clock_row = row_with(screens.decision, "PAUSED")  # the clock paused itself when the decision opened
    assert sights.decision_opened_at in clock_row and "T+00:00:00" not in clock_row
    assert sights.decision_prompt[:40] in row_with(screens.decision, "DECISION")
    assert sights.option_label in screens.prompt
    assert shows_line(screens.decided, sights.decision_line) and "DECISION" not in screens.decided
    assert sights.title in screens.debrief and "Objectives" in screens.debrief
    taken = taken_row(screens.debrief_decisions, sights)
    assert (
        "Decisions taken" in screens.debrief_decisions and sights.option_label[:10] in taken and "facilitator" in taken
    )
    assert screens.exit_status == 0
    assert f"The exercise has ended; its run log is {LOG}" in screens.left
    replayed = subprocess.run(
        [str(TABLETOP), "replay", LOG, "--verify"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
