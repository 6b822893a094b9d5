"""A pool of identical units (patrol cars, call takers, phone lines) taken first come, first served."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable


class UnitPool:
    """`capacity` units; a request is granted at once when one is free, else when one is released, in order.

    This has the semantics of `simpy.Resource` (FIFO, a request waits while every unit is busy) without its two
    scheduled events per request (the grant and the release): a control room's background work is most of a run's
    events, and those events doubled what a run cost. A request for a free unit is granted at once; a unit freed for
    a waiting request is handed over by `defer` (an event at the same time, as SimPy does), so that whatever else
    happens at that moment comes first.
    """

    __slots__ = ("capacity", "defer", "in_use", "waiting")

    def __init__(self, capacity: int, defer: Callable[[Callable[[], object]], object]) -> None:
        self.capacity = capacity
        """How many units there are."""
        self.defer = defer
        """Calls a function later at the same simulation time."""
        self.in_use = 0
        """How many are taken now."""
        self.waiting: deque[Callable[[], object]] = deque()
        """Requests waiting for a unit, oldest first."""

    def request(self, granted: Callable[[], object]) -> None:
        """Call `granted()` as soon as a unit is free (now, if one is): the unit is then the caller's."""
        if self.in_use < self.capacity and not self.waiting:
            self.in_use += 1
            granted()
        else:
            self.waiting.append(granted)

    def release(self) -> None:
        """Give a unit back; the oldest waiting request gets it."""
        if self.waiting:
            self.defer(self.waiting.popleft())
        else:
            self.in_use -= 1
