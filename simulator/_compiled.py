"""`Compiled`: what every run of one scenario looks up, built once per `Setup` as plain dicts and tuples."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scenarios.exercise import Fact
from scenarios.network import Channel, Site, Stakeholder
from scenarios.playbook import Action, Rule, Trigger
from scenarios.scenario import Scenario
from simulator.sampling import Sampler, fixed_value, sampler

Delay = tuple[float | None, Sampler]
"""A compiled delay: its fixed duration (None when it is random), and the sampler that draws it otherwise."""

BusKey = tuple[str, str | None, str | None]
"""Where a listener waits: (event kind, fact or None, stakeholder or None)."""

Wanted = tuple[tuple[str, str], ...]
"""The other fields an event must have for a listener to be called (usually none)."""

_FILTERS = ("fact", "stakeholder", "site", "phase", "decision", "option", "inject", "milestone", "outcome")


def compile_delay(delay: object) -> Delay:
    """A delay's fixed duration and its sampler (a fixed one draws nothing, so it creates no stream)."""
    return fixed_value(delay), sampler(delay)


def trigger_key(trigger: Trigger, stakeholder: str | None = None) -> tuple[BusKey, Wanted]:
    """The index key of a trigger (at `stakeholder`, if given) and the filters left to check on each event."""
    wanted = {name: value for name in _FILTERS if (value := getattr(trigger, name)) is not None}
    if stakeholder is not None:
        wanted["stakeholder"] = stakeholder
    fact = wanted.pop("fact", None)
    at = wanted.pop("stakeholder", None)
    return (trigger.event, fact, at), tuple(wanted.items())


@dataclass(frozen=True, slots=True, eq=False)
class ChannelPlan:
    """A channel as a message uses it: its stream's name and its delays, resolved once."""

    channel: Channel
    stream: str
    """`channel:ID`, the stream its latency, failures and retries draw from."""
    latency: Delay
    retry_after: Delay


@dataclass(frozen=True, slots=True, eq=False)
class RulePlan:
    """A rule of one stakeholder's playbook, with its stream's name and each action's delay resolved."""

    rule: Rule
    owner: str
    stream: str
    """`rule:ID`."""
    actions: tuple[tuple[Action, Delay], ...]


Binding = tuple[str, Any]
"""What a static listener calls once a run binds it: ("rule", RulePlan), ("decision", id), ("inject", id),
("milestone", id) or ("all_of", id)."""


class TriggerIndex:
    """The listeners every run registers at start, in order, indexed as the event bus looks them up.

    An event (kind, fact, stakeholder) is matched against four keys; the merged, ordered list of the listeners
    under them is worked out the first time such an event is emitted and kept for every later run (it depends only
    on the scenario).
    """

    __slots__ = ("_by_key", "bindings", "merged", "plain")

    def __init__(self) -> None:
        self.bindings: list[Binding] = []
        """What each listener calls, by its registration number."""
        self._by_key: dict[BusKey, list[tuple[int, Wanted]]] = {}
        self.merged: dict[BusKey, tuple[tuple[int, Wanted], ...]] = {}
        """The listeners of each event key seen so far (`matching` fills it)."""
        self.plain: dict[BusKey, tuple[int, ...] | None] = {}
        """For each key in `merged`: its listeners' numbers when none filters on other fields, else None."""

    def add(self, trigger: Trigger, binding: Binding, stakeholder: str | None = None) -> None:
        """Register a listener (in the order a run calls them)."""
        key, wanted = trigger_key(trigger, stakeholder)
        self._by_key.setdefault(key, []).append((len(self.bindings), wanted))
        self.bindings.append(binding)

    def __len__(self) -> int:
        return len(self.bindings)

    def matching(self, kind: str, fact: str | None, at: str | None) -> tuple[tuple[int, Wanted], ...]:
        """The listeners an event of `kind` about `fact` at `at` may call, in registration order."""
        key = (kind, fact, at)
        merged = self.merged.get(key)
        if merged is None:
            found: list[tuple[int, Wanted]] = []
            by_key = self._by_key
            for candidate in {key, (kind, fact, None), (kind, None, at), (kind, None, None)}:
                found.extend(by_key.get(candidate, ()))
            found.sort(key=lambda listener: listener[0])
            merged = self.merged[key] = tuple(found)
            self.plain[key] = None if any(wanted for _order, wanted in merged) else tuple(order for order, _ in merged)
        return merged


@dataclass(frozen=True, slots=True, eq=False)
class Compiled:
    """The look-ups of one scenario (the variant applied), shared read-only by every run of a `Setup`."""

    scenario: Scenario
    stakeholders: dict[str, Stakeholder]
    stakeholder_ids: tuple[str, ...]
    """Sorted."""
    channels: dict[str, Channel]
    plans: dict[str, ChannelPlan]
    """Each channel's plan, by channel id."""
    routes: dict[tuple[str, str], ChannelPlan]
    """(sender, receiver) -> the enabled channel a message takes: the first by id."""
    facts: dict[str, Fact]
    """The scenario's facts (a run copies it: an ad-hoc inject may add one)."""
    correctors: dict[str, tuple[str, ...]]
    """For each fact that some fact corrects: the facts that correct it, in the scenario's order."""
    sites: dict[str, Site]
    site_ids: tuple[str, ...]
    """Sorted."""
    units: tuple[tuple[str, int], ...]
    """Each stakeholder's unit count (at least one), in the scenario's order."""
    unit_counts: dict[str, int]
    """`units` by stakeholder id."""
    lines: tuple[tuple[str, int], ...]
    """Each channel with a capacity, and that capacity, in the scenario's order."""
    rules: tuple[RulePlan, ...]
    """Every rule, by stakeholder id then playbook order."""
    triggers: TriggerIndex
    samplers: dict[int, tuple[object, Sampler, float | None]]
    """Delays compiled on first use elsewhere (travel, access, intake...), by `id` (each entry keeps its delay)."""
    milestone_all_of: dict[str, tuple[tuple[str, ...], int]]
    """For each milestone made of others: those milestones and how many of them it needs."""
    service_times: dict[str, Delay]
    """The service time of each stakeholder's background work (those with `background`)."""


def compile_scenario(
    scenario: Scenario, samplers: dict[int, tuple[object, Sampler, float | None]] | None = None
) -> Compiled:
    """Build the look-ups every run of `scenario` shares."""
    stakeholders = {sh.id: sh for sh in scenario.stakeholders}
    channels = {channel.id: channel for channel in scenario.channels}
    plans = {
        channel.id: ChannelPlan(
            channel,
            f"channel:{channel.id}",
            compile_delay(channel.latency),
            compile_delay(channel.on_failure.retry_after),
        )
        for channel in scenario.channels
    }
    routes: dict[tuple[str, str], ChannelPlan] = {}
    for channel in sorted(scenario.channels, key=lambda c: c.id):
        if channel.enabled:
            routes.setdefault((channel.from_, channel.to), plans[channel.id])
    correctors: dict[str, tuple[str, ...]] = {}
    for fact in scenario.facts:
        for wrong in fact.corrects:
            correctors[wrong] = (*correctors.get(wrong, ()), fact.id)
    rules: list[RulePlan] = []
    triggers = TriggerIndex()
    for sh in sorted(scenario.stakeholders, key=lambda x: x.id):
        for rule in sh.playbook:
            plan = RulePlan(
                rule, sh.id, f"rule:{rule.id}", tuple((action, compile_delay(action.after)) for action in rule.do)
            )
            rules.append(plan)
            # `start` happens at every stakeholder at once, so its event names none to match on.
            triggers.add(rule.on, ("rule", plan), None if rule.on.event == "start" else sh.id)
    for decision in scenario.decisions:
        if decision.trigger is not None:
            triggers.add(decision.trigger, ("decision", decision.id))
    for inject in scenario.injects:
        if inject.trigger is not None:
            triggers.add(inject.trigger, ("inject", inject.id))
    all_of: dict[str, tuple[tuple[str, ...], int]] = {}
    for milestone in scenario.milestones:
        if milestone.when is not None:
            triggers.add(milestone.when, ("milestone", milestone.id))
        else:
            all_of[milestone.id] = (tuple(milestone.all_of), milestone.at_least or len(milestone.all_of))
            for other in milestone.all_of:
                triggers.add(Trigger(event="milestone_reached", milestone=other), ("all_of", milestone.id))
    return Compiled(
        scenario=scenario,
        stakeholders=stakeholders,
        stakeholder_ids=tuple(sorted(stakeholders)),
        channels=channels,
        plans=plans,
        routes=routes,
        facts={fact.id: fact for fact in scenario.facts},
        correctors=correctors,
        sites={site.id: site for site in scenario.sites},
        site_ids=tuple(sorted(site.id for site in scenario.sites)),
        units=tuple((sh.id, max(sh.units, 1)) for sh in scenario.stakeholders),
        unit_counts={sh.id: max(sh.units, 1) for sh in scenario.stakeholders},
        lines=tuple((c.id, c.capacity) for c in scenario.channels if c.capacity is not None),
        rules=tuple(rules),
        triggers=triggers,
        samplers={} if samplers is None else samplers,
        milestone_all_of=all_of,
        service_times={
            sh.id: compile_delay(sh.background.service_time)
            for sh in scenario.stakeholders
            if sh.background is not None
        },
    )
