"""Cross-reference checks: ids exist, the graph connects, rules can fire, variants apply."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from difflib import get_close_matches
from typing import Any, Protocol, TypeVar

from scenarios._base import format_duration
from scenarios._yaml import Document, Locator, Path_
from scenarios.distributions import Fixed
from scenarios.errors import SUGGESTION_CUTOFF, Diagnostic
from scenarios.limits import MAX_DURATION_S
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
    Trigger,
)
from scenarios.reachability import Reachability
from scenarios.references import elapsed_s, local_datetime
from scenarios.scenario import Scenario
from scenarios.soundness import soundness_findings
from scenarios.variants import TOP_LEVEL_SECTIONS

RULE_EVENTS = frozenset(
    {
        "start",
        "fact_learned",
        "fact_corrected",
        "units_arrived",
        "units_staged",
        "threat_engaged",
        "decision_taken",
        "inject_delivered",
    }
)
"""Events a playbook rule can fire on: only what happens at, or reaches, its own stakeholder (`threat_engaged`: at
the stakeholder whose units start the engagement)."""


RESERVED_STAKEHOLDER_IDS = frozenset({"facilitator", "evaluator"})
"""The seats of a live exercise that are not stakeholders (`simulator.seats`): no stakeholder may be called so."""


class _Checker:
    """Collects diagnostics for one scenario, located through its document."""

    def __init__(
        self,
        scenario: Scenario,
        document: Locator,
        prefix: Path_,
        variants: Sequence[Scenario] = (),
        reachabilities: dict[int, Reachability] | None = None,
    ) -> None:
        self.s = scenario
        self.doc = document
        self.prefix = prefix
        self.variants = variants
        self.reachabilities = {} if reachabilities is None else reachabilities
        self.out: list[Diagnostic] = []
        self.ids: dict[str, list[str]] = {
            section: [item.id for item in getattr(scenario, section)] for section in TOP_LEVEL_SECTIONS
        }
        self.ids["phases"] = [phase.id for phase in scenario.threat.phases] if scenario.threat else []
        self.ids["rules"] = [rule.id for sh in scenario.stakeholders for rule in sh.playbook]
        # Indexes built once, so that each check is a lookup: with a duplicate id the first item counts (as a
        # `next(...)` search would find it); the duplicate is reported once.
        self.known = {kind: set(ids) for kind, ids in self.ids.items()}
        self.sites = _first_by_id(scenario.sites)
        self.stakeholders = _first_by_id(scenario.stakeholders)
        self.channels = _first_by_id(scenario.channels)
        self.injects = _first_by_id(scenario.injects)
        self.decisions = _first_by_id(scenario.decisions)
        self.links = {(channel.from_, channel.to) for channel in scenario.channels}
        self.corrected = {wrong for fact in scenario.facts for wrong in fact.corrects}
        """The facts some fact corrects."""
        self.rule_paths: list[Path_] = [
            ("stakeholders", i, "playbook", j, "id")
            for i, sh in enumerate(scenario.stakeholders)
            for j in range(len(sh.playbook))
        ]
        self.hints: dict[tuple[str, str, str], str] = {}
        self.listings: dict[str, str] = {}

    def error(self, path: Path_, message: str, hint: str | None = None) -> None:
        self.out.append(self.doc.diagnostic((*self.prefix, *path), message, hint))

    def warn(self, path: Path_, message: str, hint: str | None = None) -> None:
        self.out.append(self.doc.diagnostic((*self.prefix, *path), message, hint, "warning"))

    def ref(self, kind: str, value: str | None, path: Path_, noun: str) -> bool:
        """Check that `value` names an existing item of `kind`; report it with a "did you mean" otherwise."""
        if value is None or value in self.known[kind]:
            return True
        hint = self.hints.get((kind, value, noun))
        if hint is None:
            # Searching all ids costs as much as the list is long: a misspelt id used in many places is searched once.
            close = get_close_matches(value, self.ids[kind], n=1, cutoff=SUGGESTION_CUTOFF)
            if close:
                hint = f"did you mean {close[0]!r}?"
            else:
                if kind not in self.listings:
                    self.listings[kind] = ", ".join(sorted(self.known[kind])) or "none"
                hint = f"known {noun}s: {self.listings[kind]}"
            self.hints[(kind, value, noun)] = hint
        self.error(path, f"unknown {noun} {value!r}", hint)
        return False

    def check(self) -> list[Diagnostic]:
        self.unique_ids()
        for found in soundness_findings(self.s):
            self.out.append(self.doc.diagnostic((*self.prefix, *found.path), found.message, found.hint, found.severity))
        self.network()
        for i, sh in enumerate(self.s.stakeholders):
            for j, rule in enumerate(sh.playbook):
                base: Path_ = ("stakeholders", i, "playbook", j)
                self.rule_trigger(rule.on, sh.id, (*base, "on"))
                if rule.when:
                    for key in ("known", "unknown"):
                        for k, fact in enumerate(getattr(rule.when, key)):
                            self.ref("facts", fact, (*base, "when", key, k), "fact")
                self.actions(rule.do, sh.id, (*base, "do"))
        self.threat()
        self.threat_reactions()
        self.exercise()
        self.corrections()
        self.references()
        if not any(d.severity == "error" for d in self.out):
            self.reachability()
        return self.out

    def unique_ids(self) -> None:
        for kind in (*TOP_LEVEL_SECTIONS, "phases", "rules"):
            seen: set[str] = set()
            for index, item_id in enumerate(self.ids[kind]):
                if item_id in seen:
                    self.error(self.item_path(kind, index), f"duplicate id {item_id!r}", "ids must be unique")
                seen.add(item_id)
        for index, sh in enumerate(self.s.stakeholders):
            if sh.id in RESERVED_STAKEHOLDER_IDS:
                self.error(
                    ("stakeholders", index, "id"),
                    f"{sh.id!r} is the name of a console seat, not available as a stakeholder id",
                    f"call it e.g. {sh.id}-team (a live exercise has the seats facilitator and evaluator)",
                )

    def item_path(self, kind: str, index: int) -> Path_:
        if kind == "phases":
            return ("threat", "phases", index, "id")
        if kind == "rules":
            return self.rule_paths[index]
        return (kind, index, "id")

    def network(self) -> None:
        channels = self.channels
        for i, sh in enumerate(self.s.stakeholders):
            self.ref("sites", sh.site, ("stakeholders", i, "site"), "site")
            for site in sh.travel:
                self.ref("sites", site, ("stakeholders", i, "travel", site), "site")
        for i, ch in enumerate(self.s.channels):
            self.ref("stakeholders", ch.from_, ("channels", i, "from"), "stakeholder")
            self.ref("stakeholders", ch.to, ("channels", i, "to"), "stakeholder")
            if ch.from_ == ch.to:
                self.error(("channels", i, "to"), "a channel cannot lead back to its sender")
            fallback = ch.on_failure.fallback
            if fallback is not None and self.ref(
                "channels", fallback, ("channels", i, "on_failure", "fallback"), "channel"
            ):
                if fallback == ch.id:
                    self.error(("channels", i, "on_failure", "fallback"), "a channel cannot fall back to itself")
                elif channels[fallback].from_ != ch.from_:
                    self.error(
                        ("channels", i, "on_failure", "fallback"),
                        f"fallback channel {fallback!r} leaves {channels[fallback].from_!r}, not {ch.from_!r}",
                        "a fallback must be another channel of the same sender",
                    )

    def trigger(self, trigger: Trigger, path: Path_) -> None:
        self.ref("facts", trigger.fact, (*path, "fact"), "fact")
        self.ref("stakeholders", trigger.stakeholder, (*path, "stakeholder"), "stakeholder")
        self.ref("sites", trigger.site, (*path, "site"), "site")
        self.ref("phases", trigger.phase, (*path, "phase"), "threat phase")
        self.ref("injects", trigger.inject, (*path, "inject"), "inject")
        self.ref("milestones", trigger.milestone, (*path, "milestone"), "milestone")
        self.correction_trigger(trigger, path)
        known = self.ref("decisions", trigger.decision, (*path, "decision"), "decision")
        if known and trigger.decision is not None and trigger.option:
            decision = self.decisions[trigger.decision]
            options = [o.id for o in decision.options]
            if trigger.option not in options:
                self.error(
                    (*path, "option"),
                    f"decision {decision.id!r} has no option {trigger.option!r}",
                    f"its options: {', '.join(options)}",
                )

    def rule_trigger(self, trigger: Trigger, owner: str, path: Path_) -> None:
        self.trigger(trigger, path)
        if trigger.event not in RULE_EVENTS:
            self.error(
                (*path, "event"),
                f"a rule cannot fire on {trigger.event!r}: a stakeholder only acts on what reaches it",
                f"use one of: {', '.join(sorted(RULE_EVENTS))}; to react to a site event, make someone notice it",
            )
        if trigger.stakeholder not in (None, owner):
            self.error(
                (*path, "stakeholder"),
                f"a rule of {owner!r} can only fire on its own events",
                "omit stakeholder, or move the rule to that stakeholder's playbook",
            )
        if trigger.inject is not None:
            inject = self.injects.get(trigger.inject)
            if inject is not None and inject.to != owner:
                self.error((*path, "inject"), f"inject {inject.id!r} goes to {inject.to!r}, not to {owner!r}")
        if trigger.decision is not None:
            decision = self.decisions.get(trigger.decision)
            if decision is not None and decision.stakeholder != owner:
                self.error(
                    (*path, "decision"),
                    f"decision {decision.id!r} is taken by {decision.stakeholder!r}, not {owner!r}",
                    "notify the outcome as a fact instead",
                )

    def actions(self, actions: Iterable[Action], owner: str, path: Path_) -> None:
        sites = self.sites
        for k, action in enumerate(actions):
            here: Path_ = (*path, k)
            match action:
                case Notify():
                    self.notify(action, owner, here)
                case Dispatch() | Recall() | Redirect():
                    self.unit_order(action, owner, here)
                case LockDown() | Evacuate():
                    if self.ref("sites", action.site, (*here, "site"), "site"):
                        attribute = "lockdown" if isinstance(action, LockDown) else "evacuation"
                        if getattr(sites[action.site], attribute) is None:
                            self.error(
                                (*here, "site"),
                                f"site {action.site!r} has no {attribute} defined",
                                f"add {attribute}: {{duration: ...}} to the site, or remove the action",
                            )
                case Escalate():
                    self.ref("facts", action.fact, (*here, "fact"), "fact")
                case RequestDecision():
                    if self.ref("decisions", action.decision, (*here, "decision"), "decision"):
                        decision = self.decisions[action.decision]
                        if decision.stakeholder != owner:
                            self.warn(
                                (*here, "decision"),
                                f"decision {decision.id!r} belongs to "
                                f"{decision.stakeholder!r}, so {owner!r} opens it for them",
                            )
                case Surge():
                    self.surge(action, owner, here)

    # --- units on the move: dispatch, recall, redirect ------------------------------------------------------------

    def unit_order(self, action: Dispatch | Recall | Redirect, owner: str, here: Path_) -> None:
        """The sites and stakeholder of an order to units exist, and the units can travel where they are sent."""
        who = action.stakeholder or owner
        if not self.ref("stakeholders", action.stakeholder, (*here, "stakeholder"), "stakeholder"):
            return
        unit_owner = self.stakeholders[who]
        match action:
            case Dispatch():
                if action.site is not None and self.ref("sites", action.site, (*here, "site"), "site"):
                    self.travel_to(who, action.site, (*here, "site"))
                if action.follow is not None:
                    self.follow_threat(who, here)
                if action.units > unit_owner.units:
                    self.error(
                        (*here, "units"),
                        f"{who!r} has only {unit_owner.units} units, so {action.units} can never be sent",
                    )
                if action.stage is not None:
                    self.trigger(action.stage.until, (*here, "stage", "until"))
                    if action.stage.until.event == "start":
                        self.warn(
                            (*here, "stage", "until", "event"),
                            "start happens only at T0, never after the order: these units would wait for good",
                            "wait for a fact (the scene declared safe), a milestone or another event",
                        )
            case Recall():
                if self.ref("sites", action.site, (*here, "site"), "site") and action.site not in unit_owner.travel:
                    self.warn(
                        (*here, "site"),
                        f"{who!r} has no travel time to {action.site!r}, so none of its units can be there to recall",
                    )
            case Redirect():
                known_from = self.ref("sites", action.from_, (*here, "from"), "site")
                if self.ref("sites", action.to, (*here, "to"), "site"):
                    self.travel_to(who, action.to, (*here, "to"))
                    if action.to == action.from_:
                        self.error((*here, "to"), "a redirection must lead to another site than its from")
                if known_from and action.from_ not in unit_owner.travel:
                    self.warn(
                        (*here, "from"),
                        f"{who!r} has no travel time to {action.from_!r}, so none of its units can be there",
                    )

    def travel_to(self, who: str, site: str, path: Path_) -> None:
        if site not in self.stakeholders[who].travel:
            self.error(path, f"{who!r} has no travel time to {site!r}", f"add it under stakeholders.{who}.travel")

    def follow_threat(self, who: str, here: Path_) -> None:
        threat = self.s.threat
        if threat is None:
            self.warn(
                (*here, "follow"),
                "these units follow the threat, but the scenario has none: the order is never carried out",
            )
            return
        travel = self.stakeholders[who].travel
        unreachable = sorted({p.site for p in threat.phases if p.site is not None and p.site not in travel})
        if unreachable:
            self.warn(
                (*here, "follow"),
                f"{who!r} has no travel time to {', '.join(map(repr, unreachable))}, where the threat goes: "
                "its units cannot follow it there",
                f"add them under stakeholders.{who}.travel",
            )

    def notify(self, action: Notify, owner: str, here: Path_) -> None:
        self.ref("facts", action.fact, (*here, "fact"), "fact")
        targets = [action.to, *(alt.to for alt in action.alternatives)]
        for index, target in enumerate(targets):
            path = (*here, "to") if index == 0 else (*here, "alternatives", index - 1, "to")
            if not self.ref("stakeholders", target, path, "stakeholder"):
                continue
            if target == owner:
                self.error(path, "a stakeholder cannot notify itself", "use escalate to declare a fact to itself")
            elif action.via is None and (owner, target) not in self.links:
                self.warn(
                    path,
                    f"no channel from {owner!r} to {target!r}: this message can never be sent",
                    f"add a channel with from: {owner} and to: {target}",
                )
        if action.via is not None and self.ref("channels", action.via, (*here, "via"), "channel"):
            channel = self.channels[action.via]
            if channel.from_ != owner or channel.to != action.to:
                self.error(
                    (*here, "via"),
                    f"channel {channel.id!r} goes from {channel.from_!r} to {channel.to!r}, "
                    f"not from {owner!r} to {action.to!r}",
                )

    # --- corrections and surges ----------------------------------------------------------------------------

    def corrections(self) -> None:
        """Each fact corrects existing facts, other than itself."""
        for i, fact in enumerate(self.s.facts):
            for j, wrong in enumerate(fact.corrects):
                path: Path_ = ("facts", i, "corrects", j)
                if wrong == fact.id:
                    self.error(path, f"fact {fact.id!r} cannot correct itself", "list the facts it proves wrong")
                else:
                    self.ref("facts", wrong, path, "fact")

    def correction_trigger(self, trigger: Trigger, path: Path_) -> None:
        """A `fact_corrected` trigger waits for a fact that some fact corrects."""
        if trigger.event != "fact_corrected" or trigger.fact is None or trigger.fact not in self.known["facts"]:
            return
        if trigger.fact not in self.corrected:
            self.warn(
                (*path, "fact"),
                f"no fact corrects {trigger.fact!r}, so this never happens",
                f"add corrects: [{trigger.fact}] to the fact that proves it wrong",
            )

    def surge(self, action: Surge, owner: str, here: Path_) -> None:
        """A surge multiplies background work, so its stakeholder must have some."""
        who = action.stakeholder or owner
        if not self.ref("stakeholders", action.stakeholder, (*here, "stakeholder"), "stakeholder"):
            return
        if self.stakeholders[who].background is None:
            self.error(
                (*here, "stakeholder") if action.stakeholder else (*here, "action"),
                f"{who!r} has no background work for a surge to multiply",
                f"add background: {{arrivals_per_hour: ..., service_time: ...}} under stakeholders.{who}",
            )

    def threat(self) -> None:
        if self.s.threat is None:
            return
        for i, phase in enumerate(self.s.threat.phases):
            base: Path_ = ("threat", "phases", i)
            self.ref("sites", phase.site, (*base, "site"), "site")
            if phase.kind in ("attack", "barricade", "exchange_of_fire") and phase.site is None:
                kind = phase.kind.replace("_", " ")
                self.error(
                    (*base, "site"),
                    f"{'an' if kind[0] in 'ae' else 'a'} {kind} phase needs a site",
                    "add site: <site id> (where it happens: units are engaged there, and its occupants harmed)",
                )
            for j, seen in enumerate(phase.observed_by):
                self.ref("stakeholders", seen.stakeholder, (*base, "observed_by", j, "stakeholder"), "stakeholder")
                self.ref("facts", seen.fact, (*base, "observed_by", j, "fact"), "fact")

    def threat_reactions(self) -> None:
        """Each phase's `on_engaged.go_to` names another phase of the threat."""
        if self.s.threat is None:
            return
        for i, phase in enumerate(self.s.threat.phases):
            reaction = phase.on_engaged
            if reaction is not None and (phase.site is None or not phase.interdictable):
                self.warn(
                    ("threat", "phases", i, "on_engaged"),
                    f"phase {phase.id!r} can never be engaged "
                    f"({'it has no site' if phase.site is None else 'it is interdictable: false'}), "
                    "so its on_engaged never happens",
                    "give the phase a site and leave interdictable at true, or remove on_engaged",
                )
            if reaction is None or reaction.go_to is None:
                continue
            path: Path_ = ("threat", "phases", i, "on_engaged", "go_to")
            if self.ref("phases", reaction.go_to, path, "threat phase") and reaction.go_to == phase.id:
                self.error(
                    path,
                    f"phase {phase.id!r} cannot go to itself once engaged",
                    "name another phase (a barricade, a move, a flight), or use ends_with: contained | surrendered",
                )
        self._instant_reaction_loops()

    def _instant_reaction_loops(self) -> None:
        """Warn of phases that go to one another at once when engaged: units there would hold the run in one instant."""
        assert self.s.threat is not None
        phases = self.s.threat.phases
        at = {phase.id: i for i, phase in reversed(list(enumerate(phases)))}
        instant: dict[int, int] = {}
        for i, phase in enumerate(phases):
            reaction = phase.on_engaged
            if reaction is not None and reaction.go_to in at and _never_waits(reaction.after):
                instant[i] = at[reaction.go_to]
        for start in sorted(instant):
            loop = [start]
            while (following := instant.get(loop[-1])) is not None and following not in loop:
                loop.append(following)
            if following == start and start == min(loop):
                names = " -> ".join(phases[i].id for i in (*loop, start))
                self.warn(
                    ("threat", "phases", start, "on_engaged", "after"),
                    f"once engaged, phases go to one another without delay ({names}): units engaging them "
                    "would keep the threat switching phases at one instant until the run is stopped",
                    "give one of these reactions an after delay (after: 1m)",
                )

    def exercise(self) -> None:
        for i, inject in enumerate(self.s.injects):
            self.ref("stakeholders", inject.to, ("injects", i, "to"), "stakeholder")
            self.ref("facts", inject.fact, ("injects", i, "fact"), "fact")
            self.ref("objectives", inject.objective, ("injects", i, "objective"), "objective")
            if inject.trigger:
                self.trigger(inject.trigger, ("injects", i, "trigger"))
                if inject.trigger.inject == inject.id:
                    self.error(("injects", i, "trigger", "inject"), "an inject cannot wait for itself")
            if inject.at is not None and inject.at > self.s.clock.duration:
                self.warn(("injects", i, "at"), "this inject comes after the end of the run (clock.duration)")
        for i, decision in enumerate(self.s.decisions):
            if self.ref("stakeholders", decision.stakeholder, ("decisions", i, "stakeholder"), "stakeholder"):
                for j, option in enumerate(decision.options):
                    self.actions(
                        option.consequences,
                        decision.stakeholder,
                        ("decisions", i, "options", j, "consequences"),
                    )
            if decision.trigger:
                self.trigger(decision.trigger, ("decisions", i, "trigger"))
        for i, milestone in enumerate(self.s.milestones):
            if milestone.when:
                self.trigger(milestone.when, ("milestones", i, "when"))
                if milestone.when.milestone == milestone.id:
                    self.error(("milestones", i, "when", "milestone"), "a milestone cannot wait for itself")
            for j, other in enumerate(milestone.all_of):
                self.ref("milestones", other, ("milestones", i, "all_of", j), "milestone")
                if other == milestone.id:
                    self.error(("milestones", i, "all_of", j), "a milestone cannot wait for itself")
        for i, objective in enumerate(self.s.objectives):
            self.ref("milestones", objective.since, ("objectives", i, "since"), "milestone")
            self.ref("milestones", objective.until, ("objectives", i, "until"), "milestone")
            self.ref("milestones", objective.before, ("objectives", i, "before"), "milestone")
            for j, needed in enumerate(objective.not_applicable_unless):
                self.ref("milestones", needed, ("objectives", i, "not_applicable_unless", j), "milestone")

    def references(self) -> None:
        """Reference observations: their milestones exist, and clock times end after they begin."""
        zone = self.s.clock.time_zone
        for i, reference in enumerate(self.s.references):
            self.ref("milestones", reference.since, ("references", i, "since"), "milestone")
            self.ref("milestones", reference.until, ("references", i, "until"), "milestone")
            if reference.since == reference.until:
                self.error(("references", i, "until"), "since and until are the same milestone: the interval is 0s")
            for j, seen in enumerate(reference.observed):
                span = None if seen.from_ is None or seen.to is None else elapsed_s(seen.from_, seen.to, zone)
                if span is not None and span > MAX_DURATION_S:
                    self.error(
                        ("references", i, "observed", j, "to"),
                        f"from {seen.from_} to {seen.to} is {format_duration(span)}, longer than any run "
                        f"({format_duration(MAX_DURATION_S)} at most)",
                        "check the dates: both times are local clock times in the scenario's time zone",
                    )
                if span is not None and span <= 0 and seen.from_ is not None and seen.to is not None:
                    self.error(
                        ("references", i, "observed", j, "to"),
                        f"to ({seen.to}) is not after from ({seen.from_}) in {zone}",
                        "a time after midnight is on the next day: write its date, e.g. "
                        + (local_datetime(seen.from_) + timedelta(days=1)).strftime("%Y-%m-%dT")
                        + local_datetime(seen.to).strftime("%H:%M"),
                    )

    def reachability_of(self, scenario: Scenario) -> Reachability:
        """Worked out once per scenario: the base's check uses each variant's, and so does the variant's own."""
        found = self.reachabilities.get(id(scenario))
        if found is None:
            found = self.reachabilities[id(scenario)] = Reachability(scenario)
        return found

    def reachability(self) -> None:
        # "Never" means in no variant either: a rule that only a variant's radio link can trigger is not dead.
        reach = self.reachability_of(self.s)
        others = [self.reachability_of(variant) for variant in self.variants]
        for i, sh in enumerate(self.s.stakeholders):
            if not reach.can_be_reached(sh.id) and not any(o.can_be_reached(sh.id) for o in others):
                self.warn(
                    ("stakeholders", i, "id"),
                    f"no message, inject or observation can ever reach {sh.id!r}",
                    "add a channel to it, an inject for it, or remove it",
                )
            for j, rule in enumerate(sh.playbook):
                reason = reach.why_rule_cannot_fire(sh.id, rule)
                if reason and not any(rule.id in o.fired for o in others):
                    self.warn(("stakeholders", i, "playbook", j, "on"), f"rule {rule.id!r} can never fire: {reason}")
        for i, decision in enumerate(self.s.decisions):
            if not reach.decision_can_open(decision.id) and not any(o.decision_can_open(decision.id) for o in others):
                self.warn(
                    ("decisions", i, "id"),
                    f"decision {decision.id!r} is never opened",
                    "give it a trigger, or add a request_decision action to a rule",
                )
        for i, milestone in enumerate(self.s.milestones):
            when = milestone.when
            if (
                when
                and when.event == "fact_learned"
                and when.fact
                and not reach.fact_can_reach(when.fact, when.stakeholder)
                and not any(o.fact_can_reach(when.fact, when.stakeholder) for o in others)
            ):
                where = f"{when.stakeholder!r}" if when.stakeholder else "any stakeholder"
                self.warn(
                    ("milestones", i, "when"),
                    f"milestone {milestone.id!r} can never be reached: fact {when.fact!r} never reaches {where}",
                )


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_HasId)


def _never_waits(delay: object) -> bool:
    """Whether a delay is always 0 (`0s`, or a fixed distribution of 0)."""
    return delay == 0 or (isinstance(delay, Fixed) and delay.value == 0)


def _first_by_id(items: Sequence[_Item]) -> dict[str, _Item]:
    """Items by id; of two with the same id, the first."""
    return {item.id: item for item in reversed(items)}


def check_references(
    scenario: Scenario,
    document: Locator,
    prefix: Path_,
    variants: Sequence[Scenario] = (),
    *,
    reachabilities: dict[int, Reachability] | None = None,
) -> list[Diagnostic]:
    """Check every cross-reference of a scenario that is valid against the models.

    `variants` are the scenario with each of its variants applied: what can happen in one of them is not reported
    as something that can never happen. `reachabilities` keeps what can happen in each scenario, by `id()`, for
    checks that follow (pass the same dict while the scenarios live).
    """
    return _Checker(scenario, document, prefix, variants, reachabilities).check()


@dataclass(frozen=True, slots=True)
class AppliedVariant:
    """One variant applied to the scenario's data, and what the models made of the result."""

    index: int
    """The variant's position in `variants`."""
    overlay_error: Diagnostic | None
    """Located in the file, when the variant names something the scenario lacks (nothing else is known then)."""
    document: Document | None
    """The resulting data, without positions (they are the base file's)."""
    result: Scenario | None
    """The resulting scenario, when it is valid against the models."""
    errors: list[Diagnostic]
    """What the models refused in the result, with paths inside it."""


def apply_variants(scenario: Scenario, document: Document) -> list[AppliedVariant]:
    """Apply every variant once; both the base's checks and the variants' own use the results."""
    from scenarios.loader import validate_data
    from scenarios.overlay import OverlayError, apply_variant_data

    applied = []
    for index, variant in enumerate(scenario.variants):
        try:
            data = apply_variant_data(document.data, variant)
        except OverlayError as exc:
            error = document.diagnostic(("variants", index, *exc.path), exc.message, exc.hint)
            applied.append(AppliedVariant(index, error, None, None, []))
            continue
        raw = Document(document.file, data, {})
        result, errors = validate_data(data, raw, ())
        applied.append(AppliedVariant(index, None, raw, result, errors))
    return applied


def check_variants(
    applied: list[AppliedVariant],
    document: Document,
    base: list[Diagnostic],
    *,
    reachabilities: dict[int, Reachability] | None = None,
) -> list[Diagnostic]:
    """Check each applied variant; report what is wrong in it (not what the base already has).

    `reachabilities`: as for `check_references` (the base's check has worked out each variant's).
    """
    seen = {(d.message, d.severity) for d in base}
    out: list[Diagnostic] = []
    for variant in applied:
        if variant.overlay_error is not None or variant.document is None:
            out.extend([variant.overlay_error] if variant.overlay_error else [])
            continue
        at = _VariantLocator(document, ("variants", variant.index))
        found = (
            variant.errors
            if variant.result is None
            else check_references(variant.result, variant.document, (), reachabilities=reachabilities)
        )
        out.extend(at.relocate(d) for d in found if (d.message, d.severity) not in seen)
    return out


class _VariantLocator:
    """Locates diagnostics about a variant's result at the variant, naming the path inside the result."""

    def __init__(self, document: Document, variant_path: Path_) -> None:
        self.document = document
        self.variant_path = variant_path
        self.variant_id: Any = document.data["variants"][variant_path[1]].get("id", variant_path[1])

    def relocate(self, diagnostic: Diagnostic) -> Diagnostic:
        where = f"{diagnostic.path}: " if diagnostic.path else ""
        message = f"in variant {self.variant_id!r}, {where}{diagnostic.message}"
        return self.document.diagnostic(self.variant_path, message, diagnostic.hint, diagnostic.severity)
