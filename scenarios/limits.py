"""The largest numbers the scenario language accepts, so that every run is finite (each with its reason).

The limits are far above any real exercise (the longest bundled run is 2 hours, the busiest control room takes 50
calls an hour, the largest site holds 250 people), and low enough that a run always ends in seconds.
"""

from __future__ import annotations

from typing import Final

DAY_S: Final = 86_400.0

MAX_DURATION_S: Final = 30 * DAY_S
"""Any duration (the clock's, a latency, a phase, a delay, a deadline): 30 days, beyond any crisis exercise."""
MAX_ARRIVALS_PER_HOUR: Final = 3_600.0
"""Background jobs per hour: one a second, far busier than a national emergency-call centre's share."""
MIN_ARRIVALS_PER_HOUR: Final = 0.001
"""Fewer background jobs than one in six weeks is no background work: leave `background` out instead."""
MAX_BACKGROUND_JOBS: Final = 100_000
"""Background jobs expected in one run, all stakeholders together (rate times clock duration)."""
MAX_SURGE_FACTOR: Final = 1_000.0
"""How many times its usual rate a surge multiplies a stakeholder's background work by: beyond any call surge."""
MAX_UNITS: Final = 10_000
"""Units of one stakeholder, or sent by one dispatch: more than any police force has cars."""
MAX_OCCUPANCY: Final = 1_000_000
"""People at one site: ten times the largest stadium."""
MAX_CAPACITY: Final = 10_000
"""Messages under way at once on one channel."""
MAX_ATTEMPTS: Final = 100
"""Attempts of one message on one channel (each attempt is a logged event, even when `retry_after` is 0s)."""
MAX_HARM_FACTOR: Final = 1_000.0
"""Exposure per occupant-minute: 1 is a fully exposed person; the cap keeps harm a finite number."""
MAX_WEIGHT: Final = 1_000_000.0
"""One relative weight of an `empirical` distribution (their total must stay a finite number)."""

REASONS: Final[dict[str, str]] = {
    "duration": "30 days, beyond any crisis exercise",
    "arrivals_per_hour": "one job a second, far busier than any real control room",
    "factor": "a thousand times the usual work is beyond any surge of calls",
    "units": "more units than any police force has cars",
    "occupancy": "ten times the largest stadium",
    "capacity": "more messages at once than any real line carries",
    "max_attempts": "every attempt is an event of the run",
    "harm_factor": "1 counts a fully exposed person; the cap keeps harm a finite number",
    "weight": "weights are relative: divide them all by the same number",
}
"""Why each limit is where it is, shown in the hint when a value is over it (by the key's name)."""


def reason_for(key: str) -> str | None:
    """Why the limit on `key` (a scenario key such as `units` or `open_factor`) is where it is, if it has one."""
    if key.endswith("_factor"):
        return REASONS["harm_factor"]
    if key == "weights":
        return REASONS["weight"]
    return REASONS.get(key)
