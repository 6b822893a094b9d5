"""Variants: a run of a what-if plays the overlaid scenario and leaves the base scenario as it was."""

from __future__ import annotations

import pytest

from scenarios import Scenario, ScenarioError
from simulator import Exercise
from tests.simulator.scenario_factory import (
    channel,
    facts,
    milestone,
    notify,
    objective,
    rule,
    scenario,
    stakeholder,
)


def phone_scenario() -> Scenario:
    """The guard phones the police (2m); variants use a 30s radio instead, or have no phone at all."""
    return scenario(
        facts=facts("alarm"),
        stakeholders=[
            stakeholder("guard", rule("call", {"event": "start"}, notify("police", "alarm"))),
            stakeholder("police"),
        ],
        channels=[channel("phone", "guard", "police", latency="2m")],
        milestones=[milestone("police-know", when={"fact": "alarm", "stakeholder": "police"})],
        objectives=[objective("alert-police", "police-know", "1m", "2m", "3m")],
        variants=[
            {
                "id": "radio",
                "description": "A radio link instead of the phone.",
                "change": {"channels": {"phone": {"medium": "radio", "latency": "30s"}}},
            },
            {"id": "no-phone", "description": "The phone line is down.", "remove": {"channels": ["phone"]}},
        ],
    )


@pytest.mark.parametrize(
    ("variant", "learned_at", "rating"),
    [(None, 120.0, "S"), ("radio", 30.0, "P"), ("no-phone", None, "U")],
)
def test_a_variant_changes_the_outcome_as_its_overlay_says(
    variant: str | None, learned_at: float | None, rating: str
) -> None:
    played = Exercise(phone_scenario(), seed=1, variant=variant)
    summary = played.run()

    assert summary.milestones.get("police-know") == learned_at
    assert [r.rating for r in summary.objectives] == [rating]
    assert (summary.variant, played.header["variant"]) == (variant, variant)


def test_a_variant_run_leaves_the_base_scenario_untouched() -> None:
    base = phone_scenario()
    before = base.model_dump()
    base_run = Exercise(base, seed=1)
    base_run.run()

    variant_run = Exercise(base, seed=1, variant="radio")
    variant_run.run()
    base_again = Exercise(base, seed=1)
    base_again.run()

    assert base.model_dump() == before
    assert variant_run.base is base
    assert [c.latency for c in variant_run.scenario.channels] == [30.0]
    assert variant_run.scenario.variants == []
    assert variant_run.header["scenario_sha256"] == base_run.header["scenario_sha256"]
    assert base_again.records == base_run.records


def test_an_unknown_variant_is_refused_with_a_suggestion() -> None:
    with pytest.raises(ScenarioError, match="no variant 'radi'; did you mean 'radio'"):
        Exercise(phone_scenario(), seed=1, variant="radi")
