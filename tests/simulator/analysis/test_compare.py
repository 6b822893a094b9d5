"""Comparing runs: each run's digest from its records, milestones aligned across runs, deltas against the first."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import Exercise
from simulator.analysis.compare import (
    CompareError,
    Comparison,
    RunDigest,
    compare,
    digest,
    in_time_order,
    milestone_cell,
)
from simulator.host import ExerciseHost
from simulator.runlog import read_run_log
from tests.simulator.analysis.conftest import phoned_alarm

T0 = "2026-01-01T10:00:00"
NAMES = {"guard-knows": "Guard-Knows", "police-know": "Police-Know", "shots-heard": "Shots-Heard"}


def logged(path: Path, variant: str | None = None, **decisions: str) -> Path:
    """A sealed log of the phoned alarm at `path`, with the guard's choice preset."""
    Exercise(phoned_alarm(), 0, variant, decisions=decisions, log=path).run()
    return path


def test_a_digest_holds_the_milestones_ratings_and_harm_of_a_logged_run(tmp_path: Path) -> None:
    log = read_run_log(logged(tmp_path / "later.jsonl", call="later"))

    # Phoned a minute after the alarm at 4.1 s: known at 64.1 s, over the 1-minute limit of an S, so M.
    # The guard's decision is taken by the preset as the alarm reaches it, at 4.1 s.
    assert digest(log, "later") == RunDigest(
        "later",
        {"guard-knows": 4.1, "police-know": 64.1},
        {"alert-police": "M"},
        0.0,
        T0,
        decisions={"call": ("later", "preset")},
        decided_at={"call": 4.1},
        end_t=600.0,  # played to the scenario's end: its clock runs 10 minutes
        status="ended",
        played_out=True,
        duration=600.0,
    )


def test_a_digest_of_an_interrupted_run_has_its_milestones_but_no_ratings_and_no_harm(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    exercise = Exercise(phoned_alarm(), 0, log=path)
    exercise.advance_to(10.0)  # the guard knows (4.1 s) and is deciding; the police do not know yet
    exercise.abandon()

    # Undecided; it stopped after its last record (the guard's prompt at 4.1 s), short of the scenario's 600 s.
    assert digest(read_run_log(path), "cut") == RunDigest(
        "cut", {"guard-knows": 4.1}, {}, None, T0, end_t=4.1, status="interrupted", played_out=False, duration=600.0
    )


def test_compare_aligns_milestones_by_the_first_run_then_those_only_later_runs_reach_then_the_unreached(
    tmp_path: Path,
) -> None:
    first = logged(tmp_path / "now.jsonl", call="now")
    other = logged(tmp_path / "later.jsonl", "decision-milestone", call="later")

    comparison = compare([first, other])

    assert comparison == Comparison(
        runs=[
            RunDigest(
                "now (base, seed 0)",
                {"guard-knows": 4.1, "police-know": 4.1},
                {"alert-police": "P"},
                0.0,
                T0,
                {"call": ("now", "preset")},
                {"call": 4.1},
                600.0,
                "ended",
                True,
                600.0,
            ),
            RunDigest(
                "later (decision-milestone, seed 0)",
                {"call-decided": 4.1, "guard-knows": 4.1, "police-know": 64.1},
                {"alert-police": "M"},
                0.0,
                T0,
                {"call": ("later", "preset")},
                {"call": 4.1},
                600.0,
                "ended",
                True,
                600.0,
            ),
        ],
        # The first run's times (4.1 s, 4.1 s: scenario order breaks the tie), then the variant's own milestone,
        # then the one neither run reached.
        milestone_ids=["guard-knows", "police-know", "call-decided", "shots-heard"],
        milestone_names=NAMES,
        objective_ids=["alert-police"],
        paths=[first, other],
        decision_prompts={"call": "Decide call."},
        option_labels={"call": {"now": "Now", "later": "Later"}},
        objective_names={"alert-police": "Alert-Police"},
    )


def test_a_delta_is_against_the_first_run_to_the_millisecond_and_none_when_either_never_came() -> None:
    first = RunDigest("first", {"guard-knows": 4.1, "police-know": 4.1}, {}, 0.0, T0)
    other = RunDigest("other", {"guard-knows": 4.1, "police-know": 64.1, "call-decided": 4.1}, {}, 0.0, T0)
    comparison = Comparison([first, other], ["guard-knows", "police-know", "shots-heard", "call-decided"], NAMES, [])

    # 64.1 - 4.1 is 59.99999999999999 in floats.
    assert [comparison.delta(other, m) for m in comparison.milestone_ids] == [0.0, 60.0, None, None]
    assert [comparison.delta(first, m) for m in comparison.milestone_ids] == [0.0, 0.0, None, None]


def test_compare_needs_two_logs_or_more_of_one_scenario(tmp_path: Path, logged_run: Path) -> None:
    first = logged(tmp_path / "now.jsonl", call="now")

    with pytest.raises(CompareError, match="two or more") as too_few:
        compare([first])
    assert too_few.value.title == "Cannot compare"
    with pytest.raises(CompareError, match="different scenarios") as caught:
        compare([first, logged_run])
    assert caught.value.hint == (
        "compare runs of one scenario and its variants (now.jsonl: test, run.jsonl: synagogue-holiday-attack)"
    )


def test_in_time_order_puts_the_first_runs_times_first_then_later_runs_then_the_unreached() -> None:
    parent = RunDigest("parent", {"c": 30.0, "a": 90.0}, {}, 0.0, T0)
    fork = RunDigest("fork", {"c": 30.0, "a": 10.0, "d": 50.0, "b": 20.0}, {}, 0.0, T0)

    # The parent's c (30 s) and a (90 s), in its order although the fork reaches a first; then b (20 s) and d (50 s),
    # which only the fork reaches; then e, which neither does (the scenario order a, b, c, d, e breaks no tie here).
    assert in_time_order(["a", "b", "c", "d", "e"], [parent, fork]) == ["c", "a", "b", "d", "e"]


def digest_of(label: str, **decisions: tuple[str, float]) -> RunDigest:
    """A run that took each decision with (option, at time t)."""
    return RunDigest(
        label,
        {},
        {},
        0.0,
        T0,
        {d: (option, "preset") for d, (option, _) in decisions.items()},
        {d: t for d, (_, t) in decisions.items()},
    )


def test_differing_decisions_are_those_taken_otherwise_or_only_in_some_runs_in_the_first_run_s_time_order() -> None:
    # The first run takes b (at 10 s) before a (at 20 s); `same` is taken alike everywhere; c only by the third run,
    # d only by the second (d at 5 s comes before c at 30 s: those the first run did not take go by their earliest).
    first = digest_of("first", b=("x", 10.0), a=("x", 20.0), same=("x", 1.0))
    second = digest_of("second", a=("y", 2.0), b=("x", 3.0), same=("x", 1.0), d=("x", 5.0))
    third = digest_of("third", a=("x", 20.0), b=("x", 10.0), same=("x", 1.0), c=("z", 30.0))
    comparison = Comparison([first, second, third], [], {}, [])

    assert comparison.decision_ids == ["same", "b", "a", "d", "c"]
    assert comparison.differing_decisions() == ["a", "d", "c"]
    assert comparison.options("c") == [None, None, "z"]
    assert comparison.option_label("c", None) == "not taken"


def stopped_runs(tmp_path: Path) -> list[Path]:
    """A run played out (call now), one the facilitator ended at 30 s (call later: the police would know at 64.1 s)
    and one whose host was left mid-run at 40 s (call later: abandoned, its log unsealed)."""
    full = logged(tmp_path / "full.jsonl", call="now")
    early = ExerciseHost.open(phoned_alarm(), log=tmp_path / "early.jsonl", decisions={"call": "later"})
    early.advance_to(30.0)
    early.finish()
    cut = ExerciseHost.open(phoned_alarm(), log=tmp_path / "cut.jsonl", decisions={"call": "later"})
    cut.advance_to(40.0)
    cut.abandon()
    return [full, tmp_path / "early.jsonl", tmp_path / "cut.jsonl"]


def test_a_run_ended_early_or_interrupted_says_when_it_stopped_and_what_it_stopped_before(tmp_path: Path) -> None:
    comparison = compare(stopped_runs(tmp_path))
    full, early, cut = comparison.runs

    assert (full.end_t, full.status, full.played_out) == (600.0, "ended", True)  # the scenario's 10 minutes
    assert (early.end_t, early.status, early.played_out) == (30.0, "ended", False)
    # Its last record is the guard's decision at 4.1 s: the clock moved on to 40 s, but nothing says so in the log.
    assert (cut.end_t, cut.status, cut.played_out) == (4.1, "interrupted", False)
    assert full.end_text() == "played to the end (T+00:10:00)"
    assert early.end_text() == "ended early at T+00:00:30 (of T+00:10:00)"
    assert cut.end_text() == "interrupted after T+00:00:04 (unsealed; its last record)"
    # The police know at 4.1 s in the full run; the others stopped before their call at 64.1 s. Nobody ever
    # hears shots: in the full run that is "never", in the others it may only have been cut off.
    assert [milestone_cell(comparison, i, "police-know") for i in range(3)] == [
        "00:04",
        "after its end (00:30)",
        "after its end (00:04)",
    ]
    assert [milestone_cell(comparison, i, "shots-heard") for i in range(3)] == [
        "—",
        "after its end (00:30)",
        "after its end (00:04)",
    ]
    assert [milestone_cell(comparison, i, "guard-knows") for i in range(3)] == ["00:04", "00:04 (±0)", "00:04 (±0)"]
    assert [run.stopped_before("guard-knows") for run in comparison.runs] == [False, False, False]
    assert [run.stopped_before("shots-heard") for run in comparison.runs] == [False, True, True]
    assert any("early (base, seed 0) ended early at T+00:00:30" in note for note in comparison.notes)
    assert any("cut (base, seed 0) interrupted after T+00:00:04" in note for note in comparison.notes)


def test_the_change_shown_is_the_difference_of_the_times_shown() -> None:
    # 04:20.9 and 05:56.2 are shown cut to the second, 04:20 and 05:56: the change shown is theirs, +01:36
    # (not the 95.3 s between the exact times, which would show as +01:35).
    first = RunDigest("first", {"m": 260.9}, {}, 0.0, T0)
    other = RunDigest("other", {"m": 356.2}, {}, 0.0, T0)
    earlier = RunDigest("earlier", {"m": 200.99}, {}, 0.0, T0)
    comparison = Comparison([first, other, earlier], ["m"], {"m": "M"}, [])

    assert [milestone_cell(comparison, i, "m") for i in range(3)] == ["04:20", "05:56 (+01:36)", "03:20 (-01:00)"]
