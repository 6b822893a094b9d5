"""A scenario's overview for the facilitator: its MSEL, decisions, objectives and variants, in words and with ids."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from scenarios import Scenario, apply_variant
from scenarios._base import format_duration
from scenarios.distributions import Delay
from scenarios.exercise import Decision, Inject, Objective
from scenarios.msel.times import format_time
from scenarios.playbook import RequestDecision, Trigger
from simulator.analysis.report._run_steps import one_line, trigger_text
from simulator.evaluation import thresholds_text
from simulator.formatting import delay_text
from simulator.narrative import wall_clock
from simulator.views import describe_action, wall_time

T0 = "T0"
"""What an objective measured from the start of the exercise counts from."""


@dataclass(frozen=True, slots=True)
class InjectLine:
    """One inject of the MSEL as the facilitator delivers it."""

    id: str
    when: str
    """`T+00:05:00`, `15m after learning 'Shots at the door'`, or `contingency` (fired by hand)."""
    at_s: float | None
    """Its time after T0, when it has one."""
    clock: str | None
    """The local clock time of `at_s` (`12:05:00`)."""
    trigger: str | None
    """The event it waits for, in words (`learning 'Shots at the door'`)."""
    after: str | None
    """With a trigger: the delay after the event in words (`15m`, `30s to 1m30s`), None for none."""
    contingency: bool
    to: str
    """The receiving stakeholder's id."""
    to_name: str
    originator: str | None
    """Who it comes from in the story (`Local newspaper`)."""
    inject_type: str
    delivery_method: str
    text: str
    fact: str | None
    """The fact the receiver learns from it (an id)."""
    fact_text: str | None
    """That fact's description."""
    objective: str | None


@dataclass(frozen=True, slots=True)
class OptionLine:
    """One answer to a decision: what `--decide DECISION=OPTION` names, and what choosing it does."""

    id: str
    label: str
    description: str | None
    does: tuple[str, ...]
    """Each consequence in words (`lock down Synagogue`), in order; empty when it changes nothing."""
    default: bool
    """Whether it is the one applied when nobody answers before the deadline (and in batch runs)."""


@dataclass(frozen=True, slots=True)
class DecisionLine:
    """A decision point: who answers it, when it opens, and its options."""

    id: str
    prompt: str
    stakeholder: str
    stakeholder_name: str
    role: str
    opens: str
    """What opens it, in words (`after learning 'Shots at the door'`, `when Police asks for it (rule ask-go), after
    learning 'Shots at the door'`)."""
    deadline_s: float
    deadline: str
    """The deadline in the scenario's notation (`5m`)."""
    default: str
    options: tuple[OptionLine, ...]


@dataclass(frozen=True, slots=True)
class ObjectiveLine:
    """An objective and what its rating is measured against."""

    id: str
    name: str
    core_capability: str
    since: str | None
    """The milestone the clock starts at (an id), None for T0."""
    since_name: str
    """That milestone's name, or `T0`."""
    until: str
    until_name: str
    performed_s: float | None
    some_challenges_s: float | None
    major_challenges_s: float | None
    before: str | None
    before_name: str | None
    not_applicable_unless: tuple[str, ...]
    """Milestones (ids) without which the objective is N/A rather than U."""
    measured: str
    """The limits in words: `P ≤ 05:00, S ≤ 10:00, M ≤ 20:00, before Attacker at school, N/A unless ...`."""


@dataclass(frozen=True, slots=True)
class VariantLine:
    """A what-if of the scenario."""

    id: str
    description: str
    shown: bool
    """Whether this overview shows the scenario with it applied."""


@dataclass(frozen=True, slots=True)
class Overview:
    """What a facilitator needs in front of them before an exercise, in the scenario's order."""

    scenario: str
    """The scenario's id."""
    title: str
    summary: str
    start: str
    """T0 as the scenario gives it, local time (`2026-09-21T11:50:00`)."""
    start_text: str
    """T0 in words: `Monday 21 September 2026, 11:50:00 (Europe/Berlin, UTC+02:00)`."""
    time_zone: str
    duration_s: float
    duration: str
    variant: str | None
    variant_description: str | None
    injects: tuple[InjectLine, ...]
    decisions: tuple[DecisionLine, ...]
    objectives: tuple[ObjectiveLine, ...]
    variants: tuple[VariantLine, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, with the same fields."""
        return asdict(self)


def overview(scenario: Scenario, variant: str | None) -> Overview:
    """The overview of `scenario` with `variant` applied (as it is, when None).

    Args:
        scenario: The scenario as loaded (its variants not applied).
        variant: One of its variants' ids, or None.

    Raises:
        UnknownVariantError: the scenario has no such variant.
        ScenarioError: the variant does not apply.
    """
    played = apply_variant(scenario, variant)
    names = _names(played)
    described = {v.id: v.description for v in scenario.variants}
    return Overview(
        scenario=scenario.id,
        title=played.title,
        summary=played.summary,
        start=played.clock.start,
        start_text=_start_text(played.clock.start, played.clock.time_zone),
        time_zone=played.clock.time_zone,
        duration_s=played.clock.duration,
        duration=format_duration(played.clock.duration),
        variant=variant,
        variant_description=None if variant is None else described[variant],
        injects=tuple(_inject(inject, played, names) for inject in played.injects),
        decisions=tuple(_decision(decision, played, names) for decision in played.decisions),
        objectives=tuple(_objective(objective, played) for objective in played.objectives),
        # The scenario's own list: a variant is applied to the scenario, not to another variant.
        variants=tuple(VariantLine(v.id, v.description, v.id == variant) for v in scenario.variants),
    )


def _names(scenario: Scenario) -> dict[str, str]:
    """Names for ids, as `describe_action` shows them: facts by their description, sites and stakeholders by name."""
    names = {fact.id: fact.description for fact in scenario.facts}
    names.update((site.id, site.name) for site in scenario.sites)
    names.update((stakeholder.id, stakeholder.name) for stakeholder in scenario.stakeholders)
    return names


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""In English whatever the locale (`%A` and `%B` follow it)."""


def _start_text(start: str, time_zone: str) -> str:
    local = wall_time(start, time_zone, 0.0)
    offset = local.strftime("%z")  # digits and a sign, in every locale
    day, month = _DAYS[local.weekday()], _MONTHS[local.month - 1]
    return f"{day} {local.day} {month} {local.year}, {local:%H:%M:%S} ({time_zone}, UTC{offset[:3]}:{offset[3:]})"


def _is_zero(delay: Delay) -> bool:
    return isinstance(delay, int | float) and delay == 0


def _after(delay: str | None, event: str) -> str:
    """`after EVENT`, `15m after EVENT`, `1m to 4m, most often 2m, after EVENT`."""
    if delay is None:
        return f"after {event}"
    return f"{delay}, after {event}" if "," in delay else f"{delay} after {event}"


def _event_text(trigger: Trigger, scenario: Scenario, names: dict[str, str]) -> str:
    """`trigger_text`, with whom a fact is learned by when the trigger says (an inject's trigger may)."""
    text = trigger_text(trigger, scenario, whose="any")
    if trigger.stakeholder is not None and trigger.event in ("fact_learned", "fact_corrected"):
        text += f" (at {names.get(trigger.stakeholder, trigger.stakeholder)})"
    return text


def _inject(inject: Inject, scenario: Scenario, names: dict[str, str]) -> InjectLine:
    trigger = None if inject.trigger is None else _event_text(inject.trigger, scenario, names)
    after = None if trigger is None or _is_zero(inject.after) else delay_text(inject.after)
    if inject.at is not None:
        when = format_time(inject.at) + (" (contingency)" if inject.contingency else "")
    elif trigger is not None:
        when = _after(after, trigger)
        when += " (contingency)" if inject.contingency else ""
    else:
        when = "contingency"
    clock = None if inject.at is None else wall_clock(scenario.clock.start, scenario.clock.time_zone, inject.at)
    fact_text = None if inject.fact is None else names.get(inject.fact, inject.fact)
    return InjectLine(
        id=inject.id,
        when=when,
        at_s=inject.at,
        clock=clock,
        trigger=trigger,
        after=after,
        contingency=inject.contingency,
        to=inject.to,
        to_name=names.get(inject.to, inject.to),
        originator=inject.from_,
        inject_type=inject.inject_type,
        delivery_method=inject.delivery_method,
        text=inject.text,
        fact=inject.fact,
        fact_text=fact_text,
        objective=inject.objective,
    )


def _requests(decision: Decision, scenario: Scenario, names: dict[str, str]) -> list[str]:
    """Who asks for the decision by a rule (`request_decision`), in words, in the file's order."""
    found = []
    for stakeholder in scenario.stakeholders:
        for rule in stakeholder.playbook:
            for action in rule.do:
                if isinstance(action, RequestDecision) and action.decision == decision.id:
                    delay = None if _is_zero(action.after) else delay_text(action.after)
                    event = _after(delay, _event_text(rule.on, scenario, names))
                    found.append(f"when {stakeholder.name} asks for it (rule {rule.id}), {event}")
    for other in scenario.decisions:
        for option in other.options:
            for action in option.consequences:
                if isinstance(action, RequestDecision) and action.decision == decision.id:
                    found.append(f"when '{one_line(other.prompt)}' ({other.id}) is answered '{option.label}'")
    return found


def _decision(decision: Decision, scenario: Scenario, names: dict[str, str]) -> DecisionLine:
    if decision.trigger is not None:
        opens = f"after {_event_text(decision.trigger, scenario, names)}"
    else:
        opens = "; or ".join(_requests(decision, scenario, names)) or "never: no rule asks for it"
    options = tuple(
        OptionLine(
            id=option.id,
            label=option.label,
            description=option.description,
            does=tuple(describe_action(action, names) for action in option.consequences),
            default=option.id == decision.default,
        )
        for option in decision.options
    )
    return DecisionLine(
        id=decision.id,
        prompt=decision.prompt,
        stakeholder=decision.stakeholder,
        stakeholder_name=names.get(decision.stakeholder, decision.stakeholder),
        role=decision.role,
        opens=opens,
        deadline_s=decision.deadline,
        deadline=format_duration(decision.deadline),
        default=decision.default,
        options=options,
    )


def _objective(objective: Objective, scenario: Scenario) -> ObjectiveLine:
    milestones = {m.id: m.name for m in scenario.milestones}
    limits = objective.thresholds
    return ObjectiveLine(
        id=objective.id,
        name=objective.name,
        core_capability=objective.core_capability,
        since=objective.since,
        since_name=T0 if objective.since is None else milestones.get(objective.since, objective.since),
        until=objective.until,
        until_name=milestones.get(objective.until, objective.until),
        performed_s=None if limits is None else limits.performed,
        some_challenges_s=None if limits is None else limits.some_challenges,
        major_challenges_s=None if limits is None else limits.major_challenges,
        before=objective.before,
        before_name=None if objective.before is None else milestones.get(objective.before, objective.before),
        not_applicable_unless=tuple(objective.not_applicable_unless),
        measured=thresholds_text(objective, milestones),
    )
