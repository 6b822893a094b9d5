"""The engine's ceiling: a run that would never end stops at its limit, logs why, seals and replays identically."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scenarios import Scenario
from scenarios.limits import MAX_ARRIVALS_PER_HOUR, MAX_ATTEMPTS, MAX_UNITS
from simulator import EVALUATOR, Exercise, ExerciseHost
from simulator._units import UnitPool
from simulator.analysis.replay import verify
from simulator.limits import MAX_EVENTS, MAX_RECORDS, RunLimits
from simulator.runlog import read_run_log
from tests.cli import invoke
from tests.simulator.scenario_factory import (
    channel,
    dispatch,
    facts,
    rule,
    scenario,
    site,
    stakeholder,
)


def retry_storm() -> Scenario:
    """A line that always fails and is retried at once, as often as the language allows: every attempt at T0."""
    failing = {
        "latency": "0s",
        "failure_probability": 1.0,
        "on_failure": {"then": "retry", "retry_after": "0s", "max_attempts": MAX_ATTEMPTS},
    }
    call = rule("call", {"event": "start"}, {"action": "notify", "to": "police", "fact": "alarm"})
    return scenario(
        facts=facts("alarm"),
        stakeholders=[stakeholder("guard", call), stakeholder("police")],
        channels=[channel("phone", "guard", "police", **failing)],
    )


def flooded_control_room(arrivals_per_hour: float = MAX_ARRIVALS_PER_HOUR, service_time: str = "1h") -> Scenario:
    """A control room with one call taker, and calls arriving faster than it can take them, for a day.

    The language bounds the rate; a faster one (which only a program building a `Scenario` by hand can give, past
    the loader's checks) is set afterwards, to show that the engine's own guards hold without the language's.
    """
    background = {"arrivals_per_hour": MAX_ARRIVALS_PER_HOUR, "service_time": service_time}
    built = scenario(stakeholders=[stakeholder("police", background=background)], duration="24h")
    police = built.stakeholders[0]
    assert police.background is not None
    faster = police.background.model_copy(update={"arrivals_per_hour": arrivals_per_hour})
    return built.model_copy(update={"stakeholders": [police.model_copy(update={"background": faster})]})


def test_a_retry_storm_at_t0_stops_after_the_event_that_reached_the_record_limit() -> None:
    exercise = Exercise(retry_storm(), limits=RunLimits(records=100))

    summary = exercise.run()

    # RunStarted, RuleFired, then one record per event (sent, failed, sent...): the 100th record is made by an
    # event of its own, and the run stops right after it.
    stopped, ended = exercise.records[-2:]
    assert (stopped["seq"], stopped["kind"], stopped["limit"]) == (100, "RunStopped", "records")
    assert stopped["reason"] == "record limit reached (100 records)"
    assert ended["kind"] == "RunEnded" and ended["step"] == stopped["step"]
    assert exercise.stopped == "record limit reached (100 records)"
    assert (summary.end_t, summary.records) == (0.0, 102)
    assert [r["kind"] for r in exercise.records[2:6]] == [
        "MessageSent",
        "MessageFailed",
        "MessageSent",
        "MessageFailed",
    ]


def test_a_flood_of_calls_that_waits_without_records_stops_at_exactly_the_event_limit() -> None:
    exercise = Exercise(flooded_control_room(1e308), limits=RunLimits(events=1_000))

    exercise.run()

    stopped = exercise.records[-2]
    assert (stopped["kind"], stopped["limit"], stopped["step"]) == ("RunStopped", "events", 1_000)
    assert stopped["reason"] == "event limit reached (1,000 events)"
    assert exercise.step == 1_000


def test_calls_faster_than_a_millisecond_still_move_the_clock_a_millisecond_each() -> None:
    exercise = Exercise(flooded_control_room(1e308, service_time="0s"), limits=RunLimits(records=6))

    exercise.run()

    started = [r["t"] for r in exercise.records if r["kind"] == "BackgroundJobStarted"]
    assert started == [0.001, 0.002, 0.003, 0.004, 0.005]


def test_a_stopped_run_seals_its_log_and_verifies_identically(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    Exercise(retry_storm(), log=path, limits=RunLimits(records=50)).run()

    log = read_run_log(path)
    verification = verify(path, embedded=True)
    code, output = invoke("replay", str(path), "--verify", "--embedded")

    assert log.seal is not None and log.header["limits"] == {"events": MAX_EVENTS, "records": 50}
    assert [r["kind"] for r in log.records[-2:]] == ["RunStopped", "RunEnded"]
    assert verification.ok and verification.records_checked == len(log.records)
    assert code == 0 and "identical" in output


def test_the_same_run_stops_at_the_same_record_every_time() -> None:
    runs = [Exercise(flooded_control_room(3.6e9, "1s"), 5, limits=RunLimits(events=500)) for _ in range(2)]

    logs = [(run.run(), run.log_bytes())[1] for run in runs]

    assert logs[0] == logs[1]
    assert b'"RunStopped"' in logs[0]


def test_a_live_run_that_stopped_keeps_its_clock_takes_notes_and_ends_when_finished(tmp_path: Path) -> None:
    path = tmp_path / "live.jsonl"
    host = ExerciseHost(Exercise(flooded_control_room(), log=path, limits=RunLimits(events=200)))
    host.run_clock()
    host.set_speed("max")
    host.tick(1.0)
    stopped_at = host.clock().now

    host.tick(1.0)
    host.advance_to(3600)
    host.submit({"command": "observe", "seat": EVALUATOR, "text": "The room drowned in calls."})
    host.finish()

    kinds = [r["kind"] for r in read_run_log(path).records]
    assert host.clock().now == stopped_at and not host.step()
    assert kinds[-4:] == ["RunStopped", "CommandApplied", "ObservationNoted", "RunEnded"]
    assert host.debrief().stopped == "event limit reached (200 events)"
    assert verify(path, embedded=True).ok


def test_a_dispatch_of_a_hundred_billion_units_is_one_claim_not_a_hundred_billion_requests() -> None:
    # The language allows MAX_UNITS; a program building a Scenario by hand can give more, and a loop per unit would
    # never end. The counts are set past the loader's checks.
    police = stakeholder(
        "police",
        rule("send", {"event": "start"}, dispatch("hq", units=MAX_UNITS)),
        units=MAX_UNITS,
        travel={"hq": "5m"},
    )
    built = scenario(sites=[site("hq")], stakeholders=[police])
    units = 100_000_000_000
    owner = built.stakeholders[0]
    send = owner.playbook[0]
    action = send.do[0].model_copy(update={"units": units})
    owner = owner.model_copy(update={"units": units, "playbook": [send.model_copy(update={"do": [action]})]})
    exercise = Exercise(built.model_copy(update={"stakeholders": [owner]}))

    exercise.run()

    arrived = [r for r in exercise.records if r["kind"] == "UnitsArrived"]
    assert [(r["t"], r["units"]) for r in arrived] == [(300.0, units)]


def test_units_asked_for_together_are_handed_over_in_order_one_event_each_as_single_requests_are() -> None:
    handovers: list[Callable[[], object]] = []
    pool = UnitPool(2, handovers.append)
    granted: list[str] = []
    pool.request(lambda: granted.append("one"))
    pool.request_many(3, lambda: granted.append("three"))  # one unit now, two when released
    pool.request(lambda: granted.append("after"))

    after_each_release = []
    for _ in range(3):
        pool.release()
        handovers.pop(0)()
        after_each_release.append(list(granted))

    assert after_each_release == [["one"], ["one", "three"], ["one", "three", "after"]]
    assert (pool.in_use, len(pool.waiting), handovers) == (2, 0, [])


@pytest.mark.parametrize("value", [{"records": 0, "events": 5}, {"records": 5}, "many", {"records": True, "events": 1}])
def test_limits_in_a_header_are_whole_numbers_from_one(value: object) -> None:
    with pytest.raises(ValueError, match="limit"):
        RunLimits.from_header(value)


def test_a_log_written_before_limits_were_logged_plays_under_the_defaults() -> None:
    assert RunLimits.from_header(None) == RunLimits(records=MAX_RECORDS, events=MAX_EVENTS)
