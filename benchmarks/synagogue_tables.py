"""The synagogue scenario's figures for the hand-written models, copied from the scenario file by hand.

Delays, channels, units and the threat's phases of `scenarios/library/synagogue-holiday-attack.yaml` (base
variant), as `benchmarks.synagogue_model` plays them; draws are rounded to the millisecond as the engine's samplers
round them. Also the small state types of a run: a pool of units (the engine's counter-and-FIFO trick), a dispatch
group, the neutralisation clock.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.handwritten import Z90

Rng = Callable[[str], random.Random]
Sampler = Callable[[random.Random], float]
Record = dict[str, Any]


def uniform(low: float, high: float) -> Sampler:
    """A uniform draw, rounded to the millisecond."""
    return lambda rng: round(rng.uniform(low, high), 3)


def triangular(low: float, mode: float, high: float) -> Sampler:
    """A triangular draw, rounded to the millisecond."""
    return lambda rng: round(rng.triangular(low, high, mode), 3)


def lognormal(median: float, p90: float) -> Sampler:
    """A lognormal draw by median and 90th percentile, rounded to the millisecond."""
    mu = math.log(median)
    sigma = (math.log(p90) - mu) / Z90
    return lambda rng: round(rng.lognormvariate(mu, sigma), 3)


def exponential(mean: float) -> Sampler:
    """An exponential draw by its mean, rounded to the millisecond."""
    rate = 1.0 / mean
    return lambda rng: round(rng.expovariate(rate), 3)


Delay = float | Sampler
"""A fixed delay (no draw) or a sampler."""


@dataclass(frozen=True, slots=True)
class Line:
    """A channel: latency, failure and retry, capacity."""

    id: str
    latency: Delay
    failure: float = 0.0
    retry_after: float = 0.0
    capacity: int | None = None


LINES = {
    line.id: line
    for line in (
        Line("cs-phone-110", 10.0, capacity=1),
        Line("cs-phone-112", 10.0, capacity=1),
        Line("cs-phone-umbrella", 20.0),
        Line("staff-phone-112", 15.0, failure=0.1, retry_after=20.0),
        Line("public-phone-110", 15.0, capacity=4),
        Line("ecc-line-110", uniform(20.0, 60.0)),
        Line("ecc-radio-ems", 10.0),
        Line("pcr-radio-ems", 20.0),
        Line("pcr-radio-patrols", 10.0),
        Line("patrol-radio-up", 5.0),
        Line("pcr-phone-armed", 30.0),
        Line("armed-radio-up", 5.0),
        Line("pcr-liaison-cell", 600.0),  # before pcr-phone-cell in id order: the engine's pick for the pair
        Line("pcr-secure-national", 120.0),
        Line("cell-phone-pcr", 60.0),
        Line("cell-press-line", 60.0),
        Line("cell-messaging-umbrella", 60.0),
        Line("umbrella-phone-cell", 30.0),
        Line("cell-phone-school", 60.0),
        Line("cell-phone-centre", 60.0),
        Line("umbrella-messaging-school", 120.0),
        Line("umbrella-messaging-centre", 120.0),
    )
}
ROUTES = {
    ("community-security", "police-control-110"): "cs-phone-110",
    ("community-security", "emergency-control-112"): "cs-phone-112",
    ("community-security", "umbrella-organisation"): "cs-phone-umbrella",
    ("site-staff", "emergency-control-112"): "staff-phone-112",
    ("public", "police-control-110"): "public-phone-110",
    ("emergency-control-112", "police-control-110"): "ecc-line-110",
    ("emergency-control-112", "ems"): "ecc-radio-ems",
    ("police-control-110", "ems"): "pcr-radio-ems",
    ("police-control-110", "patrols"): "pcr-radio-patrols",
    ("patrols", "police-control-110"): "patrol-radio-up",
    ("police-control-110", "armed-response"): "pcr-phone-armed",
    ("armed-response", "police-control-110"): "armed-radio-up",
    ("police-control-110", "crisis-cell"): "pcr-liaison-cell",
    ("police-control-110", "national-ct"): "pcr-secure-national",
    ("crisis-cell", "police-control-110"): "cell-phone-pcr",
    ("crisis-cell", "media"): "cell-press-line",
    ("crisis-cell", "umbrella-organisation"): "cell-messaging-umbrella",
    ("umbrella-organisation", "crisis-cell"): "umbrella-phone-cell",
    ("crisis-cell", "community-school"): "cell-phone-school",
    ("crisis-cell", "community-centre"): "cell-phone-centre",
    ("umbrella-organisation", "community-school"): "umbrella-messaging-school",
    ("umbrella-organisation", "community-centre"): "umbrella-messaging-centre",
}
UNITS = {"emergency-control-112": 3, "police-control-110": 4, "patrols": 7, "armed-response": 2, "ems": 8}
INTAKE: dict[str, Sampler] = {
    "emergency-control-112": lognormal(40.0, 90.0),
    "police-control-110": lognormal(45.0, 120.0),
}
BACKGROUND: dict[str, tuple[float, Sampler]] = {  # in the engine's order (by id): their streams start alike
    "emergency-control-112": (30.0, exponential(120.0)),
    "ems": (10.0, lognormal(2400.0, 4200.0)),
    "patrols": (6.0, lognormal(1500.0, 3000.0)),
    "police-control-110": (50.0, exponential(180.0)),
}
TRAVEL: dict[str, Sampler] = {
    "patrols": lognormal(360.0, 720.0),
    "armed-response": lognormal(480.0, 1080.0),
    "ems": lognormal(270.0, 900.0),
}
OCCUPANCY = {"synagogue": 51, "cafe": 8}
LOCKDOWN: dict[str, Delay] = {
    "synagogue": triangular(30.0, 45.0, 120.0),
    "community-school": 120.0,
    "community-centre": 90.0,
}
DECISIONS = {  # stakeholder, deadline
    "lockdown-or-evacuate": ("community-security", 60.0),
    "patrols-in-or-wait": ("police-control-110", 60.0),
    "warn-other-sites": ("crisis-cell", 300.0),
}
ALL_OF = {  # milestones reached when one of theirs is (all of them, or at least one)
    "first-call": (("sighting-112", "sighting-police", "first-call-112", "first-call-police"), 1),
    "congregation-protected": (("lockdown-complete", "evacuation-complete"), 1),
    "patrols-on-scene": (("patrols-at-synagogue", "patrols-at-cafe"), 1),
    "police-on-scene": (("patrols-on-scene", "armed-on-scene"), 1),
    "sites-warned": (("school-warned", "centre-warned"), 2),
}
PARENTS: dict[str, list[str]] = {}
"""The all-of milestones each milestone counts towards."""
for _parent, (_children, _at_least) in ALL_OF.items():
    for _child in _children:
        PARENTS.setdefault(_child, []).append(_parent)
FACT_MILESTONES = {
    ("community-security", "suspicious-person"): "threat-sighted",
    ("emergency-control-112", "attack-at-synagogue"): "first-call-112",
    ("police-control-110", "attack-at-synagogue"): "first-call-police",
    ("emergency-control-112", "suspicious-person"): "sighting-112",
    ("police-control-110", "suspicious-person"): "sighting-police",
    ("community-school", "community-alert"): "school-warned",
    ("community-centre", "community-alert"): "centre-warned",
    ("national-ct", "major-incident"): "authorities-informed",
}
ARRIVAL_MILESTONES = {
    ("patrols", "synagogue"): "patrols-at-synagogue",
    ("patrols", "cafe"): "patrols-at-cafe",
    ("armed-response", "synagogue"): "armed-on-scene",
    ("ems", "synagogue"): "ems-on-scene",
}
OBJECTIVES = (  # id, since, until, performed, some challenges, major challenges
    ("alert-police-fast", "attack-starts", "first-call-police", 180.0, 300.0, 600.0),
    ("protect-the-congregation", "threat-sighted", "congregation-protected", 120.0, 240.0, 480.0),
    ("police-on-scene-fast", "first-call", "police-on-scene", 600.0, 900.0, 1500.0),
    ("warn-other-sites", "first-call", "sites-warned", 900.0, 1500.0, 2700.0),
    ("inform-national-level", "first-call-police", "authorities-informed", 1200.0, 1800.0, 3600.0),
)


@dataclass(frozen=True, slots=True)
class Phase:
    """A threat phase."""

    id: str
    kind: str
    site: str | None
    duration: Sampler
    observed_by: tuple[tuple[str, str, Delay], ...] = ()
    ends_with: str = "next"
    engaged_go_to: int | None = None
    """The phase the threat goes to once engaged (after `engaged_after`), if any."""
    engaged_after: Sampler | None = None
    interdictable: bool = True


PHASES = (
    Phase("approach", "approach", "synagogue", uniform(240.0, 420.0),
          (("community-security", "suspicious-person", uniform(60.0, 180.0)),)),
    Phase("attack-synagogue", "attack", "synagogue", triangular(240.0, 360.0, 600.0),
          (("community-security", "attack-at-synagogue", 0.0), ("site-staff", "attack-at-synagogue", 10.0))),
    Phase("move-to-cafe", "move", None, uniform(60.0, 180.0)),
    Phase("attack-cafe", "attack", "cafe", triangular(180.0, 360.0, 540.0),
          (("public", "attack-at-cafe", 20.0),), engaged_go_to=5, engaged_after=uniform(30.0, 120.0)),
    Phase("flight", "flight", None, lognormal(2700.0, 5400.0), ends_with="escaped", interdictable=False),
    Phase("exchange-of-fire", "exchange_of_fire", "cafe", uniform(60.0, 300.0), ends_with="escaped"),
)  # fmt: skip
NEUTRALISE = triangular(60.0, 120.0, 300.0)
ACCESS = uniform(60.0, 180.0)
"""Ambulances going in from the rendezvous once the scene is safe."""
END_S = 2 * 3600.0
CS_CALL_AFTER, STAFF_CALL_AFTER, PUBLIC_CALL_AFTER = uniform(30.0, 90.0), uniform(60.0, 120.0), uniform(30.0, 120.0)
DECLARE_SAFE_AFTER = triangular(180.0, 480.0, 1200.0)
"""Searching the synagogue once the armed team is there, before the ambulances may go in."""


class Pool:
    """Units taken first come, first served: a counter and a FIFO of callbacks (the engine's `UnitPool` trick)."""

    __slots__ = ("capacity", "defer", "in_use", "waiting")

    def __init__(self, capacity: int, defer: Callable[[Callable[[], object]], None]) -> None:
        self.capacity = capacity
        self.defer = defer
        self.in_use = 0
        self.waiting: deque[Callable[[], object]] = deque()

    def request(self, granted: Callable[[], object]) -> None:
        """Call `granted()` as soon as a unit is free (now, if one is)."""
        if self.in_use < self.capacity and not self.waiting:
            self.in_use += 1
            granted()
        else:
            self.waiting.append(granted)

    def request_many(self, count: int, granted: Callable[[], object]) -> None:
        """`granted()` once `count` units are the caller's (as `count` requests in a row; one call at the end)."""
        left = [count]

        def one() -> None:
            left[0] -= 1
            if left[0] == 0:
                granted()

        free = min(count, self.capacity - self.in_use) if not self.waiting else 0
        self.in_use += free
        left[0] -= free
        if left[0] == 0:
            granted()
        for _ in range(left[0]):
            self.waiting.append(one)

    def release(self) -> None:
        """Give a unit back; the oldest waiting request gets it (one event later, as SimPy does)."""
        if self.waiting:
            self.defer(self.waiting.popleft())
        else:
            self.in_use -= 1


@dataclass(slots=True, eq=False)
class Group:
    """The units of one dispatch order."""

    stakeholder: str
    units: int
    site: str
    follow: bool
    staged_until: str | None
    """The fact (learned by the stakeholder) that lets them go in from the rendezvous, if they stage."""
    ordered_t: float
    state: str = "waiting"
    leg: int = 0
    released: bool = False
    staged_t: float = 0.0


@dataclass(slots=True)
class StopClock:
    """How long units able to stop the threat must engage it at a site, and how long they have."""

    needed: float
    done: float = 0.0
    since: float | None = None
    token: int = 0
