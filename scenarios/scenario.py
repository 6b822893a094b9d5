"""The scenario: the whole file an author writes, and its clock."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import Field, field_validator

from scenarios._base import Duration, FieldError, Id, StrictModel
from scenarios.errors import close_match
from scenarios.exercise import Decision, Fact, Inject, Milestone, Objective
from scenarios.network import Channel, Site, Stakeholder
from scenarios.references import ReferenceInterval
from scenarios.threat import Threat
from scenarios.variants import Variant

SCHEMA_VERSION = 2
"""The version of the scenario language this Tabletop writes; version 1 files are read too (see `migrate`)."""


FIRST_YEAR = 1900
"""The earliest year a run may start in: past incidents are reconstructed, none before it."""
LAST_YEAR = 2999
"""The latest year a run may start in."""


class Clock(StrictModel):
    """Where simulation time starts on the wall clock, and how long a run lasts."""

    start: str
    """Local wall-clock time of T0, `YYYY-MM-DDTHH:MM[:SS]` (for display and reconstructions)."""
    time_zone: str
    """The IANA time zone of the site (`Europe/Berlin`)."""
    duration: Duration
    """How long a run lasts at most."""

    @field_validator("start")
    @classmethod
    def _iso_local_time(cls, value: str) -> str:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date and time: write it like '2019-10-09T11:50:00'") from None
        if parsed.tzinfo is not None:
            raise ValueError("write the local time without an offset; the time zone goes in time_zone")
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            # Near year 9999 the clock times of a run fall off the calendar Python can count in.
            raise ValueError(f"{value!r}: write a start between the years {FIRST_YEAR} and {LAST_YEAR}")
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            close = close_match(value, sorted(available_timezones()))
            hint = f"did you mean {close!r}?" if close else "use an IANA name such as 'Europe/Berlin'"
            raise FieldError(f"unknown time zone {value!r}", hint=hint) from None
        return value

    def wall_time(self, t_s: float) -> datetime:
        """The local wall-clock time (aware) at simulation time `t_s`."""
        from datetime import timedelta

        return datetime.fromisoformat(self.start).replace(tzinfo=ZoneInfo(self.time_zone)) + timedelta(seconds=t_s)


class Scenario(StrictModel):
    """A tabletop exercise scenario."""

    schema_version: Literal[2]
    """The version of the scenario language; this is version 2 (`tabletop migrate` updates a version 1 file)."""
    id: Id
    """The scenario's id (its name in the bundled library)."""
    title: str
    """The scenario's title."""
    summary: str
    """A few sentences for the facilitator: what happens and what the exercise is about."""
    learning_objectives: list[str] = Field(min_length=1)
    """What participants should take away."""
    sources: list[str] = []
    """Public sources used (reconstructions of real incidents)."""
    clock: Clock
    """The clock."""
    facts: list[Fact] = []
    """Everything stakeholders can know."""
    sites: list[Site] = Field(min_length=1)
    """The sites attacked or at risk."""
    stakeholders: list[Stakeholder] = Field(min_length=1)
    """The organisations and teams (nodes)."""
    channels: list[Channel] = []
    """How they reach each other (directed edges)."""
    threat: Threat | None = None
    """The threat's timeline; omit for hoaxes and pure information exercises."""
    injects: list[Inject] = []
    """The MSEL."""
    decisions: list[Decision] = []
    """The decision points."""
    milestones: list[Milestone] = []
    """The milestones measured in every run."""
    objectives: list[Objective] = []
    """The exercise objectives, rated P/S/M/U (or N/A)."""
    references: list[ReferenceInterval] = []
    """Intervals between milestones observed in real incidents, shown beside the simulated ones."""
    variants: list[Variant] = []
    """Named what-ifs over this scenario."""
