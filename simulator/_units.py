"""A pool of identical units (patrol cars, call takers, phone lines) taken first come, first served."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from functools import partial


class _Claim:
    """A request for several units at once, waiting in the pool's queue as one entry however many it asks for."""

    __slots__ = ("cancelled", "count", "done", "queued", "to_grant")

    def __init__(self, count: int, queued: int, done: Callable[[], object]) -> None:
        self.count = count
        """Units asked for in all."""
        self.queued = queued
        """Units not yet handed over (each release hands one)."""
        self.to_grant = queued
        """Units handed over whose grant has not happened yet (it happens at the same time, one event later)."""
        self.done = done
        self.cancelled = False
        """Withdrawn by `UnitPool.cancel`: its units went back to the pool, and it is never granted."""

    def grant_one(self) -> None:
        self.grant(1)

    def grant(self, units: int) -> None:
        self.to_grant -= units
        if self.to_grant == 0 and not self.cancelled:
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

    def request_many(self, count: int, granted: Callable[[], object]) -> _Claim | None:
        """Call `granted()` once all `count` units are the caller's: as `count` requests made in a row would be.

        The free units are taken at once and the rest wait as one entry, so that asking for a hundred billion
        units costs what asking for one does. Returns the waiting entry (None when granted at once), for `cancel`.
        """
        now = min(count, self.capacity - self.in_use) if not self.waiting else 0
        self.in_use += now
        if now == count:
            granted()
            return None
        claim = _Claim(count, count - now, granted)
        self.waiting.append(claim)
        return claim

    def cancel(self, claim: _Claim) -> None:
        """Withdraw a request of `request_many` not yet granted: the units it holds go back to the pool at once."""
        if claim.cancelled:
            return
        claim.cancelled = True
        if claim.queued:
            self.waiting.remove(claim)
        self.release_many(claim.count - claim.queued)

    def release_many(self, count: int) -> None:
        """Give `count` units back at once: the oldest waiting requests get them, in order (one event per request)."""
        waiting = self.waiting
        while count and waiting:
            head = waiting[0]
            if isinstance(head, _Claim):
                handed = min(count, head.queued)
                head.queued -= handed
                if head.queued == 0:
                    waiting.popleft()
                self.defer(partial(head.grant, handed))
            else:
                handed = 1
                waiting.popleft()
                self.defer(head)
            count -= handed
        self.in_use -= count

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
