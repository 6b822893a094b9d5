"""The expected values of the network's parts, against numbers worked out by hand."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from pydantic import TypeAdapter

from scenarios.distributions import Delay
from scenarios.network import Channel, Stakeholder
from simulator.analysis.network.expected import Outcome, intake_wait, mean_delay, send_outcomes
from simulator.sampling import sampler

_DELAY: TypeAdapter[Delay] = TypeAdapter(Delay)


def _delay(data: dict[str, Any]) -> object:
    return _DELAY.validate_python(data)


def _channel(channel_id: str, sender: str, receiver: str, **fields: Any) -> Channel:
    return Channel.model_validate({"id": channel_id, "from": sender, "to": receiver, **fields})


def _desk(**fields: Any) -> Stakeholder:
    return Stakeholder.model_validate({"id": "desk", "name": "Desk", "kind": "other", **fields})


def test_a_bare_duration_and_a_fixed_delay_mean_themselves() -> None:
    assert mean_delay(30.0) == 30.0
    assert mean_delay(_delay({"dist": "fixed", "value": "12.5s"})) == 12.5


def test_uniform_triangular_exponential_and_empirical_means_are_the_textbook_ones() -> None:
    assert mean_delay(_delay({"dist": "uniform", "low": "10s", "high": "30s"})) == 20.0
    # (low + mode + high) / 3 = (0 + 30 + 90) / 3 = 40
    assert mean_delay(_delay({"dist": "triangular", "low": "0s", "mode": "30s", "high": "90s"})) == 40.0
    assert mean_delay(_delay({"dist": "exponential", "mean": "45s"})) == 45.0
    # equal weights: (10 + 20 + 60) / 3 = 30; weights 1, 1, 2: (10 + 20 + 120) / 4 = 37.5
    assert mean_delay(_delay({"dist": "empirical", "values": ["10s", "20s", "60s"]})) == 30.0
    assert mean_delay(_delay({"dist": "empirical", "values": ["10s", "20s", "60s"], "weights": [1, 1, 2]})) == 37.5


def test_a_lognormal_by_median_and_p90_has_the_mean_of_its_sigma() -> None:
    # median 30 s, p90 60 s: sigma = ln 2 / 1.28155 = 0.540871; mean = 30 * exp(sigma^2 / 2) = 30 * 1.157545 = 34.726
    delay = _delay({"dist": "lognormal", "median": "30s", "p90": "60s"})
    assert mean_delay(delay) == pytest.approx(34.726, abs=0.001)


@pytest.mark.parametrize(
    "delay",
    [
        _delay({"dist": "uniform", "low": "5s", "high": "25s"}),
        _delay({"dist": "triangular", "low": "10s", "mode": "20s", "high": "60s"}),
        _delay({"dist": "lognormal", "median": "20s", "p90": "90s"}),
        _delay({"dist": "exponential", "mean": "40s"}),
        _delay({"dist": "empirical", "values": ["1s", "100s"], "weights": [3, 1]}),
    ],
)
def test_every_mean_agrees_with_the_mean_of_the_engines_own_draws(delay: object) -> None:
    draw = sampler(delay)
    rng = random.Random(7)
    n = 100_000
    sample = [draw(rng) for _ in range(n)]
    mean = sum(sample) / n
    spread = math.sqrt(sum((x - mean) ** 2 for x in sample) / n)
    assert abs(mean - mean_delay(delay)) < 5 * spread / math.sqrt(n)


def test_a_single_call_taker_waits_as_an_m_m_1_queue_says() -> None:
    # lambda = 60/h = 1/60 per s, service 30 s: rho = 0.5; Wq = rho * s / (1 - rho) = 0.5 * 30 / 0.5 = 30 s
    desk = _desk(intake_time="10s", background={"arrivals_per_hour": 60, "service_time": "30s"})
    assert intake_wait(desk) == pytest.approx((30.0, False))


def test_two_call_takers_wait_as_erlang_c_computed_by_hand() -> None:
    # lambda = 60/h = 1/60 per s, service 90 s: a = 1.5 Erlang, c = 2, rho = 0.75.
    # Erlang C = (a^2/2! / (1 - rho)) / (1 + a + a^2/2! / (1 - rho)) = (1.125 / 0.25) / (2.5 + 4.5) = 4.5 / 7 = 9/14.
    # Wq = C / (c mu - lambda) = (9/14) / (2/90 - 1/60) = (9/14) / (1/180) = 1620/14 = 115.714 s
    desk = _desk(units=2, intake_time="20s", background={"arrivals_per_hour": 60, "service_time": "1m30s"})
    wait, saturated = intake_wait(desk)
    assert wait == pytest.approx(1620 / 14)
    assert not saturated


def test_a_desk_whose_background_keeps_every_unit_busy_is_saturated() -> None:
    # 120 jobs an hour of 60 s each on 2 units: a = 2 Erlang on c = 2, utilisation 1
    desk = _desk(units=2, intake_time="20s", background={"arrivals_per_hour": 120, "service_time": "1m"})
    assert intake_wait(desk) == (0.0, True)


def test_no_wait_without_background_work_or_without_call_taking() -> None:
    assert intake_wait(_desk(intake_time="20s")) == (0.0, False)
    assert intake_wait(_desk(background={"arrivals_per_hour": 100, "service_time": "1m"})) == (0.0, False)


def test_a_channel_that_never_fails_arrives_after_its_latency() -> None:
    channel = _channel("c", "a", "b", latency={"dist": "uniform", "low": "10s", "high": "20s"})
    assert send_outcomes(channel, {"c": channel}) == [Outcome("b", ("c",), 1.0, 15.0)]


def test_a_channel_that_gives_up_arrives_only_when_its_one_attempt_works() -> None:
    channel = _channel("c", "a", "b", latency="10s", failure_probability=0.2)
    [outcome] = send_outcomes(channel, {"c": channel})
    assert outcome.probability == pytest.approx(0.8)
    assert outcome.expected_s == pytest.approx(10.0)


def test_two_attempts_with_half_failing_arrive_three_times_in_four_after_twenty_seconds() -> None:
    # attempt 1: 0.5 at 10 s; attempt 2: 0.5 * 0.5 = 0.25 at 10 + 20 + 10 = 40 s. Delivered 0.75;
    # E = (0.5 * 10 + 0.25 * 40) / 0.75 = 15 / 0.75 = 20 s
    channel = _channel(
        "c",
        "a",
        "b",
        latency="10s",
        failure_probability=0.5,
        on_failure={"then": "retry", "max_attempts": 2, "retry_after": "20s"},
    )
    [outcome] = send_outcomes(channel, {"c": channel})
    assert outcome.probability == pytest.approx(0.75)
    assert outcome.expected_s == pytest.approx(20.0)


def test_a_failed_attempt_falls_back_at_once_to_a_channel_to_another_receiver() -> None:
    # c1 to b fails 4 in 10 after 10 s; then c2 to c (5 s, never fails): b 0.6 at 10 s, c 0.4 at 10 + 5 = 15 s
    first = _channel(
        "c1", "a", "b", latency="10s", failure_probability=0.4, on_failure={"then": "fallback", "fallback": "c2"}
    )
    second = _channel("c2", "a", "c", latency="5s")
    outcomes = send_outcomes(first, {"c1": first, "c2": second})
    assert [(o.receiver, o.channels) for o in outcomes] == [("b", ("c1",)), ("c", ("c1", "c2"))]
    assert [o.probability for o in outcomes] == pytest.approx([0.6, 0.4])
    assert [o.expected_s for o in outcomes] == pytest.approx([10.0, 15.0])


def test_a_disabled_fallback_is_not_taken() -> None:
    first = _channel(
        "c1", "a", "b", latency="10s", failure_probability=0.4, on_failure={"then": "fallback", "fallback": "c2"}
    )
    second = _channel("c2", "a", "c", latency="5s", enabled=False)
    [outcome] = send_outcomes(first, {"c1": first, "c2": second})
    assert outcome.receiver == "b"
    assert outcome.probability == pytest.approx(0.6)


def test_two_channels_falling_back_on_each_other_try_each_once_and_retry_on_the_fallback() -> None:
    # c1 (10 s, f 0.5) falls back on c2 (20 s, f 0.5, 2 attempts 30 s apart), whose fallback c1 is never taken:
    # 0.5 at 10 s; 0.5 * 0.5 = 0.25 at 10 + 20 = 30 s; 0.5 * 0.25 = 0.125 at 10 + 20 + 30 + 20 = 80 s.
    # Delivered 0.875; E = (5 + 7.5 + 10) / 0.875 = 22.5 / 0.875 = 25.714 s
    first = _channel(
        "c1", "a", "b", latency="10s", failure_probability=0.5, on_failure={"then": "fallback", "fallback": "c2"}
    )
    second = _channel(
        "c2",
        "a",
        "b",
        latency="20s",
        failure_probability=0.5,
        on_failure={"then": "retry", "max_attempts": 2, "retry_after": "30s"},
    )
    [outcome] = send_outcomes(first, {"c1": first, "c2": second})
    assert outcome.channels == ("c1", "c2")
    assert outcome.probability == pytest.approx(0.875)
    assert outcome.expected_s == pytest.approx(22.5 / 0.875)


def test_fallbacks_that_lead_back_stop_after_each_channel_is_tried_once() -> None:
    # c1 and c2 (10 s each, f 0.5) fall back on each other: 0.5 at 10 s, 0.25 at 20 s, then the message is lost.
    first = _channel(
        "c1", "a", "b", latency="10s", failure_probability=0.5, on_failure={"then": "fallback", "fallback": "c2"}
    )
    second = _channel(
        "c2", "a", "b", latency="10s", failure_probability=0.5, on_failure={"then": "fallback", "fallback": "c1"}
    )
    [outcome] = send_outcomes(first, {"c1": first, "c2": second})
    assert outcome.probability == pytest.approx(0.75)
    assert outcome.expected_s == pytest.approx((5 + 5) / 0.75)
