"""The command palette's entries on the exercise screen: every clock control, decision, inject action and seat."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from simulator.commands import SPEEDS
from simulator.seats import EVALUATOR, FACILITATOR

if TYPE_CHECKING:
    from tui.screens.exercise import ExerciseScreen

INJECT_ACTIONS = ("fire", "hold", "release", "delay", "skip")


def exercise_commands(screen: ExerciseScreen) -> Iterator[SystemCommand]:
    """The entries, each running the same action as its key (the console is the facilitator's in every view)."""
    host, seat = screen.host, screen.seat
    running = not host.clock().finished
    if running:
        yield SystemCommand("Clock: pause or run", "Space", screen.action_toggle_clock)
        yield SystemCommand("Clock: step to the next event", "n", screen.action_step)
        for speed in SPEEDS:
            yield SystemCommand(
                f"Clock: speed {speed}", "Run the clock at this speed (keys 1-4)", partial(screen.action_speed, speed)
            )
        yield SystemCommand(
            "Decisions: pause the clock when one opens (on/off)", "p", screen.action_toggle_pause_on_decision
        )
    for d in host.pending_decisions(seat):
        yield SystemCommand(f"Decide: {d.prompt}", d.decision, partial(screen.action_decide, d.decision))
    if running:
        for inject in host.msel():
            allowed = dict(
                zip(
                    INJECT_ACTIONS,
                    (inject.can_fire, inject.can_hold, inject.can_release, inject.can_delay, inject.can_skip),
                    strict=True,
                )
            )
            for action in INJECT_ACTIONS:
                if allowed[action]:
                    yield SystemCommand(
                        f"Inject {inject.id}: {action}",
                        inject.text[:120],
                        partial(screen.inject_action, action, inject.id),
                    )
        yield SystemCommand("Inject: write an ad-hoc inject", "a", screen.action_adhoc)
        yield SystemCommand("Note an observation", "o", screen.action_observe)
    for other in (FACILITATOR, EVALUATOR, *(s.id for s in host.catalogue().stakeholders)):
        yield SystemCommand(f"Seat: {other}", "Show the console to this seat", partial(screen.switch_seat, other))
    yield SystemCommand("Export the run log", "Ctrl+E", screen.action_export)
    if not running:
        from tui.screens.debrief import compare_with_other_runs

        yield SystemCommand(
            "Compare this run with other runs",
            "Pick other runs of this scenario from the run log's folder",
            partial(compare_with_other_runs, screen.app, screen.session.log),
        )
    yield SystemCommand("End the exercise and debrief", "e", screen.action_end)
