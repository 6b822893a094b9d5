"""Spans of simulation time as text for reports: `mm:ss` and signed differences (beside `narrative.t_plus`).

They belong next to `narrative.t_plus`, and join it there once `narrative.py` is free to change; until then the
debrief, the fork diff and the batch summary take them from here.
"""

from __future__ import annotations

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
