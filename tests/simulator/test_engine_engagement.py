"""Engagement: units that contain or neutralise the threat, the threat's reactions to it, and how the threat ends."""

from __future__ import annotations

from typing import Any

import pytest

from scenarios._yaml import Document
from scenarios.library import bundled_names, bundled_path
from scenarios.loader import load_scenario, validate_data
from scenarios.validation import check_references
from simulator import Exercise
from tests.simulator.scenario_factory import (
    Data,
    dispatch,
    escalate,
    facts,
    lock_down,
    milestone,
    phase,
    rule,
    scenario,
    site,
    stakeholder,
    threat,
)

START = {"event": "start"}
SEEN = {
    "ThreatPhaseStarted",
    "ThreatPhaseEnded",
    "EngagementStarted",
    "EngagementPaused",
    "ThreatNeutralised",
    "ThreatEnded",
    "UnitsArrived",
}


def play(
    *phases: Data,
    patrols: list[Data] | None = None,
    cordon: list[Data] | None = None,
    milestones: list[Data] | None = None,
    **fields: Any,
) -> Exercise:
    """Play a threat of `phases` against patrols that can neutralise it (2m away) and a cordon that can only contain
    it (1m away); hq holds 10 people (1m lockdown), the cafe 4. The threat needs 3m to be stopped unless told."""
    played = Exercise(
        scenario(
            facts=facts("contact"),
            sites=[site("hq", 10, lockdown={"duration": "1m"}), site("cafe", 4)],
            stakeholders=[
                stakeholder("patrols", *(patrols or []), can_neutralise=True, travel={"hq": "2m", "cafe": "2m"}),
                stakeholder("cordon", *(cordon or []), can_contain=True, travel={"hq": "1m", "cafe": "1m"}),
            ],
            threat=threat(*phases, **({"neutralise_time": "3m"} | fields)),
            milestones=milestones or [],
        ),
        seed=1,
    )
    played.run()
    return played


def timeline(played: Exercise) -> list[tuple[float, str, str | None, str | None]]:
    """(t, kind, phase, who) of the threat's records and the arrivals: `by`, or the arriving stakeholder."""
    return [
        (r["t"], r["kind"], r.get("phase"), r.get("by", r.get("stakeholder")))
        for r in played.records
        if r["kind"] in SEEN
    ]


def of_kind(played: Exercise, kind: str) -> list[dict[str, Any]]:
    """The records of one kind, without their sequence numbers."""
    return [{k: v for k, v in r.items() if k not in ("seq", "kind")} for r in played.records if r["kind"] == kind]


def harm_rates(played: Exercise) -> list[tuple[float, float, float]]:
    """(t, rate per minute, harm so far) each time the harm rate changes."""
    return [(r["t"], r["rate_per_min"], r["harm"]) for r in played.records if r["kind"] == "HarmRateChanged"]


def test_stop_progress_accumulates_across_phases_at_one_site_and_is_kept_while_the_threat_is_away() -> None:
    # The patrols arrive at 2m. They engage the approach for 30s and the attack for 1m (1m30s of the 3m they need),
    # the threat moves away for 1m and comes back: 1m30s more, and it is neutralised at 6m.
    played = play(
        phase("approach", "approach", "150s", site="hq"),
        phase("attack", "attack", "1m", site="hq"),
        phase("move", "move", "1m"),
        phase("attack-again", "attack", "10m", site="hq"),
        patrols=[rule("go", START, dispatch("hq"))],
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "approach", None),
        (120.0, "UnitsArrived", None, "patrols"),
        (120.0, "EngagementStarted", "approach", "patrols"),
        (150.0, "ThreatPhaseEnded", "approach", None),
        (150.0, "EngagementPaused", "approach", None),
        (150.0, "ThreatPhaseStarted", "attack", None),
        (150.0, "EngagementStarted", "attack", "patrols"),
        (210.0, "ThreatPhaseEnded", "attack", None),
        (210.0, "EngagementPaused", "attack", None),
        (210.0, "ThreatPhaseStarted", "move", None),
        (270.0, "ThreatPhaseEnded", "move", None),
        (270.0, "ThreatPhaseStarted", "attack-again", None),
        (270.0, "EngagementStarted", "attack-again", "patrols"),
        (360.0, "ThreatNeutralised", None, "patrols"),
        (360.0, "EngagementPaused", "attack-again", None),
        (360.0, "ThreatEnded", None, "patrols"),
    ]
    assert [r["engaged_s"] for r in of_kind(played, "EngagementPaused")] == [30.0, 60.0, 90.0]
    assert of_kind(played, "ThreatNeutralised") == [{"t": 360.0, "by": "patrols", "site": "hq"}]
    assert of_kind(played, "ThreatEnded")[0]["outcome"] == "neutralised"


def test_units_that_can_only_contain_engage_the_threat_but_never_neutralise_it() -> None:
    played = play(phase("attack", "attack", "10m", site="hq"), cordon=[rule("hold", START, dispatch("hq"))])

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "attack", None),
        (60.0, "UnitsArrived", None, "cordon"),
        (60.0, "EngagementStarted", "attack", "cordon"),
        (600.0, "ThreatPhaseEnded", "attack", None),
        (600.0, "EngagementPaused", "attack", None),
        (600.0, "ThreatEnded", None, None),
    ]
    assert of_kind(played, "EngagementPaused") == [{"t": 600.0, "site": "hq", "phase": "attack", "engaged_s": 540.0}]
    assert of_kind(played, "ThreatEnded") == [{"t": 600.0, "harm": 100.0, "outcome": "ended", "by": None}]


def test_the_time_to_stop_counts_only_while_units_that_can_stop_the_threat_engage_it() -> None:
    # The cordon engages at 1m; the patrols join at 2m and need their 3m from then: neutralised at 5m.
    played = play(
        phase("attack", "attack", "20m", site="hq"),
        patrols=[rule("go", START, dispatch("hq"))],
        cordon=[rule("hold", START, dispatch("hq"))],
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "attack", None),
        (60.0, "UnitsArrived", None, "cordon"),
        (60.0, "EngagementStarted", "attack", "cordon"),
        (120.0, "UnitsArrived", None, "patrols"),
        (300.0, "ThreatNeutralised", None, "patrols"),
        (300.0, "EngagementPaused", "attack", None),
        (300.0, "ThreatEnded", None, "patrols"),
    ]


def test_once_engaged_the_threat_barricades_itself_then_surrenders_to_the_units_holding_it() -> None:
    # Engaged at 1m by the cordon, the attacker holes up 1m later; the barricade runs its 10m and ends in surrender.
    played = play(
        phase("attack", "attack", "20m", site="hq", on_engaged={"after": "1m", "go_to": "holed-up"}),
        phase("holed-up", "barricade", "10m", site="hq", ends_with="surrendered"),
        cordon=[rule("hold", START, dispatch("hq"))],
        harm={"barricade_factor": 0.2},
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "attack", None),
        (60.0, "UnitsArrived", None, "cordon"),
        (60.0, "EngagementStarted", "attack", "cordon"),
        (120.0, "ThreatPhaseEnded", "attack", None),
        (120.0, "EngagementPaused", "attack", None),
        (120.0, "ThreatPhaseStarted", "holed-up", None),
        (120.0, "EngagementStarted", "holed-up", "cordon"),
        (720.0, "ThreatPhaseEnded", "holed-up", None),
        (720.0, "EngagementPaused", "holed-up", None),
        (720.0, "ThreatEnded", None, "cordon"),
    ]
    assert of_kind(played, "ThreatEnded")[0]["outcome"] == "surrendered"
    # Open attack 2m (10 x 1.0 x 2 = 20), then barricaded 10m (10 x 0.2 x 10 = 20).
    assert harm_rates(played) == [(0.0, 10.0, 0.0), (120.0, 2.0, 20.0), (720.0, 0.0, 40.0)]


def test_a_reaction_to_engagement_is_cancelled_when_its_phase_ends_first() -> None:
    played = play(
        phase("attack", "attack", "90s", site="hq", on_engaged={"after": "2m", "go_to": "holed-up"}),
        phase("flight", "flight", "5m"),
        phase("holed-up", "barricade", "10m", site="hq"),
        cordon=[rule("hold", START, dispatch("hq"))],
    )

    assert [(t, kind, phase_id) for t, kind, phase_id, _ in timeline(played)] == [
        (0.0, "ThreatPhaseStarted", "attack"),
        (60.0, "UnitsArrived", None),
        (60.0, "EngagementStarted", "attack"),
        (90.0, "ThreatPhaseEnded", "attack"),
        (90.0, "EngagementPaused", "attack"),
        (90.0, "ThreatPhaseStarted", "flight"),
        (390.0, "ThreatPhaseEnded", "flight"),
        (390.0, "ThreatPhaseStarted", "holed-up"),
        (390.0, "EngagementStarted", "holed-up"),
        (990.0, "ThreatPhaseEnded", "holed-up"),
        (990.0, "EngagementPaused", "holed-up"),
        (990.0, "ThreatEnded", None),
    ]


def test_once_engaged_the_threat_can_end_contained_by_the_units_that_engage_it() -> None:
    played = play(
        phase("attack", "attack", "10m", site="hq", on_engaged={"after": "30s", "ends_with": "contained"}),
        phase("flight", "flight", "10m"),
        cordon=[rule("hold", START, dispatch("hq"))],
    )

    assert timeline(played) == [
        (0.0, "ThreatPhaseStarted", "attack", None),
        (60.0, "UnitsArrived", None, "cordon"),
        (60.0, "EngagementStarted", "attack", "cordon"),
        (90.0, "ThreatPhaseEnded", "attack", None),
        (90.0, "EngagementPaused", "attack", None),
        (90.0, "ThreatEnded", None, "cordon"),
    ]
    assert of_kind(played, "ThreatEnded") == [{"t": 90.0, "harm": 15.0, "outcome": "contained", "by": "cordon"}]


@pytest.mark.parametrize(
    ("factors", "lockdown", "rates"),
    [
        ({}, False, [(120.0, 10.0, 0.0), (420.0, 0.0, 50.0)]),
        # Locked down at 1m, before the exchange of fire: 10 x 0.1 x 5 minutes.
        ({}, True, [(120.0, 1.0, 0.0), (420.0, 0.0, 5.0)]),
        ({"open_factor": 3.0}, False, [(120.0, 30.0, 0.0), (420.0, 0.0, 150.0)]),
    ],
)
def test_an_exchange_of_fire_harms_the_site_as_an_attack_does(
    factors: Data, lockdown: bool, rates: list[tuple[float, float, float]]
) -> None:
    played = play(
        phase("approach", "approach", "2m", site="hq"),
        phase("firefight", "exchange_of_fire", "5m", site="hq"),
        cordon=[rule("lock", START, lock_down("hq"))] if lockdown else [],
        harm=factors,
    )

    assert harm_rates(played) == rates


def test_a_barricade_harms_nothing_unless_its_factor_says_so() -> None:
    played = play(phase("holed-up", "barricade", "10m", site="hq"))

    assert harm_rates(played) == []
    assert played.close().harm == 0.0


@pytest.mark.parametrize("ends_with", ["escaped", "arrested", "surrendered", "ended"])
def test_a_threat_engaged_by_units_that_cannot_stop_it_ends_as_its_phase_says_and_is_never_neutralised(
    ends_with: str,
) -> None:
    played = play(
        phase("attack", "attack", "5m", site="hq", ends_with=ends_with),
        phase("flight", "flight", "10m"),
        cordon=[rule("hold", START, dispatch("hq"))],
    )

    assert timeline(played)[-3:] == [
        (300.0, "ThreatPhaseEnded", "attack", None),
        (300.0, "EngagementPaused", "attack", None),
        (300.0, "ThreatEnded", None, "cordon" if ends_with == "surrendered" else None),
    ]
    assert of_kind(played, "ThreatEnded")[0]["outcome"] == ends_with
    assert of_kind(played, "ThreatNeutralised") == []


@pytest.mark.parametrize("name", bundled_names())
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_bundled_scenario_records_a_neutralisation_without_units_that_engaged_and_could_stop_the_threat(
    name: str, seed: int
) -> None:
    played = Exercise(load_scenario(bundled_path(name)), seed=seed)
    played.run()
    able = {sh.id for sh in played.scenario.stakeholders if sh.can_neutralise}

    engaged: set[str] = set()
    for record in played.records:
        if record["kind"] == "EngagementStarted":
            engaged.add(record["site"])
        if record["kind"] == "ThreatNeutralised":
            assert record["by"] in able
            assert record["site"] in engaged
        if record["kind"] == "ThreatEnded" and record["outcome"] == "neutralised":
            assert record["by"] in able


def test_the_outcome_of_the_threat_and_its_engagement_drive_milestones_and_the_engaging_stakeholders_rules() -> None:
    played = play(
        phase("attack", "attack", "10m", site="hq", on_engaged={"after": "30s", "ends_with": "contained"}),
        cordon=[rule("hold", START, dispatch("hq")), rule("report", {"event": "threat_engaged"}, escalate("contact"))],
        milestones=[
            milestone("engaged", when={"event": "threat_engaged", "site": "hq", "stakeholder": "cordon"}),
            milestone("patrols-engaged", when={"event": "threat_engaged", "stakeholder": "patrols"}),
            milestone("engaged-elsewhere", when={"event": "threat_engaged", "site": "cafe"}),
            milestone("neutralised", when={"event": "threat_ended", "outcome": "neutralised"}),
            milestone("contained", when={"event": "threat_ended", "outcome": "contained"}),
            milestone("over", when={"event": "threat_ended"}),
        ],
    )

    assert [(r["t"], r["milestone"]) for r in played.records if r["kind"] == "MilestoneReached"] == [
        (60.0, "engaged"),
        (90.0, "contained"),
        (90.0, "over"),
    ]
    assert [(r["t"], r["rule"]) for r in played.records if r["kind"] == "RuleFired"] == [
        (0.0, "hold"),
        (60.0, "report"),
    ]


def refusal(*phases: Data) -> str:
    """The diagnostics of a scenario with a threat of `phases`, which must be refused."""
    with pytest.raises(AssertionError) as refused:
        scenario(stakeholders=[stakeholder("patrols")], threat=threat(*phases))
    return str(refused.value)


def test_a_reaction_must_go_to_another_phase_of_the_threat() -> None:
    unknown = refusal(
        phase("attack", "attack", "5m", site="hq", on_engaged={"go_to": "holed-upp"}),
        phase("holed-up", "barricade", "5m", site="hq"),
    )
    itself = refusal(phase("attack", "attack", "5m", site="hq", on_engaged={"go_to": "attack"}))

    assert "threat.phases[0].on_engaged.go_to: unknown threat phase 'holed-upp'; did you mean 'holed-up'?" in unknown
    assert "threat.phases[0].on_engaged.go_to: phase 'attack' cannot go to itself once engaged" in itself


@pytest.mark.parametrize(
    ("reaction", "message"),
    [
        ({"after": "1m"}, "threat.phases[0].on_engaged: on_engaged needs go_to or ends_with"),
        (
            {"go_to": "attack", "ends_with": "contained"},
            "threat.phases[0].on_engaged.ends_with: on_engaged takes go_to or ends_with, not both",
        ),
    ],
)
def test_a_reaction_names_exactly_one_of_a_phase_to_go_to_and_an_outcome(reaction: Data, message: str) -> None:
    refused = refusal(phase("attack", "attack", "5m", site="hq", on_engaged=reaction))

    assert message in refused
    assert "write go_to: PHASE_ID (another phase) or ends_with: contained | surrendered" in refused


def test_a_reaction_ends_the_threat_contained_or_surrendered_only() -> None:
    refused = refusal(phase("attack", "attack", "5m", site="hq", on_engaged={"ends_with": "escaped"}))

    assert "threat.phases[0].on_engaged.ends_with: 'escaped' is not one of: contained, surrendered" in refused


def test_a_phase_cannot_end_neutralised_and_the_hint_names_arrested() -> None:
    refused = refusal(phase("attack", "attack", "5m", site="hq", ends_with="neutralised"))

    assert "threat.phases[0].ends_with: a phase cannot end with 'neutralised'" in refused
    assert "write ends_with: arrested" in refused


def test_a_threat_ended_trigger_filters_on_a_known_outcome_only() -> None:
    with pytest.raises(AssertionError, match="'caught' is not one of: neutralised, contained"):
        scenario(
            stakeholders=[stakeholder("patrols")],
            milestones=[milestone("over", when={"event": "threat_ended", "outcome": "caught"})],
        )


def test_phases_that_go_to_one_another_at_once_when_engaged_are_warned_of_once() -> None:
    data: Data = {
        "schema_version": 2,
        "id": "test",
        "title": "Test",
        "summary": "A loop.",
        "learning_objectives": ["None."],
        "clock": {"start": "2026-01-01T10:00:00", "time_zone": "Europe/Berlin", "duration": "1h"},
        "sites": [site("hq")],
        "stakeholders": [stakeholder("patrols")],
        "threat": threat(
            phase("attack", "attack", "5m", site="hq", on_engaged={"go_to": "holed-up", "after": "1m"}),
            phase("holed-up", "barricade", "5m", site="hq", on_engaged={"go_to": "firefight"}),
            phase("firefight", "exchange_of_fire", "5m", site="hq", on_engaged={"go_to": "holed-up", "after": "0s"}),
        ),
    }
    document = Document("test", data, {})
    built, _ = validate_data(data, document, ())
    assert built is not None

    warnings = [d.format() for d in check_references(built, document, ()) if "without delay" in d.message]

    assert warnings == [
        "test:1:1: warning: threat.phases[1].on_engaged.after: once engaged, phases go to one another without delay "
        "(holed-up -> firefight -> holed-up): units engaging them would keep the threat switching phases at one "
        "instant until the run is stopped; give one of these reactions an after delay (after: 1m)"
    ]


def test_the_time_to_stop_the_threat_at_a_site_is_drawn_once_not_at_each_new_phase() -> None:
    # The same seed draws the same time; split over two phases at hq it must end the threat at the same moment.
    drawn: Data = {"dist": "uniform", "low": "1m", "high": "5m"}
    whole = play(
        phase("attack", "attack", "20m", site="hq"), patrols=[rule("go", START, dispatch("hq"))], neutralise_time=drawn
    )
    split = play(
        phase("approach", "approach", "150s", site="hq"),
        phase("attack", "attack", "20m", site="hq"),
        patrols=[rule("go", START, dispatch("hq"))],
        neutralise_time=drawn,
    )

    [stopped] = [r["t"] for r in whole.records if r["kind"] == "ThreatNeutralised"]
    assert 180.0 <= stopped <= 420.0
    assert [r["t"] for r in split.records if r["kind"] == "ThreatNeutralised"] == [stopped]
    assert [r["engaged_s"] for r in of_kind(split, "EngagementPaused")] == [30.0, round(stopped - 150.0, 3)]
