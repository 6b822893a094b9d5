"""Units on the move: pursuit of a threat that changes site, redirection by an order, and the checks of both."""

from __future__ import annotations

from typing import Any

import pytest

from scenarios._yaml import Document
from scenarios.loader import validate_data
from scenarios.validation import check_references
from simulator import Exercise
from tests.simulator.scenario_factory import (
    Data,
    decision,
    dispatch,
    option,
    phase,
    rule,
    scenario,
    site,
    stakeholder,
    threat,
)

START = {"event": "start"}
MOVES = {
    "DispatchOrdered",
    "DispatchUnfollowable",
    "UnitsLeft",
    "UnitsArrived",
    "UnitsRedirected",
    "PursuitBlocked",
    "UnitsRecalled",
}
SITES = [site("hq"), site("cafe", 4), site("park", 0)]
REACH = ("rule ", "no message")
"""How the warnings of what can never happen begin (not these tests' concern)."""


def follow(**fields: Any) -> Data:
    """A dispatch that follows the threat."""
    return {"action": "dispatch", "follow": "threat", **fields}


def redirect(from_site: str, to: str, **fields: Any) -> Data:
    """A `redirect` action."""
    return {"action": "redirect", "from": from_site, "to": to, **fields}


def play(*phases: Data, patrols: list[Data], travel: dict[str, str] | None = None, **sections: Any) -> Exercise:
    """Play a threat of `phases` against patrols (no power to stop it) that travel 2m to hq and 5m to the cafe."""
    patrol = stakeholder("patrols", *patrols, units=2, travel=travel or {"hq": "2m", "cafe": "5m"})
    played = Exercise(
        scenario(sites=SITES, stakeholders=[patrol, *sections.pop("others", [])], threat=threat(*phases), **sections),
        seed=1,
    )
    played.run()
    return played


def moves(played: Exercise) -> list[tuple[Any, ...]]:
    """(t, kind, where from, where to, travel) of every record of where units go (where from: pursuits only)."""
    out: list[tuple[Any, ...]] = []
    for r in played.records:
        if r["kind"] in MOVES:
            origin = r.get("from_site", r.get("threat_site"))
            out.append((r["t"], r["kind"], origin, r.get("site"), r.get("travel_s")))
    return out


def test_units_on_scene_follow_the_threat_to_its_next_site(
    scene: list[tuple[float, str, list[tuple[str, int]]]],
) -> None:
    played = play(
        phase("attack-hq", "attack", "10m", site="hq"),
        phase("move", "move", "2m"),
        phase("attack-cafe", "attack", "10m", site="cafe"),
        patrols=[rule("go", START, follow(after="1m"))],
    )

    # On scene at hq from 3m; the move has no site, so they wait there; at 12m the threat is at the cafe (5m away).
    assert moves(played) == [
        (60.0, "DispatchOrdered", None, "hq", None),
        (60.0, "UnitsLeft", None, "hq", 120.0),
        (180.0, "UnitsArrived", None, "hq", None),
        (720.0, "UnitsRedirected", "hq", "cafe", 300.0),
        (1020.0, "UnitsArrived", None, "cafe", None),
    ]
    redirected = next(r for r in played.records if r["kind"] == "UnitsRedirected")
    assert (redirected["reason"], redirected["units"]) == ("pursuit", 1)
    assert scene == [
        (180.0, "hq", [("patrols", 1)]),
        (720.0, "hq", []),
        (1020.0, "cafe", [("patrols", 1)]),
    ]


def test_units_on_their_way_turn_to_the_threat_s_new_site_and_never_reach_the_old_one() -> None:
    played = play(
        phase("attack-hq", "attack", "10m", site="hq"),
        phase("attack-cafe", "attack", "10m", site="cafe"),
        patrols=[rule("go", START, follow(after="9m"))],
    )

    # Due at hq at 11m; at 10m they turn to the cafe, 5m from there.
    assert moves(played) == [
        (540.0, "DispatchOrdered", None, "hq", None),
        (540.0, "UnitsLeft", None, "hq", 120.0),
        (600.0, "UnitsRedirected", "hq", "cafe", 300.0),
        (900.0, "UnitsArrived", None, "cafe", None),
    ]


def test_units_still_waiting_for_free_units_are_told_the_new_site_and_travel_there_once_free() -> None:
    played = play(
        phase("attack-hq", "attack", "5m", site="hq"),
        phase("attack-cafe", "attack", "20m", site="cafe"),
        patrols=[
            rule("go", START, dispatch("hq", 2), follow(after="1m"), {"action": "recall", "site": "hq", "after": "10m"})
        ],
    )

    # Both units are at hq when the pursuit is ordered; it gets one when they are recalled at 10m.
    assert moves(played) == [
        (0.0, "DispatchOrdered", None, "hq", None),
        (0.0, "UnitsLeft", None, "hq", 120.0),
        (60.0, "DispatchOrdered", None, "hq", None),
        (120.0, "UnitsArrived", None, "hq", None),
        (300.0, "UnitsRedirected", "hq", "cafe", None),
        (600.0, "UnitsRecalled", None, "hq", None),
        (600.0, "UnitsLeft", None, "cafe", 300.0),
        (900.0, "UnitsArrived", None, "cafe", None),
    ]
    left = [r["waited_s"] for r in played.records if r["kind"] == "UnitsLeft"]
    assert left == [0.0, 540.0]


def test_units_that_cannot_travel_to_the_threat_s_new_site_stay_where_they_are_and_follow_it_again_later(
    scene: list[tuple[float, str, list[tuple[str, int]]]],
) -> None:
    played = play(
        phase("attack-hq", "attack", "5m", site="hq"),
        phase("hide", "approach", "5m", site="park"),
        phase("attack-cafe", "attack", "10m", site="cafe"),
        patrols=[rule("go", START, follow(after="1m"))],
    )

    assert moves(played) == [
        (60.0, "DispatchOrdered", None, "hq", None),
        (60.0, "UnitsLeft", None, "hq", 120.0),
        (180.0, "UnitsArrived", None, "hq", None),
        (300.0, "PursuitBlocked", "park", "hq", None),
        (600.0, "UnitsRedirected", "hq", "cafe", 300.0),
        (900.0, "UnitsArrived", None, "cafe", None),
    ]
    assert scene == [(180.0, "hq", [("patrols", 1)]), (600.0, "hq", []), (900.0, "cafe", [("patrols", 1)])]


def test_a_pursuit_ordered_before_the_threat_is_anywhere_or_where_the_units_cannot_go_is_not_carried_out() -> None:
    played = play(
        phase("approach", "approach", "5m"),
        phase("hide", "approach", "5m", site="park"),
        patrols=[rule("early", START, follow(after="1m")), rule("late", START, follow(after="6m"))],
    )

    assert moves(played) == [
        (60.0, "DispatchUnfollowable", None, None, None),
        (360.0, "DispatchUnfollowable", None, "park", None),
    ]


def test_units_sent_to_a_site_do_not_follow_the_threat() -> None:
    played = play(
        phase("attack-hq", "attack", "5m", site="hq"),
        phase("attack-cafe", "attack", "10m", site="cafe"),
        patrols=[rule("go", START, dispatch("hq"))],
    )

    assert moves(played) == [
        (0.0, "DispatchOrdered", None, "hq", None),
        (0.0, "UnitsLeft", None, "hq", 120.0),
        (120.0, "UnitsArrived", None, "hq", None),
    ]


def test_a_decision_s_consequence_redirects_units_on_their_way_with_a_fresh_travel_time() -> None:
    control = stakeholder("control")
    choice = decision(
        "where-to",
        "control",
        option("cafe", redirect("hq", "cafe", stakeholder="patrols")),
        option("stay"),
        deadline="2m",
        default="cafe",
        trigger=START,
    )
    played = play(
        phase("attack-hq", "attack", "30m", site="hq"),
        patrols=[rule("go", START, dispatch("hq"), {"action": "dispatch", "site": "hq", "after": "1m"})],
        travel={"hq": "5m", "cafe": "3m"},
        others=[control],
        decisions=[choice],
    )

    # Both groups are on their way to hq at 2m (due at 5m and 6m); both turn to the cafe, 3m away.
    assert moves(played) == [
        (0.0, "DispatchOrdered", None, "hq", None),
        (0.0, "UnitsLeft", None, "hq", 300.0),
        (60.0, "DispatchOrdered", None, "hq", None),
        (60.0, "UnitsLeft", None, "hq", 300.0),
        (120.0, "UnitsRedirected", "hq", "cafe", 180.0),
        (120.0, "UnitsRedirected", "hq", "cafe", 180.0),
        (300.0, "UnitsArrived", None, "cafe", None),
        (300.0, "UnitsArrived", None, "cafe", None),
    ]
    assert {r["reason"] for r in played.records if r["kind"] == "UnitsRedirected"} == {"order"}


def test_a_redirect_moves_units_on_scene_and_ends_their_pursuit(
    scene: list[tuple[float, str, list[tuple[str, int]]]],
) -> None:
    played = play(
        phase("attack-hq", "attack", "10m", site="hq"),
        phase("attack-park", "attack", "10m", site="park"),
        patrols=[rule("go", START, follow(after="1m"), redirect("hq", "cafe", after="5m"))],
        travel={"hq": "2m", "cafe": "5m", "park": "1m"},
    )

    # Sent to the cafe at 5m, they no longer follow the threat to the park at 10m.
    assert moves(played) == [
        (60.0, "DispatchOrdered", None, "hq", None),
        (60.0, "UnitsLeft", None, "hq", 120.0),
        (180.0, "UnitsArrived", None, "hq", None),
        (300.0, "UnitsRedirected", "hq", "cafe", 300.0),
        (600.0, "UnitsArrived", None, "cafe", None),
    ]
    assert scene == [(180.0, "hq", [("patrols", 1)]), (300.0, "hq", []), (600.0, "cafe", [("patrols", 1)])]


# --- the checks -------------------------------------------------------------------------------------------------------


def diagnostics(*actions: Data, travel: dict[str, str]) -> list[tuple[str, str, str]]:
    """(severity, path, message) of what validation says of these actions of a rule of the patrols."""
    data: Data = {
        "schema_version": 2,
        "id": "test",
        "title": "Test",
        "summary": "A test.",
        "learning_objectives": ["Checks."],
        "clock": {"start": "2026-01-01T10:00:00", "time_zone": "Europe/Berlin", "duration": "1h"},
        "sites": SITES,
        "stakeholders": [stakeholder("patrols", rule("go", START, *actions), units=2, travel=travel)],
        "threat": threat(phase("a", "attack", "5m", site="hq"), phase("b", "attack", "5m", site="park")),
    }
    document = Document("test", data, {})
    built, errors = validate_data(data, document, ())
    assert built is not None, [e.format() for e in errors]
    return [
        (d.severity, d.path, d.message)
        for d in check_references(built, document, ())
        if not d.message.startswith(REACH)
    ]


def test_a_pursuit_warns_of_the_threat_s_sites_its_units_cannot_travel_to() -> None:
    assert diagnostics(follow(), travel={"hq": "1m"}) == [
        (
            "warning",
            "stakeholders[0].playbook[0].do[0].follow",
            "'patrols' has no travel time to 'park', where the threat goes: its units cannot follow it there",
        )
    ]


def test_recall_and_redirect_name_sites_that_exist_and_lead_where_the_units_can_travel() -> None:
    found = diagnostics(
        {"action": "recall", "site": "cafe"},
        {"action": "recall", "site": "nowhere"},
        redirect("hq", "cafe"),
        redirect("hq", "hq"),
        {"action": "recall", "site": "hq", "stakeholder": "ghosts"},
        travel={"hq": "1m", "park": "1m"},
    )

    assert [(severity, path.rsplit(".", 1)[-1], message) for severity, path, message in found] == [
        ("warning", "site", "'patrols' has no travel time to 'cafe', so none of its units can be there to recall"),
        ("error", "site", "unknown site 'nowhere'"),
        ("error", "to", "'patrols' has no travel time to 'cafe'"),
        ("error", "to", "a redirection must lead to another site than its from"),
        ("error", "stakeholder", "unknown stakeholder 'ghosts'"),
    ]


def test_a_dispatch_gives_either_a_site_or_follow() -> None:
    data = [dispatch("hq", follow="threat"), {"action": "dispatch"}]
    for action in data:
        with pytest.raises(AssertionError, match="give either site"):
            scenario(sites=SITES, stakeholders=[stakeholder("patrols", rule("go", START, action))])


def test_a_staged_dispatch_s_condition_names_what_exists_and_can_still_happen() -> None:
    found = diagnostics(
        dispatch("hq", stage={"until": {"fact": "nothing-known"}}),
        dispatch("hq", stage={"until": {"event": "start"}}),
        travel={"hq": "1m"},
    )

    assert [(severity, path.split(".", 3)[-1], message) for severity, path, message in found] == [
        ("error", "stage.until.fact", "unknown fact 'nothing-known'"),
        (
            "warning",
            "stage.until.event",
            "start happens only at T0, never after the order: these units would wait for good",
        ),
    ]
