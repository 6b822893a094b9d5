"""Units on the move: dispatch orders, waiting for free units, travel and arrival on scene."""

from __future__ import annotations

from functools import partial

from simulator._state import WorldState


class Dispatching(WorldState):
    """Where each stakeholder's units go, and when they get there."""

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
        self.units_changed(site)
