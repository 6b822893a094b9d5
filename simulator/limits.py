"""The engine's own ceiling: how many events and records one run may make before it is stopped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

MAX_RECORDS: Final = 1_000_000
"""Records one run may write (about 150 MB of run log) before it is stopped; see docs/how-a-run-plays.md."""
MAX_EVENTS: Final = 3_000_000
"""Events one run may process before it is stopped (background work makes about two events per record)."""

Limit = Literal["records", "events"]
"""Which ceiling stopped a run."""


@dataclass(frozen=True, slots=True)
class RunLimits:
    """The ceiling of one run: it stops at the first point between events where either is reached.

    Valid scenarios can still ask for more than any exercise needs (a million hours, a call every nanosecond, a
    billion retries): the run then stops there, logs why (`RunStopped`) and ends normally. The limits are written
    in the run-log header, so that a replay stops at the same record.
    """

    records: int = MAX_RECORDS
    """At most this many records (the run stops after the event during which its log reached it)."""
    events: int = MAX_EVENTS
    """At most this many events processed."""

    def __post_init__(self) -> None:
        for name in ("records", "events"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"the {name} limit must be a whole number from 1, not {value!r}")

    def to_dict(self) -> dict[str, int]:
        """The header field `limits`."""
        return {"events": self.events, "records": self.records}

    @classmethod
    def from_header(cls, value: object) -> RunLimits:
        """The limits a run-log header's `limits` field gives (the defaults for a log written without one).

        Raises:
            ValueError: the field is not what `to_dict` writes.
        """
        if value is None:
            return cls()
        if not isinstance(value, Mapping) or set(value) != {"events", "records"}:
            raise ValueError(f"the header's limits {value!r} are not {{'events': N, 'records': N}}")
        return cls(records=value["records"], events=value["events"])

    def reached(self, records: int, events: int) -> tuple[Limit, str] | None:
        """Which limit a run with so many records and events has reached, and the reason to log; None if neither."""
        if records >= self.records:
            return "records", f"record limit reached ({self.records:,} records)"
        if events >= self.events:
            return "events", f"event limit reached ({self.events:,} events)"
        return None
