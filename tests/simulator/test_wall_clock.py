"""Clock times people read: local time in the scenario's time zone, across the changes of daylight saving."""

from __future__ import annotations

import pytest

from simulator import Exercise, ExerciseHost
from simulator.debrief import debrief
from simulator.narrative import wall_clock
from tabletop_cli._run import summary_json
from tests.simulator.scenario_factory import facts, inject, milestone, scenario, stakeholder

PARIS = "Europe/Paris"
SPRING = "2026-03-29T01:50:00"
"""Ten minutes before Paris moves its clocks from 02:00 to 03:00 (01:00 UTC)."""
AUTUMN = "2026-10-25T01:50:00"
"""Summer time, an hour and ten minutes before Paris moves its clocks back from 03:00 to 02:00 (01:00 UTC)."""


@pytest.mark.parametrize(
    ("minutes", "clock"), [(0, "01:50:00"), (9, "01:59:00"), (10, "03:00:00"), (22, "03:12:00"), (90, "04:20:00")]
)
def test_the_clock_jumps_an_hour_when_summer_time_begins(minutes: int, clock: str) -> None:
    assert wall_clock(SPRING, PARIS, minutes * 60) == clock


@pytest.mark.parametrize(
    ("minutes", "clock"), [(10, "02:00:00"), (69, "02:59:00"), (70, "02:00:00"), (100, "02:30:00"), (130, "03:00:00")]
)
def test_the_hour_from_two_to_three_comes_twice_when_summer_time_ends(minutes: int, clock: str) -> None:
    assert wall_clock(AUTUMN, PARIS, minutes * 60) == clock


def test_a_start_inside_the_skipped_hour_is_read_with_the_offset_before_the_change() -> None:
    assert wall_clock("2026-03-29T02:30:00", PARIS, 0) == "03:30:00"


def test_a_start_inside_the_repeated_hour_is_the_first_of_the_two() -> None:
    # 02:30 summer time; an hour later it is 02:30 again, in winter time.
    assert [wall_clock("2026-10-25T02:30:00", PARIS, t) for t in (0, 3600)] == ["02:30:00", "02:30:00"]


def test_a_run_across_the_change_shows_local_times_in_its_timeline_milestones_and_summary() -> None:
    built = scenario(
        duration="90m",
        clock={"start": SPRING, "time_zone": PARIS, "duration": "90m"},
        facts=facts("alarm"),
        stakeholders=[stakeholder("guard")],
        injects=[inject("call", "guard", at="22m", fact="alarm")],
        milestones=[milestone("guard-knows", when={"fact": "alarm", "stakeholder": "guard"})],
    )
    exercise = Exercise(built)

    report = debrief(exercise, exercise.run())

    ended = report.timeline[-1]
    assert [row.clock for row in report.milestones] == ["03:12:00"]
    assert (ended.text.startswith("Run ended"), ended.t_plus, ended.clock) == (True, "T+01:30:00", "04:20:00")
    assert summary_json(report)["milestones"] == {"guard-knows": {"t": 1320.0, "wall_clock": "03:12:00"}}


def test_the_console_clock_shows_the_repeated_hour_with_its_offset_when_summer_time_ends() -> None:
    built = scenario(clock={"start": AUTUMN, "time_zone": PARIS, "duration": "3h"}, stakeholders=[stakeholder("guard")])
    host = ExerciseHost(Exercise(built))
    shown = []
    for minutes in (40, 70, 100):
        host.advance_to(minutes * 60)
        shown.append((host.clock().wall_clock, host.clock().utc_offset))

    assert shown == [("02:30:00", "+02:00"), ("02:00:00", "+01:00"), ("02:30:00", "+01:00")]
