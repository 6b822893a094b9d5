"""Naming things by id or by name, as people type them: the one meant, and the "did you mean"."""

from __future__ import annotations

from scenarios.names import find_named, suggestion

NAMES = {
    "police-control-110": "Police control room (110)",
    "patrols": "Patrol cars",
    "umbrella-organisation": "Umbrella",
}


def test_an_id_a_name_in_any_case_and_spacing_or_with_slug_a_slug_names_its_item() -> None:
    assert find_named("patrols", NAMES) == "patrols"
    assert find_named("  patrol   CARS ", NAMES) == "patrols"
    assert find_named("Police Control 110", NAMES) is None
    assert find_named("Police Control 110", NAMES, slug=True) == "police-control-110"
    assert find_named("ambulance", NAMES, slug=True) is None


def test_the_suggestion_is_the_closest_id_else_the_closest_name_else_the_one_id_it_begins() -> None:
    ids = sorted(NAMES)
    assert suggestion("patrol", ids, NAMES) == "patrols"  # close to an id
    assert suggestion("patrol carz", ids, NAMES) == "patrols"  # close to a name
    assert suggestion("umb", ids, NAMES) == "umbrella-organisation"  # the one id it begins
    assert suggestion("p", ids, NAMES) is None  # two ids begin with it
    assert suggestion("fire brigade", ids, NAMES) is None
