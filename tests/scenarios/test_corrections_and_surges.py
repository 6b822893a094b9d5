"""Validation of corrections (`corrects`, `fact_corrected`) and surges, each mistake located and with a hint."""

from __future__ import annotations

from scenarios._yaml import parse_document
from scenarios.loader import validate_document
from scenarios.playbook import Surge
from tests.scenarios.test_limits import _at
from tests.scenarios.test_models import SMALL

ALL_CLEAR = "  - id: all-clear\n    description: No attack after all.\n"
FACTS = "    description: Shots at the synagogue door.\n"
POLICE_DOES = "          - {action: dispatch, site: synagogue}\n"
POLICE_ON = "        on: {fact: attack}\n        do:\n          - {action: dispatch"


def _small(*replacements: tuple[str, str]) -> str:
    text = SMALL
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _at_within(text: str, line_snippet: str, snippet: str) -> str:
    """`small.yaml:LINE:COLUMN:` of `snippet` on the one line holding `line_snippet`."""
    line = int(_at(text, line_snippet).split(":")[1])
    return f"small.yaml:{line}:{text.splitlines()[line - 1].index(snippet) + 1}:"


def _found(text: str, severity: str = "error") -> list[tuple[str, str | None]]:
    _, diagnostics = validate_document(parse_document(text, "small.yaml"))
    return [(d.format(), d.hint) for d in diagnostics if d.severity == severity]


def test_a_fact_that_corrects_another_validates() -> None:
    text = _small((FACTS, FACTS + ALL_CLEAR + "    corrects: [attack]\n"))

    assert _found(text) == []
    assert _found(text, "warning") == []


def test_a_fact_may_only_correct_facts_of_the_scenario_and_not_itself() -> None:
    text = _small((FACTS, FACTS + ALL_CLEAR + "    corrects: [atack, all-clear]\n"))

    assert _found(text) == [
        (
            f"{_at(text, 'atack')} facts[1].corrects[0]: unknown fact 'atack'; did you mean 'attack'?",
            "did you mean 'attack'?",
        ),
        (
            f"{_at(text, 'all-clear]')} facts[1].corrects[1]: fact 'all-clear' cannot correct itself; "
            "list the facts it proves wrong",
            "list the facts it proves wrong",
        ),
    ]


def test_a_rule_may_fire_when_a_fact_it_holds_is_corrected() -> None:
    text = _small(
        (FACTS, FACTS + ALL_CLEAR + "    corrects: [attack]\n"),
        (POLICE_ON, "        on: {event: fact_corrected, fact: attack}\n        do:\n          - {action: dispatch"),
    )

    assert _found(text) == []
    assert _found(text, "warning") == []


def test_waiting_for_the_correction_of_a_fact_nothing_corrects_is_a_warning() -> None:
    text = _small(
        (POLICE_ON, "        on: {event: fact_corrected, fact: attack}\n        do:\n          - {action: dispatch")
    )

    where = _at_within(text, "fact_corrected", "fact: attack")
    assert _found(text, "warning") == [
        (
            f"{where} warning: stakeholders[1].playbook[0].on.fact: no fact corrects 'attack', so this never happens; "
            "add corrects: [attack] to the fact that proves it wrong",
            "add corrects: [attack] to the fact that proves it wrong",
        )
    ]


def test_a_surge_needs_a_stakeholder_with_background_work() -> None:
    text = _small(
        (
            POLICE_DOES,
            POLICE_DOES
            + "          - {action: surge, factor: 3, for: 10m}\n"
            + "          - {action: surge, factor: 3, for: 10m, stakeholder: security}\n",
        )
    )

    assert _found(text) == [
        (
            f"{_at(text, 'action: surge, factor: 3, for: 10m}')} stakeholders[1].playbook[0].do[1].action: 'police' "
            "has no background work for a surge to multiply; add background: {arrivals_per_hour: ..., service_time: "
            "...} under stakeholders.police",
            "add background: {arrivals_per_hour: ..., service_time: ...} under stakeholders.police",
        ),
        (
            f"{_at(text, 'stakeholder: security')} stakeholders[1].playbook[0].do[2].stakeholder: 'security' has no "
            "background work for a surge to multiply; add background: {arrivals_per_hour: ..., service_time: ...} "
            "under stakeholders.security",
            "add background: {arrivals_per_hour: ..., service_time: ...} under stakeholders.security",
        ),
    ]


def test_a_surge_of_a_stakeholder_with_background_work_validates() -> None:
    text = _small(
        ("    units: 2\n", "    units: 2\n    background: {arrivals_per_hour: 20, service_time: 2m}\n"),
        (POLICE_DOES, POLICE_DOES + "          - {action: surge, factor: 3, for: 10m, after: 1m}\n"),
    )

    assert _found(text) == []


def test_a_surge_multiplies_by_more_than_one_up_to_a_thousand_for_some_time() -> None:
    def errors(surge: str) -> list[str]:
        text = _small((POLICE_DOES, POLICE_DOES + f"          - {{action: surge, {surge}}}\n"))
        return [message.split(": ", 1)[1] for message, _ in _found(text)]

    assert errors("factor: 1, for: 10m") == [
        "stakeholders[1].playbook[0].do[1].factor: 1 is not more than 1; write more than 1"
    ]
    assert errors("factor: 1001, for: 10m") == [
        "stakeholders[1].playbook[0].do[1].factor: 1001 is more than 1000; write 1000 or less (a thousand times the "
        "usual work is beyond any surge of calls)"
    ]
    assert errors("factor: 2, for: 0s") == [
        "stakeholders[1].playbook[0].do[1].for: a surge lasts for some time: write for: 10m, say"
    ]
    assert errors("factor: 2") == ["stakeholders[1].playbook[0].do[1].for: missing required key 'for'"]


def test_a_surge_reads_its_duration_from_for() -> None:
    surge = Surge.model_validate({"action": "surge", "factor": 2, "for": "15m"})

    assert (surge.factor, surge.for_, surge.stakeholder, surge.after) == (2.0, 900.0, None, 0.0)
    assert surge.model_dump(mode="json", exclude_defaults=True) == {"action": "surge", "factor": 2.0, "for": "15m"}


def test_the_background_work_a_surge_adds_counts_toward_the_run_budget() -> None:
    busy = "    units: 2\n    background: {arrivals_per_hour: 1000, service_time: 1s}\n"
    surging = POLICE_DOES + "          - {action: surge, factor: 200, for: 1h}\n"

    assert _found(_small(("    units: 2\n", busy))) == []
    text = _small(("    units: 2\n", busy), (POLICE_DOES, surging))
    assert _found(text) == [
        (
            f"{_at(text, 'arrivals_per_hour')} stakeholders[1].background.arrivals_per_hour: the background work adds "
            "up to about 200,000 jobs in a run of 1h, more than the 100,000 a run may hold; lower arrivals_per_hour or "
            "the surges' factors, or shorten clock.duration",
            "lower arrivals_per_hour or the surges' factors, or shorten clock.duration",
        )
    ]
