"""The engine put together: rules and actions, injects, decisions and milestones, over messages and sites.

Everything here runs inside one `simpy.Environment` by callbacks on timeouts (cheaper than a process per message).
Semantics are documented for users in docs/how-a-run-plays.md; keep the two in step.
"""

from __future__ import annotations

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
    Rule,
    Surge,
    Trigger,
)
from scenarios.scenario import Scenario
from simulator._background import _BackgroundWork
from simulator._decisions import Decisions
from simulator._dispatch import Dispatching
from simulator._injects import Msel
from simulator._messages import Messaging
from simulator._sites import Sites
from simulator._state import Awareness, RecordFn, WorldState
from simulator._threat import ThreatModel
from simulator.sampling import Sampler

__all__ = ["Awareness", "RecordFn", "World", "WorldState"]


class World(Messaging, Dispatching, Sites, ThreatModel):
    """The state and rules of one run; `Exercise` drives it and owns the log.

    The MSEL (`msel`) and the decision points (`decisions`) are components with their own state and commands.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        record: RecordFn,
        samplers: dict[int, tuple[object, Sampler, float | None]] | None = None,
    ) -> None:
        super().__init__(scenario, seed, record, samplers)
        self.msel = Msel(self)
        self.decisions = Decisions(self)
        self.background: dict[str, _BackgroundWork] = {}
        """Each stakeholder's background work (those with `background`), once the run has started."""

    def start(self) -> None:
        """Wire the triggers and start everything that begins at T0."""
        s = self.scenario
        for sh in sorted(s.stakeholders, key=lambda x: x.id):
            for rule in sh.playbook:
                # `start` happens at every stakeholder at once, so its event names none to match on.
                at = None if rule.on.event == "start" else sh.id
                self.bus.listen(rule.on, self._rule_handler(rule, sh.id), stakeholder=at)
        for decision in s.decisions:
            if decision.trigger is not None:
                self.bus.listen(decision.trigger, partial(self.decisions.open, decision.id))
        for inject in s.injects:
            if inject.trigger is not None:
                self.bus.listen(inject.trigger, partial(self.msel.triggered, inject.id))
        for milestone in s.milestones:
            if milestone.when is not None:
                self.bus.listen(milestone.when, partial(self.reach_milestone, milestone.id))
            else:
                for other in milestone.all_of:
                    reached = Trigger(event="milestone_reached", milestone=other)
                    self.bus.listen(reached, partial(self._check_all_of, milestone.id))
        self.msel.start()
        for sh in sorted(s.stakeholders, key=lambda x: x.id):
            if sh.background is not None:
                self._next_background_job(sh.id)
        self.emit("start", {})
        if s.threat is not None:
            self._start_phase(0)

    def _next_background_job(self, stakeholder: str) -> None:
        work = self.background[stakeholder] = _BackgroundWork(self, stakeholder)
        work.schedule_next()

    # --- awareness and rules --------------------------------------------------------------------------------

    def _rule_handler(self, rule: Rule, owner: str) -> Callable[[], None]:
        stream = f"rule:{rule.id}"

        def fire() -> None:
            if rule.id in self.fired and not rule.repeat:
                return
            when = rule.when
            if when is not None:
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
            self.fired.add(rule.id)
            self.record("RuleFired", stakeholder=owner, rule=rule.id)
            self.run_actions(rule.do, owner, stream)

        return fire

    def run_actions(self, actions: list[Action], owner: str, stream: str) -> None:
        """Start each action after its own delay (drawn now, in order, from `rng`)."""
        for action in actions:
            delay = self.sample(action.after, stream)
            if delay > 0:
                self.later(delay, partial(self._act, action, owner, stream))
            else:
                self._act(action, owner, stream)

    def _act(self, action: Action, owner: str, stream: str) -> None:
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
        milestone = next(m for m in self.scenario.milestones if m.id == milestone_id)
        reached = sum(other in self.milestones for other in milestone.all_of)
        if reached >= (milestone.at_least or len(milestone.all_of)):
            self.reach_milestone(milestone_id)
