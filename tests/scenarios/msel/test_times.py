"""The MSEL time parser: every form seen in the field, checked by hand and by properties."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.limits import MAX_DURATION_S
from scenarios.msel.times import TimeError, bare_times_mode, format_time, parse_time

T0 = datetime(2026, 9, 21, 11, 50)


def elapsed(value: object) -> float | None:
    return parse_time(value, start=T0, mode="elapsed")


def clock(value: object) -> float | None:
    return parse_time(value, start=T0, mode="clock")


@pytest.mark.parametrize(
    ("cell", "seconds"),
    [
        ("T+00:15", 900.0),
        ("t + 00:15:30", 930.0),
        ("T+00:00:12.5", 12.5),
        ("T+15", 900.0),
        ("T+1h30m", 5400.0),
        ("+15", 900.0),
        ("+ 2.5", 150.0),
        ("+2,5", 150.0),  # a decimal comma, as German and French spreadsheets write it
        ("H+1,5", 5400.0),
        ("+01:02:03", 3723.0),
        ("H+2", 7200.0),
        ("M+5", 300.0),
        ("S+30", 30.0),
        ("J+1", 86400.0),
        ("D+1", 86400.0),
        ("H+0 M+5", 300.0),
        ("J+1 H+2", 93600.0),
        ("d+0 h+1 m+30", 5400.0),
        ("15m", 900.0),
        ("1h30m", 5400.0),
        ("20s", 20.0),
        ("15", 900.0),
        ("2026-09-21 12:05", 900.0),
        ("2026-09-21T12:05:30", 930.0),
        (15, 900.0),
        (2.5, 150.0),
        (timedelta(minutes=3), 180.0),
        (datetime(2026, 9, 22, 0, 0), 12 * 3600 + 600.0),
    ],
)
def test_each_form_seen_in_the_field_is_read_as_its_seconds_after_t0(cell: object, seconds: float) -> None:
    assert elapsed(cell) == seconds
    assert clock(cell) == seconds  # only bare HH:MM depends on the mode


@pytest.mark.parametrize("cell", [None, "", "   "])
def test_an_empty_cell_has_no_time(cell: object) -> None:
    assert elapsed(cell) is None


def test_a_bare_time_is_time_since_t0_or_a_clock_time_by_the_mode() -> None:
    assert elapsed("00:20") == 1200.0
    assert clock("12:05") == 900.0
    assert clock(time(12, 5)) == 900.0
    assert elapsed(time(0, 20)) == 1200.0
    # before T0's time of day on the clock: the next day (11:40 is 23 h 50 min after 11:50)
    assert clock("11:40") == 23 * 3600 + 50 * 60


@pytest.mark.parametrize(
    ("cell", "wanted"),
    [
        ("25:99", "'25:99' is not a time"),
        ("T-00:05", "before T0"),
        ("H-1", "before T0"),
        ("-5", "before T0"),
        ("2026-09-21 11:00", "before T0"),
        ("J+31", "too late"),
        ("soon", "'soon' is not a time"),
        ("T+", "is not a time"),
        (True, "is not a time"),
        (float("nan"), "is not a time"),
        (10**400, "is not a time"),
    ],
)
def test_a_cell_that_is_no_time_says_why_with_a_hint(cell: object, wanted: str) -> None:
    with pytest.raises(TimeError, match=wanted) as raised:
        elapsed(cell)
    assert raised.value.hint


def test_a_clock_time_past_midnight_is_refused_on_the_clock_but_read_as_elapsed() -> None:
    with pytest.raises(TimeError):
        clock("26:00")
    assert elapsed("26:00") == 26 * 3600.0


def test_without_the_runs_length_bare_times_are_clock_times_only_when_every_one_is_at_or_after_t0s_time_of_day() -> (
    None
):
    assert bare_times_mode(["11:50", "12:20", "T+00:05"], T0) == "clock"
    assert bare_times_mode([time(13, 0)], T0) == "clock"
    assert bare_times_mode(["00:20", "12:20"], T0) == "elapsed"
    assert bare_times_mode(["T+00:05", "+15", None], T0) == "elapsed"
    assert bare_times_mode([], T0) == "elapsed"


MICROS = st.integers(min_value=0, max_value=int(MAX_DURATION_S) * 1_000_000)


@given(MICROS)
def test_format_time_then_parse_time_gives_the_seconds_back_to_the_microsecond(micros: int) -> None:
    seconds = micros / 1_000_000
    parsed = elapsed(format_time(seconds))
    assert parsed is not None
    assert abs(parsed - seconds) < 1e-6


@given(st.integers(0, 30 * 24 * 60), st.booleans())
def test_plus_n_is_n_minutes(minutes: int, spaced: bool) -> None:
    assert elapsed(f"+ {minutes}" if spaced else f"+{minutes}") == minutes * 60


@given(st.integers(0, 700), st.integers(0, 59))
def test_h_plus_a_m_plus_b_is_a_hours_and_b_minutes(hours: int, minutes: int) -> None:
    assert elapsed(f"H+{hours} M+{minutes}") == hours * 3600 + minutes * 60


@given(st.integers(0, 29), st.integers(0, 23))
def test_j_plus_d_h_plus_h_is_d_days_and_h_hours(days: int, hours: int) -> None:
    assert elapsed(f"J+{days} H+{hours}") == days * 86400 + hours * 3600
    assert elapsed(f"d+{days} h+{hours}") == days * 86400 + hours * 3600


@given(st.integers(0, 719), st.integers(0, 59), st.integers(0, 59))
def test_t_plus_hh_mm_ss_is_its_arithmetic(hours: int, minutes: int, seconds: int) -> None:
    assert elapsed(f"T+{hours:02d}:{minutes:02d}:{seconds:02d}") == hours * 3600 + minutes * 60 + seconds


@given(st.text(max_size=40), st.sampled_from(["elapsed", "clock"]))
def test_any_text_either_parses_or_raises_a_time_error(text: str, mode: str) -> None:
    try:
        seconds = parse_time(text, start=T0, mode="clock" if mode == "clock" else "elapsed")
    except TimeError:
        return
    assert seconds is None or 0 <= seconds <= MAX_DURATION_S


@given(st.text(alphabet="tTjJdDhHmMsS+-:. 0123456789", max_size=24))
def test_any_text_of_time_characters_either_parses_or_raises_a_time_error(text: str) -> None:
    try:
        seconds = elapsed(text)
    except TimeError:
        return
    assert seconds is None or 0 <= seconds <= MAX_DURATION_S


def test_bare_times_of_an_overnight_run_in_sheet_order_are_clock_times() -> None:
    two_hours = 7200.0
    night = datetime(2026, 9, 21, 23, 30)
    assert bare_times_mode(["23:30", "23:45", "00:15"], night, two_hours) == "clock"
    # read as clock times, 00:00 and 00:20 would be out of a 2 h run started at 11:50: time since T0
    assert bare_times_mode(["00:00", "00:20"], T0, two_hours) == "elapsed"
    assert bare_times_mode(["11:55", "12:20"], T0, two_hours) == "clock"
    # within the run but out of order, and no later than its end as elapsed: time since T0
    assert bare_times_mode(["00:45", "00:15"], night, two_hours) == "elapsed"
    # out of order, but reading them as elapsed would put 23:45 after the run's end
    assert bare_times_mode(["00:15", "23:45"], night, two_hours) == "clock"


@pytest.mark.parametrize(
    ("cell", "seconds"),
    [
        ("21.09.2026 12:05", 15 * 60.0),
        ("9/21/2026 12:10 PM", 20 * 60.0),
        ("12:30 PM", 40 * 60.0),
        ("12:05 am", 12 * 3600 + 15 * 60.0),
        (datetime(1900, 1, 1, 0, 14, 24), 24 * 3600 + 14 * 60 + 24.0),  # an [h]:mm cell showing 24:14:24
    ],
)
def test_locale_dates_twelve_hour_times_and_long_spreadsheet_durations_are_read(cell: object, seconds: float) -> None:
    assert elapsed(cell) == seconds


@pytest.mark.parametrize(
    ("cell", "hint"), [("12.30", "write 12:30 for a clock time, or +12.5 for minutes"), ("9,05", "9:05")]
)
def test_a_number_with_two_decimals_is_refused_as_clock_time_or_minutes(cell: str, hint: str) -> None:
    with pytest.raises(TimeError) as raised:
        elapsed(cell)
    assert str(raised.value) == f"{cell!r} could be a clock time or minutes"
    assert hint in str(raised.value.hint)
