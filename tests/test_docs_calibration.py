"""docs/calibration.md: every `tabletop` command it quotes works as written, in order, in an empty folder."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import quoted_commands, run_as_written

GUIDE = Path(__file__).parents[1] / "docs" / "calibration.md"


def test_the_guide_s_commands_run_as_written_and_the_batch_shows_the_published_intervals(tmp_path: Path) -> None:
    commands = quoted_commands(GUIDE)
    assert [arguments[0] for arguments in commands] == ["batch", "new", "batch", "batch"]

    outputs = [run_as_written(tmp_path, arguments) for arguments in commands]

    # The bundled scenario's batch shows each published interval beside the simulated distribution.
    assert "Halle 2019: 8m (12:03 to 12:11)" in outputs[0]
    assert "Manchester Arena 2017: 19m" in outputs[0]
    summary = json.loads((tmp_path / "published" / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["variants"]["base"]["references"]) == {
        "call-to-police-on-scene",
        "call-to-armed-on-scene",
        "call-to-ems-access",
    }
    # The decision batch took the other option in every run.
    waiting = (tmp_path / "waiting" / "results.csv").read_text(encoding="utf-8")
    assert waiting.count("\n") == 201
