"""Background work is an M/M/c queue: over a long run, its waits match the Erlang C formula (the network analysis's
`erlang_c`, checked here against known values first)."""

from __future__ import annotations

import math

import pytest

from simulator import Exercise
from simulator.analysis.network.expected import erlang_c
from tests.simulator.scenario_factory import scenario, stakeholder

UNITS = 3
ARRIVALS_PER_HOUR = 40.0
SERVICE_MEAN_MIN = 3.0
"""c = 3 call takers, arrivals 40 jobs/h, each serves 20 jobs/h: offered load a = 2 Erlang, utilisation 2/3."""


def test_erlang_c_matches_known_values() -> None:
    assert erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: a job waits when the server is busy, so P = utilisation
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9)


def test_background_work_waits_as_long_and_as_often_as_erlang_c_predicts() -> None:
    control = stakeholder(
        "control",
        units=UNITS,
        background={
            "arrivals_per_hour": ARRIVALS_PER_HOUR,
            "service_time": {"dist": "exponential", "mean": f"{SERVICE_MEAN_MIN:g}m"},
        },
    )
    # Five runs of 30 days (the longest a scenario may be) are 3,600 hours, about 144,000 jobs: the mean wait is then
    # within about 2% of its limit (one standard deviation, measured over a dozen seeds for 3,000 hours), so the 5%
    # tolerance holds for any seeds. Each run starts with no queue, which 30 days make negligible.
    long_run = scenario(duration="720h", stakeholders=[control])
    waits = []
    for seed in range(1, 6):
        played = Exercise(long_run, seed=seed)
        played.run()
        waits += [r["waited_s"] for r in played.records if r["kind"] == "BackgroundJobStarted"]

    service_rate_per_s = 1 / (SERVICE_MEAN_MIN * 60)
    arrival_rate_per_s = ARRIVALS_PER_HOUR / 3600
    p_wait = erlang_c(UNITS, arrival_rate_per_s / service_rate_per_s)
    mean_wait_s = p_wait / (UNITS * service_rate_per_s - arrival_rate_per_s)
    assert math.isclose(mean_wait_s, 80.0)
    assert len(waits) > 100_000
    assert sum(waits) / len(waits) == pytest.approx(mean_wait_s, rel=0.05)
    assert sum(wait > 0 for wait in waits) / len(waits) == pytest.approx(p_wait, rel=0.05)
