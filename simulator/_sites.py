"""Units and sites: dispatch and arrival, lockdown and evacuation, the threat's phases, interdiction, harm."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from scenarios.threat import ThreatPhase
from simulator._state import WorldState


@dataclass(frozen=True, slots=True)
class _Measure:
    """A protective measure of a site: its name in the scenario and in the stream, its records, its event."""

    name: str
    started: str
    completed: str
    event: str


_LOCKDOWN = _Measure("lockdown", "LockdownStarted", "LockdownCompleted", "lockdown_complete")
_EVACUATION = _Measure("evacuation", "EvacuationStarted", "EvacuationCompleted", "evacuation_complete")


class SitesAndThreat(WorldState):
    """What happens at the sites: units arriving, doors locking, people leaving, the threat, and its harm."""

    def dispatch(self, stakeholder: str, site: str, count: int) -> None:
        """Take `count` units of `stakeholder` as they come free, then send them to `site` together."""
        self.record("DispatchOrdered", stakeholder=stakeholder, site=site, units=count)
        units = self.units[stakeholder]
        ordered = self.env.now

        def leave() -> None:
            travel = self.sample(self.stakeholders[stakeholder].travel[site], f"travel:{stakeholder}")
            self.record(
                "UnitsLeft",
                stakeholder=stakeholder,
                site=site,
                units=count,
                waited_s=round(self.env.now - ordered, 3),
                travel_s=travel,
            )
            self.later(travel, partial(self._arrive, stakeholder, site, count))

        units.request_many(count, leave)

    def _arrive(self, stakeholder: str, site: str, count: int) -> None:
        self.on_scene[site].append((stakeholder, count))
        self.record("UnitsArrived", stakeholder=stakeholder, site=site, units=count)
        self.emit("units_arrived", {"stakeholder": stakeholder, "site": site})
        self._check_interdiction()

    def lock_down(self, site_id: str, by: str) -> None:
        """Start a lockdown of a site (once); it completes after the site's lockdown duration."""
        self._protect(site_id, by, _LOCKDOWN)

    def evacuate(self, site_id: str, by: str) -> None:
        """Start an evacuation of a site (once); it completes after the site's evacuation duration."""
        self._protect(site_id, by, _EVACUATION)

    def _protect(self, site_id: str, by: str, measure: _Measure) -> None:
        state = self.site_state[site_id]
        plan = getattr(self.sites[site_id], measure.name)
        if measure.name in state.started or plan is None:
            return
        state.started.add(measure.name)
        duration = self.sample(plan.duration, f"{measure.name}:{site_id}")
        self.record(measure.started, site=site_id, by=by, duration_s=duration)
        self._harm_changed()

        def complete() -> None:
            state.complete.add(measure.name)
            self.record(measure.completed, site=site_id, by=by)
            self._harm_changed()
            self.emit(measure.event, {"site": site_id})

        self.later(duration, complete)

    @property
    def phase(self) -> ThreatPhase | None:
        """The active threat phase, if any."""
        if self.threat_over or self.scenario.threat is None or self.phase_index < 0:
            return None
        return self.scenario.threat.phases[self.phase_index]

    def _start_phase(self, index: int) -> None:
        threat = self.scenario.threat
        assert threat is not None
        self.phase_index = index
        self.phase_token += 1
        self.neutralising = False  # an interdiction under way ends with its phase; this one may start its own
        token = self.phase_token
        phase = threat.phases[index]
        duration = self.sample(phase.duration, "threat")
        self.record("ThreatPhaseStarted", phase=phase.id, phase_kind=phase.kind, site=phase.site, duration_s=duration)
        self._harm_changed()
        for seen in phase.observed_by:
            delay = self.sample(seen.after, "threat")
            self.later(delay, partial(self._observed, seen.stakeholder, seen.fact, phase.id, token))
        self.emit("threat_phase_started", {"phase": phase.id, "site": phase.site})
        self.later(duration, lambda: self._end_phase(index, token))
        self._check_interdiction()

    def _observed(self, stakeholder: str, fact: str, phase: str, token: int) -> None:
        del token  # what was seen stays seen, even if the phase has ended since
        self.learn(stakeholder, fact, f"observation:{phase}")

    def _end_phase(self, index: int, token: int) -> None:
        if token != self.phase_token or self.threat_over:
            return
        threat = self.scenario.threat
        assert threat is not None
        phase = threat.phases[index]
        self.record("ThreatPhaseEnded", phase=phase.id)
        if phase.ends_with == "neutralised":
            self._neutralise(by=None, site=phase.site)
        elif phase.ends_with == "ended" or index + 1 == len(threat.phases):
            self._end_threat()
        else:
            self._start_phase(index + 1)

    def _check_interdiction(self) -> None:
        phase = self.phase
        if phase is None or self.neutralising or not phase.interdictable or phase.site is None:
            return
        capable = [sh for sh, _ in self.on_scene[phase.site] if self.stakeholders[sh].can_neutralise]
        if not capable:
            return
        threat = self.scenario.threat
        assert threat is not None
        self.neutralising = True
        token = self.phase_token
        delay = self.sample(threat.neutralise_time, "neutralise")
        self.record("InterdictionStarted", phase=phase.id, site=phase.site, by=capable[0], duration_s=delay)

        def done() -> None:
            if token == self.phase_token and not self.threat_over:
                self._neutralise(by=capable[0], site=phase.site)

        self.later(delay, done)

    def _neutralise(self, by: str | None, site: str | None) -> None:
        self.record("ThreatNeutralised", by=by, site=site)
        self.emit("threat_neutralised", {"site": site})
        self._end_threat()

    def _end_threat(self) -> None:
        self._harm_changed(ending=True)
        self.threat_over = True
        self.phase_token += 1
        self.record("ThreatEnded", harm=round(self.harm, 3))
        self.emit("threat_ended", {})

    def exposure_factor(self) -> float:
        """Harm per occupant-minute at the active attack's site, now."""
        phase = self.phase
        threat = self.scenario.threat
        if phase is None or threat is None or phase.kind != "attack" or phase.site is None:
            return 0.0
        state = self.site_state[phase.site]
        harm = threat.harm
        if "evacuation" in state.complete:
            return harm.evacuated_factor
        if "evacuation" in state.started:
            return harm.evacuating_factor
        if "lockdown" in state.complete and phase.entry_blocked_by_lockdown:
            return harm.locked_down_factor
        return harm.open_factor

    def _harm_changed(self, ending: bool = False) -> None:
        now = self.env.now
        self.harm += self.harm_rate * (now - self._harm_since) / 60.0
        self._harm_since = now
        phase = self.phase
        rate = 0.0
        if not ending and phase is not None and phase.site is not None:
            rate = self.sites[phase.site].occupancy * self.exposure_factor()
        if rate != self.harm_rate:
            self.harm_rate = rate
            self.record("HarmRateChanged", rate_per_min=round(rate, 6), harm=round(self.harm, 3))

    def harm_now(self) -> float:
        """Harm accumulated up to now."""
        return self.harm + self.harm_rate * (self.env.now - self._harm_since) / 60.0
