"""A live exercise whose host process dies mid-run (`os._exit`) is resumed from its log, finished and verified."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from simulator import ExerciseHost
from simulator.analysis.replay import verify
from simulator.runlog import read_run_log
from tests.cli import invoke

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCENARIO = "synagogue-holiday-attack"
NOTE = "The guard called the wrong control room."
OBJECTIVE = "alert-police-fast"

HOST_THAT_DIES = f"""
import os, sys
from pathlib import Path
from scenarios import load_scenario
from simulator import EVALUATOR, ExerciseHost

host = ExerciseHost.open(load_scenario({SCENARIO!r}), 4, log=Path(sys.argv[1]), source={SCENARIO!r})
host.run_clock()
host.set_speed("60x")
host.tick(5.0)  # five minutes of the exercise
host.submit({{"command": "observe", "seat": EVALUATOR, "text": {NOTE!r}, "objective": {OBJECTIVE!r}}})
host.tick(3.0)
os._exit(1)  # no clean-up, no seal: as if the machine had lost power
"""


def test_a_host_killed_mid_run_resumes_finishes_verifies_and_its_observation_is_in_the_debrief(tmp_path: Path) -> None:
    path = tmp_path / "live.jsonl"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    died = subprocess.run(
        [sys.executable, "-c", HOST_THAT_DIES, str(path)], cwd=PROJECT_ROOT, env=env, capture_output=True, check=False
    )
    assert died.returncode == 1, died.stderr.decode()
    interrupted = read_run_log(path)
    assert interrupted.seal is None
    assert [r["text"] for r in interrupted.records if r["kind"] == "ObservationNoted"] == [NOTE]

    host = ExerciseHost.resume(path, pause_on_decision=False)
    resumed_at = host.clock().now
    host.advance_to(host.exercise.end_t)
    host.finish()
    report = host.debrief()
    code, output = invoke("replay", str(path), "--verify")

    assert resumed_at == interrupted.records[-1]["t"] > 0
    assert read_run_log(path).seal is not None
    assert verify(path).ok
    assert code == 0 and "identical" in output
    assert [(o.seat, o.text, o.objective) for o in report.observations] == [("evaluator", NOTE, OBJECTIVE)]
    assert report.end_t == host.exercise.end_t


def test_a_resumed_host_continues_writing_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "live.jsonl"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    subprocess.run([sys.executable, "-c", HOST_THAT_DIES, str(path)], cwd=PROJECT_ROOT, env=env, check=False)
    before = path.read_bytes()

    with ExerciseHost.resume(path) as host:
        host.step()

    after = path.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
