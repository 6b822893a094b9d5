"""Hand-written SimPy baselines: the same message flows as the engine plays, coded directly on plain simpy + random.

These are what an engineer would write for one scenario without Tabletop: no scenario files, no records, no event
bus, one `random.Random` per run, a timeout per delay and per message hop (delivered by a callback, as the engine
does). The benchmarks run them next to the engine to measure what the engine's generality costs.

- `play_network` plays a `benchmarks.network.Network` (the warning cascade).
- `play_synagogue` plays the bundled `synagogue-holiday-attack` scenario's base variant with default decisions:
  threat phases and observations, calls with their alternatives, busy lines, failures with retry and fallback,
  call taking behind background work, dispatches, lockdowns, decisions at their deadlines, injects, milestones and
  harm. Its delays are copied from the scenario file by hand.

Both drive the environment with the same loop as `Exercise.advance_to` (`env.step()` while the next event is due),
so that the SimPy events each side processes can be counted and compared.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import simpy
from simpy.resources.resource import Request

from benchmarks import network as net

Z90 = 1.2815515655446004
"""The 90th percentile of the standard normal distribution."""


@dataclass(frozen=True, slots=True)
class Played:
    """What one hand-written run did."""

    hops: int
    """Messages that reached their receiver."""
    events: int
    """SimPy events processed."""
    milestones: dict[str, float]
    """Milestones reached, with their times."""
    harm: float
    """Harm accumulated (exposure-minutes)."""


def drive(env: simpy.Environment, until: float) -> int:
    """Process every event up to `until`; return how many were processed."""
    steps = 0
    while env.peek() <= until:
        env.step()
        steps += 1
    return steps


def lognormal(rng: random.Random, median: float, p90: float) -> float:
    """A lognormal draw given its median and 90th percentile."""
    mu = math.log(median)
    return rng.lognormvariate(mu, (math.log(p90) - mu) / Z90)


# --- the network ----------------------------------------------------------------------------------------------


def play_network(network: net.Network, seed: int, out: dict[str, list[net.Link]] | None = None) -> Played:
    """Play the warning cascade of `network` once.

    Args:
        network: The generated network.
        seed: The run's seed.
        out: `network.out_links()`, computed once for many runs.
    """
    out = network.out_links() if out is None else out
    env = simpy.Environment()
    rng = random.Random(seed)
    guard_site = network.guard_site()
    warned: set[str] = set()
    milestones: dict[str, float] = {"attack-starts": 0.0}
    hops = 0
    mu = math.log(net.GUARD_LINK_MEDIAN_S)
    sigma = (math.log(net.GUARD_LINK_P90_S) - mu) / Z90
    first_site, first_control = network.sites[0], network.controls[0]

    def latency(kind: str) -> float:
        if kind == "guard":
            return rng.lognormvariate(mu, sigma)
        if kind == "report":
            return rng.uniform(net.REPORT_LOW_S, net.REPORT_HIGH_S)
        return net.CONTROL_LINK_S

    def arrive(link: net.Link, _event: object) -> None:
        nonlocal hops
        hops += 1
        learn(link.receiver)

    def send(link: net.Link, _event: object) -> None:
        env.timeout(latency(link.kind)).callbacks.append(partial(arrive, link))

    def locked(site: str, _event: object) -> None:
        if site == first_site:
            milestones.setdefault("first-site-locked", env.now)

    def learn(node: str) -> None:
        if node in warned:
            return
        warned.add(node)
        site = guard_site.get(node)
        if site is None:
            if node == first_control:
                milestones.setdefault("control-warned", env.now)
            for link in out[node]:
                env.timeout(net.CONTROL_AFTER_S).callbacks.append(partial(send, link))
            return
        lockdown = rng.triangular(net.LOCKDOWN_LOW_S, net.LOCKDOWN_HIGH_S, net.LOCKDOWN_MODE_S)
        env.timeout(lockdown).callbacks.append(partial(locked, site))
        for link in out[node]:
            env.timeout(rng.uniform(0.0, net.NOTIFY_AFTER_HIGH_S)).callbacks.append(partial(send, link))

    env.timeout(net.SEEN_AFTER_S).callbacks.append(lambda _event: learn(network.origin))
    env.timeout(net.ATTACK_S)  # the attack's end: an event the engine processes too
    events = drive(env, net.DURATION_S)
    return Played(hops, events, milestones, 0.0)


# --- the synagogue --------------------------------------------------------------------------------------------

Sampler = Callable[[random.Random], float]
UNITS = {"emergency-control-112": 3, "police-control-110": 4, "patrols": 7, "armed-response": 2, "ems": 8}
INTAKE: dict[str, Sampler] = {
    "emergency-control-112": lambda rng: lognormal(rng, 40.0, 90.0),
    "police-control-110": lambda rng: lognormal(rng, 45.0, 120.0),
}
BACKGROUND: dict[str, tuple[float, Sampler]] = {
    "emergency-control-112": (30.0, lambda rng: rng.expovariate(1 / 120.0)),
    "police-control-110": (50.0, lambda rng: rng.expovariate(1 / 180.0)),
    "patrols": (6.0, lambda rng: lognormal(rng, 1500.0, 3000.0)),
    "ems": (10.0, lambda rng: lognormal(rng, 2400.0, 4200.0)),
}
TRAVEL: dict[tuple[str, str], Sampler] = {
    ("patrols", "synagogue"): lambda rng: lognormal(rng, 360.0, 600.0),
    ("patrols", "cafe"): lambda rng: lognormal(rng, 420.0, 660.0),
    ("armed-response", "synagogue"): lambda rng: lognormal(rng, 1080.0, 1800.0),
    ("armed-response", "cafe"): lambda rng: lognormal(rng, 1080.0, 1800.0),
    ("ems", "synagogue"): lambda rng: lognormal(rng, 480.0, 840.0),
}
OCCUPANCY = {"synagogue": 51, "cafe": 8, "community-school": 120, "community-centre": 40}
LOCKDOWN: dict[str, Sampler] = {
    "synagogue": lambda rng: rng.triangular(30.0, 120.0, 45.0),
    "community-school": lambda rng: 120.0,
    "community-centre": lambda rng: 90.0,
}


@dataclass(frozen=True, slots=True)
class Line:
    """A channel: latency, failure, what to do on failure, capacity."""

    latency: Sampler
    failure: float = 0.0
    retry_after: float | None = None
    fallback: str | None = None
    capacity: int | None = None


LINES: dict[str, Line] = {
    "cs-phone-110": Line(lambda rng: 10.0, capacity=1),
    "cs-phone-112": Line(lambda rng: 10.0, capacity=1),
    "cs-phone-umbrella": Line(lambda rng: 20.0),
    "staff-phone-112": Line(lambda rng: 15.0, failure=0.1, retry_after=20.0),
    "public-phone-110": Line(lambda rng: 15.0, capacity=4),
    "ecc-line-110": Line(lambda rng: rng.uniform(20.0, 60.0)),
    "ecc-radio-ems": Line(lambda rng: 10.0),
    "pcr-radio-patrols": Line(lambda rng: 10.0),
    "patrol-radio-up": Line(lambda rng: 5.0),
    "pcr-phone-armed": Line(lambda rng: 30.0),
    "armed-radio-up": Line(lambda rng: 5.0),
    "pcr-phone-cell": Line(lambda rng: lognormal(rng, 60.0, 240.0), failure=0.2, fallback="pcr-liaison-cell"),
    "pcr-liaison-cell": Line(lambda rng: 600.0),
    "pcr-secure-national": Line(lambda rng: 120.0),
    "cell-phone-pcr": Line(lambda rng: 60.0),
    "cell-press-line": Line(lambda rng: 60.0),
    "cell-phone-school": Line(lambda rng: 60.0),
    "cell-phone-centre": Line(lambda rng: 60.0),
    "umbrella-messaging-school": Line(lambda rng: 120.0),
    "umbrella-messaging-centre": Line(lambda rng: 120.0),
}
ROUTES = {
    ("community-security", "police-control-110"): "cs-phone-110",
    ("community-security", "emergency-control-112"): "cs-phone-112",
    ("community-security", "umbrella-organisation"): "cs-phone-umbrella",
    ("site-staff", "emergency-control-112"): "staff-phone-112",
    ("public", "police-control-110"): "public-phone-110",
    ("emergency-control-112", "police-control-110"): "ecc-line-110",
    ("emergency-control-112", "ems"): "ecc-radio-ems",
    ("police-control-110", "patrols"): "pcr-radio-patrols",
    ("patrols", "police-control-110"): "patrol-radio-up",
    ("police-control-110", "armed-response"): "pcr-phone-armed",
    ("armed-response", "police-control-110"): "armed-radio-up",
    ("police-control-110", "crisis-cell"): "pcr-phone-cell",
    ("police-control-110", "national-ct"): "pcr-secure-national",
    ("crisis-cell", "police-control-110"): "cell-phone-pcr",
    ("crisis-cell", "media"): "cell-press-line",
    ("crisis-cell", "community-school"): "cell-phone-school",
    ("crisis-cell", "community-centre"): "cell-phone-centre",
    ("umbrella-organisation", "community-school"): "umbrella-messaging-school",
    ("umbrella-organisation", "community-centre"): "umbrella-messaging-centre",
}
ARMED = frozenset({"patrols", "armed-response"})
"""The stakeholders whose units can end an attack."""
SYNAGOGUE_END_S = 2 * 3600.0


class _Synagogue:
    """One run of the synagogue scenario, hand-coded."""

    def __init__(self, seed: int) -> None:
        self.env = simpy.Environment()
        self.rng = random.Random(seed)
        self.known: dict[str, set[str]] = {}
        self.milestones: dict[str, float] = {}
        self.hops = 0
        self.units = {name: simpy.Resource(self.env, capacity) for name, capacity in UNITS.items()}
        self.lines = {
            name: simpy.Resource(self.env, line.capacity) for name, line in LINES.items() if line.capacity is not None
        }
        self.on_scene: dict[str, list[str]] = {site: [] for site in OCCUPANCY}
        self.locking: set[str] = set()
        self.locked: set[str] = set()
        self.evacuating = False
        self.decided: set[str] = set()
        self.phase = -1
        self.token = 0
        self.threat_over = False
        self.neutralising = False
        self.harm = 0.0
        self.harm_rate = 0.0
        self.harm_since = 0.0
        self.phases: list[tuple[str, str | None, Sampler, list[tuple[str, str, Sampler]]]] = [
            (
                "approach",
                "synagogue",
                lambda rng: rng.uniform(240.0, 420.0),
                [("community-security", "suspicious-person", lambda rng: rng.uniform(180.0, 360.0))],
            ),
            (
                "attack",
                "synagogue",
                lambda rng: rng.triangular(240.0, 600.0, 360.0),
                [
                    ("community-security", "attack-at-synagogue", lambda rng: 0.0),
                    ("site-staff", "attack-at-synagogue", lambda rng: 10.0),
                ],
            ),
            ("move", None, lambda rng: rng.uniform(60.0, 180.0), []),
            (
                "attack",
                "cafe",
                lambda rng: rng.triangular(180.0, 540.0, 360.0),
                [("public", "attack-at-cafe", lambda rng: 20.0)],
            ),
            ("flight", None, lambda rng: lognormal(rng, 2700.0, 5400.0), []),
        ]

    def play(self) -> Played:
        for stakeholder in sorted(BACKGROUND):
            self.next_background_job(stakeholder)
        self.start_phase(0)
        self.later(40 * 60.0, lambda: self.learn("crisis-cell", "press-request"))
        events = drive(self.env, SYNAGOGUE_END_S)
        return Played(self.hops, events, self.milestones, self.harm_now())

    # --- plumbing -----------------------------------------------------------------------------------------

    def later(self, delay: float, then: Callable[[], object]) -> None:
        def fire(_event: simpy.Event) -> None:
            then()

        self.env.timeout(delay).callbacks.append(fire)

    def milestone(self, name: str) -> None:
        if name not in self.milestones:
            self.milestones[name] = self.env.now
            if name in ("patrols-on-scene", "armed-on-scene"):
                self.milestone("police-on-scene")
            elif name in ("school-warned", "centre-warned") and {"school-warned", "centre-warned"} <= set(
                self.milestones
            ):
                self.milestone("sites-warned")
            elif name == "first-call-police":
                self.later(15 * 60.0, lambda: self.learn("crisis-cell", "second-attack-rumour"))

    # --- messages -----------------------------------------------------------------------------------------

    def notify(
        self, sender: str, receiver: str, fact: str, after: float = 0.0, alternative: tuple[str, float] | None = None
    ) -> None:
        def send() -> None:
            to = receiver
            if alternative is not None and self.rng.random() < alternative[1]:
                to = alternative[0]
            channel = ROUTES.get((sender, to))
            if channel is not None:  # the community's radio to the patrols does not exist in the base variant
                self.send(channel, to, fact, 1)

        if after > 0:
            self.later(after, send)
        else:
            send()

    def send(self, channel: str, receiver: str, fact: str, attempt: int) -> None:
        resource = self.lines.get(channel)
        if resource is None:
            self.transmit(channel, receiver, fact, attempt, None)
            return
        request = resource.request()
        request.callbacks.append(lambda _event: self.transmit(channel, receiver, fact, attempt, request))

    def transmit(self, channel: str, receiver: str, fact: str, attempt: int, request: Request | None) -> None:
        line = LINES[channel]
        latency = line.latency(self.rng)
        failed = line.failure > 0 and self.rng.random() < line.failure

        def done() -> None:
            if request is not None:
                self.lines[channel].release(request)
            if not failed:
                self.hops += 1
                self.intake(receiver, fact)
            elif line.retry_after is not None and attempt < 3:
                self.later(line.retry_after, lambda: self.send(channel, receiver, fact, attempt + 1))
            elif line.fallback is not None:
                self.send(line.fallback, receiver, fact, 1)

        self.later(latency, done)

    def intake(self, receiver: str, fact: str) -> None:
        taking = INTAKE.get(receiver)
        if taking is None:
            self.learn(receiver, fact)
            return
        units = self.units[receiver]
        request = units.request()

        def taken(_event: object) -> None:
            def understood() -> None:
                units.release(request)
                self.learn(receiver, fact)

            self.later(taking(self.rng), understood)

        request.callbacks.append(taken)

    # --- awareness and the playbooks ----------------------------------------------------------------------

    def learn(self, who: str, fact: str) -> None:
        held = self.known.setdefault(who, set())
        if fact in held:
            return
        held.add(fact)
        match who, fact:
            case "community-security", "suspicious-person":
                self.decide("lockdown-or-evacuate", 60.0, lambda: self.lock_down("synagogue"))
                self.notify(who, "police-control-110", fact, 20.0, ("emergency-control-112", 0.3))
            case "community-security", "attack-at-synagogue":
                after = self.rng.uniform(30.0, 90.0)
                self.notify(who, "police-control-110", fact, after, ("emergency-control-112", 0.4))
                self.notify(who, "patrols", fact, 30.0)
                self.notify(who, "umbrella-organisation", fact, 180.0)
            case "site-staff", "attack-at-synagogue":
                self.notify(who, "emergency-control-112", fact, self.rng.uniform(60.0, 120.0))
            case "public", "attack-at-cafe":
                self.notify(who, "police-control-110", fact, self.rng.uniform(30.0, 120.0))
            case "emergency-control-112", "attack-at-synagogue":
                self.milestone("first-call-112")
                self.notify(who, "police-control-110", fact, 30.0)
                self.notify(who, "ems", fact, 60.0)
            case "emergency-control-112", "suspicious-person":
                self.notify(who, "police-control-110", fact, 30.0)
            case "police-control-110", "attack-at-synagogue":
                self.milestone("first-call-police")
                self.decide("patrols-in-or-wait", 60.0, lambda: self.notify(who, "patrols", "enter-order"))
                self.notify(who, "armed-response", fact, 60.0)
                self.later(180.0, lambda: self.learn(who, "major-incident"))
            case "police-control-110", "suspicious-person":
                self.notify(who, "patrols", "enter-order", 60.0)
            case "police-control-110", "major-incident":
                self.notify(who, "crisis-cell", fact, 120.0)
                self.notify(who, "national-ct", fact, 300.0)
            case "police-control-110", "attack-at-cafe":
                self.notify(who, "armed-response", fact, 30.0)
            case "patrols", "enter-order":
                self.dispatch("patrols", "synagogue", 2)
            case "armed-response", "attack-at-synagogue":
                self.dispatch("armed-response", "synagogue", 1)
            case "armed-response", "attack-at-cafe":
                self.dispatch("armed-response", "cafe", 1)
            case "ems", "attack-at-synagogue":
                self.later(60.0, lambda: self.dispatch("ems", "synagogue", 2))
            case "crisis-cell", "major-incident":
                self.later(300.0, lambda: self.decide("warn-other-sites", 300.0, self.warn_later))
            case "crisis-cell", "press-request":
                self.notify(who, "media", "major-incident", 1200.0)
            case "crisis-cell", "second-attack-rumour":
                self.notify(who, "police-control-110", fact, 120.0)
            case "umbrella-organisation", "attack-at-synagogue":
                self.notify(who, "community-school", "community-alert", 120.0)
                self.notify(who, "community-centre", "community-alert", 120.0)
            case "community-school", "community-alert":
                self.milestone("school-warned")
                self.lock_down("community-school")
            case "community-centre", "community-alert":
                self.milestone("centre-warned")
                self.lock_down("community-centre")
            case "national-ct", "major-incident":
                self.milestone("authorities-informed")

    def warn_later(self) -> None:
        self.notify("crisis-cell", "community-school", "community-alert", 900.0)
        self.notify("crisis-cell", "community-centre", "community-alert", 900.0)

    def decide(self, decision: str, deadline: float, default: Callable[[], object]) -> None:
        if decision in self.decided:
            return
        self.decided.add(decision)
        self.later(deadline, default)

    # --- units and sites ----------------------------------------------------------------------------------

    def next_background_job(self, stakeholder: str) -> None:
        per_hour, service = BACKGROUND[stakeholder]
        units = self.units[stakeholder]

        def arrive() -> None:
            self.next_background_job(stakeholder)
            request = units.request()
            request.callbacks.append(lambda _event: self.later(service(self.rng), lambda: units.release(request)))

        self.later(self.rng.expovariate(per_hour / 3600.0), arrive)

    def dispatch(self, stakeholder: str, site: str, count: int) -> None:
        units = self.units[stakeholder]
        granted = self.env.all_of([units.request() for _ in range(count)])
        travel = TRAVEL[stakeholder, site]
        granted.callbacks.append(lambda _event: self.later(travel(self.rng), lambda: self.arrive(stakeholder, site)))

    def arrive(self, stakeholder: str, site: str) -> None:
        self.on_scene[site].append(stakeholder)
        if site == "synagogue":
            if stakeholder == "patrols":
                self.milestone("patrols-on-scene")
                self.notify("patrols", "police-control-110", "police-on-scene")
            elif stakeholder == "armed-response":
                self.milestone("armed-on-scene")
                self.notify("armed-response", "police-control-110", "armed-on-scene")
            else:
                self.milestone("ems-on-scene")
        self.check_interdiction()

    def lock_down(self, site: str) -> None:
        if site in self.locking:
            return
        self.locking.add(site)

        def complete() -> None:
            self.locked.add(site)
            if site == "synagogue":
                self.milestone("lockdown-complete")
            self.harm_changed()

        self.later(LOCKDOWN[site](self.rng), complete)

    # --- the threat and harm ------------------------------------------------------------------------------

    def start_phase(self, index: int) -> None:
        self.phase, self.token = index, self.token + 1
        token = self.token
        _kind, _site, duration, observations = self.phases[index]
        if index == 1:
            self.milestone("attack-starts")
        self.harm_changed()
        for who, fact, after in observations:
            self.later(after(self.rng), partial(self.learn, who, fact))
        self.later(duration(self.rng), lambda: self.end_phase(index, token))
        self.check_interdiction()

    def end_phase(self, index: int, token: int) -> None:
        if token != self.token or self.threat_over:
            return
        if index + 1 == len(self.phases):
            self.neutralise()
        else:
            self.start_phase(index + 1)

    def check_interdiction(self) -> None:
        if self.threat_over or self.neutralising or self.phase >= len(self.phases) - 1:
            return
        site = self.phases[self.phase][1]
        if site is None or not any(who in ARMED for who in self.on_scene[site]):
            return
        self.neutralising = True
        token = self.token

        def done() -> None:
            self.neutralising = False
            if token == self.token and not self.threat_over:
                self.neutralise()
            else:
                self.check_interdiction()

        self.later(self.rng.triangular(60.0, 300.0, 120.0), done)

    def neutralise(self) -> None:
        self.milestone("threat-neutralised")
        self.harm_changed(ending=True)
        self.threat_over = True
        self.token += 1

    def harm_changed(self, ending: bool = False) -> None:
        now = self.env.now
        self.harm += self.harm_rate * (now - self.harm_since) / 60.0
        self.harm_since = now
        rate = 0.0
        kind, site, _duration, _observations = self.phases[self.phase]
        if not ending and not self.threat_over and kind == "attack" and site is not None:
            rate = OCCUPANCY[site] * (0.1 if site in self.locked else 1.0)
        self.harm_rate = rate

    def harm_now(self) -> float:
        return self.harm + self.harm_rate * (self.env.now - self.harm_since) / 60.0


def play_synagogue(seed: int) -> Played:
    """Play the synagogue scenario (base variant, default decisions) once."""
    return _Synagogue(seed).play()
