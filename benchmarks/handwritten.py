"""Hand-written SimPy baselines: the same message flows as the engine plays, coded directly on plain simpy + random.

These are the *lower bounds*: what an engineer would write for one scenario without Tabletop: no scenario files, no
records, no event bus, one `random.Random` per run, a timeout per delay and per message hop (delivered by a
callback, as the engine does), a counter and a FIFO of callbacks for a pool of units. `benchmarks.same_output` and
`benchmarks.synagogue_model` add what the engine's contract produces (records, per-entity streams).

- `play_network` plays a `benchmarks.network.Network` (the warning cascade).
- `play_synagogue` plays the bundled `synagogue-holiday-attack` scenario's base variant with default decisions
  (`benchmarks.synagogue_model.play_lower_bound`).

Both drive the environment with the same loop as `Exercise.advance_to` (`env.step()` while the next event is due),
so that the SimPy events each side processes can be counted and compared.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import partial

import simpy

from benchmarks import network as net

Z90 = 1.2815515655446004
"""The 90th percentile of the standard normal distribution."""


@dataclass(frozen=True, slots=True)
class Played:
    """What one hand-written run did."""

    hops: int
    """Messages that reached their receiver."""
    events: int
    """SimPy events processed."""
    milestones: dict[str, float]
    """Milestones reached, with their times."""
    harm: float
    """Harm accumulated (exposure-minutes)."""


def drive(env: simpy.Environment, until: float) -> int:
    """Process every event up to `until`; return how many were processed."""
    steps = 0
    while env.peek() <= until:
        env.step()
        steps += 1
    return steps


def lognormal(rng: random.Random, median: float, p90: float) -> float:
    """A lognormal draw given its median and 90th percentile."""
    mu = math.log(median)
    return rng.lognormvariate(mu, (math.log(p90) - mu) / Z90)


# --- the network ----------------------------------------------------------------------------------------------


def play_network(network: net.Network, seed: int, out: dict[str, list[net.Link]] | None = None) -> Played:
    """Play the warning cascade of `network` once.

    Args:
        network: The generated network.
        seed: The run's seed.
        out: `network.out_links()`, computed once for many runs.
    """
    out = network.out_links() if out is None else out
    env = simpy.Environment()
    rng = random.Random(seed)
    guard_site = network.guard_site()
    warned: set[str] = set()
    milestones: dict[str, float] = {"attack-starts": 0.0}
    hops = 0
    mu = math.log(net.GUARD_LINK_MEDIAN_S)
    sigma = (math.log(net.GUARD_LINK_P90_S) - mu) / Z90
    first_site, first_control = network.sites[0], network.controls[0]

    def latency(kind: str) -> float:
        if kind == "guard":
            return rng.lognormvariate(mu, sigma)
        if kind == "report":
            return rng.uniform(net.REPORT_LOW_S, net.REPORT_HIGH_S)
        return net.CONTROL_LINK_S

    def arrive(link: net.Link, _event: object) -> None:
        nonlocal hops
        hops += 1
        learn(link.receiver)

    def send(link: net.Link, _event: object) -> None:
        env.timeout(latency(link.kind)).callbacks.append(partial(arrive, link))

    def locked(site: str, _event: object) -> None:
        if site == first_site:
            milestones.setdefault("first-site-locked", env.now)

    def learn(node: str) -> None:
        if node in warned:
            return
        warned.add(node)
        site = guard_site.get(node)
        if site is None:
            if node == first_control:
                milestones.setdefault("control-warned", env.now)
            for link in out[node]:
                env.timeout(net.CONTROL_AFTER_S).callbacks.append(partial(send, link))
            return
        lockdown = rng.triangular(net.LOCKDOWN_LOW_S, net.LOCKDOWN_HIGH_S, net.LOCKDOWN_MODE_S)
        env.timeout(lockdown).callbacks.append(partial(locked, site))
        for link in out[node]:
            env.timeout(rng.uniform(0.0, net.NOTIFY_AFTER_HIGH_S)).callbacks.append(partial(send, link))

    env.timeout(net.SEEN_AFTER_S).callbacks.append(lambda _event: learn(network.origin))
    env.timeout(net.ATTACK_S)  # the attack's end: an event the engine processes too
    events = drive(env, net.DURATION_S)
    return Played(hops, events, milestones, 0.0)


# --- the synagogue --------------------------------------------------------------------------------------------


def play_synagogue(seed: int) -> Played:
    """Play the synagogue scenario (base variant, default decisions) once: the lower bound of `synagogue_model`."""
    from benchmarks.synagogue_model import play_lower_bound  # it builds on this module's `drive` and `Played`

    return play_lower_bound(seed)
