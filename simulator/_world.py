"""The engine put together: rules and actions, injects, decisions and milestones, over messages and sites.

Everything here runs inside one `simpy.Environment` by callbacks on timeouts (cheaper than a process per message).
Semantics are documented for users in docs/how-a-run-plays.md; keep the two in step.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from functools import partial

from scenarios.playbook import (
    Action,
    Dispatch,
    Escalate,
    Evacuate,
    LockDown,
    Notify,
    Recall,
    Redirect,
    RequestDecision,
    Surge,
)
from simulator._background import _BackgroundWork
from simulator._compiled import Binding, Compiled, Delay, RulePlan
from simulator._decisions import Decisions
from simulator._dispatch import Dispatching
from simulator._injects import Msel
from simulator._messages import Messaging
from simulator._sites import Sites
from simulator._state import Awareness, RecordFieldsFn, RecordFn, WorldState
from simulator._threat import ThreatModel
from simulator._units import UnitPool

__all__ = ["Awareness", "RecordFn", "World", "WorldState"]


def _ended(*_args: object, **_kwargs: object) -> None:
    """Stands for the callbacks of a run that has ended: nothing may call them."""
    raise RuntimeError("the run has ended")


class World(Messaging, Dispatching, Sites, ThreatModel):
    """The state and rules of one run; `Exercise` drives it and owns the log.

    The MSEL (`msel`) and the decision points (`decisions`) are components with their own state and commands.
    """

    def __init__(self, compiled: Compiled, seed: int, record: RecordFn, record_fields: RecordFieldsFn) -> None:
        super().__init__(compiled, seed, record, record_fields)
        self.msel = Msel(self)
        self.decisions = Decisions(self)
        self.background: dict[str, _BackgroundWork] = {}
        """Each stakeholder's background work (those with `background`), once the run has started."""

    def start(self) -> None:
        """Bind the triggers' handlers and start everything that begins at T0."""
        s = self.scenario
        self.handlers.extend(map(self._handler, self.compiled.triggers.bindings))
        self.msel.start()
        for sh_id in self.compiled.stakeholder_ids:
            if self.stakeholders[sh_id].background is not None:
                self._next_background_job(sh_id)
        self.emit("start", {})
        if s.threat is not None:
            self._start_phase(0)

    def _handler(self, binding: Binding) -> Callable[[], object]:
        """What a listener of the trigger index calls in this run."""
        what, about = binding
        if what == "rule":
            return self._rule_handler(about)
        if what == "decision":
            return partial(self.decisions.open, about)
        if what == "inject":
            return partial(self.msel.triggered, about)
        if what == "milestone":
            return partial(self.reach_milestone, about)
        return partial(self._check_all_of, about)

    def teardown(self) -> None:
        """Break the references that lead back to this world, once the run has ended (its views stay readable).

        A run is a web of callbacks into its world (pending events, trigger handlers, units' grants, the record
        function bound to the `Exercise`): left alone, each finished run would wait for the cyclic garbage
        collector, whose passes over a growing heap cost large networks and long batches dearly.
        """
        env = self.env
        env._queue.clear()
        # SimPy binds `timeout`, `event`, `process`... to each environment: a cycle of its own (the class's
        # descriptors give the same methods once these are gone).
        for name, value in list(vars(env).items()):
            if getattr(value, "__self__", None) is env:
                delattr(env, name)
        self.bus.clear()
        for pool in (*self.units.values(), *self.line.values()):
            pool.defer = _ended
            pool.waiting = deque(_ended for _ in pool.waiting)  # their number is still shown
        capacities = self.compiled.unit_counts
        self.units.make = lambda sh_id: UnitPool(capacities[sh_id], _ended)  # a view may still show an unused pool
        for group in self.groups:
            group.claim = None
        for work in self.background.values():
            work.pending = None  # its timeout's callback is the work's own method
            work.begin = _ended
        self.background.clear()
        self.record = self.record_fields = _ended

    def _next_background_job(self, stakeholder: str) -> None:
        work = self.background[stakeholder] = _BackgroundWork(self, stakeholder)
        work.schedule_next()

    # --- awareness and rules --------------------------------------------------------------------------------

    def _rule_handler(self, plan: RulePlan) -> Callable[[], None]:
        # A bound method with its plan, not a closure: a closure's cells are objects the collector tracks.
        return partial(self._fire if plan.rule.when is None else self._fire_when, plan)

    def _fire(self, plan: RulePlan) -> None:
        """A rule without conditions: it fires (once, unless it repeats)."""
        rule = plan.rule
        rule_id = rule.id
        fired = self.fired
        if rule_id in fired and not rule.repeat:
            return
        fired.add(rule_id)
        owner = plan.owner
        self.record_fields({"seq": 0, "t": 0.0, "kind": "RuleFired", "stakeholder": owner, "rule": rule_id})
        self._run_plan(plan.actions, owner, plan.stream)

    def _fire_when(self, plan: RulePlan) -> None:
        """A rule with conditions: it fires (once, unless it repeats) if they hold now."""
        rule = plan.rule
        rule_id, when, owner = rule.id, rule.when, plan.owner
        assert when is not None
        if rule_id in self.fired and not rule.repeat:
            return
        # A corrected fact is no longer known: `known` needs the fact believed, `unknown` holds again.
        believes = partial(self.believes, owner)
        now = self.env.now
        if (
            not all(map(believes, when.known))
            or any(map(believes, when.unknown))
            or (when.not_before is not None and now < when.not_before)
            or (when.not_after is not None and now > when.not_after)
        ):
            return
        self.fired.add(rule_id)
        self.record("RuleFired", stakeholder=owner, rule=rule_id)
        self._run_plan(plan.actions, owner, plan.stream)

    def _run_plan(self, actions: tuple[tuple[Action, Delay], ...], owner: str, stream: str) -> None:
        """`run_actions` for a rule's actions, their delays compiled."""
        for action, after in actions:
            self._start_action(action, self.draw(after, stream), owner, stream)

    def run_actions(self, actions: list[Action], owner: str, stream: str) -> None:
        """Start each action after its own delay (drawn now, in order, from `rng`)."""
        for action in actions:
            self._start_action(action, self.sample(action.after, stream), owner, stream)

    def _start_action(self, action: Action, delay: float, owner: str, stream: str) -> None:
        """Do `action` after `delay` seconds (at once, without an event, when there is none)."""
        if delay > 0:
            self.env.timeout(delay).callbacks.append(partial(self._act, action, owner, stream))
        else:
            self._act(action, owner, stream)

    def _act(self, action: Action, owner: str, stream: str, _event: object = None) -> None:
        """Do one action of `owner`'s (an action's timeout calls it with its event)."""
        match action:
            case Notify():
                self.notify(owner, action, stream)
            case Dispatch():
                self.dispatch(action, owner)
            case Recall():
                self.recall(action.site, action.stakeholder or owner)
            case Redirect():
                self.redirect(action.from_, action.to, action.stakeholder or owner)
            case LockDown():
                self.lock_down(action.site, owner)
            case Evacuate():
                self.evacuate(action.site, owner)
            case Escalate():
                self.record("Escalated", stakeholder=owner, fact=action.fact)
                self.learn(owner, action.fact, "self")
            case RequestDecision():
                self.decisions.open(action.decision)
            case Surge():
                self.background[action.stakeholder or owner].surge(action.factor, action.for_)

    # --- milestones ---------------------------------------------------------------------------------------

    def reach_milestone(self, milestone_id: str) -> None:
        """Record a milestone the first time it is reached."""
        if milestone_id in self.milestones:
            return
        self.milestones[milestone_id] = round(float(self.env.now), 3)
        self.record("MilestoneReached", milestone=milestone_id)
        self.emit("milestone_reached", {"milestone": milestone_id})

    def _check_all_of(self, milestone_id: str) -> None:
        all_of, needed = self.compiled.milestone_all_of[milestone_id]
        if sum(other in self.milestones for other in all_of) >= needed:
            self.reach_milestone(milestone_id)
