"""Forking a run: identical up to the fork point, re-simulated after it."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from simulator import Exercise
from simulator.analysis.fork import (
    ChangeRow,
    ForkDiff,
    ForkPoint,
    HarmChange,
    MilestoneChange,
    RatingChange,
    fork,
    fork_diff,
    fork_point_of,
)
from simulator.analysis.replay import ReplayError, verify
from simulator.runlog import read_run_log
from tests.simulator.analysis.conftest import phoned_alarm


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


# --- the fork point as written -------------------------------------------------------------------------------

HEADER = {"scenario": {"decisions": [{"id": "patrols-in-or-wait"}, {"id": "30m"}]}}
"""A parent's header, as far as fork points go: a decision whose id reads like a time."""


def test_a_fork_point_is_a_decision_of_the_run_or_a_time() -> None:
    assert [fork_point_of(text, HEADER) for text in ("patrols-in-or-wait", "12m", "1h5m", "T+00:12:30")] == [
        ForkPoint("patrols-in-or-wait", None),
        ForkPoint(None, 720.0),
        ForkPoint(None, 3900.0),
        ForkPoint(None, 750.0),
    ]


def test_a_decision_id_wins_over_the_time_it_reads_like() -> None:
    assert fork_point_of("30m", HEADER) == ForkPoint("30m", None)
    assert fork_point_of("30m", {}) == ForkPoint(None, 1800.0)


def test_text_that_is_neither_a_time_nor_a_decision_of_the_run_is_left_for_fork_to_refuse() -> None:
    assert fork_point_of("no-such-decision", HEADER) == ForkPoint("no-such-decision", None)


def test_a_fork_point_that_starts_like_a_time_but_is_not_one_is_refused() -> None:
    for text in ("-5m", "T+00:60:00", "0", "+3m"):
        with pytest.raises(ReplayError, match="is not a time") as caught:
            fork_point_of(text, HEADER)
        assert caught.value.message == f"{text!r} is not a time"


# --- what changed --------------------------------------------------------------------------------------------


def phoned_now_then_forked_to_later(tmp_path: Path) -> ForkDiff:
    """The parent phones the police at once (4.1 s); its fork at the decision phones a minute later (64.1 s)."""
    parent = tmp_path / "run.jsonl"
    Exercise(phoned_alarm(), 0, decisions={"call": "now"}, log=parent).run()
    result = fork(
        parent, at_decision="call", decisions={"call": "later"}, new_log=tmp_path / "fork.jsonl", embedded=True
    )
    return fork_diff(result)


def test_a_fork_diff_holds_each_milestone_rating_and_the_harm_of_parent_and_fork(tmp_path: Path) -> None:
    diff = phoned_now_then_forked_to_later(tmp_path)

    # RunStarted, InjectDelivered, FactLearned, RuleFired, DecisionOpened: the fork point is just after it opened.
    assert diff == ForkDiff(
        fork_t=4.1,
        shared_records=5,
        milestones=(
            MilestoneChange("guard-knows", "Guard-Knows", 4.1, 4.1, 0.0),
            MilestoneChange("police-know", "Police-Know", 4.1, 64.1, 60.0),
            MilestoneChange("shots-heard", "Shots-Heard", None, None, None),
        ),
        objectives=(RatingChange("alert-police", "Alert-Police", "P", "M"),),
        harm=HarmChange(0.0, 0.0),
    )


def test_a_fork_diff_shows_its_changes_to_the_millisecond_as_the_comparison_does(tmp_path: Path) -> None:
    diff = phoned_now_then_forked_to_later(tmp_path)

    # 64.1 - 4.1 is 59.99999999999999 in floats: unrounded, the change read +00:59.
    assert diff.at == "T+00:00:04"
    assert diff.rows() == (
        ChangeRow("Guard-Knows", "00:04", "00:04", "±0"),
        ChangeRow("Police-Know", "00:04", "01:04", "+01:00"),
        ChangeRow("Shots-Heard", "—", "—", ""),
        ChangeRow("objective: Alert-Police", "P", "M", "P → M"),
        ChangeRow("harm", "0.0", "0.0", "+0.0"),
    )


def test_a_parent_without_an_outcome_shows_no_rating_no_harm_and_no_change() -> None:
    assert RatingChange("alert-police", "Alert-Police", None, "M").row == ChangeRow(
        "objective: Alert-Police", "None", "M", "None → M"
    )
    assert HarmChange(None, 12.25).row == ChangeRow("harm", "—", "12.2", "")
    assert MilestoneChange("police-know", "Police-Know", None, 64.1, None).row == ChangeRow(
        "Police-Know", "—", "01:04", ""
    )


def test_a_fork_diff_is_json_ready(tmp_path: Path) -> None:
    diff = phoned_now_then_forked_to_later(tmp_path)

    data = diff.to_dict()

    assert orjson.loads(orjson.dumps(data)) == data
    assert data == {
        "fork_t": 4.1,
        "at": "T+00:00:04",
        "shared_records": 5,
        "milestones": [
            {"milestone": "guard-knows", "name": "Guard-Knows", "parent": 4.1, "fork": 4.1, "change_s": 0.0},
            {"milestone": "police-know", "name": "Police-Know", "parent": 4.1, "fork": 64.1, "change_s": 60.0},
            {"milestone": "shots-heard", "name": "Shots-Heard", "parent": None, "fork": None, "change_s": None},
        ],
        "objectives": [{"objective": "alert-police", "name": "Alert-Police", "parent": "P", "fork": "M"}],
        "harm": {"parent": 0.0, "fork": 0.0, "change": 0.0},
        "rows": [
            {"label": "Guard-Knows", "parent": "00:04", "fork": "00:04", "change": "±0"},
            {"label": "Police-Know", "parent": "00:04", "fork": "01:04", "change": "+01:00"},
            {"label": "Shots-Heard", "parent": "—", "fork": "—", "change": ""},
            {"label": "objective: Alert-Police", "parent": "P", "fork": "M", "change": "P → M"},
            {"label": "harm", "parent": "0.0", "fork": "0.0", "change": "+0.0"},
        ],
    }
