"""Shared fixtures for the analysis tests: logged runs of the bundled synagogue scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import Scenario, load_scenario
from simulator import Exercise


@pytest.fixture(scope="session")
def synagogue() -> Scenario:
    """The bundled synagogue scenario."""
    return load_scenario("synagogue-holiday-attack")


def write_run(scenario: Scenario, path: Path, seed: int = 5, source: str | None = None) -> Exercise:
    """Play a run to the end with a log at `path`, with one facilitator command along the way."""
    exercise = Exercise(scenario, seed, log=path, source=source or "synagogue-holiday-attack")
    exercise.advance_to(120.0)
    exercise.mark_pause("discussion")
    exercise.advance_to(400.0)
    exercise.add_inject("crisis-cell", "The mayor calls.", None)
    exercise.run()
    return exercise


@pytest.fixture
def logged_run(tmp_path: Path, synagogue: Scenario) -> Path:
    """A sealed run log with commands in it."""
    path = tmp_path / "run.jsonl"
    write_run(synagogue, path)
    return path
