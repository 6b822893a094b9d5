"""The threat's own timeline and the harm model that turns response times into an outcome."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scenarios._base import Id, StrictModel
from scenarios.distributions import Delay
from scenarios.limits import MAX_HARM_FACTOR


class Observation(StrictModel):
    """Who notices a threat phase, and what they learn."""

    stakeholder: Id
    """The stakeholder who notices."""
    fact: Id
    """What it learns."""
    after: Delay = 0.0
    """How long after the phase starts."""


class ThreatPhase(StrictModel):
    """One phase of the threat, in order: approach, attack, move to another site, flight."""

    id: Id
    """The phase's id."""
    kind: Literal["approach", "attack", "move", "flight", "hoax"]
    """What happens in it; only `attack` phases cause harm."""
    site: Id | None = None
    """Where it happens (required for attack phases)."""
    duration: Delay
    """How long it lasts unless the response ends it."""
    observed_by: list[Observation] = []
    """Who notices it and what they learn."""
    entry_blocked_by_lockdown: bool = True
    """For attacks: a lockdown completed before or during the phase keeps the attacker out."""
    interdictable: bool = True
    """Whether units that can neutralise, on scene at its site, end the threat."""
    ends_with: Literal["next", "ended", "arrested"] = "next"
    """When it runs its course: the next phase, or the threat ends (`arrested`: it ends in an arrest)."""
    source: str | None = None
    """Where its timing comes from (reconstructions)."""


class Harm(StrictModel):
    """An explicit, abstract harm model: exposure-minutes of occupants while an attack phase is active."""

    description: str = "Occupant exposure-minutes while an attack is active at their site."
    """What the harm figure means, for reports."""
    open_factor: float = Field(default=1.0, ge=0, le=MAX_HARM_FACTOR)
    """Exposure per occupant-minute while the site is open."""
    locked_down_factor: float = Field(default=0.1, ge=0, le=MAX_HARM_FACTOR)
    """Exposure per occupant-minute once a lockdown is complete and holds the attacker out."""
    evacuating_factor: float = Field(default=0.5, ge=0, le=MAX_HARM_FACTOR)
    """Exposure per occupant-minute while an evacuation is under way."""
    evacuated_factor: float = Field(default=0.0, ge=0, le=MAX_HARM_FACTOR)
    """Exposure per occupant-minute once the site is evacuated."""


class Threat(StrictModel):
    """The attack's timeline, independent of the response except where the response interrupts it."""

    description: str
    """A short, abstract description (this tool trains responders; it does not plan attacks)."""
    phases: list[ThreatPhase] = Field(min_length=1)
    """The phases, in order."""
    neutralise_time: Delay = 120.0
    """Time units that can neutralise need on scene to end an interdictable phase."""
    harm: Harm = Harm()
    """How harm is counted."""
