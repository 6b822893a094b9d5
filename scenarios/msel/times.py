"""Times in an MSEL: Tabletop writes `T+HH:MM:SS`; the forms seen in the field are read by `parse_time`."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Literal

from scenarios._base import format_duration, parse_duration
from scenarios.limits import DAY_S, MAX_DURATION_S, REASONS

TimeMode = Literal["auto", "elapsed", "clock"]
"""How a bare `HH:MM` is read: `elapsed` since T0, a `clock` time on the scenario's day, or `auto`."""


class TimeError(ValueError):
    """A cell is not a time Tabletop can read; carries a hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def format_time(seconds: float) -> str:
    """Seconds after T0 as `T+HH:MM:SS` (`T+01:05:00`; hours past 99 as they are, `T+100:00:00`), with the
    fraction of a second when there is one, to the microsecond (`T+00:00:12.5`)."""
    micros = round(seconds * 1_000_000)
    whole, fraction = divmod(micros, 1_000_000)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"T+{hours:02d}:{minutes:02d}:{secs:02d}"
    if fraction:
        text += f".{fraction:06d}".rstrip("0")
    return text


_HINT = "write T+HH:MM, +MINUTES, H+2 or a clock time"
_NUMBER = r"\d+(?:\.\d*)?|\.\d+"
_CLOCK = re.compile(r"(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d{1,6})?))?")
_MINUTES = re.compile(_NUMBER)
_UNITS = re.compile(
    rf"(?:([jd])\+({_NUMBER}))?\s*(?:h\+({_NUMBER}))?\s*(?:m\+({_NUMBER}))?\s*(?:s\+({_NUMBER}))?", re.IGNORECASE
)
_NEGATIVE = re.compile(r"(?:^|[\s])(?:[tjdhms]?\s*)-\s*\d", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}[ t]\d", re.IGNORECASE)
_DOTTED = re.compile(r"(\d+)([.,])(\d{2})")
"""`12.30`: the clock time 12:30 written with a dot, or 12.3 minutes? Refused, with both spellings in the hint."""
_LOCAL_DATE = re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})\s+(.+)")
"""`21.09.2026 12:05` (day first, as German spreadsheets write it) or `9/21/2026 12:10 PM` (month first, US)."""
_MERIDIEM = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap])\.?m\.?", re.IGNORECASE)
_EXCEL_EPOCH = datetime(1899, 12, 31)
"""Day 1 of a spreadsheet's serial dates: an `[h]:mm` cell over 24 hours comes out as a date in January 1900."""
_UNIT_SECONDS = (DAY_S, 3600.0, 60.0, 1.0)


def parse_time(value: object, *, start: datetime, mode: Literal["elapsed", "clock"]) -> float | None:
    """A cell's time as seconds after T0, in any of the forms seen in the field.

    Args:
        value: the cell (text, or what a spreadsheet stores: a number of minutes, a time, a date and time, a
            duration).
        start: the scenario's T0, as a naive local time.
        mode: how a bare `HH:MM` is read: `elapsed` since T0, or a `clock` time on the scenario's day (one before
            T0's time of day is on the next day).

    Returns:
        The seconds after T0, or None for an empty cell.

    Raises:
        TimeError: the cell is not a time, is before T0, or is later than the longest duration a scenario takes.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise TimeError(f"{str(value).upper()!r} is not a time", _HINT)
    if isinstance(value, datetime):
        if value < datetime(1900, 3, 1):
            # A duration over 24 hours in an `[h]:mm` cell: its serial number of days, read as the time it shows.
            # (A scenario lasts at most 30 days, so the serial dates' leap-day bug after 28 February never matters.)
            return _checked((value - _EXCEL_EPOCH).total_seconds(), value.isoformat(sep=" "))
        return _checked(_since(value, start), value.isoformat(sep=" "))
    if isinstance(value, time):
        return _checked(
            _bare(value.hour, value.minute, value.second + value.microsecond / 1e6, start, mode), str(value)
        )
    if isinstance(value, timedelta):
        return _checked(value.total_seconds(), str(value))
    try:
        if isinstance(value, int | float):
            return _checked(float(value) * 60, str(value))
        return _parse_text(str(value), start, mode)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, TimeError):
            raise
        # Thousands of digits: more than a float holds, or than Python turns into an int.
        raise TimeError(f"{_shown(value)!r} is not a time", _HINT) from None


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}...{text[-6:]}"


def _parse_text(value: str, start: datetime, mode: Literal["elapsed", "clock"]) -> float | None:
    text = value.strip()
    if not text:
        return None
    dotted = _DOTTED.fullmatch(text)
    if dotted is not None:
        hours, minutes = dotted.group(1), dotted.group(3)
        raise TimeError(
            f"{text!r} could be a clock time or minutes",
            # (`12.30` as minutes and seconds is twelve and a half minutes)
            f"write {hours}:{minutes} for a clock time, or +{round(int(hours) + int(minutes) / 60, 2):g} for minutes",
        )
    local = _LOCAL_DATE.fullmatch(text)
    if local is not None:
        return _checked(_local_date(local, text, start), text)
    meridiem = _MERIDIEM.fullmatch(text)
    if meridiem is not None:
        return _checked(_bare(*_twelve_hours(meridiem, text), start, "clock"), text)
    compact = re.sub(r"\s*([+-])\s*", r"\1", text.lower())
    # A decimal comma, as a German or French spreadsheet writes it: `+2,5` is two and a half minutes.
    compact = re.sub(r"(?<=\d),(?=\d)", ".", compact)
    if compact.startswith(("t-", "-")) or _NEGATIVE.search(" " + compact):
        raise TimeError(f"{text!r} is before T0", "an inject is delivered at T0 or later: write T+00:00 or later")
    seconds: float | None = None
    if compact.startswith("t+"):
        seconds = _elapsed(compact[2:], durations=True)
    elif compact.startswith("+"):
        seconds = _elapsed(compact[1:], durations=False)
    elif _DATE.match(compact):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise TimeError(f"{text!r} is not a date and time", "write it like 2026-09-21 12:05") from None
        if moment.tzinfo is not None:
            raise TimeError(f"{text!r} has a time zone", "write the scenario's local time, like 2026-09-21 12:05")
        seconds = _since(moment, start, text)
    elif (clock := _CLOCK.fullmatch(compact)) is not None:
        hours, minutes, secs = int(clock.group(1)), int(clock.group(2)), float(clock.group(3) or 0)
        if minutes >= 60 or secs >= 60 or (mode == "clock" and hours >= 24):
            raise TimeError(f"{text!r} is not a time", _HINT)
        seconds = _bare(hours, minutes, secs, start, mode)
    elif _MINUTES.fullmatch(compact):
        seconds = float(compact) * 60
    else:
        seconds = _units(compact)
        if seconds is None:
            seconds = _duration(compact)
    if seconds is None:
        raise TimeError(f"{text!r} is not a time", _HINT)
    return _checked(seconds, text)


def _elapsed(rest: str, *, durations: bool) -> float | None:
    """What follows `T+` or `+`: `HH:MM[:SS]`, minutes, or (after `T+`) a scenario duration."""
    clock = _CLOCK.fullmatch(rest)
    if clock is not None:
        minutes, secs = int(clock.group(2)), float(clock.group(3) or 0)
        if minutes >= 60 or secs >= 60:
            return None
        return int(clock.group(1)) * 3600 + minutes * 60 + secs
    if _MINUTES.fullmatch(rest):
        return float(rest) * 60
    return _duration(rest) if durations else None


def _units(text: str) -> float | None:
    """`J+1 H+2 M+5 S+30`: any of them, in that order."""
    match = _UNITS.fullmatch(text)
    if match is None or not any(match.group(k) for k in (2, 3, 4, 5)):
        return None
    return sum(float(match.group(k) or 0) * unit for k, unit in zip((2, 3, 4, 5), _UNIT_SECONDS, strict=True))


def _duration(text: str) -> float | None:
    if not re.fullmatch(r"[0-9.hms ]+", text) or not re.search(r"[hms]", text):
        return None
    try:
        return parse_duration(text)
    except ValueError:
        return None


def _bare(hours: int, minutes: int, secs: float, start: datetime, mode: Literal["elapsed", "clock"]) -> float:
    if mode == "elapsed":
        return hours * 3600 + minutes * 60 + secs
    of_day = hours * 3600 + minutes * 60 + secs
    t0 = start.hour * 3600 + start.minute * 60 + start.second + start.microsecond / 1e6
    return of_day - t0 if of_day >= t0 else of_day - t0 + DAY_S


def _twelve_hours(match: re.Match[str], text: str) -> tuple[int, int, float]:
    """`12:30 PM` as (12, 30, 0); `12:05 AM` is five past midnight."""
    hours, minutes, secs = int(match.group(1)), int(match.group(2)), float(match.group(3) or 0)
    if not 1 <= hours <= 12 or minutes >= 60 or secs >= 60:
        raise TimeError(f"{text!r} is not a time", _HINT)
    return hours % 12 + (12 if match.group(4).lower() == "p" else 0), minutes, secs


def _local_date(match: re.Match[str], text: str, start: datetime) -> float:
    """A date as a spreadsheet's locale writes it: day first with dots, month first with slashes."""
    first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    day, month = (first, second) if match.group(2) == "." else (second, first)
    rest = match.group(5).strip()
    meridiem = _MERIDIEM.fullmatch(rest)
    clock = _CLOCK.fullmatch(rest)
    try:
        if meridiem is not None:
            hours, minutes, secs = _twelve_hours(meridiem, text)
        elif clock is not None:
            hours, minutes, secs = int(clock.group(1)), int(clock.group(2)), float(clock.group(3) or 0)
        else:
            raise ValueError(rest)
        moment = datetime(year, month, day, hours, minutes) + timedelta(seconds=secs)
    except ValueError:
        raise TimeError(f"{text!r} is not a date and time", "write it like 2026-09-21 12:05") from None
    return _since(moment, start, text)


def _since(moment: datetime, start: datetime, shown: str | None = None) -> float:
    shown = shown if shown is not None else moment.isoformat(sep=" ")
    if moment.tzinfo is not None:
        raise TimeError(f"{shown!r} has a time zone", "write the scenario's local time")
    seconds = (moment - start).total_seconds()
    if seconds < 0:
        raise TimeError(
            f"{shown!r} is before T0 ({start.isoformat(sep=' ')})",
            "an inject is delivered at T0 or later",
        )
    return seconds


def _checked(seconds: float, shown: str) -> float:
    if not math.isfinite(seconds) or seconds < 0:
        if seconds < 0:
            raise TimeError(f"{shown!r} is before T0", "an inject is delivered at T0 or later")
        raise TimeError(f"{shown!r} is not a time", _HINT)
    if seconds > MAX_DURATION_S:
        raise TimeError(
            f"{shown!r} is too late: a scenario lasts at most {format_duration(MAX_DURATION_S)}",
            f"the limit is {REASONS['duration']}",
        )
    return seconds


def bare_times_mode(
    values: Iterable[object], start: datetime, duration: float | None = None
) -> Literal["elapsed", "clock"]:
    """How `--times auto` reads a sheet's bare `HH:MM` cells: as clock times from T0 (one before T0's time of day
    is on the next day) when there is at least one and either every one is at or after T0's time of day (T0 11:50,
    cells 11:55 and 12:20), or, read as clock times, they all fall within the run and are in the sheet's order, or
    reading them as time since T0 would put one after the run's end (T0 23:30, cells 23:45 and 00:15); else as time
    since T0 (`00:20`).

    Args:
        values: the time column's cells, in sheet order.
        start: the scenario's T0.
        duration: the run's length in seconds (None: the overnight rules are not applied).

    Returns:
        `clock` or `elapsed`.
    """
    t0 = start.hour * 3600 + start.minute * 60 + start.second + start.microsecond / 1e6
    bare = [of_day for value in values if (of_day := _time_of_day(value)) is not None]
    if not bare or not all(0 <= of_day < DAY_S for of_day in bare):
        return "elapsed"
    if all(of_day >= t0 for of_day in bare):
        return "clock"
    if duration is None:
        return "elapsed"
    clock = [of_day - t0 if of_day >= t0 else of_day - t0 + DAY_S for of_day in bare]
    within = all(seconds <= duration for seconds in clock)
    ordered = all(a <= b for a, b in itertools.pairwise(clock))
    return "clock" if within and (ordered or any(of_day > duration for of_day in bare)) else "elapsed"


def _time_of_day(value: object) -> float | None:
    """A bare time's seconds since midnight, or None for a cell that is not a bare time."""
    if isinstance(value, time):
        return value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    if not isinstance(value, str):
        return None
    clock = _CLOCK.fullmatch(value.strip())
    if clock is None:
        return None
    return int(clock.group(1)) * 3600 + int(clock.group(2)) * 60 + float(clock.group(3) or 0)
