"""Determinism: the same scenario, seed, decisions and commands give byte-identical run logs, in and out of process."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.network import check as check_network
from benchmarks.network import generate
from scenarios import Scenario, bundled_names, load_scenario
from simulator import CommandData, Exercise, SimulationError
from simulator.exercise import MAX_SEED

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUNDLED = bundled_names()


@cache
def bundled(name: str) -> Scenario:
    """A bundled scenario, loaded once per test session."""
    return load_scenario(name)


def tabletop() -> list[str]:
    """The command that runs the `tabletop` CLI installed next to this Python."""
    script = Path(sys.executable).parent / "tabletop"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from tabletop_cli.main import main; main()"]


def other_options(scenario: Scenario) -> dict[str, str]:
    """For each decision, its first option that is not the default (so presets change the run)."""
    return {d.id: next(o.id for o in d.options if o.id != d.default) for d in scenario.decisions}


def script(scenario: Scenario) -> Iterator[tuple[float, CommandData]]:
    """A facilitator's commands for any scenario, with the simulation time to apply each at, in order."""
    end = scenario.clock.duration
    yield end / 20, {"command": "pause", "note": "discussion"}
    first = min(scenario.stakeholders, key=lambda sh: sh.id)
    fact = min((f.id for f in scenario.facts), default=None)
    yield end / 10, {"command": "add_inject", "to": first.id, "text": "Ad-hoc: give a status report.", "fact": fact}
    contingency = sorted(i.id for i in scenario.injects if i.contingency)
    if contingency:
        yield end / 8, {"command": "fire_inject", "inject": contingency[0]}
    hold_at = end / 6
    later = sorted((i.at, i.id) for i in scenario.injects if i.at is not None and i.at > hold_at and not i.contingency)
    if later:
        yield hold_at, {"command": "hold_inject", "inject": later[0][1]}
        yield later[0][0] + 60.0, {"command": "release_inject", "inject": later[0][1]}


def scripted_run(name: str, seed: int, log: Path | None = None) -> Exercise:
    """Play a bundled scenario with preset decisions and the facilitator's `script`, to the end."""
    scenario = bundled(name)
    exercise = Exercise(scenario, seed, decisions=other_options(scenario), log=log, source=name)
    for t, command in script(scenario):
        exercise.advance_to(t)
        exercise.apply(command)
    exercise.run()
    return exercise


def played(scenario: Scenario, seed: int, variant: str | None = None, source: str | None = None) -> Exercise:
    """A run played to the end (`log_bytes()` alone would close the run where it stands, at T0)."""
    exercise = Exercise(scenario, seed, variant, source=source)
    exercise.run()
    return exercise


def assert_time_never_goes_back(exercise: Exercise) -> None:
    """Records are numbered 0, 1, 2... and their times never decrease."""
    records = exercise.records
    assert [record["seq"] for record in records] == list(range(len(records)))
    times = [record["t"] for record in records]
    assert all(a <= b for a, b in itertools.pairwise(times)), "a record goes back in time"


# --- in one process -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUNDLED)
def test_the_same_seed_decisions_and_commands_give_byte_identical_logs(name: str, tmp_path: Path) -> None:
    runs = [scripted_run(name, 11, log=tmp_path / "run.jsonl"), scripted_run(name, 11), scripted_run(name, 11)]

    logs = [run.log_bytes() for run in runs]

    assert logs[0] == logs[1] == logs[2]
    assert (tmp_path / "run.jsonl").read_bytes() == logs[0], "the file differs from the in-memory log"
    kinds = {record["kind"] for record in runs[0].records}
    assert {"CommandApplied", "PauseMarked", "InjectAdded"} <= kinds, "the script was not applied"
    if "DecisionOpened" in kinds:
        by = {record["by"] for record in runs[0].records if record["kind"] == "DecisionTaken"}
        assert "preset" in by, "the preset decisions were not taken"


@pytest.mark.parametrize("name", BUNDLED)
def test_different_seeds_give_different_runs(name: str) -> None:
    records = [played(bundled(name), seed).records for seed in range(3)]

    assert records[0] != records[1] != records[2] != records[0]


# --- across processes -----------------------------------------------------------------------------------------

HASH_SEEDS = ("0", "1", "random")
PLAY_EVERY_BUNDLED_SCENARIO = """
import sys
from pathlib import Path
from scenarios import bundled_names, load_scenario
from simulator import Exercise
for name in sys.argv[2:]:
    Exercise(load_scenario(name), 3, source=name, log=Path(sys.argv[1]) / f"{name}.jsonl").run()
"""


def run_under_hash_seeds(commands: dict[str, list[str]]) -> None:
    """Run one command per PYTHONHASHSEED value at the same time; fail with its stderr if one fails."""
    children = {
        hash_seed: subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for hash_seed, command in commands.items()
    }
    for hash_seed, child in children.items():
        _, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, f"PYTHONHASHSEED={hash_seed}: {stderr.decode()}"


def test_the_cli_writes_byte_identical_logs_under_any_hash_seed(tmp_path: Path) -> None:
    name = "synagogue-holiday-attack"
    logs = {hash_seed: tmp_path / f"hash-{hash_seed}.jsonl" for hash_seed in HASH_SEEDS}

    run_under_hash_seeds(
        {hash_seed: [*tabletop(), "run", name, "--seed", "3", "--log", str(log)] for hash_seed, log in logs.items()}
    )

    contents = [log.read_bytes() for log in logs.values()]
    assert contents[0] == contents[1] == contents[2]
    assert contents[0] == played(bundled(name), 3, source=name).log_bytes(), "the CLI's log differs from this process's"


def test_every_bundled_scenario_gives_byte_identical_logs_under_any_hash_seed(tmp_path: Path) -> None:
    folders = {hash_seed: tmp_path / f"hash-{hash_seed}" for hash_seed in HASH_SEEDS}
    for folder in folders.values():
        folder.mkdir()

    run_under_hash_seeds(
        {
            hash_seed: [sys.executable, "-c", PLAY_EVERY_BUNDLED_SCENARIO, str(folder), *BUNDLED]
            for hash_seed, folder in folders.items()
        }
    )

    for name in BUNDLED:
        contents = [(folder / f"{name}.jsonl").read_bytes() for folder in folders.values()]
        assert contents[0] == contents[1] == contents[2], f"{name}: the logs differ between hash seeds"
        assert contents[0] == played(bundled(name), 3, source=name).log_bytes(), f"{name}: differs from this process"


# --- properties -----------------------------------------------------------------------------------------------


SEEDS = st.integers(0, MAX_SEED)
"""Every seed a run accepts (a run log holds it exactly, as a JSON number any reader takes)."""


@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1, 2**64])
def test_a_seed_out_of_range_is_refused_before_the_run(seed: int) -> None:
    # Before this check, Exercise played the whole run and only `log_bytes()` (or RunLogWriter) failed on 2**64,
    # with orjson's TypeError "Integer exceeds 64-bit range".
    with pytest.raises(SimulationError, match="out of range"):
        Exercise(bundled("synagogue-holiday-attack"), seed)


@settings(max_examples=30, deadline=None)
@given(data=st.data(), name=st.sampled_from(BUNDLED), seed=SEEDS)
def test_time_never_goes_back_and_a_seed_always_gives_the_same_run(data: st.DataObject, name: str, seed: int) -> None:
    scenario = bundled(name)
    variant = data.draw(st.sampled_from([None, *(v.id for v in scenario.variants)]), label="variant")

    first = played(scenario, seed, variant)
    second = played(scenario, seed, variant)

    assert_time_never_goes_back(first)
    assert first.records == second.records
    assert first.log_bytes() == second.log_bytes()


# --- the generated benchmark network ---------------------------------------------------------------------------


def test_a_generated_network_is_valid_and_the_same_for_the_same_seed() -> None:
    network = generate(60, 240, controls=3, seed=5)

    scenario = network.scenario()

    assert check_network(scenario) == []
    assert len(scenario.stakeholders) == 60
    assert len(scenario.channels) == 240
    assert generate(60, 240, controls=3, seed=5) == network
    assert generate(60, 240, controls=3, seed=6) != network


def test_a_generated_network_carries_one_message_per_channel_and_runs_deterministically() -> None:
    scenario = generate(60, 240, controls=3, seed=5).scenario()

    first, second = played(scenario, 1), played(scenario, 1)

    assert_time_never_goes_back(first)
    assert first.log_bytes() == second.log_bytes()
    arrived = sorted(record["channel"] for record in first.records if record["kind"] == "MessageArrived")
    assert arrived == sorted(channel.id for channel in scenario.channels)
    locked = {record["site"] for record in first.records if record["kind"] == "LockdownCompleted"}
    assert locked == {site.id for site in scenario.sites}
