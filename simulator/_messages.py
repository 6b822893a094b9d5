"""Messages on channels: choosing the receiver and the channel, busy lines, latency, failure, call taking."""

from __future__ import annotations

from functools import partial

from scenarios.network import Stakeholder
from scenarios.playbook import Notify
from simulator._compiled import ChannelPlan
from simulator._state import WorldState
from simulator._units import UnitPool


class _Message:
    """One message on its way: what it carries, and the attempt under way (its channel, line, fate)."""

    __slots__ = ("attempt", "fact", "failed", "line", "plan", "receiver", "sender", "tried")

    def __init__(self, fact: str, sender: str, receiver: str, tried: tuple[str, ...] = ()) -> None:
        self.fact = fact
        self.sender = sender
        self.receiver = receiver
        self.attempt = 1
        self.tried = tried
        """Channels this message has already failed on (a fallback never leads back to one: no endless loop)."""
        self.plan: ChannelPlan | None = None
        """The channel of the attempt under way."""
        self.line: UnitPool | None = None
        """The busy line it holds, if the channel has a capacity."""
        self.failed = False
        """Whether the attempt under way fails."""


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
        via = action.via if receiver == action.to else None
        if via is not None:
            plan = self.compiled.plans[via]
            found = plan if plan.channel.enabled else None
        else:
            found = self.compiled.routes.get((sender, receiver))
        if found is None:
            self.record("MessageUndeliverable", sender=sender, receiver=receiver, fact=action.fact)
            return
        self._send(_Message(action.fact, sender, receiver), found)

    def _send(self, message: _Message, plan: ChannelPlan, _event: object = None) -> None:
        """Send an attempt on `plan`'s channel (a retry's timeout calls it with its event)."""
        message.plan = plan
        line = message.line = self.line.get(plan.channel.id)
        if line is None:
            self._transmit(message)
        else:
            line.request(partial(self._transmit, message))

    def _transmit(self, message: _Message) -> None:
        plan = message.plan
        assert plan is not None
        channel = plan.channel
        stream = plan.stream
        # `draw`, written out: this runs for every message.
        fixed, draw = plan.latency
        if fixed is None:
            rng = self.streams.get(stream)
            latency = draw(self.rng(stream) if rng is None else rng)
        else:
            latency = fixed
        probability = channel.failure_probability
        message.failed = probability > 0 and self.rng(stream).random() < probability
        self.record_fields(
            {"seq": 0, "t": 0.0, "kind": "MessageSent", "channel": channel.id, "sender": message.sender,
             "receiver": message.receiver, "fact": message.fact, "attempt": message.attempt, "latency_s": latency}
        )  # fmt: skip
        self.env.timeout(latency).callbacks.append(partial(self._transmitted, message))

    def _transmitted(self, message: _Message, _event: object) -> None:
        line = message.line
        if message.failed:
            self._delivered_or_failed(message)
        else:
            self.record_fields(
                {"seq": 0, "t": 0.0, "kind": "MessageArrived", "channel": message.plan.channel.id,  # type: ignore[union-attr]
                 "sender": message.sender, "receiver": message.receiver, "fact": message.fact}
            )  # fmt: skip
            receiver = self.stakeholders[message.receiver]
            if receiver.intake_time is None:
                self.learn(message.receiver, message.fact, message.sender)
            else:
                self._intake(message, receiver)
        # The line frees once this attempt is dealt with, so its arrival is recorded before the next send.
        if line is not None:
            line.release()

    def _delivered_or_failed(self, message: _Message) -> None:
        plan = message.plan
        assert plan is not None
        channel = plan.channel
        if not message.failed:
            self.record(
                "MessageArrived",
                channel=channel.id,
                sender=message.sender,
                receiver=message.receiver,
                fact=message.fact,
            )
            receiver = self.stakeholders[message.receiver]
            if receiver.intake_time is None:
                self.learn(message.receiver, message.fact, message.sender)
            else:
                self._intake(message, receiver)
            return
        self.record(
            "MessageFailed",
            channel=channel.id,
            sender=message.sender,
            receiver=message.receiver,
            fact=message.fact,
            attempt=message.attempt,
        )
        policy = channel.on_failure
        if policy.then == "retry" and message.attempt < policy.max_attempts:
            message.attempt += 1
            delay = self.draw(plan.retry_after, plan.stream)
            self.env.timeout(delay).callbacks.append(partial(self._send, message, plan))
        elif (
            policy.then == "fallback"
            and policy.fallback is not None
            and self.channels[policy.fallback].enabled
            and policy.fallback not in (*message.tried, channel.id)
        ):
            fallback = self.compiled.plans[policy.fallback]
            self.record(
                "MessageFellBack",
                channel=channel.id,
                fallback=fallback.channel.id,
                fact=message.fact,
                sender=message.sender,
                receiver=fallback.channel.to,
            )
            tried = (*message.tried, channel.id)
            self._send(_Message(message.fact, message.sender, fallback.channel.to, tried=tried), fallback)
        else:
            self.record(
                "MessageLost", channel=channel.id, sender=message.sender, receiver=message.receiver, fact=message.fact
            )

    def _intake(self, message: _Message, receiver: Stakeholder) -> None:
        """A call taker of `receiver` takes the message (it waits for one if all are busy), then it learns."""
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
