"""Comparing runs: each run's digest from its records, milestones aligned across runs, deltas against the first."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import Exercise
from simulator.analysis.compare import CompareError, Comparison, RunDigest, compare, digest, in_time_order
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
    )


def test_a_digest_of_an_interrupted_run_has_its_milestones_but_no_ratings_and_no_harm(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    exercise = Exercise(phoned_alarm(), 0, log=path)
    exercise.advance_to(10.0)  # the guard knows (4.1 s) and is deciding; the police do not know yet
    exercise.abandon()

    assert digest(read_run_log(path), "cut") == RunDigest("cut", {"guard-knows": 4.1}, {}, None, T0)  # undecided


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
            ),
            RunDigest(
                "later (decision-milestone, seed 0)",
                {"call-decided": 4.1, "guard-knows": 4.1, "police-know": 64.1},
                {"alert-police": "M"},
                0.0,
                T0,
                {"call": ("later", "preset")},
                {"call": 4.1},
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
