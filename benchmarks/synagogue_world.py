"""The state of one hand-written synagogue run and its mechanisms: background work, units, sites, threat, harm.

`benchmarks.synagogue_model.SynagogueRun` adds the messages and the playbooks on top (it overrides `learn` and
`arrived_rules`, which the mechanisms here call).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import simpy

from benchmarks.synagogue_tables import (
    ACCESS,
    ALL_OF,
    ARRIVAL_MILESTONES,
    LINES,
    LOCKDOWN,
    NEUTRALISE,
    OCCUPANCY,
    PARENTS,
    PHASES,
    TRAVEL,
    UNITS,
    Delay,
    Group,
    Phase,
    Pool,
    Record,
    Rng,
    StopClock,
)


def _call(then: Callable[[], object], _event: object) -> None:
    """A SimPy callback that ignores its event."""
    then()


class RunState:
    """One run's state, with the mechanisms every rule uses; `keep` makes the engine's records."""

    """One run of the synagogue scenario, hand-coded; `keep` makes the engine's records."""

    def __init__(self, seed: int, rng: Rng, keep: bool) -> None:
        self.seed = seed
        self.env = simpy.Environment()
        self.rng = rng
        self.keep = keep
        self.records: list[Record] = []
        self.known: dict[str, set[str]] = {}
        self.fired: set[str] = set()
        self.milestones: dict[str, float] = {}
        self.decisions: set[str] = set()
        defer = partial(self.later, 0.0)
        self.units = {name: Pool(capacity, defer) for name, capacity in UNITS.items()}
        self.lines = {line.id: Pool(line.capacity, defer) for line in LINES.values() if line.capacity is not None}
        self.on_scene: dict[str, list[Group]] = {site: [] for site in OCCUPANCY}
        self.groups_waiting_for: dict[tuple[str, str], list[Group]] = {}
        self.pursuers: list[Group] = []
        self.threat_site: str | None = None
        self.locking: set[str] = set()
        self.locked: set[str] = set()
        self.phase_index = -1
        self.token = 0
        self.threat_over = False
        self.engaged: tuple[str, str, float] | None = None  # site, phase, since
        self.engaged_by: str | None = None
        self.stop: dict[str, StopClock] = {}
        self.harm = self.harm_rate = self.harm_since = 0.0
        self.background_rate: dict[str, float] = {}
        self.pending: dict[str, simpy.Timeout] = {}
        self.surges: list[float] = []
        self.hops = 0

    # --- plumbing ---------------------------------------------------------------------------------------------

    def record(self, kind: str, /, **fields: Any) -> None:
        """Append a record as the engine's in-memory sink holds it (call sites check `keep` first)."""
        self.records.append({"seq": len(self.records), "t": round(float(self.env.now), 3), "kind": kind, **fields})

    def later(self, delay: float, then: Callable[[], object]) -> None:
        """Call `then` after `delay` seconds (a timeout with a callback, no process)."""
        self.env.timeout(delay).callbacks.append(partial(_call, then))

    def sample(self, delay: Delay, stream: str) -> float:
        """A fixed delay, or a draw from the named entity's stream."""
        return delay if isinstance(delay, float) else delay(self.rng(stream))

    def inject(self, inject: str, to: str, fact: str | None) -> None:
        """Deliver an inject; its receiver learns its fact."""
        if self.keep:
            self.record("InjectDelivered", inject=inject, to=to, fact=fact, by="schedule")
        if fact is not None:
            self.learn(to, fact, f"inject:{inject}")

    def milestone(self, name: str) -> None:
        """Reach a milestone (once), and the all-of milestones it completes."""
        if name in self.milestones:
            return
        self.milestones[name] = round(float(self.env.now), 3)
        if self.keep:
            self.record("MilestoneReached", milestone=name)
        if name == "first-call-police":
            self.later(900.0, lambda: self.inject("inj-02", "crisis-cell", "second-attack-rumour"))
        for parent in PARENTS.get(name, ()):
            children, at_least = ALL_OF[parent]
            if sum(child in self.milestones for child in children) >= at_least:
                self.milestone(parent)

    # --- hooks: the playbooks (`SynagogueRun`) ----------------------------------------------------------------

    def learn(self, who: str, fact: str, source: str) -> None:
        """`who` learns `fact` from `source`."""
        raise NotImplementedError

    def arrived_rules(self, stakeholder: str, site: str) -> None:
        """The rules that units arriving fire."""
        raise NotImplementedError

    # --- units ----------------------------------------------------------------------------------------------

    def dispatch(
        self, stakeholder: str, site: str | None, count: int, follow: bool = False, staged_until: str | None = None
    ) -> None:
        """Order `count` units to `site` (None: where the threat is); they leave together once all are free."""
        if site is None:
            site = self.threat_site
            if site is None:
                if self.keep:
                    self.record("DispatchUnfollowable", stakeholder=stakeholder, units=count, site=site)
                return
        if self.keep:
            self.record("DispatchOrdered", stakeholder=stakeholder, site=site, units=count)
        group = Group(stakeholder, count, site, follow, staged_until, float(self.env.now))
        if follow:
            self.pursuers.append(group)
        if staged_until is not None:
            if staged_until in self.known.get(stakeholder, ()):
                group.released = True
            else:
                self.groups_waiting_for.setdefault((stakeholder, staged_until), []).append(group)
        self.units[stakeholder].request_many(count, lambda: self.leave(group))

    def leave(self, group: Group) -> None:
        """The group's units are all free: they leave, their travel time drawn now."""
        travel = TRAVEL[group.stakeholder](self.rng(f"travel:{group.stakeholder}"))
        if self.keep:
            self.record(
                "UnitsLeft", stakeholder=group.stakeholder, site=group.site, units=group.units,
                waited_s=round(float(self.env.now - group.ordered_t), 3), travel_s=travel,
            )  # fmt: skip
        self.travel(group, travel)

    def travel(self, group: Group, travel: float) -> None:
        """Start a leg of travel; a later leg voids this one's arrival."""
        group.state = "travelling"
        group.leg += 1
        leg = group.leg
        self.later(travel, lambda: self.reach(group, leg))

    def reach(self, group: Group, leg: int) -> None:
        """The group reached its site, or its rendezvous if it stages."""
        if leg != group.leg:
            return  # redirected on the way
        if group.staged_until is None:
            self.arrive(group)
            return
        group.state = "staged"
        group.staged_t = self.env.now
        if self.keep:
            self.record("UnitsStaged", stakeholder=group.stakeholder, site=group.site, units=group.units)
        if group.stakeholder == "ems":
            self.milestone("ems-staged")
        if group.released:
            self.clear(group)

    def release_group(self, group: Group) -> None:
        """What the staged group waits for happened: it goes in once at the rendezvous."""
        if group.released:
            return
        group.released = True
        if group.state == "staged":
            self.clear(group)

    def clear(self, group: Group) -> None:
        """The staged group goes in from the rendezvous, after its access time."""
        if self.keep:
            self.record(
                "UnitsCleared", stakeholder=group.stakeholder, site=group.site, units=group.units,
                staged_s=round(float(self.env.now - group.staged_t), 3),
            )  # fmt: skip
        group.state = "clearing"
        group.leg += 1
        leg = group.leg
        access = ACCESS(self.rng(f"access:{group.stakeholder}"))
        self.later(access, lambda: self.arrive(group) if leg == group.leg else None)

    def arrive(self, group: Group) -> None:
        """The group is on scene: rules, milestones and the engagement react."""
        group.state = "on_scene"
        site = group.site
        self.on_scene[site].append(group)
        if self.keep:
            self.record("UnitsArrived", stakeholder=group.stakeholder, site=site, units=group.units)
        self.arrived_rules(group.stakeholder, site)
        milestone = ARRIVAL_MILESTONES.get((group.stakeholder, site))
        if milestone is not None:
            self.milestone(milestone)
        self.units_changed(site)

    def threat_moved(self, site: str | None) -> None:
        """The groups pursuing the threat go where it went."""
        if site is None:
            return
        self.threat_site = site
        for group in self.pursuers:
            if group.site == site:
                continue
            from_site, waiting, on_scene = group.site, group.state == "waiting", group.state == "on_scene"
            group.site = site
            travel = None if waiting else TRAVEL[group.stakeholder](self.rng(f"travel:{group.stakeholder}"))
            if self.keep:
                self.record(
                    "UnitsRedirected", stakeholder=group.stakeholder, units=group.units, from_site=from_site,
                    site=site, reason="pursuit", travel_s=travel,
                )  # fmt: skip
            if travel is None:
                continue
            self.travel(group, travel)
            if on_scene:
                self.on_scene[from_site].remove(group)
                self.units_changed(from_site)

    # --- sites ------------------------------------------------------------------------------------------------

    def lock_down(self, site: str, by: str) -> None:
        """Start a site's lockdown (once); it completes after the site's lockdown duration."""
        if site in self.locking:
            return
        self.locking.add(site)
        duration = self.sample(LOCKDOWN[site], f"lockdown:{site}")
        if self.keep:
            self.record("LockdownStarted", site=site, by=by, duration_s=duration)
        self.harm_changed()

        def complete() -> None:
            self.locked.add(site)
            if self.keep:
                self.record("LockdownCompleted", site=site, by=by)
            self.harm_changed()
            if site == "synagogue":
                self.milestone("lockdown-complete")

        self.later(duration, complete)

    # --- the threat -------------------------------------------------------------------------------------------

    def phase(self) -> Phase | None:
        """The active threat phase, if any."""
        return None if self.threat_over or self.phase_index < 0 else PHASES[self.phase_index]

    def start_phase(self, index: int) -> None:
        """Start threat phase `index`: its duration and observations are drawn now."""
        self.phase_index = index
        self.token += 1
        self.engaged_by = None
        token = self.token
        phase = PHASES[index]
        duration = phase.duration(self.rng("threat"))
        if self.keep:
            self.record(
                "ThreatPhaseStarted", phase=phase.id, phase_kind=phase.kind, site=phase.site, duration_s=duration
            )
        self.harm_changed()
        for who, fact, after in phase.observed_by:
            self.later(self.sample(after, "threat"), partial(self.learn, who, fact, f"observation:{phase.id}"))
        if phase.id == "attack-synagogue":
            self.milestone("attack-starts")
        self.threat_moved(phase.site)
        self.later(duration, lambda: self.end_phase(index, token))
        self.check_engagement()

    def close_phase(self, index: int, token: int) -> Phase | None:
        """End phase `index` now if it is still the active one (`token`)."""
        if token != self.token or self.threat_over:
            return None
        phase = PHASES[index]
        if self.keep:
            self.record("ThreatPhaseEnded", phase=phase.id)
        self.pause_engagement()
        return phase

    def end_phase(self, index: int, token: int) -> None:
        """The phase ran its course: the next phase starts, or the threat ends."""
        phase = self.close_phase(index, token)
        if phase is None:
            return
        if phase.ends_with != "next":
            self.end_threat(phase.ends_with)
        else:
            self.start_phase(index + 1)

    def react_to_engagement(self, index: int, token: int) -> None:
        """The engaged phase's reaction is due: the threat goes to the phase it names."""
        phase = self.close_phase(index, token)
        if phase is not None and phase.engaged_go_to is not None:
            self.start_phase(phase.engaged_go_to)

    def end_threat(self, outcome: str, by: str | None = None) -> None:
        """The threat is over (`outcome`)."""
        if self.threat_over:
            return
        self.pause_engagement()
        self.harm_changed(ending=True)
        self.threat_over = True
        self.token += 1
        if self.keep:
            self.record("ThreatEnded", harm=round(self.harm, 3), outcome=outcome, by=by)
        if outcome == "escaped":
            self.milestone("attacker-escaped")

    def units_changed(self, site: str) -> None:
        """Units arrived at or left `site`: the engagement there may change."""
        phase = self.phase()
        if phase is not None and phase.site == site:
            self.check_engagement()

    def check_engagement(self) -> None:
        """Units able to stop the threat that are on scene engage it, and run the clock of how long it takes."""
        phase = self.phase()
        site = phase.site if phase is not None and phase.interdictable else None
        engaging = None
        if site is not None:
            # Every unit that can go on scene here (patrols, armed response) can neutralise; ambulances cannot.
            engaging = next((g.stakeholder for g in self.on_scene[site] if g.stakeholder != "ems"), None)
        if engaging is None:
            self.pause_engagement()
            return
        assert phase is not None and site is not None
        started = self.engaged is None
        if started:
            self.engaged = (site, phase.id, self.env.now)
        clock = self.stop.get(site)
        if clock is None:
            clock = self.stop[site] = StopClock(NEUTRALISE(self.rng("neutralise")))
        if clock.since is None:
            clock.since = self.env.now
            self.later(max(clock.needed - clock.done, 0.0), partial(self.stopped, site, clock.token))
        if started:
            if self.keep:
                self.record("EngagementStarted", site=site, phase=phase.id, by=engaging)
            if self.engaged_by is None:
                self.engaged_by = engaging
                if phase.engaged_after is not None:
                    delay = phase.engaged_after(self.rng(f"threat:{phase.id}:engaged"))
                    self.later(delay, partial(self.react_to_engagement, self.phase_index, self.token))

    def pause_engagement(self) -> None:
        """The engagement stops (the phase ended or the units left); its clock stops with it."""
        if self.engaged is None:
            return
        site, phase, since = self.engaged
        self.engaged = None
        clock = self.stop.get(site)
        if clock is not None and clock.since is not None:
            clock.done += self.env.now - clock.since
            clock.since = None
            clock.token += 1
        if self.keep:
            self.record("EngagementPaused", site=site, phase=phase, engaged_s=round(self.env.now - since, 3))

    def stopped(self, site: str, token: int) -> None:
        """The units have engaged the threat as long as they need: it is neutralised."""
        if self.threat_over or self.stop[site].token != token:
            return
        by = next(g.stakeholder for g in self.on_scene[site] if g.stakeholder != "ems")
        if self.keep:
            self.record("ThreatNeutralised", by=by, site=site)
        self.milestone("threat-neutralised")
        self.end_threat("neutralised", by)

    # --- harm ---------------------------------------------------------------------------------------------------

    def harm_changed(self, ending: bool = False) -> None:
        """Bring the harm up to now and set its rate from now on."""
        now = self.env.now
        self.harm += self.harm_rate * (now - self.harm_since) / 60.0
        self.harm_since = now
        phase = self.phase()
        rate = 0.0
        if not ending and phase is not None and phase.site is not None and phase.kind in ("attack", "exchange_of_fire"):
            rate = OCCUPANCY[phase.site] * (0.1 if phase.site in self.locked else 1.0)
        if rate != self.harm_rate:
            self.harm_rate = rate
            if self.keep:
                self.record("HarmRateChanged", rate_per_min=round(rate, 6), harm=round(self.harm, 3))

    def harm_now(self) -> float:
        """Harm accumulated up to now."""
        return self.harm + self.harm_rate * (self.env.now - self.harm_since) / 60.0
