"""Reference observations: the model (a value, a range or two clock times), and mistakes located where written."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from scenarios import check_scenario
from scenarios.references import Observation, ReferenceInterval

BASE = """\
schema_version: 1
id: refs
title: References
summary: A call and the police on scene.
learning_objectives: [Compare with the real incident.]
clock: {start: "2019-10-09T12:00:00", time_zone: Europe/Berlin, duration: 1h}
facts:
  - {id: attack, description: An attack.}
sites:
  - {id: synagogue, name: Synagogue, kind: synagogue, occupancy: 51}
stakeholders:
  - {id: police, name: Police, kind: police_control}
injects:
  - {id: inj-01, at: 3m, to: police, text: A call., fact: attack}
milestones:
  - {id: first-call, name: First call, when: {fact: attack, stakeholder: police}}
  - {id: on-scene, name: Police on scene, when: {event: units_arrived, stakeholder: police}}
references:
  - id: call-to-police
    name: First call to police on scene
    since: first-call
    until: on-scene
    observed:
"""


def checked(tmp_path: Path, observed: str, *, reference: str = "") -> list[str]:
    """The errors of BASE with these observation lines (and other reference lines before them), formatted."""
    path = tmp_path / "refs.yaml"
    text = BASE.replace("    observed:\n", reference + "    observed:\n") + observed
    path.write_text(text, encoding="utf-8")
    result = check_scenario(path)
    return [d.format().replace(str(path), "refs.yaml") for d in result.diagnostics if d.severity == "error"]


def test_the_three_ways_to_give_an_observation_are_read_as_seconds(tmp_path: Path) -> None:
    observed = (
        "      - {incident: Halle 2019, source: LVZ, from: 2019-10-09T12:03, to: 2019-10-09T12:11}\n"
        "      - {incident: Christchurch 2019, source: NZ Police, value: 6m, confidence: high}\n"
        "      - {incident: Manchester 2017, source: Inquiry, range: {low: 19m, high: 27m}, note: first paramedic}\n"
        "      - {incident: Night 2019, source: Log, from: 2019-10-09T23:55, to: 2019-10-10T00:12}\n"
    )
    assert checked(tmp_path, observed) == []
    scenario = check_scenario(tmp_path / "refs.yaml").scenario
    assert scenario is not None
    (reference,) = scenario.references
    assert [o.values_s("Europe/Berlin") for o in reference.observed] == [
        (480.0,),
        (360.0,),
        (1140.0, 1620.0),
        (1020.0,),
    ]
    assert [o.shown("Europe/Berlin") for o in reference.observed] == [
        "8m (12:03 to 12:11)",
        "6m",
        "19m to 27m",
        "17m (23:55 to 00:12 next day)",
    ]
    assert reference.observed[1].confidence == "high" and reference.observed[0].confidence is None


def test_clock_times_across_a_change_of_the_clocks_count_the_real_time_elapsed() -> None:
    seen = Observation(incident="x", source="y", **{"from": "2026-10-25T01:50", "to": "2026-10-25T03:10"})
    # Berlin moves back from 03:00 to 02:00 that night: 1h20m on the clock face is 2h20m of real time.
    assert seen.values_s("Europe/Berlin") == (8400.0,)


def test_a_reference_needs_at_least_one_observation() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ReferenceInterval(id="r", name="R", since="a", until="b", observed=[])


@pytest.mark.parametrize(
    ("observed", "error"),
    [
        (
            "      - {incident: A, source: B}\n",
            "refs.yaml:24:9: references[0].observed[0]: give exactly one of value, range, or from and to; "
            "value: 6m, range: {low: 19m, high: 27m}, or from: 2019-10-09T12:03 with to: 2019-10-09T12:11",
        ),
        (
            "      - {incident: A, source: B, value: 6m, range: {low: 1m, high: 2m}}\n",
            "refs.yaml:24:9: references[0].observed[0]: give exactly one of value, range, or from and to, "
            "not value and range; "
            "value: 6m, range: {low: 19m, high: 27m}, or from: 2019-10-09T12:03 with to: 2019-10-09T12:11",
        ),
        (
            "      - {incident: A, source: B, from: 2019-10-09T12:03}\n",
            "refs.yaml:24:34: references[0].observed[0].from: give both from and to "
            "(the clock times the interval began and ended)",
        ),
        (
            "      - {incident: A, source: B, range: {low: 27m, high: 19m}}\n",
            "refs.yaml:24:52: references[0].observed[0].range.high: low (27m) is more than high (19m); "
            "write the shorter time as low",
        ),
        (
            "      - {incident: A, source: B, from: 2019-10-09T23:55, to: 2019-10-09T00:12}\n",
            "refs.yaml:24:58: references[0].observed[0].to: to (2019-10-09T00:12) is not after from "
            "(2019-10-09T23:55) in Europe/Berlin; a time after midnight is on the next day: write its date, "
            "e.g. 2019-10-10T00:12",
        ),
    ],
)
def test_a_mistaken_observation_is_reported_where_it_is_written(tmp_path: Path, observed: str, error: str) -> None:
    assert checked(tmp_path, observed) == [error]


def test_clock_times_without_their_date_are_refused_with_an_example(tmp_path: Path) -> None:
    assert checked(tmp_path, "      - {incident: A, source: B, from: 12:03, to: 12:11}\n") == [
        "refs.yaml:24:34: references[0].observed[0].from: '12:03' is not a date and time: "
        "write it like '2019-10-09T12:03'",
        "refs.yaml:24:47: references[0].observed[0].to: '12:11' is not a date and time: "
        "write it like '2019-10-09T12:03'",
    ]


def test_a_reference_over_an_unknown_milestone_names_the_closest_one(tmp_path: Path) -> None:
    reference = BASE.replace("until: on-scene", "until: onscene")
    path = tmp_path / "refs.yaml"
    path.write_text(reference + "      - {incident: A, source: B, value: 6m}\n", encoding="utf-8")
    errors = [
        d.format().replace(str(path), "refs.yaml") for d in check_scenario(path).diagnostics if d.severity == "error"
    ]
    assert errors == ["refs.yaml:22:5: references[0].until: unknown milestone 'onscene'; did you mean 'on-scene'?"]


def test_a_reference_from_a_milestone_to_itself_is_refused(tmp_path: Path) -> None:
    reference = BASE.replace("until: on-scene", "until: first-call")
    path = tmp_path / "refs.yaml"
    path.write_text(reference + "      - {incident: A, source: B, value: 6m}\n", encoding="utf-8")
    errors = [
        d.format().replace(str(path), "refs.yaml") for d in check_scenario(path).diagnostics if d.severity == "error"
    ]
    assert errors == ["refs.yaml:22:5: references[0].until: since and until are the same milestone: the interval is 0s"]


def test_the_guides_example_of_references_is_valid() -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs" / "writing-scenarios.md").read_text(encoding="utf-8")
    (block,) = [b for b in guide.split("```yaml snippet\n") if b.startswith("references:")]
    data = YAML(typ="safe", pure=True).load(block.split("```")[0])
    references = [ReferenceInterval.model_validate(item) for item in data["references"]]
    assert [[o.values_s("Europe/Berlin") for o in r.observed] for r in references] == [
        [(360.0,)],
        [(480.0,)],
        [(1140.0,)],
    ]


def test_a_variant_can_remove_a_reference_with_the_milestone_it_measures(tmp_path: Path) -> None:
    variant = (
        "variants:\n"
        "  - id: no-police\n"
        "    description: Nobody comes.\n"
        "    remove: {milestones: [on-scene], references: [call-to-police]}\n"
        "  - id: broken\n"
        "    description: Removes only the milestone.\n"
        "    remove: {milestones: [on-scene]}\n"
    )
    errors = checked(tmp_path, "      - {incident: A, source: B, value: 6m}\n" + variant)
    assert len(errors) == 1 and "unknown milestone 'on-scene'" in errors[0] and "broken" in errors[0], errors


def test_clock_times_further_apart_than_any_run_can_last_are_refused(tmp_path: Path) -> None:
    observed = "      - {incident: Halle 2019, source: LVZ, from: 2019-10-09T12:03, to: 2029-10-09T12:11}\n"

    (error,) = checked(tmp_path, observed)

    assert error.startswith("refs.yaml:24:69: ")
    assert "references[0].observed[0].to: from 2019-10-09T12:03 to 2029-10-09T12:11 is 87672h8m, longer than" in error
    assert "(720h at most)" in error
    assert "check the dates" in error
