"""Forking a run: identical up to the fork point, re-simulated after it."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from simulator.analysis.fork import fork
from simulator.analysis.replay import ReplayError, verify
from simulator.runlog import read_run_log


def canonical(records: list[dict[str, object]]) -> list[bytes]:
    return [orjson.dumps(r, option=orjson.OPT_SORT_KEYS) for r in records]


def test_records_before_a_decision_fork_point_equal_the_parents_byte_for_byte(logged_run: Path, tmp_path: Path) -> None:
    new = tmp_path / "fork.jsonl"
    result = fork(
        logged_run, at_decision="patrols-in-or-wait", decisions={"patrols-in-or-wait": "wait-for-armed"}, new_log=new
    )
    parent = read_run_log(logged_run).records
    child = read_run_log(new).records
    k = result.shared_records
    assert child[k - 1]["kind"] == "DecisionOpened" and child[k - 1]["decision"] == "patrols-in-or-wait"
    assert canonical(child[:k]) == canonical(parent[:k])
    assert canonical(child[k : k + 1]) != canonical(parent[k : k + 1])
    taken = [r for r in child if r["kind"] == "DecisionTaken" and r["decision"] == "patrols-in-or-wait"]
    assert [(r["option"], r["by"]) for r in taken] == [("wait-for-armed", "preset")]


def test_a_time_fork_shares_every_record_up_to_that_time_and_replays_exactly(logged_run: Path, tmp_path: Path) -> None:
    new = tmp_path / "fork.jsonl"
    result = fork(logged_run, at_t=600.0, decisions={"warn-other-sites": "warn-now"}, new_log=new)
    parent = read_run_log(logged_run).records
    child = read_run_log(new).records
    k = result.shared_records
    assert all(r["t"] <= 600.0 for r in parent[:k]) and parent[k]["t"] > 600.0
    assert canonical(child[:k]) == canonical(parent[:k])
    assert verify(new).ok


def test_a_decision_that_never_opened_is_not_a_fork_point(logged_run: Path) -> None:
    with pytest.raises(ReplayError, match="never opened"):
        fork(logged_run, at_decision="no-such-decision", decisions={})


def test_a_decision_taken_before_the_fork_point_cannot_be_changed(logged_run: Path) -> None:
    with pytest.raises(ReplayError, match="already taken"):
        fork(logged_run, at_t=7000.0, decisions={"lockdown-or-evacuate": "evacuate"})


def test_a_time_outside_the_run_is_not_a_fork_point(logged_run: Path) -> None:
    with pytest.raises(ReplayError, match="outside the run"):
        fork(logged_run, at_t=10 * 3600.0, decisions={})


def test_a_decision_open_at_the_fork_time_is_taken_at_once_with_the_new_option(
    logged_run: Path, tmp_path: Path
) -> None:
    parent = read_run_log(logged_run).records
    opened = next(r for r in parent if r["kind"] == "DecisionOpened" and r["decision"] == "warn-other-sites")
    taken = next(r for r in parent if r["kind"] == "DecisionTaken" and r["decision"] == "warn-other-sites")
    at = round((opened["t"] + taken["t"]) / 2, 3)  # while the crisis cell is still deciding
    new = tmp_path / "fork.jsonl"
    result = fork(logged_run, at_t=at, decisions={"warn-other-sites": "warn-now"}, new_log=new)
    child = read_run_log(new).records
    k = result.shared_records
    assert canonical(child[:k]) == canonical(parent[:k])
    command, decided = child[k], child[k + 1]
    assert command["kind"] == "CommandApplied" and command["command"]["command"] == "preset_decision"
    assert (decided["kind"], decided["option"], decided["by"], decided["t"]) == (
        "DecisionTaken",
        "warn-now",
        "preset",
        at,
    )
    assert verify(new).ok
