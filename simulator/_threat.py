"""The threat's phases, the response's engagement of them, and the harm they do."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from scenarios.threat import HARMFUL_KINDS, ThreatOutcome, ThreatPhase
from simulator._state import WorldState


@dataclass(slots=True)
class _Engagement:
    """Units engaging the active phase at its site, since `since`."""

    site: str
    phase: str
    since: float
    by: str


@dataclass(slots=True)
class _StopClock:
    """How long units able to stop the threat must engage it at one site, and how long they have so far."""

    needed: float
    """Drawn once, when such units first engage the threat at the site."""
    done: float = 0.0
    """Seconds of engagement by such units before `since`."""
    since: float | None = None
    """When the clock last started running (None: stopped)."""
    token: int = 0
    """Bumped whenever the clock stops, so that the completion scheduled while it ran is void."""


class ThreatModel(WorldState):
    """The threat's own timeline, how units on scene engage and stop it, and the harm counted while it is active."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        threat = self.scenario.threat
        self._phase_at = {phase.id: i for i, phase in enumerate(threat.phases)} if threat is not None else {}
        self._engagement: _Engagement | None = None
        self._engaged_by: str | None = None
        """Who first engaged the active phase (None: no one yet)."""
        self._stop: dict[str, _StopClock] = {}

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
        self._engaged_by = None
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
        self._check_engagement()

    def _observed(self, stakeholder: str, fact: str, phase: str, token: int) -> None:
        del token  # what was seen stays seen, even if the phase has ended since
        self.learn(stakeholder, fact, f"observation:{phase}")

    def _close_phase(self, index: int, token: int) -> ThreatPhase | None:
        """End phase `index` now if it is still the active one (`token`): record it, pause its engagement."""
        if token != self.phase_token or self.threat_over:
            return None
        threat = self.scenario.threat
        assert threat is not None
        phase = threat.phases[index]
        self.record("ThreatPhaseEnded", phase=phase.id)
        self._pause_engagement()
        return phase

    def _end_phase(self, index: int, token: int) -> None:
        """The phase ran its course: the next phase starts, or the threat ends as the phase says."""
        by = self._engagement.by if self._engagement is not None else None  # read before the pause clears it
        phase = self._close_phase(index, token)
        if phase is None:
            return
        threat = self.scenario.threat
        assert threat is not None
        if phase.ends_with != "next":
            self._end_threat(phase.ends_with, by if phase.ends_with == "surrendered" else None)
        elif index + 1 == len(threat.phases):
            self._end_threat("ended")
        else:
            self._start_phase(index + 1)

    def _react(self, index: int, token: int) -> None:
        """The phase's `on_engaged` reaction, due now: it ends, and the threat goes to another phase or ends."""
        phase = self._close_phase(index, token)
        if phase is None:
            return
        reaction = phase.on_engaged
        assert reaction is not None
        if reaction.go_to is not None:
            self._start_phase(self._phase_at[reaction.go_to])
        else:
            assert reaction.ends_with is not None
            self._end_threat(reaction.ends_with, self._engaged_by)

    # --- engagement ---------------------------------------------------------------------------------------------

    def units_changed(self, site: str) -> None:
        """Units arrived at (or left) `site`: those able to contain or neutralise engage the threat there."""
        phase = self.phase
        if phase is not None and phase.site == site:
            self._check_engagement()

    def _check_engagement(self) -> None:
        """Start, continue or pause the engagement of the active phase, and the clock of the units that can stop it."""
        phase = self.phase
        site = phase.site if phase is not None and phase.interdictable else None
        engaging: str | None = None
        stopping = False
        if site is not None:
            for stakeholder, _units in self.on_scene[site]:
                able = self.stakeholders[stakeholder]
                if able.can_neutralise or able.can_contain:
                    engaging = engaging or stakeholder
                    stopping = stopping or able.can_neutralise
        if engaging is None:
            self._pause_engagement()
            return
        assert phase is not None and site is not None
        current = self._engagement
        if current is not None and (current.site != site or current.phase != phase.id):
            self._pause_engagement()  # (a phase's end pauses it first; kept as a guard)
        started = self._engagement is None
        if started:
            self._engagement = _Engagement(site, phase.id, self.env.now, engaging)
        if stopping:
            self._run_stop_clock(site)
        else:
            self._stop_clock(site)
        if started:
            self.record("EngagementStarted", site=site, phase=phase.id, by=engaging)
            if self._engaged_by is None:
                self._engaged_by = engaging
                if phase.on_engaged is not None:
                    delay = self.sample(phase.on_engaged.after, f"threat:{phase.id}:engaged")
                    self.later(delay, partial(self._react, self.phase_index, self.phase_token))
            self.emit("threat_engaged", {"site": site, "phase": phase.id, "stakeholder": engaging})

    def _pause_engagement(self) -> None:
        engagement = self._engagement
        if engagement is None:
            return
        self._engagement = None
        self._stop_clock(engagement.site)
        engaged = round(self.env.now - engagement.since, 3)
        self.record("EngagementPaused", site=engagement.site, phase=engagement.phase, engaged_s=engaged)

    def _run_stop_clock(self, site: str) -> None:
        clock = self._stop.get(site)
        if clock is None:
            threat = self.scenario.threat
            assert threat is not None
            clock = self._stop[site] = _StopClock(self.sample(threat.neutralise_time, "neutralise"))
        if clock.since is None:
            clock.since = self.env.now
            self.later(max(clock.needed - clock.done, 0.0), partial(self._stopped, site, clock.token))

    def _stop_clock(self, site: str) -> None:
        clock = self._stop.get(site)
        if clock is not None and clock.since is not None:
            clock.done += self.env.now - clock.since
            clock.since = None
            clock.token += 1

    def _stopped(self, site: str, token: int) -> None:
        """Units able to stop the threat have engaged it at `site` for the time they need: it is neutralised."""
        if self.threat_over or self._stop[site].token != token:
            return
        by = next(sh for sh, _ in self.on_scene[site] if self.stakeholders[sh].can_neutralise)
        self.record("ThreatNeutralised", by=by, site=site)
        self.emit("threat_neutralised", {"site": site, "stakeholder": by})
        self._end_threat("neutralised", by)

    def _end_threat(self, outcome: ThreatOutcome, by: str | None = None) -> None:
        if self.threat_over:
            return
        self._pause_engagement()
        self.harm_changed(ending=True)
        self.threat_over = True
        self.phase_token += 1
        self.record("ThreatEnded", harm=round(self.harm, 3), outcome=outcome, by=by)
        self.emit("threat_ended", {"outcome": outcome})

    # --- harm ---------------------------------------------------------------------------------------------------

    def exposure_factor(self) -> float:
        """Harm per occupant-minute at the active phase's site, now."""
        phase = self.phase
        threat = self.scenario.threat
        if phase is None or threat is None or phase.site is None:
            return 0.0
        harm = threat.harm
        if phase.kind == "barricade":
            return harm.barricade_factor
        if phase.kind not in HARMFUL_KINDS:
            return 0.0
        state = self.site_state[phase.site]
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
