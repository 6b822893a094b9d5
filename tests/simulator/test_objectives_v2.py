"""Objectives v2: `until` before another milestone, N/A when a milestone the objective needs never happens, and an
`until` that came before `since` rated U and said so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from scenarios import Scenario
from scenarios.exercise import Objective
from simulator import Exercise
from simulator.logcheck import read_tabletop_log
from simulator.scoreboard import scoreboard
from tests.simulator.scenario_factory import Data, facts, inject, milestone, scenario, stakeholder

LIMITS = {"performed": "1m", "some_challenges": "2m", "major_challenges": "3m"}


def goal(objective_id: str, until: str, **fields: Any) -> Data:
    """An objective over `until` (thresholds only when given)."""
    return {"id": objective_id, "name": objective_id.title(), "core_capability": "Planning", "until": until, **fields}


def timed(*objectives: Data, at: dict[str, str]) -> Scenario:
    """One stakeholder learning fact F at the time `at[F]` (an inject each); milestone F is reached then."""
    return scenario(
        duration="10m",
        facts=facts("a", "b", "c", "d"),
        stakeholders=[stakeholder("team")],
        injects=[inject(f"inj-{fact}", "team", at=when, fact=fact) for fact, when in at.items()],
        milestones=[milestone(fact, when={"fact": fact}) for fact in ("a", "b", "c", "d")],
        objectives=list(objectives),
    )


def ratings(played: Scenario) -> list[tuple[str, str | None, float | None, str | None]]:
    return [(r.objective, r.rating, r.measured_s, r.note) for r in Exercise(played, 0).run().objectives]


def test_until_before_the_before_milestone_is_p_and_after_it_u() -> None:
    played = timed(
        goal("warned-first", "a", before="b"),
        goal("warned-late", "b", before="a"),
        goal("never-came", "a", before="d"),
        goal("timed-and-first", "b", since="a", before="c", thresholds=LIMITS),
        at={"a": "1m", "b": "2m30s", "c": "4m"},
    )
    # a at 1m, b at 2m30s, c at 4m, d never: a before b (P, 60 s from T0); b came after a (U); d never reached
    # while a was (P); b before c, and 1m30s from a is within S.
    assert ratings(played) == [
        ("warned-first", "P", 60.0, None),
        ("warned-late", "U", None, "a came before b"),
        ("never-came", "P", 60.0, None),
        ("timed-and-first", "S", 90.0, None),
    ]


def test_with_before_first_the_rating_is_u_whatever_the_thresholds_say() -> None:
    played = timed(goal("quick-but-late", "b", before="a", thresholds=LIMITS), at={"a": "10s", "b": "20s"})
    assert ratings(played) == [("quick-but-late", "U", None, "a came before b")]


def test_before_is_settled_during_the_run_as_soon_as_either_milestone_is_reached() -> None:
    played = timed(goal("first", "b", before="c"), goal("late", "c", before="b"), at={"b": "2m", "c": "5m"})
    exercise = Exercise(played, 0)
    seen = []
    for t in (60.0, 120.0, 600.0):
        exercise.advance_to(t)
        seen.append([r.rating for r in exercise.objectives()])
    assert seen == [[None, None], ["P", "U"], ["P", "U"]]


def test_two_milestones_at_the_same_moment_count_in_the_order_they_were_reached() -> None:
    played = timed(goal("a-first", "a", before="b"), goal("b-first", "b", before="a"), at={"a": "1m", "b": "1m"})
    # inj-a is scheduled before inj-b at the same time, so milestone a is reached first.
    assert ratings(played) == [("a-first", "P", 60.0, None), ("b-first", "U", None, "a came before b")]


def test_an_objective_that_depends_on_a_milestone_never_reached_is_n_a_not_u() -> None:
    played = timed(
        goal("second-site", "c", thresholds=LIMITS, not_applicable_unless=["d"]),
        goal("missed-anyway", "c", thresholds=LIMITS, not_applicable_unless=["a"]),
        goal("met-all-the-same", "a", thresholds=LIMITS, not_applicable_unless=["d"]),
        goal("too-slow", "b", thresholds=LIMITS, not_applicable_unless=["d"]),
        at={"a": "30s", "b": "5m"},
    )
    # c never: N/A where d (never) is needed, U where a (reached) is; a at 30 s would be P, but d never came: the
    # objective did not apply in this run, N/A (a P would count towards its probability of being met); b at 5m is
    # over the 3m of an M: U, but d never came, so N/A too, the measured time kept.
    assert ratings(played) == [
        ("second-site", "N/A", None, "not applicable: never reached d"),
        ("missed-anyway", "U", None, None),
        ("met-all-the-same", "N/A", 30.0, "not applicable: never reached d"),
        ("too-slow", "N/A", 300.0, "not applicable: never reached d"),
    ]
    ended = Exercise(played, 0)
    ended.run()
    (last,) = [r for r in ended.records if r["kind"] == "RunEnded"]
    assert last["ratings"] == {
        "second-site": "N/A",
        "missed-anyway": "U",
        "met-all-the-same": "N/A",
        "too-slow": "N/A",
    }


def test_an_objective_that_may_still_become_n_a_stays_open_instead_of_u_until_the_end() -> None:
    played = timed(goal("later", "c", thresholds=LIMITS, not_applicable_unless=["d"]), at={"a": "1m"})
    exercise = Exercise(played, 0)
    exercise.advance_to(240.0)  # past the 3m of an M: without the condition it would already be U
    assert [r.rating for r in exercise.objectives()] == [None]
    assert [o.status for o in scoreboard(exercise).objectives] == ["pending"]
    exercise.run()
    board = scoreboard(exercise)
    assert [(o.rating, o.status, o.note) for o in board.objectives] == [
        ("N/A", "not applicable", "not applicable: never reached d")
    ]
    assert board.objectives[0].thresholds == "P ≤ 01:00, S ≤ 02:00, M ≤ 03:00; N/A unless D"


def test_an_until_that_came_before_since_is_rated_u_and_says_so() -> None:
    played = timed(goal("backwards", "a", since="b", thresholds=LIMITS), at={"a": "30s", "b": "2m"})
    # until (a, 30 s) came 1m30s before since (b, 2m): never a negative time rated P.
    assert ratings(played) == [("backwards", "U", None, "until came before since (01:30 earlier)")]


def test_an_objective_without_thresholds_needs_before() -> None:
    with pytest.raises(AssertionError, match="give thresholds, or before"):
        timed(goal("unmeasured", "a"), at={"a": "1m"})


def test_before_and_not_applicable_unless_name_milestones_that_exist() -> None:
    with pytest.raises(AssertionError, match="unknown milestone 'e'"):
        timed(goal("x", "a", before="e"), at={"a": "1m"})
    with pytest.raises(AssertionError, match="unknown milestone 'f'"):
        timed(goal("y", "a", thresholds=LIMITS, not_applicable_unless=["f"]), at={"a": "1m"})


def test_a_run_log_with_n_a_ratings_reads_back_as_a_tabletop_log_and_its_seal_holds(tmp_path: Path) -> None:
    played = timed(goal("second-site", "c", thresholds=LIMITS, not_applicable_unless=["d"]), at={"a": "1m"})
    log = tmp_path / "run.jsonl"
    Exercise(played, 0, log=log).run()

    read = read_tabletop_log(log)

    assert read.last_record is not None and read.last_record["ratings"] == {"second-site": "N/A"}


def test_the_guides_example_of_before_and_not_applicable_unless_is_a_valid_objective() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "writing-scenarios.md").read_text(encoding="utf-8")
    (block,) = [b for b in guide.split("```yaml snippet\n") if "before: attacker-at-school" in b.split("```")[0]]
    (data,) = YAML(typ="safe", pure=True).load(block.split("```")[0])["objectives"]
    made = Objective.model_validate(data)
    assert (made.before, made.thresholds, made.not_applicable_unless) == (
        "attacker-at-school",
        None,
        ["attacker-at-school"],
    )
