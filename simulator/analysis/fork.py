"""Forking a logged run: identical up to a decision or a time, then re-simulated with other choices."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.analysis.replay import ReplayError, read_tabletop_log, resimulate, scenario_of
from simulator.exercise import Exercise, RunSummary
from simulator.narrative import t_plus
from simulator.runlog import RunLog


@dataclass(frozen=True, slots=True)
class Fork:
    """A forked run and where it left its parent."""

    parent: RunLog
    exercise: Exercise
    summary: RunSummary
    fork_t: float
    """Simulation time of the fork point."""
    shared_records: int
    """How many records the fork shares with its parent (identical byte for byte)."""


def fork(
    path: Path,
    *,
    at_decision: str | None = None,
    at_t: float | None = None,
    decisions: dict[str, str],
    new_log: Path | None = None,
    embedded: bool = False,
) -> Fork:
    """Re-simulate a logged run identically up to the fork point, then with `decisions`.

    The fork point is the moment `at_decision` opened in the parent run, or simulation time `at_t`. Decisions
    already open at that point are taken at once with the given options; those that open later take them as soon as
    they open. Commands the parent logged after the fork point are not applied.

    Raises:
        ReplayError: the fork point does not exist, or a decision was already taken before it.
    """
    if (at_decision is None) == (at_t is None):
        raise ReplayError("give the fork point: a decision (--at DECISION) or a time (--at 12m)")
    parent = read_tabletop_log(path)
    scenario, _notes = scenario_of(parent, embedded=embedded)
    if at_t is not None:
        at_t = round(at_t, 3)  # the clock moves in whole milliseconds
    point_t, point_index = _fork_point(parent, at_decision, at_t)
    before = parent.records[:point_index]
    taken = {r["decision"]: r for r in before if r["kind"] == "DecisionTaken"}
    opened = {r["decision"] for r in before if r["kind"] == "DecisionOpened"}
    for decision in decisions:
        if decision in taken and decision != at_decision:
            record = taken[decision]
            raise ReplayError(
                f"decision {decision!r} was already taken at {t_plus(record['t'])} ({record['option']}), before "
                "the fork point",
                f"fork earlier, e.g. --at {decision}",
            )
    # Decisions that open after the point take their new option on opening (a preset changes nothing before);
    # those already open at the point are taken by a logged command right at the point.
    presets = dict(parent.header.get("decisions") or {})
    presets.update({d: o for d, o in decisions.items() if d not in opened or d == at_decision})
    open_now = {d: o for d, o in decisions.items() if d in opened and d != at_decision}
    extra = {
        "fork": {
            "parent_sha256": (parent.seal or {}).get("sha256"),
            "at_t": point_t,
            "at_decision": at_decision,
            "decisions": dict(sorted(decisions.items())),
        }
    }
    exercise = resimulate(
        parent, scenario, until_record=point_index, presets=presets, extra_header=extra, log_path=new_log
    )
    try:
        if at_decision is not None:
            while len(exercise.records) < point_index and exercise.step_once():
                pass
        else:
            exercise.advance_to(point_t)
        for decision, option in sorted(open_now.items()):
            exercise.preset_decision(decision, option)
        summary = exercise.run()
    except BaseException:
        exercise.abandon()
        raise
    return Fork(parent, exercise, summary, point_t, point_index)


def _fork_point(parent: RunLog, at_decision: str | None, at_t: float | None) -> tuple[float, int]:
    """The time of the fork point and the index of the first parent record after it."""
    records = parent.records
    if at_decision is not None:
        for index, record in enumerate(records):
            if record["kind"] == "DecisionOpened" and record["decision"] == at_decision:
                return float(record["t"]), index + 1
        opened = sorted({r["decision"] for r in records if r["kind"] == "DecisionOpened"})
        raise ReplayError(
            f"decision {at_decision!r} never opened in this run",
            f"decisions that opened: {', '.join(opened)}" if opened else "no decision opened in this run",
        )
    assert at_t is not None
    end = float(parent.header.get("duration_s", 0))
    if at_t < 0 or at_t > end:
        raise ReplayError(f"time {t_plus(at_t)} is outside the run (it lasts {t_plus(end)})")
    index = next((i for i, r in enumerate(records) if float(r["t"]) > at_t), len(records))
    return at_t, index
