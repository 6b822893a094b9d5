"""The alert's hops: who passes it to whom, on which channels, how likely and how long each hop takes."""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable, Mapping
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
    """The enabled channels from each sender to each receiver, fastest first (`ranked_channels`): the alert takes
    the first, and the next when the first is lost (sorted pairs)."""

    def enabled(self) -> list[Channel]:
        """The enabled channels, by id."""
        return [c for c in self.channels.values() if c.enabled]


def build(stakeholders: Iterable[Stakeholder], channels: Mapping[str, Channel]) -> Network:
    """Work out every hop of the network: `channels` already has the removed channels disabled."""
    kept = {s.id: s for s in sorted(stakeholders, key=lambda s: s.id)}
    ordered = {cid: channels[cid] for cid in sorted(channels)}
    waits = {sid: intake_wait(s) for sid, s in kept.items()}
    intake = {sid: (0.0 if s.intake_time is None else mean_delay(s.intake_time)) for sid, s in kept.items()}
    pairs = ranked_channels(ordered, kept)
    fed = {receiver for _sender, receiver in pairs}
    first = {pair: ordered[ids[0]] for pair, ids in pairs.items()}
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
    return Network(kept, ordered, hops, waits, frozenset(fed), pairs)


def ranked_channels(channels: Mapping[str, Channel], kept: Collection[str]) -> dict[tuple[str, str], tuple[str, ...]]:
    """The enabled channels from each sender to each other receiver among `kept`, fastest first (sorted pairs).

    The analysis shows what the network allows at best: a sender passes the alert on the channel to the receiver
    with the shortest expected time to get there (retries and fallbacks counted, conditional on arriving), then
    the likelier, then by id; a channel that can never get there comes last. The flood simulation notifies `via`
    the first, so that both play the same hop.
    """
    between: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    for channel_id in sorted(channels):
        channel = channels[channel_id]
        if not channel.enabled or channel.from_ == channel.to or channel.from_ not in kept or channel.to not in kept:
            continue
        there = [o for o in send_outcomes(channel, channels) if o.receiver == channel.to]
        rank = (there[0].expected_s, -there[0].probability, channel_id) if there else (math.inf, 0.0, channel_id)
        between.setdefault((channel.from_, channel.to), []).append(rank)
    return {pair: tuple(rank[2] for rank in sorted(ranks)) for pair, ranks in sorted(between.items())}


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
