"""The host benchmark plays to the end: a host that waits for a decision nobody takes would run it forever."""

from __future__ import annotations

from benchmarks.bench_host import bare, hosted
from scenarios import load_scenario
from simulator.setup import Setup


def test_the_host_benchmark_plays_the_same_runs_as_the_bare_engine() -> None:
    setup = Setup.of(load_scenario("synagogue-holiday-attack"), source="synagogue-holiday-attack")

    assert hosted(setup, range(3)) == bare(setup, range(3)) > 0
