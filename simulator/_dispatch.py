"""Units on the move: dispatch orders, waiting for free units, travel, staging, pursuit, recall and redirection."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal

from scenarios.playbook import Dispatch, Stage, Trigger
from simulator._compiled import Compiled
from simulator._state import RecordFieldsFn, RecordFn, WorldState, _Lazy
from simulator._units import _Claim

GroupState = Literal["waiting", "travelling", "staged", "clearing", "on_scene", "gone"]
"""Where a group is: waiting for free units, on its way, at the rendezvous, going in from it, on scene, recalled."""


@dataclass(slots=True, eq=False)
class _Group:
    """The units of one dispatch order: they wait, travel, stage and stay together."""

    stakeholder: str
    """Whose units they are."""
    units: int
    """How many."""
    site: str
    """The site they head to, wait near, or are on scene at."""
    follow: bool
    """Whether they pursue the threat to each site it moves to."""
    stage: Stage | None
    """Where and until when they wait before going on scene."""
    ordered_t: float
    """When the order was given."""
    state: GroupState = "waiting"
    claim: _Claim | None = None
    """Their request for free units, while it waits."""
    leg: int = 0
    """Bumped whenever what is scheduled for them (an arrival, going in) no longer holds."""
    released: bool = False
    """Whether the stage's condition has happened (they go in once at the rendezvous)."""
    staged_t: float = 0.0
    """When they reached the rendezvous."""


class Dispatching(WorldState):
    """Where each stakeholder's units go, and when they get there."""

    def __init__(self, compiled: Compiled, seed: int, record: RecordFn, record_fields: RecordFieldsFn) -> None:
        super().__init__(compiled, seed, record, record_fields)
        self.groups: list[_Group] = []
        """Every group not recalled, in order of their orders."""
        self.pursuers: list[_Group] = []
        """The groups that follow the threat, in order of their orders."""
        self.threat_site: str | None = None
        """The site of the active threat phase, else the last site the threat was at."""
        self._scene_groups: dict[str, list[_Group]] = _Lazy(self.compiled.sites, lambda _site: [])
        """The groups on scene at each site, in the order of `on_scene` (which holds their stakeholder and units)."""

    def dispatch(self, action: Dispatch, owner: str) -> None:
        """Order the units of `action` (`owner`'s, or its stakeholder's): they leave together once all are free."""
        stakeholder = action.stakeholder or owner
        count = action.units
        site = action.site
        if site is None:
            site = self.threat_site
            if site is None or site not in self.stakeholders[stakeholder].travel:
                self.record("DispatchUnfollowable", stakeholder=stakeholder, units=count, site=site)
                return
        self.record("DispatchOrdered", stakeholder=stakeholder, site=site, units=count)
        group = _Group(stakeholder, count, site, action.follow is not None, action.stage, float(self.env.now))
        self.groups.append(group)
        if group.follow:
            self.pursuers.append(group)
        if action.stage is not None:
            self._await_release(group, action.stage.until, owner)
        group.claim = self.units[stakeholder].request_many(count, partial(self._leave, group))

    def _leave(self, group: _Group) -> None:
        group.claim = None
        sh = group.stakeholder
        travel = self.sample(self.stakeholders[sh].travel[group.site], f"travel:{sh}")
        self.record(
            "UnitsLeft",
            stakeholder=sh,
            site=group.site,
            units=group.units,
            waited_s=round(float(self.env.now - group.ordered_t), 3),
            travel_s=travel,
        )
        self._travel(group, travel)

    def _travel(self, group: _Group, travel: float) -> None:
        group.state = "travelling"
        group.leg += 1
        self.later(travel, partial(self._reach, group, group.leg))

    def _reach(self, group: _Group, leg: int) -> None:
        if leg != group.leg:
            return  # recalled or redirected on the way
        if group.stage is None:
            self._arrive(group)
            return
        group.state = "staged"
        group.staged_t = self.env.now
        self.record("UnitsStaged", stakeholder=group.stakeholder, site=group.site, units=group.units)
        self.emit("units_staged", {"stakeholder": group.stakeholder, "site": group.site})
        if group.released and group.state == "staged" and leg == group.leg:
            self._clear(group)

    def _await_release(self, group: _Group, until: Trigger, owner: str) -> None:
        """Release the group when `until` happens from now on (or holds already, for facts and milestones)."""
        if until.event == "fact_learned":
            who = until.stakeholder or owner
            if until.fact in self.known[who]:
                group.released = True
            else:
                self.bus.listen(until, partial(self._release, group), stakeholder=who)
        elif until.event == "milestone_reached" and until.milestone in self.milestones:
            group.released = True
        else:
            self.bus.listen(until, partial(self._release, group))

    def _release(self, group: _Group) -> None:
        if group.released or group.state == "gone":
            return
        group.released = True
        if group.state == "staged":
            self._clear(group)

    def _clear(self, group: _Group) -> None:
        assert group.stage is not None
        sh = group.stakeholder
        staged_s = round(float(self.env.now - group.staged_t), 3)
        self.record("UnitsCleared", stakeholder=sh, site=group.site, units=group.units, staged_s=staged_s)
        group.state = "clearing"
        group.leg += 1
        access = self.sample(group.stage.access, f"access:{sh}")
        if access > 0:
            self.later(access, partial(self._go_in, group, group.leg))
        else:
            self._arrive(group)

    def _go_in(self, group: _Group, leg: int) -> None:
        if leg == group.leg:
            self._arrive(group)

    def _arrive(self, group: _Group) -> None:
        group.state = "on_scene"
        site = group.site
        self.on_scene[site].append((group.stakeholder, group.units))
        self._scene_groups[site].append(group)
        self.record("UnitsArrived", stakeholder=group.stakeholder, site=site, units=group.units)
        self.emit("units_arrived", {"stakeholder": group.stakeholder, "site": site})
        self.units_changed(site)

    def _leave_scene(self, group: _Group, site: str) -> None:
        groups = self._scene_groups[site]
        index = next(i for i, other in enumerate(groups) if other is group)
        del groups[index]
        del self.on_scene[site][index]
        self.units_changed(site)

    # --- orders that change where units go -------------------------------------------------------------------

    def _groups_at(self, stakeholder: str, site: str) -> list[_Group]:
        return [g for g in self.groups if g.stakeholder == stakeholder and g.site == site and g.state != "gone"]

    def recall(self, site: str, stakeholder: str) -> None:
        """Call back every group of `stakeholder` ordered to, travelling to, staged at or on scene at `site`.

        Their units are free again at once (the way back is not played) and return to the pool.
        """
        for group in self._groups_at(stakeholder, site):
            state = group.state
            was = "staged" if state == "clearing" else state
            group.state = "gone"
            group.leg += 1
            self.record("UnitsRecalled", stakeholder=stakeholder, site=site, units=group.units, was=was)
            pool = self.units[stakeholder]
            if group.claim is not None:
                pool.cancel(group.claim)  # still waiting: the units it holds go back, the rest are never taken
                group.claim = None
            else:
                pool.release_many(group.units)
            if state == "on_scene":
                self._leave_scene(group, site)
        self.groups = [g for g in self.groups if g.state != "gone"]
        self.pursuers = [g for g in self.pursuers if g.state != "gone"]

    def redirect(self, from_site: str, to: str, stakeholder: str) -> None:
        """Send every group of `stakeholder` heading to, staged at or on scene at `from_site` to `to` instead."""
        for group in self._groups_at(stakeholder, from_site):
            group.follow = False  # an order to go elsewhere ends a pursuit
            self._move(group, to, "order")
        self.pursuers = [g for g in self.pursuers if g.follow]

    def _move(self, group: _Group, to: str, reason: Literal["pursuit", "order"]) -> None:
        sh = group.stakeholder
        from_site = group.site
        group.site = to
        waiting = group.state == "waiting"  # its travel time is drawn when it leaves, as for any dispatch
        left_scene = group.state == "on_scene"
        travel = None if waiting else self.sample(self.stakeholders[sh].travel[to], f"travel:{sh}")
        self.record(
            "UnitsRedirected",
            stakeholder=sh,
            units=group.units,
            from_site=from_site,
            site=to,
            reason=reason,
            travel_s=travel,
        )
        if travel is None:
            return
        self._travel(group, travel)
        if left_scene:
            self._leave_scene(group, from_site)

    def threat_moved(self, site: str | None) -> None:
        """A threat phase started at `site`: the groups that follow the threat go there (if they can)."""
        super().threat_moved(site)
        if site is None:
            return
        self.threat_site = site
        for group in list(self.pursuers):
            if self.threat_site != site:
                return  # what happened on the way moved the threat again; that move sent them on
            if group.state == "gone" or not group.follow or group.site == site:
                continue
            if site not in self.stakeholders[group.stakeholder].travel:
                self.record(
                    "PursuitBlocked",
                    stakeholder=group.stakeholder,
                    units=group.units,
                    site=group.site,
                    threat_site=site,
                )
                continue
            self._move(group, site, "pursuit")
