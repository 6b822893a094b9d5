"""Background work: the other calls and jobs that keep a stakeholder's units busy, and the surges of them."""

from __future__ import annotations

from collections import deque
from math import log
from typing import TYPE_CHECKING, Final

import simpy

if TYPE_CHECKING:
    from simulator._state import WorldState

MIN_GAP_S: Final = 0.001
"""The shortest time between two arrivals of one stakeholder's background work (the clock's resolution)."""


class _BackgroundWork:
    """One stakeholder's other work: Poisson arrivals, each holding a unit for its service time.

    The hottest path of most runs (a control room's calls), so it is written with bound methods and no closures.
    A surge changes the rate of arrivals; the arrival pending then is drawn again at the new rate, from now (the
    process is memoryless, so this is exactly a Poisson process whose rate changes at that moment).
    """

    __slots__ = (
        "base_rate",
        "begin",
        "env",
        "pending",
        "rate",
        "record",
        "rng",
        "service",
        "stakeholder",
        "surges",
        "units",
        "waiting",
        "world",
    )

    def __init__(self, world: WorldState, stakeholder: str) -> None:
        background = world.stakeholders[stakeholder].background
        assert background is not None
        self.world = world
        self.env = world.env
        self.stakeholder = stakeholder
        self.base_rate = background.arrivals_per_hour / 3600.0
        """The usual rate of arrivals, per second."""
        self.rate = self.base_rate
        """The rate of arrivals now (the usual one times the highest factor of the surges under way)."""
        self.surges: list[float] = []
        """The factors of the surges under way, in the order they began."""
        self.service = world.compiled.service_times[stakeholder]
        self.rng = world.rng(f"background:{stakeholder}")
        self.units = world.units[stakeholder]
        self.record = world.record
        self.waiting: deque[tuple[float, float]] = deque()
        """(arrival time, service time) of the jobs waiting for a unit, oldest first."""
        self.pending: simpy.Timeout | None = None
        """The timeout of the next arrival."""
        self.begin = self.start
        """`start`, bound once: a queue of a million waiting jobs then holds one method, not a million."""

    def schedule_next(self) -> None:
        # Times are whole milliseconds, so at most one arrival per millisecond: a gap rounded to 0 (a rate of a
        # billion an hour) would make arrivals without end while the clock never moves.
        gap = max(round(-log(1.0 - self.rng.random()) / self.rate, 3), MIN_GAP_S)  # `expovariate`, written out
        pending = self.pending = self.env.timeout(gap)
        pending.callbacks.append(self.arrive)

    def arrive(self, _event: object) -> None:
        # The job's service time is drawn as it arrives, not when a unit frees up: the stream's draws then do not
        # depend on the scenario's own work, so variants compared on the same seed see the same background.
        fixed, draw = self.service
        service = fixed if fixed is not None else draw(self.rng)
        self.waiting.append((self.env.now, service))
        self.schedule_next()
        self.units.request(self.begin)

    def start(self) -> None:
        # Units are granted in order of request, so the job starting now is the oldest one waiting.
        arrived, service = self.waiting.popleft()
        self.record(
            "BackgroundJobStarted",
            stakeholder=self.stakeholder,
            waited_s=round(self.env.now - arrived, 3),
            service_s=service,
        )
        self.env.timeout(service).callbacks.append(self.done)

    def done(self, _event: object) -> None:
        self.units.release()

    # --- surges -----------------------------------------------------------------------------------------------

    def surge(self, factor: float, duration_s: float) -> None:
        """Arrivals come `factor` times as often for `duration_s` (or as often as a stronger surge under way says)."""
        until_t = round(self.env.now + duration_s, 3)
        self.record("LoadSurged", stakeholder=self.stakeholder, factor=float(factor), until_t=until_t)
        self.surges.append(factor)
        self.world.later(duration_s, lambda: self._surge_ended(factor))
        self._set_rate()

    def _surge_ended(self, factor: float) -> None:
        self.surges.remove(factor)
        if not self.surges:
            self.record("LoadSurgeEnded", stakeholder=self.stakeholder)
        self._set_rate()

    def _set_rate(self) -> None:
        rate = self.base_rate * max(self.surges, default=1.0)
        if rate == self.rate:
            return
        self.rate = rate
        # The arrival drawn at the old rate is dropped (its timeout fires with nothing to call) and drawn again.
        if self.pending is not None and self.pending.callbacks is not None:
            self.pending.callbacks.remove(self.arrive)
        self.schedule_next()
