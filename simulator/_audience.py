"""Who may see a record: one rule per kind, a function of the record alone, run for every record of a live run.

Participants see only what reached their own organisation; the ground truth of the threat, the MSEL's controls and
the score stay with control (the facilitator and evaluators, who see everything).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simulator._frozen import FrozenDict
from simulator.seats import CONTROL_SEATS, Seat, is_participant


@dataclass(frozen=True, slots=True)
class Audience:
    """The seats that may see a record: control seats always, then everyone or the participants of some stakeholders."""

    stakeholders: frozenset[str] = frozenset()
    """The stakeholders whose participants see it."""
    everyone: bool = False
    """Whether every seat sees it."""

    def admits(self, seat: Seat) -> bool:
        """Whether `seat` may see the record."""
        return self.everyone or seat in CONTROL_SEATS or seat in self.stakeholders


CONTROL_ONLY = Audience()
"""Seen by the facilitator and evaluators only."""
EVERYONE = Audience(everyone=True)
"""Seen by every seat."""

Rule = Callable[[Mapping[str, Any]], Audience]
"""A kind's audience rule; its docstring says who sees the kind, in the table of docs/analysing-runs.md."""


_KNOWN: dict[tuple[str, ...], Audience] = {}


def _of(*stakeholders: str) -> Audience:
    # The same few audiences recur in every record of a run: built once each, not once per record. A plain dict
    # (an Audience is immutable, so sharing one is safe) costs less per record than `functools.lru_cache`.
    found = _KNOWN.get(stakeholders)
    if found is None:
        if len(_KNOWN) > 65_536:  # a long-lived process playing many large networks: start again
            _KNOWN.clear()
            _ONE.clear()
        found = _KNOWN[stakeholders] = Audience(frozenset(stakeholders))
    return found


def _everyone(record: Mapping[str, Any]) -> Audience:
    """Everyone"""
    return EVERYONE


def _control(record: Mapping[str, Any]) -> Audience:
    """Control only"""
    return CONTROL_ONLY


_ONE: dict[str, Audience] = {}


def _one(stakeholder: str) -> Audience:
    # The most common audience, one stakeholder: looked up without packing a tuple (the hottest path of a live run).
    found = _ONE.get(stakeholder)
    return found if found is not None else _ONE.setdefault(stakeholder, _of(stakeholder))


def _stakeholder(record: Mapping[str, Any]) -> Audience:
    """The `stakeholder`"""
    return _one(record["stakeholder"])


def _sender(record: Mapping[str, Any]) -> Audience:
    """The `sender`"""
    return _one(record["sender"])


def _sender_and_receiver(record: Mapping[str, Any]) -> Audience:
    """The `sender` and the `receiver`"""
    return _of(record["sender"], record["receiver"])


def _to(record: Mapping[str, Any]) -> Audience:
    """The `to` stakeholder"""
    return _one(record["to"])


def _by(record: Mapping[str, Any]) -> Audience:
    """The `by` stakeholder"""
    return _one(record["by"])


def _command_seat(record: Mapping[str, Any]) -> Audience:
    """The command's `seat`, when a stakeholder's (else control only)"""
    seat = record["command"].get("seat")
    return _of(seat) if isinstance(seat, str) and is_participant(seat) else CONTROL_ONLY


RULES: Mapping[str, Rule] = {
    "BackgroundJobStarted": _stakeholder,
    "ClockResumed": _everyone,
    "CommandApplied": _command_seat,
    "DecisionOpened": _stakeholder,
    "DecisionTaken": _stakeholder,
    "DispatchOrdered": _stakeholder,
    "DispatchUnfollowable": _stakeholder,
    "Escalated": _stakeholder,
    "EngagementPaused": _control,
    "EngagementStarted": _by,
    "EvacuationCompleted": _by,
    "EvacuationStarted": _by,
    "FactCorrected": _stakeholder,
    "FactDisregarded": _stakeholder,
    "FactLearned": _stakeholder,
    "FactRepeated": _stakeholder,
    "HarmRateChanged": _control,
    "InjectAdded": _control,
    "InjectDelayed": _control,
    "InjectDelivered": _to,
    "InjectHeld": _control,
    "InjectReleased": _control,
    "InjectSkipped": _control,
    "InjectWithheld": _control,
    "LoadSurgeEnded": _stakeholder,
    "LoadSurged": _stakeholder,  # its call takers feel the calls flood in
    "LockdownCompleted": _by,
    "LockdownStarted": _by,
    "MessageArrived": _sender_and_receiver,
    "MessageFailed": _sender,
    "MessageFellBack": _sender_and_receiver,
    "MessageLost": _sender,
    "MessageRerouted": _sender,  # the receiver knows of the call when it arrives (MessageArrived), not before
    "MessageSent": _sender,
    "MessageTaken": _stakeholder,  # the receiver, taking the call
    "MessageUndeliverable": _sender,
    "MilestoneReached": _control,
    "ObservationNoted": _control,
    "PauseMarked": _everyone,
    "PursuitBlocked": _stakeholder,
    "RuleFired": _stakeholder,
    "RunEnded": _everyone,
    "RunStarted": _everyone,
    "RunStopped": _everyone,
    "SpeedChanged": _everyone,
    "ThreatEnded": _control,
    "ThreatNeutralised": _by,
    "ThreatPhaseEnded": _control,
    "ThreatPhaseStarted": _control,
    "UnitsArrived": _stakeholder,
    "UnitsCleared": _stakeholder,
    "UnitsLeft": _stakeholder,
    "UnitsRecalled": _stakeholder,
    "UnitsRedirected": _stakeholder,
    "UnitsStaged": _stakeholder,
}
"""The audience rule of each record kind."""


def audience(record: Mapping[str, Any]) -> Audience:
    """Who may see `record`, from the record alone (a kind without a rule stays with control)."""
    return RULES.get(record["kind"], _control)(record)


HIDDEN_FROM_PARTICIPANTS: Mapping[str, frozenset[str]] = {
    "BackgroundJobStarted": frozenset({"service_s"}),
    "EngagementStarted": frozenset({"phase"}),
    "EvacuationStarted": frozenset({"duration_s"}),
    "FactLearned": frozenset({"true"}),
    "LoadSurged": frozenset({"until_t"}),
    "LockdownStarted": frozenset({"duration_s"}),
    "MessageSent": frozenset({"latency_s"}),
    "MessageTaken": frozenset({"intake_s"}),
    "PauseMarked": frozenset({"note"}),
    "RunEnded": frozenset({"harm", "milestones", "ratings", "step", "exact_t"}),
    "RunStarted": frozenset({"seed", "variant"}),
    "RunStopped": frozenset({"step"}),
    "UnitsLeft": frozenset({"travel_s"}),
    "UnitsRedirected": frozenset({"travel_s"}),
}
"""Fields a participant's seat does not get: whether a report is true, the threat's phases, how long what is under
way will take (drawn in advance by the engine, unknown to the people playing), the score, the facilitator's notes
on pauses (they name the decision paused for), and which variant and seed are played."""


OBSERVABLE = frozenset({"FactCorrected", "FactDisregarded", "FactLearned", "FactRepeated"})
"""The kinds whose `source` may name the threat phase an observation was made in."""


def participant_view(record: dict[str, Any]) -> dict[str, Any]:
    """The record as a participant's seat gets it: without the fields hidden from participants.

    A fact seen by observation names no threat phase (`observation`, not `observation:attack-cafe`). Returns the
    record itself when it hides nothing.
    """
    kind = record["kind"]
    hidden = HIDDEN_FROM_PARTICIPANTS.get(kind)
    observed = kind in OBSERVABLE and record["source"].startswith("observation:")
    if hidden is None and not observed:
        return record
    view = dict(record)  # a copy and a few deletions: the cheapest way, and this runs for most live records
    for key in hidden or ():
        view.pop(key, None)
    if observed:
        view["source"] = "observation"
    return FrozenDict(view)
