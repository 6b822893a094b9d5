"""Where the time went on the way to a milestone: the steps of its chain of messages, and the slowest of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from scenarios import Scenario
from scenarios.playbook import Trigger
from simulator.analysis.chains import Chain, Link
from simulator.formatting import minutes


@dataclass(frozen=True, slots=True)
class Step:
    """One span of time on the way to a milestone, and the organisation it was spent at."""

    start_t: float
    end_t: float
    responsible: str
    """The stakeholder's id."""
    text: str
    """What happened in it, in words with names and `mm:ss` times from T0."""

    def counted_s(self, since_t: float) -> float:
        """How much of it lies after `since_t` (what it cost the objective measured from there)."""
        return round(self.end_t - max(self.start_t, since_t), 3)


def steps(
    chain: Chain,
    milestone_t: float,
    milestone_name: str,
    names: Mapping[str, str],
    facts: Mapping[str, str],
    decided: Sequence[Decided] = (),
    acted_on: Callable[[str, str, float], tuple[str, float] | None] = lambda stakeholder, fact, t: None,
) -> list[Step]:
    """The spans of a chain, in time order: each sender passing the fact on, its message travelling, waiting for a
    call taker and being taken at the receiver, and the organisation that acted taking its action to the milestone.

    A chain that starts with a message nobody told its sender (a decision's consequence) starts with the decision:
    from its opening to the message, at the organisation that decided (`decided`: the decisions taken whose option
    sends that fact), or else with what made its sender send it (`acted_on`: for a stakeholder, a fact and a time,
    what it acted on in words, `learning 'Shots at the door'`, and when).
    """

    def name(stakeholder: str | None) -> str:
        return "?" if stakeholder is None else names.get(stakeholder, stakeholder)

    found: list[Step] = []
    links = chain.links
    for index, link in enumerate(links):
        if link.sent_t is None or link.sender is None:
            continue
        fact = facts.get(link.fact, link.fact)
        sender, receiver = name(link.sender), name(link.receiver)
        previous = links[index - 1].t if index > 0 and links[index - 1].receiver == link.sender else None
        if index == 0:
            first = _decided_first(link, decided, sender, receiver, fact)
            learned = None if first else acted_on(link.sender, link.fact, link.sent_t)
            if learned is not None and link.sent_t > learned[1]:
                what, when = learned
                first = [
                    Step(
                        when,
                        link.sent_t,
                        link.sender,
                        f"{sender} sent '{fact}' to {receiver} at {minutes(link.sent_t)}, "
                        f"{minutes(link.sent_t - when)} after {what} ({minutes(when)})",
                    )
                ]
            found += first
        if previous is not None and link.sent_t > previous:
            failed = f", after {link.attempts} failed attempt(s)" if link.attempts else ""
            found.append(
                Step(
                    previous,
                    link.sent_t,
                    link.sender,
                    f"{sender} passed '{fact}' on to {receiver} {minutes(link.sent_t - previous)} after learning it "
                    f"(learned {minutes(previous)}, sent {minutes(link.sent_t)}{failed})",
                )
            )
        arrived = link.arrived_t if link.arrived_t is not None else link.t
        how = by_medium(link.medium or link.channel or "a channel")
        if arrived > link.sent_t:
            found.append(
                Step(
                    link.sent_t,
                    arrived,
                    link.sender,
                    f"the message from {sender} to {receiver} took {minutes(arrived - link.sent_t)} {how} "
                    f"(sent {minutes(link.sent_t)}, arrived {minutes(arrived)})",
                )
            )
        taken = link.taken_t if link.taken_t is not None else arrived
        if taken > arrived:
            found.append(
                Step(
                    arrived,
                    taken,
                    link.receiver,
                    f"the call from {sender} waited {minutes(taken - arrived)} for a free call taker at {receiver} "
                    f"(arrived {minutes(arrived)}, taken {minutes(taken)})",
                )
            )
        if link.t > taken:
            found.append(
                Step(
                    taken,
                    link.t,
                    link.receiver,
                    f"{receiver} took {minutes(link.t - taken)} to take in the call from {sender} "
                    f"(taken {minutes(taken)}, understood {minutes(link.t)})",
                )
            )
    if chain.actor is not None and links and milestone_t > links[-1].t:
        last = links[-1]
        actor = name(chain.actor)
        waited = next((d for d in decided if d.stakeholder == chain.actor and last.t <= d.taken_t <= milestone_t), None)
        decision = (
            ""
            if waited is None
            else f"; in between, '{one_line(waited.prompt)}' opened at {minutes(waited.opened_t)} and was answered "
            f"'{waited.label}' at {minutes(waited.taken_t)} ({_by(waited)})"
        )
        found.append(
            Step(
                last.t,
                milestone_t,
                chain.actor,
                f"{actor} took {minutes(milestone_t - last.t)} from learning '{facts.get(last.fact, last.fact)}' "
                f"({minutes(last.t)}) to '{milestone_name}' ({minutes(milestone_t)}){decision}",
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class Decided:
    """A decision taken in the run, and the facts its option sends (for the chains that start with it)."""

    stakeholder: str
    prompt: str
    label: str
    by: str
    opened_t: float
    taken_t: float
    sends: frozenset[str]


def _decided_first(link: Link, decided: Sequence[Decided], sender: str, receiver: str, fact: str) -> list[Step]:
    assert link.sent_t is not None and link.sender is not None
    sent_t = link.sent_t
    choice = next(
        (d for d in reversed(decided) if d.stakeholder == link.sender and d.taken_t <= sent_t and link.fact in d.sends),
        None,
    )
    if choice is None:
        return []
    by = _by(choice)
    follow = f", and the message went {minutes(sent_t - choice.taken_t)} later" if sent_t > choice.taken_t else ""
    return [
        Step(
            choice.opened_t,
            sent_t,
            link.sender,
            f"{sender} sent '{fact}' to {receiver} only at {minutes(sent_t)}: '{one_line(choice.prompt)}' opened at "
            f"{minutes(choice.opened_t)} and was answered '{choice.label}' at {minutes(choice.taken_t)} ({by}){follow}",
        )
    ]


def by_medium(medium: str) -> str:
    """How a message went, in words: `by phone`, `in person` (for `in_person`)."""
    words = medium.replace("_", " ")
    return words if medium == "in_person" else f"by {words}"


def one_line(text: str) -> str:
    """Scenario text on one line (a YAML folded block keeps its last line break)."""
    return " ".join(text.split())


def _by(decided: Decided) -> str:
    return "by default, nobody having answered" if decided.by == "default" else f"by {decided.by}"


def slowest(found: list[Step], since_t: float) -> Step | None:
    """The step that cost the most time after `since_t` (the first of equals), or None when none did."""
    best: Step | None = None
    for step in found:
        if step.counted_s(since_t) > 0 and (best is None or step.counted_s(since_t) > best.counted_s(since_t)):
            best = step
    return best


def trigger_text(trigger: Trigger, scenario: Scenario, whose: str = "its") -> str:
    """An event a rule or a stage waits for, in words that follow "after": `learning 'Shots at the door'`, `its
    units arrived at Synagogue`, `the threat's flight phase started`.

    Args:
        trigger: the event.
        scenario: the scenario played (the names of its facts, sites, phases, decisions and milestones).
        whose: whose units a units event with no stakeholder of its own is about (`its`, or an organisation's name).
    """
    facts = {f.id: f.description for f in scenario.facts}
    sites = {s.id: s.name for s in scenario.sites}
    names = {s.id: s.name for s in scenario.stakeholders}
    at = "" if trigger.site is None else f" at {sites.get(trigger.site, trigger.site)}"
    units = (
        f"{whose} units"
        if trigger.stakeholder is None
        else f"{names.get(trigger.stakeholder, trigger.stakeholder)}'s units"
    )
    fact = facts.get(trigger.fact or "", trigger.fact or "")
    site = sites.get(trigger.site or "", trigger.site or "")
    event = trigger.event
    if event == "fact_learned":
        return f"learning '{one_line(fact)}'"
    if event == "fact_corrected":
        return f"learning that '{one_line(fact)}' was wrong"
    if event == "units_arrived":
        return f"{units} arrived{at}"
    if event == "units_staged":
        return f"{units} reached the rendezvous" + ("" if trigger.site is None else f" near {site}")
    if event == "lockdown_complete":
        return f"{site} was locked down"
    if event == "evacuation_complete":
        return f"{site} was evacuated"
    if event == "threat_phase_started":
        return f"the threat's {trigger.phase} phase started"
    if event == "threat_engaged":
        return f"units engaged the threat{at}"
    if event == "threat_neutralised":
        return "the threat was neutralised"
    if event == "threat_ended":
        return "the threat ended" + ("" if trigger.outcome is None else f" ({trigger.outcome})")
    if event == "decision_taken":
        decision = next((d for d in scenario.decisions if d.id == trigger.decision), None)
        labels = {} if decision is None else {o.id: o.label for o in decision.options}
        prompt = trigger.decision if decision is None else one_line(decision.prompt)
        option = "" if trigger.option is None else f" '{labels.get(trigger.option, trigger.option)}'"
        return f"'{prompt}' was answered{option}"
    if event == "inject_delivered":
        return f"inject {trigger.inject} arrived"
    if event == "milestone_reached":
        milestones = {m.id: m.name for m in scenario.milestones}
        return f"'{milestones.get(trigger.milestone or '', trigger.milestone)}' was reached"
    return "the exercise started"
