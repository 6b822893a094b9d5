"""Resuming a live exercise from its log: after a SIGKILL, the resumed run finishes with the uninterrupted bytes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scenarios import load_scenario
from simulator import ExerciseHost
from simulator.analysis.replay import ReplayError, verify
from simulator.runlog import RunLogError

SYNAGOGUE = "synagogue-holiday-attack"
SEED = 4
BEFORE_KILL: list[tuple[float, dict[str, Any]]] = [
    (60.0, {"command": "hold_inject", "inject": "inj-03"}),
    (300.0, {"command": "fire_inject", "inject": "inj-04"}),
    (420.0, {"command": "observe", "seat": "evaluator", "text": "The call taker repeats the address."}),
]
"""Commands at simulation times, played by the live process before it is killed."""
AFTER_KILL: list[tuple[float, dict[str, Any]]] = [
    (900.0, {"command": "add_inject", "to": "crisis-cell", "text": "The mayor asks for a briefing."}),
    (2700.0, {"command": "release_inject", "inject": "inj-03"}),
    (2760.0, {"command": "pause", "note": "hot wash"}),
]
"""The rest of the script, played after the kill (by the resumed host, or by the uninterrupted one)."""

LIVE = """
import json, sys, time
from pathlib import Path
from scenarios import load_scenario
from simulator import ExerciseHost

log, seed, script = Path(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
host = ExerciseHost.open(
    load_scenario("synagogue-holiday-attack"), seed, log=log, source="synagogue-holiday-attack", pause_on_decision=False
)
host.set_speed("60x")
host.run_clock()
for _ in range(20):
    host.tick(0.25)
for t, command in script:
    host.advance_to(t)
    host.submit(command)
host.tick(0.25)
print("ready", flush=True)
time.sleep(120)
"""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")


def play(host: ExerciseHost, script: list[tuple[float, dict[str, Any]]]) -> None:
    for t, command in script:
        host.advance_to(t)
        host.submit(command)


def uninterrupted(log: Path) -> bytes:
    """The same exercise played in one go, in this process (the clock running through decisions)."""
    host = ExerciseHost.open(load_scenario(SYNAGOGUE), SEED, log=log, source=SYNAGOGUE, pause_on_decision=False)
    host.set_speed("60x")
    host.run_clock()
    for _ in range(20):
        host.tick(0.25)
    play(host, BEFORE_KILL)
    host.tick(0.25)
    play(host, AFTER_KILL)
    host.finish()
    return log.read_bytes()


def killed_live_run(log: Path) -> None:
    """Run the live host in a child process, wait until it has played its script, and SIGKILL it."""
    command = [sys.executable, "-c", LIVE, str(log), str(SEED), json.dumps(BEFORE_KILL)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        try:
            assert child.stdout is not None
            line = child.stdout.readline()
            if line != b"ready\n":
                assert child.stderr is not None
                pytest.fail(f"the live host did not get ready: {line!r} {child.stderr.read().decode()}")
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10.0)
    assert child.returncode == -signal.SIGKILL


def test_a_killed_exercise_resumed_from_its_log_ends_with_the_uninterrupted_runs_bytes(tmp_path: Path) -> None:
    log = tmp_path / "live.jsonl"
    killed_live_run(log)
    interrupted = log.read_bytes()

    host = ExerciseHost.resume(log, pause_on_decision=False)
    assert log.read_bytes() == interrupted  # nothing is written again until the run goes on
    assert (host.paused, host.speed) == (False, "60x")  # as the log left it
    play(host, AFTER_KILL)
    host.finish()

    assert log.read_bytes() == uninterrupted(tmp_path / "reference.jsonl")
    assert verify(log).ok
    assert not (tmp_path / "live.jsonl.resuming").exists()


def test_a_sealed_log_cannot_be_resumed(tmp_path: Path) -> None:
    log = tmp_path / "done.jsonl"
    uninterrupted(log)

    with pytest.raises(ReplayError, match="this exercise has ended"):
        ExerciseHost.resume(log)


def test_a_log_still_being_written_cannot_be_resumed(tmp_path: Path) -> None:
    log = tmp_path / "live.jsonl"
    with ExerciseHost.open(load_scenario(SYNAGOGUE), SEED, log=log, source=SYNAGOGUE) as live:
        live.advance_to(600.0)
        with pytest.raises(RunLogError, match="another process is writing this log"):
            ExerciseHost.resume(log)


def test_a_log_whose_run_cannot_be_made_again_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    log = tmp_path / "live.jsonl"
    with ExerciseHost.open(load_scenario(SYNAGOGUE), SEED, log=log, source=SYNAGOGUE) as live:
        live.advance_to(600.0)
    lines = log.read_bytes().splitlines(keepends=True)
    altered = b"".join([*lines[:4], lines[4].replace(b'"t":', b'"t":1'), *lines[5:]])
    log.write_bytes(altered)

    with pytest.raises(ReplayError, match="cannot be resumed exactly: playing it again differs from its log"):
        ExerciseHost.resume(log)
    assert log.read_bytes() == altered
    assert not (tmp_path / "live.jsonl.resuming").exists()
