"""The exercise layer: facts, injects, decision points, milestones and objectives."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from scenarios._base import Duration, FieldError, Id, StrictModel, format_duration
from scenarios.distributions import Delay
from scenarios.playbook import Action, Trigger

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")


class Fact(StrictModel):
    """Something a stakeholder can know: what messages carry."""

    id: Id
    """The fact's id."""
    description: str
    """What the fact says, as participants would read it."""
    false_report: bool = False
    """Whether it is a rumour or a false report (stakeholders believe it all the same)."""
    corrects: list[Id] = []
    """Facts this one corrects: a stakeholder that learns it no longer acts on them, and disregards them if told
    them again (`one attacker, one location confirmed` corrects `six shooting locations`)."""


class Inject(StrictModel):
    """A row of the MSEL: an event delivered to a stakeholder at a time or on a trigger."""

    id: Id
    """The inject's id (the MSEL number)."""
    at: Duration | None = None
    """When to deliver it, after T0."""
    trigger: Trigger | None = None
    """Or: deliver it when this event happens."""
    after: Delay = 0.0
    """With a trigger: how long after the event."""
    to: Id
    """The stakeholder (player) who receives it."""
    from_: str | None = Field(default=None, alias="from")
    """The simulated originator (a caller, a journalist, a control cell)."""
    text: str
    """What the participants read or hear."""
    fact: Id | None = None
    """The fact the receiver learns from it."""
    inject_type: Literal["informational", "event", "media", "contingency"] = "event"
    """The MSEL inject type."""
    delivery_method: Literal["verbal", "phone", "email", "radio", "message", "handout", "video", "other"] = "verbal"
    """How the controller delivers it."""
    expected_action: str | None = None
    """What the players are expected to do."""
    objective: Id | None = None
    """The exercise objective it serves."""
    core_capability: str | None = None
    """The core capability it tests."""
    critical_task: str | None = None
    """The critical task it tests."""
    controller: str | None = None
    """The controller responsible for delivering it."""
    move: str | None = None
    """The move, module or phase of the exercise."""
    contingency: bool = False
    """A contingency inject is only delivered when a facilitator fires it (or on its trigger)."""
    notes: str | None = None
    """Notes for evaluators and controllers."""
    source: str | None = None
    """Where its time comes from (for reconstructions of real incidents)."""

    @model_validator(mode="after")
    def _timed_once(self) -> Inject:
        if self.at is not None and self.trigger is not None:
            raise FieldError("give either at or trigger, not both", field="trigger")
        if self.at is None and self.trigger is None and not self.contingency:
            raise ValueError("give at (a time) or trigger (an event), or mark it contingency: true")
        return self


class Option(StrictModel):
    """One answer to a decision point and what follows from it."""

    id: Id
    """The option's id."""
    label: str
    """The option as the participant reads it."""
    description: str | None = None
    """What choosing it means."""
    consequences: list[Action] = []
    """What happens when it is chosen."""


class Decision(StrictModel):
    """A question put to a role, with options, a deadline and a default."""

    id: Id
    """The decision point's id."""
    stakeholder: Id
    """The organisation that decides."""
    role: str
    """Who in that organisation decides (the participant's seat)."""
    prompt: str
    """The question."""
    trigger: Trigger | None = None
    """The event that opens it; when omitted, a rule's request_decision opens it."""
    deadline: Duration
    """Time to answer once it is open."""
    default: Id
    """The option applied when nobody answers before the deadline (and in batch runs)."""
    options: list[Option] = Field(min_length=2)
    """The options."""

    @model_validator(mode="after")
    def _default_is_an_option(self) -> Decision:
        ids = [option.id for option in self.options]
        if self.default not in ids:
            raise FieldError(f"default {self.default!r} is not one of the options ({', '.join(ids)})", field="default")
        if len(set(ids)) != len(ids):
            raise FieldError("two options share an id", field="options")
        return self


class Reference(StrictModel):
    """A published time for a milestone, used to check a reconstruction."""

    time: str
    """Local clock time, `HH:MM` or `HH:MM:SS`."""
    source: str
    """Where the time was published."""
    confidence: Literal["high", "medium", "low"] = "medium"
    """How far the sources agree."""

    @field_validator("time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError(f"{value!r} is not a clock time: write HH:MM or HH:MM:SS")
        return value


class Milestone(StrictModel):
    """A named first occurrence, recorded with its time."""

    id: Id
    """The milestone's id."""
    name: str
    """Its name in reports."""
    when: Trigger | None = None
    """The event whose first occurrence it marks."""
    all_of: list[Id] = []
    """Or: reached when these milestones are (or `at_least` of them)."""
    at_least: int | None = Field(default=None, ge=1)
    """With all_of: how many of them are enough."""
    reference: Reference | None = None
    """A published time to compare with (reconstructions)."""

    @model_validator(mode="after")
    def _one_definition(self) -> Milestone:
        if (self.when is None) == (not self.all_of):
            raise FieldError(
                "give either when (an event) or all_of (milestones)", field="all_of" if self.all_of else None
            )
        if self.at_least is not None and self.at_least > len(self.all_of):
            raise FieldError(
                f"at_least is {self.at_least} but all_of lists {len(self.all_of)} milestones", field="at_least"
            )
        return self


class Thresholds(StrictModel):
    """Time limits for the HSEEP ratings; longer than major_challenges (or never) rates U."""

    performed: Duration
    """Up to this: P, performed without challenges."""
    some_challenges: Duration
    """Up to this: S, performed with some challenges."""
    major_challenges: Duration
    """Up to this: M, performed with major challenges."""

    @model_validator(mode="after")
    def _ascending(self) -> Thresholds:
        if not self.performed <= self.some_challenges <= self.major_challenges:
            shown = ", ".join(
                format_duration(limit) for limit in (self.performed, self.some_challenges, self.major_challenges)
            )
            raise FieldError(
                f"expected performed <= some_challenges <= major_challenges, got {shown}",
                field="some_challenges" if self.performed > self.some_challenges else "major_challenges",
            )
        return self


class Objective(StrictModel):
    """A capability target over milestones, rated P/S/M/U (or N/A) at the end of a run."""

    id: Id
    """The objective's id."""
    name: str
    """The objective as written in the exercise plan."""
    core_capability: str
    """The core capability it evaluates."""
    since: Id | None = None
    """The milestone the clock starts at; T0 when omitted."""
    until: Id
    """The milestone that must be reached."""
    before: Id | None = None
    """A milestone `until` must come before (the school warned before the attacker gets there): P when it does, or
    when `before` is never reached while `until` is; U when `before` comes first. With thresholds, both must hold."""
    thresholds: Thresholds | None = None
    """Time limits for each rating (from `since` to `until`); required unless `before` is given."""
    not_applicable_unless: list[Id] = []
    """Milestones without which the objective does not apply: when one of them was never reached and the objective
    was not met, it is rated N/A instead of U (no attacker reached the second site, so no second lockdown)."""

    @model_validator(mode="after")
    def _measured_somehow(self) -> Objective:
        if self.thresholds is None and self.before is None:
            raise FieldError(
                "give thresholds, or before (a milestone until must come first)",
                hint="thresholds: {performed: 5m, some_challenges: 10m, major_challenges: 20m}",
            )
        if self.before is not None and self.before == self.until:
            raise FieldError("before names the until milestone itself", field="before")
        return self
