"""The sites' protective measures: lockdown and evacuation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

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


class Sites(WorldState):
    """What the people at the sites do to protect themselves: doors locking, people leaving."""

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
        self.harm_changed()
        # A method with its arguments on the timeout, not a closure: fewer objects per measure.
        self.env.timeout(duration).callbacks.append(partial(self._complete, site_id, by, measure))

    def _complete(self, site_id: str, by: str, measure: _Measure, _event: object) -> None:
        self.site_state[site_id].complete.add(measure.name)
        self.record(measure.completed, site=site_id, by=by)
        self.harm_changed()
        self.bus.emit(measure.event, {"site": site_id})
