"""Plain-language timelines of run-log records: which kinds a headless timeline shows, and its clocks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from simulator.records import sentence

TIMELINE_KINDS = frozenset(
    {
        "ThreatPhaseStarted",
        "ThreatNeutralised",
        "ThreatEnded",
        "FactLearned",
        "MessageRerouted",
        "MessageFailed",
        "MessageLost",
        "MessageFellBack",
        "MessageUndeliverable",
        "DispatchOrdered",
        "UnitsArrived",
        "LockdownStarted",
        "LockdownCompleted",
        "EvacuationStarted",
        "EvacuationCompleted",
        "Escalated",
        "DecisionOpened",
        "DecisionTaken",
        "InjectDelivered",
        "InjectAdded",
        "InjectHeld",
        "InjectWithheld",
        "InjectReleased",
        "InjectDelayed",
        "InjectSkipped",
        "PauseMarked",
        "MilestoneReached",
        "RunEnded",
    }
)
"""The kinds a headless timeline shows (not messages in transit, background work or the engine's bookkeeping)."""


def describe(record: Mapping[str, Any]) -> str:
    """One line of plain language for a record (its kind, for kinds without a sentence); see `records.sentence`."""
    return sentence(record)


def t_plus(t: float) -> str:
    """Simulation time as `T+HH:MM:SS`."""
    whole = int(t)
    hours, rest = divmod(whole, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"T+{hours:02d}:{minutes:02d}:{seconds:02d}"


def wall_clock(start: str, t: float) -> str:
    """The local wall-clock time `HH:MM:SS` at simulation time `t` from a start written `YYYY-MM-DDTHH:MM[:SS]`."""
    return (datetime.fromisoformat(start) + timedelta(seconds=t)).strftime("%H:%M:%S")
