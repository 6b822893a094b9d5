"""Every number a run iterates over or schedules is finite and bounded, and every value can be read; each refusal is
located and worded plainly."""

from __future__ import annotations

import pytest

from scenarios import Scenario, apply_variant, check_scenario
from scenarios._yaml import parse_document
from scenarios.limits import MAX_ATTEMPTS, MAX_DURATION_S, MAX_UNITS
from scenarios.loader import validate_document, validate_model
from scenarios.network import Site
from tests.scenarios.test_models import SMALL

FOUR_HUNDRED_NINES = "9" * 400


def _small(*replacements: tuple[str, str], append: str = "") -> str:
    text = SMALL
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text + append


def _errors(text: str) -> list[str]:
    scenario, diagnostics = validate_document(parse_document(text, "small.yaml"))
    errors = [d.format() for d in diagnostics if d.severity == "error"]
    assert (scenario is None) == bool(errors)
    return errors


def _at(text: str, snippet: str) -> str:
    """`small.yaml:LINE:COLUMN:` of the one line holding `snippet`, at its first character."""
    found = [(n, line.index(snippet) + 1) for n, line in enumerate(text.splitlines(), start=1) if snippet in line]
    assert len(found) == 1, snippet
    return f"small.yaml:{found[0][0]}:{found[0][1]}:"


@pytest.mark.parametrize(
    ("old", "new", "snippet", "expected"),
    [
        (
            "    occupancy: 50\n",
            "    occupancy: 100000000000000000000\n",
            "occupancy",
            "sites[0].occupancy: a whole number of 21 digits is too large; "
            "no number in a scenario needs more than 18 digits",
        ),
        (
            "    units: 2\n",
            f"    units: {'1' * 30}\n",
            "units: 111",
            "stakeholders[1].units: a whole number of 30 digits is too large; "
            "no number in a scenario needs more than 18 digits",
        ),
        (
            "    occupancy: 50\n",
            f"    occupancy: {'9' * 5000}\n",
            "occupancy",
            "sites[0].occupancy: expected a whole number, got a number of 5000 characters; "
            "a scenario needs no number that large (ten times the largest stadium)",
        ),
        (
            "    name: Community security\n",
            '    name: "Community \\ud800 security"\n',
            'name: "Community',
            "stakeholders[0].name: the text holds a lone surrogate (an escape such as \\ud800), which is not a "
            "character; remove the \\u escape, or write the character itself",
        ),
        (
            "    name: Community security\n",
            '    name: "Community \\e]8;;http://127.0.0.1:9/\\e\\\\security\\e]8;;\\e\\\\"\n',
            'name: "Community',
            "stakeholders[0].name: the text holds the control character U+001B, which a terminal would obey rather "
            "than show; remove it (a tab or a line break is fine)",
        ),
        (
            "    name: Community security\n",
            '    name: "Community\\x07 security"\n',
            'name: "Community',
            "stakeholders[0].name: the text holds the control character U+0007, which a terminal would obey rather "
            "than show; remove it (a tab or a line break is fine)",
        ),
    ],
    ids=["int-beyond-64-bits", "units-of-30-digits", "int-of-5000-digits", "lone-surrogate", "escape", "bell"],
)
def test_a_value_no_scenario_can_hold_is_refused_where_it_is_written(
    old: str, new: str, snippet: str, expected: str
) -> None:
    text = _small((old, new))

    assert _errors(text) == [f"{_at(text, snippet)} {expected}"]


QUOTED_KEY = '"x\\udc00"'


def test_a_lone_surrogate_in_a_key_is_refused_and_the_path_printed_escaped() -> None:
    text = _small(("    occupancy: 50\n", '    occupancy: 50\n    "x\\udc00": 1\n'))

    assert _errors(text) == [
        f"{_at(text, QUOTED_KEY)} sites[0].x\\udc00: the key holds a lone surrogate (an escape such as "
        "\\ud800), which is not text"
    ]


@pytest.mark.parametrize(
    ("old", "new", "snippet", "expected"),
    [
        (
            "  duration: 1h\n",
            f"  duration: {FOUR_HUNDRED_NINES}h\n",
            "duration: 9",
            "clock.duration: '999999999999...99999h' is too long: a duration is at most 720h (30 days, beyond any "
            "crisis exercise)",
        ),
        (
            "  duration: 1h\n",
            "  duration: 721h\n",
            "duration: 721h",
            "clock.duration: '721h' is too long: a duration is at most 720h (30 days, beyond any crisis exercise)",
        ),
        (
            "latency: 10s}",
            f"latency: {FOUR_HUNDRED_NINES}s}}",
            "latency",
            "channels[0].latency: '999999999999...99999s' is too long: a duration is at most 720h (30 days, beyond "
            "any crisis exercise)",
        ),
        (
            "    occupancy: 50\n",
            "    occupancy: 1e400\n",
            "occupancy",
            "sites[0].occupancy: expected a whole number, got 1e400; "
            "a scenario needs no number that large (ten times the largest stadium)",
        ),
        (
            "latency: 10s}",
            "latency: 10s, failure_probability: 1e400}",
            "failure_probability",
            "channels[0].failure_probability: expected a number, got 1e400; a scenario needs no number that large",
        ),
        (
            "    occupancy: 50\n",
            "    occupancy: 1000001\n",
            "occupancy",
            "sites[0].occupancy: 1000001 is more than 1000000; write 1000000 or less (ten times the largest stadium)",
        ),
        (
            "    units: 2\n",
            "    units: 100000000000\n",
            "units: 1000",
            f"stakeholders[1].units: 100000000000 is more than {MAX_UNITS}; write {MAX_UNITS} or less (more units "
            "than any police force has cars)",
        ),
        (
            "    units: 2\n",
            "    units: 2\n    background: {arrivals_per_hour: 1e308, service_time: 1s}\n",
            "arrivals_per_hour",
            "stakeholders[1].background.arrivals_per_hour: 1e308 is more than 3600; write 3600 or less (one job a "
            "second, far busier than any real control room)",
        ),
        (
            "    units: 2\n",
            "    units: 2\n    background: {arrivals_per_hour: 5e-324, service_time: 1s}\n",
            "arrivals_per_hour",
            "stakeholders[1].background.arrivals_per_hour: 5e-324 is less than 0.001; write 0.001 or more",
        ),
        (
            "latency: 10s}",
            "latency: 0s, failure_probability: 1, on_failure: {then: retry, retry_after: 0s, "
            "max_attempts: 1000000000}}",
            "max_attempts",
            f"channels[0].on_failure.max_attempts: 1000000000 is more than {MAX_ATTEMPTS}; write {MAX_ATTEMPTS} or "
            "less (every attempt is an event of the run)",
        ),
        (
            "latency: 10s}",
            "latency: 10s, capacity: 20000}",
            "capacity",
            "channels[0].capacity: 20000 is more than 10000; write 10000 or less (more messages at once than any "
            "real line carries)",
        ),
        (
            "          - {action: dispatch, site: synagogue}\n",
            "          - {action: dispatch, site: synagogue, units: 100000000000}\n",
            "units: 1000",
            f"stakeholders[1].playbook[0].do[0].units: 100000000000 is more than {MAX_UNITS}; write {MAX_UNITS} or "
            "less (more units than any police force has cars)",
        ),
        (
            "latency: 10s}",
            "latency: {dist: empirical, values: [1s, 2s], weights: [1, 1e308]}}",
            "1e308",
            "channels[0].latency.weights[1]: 1e308 is more than 1000000; write 1000000 or less (weights are "
            "relative: divide them all by the same number)",
        ),
    ],
    ids=[
        "duration-of-400-digits",
        "duration-over-30-days",
        "latency-of-400-digits",
        "occupancy-1e400",
        "probability-1e400",
        "occupancy",
        "units",
        "arrivals-per-hour",
        "arrivals-per-hour-tiny",
        "max-attempts",
        "capacity",
        "dispatched-units",
        "empirical-weight",
    ],
)
def test_a_number_beyond_its_limit_is_refused_with_the_limit_and_its_reason(
    old: str, new: str, snippet: str, expected: str
) -> None:
    text = _small((old, new))

    assert _errors(text) == [f"{_at(text, snippet)} {expected}"]


def test_a_harm_factor_is_bounded_so_that_harm_stays_finite() -> None:
    text = _small(
        append="threat:\n  description: Abstract.\n  harm: {open_factor: 1e308}\n  phases:\n"
        "    - {id: attack, kind: attack, site: synagogue, duration: 10m}\n"
    )

    assert _errors(text) == [
        f"{_at(text, 'open_factor')} threat.harm.open_factor: 1e308 is more than 1000; write 1000 or less (1 counts "
        "a fully exposed person; the cap keeps harm a finite number)"
    ]


def test_the_limits_are_far_above_every_bundled_scenario() -> None:
    from scenarios import bundled_names

    assert [name for name in bundled_names() if not check_scenario(name).ok] == []


def test_background_work_beyond_the_run_budget_is_refused_at_the_busiest_stakeholder() -> None:
    text = _small(
        ("  duration: 1h\n", "  duration: 720h\n"),
        ("    units: 2\n", "    units: 2\n    background: {arrivals_per_hour: 3000, service_time: 1s}\n"),
    )

    assert _errors(text) == [
        f"{_at(text, 'arrivals_per_hour')} stakeholders[1].background.arrivals_per_hour: the background work adds "
        "up to about 2,160,000 jobs in a run of 720h, more than the 100,000 a run may hold; lower "
        "arrivals_per_hour, or shorten clock.duration"
    ]


THREAT = (
    "threat:\n  description: Abstract.\n  phases:\n    - {id: attack, kind: attack, site: synagogue, duration: 5m}\n"
)
VARIANT_CHANGES = [
    (
        f"patch: {{clock: {{duration: {FOUR_HUNDRED_NINES}h}}}}",
        "{id: big",
        "variants[0]: in variant 'big', clock.duration: '999999999999...99999h' is too long",
    ),
    (
        "change: {stakeholders: {police: {units: 20000}}}",
        "{id: big",
        "variants[0]: in variant 'big', stakeholders[1].units: 20000 is more than 10000",
    ),
    (
        "change: {channels: {security-phone: {on_failure: {then: retry, max_attempts: 1000}}}}",
        "{id: big",
        "variants[0]: in variant 'big', channels[0].on_failure.max_attempts: 1000 is more than 100",
    ),
    (
        "patch: {threat: {harm: {open_factor: 1e308}}}",
        "{id: big",
        "variants[0]: in variant 'big', threat.harm.open_factor: 1e308 is more than 1000",
    ),
    (
        "change: {sites: {synagogue: {occupancy: 100000000000000000000}}}",
        "occupancy: 1000",
        "variants[0].change.sites.synagogue.occupancy: a whole number of 21 digits is too large",
    ),
    (
        'change: {sites: {synagogue: {name: "S \\ud800"}}}',
        'name: "S',
        "variants[0].change.sites.synagogue.name: the text holds a lone surrogate",
    ),
]


@pytest.mark.parametrize(("change", "snippet", "expected"), VARIANT_CHANGES, ids=lambda value: value[:30])
def test_a_variant_gets_the_same_bounds_as_the_scenario(change: str, snippet: str, expected: str) -> None:
    text = _small(append=f"{THREAT}variants:\n  - {{id: big, description: Too big., {change}}}\n")

    errors = _errors(text)

    assert len(errors) == 1
    assert errors[0].startswith(f"{_at(text, snippet)} {expected}")


def test_a_command_holding_an_infinite_number_is_refused_plainly() -> None:
    site, diagnostics = validate_model(Site, {"id": "s", "name": "S", "kind": "other", "occupancy": float("inf")}, "x")

    assert site is None
    assert [(d.path, d.message) for d in diagnostics] == [("occupancy", "inf is not a finite number")]


def test_the_longest_duration_allowed_still_runs_to_its_end_in_json() -> None:
    scenario: Scenario | None
    scenario, _ = validate_document(parse_document(_small(("  duration: 1h\n", "  duration: 720h\n")), "s.yaml"))

    assert scenario is not None
    assert scenario.clock.duration == MAX_DURATION_S
    assert apply_variant(scenario, None).model_dump(mode="json")["clock"]["duration"] == "720h"
