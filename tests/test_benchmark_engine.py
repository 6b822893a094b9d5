"""The engine benchmark's baselines do the engine's work: same records, events and flow; its figures are ratios."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

import orjson
import pytest

from benchmarks import bench_engine, handwritten, same_output, synagogue_model
from benchmarks.network import Network, generate
from scenarios import load_scenario
from simulator import Exercise
from simulator.setup import Setup
from simulator.streams import Streams


def plain(records: object) -> list[dict[str, Any]]:
    """Records as JSON data (the engine's are read-only dicts holding tuples), to compare with the baseline's."""
    loaded: list[dict[str, Any]] = orjson.loads(orjson.dumps(records))
    return loaded


def engine_records(setup: Setup, seed: int) -> tuple[list[dict[str, Any]], int]:
    exercise = Exercise(setup, seed)
    exercise.run()
    return plain(exercise.records), exercise.step


# The timing helpers first, while no large scenario is alive (gc.collect before each round walks whatever is).


def test_a_ratio_is_the_median_of_the_rounds_ratios_with_their_min_and_max() -> None:
    figures = bench_engine.ratio_figures([1.0, 3.0, 2.0], [2.0, 2.0, 2.0])
    assert figures == {"median": 1.0, "min": 0.5, "max": 1.5}


def test_measuring_a_workload_reports_every_model_and_both_ratios_as_json_data() -> None:
    def model(events: int, records: int) -> bench_engine.Play:
        def play(seed: int) -> tuple[int, int]:
            sum(range(20_000))  # some work, so that each round takes measurable process time
            return events + seed, records

        return play

    workload = bench_engine.Workload(
        "toy",
        (0, 1, 2),
        (
            bench_engine.Model("engine", model(10, 5)),
            bench_engine.Model("same-output", model(10, 5)),
            bench_engine.Model("lower-bound", model(10, 0)),
        ),
    )
    figures = bench_engine.measure(workload, rounds=1)
    assert figures["engine_events_per_run"] == figures["lower_bound_events_per_run"] == 11.0  # (10 + 11 + 12) / 3
    assert figures["engine_records_per_run"] == 5.0 and figures["lower_bound_records_per_run"] == 0.0
    assert figures["runs_per_round"] == 3 and figures["rounds"] == 1
    for key in ("ratio_same_output", "ratio_lower_bound", "same_output_runs_per_s", "engine_records_per_s"):
        assert isinstance(figures[key], float)
    assert figures["target_same_output"] == 0.8 and isinstance(figures["meets_target"], bool)
    assert orjson.loads(orjson.dumps(figures)) == figures


@pytest.fixture(scope="module")
def network() -> tuple[Network, Setup]:
    generated = generate(500, 2000, seed=0)
    return generated, Setup.of(generated.scenario())


@pytest.fixture(scope="module")
def synagogue() -> Setup:
    return Setup.of(load_scenario("synagogue-holiday-attack"))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_network_baseline_makes_the_engines_records_in_order(network: tuple[Network, Setup], seed: int) -> None:
    generated, setup = network
    expected, steps = engine_records(setup, seed)
    played = same_output.play_network(generated, seed)
    assert plain(played.records) == expected
    assert played.events == steps == 4498  # 2,000 hops, 496 lockdowns... as the network's docstring counts them
    assert len(expected) == 7504


def test_the_network_baseline_acts_at_once_on_a_delay_that_rounds_to_zero_as_the_engine_does() -> None:
    # Seed 292 on this 50-stakeholder network draws a warning delay of 0.000 s (found by searching the rule streams).
    small = generate(50, 200, seed=0)
    expected, steps = engine_records(Setup.of(small.scenario()), 292)
    played = same_output.play_network(small, 292)
    assert plain(played.records) == expected and played.events == steps
    # A timeout per warning delay and per hop on each channel, one per lockdown, the observation and the attack's end,
    # less the warning delay that rounded to zero.
    assert steps == 2 * len(small.links) + len(small.guards) + 2 - 1


def test_the_network_lower_bound_plays_the_same_events_and_hops_without_records(
    network: tuple[Network, Setup],
) -> None:
    generated, _setup = network
    played = handwritten.play_network(generated, 1)
    assert played.events == same_output.play_network(generated, 1).events
    assert played.hops == len(generated.links) == 2000


def test_the_synagogue_baseline_makes_the_engines_records_in_order_on_many_seeds(synagogue: Setup) -> None:
    for seed in range(25):
        expected, steps = engine_records(synagogue, seed)
        played, records = synagogue_model.play_same_output(seed)
        assert plain(records) == expected, f"seed {seed}"
        assert played.events == steps, f"seed {seed}"


def test_the_synagogue_baseline_matches_the_engines_events_records_by_kind_and_milestones_on_fifty_seeds(
    synagogue: Setup,
) -> None:
    engine_kinds: Counter[str] = Counter()
    baseline_kinds: Counter[str] = Counter()
    engine_events = baseline_events = 0
    engine_milestones: dict[str, list[float]] = {}
    baseline_milestones: dict[str, list[float]] = {}
    for seed in range(100, 150):
        exercise = Exercise(synagogue, seed)
        summary = exercise.run()
        engine_events += exercise.step
        engine_kinds.update(record["kind"] for record in exercise.records)
        for name, t in summary.milestones.items():
            engine_milestones.setdefault(name, []).append(t)
        played, records = synagogue_model.play_same_output(seed)
        baseline_events += played.events
        baseline_kinds.update(record["kind"] for record in records)
        for name, t in played.milestones.items():
            baseline_milestones.setdefault(name, []).append(t)
    assert engine_events / 50 > 550  # the current scenario: ~600 events a run, most of them background work
    assert baseline_events == engine_events
    assert baseline_kinds == engine_kinds
    assert {"UnitsStaged", "UnitsRedirected", "LoadSurged", "EngagementStarted"} <= set(engine_kinds)
    assert baseline_milestones.keys() == engine_milestones.keys()
    for name, times in engine_milestones.items():
        assert statistics.fmean(baseline_milestones[name]) == pytest.approx(statistics.fmean(times), rel=0.01), name


def test_the_synagogue_lower_bound_is_the_same_flow_without_records() -> None:
    for seed in range(10):
        streams = Streams(seed)
        flow = synagogue_model.play_lower_bound(seed, streams)
        played, _records = synagogue_model.play_same_output(seed)
        assert (flow.events, flow.milestones, flow.harm) == (played.events, played.milestones, played.harm)
    run = synagogue_model.SynagogueRun(0, Streams(0), keep=False)
    run.play()
    assert run.records == []


def test_the_synagogue_lower_bound_on_one_generator_plays_the_same_flow_on_average() -> None:
    seeds = range(200, 250)
    lower = [handwritten.play_synagogue(seed) for seed in seeds]
    same = [synagogue_model.play_same_output(seed)[0] for seed in seeds]
    # Different draws (one generator, not a stream per entity), so equal only in distribution.
    assert statistics.fmean(p.events for p in lower) == pytest.approx(
        statistics.fmean(p.events for p in same), rel=0.03
    )
    for name in ("lockdown-complete", "first-call", "first-call-police", "sites-warned", "authorities-informed"):
        expected = statistics.fmean(p.milestones[name] for p in same)
        assert statistics.fmean(p.milestones[name] for p in lower) == pytest.approx(expected, rel=0.1), name
