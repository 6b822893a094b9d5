"""What can reach whom: a fixpoint over injects, observations, rules and channels, for static warnings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import partial

from scenarios.exercise import Decision
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
        self._engaging = (
            {sh.id for sh in scenario.stakeholders if sh.can_contain or sh.can_neutralise} if scenario.threat else set()
        )
        """The stakeholders whose units can engage the threat."""
        self._waiting: dict[tuple[str | None, ...], list[Callable[[], None]]] = defaultdict(list)
        """What waits on each thing that can happen: ("fact", stakeholder, fact), ("units", stakeholder)..."""
        self._happened: list[tuple[str | None, ...]] = []
        """What happened and is still to be passed on to what waits on it."""
        self._known_anywhere: set[str] = set()
        self._rules: dict[str, list[tuple[Rule, str]]] = defaultdict(list)
        self._decisions: dict[str, list[Decision]] = defaultdict(list)
        self._solve()

    def _solve(self) -> None:
        # A worklist: each rule and decision waits on the one thing its trigger needs and is looked at again only
        # when that happens, so a chain listed backwards costs no more than one listed in order.
        s = self.scenario
        for inject in s.injects:
            self.reached.add(inject.to)
            self.delivered.add(inject.id)
        for inject in s.injects:
            if inject.fact:
                self._learn(inject.to, inject.fact)
        for phase in s.threat.phases if s.threat else []:
            for seen in phase.observed_by:
                self.reached.add(seen.stakeholder)
                self._learn(seen.stakeholder, seen.fact)
        for sh in s.stakeholders:
            for rule in sh.playbook:
                self._rules[rule.id].append((rule, sh.id))
        for decision in s.decisions:
            self._decisions[decision.id].append(decision)
        for sh in s.stakeholders:
            for rule in sh.playbook:
                self._when(rule.on, sh.id, partial(self._fire, rule.id))
        for decision in s.decisions:
            if decision.trigger is not None:
                self._when(decision.trigger, decision.stakeholder, partial(self._open, decision.id))
        while self._happened:
            for then in self._waiting.pop(self._happened.pop(), []):
                then()

    def _when(self, trigger: Trigger, owner: str, then: Callable[[], None]) -> None:
        """Do `then` now if the trigger can happen already, or as soon as what it waits on happens."""
        where = trigger.stakeholder or owner
        key: tuple[str | None, ...]
        match trigger.event:
            case "fact_learned" | "fact_corrected":  # a fact is corrected where it was learned
                ready, key = trigger.fact in self.known[where], ("fact", where, trigger.fact)
            case "units_arrived" | "units_staged":
                ready, key = where in self.dispatched, ("units", where)
            case "threat_engaged":  # its units engage only once sent, and only if they can
                able = where in self._engaging
                ready, key = able and where in self.dispatched, ("units", where) if able else ("never",)
            case "decision_taken":
                ready, key = trigger.decision in self.opened, ("decision", trigger.decision)
            case "inject_delivered":
                ready, key = trigger.inject in self.delivered, ("never",)
            case _:
                ready, key = True, ("never",)
        if ready:
            then()
        else:
            self._waiting[key].append(then)

    def _learn(self, stakeholder: str, fact: str) -> None:
        if fact not in self.known[stakeholder]:
            self.known[stakeholder].add(fact)
            self._known_anywhere.add(fact)
            self._happened.append(("fact", stakeholder, fact))

    def _fire(self, rule_id: str) -> None:
        if rule_id not in self.fired:
            self.fired.add(rule_id)
            for rule, owner in self._rules[rule_id]:
                self._act(rule.do, owner)

    def _open(self, decision_id: str) -> None:
        if decision_id not in self.opened:
            self.opened.add(decision_id)
            self._happened.append(("decision", decision_id))
            for decision in self._decisions.get(decision_id, []):
                for option in decision.options:
                    self._act(option.consequences, decision.stakeholder)

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
                        self._learn(target, action.fact)
                case Escalate():
                    self._learn(owner, action.fact)
                case Dispatch():
                    who = action.stakeholder or owner
                    if who not in self.dispatched:
                        self.dispatched.add(who)
                        self._happened.append(("units", who))
                case RequestDecision():
                    self._open(action.decision)

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
            case "fact_corrected":
                return (
                    f"no inject, observation or message carrying {trigger.fact!r} can reach {owner!r} to be corrected"
                )
            case "units_arrived" | "units_staged":
                return f"nothing ever dispatches the units of {owner!r}"
            case "threat_engaged" if owner not in self._engaging:
                return f"the units of {owner!r} cannot engage the threat (give it can_contain or can_neutralise)"
            case "threat_engaged":
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
        return fact in self._known_anywhere
