"""A run's log file, written per step or per block, holds exactly the bytes of the same run in memory, and a process
killed mid-run leaves what its `log_flush` promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.network import generate
from scenarios import bundled_names, load_scenario
from simulator import Exercise, ExerciseHost
from simulator.exercise import LogFlush
from simulator.runlog import encode_run_log, read_run_log
from simulator.setup import Setup

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODES: tuple[LogFlush, ...] = ("step", "block")


def played(exercise: Exercise) -> Exercise:
    """Drive a run as a facilitator might: clock moves, a pause note, events one by one, then to the end."""
    exercise.advance_to(600.0)
    exercise.mark_pause("first break")
    for _ in range(25):
        exercise.step_once()
    exercise.advance_events(40)
    exercise.advance_to(exercise.end_t / 2)
    exercise.mark_pause("second break")
    exercise.run()
    return exercise


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", bundled_names())
def test_every_bundled_scenario_logged_in_either_mode_writes_the_bytes_of_the_same_run_in_memory(
    tmp_path: Path, name: str, mode: LogFlush
) -> None:
    scenario = load_scenario(name)
    variant = scenario.variants[0].id
    setup = Setup.of(scenario, variant, name)
    for seed in (3, 11):  # two runs of one Setup: the scenario encoded once serves both headers
        path = tmp_path / f"{seed}.jsonl"
        logged = played(Exercise(setup, seed, log=path, log_flush=mode))
        in_memory = played(Exercise(Setup.of(scenario, variant, name), seed))

        assert path.read_bytes() == in_memory.log_bytes()
        assert logged.header == in_memory.header
        assert read_run_log(path).header["scenario"] == setup.data


@pytest.mark.parametrize("mode", MODES)
def test_the_generated_network_logged_in_either_mode_writes_the_bytes_of_the_same_run_in_memory(
    tmp_path: Path, mode: LogFlush
) -> None:
    setup = Setup.of(generate().scenario())
    path = tmp_path / "network.jsonl"
    Exercise(setup, 5, log=path, log_flush=mode).run()
    in_memory = Exercise(setup, 5)
    summary = in_memory.run()

    assert path.read_bytes() == encode_run_log(in_memory.header, in_memory.records, summary.to_dict())
    assert len(in_memory.records) > 7000


def test_a_resumed_exercise_writes_the_bytes_of_the_same_run_played_through_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "live.jsonl"
    scenario = load_scenario("synagogue-holiday-attack")
    live = Exercise(scenario, 8, log=path, source="synagogue-holiday-attack")
    live.advance_to(900.0)
    live.mark_pause("the guard phoned the wrong room")
    live.advance_to(1800.0)
    live.abandon()  # as a quit leaves it: interrupted, every record made written
    host = ExerciseHost.resume(path, pause_on_decision=False)
    host.advance_to(host.exercise.end_t)
    host.finish()
    same = Exercise(scenario, 8, source="synagogue-holiday-attack")
    same.advance_to(900.0)
    same.mark_pause("the guard phoned the wrong room")
    same.advance_to(1800.0)
    same.advance_to(same.end_t)

    assert path.read_bytes() == same.log_bytes()


def test_records_since_reads_every_record_made_from_a_log_written_in_blocks(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    exercise = Exercise(load_scenario("synagogue-holiday-attack"), 2, log=path, keep_records=False, log_flush="block")
    exercise.advance_to(1200.0)
    same = Exercise(load_scenario("synagogue-holiday-attack"), 2)
    same.advance_to(1200.0)

    since = exercise.records_since(0)
    exercise.abandon()

    assert since == same.records
    assert len(since) > 100


def test_log_flush_must_be_step_or_block(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="log_flush is 'step' or 'block', not 'record'"):
        Exercise(load_scenario("synagogue-holiday-attack"), 1, log=tmp_path / "run.jsonl", log_flush="record")  # type: ignore[arg-type]


# --- a process that dies mid-run ---------------------------------------------------------------------------

DIES = """
import os, sys
from pathlib import Path
from scenarios import load_scenario
from simulator import Exercise, runlog

runlog.BLOCK_BYTES = 4096  # small blocks, so that this short run writes several
mode, t = sys.argv[2], float(sys.argv[3])
exercise = Exercise(load_scenario("synagogue-holiday-attack"), 6, log=Path(sys.argv[1]), log_flush=mode)
exercise.advance_to(t)
exercise.mark_pause("last thing done")
for _ in range(7):
    exercise.step_once()
sys.stdout.write(f"{len(exercise.records)}\\n")
sys.stdout.flush()
os._exit(1)  # no clean-up, no seal: as if the machine had lost power
"""


def die_mid_run(path: Path, mode: LogFlush, t: float) -> int:
    """Run DIES; how many records the run had made when its process died."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    died = subprocess.run(
        [sys.executable, "-c", DIES, str(path), mode, str(t)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    assert died.returncode == 1, died.stderr.decode()
    return int(died.stdout)


def same_run(t: float) -> Exercise:
    exercise = Exercise(load_scenario("synagogue-holiday-attack"), 6)
    exercise.advance_to(t)
    exercise.mark_pause("last thing done")
    for _ in range(7):
        exercise.step_once()
    return exercise


def test_a_live_run_whose_process_dies_leaves_every_record_up_to_the_last_completed_step(tmp_path: Path) -> None:
    path = tmp_path / "live.jsonl"
    made = die_mid_run(path, "step", 2400.0)
    expected = same_run(2400.0)

    log = read_run_log(path)
    assert (log.seal, log.repaired) == (None, False)
    assert len(log.records) == made == len(expected.records)
    assert log.records == expected.records
    assert path.read_bytes() == encode_run_log(expected.header, expected.records, None)


def test_a_headless_run_whose_process_dies_loses_at_most_its_last_block(tmp_path: Path) -> None:
    path = tmp_path / "headless.jsonl"
    made = die_mid_run(path, "block", 5400.0)
    expected = same_run(5400.0)
    whole = encode_run_log(expected.header, expected.records, None)

    log = read_run_log(path)
    kept = path.read_bytes()
    assert (log.seal, log.repaired) == (None, False)
    assert made == len(expected.records)
    assert 0 < len(log.records) < made
    assert whole.startswith(kept)
    assert 0 < len(whole) - len(kept) < 4096  # at most the block it was filling


DIES_INSIDE_A_STEP = """
import os, sys
from pathlib import Path
from scenarios import load_scenario
from simulator import Exercise

exercise = Exercise(load_scenario("synagogue-holiday-attack"), 6, log=Path(sys.argv[1]), log_flush="step")
exercise.subscribe(lambda record: os._exit(1) if record["seq"] == int(sys.argv[2]) else None)
exercise.run()
"""


def test_a_live_run_killed_inside_a_step_loses_only_the_records_of_that_step(tmp_path: Path) -> None:
    path = tmp_path / "live.jsonl"
    expected = Exercise(load_scenario("synagogue-holiday-attack"), 6)
    # For each record, how many events had been processed when it was made (none, for those made on starting).
    steps_done = [0] * len(expected.records)
    expected.subscribe(lambda record: steps_done.append(expected.step))
    expected.run()
    # A record made while many earlier events (each with records) are complete, not the first of its event.
    dies_at = next(
        seq for seq in range(200, len(steps_done)) if steps_done[seq] == steps_done[seq - 1] and steps_done[seq] > 10
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    died = subprocess.run(
        [sys.executable, "-c", DIES_INSIDE_A_STEP, str(path), str(dies_at)], cwd=PROJECT_ROOT, env=env, check=False
    )
    assert died.returncode == 1

    complete = [r for r in expected.records if steps_done[r["seq"]] < steps_done[dies_at]]
    log = read_run_log(path)
    assert (log.seal, log.repaired) == (None, False)
    assert log.records == complete
    assert len(complete) < dies_at  # the event in progress had made records before the one it died on
