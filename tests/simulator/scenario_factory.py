"""Tiny in-memory scenarios for engine tests, built from plain data and validated like a scenario file."""

from __future__ import annotations

from typing import Any

from scenarios import Scenario
from scenarios._yaml import Document
from scenarios.loader import validate_data
from scenarios.validation import check_references

Data = dict[str, Any]
"""A piece of scenario data, as a YAML file would hold it (durations written `30s`)."""


def scenario(*, duration: str = "2h", **sections: Any) -> Scenario:
    """A valid scenario with the given top-level sections; the required fields are filled in.

    `sites` defaults to one site, `hq`. Any other top-level key (`clock`, `id`...) may be overridden.

    Raises:
        AssertionError: the data is not a valid scenario (with every diagnostic, formatted).
    """
    data: Data = {
        "schema_version": 2,
        "id": "test",
        "title": "Test scenario",
        "summary": "A scenario built by a test.",
        "learning_objectives": ["The engine does what its documentation says."],
        "clock": {"start": "2026-01-01T10:00:00", "time_zone": "Europe/Berlin", "duration": duration},
        "sites": [site("hq")],
        **sections,
    }
    document = Document("test", data, {})
    built, diagnostics = validate_data(data, document, ())
    if built is None:
        raise AssertionError("invalid test scenario:\n" + "\n".join(d.format() for d in diagnostics))
    errors = [d for d in check_references(built, document, ()) if d.severity == "error"]
    if errors:
        raise AssertionError("invalid test scenario:\n" + "\n".join(d.format() for d in errors))
    return built


def facts(*ids: str, false_reports: tuple[str, ...] = ()) -> list[Data]:
    """Facts with these ids; those in `false_reports` are rumours."""
    return [
        {"id": fact_id, "description": f"The fact {fact_id}.", "false_report": fact_id in false_reports}
        for fact_id in ids
    ]


def site(site_id: str, occupancy: int = 10, **fields: Any) -> Data:
    """A site of kind `other`."""
    return {"id": site_id, "name": site_id.title(), "kind": "other", "occupancy": occupancy, **fields}


def stakeholder(stakeholder_id: str, *playbook: Data, **fields: Any) -> Data:
    """A stakeholder of kind `other` with these rules (one unit unless `units` is given)."""
    return {"id": stakeholder_id, "name": stakeholder_id.title(), "kind": "other", "playbook": list(playbook), **fields}


def channel(channel_id: str, sender: str, receiver: str, **fields: Any) -> Data:
    """A channel from `sender` to `receiver` (no latency, never failing, unless told)."""
    return {"id": channel_id, "from": sender, "to": receiver, **fields}


def rule(rule_id: str, on: str | Data, *actions: Data, **fields: Any) -> Data:
    """A rule firing on `on` (a fact id, or a trigger), doing `actions`."""
    return {"id": rule_id, "on": {"fact": on} if isinstance(on, str) else on, "do": list(actions), **fields}


def notify(to: str, fact: str, **fields: Any) -> Data:
    """A `notify` action."""
    return {"action": "notify", "to": to, "fact": fact, **fields}


def dispatch(site_id: str, units: int = 1, **fields: Any) -> Data:
    """A `dispatch` action."""
    return {"action": "dispatch", "site": site_id, "units": units, **fields}


def lock_down(site_id: str, **fields: Any) -> Data:
    """A `lock_down` action."""
    return {"action": "lock_down", "site": site_id, **fields}


def evacuate(site_id: str, **fields: Any) -> Data:
    """An `evacuate` action."""
    return {"action": "evacuate", "site": site_id, **fields}


def escalate(fact: str, **fields: Any) -> Data:
    """An `escalate` action."""
    return {"action": "escalate", "fact": fact, **fields}


def request_decision(decision: str, **fields: Any) -> Data:
    """A `request_decision` action."""
    return {"action": "request_decision", "decision": decision, **fields}


def inject(inject_id: str, to: str, **fields: Any) -> Data:
    """An inject to `to` (give `at`, `trigger` or `contingency`)."""
    return {"id": inject_id, "to": to, "text": f"Inject {inject_id}.", **fields}


def phase(phase_id: str, kind: str, duration: str, **fields: Any) -> Data:
    """A threat phase."""
    return {"id": phase_id, "kind": kind, "duration": duration, **fields}


def threat(*phases: Data, **fields: Any) -> Data:
    """A threat with these phases."""
    return {"description": "A test threat.", "phases": list(phases), **fields}


def milestone(milestone_id: str, **fields: Any) -> Data:
    """A milestone (give `when`, or `all_of`)."""
    return {"id": milestone_id, "name": milestone_id.title(), **fields}


def decision(decision_id: str, stakeholder_id: str, *options: Data, deadline: str, default: str, **fields: Any) -> Data:
    """A decision point put to `stakeholder_id`."""
    return {
        "id": decision_id,
        "stakeholder": stakeholder_id,
        "role": "Duty officer",
        "prompt": f"Decide {decision_id}.",
        "deadline": deadline,
        "default": default,
        "options": list(options),
        **fields,
    }


def option(option_id: str, *consequences: Data) -> Data:
    """A decision option and what follows from it."""
    return {"id": option_id, "label": option_id.title(), "consequences": list(consequences)}


def objective(objective_id: str, until: str, performed: str, some: str, major: str, **fields: Any) -> Data:
    """An objective rated on the time to its `until` milestone (from T0, or from `since`)."""
    thresholds = {"performed": performed, "some_challenges": some, "major_challenges": major}
    return {
        "id": objective_id,
        "name": objective_id.title(),
        "core_capability": "Operational Coordination",
        "until": until,
        "thresholds": thresholds,
        **fields,
    }
