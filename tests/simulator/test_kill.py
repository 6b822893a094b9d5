"""A `tabletop run` killed mid-run leaves a readable, unsealed log holding every complete record it wrote."""

from __future__ import annotations

import json
import math
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from scenarios import load_scenario
from scenarios._base import format_duration
from scenarios.limits import MAX_BACKGROUND_JOBS, MAX_DURATION_S
from simulator import Exercise
from simulator.runlog import canonical_json, read_run_log

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LINES_BEFORE_KILL = 3000
DEADLINE_S = 20.0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")


def tabletop() -> list[str]:
    """The command that runs the `tabletop` CLI installed next to this Python."""
    script = Path(sys.executable).parent / "tabletop"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from tabletop_cli.main import main; main()"]


def endless_scenario(folder: Path) -> Path:
    """The synagogue scenario made as long and as busy as the language allows: 30 days, its control rooms swamped
    with short background calls (about 100,000 in all, a record each)."""
    data: dict[str, Any] = load_scenario("synagogue-holiday-attack").model_dump(mode="json", by_alias=True)
    data["id"] = "endless-synagogue"
    data["clock"]["duration"] = format_duration(MAX_DURATION_S)
    busy = [stakeholder for stakeholder in data["stakeholders"] if stakeholder.get("background") is not None]
    assert busy, "the scenario has no stakeholder with background work to speed up"
    rate = math.floor(MAX_BACKGROUND_JOBS / (MAX_DURATION_S / 3600) / len(busy))
    for stakeholder in busy:
        stakeholder["background"] = {"arrivals_per_hour": rate, "service_time": "0.1s"}
    path = folder / "endless.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML
    return path


def lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def kill_mid_run(scenario: Path, log: Path) -> None:
    """Start `tabletop run` writing `log`, wait until it holds many lines, and SIGKILL it."""
    command = [*tabletop(), "run", str(scenario), "--log", str(log)]
    with subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as child:
        try:
            deadline = time.monotonic() + DEADLINE_S
            while lines_in(log) < LINES_BEFORE_KILL:
                if child.poll() is not None:
                    assert child.stderr is not None
                    pytest.fail(f"the run ended before it was killed: {child.stderr.read().decode()}")
                if time.monotonic() > deadline:
                    pytest.fail(f"the run did not write {LINES_BEFORE_KILL} lines within {DEADLINE_S:.0f} s")
                time.sleep(0.01)
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10.0)
    assert child.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def killed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(scenario file, run log) of one `tabletop run` killed mid-run, shared by the tests of this module."""
    folder = tmp_path_factory.mktemp("killed")
    scenario, log = endless_scenario(folder), folder / "run.jsonl"
    kill_mid_run(scenario, log)
    return scenario, log


def test_a_run_killed_mid_run_leaves_every_complete_record_and_no_seal(killed: tuple[Path, Path]) -> None:
    scenario, log_path = killed
    raw = log_path.read_bytes()

    log = read_run_log(log_path)

    assert log.seal is None
    assert log.repaired == (not raw.endswith(b"\n")), "a torn last line must be reported, and only then"
    assert len(log.records) == raw.count(b"\n") - 1, "every complete line after the header is a record"
    assert len(log.records) >= LINES_BEFORE_KILL - 1
    assert [record["seq"] for record in log.records] == list(range(len(log.records)))
    same_run = Exercise(load_scenario(scenario), 0, source=str(scenario))
    while len(same_run.records) < len(log.records) and same_run.step_once():
        pass
    assert log.records == same_run.records[: len(log.records)], "the records differ from the same run in memory"
    assert {key: log.header[key] for key in same_run.header} == same_run.header


def test_a_line_torn_by_the_kill_is_dropped_and_reported(killed: tuple[Path, Path], tmp_path: Path) -> None:
    scenario, log_path = killed[0], tmp_path / "run.jsonl"
    shutil.copyfile(killed[1], log_path)
    complete = read_run_log(log_path).records
    if not log_path.read_bytes().endswith(b"\n"):
        pytest.skip("the kill itself tore the last line; the test above checked that case")
    same_run = Exercise(load_scenario(scenario), 0, source=str(scenario))
    while len(same_run.records) <= len(complete) and same_run.step_once():
        pass
    next_line = canonical_json(same_run.records[len(complete)])
    with log_path.open("ab") as file:
        file.write(next_line[: len(next_line) // 2])  # as if the process had died inside this write

    log = read_run_log(log_path)

    assert log.repaired
    assert log.seal is None
    assert log.records == complete
