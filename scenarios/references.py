"""Reference observations: intervals between two milestones as real incidents showed them, to check a scenario."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator

from scenarios._base import Duration, FieldError, Id, StrictModel, format_duration


def local_datetime(value: str) -> datetime:
    """A local date and time `YYYY-MM-DDTHH:MM[:SS]` (no offset) as a naive datetime.

    Raises:
        ValueError: it is not one.
    """
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time: write it like '2019-10-09T12:03'") from None
    if parsed.tzinfo is not None:
        raise ValueError("write the local time without an offset; the time zone is the scenario's clock.time_zone")
    return parsed


def elapsed_s(start: str, end: str, time_zone: str) -> float:
    """The real time from local time `start` to local time `end` in `time_zone`, in seconds (daylight saving
    included: read as `clock.start` is, see docs/how-a-run-plays.md)."""
    zone = ZoneInfo(time_zone)
    first = local_datetime(start).replace(tzinfo=zone).astimezone(UTC)
    last = local_datetime(end).replace(tzinfo=zone).astimezone(UTC)
    return (last - first).total_seconds()


class ObservedRange(StrictModel):
    """An interval a source gives only as a range (`19 to 27 minutes`)."""

    low: Duration
    """The shortest the source allows."""
    high: Duration
    """The longest."""

    @model_validator(mode="after")
    def _ordered(self) -> ObservedRange:
        if self.low > self.high:
            raise FieldError(
                f"low ({format_duration(self.low)}) is more than high ({format_duration(self.high)})",
                field="high",
                hint="write the shorter time as low",
            )
        return self


class Observation(StrictModel):
    """One source's figure for a reference interval: a duration, a range, or the two clock times it published."""

    incident: str
    """The real incident (`Christchurch 2019`)."""
    source: str
    """Where the figure was published."""
    confidence: Literal["high", "medium", "low"] | None = None
    """How far the sources agree."""
    note: str | None = None
    """Anything a reader of the comparison should know (what exactly was measured)."""
    value: Duration | None = None
    """The interval as a duration (`6m`)."""
    range_: ObservedRange | None = Field(default=None, alias="range")
    """Or: the interval as a range, `{low: 19m, high: 27m}`."""
    from_: str | None = Field(default=None, alias="from")
    """Or: the local date and time it began (`2019-10-09T12:03`), with `to`."""
    to: str | None = None
    """The local date and time it ended; may be on the next day (`2019-10-10T00:12`)."""

    @field_validator("from_", "to")
    @classmethod
    def _local_time(cls, value: str | None) -> str | None:
        if value is not None:
            local_datetime(value)
        return value

    @model_validator(mode="after")
    def _one_figure(self) -> Observation:
        given = [key for key, value in (("value", self.value), ("range", self.range_)) if value is not None]
        if self.from_ is not None or self.to is not None:
            if self.from_ is None or self.to is None:
                raise FieldError(
                    "give both from and to (the clock times the interval began and ended)",
                    field="to" if self.to is not None else "from",
                )
            given.append("from/to")
        if len(given) != 1:
            raise FieldError(
                "give exactly one of value, range, or from and to" + (f", not {' and '.join(given)}" if given else ""),
                hint="value: 6m, range: {low: 19m, high: 27m}, or from: 2019-10-09T12:03 with to: 2019-10-09T12:11",
            )
        return self

    def values_s(self, time_zone: str) -> tuple[float, ...]:
        """The observed interval in seconds: one value, or the range's two ends (`time_zone` reads from/to)."""
        if self.range_ is not None:
            return (self.range_.low, self.range_.high)
        if self.value is not None:
            return (self.value,)
        assert self.from_ is not None and self.to is not None  # one of the three: checked by the model
        return (elapsed_s(self.from_, self.to, time_zone),)

    def shown(self, time_zone: str) -> str:
        """The figure as a reader writes it: `6m`, `19m to 27m`, `8m (12:03 to 12:11)`."""
        if self.range_ is not None:
            return f"{format_duration(self.range_.low)} to {format_duration(self.range_.high)}"
        if self.value is not None:
            return format_duration(self.value)
        assert self.from_ is not None and self.to is not None
        begin, end = local_datetime(self.from_), local_datetime(self.to)
        clock = "%H:%M:%S" if begin.second or end.second else "%H:%M"
        next_day = "" if begin.date() == end.date() else " next day"
        interval = format_duration(max(0.0, elapsed_s(self.from_, self.to, time_zone)))
        return f"{interval} ({begin.strftime(clock)} to {end.strftime(clock)}{next_day})"


class ReferenceInterval(StrictModel):
    """An interval between two milestones with the values real incidents gave it, to check the scenario against."""

    id: Id
    """The reference's id."""
    name: str
    """Its name in reports (`First call to armed police near the scene`)."""
    since: Id
    """The milestone the interval starts at."""
    until: Id
    """The milestone it ends at."""
    observed: list[Observation] = Field(min_length=1)
    """What real incidents showed: every source is kept, also when they disagree."""
