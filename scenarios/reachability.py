"""What can reach whom: a fixpoint over injects, observations, rules and channels, for static warnings."""

from __future__ import annotations

from collections import defaultdict

from scenarios.playbook import Action, Dispatch, Escalate, Notify, RequestDecision, Rule, Trigger
from scenarios.scenario import Scenario


class Reachability:
    """Over-approximates which facts each stakeholder can ever hold, which rules can fire, which decisions open.

    Conditions (`when`) and probabilities are ignored: a rule reported as unable to fire cannot fire in any run.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.known: dict[str, set[str]] = defaultdict(set)
        self.reached: set[str] = set()
        self.fired: set[str] = set()
        self.opened: set[str] = set()
        self.dispatched: set[str] = set()
        self.delivered: set[str] = set()
        self._edges = {(c.from_, c.to) for c in scenario.channels if c.enabled}
        self._channel_ends = {c.id: (c.from_, c.to) for c in scenario.channels if c.enabled}
        self._playbooks = {sh.id: sh.playbook for sh in reversed(scenario.stakeholders)}
        self._solve()

    def _solve(self) -> None:
        s = self.scenario
        for inject in s.injects:
            self.reached.add(inject.to)
            self.delivered.add(inject.id)
            if inject.fact:
                self.known[inject.to].add(inject.fact)
        for phase in s.threat.phases if s.threat else []:
            for seen in phase.observed_by:
                self.reached.add(seen.stakeholder)
                self.known[seen.stakeholder].add(seen.fact)
        changed = True
        while changed:
            before = self._size()
            for sh in s.stakeholders:
                for rule in sh.playbook:
                    if rule.id not in self.fired and self._can_happen(rule.on, sh.id):
                        self.fired.add(rule.id)
                    if rule.id in self.fired:
                        self._act(rule.do, sh.id)
            for decision in s.decisions:
                if decision.trigger is not None and self._can_happen(decision.trigger, decision.stakeholder):
                    self.opened.add(decision.id)
                if decision.id in self.opened:
                    for option in decision.options:
                        self._act(option.consequences, decision.stakeholder)
            changed = self._size() != before

    def _size(self) -> int:
        return sum(map(len, self.known.values())) + len(self.fired) + len(self.opened) + len(self.dispatched)

    def _can_happen(self, trigger: Trigger, owner: str) -> bool:
        where = trigger.stakeholder or owner
        match trigger.event:
            case "fact_learned":
                return trigger.fact in self.known[where]
            case "units_arrived":
                return where in self.dispatched
            case "decision_taken":
                return trigger.decision in self.opened
            case "inject_delivered":
                return trigger.inject in self.delivered
            case _:
                return True

    def _act(self, actions: list[Action], owner: str) -> None:
        for action in actions:
            match action:
                case Notify():
                    main_open = (
                        self._channel_ends.get(action.via) == (owner, action.to)
                        if action.via is not None
                        else (owner, action.to) in self._edges
                    )
                    targets = [action.to] if main_open else []
                    targets += [alt.to for alt in action.alternatives if (owner, alt.to) in self._edges]
                    for target in targets:
                        self.reached.add(target)
                        self.known[target].add(action.fact)
                case Escalate():
                    self.known[owner].add(action.fact)
                case Dispatch():
                    self.dispatched.add(action.stakeholder or owner)
                case RequestDecision():
                    self.opened.add(action.decision)

    def can_be_reached(self, stakeholder: str) -> bool:
        """Whether anything (a message, an inject, an observation, its own site) can ever reach it, or it acts of
        its own accord (a rule on `start` needs nothing to reach it)."""
        if stakeholder in self.reached or self.known[stakeholder]:
            return True
        return any(rule.id in self.fired for rule in self._playbooks.get(stakeholder, ()))

    def why_rule_cannot_fire(self, owner: str, rule: Rule) -> str | None:
        """None when the rule can fire; otherwise the reason, for the warning."""
        if rule.id in self.fired:
            return None
        trigger = rule.on
        match trigger.event:
            case "fact_learned":
                return f"no inject, observation or message carrying {trigger.fact!r} can reach {owner!r}"
            case "units_arrived":
                return f"nothing ever dispatches the units of {owner!r}"
            case "decision_taken":
                return f"decision {trigger.decision!r} is never opened"
            case "inject_delivered":
                return f"inject {trigger.inject!r} is never delivered"
        return f"its event {trigger.event!r} never happens"

    def decision_can_open(self, decision: str) -> bool:
        """Whether a trigger or an action can open the decision."""
        return decision in self.opened

    def fact_can_reach(self, fact: str, stakeholder: str | None) -> bool:
        """Whether `fact` can reach `stakeholder` (or anyone when None)."""
        if stakeholder is not None:
            return fact in self.known[stakeholder]
        return any(fact in facts for facts in self.known.values())
