"""What the console plays: the host of one exercise, the seat it is shown to, and where its log is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from scenarios import Scenario, load_scenario
from simulator import ExerciseHost, Host, Seat
from simulator.seats import FACILITATOR, check_seat

DEFAULT_SCENARIO = "synagogue-holiday-attack"
"""The bundled scenario the console opens on when none is given."""
_NAME_ATTEMPTS = 100
"""Default log names tried when other consoles, started in the same instant in the same folder, take them first."""


@dataclass(frozen=True, slots=True)
class Launch:
    """What the facilitator asked for on the command line or the start screen."""

    scenario: str = DEFAULT_SCENARIO
    """A scenario file or a bundled name."""
    seed: int = 0
    variant: str | None = None
    seat: Seat = FACILITATOR
    log: Path | None = None
    """Where to write the run log (None: a new file named by date and scenario, in the current folder)."""
    resume: Path | None = None
    """An interrupted exercise's log to continue (the scenario, seed and variant are the log's)."""
    pause_on_decision: bool = True


@dataclass(slots=True)
class Session:
    """One exercise on the console: its host, its scenario, its log and the seat the console shows."""

    host: Host
    scenario: Scenario
    log: Path
    seat: Seat = FACILITATOR
    notes: list[str] = field(default_factory=list)
    """What to tell the facilitator once the console is up (e.g. that the exercise was resumed)."""


def open_session(launch: Launch, folder: Path, now: datetime) -> Session:
    """Open the host `launch` asks for: a new exercise (log written from its first record) or a resumed one.

    Raises:
        ScenarioError: the scenario does not load.
        SimulationError: a bad seat, variant or log (ReplayError, RunLogError, CommandError).
        OSError: the log cannot be written.
    """
    from simulator.runlog import unused_log_path

    if launch.resume is not None:
        host = ExerciseHost.resume(launch.resume, pause_on_decision=launch.pause_on_decision)
        try:
            seat = check_seat(launch.seat, host.exercise.world.stakeholders)
        except BaseException:
            host.abandon()  # the log stays as it was, resumable with another seat
            raise
        return Session(host, host.exercise.scenario, launch.resume, seat, notes=[f"Resumed from {launch.resume}"])
    from simulator.runlog import RunLogError

    scenario = load_scenario(launch.scenario)
    if launch.log is not None and launch.log.exists():
        raise RunLogError(f"{launch.log}: the file exists", "give another --log, or leave it out for a new file name")
    seat = check_seat(launch.seat, [s.id for s in scenario.stakeholders])  # before a log is written
    for _attempt in range(_NAME_ATTEMPTS):
        log = launch.log if launch.log is not None else unused_log_path(folder, scenario.id, now)
        try:
            host = ExerciseHost.open(
                scenario,
                launch.seed,
                launch.variant,
                log=log,
                source=launch.scenario,
                pause_on_decision=launch.pause_on_decision,
            )
        except RunLogError as exc:
            # Another console (a second browser tab of `tabletop serve`) took the free name in the same instant:
            # take the next one. A name the user gave is never replaced.
            if launch.log is not None or not isinstance(exc.__cause__, FileExistsError):
                raise
            continue
        return Session(host, scenario, log, seat)
    raise RunLogError(f"{folder}: no free run log name after {_NAME_ATTEMPTS} tries", "give one with --log FILE")


def shown_path(path: str | Path) -> str:
    """A path as the facilitator reads it: relative to the current folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
