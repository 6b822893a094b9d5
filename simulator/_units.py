"""A pool of identical units (patrol cars, call takers, phone lines) taken first come, first served."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable


class _Claim:
    """A request for several units at once, waiting in the pool's queue as one entry however many it asks for."""

    __slots__ = ("done", "queued", "to_grant")

    def __init__(self, queued: int, done: Callable[[], object]) -> None:
        self.queued = queued
        """Units not yet handed over (each release hands one)."""
        self.to_grant = queued
        """Units handed over whose grant has not happened yet (it happens at the same time, one event later)."""
        self.done = done

    def grant_one(self) -> None:
        self.to_grant -= 1
        if self.to_grant == 0:
            self.done()


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
        self.waiting: deque[Callable[[], object] | _Claim] = deque()
        """Requests waiting for a unit (or for several: a `_Claim`), oldest first."""

    def request(self, granted: Callable[[], object]) -> None:
        """Call `granted()` as soon as a unit is free (now, if one is): the unit is then the caller's."""
        if self.in_use < self.capacity and not self.waiting:
            self.in_use += 1
            granted()
        else:
            self.waiting.append(granted)

    def request_many(self, count: int, granted: Callable[[], object]) -> None:
        """Call `granted()` once all `count` units are the caller's: as `count` requests made in a row would be.

        The free units are taken at once and the rest wait as one entry, so that asking for a hundred billion
        units costs what asking for one does.
        """
        now = min(count, self.capacity - self.in_use) if not self.waiting else 0
        self.in_use += now
        if now == count:
            granted()
        else:
            self.waiting.append(_Claim(count - now, granted))

    def release(self) -> None:
        """Give a unit back; the oldest waiting request gets it."""
        waiting = self.waiting
        if not waiting:
            self.in_use -= 1
            return
        head = waiting[0]
        if isinstance(head, _Claim):
            head.queued -= 1
            if head.queued == 0:
                waiting.popleft()
            self.defer(head.grant_one)
        else:
            waiting.popleft()
            self.defer(head)
