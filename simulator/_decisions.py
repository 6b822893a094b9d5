"""Decision points at run time: each one's lifecycle (not open, open, preset, taken by a seat or by default)."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from difflib import get_close_matches
from typing import TYPE_CHECKING, Literal, cast

from scenarios.exercise import Decision
from simulator.errors import CommandError

if TYPE_CHECKING:
    from simulator._world import World

DecisionStatus = Literal["not open", "open", "taken"]


@dataclass(slots=True)
class DecisionState:
    """Where one decision stands."""

    status: DecisionStatus = "not open"
    opened_t: float | None = None
    due_t: float | None = None
    """When the default is taken, if nobody decides first."""
    option: str | None = None
    """The option taken."""
    by: str | None = None
    """Who took it: a seat, `preset` or `default`."""
    preset: str | None = None
    """The option to take as soon as it opens."""


class Decisions:
    """Every decision of a run and its state; `decide` and `preset_decision` are checked and applied here."""

    def __init__(self, world: World) -> None:
        # A weak proxy: the world owns this part, which then makes no reference cycle with it.
        self.world = cast("World", weakref.proxy(world))
        self.decisions: dict[str, Decision] = {decision.id: decision for decision in world.scenario.decisions}
        self.state = {decision_id: DecisionState() for decision_id in self.decisions}
        self.taken: dict[str, str] = {}
        """The option of each decision taken so far, in the order taken."""

    def open(self, decision_id: str) -> None:
        """Open a decision point (once); take the preset option at once, or the default at the deadline."""
        state = self.state[decision_id]
        if state.status != "not open":
            return
        world = self.world
        decision = self.decisions[decision_id]
        state.status = "open"
        state.opened_t = world.env.now
        state.due_t = world.env.now + decision.deadline
        world.record(
            "DecisionOpened", decision=decision_id, stakeholder=decision.stakeholder, deadline_s=decision.deadline
        )
        if state.preset is not None:
            self.take(decision_id, state.preset, by="preset")
            return
        world.later(decision.deadline, lambda: self._deadline(decision_id))

    def _deadline(self, decision_id: str) -> None:
        if self.state[decision_id].status == "open":
            self.take(decision_id, self.decisions[decision_id].default, by="default")

    def take(self, decision_id: str, option_id: str, by: str) -> None:
        """Take an open decision; its consequences run as actions of its stakeholder."""
        world = self.world
        decision = self.decisions[decision_id]
        option = next(o for o in decision.options if o.id == option_id)
        state = self.state[decision_id]
        state.status, state.option, state.by = "taken", option_id, by
        self.taken[decision_id] = option_id
        world.record("DecisionTaken", decision=decision_id, option=option_id, stakeholder=decision.stakeholder, by=by)
        world.run_actions(option.consequences, decision.stakeholder, f"decision:{decision_id}")
        world.emit(
            "decision_taken", {"decision": decision_id, "option": option_id, "stakeholder": decision.stakeholder}
        )

    # --- commands ---------------------------------------------------------------------------------------------

    def check_decide(self, decision_id: str, option: str) -> None:
        """Raise CommandError unless the decision is open and has the option."""
        check_choice(self.decisions, decision_id, option)
        status = self.state[decision_id].status
        if status != "open":
            shown = "not open yet" if status == "not open" else status
            raise CommandError(f"decision {decision_id!r} is {shown}", "a decision can be taken while it is open")

    def check_preset(self, decision_id: str, option: str) -> None:
        """Raise CommandError unless the decision has the option and is not taken yet."""
        check_choice(self.decisions, decision_id, option)
        if self.state[decision_id].status == "taken":
            raise CommandError(f"decision {decision_id!r} was already taken")

    def preset(self, decision_id: str, option: str) -> None:
        """Choose an option in advance: taken as soon as the decision opens (now, if it is open)."""
        state = self.state[decision_id]
        if state.status == "open":
            self.take(decision_id, option, by="preset")
        else:
            state.preset = option


def check_choice(decisions: dict[str, Decision], decision_id: str, option: str) -> None:
    """Check that there is such a decision and that it has the option.

    Raises:
        CommandError: with a "did you mean" or the list of what there is.
    """
    if decision_id not in decisions:
        close = get_close_matches(decision_id, list(decisions), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"decisions: {', '.join(decisions) or 'none'}"
        raise CommandError(f"no decision {decision_id!r}", hint)
    options = [o.id for o in decisions[decision_id].options]
    if option not in options:
        raise CommandError(f"decision {decision_id!r} has no option {option!r}", f"options: {', '.join(options)}")
