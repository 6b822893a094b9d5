"""Triggers, actions and playbook rules: what a stakeholder does when something reaches it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from scenarios._base import Duration, FieldError, Id, Probability, StrictModel
from scenarios.distributions import Delay
from scenarios.limits import MAX_SURGE_FACTOR, MAX_UNITS
from scenarios.threat import ThreatOutcome

EventKind = Literal[
    "start",
    "fact_learned",
    "fact_corrected",
    "units_arrived",
    "units_staged",
    "lockdown_complete",
    "evacuation_complete",
    "threat_phase_started",
    "threat_engaged",
    "threat_neutralised",
    "threat_ended",
    "decision_taken",
    "inject_delivered",
    "milestone_reached",
]
"""The kinds of event a rule, an inject or a milestone can wait for."""

# For each event kind: the fields it requires and the fields it may carry as filters.
TRIGGER_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "start": (frozenset(), frozenset()),
    "fact_learned": (frozenset({"fact"}), frozenset({"stakeholder"})),
    "fact_corrected": (frozenset({"fact"}), frozenset({"stakeholder"})),
    "units_arrived": (frozenset(), frozenset({"stakeholder", "site"})),
    "units_staged": (frozenset(), frozenset({"stakeholder", "site"})),
    "lockdown_complete": (frozenset({"site"}), frozenset()),
    "evacuation_complete": (frozenset({"site"}), frozenset()),
    "threat_phase_started": (frozenset({"phase"}), frozenset()),
    "threat_neutralised": (frozenset(), frozenset()),
    "threat_engaged": (frozenset(), frozenset({"site", "stakeholder", "phase"})),
    "threat_ended": (frozenset(), frozenset({"outcome"})),
    "decision_taken": (frozenset({"decision"}), frozenset({"option"})),
    "inject_delivered": (frozenset({"inject"}), frozenset()),
    "milestone_reached": (frozenset({"milestone"}), frozenset()),
}
_FILTERS = ("fact", "stakeholder", "site", "phase", "decision", "option", "inject", "milestone", "outcome")


class Trigger(StrictModel):
    """An event to wait for: `{fact: shots-fired}` or `{event: units_arrived, site: synagogue}`."""

    event: EventKind = "fact_learned"
    """The kind of event; `fact_learned` when omitted."""
    fact: Id | None = None
    """For `fact_learned`: the fact that is learned; for `fact_corrected`: the fact that is corrected."""
    stakeholder: Id | None = None
    """The stakeholder the event happens at (for rules, always the rule's own stakeholder)."""
    site: Id | None = None
    """For site events: the site."""
    phase: Id | None = None
    """For `threat_phase_started` and `threat_engaged`: the threat phase."""
    decision: Id | None = None
    """For `decision_taken`: the decision point."""
    option: Id | None = None
    """For `decision_taken`: only when this option was chosen."""
    inject: Id | None = None
    """For `inject_delivered`: the inject."""
    milestone: Id | None = None
    """For `milestone_reached`: the milestone."""
    outcome: ThreatOutcome | None = None
    """For `threat_ended`: only when the threat ended so (`neutralised`, `contained`, `arrested`...)."""

    @model_validator(mode="after")
    def _fields_fit_the_event(self) -> Trigger:
        required, optional = TRIGGER_FIELDS[self.event]
        given = {name for name in _FILTERS if getattr(self, name) is not None}
        missing = sorted(required - given)
        if missing:
            raise ValueError(f"event {self.event!r} needs {', '.join(missing)}")
        extra = sorted(given - required - optional)
        if extra:
            allowed = ", ".join(sorted(required | optional)) or "no other field"
            raise FieldError(
                f"event {self.event!r} does not take {', '.join(extra)} (it takes {allowed})", field=extra[0]
            )
        return self


class Alternative(StrictModel):
    """Where a message goes instead, with some probability: a call that reaches the wrong control room."""

    to: Id
    """The stakeholder reached instead."""
    probability: Probability
    """How likely this happens."""


class Notify(StrictModel):
    """Send a fact to another stakeholder over a channel."""

    action: Literal["notify"]
    """The kind of action."""
    to: Id
    """The stakeholder to tell."""
    fact: Id
    """The fact the message carries."""
    via: Id | None = None
    """The channel to use; when omitted, the first enabled channel to `to` (by id)."""
    after: Delay = 0.0
    """How long before the message is sent."""
    alternatives: list[Alternative] = []
    """Other stakeholders the message may reach instead (their probabilities must add up to at most 1)."""

    @model_validator(mode="after")
    def _probabilities(self) -> Notify:
        if sum(alt.probability for alt in self.alternatives) > 1:
            raise FieldError("the alternatives' probabilities add up to more than 1", field="alternatives")
        return self


class Stage(StrictModel):
    """Wait at a rendezvous near the site until something happens (the scene declared safe), then go in."""

    until: Trigger
    """What the units wait for; a `fact_learned` trigger without `stakeholder` means the dispatching stakeholder
    learning the fact (a fact it already holds counts); any other event counts from the order on."""
    access: Delay = 0.0
    """How long from the rendezvous to the scene once they may go in."""


class Dispatch(StrictModel):
    """Send units to a site (or after the threat); they arrive after the stakeholder's travel time to it."""

    action: Literal["dispatch"]
    """The kind of action."""
    site: Id | None = None
    """Where to send the units (give this or `follow`)."""
    follow: Literal["threat"] | None = None
    """`threat`: send them where the threat is now, and after it to each site it moves on to (give this or
    `site`)."""
    units: int = Field(default=1, ge=1, le=MAX_UNITS)
    """How many units (each waits until one is free)."""
    stakeholder: Id | None = None
    """Whose units; the rule's own stakeholder when omitted."""
    stage: Stage | None = None
    """Wait at a rendezvous near the site until a condition holds, before going on scene."""
    after: Delay = 0.0
    """How long before the units leave."""

    @model_validator(mode="after")
    def _one_destination(self) -> Dispatch:
        if (self.site is None) == (self.follow is None):
            both = self.follow is not None
            raise FieldError(
                "give either site (a site id) or follow: threat" + (", not both" if both else ""),
                field="follow" if both else None,
                hint="site sends the units to one site, follow: threat sends them after the threat",
            )
        return self


class Recall(StrictModel):
    """Call units back from a site: ordered to it, on their way, staged near it or on scene there."""

    action: Literal["recall"]
    """The kind of action."""
    site: Id
    """The site the units are called back from."""
    stakeholder: Id | None = None
    """Whose units; the acting stakeholder's own when omitted."""
    after: Delay = 0.0
    """How long before the recall."""


class Redirect(StrictModel):
    """Send units heading to, staged near or on scene at one site to another instead."""

    action: Literal["redirect"]
    """The kind of action."""
    from_: Id = Field(alias="from")
    """The site the units were sent to."""
    to: Id
    """The site they go to instead."""
    stakeholder: Id | None = None
    """Whose units; the acting stakeholder's own when omitted."""
    after: Delay = 0.0
    """How long before the redirection."""


class LockDown(StrictModel):
    """Lock a site down; it is complete after the site's lockdown duration."""

    action: Literal["lock_down"]
    """The kind of action."""
    site: Id
    """The site to lock down."""
    after: Delay = 0.0
    """How long before the lockdown starts."""


class Evacuate(StrictModel):
    """Evacuate a site; it is complete after the site's evacuation duration."""

    action: Literal["evacuate"]
    """The kind of action."""
    site: Id
    """The site to evacuate."""
    after: Delay = 0.0
    """How long before the evacuation starts."""


class Escalate(StrictModel):
    """Raise the stakeholder's own level (declare a major incident, open a cell): it learns `fact` itself."""

    action: Literal["escalate"]
    """The kind of action."""
    fact: Id
    """The fact the stakeholder declares (its own rules may act on it)."""
    after: Delay = 0.0
    """How long before the escalation."""


class RequestDecision(StrictModel):
    """Open a decision point and wait for its role to choose (or for its deadline)."""

    action: Literal["request_decision"]
    """The kind of action."""
    decision: Id
    """The decision point to open."""
    after: Delay = 0.0
    """How long before the decision is asked."""


class Surge(StrictModel):
    """Multiply a stakeholder's background work for a while: the calls that flood a control room once an attack is
    public. Overlapping surges do not add up: the highest factor among those under way applies."""

    action: Literal["surge"]
    """The kind of action."""
    factor: float = Field(gt=1, le=MAX_SURGE_FACTOR)
    """How many times the usual rate of background arrivals (`arrivals_per_hour`) arrive meanwhile."""
    for_: Duration = Field(alias="for")
    """How long the surge lasts."""
    stakeholder: Id | None = None
    """Whose background work surges; the acting stakeholder when omitted (it needs `background`)."""
    after: Delay = 0.0
    """How long before the surge begins."""

    @model_validator(mode="after")
    def _lasts(self) -> Surge:
        if self.for_ <= 0:
            raise FieldError("a surge lasts for some time: write for: 10m, say", field="for")
        return self


Action = Annotated[
    Notify | Dispatch | LockDown | Evacuate | Escalate | RequestDecision | Recall | Redirect | Surge,
    Field(discriminator="action"),
]
"""Anything a rule or a decision option can do."""


class Conditions(StrictModel):
    """Extra conditions checked when a rule's trigger happens."""

    known: list[Id] = []
    """Facts the stakeholder must already hold."""
    unknown: list[Id] = []
    """Facts the stakeholder must not hold yet."""
    not_before: Duration | None = None
    """The rule fires only from this time after T0."""
    not_after: Duration | None = None
    """The rule fires only until this time after T0."""


class Rule(StrictModel):
    """A playbook rule: on an event, if the conditions hold, do the actions (each after its delay)."""

    id: Id
    """The rule's id, unique in the scenario."""
    description: str | None = None
    """What the rule stands for in the organisation's real procedure."""
    on: Trigger
    """The event that makes the rule fire (at the rule's own stakeholder)."""
    when: Conditions | None = None
    """Conditions checked when the event happens."""
    do: list[Action] = Field(min_length=1)
    """The actions, each started after its own delay."""
    repeat: bool = False
    """Whether the rule may fire more than once (by default it fires at most once)."""
