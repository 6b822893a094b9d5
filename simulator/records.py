"""The run log's vocabulary: every record kind with its fields, its sentence and who may see it.

Each kind is a `TypedDict` named as the kind; its docstring says what the record means. `sentence` puts a record in
plain language, `audience` says which seats may see it, `markdown_table` lists the kinds for analysts (in
docs/analysing-runs.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, TypedDict, is_typeddict

from simulator import _kinds_table
from simulator._audience import (
    CONTROL_ONLY,
    EVERYONE,
    HIDDEN_FROM_PARTICIPANTS,
    Audience,
    audience,
    participant_view,
)
from simulator._sentences import sentence

__all__ = [
    "CONTROL_ONLY",
    "EVERYONE",
    "HIDDEN_FROM_PARTICIPANTS",
    "KINDS",
    "Audience",
    "audience",
    "markdown_table",
    "participant_view",
    "sentence",
]


class _Record(TypedDict):
    """What every record starts with: its place in the log (from 0) and its simulation time (seconds from T0)."""

    seq: int
    t: float


# --- the run and its clock --------------------------------------------------------------------------------------------
class RunStarted(_Record):
    """A run began: the scenario, its variant (null for the base) and the seed."""

    kind: Literal["RunStarted"]
    scenario: str
    variant: str | None
    seed: int


class RunStopped(_Record):
    """The engine's ceiling stopped the run: no more events are processed (see `simulator.limits`); it then ends."""

    kind: Literal["RunStopped"]
    limit: Literal["records", "events"]
    """Which ceiling was reached."""
    reason: str
    """The reason in words, `record limit reached (1,000,000 records)`."""
    step: int
    """How many events had been processed."""


class RunEnded(_Record):
    """The run ended: its harm, the milestones reached (with their times) and each objective's final rating."""

    kind: Literal["RunEnded"]
    step: int
    """How many events had been processed (a replay ends the run at the same point)."""
    exact_t: float
    """The exact simulation time it ended at (`t` is rounded to the millisecond)."""
    harm: float
    milestones: dict[str, float]
    ratings: dict[str, Literal["P", "S", "M", "U", "N/A"]]


class PauseMarked(_Record):
    """The facilitator paused the exercise for discussion; the note says why."""

    kind: Literal["PauseMarked"]
    note: str


class ClockResumed(_Record):
    """The exercise's clock runs again after a pause."""

    kind: Literal["ClockResumed"]


class SpeedChanged(_Record):
    """The live clock now runs at another speed (simulation seconds per wall-clock second, or as fast as it can)."""

    kind: Literal["SpeedChanged"]
    speed: Literal["1x", "10x", "60x", "max"]


# --- the consoles -----------------------------------------------------------------------------------------------------
class CommandApplied(_Record):
    """A seat's command was applied at this time and step (a replay applies it again at exactly this point)."""

    kind: Literal["CommandApplied"]
    step: int
    exact_t: float
    """The exact simulation time it was applied at (`t` is rounded to the millisecond, as in every record)."""
    command: dict[str, Any]


class ObservationNoted(_Record):
    """An evaluator noted what they saw, tied to an objective or a core capability."""

    kind: Literal["ObservationNoted"]
    seat: str
    text: str
    objective: str | None
    core_capability: str | None


# --- the threat and its harm ------------------------------------------------------------------------------------------
class ThreatPhaseStarted(_Record):
    """A phase of the threat began; it lasts `duration_s` unless the response ends it."""

    kind: Literal["ThreatPhaseStarted"]
    phase: str
    phase_kind: Literal["approach", "attack", "exchange_of_fire", "barricade", "move", "flight", "hoax"]
    site: str | None
    duration_s: float


class ThreatPhaseEnded(_Record):
    """A phase of the threat ended: it ran its course, or the threat reacted to being engaged."""

    kind: Literal["ThreatPhaseEnded"]
    phase: str


class EngagementStarted(_Record):
    """Units able to contain or neutralise the threat are on scene of its active phase and engage it."""

    kind: Literal["EngagementStarted"]
    site: str
    phase: str
    by: str


class EngagementPaused(_Record):
    """The engagement stopped (the phase ended, the threat moved or ended, the units left) after `engaged_s`."""

    kind: Literal["EngagementPaused"]
    site: str
    phase: str
    engaged_s: float


class ThreatNeutralised(_Record):
    """Units of `by` engaged the threat at `site` for the time they needed to stop it (by force or arrest)."""

    kind: Literal["ThreatNeutralised"]
    by: str
    site: str


class ThreatEnded(_Record):
    """The threat is over: how (`outcome`), by whom if a stakeholder ended it (`by`), and the harm it did."""

    kind: Literal["ThreatEnded"]
    harm: float
    outcome: Literal["neutralised", "contained", "surrendered", "arrested", "escaped", "ended"]
    by: str | None


class HarmRateChanged(_Record):
    """Harm now accumulates at another rate (occupant exposure per minute), with the harm done so far."""

    kind: Literal["HarmRateChanged"]
    rate_per_min: float
    harm: float


# --- what stakeholders know and do ------------------------------------------------------------------------------------
class FactLearned(_Record):
    """A stakeholder learned a fact for the first time: from whom or what, and whether it is true."""

    kind: Literal["FactLearned"]
    stakeholder: str
    fact: str
    source: str
    true: bool


class FactRepeated(_Record):
    """A stakeholder heard again a fact it already held (it changes nothing)."""

    kind: Literal["FactRepeated"]
    stakeholder: str
    fact: str
    source: str


class FactCorrected(_Record):
    """A stakeholder learned `by_fact` (from `source`), which corrects `fact` it held: it no longer acts on `fact`."""

    kind: Literal["FactCorrected"]
    stakeholder: str
    fact: str
    by_fact: str
    source: str


class FactDisregarded(_Record):
    """A stakeholder was told a fact it already holds a correction of (`corrected_by`): it changes nothing."""

    kind: Literal["FactDisregarded"]
    stakeholder: str
    fact: str
    source: str
    corrected_by: str


class RuleFired(_Record):
    """A rule of a stakeholder's playbook fired; its actions follow."""

    kind: Literal["RuleFired"]
    stakeholder: str
    rule: str


class Escalated(_Record):
    """A stakeholder declared a fact itself (a major incident, a crisis cell opened)."""

    kind: Literal["Escalated"]
    stakeholder: str
    fact: str


class BackgroundJobStarted(_Record):
    """One of a stakeholder's units took on other work (a call or job outside the scenario) for `service_s`."""

    kind: Literal["BackgroundJobStarted"]
    stakeholder: str
    waited_s: float
    service_s: float


class LoadSurged(_Record):
    """A stakeholder's background work surged: jobs arrive `factor` times as often until `until_t` (the highest
    factor applies while surges overlap)."""

    kind: Literal["LoadSurged"]
    stakeholder: str
    factor: float
    until_t: float


class LoadSurgeEnded(_Record):
    """The last surge of a stakeholder's background work under way ended: jobs arrive at the usual rate again."""

    kind: Literal["LoadSurgeEnded"]
    stakeholder: str


# --- units and sites --------------------------------------------------------------------------------------------------
class DispatchOrdered(_Record):
    """A stakeholder ordered units to a site; they leave together once all are free."""

    kind: Literal["DispatchOrdered"]
    stakeholder: str
    site: str
    units: int


class UnitsLeft(_Record):
    """The units ordered to a site were all free (after `waited_s`) and left; they travel for `travel_s`."""

    kind: Literal["UnitsLeft"]
    stakeholder: str
    site: str
    units: int
    waited_s: float
    travel_s: float


class UnitsArrived(_Record):
    """Units arrived on scene at a site."""

    kind: Literal["UnitsArrived"]
    stakeholder: str
    site: str
    units: int


class DispatchUnfollowable(_Record):
    """Units ordered to follow the threat cannot: it has been at no site yet (`site` null), or they have no travel
    time to its site; the order is not carried out."""

    kind: Literal["DispatchUnfollowable"]
    stakeholder: str
    units: int
    site: str | None


class UnitsStaged(_Record):
    """Units reached the rendezvous near a site; they wait there, not on scene, until they are cleared to go in."""

    kind: Literal["UnitsStaged"]
    stakeholder: str
    site: str
    units: int


class UnitsCleared(_Record):
    """Staged units may go in (their stage's condition happened) after `staged_s` at the rendezvous."""

    kind: Literal["UnitsCleared"]
    stakeholder: str
    site: str
    units: int
    staged_s: float


class UnitsRecalled(_Record):
    """Units were called back from a site (`was`: waiting for free units, travelling, staged or on scene); they are
    free again at once."""

    kind: Literal["UnitsRecalled"]
    stakeholder: str
    site: str
    units: int
    was: Literal["waiting", "travelling", "staged", "on_scene"]


class UnitsRedirected(_Record):
    """Units heading to, staged near or on scene at `from_site` go to `site` instead, pursuing the threat or on an
    order; they travel for `travel_s` (null: still waiting for free units, drawn when they leave)."""

    kind: Literal["UnitsRedirected"]
    stakeholder: str
    units: int
    from_site: str
    site: str
    reason: Literal["pursuit", "order"]
    travel_s: float | None


class PursuitBlocked(_Record):
    """The threat moved to `threat_site`, where units following it have no travel time: they stay with `site`."""

    kind: Literal["PursuitBlocked"]
    stakeholder: str
    units: int
    site: str
    threat_site: str


class LockdownStarted(_Record):
    """A stakeholder started locking a site down; it takes `duration_s`."""

    kind: Literal["LockdownStarted"]
    site: str
    by: str
    duration_s: float


class LockdownCompleted(_Record):
    """A site is locked down (ordered by `by`)."""

    kind: Literal["LockdownCompleted"]
    site: str
    by: str


class EvacuationStarted(_Record):
    """A stakeholder started evacuating a site; it takes `duration_s`."""

    kind: Literal["EvacuationStarted"]
    site: str
    by: str
    duration_s: float


class EvacuationCompleted(_Record):
    """A site is evacuated (ordered by `by`)."""

    kind: Literal["EvacuationCompleted"]
    site: str
    by: str


# --- messages ---------------------------------------------------------------------------------------------------------
class MessageRerouted(_Record):
    """A message goes to another receiver than the one intended (a call to the wrong control room)."""

    kind: Literal["MessageRerouted"]
    sender: str
    intended: str
    receiver: str
    fact: str


class MessageUndeliverable(_Record):
    """A message cannot be sent: no enabled channel leads from its sender to its receiver."""

    kind: Literal["MessageUndeliverable"]
    sender: str
    receiver: str
    fact: str


class _Attempt(_Record):
    """What every record of an attempt to send a message carries."""

    channel: str
    sender: str
    receiver: str
    fact: str


class MessageSent(_Attempt):
    """An attempt to send a message on a channel began; it takes `latency_s`."""

    kind: Literal["MessageSent"]
    attempt: int
    latency_s: float


class MessageArrived(_Attempt):
    """A message reached its receiver (who knows it now, or once a call taker has taken it)."""

    kind: Literal["MessageArrived"]


class MessageFailed(_Attempt):
    """An attempt to send a message failed; the channel's `on_failure` says what follows."""

    kind: Literal["MessageFailed"]
    attempt: int


class MessageFellBack(_Record):
    """A failed message is sent again on the fallback channel, to that channel's receiver."""

    kind: Literal["MessageFellBack"]
    channel: str
    fallback: str
    fact: str
    sender: str
    receiver: str


class MessageLost(_Attempt):
    """A message was given up after failing."""

    kind: Literal["MessageLost"]


class MessageTaken(_Record):
    """A call taker of the receiving stakeholder took a message (after `waited_s` for a free unit)."""

    kind: Literal["MessageTaken"]
    stakeholder: str
    fact: str
    sender: str
    waited_s: float
    intake_s: float


# --- decisions, injects and milestones --------------------------------------------------------------------------------
class DecisionOpened(_Record):
    """A decision point opened for a stakeholder; its default is taken after `deadline_s`."""

    kind: Literal["DecisionOpened"]
    decision: str
    stakeholder: str
    deadline_s: float


class DecisionTaken(_Record):
    """A decision was taken: by a seat, by a `preset` choice, or by `default` at its deadline."""

    kind: Literal["DecisionTaken"]
    decision: str
    option: str
    stakeholder: str
    by: str


class InjectDelivered(_Record):
    """An inject reached its receiver: on its schedule, or fired or released by the facilitator."""

    kind: Literal["InjectDelivered"]
    inject: str
    to: str
    fact: str | None
    by: Literal["schedule", "facilitator"]


class InjectAdded(_Record):
    """The facilitator wrote a new inject during the run (it is delivered at once)."""

    kind: Literal["InjectAdded"]
    inject: str
    to: str
    text: str
    fact: str | None


class InjectHeld(_Record):
    """The facilitator held an inject: it is not delivered when due, until released."""

    kind: Literal["InjectHeld"]
    inject: str


class InjectWithheld(_Record):
    """A held inject fell due and was not delivered."""

    kind: Literal["InjectWithheld"]
    inject: str


class InjectReleased(_Record):
    """The facilitator released a held inject: delivered now if overdue, else when due."""

    kind: Literal["InjectReleased"]
    inject: str


class InjectDelayed(_Record):
    """The facilitator pushed an inject's delivery back to `due_t`."""

    kind: Literal["InjectDelayed"]
    inject: str
    due_t: float


class InjectSkipped(_Record):
    """The facilitator skipped an inject: it is never delivered."""

    kind: Literal["InjectSkipped"]
    inject: str


class MilestoneReached(_Record):
    """A milestone was reached (the first time only)."""

    kind: Literal["MilestoneReached"]
    milestone: str


KINDS: Mapping[str, type] = MappingProxyType(
    {name: cls for name, cls in sorted(globals().items()) if is_typeddict(cls) and not name.startswith("_")}
)
"""Each record kind's name and its TypedDict (named as the kind), sorted by name."""


def markdown_table() -> str:
    """The table of record kinds in docs/analysing-runs.md: kind, fields (name: type), who sees it, what it means."""
    return _kinds_table.markdown_table(KINDS)
