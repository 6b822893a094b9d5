"""Times in an MSEL: Tabletop writes `T+HH:MM:SS`; the forms seen in the field are read by `parse_time`."""

from __future__ import annotations

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
        seconds = _since(moment, start)
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


def _since(moment: datetime, start: datetime) -> float:
    if moment.tzinfo is not None:
        raise TimeError(f"{moment.isoformat()!r} has a time zone", "write the scenario's local time")
    seconds = (moment - start).total_seconds()
    if seconds < 0:
        raise TimeError(
            f"{moment.isoformat(sep=' ')!r} is before T0 ({start.isoformat(sep=' ')})",
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


def bare_times_mode(values: Iterable[object], start: datetime) -> Literal["elapsed", "clock"]:
    """How `--times auto` reads a sheet's bare `HH:MM` cells: as clock times when there is at least one and every
    one is at or after T0's time of day (an exercise starting at 11:50 with cells 11:55, 12:20), else as time since
    T0 (`00:20`).

    Args:
        values: the time column's cells.
        start: the scenario's T0.

    Returns:
        `clock` or `elapsed`.
    """
    t0 = start.hour * 3600 + start.minute * 60 + start.second + start.microsecond / 1e6
    bare = [of_day for value in values if (of_day := _time_of_day(value)) is not None]
    if bare and all(0 <= of_day < DAY_S and of_day >= t0 for of_day in bare):
        return "clock"
    return "elapsed"


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
