"""A seekable replay of a logged run: the state at any moment as a seat saw it, for scrubbing back and forth.

The rule of a frame: `LogReplay.frame(t)` takes `t` clamped to the run, `[0, end]`, and to the millisecond (as the
clock moves). The frame is the state after every command logged at a simulation time `<= t` (its `exact_t`) has been
applied again at its logged point and every event due at or before `t` has been processed, with the clock at `t`:
exactly what re-simulating the log gives with `resimulate(log, scenario, until_record=S)` (S the record number of the
first `CommandApplied` whose `exact_t` is later than `t`; None if there is none) followed by
`exercise.advance_to(t)`, then the views of `simulator.views`. At the end of a run that ended (its `RunEnded`
record), the frame is the run as it ended: played again to the point `RunEnded` names and closed, so that its
ratings are final, as the debrief shows them, and `clock.finished` is true; everywhere else it is false. The clock
of a replay is always shown paused, at 1x.

Seeking forward moves one live re-simulation on; seeking backward plays the run again from T0 and keeps, on the way,
the frames of the `WINDOW` points before the target, so that stepping back is read from memory until the window is
used up. Each record the re-simulation makes is checked against the log (its kind and time): a run that plays
differently (its scenario changed, the log was altered) is refused with the line where it parts from the log.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, Self, TypeVar

from scenarios import Scenario, ScenarioError, parse_duration
from simulator.errors import CommandError
from simulator.exercise import Exercise, Record
from simulator.logcheck import read_tabletop_log
from simulator.narrative import t_at_wall_clock, t_plus
from simulator.records import audience, participant_view
from simulator.resume import ReplayError, resimulate, scenario_of
from simulator.runlog import RunLog
from simulator.scoreboard import Scoreboard, scoreboard
from simulator.seats import FACILITATOR, Seat, check_seat, is_participant
from simulator.views import (
    Catalogue,
    ClockView,
    InjectView,
    Named,
    NetworkView,
    PendingDecision,
    ReceivedInject,
    _View,
    catalogue,
    clock_view,
    inbox,
    msel,
    network,
    option_views,
    pending_decisions,
)

if TYPE_CHECKING:
    from simulator._world import World

_WALL_CLOCK: Final = re.compile(
    r"^(?:@(?=.+:.+:)|@?(?!.+:.+:))(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?$"
)
"""A local wall-clock time: `12:04`, `@12:04` or `@12:04:30` (three parts without `@` are a T+ time)."""
_MOMENT: Final = re.compile(r"^(?:T\+)?(?P<hours>\d+):(?P<minutes>[0-5]\d):(?P<seconds>[0-5]\d)$")
"""A simulation time `T+HH:MM:SS`, or `HH:MM:SS`."""
WINDOW: Final = 256
"""How many points before a backward seek's target have their frames kept on the way (stepping back is then free)."""
CACHED_FRAMES: Final = 1024
"""How many frames are kept at most (the least recently used go first)."""


@dataclass(frozen=True, slots=True)
class Mark(_View):
    """A moment one can jump to."""

    t: float
    """Simulation seconds from T0 (the record's time)."""
    kind: Literal["milestone", "decision_opened", "decision_taken"]
    id: str
    """The milestone's id or the decision's id."""
    label: str
    """The milestone's name, or the decision's prompt (with `: ` and the option's label once taken)."""


@dataclass(frozen=True, slots=True)
class Frame(_View):
    """The state of a logged run at one moment as a seat sees it: every view the console shows."""

    t: float
    """Simulation seconds from T0 (the clock of the frame)."""
    seat: Seat
    records: int
    """How many of the log's records the run had made by then."""
    clock: ClockView
    decisions: tuple[PendingDecision, ...]
    """Open at `t`, as the seat sees them."""
    network: NetworkView
    msel: tuple[InjectView, ...]
    """Every inject with its status (nothing for a participant's seat)."""
    scoreboard: Scoreboard | None
    """None for a participant's seat."""
    inbox: tuple[ReceivedInject, ...]
    """The injects delivered so far (to the seat's organisation, for a participant)."""


@dataclass(frozen=True, slots=True)
class _Command:
    """A logged command: where it was applied, what it was, and its record number."""

    exact_t: float
    step: int
    command: dict[str, Any]
    seq: int


_Kept = TypeVar("_Kept")


def _kept(cache: dict[Seat, _Kept], seat: Seat, make: Callable[[Seat], _Kept]) -> _Kept:
    """What `cache` keeps for `seat`, made by `make(seat)` the first time the seat asks (a replay keeps per seat what
    depends on the seat alone: its marks, names, visible records and points)."""
    if seat not in cache:
        cache[seat] = make(seat)
    return cache[seat]


class LogReplay:
    """A logged run, to be looked at at any moment (`frame`), as any seat.

    Build it with `LogReplay.open`. It keeps the log's records and one live re-simulation of the run.

    Attributes:
        path: the log's file.
        log: the log as read (every record).
        scenario: the scenario it is played again with (as written, its variants included).
        played: that scenario as the run played it (its variant applied): the names of its milestones and decisions.
        notes: which scenario was used, and whether it changed since the run.
        end: the last moment of the run: where it ended (`RunEnded`'s `exact_t`), else its last record's time.
        points: T0, then each distinct record time (ascending), the last one `end`: where stepping stops.
    """

    def __init__(self, path: Path, log: RunLog, scenario: Scenario, notes: tuple[str, ...]) -> None:
        self.path = path
        self.log = log
        self.scenario = scenario
        self.notes = notes
        records = log.records
        last = log.last_record
        self._ended: Record | None = last if last is not None and last["kind"] == "RunEnded" else None
        if self._ended is not None:
            self.end = float(self._ended["exact_t"])
        else:
            self.end = float(last["t"]) if last is not None else 0.0
        self.points: tuple[float, ...] = self._points_of(records)
        self._seat_points: dict[Seat, tuple[float, ...]] = {}
        self._commands = tuple(
            _Command(float(r["exact_t"]), int(r["step"]), r["command"], int(r["seq"]))
            for r in records
            if r["kind"] == "CommandApplied"
        )
        self._frames: OrderedDict[tuple[float, Seat], Frame] = OrderedDict()
        self._visible: dict[Seat, tuple[list[int], list[Record]]] = {}
        self._marks: dict[Seat, tuple[Mark, ...]] = {}
        self._catalogues: dict[Seat, Catalogue] = {}
        self._exercise: Exercise | None = None
        self._at = -math.inf  # where the live re-simulation stands (the `t` of its last frame)
        self._applied = 0  # how many of the commands it has applied
        self._made = 0  # how many records it has made
        self._parted: int | None = None  # the first record where it differs from the log
        self._restart()
        assert self._exercise is not None
        self.played: Scenario = self._exercise.scenario
        self.planned_end: float = float(self._exercise.end_t)
        """When the run was to end (the scenario's end): a run ended early, or interrupted, stops before it."""

    @property
    def ending(self) -> Literal["ended", "ended early", "interrupted"]:
        """How the log ends: the run ended at its planned end, ended before it (the facilitator ended it, or it
        ended on its own), or was interrupted (no `RunEnded`: the log is not sealed)."""
        if self._ended is None:
            return "interrupted"
        return "ended early" if round(self.end, 3) < round(self.planned_end, 3) else "ended"

    def end_text(self) -> str:
        """The end in words, as the replay's header and go-to box say it: `end T+02:00:00`, `ended at T+01:10:00`,
        `interrupted at T+00:04:40 (the log is not sealed)`."""
        ending = self.ending
        if ending == "interrupted":
            return f"interrupted at {t_plus(self.end)} (the log is not sealed)"
        return f"ended at {t_plus(self.end)}" if ending == "ended early" else f"end {t_plus(self.end)}"

    def time_of(self, text: str) -> float:
        """The moment of the run that `text` names, as the go-to box takes it: `0`; a duration (`12m`, `1h5m`);
        `T+HH:MM:SS`, or `HH:MM:SS` read as T+; or a local wall-clock time, `12:04` (two parts) or `@12:04:30`,
        read as the first moment at T0 or after that the scenario's clock reads so (`narrative.t_at_wall_clock`).

        Raises:
            ValueError: not a time (the message says what to write), or after the end of the log.
        """
        written = text.strip()
        wall = _WALL_CLOCK.match(written)
        moment = _MOMENT.match(written)
        if written == "0":
            t = 0.0
        elif wall is not None:
            hour, minute, second = int(wall["hour"]), int(wall["minute"]), int(wall["second"] or 0)
            clock = self.played.clock
            t = t_at_wall_clock(clock.start, clock.time_zone, hour, minute, second)
        elif moment is not None:
            t = float(int(moment["hours"]) * 3600 + int(moment["minutes"]) * 60 + int(moment["seconds"]))
        else:
            try:
                t = parse_duration(written)
            except ValueError:
                raise ValueError(
                    f"{written!r} is not a time: write 12m, 1h5m, T+00:12:00 (00:12:00 is read as T+ too), "
                    "or the local clock: 12:04 or @12:04:30"
                ) from None
        if round(t, 3) > round(self.end, 3):
            what = t_plus(t) if wall is None else f"{written.lstrip('@')} local time is {t_plus(t)}, which"
            raise ValueError(f"{what} is after the end of the log ({self.end_text()})")
        return t

    @property
    def warnings(self) -> tuple[str, ...]:
        """What a reader must keep in mind while looking at the replay: the scenario changed or was lost since the
        run, and which copy is played (the header says already when the log is interrupted)."""
        found = []
        for note in self.notes:
            if "has changed since the run" in note:
                found.append(
                    f"{note}: the replay plays the file as it is now; add --embedded to replay the copy kept in the log"
                )
            elif "embedded in the log" in note:
                found.append(note)
        return tuple(found)

    @classmethod
    def open(cls, path: Path, *, embedded: bool = False) -> LogReplay:
        """Read a run log (sealed or interrupted) and get ready to replay it.

        Args:
            path: the run log.
            embedded: play it with the scenario copied in the log, not its file.

        Raises:
            RunLogError: not a run log of Tabletop, or altered (`FILE:LINE: what`).
            ReplayError: its header or scenario copy cannot be used to play it again.
        """
        log = read_tabletop_log(path)
        scenario, notes = scenario_of(log, embedded=embedded)
        return cls(path, log, scenario, tuple(notes))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the live re-simulation and the kept frames."""
        self._drop()
        self._frames.clear()

    # --- what the log holds ---------------------------------------------------------------------------------

    def marks(self, seat: Seat = FACILITATOR) -> tuple[Mark, ...]:
        """Milestones reached and decisions opened and taken, in time order; a participant's own decisions only.

        Raises:
            CommandError: no such seat.
        """
        return _kept(self._marks, self._seat(seat), self._marks_of)

    def _marks_of(self, seat: Seat) -> tuple[Mark, ...]:
        participant = is_participant(seat)
        milestones = {m.id: m.name for m in self.played.milestones}
        decisions = {d.id: d for d in self.played.decisions}
        marks = []
        for record in self.log.records:
            kind = record["kind"]
            if kind == "MilestoneReached" and not participant:
                milestone = record["milestone"]
                marks.append(Mark(record["t"], "milestone", milestone, milestones.get(milestone, milestone)))
            elif kind in ("DecisionOpened", "DecisionTaken") and (not participant or record["stakeholder"] == seat):
                decision = decisions.get(record["decision"])
                prompt = record["decision"] if decision is None else decision.prompt
                if kind == "DecisionOpened":
                    marks.append(Mark(record["t"], "decision_opened", record["decision"], prompt))
                    continue
                labels = {} if decision is None else {o.id: o.label for o in decision.options}
                label = f"{prompt}: {labels.get(record['option'], record['option'])}"
                marks.append(Mark(record["t"], "decision_taken", record["decision"], label))
        return tuple(marks)

    def catalogue(self, seat: Seat = FACILITATOR) -> Catalogue:
        """The run's names (`views.catalogue`), the facts the run's ad-hoc injects brought included.

        Raises:
            CommandError: no such seat.
        """
        return _kept(self._catalogues, self._seat(seat), self._catalogue_of)

    def _catalogue_of(self, seat: Seat) -> Catalogue:
        names = catalogue(self._first_world, seat if is_participant(seat) else None)
        added = self._added_facts
        if not added:
            return names
        more = {**names.names, **{named.id: named.name for named in added}}
        return replace(names, facts=(*names.facts, *added), names=dict(sorted(more.items())))

    @cached_property
    def _first_world(self) -> World:
        """The run's world at T0, before any command: what every seat's names are made of."""
        start = resimulate(self.log, self.scenario, until_record=0, keep_records=False)
        start.abandon()
        return start.world

    @cached_property
    def _added_facts(self) -> tuple[Named, ...]:
        """The facts the run's ad-hoc injects brought, in the order they came."""
        known = set(self._first_world.facts)
        added: list[Named] = []
        for command in self._commands:
            data = command.command
            fact, description = data.get("fact"), data.get("fact_description")
            new = isinstance(fact, str) and isinstance(description, str) and fact not in known
            if data.get("command") == "add_inject" and new:
                known.add(str(fact))
                added.append(Named(str(fact), str(description)))
        return tuple(added)

    def records(self, upto: int, seat: Seat = FACILITATOR) -> list[Record]:
        """The log's first `upto` records that `seat` may see (as a participant's seat gets them).

        Raises:
            CommandError: no such seat.
        """
        seat = self._seat(seat)
        upto = max(0, min(upto, len(self.log.records)))
        if not is_participant(seat):
            return self.log.records[:upto]
        seqs, seen = self._visible_to(seat)
        return seen[: bisect_left(seqs, upto)]

    def points_for(self, seat: Seat = FACILITATOR) -> tuple[float, ...]:
        """Where `seat` steps: every point for a control seat; for a participant's seat, T0, the moments something
        reached it, and the end (the other moments would tell it when the other organisations acted).

        Raises:
            CommandError: no such seat.
        """
        seat = self._seat(seat)
        if not is_participant(seat):
            return self.points
        return _kept(self._seat_points, seat, lambda one: self._points_of(self._visible_to(one)[1]))

    def _points_of(self, records: list[Record]) -> tuple[float, ...]:
        """T0, the distinct times of `records` and the end, ascending."""
        times = {0.0, self.end, *(min(float(record["t"]), self.end) for record in records)}
        if self._ended is not None:  # the end is a point of its own (`exact_t` is not rounded)
            times = {t for t in times if t < round(self.end, 3)} | {self.end}
        return tuple(sorted(times))

    def point_index(self, t: float) -> int:
        """The index in `points` of the last point at or before `t` (0 before T0)."""
        return max(bisect_right(self.points, t) - 1, 0)

    # --- frames ---------------------------------------------------------------------------------------------

    def frame(self, t: float, seat: Seat = FACILITATOR) -> Frame:
        """The state of the run at `t` as `seat` sees it (see the module's rule).

        Raises:
            CommandError: no such seat.
            ReplayError: the run played again differs from its log, or a logged command no longer applies.
            ValueError: `t` is not a number.
        """
        seat = self._seat(seat)
        t = self._moment(t)
        key = (t, seat)
        frames = self._frames
        found = frames.get(key)
        if found is not None:
            frames.move_to_end(key)
            return found
        if t < self._at or (self._exercise is not None and self._exercise.finished):
            self._rewind(t, seat)
        self._move_to(t)
        return self._keep(key, self._frame(t, seat))

    def forkable(self, t: float, seat: Seat = FACILITATOR) -> tuple[PendingDecision, ...]:
        """The decisions one can fork the run from at `t`, as `seat` sees them: those open at `t` (oldest first),
        then those that opened at `t` (a preset decision opens and is taken in one instant) or were taken at `t`
        (answered, or defaulted at the deadline, at that moment: the slider's ✓).

        A fork from any of them starts where the decision opened (`fork`'s rule); those no longer open are shown
        with the time they had left at `t`, or their whole time when they opened at `t`.

        Raises:
            CommandError: no such seat.
            ReplayError, ValueError: as `frame`.
        """
        frame = self.frame(t, seat)
        found = list(frame.decisions)
        shown = {d.decision for d in found}
        decisions = {d.id: d for d in self.played.decisions}
        names = self.catalogue(seat).names
        now = round(frame.t, 3)
        taken_now = {
            r["decision"] for r in self.log.records if r["kind"] == "DecisionTaken" and round(float(r["t"]), 3) == now
        }
        for record in self.log.records:
            if record["kind"] != "DecisionOpened":
                continue
            if round(float(record["t"]), 3) != now and record["decision"] not in taken_now:
                continue
            d = decisions.get(record["decision"])
            if d is None or d.id in shown or (is_participant(seat) and d.stakeholder != seat):
                continue
            shown.add(d.id)
            opened, deadline = float(record["t"]), float(record["deadline_s"])
            found.append(
                PendingDecision(
                    d.id,
                    d.stakeholder,
                    d.role,
                    d.prompt,
                    option_views(d, names),
                    d.default,
                    opened,
                    round(opened + deadline, 3),
                    round(max(opened + deadline - frame.t, 0.0), 3),
                )
            )
        return tuple(found)

    def _moment(self, t: float) -> float:
        """`t` in the run (clamped), to the millisecond; the end of a run that ended as it is (see `end`)."""
        if isinstance(t, bool) or not isinstance(t, int | float) or math.isnan(t):
            raise ValueError(f"a frame needs a simulation time in seconds, not {t!r}")
        t = min(max(float(t), 0.0), self.end)
        if self._ended is not None and round(t, 3) >= round(self.end, 3):
            return self.end
        return round(t, 3)

    def _rewind(self, t: float, seat: Seat) -> None:
        """Play the run again from T0 to just before `t`, keeping the frames of the `WINDOW` points before it."""
        self._restart()
        below = bisect_left(self.points, t)
        for point in self.points[max(below - WINDOW, 0) : below]:
            self._move_to(point)
            if (point, seat) not in self._frames:
                self._keep((point, seat), self._frame(point, seat))

    def _move_to(self, t: float) -> None:
        """Move the live re-simulation on to `t` (at or after where it stands)."""
        exercise = self._exercise
        assert exercise is not None
        commands = self._commands
        try:
            while self._applied < len(commands) and commands[self._applied].exact_t <= t:
                command = commands[self._applied]
                exercise.advance_to_point(command.exact_t, command.step)
                self._check()
                try:
                    exercise.apply(command.command)
                except CommandError as exc:
                    raise ReplayError(
                        f"{self.path}:{command.seq + 2}: the logged command cannot be applied again: {exc.message}",
                        "the log was altered, or was written by a Tabletop with other commands",
                    ) from None
                self._applied += 1
            if self._ended is not None and t == self.end:
                exercise.advance_to_point(self.end, int(self._ended["step"]))
                exercise.close()
            else:
                exercise.advance_to(t)
            self._check()
        except BaseException:
            self._drop()
            raise
        self._at = t

    def _frame(self, t: float, seat: Seat) -> Frame:
        """The frame of the live re-simulation where it stands (at `t`)."""
        exercise = self._exercise
        assert exercise is not None
        world = exercise.world
        participant = is_participant(seat)
        return Frame(
            t,
            seat,
            self._made,
            clock_view(exercise, seat, paused=True, speed="1x", finished=exercise.finished),
            tuple(pending_decisions(world, seat)),
            network(world, seat),
            () if participant else tuple(msel(world)),
            None if participant else scoreboard(exercise),
            tuple(inbox(world, seat if participant else None)),
        )

    def _keep(self, key: tuple[float, Seat], frame: Frame) -> Frame:
        frames = self._frames
        frames[key] = frame
        frames.move_to_end(key)
        while len(frames) > CACHED_FRAMES:
            frames.popitem(last=False)
        return frame

    # --- the live re-simulation -----------------------------------------------------------------------------

    def _restart(self) -> None:
        """A new re-simulation at T0, before any command."""
        self._drop()
        self._made = 0
        self._parted = None
        try:
            self._exercise = resimulate(
                self.log, self.scenario, until_record=0, keep_records=False, on_record=self._follow
            )
        except ScenarioError as exc:  # its variant is not in the scenario (the file changed since the run)
            raise ReplayError(
                f"{self.path}:1: the run cannot be played again with this scenario: {exc}",
                "replay it with the scenario embedded in the log",
            ) from None
        self._applied = 0
        self._at = -math.inf
        self._check()

    def _drop(self) -> None:
        if self._exercise is not None and not self._exercise.finished:
            self._exercise.abandon()
        self._exercise = None
        self._at = math.inf  # a frame needs a new re-simulation

    def _follow(self, record: Record) -> None:
        """Count each record made again, and note the first that is not the log's (its kind or its time)."""
        index = self._made
        self._made += 1
        if self._parted is not None:
            return
        records = self.log.records
        if index < len(records):
            logged = records[index]
            if logged["kind"] != record["kind"] or logged["t"] != record["t"]:
                self._parted = index
        elif self._ended is not None:  # a run that ended made no more records than its log holds
            self._parted = index

    def _check(self) -> None:
        index = self._parted
        if index is None:
            return
        records = self.log.records
        logged = f"a {records[index]['kind']} record" if index < len(records) else "its end"
        self._drop()
        changed = any("has changed since the run" in note for note in self.notes)
        raise ReplayError(
            f"{self.path}:{index + 2}: the run played again parts from its log here (the log has {logged})",
            "its scenario changed since the run: replay it with the scenario embedded in the log"
            if changed
            else "the log was altered, or was written by another version of Tabletop",
        )

    def _seat(self, seat: Seat) -> Seat:
        return check_seat(seat, (s.id for s in self.played.stakeholders))

    def _visible_to(self, seat: Seat) -> tuple[list[int], list[Record]]:
        """The record numbers a participant's seat may see, and those records as it gets them (made once a seat)."""
        return _kept(self._visible, seat, self._visible_of)

    def _visible_of(self, seat: Seat) -> tuple[list[int], list[Record]]:
        seen = [participant_view(r) for r in self.log.records if audience(r).admits(seat)]
        return [int(r["seq"]) for r in seen], seen
