"""Plain-language lines for run-log records, for timelines in the terminal, the TUI and reports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

Describe = Callable[[Mapping[str, Any]], str]

_LINES: dict[str, Describe] = {
    "RunStarted": lambda r: f"Run started (seed {r['seed']}{', variant ' + r['variant'] if r['variant'] else ''})",
    "ThreatPhaseStarted": lambda r: f"Threat: {r['phase']} begins" + (f" at {r['site']}" if r["site"] else ""),
    "ThreatPhaseEnded": lambda r: f"Threat: {r['phase']} ends",
    "ThreatNeutralised": lambda r: "Threat neutralised" + (f" by {r['by']}" if r["by"] else ""),
    "ThreatEnded": lambda r: f"Threat over (harm {r['harm']:.1f})",
    "InterdictionStarted": lambda r: f"{r['by']} engages at {r['site']}",
    "FactLearned": lambda r: (
        f"{r['stakeholder']} learns {r['fact']}" + ("" if r["true"] else " (false report)") + f" from {r['source']}"
    ),
    "MessageRerouted": lambda r: f"{r['sender']}'s call for {r['intended']} reaches {r['receiver']} instead",
    "MessageFailed": lambda r: (
        f"{r['sender']} cannot get through to {r['receiver']} on {r['channel']}" + f" (attempt {r['attempt']})"
    ),
    "MessageLost": lambda r: f"{r['sender']} gives up telling {r['receiver']} {r['fact']}",
    "MessageFellBack": lambda r: f"{r['channel']} failed; trying {r['fallback']}",
    "MessageUndeliverable": lambda r: f"{r['sender']} has no way to tell {r['receiver']} {r['fact']}",
    "DispatchOrdered": lambda r: f"{r['stakeholder']} sends {r['units']} unit(s) to {r['site']}",
    "UnitsArrived": lambda r: f"{r['units']} unit(s) of {r['stakeholder']} arrive at {r['site']}",
    "LockdownStarted": lambda r: f"{r['site']} starts locking down",
    "LockdownCompleted": lambda r: f"{r['site']} is locked down",
    "EvacuationStarted": lambda r: f"{r['site']} starts evacuating",
    "EvacuationCompleted": lambda r: f"{r['site']} is evacuated",
    "Escalated": lambda r: f"{r['stakeholder']} declares {r['fact']}",
    "DecisionOpened": lambda r: f"Decision for {r['stakeholder']}: {r['decision']}",
    "DecisionTaken": lambda r: f"{r['stakeholder']} decides {r['decision']} = {r['option']} ({r['by']})",
    "InjectDelivered": lambda r: f"Inject {r['inject']} to {r['to']}",
    "InjectAdded": lambda r: f"Ad-hoc inject {r['inject']} to {r['to']}: {r['text']}",
    "InjectHeld": lambda r: f"Inject {r['inject']} held",
    "InjectWithheld": lambda r: f"Inject {r['inject']} due but held",
    "InjectReleased": lambda r: f"Inject {r['inject']} released",
    "InjectDelayed": lambda r: f"Inject {r['inject']} delayed",
    "InjectSkipped": lambda r: f"Inject {r['inject']} skipped",
    "PauseMarked": lambda r: "Pause" + (f": {r['note']}" if r["note"] else ""),
    "MilestoneReached": lambda r: f"MILESTONE {r['milestone']}",
    "RunEnded": lambda r: f"Run ended (harm {r['harm']:.1f})",
}

TIMELINE_KINDS = frozenset(_LINES) - {"RunStarted", "ThreatPhaseEnded", "InterdictionStarted"}
"""The kinds shown in a headless timeline (messages in transit and background work are left out)."""


def describe(record: Mapping[str, Any]) -> str:
    """One line of plain language for a record (its kind, for kinds without a sentence)."""
    line = _LINES.get(str(record["kind"]))
    return line(record) if line else str(record["kind"])


def t_plus(t: float) -> str:
    """Simulation time as `T+HH:MM:SS`."""
    whole = int(t)
    hours, rest = divmod(whole, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"T+{hours:02d}:{minutes:02d}:{seconds:02d}"


def wall_clock(start: str, t: float) -> str:
    """The local wall-clock time `HH:MM:SS` at simulation time `t` from a start written `YYYY-MM-DDTHH:MM[:SS]`."""
    return (datetime.fromisoformat(start) + timedelta(seconds=t)).strftime("%H:%M:%S")
