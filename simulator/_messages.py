"""Messages on channels: choosing the receiver and the channel, busy lines, latency, failure, call taking."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from scenarios.network import Channel
from scenarios.playbook import (
    Notify,
)
from simulator._state import WorldState
from simulator._units import UnitPool


@dataclass(slots=True)
class _Message:
    fact: str
    sender: str
    receiver: str
    attempt: int = 1
    tried: tuple[str, ...] = ()
    """Channels this message has already failed on (a fallback never leads back to one: no endless loop)."""


def _about(message: _Message, channel: Channel) -> dict[str, str]:
    """The fields every record of a message attempt carries."""
    return {"channel": channel.id, "sender": message.sender, "receiver": message.receiver, "fact": message.fact}


class Messaging(WorldState):
    """How a fact travels from one stakeholder to another."""

    def notify(self, sender: str, action: Notify, stream: str) -> None:
        """Send a fact: choose the receiver (alternatives), then the channel, then transmit."""
        receiver = action.to
        if action.alternatives:
            draw = self.rng(stream).random()
            total = 0.0
            for alternative in action.alternatives:
                total += alternative.probability
                if draw < total:
                    self.record(
                        "MessageRerouted", sender=sender, intended=action.to, receiver=alternative.to, fact=action.fact
                    )
                    receiver = alternative.to
                    break
        channel = self._channel(sender, receiver, action.via if receiver == action.to else None)
        message = _Message(action.fact, sender, receiver)
        if channel is None:
            self.record("MessageUndeliverable", sender=sender, receiver=receiver, fact=action.fact)
            return
        self._send(message, channel)

    def _channel(self, sender: str, receiver: str, via: str | None) -> Channel | None:
        if via is not None:
            channel = self.channels[via]
            return channel if channel.enabled else None
        if not self.graph.has_edge(sender, receiver):
            return None
        return self.channels[self.graph.edges[sender, receiver]["channels"][0]]

    def _send(self, message: _Message, channel: Channel) -> None:
        line = self.line.get(channel.id)
        if line is None:
            self._transmit(message, channel, None)
        else:
            line.request(partial(self._transmit, message, channel, line))

    def _transmit(self, message: _Message, channel: Channel, line: UnitPool | None) -> None:
        stream = f"channel:{channel.id}"
        latency = self.sample(channel.latency, stream)
        failed = channel.failure_probability > 0 and self.rng(stream).random() < channel.failure_probability
        self.record("MessageSent", **_about(message, channel), attempt=message.attempt, latency_s=latency)
        self.later(latency, partial(self._transmitted, message, channel, line, failed))

    def _transmitted(self, message: _Message, channel: Channel, line: UnitPool | None, failed: bool) -> None:
        self._delivered_or_failed(message, channel, failed)
        # The line frees once this attempt is dealt with, so its arrival is recorded before the next send.
        if line is not None:
            line.release()

    def _delivered_or_failed(self, message: _Message, channel: Channel, failed: bool) -> None:
        if not failed:
            self.record("MessageArrived", **_about(message, channel))
            self._intake(message)
            return
        self.record("MessageFailed", **_about(message, channel), attempt=message.attempt)
        policy = channel.on_failure
        if policy.then == "retry" and message.attempt < policy.max_attempts:
            message.attempt += 1
            delay = self.sample(policy.retry_after, f"channel:{channel.id}")
            self.later(delay, partial(self._send, message, channel))
        elif (
            policy.then == "fallback"
            and policy.fallback is not None
            and self.channels[policy.fallback].enabled
            and policy.fallback not in (*message.tried, channel.id)
        ):
            fallback = self.channels[policy.fallback]
            self.record(
                "MessageFellBack",
                channel=channel.id,
                fallback=fallback.id,
                fact=message.fact,
                sender=message.sender,
                receiver=fallback.to,
            )
            tried = (*message.tried, channel.id)
            self._send(_Message(message.fact, message.sender, fallback.to, tried=tried), fallback)
        else:
            self.record("MessageLost", **_about(message, channel))

    def _intake(self, message: _Message) -> None:
        receiver = self.stakeholders[message.receiver]
        if receiver.intake_time is None:
            self.learn(message.receiver, message.fact, message.sender)
            return
        units = self.units[receiver.id]
        arrived = self.env.now

        def taken() -> None:
            duration = self.sample(receiver.intake_time, f"intake:{receiver.id}")
            self.record(
                "MessageTaken",
                stakeholder=receiver.id,
                fact=message.fact,
                sender=message.sender,
                waited_s=round(self.env.now - arrived, 3),
                intake_s=duration,
            )

            def understood() -> None:
                self.learn(message.receiver, message.fact, message.sender)
                units.release()

            self.later(duration, understood)

        units.request(taken)
