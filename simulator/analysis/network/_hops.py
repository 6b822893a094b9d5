"""The alert's hops: who passes it to whom, on which channels, how likely and how long each hop takes."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scenarios.network import Channel, Stakeholder
from simulator.analysis.network.expected import intake_wait, mean_delay, send_outcomes
from simulator.analysis.network.model import Hop


@dataclass(frozen=True, slots=True)
class Network:
    """The network left for an analysis: the stakeholders kept, every channel (the removed ones disabled)."""

    stakeholders: Mapping[str, Stakeholder]
    """The stakeholders kept, by id (sorted)."""
    channels: Mapping[str, Channel]
    """Every channel of the scenario by id (sorted); removed ones and those of removed stakeholders disabled."""
    hops: Mapping[str, tuple[Hop, ...]]
    """Each kept stakeholder's best hop to each receiver it can reach, by receiver id."""
    waits: Mapping[str, tuple[float, bool]]
    """Each kept stakeholder's `intake_wait`."""
    fed: frozenset[str]
    """The kept stakeholders that some enabled channel from another kept stakeholder leads to."""
    pairs: Mapping[tuple[str, str], tuple[str, ...]]
    """The enabled channels from each sender to each receiver, by id: `notify` takes the first (sorted pairs)."""

    def enabled(self) -> list[Channel]:
        """The enabled channels, by id."""
        return [c for c in self.channels.values() if c.enabled]


def build(stakeholders: Iterable[Stakeholder], channels: Mapping[str, Channel]) -> Network:
    """Work out every hop of the network: `channels` already has the removed channels disabled."""
    kept = {s.id: s for s in sorted(stakeholders, key=lambda s: s.id)}
    ordered = {cid: channels[cid] for cid in sorted(channels)}
    waits = {sid: intake_wait(s) for sid, s in kept.items()}
    intake = {sid: (0.0 if s.intake_time is None else mean_delay(s.intake_time)) for sid, s in kept.items()}
    # notify without `via` takes the first enabled channel from sender to receiver, by id.
    pairs: dict[tuple[str, str], list[str]] = {}
    fed: set[str] = set()
    for channel in ordered.values():
        if not channel.enabled or channel.from_ == channel.to:
            continue
        if channel.from_ in kept and channel.to in kept:
            pairs.setdefault((channel.from_, channel.to), []).append(channel.id)
            fed.add(channel.to)
    first = {pair: ordered[ids[0]] for pair, ids in sorted(pairs.items())}
    best: dict[str, dict[str, Hop]] = {sid: {} for sid in kept}
    for (sender, _receiver), channel in first.items():
        for outcome in send_outcomes(channel, ordered):
            if outcome.receiver == sender or outcome.receiver not in kept:
                continue
            hop = Hop(
                sender,
                outcome.receiver,
                outcome.channels,
                outcome.expected_s + intake[outcome.receiver] + waits[outcome.receiver][0],
                outcome.probability,
            )
            known = best[sender].get(outcome.receiver)
            if known is None or _better(hop, known):
                best[sender][outcome.receiver] = hop
    hops = {sid: tuple(by_receiver[r] for r in sorted(by_receiver)) for sid, by_receiver in best.items()}
    notify = {pair: tuple(ids) for pair, ids in sorted(pairs.items())}
    return Network(kept, ordered, hops, waits, frozenset(fed), notify)


def _better(hop: Hop, other: Hop) -> bool:
    """The faster hop, then the likelier, then the one on the channels first by id."""
    return (hop.expected_s, -hop.probability, hop.channels) < (other.expected_s, -other.probability, other.channels)


def fastest(network: Network, origins: Iterable[str]) -> dict[str, tuple[float, Hop | None]]:
    """Dijkstra from the origins on the hops' expected times: each reached stakeholder's time and its last hop.

    Equal times are settled in order of stakeholder id, and a later path of equal length never replaces the
    first one found, so that the result does not depend on anything but the ids.
    """
    settled: dict[str, tuple[float, Hop | None]] = {}
    tentative: dict[str, tuple[float, Hop | None]] = {}
    heap: list[tuple[float, str]] = []
    for origin in sorted(set(origins)):
        tentative[origin] = (0.0, None)
        heap.append((0.0, origin))
    heapq.heapify(heap)
    while heap:
        time_s, stakeholder = heapq.heappop(heap)
        if stakeholder in settled or tentative[stakeholder][0] != time_s:
            continue
        settled[stakeholder] = tentative[stakeholder]
        for hop in network.hops.get(stakeholder, ()):
            if hop.receiver in settled:
                continue
            arrival = time_s + hop.expected_s
            known = tentative.get(hop.receiver)
            if known is None or arrival < known[0]:
                tentative[hop.receiver] = (arrival, hop)
                heapq.heappush(heap, (arrival, hop.receiver))
    return settled


def path_to(stakeholder: str, settled: Mapping[str, tuple[float, Hop | None]]) -> tuple[Hop, ...]:
    """The hops of the fastest path from an origin to a reached stakeholder (empty at an origin)."""
    hops: list[Hop] = []
    hop = settled[stakeholder][1]
    while hop is not None:
        hops.append(hop)
        hop = settled[hop.sender][1]
    return tuple(reversed(hops))
