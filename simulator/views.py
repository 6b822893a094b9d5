"""Read models of a live run for consoles: frozen, JSON-ready (`to_dict`), one per panel, filtered by seat.

Every view is computed here, once, so that the CLI, the Textual console and a socket client all show the same
thing and no rule lives in a user interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from scenarios.exercise import Decision
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
)
from simulator.seats import Seat, is_participant

if TYPE_CHECKING:
    from simulator._world import World
    from simulator.commands import Speed
    from simulator.exercise import Exercise


class _View:
    """JSON-ready views."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The view as plain JSON data."""
        data = _plain(self)
        assert isinstance(data, dict)
        return data


def _plain(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def wall_time(start: str, time_zone: str, t: float) -> datetime:
    """The local wall-clock time at simulation time `t`, daylight saving included.

    `start` is the local time of T0 in `time_zone`; the time is added in UTC, so a run across a change of the
    clocks shows the local time people read then.
    """
    zone = ZoneInfo(time_zone)
    t0 = datetime.fromisoformat(start).replace(tzinfo=zone).astimezone(UTC)
    return (t0 + timedelta(seconds=t)).astimezone(zone)


@dataclass(frozen=True, slots=True)
class ClockView(_View):
    """The exercise clock."""

    now: float
    """Simulation seconds from T0."""
    end: float
    """When the run ends."""
    next_event_t: float | None
    """When the next event happens (None: nothing left before the end)."""
    step: int
    """Events processed so far."""
    wall_clock: str
    """Local time now, `HH:MM:SS`."""
    utc_offset: str
    """The local time's offset from UTC, `+01:00` (it changes with daylight saving)."""
    time_zone: str
    """The scenario's time zone."""
    paused: bool
    """Whether the live clock stands still."""
    speed: Speed
    """How fast it runs when it runs."""
    finished: bool
    """Whether the run has ended."""


def clock_view(exercise: Exercise, seat: Seat, *, paused: bool, speed: Speed, finished: bool) -> ClockView:
    """The clock of `exercise` now, with the local wall time in the scenario's time zone (a live host's or a replay's).

    A participant's seat is not told when the next event is due: that would give away when the threat moves or what
    is under way ends.
    """
    clock = exercise.scenario.clock
    local = wall_time(clock.start, clock.time_zone, exercise.now)
    offset = local.strftime("%z")
    upcoming = None if is_participant(seat) else exercise.next_event_t()
    return ClockView(
        round(exercise.now, 3),
        exercise.end_t,
        None if upcoming is None else round(upcoming, 3),
        exercise.step,
        local.strftime("%H:%M:%S"),
        f"{offset[:3]}:{offset[3:]}",
        clock.time_zone,
        paused,
        speed,
        finished,
    )


def describe_action(action: Action, names: Mapping[str, str] | None = None) -> str:
    """What an action does, in words (for a decision's options), with names for ids when `names` has them."""
    n = (lambda key: key) if names is None else (lambda key: names.get(key, key))
    match action:
        case Notify():
            via = f" via {action.via}" if action.via else ""
            text = f"tell {n(action.to)} “{n(action.fact)}”{via}"
        case Dispatch():
            who = f" of {n(action.stakeholder)}" if action.stakeholder else ""
            where = "after the threat" if action.site is None else f"to {n(action.site)}"
            staged = " (staged until cleared)" if action.stage is not None else ""
            text = f"send {action.units} unit(s){who} {where}{staged}"
        case Recall():
            who = f" of {n(action.stakeholder)}" if action.stakeholder else ""
            text = f"recall the units{who} from {n(action.site)}"
        case Redirect():
            who = f" of {n(action.stakeholder)}" if action.stakeholder else ""
            text = f"redirect the units{who} from {n(action.from_)} to {n(action.to)}"
        case LockDown():
            text = f"lock down {n(action.site)}"
        case Evacuate():
            text = f"evacuate {n(action.site)}"
        case Escalate():
            text = f"declare “{n(action.fact)}”"
        case RequestDecision():
            text = f"ask for decision {action.decision}"
        case Surge():
            whose = f" of {n(action.stakeholder)}" if action.stakeholder else ""
            text = f"other work{whose} surges {action.factor:g}-fold for {_minutes(action.for_)}"
    return _after(action.after) + text


def _after(after: object) -> str:
    """`after 15m, ` for a fixed delay, `after a delay, ` for a drawn one, nothing for none."""
    if isinstance(after, int | float):
        if after <= 0:
            return ""
        return f"after {_minutes(after)}, "
    return "after a delay, "


def _minutes(seconds: float) -> str:
    """`15m` for whole minutes, else `90s`."""
    return f"{seconds / 60:g}m" if seconds % 60 == 0 else f"{seconds:g}s"


def scenario_names(world: World) -> dict[str, str]:
    """The names of the stakeholders and sites, and the descriptions of the facts, by id."""
    names = {f_id: fact.description for f_id, fact in world.facts.items()}
    names.update((site.id, site.name) for site in world.scenario.sites)
    names.update((sh_id, sh.name) for sh_id, sh in world.stakeholders.items())
    return names


@dataclass(frozen=True, slots=True)
class OptionView(_View):
    """One option of a decision, and what it does."""

    id: str
    label: str
    description: str | None
    consequences: tuple[str, ...]
    """Each consequence in words, with names (`lock down Synagogue, Humboldtstrasse`), in order."""


@dataclass(frozen=True, slots=True)
class PendingDecision(_View):
    """A decision point waiting for its role."""

    decision: str
    stakeholder: str
    role: str
    prompt: str
    options: tuple[OptionView, ...]
    default: str
    """The option taken at the deadline if nobody decides."""
    opened_t: float
    deadline_t: float
    """Simulation time at which the default is taken."""
    time_left_s: float
    """Seconds of simulation time left before the deadline."""


def option_views(decision: Decision, names: Mapping[str, str]) -> tuple[OptionView, ...]:
    """A decision's options, each with what it does in words (`names` give the names for ids)."""
    return tuple(
        OptionView(o.id, o.label, o.description, tuple(describe_action(a, names) for a in o.consequences))
        for o in decision.options
    )


def pending_decisions(world: World, seat: Seat | None = None) -> list[PendingDecision]:
    """Decisions open now, oldest first; a participant's seat sees only its own."""
    out = []
    now = float(world.env.now)
    names: dict[str, str] | None = None  # made only when a decision is open: consoles ask at every tick
    for decision_id, state in world.decisions.state.items():
        if state.status != "open" or state.opened_t is None or state.due_t is None:
            continue
        d = world.decisions.decisions[decision_id]
        if seat is not None and is_participant(seat) and d.stakeholder != seat:
            continue
        if names is None:
            names = scenario_names(world)
        out.append(
            PendingDecision(
                d.id,
                d.stakeholder,
                d.role,
                d.prompt,
                option_views(d, names),
                d.default,
                round(state.opened_t, 3),
                round(state.due_t, 3),
                round(max(state.due_t - now, 0.0), 3),
            )
        )
    out.sort(key=lambda p: p.opened_t)
    return out


@dataclass(frozen=True, slots=True)
class InjectView(_View):
    """One row of the MSEL, with what the facilitator can do with it now."""

    id: str
    status: str
    """pending, held, delivered or skipped."""
    due_t: float | None
    """When it falls due (None: a contingency inject, or a trigger that has not happened)."""
    delivered_t: float | None
    to: str
    text: str
    fact: str | None
    inject_type: str
    delivery_method: str
    expected_action: str | None
    objective: str | None
    core_capability: str | None
    contingency: bool
    can_fire: bool
    can_hold: bool
    can_release: bool
    can_delay: bool
    can_skip: bool


def msel(world: World) -> list[InjectView]:
    """Every inject (ad-hoc ones included) with its status, ordered by due time (undated ones last)."""
    rows = []
    for inject_id, inject in world.msel.injects.items():
        state = world.msel.state[inject_id]
        status = state.status
        open_ = status in ("pending", "held")
        rows.append(
            InjectView(
                inject_id,
                status,
                None if state.due is None else round(state.due, 3),
                None if state.delivered_t is None else round(state.delivered_t, 3),
                inject.to,
                inject.text,
                inject.fact,
                inject.inject_type,
                inject.delivery_method,
                inject.expected_action,
                inject.objective,
                inject.core_capability,
                inject.contingency,
                can_fire=open_,
                can_hold=status == "pending",
                can_release=status == "held",
                can_delay=open_ and state.due is not None,
                can_skip=open_,
            )
        )
    order = {inject_id: index for index, inject_id in enumerate(world.msel.injects)}
    rows.sort(key=lambda r: (r.due_t is None, r.due_t if r.due_t is not None else 0.0, order[r.id]))
    return rows


@dataclass(frozen=True, slots=True)
class FactHeld(_View):
    """One fact a stakeholder holds."""

    fact: str
    description: str
    t: float
    """When it learned it."""
    source: str
    """From whom or what: a stakeholder id, `inject:ID`, `observation:PHASE`, `self`."""
    true: bool | None
    """False for rumours and false reports; None for a participant's seat, which cannot tell."""
    corrected_t: float | None = None
    """When a fact correcting it reached the organisation (None: not corrected); it no longer acts on it."""
    corrected_by: str | None = None
    """The fact that corrected it (the organisation knows it was corrected, and by what)."""


@dataclass(frozen=True, slots=True)
class StakeholderView(_View):
    """One organisation of the network."""

    id: str
    name: str
    kind: str
    units: int
    busy: int | None
    """Units taken now (by the scenario's work or by background work); None: not known to this seat."""
    waiting: int | None
    """Requests waiting for a unit (calls on hold, dispatches not yet manned); None: not known to this seat."""
    facts: tuple[FactHeld, ...]
    """What it knows, in the order it learned it (empty for the other organisations of a participant's seat)."""


@dataclass(frozen=True, slots=True)
class ChannelView(_View):
    """One channel between two organisations."""

    id: str
    sender: str
    receiver: str
    medium: str
    enabled: bool
    capacity: int | None
    busy: int
    """Lines in use now (0 for a channel without a capacity)."""
    waiting: int
    """Messages waiting for a free line."""


@dataclass(frozen=True, slots=True)
class NetworkView(_View):
    """The stakeholder network as the seat may see it."""

    stakeholders: tuple[StakeholderView, ...]
    channels: tuple[ChannelView, ...]


def facts_held(world: World, stakeholder: str, participant: bool) -> tuple[FactHeld, ...]:
    """What `stakeholder` knows, in the order it learned it; as its participant sees it, if `participant`.

    A participant is not told whether a report is true, nor which threat phase an observation was made in; a fact
    since corrected is still listed, with when and by what fact it was corrected (the participant knows that too).
    """
    return tuple(
        FactHeld(
            a.fact,
            world.facts[a.fact].description if a.fact in world.facts else a.fact,
            round(float(a.t), 3),
            "observation" if participant and a.source.startswith("observation:") else a.source,
            None if participant else a.true,
            None if a.corrected_t is None else round(float(a.corrected_t), 3),
            a.corrected_by,
        )
        for a in sorted(world.known[stakeholder].values(), key=lambda a: a.t)
    )


def network(world: World, seat: Seat | None = None) -> NetworkView:
    """Each organisation with its units and what it knows, and each channel with its load.

    A participant's seat sees every organisation (the exercise's organisation chart is no secret) but only its own
    organisation's units and facts (None and nothing for the others), not whether a fact is true, and only the
    channels to and from it.
    """
    participant = seat is not None and is_participant(seat)
    people = []
    for sh_id in sorted(world.stakeholders):
        sh = world.stakeholders[sh_id]
        own = not participant or sh_id == seat
        pool = world.units[sh_id]
        people.append(
            StakeholderView(
                sh_id,
                sh.name,
                sh.kind,
                sh.units,
                pool.in_use if own else None,
                len(pool.waiting) if own else None,
                facts_held(world, sh_id, participant) if own else (),
            )
        )
    channels = []
    for ch_id in sorted(world.channels):
        channel = world.channels[ch_id]
        if participant and seat not in (channel.from_, channel.to):
            continue
        line = world.line.get(ch_id)
        channels.append(
            ChannelView(
                ch_id,
                channel.from_,
                channel.to,
                channel.medium,
                channel.enabled,
                channel.capacity,
                0 if line is None else line.in_use,
                0 if line is None else len(line.waiting),
            )
        )
    return NetworkView(tuple(people), tuple(channels))


@dataclass(frozen=True, slots=True)
class ReceivedInject(_View):
    """An inject as its receiver reads it."""

    id: str
    t: float
    """When it was delivered."""
    to: str
    sender: str | None
    """Who it comes from, as the MSEL says (`from`), if anyone."""
    text: str
    delivery_method: str
    inject_type: str


def inbox(world: World, stakeholder: str | None = None) -> list[ReceivedInject]:
    """The injects delivered so far (to `stakeholder` only, if given), oldest first."""
    rows = []
    for inject_id, inject in world.msel.injects.items():
        state = world.msel.state[inject_id]
        if state.delivered_t is None or (stakeholder is not None and inject.to != stakeholder):
            continue
        rows.append(
            ReceivedInject(
                inject_id,
                round(state.delivered_t, 3),
                inject.to,
                inject.from_,
                inject.text,
                inject.delivery_method,
                inject.inject_type,
            )
        )
    rows.sort(key=lambda r: r.t)
    return rows


@dataclass(frozen=True, slots=True)
class Named(_View):
    """Something a form offers: its id and what people call it."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class DecisionChoices(_View):
    """A decision and its options, for a form (`preset_decision`), whether it is open or not."""

    id: str
    stakeholder: str
    prompt: str
    options: tuple[Named, ...]


@dataclass(frozen=True, slots=True)
class Catalogue(_View):
    """What the scenario names, for the consoles' forms and for showing names instead of ids."""

    stakeholders: tuple[Named, ...]
    sites: tuple[Named, ...]
    facts: tuple[Named, ...]
    """Each fact with its description: the scenario's, then those ad-hoc injects brought, in the order they came."""
    objectives: tuple[Named, ...]
    core_capabilities: tuple[str, ...]
    """The core capabilities the scenario's objectives and injects name, sorted."""
    decisions: tuple[DecisionChoices, ...]
    names: dict[str, str]
    """The name of each stakeholder, site, fact (its description), objective, decision (its prompt; a participant's
    own only) and (for control seats) milestone by id,
    for `simulator.records.sentence(record, names)` (other ids are shown as they are)."""


def catalogue(world: World, participant: Seat | None = None) -> Catalogue:
    """The run's names (facts that ad-hoc injects brought included); a participant's seat gets only its own decisions
    and no milestone names."""
    s = world.scenario
    decisions = tuple(
        DecisionChoices(d.id, d.stakeholder, d.prompt, tuple(Named(o.id, o.label) for o in d.options))
        for d in s.decisions
        if participant is None or d.stakeholder == participant
    )
    capabilities = {o.core_capability for o in s.objectives} | {
        i.core_capability for i in s.injects if i.core_capability is not None
    }
    names: dict[str, str] = {}
    if participant is None:  # the milestones are the evaluation's, not the players'
        names.update((m.id, m.name) for m in s.milestones)
    names.update((o.id, o.name) for o in s.objectives)
    # After the objectives: a decision may share an objective's id, and records name decisions far more often.
    names.update((d.id, d.prompt) for d in s.decisions if participant is None or d.stakeholder == participant)
    names.update(scenario_names(world))
    return Catalogue(
        tuple(Named(sh.id, sh.name) for sh in s.stakeholders),
        tuple(Named(site.id, site.name) for site in s.sites),
        tuple(Named(f.id, f.description) for f in world.facts.values()),
        tuple(Named(o.id, o.name) for o in s.objectives),
        tuple(sorted(capabilities)),
        decisions,
        dict(sorted(names.items())),
    )
