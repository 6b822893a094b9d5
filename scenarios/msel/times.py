"""Times in an MSEL: Tabletop writes `T+HH:MM:SS`; the forms seen in the field are read by `parse_time`."""

from __future__ import annotations

from typing import Literal

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
