"""Forking a logged run: identical up to a decision or a time, re-simulated with other choices, and what changed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios import parse_duration
from simulator.analysis.compare import Comparison, RunDigest, digest, in_time_order
from simulator.analysis.replay import ReplayError, resimulate, scenario_of
from simulator.exercise import Exercise, RunSummary
from simulator.formatting import DASH, minutes, signed
from simulator.logcheck import read_tabletop_log
from simulator.narrative import t_plus
from simulator.runlog import RunLog

_T_PLUS = re.compile(r"^T\+(\d+):([0-5]\d):([0-5]\d)$")
_TIME_LIKE = re.compile(r"^[-+T\d]")


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


@dataclass(frozen=True, slots=True)
class ForkPoint:
    """Where a fork leaves its parent: the moment a decision opened, or a simulation time (one of the two)."""

    decision: str | None
    t: float | None
    """Simulation seconds from T0."""


def fork_point_of(text: str, header: Mapping[str, Any]) -> ForkPoint:
    """Read a fork point: one of the run's decisions, or a time (a duration such as `12m` or `1h5m`, or `T+HH:MM:SS`).

    `header` is the parent log's header, whose scenario names the run's decisions. A decision id wins over a time
    that reads the same (`30m` can be both). Text that looks like a time but is not one is a mistake; any other
    text is taken as a decision id, which `fork` refuses when that decision never opened.

    Raises:
        ReplayError: the text starts like a time (a digit, a sign or `T`) but is not one.
    """
    scenario = header.get("scenario")
    decisions = scenario.get("decisions") if isinstance(scenario, dict) else None
    if text in {str(d.get("id")) for d in decisions or () if isinstance(d, dict)}:
        return ForkPoint(text, None)
    match = _T_PLUS.match(text)
    if match:
        hours, mins, seconds = (int(g) for g in match.groups())
        return ForkPoint(None, float(hours * 3600 + mins * 60 + seconds))
    try:
        return ForkPoint(None, parse_duration(text))
    except ValueError:
        if _TIME_LIKE.match(text):
            raise ReplayError(
                f"{text!r} is not a time", "write a time such as 12m, 1h5m or T+00:12:00, or a decision id"
            ) from None
        return ForkPoint(text, None)


def fork(
    path: Path | RunLog,
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

    Args:
        path: the parent's log, or the parent already read with `read_tabletop_log`.
        at_decision: fork where this decision opened...
        at_t: ...or at this simulation time (seconds from T0).
        decisions: the other choices, `{decision: option}`.
        new_log: write the fork's log here.
        embedded: use the scenario copied in the parent's log, not its file.

    Raises:
        RunLogError: the parent's log is not a run log of Tabletop, or was altered (`FILE:LINE: what`).
        ReplayError: the fork point does not exist, or a decision was already taken before it.
    """
    if (at_decision is None) == (at_t is None):
        raise ReplayError("give the fork point: a decision (--at DECISION) or a time (--at 12m)")
    parent = path if isinstance(path, RunLog) else read_tabletop_log(path)
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
        parent,
        scenario,
        until_record=point_index,
        presets=presets,
        extra_header=extra,
        log_path=new_log,
        log_flush="block",
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


# --- what changed ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One line of a fork's "what changed" table, as text: what, in the parent, in the fork, and the change."""

    label: str
    parent: str
    fork: str
    change: str
    """Empty when nothing changed (or nothing can be compared); `±0` for a milestone reached at the same time."""

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready form."""
        return {"label": self.label, "parent": self.parent, "fork": self.fork, "change": self.change}


@dataclass(frozen=True, slots=True)
class MilestoneChange:
    """When the parent and the fork reached a milestone."""

    milestone: str
    """The milestone's id."""
    name: str
    parent: float | None
    """Simulation seconds from T0 in the parent, or None when it never reached it."""
    fork: float | None
    """The same in the fork."""
    change_s: float | None
    """The fork's time minus the parent's, to the millisecond (`Comparison.delta`); None when either never came."""

    @property
    def row(self) -> ChangeRow:
        """The line the table shows: times in `mm:ss`, the change signed."""
        return ChangeRow(self.name, minutes(self.parent), minutes(self.fork), signed(self.change_s))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "milestone": self.milestone,
            "name": self.name,
            "parent": self.parent,
            "fork": self.fork,
            "change_s": self.change_s,
        }


@dataclass(frozen=True, slots=True)
class RatingChange:
    """An objective's rating in the parent and in the fork."""

    objective: str
    """The objective's id."""
    name: str
    parent: str | None
    """P, S, M or U; None when the parent has no rating for it (it was interrupted)."""
    fork: str | None

    @property
    def row(self) -> ChangeRow:
        """The line the table shows: `P → S` when the rating changed."""
        change = "" if self.parent == self.fork else f"{self.parent} → {self.fork}"
        return ChangeRow(f"objective: {self.name}", str(self.parent), str(self.fork), change)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"objective": self.objective, "name": self.name, "parent": self.parent, "fork": self.fork}


@dataclass(frozen=True, slots=True)
class HarmChange:
    """The harm of the parent and of the fork."""

    parent: float | None
    """None when the parent has no outcome (it was interrupted)."""
    fork: float

    @property
    def change(self) -> float | None:
        """The fork's harm minus the parent's, or None."""
        return None if self.parent is None else round(self.fork - self.parent, 3)

    @property
    def row(self) -> ChangeRow:
        """The line the table shows, to one decimal."""
        change = self.change
        return ChangeRow(
            "harm",
            DASH if self.parent is None else f"{self.parent:.1f}",
            f"{self.fork:.1f}",
            "" if change is None else f"{change:+.1f}",
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"parent": self.parent, "fork": self.fork, "change": self.change}


@dataclass(frozen=True, slots=True)
class ForkDiff:
    """What a fork changed against its parent: each milestone, each objective's rating, and the harm."""

    fork_t: float
    """Simulation time of the fork point."""
    shared_records: int
    """How many records the fork shares with its parent."""
    milestones: tuple[MilestoneChange, ...]
    """Every milestone of the scenario, in its order."""
    objectives: tuple[RatingChange, ...]
    """Every objective of the scenario, in its order."""
    harm: HarmChange

    @property
    def at(self) -> str:
        """The fork point as `T+HH:MM:SS`."""
        return t_plus(self.fork_t)

    def rows(self) -> tuple[ChangeRow, ...]:
        """The "what changed" table: the milestones (in time order), then the objectives, then the harm."""
        return (*(m.row for m in self.milestones), *(o.row for o in self.objectives), self.harm.row)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (with the table's rows as text)."""
        return {
            "fork_t": self.fork_t,
            "at": self.at,
            "shared_records": self.shared_records,
            "milestones": [m.to_dict() for m in self.milestones],
            "objectives": [o.to_dict() for o in self.objectives],
            "harm": self.harm.to_dict(),
            "rows": [row.to_dict() for row in self.rows()],
        }


def fork_diff(result: Fork) -> ForkDiff:
    """What `result` changed against its parent (the parent's outcome read from its records, as `compare` does)."""
    parent = digest(result.parent, "parent")
    summary = result.summary
    forked = RunDigest(
        "fork",
        dict(summary.milestones),
        {r.objective: r.rating for r in summary.objectives},
        summary.harm,
        parent.start,
    )
    names = {m.id: m.name for m in result.exercise.scenario.milestones}
    comparison = Comparison([parent, forked], list(names), names, [r.objective for r in summary.objectives])
    return ForkDiff(
        result.fork_t,
        result.shared_records,
        tuple(
            MilestoneChange(
                m, names[m], parent.milestones.get(m), forked.milestones.get(m), comparison.delta(forked, m)
            )
            for m in in_time_order(list(names), [parent, forked])
        ),
        tuple(RatingChange(r.objective, r.name, parent.ratings.get(r.objective), r.rating) for r in summary.objectives),
        HarmChange(parent.harm, summary.harm),
    )
