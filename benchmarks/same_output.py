"""The network's same-output baseline: the hand-written cascade, plus the engine's records and per-entity streams.

`benchmarks.handwritten.play_network` is the *lower bound*: the flow only, one `random.Random(seed)`, no records.
`play_network` here plays the same flow with the same SimPy events, and also makes what the engine makes for
every run (`benchmarks.synagogue_model` does the same for the synagogue scenario):

- one record per engine record, a plain dict `{"seq", "t", "kind", ...fields}` with the engine's kinds and fields
  and `t` rounded to the millisecond, appended to a list (the engine's in-memory sink in the benchmark);
- one random stream per entity, from the engine's own `simulator.streams.Streams(seed)(entity)`, under the entity
  names the engine uses (`channel:ID`, `rule:ID`, `lockdown:SITE`), with draws rounded to the millisecond as the
  engine's samplers round them;
- the harm, summed at the moments the engine sums it, and the objective's rating.

It is still hand-written: no scenario is read, no event bus, no interpretation of actions; each delay is a
constant or a draw written where it happens, each record a dict literal. That is what a skilled SimPy user would
write to get the engine's outputs for this one model, so the ratio against it prices the engine's generality alone.
Its records equal the engine's, in order (`tests/test_benchmark_engine.py`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Any

import simpy

from benchmarks import network as net
from benchmarks.handwritten import Z90, drive
from simulator.streams import Streams

Record = dict[str, Any]
"""One record, as the engine's in-memory sink holds it."""

LOCKED_DOWN_FACTOR = 0.1
"""Harm per occupant-minute at a locked-down site (the scenario language's default, which the network keeps)."""


@dataclass(frozen=True, slots=True)
class Output:
    """What one same-output run produced."""

    records: list[Record]
    """Every record, in order."""
    events: int
    """SimPy events processed."""
    milestones: dict[str, float]
    """Milestones reached, with their times (rounded to the millisecond)."""
    harm: float
    """Harm accumulated (exposure-minutes, rounded to 0.001)."""

    @property
    def hops(self) -> int:
        """Messages that reached their receiver."""
        return sum(1 for record in self.records if record["kind"] == "MessageArrived")


def _rating(span: float | None, performed: float, some: float, major: float) -> str:
    """An objective's letter for the time between two milestones (None: the second was never reached)."""
    if span is None:
        return "U"
    for letter, limit in (("P", performed), ("S", some), ("M", major)):
        if span <= limit:
            return letter
    return "U"


def play_network(network: net.Network, seed: int, out: dict[str, list[net.Link]] | None = None) -> Output:
    """Play the warning cascade of `network` once, making the engine's records with the engine's streams.

    Args:
        network: The generated network.
        seed: The run's seed.
        out: `network.out_links()`, computed once for many runs.
    """
    out = network.out_links() if out is None else out
    env = simpy.Environment()
    rng = Streams(seed)
    records: list[Record] = []
    append = records.append
    guard_site = network.guard_site()
    warned: set[str] = set()
    milestones: dict[str, float] = {}
    mu = math.log(net.GUARD_LINK_MEDIAN_S)
    sigma = (math.log(net.GUARD_LINK_P90_S) - mu) / Z90
    attacked, first_control = network.sites[0], network.controls[0]
    exposed = float(network.occupancy[0])
    locked: set[str] = set()
    harm = [0.0, 0.0, 0.0]  # accumulated, rate, since: summed at the same moments as the engine, so equal floats
    threat_over = [False]

    def now() -> float:
        return round(float(env.now), 3)

    def harm_changed(ending: bool = False) -> None:
        t = env.now
        harm[0] += harm[1] * (t - harm[2]) / 60.0
        harm[2] = t
        rate = 0.0
        if not ending:
            rate = exposed * (LOCKED_DOWN_FACTOR if attacked in locked else 1.0)
        if rate != harm[1]:
            harm[1] = rate
            append(
                {"seq": len(records), "t": now(), "kind": "HarmRateChanged", "rate_per_min": round(rate, 6),
                 "harm": round(harm[0], 3)}
            )  # fmt: skip

    def milestone(name: str) -> None:
        if name not in milestones:
            milestones[name] = now()
            append({"seq": len(records), "t": now(), "kind": "MilestoneReached", "milestone": name})

    def latency(link: net.Link) -> float:
        if link.kind == "guard":
            return round(rng("channel:" + link.id).lognormvariate(mu, sigma), 3)
        if link.kind == "report":
            return round(rng("channel:" + link.id).uniform(net.REPORT_LOW_S, net.REPORT_HIGH_S), 3)
        return net.CONTROL_LINK_S

    def arrive(link: net.Link, _event: object) -> None:
        append(
            {"seq": len(records), "t": now(), "kind": "MessageArrived", "channel": link.id, "sender": link.sender,
             "receiver": link.receiver, "fact": net.WARNING}
        )  # fmt: skip
        learn(link.receiver, link.sender)

    def send(link: net.Link, _event: object) -> None:
        delay = latency(link)
        append(
            {"seq": len(records), "t": now(), "kind": "MessageSent", "channel": link.id, "sender": link.sender,
             "receiver": link.receiver, "fact": net.WARNING, "attempt": 1, "latency_s": delay}
        )  # fmt: skip
        env.timeout(delay).callbacks.append(partial(arrive, link))

    def lockdown_completed(site: str, guard: str, _event: object) -> None:
        locked.add(site)
        append({"seq": len(records), "t": now(), "kind": "LockdownCompleted", "site": site, "by": guard})
        harm_changed(threat_over[0])
        if site == attacked:
            milestone("first-site-locked")

    def learn(node: str, source: str) -> None:
        if node in warned:
            append(
                {"seq": len(records), "t": now(), "kind": "FactRepeated", "stakeholder": node, "fact": net.WARNING,
                 "source": source}
            )  # fmt: skip
            return
        warned.add(node)
        append(
            {"seq": len(records), "t": now(), "kind": "FactLearned", "stakeholder": node, "fact": net.WARNING,
             "source": source, "true": True}
        )  # fmt: skip
        site = guard_site.get(node)
        if site is None:
            if out[node]:
                append(
                    {"seq": len(records), "t": now(), "kind": "RuleFired", "stakeholder": node,
                     "rule": node + "-pass-on"}
                )  # fmt: skip
            for link in out[node]:
                env.timeout(net.CONTROL_AFTER_S).callbacks.append(partial(send, link))
            if node == first_control:
                milestone("control-warned")
            return
        append({"seq": len(records), "t": now(), "kind": "RuleFired", "stakeholder": node, "rule": node + "-alert"})
        duration = round(
            rng("lockdown:" + site).triangular(net.LOCKDOWN_LOW_S, net.LOCKDOWN_HIGH_S, net.LOCKDOWN_MODE_S), 3
        )
        append(
            {"seq": len(records), "t": now(), "kind": "LockdownStarted", "site": site, "by": node,
             "duration_s": duration}
        )  # fmt: skip
        harm_changed(threat_over[0])
        env.timeout(duration).callbacks.append(partial(lockdown_completed, site, node))
        rule = rng("rule:" + node + "-alert")
        for link in out[node]:
            after = round(rule.uniform(0.0, net.NOTIFY_AFTER_HIGH_S), 3)
            if after > 0:
                env.timeout(after).callbacks.append(partial(send, link))
            else:  # a delay that rounds to 0 acts at once, as the engine's actions do (no event)
                send(link, None)

    def attack_over(_event: object) -> None:
        append({"seq": len(records), "t": now(), "kind": "ThreatPhaseEnded", "phase": net.ATTACK_PHASE})
        harm_changed(ending=True)
        threat_over[0] = True
        append(
            {"seq": len(records), "t": now(), "kind": "ThreatEnded", "harm": round(harm[0], 3), "outcome": "ended",
             "by": None}
        )  # fmt: skip

    append(
        {"seq": 0, "t": 0.0, "kind": "RunStarted", "scenario": network.scenario_id, "variant": None, "seed": seed}
    )  # fmt: skip
    append(
        {"seq": 1, "t": 0.0, "kind": "ThreatPhaseStarted", "phase": net.ATTACK_PHASE, "phase_kind": "attack",
         "site": attacked, "duration_s": net.ATTACK_S}
    )  # fmt: skip
    harm_changed()
    env.timeout(net.SEEN_AFTER_S).callbacks.append(lambda _event: learn(network.origin, "observation:attack"))
    milestone("attack-starts")
    env.timeout(net.ATTACK_S).callbacks.append(attack_over)
    events = drive(env, net.DURATION_S)
    env_now = net.DURATION_S  # the engine moves the clock to the end of the run after the last event
    env._now = env_now
    total = round(harm[0] + harm[1] * (env_now - harm[2]) / 60.0, 3)
    warned_at = milestones.get("control-warned")
    span = None if warned_at is None else warned_at - milestones["attack-starts"]
    append(
        {"seq": len(records), "t": round(env_now, 3), "kind": "RunEnded", "step": events, "exact_t": env_now,
         "harm": total, "milestones": dict(sorted(milestones.items())),
         "ratings": {"control-warned-fast": _rating(span, 300.0, 600.0, 1200.0)}}
    )  # fmt: skip
    return Output(records, events, milestones, total)
