"""Spans of simulation time as text for reports: `mm:ss`, signed differences (beside `narrative.t_plus`), and a
scenario's delays in words.

They belong next to `narrative.t_plus`, and join it there once `narrative.py` is free to change; until then the
debrief, the fork diff and the batch summary take them from here.
"""

from __future__ import annotations

from scenarios._base import format_duration
from scenarios.distributions import Delay, Empirical, Exponential, Fixed, Lognormal, Triangular, Uniform
from simulator.narrative import t_plus

DASH = "—"
"""What a column shows where there is no value: a time that never came, an item a run or variant lacks."""


def minutes(t: float | None) -> str:
    """Seconds as `mm:ss` (or `hh:mm:ss` from an hour), `-mm:ss` when negative, `—` for never."""
    if t is None:
        return DASH
    if t < 0:  # an interval whose end came before its start (a reference between two milestones, say)
        return "-" + minutes(-t)
    return t_plus(t).removeprefix("T+").removeprefix("00:")


def signed(delta: float | None) -> str:
    """A signed difference in `mm:ss` (`±0` for none at all), empty when there is nothing to compare."""
    if delta is None:
        return ""
    if delta == 0:
        return "±0"
    return ("+" if delta > 0 else "-") + minutes(abs(delta))


def delay_text(delay: Delay) -> str:
    """A duration or a distribution of durations in the scenario's notation, written one way in the report and in
    `tabletop show`: `5m`, `30s to 1m30s`, `2m to 8m, most often 4m`, `median 1m, 9 in 10 under 10m`."""
    d = format_duration
    match delay:
        case Fixed():
            return d(delay.value)
        case Uniform():
            return f"{d(delay.low)} to {d(delay.high)}"
        case Triangular():
            return f"{d(delay.low)} to {d(delay.high)}, most often {d(delay.mode)}"
        case Lognormal():
            return f"median {d(delay.median)}, 9 in 10 under {d(delay.p90)}"
        case Exponential():
            return f"{d(delay.mean)} on average"
        case Empirical():
            return "one of " + ", ".join(d(value) for value in delay.values)
    return d(float(delay))
