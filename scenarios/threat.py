"""The threat's own timeline and the harm model that turns response times into an outcome."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from scenarios._base import FieldError, Id, StrictModel
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


PhaseKind = Literal["approach", "attack", "exchange_of_fire", "barricade", "move", "flight", "hoax"]
"""What happens in a threat phase."""

HARMFUL_KINDS = frozenset({"attack", "exchange_of_fire"})
"""The phase kinds that harm their site's occupants at the open, locked-down and evacuation factors."""

PhaseEnd = Literal["next", "ended", "escaped", "surrendered", "arrested"]
"""How a phase that runs its course ends."""

ThreatOutcome = Literal["neutralised", "contained", "surrendered", "arrested", "escaped", "ended"]
"""How the threat ended: `neutralised` only ever by units of the scenario."""


class OnEngaged(StrictModel):
    """What the threat does once units engage it in a phase: `{after: 5m, go_to: barricade}` or `{ends_with: ...}`."""

    after: Delay = 0.0
    """How long after units first engage it in this phase."""
    go_to: Id | None = None
    """The phase it goes to (holing up, moving on, fleeing)."""
    ends_with: Literal["contained", "surrendered"] | None = None
    """Or how the threat ends: held by the units (`contained`) or giving itself up (`surrendered`)."""

    @model_validator(mode="after")
    def _one_reaction(self) -> OnEngaged:
        hint = "write go_to: PHASE_ID (another phase) or ends_with: contained | surrendered"
        if self.go_to is None and self.ends_with is None:
            raise FieldError("on_engaged needs go_to or ends_with", hint=hint)
        if self.go_to is not None and self.ends_with is not None:
            raise FieldError("on_engaged takes go_to or ends_with, not both", field="ends_with", hint=hint)
        return self


class ThreatPhase(StrictModel):
    """One phase of the threat, in order: approach, attack, exchange of fire, barricade, move, flight."""

    id: Id
    """The phase's id."""
    kind: PhaseKind
    """What happens in it; `attack` and `exchange_of_fire` phases harm, `barricade` phases at `barricade_factor`."""
    site: Id | None = None
    """Where it happens (required for attack phases)."""
    duration: Delay
    """How long it lasts unless the response ends it."""
    observed_by: list[Observation] = []
    """Who notices it and what they learn."""
    entry_blocked_by_lockdown: bool = True
    """For attacks: a lockdown completed before or during the phase keeps the attacker out."""
    interdictable: bool = True
    """Whether units on scene at its site engage it (those that can neutralise also stop it)."""
    ends_with: PhaseEnd = "next"
    """When it runs its course: the next phase, or the threat ends (ended, escaped, surrendered, arrested)."""
    on_engaged: OnEngaged | None = None
    """What it does once units engage it: go to another phase, or end (contained, surrendered)."""
    source: str | None = None
    """Where its timing comes from (reconstructions)."""

    @model_validator(mode="before")
    @classmethod
    def _no_neutralised_end(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("ends_with") == "neutralised":
            raise FieldError(
                "a phase cannot end with 'neutralised': only units of the scenario neutralise the threat",
                field="ends_with",
                hint="write ends_with: arrested (stopped by someone the scenario does not play), "
                "or give a stakeholder can_neutralise: true and send its units (tabletop migrate updates a "
                "version 1 file)",
            )
        return data


class Harm(StrictModel):
    """An explicit, abstract harm model: exposure-minutes of occupants while an attack phase is active."""

    description: str = (
        "Occupant exposure-minutes while an attack, an exchange of fire or a barricade is active at their site."
    )
    """What the harm figure means, for reports."""
    open_factor: float = Field(default=1.0, ge=0, le=MAX_HARM_FACTOR)
    """Exposure per occupant-minute while the site is open."""
    locked_down_factor: float = Field(default=0.1, ge=0, le=MAX_HARM_FACTOR)
    """Exposure per occupant-minute once a lockdown is complete and holds the attacker out."""
    evacuating_factor: float = Field(default=0.5, ge=0, le=MAX_HARM_FACTOR)
    """Exposure per occupant-minute while an evacuation is under way."""
    evacuated_factor: float = Field(default=0.0, ge=0, le=MAX_HARM_FACTOR)
    """Exposure per occupant-minute once the site is evacuated."""
    barricade_factor: float = Field(default=0.0, ge=0, le=MAX_HARM_FACTOR)
    """Exposure per occupant-minute while the threat is barricaded at their site (hostages, people trapped)."""


class Threat(StrictModel):
    """The attack's timeline, independent of the response except where the response interrupts it."""

    description: str
    """A short, abstract description (this tool trains responders; it does not plan attacks)."""
    phases: list[ThreatPhase] = Field(min_length=1)
    """The phases, in order."""
    neutralise_time: Delay = 120.0
    """Time units that can neutralise must engage the threat at a site to stop it (drawn once per site)."""
    harm: Harm = Harm()
    """How harm is counted."""
