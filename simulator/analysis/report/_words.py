"""Figures of a report in words, written one way everywhere (tables, findings, plots): shares (durations and delays:
`simulator.formatting`)."""

from __future__ import annotations


def share(value: float) -> str:
    """A probability or share as a whole percentage, with one decimal where that would read 0% or 100% and is not
    (999 of 1,000 is 99.9%, not 100%)."""
    shown = f"{value:.0%}"
    return f"{value:.1%}" if shown in ("0%", "100%") and 0 < value < 1 else shown


# --- reading the folder -----------------------------------------------------------------------------------------------
