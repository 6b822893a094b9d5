"""Seats: who sits at a console of a live exercise, and so what they may see and do.

A seat is plain text, so that commands and records carrying it stay JSON: `facilitator` (runs the exercise, sees
everything), `evaluator` (sees everything, takes notes, changes nothing), or a stakeholder's id (a participant playing
that organisation: sees what reached it, takes its decisions).
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from typing import Final

from simulator.errors import CommandError

Seat = str
"""`facilitator`, `evaluator`, or the id of the stakeholder a participant plays."""

FACILITATOR: Final = "facilitator"
"""The facilitator's seat: sees every record, issues every command."""
EVALUATOR: Final = "evaluator"
"""An evaluator's seat: sees every record, notes observations, changes nothing in the run."""
CONTROL_SEATS: Final = frozenset({FACILITATOR, EVALUATOR})
"""The seats that see the whole exercise (the ground truth included)."""


def is_participant(seat: Seat) -> bool:
    """Whether `seat` is a participant's (a stakeholder's) seat."""
    return seat not in CONTROL_SEATS


def check_seat(seat: object, stakeholders: Iterable[str]) -> Seat:
    """Return `seat` if it is a seat of an exercise with these stakeholders.

    Raises:
        CommandError: not text, or neither a control seat nor a stakeholder (with a "did you mean").
    """
    known = sorted(stakeholders)
    if isinstance(seat, str) and (seat in CONTROL_SEATS or seat in known):
        return seat
    choices = [FACILITATOR, EVALUATOR, *known]
    close = get_close_matches(str(seat), choices, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"seats: {', '.join(choices)}"
    raise CommandError(f"no seat {seat!r}", hint)
