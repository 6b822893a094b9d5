"""The engine's mechanics: messages on channels, units, sites, the threat, harm, injects, decisions, milestones.

Everything here runs inside one `simpy.Environment` by callbacks on timeouts and resource requests (cheaper than a
process per message). Semantics are documented for users in docs/how-a-run-plays.md; keep the two in step.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

import networkx as nx
import simpy

from scenarios.exercise import Decision, Inject
from scenarios.network import Channel, Site
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
from scenarios.scenario import Scenario
from scenarios.threat import ThreatPhase
from simulator._bus import EventBus
from simulator._units import UnitPool
from simulator.sampling import Sampler, fixed_value, sampler
from simulator.streams import Streams

RecordFn = Callable[..., None]


@dataclass(frozen=True, slots=True)
class Awareness:
    """What a stakeholder knows of one fact."""

    fact: str
    """The fact."""
    t: float
    """When it learned it (simulation seconds)."""
    source: str
    """From whom or what: a stakeholder id, `inject:ID`, `observation:PHASE`, `self`."""
    true: bool
    """False for rumours and false reports."""


@dataclass(slots=True)
class _Message:
    fact: str
    sender: str
    receiver: str
    attempt: int = 1
    tried: tuple[str, ...] = ()
    """Channels this message has already failed on (a fallback never leads back to one: no endless loop)."""


@dataclass(slots=True)
class _SiteState:
    locking: bool = False
    locked: bool = False
    evacuating: bool = False
    evacuated: bool = False


@dataclass(slots=True)
class _InjectState:
    status: str = "pending"  # pending, held, delivered, skipped
    due: float | None = None
    token: int = 0


class _Call:
    """A SimPy callback that ignores the event and calls a function (cheaper than a process per delay)."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[[], object]) -> None:
        self.function = function

    def __call__(self, _event: object) -> None:
        self.function()


class _BackgroundWork:
    """One stakeholder's other work: Poisson arrivals, each holding a unit for its service time.

    The hottest path of most runs (a control room's calls), so it is written with bound methods and no closures.
    """

    __slots__ = ("arrived", "env", "rate", "record", "rng", "service", "stakeholder", "units", "world")

    def __init__(self, world: World, stakeholder: str) -> None:
        background = world.stakeholders[stakeholder].background
        assert background is not None
        self.world = world
        self.env = world.env
        self.stakeholder = stakeholder
        self.rate = background.arrivals_per_hour / 3600.0
        self.service = background.service_time
        self.rng = world.rng(f"background:{stakeholder}")
        self.units = world.units[stakeholder]
        self.record = world.record
        self.arrived: deque[float] = deque()

    def schedule_next(self) -> None:
        gap = round(self.rng.expovariate(self.rate), 3)
        self.env.timeout(gap).callbacks.append(self.arrive)

    def arrive(self, _event: object) -> None:
        self.schedule_next()
        self.arrived.append(self.env.now)
        self.units.request(self.start)

    def start(self) -> None:
        service = self.world.sample(self.service, f"background:{self.stakeholder}")
        now = self.env.now
        # Units are granted in order of request, so the job starting now is the oldest one waiting.
        self.record(
            "BackgroundJobStarted",
            stakeholder=self.stakeholder,
            waited_s=round(now - self.arrived.popleft(), 3),
            service_s=service,
        )
        self.env.timeout(service).callbacks.append(self.done)

    def done(self, _event: object) -> None:
        self.units.release()


class World:
    """The state and rules of one run; `Exercise` drives it and owns the log."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int,
        record: RecordFn,
        samplers: dict[int, tuple[object, Sampler, float | None]] | None = None,
    ) -> None:
        self.scenario = scenario
        self.env = simpy.Environment()
        self.rng = Streams(seed)
        self.record = record
        self.bus = EventBus()
        self.graph = self._build_graph()
        self._samplers: dict[int, tuple[object, Sampler, float | None]] = {} if samplers is None else samplers
        self.facts = {fact.id: fact for fact in scenario.facts}
        self.stakeholders = {sh.id: sh for sh in scenario.stakeholders}
        self.sites: dict[str, Site] = {site.id: site for site in scenario.sites}
        self.site_state = {site_id: _SiteState() for site_id in sorted(self.sites)}
        self.channels = {channel.id: channel for channel in scenario.channels}
        self.injects: dict[str, Inject] = {inject.id: inject for inject in scenario.injects}
        self.inject_state = {inject_id: _InjectState() for inject_id in self.injects}
        self.decisions: dict[str, Decision] = {decision.id: decision for decision in scenario.decisions}
        self.decision_state: dict[str, str] = {}  # open, taken
        self.decision_due: dict[str, float] = {}
        self.taken: dict[str, str] = {}
        self.preset: dict[str, str] = {}
        self.known: dict[str, dict[str, Awareness]] = {sh_id: {} for sh_id in sorted(self.stakeholders)}
        self.fired: set[str] = set()
        self.milestones: dict[str, float] = {}
        now = partial(self.later, 0.0)
        self.units = {sh.id: UnitPool(max(sh.units, 1), now) for sh in scenario.stakeholders}
        self.line = {c.id: UnitPool(c.capacity, now) for c in scenario.channels if c.capacity is not None}
        self.on_scene: dict[str, list[tuple[str, int]]] = {site_id: [] for site_id in sorted(self.sites)}
        self.phase_index = -1
        self.phase_token = 0
        self.threat_over = scenario.threat is None
        self.neutralising = False
        self.harm = 0.0
        self.harm_rate = 0.0
        self._harm_since = 0.0
        self._adhoc = 0

    # --- set-up ---------------------------------------------------------------------------------------------

    def _build_graph(self) -> nx.DiGraph:
        graph = nx.DiGraph()
        for sh in sorted(self.scenario.stakeholders, key=lambda s: s.id):
            graph.add_node(sh.id, kind=sh.kind, units=sh.units)
        for channel in sorted(self.scenario.channels, key=lambda c: c.id):
            if channel.enabled:
                if graph.has_edge(channel.from_, channel.to):
                    graph.edges[channel.from_, channel.to]["channels"].append(channel.id)
                else:
                    graph.add_edge(channel.from_, channel.to, channels=[channel.id])
        return graph

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

    # --- helpers --------------------------------------------------------------------------------------------

    def sample(self, delay: object, stream: str) -> float:
        """Draw one duration from a delay with the named entity's stream (a fixed duration draws nothing)."""
        cached = self._samplers.get(id(delay))
        # The cache holds the delay itself, so its id cannot be reused by another object while the entry lives.
        if cached is None or cached[0] is not delay:
            cached = self._samplers[id(delay)] = (delay, sampler(delay), fixed_value(delay))
        fixed = cached[2]
        return fixed if fixed is not None else cached[1](self.rng(stream))

    def later(self, delay: float, callback: Callable[[], object]) -> None:
        """Call `callback` after `delay` seconds of simulation time."""
        self.env.timeout(delay).callbacks.append(_Call(callback))

    def emit(self, kind: str, event: Mapping[str, Any]) -> None:
        """Tell the triggers that an event happened."""
        self.bus.emit(kind, event)

    # --- awareness and rules --------------------------------------------------------------------------------

    def learn(self, stakeholder: str, fact: str, source: str) -> None:
        """`stakeholder` learns `fact`; only the first time counts."""
        if fact in self.known[stakeholder]:
            self.record("FactRepeated", stakeholder=stakeholder, fact=fact, source=source)
            return
        true = not self.facts[fact].false_report if fact in self.facts else True
        self.known[stakeholder][fact] = Awareness(fact, self.env.now, source, true)
        self.record("FactLearned", stakeholder=stakeholder, fact=fact, source=source, true=true)
        self.emit("fact_learned", {"fact": fact, "stakeholder": stakeholder})

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

    # --- messages -------------------------------------------------------------------------------------------

    def notify(self, sender: str, action: Notify, stream: str) -> None:
        """Send a fact: choose the receiver (alternatives), then the channel, then transmit."""
        receiver = action.to
        if action.alternatives:
            draw = self.rng(stream).random()
            total = 0.0
            for alternative in action.alternatives:
                total += alternative.probability
                if draw < total:
                    self.record(
                        "MessageRerouted", sender=sender, intended=action.to, receiver=alternative.to, fact=action.fact
                    )
                    receiver = alternative.to
                    break
        channel = self._channel(sender, receiver, action.via if receiver == action.to else None)
        message = _Message(action.fact, sender, receiver)
        if channel is None:
            self.record("MessageUndeliverable", sender=sender, receiver=receiver, fact=action.fact)
            return
        self._send(message, channel)

    def _channel(self, sender: str, receiver: str, via: str | None) -> Channel | None:
        if via is not None:
            channel = self.channels[via]
            return channel if channel.enabled else None
        if not self.graph.has_edge(sender, receiver):
            return None
        return self.channels[self.graph.edges[sender, receiver]["channels"][0]]

    def _send(self, message: _Message, channel: Channel) -> None:
        line = self.line.get(channel.id)
        if line is None:
            self._transmit(message, channel, None)
        else:
            line.request(partial(self._transmit, message, channel, line))

    def _transmit(self, message: _Message, channel: Channel, line: UnitPool | None) -> None:
        stream = f"channel:{channel.id}"
        latency = self.sample(channel.latency, stream)
        failed = channel.failure_probability > 0 and self.rng(stream).random() < channel.failure_probability
        self.record(
            "MessageSent",
            channel=channel.id,
            sender=message.sender,
            receiver=message.receiver,
            fact=message.fact,
            attempt=message.attempt,
            latency_s=latency,
        )
        self.later(latency, partial(self._transmitted, message, channel, line, failed))

    def _transmitted(self, message: _Message, channel: Channel, line: UnitPool | None, failed: bool) -> None:
        self._delivered_or_failed(message, channel, failed)
        # The line frees once this attempt is dealt with, so its arrival is recorded before the next send.
        if line is not None:
            line.release()

    def _delivered_or_failed(self, message: _Message, channel: Channel, failed: bool) -> None:
        if not failed:
            self.record(
                "MessageArrived",
                channel=channel.id,
                sender=message.sender,
                receiver=message.receiver,
                fact=message.fact,
            )
            self._intake(message)
            return
        self.record(
            "MessageFailed",
            channel=channel.id,
            sender=message.sender,
            receiver=message.receiver,
            fact=message.fact,
            attempt=message.attempt,
        )
        policy = channel.on_failure
        if policy.then == "retry" and message.attempt < policy.max_attempts:
            message.attempt += 1
            delay = self.sample(policy.retry_after, f"channel:{channel.id}")
            self.later(delay, partial(self._send, message, channel))
        elif (
            policy.then == "fallback"
            and policy.fallback is not None
            and self.channels[policy.fallback].enabled
            and policy.fallback not in (*message.tried, channel.id)
        ):
            fallback = self.channels[policy.fallback]
            self.record("MessageFellBack", channel=channel.id, fallback=fallback.id, fact=message.fact)
            tried = (*message.tried, channel.id)
            self._send(_Message(message.fact, message.sender, fallback.to, tried=tried), fallback)
        else:
            self.record(
                "MessageLost", channel=channel.id, sender=message.sender, receiver=message.receiver, fact=message.fact
            )

    def _intake(self, message: _Message) -> None:
        receiver = self.stakeholders[message.receiver]
        if receiver.intake_time is None:
            self.learn(message.receiver, message.fact, message.sender)
            return
        units = self.units[receiver.id]
        arrived = self.env.now

        def taken() -> None:
            duration = self.sample(receiver.intake_time, f"intake:{receiver.id}")
            self.record(
                "MessageTaken",
                stakeholder=receiver.id,
                fact=message.fact,
                sender=message.sender,
                waited_s=round(self.env.now - arrived, 3),
                intake_s=duration,
            )

            def understood() -> None:
                self.learn(message.receiver, message.fact, message.sender)
                units.release()

            self.later(duration, understood)

        units.request(taken)

    # --- units, sites ---------------------------------------------------------------------------------------

    def dispatch(self, stakeholder: str, site: str, count: int) -> None:
        """Take `count` units of `stakeholder` as they come free, then send them to `site` together."""
        self.record("DispatchOrdered", stakeholder=stakeholder, site=site, units=count)
        units = self.units[stakeholder]
        ordered = self.env.now
        missing = [count]

        def granted() -> None:
            missing[0] -= 1
            if missing[0] == 0:
                leave()

        def leave() -> None:
            travel = self.sample(self.stakeholders[stakeholder].travel[site], f"travel:{stakeholder}")
            self.record(
                "UnitsLeft",
                stakeholder=stakeholder,
                site=site,
                units=count,
                waited_s=round(self.env.now - ordered, 3),
                travel_s=travel,
            )
            self.later(travel, partial(self._arrive, stakeholder, site, count))

        for _ in range(count):
            units.request(granted)

    def _arrive(self, stakeholder: str, site: str, count: int) -> None:
        self.on_scene[site].append((stakeholder, count))
        self.record("UnitsArrived", stakeholder=stakeholder, site=site, units=count)
        self.emit("units_arrived", {"stakeholder": stakeholder, "site": site})
        self._check_interdiction()

    def lock_down(self, site_id: str, by: str) -> None:
        """Start a lockdown of a site (once)."""
        state = self.site_state[site_id]
        lockdown = self.sites[site_id].lockdown
        if state.locking or lockdown is None:
            return
        state.locking = True
        duration = self.sample(lockdown.duration, f"lockdown:{site_id}")
        self.record("LockdownStarted", site=site_id, by=by, duration_s=duration)

        def complete() -> None:
            state.locked = True
            self.record("LockdownCompleted", site=site_id)
            self._harm_changed()
            self.emit("lockdown_complete", {"site": site_id})

        self.later(duration, complete)

    def evacuate(self, site_id: str, by: str) -> None:
        """Start an evacuation of a site (once)."""
        state = self.site_state[site_id]
        evacuation = self.sites[site_id].evacuation
        if state.evacuating or evacuation is None:
            return
        state.evacuating = True
        duration = self.sample(evacuation.duration, f"evacuation:{site_id}")
        self.record("EvacuationStarted", site=site_id, by=by, duration_s=duration)
        self._harm_changed()

        def complete() -> None:
            state.evacuated = True
            self.record("EvacuationCompleted", site=site_id)
            self._harm_changed()
            self.emit("evacuation_complete", {"site": site_id})

        self.later(duration, complete)

    def _next_background_job(self, stakeholder: str) -> None:
        _BackgroundWork(self, stakeholder).schedule_next()

    # --- threat and harm ------------------------------------------------------------------------------------

    @property
    def phase(self) -> ThreatPhase | None:
        """The active threat phase, if any."""
        if self.threat_over or self.scenario.threat is None or self.phase_index < 0:
            return None
        return self.scenario.threat.phases[self.phase_index]

    def _start_phase(self, index: int) -> None:
        threat = self.scenario.threat
        assert threat is not None
        self.phase_index = index
        self.phase_token += 1
        self.neutralising = False  # an interdiction under way ends with its phase; this one may start its own
        token = self.phase_token
        phase = threat.phases[index]
        duration = self.sample(phase.duration, "threat")
        self.record("ThreatPhaseStarted", phase=phase.id, phase_kind=phase.kind, site=phase.site, duration_s=duration)
        self._harm_changed()
        for seen in phase.observed_by:
            delay = self.sample(seen.after, "threat")
            self.later(delay, partial(self._observed, seen.stakeholder, seen.fact, phase.id, token))
        self.emit("threat_phase_started", {"phase": phase.id, "site": phase.site})
        self.later(duration, lambda: self._end_phase(index, token))
        self._check_interdiction()

    def _observed(self, stakeholder: str, fact: str, phase: str, token: int) -> None:
        del token  # what was seen stays seen, even if the phase has ended since
        self.learn(stakeholder, fact, f"observation:{phase}")

    def _end_phase(self, index: int, token: int) -> None:
        if token != self.phase_token or self.threat_over:
            return
        threat = self.scenario.threat
        assert threat is not None
        phase = threat.phases[index]
        self.record("ThreatPhaseEnded", phase=phase.id)
        if phase.ends_with == "neutralised":
            self._neutralise(by=None, site=phase.site)
        elif phase.ends_with == "ended" or index + 1 == len(threat.phases):
            self._end_threat()
        else:
            self._start_phase(index + 1)

    def _check_interdiction(self) -> None:
        phase = self.phase
        if phase is None or self.neutralising or not phase.interdictable or phase.site is None:
            return
        capable = [sh for sh, _ in self.on_scene[phase.site] if self.stakeholders[sh].can_neutralise]
        if not capable:
            return
        threat = self.scenario.threat
        assert threat is not None
        self.neutralising = True
        token = self.phase_token
        delay = self.sample(threat.neutralise_time, "neutralise")
        self.record("InterdictionStarted", phase=phase.id, site=phase.site, by=capable[0], duration_s=delay)

        def done() -> None:
            if token == self.phase_token and not self.threat_over:
                self._neutralise(by=capable[0], site=phase.site)

        self.later(delay, done)

    def _neutralise(self, by: str | None, site: str | None) -> None:
        self.record("ThreatNeutralised", by=by, site=site)
        self.emit("threat_neutralised", {"site": site})
        self._end_threat()

    def _end_threat(self) -> None:
        self._harm_changed(ending=True)
        self.threat_over = True
        self.phase_token += 1
        self.record("ThreatEnded", harm=round(self.harm, 3))
        self.emit("threat_ended", {})

    def exposure_factor(self) -> float:
        """Harm per occupant-minute at the active attack's site, now."""
        phase = self.phase
        threat = self.scenario.threat
        if phase is None or threat is None or phase.kind != "attack" or phase.site is None:
            return 0.0
        state = self.site_state[phase.site]
        harm = threat.harm
        if state.evacuated:
            return harm.evacuated_factor
        if state.evacuating:
            return harm.evacuating_factor
        if state.locked and phase.entry_blocked_by_lockdown:
            return harm.locked_down_factor
        return harm.open_factor

    def _harm_changed(self, ending: bool = False) -> None:
        now = self.env.now
        self.harm += self.harm_rate * (now - self._harm_since) / 60.0
        self._harm_since = now
        phase = self.phase
        rate = 0.0
        if not ending and phase is not None and phase.site is not None:
            rate = self.sites[phase.site].occupancy * self.exposure_factor()
        if rate != self.harm_rate:
            self.harm_rate = rate
            self.record("HarmRateChanged", rate_per_min=round(rate, 6), harm=round(self.harm, 3))

    def harm_now(self) -> float:
        """Harm accumulated up to now."""
        return self.harm + self.harm_rate * (self.env.now - self._harm_since) / 60.0

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
