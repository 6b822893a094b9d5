"""`Exercise`: the one API through which the CLI, the TUI and the analysis tools drive a run."""

from __future__ import annotations

import math
import sys
from collections import deque
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import orjson

from scenarios import Scenario
from simulator._frozen import FrozenDict, frozen
from simulator._state import Awareness
from simulator._subscriptions import Listener, Subscriptions, Unsubscribe
from simulator._world import World
from simulator.commands import (
    Command,
    Decide,
    DelayInject,
    FireInject,
    HoldInject,
    Pause,
    PresetDecision,
    ReleaseInject,
    SkipInject,
    authorise,
    check_choice,
    is_command,
    parse_command,
)
from simulator.errors import CommandError, ListenerError, SimulationError
from simulator.evaluation import ObjectiveRating, rate
from simulator.limits import RunLimits
from simulator.records import audience, participant_view
from simulator.runlog import RunLogWriter, encode_run_log, iter_records
from simulator.seats import FACILITATOR, Seat, is_participant
from simulator.setup import Setup
from simulator.views import PendingDecision, pending_decisions

Record = dict[str, Any]
"""One record of the run log: `seq`, `t` (simulation seconds), `kind`, then the kind's fields.

Records handed out by an `Exercise` are read-only dicts: changing one raises `TypeError`.
"""

LogFlush = Literal["step", "block"]
"""When a run's log reaches the operating system (see `Exercise`)."""

MAX_SEED = 2**53
"""Seeds are written in run logs as JSON numbers; beyond 2**53 some readers (DuckDB, JavaScript) would round them."""


@cache
def tool_version() -> str:
    """The installed version of Tabletop (written in run-log headers)."""
    # Imported here: importlib.metadata (with email, zipfile and csv) is only needed when a header is written.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tabletop")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a finished run produced."""

    scenario: str
    variant: str | None
    seed: int
    end_t: float
    milestones: dict[str, float]
    objectives: list[ObjectiveRating]
    harm: float
    records: int
    decisions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (also the run log's seal fields)."""
        return {
            "scenario": self.scenario,
            "variant": self.variant,
            "seed": self.seed,
            "end_t": self.end_t,
            "milestones": self.milestones,
            "objectives": [rating.to_dict() for rating in self.objectives],
            "harm": self.harm,
            "record_count": self.records,
            "decisions": self.decisions,
        }


class Exercise:
    """One run of a scenario: advance it, command it, read it.

    The engine is deterministic: the same scenario, seed, variant, preset decisions and commands (applied at the
    same simulation time and step) give byte-identical records.

    Commands may come from anywhere, record listeners included: one that arrives while the engine is processing an
    event (or applying another command) is checked at once, then applied and logged at the next point between
    events, which is where a replay applies it again.

    Args:
        scenario: the base scenario (its variants included).
        seed: the run's seed.
        variant: the id of a variant to apply, or None.
        decisions: preset choices (`{decision_id: option_id}`), taken as soon as each decision opens.
        log: write the run log to this file, or keep it in memory only.
        source: how the scenario was named (a bundled name or a path), recorded in the header for replay.
        extra_header: more header fields (a fork records its parent there).
        keep_records: keep the records in `records` (batches and verification of huge logs do without).
        on_record: called with each record as it is made (the same as `subscribe` before the run starts).
        overwrite_log: replace an existing file at `log` (resuming an exercise replaces its own log).
        limits: the run's ceiling on events and records (`simulator.limits`; written in the header).
        log_flush: when the log's records reach the operating system: `"step"` (live runs) at every point between
            events (after each event that made records, after each command, once started), so a killed process
            loses at most the event in progress; `"block"` (headless runs) in blocks of `runlog.BLOCK_BYTES`, so
            a killed process loses at most its last block. Either way the log is whole once closed or sealed.
    """

    def __init__(
        self,
        scenario: Scenario | Setup,
        seed: int = 0,
        variant: str | None = None,
        *,
        decisions: Mapping[str, str] | None = None,
        log: Path | None = None,
        source: str | None = None,
        extra_header: Mapping[str, Any] | None = None,
        keep_records: bool = True,
        on_record: Listener | None = None,
        overwrite_log: bool = False,
        limits: RunLimits | None = None,
        log_flush: LogFlush = "step",
    ) -> None:
        if isinstance(scenario, Setup):
            if variant is not None and variant != scenario.variant:
                raise ValueError("give the variant to Setup.of, not to Exercise, when passing a Setup")
            setup = scenario
        else:
            setup = Setup.of(scenario, variant, source)
        if isinstance(seed, bool) or not isinstance(seed, int):
            # Streams are keyed by the seed's text, so 7.0 and 7 would be different runs: only whole numbers.
            raise SimulationError(f"seed {seed!r} is not a whole number", f"use one from 0 to {MAX_SEED}")
        if not 0 <= seed <= MAX_SEED:
            raise SimulationError(f"seed {seed} is out of range", f"use a whole number from 0 to {MAX_SEED}")
        self.setup = setup
        self.base = setup.base
        self.scenario = setup.scenario
        self.seed = seed
        self.variant = setup.variant
        self.limits = limits or RunLimits()
        """The ceiling on events and records; the run stops at the first point between events that reaches it."""
        self._stopped: str | None = None
        self.presets = dict(sorted((decisions or {}).items()))
        for decision_id, option in self.presets.items():
            check_choice(self.scenario, decision_id, option)
        self.records: list[Record] = []
        """Every record so far (read-only dicts), when kept."""
        self._keep = keep_records
        self._log = log
        self._subscriptions = Subscriptions()
        self._publish = self._subscriptions.publish if on_record is not None else None
        """Hands a record to its listeners (None while nobody listens: the common case of batches costs nothing)."""
        if on_record is not None:
            self._subscriptions.add(on_record)
        self._count = 0
        self._inbox: deque[Command] = deque()
        self._busy = True  # until the world has started: commands from listeners wait for the first safe point
        self._closing = False
        self._halt = False
        self._interrupted = False
        """Something must happen at the next point between events: a queued command, a listener's failure, a halt."""
        self._refused: list[tuple[Command, CommandError]] = []
        self._header: dict[str, Any] = {
            "tool": "tabletop",
            "tool_version": tool_version(),
            "scenario_id": setup.base.id,
            "scenario_sha256": setup.digest,
            "scenario_source": setup.source,
            "variant": setup.variant,
            "seed": seed,
            "start": self.scenario.clock.start,
            "time_zone": self.scenario.clock.time_zone,
            "duration_s": self.scenario.clock.duration,
            "decisions": self.presets,
            "limits": self.limits.to_dict(),
            **(extra_header or {}),
            "scenario": setup.data,
        }
        if log_flush not in ("step", "block"):
            raise ValueError(f"log_flush is 'step' or 'block', not {log_flush!r}")
        self._writer: RunLogWriter | None = None
        self._flush_log: Callable[[], None] | None = None
        """The writer's `flush`, called at each point between events (`"step"`), or None (no log, or `"block"`)."""
        if log is not None:
            # The scenario as encoded once per Setup: only the small rest of the header is encoded and checked here.
            log_header = {**self._header, "scenario": orjson.Fragment(setup.data_json)}
            self._writer = RunLogWriter(log, log_header, flush_each=False, overwrite=overwrite_log)
            self._flush_log = self._writer.flush if log_flush == "step" else None
        self._steps = 0
        self._summary: RunSummary | None = None
        self._t_of: object = None
        self._t = 0.0
        """The record time (`t`) of the clock value `_t_of`: events at one moment make many records."""
        self.world = World(setup.compiled, seed, self._record, self._record_fields)
        self._env = self.world.env
        for decision_id, option in self.presets.items():
            self.world.decisions.state[decision_id].preset = option
        self._record("RunStarted", scenario=setup.base.id, variant=setup.variant, seed=seed)
        try:
            self.world.start()
        finally:
            self._busy = False
        self._between_events()

    @property
    def header(self) -> Mapping[str, Any]:
        """The run log's header fields (read-only)."""
        return MappingProxyType(self._header)

    @property
    def log_path(self) -> Path | None:
        """The file the run log is written to, if any.

        While the run goes on, the file holds every record up to the last point between events (`log_flush="step"`)
        or up to the last block written (`"block"`); `records_since` reads every record made, in either mode.
        """
        return self._log

    def moved_log(self, path: Path) -> None:
        """Tell the run that its log file was renamed to `path` (it goes on writing the same file)."""
        self._log = path
        if self._writer is not None:
            self._writer.path = path

    # --- time -----------------------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        """Simulation time, in seconds from T0."""
        return float(self.world.env.now)

    @property
    def step(self) -> int:
        """How many simulation events have been processed."""
        return self._steps

    @property
    def end_t(self) -> float:
        """When the run ends (the scenario's `clock.duration`)."""
        return self.scenario.clock.duration

    @property
    def finished(self) -> bool:
        """Whether the run has ended (and its log is sealed)."""
        return self._summary is not None

    @property
    def stopped(self) -> str | None:
        """Why the engine's ceiling (`limits`) stopped the run, or None while it has not.

        A stopped run processes no more events and its clock stands still; commands are still applied (notes can
        still be taken) until it is closed, as any run is.
        """
        return self._stopped

    def next_event_t(self) -> float | None:
        """When the next event happens, or None when nothing is left before the end (or the run was stopped)."""
        t = self.world.env.peek()
        return float(t) if t <= self.end_t and self._stopped is None else None

    def step_once(self) -> bool:
        """Process the next event; returns False (and processes nothing) when none is left before the end."""
        self._require_idle()
        if self.finished or self._closing or self._stopped is not None or self.world.env.peek() > self.end_t:
            return False
        self._busy = True
        try:
            self.world.env.step()
            self._steps += 1
        finally:
            self._busy = False
        self._between_events()
        return True

    def advance_to(self, t: float) -> None:
        """Process every event up to and including time `t` (at most the end), then set the clock to `t`.

        A run stopped by its ceiling (`stopped`) processes nothing more and its clock stays where it stopped.
        """
        self._require_running()
        if isinstance(t, bool) or not isinstance(t, int | float) or math.isnan(t):
            raise ValueError(f"advance_to needs a simulation time in seconds, not {t!r}")
        # Whole milliseconds, as every duration and logged time: a replay reaches exactly the same clock.
        target = round(min(t, self.end_t), 3)
        if self._process(target, sys.maxsize) and target > self.world.env.now:
            self._move_clock(target)

    def advance_events(self, limit: int) -> int:
        """Process at most `limit` events (none after the end); returns how many were processed."""
        self._require_running()
        before = self._steps
        self._process(self.end_t, limit)
        return self._steps - before

    def _process(self, target: float, limit: int) -> bool:
        """Process events due up to `target`, at most `limit`; False when a command halted it or the run stopped."""
        self._require_idle()
        if self._stopped is not None:
            return False
        env = self.world.env
        queue, step = env._queue, env.step  # the queue read directly: `peek` is a call per event
        flush = self._flush_log
        max_records, max_events = self.limits.records, self.limits.events
        self._halt = False
        self._busy = True
        done = 0
        try:
            while done < limit and queue and queue[0][0] <= target:
                step()
                self._steps += 1
                done += 1
                if flush is not None:
                    flush()  # a point between events: the event's records reach the operating system
                # A command waits, a listener failed, a pause stops the clock, or the run reached its ceiling.
                if self._interrupted or self._count >= max_records or self._steps >= max_events:
                    self._busy = False
                    self._between_events()
                    self._busy = True
                    if self._halt or self._stopped is not None:
                        return False  # stay at this point
        finally:
            self._busy = False
        return True

    def halt(self) -> None:
        """Stop the `advance_to` under way at the next point between events (a host's pause does this)."""
        self._halt = self._interrupted = True

    def advance_to_point(self, t: float, step: int) -> None:
        """Reach the exact point (time and step) at which a logged command was applied, to apply it again there.

        Exactly `step` events are processed; then the clock moves to `t` without processing events due at `t`.
        """
        self._require_running()
        while self._steps < step and self.step_once():
            pass
        if t > self.world.env.now and self._stopped is None:
            self._move_clock(t)

    def _move_clock(self, t: float) -> None:
        """Set the clock to `t` without processing an event; nothing happens when an event is due at `t` or before.

        Neither `env.run(until=t)` (SimPy leaves its stop event in the queue, and processing it later counted as a
        step) nor a timeout stepped to (an event due at the same float time would be processed instead): the clock
        stands exactly at `t`, where a command applied now is logged and a replay applies it again.
        """
        env = self.world.env
        if env.peek() > t:
            env._now = t

    def run(self) -> RunSummary:
        """Play to the end (or until the ceiling stops it) and close the run."""
        self.advance_to(self.end_t)
        return self.close()

    def close(self) -> RunSummary:
        """End the run now: record the outcome, rate the objectives, seal the log."""
        if self._summary is not None:
            return self._summary
        self._require_idle()
        world = self.world
        harm = round(world.harm_now(), 3)
        ratings = self.objectives(final=True)
        self._closing = True  # a listener's command now would land after the run's last record: refused
        self._inbox.clear()
        self._busy = True  # and so would a listener's move of the clock
        try:
            # Where the run ended, exactly (time and step), so that a replay ends it at the same point.
            self._record(
                "RunEnded",
                step=self._steps,
                exact_t=float(world.env.now),
                harm=harm,
                milestones=frozen(dict(sorted(world.milestones.items()))),
                ratings=frozen({r.objective: r.rating for r in ratings}),
            )
        finally:
            self._busy = False
        self._summary = RunSummary(
            self.base.id,
            self.variant,
            self.seed,
            self.now,
            dict(world.milestones),
            ratings,
            harm,
            self._count,
            dict(world.decisions.taken),
        )
        if self._writer is not None:
            self._writer.seal(self._summary.to_dict())
        try:
            self._between_events()  # a listener that failed on RunEnded is reported now that the log is sealed
        finally:
            self.world.teardown()
        return self._summary

    def abandon(self) -> None:
        """Close the log without sealing it, every record made so far written (an interrupted run stays readable); the
        run plays no further."""
        self._require_idle()
        if self._writer is not None:
            self._writer.close()
        if self._summary is None and not self._closing:
            self._closing = True  # commands and moves of the clock are refused from now on, as after `close`
            self.world.teardown()

    def log_bytes(self) -> bytes:
        """The run log as bytes (exactly what the file holds once the run is closed); closes the run."""
        if not self._keep:
            raise ValueError("log_bytes needs the records: create the Exercise with keep_records=True")
        summary = self.close()
        return encode_run_log(self._header, self.records, summary.to_dict())

    # --- commands -------------------------------------------------------------------------------------------

    def apply(self, command: Command | Mapping[str, Any]) -> bool:
        """Apply a command (typed, or as JSON data); it is logged with the time and step it is applied at.

        Returns True when it was applied now, False when it arrived while the engine was busy (from a record
        listener): it is then applied at the next point between events, or refused then if it no longer fits
        (see `take_refusals`).

        Raises:
            CommandError: the command is malformed, comes from a seat that may not issue it, or does not fit the
                run's state now. Nothing is logged.
        """
        self._require_running()
        # Typed commands are checked as their JSON form is: a console's `SetSpeed(speed="5x")` is refused too.
        typed = parse_command(command.to_dict() if is_command(command) else command)
        authorise(typed, self.world)
        typed.check(self.world)
        if self._busy:
            self._inbox.append(typed)
            self._interrupted = True
            return False
        self._apply_now(typed)
        self._between_events()
        return True

    def take_refusals(self) -> list[tuple[Command, CommandError]]:
        """Commands that were queued and then no longer fitted when their turn came (each reported once)."""
        refused, self._refused = self._refused, []
        return refused

    def fire_inject(self, inject: str, seat: Seat = FACILITATOR) -> bool:
        """Deliver an inject now (early, or a contingency inject)."""
        return self.apply(FireInject(seat=seat, inject=inject))

    def hold_inject(self, inject: str, seat: Seat = FACILITATOR) -> bool:
        """Hold a pending inject: it is not delivered when due, until released."""
        return self.apply(HoldInject(seat=seat, inject=inject))

    def release_inject(self, inject: str, seat: Seat = FACILITATOR) -> bool:
        """Release a held inject: delivered now if it is overdue, else when due."""
        return self.apply(ReleaseInject(seat=seat, inject=inject))

    def delay_inject(self, inject: str, by_s: float, seat: Seat = FACILITATOR) -> bool:
        """Push a pending inject's delivery back by `by_s` seconds."""
        return self.apply(DelayInject(seat=seat, inject=inject, by_s=by_s))

    def skip_inject(self, inject: str, seat: Seat = FACILITATOR) -> bool:
        """Never deliver this inject."""
        return self.apply(SkipInject(seat=seat, inject=inject))

    def add_inject(
        self,
        to: str,
        text: str,
        fact: str | None = None,
        seat: Seat = FACILITATOR,
        *,
        fact_description: str | None = None,
        false_report: bool = False,
    ) -> bool:
        """Write a new inject and deliver it now (more MSEL fields: `apply` an `add_inject` command).

        A `fact` the run does not have yet needs its `fact_description`, and `false_report=True` for a rumour.
        """
        data: dict[str, Any] = {"command": "add_inject", "seat": seat, "to": to, "text": text}
        if fact is not None:
            data["fact"] = fact
        if fact_description is not None:
            data["fact_description"] = fact_description
        if false_report:
            data["false_report"] = True
        return self.apply(data)

    def decide(self, decision: str, option: str, seat: Seat = FACILITATOR) -> bool:
        """Take an open decision (the facilitator, or the participant of the decision's stakeholder)."""
        return self.apply(Decide(seat=seat, decision=decision, option=option))

    def preset_decision(self, decision: str, option: str, seat: Seat = FACILITATOR) -> bool:
        """Choose an option in advance: taken as soon as the decision opens (now, if it is open)."""
        return self.apply(PresetDecision(seat=seat, decision=decision, option=option))

    def mark_pause(self, note: str = "", seat: Seat = FACILITATOR) -> bool:
        """Mark a pause in the log (an `ExerciseHost` also stops its clock)."""
        return self.apply(Pause(seat=seat, note=note))

    def _apply_now(self, command: Command) -> None:
        busy, self._busy = self._busy, True
        try:
            # `t` is rounded to the millisecond, as in every record; `exact_t` is where a replay applies it again
            # (a command applied just after an event due at 99.98400000000001 s is applied there, not at 99.984).
            self._record(
                "CommandApplied", step=self._steps, exact_t=float(self.world.env.now), command=frozen(command.to_dict())
            )
            command.apply(self.world)
        finally:
            self._busy = busy

    def _between_events(self) -> None:
        """At a point between events: stop at the ceiling, apply the queued commands, report a listener's failure."""
        self._interrupted = self._halt
        if self._stopped is None and not self._closing:
            reached = self.limits.reached(self._count, self._steps)
            if reached is not None:
                self._stop(*reached)
        inbox = self._inbox
        while inbox and not self._closing:
            command = inbox.popleft()
            try:
                command.check(self.world)
            except CommandError as exc:
                self._refused.append((command, exc))
                continue
            self._apply_now(command)
        if self._flush_log is not None:
            self._flush_log()  # before a listener's failure is raised: the records made are in the file
        failures = self._subscriptions.failures
        if failures:
            self._subscriptions.failures = []
            raise ListenerError(f"{len(failures)} record listener(s) failed; the run itself is whole") from failures[0]

    def _stop(self, limit: str, reason: str) -> None:
        """Process no more events: the run reached its ceiling (it ends when closed, as any run)."""
        self._stopped = reason
        busy, self._busy = self._busy, True  # a listener's command now waits for the next point between events
        try:
            self._record("RunStopped", limit=limit, reason=reason, step=self._steps)
        finally:
            self._busy = busy

    def _require_idle(self) -> None:
        if self._busy:
            raise SimulationError(
                "the clock cannot be moved, nor the run ended, from a record listener while an event is being "
                "processed",
                "do it from the console's timer or key handler, after the listener returns",
            )

    # --- records --------------------------------------------------------------------------------------------

    def subscribe(
        self, listener: Listener, seat: Seat | None = None, kinds: Collection[str] | None = None
    ) -> Unsubscribe:
        """Call `listener` with each record from now on: every record, or only those `seat` may see.

        Args:
            listener: called with each record (read-only).
            seat: only the records this seat may see (all, for a control seat or None).
            kinds: only records of these kinds.

        Returns:
            A function that ends the subscription.

        Each record goes first to the listeners of every record, then to those of its kind, then to participants'
        seats, each group in the order it subscribed; a participant's seat gets `records.participant_view(record)`.

        Raises:
            ValueError: `kinds` is not a collection of record kinds.
        """
        subscriptions = self._subscriptions
        unsubscribe = subscriptions.add(listener, seat, kinds)
        self._publish = subscriptions.publish

        def end() -> None:
            unsubscribe()
            self._publish = subscriptions.publish if subscriptions.active else None

        return end

    def records_since(self, seq: int, seat: Seat | None = None) -> list[Record]:
        """Records with `seq` >= the given number (only those `seat` may see, if given), from memory or the log.

        Raises:
            ValueError: the records are kept neither in memory nor in a log file.
        """
        if isinstance(seq, bool) or not isinstance(seq, int):
            raise ValueError(f"records_since needs a record number (a whole number), not {seq!r}")
        if self._keep:
            found = self.records[max(seq, 0) :]
        elif self._log is not None:
            if self._writer is not None:
                self._writer.flush()  # every record made so far, whatever `log_flush`
            # The log as written so far: a line still being written is left out, as after a crash.
            found = [frozen(record) for record in iter_records(self._log) if record["seq"] >= seq]
        else:
            raise ValueError("records_since needs the records: keep them in memory or write a log")
        if seat is None or not is_participant(seat):
            return found
        return [participant_view(record) for record in found if audience(record).admits(seat)]

    def _record(self, kind: str, /, **fields: Any) -> None:
        if self._writer is None and not self._keep and self._publish is None:
            self._count += 1  # nobody reads it (a batch): counted for the ceiling and the summary, never built
            return
        self._record_fields({"seq": 0, "t": 0.0, "kind": kind, **fields})

    def _record_fields(self, fields: dict[str, Any]) -> None:
        """`_record` for a dict literal made where the record happens: `seq` and `t` first (set here), then `kind`.

        A literal costs a third of a call with keyword arguments (packed, then merged into the record), and the
        engine's commonest records (messages, facts, rules) are made thousands of times a run.
        """
        writer = self._writer
        keep = self._keep
        publish = self._publish
        count = self._count
        if writer is None and not keep and publish is None:
            self._count = count + 1  # nobody reads it (a batch): counted for the ceiling and the summary, never built
            return
        now = self._env._now
        if now is not self._t_of:
            self._t_of = now
            self._t = round(float(now), 3)
        fields["seq"] = count
        fields["t"] = self._t
        record: Record = FrozenDict(fields)
        if writer is not None:
            writer.write(record)  # first: a record it refuses is kept nowhere else either
        self._count = count + 1
        if keep:
            self.records.append(record)
        # A listener that raises is reported once the event is whole (see `_between_events`).
        if publish is not None and publish(record):
            self._interrupted = True

    def _require_running(self) -> None:
        if self._summary is not None or self._closing:
            raise CommandError("the run has ended")

    # --- views ----------------------------------------------------------------------------------------------

    def pending_decisions(self, seat: Seat | None = None) -> list[PendingDecision]:
        """Decisions open now, oldest first (only the seat's own, for a participant's seat)."""
        return pending_decisions(self.world, seat)

    def awareness(self, stakeholder: str) -> dict[str, Awareness]:
        """What `stakeholder` knows now (a copy)."""
        return dict(self.world.known[stakeholder])

    def milestones(self) -> dict[str, float]:
        """Milestones reached so far, with their times."""
        return dict(self.world.milestones)

    def objectives(self, final: bool = False) -> list[ObjectiveRating]:
        """Each objective's rating now (None while it can still be met), or final."""
        return [rate(o, self.world.milestones, self.now, final) for o in self.scenario.objectives]

    @property
    def harm(self) -> float:
        """Harm accumulated so far."""
        return self.world.harm_now()
