"""Plain-language timelines of run-log records: which kinds a headless timeline shows, and its clocks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from simulator.records import sentence
from simulator.views import wall_time

TIMELINE_KINDS = frozenset(
    {
        "ThreatPhaseStarted",
        "EngagementStarted",
        "ThreatNeutralised",
        "ThreatEnded",
        "FactLearned",
        "FactCorrected",
        "FactDisregarded",
        "LoadSurged",
        "LoadSurgeEnded",
        "MessageRerouted",
        "MessageFailed",
        "MessageLost",
        "MessageFellBack",
        "MessageUndeliverable",
        "DispatchOrdered",
        "UnitsArrived",
        "DispatchUnfollowable",
        "UnitsStaged",
        "UnitsCleared",
        "UnitsRecalled",
        "UnitsRedirected",
        "PursuitBlocked",
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
        "RunStopped",
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


def wall_clock(start: str, time_zone: str, t: float) -> str:
    """The local wall-clock time `HH:MM:SS` in `time_zone` at simulation time `t`, daylight saving included.

    `start` is the local time of T0 in `time_zone`, written `YYYY-MM-DDTHH:MM[:SS]` (see `views.wall_time`): on the
    night Paris moves to summer time, 22 minutes after 01:50 is 03:12. A start the clocks skip (02:30 that night)
    is read with the offset before the change, as 03:30 summer time; a start they show twice (02:30 the night they
    move back) is the first of the two, in summer time.
    """
    return wall_time(start, time_zone, t).strftime("%H:%M:%S")


def t_at_wall_clock(start: str, time_zone: str, hour: int, minute: int, second: int = 0) -> float:
    """The first simulation time, at T0 or after, at which the local wall clock in `time_zone` reads
    `hour:minute:second` (the inverse of `wall_clock`, daylight saving included).

    The run's days are tried in turn from T0's: a run that starts at 23:00 reaches 00:30 the next day, and 22:00
    means the next evening. A time the clocks skip (02:30 the night they move forward) is read with the offset
    before the change, as 03:30 summer time (as `wall_clock` reads such a start); one they show twice is the first.
    """
    zone = ZoneInfo(time_zone)
    t0 = wall_time(start, time_zone, 0.0)
    day = t0.date()
    while True:
        local = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
        t = (local.astimezone(UTC) - t0.astimezone(UTC)).total_seconds()
        if t >= 0:
            return t
        day += timedelta(days=1)
