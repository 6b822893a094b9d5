"""Facilitators' and participants' commands: checked, logged with the time and step they apply at, then applied."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scenarios import Scenario
from simulator.errors import CommandError
from simulator.runlog import canonical_json

if TYPE_CHECKING:
    from simulator._world import World

Command = Mapping[str, Any]
"""A facilitator's or participant's command, as plain data: `{"command": "fire_inject", "inject": "inj-04"}`."""

COMMANDS = (
    "fire_inject",
    "hold_inject",
    "release_inject",
    "delay_inject",
    "skip_inject",
    "add_inject",
    "decide",
    "preset_decision",
    "pause",
)


class Commands:
    """The command half of `Exercise`: each command is checked, logged, then applied to the world."""

    world: World
    scenario: Scenario
    _steps: int

    def _record(self, kind: str, /, **fields: Any) -> None:
        raise NotImplementedError  # Exercise records

    def _require_running(self) -> None:
        raise NotImplementedError  # Exercise knows whether the run has ended

    @property
    def now(self) -> float:
        raise NotImplementedError  # Exercise keeps the clock

    def apply(self, command: Command) -> None:
        """Apply a command now; it is logged with the time and step it was applied at.

        Raises:
            CommandError: the command is unknown or does not fit the run's state.
        """
        self._require_running()
        if not isinstance(command, Mapping) or not all(isinstance(key, str) for key in command):
            raise CommandError("a command is a mapping of names to values", 'e.g. {"command": "pause", "note": ""}')
        name = command.get("command")
        handler = getattr(self, f"_cmd_{name}", None) if name in COMMANDS else None
        if handler is None:
            raise CommandError(f"unknown command {name!r}", f"commands: {', '.join(COMMANDS)}")
        handler(dict(command), check_only=True)
        try:
            canonical_json(dict(command))
        except (TypeError, ValueError) as exc:
            raise CommandError(f"the command cannot be written to the run log: {exc}") from None
        self._record("CommandApplied", step=self._steps, command=dict(sorted(command.items())))
        handler(dict(command), check_only=False)

    def fire_inject(self, inject: str) -> None:
        """Deliver an inject now (early, or a contingency inject)."""
        self.apply({"command": "fire_inject", "inject": inject})

    def hold_inject(self, inject: str) -> None:
        """Hold a pending inject: it is not delivered when due, until released."""
        self.apply({"command": "hold_inject", "inject": inject})

    def release_inject(self, inject: str) -> None:
        """Release a held inject: delivered now if it is overdue, else when due."""
        self.apply({"command": "release_inject", "inject": inject})

    def delay_inject(self, inject: str, by_s: float) -> None:
        """Push a pending inject's delivery back by `by_s` seconds."""
        self.apply({"command": "delay_inject", "inject": inject, "by_s": by_s})

    def skip_inject(self, inject: str) -> None:
        """Never deliver this inject."""
        self.apply({"command": "skip_inject", "inject": inject})

    def add_inject(self, to: str, text: str, fact: str | None = None) -> None:
        """Write a new inject and deliver it now."""
        self.apply({"command": "add_inject", "to": to, "text": text, "fact": fact})

    def decide(self, decision: str, option: str, by: str = "participant") -> None:
        """Take an open decision."""
        self.apply({"command": "decide", "decision": decision, "option": option, "by": by})

    def preset_decision(self, decision: str, option: str) -> None:
        """Choose an option in advance: taken as soon as the decision opens (now, if it is open)."""
        self.apply({"command": "preset_decision", "decision": decision, "option": option})

    def mark_pause(self, note: str = "") -> None:
        """Mark a pause for discussion in the log (the clock itself is the caller's)."""
        self.apply({"command": "pause", "note": note})

    def _inject_state(self, command: dict[str, Any]) -> Any:
        inject = command.get("inject")
        state = self.world.inject_state.get(str(inject))
        if state is None:
            from difflib import get_close_matches

            close = get_close_matches(str(inject), list(self.world.inject_state), n=1)
            raise CommandError(f"no inject {inject!r}", f"did you mean {close[0]!r}?" if close else None)
        return state

    def _cmd_fire_inject(self, command: dict[str, Any], check_only: bool) -> None:
        state = self._inject_state(command)
        if state.status in ("delivered", "skipped"):
            raise CommandError(f"inject {command['inject']!r} was already {state.status}")
        if not check_only:
            self.world.deliver_inject(command["inject"], by="facilitator")

    def _cmd_hold_inject(self, command: dict[str, Any], check_only: bool) -> None:
        state = self._inject_state(command)
        if state.status != "pending":
            raise CommandError(f"inject {command['inject']!r} is {state.status}, not pending")
        if not check_only:
            state.status = "held"
            self._record("InjectHeld", inject=command["inject"])

    def _cmd_release_inject(self, command: dict[str, Any], check_only: bool) -> None:
        state = self._inject_state(command)
        if state.status != "held":
            raise CommandError(f"inject {command['inject']!r} is {state.status}, not held")
        if check_only:
            return
        state.status = "pending"
        self._record("InjectReleased", inject=command["inject"])
        if state.due is not None and state.due <= self.now:
            self.world.deliver_inject(command["inject"], by="facilitator")

    def _cmd_delay_inject(self, command: dict[str, Any], check_only: bool) -> None:
        state = self._inject_state(command)
        by_s = command.get("by_s")
        # A bool is an int to Python, and NaN or infinity would break the schedule: all are refused.
        if isinstance(by_s, bool) or not isinstance(by_s, int | float) or not 0 < by_s < float("inf"):
            raise CommandError("delay_inject needs by_s, a number of seconds above 0")
        if state.status not in ("pending", "held") or state.due is None:
            raise CommandError(f"inject {command['inject']!r} has no scheduled time to delay ({state.status})")
        if not check_only:
            due = max(state.due, self.now) + float(by_s)
            self._record("InjectDelayed", inject=command["inject"], due_t=round(due, 3))
            self.world._schedule_inject(command["inject"], due)

    def _cmd_skip_inject(self, command: dict[str, Any], check_only: bool) -> None:
        state = self._inject_state(command)
        if state.status in ("delivered", "skipped"):
            raise CommandError(f"inject {command['inject']!r} was already {state.status}")
        if not check_only:
            state.status = "skipped"
            self._record("InjectSkipped", inject=command["inject"])

    def _cmd_add_inject(self, command: dict[str, Any], check_only: bool) -> None:
        to, text, fact = command.get("to"), command.get("text"), command.get("fact")
        if not isinstance(to, str) or to not in self.world.stakeholders:
            raise CommandError(f"no stakeholder {to!r}", f"stakeholders: {', '.join(sorted(self.world.stakeholders))}")
        if not isinstance(text, str) or not text.strip():
            raise CommandError("an inject needs a text")
        if fact is not None and (not isinstance(fact, str) or fact not in self.world.facts):
            raise CommandError(f"no fact {fact!r}", f"facts: {', '.join(sorted(self.world.facts))}")
        if not check_only:
            self.world.add_inject(str(to), text, fact)

    def _cmd_decide(self, command: dict[str, Any], check_only: bool) -> None:
        decision_id, option = str(command.get("decision")), str(command.get("option"))
        self._check_choice(decision_id, option)
        state = self.world.decision_state.get(decision_id, "not open yet")
        if state != "open":
            raise CommandError(f"decision {decision_id!r} is {state}", "a decision can be taken while it is open")
        if not check_only:
            self.world.take_decision(decision_id, option, by=str(command.get("by", "participant")))

    def _cmd_preset_decision(self, command: dict[str, Any], check_only: bool) -> None:
        decision_id, option = str(command.get("decision")), str(command.get("option"))
        self._check_choice(decision_id, option)
        state = self.world.decision_state.get(decision_id)
        if state == "taken":
            raise CommandError(f"decision {decision_id!r} was already taken")
        if check_only:
            return
        if state == "open":
            self.world.take_decision(decision_id, option, by="preset")
        else:
            self.world.preset[decision_id] = option

    def _cmd_pause(self, command: dict[str, Any], check_only: bool) -> None:
        if not check_only:
            self._record("PauseMarked", note=str(command.get("note", "")))

    def _check_choice(self, decision_id: str, option: str) -> None:
        check_choice(self.scenario, decision_id, option)


def check_choice(scenario: Scenario, decision_id: str, option: str) -> None:
    """Check that `scenario` has the decision and the option.

    Raises:
        CommandError: with a "did you mean" or the list of what there is.
    """
    decisions = {d.id: d for d in scenario.decisions}
    if decision_id not in decisions:
        from difflib import get_close_matches

        close = get_close_matches(decision_id, list(decisions), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"decisions: {', '.join(decisions) or 'none'}"
        raise CommandError(f"no decision {decision_id!r}", hint)
    options = [o.id for o in decisions[decision_id].options]
    if option not in options:
        raise CommandError(f"decision {decision_id!r} has no option {option!r}", f"options: {', '.join(options)}")
