"""Threat phases that could never do what they say: located errors and warnings."""

from __future__ import annotations

import pytest

from scenarios._yaml import Document
from scenarios.loader import validate_data
from scenarios.validation import check_references
from tests.simulator.scenario_factory import Data, phase, site, stakeholder, threat


def findings(*phases: Data) -> list[str]:
    """The errors and warnings of a scenario with this threat at site `hq`, formatted."""
    data: Data = {
        "schema_version": 2,
        "id": "test",
        "title": "Test",
        "summary": "Threat checks.",
        "learning_objectives": ["None."],
        "clock": {"start": "2026-01-01T10:00:00", "time_zone": "Europe/Berlin", "duration": "1h"},
        "sites": [site("hq")],
        "stakeholders": [stakeholder("patrols", can_neutralise=True, travel={"hq": "2m"})],
        "threat": threat(*phases),
    }
    document = Document("test", data, {})
    built, diagnostics = validate_data(data, document, ())
    assert built is not None, [d.format() for d in diagnostics]
    return [d.format() for d in check_references(built, document, ())]


@pytest.mark.parametrize(("kind", "named"), [("barricade", "a barricade"), ("exchange_of_fire", "an exchange of fire")])
def test_a_barricade_or_an_exchange_of_fire_needs_a_site(kind: str, named: str) -> None:
    (error,) = findings(phase("holed-up", kind, "5m"))

    assert error == (
        f"test:1:1: threat.phases[0].site: {named} phase needs a site; add site: <site id> (where it happens: "
        "units are engaged there, and its occupants harmed)"
    )


@pytest.mark.parametrize(
    ("fields", "why"),
    [({"interdictable": False, "site": "hq"}, "it is interdictable: false"), ({}, "it has no site")],
)
def test_a_reaction_of_a_phase_that_can_never_be_engaged_is_warned_of(fields: Data, why: str) -> None:
    found = findings(phase("drive", "move", "5m", on_engaged={"ends_with": "surrendered"}, **fields))

    assert [f for f in found if "on_engaged" in f] == [
        f"test:1:1: warning: threat.phases[0].on_engaged: phase 'drive' can never be engaged ({why}), so its "
        "on_engaged never happens; give the phase a site and leave interdictable at true, or remove on_engaged"
    ]
