"""Sites, stakeholders and the channels between them: the nodes and edges of the exercise's graph."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from scenarios._base import FieldError, Id, Probability, StrictModel
from scenarios.distributions import Delay
from scenarios.limits import (
    MAX_ARRIVALS_PER_HOUR,
    MAX_ATTEMPTS,
    MAX_CAPACITY,
    MAX_OCCUPANCY,
    MAX_UNITS,
    MIN_ARRIVALS_PER_HOUR,
)
from scenarios.playbook import Rule

SiteKind = Literal[
    "synagogue",
    "mosque",
    "church",
    "school",
    "kindergarten",
    "community_centre",
    "restaurant",
    "shop",
    "public_space",
    "other",
]
StakeholderKind = Literal[
    "community_security",
    "site_staff",
    "public",
    "police_control",
    "emergency_control",
    "patrol",
    "armed_response",
    "ems",
    "hospital",
    "crisis_cell",
    "national_ct",
    "community_site",
    "umbrella_organisation",
    "media",
    "other",
]
Medium = Literal["phone", "radio", "messaging", "email", "liaison", "in_person", "broadcast", "data", "other"]


class Lockdown(StrictModel):
    """How a site locks down."""

    duration: Delay = 60.0
    """Time from the order to a completed lockdown (doors shut, people inside away from them)."""


class Evacuation(StrictModel):
    """How a site evacuates."""

    duration: Delay = 300.0
    """Time from the order until everyone is out."""


class Site(StrictModel):
    """A community site attacked or at risk."""

    id: Id
    """The site's id."""
    name: str
    """The site's name, as participants know it."""
    kind: SiteKind
    """What kind of site it is."""
    occupancy: int = Field(ge=0, le=MAX_OCCUPANCY)
    """How many people are inside during the exercise."""
    lockdown: Lockdown | None = None
    """How the site locks down; omit when it cannot."""
    evacuation: Evacuation | None = None
    """How the site evacuates; omit when it cannot."""


class Background(StrictModel):
    """Other work that keeps a stakeholder's units busy (Poisson arrivals, each holding one unit)."""

    arrivals_per_hour: float = Field(ge=MIN_ARRIVALS_PER_HOUR, le=MAX_ARRIVALS_PER_HOUR)
    """Mean number of other jobs (calls, incidents) per hour."""
    service_time: Delay
    """How long one job holds a unit."""


class Stakeholder(StrictModel):
    """An organisation or team: a node of the graph."""

    id: Id
    """The stakeholder's id."""
    name: str
    """Its name, as participants know it."""
    kind: StakeholderKind
    """What kind of organisation it is."""
    description: str | None = None
    """Its role in the exercise."""
    site: Id | None = None
    """The site it is at, if any (community security and staff see what happens there)."""
    units: int = Field(default=1, ge=0, le=MAX_UNITS)
    """How many units it has (patrol cars, armed teams, ambulances, call takers)."""
    intake_time: Delay | None = None
    """When set, every incoming message needs a free unit for this long before it is understood (call taking)."""
    travel: dict[Id, Delay] = {}
    """Travel time of its units to each site they can be sent to."""
    background: Background | None = None
    """Other work that keeps its units busy."""
    can_neutralise: bool = False
    """Whether its units on scene engage an active threat and stop it (armed response)."""
    can_contain: bool = False
    """Whether its units on scene engage an active threat without being able to stop it (a cordon, unarmed police)."""
    playbook: list[Rule] = []
    """Its rules: what it does when something reaches it."""

    @model_validator(mode="after")
    def _units_for_work(self) -> Stakeholder:
        if self.units == 0 and (self.intake_time is not None or self.background is not None):
            raise FieldError(
                "a stakeholder with 0 units cannot take calls (intake_time) or do background work",
                field="units",
                hint="give it units: 1 or more, or remove intake_time and background",
            )
        return self


class OnFailure(StrictModel):
    """What the sender does when a message on this channel fails."""

    then: Literal["retry", "fallback", "give_up"] = "give_up"
    """Retry on the same channel, try the fallback channel, or give up."""
    retry_after: Delay = 30.0
    """Time before the next attempt."""
    max_attempts: int = Field(default=3, ge=1, le=MAX_ATTEMPTS)
    """With retry: attempts in all on this channel before the sender gives up (a fallback is tried at once)."""
    fallback: Id | None = None
    """The channel to try instead (for `fallback`; must leave the same sender)."""

    @model_validator(mode="after")
    def _fallback_named(self) -> OnFailure:
        if self.then == "fallback" and self.fallback is None:
            raise FieldError("then: fallback needs a fallback channel id", field="then")
        if self.then != "fallback" and self.fallback is not None:
            raise FieldError(
                f"a fallback channel is only used with then: fallback (here then: {self.then})", field="fallback"
            )
        return self


class Channel(StrictModel):
    """A directed way for one stakeholder to reach another: an edge of the graph."""

    id: Id
    """The channel's id."""
    from_: Id = Field(alias="from")
    """The sending stakeholder."""
    to: Id
    """The receiving stakeholder."""
    medium: Medium = "phone"
    """How messages travel."""
    latency: Delay = 0.0
    """Time from sending to receipt."""
    failure_probability: Probability = 0.0
    """How likely one attempt fails (no answer, busy network, wrong number)."""
    on_failure: OnFailure = OnFailure()
    """What the sender does when an attempt fails."""
    capacity: int | None = Field(default=None, ge=1, le=MAX_CAPACITY)
    """How many messages can be under way at once (others queue, as on a busy line); unlimited when omitted."""
    enabled: bool = True
    """Whether the channel exists in this run (variants switch channels on and off)."""
    description: str | None = None
    """What the channel is in reality."""
