"""Figures of a report in words, written one way everywhere (tables, findings, plots): shares and durations."""

from __future__ import annotations

from scenarios._base import format_duration
from scenarios.distributions import Empirical, Exponential, Fixed, Lognormal, Triangular, Uniform


def share(value: float) -> str:
    """A probability or share as a whole percentage, with one decimal where that would read 0% or 100% and is not
    (999 of 1,000 is 99.9%, not 100%)."""
    shown = f"{value:.0%}"
    return f"{value:.1%}" if shown in ("0%", "100%") and 0 < value < 1 else shown


def delay_text(delay: object) -> str:
    """A duration or a distribution of durations in the scenario's notation: `5m`, `2m to 8m, most often 4m`."""
    d = format_duration
    if isinstance(delay, int | float):
        return d(float(delay))
    if isinstance(delay, Fixed):
        return d(delay.value)
    if isinstance(delay, Uniform):
        return f"{d(delay.low)} to {d(delay.high)}"
    if isinstance(delay, Triangular):
        return f"{d(delay.low)} to {d(delay.high)}, most often {d(delay.mode)}"
    if isinstance(delay, Lognormal):
        return f"median {d(delay.median)}, 9 in 10 under {d(delay.p90)}"
    if isinstance(delay, Exponential):
        return f"{d(delay.mean)} on average"
    if isinstance(delay, Empirical):
        return "one of " + ", ".join(d(value) for value in delay.values)
    return str(delay)


# --- reading the folder -----------------------------------------------------------------------------------------------
