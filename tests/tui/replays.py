"""Run logs for the replay screen's tests, and the state of a run at a moment by an independent re-simulation."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from scenarios import load_scenario
from simulator import ExerciseHost
from simulator.analysis.replay import read_tabletop_log, resimulate, scenario_of
from simulator.exercise import Exercise
from tui.app import TabletopApp
from tui.screens.replay import ReplayScreen

SYNAGOGUE = "synagogue-holiday-attack"
BOMB_THREAT = "bomb-threat-misinformation"

PLAYS: dict[str, tuple[dict[str, str], list[tuple[float, dict[str, Any]]]]] = {
    SYNAGOGUE: (
        {"patrols-in-or-wait": "wait-for-armed", "warn-other-sites": "warn-now"},
        [
            (60.0, {"command": "hold_inject", "inject": "inj-03"}),
            (300.0, {"command": "fire_inject", "inject": "inj-04"}),
            (1500.0, {"command": "release_inject", "inject": "inj-03"}),
        ],
    ),
    BOMB_THREAT: (
        {"verify-rumour": "call-synagogue", "answer-press": "say-checking"},
        [
            (240.0, {"command": "fire_inject", "inject": "inj-05"}),
            (900.0, {"command": "observe", "seat": "evaluator", "text": "The staff call the police at once."}),
        ],
    ),
}
"""Each scenario's preset decisions (`--decide`) and the commands the facilitator sent, at simulation times."""


def played(folder: Path, scenario: str, *, decide_first: str | None = None, name: str = "run.jsonl") -> Path:
    """Play `scenario` (seed 3) to its end with its presets and commands, its log written to `folder`/`name`.

    With `decide_first`, the first decision to open is decided by a command, with that option.
    """
    presets, commands = PLAYS[scenario]
    path = folder / name
    host = ExerciseHost.open(
        load_scenario(scenario), 3, log=path, source=scenario, decisions=presets, pause_on_decision=False
    )
    to_decide = decide_first
    for t, command in [*commands, (host.clock().end, None)]:
        while to_decide is not None:  # event by event until the first decision opens, if it opens before `t`
            upcoming = host.clock().next_event_t
            if upcoming is None or upcoming > t or not host.step():
                break
            if host.pending_decisions():
                decision = host.pending_decisions()[0]
                host.submit({"command": "decide", "decision": decision.decision, "option": to_decide})
                to_decide = None
        host.advance_to(t)
        if command is not None:
            host.submit(command)
        assert not host.take_refusals()
    assert to_decide is None, "no decision opened"
    host.advance_to(host.clock().end)
    host.finish()
    return path


def resimulated(path: Path, t: float) -> Exercise:
    """The run of the log at `path` re-simulated to simulation time `t`, independently of the replay screen.

    Every command logged at or before `t` is applied at its point, then every event due by `t` is processed.
    """
    log = read_tabletop_log(path)
    scenario, _notes = scenario_of(log)
    later = (int(r["seq"]) for r in log.records if r["kind"] == "CommandApplied" and float(r["exact_t"]) > t)
    exercise = resimulate(log, scenario, until_record=next(later, None))
    exercise.advance_to(t)
    return exercise


def plain(text: Text) -> str:
    """Rich text as plain text, 200 columns wide (as `tests.tui.console.static_text` renders a Static)."""
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(text)
    return console.export_text().rstrip("\n")


def replay_app(path: Path) -> TabletopApp:
    """The console opened on the replay screen of the log at `path` (as `tabletop replay LOG --tui` opens it)."""
    screen = ReplayScreen.open(path)
    opening: Callable[[], ReplayScreen] = lambda: screen  # noqa: E731
    return TabletopApp(opening=opening)
