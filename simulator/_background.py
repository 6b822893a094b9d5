"""Background work: the other calls and jobs that keep a stakeholder's units busy."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from simulator._state import WorldState

MIN_GAP_S: Final = 0.001
"""The shortest time between two arrivals of one stakeholder's background work (the clock's resolution)."""


class _BackgroundWork:
    """One stakeholder's other work: Poisson arrivals, each holding a unit for its service time.

    The hottest path of most runs (a control room's calls), so it is written with bound methods and no closures.
    """

    __slots__ = ("begin", "env", "rate", "record", "rng", "service", "stakeholder", "units", "waiting", "world")

    def __init__(self, world: WorldState, stakeholder: str) -> None:
        background = world.stakeholders[stakeholder].background
        assert background is not None
        self.world = world
        self.env = world.env
        self.stakeholder = stakeholder
        self.rate = background.arrivals_per_hour / 3600.0
        self.service = background.service_time
        self.rng = world.rng(f"background:{stakeholder}")
        self.units = world.units[stakeholder]
        self.record = world.record
        self.waiting: deque[tuple[float, float]] = deque()
        """(arrival time, service time) of the jobs waiting for a unit, oldest first."""
        self.begin = self.start
        """`start`, bound once: a queue of a million waiting jobs then holds one method, not a million."""

    def schedule_next(self) -> None:
        # Times are whole milliseconds, so at most one arrival per millisecond: a gap rounded to 0 (a rate of a
        # billion an hour) would make arrivals without end while the clock never moves.
        gap = max(round(self.rng.expovariate(self.rate), 3), MIN_GAP_S)
        self.env.timeout(gap).callbacks.append(self.arrive)

    def arrive(self, _event: object) -> None:
        # The job's service time is drawn as it arrives, not when a unit frees up: the stream's draws then do not
        # depend on the scenario's own work, so variants compared on the same seed see the same background.
        service = self.world.sample(self.service, f"background:{self.stakeholder}")
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
