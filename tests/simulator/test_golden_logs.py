"""Golden run logs: each bundled scenario (base variant, seed 0) plays exactly as its committed log in tests/golden/.

The header's `tool_version` is normalised to `golden` on both sides (see tests/golden/regenerate.py), so a version
bump does not break the goldens; anything else that changes the bytes of a run does. When a change is intended,
regenerate with `python -m tests.golden.regenerate` from the project root and review the diff.
"""

from __future__ import annotations

import pytest

from scenarios import bundled_names, load_scenario
from simulator import Exercise
from simulator.runlog import read_run_log
from tests.golden.regenerate import (
    REGENERATE,
    SEED,
    TOOL_VERSION,
    first_difference,
    golden_log,
    golden_names,
    golden_path,
    normalise,
)

BUNDLED = bundled_names()
HOW_TO_REGENERATE = (
    f"If this change is intended, regenerate the golden logs with `{REGENERATE}` (from the project root) "
    "and review the diff before committing it."
)


@pytest.mark.parametrize("name", BUNDLED)
def test_a_bundled_scenario_plays_exactly_as_its_golden_log(name: str) -> None:
    path = golden_path(name)
    if not path.exists():
        pytest.fail(f"{name} has no golden log at {path}. {HOW_TO_REGENERATE}")

    expected, actual = path.read_bytes(), golden_log(name)

    if actual != expected:
        pytest.fail(
            f"{name} no longer plays as its golden log {path.name}: {first_difference(expected, actual)}\n"
            f"{HOW_TO_REGENERATE}"
        )


def test_every_bundled_scenario_has_a_golden_log() -> None:
    missing = sorted(set(BUNDLED) - set(golden_names()))

    assert not missing, f"bundled scenarios without a golden log: {', '.join(missing)}. {HOW_TO_REGENERATE}"


def test_every_golden_log_belongs_to_a_bundled_scenario() -> None:
    stale = sorted(set(golden_names()) - set(BUNDLED))

    assert not stale, f"golden logs of scenarios that are no longer bundled: {', '.join(stale)}. {HOW_TO_REGENERATE}"


@pytest.mark.parametrize("name", golden_names())
def test_a_golden_log_is_a_sealed_run_log_of_seed_0_and_the_base_variant(name: str) -> None:
    log = read_run_log(golden_path(name))

    assert log.seal is not None
    assert not log.repaired
    assert log.header["tool_version"] == TOOL_VERSION
    assert (log.header["scenario_id"], log.header["seed"], log.header["variant"]) == (name, SEED, None)
    assert log.seal["records"] == len(log.records)


def test_a_version_bump_does_not_change_the_normalised_log(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "synagogue-holiday-attack"
    monkeypatch.setattr("simulator.exercise.tool_version", lambda: "99.1.0")
    exercise = Exercise(load_scenario(name), SEED, source=name)
    exercise.run()

    bumped = exercise.log_bytes()

    assert b'"tool_version":"99.1.0"' in bumped
    assert normalise(bumped) == golden_log(name)


def test_a_difference_is_shown_as_the_first_differing_record() -> None:
    golden = golden_log("synagogue-holiday-attack")
    lines = golden.splitlines(keepends=True)
    altered = b"".join([*lines[:5], lines[5].replace(b'"seq":4', b'"seq":4,"x":1'), *lines[6:]])

    described = first_difference(golden, altered)

    assert described.startswith("first difference at line 6 (record seq 4, t ")
    assert '"x":1' in described


def test_normalising_refuses_a_log_whose_seal_does_not_match() -> None:
    golden = golden_log("synagogue-holiday-attack")
    tampered = golden.replace(b'"seq":4,', b'"seq":4,"x":1,', 1)

    with pytest.raises(ValueError, match="seal does not match"):
        normalise(tampered)
