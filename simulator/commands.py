"""The command language: one class per command, each carrying the seat that issued it, parsed strictly from JSON.

A command is checked against the run (`check`), then logged and applied (`apply`) by `Exercise.apply`. As plain
data (`to_dict`, `parse_command`) it is what a console sends and what the run log keeps, so a socket can carry it
unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, TypeGuard, TypeVar, get_args

from scenarios import Inject, Scenario, validate_model
from scenarios.exercise import Fact
from simulator._decisions import check_choice as _check_choice
from simulator.errors import CommandError
from simulator.runlog import canonical_json
from simulator.seats import FACILITATOR, Seat, check_seat, is_participant

if TYPE_CHECKING:
    from simulator._world import World

Speed = Literal["1x", "10x", "60x", "max"]
"""How fast the live clock runs: simulation seconds per wall-clock second, or as fast as possible."""
SPEEDS: Final[tuple[Speed, ...]] = get_args(Speed)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Command:
    """What every command has: its name (a class constant) and the seat that issued it."""

    name: ClassVar[str]
    who: ClassVar[Literal["facilitator", "control", "decider"]] = "facilitator"
    """Which seats may issue it: the facilitator; the facilitator or an evaluator; or the decision's owner too."""
    seat: Seat = FACILITATOR

    def to_dict(self) -> dict[str, Any]:
        """The command as JSON data, as the run log keeps it."""
        data: dict[str, Any] = {"command": self.name}
        data.update((f.name, getattr(self, f.name)) for f in fields(self))
        return data

    def check(self, world: World) -> None:
        """Raise CommandError unless the command fits the run's state now."""

    def apply(self, world: World) -> None:
        """Apply the command (already checked and logged)."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True, kw_only=True)
class FireInject(_Command):
    """Deliver an inject now (early, or a contingency inject)."""

    name: ClassVar[str] = "fire_inject"
    inject: str

    def check(self, world: World) -> None:
        world.msel.check_fire(self.inject)

    def apply(self, world: World) -> None:
        world.msel.fire(self.inject)


@dataclass(frozen=True, slots=True, kw_only=True)
class HoldInject(_Command):
    """Hold a pending inject: it is withheld when due, until released."""

    name: ClassVar[str] = "hold_inject"
    inject: str

    def check(self, world: World) -> None:
        world.msel.check_hold(self.inject)

    def apply(self, world: World) -> None:
        world.msel.hold(self.inject)


@dataclass(frozen=True, slots=True, kw_only=True)
class ReleaseInject(_Command):
    """Release a held inject: delivered now if it is overdue, else when due."""

    name: ClassVar[str] = "release_inject"
    inject: str

    def check(self, world: World) -> None:
        world.msel.check_release(self.inject)

    def apply(self, world: World) -> None:
        world.msel.release(self.inject)


@dataclass(frozen=True, slots=True, kw_only=True)
class DelayInject(_Command):
    """Push an inject's delivery back by `by_s` seconds."""

    name: ClassVar[str] = "delay_inject"
    inject: str
    by_s: float

    def check(self, world: World) -> None:
        world.msel.check_delay(self.inject)

    def apply(self, world: World) -> None:
        world.msel.delay(self.inject, float(self.by_s))


@dataclass(frozen=True, slots=True, kw_only=True)
class SkipInject(_Command):
    """Never deliver this inject."""

    name: ClassVar[str] = "skip_inject"
    inject: str

    def check(self, world: World) -> None:
        world.msel.check_skip(self.inject)

    def apply(self, world: World) -> None:
        world.msel.skip(self.inject)


ADHOC_KEYS: Final = frozenset(
    {
        "to",
        "text",
        "fact",
        "from",
        "inject_type",
        "delivery_method",
        "expected_action",
        "objective",
        "core_capability",
        "critical_task",
        "controller",
        "move",
        "notes",
        "source",
        "fact_description",
        "false_report",
    }
)
"""The keys of `add_inject`: the MSEL fields an ad-hoc inject may have (it is delivered now, so it has no time,
trigger or delay), and `NEW_FACT_KEYS`."""
NEW_FACT_KEYS: Final = frozenset({"fact_description", "false_report"})
"""The keys of `add_inject` that bring a fact the scenario does not have: what it says, and whether it is false."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AddInject(_Command):
    """Write a new inject and deliver it now; it is checked by the scenario language's own `Inject` model.

    Its fact may be one the scenario does not have: `fact_description` then says what it says, and `false_report`
    whether it is a rumour; it is a fact of the run from then on (a second inject names it without them).
    """

    name: ClassVar[str] = "add_inject"
    inject: Inject
    """The inject (its id is given when it is added: `adhoc-1`, `adhoc-2`...)."""
    fact_description: str | None = None
    """What the inject's fact says, when the run does not have that fact yet."""
    false_report: bool = False
    """Whether that new fact is a rumour or a false report (the receiver believes it all the same)."""

    @property
    def new_fact(self) -> Fact | None:
        """The fact this inject brings into the run, if it describes one."""
        if self.inject.fact is None or self.fact_description is None:
            return None
        return Fact(id=self.inject.fact, description=self.fact_description, false_report=self.false_report)

    def to_dict(self) -> dict[str, Any]:
        written = self.inject.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        data = {"command": self.name, "seat": self.seat, **{k: v for k, v in written.items() if k in ADHOC_KEYS}}
        if self.fact_description is not None:
            data["fact_description"] = self.fact_description
        if self.fact_description is not None or self.false_report:
            data["false_report"] = self.false_report
        return data

    def check(self, world: World) -> None:
        inject = self.inject
        if inject.to not in world.stakeholders:
            hint = f"stakeholders: {', '.join(sorted(world.stakeholders))}"
            raise CommandError(f"no stakeholder {inject.to!r}", hint)
        if not inject.text.strip():
            raise CommandError("an inject needs a text")
        if inject.fact is not None:
            _check_fact(self, inject.fact, world)
        objectives = sorted(o.id for o in world.scenario.objectives)
        if inject.objective is not None and inject.objective not in objectives:
            raise CommandError(f"no objective {inject.objective!r}", f"objectives: {', '.join(objectives) or 'none'}")

    def apply(self, world: World) -> None:
        fact = self.new_fact
        if fact is not None:
            world.facts[fact.id] = fact  # before delivery: the receiver learns it as true or false
        world.msel.add(self.inject)


def _check_fact(command: AddInject, fact: str, world: World) -> None:
    """Raise CommandError unless an ad-hoc inject names `fact` fittingly: described if and only if it is new."""
    described = command.fact_description is not None
    if fact in world.facts:
        if described or command.false_report:
            raise CommandError(
                f"add_inject: fact {fact!r} exists already: its description and truth are set",
                "leave out fact_description and false_report, or give the new fact another id",
            )
    elif command.false_report and not described:
        raise CommandError(
            f"add_inject: fact {fact!r} is new: give fact_description (what it says), not only false_report",
            "e.g. fact_description: 'A second gunman is reported at the school'",
        )
    elif not described:
        close = get_close_matches(fact, sorted(world.facts), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"facts: {', '.join(sorted(world.facts)) or 'none'}"
        raise CommandError(
            f"add_inject: fact {fact!r} is new: give fact_description (what it says) and, for a rumour, "
            "false_report: true",
            hint,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Decide(_Command):
    """Take an open decision: the facilitator, or the participant playing the decision's stakeholder."""

    name: ClassVar[str] = "decide"
    who: ClassVar[Literal["facilitator", "control", "decider"]] = "decider"
    decision: str
    option: str

    def check(self, world: World) -> None:
        world.decisions.check_decide(self.decision, self.option)

    def apply(self, world: World) -> None:
        world.decisions.take(self.decision, self.option, by=self.seat)


@dataclass(frozen=True, slots=True, kw_only=True)
class PresetDecision(_Command):
    """Choose an option in advance: taken as soon as the decision opens (now, if it is open)."""

    name: ClassVar[str] = "preset_decision"
    decision: str
    option: str

    def check(self, world: World) -> None:
        world.decisions.check_preset(self.decision, self.option)

    def apply(self, world: World) -> None:
        world.decisions.preset(self.decision, self.option)


@dataclass(frozen=True, slots=True, kw_only=True)
class Pause(_Command):
    """Pause the exercise's clock (for discussion); the note says why."""

    name: ClassVar[str] = "pause"
    note: str = ""

    def apply(self, world: World) -> None:
        world.record("PauseMarked", note=self.note)


@dataclass(frozen=True, slots=True, kw_only=True)
class Resume(_Command):
    """Let the exercise's clock run again."""

    name: ClassVar[str] = "resume"

    def apply(self, world: World) -> None:
        world.record("ClockResumed")


@dataclass(frozen=True, slots=True, kw_only=True)
class SetSpeed(_Command):
    """Run the live clock at another speed."""

    name: ClassVar[str] = "set_speed"
    speed: Speed

    def apply(self, world: World) -> None:
        world.record("SpeedChanged", speed=self.speed)


@dataclass(frozen=True, slots=True, kw_only=True)
class Observe(_Command):
    """An evaluator's note of what they saw, tied to an objective or a core capability (HSEEP evaluation)."""

    name: ClassVar[str] = "observe"
    who: ClassVar[Literal["facilitator", "control", "decider"]] = "control"
    text: str
    objective: str | None = None
    core_capability: str | None = None

    def check(self, world: World) -> None:
        if not self.text.strip():
            raise CommandError("an observation needs a text", "write what you saw")
        objectives = sorted(o.id for o in world.scenario.objectives)
        if self.objective is not None and self.objective not in objectives:
            close = get_close_matches(self.objective, objectives, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"objectives: {', '.join(objectives) or 'none'}"
            raise CommandError(f"no objective {self.objective!r}", hint)

    def apply(self, world: World) -> None:
        world.record(
            "ObservationNoted",
            seat=self.seat,
            text=self.text,
            objective=self.objective,
            core_capability=self.core_capability,
        )


Command = (
    FireInject
    | HoldInject
    | ReleaseInject
    | DelayInject
    | SkipInject
    | AddInject
    | Decide
    | PresetDecision
    | Pause
    | Resume
    | SetSpeed
    | Observe
)
"""Any command."""
CommandData = Mapping[str, Any]
"""A command as JSON data: `{"command": "fire_inject", "seat": "facilitator", "inject": "inj-04"}`."""

_CLASSES: Final[tuple[type[Command], ...]] = get_args(Command)
COMMANDS: Final = tuple(cls.name for cls in _CLASSES)
"""Every command's name, as written in JSON (`{"command": "fire_inject", ...}`)."""
_BY_NAME: Final[dict[str, type[Command]]] = {cls.name: cls for cls in _CLASSES}

MAX_COMMAND_BYTES: Final = 64 * 1024
"""The most one command may weigh as JSON: its text is logged twice (the command, and its effect) on lines of at most
`MAX_LINE_BYTES`, and no inject, note or observation a person types comes near it."""


def parse_command(data: object) -> Command:
    """A command from its JSON data, strictly: unknown keys, missing keys and wrong types are refused.

    `seat` may be left out: it is then the facilitator's.

    Raises:
        CommandError: what is wrong, naming the command and the key, with a hint.
    """
    if not isinstance(data, Mapping) or not all(isinstance(key, str) for key in data):
        raise CommandError("a command is a mapping of names to values", 'e.g. {"command": "pause", "note": ""}')
    name = data.get("command")
    cls = _BY_NAME.get(name) if isinstance(name, str) else None
    if cls is None:
        close = get_close_matches(str(name), COMMANDS, n=1) if isinstance(name, str) else []
        hint = f"did you mean {close[0]!r}?" if close else f"commands: {', '.join(COMMANDS)}"
        raise CommandError(f"unknown command {name!r}", hint)
    given = {key: value for key, value in data.items() if key != "command"}
    if not isinstance(given.get("seat", FACILITATOR), str):
        raise CommandError(f"{name}: seat: expected text, got {given['seat']!r}")
    command = _add_inject(given) if cls is AddInject else _typed(cls, cls.name, given)
    try:
        size = len(canonical_json(command.to_dict()))
    except (TypeError, ValueError) as exc:
        raise CommandError(f"{name}: the command cannot be written to the run log: {exc}") from None
    if size > MAX_COMMAND_BYTES:
        raise CommandError(
            f"{name}: the command holds {size:,} bytes of text, more than the {MAX_COMMAND_BYTES:,} one command may",
            "shorten the text (an inject, a note or an observation is a few sentences)",
        )
    return command


def is_command(value: object) -> TypeGuard[Command]:
    """Whether `value` is a typed command (not its JSON data)."""
    return isinstance(value, _CLASSES)


def _typed(cls: type[Command], name: str, given: dict[str, Any]) -> Command:
    known = [f.name for f in fields(cls)]
    for key in given:
        if key not in known:
            close = get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"{name} takes: {', '.join(known)}"
            raise CommandError(f"{name}: unknown key {key!r}", hint)
    for key in known:
        if key not in given and _required(cls, key):
            raise CommandError(f"{name}: missing required key {key!r}", f"{name} takes: {', '.join(known)}")
        if key in given:
            _check_value(name, key, given[key])
    return cls(**given)


def _required(cls: type[Command], key: str) -> bool:
    field_ = next(f for f in fields(cls) if f.name == key)
    return field_.default is MISSING and field_.default_factory is MISSING


def _check_value(name: str, key: str, value: object) -> None:
    if key == "by_s":
        # A bool is an int to Python, and NaN or infinity would break the schedule: all are refused.
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
            raise CommandError(f"{name} needs by_s, a number of seconds above 0", f"got {value!r}")
    elif key == "speed":
        if value not in SPEEDS:
            raise CommandError(f"{name}: speed {value!r} is not one of: {', '.join(SPEEDS)}")
    elif key in ("objective", "core_capability"):
        if value is not None and not isinstance(value, str):
            raise CommandError(f"{name}: {key}: expected text or null, got {value!r}")
    elif not isinstance(value, str):
        raise CommandError(f"{name}: {key}: expected text, got {value!r}")


def _add_inject(given: dict[str, Any]) -> AddInject:
    seat = given.pop("seat", FACILITATOR)
    for key in given:
        if key not in ADHOC_KEYS:
            close = get_close_matches(key, sorted(ADHOC_KEYS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"add_inject takes: {', '.join(sorted(ADHOC_KEYS))}"
            if key in ("at", "trigger", "after", "contingency", "id"):
                hint = "an ad-hoc inject is delivered at once and named adhoc-N; write it in the MSEL to schedule it"
            raise CommandError(f"add_inject: unknown key {key!r}", hint)
    try:
        canonical_json(given)  # a NaN would reach the model as null, and an optional field would take it
    except (TypeError, ValueError) as exc:
        raise CommandError(f"add_inject: the command cannot be written to the run log: {exc}") from None
    described = {key: given.pop(key) for key in NEW_FACT_KEYS & set(given)}
    data = {"id": "adhoc", "contingency": True, "inject_type": "contingency", **given}
    inject = _validated(Inject, data, {})
    description = described.get("fact_description")
    false_report = described.get("false_report", False)
    if not isinstance(false_report, bool):
        raise CommandError(f"add_inject: false_report: expected true or false, got {false_report!r}")
    if description is not None:
        if inject.fact is None:
            raise CommandError("add_inject: fact_description describes the inject's fact: give fact too")
        fact = {"id": inject.fact, "description": description, "false_report": false_report}
        _validated(Fact, fact, {"description": "fact_description", "id": "fact"})
        if not description.strip():
            raise CommandError("add_inject: fact_description is empty", "say what the new fact says")
    elif false_report and inject.fact is None:
        raise CommandError("add_inject: false_report says the inject's fact is false: give fact too")
    return AddInject(seat=seat, inject=inject, fact_description=description, false_report=false_report)


_Model = TypeVar("_Model", Inject, Fact)


def _validated(model: type[_Model], data: dict[str, Any], keys: Mapping[str, str]) -> _Model:
    """`data` validated by the scenario language's `model`, its messages naming the command's `keys` for its own."""
    try:
        valid, diagnostics = validate_model(model, data, "add_inject")
    except TypeError as exc:  # text JSON cannot hold (a lone surrogate)
        raise CommandError(f"add_inject: the command cannot be written to the run log: {exc}") from None
    if valid is None:
        first = diagnostics[0]
        named = first.message.startswith("missing required key")  # the message names the key itself
        path = keys.get(first.path, first.path) if first.path else ""
        where = f"{path}: " if path and not named else ""
        raise CommandError(f"add_inject: {where}{first.message}", first.hint)
    return valid


def authorise(command: Command, world: World) -> None:
    """Check that the command's seat may issue it.

    Raises:
        CommandError: the seat does not exist, or may not issue this command.
    """
    seat = command.seat
    check_seat(seat, world.stakeholders)
    if seat == FACILITATOR:
        return
    if command.who == "control" and not is_participant(seat):
        return
    if isinstance(command, Decide) and is_participant(seat):
        decision = world.decisions.decisions.get(command.decision)
        if decision is None:  # the hint names only the seat's own decisions: the others are not its business
            own = [d.id for d in world.decisions.decisions.values() if d.stakeholder == seat]
            raise CommandError(f"no decision {command.decision!r}", f"{seat}'s decisions: {', '.join(own) or 'none'}")
        if decision.stakeholder == seat:
            return
        raise CommandError(
            f"seat {seat!r} cannot take decision {command.decision!r}: it is {decision.stakeholder}'s to take",
            "a participant takes only their own organisation's decisions",
        )
    allowed = {
        "facilitator": "the facilitator",
        "control": "the facilitator or an evaluator",
        "decider": "the facilitator or the participant of the decision's organisation",
    }
    raise CommandError(f"seat {seat!r} cannot {command.name.replace('_', ' ')}: only {allowed[command.who]} can")


def check_choice(scenario: Scenario, decision_id: str, option: str) -> None:
    """Check that `scenario` has the decision and the option (for presets given before a run).

    Raises:
        CommandError: with a "did you mean" or the list of what there is.
    """
    _check_choice({d.id: d for d in scenario.decisions}, decision_id, option)
