"""Playing a logged run again: its scenario, its commands re-applied at their points, and resuming a live one."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from pydantic import ValidationError

from scenarios import Scenario, ScenarioError, bundled_names, load_scenario
from scenarios.migrate import migrate_data
from simulator._subscriptions import Listener
from simulator.errors import CommandError, SimulationError
from simulator.exercise import Exercise, LogFlush, Record
from simulator.limits import RunLimits
from simulator.runlog import MAX_LINE_BYTES, RunLog, canonical_json
from simulator.setup import Setup, scenario_digest


class ReplayError(SimulationError):
    """A run log that cannot be replayed or resumed (not a run log, unknown scenario, a point that does not exist)."""

    title = "Cannot replay"


_OWN_HEADER_KEYS = frozenset(
    {
        "type",
        "format",
        "format_version",
        "tool",
        "tool_version",
        "scenario_id",
        "scenario_sha256",
        "scenario_source",
        "variant",
        "seed",
        "start",
        "time_zone",
        "duration_s",
        "decisions",
        "limits",
        "scenario",
    }
)
"""Header fields an `Exercise` writes itself; any other field was given as `extra_header` (a fork's parent)."""


def extra_header_of(header: Mapping[str, Any]) -> dict[str, Any]:
    """The header fields a run was given beyond its own (to write them again when it is resumed)."""
    return {key: value for key, value in header.items() if key not in _OWN_HEADER_KEYS}


def scenario_of(log: RunLog, *, embedded: bool = False) -> tuple[Scenario, list[str]]:
    """The scenario to re-simulate a log with: its source file when it still exists, else the copy in the header.

    A source recorded as a relative path is looked for beside the log first, then from the current folder, so that
    the same log is checked against the same file wherever the command runs (see `source_of`). Returns the
    scenario and notes saying which was used and whether it changed since the run.
    """
    header = log.header
    for key, kind in (("seed", int), ("scenario", dict), ("decisions", dict)):
        if not isinstance(header.get(key), kind) or isinstance(header.get(key), bool):
            raise ReplayError(f"{log.path}: the run-log header's {key!r} is missing or wrong: the log was altered")
    copy = migrate_data(header["scenario"])  # a log written before schema version 2 holds a version 1 copy
    try:
        stored = Scenario.model_validate_json(orjson.dumps(copy.data), strict=True)
    except ValidationError:
        raise ReplayError(f"{log.path}: the scenario copy in the log's header is not a valid scenario") from None
    if copy.changes:  # the digest is of the copy as it was written, before the migration
        digest = hashlib.sha256(orjson.dumps(header["scenario"], option=orjson.OPT_SORT_KEYS)).hexdigest()
    else:
        digest = scenario_digest(stored)
    if digest != header.get("scenario_sha256"):
        raise ReplayError(
            f"{log.path}:1: the scenario copied in the header is not the one the run played (its SHA-256 differs "
            "from the header's scenario_sha256): the log was altered"
        )
    if embedded:
        return stored, ["used the scenario embedded in the log"]
    source = source_of(log)
    try:
        current = load_scenario(source)
    except ScenarioError:
        return stored, [
            f"scenario {source!r} not found or invalid now: used the copy embedded in the log, so whether the "
            "scenario changed since the run is not known"
        ]
    setup = Setup.of(current)
    if setup.digest != header.get("scenario_sha256"):
        return current, [f"scenario {source!r} has changed since the run (its SHA-256 differs from the log's)"]
    return current, [f"used scenario {source!r} (unchanged since the run)"]


def source_of(log: RunLog) -> str:
    """Where the log's scenario is now: a bundled name, an absolute path, or a relative path found beside the log.

    A relative path was relative to the folder the run was started in, which is not recorded; beside the log is the
    one place that does not depend on where the command runs now (the usual `tabletop run x.yaml --log run.jsonl`
    keeps both in one folder). Not found there, the path is taken from the current folder, as it was written.
    """
    source = str(log.header.get("scenario_source") or log.header.get("scenario_id"))
    if source in bundled_names():
        return source
    path = Path(source)
    if not path.is_absolute() and (log.path.parent / path).is_file():
        return str(log.path.parent / path)
    return source


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
    overwrite_log: bool = False,
    keep_records: bool = True,
    on_record: Listener | None = None,
    log_flush: LogFlush = "step",
) -> Exercise:
    """Run the log's scenario, seed, variant and preset decisions again, re-applying each command at its point.

    With `until_record`, stop re-applying commands logged at or after that record (the caller continues).
    """
    header = log.header
    try:
        limits = RunLimits.from_header(header.get("limits"))
    except ValueError as exc:
        raise ReplayError(f"{log.path}: {exc}: the log was altered") from None
    exercise = Exercise(
        Setup.of(scenario, header.get("variant"), str(header.get("scenario_source") or scenario.id)),
        int(header["seed"]),
        decisions=presets if presets is not None else dict(header.get("decisions") or {}),
        log=log_path,
        extra_header=extra_header,
        keep_records=keep_records,
        on_record=on_record,
        overwrite_log=overwrite_log,
        limits=limits,
        log_flush=log_flush,
    )
    try:
        for command in commands_of(log.records):
            if until_record is not None and command["seq"] >= until_record:
                break
            exercise.advance_to_point(
                float(command["exact_t"] if "exact_t" in command else command["t"]), int(command["step"])
            )
            try:
                exercise.apply(command["command"])
            except CommandError as exc:
                raise ReplayError(
                    f"{log.path}:{command['seq'] + 2}: the logged command cannot be applied again: {exc.message}",
                    "the log was altered, or was written by a Tabletop with other commands",
                ) from None
    except BaseException:
        exercise.abandon()  # a log that does not fit: leave no file open
        raise
    return exercise


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where a re-simulation first differs from the log, and the likely reason."""

    index: int
    """Position of the first differing record (0-based); -1 for the header."""
    logged: Record | None
    """The record in the log (None: the log ends there)."""
    replayed: Record | None
    """The record the re-simulation gave (None: it ended there)."""
    cause: str
    """The likely cause, in words."""


class Diverged(Exception):
    """Stops a re-simulation at its first difference from the log."""


class LogChecker:
    """Compares each re-simulated record with the next record line of the log file (a record listener).

    It stops the re-simulation at the first difference (raising `Diverged`, which the run reports as the cause of a
    `ListenerError`) and keeps it in `divergence`. Past the log's last record it checks nothing more, unless the
    log holds every record of its run (it is sealed, or ends with the run's `RunEnded`).

    Args:
        file: the log, read past its header, whose lines were checked by `read_tabletop_log`.
        expected: how many complete records the log holds.
        sealed: whether the log holds every record of its run.
    """

    def __init__(self, file: BinaryIO, expected: int, sealed: bool) -> None:
        self.file = file
        self.expected = expected
        self.sealed = sealed
        self.checked = 0
        self.divergence: Divergence | None = None

    def next_logged(self) -> Record | None:
        """The next record of the log (None at its end, or where the file no longer holds a record)."""
        return self.parsed(self.file.readline(MAX_LINE_BYTES + 1)) if self.checked < self.expected else None

    def __call__(self, record: Record) -> None:
        if self.divergence is not None:
            return
        if self.checked >= self.expected:
            # A sealed log holds every record of its run; an interrupted one stops somewhere, and what the
            # re-simulation makes after its last record is not compared.
            if self.sealed:
                self.divergence = Divergence(self.checked, None, record, "")
                raise Diverged
            return
        line = self.file.readline(MAX_LINE_BYTES + 1).rstrip(b"\n")
        if canonical_json(record) != line:
            self.divergence = Divergence(self.checked, self.parsed(line), record, "")
            raise Diverged
        self.checked += 1

    @staticmethod
    def parsed(line: bytes) -> Record | None:
        """A logged line as a record, or None if it is none (the file changed since it was checked)."""
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            return None
        return record if isinstance(record, dict) else None
