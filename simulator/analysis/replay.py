"""Re-simulating a logged run from its header and commands, and verifying that it gives the same records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios import Scenario
from simulator.errors import ListenerError
from simulator.exercise import Exercise, Record, RunSummary, tool_version
from simulator.logcheck import read_tabletop_log
from simulator.resume import (
    Diverged,
    Divergence,
    LogChecker,
    ReplayError,
    commands_of,
    resimulate,
    scenario_of,
)
from simulator.runlog import MAX_HEADER_BYTES, RunLog

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


def verify(path: Path, *, embedded: bool = False) -> Verification:
    """Re-simulate a run log and compare it record by record, holding neither all records nor the whole log.

    A first pass checks the log (every record, and the seal) and collects its commands; the second re-simulates and
    compares each new record, as it is made, with the next line of the file. A run that ended (sealed, or with its
    `RunEnded` record) is played to where it ended, and its outcome compared with the seal's.

    Raises:
        RunLogError: the file is not a run log of Tabletop (`FILE:LINE: what`), or its seal shows it was altered.
        ReplayError: its scenario copy is not a valid scenario.
    """
    log = read_tabletop_log(path, keep=lambda record: record["kind"] == "CommandApplied")
    scenario, notes = scenario_of(log, embedded=embedded)
    ended = ended_with(log)
    replayed = replay_against(log, scenario, keep_records=False)
    exercise, summary = replayed.exercise, replayed.summary
    divergence = replayed.divergence
    if divergence is None and exercise is not None:
        divergence = header_divergence(log, exercise.header)
    if divergence is None and replayed.checked < log.record_count:
        divergence = Divergence(replayed.checked, replayed.next_logged, None, "")
    if log.seal is None:
        notes.append(f"the log is not sealed: {log.verdict()}")
        if ended is not None:
            notes.append("it holds the run's end (RunEnded), so its outcome was compared too; only the seal is missing")
    at_seal = divergence is None and summary is not None and log.seal is not None
    if at_seal:
        assert summary is not None
        divergence = _seal_divergence(log, summary)
    if divergence is not None:
        cause = _cause(log, notes, at_seal=at_seal) if divergence.index >= 0 else HEADER_ALTERED
        divergence = Divergence(divergence.index, divergence.logged, divergence.replayed, cause)
    return Verification(log, replayed.checked, divergence, tuple(notes))


@dataclass(frozen=True, slots=True)
class Replayed:
    """A re-simulation of a log checked record by record against its file (`replay_against`)."""

    exercise: Exercise | None
    """The re-simulation (None when it stopped before its first command was applied again)."""
    summary: RunSummary | None
    """The outcome, for a run that ended (its `RunEnded`); None for an interrupted one, or one that differed."""
    divergence: Divergence | None
    """The first record that differs (its cause not yet said), or None."""
    checked: int
    """How many of the log's records the re-simulation made again, identical."""
    next_logged: Record | None
    """The log's record after the last one checked, when the re-simulation made fewer than the log holds."""


def ended_with(log: RunLog) -> Record | None:
    """The log's `RunEnded` record when it is its last (the run ended, even if the seal is missing), else None."""
    last = log.last_record
    return last if last is not None and last["kind"] == "RunEnded" else None


def replay_against(log: RunLog, scenario: Scenario, *, keep_records: bool) -> Replayed:
    """Re-simulate `log` with `scenario`, comparing each record, as it is made, with the next line of the log's file.

    A run that ended is played to the point its `RunEnded` names, and closed; an interrupted one until its last
    complete record has been made again. The re-simulation stops at the first difference.
    """
    ended = ended_with(log)
    exercise: Exercise | None = None
    summary: RunSummary | None = None
    with log.path.open("rb") as file:
        file.readline(MAX_HEADER_BYTES + 1)  # the header, checked when the log was read
        checker = LogChecker(file, log.record_count, sealed=ended is not None)
        try:
            exercise = resimulate(log, scenario, keep_records=keep_records, on_record=checker)
            if ended is not None:
                exercise.advance_to_point(float(ended["exact_t"]), int(ended["step"]))
                summary = exercise.close()
            else:  # an interrupted run: play until its last complete record has been made again
                while checker.checked < log.record_count and exercise.step_once():
                    pass
        except (Diverged, ListenerError):  # the checker stops the re-simulation from inside a listener
            pass
        short = checker.divergence is None and checker.checked < log.record_count
        next_logged = checker.next_logged() if short else None
    return Replayed(exercise, summary, checker.divergence, checker.checked, next_logged)


REPLAYED_HEADER_KEYS = ("seed", "variant", "start", "time_zone", "duration_s", "decisions", "limits")
"""What a run's header says of how it was played, which a re-simulation must say alike (the scenario copy is checked
against its SHA-256 when the log is read, and the tool and where the scenario was are not part of the run)."""


HEADER_ALTERED = "the header says something of the run that its re-simulation does not: the log was altered"


def header_divergence(log: RunLog, replayed: Mapping[str, Any]) -> Divergence | None:
    """Where the log's header says something of the run that its re-simulation does not (record -1: the header)."""
    logged = {key: log.header.get(key) for key in REPLAYED_HEADER_KEYS}
    again = {key: replayed.get(key) for key in REPLAYED_HEADER_KEYS}
    return None if logged == again else Divergence(-1, logged, again, "")


def _seal_divergence(log: RunLog, summary: RunSummary) -> Divergence | None:
    """Where the seal's outcome differs from the re-simulation's, if it does."""
    assert log.seal is not None
    replayed = summary.to_dict()
    logged = {key: log.seal.get(key) for key in replayed}
    return None if logged == replayed else Divergence(log.record_count, logged, replayed, "")


def _cause(log: RunLog, notes: list[str], *, at_seal: bool) -> str:
    if any("has changed since the run" in note for note in notes):
        return "the scenario changed since the run"
    logged_version = log.header.get("tool_version")
    if logged_version != tool_version():
        return f"the tool version changed (log: {logged_version}, now: {tool_version()})"
    if at_seal:
        # Every record was made again exactly, but the outcome sealed after them is not the one they give.
        return "the seal's outcome is not the run's: the log was altered and sealed again"
    if log.seal is not None:
        # The seal matched, so the records are those the run wrote, unless someone wrote them and sealed them again.
        return (
            "this Tabletop plays the run differently (its engine changed without a new version number), or the log "
            "was altered and sealed again"
        )
    return "the log was altered (a record differs from what this scenario, seed and commands give)"
