"""Drawing durations from the scenario's delays (fixed durations and distributions)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from scenarios.distributions import Empirical, Exponential, Fixed, Lognormal, Triangular, Uniform

Sampler = Callable[[random.Random], float]
"""Draws one duration in seconds, rounded to the millisecond."""

Z90 = 1.2815515655446004
"""The 90th percentile of the standard normal distribution."""


def sampler(delay: object) -> Sampler:
    """Compile a delay (seconds, or a distribution model) into a sampler.

    Durations are rounded to the millisecond, so that tiny differences between C maths libraries cannot change
    the order of events on another machine.
    """
    match delay:
        case float() | int():
            value = round(float(delay), 3)
            return lambda _rng: value
        case Fixed(value=value):
            fixed = round(value, 3)
            return lambda _rng: fixed
        case Uniform(low=low, high=high):
            # `random.uniform` and `expovariate` written out (the same arithmetic, so the same numbers): one
            # Python call less per draw.
            span = high - low
            return lambda rng: round(low + span * rng.random(), 3)
        case Triangular(low=low, mode=mode, high=high):
            if low == high:
                return lambda _rng: round(low, 3)
            return lambda rng: round(rng.triangular(low, high, mode), 3)
        case Lognormal(median=median, p90=p90):
            mu = math.log(median)
            sigma = (math.log(p90) - mu) / Z90
            return lambda rng: round(rng.lognormvariate(mu, sigma), 3)
        case Exponential(mean=mean):
            rate = 1.0 / mean
            return lambda rng: round(-math.log(1.0 - rng.random()) / rate, 3)
        case Empirical(values=values, weights=weights):
            choices = [round(v, 3) for v in values]
            cumulative = None if weights is None else _cumulative(weights)
            return lambda rng: rng.choices(choices, cum_weights=cumulative)[0]
    raise TypeError(f"not a delay: {delay!r}")


def fixed_value(delay: object) -> float | None:
    """The duration of a delay that is not random (rounded like a draw), else None."""
    match delay:
        case float() | int():
            return round(float(delay), 3)
        case Fixed(value=value):
            return round(value, 3)
        case Triangular(low=low, high=high) | Uniform(low=low, high=high) if low == high:
            return round(low, 3)
    return None


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out
