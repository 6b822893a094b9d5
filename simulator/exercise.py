"""`Exercise`: the one API through which the CLI, the TUI and the analysis tools drive a run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from scenarios import Scenario
from simulator._commands import Commands
from simulator._world import Awareness, World
from simulator.errors import CommandError, SimulationError
from simulator.evaluation import ObjectiveRating, rate
from simulator.runlog import RunLogWriter, encode_run_log
from simulator.setup import Setup

Record = dict[str, Any]
"""One record of the run log: `seq`, `t` (simulation seconds), `kind`, then the kind's fields."""

MAX_SEED = 2**53
"""Seeds are written in run logs as JSON numbers; beyond 2**53 some readers (DuckDB, JavaScript) would round them."""


@cache
def tool_version() -> str:
    """The installed version of Tabletop (written in run-log headers)."""
    try:
        return version("tabletop")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


@dataclass(frozen=True, slots=True)
class PendingDecision:
    """A decision point waiting for its role."""

    decision: str
    stakeholder: str
    role: str
    prompt: str
    options: tuple[tuple[str, str], ...]
    """(id, label) of each option."""
    default: str
    deadline_t: float
    """Simulation time at which the default is taken."""


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


class Exercise(Commands):
    """One run of a scenario: advance it, command it, read it.

    The engine is deterministic: the same scenario, seed, variant, preset decisions and commands (applied at the
    same simulation time and step) give byte-identical records.

    Args:
        scenario: the base scenario (its variants included).
        seed: the run's seed.
        variant: the id of a variant to apply, or None.
        decisions: preset choices (`{decision_id: option_id}`), taken as soon as each decision opens.
        log: write the run log to this file (flushed record by record), or keep it in memory only.
        source: how the scenario was named (a bundled name or a path), recorded in the header for replay.
        extra_header: more header fields (a fork records its parent there).
        keep_records: keep the records in `records` (batches and verification of huge logs do without).
        on_record: called with each record as it is made.
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
        on_record: Callable[[Record], object] | None = None,
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
        self.presets = dict(sorted((decisions or {}).items()))
        self._check_presets()
        self.records: list[Record] = []
        self._keep = keep_records
        self._on_record = on_record
        self._count = 0
        self.header: dict[str, Any] = {
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
            **(extra_header or {}),
            "scenario": setup.data,
        }
        self._writer = RunLogWriter(log, self.header) if log is not None else None
        self._steps = 0
        self._summary: RunSummary | None = None
        self.world = World(self.scenario, seed, self._record, setup.samplers)
        self.world.preset = dict(self.presets)
        self._record("RunStarted", scenario=setup.base.id, variant=setup.variant, seed=seed)
        self.world.start()

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

    def next_event_t(self) -> float | None:
        """When the next event happens, or None when nothing is left before the end."""
        t = self.world.env.peek()
        return float(t) if t <= self.end_t else None

    def step_once(self) -> bool:
        """Process the next event; returns False (and processes nothing) when none is left before the end."""
        if self.finished or self.world.env.peek() > self.end_t:
            return False
        self.world.env.step()
        self._steps += 1
        return True

    def advance_to(self, t: float) -> None:
        """Process every event up to and including time `t` (at most the end), then set the clock to `t`."""
        self._require_running()
        # Whole milliseconds, as every duration and logged time: a replay reaches exactly the same clock.
        target = round(min(t, self.end_t), 3)
        env = self.world.env
        peek, step = env.peek, env.step
        steps = 0
        try:
            while peek() <= target:
                step()
                steps += 1
        finally:
            self._steps += steps
        if target > env.now:
            self._move_clock(target)

    def advance_to_point(self, t: float, step: int) -> None:
        """Reach the exact point (time and step) at which a logged command was applied, to apply it again there.

        Exactly `step` events are processed; then the clock moves to `t` without processing events due at `t`.
        """
        self._require_running()
        env = self.world.env
        while self._steps < step and self.step_once():
            pass
        if t > env.now:
            self._move_clock(t)

    def _move_clock(self, t: float) -> None:
        """Set the clock to `t`, when no event is due before it, without counting a step.

        Not `env.run(until=t)`: SimPy leaves its stop event in the queue, and processing it later counted as a
        step, so a command's logged step depended on how the clock had been moved and replays diverged.
        """
        env = self.world.env
        env.timeout(t - env.now)
        env.step()
        # `now + (t - now)` can miss `t` by the last bit of the float; a command applied here is logged at `t`
        # and replayed at exactly `t`, so the live clock must stand exactly there too.
        env._now = t

    def run(self) -> RunSummary:
        """Play to the end and close the run."""
        self.advance_to(self.end_t)
        return self.close()

    def close(self) -> RunSummary:
        """End the run now: record the outcome, rate the objectives, seal the log."""
        if self._summary is not None:
            return self._summary
        world = self.world
        harm = round(world.harm_now(), 3)
        ratings = self.objectives(final=True)
        self._record(
            "RunEnded",
            harm=harm,
            milestones=dict(sorted(world.milestones.items())),
            ratings={r.objective: r.rating for r in ratings},
        )
        taken = dict(world.taken)
        self._summary = RunSummary(
            self.base.id,
            self.variant,
            self.seed,
            self.now,
            dict(world.milestones),
            ratings,
            harm,
            self._count,
            taken,
        )
        if self._writer is not None:
            self._writer.seal(self._summary.to_dict())
        return self._summary

    def abandon(self) -> None:
        """Close the log without sealing it (an interrupted run stays readable)."""
        if self._writer is not None:
            self._writer.close()

    def log_bytes(self) -> bytes:
        """The run log as bytes (exactly what the file holds once the run is closed)."""
        if not self._keep:
            raise ValueError("log_bytes needs the records: create the Exercise with keep_records=True")
        summary = self.close()
        return encode_run_log(self.header, self.records, summary.to_dict())

    # --- views ----------------------------------------------------------------------------------------------

    def pending_decisions(self) -> list[PendingDecision]:
        """Decisions open now, oldest first."""
        out = []
        for decision_id, state in self.world.decision_state.items():
            if state == "open":
                d = self.world.decisions[decision_id]
                out.append(
                    PendingDecision(
                        d.id,
                        d.stakeholder,
                        d.role,
                        d.prompt,
                        tuple((o.id, o.label) for o in d.options),
                        d.default,
                        self.world.decision_due[decision_id],
                    )
                )
        return out

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

    def records_since(self, seq: int) -> list[Record]:
        """Records with `seq` >= the given number."""
        return self.records[seq:]

    # --- internals ------------------------------------------------------------------------------------------

    def _record(self, kind: str, /, **fields: Any) -> None:
        record: Record = {"seq": self._count, "t": round(float(self.world.env.now), 3), "kind": kind}
        record.update(fields)
        if self._writer is not None:
            self._writer.write(record)  # first: a record it refuses is kept nowhere else either
        self._count += 1
        if self._keep:
            self.records.append(record)
        if self._on_record is not None:
            self._on_record(record)

    def _require_running(self) -> None:
        if self._summary is not None:
            raise CommandError("the run has ended")

    def _check_presets(self) -> None:
        for decision_id, option in self.presets.items():
            self._check_choice(decision_id, option)
