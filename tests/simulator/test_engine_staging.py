"""Units staged at a rendezvous until the scene is safe, and units recalled from wherever they are."""

from __future__ import annotations

from typing import Any

from simulator import Exercise
from tests.simulator.scenario_factory import (
    Data,
    channel,
    dispatch,
    facts,
    inject,
    milestone,
    notify,
    rule,
    scenario,
    site,
    stakeholder,
)

START = {"event": "start"}
UNITS = {"DispatchOrdered", "UnitsLeft", "UnitsStaged", "UnitsCleared", "UnitsArrived", "UnitsRecalled"}
SAFE = {"fact": "scene-safe"}


def staged(until: Data, access: str = "1m", **fields: Any) -> Data:
    """A dispatch of the ambulances to hq, staged until `until`."""
    return dispatch("hq", stakeholder="ems", stage={"until": until, "access": access}, **fields)


def play(*control: Data, ems: list[Data] | None = None, others: list[Data] | None = None, **sections: Any) -> Exercise:
    """Control dispatches ambulances (5m to hq) and armed units (8m to hq)."""
    played = Exercise(
        scenario(
            facts=facts("scene-safe", "call"),
            sites=[site("hq"), site("cafe")],
            stakeholders=[
                stakeholder("control", *control),
                stakeholder("ems", *(ems or []), units=2, travel={"hq": "5m", "cafe": "2m"}),
                stakeholder("armed", travel={"hq": "8m"}),
                *(others or []),
            ],
            **sections,
        ),
        seed=1,
    )
    played.run()
    return played


def units(played: Exercise, *extra: str) -> list[tuple[Any, ...]]:
    """(t, kind, stakeholder, site, staged_s or was) of the units' records and of the `extra` kinds."""
    return [
        (r["t"], r["kind"], r.get("stakeholder"), r.get("site"), r.get("staged_s", r.get("was")))
        for r in played.records
        if r["kind"] in UNITS or r["kind"] in extra
    ]


def test_staged_units_wait_at_the_rendezvous_until_the_dispatcher_learns_the_scene_is_safe(
    scene: list[tuple[float, str, list[tuple[str, int]]]],
) -> None:
    played = play(
        rule("send", START, staged(SAFE)),
        injects=[inject("safe", "control", at="10m", fact="scene-safe")],
    )

    # At the rendezvous at 5m, cleared at 10m (after 5m there), on scene after the 1m access.
    assert units(played, "FactLearned") == [
        (0.0, "DispatchOrdered", "ems", "hq", None),
        (0.0, "UnitsLeft", "ems", "hq", None),
        (300.0, "UnitsStaged", "ems", "hq", None),
        (600.0, "FactLearned", "control", None, None),
        (600.0, "UnitsCleared", "ems", "hq", 300.0),
        (660.0, "UnitsArrived", "ems", "hq", None),
    ]
    assert scene == [(660.0, "hq", [("ems", 1)])]


def test_a_scene_declared_safe_before_they_reach_the_rendezvous_clears_them_as_they_get_there() -> None:
    played = play(
        rule("send", START, staged(SAFE)),
        injects=[inject("safe", "control", at="3m", fact="scene-safe")],
    )

    assert units(played, "FactLearned") == [
        (0.0, "DispatchOrdered", "ems", "hq", None),
        (0.0, "UnitsLeft", "ems", "hq", None),
        (180.0, "FactLearned", "control", None, None),
        (300.0, "UnitsStaged", "ems", "hq", None),
        (300.0, "UnitsCleared", "ems", "hq", 0.0),
        (360.0, "UnitsArrived", "ems", "hq", None),
    ]


def test_a_fact_the_dispatcher_already_holds_counts_and_no_access_time_means_straight_in() -> None:
    played = play(
        rule("send", START, staged(SAFE, access="0s", after="1m")),
        injects=[inject("safe", "control", at="0s", fact="scene-safe")],
    )

    assert units(played) == [
        (60.0, "DispatchOrdered", "ems", "hq", None),
        (60.0, "UnitsLeft", "ems", "hq", None),
        (360.0, "UnitsStaged", "ems", "hq", None),
        (360.0, "UnitsCleared", "ems", "hq", 0.0),
        (360.0, "UnitsArrived", "ems", "hq", None),
    ]


def test_a_fact_trigger_naming_a_stakeholder_waits_for_that_stakeholder_to_learn_it() -> None:
    played = play(
        rule("send", START, staged({"fact": "scene-safe", "stakeholder": "ems"})),
        rule("tell", "scene-safe", notify("ems", "scene-safe", after="7m")),
        injects=[inject("safe", "control", at="1m", fact="scene-safe")],
        channels=[channel("radio", "control", "ems")],
    )

    # Control knows at 1m; the ambulances wait until their own service is told, at 8m.
    assert units(played, "FactLearned") == [
        (0.0, "DispatchOrdered", "ems", "hq", None),
        (0.0, "UnitsLeft", "ems", "hq", None),
        (60.0, "FactLearned", "control", None, None),
        (300.0, "UnitsStaged", "ems", "hq", None),
        (480.0, "FactLearned", "ems", None, None),
        (480.0, "UnitsCleared", "ems", "hq", 180.0),
        (540.0, "UnitsArrived", "ems", "hq", None),
    ]


def test_staged_units_go_in_when_another_stakeholder_s_units_arrive_and_their_wait_is_a_milestone() -> None:
    armed_on_scene = {"event": "units_arrived", "stakeholder": "armed", "site": "hq"}
    played = play(
        rule("send", START, staged(armed_on_scene, access="2m"), dispatch("hq", stakeholder="armed")),
        milestones=[milestone("ems-waiting", when={"event": "units_staged", "stakeholder": "ems"})],
    )

    assert units(played, "MilestoneReached") == [
        (0.0, "DispatchOrdered", "ems", "hq", None),
        (0.0, "UnitsLeft", "ems", "hq", None),
        (0.0, "DispatchOrdered", "armed", "hq", None),
        (0.0, "UnitsLeft", "armed", "hq", None),
        (300.0, "UnitsStaged", "ems", "hq", None),
        (300.0, "MilestoneReached", None, None, None),
        (480.0, "UnitsArrived", "armed", "hq", None),
        (480.0, "UnitsCleared", "ems", "hq", 180.0),
        (600.0, "UnitsArrived", "ems", "hq", None),
    ]


def test_staged_units_go_in_on_a_milestone_and_their_own_rules_see_them_wait() -> None:
    secured = milestone("secured", when={"event": "units_arrived", "stakeholder": "armed"})
    played = play(
        rule("send", START, staged({"event": "milestone_reached", "milestone": "secured"})),
        rule("armed", START, dispatch("hq", stakeholder="armed", after="1m")),
        ems=[rule("report", {"event": "units_staged", "site": "hq"}, notify("control", "call"))],
        milestones=[secured],
        channels=[channel("radio", "ems", "control")],
    )

    assert units(played, "MilestoneReached", "RuleFired", "FactLearned")[-7:] == [
        (300.0, "UnitsStaged", "ems", "hq", None),
        (300.0, "RuleFired", "ems", None, None),
        (300.0, "FactLearned", "control", None, None),
        (540.0, "UnitsArrived", "armed", "hq", None),
        (540.0, "MilestoneReached", None, None, None),
        (540.0, "UnitsCleared", "ems", "hq", 240.0),
        (600.0, "UnitsArrived", "ems", "hq", None),
    ]


def test_a_condition_that_happened_before_the_order_does_not_count_for_events() -> None:
    armed_on_scene = {"event": "units_arrived", "stakeholder": "armed", "site": "hq"}
    played = play(
        rule("armed", START, dispatch("hq", stakeholder="armed")),
        rule("send", START, staged(armed_on_scene, after="10m")),
    )

    assert units(played)[-3:] == [
        (600.0, "DispatchOrdered", "ems", "hq", None),
        (600.0, "UnitsLeft", "ems", "hq", None),
        (900.0, "UnitsStaged", "ems", "hq", None),
    ]


# --- recall -----------------------------------------------------------------------------------------------------------


def recall(site_id: str, **fields: Any) -> Data:
    """A `recall` action."""
    return {"action": "recall", "site": site_id, **fields}


def test_recalled_units_waiting_for_free_units_give_back_those_they_hold_at_once() -> None:
    # Two ambulances: one goes to the cafe; the order of two for hq takes the other and waits for a second.
    played = play(
        ems=[
            rule(
                "go",
                START,
                dispatch("cafe"),
                dispatch("hq", 2, after="10s"),
                recall("hq", after="1m"),
                dispatch("hq", after="2m"),
            )
        ]
    )

    assert units(played) == [
        (0.0, "DispatchOrdered", "ems", "cafe", None),
        (0.0, "UnitsLeft", "ems", "cafe", None),
        (10.0, "DispatchOrdered", "ems", "hq", None),
        (60.0, "UnitsRecalled", "ems", "hq", "waiting"),
        (120.0, "UnitsArrived", "ems", "cafe", None),
        (120.0, "DispatchOrdered", "ems", "hq", None),
        (120.0, "UnitsLeft", "ems", "hq", None),
        (420.0, "UnitsArrived", "ems", "hq", None),
    ]
    left = [r["waited_s"] for r in played.records if r["kind"] == "UnitsLeft"]
    assert left == [0.0, 0.0]


def test_units_recalled_on_their_way_never_arrive_and_are_free_for_the_next_order() -> None:
    played = play(ems=[rule("go", START, dispatch("hq", 2), recall("hq", after="2m"), dispatch("cafe", 2, after="3m"))])

    assert units(played) == [
        (0.0, "DispatchOrdered", "ems", "hq", None),
        (0.0, "UnitsLeft", "ems", "hq", None),
        (120.0, "UnitsRecalled", "ems", "hq", "travelling"),
        (180.0, "DispatchOrdered", "ems", "cafe", None),
        (180.0, "UnitsLeft", "ems", "cafe", None),
        (300.0, "UnitsArrived", "ems", "cafe", None),
    ]


def test_units_recalled_from_the_scene_leave_it_and_staged_ones_leave_the_rendezvous(
    scene: list[tuple[float, str, list[tuple[str, int]]]],
) -> None:
    played = play(
        rule("send", START, staged(SAFE), recall("hq", stakeholder="ems", after="6m")),
        ems=[rule("go", START, dispatch("cafe"), recall("cafe", after="4m"), dispatch("cafe", 2, after="7m"))],
    )

    assert units(played) == [
        (0.0, "DispatchOrdered", "ems", "hq", None),
        (0.0, "UnitsLeft", "ems", "hq", None),
        (0.0, "DispatchOrdered", "ems", "cafe", None),
        (0.0, "UnitsLeft", "ems", "cafe", None),
        (120.0, "UnitsArrived", "ems", "cafe", None),
        (240.0, "UnitsRecalled", "ems", "cafe", "on_scene"),
        (300.0, "UnitsStaged", "ems", "hq", None),
        (360.0, "UnitsRecalled", "ems", "hq", "staged"),
        (420.0, "DispatchOrdered", "ems", "cafe", None),
        (420.0, "UnitsLeft", "ems", "cafe", None),
        (540.0, "UnitsArrived", "ems", "cafe", None),
    ]
    assert scene == [(120.0, "cafe", [("ems", 1)]), (240.0, "cafe", []), (540.0, "cafe", [("ems", 2)])]


def test_a_recall_takes_only_the_named_stakeholder_s_units_from_that_site(
    scene: list[tuple[float, str, list[tuple[str, int]]]],
) -> None:
    played = play(
        rule(
            "send",
            START,
            dispatch("hq", stakeholder="ems"),
            dispatch("hq", stakeholder="armed"),
            dispatch("hq", stakeholder="ems", after="1m"),
            recall("hq", stakeholder="armed", after="10m"),
        ),
    )

    assert [kind for _, kind, *_ in units(played)].count("UnitsRecalled") == 1
    assert scene == [
        (300.0, "hq", [("ems", 1)]),
        (360.0, "hq", [("ems", 1), ("ems", 1)]),
        (480.0, "hq", [("ems", 1), ("ems", 1), ("armed", 1)]),
        (600.0, "hq", [("ems", 1), ("ems", 1)]),
    ]


def test_staged_units_redirected_elsewhere_stage_again_near_their_new_site() -> None:
    played = play(
        rule(
            "send",
            START,
            staged(SAFE),
            {"action": "redirect", "from": "hq", "to": "cafe", "stakeholder": "ems", "after": "6m"},
        ),
        injects=[inject("safe", "control", at="7m", fact="scene-safe")],
    )

    assert units(played, "UnitsRedirected", "FactLearned") == [
        (0.0, "DispatchOrdered", "ems", "hq", None),
        (0.0, "UnitsLeft", "ems", "hq", None),
        (300.0, "UnitsStaged", "ems", "hq", None),
        (360.0, "UnitsRedirected", "ems", "cafe", None),
        (420.0, "FactLearned", "control", None, None),
        (480.0, "UnitsStaged", "ems", "cafe", None),
        (480.0, "UnitsCleared", "ems", "cafe", 0.0),
        (540.0, "UnitsArrived", "ems", "cafe", None),
    ]


def test_the_same_seed_draws_the_same_travel_and_access_times_when_units_stage_and_move() -> None:
    drawn = {"dist": "lognormal", "median": "2m", "p90": "5m"}

    def run() -> list[tuple[float, str]]:
        played = play(
            rule(
                "send",
                START,
                staged(SAFE, access="0s") | {"stage": {"until": SAFE, "access": drawn}},
                {"action": "redirect", "from": "hq", "to": "cafe", "stakeholder": "ems", "after": "3m"},
            ),
            injects=[inject("safe", "control", at="1m", fact="scene-safe")],
        )
        return [(r["t"], r["kind"]) for r in played.records if r["kind"] in UNITS | {"UnitsRedirected"}]

    first = run()
    assert first == run()
    assert [kind for _, kind in first][-3:] == ["UnitsStaged", "UnitsCleared", "UnitsArrived"]
