"""Single points of failure of an alert (by dominators) and the betweenness of the stakeholders on its paths."""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterator, Mapping, Sequence

import networkx as nx

from simulator.analysis.network._hops import Network
from simulator.analysis.network.model import CutOff, ElementKind

_SOURCE = "*"
"""The virtual source linked to the origins (no id has a `*`)."""

INSTANT = 1e-6
"""The weight of a hop that takes no time, for the betweenness: Brandes' count of equally fast paths (networkx's)
goes wrong on edges of no weight, so such a hop counts as a microsecond (of two paths otherwise equally fast, the
one with fewer instant hops is the faster)."""

Flow = dict[str, list[str]]
"""A graph as successor lists: `*`, `s:STAKEHOLDER` and `c:CHANNEL` nodes."""


def _s(stakeholder_id: str) -> str:
    return f"s:{stakeholder_id}"


def _c(channel_id: str) -> str:
    return f"c:{channel_id}"


def flow_graph(network: Network) -> Flow:
    """The way an alert can travel: a node per stakeholder and per enabled channel (the source left out).

    A stakeholder leads to the channel `notify` takes to each receiver (the first by id); a channel to its
    receiver when an attempt can get through, and to its fallback channel when it can fail and has one that is
    enabled.
    """
    flow: Flow = {}
    for (sender, _receiver), ids in network.pairs.items():
        flow.setdefault(_s(sender), []).append(_c(ids[0]))
    for channel in network.enabled():
        if channel.from_ == channel.to or (channel.from_, channel.to) not in network.pairs:
            continue
        out = flow.setdefault(_c(channel.id), [])
        if channel.failure_probability < 1:
            out.append(_s(channel.to))
        fallback = _fallback(network, channel.id)
        if fallback is not None:
            out.append(_c(fallback))
    return flow


def _fallback(network: Network, channel_id: str) -> str | None:
    """The channel a failed attempt on this one goes on to, if any (enabled, not itself)."""
    channel = network.channels[channel_id]
    policy = channel.on_failure
    if policy.then != "fallback" or policy.fallback is None or channel.failure_probability == 0:
        return None
    other = network.channels.get(policy.fallback)
    if other is None or not other.enabled or other.id == channel.id:
        return None
    return other.id


class SinglePoints:
    """The single points of failure of the alerts in one network (the graph is built once for all of them)."""

    def __init__(self, network: Network) -> None:
        """Build the network's `flow_graph`, and the smaller graph the dominators are computed on.

        Most channels are in series: the first from their sender to their receiver, with no fallback out of them
        or into them. Such a channel is left out of the dominators' graph (an edge from sender to receiver stands
        for it), which then has about a stakeholder's worth of nodes rather than a channel's; whom it cuts off is
        read off the dominator tree of its receiver afterwards.
        """
        self.network = network
        self.flow = flow_graph(network)
        fallbacks = {ids[0]: _fallback(network, ids[0]) for ids in network.pairs.values()}
        for node in self.flow:
            if node.startswith("c:"):
                fallbacks[node[2:]] = _fallback(network, node[2:])
        targets = {f for f in fallbacks.values() if f is not None}
        series = {ids[0] for ids in network.pairs.values() if fallbacks[ids[0]] is None and ids[0] not in targets}
        self.series = {
            c: (_s(network.channels[c].from_), _s(network.channels[c].to))
            for c in sorted(series)
            if network.channels[c].failure_probability < 1
        }
        """The series channels that can get a message through: (sender node, receiver node)."""
        self.graph = nx.DiGraph()
        self.graph.add_nodes_from(node for node in self.flow if node[2:] not in series or node.startswith("s:"))
        for node, successors in self.flow.items():
            if node.startswith("c:") and node[2:] in series:
                continue
            for successor in successors:
                if successor.startswith("c:") and successor[2:] in series:
                    self.graph.add_edges_from((node, end) for end in self.flow[successor])
                else:
                    self.graph.add_edge(node, successor)
        self.successors = {node: list(self.graph.successors(node)) for node in self.graph}
        self.predecessors = {node: list(self.graph.predecessors(node)) for node in self.graph}
        """The dominators' graph as adjacency lists (walked once per alert: lists are quicker than networkx)."""
        touching: dict[str, list[str]] = {}
        for channel in network.enabled():
            touching.setdefault(channel.from_, []).append(channel.id)
            if channel.to != channel.from_:
                touching.setdefault(channel.to, []).append(channel.id)
        self.leaky: dict[str, set[str]] = {}
        """The stakeholders whose loss takes a channel with a fallback with it: the nodes that go with them."""
        for stakeholder in sorted(network.stakeholders):
            if any(
                network.channels[c].to == stakeholder and _fallback(network, c) for c in touching.get(stakeholder, [])
            ):
                self.leaky[stakeholder] = {_s(stakeholder), *(_c(c) for c in touching[stakeholder])}
        self.hops = [
            (sender, hop.receiver, max(hop.expected_s, INSTANT))
            for sender in network.stakeholders
            for hop in network.hops[sender]
        ]
        """Every hop as a weighted edge (sender, receiver, expected time), for the betweenness."""
        self.leaving: dict[str, list[tuple[str, float]]] = {}
        """The same hops by sender: (receiver, expected time)."""
        for sender, receiver, weight in self.hops:
            self.leaving.setdefault(sender, []).append((receiver, weight))

    def cut_offs(self, origins: Sequence[str], times: Mapping[str, float]) -> tuple[CutOff, ...]:
        """The stakeholders (not origins) and channels whose loss leaves stakeholders reached now unreached.

        A node of `flow_graph` cuts off exactly the stakeholders it dominates from a virtual source linked to the
        origins (every way to them passes through it), with two exceptions worked out by searching the graph
        without the element: the loss of a channel with a sibling to the same receiver (`notify` then takes the
        next one), and the loss of a stakeholder whose incoming channels fall back on others (those channels go
        with it).

        Args:
            origins: The alert's origins.
            times: The expected time of each stakeholder reached now (the ones a loss can cut off).

        Returns:
            Each single point of failure with whom it cuts off (by expected time, then id): most cut off first,
            then stakeholders before channels, then by id.
        """
        network, flow = self.network, self.flow
        starts = [_s(o) for o in sorted(set(origins)) if o in network.stakeholders]
        if not starts:
            return ()
        dominators = _immediate_dominators(self.successors, self.predecessors, starts)
        flow = {**flow, _SOURCE: starts}
        children: dict[str, list[str]] = {}
        for node in sorted(dominators):
            if dominators[node] != node:
                children.setdefault(dominators[node], []).append(node)
        below, spans = _dominated_stakeholders(children)
        lost: dict[tuple[ElementKind, str], list[str]] = {}
        for node, inside in below.items():
            if not inside:
                continue
            if node.startswith("s:") and node[2:] not in origins:
                lost["stakeholder", node[2:]] = inside
            elif node.startswith("c:"):
                lost["channel", node[2:]] = inside
        reached = set(dominators)
        outside: dict[str, set[str]] = {}
        """For each receiver, its ways in from reached nodes that are not below it (worked out once per receiver)."""
        for channel, (sender, receiver) in self.series.items():
            if sender not in reached or receiver in starts:
                continue
            if receiver not in outside:
                first, last = spans[receiver]
                outside[receiver] = {
                    p for p in self.predecessors.get(receiver, ()) if p in reached and not first <= spans[p][0] <= last
                }
            # The channel alone leads to its receiver when every other way in comes from below the receiver.
            if outside[receiver] <= {sender}:
                lost["channel", channel] = [receiver[2:], *below[receiver]]
        for (sender, _receiver), ids in network.pairs.items():
            if len(ids) > 1 and _s(sender) in reached:
                lost["channel", ids[0]] = _lost(flow, reached, {_c(ids[0])}, {_s(sender): _c(ids[1])})
        for stakeholder, gone in self.leaky.items():
            # Even one never reached takes its incoming channels with it, and so their fallbacks.
            if stakeholder not in origins:
                lost["stakeholder", stakeholder] = _lost(flow, reached, gone, {})
        found = []
        for (kind, element), stakeholders in sorted(lost.items()):
            cut = [s for s in set(stakeholders) if s in times and (kind == "channel" or s != element)]
            if cut:
                cut.sort(key=lambda s: (times[s], s))
                found.append(CutOff(kind, element, tuple(cut)))
        found.sort(key=lambda c: (-len(c.cuts_off), c.kind != "stakeholder", c.id))
        return tuple(found)

    def betweenness(self, origins: Sequence[str], times: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
        """Each stakeholder's share of the alert's reached organisations whose fastest path passes through it.

        One shortest-path search per alert: networkx's `betweenness_centrality_subset` from a virtual source linked
        to every origin at no cost, to every stakeholder reached other than the origins, over the hops weighted by
        their expected times, divided by the number of those targets. Equally fast paths share a target evenly
        (as Brandes counts them). The origins know at T+0, so no hop into one is ever on a fastest path: those are
        left out of the graph (with a hop of no cost they would only add ties among the origins).

        Returns:
            (stakeholder, share) for every stakeholder other than the origins above 0, highest first, then by id.
        """
        sources = {o for o in origins if o in self.network.stakeholders}
        targets = sorted(s for s in times if s not in sources)
        if not sources or not targets:
            return ()
        raw = _betweenness_from(self.leaving, sorted(sources), set(targets))
        shares = [
            (s, raw[s] / len(targets)) for s in sorted(raw) if s != _SOURCE and s not in sources and raw[s] > 1e-12
        ]
        shares.sort(key=lambda item: (-item[1], item[0]))
        return tuple(shares)


def _betweenness_from(
    leaving: Mapping[str, list[tuple[str, float]]], origins: list[str], targets: Collection[str]
) -> dict[str, float]:
    """Brandes' betweenness from one virtual source linked to the origins at no cost, to `targets`, unnormalised,
    as networkx's `betweenness_centrality_subset` counts it (checked against counting every path by hand),
    without building a graph per alert.
    Hops into an origin are never on a fastest path and are skipped."""
    firsts = set(origins)
    sigma: dict[str, float] = {_SOURCE: 1.0}
    parents: dict[str, list[str]] = {_SOURCE: []}
    done: dict[str, float] = {}
    seen: dict[str, float] = {_SOURCE: 0.0}
    order: list[str] = []
    counter = 0
    heap: list[tuple[float, int, str, str]] = [(0.0, 0, _SOURCE, _SOURCE)]
    while heap:
        distance, _, parent, node = heapq.heappop(heap)
        if node in done:
            continue
        if node != _SOURCE:
            sigma[node] += sigma[parent]
        order.append(node)
        done[node] = distance
        edges = [(o, 0.0) for o in origins] if node == _SOURCE else leaving.get(node, ())
        for successor, weight in edges:
            if successor in firsts and node != _SOURCE:
                continue
            length = distance + weight
            if successor not in done and (successor not in seen or length < seen[successor]):
                seen[successor] = length
                counter += 1
                heapq.heappush(heap, (length, counter, node, successor))
                sigma[successor] = 0.0
                parents[successor] = [node]
            elif length == seen.get(successor):
                sigma[successor] += sigma[node]
                parents[successor].append(node)
    delta = dict.fromkeys(order, 0.0)
    between = dict.fromkeys(order, 0.0)
    for node in reversed(order):
        coefficient = ((delta[node] + 1.0) if node in targets else delta[node]) / sigma[node]
        for parent in parents[node]:
            delta[parent] += sigma[parent] * coefficient
        if node != _SOURCE:
            between[node] += delta[node]
    return between


def _immediate_dominators(
    successors: Mapping[str, list[str]], predecessors: Mapping[str, list[str]], starts: list[str]
) -> dict[str, str]:
    """Each node's immediate dominator from a virtual source linked to `starts` (the source its own), for the nodes
    it reaches: Cooper, Harvey and Kennedy's iteration, as networkx's `immediate_dominators` (a test compares)."""
    order: list[str] = []
    seen = {_SOURCE}
    stack: list[tuple[str, Iterator[str]]] = [(_SOURCE, iter(starts))]
    while stack:
        node, successors_left = stack[-1]
        for successor in successors_left:
            if successor not in seen:
                seen.add(successor)
                stack.append((successor, iter(successors.get(successor, ()))))
                break
        else:
            stack.pop()
            order.append(node)
    # On postorder numbers (the source the highest): comparing and indexing ints is what the iteration does most.
    number = {node: index for index, node in enumerate(order)}
    root = len(order) - 1
    firsts = set(starts)
    ways_in = [
        [number[p] for p in predecessors.get(node, ()) if p in number] + ([root] if node in firsts else [])
        for node in order
    ]
    idom = [-1] * len(order)
    idom[root] = root
    changed = True
    while changed:
        changed = False
        for index in range(root - 1, -1, -1):
            new = -1
            for other in ways_in[index]:
                if idom[other] == -1:
                    continue
                if new == -1:
                    new = other
                    continue
                a, b = other, new
                while a != b:
                    while a < b:
                        a = idom[a]
                    while b < a:
                        b = idom[b]
                new = a
            if new != -1 and idom[index] != new:
                idom[index] = new
                changed = True
    return {node: order[idom[index]] for index, node in enumerate(order) if idom[index] != -1}


def _dominated_stakeholders(
    children: Mapping[str, list[str]],
) -> tuple[dict[str, list[str]], dict[str, tuple[int, int]]]:
    """For each node of the dominator tree, the stakeholders in its subtree other than itself, and the span of
    preorder numbers its subtree covers (a node is below another when its number falls in the other's span)."""
    below: dict[str, list[str]] = {}
    order: list[str] = []
    stack = [_SOURCE]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(children.get(node, ()))
    number = {node: index for index, node in enumerate(order)}
    spans: dict[str, tuple[int, int]] = {}
    for node in reversed(order):
        inside: list[str] = []
        last = number[node]
        for child in children.get(node, ()):
            if child.startswith("s:"):
                inside.append(child[2:])
            inside.extend(below[child])
            last = max(last, spans[child][1])
        below[node] = inside
        spans[node] = (number[node], last)
    return below, spans


def _lost(flow: Flow, reached: Collection[str], gone: Collection[str], instead: Mapping[str, str]) -> list[str]:
    """The stakeholders reached in `flow` but not once the nodes `gone` are left out and `instead` edges added."""
    seen = {_SOURCE}
    stack = [_SOURCE]
    while stack:
        node = stack.pop()
        successors = flow.get(node, [])
        if node in instead:
            successors = [*successors, instead[node]]
        for successor in successors:
            if successor not in seen and successor not in gone:
                seen.add(successor)
                stack.append(successor)
    return sorted(node[2:] for node in reached if node.startswith("s:") and node not in seen)
