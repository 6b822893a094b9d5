"""Re-simulating a logged run from its header and commands, and verifying that it gives the same records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from pydantic import ValidationError

from scenarios import Scenario, ScenarioError
from simulator.errors import SimulationError
from simulator.exercise import Exercise, Record, tool_version
from simulator.runlog import RunLog, canonical_json, read_run_log
from simulator.setup import Setup


class ReplayError(SimulationError):
    """A run log that cannot be replayed (not a run log, unknown scenario, a fork point that does not exist)."""

    title = "Cannot replay"


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where a re-simulation first differs from the log, and the likely reason."""

    index: int
    """Position of the first differing record (0-based)."""
    logged: Record | None
    """The record in the log (None: the log ends there)."""
    replayed: Record | None
    """The record the re-simulation gave (None: it ended there)."""
    cause: str
    """The likely cause, in words."""


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of `replay --verify`."""

    log: RunLog
    records_checked: int
    divergence: Divergence | None
    notes: tuple[str, ...]
    """What else the analyst should know (scenario source used, interrupted run...)."""

    @property
    def ok(self) -> bool:
        """Whether the re-simulation gave exactly the logged records."""
        return self.divergence is None


def scenario_of(log: RunLog, *, embedded: bool = False) -> tuple[Scenario, list[str]]:
    """The scenario to re-simulate a log with: its source file when it still exists, else the copy in the header.

    Returns the scenario and notes saying which was used and whether it changed since the run.
    """
    header = log.header
    for key, kind in (("seed", int), ("scenario", dict), ("decisions", dict)):
        if not isinstance(header.get(key), kind) or isinstance(header.get(key), bool):
            raise ReplayError(f"{log.path}: the run-log header's {key!r} is missing or wrong: the log was altered")
    try:
        stored = Scenario.model_validate_json(orjson.dumps(header["scenario"]), strict=True)
    except ValidationError:
        raise ReplayError(f"{log.path}: the scenario copy in the log's header is not a valid scenario") from None
    if embedded:
        return stored, ["used the scenario embedded in the log"]
    from scenarios import load_scenario

    source = str(header.get("scenario_source") or header.get("scenario_id"))
    try:
        current = load_scenario(source)
    except ScenarioError:
        return stored, [f"scenario {source!r} not found or invalid now: used the copy embedded in the log"]
    setup = Setup.of(current)
    if setup.digest != header.get("scenario_sha256"):
        return current, [f"scenario {source!r} has changed since the run (its SHA-256 differs from the log's)"]
    return current, [f"used scenario {source!r} (unchanged since the run)"]


def read_tabletop_log(path: Path) -> RunLog:
    """Read a run log and check that its records are the engine's (`seq`, `t` and `kind` each), for analysis.

    Raises:
        RunLogError: not a run log, or altered after it was sealed.
        ReplayError: a record without its `seq`, `t` or `kind` (an unsealed log edited by hand).
    """
    log = read_run_log(path)
    for index, record in enumerate(log.records):
        if not (
            isinstance(record.get("kind"), str)
            and isinstance(record.get("t"), int | float)
            and isinstance(record.get("seq"), int)
        ):
            raise ReplayError(f"{path}: record {index} is not a Tabletop record (it needs seq, t and kind)")
    return log


def commands_of(records: Iterable[Record]) -> list[Record]:
    """The logged commands, in the order they were applied."""
    return [record for record in records if record["kind"] == "CommandApplied"]


def resimulate(
    log: RunLog,
    scenario: Scenario,
    *,
    until_record: int | None = None,
    presets: dict[str, str] | None = None,
    extra_header: dict[str, Any] | None = None,
    log_path: Path | None = None,
    keep_records: bool = True,
    on_record: Callable[[Record], object] | None = None,
) -> Exercise:
    """Run the log's scenario, seed, variant and preset decisions again, re-applying each command at its point.

    With `until_record`, stop re-applying commands logged at or after that record (the caller continues).
    """
    header = log.header
    exercise = Exercise(
        Setup.of(scenario, header.get("variant"), str(header.get("scenario_source") or scenario.id)),
        int(header["seed"]),
        decisions=presets if presets is not None else dict(header.get("decisions") or {}),
        log=log_path,
        extra_header=extra_header,
        keep_records=keep_records,
        on_record=on_record,
    )
    for command in commands_of(log.records):
        if until_record is not None and command["seq"] >= until_record:
            break
        exercise.advance_to_point(float(command["t"]), int(command["step"]))
        exercise.apply(command["command"])
    return exercise


def verify(path: Path, *, embedded: bool = False) -> Verification:
    """Re-simulate a run log and compare it record by record, holding neither all records nor the whole log.

    A first pass checks the log (its seal) and collects its commands; the second re-simulates and compares each new
    record, as it is made, with the next line of the file.

    Raises:
        RunLogError: the file is not a run log, or its seal shows it was altered.
    """
    log = read_run_log(path, only_containing=b'"CommandApplied"')
    scenario, notes = scenario_of(log, embedded=embedded)
    with path.open("rb") as file:
        file.readline()  # the header
        checker = _Checker(file, log.record_count, sealed=log.seal is not None)
        try:
            exercise = resimulate(log, scenario, keep_records=False, on_record=checker)
            if log.seal is None:
                # An interrupted run: play until its last complete record has been made again.
                while checker.checked < log.record_count and exercise.step_once():
                    pass
            else:
                exercise.run()
        except _Diverged:
            pass
    if log.seal is None:
        notes.append(f"the log is not sealed (interrupted run): checked its {log.record_count} complete records")
    divergence = checker.divergence
    if divergence is None and checker.checked < log.record_count:
        divergence = Divergence(checker.checked, checker.next_logged(), None, "")
    if divergence is not None:
        divergence = Divergence(divergence.index, divergence.logged, divergence.replayed, _cause(log, notes))
    return Verification(log, checker.checked, divergence, tuple(notes))


class _Diverged(Exception):
    """Stops a re-simulation at its first difference from the log."""


class _Checker:
    """Compares each re-simulated record with the next record line of the log file."""

    def __init__(self, file: BinaryIO, expected: int, sealed: bool) -> None:
        self.file = file
        self.expected = expected
        self.sealed = sealed
        self.checked = 0
        self.divergence: Divergence | None = None

    def next_logged(self) -> Record | None:
        line = self.file.readline()
        return orjson.loads(line) if line.endswith(b"\n") else None

    def __call__(self, record: Record) -> None:
        if self.checked >= self.expected:
            # A sealed log holds every record of its run; an interrupted one stops somewhere, and what the
            # re-simulation makes after its last record is not compared.
            if self.sealed:
                self.divergence = Divergence(self.checked, None, record, "")
                raise _Diverged
            return
        line = self.file.readline().rstrip(b"\n")
        if canonical_json(record) != line:
            self.divergence = Divergence(self.checked, orjson.loads(line), record, "")
            raise _Diverged
        self.checked += 1


def _cause(log: RunLog, notes: list[str]) -> str:
    if any("has changed since the run" in note for note in notes):
        return "the scenario changed since the run"
    logged_version = log.header.get("tool_version")
    if logged_version != tool_version():
        return f"the tool version changed (log: {logged_version}, now: {tool_version()})"
    if log.seal is not None:
        # The seal matched, so the records are those the run wrote: the engine is what changed.
        return "this Tabletop plays the run differently (its engine changed without a new version number)"
    return "the log was altered (a record differs from what this scenario, seed and commands give)"
