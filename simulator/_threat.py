"""The threat's phases, the response's interdiction of them, and the harm they do."""

from __future__ import annotations

from functools import partial

from scenarios.threat import ThreatPhase
from simulator._state import WorldState


class ThreatModel(WorldState):
    """The threat's own timeline, how units on scene end it, and the harm counted while it is active."""

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
        self.harm_changed()
        for seen in phase.observed_by:
            delay = self.sample(seen.after, "threat")
            self.later(delay, partial(self._observed, seen.stakeholder, seen.fact, phase.id, token))
        self.emit("threat_phase_started", {"phase": phase.id, "site": phase.site})
        self.threat_moved(phase.site)
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
        if phase.ends_with in ("ended", "arrested") or index + 1 == len(threat.phases):
            self._end_threat()
        else:
            self._start_phase(index + 1)

    def units_changed(self, site: str) -> None:
        """Units arrived at (or left) `site`: those able to neutralise may engage the threat there."""
        del site
        self._check_interdiction()

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
        self.harm_changed(ending=True)
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

    def harm_changed(self, ending: bool = False) -> None:
        """Bring the harm up to now, and set the rate at which it grows from now on."""
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
