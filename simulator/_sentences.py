"""One sentence of plain language per record kind, for timelines in the terminal, the consoles and reports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Name = Callable[[str], str]
"""How an id is shown: by itself, or by the name of what it identifies."""
Line = Callable[[Mapping[str, Any], Name], str]
"""A kind's sentence: the record, and how to show the ids in it."""


def _source(source: str, n: Name) -> str:
    """A fact's source: a stakeholder's id, or `inject:ID`, `observation:PHASE`, `self`."""
    prefix, colon, rest = source.partition(":")
    return f"{prefix}:{n(rest)}" if colon else n(source)


def _command(r: Mapping[str, Any], n: Name) -> str:
    command = dict(r["command"])
    name, seat = command.pop("command", "?"), command.pop("seat", None)
    given = ", ".join(f"{key}={n(value) if isinstance(value, str) else value}" for key, value in command.items())
    return f"Command {name}" + (f" by {n(seat)}" if seat else "") + (f" ({given})" if given else "")


OUTCOMES = {
    "neutralised": "neutralised",
    "contained": "contained",
    "surrendered": "the attacker surrendered",
    "arrested": "the attacker was arrested",
    "escaped": "the attacker escaped",
}
"""How each way a threat ends reads (`ended` says nothing more than that it is over)."""


def threat_helped(r: Mapping[str, Any], n: Name) -> str:
    """Who a `ThreatEnded` record names, as its sentence goes on: ` by Armed response team`, ` to Police` for a
    surrender, or nothing."""
    by = r.get("by")
    return (" to " if r.get("outcome") == "surrendered" else " by ") + n(by) if by else ""


def _threat_ended(r: Mapping[str, Any], n: Name) -> str:
    outcome = OUTCOMES.get(r.get("outcome") or "ended")
    said = "" if outcome is None else f": {outcome}"
    return f"Threat over{said}{threat_helped(r, n)} (harm {r['harm']:.1f})"


LINES: Mapping[str, Line] = {
    "RunStarted": lambda r, n: (
        "Run started"
        if "seed" not in r
        else f"Run started (seed {r['seed']}" + (f", variant {r['variant']}" if r.get("variant") else "") + ")"
    ),
    "RunEnded": lambda r, n: "Run ended" + (f" (harm {r['harm']:.1f})" if "harm" in r else ""),
    "RunStopped": lambda r, n: f"The run was stopped: {r['reason']}",
    "PauseMarked": lambda r, n: "Pause" + (f": {r['note']}" if r.get("note") else ""),
    "ClockResumed": lambda r, n: "Clock resumed",
    "SpeedChanged": lambda r, n: f"Clock speed {r['speed']}",
    "CommandApplied": _command,
    "ObservationNoted": lambda r, n: (
        f"{n(r['seat'])} notes: {r['text']}"
        + (f" (objective {n(r['objective'])})" if r["objective"] else "")
        + (f" ({r['core_capability']})" if r["core_capability"] else "")
    ),
    "ThreatPhaseStarted": lambda r, n: f"Threat: {n(r['phase'])} begins" + (f" at {n(r['site'])}" if r["site"] else ""),
    "ThreatPhaseEnded": lambda r, n: f"Threat: {n(r['phase'])} ends",
    "EngagementStarted": lambda r, n: f"{n(r['by'])} engages the threat at {n(r['site'])}",
    "EngagementPaused": lambda r, n: f"Engagement at {n(r['site'])} stops after {r['engaged_s']:g} s",
    "ThreatNeutralised": lambda r, n: f"Threat neutralised by {n(r['by'])}",
    "ThreatEnded": _threat_ended,
    "HarmRateChanged": lambda r, n: f"Harm now {r['rate_per_min']:g} per minute (harm {r['harm']:.1f})",
    "FactLearned": lambda r, n: (
        f"{n(r['stakeholder'])} learns {n(r['fact'])}"
        + ("" if r.get("true", True) else " (false report)")
        + f" from {_source(r['source'], n)}"
    ),
    "FactRepeated": lambda r, n: f"{n(r['stakeholder'])} hears {n(r['fact'])} again from {_source(r['source'], n)}",
    "FactCorrected": lambda r, n: (
        f"{n(r['stakeholder'])} learns {n(r['fact'])} was wrong: {n(r['by_fact'])} (from {_source(r['source'], n)})"
    ),
    "FactDisregarded": lambda r, n: (
        f"{n(r['stakeholder'])} disregards {n(r['fact'])} from {_source(r['source'], n)}"
        f" (corrected by {n(r['corrected_by'])})"
    ),
    "RuleFired": lambda r, n: f"{n(r['stakeholder'])} follows its rule {r['rule']}",
    "Escalated": lambda r, n: f"{n(r['stakeholder'])} declares {n(r['fact'])}",
    "BackgroundJobStarted": lambda r, n: f"{n(r['stakeholder'])} takes on other work",
    "LoadSurged": lambda r, n: f"{n(r['stakeholder'])}'s other work surges to {r['factor']:g} times its usual rate",
    "LoadSurgeEnded": lambda r, n: f"{n(r['stakeholder'])}'s other work is back to its usual rate",
    "DispatchOrdered": lambda r, n: f"{n(r['stakeholder'])} sends {r['units']} unit(s) to {n(r['site'])}",
    "UnitsLeft": lambda r, n: f"{r['units']} unit(s) of {n(r['stakeholder'])} leave for {n(r['site'])}",
    "UnitsArrived": lambda r, n: f"{r['units']} unit(s) of {n(r['stakeholder'])} arrive at {n(r['site'])}",
    "DispatchUnfollowable": lambda r, n: (
        f"{r['units']} unit(s) of {n(r['stakeholder'])} cannot follow the threat: "
        + ("it has been at no site yet" if r["site"] is None else f"no travel time to {n(r['site'])}")
    ),
    "UnitsStaged": lambda r, n: (
        f"{r['units']} unit(s) of {n(r['stakeholder'])} wait at the rendezvous for {n(r['site'])}"
    ),
    "UnitsCleared": lambda r, n: f"{r['units']} unit(s) of {n(r['stakeholder'])} cleared to go in to {n(r['site'])}",
    "UnitsRecalled": lambda r, n: f"{r['units']} unit(s) of {n(r['stakeholder'])} recalled from {n(r['site'])}",
    "UnitsRedirected": lambda r, n: (
        f"{r['units']} unit(s) of {n(r['stakeholder'])} "
        + ("follow the threat" if r["reason"] == "pursuit" else "redirected")
        + f" from {n(r['from_site'])} to {n(r['site'])}"
    ),
    "PursuitBlocked": lambda r, n: (
        f"{r['units']} unit(s) of {n(r['stakeholder'])} cannot follow the threat to {n(r['threat_site'])}; "
        f"they stay with {n(r['site'])}"
    ),
    "LockdownStarted": lambda r, n: f"{n(r['site'])} starts locking down",
    "LockdownCompleted": lambda r, n: f"{n(r['site'])} is locked down",
    "EvacuationStarted": lambda r, n: f"{n(r['site'])} starts evacuating",
    "EvacuationCompleted": lambda r, n: f"{n(r['site'])} is evacuated",
    "MessageRerouted": lambda r, n: (
        f"{n(r['sender'])}'s call for {n(r['intended'])} reaches {n(r['receiver'])} instead"
    ),
    "MessageUndeliverable": lambda r, n: f"{n(r['sender'])} has no way to tell {n(r['receiver'])} {n(r['fact'])}",
    "MessageSent": lambda r, n: (
        f"{n(r['sender'])} tells {n(r['receiver'])} {n(r['fact'])} on {n(r['channel'])}"
        + (f" (attempt {r['attempt']})" if r["attempt"] > 1 else "")
    ),
    "MessageArrived": lambda r, n: (
        f"{n(r['receiver'])} hears {n(r['fact'])} from {n(r['sender'])} on {n(r['channel'])}"
    ),
    "MessageFailed": lambda r, n: (
        f"{n(r['sender'])} cannot get through to {n(r['receiver'])} on {n(r['channel'])} (attempt {r['attempt']})"
    ),
    "MessageFellBack": lambda r, n: f"{n(r['channel'])} failed; trying {n(r['fallback'])}",
    "MessageLost": lambda r, n: f"{n(r['sender'])} gives up telling {n(r['receiver'])} {n(r['fact'])}",
    "MessageTaken": lambda r, n: f"{n(r['stakeholder'])} takes {n(r['sender'])}'s call about {n(r['fact'])}",
    "DecisionOpened": lambda r, n: f"Decision for {n(r['stakeholder'])}: {n(r['decision'])}",
    "DecisionTaken": lambda r, n: f"{n(r['stakeholder'])} decides {n(r['decision'])} = {r['option']} ({n(r['by'])})",
    "InjectDelivered": lambda r, n: f"Inject {n(r['inject'])} to {n(r['to'])}",
    "InjectAdded": lambda r, n: f"Ad-hoc inject {n(r['inject'])} to {n(r['to'])}: {r['text']}",
    "InjectHeld": lambda r, n: f"Inject {n(r['inject'])} held",
    "InjectWithheld": lambda r, n: f"Inject {n(r['inject'])} due but held",
    "InjectReleased": lambda r, n: f"Inject {n(r['inject'])} released",
    "InjectDelayed": lambda r, n: f"Inject {n(r['inject'])} delayed",
    "InjectSkipped": lambda r, n: f"Inject {n(r['inject'])} skipped",
    "MilestoneReached": lambda r, n: f"MILESTONE {n(r['milestone'])}",
}
"""The sentence of each record kind."""


def _same(identifier: str) -> str:
    return identifier


def sentence(record: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """One line of plain language for a record (its kind, for a kind without a sentence).

    Args:
        record: the record.
        names: the names of stakeholders, sites, facts, injects, decisions, milestones, phases and channels by id;
            ids found in the record are shown by their name (ids left out of `names` are shown as they are).
            Without it, every id is shown as it is.
    """
    line = LINES.get(str(record["kind"]))
    if line is None:
        return str(record["kind"])
    return line(record, _same if names is None else lambda identifier: names.get(identifier, identifier))
