"""The live exercise host: one `Exercise` between the consoles, with the clock, the inbox and a view per seat.

Consoles (the Textual app, later a socket server for participants' terminals and browsers) depend on the `Host`
protocol, never on `Exercise`: they call `tick(dt)` from a timer with the wall time they measured (the engine never
reads the clock), send commands with `submit`, render the views, and subscribe to the records their seat may see.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Final, Self

from scenarios import Scenario
from simulator._subscriptions import Listener, Unsubscribe
from simulator.commands import Command, Pause, Resume, SetSpeed, Speed, authorise, is_command, parse_command
from simulator.debrief import Debrief, debrief
from simulator.errors import CommandError, ListenerError, SimulationError
from simulator.evaluation import ObjectiveRating
from simulator.exercise import Exercise, Record, RunSummary
from simulator.logcheck import read_tabletop_log
from simulator.resume import Diverged, LogChecker, ReplayError, extra_header_of, resimulate, scenario_of
from simulator.runlog import lock_for_resume
from simulator.scoreboard import Scoreboard, scoreboard
from simulator.seats import FACILITATOR, Seat, check_seat, is_participant
from simulator.views import (
    Catalogue,
    ClockView,
    FactHeld,
    InjectView,
    NetworkView,
    PendingDecision,
    ReceivedInject,
    catalogue,
    clock_view,
    facts_held,
    inbox,
    msel,
    network,
    pending_decisions,
)

RATE: Final[dict[str, float]] = {"1x": 1.0, "10x": 10.0, "60x": 60.0}
"""Simulation seconds per wall-clock second at each speed but `max`."""
MAX_EVENTS_PER_TICK: Final = 2_000
"""At `max` speed, how many events one tick processes (so that a console stays responsive)."""


_CLOCK_KINDS: Final = frozenset({"PauseMarked", "ClockResumed", "SpeedChanged"})
"""The records that set the host's clock (what its pause, resume and speed commands write)."""
DECISION_PAUSE_NOTE: Final = "decision open: {decision}"
"""The note of the pause a host makes when a decision opens (see `ExerciseHost.pause_on_decision`)."""


class ExerciseHost:
    """Hosts one live exercise: its clock policy (paused, speed, step), command inbox and per-seat views.

    Pauses, resumes and speed changes are commands like any other, so the run log shows when the room paused and a
    replay gives the same records. A new exercise starts paused; a resumed one as its log left it.

    Args:
        exercise: the run to host (create it with `keep_records=True` or a log, so that seats can catch up).
        speed: the speed the clock runs at once resumed.
        pause_on_decision: pause the clock when a decision opens while it runs (see `pause_on_decision`).
    """

    def __init__(self, exercise: Exercise, *, speed: Speed = "1x", pause_on_decision: bool = True) -> None:
        self.exercise = exercise
        self._paused = self._will_pause = True
        self._speed: Speed = speed
        self._pending_s = 0.0
        self._pause_on_decision = pause_on_decision
        for record in exercise.records:  # a resumed run: the clock as its log left it
            if record["kind"] in _CLOCK_KINDS:
                self._follow(record)
        # Subscribed only now: the decisions a resumed run opened again were paused for (or not) when first played,
        # and those pauses are in its log.
        exercise.subscribe(self._follow, kinds=_CLOCK_KINDS)
        exercise.subscribe(self._pause_for_decision, kinds=("DecisionOpened",))

    @classmethod
    def open(
        cls,
        scenario: Scenario,
        seed: int = 0,
        variant: str | None = None,
        *,
        log: Path | None = None,
        source: str | None = None,
        decisions: Mapping[str, str] | None = None,
        pause_on_decision: bool = True,
    ) -> ExerciseHost:
        """Start a new exercise, paused at T0, its log written from the first record."""
        exercise = Exercise(scenario, seed, variant, decisions=decisions, log=log, source=source)
        return cls(exercise, pause_on_decision=pause_on_decision)

    @classmethod
    def resume(cls, path: Path, *, embedded: bool = False, pause_on_decision: bool = True) -> ExerciseHost:
        """Continue an exercise interrupted by a crash or a quit, from its log: same records, same seed.

        The run is played again from the log's header and commands; each record made again is checked against the
        log; the log is then replaced by the identical re-made one, which the exercise goes on writing. The clock
        comes back as the log left it (paused or running, at its speed), at the time of the last record: time that
        passed after it without an event is played again as the clock runs on.

        Raises:
            ReplayError: the log is sealed (the exercise ended), or its run cannot be made again exactly.
            RunLogError: not a run log, or another process is still writing it.
        """
        with lock_for_resume(path):
            log = read_tabletop_log(path)  # every record checked, as every command that reads a log does
            if log.seal is not None:
                raise ReplayError(
                    f"{path}: this exercise has ended (its log is sealed): there is nothing to resume",
                    "replay it (tabletop replay) or fork it (tabletop fork) instead",
                )
            if log.records and log.records[-1].get("kind") == "RunEnded":
                raise ReplayError(
                    f"{path}: this exercise has ended (its last record is RunEnded; only its seal is missing)",
                    "replay it (tabletop replay) or fork it (tabletop fork) instead",
                )
            scenario, _notes = scenario_of(log, embedded=embedded)
            partial = path.with_name(path.name + ".resuming")
            exercise: Exercise | None = None
            with path.open("rb") as logged:
                logged.readline()  # the header
                checker = LogChecker(logged, log.record_count, sealed=False)
                try:
                    exercise = resimulate(
                        log,
                        scenario,
                        extra_header=extra_header_of(log.header),
                        log_path=partial,
                        overwrite_log=True,
                        on_record=checker,
                    )
                    while checker.checked < log.record_count and exercise.step_once():
                        pass
                    if checker.divergence is not None or checker.checked < log.record_count:
                        raise Diverged
                    if _first_line(partial) != _first_line(path):
                        raise Diverged
                except Exception as exc:
                    if exercise is not None:
                        exercise.abandon()
                    partial.unlink(missing_ok=True)
                    raise _resume_error(path, exc, checker.checked) from None
            partial.replace(path)
            exercise.moved_log(path)
        return cls(exercise, pause_on_decision=pause_on_decision)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        """Leave the run as it is: sealed if it was finished, else an interrupted log that can be resumed."""
        self.abandon()

    # --- clock ----------------------------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        """Whether the clock stands still."""
        return self._paused

    @property
    def speed(self) -> Speed:
        """The speed the clock runs at."""
        return self._speed

    @property
    def pause_on_decision(self) -> bool:
        """Whether the clock pauses when a decision opens while it runs (the usual practice in a room).

        The pause is a `pause` command noted `decision open: <decision id>`, logged like any other, at the point
        between events right after the decision opened. Off, the clock runs on and the decision's default is taken
        at its deadline, in simulation time. A decision taken at once (preset) makes no pause.
        """
        return self._pause_on_decision

    @pause_on_decision.setter
    def pause_on_decision(self, value: bool) -> None:
        self._pause_on_decision = value

    def clock(self, seat: Seat = FACILITATOR) -> ClockView:
        """The exercise clock, with the local wall time in the scenario's time zone.

        A participant's seat is not told when the next event is due: that would give away when the threat moves
        or what is under way ends.
        """
        return clock_view(
            self.exercise, self._seat(seat), paused=self._paused, speed=self._speed, finished=self.exercise.finished
        )

    def tick(self, dt_s: float) -> None:
        """Let `dt_s` seconds of wall time pass: unless paused, the run advances by `dt_s` times the speed.

        At `max` speed a tick processes a bounded number of events instead. The clock stops at the scenario's
        end; the run ends (and its log is sealed) when the facilitator finishes it, so that the last observations
        can still be noted.
        """
        if isinstance(dt_s, bool) or not isinstance(dt_s, int | float) or not 0 <= dt_s < math.inf:
            raise ValueError(f"tick needs the wall time that passed, a finite number of seconds, not {dt_s!r}")
        exercise = self.exercise
        if self._paused or exercise.finished or dt_s == 0:
            return
        if self._speed == "max":
            exercise.advance_events(MAX_EVENTS_PER_TICK)
            if not self._paused and exercise.next_event_t() is None:
                exercise.advance_to(exercise.end_t)
        else:
            # The clock moves in whole milliseconds: the remainder is carried to the next tick (never more than
            # what is left of the run, so that a huge `dt_s` only takes the clock to the end).
            self._pending_s = min(self._pending_s + dt_s * RATE[self._speed], exercise.end_t - exercise.now + 1.0)
            whole = int(self._pending_s * 1000) / 1000
            self._pending_s -= whole
            if whole > 0:
                exercise.advance_to(exercise.now + whole)

    def step(self) -> bool:
        """Process every event of the next moment something happens (the clock jumps there); False at the end."""
        exercise = self.exercise
        if exercise.finished:
            return False
        t = exercise.next_event_t()
        if t is None:
            return False
        # Event by event rather than `advance_to(t)`: that rounds to whole milliseconds, and an event due at
        # 99.98400000000001 s would then never be reached.
        while exercise.next_event_t() == t and exercise.step_once():
            pass
        return True

    def advance_to(self, t: float) -> None:
        """Jump the clock to simulation time `t` (at most the end), processing everything due before, paused or not."""
        self.exercise.advance_to(t)

    def pause(self, note: str = "", seat: Seat = FACILITATOR) -> None:
        """Stop the clock (logged, with the note)."""
        self.submit(Pause(seat=seat, note=note))

    def run_clock(self, seat: Seat = FACILITATOR) -> None:
        """Let the clock run again (logged)."""
        self.submit(Resume(seat=seat))

    def set_speed(self, speed: Speed, seat: Seat = FACILITATOR) -> None:
        """Change the clock's speed (logged)."""
        self.submit(SetSpeed(seat=seat, speed=speed))

    # --- commands and records -------------------------------------------------------------------------------

    def submit(self, command: Command | Mapping[str, Any]) -> bool:
        """Send a command; True when applied now, False when it waits for the next point between events.

        Raises:
            CommandError: malformed, from a seat that may not issue it, or not fitting the run now (nothing logged).
        """
        typed = parse_command(command.to_dict() if is_command(command) else command)
        authorise(typed, self.exercise.world)  # a wrong seat is told so before the state of the clock
        # Against the clock as it will be once the commands waiting for the next point between events apply.
        if isinstance(typed, Pause) and self._will_pause:
            raise CommandError("the clock is already paused", "resume it first")
        if isinstance(typed, Resume) and not self._will_pause:
            raise CommandError("the clock is already running")
        applied = self.exercise.apply(typed)
        if isinstance(typed, Pause | Resume):
            self._will_pause = isinstance(typed, Pause)
        return applied

    def take_refusals(self) -> list[tuple[Command, CommandError]]:
        """Queued commands that no longer fitted when their turn came."""
        return self.exercise.take_refusals()

    def subscribe(
        self, listener: Listener, seat: Seat | None = None, kinds: Collection[str] | None = None
    ) -> Unsubscribe:
        """Receive each new record (read-only): only those `seat` may see, and of `kinds`, if given.

        Raises:
            CommandError: no such seat.
        """
        if seat is not None:
            check_seat(seat, self.exercise.world.stakeholders)
        return self.exercise.subscribe(listener, seat, kinds)

    def records_since(self, seq: int, seat: Seat = FACILITATOR) -> list[Record]:
        """The records from `seq` on that `seat` may see (as a participant's seat gets them)."""
        return self.exercise.records_since(seq, self._seat(seat))

    def finish(self) -> RunSummary:
        """End the run now and seal its log."""
        return self.exercise.close()

    def debrief(self) -> Debrief:
        """The debrief of the ended run: its timeline, milestones, ratings and harm (what `tabletop run` prints).

        Raises:
            CommandError: the run has not ended yet (finish it first).
        """
        if not self.exercise.finished:
            raise CommandError("the debrief comes when the run has ended", "finish the exercise first")
        exercise = self.exercise
        return debrief(exercise, exercise.close(), exercise.log_path)

    def abandon(self) -> None:
        """Leave the run unfinished (its log stays readable, and can be resumed)."""
        self.exercise.abandon()

    # --- views ----------------------------------------------------------------------------------------------

    def catalogue(self, seat: Seat = FACILITATOR) -> Catalogue:
        """The scenario's names and choices, for forms (a participant's seat: its own decisions, no threat)."""
        seat = self._seat(seat)
        return catalogue(self.exercise.world, seat if is_participant(seat) else None)

    def msel(self, seat: Seat = FACILITATOR) -> list[InjectView]:
        """The MSEL with each inject's status and what can be done with it now.

        Raises:
            CommandError: a participant's seat (the MSEL is the exercise's script, kept from the players).
        """
        self._require_control(seat, "the MSEL")
        return msel(self.exercise.world)

    def inbox(self, seat: Seat = FACILITATOR) -> list[ReceivedInject]:
        """The injects delivered so far, with their text: all of them, or a participant's own organisation's."""
        seat = self._seat(seat)
        return inbox(self.exercise.world, seat if is_participant(seat) else None)

    def network(self, seat: Seat = FACILITATOR) -> NetworkView:
        """The stakeholders and channels as `seat` may see them."""
        return network(self.exercise.world, self._seat(seat))

    def pending_decisions(self, seat: Seat = FACILITATOR) -> list[PendingDecision]:
        """Open decisions, oldest first (a participant's own only)."""
        return pending_decisions(self.exercise.world, self._seat(seat))

    def awareness(self, stakeholder: str, seat: Seat = FACILITATOR) -> tuple[FactHeld, ...]:
        """What `stakeholder` knows now, in the order it learned it (for a participant: without the truth).

        Raises:
            CommandError: a participant asking about another organisation, or no such stakeholder or seat.
        """
        seat = self._seat(seat)
        if stakeholder not in self.exercise.world.stakeholders:
            close = get_close_matches(str(stakeholder), sorted(self.exercise.world.stakeholders), n=1)
            raise CommandError(f"no stakeholder {stakeholder!r}", f"did you mean {close[0]!r}?" if close else None)
        if is_participant(seat) and seat != stakeholder:
            raise CommandError(f"seat {seat!r} cannot see what {stakeholder} knows", "a participant sees their own")
        return facts_held(self.exercise.world, stakeholder, is_participant(seat))

    def milestones(self, seat: Seat = FACILITATOR) -> dict[str, float]:
        """Milestones reached so far, with their times (control seats only)."""
        self._require_control(seat, "the milestones")
        return self.exercise.milestones()

    def objectives(self, seat: Seat = FACILITATOR) -> list[ObjectiveRating]:
        """Each objective's rating so far, final once the run has ended (control seats only)."""
        self._require_control(seat, "the ratings")
        return self.exercise.objectives(final=self.exercise.finished)

    def scoreboard(self, seat: Seat = FACILITATOR) -> Scoreboard:
        """Milestones reached, each objective's rating so far against its thresholds, and harm (control seats only).

        Raises:
            CommandError: a participant's seat (the evaluation is not shown to the players while they play).
        """
        self._require_control(seat, "the scoreboard")
        return scoreboard(self.exercise)

    def harm(self, seat: Seat = FACILITATOR) -> float:
        """Harm accumulated so far, rounded to a thousandth (control seats only)."""
        self._require_control(seat, "the harm")
        return round(self.exercise.harm, 3)

    def _seat(self, seat: Seat) -> Seat:
        return check_seat(seat, self.exercise.world.stakeholders)

    def _require_control(self, seat: Seat, what: str) -> None:
        if is_participant(self._seat(seat)):
            raise CommandError(f"seat {seat!r} cannot see {what}", "only the facilitator and evaluators can")

    def _follow(self, record: Record) -> None:
        kind = record["kind"]
        if kind == "PauseMarked":
            self._paused = self._will_pause = True
            self._pending_s = 0.0
            self.exercise.halt()
        elif kind == "ClockResumed":
            self._paused = self._will_pause = False
        elif kind == "SpeedChanged":
            self._speed = record["speed"]
            self._pending_s = 0.0

    def _pause_for_decision(self, record: Record) -> None:
        decision = record["decision"]
        if not self._pause_on_decision or self._will_pause:
            return
        if self.exercise.world.decisions.state[decision].preset is not None:
            return  # taken in the same moment: nothing to discuss
        # From a listener, the pause waits for the next point between events, which is where a replay applies it.
        self.submit(Pause(note=DECISION_PAUSE_NOTE.format(decision=decision)))


def _resume_error(path: Path, exc: Exception, checked: int) -> Exception:
    """What to tell the user when resuming failed with `exc` (a bug is passed on as it is)."""
    if isinstance(exc, SimulationError) and not isinstance(exc, CommandError):
        return exc
    if isinstance(exc, CommandError | KeyError | TypeError | ValueError):
        return ReplayError(
            f"{path}: the exercise cannot be resumed: its log's header or commands do not fit its scenario ({exc})",
            "the log was altered, or the scenario changed since; restore the log from a copy",
        )
    if not isinstance(exc, Diverged | ListenerError):
        return exc
    return ReplayError(
        f"{path}: the exercise cannot be resumed exactly: playing it again differs from its log at record {checked}",
        "the scenario file or Tabletop changed since; fork the log (tabletop fork) to continue from it",
    )


def _first_line(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.readline()
