"""`tabletop compare`: the JSON report's keys and decisions; `--tui` opens the compare screen, and only alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.screen import Screen

from simulator import Exercise
from tests.cli import invoke
from tests.simulator.analysis.conftest import phoned_alarm
from tui.screens.compare import CompareScreen


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two runs of the phoned alarm: the guard calls at once, or a minute later."""
    folder = tmp_path_factory.mktemp("compare")
    paths = [folder / "now.jsonl", folder / "later.jsonl"]
    for path, call in zip(paths, ("now", "later"), strict=True):
        Exercise(phoned_alarm(), 0, decisions={"call": call}, log=path).run()
    return paths


def test_the_json_report_has_each_run_s_option_per_decision_and_the_decisions_that_differed(two: list[Path]) -> None:
    code, output = invoke("compare", *map(str, two), "--json")

    assert code == 0, output
    report = json.loads(output)
    assert list(report) == [
        "runs",
        "milestones",
        "ratings",
        "harm",
        "decisions",
        "differing_decisions",
        "notes",
        "ends",
    ]
    assert report["decisions"] == {"call": ["now", "later"]}
    assert report["differing_decisions"] == ["call"]
    same = json.loads(invoke("compare", str(two[0]), str(two[0]), "--json")[1])
    assert same["decisions"] == {"call": ["now", "now"]} and same["differing_decisions"] == []


@pytest.mark.parametrize("other", [["--json"], ["--plot", "timeline.png"]])
def test_tui_is_refused_with_json_or_plot(two: list[Path], other: list[str], tmp_path: Path) -> None:
    code, output = invoke("compare", *map(str, two), "--tui", *other)

    assert code == 2
    assert output.startswith("Bad option\n") and "--tui" in output
    assert not (tmp_path / "timeline.png").exists()


def test_tui_opens_the_compare_screen_on_the_logs_in_their_order(
    two: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Screen[None]] = []

    def fake_console(opening: Callable[[], Screen[None]]) -> int:
        opened.append(opening())
        return 0

    monkeypatch.setattr("tabletop_cli._play.run_analysis_console", fake_console)
    code, output = invoke("compare", str(two[1]), str(two[0]), "--tui")

    assert code == 0, output
    (screen,) = opened
    assert isinstance(screen, CompareScreen)
    assert screen.comparison.paths == [two[1], two[0]]


def test_tui_refuses_a_bad_log_before_the_console_opens(
    two: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []

    def fake_console(opening: object) -> int:
        opened.append(opening)
        return 0

    monkeypatch.setattr("tabletop_cli._play.run_analysis_console", fake_console)
    other = tmp_path / "notes.jsonl"
    other.write_text("hello\n", encoding="utf-8")

    code, output = invoke("compare", str(two[0]), str(other), "--tui")
    assert code == 2 and "not a Tabletop run log" in output
    code, output = invoke("compare", str(two[0]), "--tui")
    assert code == 2 and output.startswith("Cannot compare\n")
    assert opened == []


def test_the_table_ends_with_the_decisions_that_differed_by_their_options_labels(two: list[Path]) -> None:
    code, output = invoke("compare", *map(str, two))

    assert code == 0, output
    row = next(line for line in output.splitlines() if "decision call" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["decision call", "Now", "Later"]
    same = invoke("compare", str(two[0]), str(two[0]))[1]
    assert "decision call" not in same


def test_the_table_says_how_each_run_stopped_and_a_milestone_it_stopped_before(two: list[Path], tmp_path: Path) -> None:
    # The later call cut short: the guard knows at 4.1 s, the police would at 64.1 s, the run stops at 30 s.
    from simulator.host import ExerciseHost

    host = ExerciseHost.open(phoned_alarm(), log=tmp_path / "early.jsonl", decisions={"call": "later"})
    host.advance_to(30.0)
    host.finish()
    code, output = invoke("compare", str(two[0]), str(tmp_path / "early.jsonl"), "--json")
    assert code == 0, output
    report = json.loads(output[output.index("{") :])
    assert report["ends"] == [
        {"t": 600.0, "status": "ended", "played_out": True},
        {"t": 30.0, "status": "ended", "played_out": False},
    ]
    assert report["milestones"]["police-know"] == [4.1, None]  # the key kept as it was: None, not reached

    code, output = invoke("compare", str(two[0]), str(tmp_path / "early.jsonl"))
    assert code == 0, output
    police = next(line for line in output.splitlines() if "Police-Know" in line)
    assert "after its end (00:30)" in police
    ended = next(line for line in output.splitlines() if line.startswith("│ run"))
    assert "played to the end" in ended and "ended early at" in ended
