"""Expected values of the network's parts: a delay's mean, a desk's wait for a free unit, where a message ends up."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from scenarios.distributions import Empirical, Exponential, Fixed, Lognormal, Triangular, Uniform
from scenarios.network import Channel, Stakeholder
from simulator.sampling import Z90


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where one message sent on a channel arrives, how likely, and how long it takes when it does."""

    receiver: str
    """The stakeholder it reaches (the channel's own receiver, or a fallback channel's)."""
    channels: tuple[str, ...]
    """The channels it may travel to get there: the first, then the fallbacks tried on the way, in order."""
    probability: float
    """The chance it arrives at this receiver."""
    expected_s: float
    """The expected time from sending to arrival, given that it arrives here (the receiver's intake not counted)."""


def mean_delay(delay: object) -> float:
    """The exact mean, in seconds, of a delay: a duration or a distribution, drawn as `simulator.sampling` does.

    Args:
        delay: A duration in seconds, or one of the distributions of `scenarios.distributions`.

    Returns:
        The mean duration (a draw's millisecond rounding is left out).

    Raises:
        TypeError: `delay` is not a delay.
    """
    match delay:
        case bool():
            raise TypeError(f"not a delay: {delay!r}")
        case float() | int():
            return float(delay)
        case Fixed(value=value):
            return float(value)
        case Uniform(low=low, high=high):
            return (low + high) / 2
        case Triangular(low=low, mode=mode, high=high):
            return (low + mode + high) / 3
        case Lognormal(median=median, p90=p90):
            # sampling draws lognormvariate(mu = ln median, sigma = (ln p90 - mu) / z90): its mean is exp(mu + s^2/2).
            sigma = (math.log(p90) - math.log(median)) / Z90
            return float(median * math.exp(sigma * sigma / 2))
        case Exponential(mean=mean):
            return float(mean)
        case Empirical(values=values, weights=weights):
            if weights is None:
                return sum(values) / len(values)
            return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)
    raise TypeError(f"not a delay: {delay!r}")


def intake_wait(stakeholder: Stakeholder) -> tuple[float, bool]:
    """The expected wait of an incoming message for a free unit under the stakeholder's background work.

    The background work is an M/M/c queue (Erlang C): Poisson arrivals at `arrivals_per_hour / 3600` a second,
    service at rate 1 / its mean service time, `units` servers.

    Args:
        stakeholder: The receiving stakeholder.

    Returns:
        The expected wait in seconds and whether the desk is saturated (utilisation at or above 1: the wait then
        grows without bound and 0 is returned for it). (0, False) when it takes no calls (no `intake_time`) or has
        no background work.
    """
    background = stakeholder.background
    if background is None or stakeholder.intake_time is None:
        return 0.0, False
    arrival_rate = background.arrivals_per_hour / 3600.0
    service_s = mean_delay(background.service_time)
    units = stakeholder.units
    if service_s <= 0 or arrival_rate <= 0:
        return 0.0, False
    offered = arrival_rate * service_s  # a = lambda / mu, in Erlangs
    if offered / units >= 1:
        return 0.0, True
    return erlang_c(units, offered) * service_s / (units - offered), False


def erlang_c(servers: int, offered: float) -> float:
    """The chance an arrival has to wait in an M/M/c queue with `servers` servers and `offered` Erlangs (a < c).

    Computed through the Erlang B recursion, which neither overflows nor loses precision for many servers.
    """
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered * blocking / (k + offered * blocking)
    return servers * blocking / (servers - offered * (1 - blocking))


def send_outcomes(channel: Channel, channels: Mapping[str, Channel]) -> list[Outcome]:
    """Where one message sent on `channel` ends up, as `simulator._messages` plays it.

    Attempt k on a channel that retries succeeds with (1-f) f^(k-1) after k latencies and k-1 retry waits. With
    `then: fallback`, a failed attempt goes on at once (after its latency) on the fallback channel, when that is
    enabled and not already tried, and that channel's own failure policy applies in turn. Busy lines are left out.

    Args:
        channel: The channel the message is sent on.
        channels: Every channel, by id (for the fallbacks; a disabled one is not taken).

    Returns:
        One outcome per receiver it can reach, in the order they are first reached along the fallback chain; a
        receiver reached with probability 0 is left out. The probabilities sum to the chance it arrives at all.
    """
    weights: dict[str, list[float]] = {}  # receiver -> [probability, probability * time]
    routes: dict[str, list[str]] = {}
    _attempts(channel, channels, (), 0.0, (), weights, routes)
    return [
        Outcome(receiver, tuple(routes[receiver]), total, weighted / total)
        for receiver, (total, weighted) in weights.items()
        if total > 0
    ]


def _attempts(
    channel: Channel,
    channels: Mapping[str, Channel],
    tried: tuple[str, ...],
    offset_s: float,
    route: tuple[str, ...],
    weights: dict[str, list[float]],
    routes: dict[str, list[str]],
    reach: float = 1.0,
) -> None:
    """Add the arrivals of a message sent on `channel` at `offset_s` with chance `reach` of getting that far."""
    route = (*route, channel.id)
    latency = mean_delay(channel.latency)
    failure = channel.failure_probability
    policy = channel.on_failure
    attempts = policy.max_attempts if policy.then == "retry" else 1
    retry_s = mean_delay(policy.retry_after)
    known = routes.setdefault(channel.to, [])
    known.extend(c for c in route if c not in known)
    totals = weights.setdefault(channel.to, [0.0, 0.0])
    for k in range(1, attempts + 1):
        chance = reach * (1 - failure) * failure ** (k - 1)
        totals[0] += chance
        totals[1] += chance * (offset_s + k * latency + (k - 1) * retry_s)
    if policy.then != "fallback" or policy.fallback is None or failure == 0:
        return
    fallback = channels.get(policy.fallback)
    if fallback is None or not fallback.enabled or fallback.id in (*tried, channel.id):
        return
    _attempts(fallback, channels, (*tried, channel.id), offset_s + latency, route, weights, routes, reach * failure)
