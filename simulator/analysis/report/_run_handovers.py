"""The hand-overs of a run: one per (sender, receiver, fact), from the message records of its log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from simulator.analysis.report.model import Handover

Record = Mapping[str, Any]
Key = tuple[str, str, str]
"""(sender, receiver, fact)."""
Outcome = Literal["learned", "already known", "lost", "undeliverable", "in transit"]

_MESSAGE_KINDS = frozenset(
    {"MessageSent", "MessageArrived", "MessageFailed", "MessageLost", "MessageUndeliverable", "MessageRerouted"}
)


@dataclass(slots=True)
class _Message:
    """What the records of one (sender, receiver, fact) said so far."""

    first: int
    """The index of its first record (the order of hand-overs sent at the same time)."""
    sent_t: float
    channel: str | None = None
    arrived_channel: str | None = None
    arrived: bool = False
    failed: int = 0
    failed_before_arrival: int | None = None
    lost: int = 0
    sent: int = 0
    undeliverable: bool = False
    rerouted: bool = False
    fell_back: bool = False
    queue_s: float | None = None
    repeated: bool = False
    """It arrived, and the receiver knew the fact already (or held its correction)."""
    learned_t: float | None = None
    channels: list[str] = field(default_factory=list)


def handovers(
    records: Sequence[Record],
    names: Mapping[str, str],
    facts: Mapping[str, tuple[str, bool]],
    media: Mapping[str, str],
) -> tuple[Handover, ...]:
    """Every hand-over of a run, in order of its first attempt.

    Args:
        records: the run's records, in log order.
        names: stakeholders' names by id.
        facts: each fact's (description, true) by id.
        media: each channel's medium by id.
    """
    messages: dict[Key, _Message] = {}
    for index, record in enumerate(records):
        kind = record["kind"]
        if kind in _MESSAGE_KINDS:
            key = (str(record["sender"]), str(record["receiver"]), str(record["fact"]))
            message = messages.get(key)
            if message is None:
                message = messages[key] = _Message(index, float(record["t"]))
            _count(message, record)
        elif kind == "MessageFellBack":
            _fell_back(messages, record)
        elif kind == "MessageTaken":
            taken = messages.get((str(record["sender"]), str(record["stakeholder"]), str(record["fact"])))
            if taken is not None and taken.queue_s is None:
                taken.queue_s = float(record["waited_s"])
        elif kind in ("FactRepeated", "FactDisregarded"):
            repeated = messages.get((str(record["source"]), str(record["stakeholder"]), str(record["fact"])))
            if repeated is not None:
                repeated.repeated = True
        elif kind == "FactLearned":
            learned = messages.get((str(record["source"]), str(record["stakeholder"]), str(record["fact"])))
            if learned is not None and learned.learned_t is None:
                learned.learned_t = float(record["t"])
    ordered = sorted(messages.items(), key=lambda item: (item[1].sent_t, item[1].first))
    return tuple(_handover(key, message, names, facts, media) for key, message in ordered)


def _count(message: _Message, record: Record) -> None:
    kind = record["kind"]
    if kind == "MessageSent":
        message.sent += 1
        message.channel = str(record["channel"])
    elif kind == "MessageArrived":
        if not message.arrived:
            message.arrived_channel = str(record["channel"])
            message.failed_before_arrival = message.failed
        message.arrived = True
    elif kind == "MessageFailed":
        message.failed += 1
    elif kind == "MessageLost":
        message.lost += 1
    elif kind == "MessageUndeliverable":
        message.undeliverable = True
    elif kind == "MessageRerouted":
        message.rerouted = True


def _fell_back(messages: dict[Key, _Message], record: Record) -> None:
    """A failed message sent again on a fallback channel: to the same receiver it stays one hand-over; to another,
    its failed attempts move to the hand-over to that receiver (the one the message reached)."""
    sender, fact, receiver = str(record["sender"]), str(record["fact"]), str(record["receiver"])
    to_same = messages.get((sender, receiver, fact))
    meant = next(
        (
            m
            for (s, r, f), m in messages.items()
            if s == sender and f == fact and r != receiver and m.channel == record["channel"] and not m.arrived
        ),
        None,
    )
    if meant is None or to_same is not None:
        if to_same is not None:
            to_same.fell_back = True
        return
    key = next(k for k, m in messages.items() if m is meant)
    del messages[key]
    moved = _Message(meant.first, meant.sent_t, meant.channel, failed=meant.failed, fell_back=True)
    moved.rerouted = meant.rerouted
    messages[(sender, receiver, fact)] = moved


def _handover(
    key: Key,
    message: _Message,
    names: Mapping[str, str],
    facts: Mapping[str, tuple[str, bool]],
    media: Mapping[str, str],
) -> Handover:
    sender, receiver, fact = key
    text, true = facts.get(fact, (fact, True))
    channel = message.arrived_channel or message.channel
    failed = message.failed if message.failed_before_arrival is None else message.failed_before_arrival
    return Handover(
        sender=sender,
        sender_name=names.get(sender, sender),
        receiver=receiver,
        receiver_name=names.get(receiver, receiver),
        fact=fact,
        fact_text=text,
        true=true,
        channel=channel,
        medium=None if channel is None else media.get(channel),
        sent_t=message.sent_t,
        learned_t=message.learned_t,
        failed_attempts=failed,
        queue_s=message.queue_s or 0.0,
        outcome=_outcome(message),
        rerouted=message.rerouted,
        fell_back=message.fell_back,
    )


def _outcome(message: _Message) -> Outcome:
    if message.learned_t is not None:
        return "learned"
    if message.repeated:
        return "already known"
    if message.undeliverable and message.sent == 0:
        return "undeliverable"
    if message.lost and not message.arrived:
        return "lost"
    return "in transit"
