"""Background work: the other calls and jobs that keep a stakeholder's units busy."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator._state import WorldState


class _BackgroundWork:
    """One stakeholder's other work: Poisson arrivals, each holding a unit for its service time.

    The hottest path of most runs (a control room's calls), so it is written with bound methods and no closures.
    """

    __slots__ = ("arrived", "env", "rate", "record", "rng", "service", "stakeholder", "units", "world")

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
        self.arrived: deque[float] = deque()

    def schedule_next(self) -> None:
        gap = round(self.rng.expovariate(self.rate), 3)
        self.env.timeout(gap).callbacks.append(self.arrive)

    def arrive(self, _event: object) -> None:
        self.schedule_next()
        self.arrived.append(self.env.now)
        self.units.request(self.start)

    def start(self) -> None:
        service = self.world.sample(self.service, f"background:{self.stakeholder}")
        now = self.env.now
        # Units are granted in order of request, so the job starting now is the oldest one waiting.
        self.record(
            "BackgroundJobStarted",
            stakeholder=self.stakeholder,
            waited_s=round(now - self.arrived.popleft(), 3),
            service_s=service,
        )
        self.env.timeout(service).callbacks.append(self.done)

    def done(self, _event: object) -> None:
        self.units.release()
