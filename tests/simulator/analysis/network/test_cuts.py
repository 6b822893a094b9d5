"""Single points of failure and betweenness, on small networks worked out by hand and against removing each part."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios import Scenario
from simulator.analysis.network.analysis import analyse_network
from simulator.analysis.network.cuts import _immediate_dominators
from simulator.analysis.network.model import CutOff
from tests.simulator.scenario_factory import channel, site, stakeholder
from tests.simulator.scenario_factory import scenario as build

Data = dict[str, Any]


def _scenario(stakeholders: list[Data], channels: list[Data]) -> Scenario:
    return build(sites=[site("hq")], stakeholders=stakeholders, channels=channels)


def _people(*ids: str) -> list[Data]:
    return [stakeholder(ids[0], site="hq"), *(stakeholder(i) for i in ids[1:])]


def test_a_bridge_channel_cuts_off_everyone_behind_it() -> None:
    # a -> b -> {c, d}: the channel a-b and the relay b each cut off the three (by time: b 10 s, c 30 s, d 40 s);
    # b-c and b-d each cut off their receiver.
    scenario = _scenario(
        _people("a", "b", "c", "d"),
        [
            channel("a-b", "a", "b", latency="10s"),
            channel("b-c", "b", "c", latency="20s"),
            channel("b-d", "b", "d", latency="30s"),
        ],
    )
    [alert] = analyse_network(scenario).alerts
    assert alert.cut_offs == (
        CutOff("channel", "a-b", ("b", "c", "d")),
        CutOff("stakeholder", "b", ("c", "d")),
        CutOff("channel", "b-c", ("c",)),
        CutOff("channel", "b-d", ("d",)),
    )


def test_an_organisation_that_is_the_only_relay_cuts_off_what_lies_behind_it() -> None:
    # a reaches b and c on two channels each way round (no channel is a bridge); both b and c report only to hub,
    # and hub alone reaches e.
    scenario = _scenario(
        _people("a", "b", "c", "hub", "e"),
        [
            channel("a-b", "a", "b"),
            channel("a-c", "a", "c"),
            channel("b-c", "b", "c"),
            channel("c-b", "c", "b"),
            channel("b-hub", "b", "hub"),
            channel("c-hub", "c", "hub"),
            channel("hub-e", "hub", "e"),
        ],
    )
    [alert] = analyse_network(scenario).alerts
    assert alert.cut_offs == (CutOff("stakeholder", "hub", ("e",)), CutOff("channel", "hub-e", ("e",)))


def test_a_second_channel_to_the_same_receiver_means_neither_is_a_single_point() -> None:
    # losing a-b-1 makes notify take a-b-2
    scenario = _scenario(_people("a", "b"), [channel("a-b-1", "a", "b"), channel("a-b-2", "a", "b", latency="1m")])
    assert analyse_network(scenario).alerts[0].cut_offs == ()


def test_a_fallback_channel_is_another_way_only_for_its_own_receiver() -> None:
    # a-b falls back on a-c: losing a-b still leaves a-c, but b is cut off; a-c is a bridge to c only if nothing
    # else leads there.
    scenario = _scenario(
        _people("a", "b", "c"),
        [
            channel("a-b", "a", "b", failure_probability=0.5, on_failure={"then": "fallback", "fallback": "a-c"}),
            channel("a-c", "a", "c"),
        ],
    )
    cut = {c.id: c.cuts_off for c in analyse_network(scenario).alerts[0].cut_offs}
    assert cut == {"a-b": ("b",), "a-c": ("c",)}


def test_an_origin_is_never_a_single_point_of_failure() -> None:
    scenario = _scenario(_people("a", "b"), [channel("a-b", "a", "b")])
    assert [c.id for c in analyse_network(scenario).alerts[0].cut_offs] == ["a-b"]


def test_betweenness_is_the_share_of_the_reached_whose_fastest_path_passes_through() -> None:
    # a -> b -> c -> d: the reached other than the origin are b, c, d (3). b is inside the paths to c and d: 2/3;
    # c inside the path to d: 1/3; d inside none.
    scenario = _scenario(
        _people("a", "b", "c", "d"),
        [channel("a-b", "a", "b"), channel("b-c", "b", "c"), channel("c-d", "c", "d")],
    )
    between = analyse_network(scenario).alerts[0].betweenness
    assert [s for s, _ in between] == ["b", "c"]
    assert dict(between) == pytest.approx({"b": 2 / 3, "c": 1 / 3})


def test_betweenness_follows_the_expected_times_and_splits_equal_paths() -> None:
    # a -> b -> d and a -> c -> d take 20 s each; a -> e direct 100 s, a -> b -> e 20 s.
    # reached b, c, d, e (4): d's two equal paths give b and c 1/2 each; e's fastest path gives b 1.
    # b: (0.5 + 1) / 4 = 0.375; c: 0.5 / 4 = 0.125
    scenario = _scenario(
        _people("a", "b", "c", "d", "e"),
        [
            channel("a-b", "a", "b", latency="10s"),
            channel("a-c", "a", "c", latency="10s"),
            channel("b-d", "b", "d", latency="10s"),
            channel("c-d", "c", "d", latency="10s"),
            channel("a-e", "a", "e", latency="100s"),
            channel("b-e", "b", "e", latency="10s"),
        ],
    )
    between = analyse_network(scenario).alerts[0].betweenness
    assert [s for s, _ in between] == ["b", "c"]
    assert dict(between) == pytest.approx({"b": 0.375, "c": 0.125})


def test_betweenness_counts_only_the_fastest_path_from_the_alert_whichever_origin_it_starts_at() -> None:
    # origins o1 and o2 (both at hq): t hears from o1 directly at 10 s, m from o2 at 10 s; o2 -> m -> t takes
    # 20 s, slower than o1's hop, so m is on no one's fastest path (counting each origin's own paths, as
    # (o2, t) would, gave m a share).
    scenario = _scenario(
        [stakeholder("o1", site="hq"), stakeholder("o2", site="hq"), stakeholder("m"), stakeholder("t")],
        [
            channel("o1-t", "o1", "t", latency="10s"),
            channel("o2-m", "o2", "m", latency="10s"),
            channel("m-t", "m", "t", latency="10s"),
        ],
    )
    [alert] = analyse_network(scenario).alerts
    assert alert.origins == ("o1", "o2")
    assert alert.betweenness == ()


def test_betweenness_splits_a_tie_between_paths_from_different_origins() -> None:
    # as above with o1 -> t taking 20 s: t's two fastest paths (o1 direct, o2 -> m) tie at 20 s, so m carries
    # half of t; reached other than the origins: m and t (2). m: 0.5 / 2 = 0.25. The origins are never listed.
    scenario = _scenario(
        [stakeholder("o1", site="hq"), stakeholder("o2", site="hq"), stakeholder("m"), stakeholder("t")],
        [
            channel("o1-t", "o1", "t", latency="20s"),
            channel("o2-m", "o2", "m", latency="10s"),
            channel("m-t", "m", "t", latency="10s"),
            channel("o1-o2", "o1", "o2", latency="5s"),
        ],
    )
    [alert] = analyse_network(scenario).alerts
    assert [s for s, _ in alert.betweenness] == ["m"]
    assert dict(alert.betweenness) == pytest.approx({"m": 0.25})


@st.composite
def _networks(draw: st.DrawFn) -> Scenario:
    size = draw(st.integers(2, 6))
    ids = [f"s{i}" for i in range(size)]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=14))
    channels: list[Data] = []
    for n, (sender, receiver) in enumerate(pairs):
        if sender == receiver:
            continue
        # Latencies vary, so that the fastest of two channels between the same pair is not always the first by id.
        fields: Data = {
            "failure_probability": draw(st.sampled_from([0.0, 0.5, 1.0])),
            "latency": draw(st.sampled_from(["10s", "20s", "30s"])),
        }
        if draw(st.integers(0, 4)) == 0:
            fields["on_failure"] = {"then": "retry", "max_attempts": 2}
        siblings = [f"c{m:02d}" for m, (s, r) in enumerate(pairs[:n]) if s == sender and s != r]
        fall_back: bool = draw(st.booleans())
        if siblings and fall_back:
            fields["on_failure"] = {"then": "fallback", "fallback": draw(st.sampled_from(siblings))}
        if draw(st.integers(0, 9)) == 0:
            fields["enabled"] = False
        channels.append(channel(f"c{n:02d}", sender, receiver, **fields))
    people = [stakeholder(i, site="hq" if i == "s0" or (i == "s1" and draw(st.booleans())) else None) for i in ids]
    return _scenario(people, channels)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_networks())
def test_the_single_points_of_failure_are_exactly_what_removing_each_part_cuts_off(scenario: Scenario) -> None:
    [alert] = analyse_network(scenario).alerts
    reached = {r.stakeholder for r in alert.reach if r.expected_s is not None}
    found: dict[tuple[str, str], set[str]] = {(c.kind, c.id): set(c.cuts_off) for c in alert.cut_offs}
    parts = [("stakeholder", s.id) for s in scenario.stakeholders if s.id not in alert.origins]
    parts += [("channel", c.id) for c in scenario.channels if c.enabled]
    for kind, part in parts:
        [after] = analyse_network(scenario, without=[part]).alerts
        still = {r.stakeholder for r in after.reach if r.expected_s is not None}
        lost = reached - still - ({part} if kind == "stakeholder" else set())
        assert found.get((kind, part), set()) == lost, (kind, part)


def _fastest_path_shares(ids: list[str], origins: set[str], hops: dict[tuple[str, str], float]) -> dict[str, float]:
    """By brute force: every path from an origin (never into another), the fastest to each stakeholder reached, and
    for each stakeholder the share of the reached whose fastest paths pass through it (equal ones split evenly)."""
    paths: list[tuple[str, float, tuple[str, ...]]] = []

    def walk(node: str, length: float, seen: tuple[str, ...]) -> None:
        paths.append((node, length, seen))
        for (sender, receiver), time_s in hops.items():
            if sender == node and receiver not in seen and receiver not in origins:
                walk(receiver, length + time_s, (*seen, receiver))

    for origin in sorted(origins):
        walk(origin, 0.0, (origin,))
    best: dict[str, float] = {}
    for end, length, _ in paths:
        best[end] = min(best.get(end, length), length)
    targets = [end for end in best if end not in origins]
    shares: dict[str, float] = {}
    for target in targets:
        fastest = [seen for end, length, seen in paths if end == target and length == best[target]]
        for between in ids:
            through = sum(between in seen[1:-1] for seen in fastest)
            if through:
                shares[between] = shares.get(between, 0.0) + through / len(fastest)
    return {s: share / len(targets) for s, share in shares.items()}


@st.composite
def _timed_networks(draw: st.DrawFn) -> tuple[Scenario, list[str], set[str], dict[tuple[str, str], float]]:
    size = draw(st.integers(2, 6))
    ids = [f"s{i}" for i in range(size)]
    origins = set(ids[: draw(st.integers(1, 2))])
    pairs = draw(st.sets(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=14))
    hops = {pair: float(draw(st.sampled_from([0, 10, 20, 30]))) for pair in sorted(pairs) if pair[0] != pair[1]}
    people = [stakeholder(i, site="hq" if i in origins else None) for i in ids]
    links = [channel(f"{a}-{b}", a, b, latency=f"{t:g}s") for (a, b), t in hops.items()]
    # A hop of no time counts as a microsecond (cuts.INSTANT), the brute force too.
    timed = {pair: t or 1e-6 for pair, t in hops.items()}
    return _scenario(people, links), ids, origins, timed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_timed_networks())
def test_betweenness_is_what_counting_every_fastest_path_by_hand_gives(
    network: tuple[Scenario, list[str], set[str], dict[tuple[str, str], float]],
) -> None:
    scenario, ids, origins, hops = network
    between = dict(analyse_network(scenario).alerts[0].betweenness)
    expected = _fastest_path_shares(ids, origins, hops)
    assert between == pytest.approx(expected, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20), st.sets(st.integers(0, 7), min_size=1))
def test_the_dominators_are_those_networkx_finds(edges: list[tuple[int, int]], starts: set[int]) -> None:
    graph = nx.DiGraph([(f"s:{a}", f"s:{b}") for a, b in edges])
    graph.add_nodes_from(f"s:{n}" for n in starts)
    successors = {node: list(graph.successors(node)) for node in graph}
    predecessors = {node: list(graph.predecessors(node)) for node in graph}
    firsts = [f"s:{n}" for n in sorted(starts)]
    graph.add_edges_from(("*", start) for start in firsts)
    found = _immediate_dominators(successors, predecessors, firsts)
    # networkx leaves the source out (older versions gave it as its own dominator).
    assert found.pop("*") == "*"
    assert found == {n: d for n, d in nx.immediate_dominators(graph, "*").items() if n != "*"}
