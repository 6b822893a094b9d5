"""Re-simulating a logged run from its header and commands, and verifying that it gives the same records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson

from simulator.errors import ListenerError
from simulator.exercise import Exercise, tool_version
from simulator.resume import (
    Diverged,
    Divergence,
    LogChecker,
    ReplayError,
    commands_of,
    resimulate,
    scenario_of,
)
from simulator.runlog import RunLog, read_run_log

__all__ = [
    "Divergence",
    "ReplayError",
    "Verification",
    "commands_of",
    "read_tabletop_log",
    "resimulate",
    "scenario_of",
    "verify",
]


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
        checker = LogChecker(file, log.record_count, sealed=log.seal is not None)
        try:
            exercise = resimulate(log, scenario, keep_records=False, on_record=checker)
            if log.seal is None:
                # An interrupted run: play until its last complete record has been made again.
                while checker.checked < log.record_count and exercise.step_once():
                    pass
            else:
                _play_to_the_end(exercise, log)
        except (Diverged, ListenerError):  # the checker stops the re-simulation from inside a listener
            pass
    if log.seal is None:
        notes.append(f"the log is not sealed (interrupted run): checked its {log.record_count} complete records")
    divergence = checker.divergence
    if divergence is None and checker.checked < log.record_count:
        divergence = Divergence(checker.checked, checker.next_logged(), None, "")
    if divergence is not None:
        divergence = Divergence(divergence.index, divergence.logged, divergence.replayed, _cause(log, notes))
    return Verification(log, checker.checked, divergence, tuple(notes))


def _play_to_the_end(exercise: Exercise, log: RunLog) -> None:
    """Play a sealed run again until it ended: at its scenario's end, or where the facilitator finished it early.

    `RunEnded` says where (its exact time and step); every record before it is made again on the way.
    """
    assert log.seal is not None
    with log.path.open("rb") as file:
        file.seek(0, 2)
        file.seek(max(file.tell() - (1 << 20), 0))
        last = orjson.loads(file.read().splitlines()[-2])  # the line before the seal: RunEnded
    if isinstance(last.get("step"), int) and isinstance(last.get("exact_t"), int | float):
        exercise.advance_to_point(float(last["exact_t"]), int(last["step"]))
    else:  # not a RunEnded of this Tabletop: play to the scenario's end, and the records will say what differs
        exercise.advance_to(exercise.end_t)
    exercise.close()


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
