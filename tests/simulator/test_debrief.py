"""The debrief of a finished run: its timeline, milestones beside their published times, ratings and harm."""

from __future__ import annotations

import json
from pathlib import Path

from scenarios import Scenario, load_scenario
from simulator import Exercise
from simulator.debrief import Debrief, MilestoneRow, ObjectiveRow, TimelineRow, debrief, harm_unit
from tests.simulator.scenario_factory import (
    channel,
    facts,
    inject,
    milestone,
    notify,
    objective,
    rule,
    scenario,
    stakeholder,
)


def reported_alarm() -> Scenario:
    """The guard hears of an alarm at 1m and phones the police (2m on the phone; 30s by radio in the variant).

    The guard's milestone has a published time; nothing ever reports shots. Both objectives allow 1m for P, 2m for S
    and 3m for M, counted from T0.
    """
    return scenario(
        duration="10m",
        facts=facts("alarm", "shots"),
        stakeholders=[stakeholder("guard", rule("call", "alarm", notify("police", "alarm"))), stakeholder("police")],
        channels=[channel("phone", "guard", "police", latency="2m")],
        injects=[inject("inj-01", "guard", at="1m", fact="alarm")],
        milestones=[
            milestone(
                "guard-knows",
                when={"fact": "alarm", "stakeholder": "guard"},
                reference={"time": "10:01", "source": "the guard's notebook"},
            ),
            milestone("police-know", when={"fact": "alarm", "stakeholder": "police"}),
            milestone("shots-heard", when={"fact": "shots"}),
        ],
        objectives=[
            objective("alert-police", "police-know", "1m", "2m", "3m"),
            objective("hear-shots", "shots-heard", "1m", "2m", "3m"),
        ],
        variants=[
            {
                "id": "radio",
                "description": "A radio link instead of the phone.",
                "change": {"channels": {"phone": {"medium": "radio", "latency": "30s"}}},
            }
        ],
    )


MILESTONES = (
    MilestoneRow("guard-knows", "Guard-Knows", 60.0, "10:01:00", "T+00:01:00", "10:01", "the guard's notebook", 0.0),
    MilestoneRow("police-know", "Police-Know", 90.0, "10:01:30", "T+00:01:30", None, None),
    MilestoneRow("shots-heard", "Shots-Heard", None, "not reached", "", None, None),
)
"""The milestones of the radio variant: the police know 30 s after the guard."""
OBJECTIVES = (
    ObjectiveRow("alert-police", "Alert-Police", "S", "00:01:30", 90.0, "P ≤ 01:00, S ≤ 02:00, M ≤ 03:00"),
    ObjectiveRow("hear-shots", "Hear-Shots", "U", "never", None, "P ≤ 01:00, S ≤ 02:00, M ≤ 03:00"),
)
"""90 s is over the 1m of a P and within the 2m of an S; shots never heard is U."""


def test_a_debrief_holds_the_timeline_milestones_ratings_and_harm_of_a_run(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    exercise = Exercise(reported_alarm(), 3, "radio", log=log)

    report = debrief(exercise, exercise.run(), log)

    # Records 0 (RunStarted), 3 (RuleFired), 4 (MessageSent) and 6 (MessageArrived) are not timeline lines.
    assert report == Debrief(
        scenario="test",
        title="Test scenario — variant radio",
        variant="radio",
        seed=3,
        start="2026-01-01T10:00:00",
        time_zone="Europe/Berlin",
        end_t=600.0,
        timeline=(
            TimelineRow(1, 60.0, "10:01:00", "T+00:01:00", "Inject inj-01 to guard", False),
            TimelineRow(2, 60.0, "10:01:00", "T+00:01:00", "guard learns alarm from inject:inj-01", False),
            TimelineRow(5, 60.0, "10:01:00", "T+00:01:00", "MILESTONE guard-knows", True),
            TimelineRow(7, 90.0, "10:01:30", "T+00:01:30", "police learns alarm from guard", False),
            TimelineRow(8, 90.0, "10:01:30", "T+00:01:30", "MILESTONE police-know", True),
            TimelineRow(9, 600.0, "10:10:00", "T+00:10:00", "Run ended (harm 0.0)", False),
        ),
        milestones=MILESTONES,
        reached=("guard-knows", "police-know"),
        references=True,
        objectives=OBJECTIVES,
        harm=0.0,
        harm_unit="exposure-minutes",
        records=10,
        decisions=(),
        log=str(log),
    )


def test_a_run_that_kept_no_records_has_a_debrief_without_a_timeline() -> None:
    exercise = Exercise(reported_alarm(), 3, "radio", keep_records=False)

    report = debrief(exercise, exercise.run())

    assert report.timeline == ()
    assert (report.milestones, report.objectives, report.records, report.log) == (MILESTONES, OBJECTIVES, 10, None)


def test_milestones_reached_at_one_time_are_listed_in_the_order_the_run_reached_them() -> None:
    both = milestone("both-know", all_of=["police-know", "guard-knows"])
    played = scenario(
        facts=facts("alarm"),
        stakeholders=[stakeholder("guard"), stakeholder("police")],
        injects=[inject("inj-01", "police", at="1m", fact="alarm"), inject("inj-02", "guard", at="1m", fact="alarm")],
        milestones=[
            both,
            milestone("guard-knows", when={"fact": "alarm", "stakeholder": "guard"}),
            milestone("police-know", when={"fact": "alarm", "stakeholder": "police"}),
        ],
    )
    exercise = Exercise(played, 0)

    report = debrief(exercise, exercise.run())

    # The police's inject comes first in the MSEL; both-know needs the other two, so it comes last. The milestones'
    # table is in that order too (time order, ties as reached), not in the scenario's.
    assert [row.milestone for row in report.milestones] == ["police-know", "guard-knows", "both-know"]
    assert report.reached == ("police-know", "guard-knows", "both-know")
    assert report.references is False


def test_the_harm_unit_names_what_the_scenarios_harm_counts() -> None:
    assert harm_unit(reported_alarm()) == "exposure-minutes"
    assert harm_unit(load_scenario("synagogue-holiday-attack")) == (
        "exposure-minutes (Occupant exposure-minutes while an attack, an exchange of fire or a barricade is active at "
        "their site.)"
    )


def test_a_debrief_is_plain_json_data() -> None:
    exercise = Exercise(reported_alarm(), 3, keep_records=False)

    data = debrief(exercise, exercise.run()).to_dict()

    assert json.loads(json.dumps(data)) == data
    # On the phone the police know at 3m: over the 2m of an S, within the 3m of an M.
    assert data == {
        "scenario": "test",
        "title": "Test scenario",
        "variant": None,
        "seed": 3,
        "start": "2026-01-01T10:00:00",
        "time_zone": "Europe/Berlin",
        "end_t": 600.0,
        "timeline": [],
        "milestones": [
            {
                "milestone": "guard-knows",
                "name": "Guard-Knows",
                "t": 60.0,
                "clock": "10:01:00",
                "t_plus": "T+00:01:00",
                "published": "10:01",
                "source": "the guard's notebook",
                "difference_s": 0.0,
            },
            {
                "milestone": "police-know",
                "name": "Police-Know",
                "t": 180.0,
                "clock": "10:03:00",
                "t_plus": "T+00:03:00",
                "published": None,
                "source": None,
                "difference_s": None,
            },
            {
                "milestone": "shots-heard",
                "name": "Shots-Heard",
                "t": None,
                "clock": "not reached",
                "t_plus": "",
                "published": None,
                "source": None,
                "difference_s": None,
            },
        ],
        "reached": ["guard-knows", "police-know"],
        "references": True,
        "objectives": [
            {
                "objective": "alert-police",
                "name": "Alert-Police",
                "rating": "M",
                "measured": "00:03:00",
                "measured_s": 180.0,
                "thresholds": "P ≤ 01:00, S ≤ 02:00, M ≤ 03:00",
                "note": None,
            },
            {
                "objective": "hear-shots",
                "name": "Hear-Shots",
                "rating": "U",
                "measured": "never",
                "measured_s": None,
                "thresholds": "P ≤ 01:00, S ≤ 02:00, M ≤ 03:00",
                "note": None,
            },
        ],
        "harm": 0.0,
        "harm_unit": "exposure-minutes",
        "records": 10,
        "decisions": {},
        "log": None,
        "observations": [],
        "taken": [],
        "stopped": None,
        "reference_intervals": [],
    }


def test_the_debrief_lists_each_decision_taken_with_who_took_it_and_what_it_did() -> None:
    exercise = Exercise(
        load_scenario("synagogue-holiday-attack"), 1, decisions={"patrols-in-or-wait": "wait-for-armed"}
    )

    taken = debrief(exercise, exercise.run()).taken

    by_id = {row.decision: row for row in taken}
    patrols = by_id["patrols-in-or-wait"]
    assert patrols.by == "preset"
    assert patrols.option == "wait-for-armed"
    assert patrols.stakeholder == "police-control-110"
    assert patrols.t_plus.startswith("T+")
    # Every decision the run took is listed once, in the order the log has them.
    logged = [(r["decision"], r["option"], r["by"]) for r in exercise.records if r["kind"] == "DecisionTaken"]
    assert [(row.decision, row.option, row.by) for row in taken] == logged
    scenario = load_scenario("synagogue-holiday-attack")
    options = {(d.id, o.id): o for d in scenario.decisions for o in d.options}
    for row in taken:
        assert row.label == options[row.decision, row.option].label
        assert len(row.consequences) == len(options[row.decision, row.option].consequences)


def test_the_milestones_table_is_in_time_order_with_the_milestones_never_reached_last() -> None:
    played = scenario(
        facts=facts("alarm", "all-clear"),
        stakeholders=[stakeholder("guard"), stakeholder("police")],
        injects=[inject("inj-01", "police", at="5m", fact="alarm"), inject("inj-02", "guard", at="1m", fact="alarm")],
        milestones=[
            milestone("cleared", when={"fact": "all-clear", "stakeholder": "guard"}),
            milestone("police-know", when={"fact": "alarm", "stakeholder": "police"}),
            milestone("never", when={"fact": "all-clear", "stakeholder": "police"}),
            milestone("guard-knows", when={"fact": "alarm", "stakeholder": "guard"}),
        ],
    )
    exercise = Exercise(played, 0)

    report = debrief(exercise, exercise.run())

    # guard at 1m, police at 5m; the two never reached keep the scenario's order after them.
    assert [(row.milestone, row.t) for row in report.milestones] == [
        ("guard-knows", 60.0),
        ("police-know", 300.0),
        ("cleared", None),
        ("never", None),
    ]
