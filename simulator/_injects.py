"""The MSEL at run time: each inject's lifecycle (scheduled, held, delayed, fired, delivered, skipped), one owner."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from difflib import get_close_matches
from typing import TYPE_CHECKING, Literal, cast

from scenarios.exercise import Inject
from simulator.errors import CommandError

if TYPE_CHECKING:
    from simulator._state import WorldState

InjectStatus = Literal["pending", "held", "delivered", "skipped"]


@dataclass(slots=True)
class InjectState:
    """Where one inject stands."""

    status: InjectStatus = "pending"
    due: float | None = None
    """When it falls due (simulation seconds): its time, its trigger's time plus its delay, or a delayed time."""
    token: int = 0
    """Bumped at each (re)scheduling, so that a superseded due time does nothing."""
    delivered_t: float | None = None
    """When it was delivered."""


class Msel:
    """Every inject of a run and its state; the facilitator's inject commands are checked and applied here."""

    def __init__(self, world: WorldState) -> None:
        # A weak proxy: the world owns this part, which then makes no reference cycle with it.
        self.world = cast("WorldState", weakref.proxy(world))
        self.injects: dict[str, Inject] = {inject.id: inject for inject in world.scenario.injects}
        self.state = {inject_id: InjectState() for inject_id in self.injects}
        self._adhoc = 0

    def start(self) -> None:
        """Schedule the injects with a time (contingency injects wait for the facilitator)."""
        for inject in self.world.scenario.injects:
            if inject.at is not None and not inject.contingency:
                self._schedule(inject.id, inject.at)

    # --- the engine's side ----------------------------------------------------------------------------------

    def triggered(self, inject_id: str) -> None:
        """An inject's trigger happened: it falls due after its delay (once)."""
        inject = self.injects[inject_id]
        state = self.state[inject_id]
        # A held inject still falls due on its trigger: it is withheld then, and delivered when released.
        if state.status not in ("pending", "held") or state.due is not None:
            return
        delay = self.world.sample(inject.after, f"inject:{inject_id}")
        self._schedule(inject_id, self.world.env.now + delay)

    def _schedule(self, inject_id: str, due: float) -> None:
        state = self.state[inject_id]
        state.due = due
        state.token += 1
        token = state.token
        self.world.later(max(due - self.world.env.now, 0.0), lambda: self._due(inject_id, token))

    def _due(self, inject_id: str, token: int) -> None:
        state = self.state[inject_id]
        if token != state.token or state.status != "pending":
            if state.status == "held" and token == state.token:
                self.world.record("InjectWithheld", inject=inject_id)
            return
        self.deliver(inject_id, by="schedule")

    def deliver(self, inject_id: str, by: str) -> None:
        """Deliver an inject now: record it, and its receiver learns its fact."""
        world = self.world
        inject = self.injects[inject_id]
        state = self.state[inject_id]
        state.status = "delivered"
        state.delivered_t = world.env.now
        world.record("InjectDelivered", inject=inject_id, to=inject.to, fact=inject.fact, by=by)
        if inject.fact is not None:
            world.learn(inject.to, inject.fact, f"inject:{inject_id}")
        world.emit("inject_delivered", {"inject": inject_id, "stakeholder": inject.to})

    # --- the facilitator's commands: `check_*` raises CommandError, the verb applies ----------------------------

    def find(self, inject_id: str) -> InjectState:
        """The state of an inject.

        Raises:
            CommandError: no such inject (with a "did you mean").
        """
        state = self.state.get(inject_id)
        if state is None:
            close = get_close_matches(inject_id, list(self.state), n=1)
            raise CommandError(f"no inject {inject_id!r}", f"did you mean {close[0]!r}?" if close else None)
        return state

    def check_fire(self, inject_id: str) -> None:
        """Raise CommandError unless the inject can be fired now."""
        state = self.find(inject_id)
        if state.status in ("delivered", "skipped"):
            raise CommandError(f"inject {inject_id!r} was already {state.status}")

    def fire(self, inject_id: str) -> None:
        """Deliver an inject now (early, or a contingency inject)."""
        self.deliver(inject_id, by="facilitator")

    def check_hold(self, inject_id: str) -> None:
        """Raise CommandError unless the inject is pending."""
        state = self.find(inject_id)
        if state.status != "pending":
            raise CommandError(f"inject {inject_id!r} is {state.status}, not pending")

    def hold(self, inject_id: str) -> None:
        """Hold a pending inject: it is withheld when due, until released."""
        self.state[inject_id].status = "held"
        self.world.record("InjectHeld", inject=inject_id)

    def check_release(self, inject_id: str) -> None:
        """Raise CommandError unless the inject is held."""
        state = self.find(inject_id)
        if state.status != "held":
            raise CommandError(f"inject {inject_id!r} is {state.status}, not held")

    def release(self, inject_id: str) -> None:
        """Release a held inject: delivered now if it is overdue, else when due."""
        state = self.state[inject_id]
        state.status = "pending"
        self.world.record("InjectReleased", inject=inject_id)
        if state.due is not None and state.due <= self.world.env.now:
            self.deliver(inject_id, by="facilitator")

    def check_delay(self, inject_id: str) -> None:
        """Raise CommandError unless the inject has a due time still to come."""
        state = self.find(inject_id)
        if state.status not in ("pending", "held") or state.due is None:
            raise CommandError(f"inject {inject_id!r} has no scheduled time to delay ({state.status})")

    def delay(self, inject_id: str, by_s: float) -> None:
        """Push an inject's delivery back by `by_s` seconds (from its due time, or from now if overdue)."""
        state = self.state[inject_id]
        assert state.due is not None
        due = max(state.due, self.world.env.now) + by_s
        self.world.record("InjectDelayed", inject=inject_id, due_t=round(due, 3))
        self._schedule(inject_id, due)

    def check_skip(self, inject_id: str) -> None:
        """Raise CommandError unless the inject can still be skipped."""
        self.check_fire(inject_id)

    def skip(self, inject_id: str) -> None:
        """Never deliver this inject."""
        self.state[inject_id].status = "skipped"
        self.world.record("InjectSkipped", inject=inject_id)

    def add(self, inject: Inject) -> str:
        """Add an ad-hoc inject (its id is given here) and deliver it now; returns its id."""
        self._adhoc += 1
        while f"adhoc-{self._adhoc}" in self.injects:  # the scenario's own MSEL may use the name
            self._adhoc += 1
        inject_id = f"adhoc-{self._adhoc}"
        self.injects[inject_id] = inject.model_copy(update={"id": inject_id})
        self.state[inject_id] = InjectState()
        self.world.record("InjectAdded", inject=inject_id, to=inject.to, text=inject.text, fact=inject.fact)
        self.deliver(inject_id, by="facilitator")
        return inject_id
