"""A closed or abandoned run leaves no reference cycles: it is freed at once, without the cyclic garbage collector."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scenarios import bundled_names, load_scenario
from simulator import Exercise
from simulator.errors import CommandError
from simulator.setup import Setup


@contextmanager
def collector_paused() -> Iterator[list[object]]:
    """Pause the automatic collector; on exit, collect and hand back what only the cyclic collector could free."""
    gc.collect()
    gc.disable()
    found: list[object] = []
    try:
        yield found
    finally:
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            gc.collect()
            found.extend(gc.garbage)
            gc.garbage.clear()
        finally:
            gc.set_debug(0)
            gc.enable()


def cyclic_garbage(setup: Setup, play: Callable[[Exercise], object], log: Path | None = None) -> list[str]:
    """The types of the objects a run played by `play` leaves to the cyclic collector once it is dropped."""
    warm = Exercise(setup, 0)  # first runs fill caches (compiled delays, the trigger index, importlib.metadata)
    warm.run()
    del warm
    with collector_paused() as found:
        exercise = Exercise(setup, 1, log=log)
        play(exercise)
        del exercise
    return sorted({type(item).__name__ for item in found})


@pytest.fixture(scope="module")
def synagogue() -> Setup:
    return Setup.of(load_scenario("synagogue-holiday-attack"))


@pytest.mark.parametrize("name", bundled_names())
def test_a_closed_run_of_every_bundled_scenario_leaves_no_cycles(name: str) -> None:
    assert cyclic_garbage(Setup.of(load_scenario(name)), Exercise.run) == []


def test_a_run_closed_early_leaves_no_cycles(synagogue: Setup) -> None:
    def early(exercise: Exercise) -> None:
        exercise.advance_to(600.0)
        exercise.close()

    assert cyclic_garbage(synagogue, early) == []


def test_an_abandoned_run_leaves_no_cycles(synagogue: Setup) -> None:
    def abandoned(exercise: Exercise) -> None:
        exercise.advance_to(900.0)
        exercise.abandon()

    assert cyclic_garbage(synagogue, abandoned) == []


def test_a_logged_run_leaves_no_cycles(synagogue: Setup, tmp_path: Path) -> None:
    assert cyclic_garbage(synagogue, Exercise.run, log=tmp_path / "run.jsonl") == []
    assert (tmp_path / "run.jsonl").stat().st_size > 0


def test_a_run_dropped_unclosed_is_found_by_the_check(synagogue: Setup) -> None:
    # The check sees cycles when there are some: a run still under way is a web of callbacks into its world.
    def unclosed(exercise: Exercise) -> None:
        exercise.advance_to(600.0)

    assert "World" in cyclic_garbage(synagogue, unclosed)


def test_a_closed_run_still_answers_its_views(synagogue: Setup) -> None:
    exercise = Exercise(synagogue, 3)
    played = Exercise(synagogue, 3)
    played.advance_to(synagogue.scenario.clock.duration)  # the same run, not closed: what the views said before
    summary = exercise.run()
    assert exercise.close() is summary
    assert exercise.finished
    assert exercise.milestones() == played.milestones() == summary.milestones
    assert exercise.now == played.now
    assert exercise.harm == pytest.approx(played.harm)
    assert [r.rating for r in exercise.objectives(final=True)] == [r.rating for r in played.objectives(final=True)]
    for stakeholder in sorted(played.world.stakeholders):
        assert exercise.awareness(stakeholder) == played.awareness(stakeholder)
    assert [dict(r) for r in exercise.records[:-1]] == [dict(r) for r in played.records]
    assert exercise.records[-1]["kind"] == "RunEnded"
    assert exercise.next_event_t() is None


def test_an_abandoned_run_refuses_to_go_on_but_answers_its_views(synagogue: Setup) -> None:
    exercise = Exercise(synagogue, 4)
    exercise.advance_to(900.0)
    milestones = exercise.milestones()
    exercise.abandon()
    assert exercise.milestones() == milestones
    assert exercise.now == 900.0
    with pytest.raises(CommandError):
        exercise.advance_to(1200.0)
