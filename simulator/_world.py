"""The engine put together: rules and actions, injects, decisions and milestones, over messages and sites.

Everything here runs inside one `simpy.Environment` by callbacks on timeouts (cheaper than a process per message).
Semantics are documented for users in docs/how-a-run-plays.md; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from scenarios.exercise import Inject
from scenarios.playbook import (
    Action,
    Dispatch,
    Escalate,
    Evacuate,
    LockDown,
    Notify,
    RequestDecision,
    Rule,
    Trigger,
)
from simulator._background import _BackgroundWork
from simulator._messages import Messaging
from simulator._sites import SitesAndThreat
from simulator._state import Awareness, RecordFn, WorldState, _InjectState

__all__ = ["Awareness", "RecordFn", "World", "WorldState"]


class World(Messaging, SitesAndThreat):
    """The state and rules of one run; `Exercise` drives it and owns the log."""

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
                self.bus.listen(decision.trigger, partial(self.open_decision, decision.id))
        for inject in s.injects:
            if inject.trigger is not None:
                self.bus.listen(inject.trigger, partial(self._inject_triggered, inject.id))
        for milestone in s.milestones:
            if milestone.when is not None:
                self.bus.listen(milestone.when, partial(self.reach_milestone, milestone.id))
            else:
                for other in milestone.all_of:
                    reached = Trigger(event="milestone_reached", milestone=other)
                    self.bus.listen(reached, partial(self._check_all_of, milestone.id))
        for inject in s.injects:
            if inject.at is not None and not inject.contingency:
                self._schedule_inject(inject.id, inject.at)
        for sh in sorted(s.stakeholders, key=lambda x: x.id):
            if sh.background is not None:
                self._next_background_job(sh.id)
        self.emit("start", {})
        if s.threat is not None:
            self._start_phase(0)

    def _next_background_job(self, stakeholder: str) -> None:
        _BackgroundWork(self, stakeholder).schedule_next()

    # --- awareness and rules --------------------------------------------------------------------------------

    def _rule_handler(self, rule: Rule, owner: str) -> Callable[[], None]:
        stream = f"rule:{rule.id}"

        def fire() -> None:
            if rule.id in self.fired and not rule.repeat:
                return
            when = rule.when
            if when is not None:
                held = self.known[owner]
                now = self.env.now
                if (
                    any(fact not in held for fact in when.known)
                    or any(fact in held for fact in when.unknown)
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
                self.dispatch(action.stakeholder or owner, action.site, action.units)
            case LockDown():
                self.lock_down(action.site, owner)
            case Evacuate():
                self.evacuate(action.site, owner)
            case Escalate():
                self.record("Escalated", stakeholder=owner, fact=action.fact)
                self.learn(owner, action.fact, "self")
            case RequestDecision():
                self.open_decision(action.decision)

    # --- injects --------------------------------------------------------------------------------------------

    def _schedule_inject(self, inject_id: str, due: float) -> None:
        state = self.inject_state[inject_id]
        state.due = due
        state.token += 1
        token = state.token
        self.later(max(due - self.env.now, 0.0), lambda: self._inject_due(inject_id, token))

    def _inject_due(self, inject_id: str, token: int) -> None:
        state = self.inject_state[inject_id]
        if token != state.token or state.status != "pending":
            if state.status == "held" and token == state.token:
                self.record("InjectWithheld", inject=inject_id)
            return
        self.deliver_inject(inject_id, by="schedule")

    def _inject_triggered(self, inject_id: str) -> None:
        inject = self.injects[inject_id]
        state = self.inject_state[inject_id]
        # A held inject still falls due on its trigger: it is withheld then, and delivered when released.
        if state.status not in ("pending", "held") or state.due is not None:
            return
        delay = self.sample(inject.after, f"inject:{inject_id}")
        self._schedule_inject(inject_id, self.env.now + delay)

    def deliver_inject(self, inject_id: str, by: str) -> None:
        """Deliver an inject now: record it, and its receiver learns its fact."""
        inject = self.injects[inject_id]
        self.inject_state[inject_id].status = "delivered"
        self.record("InjectDelivered", inject=inject_id, to=inject.to, fact=inject.fact, by=by)
        if inject.fact is not None:
            self.learn(inject.to, inject.fact, f"inject:{inject_id}")
        self.emit("inject_delivered", {"inject": inject_id, "stakeholder": inject.to})

    def add_inject(self, to: str, text: str, fact: str | None) -> str:
        """Add an ad-hoc inject and deliver it now; returns its id."""
        self._adhoc += 1
        while f"adhoc-{self._adhoc}" in self.injects:  # the scenario's own MSEL may use the name
            self._adhoc += 1
        inject_id = f"adhoc-{self._adhoc}"
        self.injects[inject_id] = Inject(
            id=inject_id, to=to, text=text, fact=fact, contingency=True, inject_type="contingency"
        )
        self.inject_state[inject_id] = _InjectState()
        self.record("InjectAdded", inject=inject_id, to=to, text=text, fact=fact)
        self.deliver_inject(inject_id, by="facilitator")
        return inject_id

    # --- decisions and milestones ---------------------------------------------------------------------------

    def open_decision(self, decision_id: str) -> None:
        """Open a decision point (once); take the preset option at once, or the default at the deadline."""
        if decision_id in self.decision_state:
            return
        decision = self.decisions[decision_id]
        self.decision_state[decision_id] = "open"
        self.decision_due[decision_id] = self.env.now + decision.deadline
        self.record(
            "DecisionOpened", decision=decision_id, stakeholder=decision.stakeholder, deadline_s=decision.deadline
        )
        if decision_id in self.preset:
            self.take_decision(decision_id, self.preset[decision_id], by="preset")
            return
        self.later(decision.deadline, lambda: self._deadline(decision_id))

    def _deadline(self, decision_id: str) -> None:
        if self.decision_state[decision_id] == "open":
            self.take_decision(decision_id, self.decisions[decision_id].default, by="default")

    def take_decision(self, decision_id: str, option_id: str, by: str) -> None:
        """Take an open decision; its consequences run as actions of its stakeholder."""
        decision = self.decisions[decision_id]
        option = next(o for o in decision.options if o.id == option_id)
        self.decision_state[decision_id] = "taken"
        self.taken[decision_id] = option_id
        self.record("DecisionTaken", decision=decision_id, option=option_id, stakeholder=decision.stakeholder, by=by)
        self.run_actions(option.consequences, decision.stakeholder, f"decision:{decision_id}")
        self.emit("decision_taken", {"decision": decision_id, "option": option_id, "stakeholder": decision.stakeholder})

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
