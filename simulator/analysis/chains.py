"""The chain of messages that led to a milestone in a run: who told whom, when, over which channel, from the origin.

The rule, for a milestone reached in a run:

- `when: {fact: F, stakeholder: S}` (a fact learned): how S learned F (its `FactLearned`: from a sender, an inject,
  an observation of the threat, or its own declaration), then how that sender learned F, and so on back to the
  origin. Without a stakeholder, the stakeholder whose learning reached the milestone.
- `when: {event: fact_corrected, fact: F}`: the chain of the fact that corrected F at the stakeholder.
- `all_of` (or `at_least`): the chain of the component milestone whose reaching completed it (the last one reached).
- An event (a lockdown or evacuation completed, units arrived or staged, the threat engaged, neutralised or ended, a
  decision taken, an inject delivered): the organisation that acted (the record's `by` or `stakeholder`), and the
  chain of the last fact it learned before it started acting: the start of the lockdown or evacuation, the units
  leaving (or being redirected) for the site, the record itself otherwise. The chain says the organisation "acted
  on" that fact.
- Anything else (the start, a threat phase, a milestone never reached, an event nobody acted for): no chain, and
  the reason why.

Each link is one step of the chain, from the origin to the organisation the milestone is about: when the receiver
learned the fact, when the attempt that got through was sent, over which channel (and medium), after how many
failed attempts, and whether the message was rerouted or went by a fallback channel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenarios.overlay import OverlayError, apply_variant_data
from scenarios.variants import Variant
from simulator.formatting import minutes
from simulator.logcheck import read_tabletop_log

CHAIN_KINDS = frozenset(
    {
        "FactLearned",
        "FactCorrected",
        "MessageSent",
        "MessageArrived",
        "MessageFailed",
        "MessageFellBack",
        "MessageRerouted",
        "MessageTaken",
        "MilestoneReached",
        "LockdownStarted",
        "LockdownCompleted",
        "EvacuationStarted",
        "EvacuationCompleted",
        "UnitsLeft",
        "UnitsRedirected",
        "UnitsArrived",
        "UnitsStaged",
        "EngagementStarted",
        "ThreatNeutralised",
        "ThreatEnded",
        "DecisionTaken",
        "InjectDelivered",
    }
)
"""The kinds of record a chain is built from (a log's background work is left out when it is read)."""

# An event milestone's record kind, the trigger fields it is matched on (trigger key -> record key), who acted.
_EVENTS: Mapping[str, tuple[str, Mapping[str, str], str]] = {
    "lockdown_complete": ("LockdownCompleted", {"site": "site"}, "by"),
    "evacuation_complete": ("EvacuationCompleted", {"site": "site"}, "by"),
    "units_arrived": ("UnitsArrived", {"site": "site", "stakeholder": "stakeholder"}, "stakeholder"),
    "units_staged": ("UnitsStaged", {"site": "site", "stakeholder": "stakeholder"}, "stakeholder"),
    "threat_engaged": ("EngagementStarted", {"site": "site", "stakeholder": "by", "phase": "phase"}, "by"),
    "threat_neutralised": ("ThreatNeutralised", {}, "by"),
    "threat_ended": ("ThreatEnded", {"outcome": "outcome"}, "by"),
    "decision_taken": ("DecisionTaken", {"decision": "decision", "option": "option"}, "stakeholder"),
    "inject_delivered": ("InjectDelivered", {"inject": "inject"}, "to"),
}
# Where an action began, for the records whose action took time: (kind, fields that must match the end's).
_STARTS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "LockdownCompleted": (("LockdownStarted",), ("site", "by")),
    "EvacuationCompleted": (("EvacuationStarted",), ("site", "by")),
    "UnitsArrived": (("UnitsLeft", "UnitsRedirected"), ("site", "stakeholder")),
    "UnitsStaged": (("UnitsLeft", "UnitsRedirected"), ("site", "stakeholder")),
}

Record = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Link:
    """One step of a chain: `receiver` learned `fact` at `t`, from `sender` over `channel` (None at the origin)."""

    t: float
    """When the receiver learned the fact (simulation seconds from T0)."""
    sent_t: float | None
    """When the attempt that got through was sent (None at the origin)."""
    sender: str | None
    """The stakeholder that sent it (None at the origin)."""
    receiver: str
    fact: str
    channel: str | None
    medium: str | None
    """The channel's medium, from the scenario copied in the log (None at the origin)."""
    attempts: int = 0
    """How many attempts of this message failed before the one that got through."""
    rerouted: bool = False
    """The message reached another receiver than the one its sender meant."""
    fell_back: bool = False
    """The message went by a fallback channel after its first channel failed."""
    origin: str | None = None
    """At the origin, where the fact came from: `inject ID`, `observation of PHASE`, `its own declaration`."""
    arrived_t: float | None = None
    """When the message arrived at the receiver (None at the origin, or when its arrival is not in the log)."""
    taken_t: float | None = None
    """When a call taker of the receiver took it, for a receiver with an intake time (a control room): it waited
    from its arrival for a free call taker, then the intake took until `t`. None when nobody had to take it."""

    def timing(self) -> list[str]:
        """Where the minutes went, in words, each time `mm:ss` from T0 as shown elsewhere: `sent 01:52`, `arrived
        02:02`, `waited 04:07 for a call taker`, `taken 06:09`, `learned 06:48` (the waits are the differences of
        the times shown). Empty at the origin."""
        if self.channel is None and self.sent_t is None and self.arrived_t is None:
            return []
        out = [] if self.sent_t is None else [f"sent {minutes(self.sent_t)}"]
        if self.arrived_t is not None:
            out.append(f"arrived {minutes(self.arrived_t)}")
        if self.taken_t is not None:
            if self.arrived_t is not None and int(self.taken_t) > int(self.arrived_t):
                out.append(f"waited {minutes(float(int(self.taken_t) - int(self.arrived_t)))} for a call taker")
            out.append(f"taken {minutes(self.taken_t)}")
        out.append(f"learned {minutes(self.t)}")
        return out


@dataclass(frozen=True, slots=True)
class Chain:
    """The chain of messages to a milestone in one run, origin first."""

    links: tuple[Link, ...]
    actor: str | None = None
    """For an event milestone, the organisation that acted (its chain is what it acted on)."""
    reason: str | None = None
    """Why there is no chain (or why it stops short), in words."""


def message_chain(records: Sequence[Record], milestone: str, header: Mapping[str, Any]) -> Chain:
    """The chain of messages that led to `milestone` in a run (see the module's rule).

    Args:
        records: the run's records in log order (at least those of `CHAIN_KINDS`).
        milestone: a milestone id.
        header: the run log's header (its scenario names the milestone's definition and the channels' media).
    """
    definitions = _milestones(header)
    media = {str(c.get("id")): str(c["medium"]) for c in _section(header, "channels") if "medium" in c}
    return _Chains(records, definitions, media).of(milestone, set())


class _Chains:
    def __init__(self, records: Sequence[Record], definitions: dict[str, dict[str, Any]], media: dict[str, str]):
        self.records = records
        self.definitions = definitions
        self.media = media
        self.reached = {r["milestone"]: index for index, r in enumerate(records) if r["kind"] == "MilestoneReached"}

    def of(self, milestone: str, seen: set[str]) -> Chain:
        definition = self.definitions.get(milestone)
        at = self.reached.get(milestone)
        if at is None:
            return Chain((), reason="not reached in this run")
        if definition is None:
            return Chain((), reason="the milestone is not in the scenario copied in the log")
        if definition.get("all_of") and milestone not in seen:
            parts = [m for m in definition["all_of"] if m in self.reached and self.reached[m] < at]
            if not parts:
                return Chain((), reason="none of its milestones was reached before it")
            last = max(parts, key=self.reached.__getitem__)
            inner = self.of(last, seen | {milestone})
            name = self.definitions.get(last, {}).get("name", last)
            return Chain(
                inner.links, inner.actor, f"completed by {name}" + (f"; {inner.reason}" if inner.reason else "")
            )
        when = definition.get("when") or {}
        event = when.get("event", "fact_learned")
        if event == "fact_learned":
            return self._fact_milestone(when, at)
        if event == "fact_corrected":
            return self._correction_milestone(when, at)
        if event == "milestone_reached":
            inner = self.of(str(when.get("milestone")), seen | {milestone})
            return Chain(inner.links, inner.actor, inner.reason)
        if event in _EVENTS:
            return self._event_milestone(event, when, at)
        if event == "start":
            return Chain((), reason="reached at the start of the run")
        return Chain((), reason="reached by the threat's own course, not by a message")

    def _fact_milestone(self, when: Mapping[str, Any], at: int) -> Chain:
        fact, stakeholder = when.get("fact"), when.get("stakeholder")
        learned = self._last(
            at,
            lambda r: r["kind"] == "FactLearned" and r["fact"] == fact and stakeholder in (None, r["stakeholder"]),
        )
        if learned is None:
            return Chain((), reason="no organisation learned the fact before the milestone (a correction reached it)")
        return Chain(self._back_from(learned))

    def _correction_milestone(self, when: Mapping[str, Any], at: int) -> Chain:
        """The chain of the fact that corrected `when`'s fact at the stakeholder (the news that set it right)."""
        fact, stakeholder = when.get("fact"), when.get("stakeholder")
        corrected = self._last(
            at,
            lambda r: r["kind"] == "FactCorrected" and r["fact"] == fact and stakeholder in (None, r["stakeholder"]),
        )
        if corrected is None:
            return Chain((), reason="the correction is not in the log")
        by_fact, who = self.records[corrected]["by_fact"], self.records[corrected]["stakeholder"]
        learned = self._last(
            corrected + 1, lambda r: r["kind"] == "FactLearned" and r["fact"] == by_fact and r["stakeholder"] == who
        )
        if learned is None:
            return Chain((), reason="how the correction was learned is not in the log")
        return Chain(self._back_from(learned), reason=f"corrected by {by_fact}")

    def _event_milestone(self, event: str, when: Mapping[str, Any], at: int) -> Chain:
        kind, fields, actor_field = _EVENTS[event]
        index = self._last(
            at,
            lambda r: r["kind"] == kind and all(when.get(k) in (None, r.get(f)) for k, f in fields.items()),
        )
        if index is None:
            return Chain((), reason="the event that reached it is not in the log")
        actor = self.records[index].get(actor_field)
        if actor is None:
            return Chain((), reason="no organisation acted for it")
        start = self._start_of(index)
        learned = self._last(start + 1, lambda r: r["kind"] == "FactLearned" and r["stakeholder"] == actor)
        if learned is None:
            return Chain((), actor=str(actor), reason="it had learned nothing before it acted")
        return Chain(self._back_from(learned), actor=str(actor))

    def _start_of(self, index: int) -> int:
        """The index of the record where the action that ended with the record at `index` began."""
        record = self.records[index]
        kinds, same = _STARTS.get(str(record["kind"]), ((), ()))
        start = self._last(index, lambda r: r["kind"] in kinds and all(r.get(f) == record.get(f) for f in same))
        return index if start is None else start

    def _last(self, before: int, test: Callable[[Record], bool]) -> int | None:
        """The index of the last record before index `before` that passes `test`."""
        for index in range(min(before, len(self.records)) - 1, -1, -1):
            if test(self.records[index]):
                return index
        return None

    def _back_from(self, learned: int) -> tuple[Link, ...]:
        """The links from the origin of a fact to the stakeholder that learned it in the FactLearned at `learned`."""
        links: list[Link] = []
        seen: set[str] = set()
        current: int | None = learned
        while current is not None and self.records[current]["stakeholder"] not in seen:
            seen.add(self.records[current]["stakeholder"])
            link, previous = self._link(current)
            links.append(link)
            current = previous
        return tuple(reversed(links))

    def _link(self, index: int) -> tuple[Link, int | None]:
        """The link of the FactLearned at `index`, and the index of the sender's own FactLearned of the fact (None at
        the origin)."""
        learned = self.records[index]
        fact, receiver, source = learned["fact"], learned["stakeholder"], str(learned["source"])
        origin = _origin(source)
        if origin is not None:
            return Link(learned["t"], None, None, receiver, fact, None, None, origin=origin), None

        def about(kind: str) -> Callable[[Record], bool]:
            return lambda r: (
                r["kind"] == kind and r["fact"] == fact and r["sender"] == source and r["receiver"] == receiver
            )

        at = self._last(index, about("MessageArrived"))
        if at is None:  # a message whose records were left out
            link = Link(learned["t"], None, source, receiver, fact, None, None)
        else:
            arrived = self.records[at]
            sent_at = self._last(at, lambda r: about("MessageSent")(r) and r["channel"] == arrived["channel"])
            sent = None if sent_at is None else self.records[sent_at]
            between = self.records[self._message_start(source, receiver, fact, at) : at]
            mine = [r for r in between if about_message(r, source, fact)]
            fell_back = [r for r in mine if r["kind"] == "MessageFellBack" and r["receiver"] == receiver]
            # Failed attempts to this receiver, and those on a channel that fell back to it (meant for another).
            first_channels = {r["channel"] for r in fell_back}
            failed = sum(
                1
                for r in mine
                if r["kind"] == "MessageFailed" and (r["receiver"] == receiver or r["channel"] in first_channels)
            )
            taken_at = self._last(
                index,
                lambda r: (
                    r["kind"] == "MessageTaken"
                    and r["stakeholder"] == receiver
                    and r["fact"] == fact
                    and r["sender"] == source
                ),
            )
            taken = None if taken_at is None or taken_at < at else self.records[taken_at]
            link = Link(
                learned["t"],
                None if sent is None else sent["t"],
                source,
                receiver,
                fact,
                arrived["channel"],
                self.media.get(arrived["channel"]),
                attempts=failed,
                rerouted=any(r["kind"] == "MessageRerouted" and r["receiver"] == receiver for r in mine),
                fell_back=bool(fell_back),
                arrived_t=arrived["t"],
                taken_t=None if taken is None else taken["t"],
            )
        previous = self._last(
            index, lambda r: r["kind"] == "FactLearned" and r["stakeholder"] == source and r["fact"] == fact
        )
        return link, previous

    def _message_start(self, sender: str, receiver: str, fact: str, before: int) -> int:
        """Where the message that arrived at `before` began: after the previous arrival of the same message (sender,
        receiver and fact), or from the start."""
        for index in range(before - 1, -1, -1):
            r = self.records[index]
            if r["kind"] == "MessageArrived" and r["receiver"] == receiver and about_message(r, sender, fact):
                return index + 1
        return 0


def about_message(record: Record, sender: str, fact: str) -> bool:
    """Whether a message record is about `sender`'s message of `fact`."""
    return bool(record.get("sender") == sender and record.get("fact") == fact)


def _origin(source: str) -> str | None:
    """Where a fact came from when no stakeholder sent it (None: a stakeholder did)."""
    if source.startswith("inject:"):
        return f"inject {source.removeprefix('inject:')}"
    if source.startswith("observation:"):
        return f"observation of {source.removeprefix('observation:')}"
    if source == "self":
        return "its own declaration"
    return None


def _section(header: Mapping[str, Any], section: str) -> list[dict[str, Any]]:
    scenario = header.get("scenario")
    items = scenario.get(section) if isinstance(scenario, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _milestones(header: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The milestones' definitions of the run's scenario, with its variant applied."""
    scenario = header.get("scenario")
    variant_id = header.get("variant")
    if isinstance(scenario, dict) and variant_id:
        variant = next((v for v in _section(header, "variants") if v.get("id") == variant_id), None)
        if variant is not None:
            try:
                applied = apply_variant_data(scenario, Variant.model_validate(variant))
                header = {"scenario": applied}
            except (OverlayError, ValueError):
                pass  # the base scenario's definitions, then (the log's own check would refuse such a copy)
    return {str(m["id"]): m for m in _section(header, "milestones") if "id" in m}


@dataclass(frozen=True, slots=True)
class RunChains:
    """The chains of several runs' logs (read once), for a compare screen's selected milestone."""

    headers: tuple[Mapping[str, Any], ...]
    records: tuple[tuple[Record, ...], ...]
    names: Mapping[str, str]
    """Stakeholders' names (by id), from the first run's scenario."""
    facts: Mapping[str, str] = field(default_factory=dict)
    """Facts' descriptions (by id), from the first run's scenario."""
    media: Mapping[str, str] = field(default_factory=dict)
    """Channels' media (by id), from the first run's scenario."""

    @classmethod
    def read(cls, paths: Sequence[Path]) -> RunChains:
        """Read the records chains are made of from each log.

        Raises:
            RunLogError: a file is not a run log of Tabletop, or was altered.
        """
        logs = [read_tabletop_log(path, keep=lambda r: r["kind"] in CHAIN_KINDS) for path in paths]
        names = (
            {str(s["id"]): str(s.get("name", s["id"])) for s in _section(logs[0].header, "stakeholders")}
            if logs
            else {}
        )
        first = logs[0].header if logs else {}
        facts = {str(f["id"]): str(f.get("description", f["id"])) for f in _section(first, "facts") if "id" in f}
        media = {str(c["id"]): str(c["medium"]) for c in _section(first, "channels") if "id" in c and "medium" in c}
        return cls(tuple(log.header for log in logs), tuple(tuple(log.records) for log in logs), names, facts, media)

    def of(self, milestone: str) -> list[Chain]:
        """Each run's chain to `milestone`."""
        return [
            message_chain(records, milestone, header)
            for records, header in zip(self.records, self.headers, strict=True)
        ]

    def name(self, item: str | None) -> str:
        """A stakeholder's name (any other id as it is)."""
        return "?" if item is None else self.names.get(item, item)

    def fact(self, fact: str) -> str:
        """A fact as participants read it (its description; its id when the scenario does not describe it)."""
        return self.facts.get(fact, fact)

    def link_text(self, link: Link) -> str:
        """A link in words, by names: `Community security team → Police control room (110) by phone: An armed
        person ...`, or at the origin `Community security team learns, from observation of the threat's approach
        phase: ...`."""
        if link.channel is None:
            origin = link.origin or "?"
            if origin.startswith("observation of "):
                origin = f"observation of the threat's {origin.removeprefix('observation of ')} phase"
            return f"{self.name(link.receiver)} learns, from {origin}: {self.fact(link.fact)}"
        how = link.medium or self.media.get(link.channel) or link.channel
        return f"{self.name(link.sender)} → {self.name(link.receiver)} by {how}: {self.fact(link.fact)}"
