"""Spans of time as text: `minutes` and `signed`."""

from __future__ import annotations

import pytest

from simulator.formatting import DASH, minutes, signed


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (None, DASH),
        (0.0, "00:00"),
        (400.0, "06:40"),
        (3720.0, "01:02:00"),
        # An interval whose end came first: the same digits with a minus, not divmod's -1:53:20 for -400 s.
        (-400.0, "-06:40"),
        (-767.4, "-12:47"),
        (-3720.0, "-01:02:00"),
    ],
)
def test_minutes_shows_positive_and_negative_spans_alike(seconds: float | None, shown: str) -> None:
    assert minutes(seconds) == shown


def test_signed_puts_the_sign_before_the_span() -> None:
    assert (signed(None), signed(0.0), signed(90.0), signed(-90.0)) == ("", "±0", "+01:30", "-01:30")
