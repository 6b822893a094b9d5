"""Comparing runs: their milestones aligned in one table with deltas, and a timeline plot."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from simulator.errors import SimulationError
from simulator.files import write_file
from simulator.formatting import minutes, signed
from simulator.logcheck import read_tabletop_log
from simulator.narrative import t_plus
from simulator.runlog import RunLog, RunLogError, read_header


class CompareError(SimulationError):
    """Logs that cannot be compared (fewer than two, or runs of different scenarios)."""

    title = "Cannot compare"


@dataclass(frozen=True, slots=True)
class RunDigest:
    """What a comparison needs of one run."""

    label: str
    milestones: dict[str, float]
    ratings: dict[str, str | None]
    harm: float | None
    start: str
    decisions: dict[str, tuple[str, str]] = field(default_factory=dict)
    """The decisions taken, in time order: decision id -> (option id, by whom: a seat, `preset`, `default`, or `fork`
    for an option a fork of the run changed, as its log's header says)."""
    decided_at: dict[str, float] = field(default_factory=dict)
    """When each decision was taken (simulation seconds from T0)."""
    end_t: float | None = None
    """When the run stopped (seconds from T0): its `RunEnded` record's time, or, for a run interrupted before it
    ended, its last record's; None when not known (a run compared from memory)."""
    status: Literal["ended", "interrupted"] = "ended"
    """`ended`: the run was closed (`RunEnded`); `interrupted`: its log stops without one (unsealed)."""
    played_out: bool = True
    """Whether the run was played to the scenario's end (`clock.duration`): False for an interrupted run and for one
    the facilitator ended early, where a milestone not reached may only have been cut off."""
    duration: float | None = None
    """The scenario's length (its `clock.duration`, seconds), from the log's header."""

    def stopped_before(self, milestone: str) -> bool:
        """Whether the run stopped before reaching `milestone` (not reached, and not played to the end): unlike a run
        played out, it says nothing about whether the milestone would have been reached."""
        return milestone not in self.milestones and not self.played_out

    def end_text(self) -> str:
        """How the run stopped, in words: `played to the end (T+01:00:00)`, `ended early at T+00:40:00 (of
        T+01:00:00)`, `interrupted after T+00:03:37 (unsealed; its last record)`; empty when not known."""
        if self.end_t is None:
            return ""
        if self.status == "interrupted":
            return f"interrupted after {t_plus(self.end_t)} (unsealed; its last record)"
        if self.played_out:
            return f"played to the end ({t_plus(self.end_t)})"
        of = f" (of {t_plus(self.duration)})" if self.duration is not None else ""
        return f"ended early at {t_plus(self.end_t)}{of}"

    def end_cell(self, milestone: str) -> str | None:
        """What a table shows for a milestone the run stopped before reaching (`after its end (03:37)`); None when
        the run reached it or was played out (a dash is shown then: never reached)."""
        if not self.stopped_before(milestone) or self.end_t is None:
            return None
        return f"after its end ({minutes(self.end_t)})"

    def end_record(self) -> dict[str, Any]:
        """How the run stopped, for JSON: `t` (seconds from T0), `status` and `played_out`."""
        return {"t": self.end_t, "status": self.status, "played_out": self.played_out}


@dataclass(frozen=True, slots=True)
class Comparison:
    """Several runs of the same scenario side by side; the first run is the reference for deltas."""

    runs: list[RunDigest]
    milestone_ids: list[str]
    milestone_names: dict[str, str]
    objective_ids: list[str]
    notes: list[str] = field(default_factory=list)
    """What the analyst should know first: which logs are unsealed, so their outcome is not verified."""
    paths: list[Path] = field(default_factory=list)
    """The runs' logs, in the runs' order (empty for a comparison built from runs in memory)."""
    decision_prompts: dict[str, str] = field(default_factory=dict)
    """Each decision's prompt, from the first run's scenario (in its order)."""
    option_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """Each decision's options: option id -> label."""
    objective_names: dict[str, str] = field(default_factory=dict)
    """Each objective's name, from the first run's scenario."""

    @property
    def decision_ids(self) -> list[str]:
        """The decisions taken in some run: in the first run's time order, then those only later runs took (by the
        earliest time they were taken)."""
        return sorted({d for run in self.runs for d in run.decisions}, key=self._decided_when)

    def _decided_when(self, decision: str) -> tuple[int, float, int]:
        first = self.runs[0].decided_at.get(decision)
        if first is not None:
            return (0, first, list(self.runs[0].decisions).index(decision))
        later = [run.decided_at[decision] for run in self.runs[1:] if decision in run.decided_at]
        return (1, min(later), 0)

    def options(self, decision: str) -> list[str | None]:
        """The option each run took for `decision` (None where it was not taken)."""
        return [run.decisions[decision][0] if decision in run.decisions else None for run in self.runs]

    def differing_decisions(self) -> list[str]:
        """The decisions taken with another option in some run, or taken in some runs only (in `decision_ids`
        order)."""
        return [d for d in self.decision_ids if len(set(self.options(d))) > 1]

    def option_label(self, decision: str, option: str | None) -> str:
        """An option's label for display (its id when the scenario does not name it; a dash when not taken)."""
        if option is None:
            return "not taken"
        return self.option_labels.get(decision, {}).get(option, option)

    def delta(self, run: RunDigest, milestone: str) -> float | None:
        """The milestone's time in `run` minus its time in the first run (None when either never reached it)."""
        reference = self.runs[0].milestones.get(milestone)
        value = run.milestones.get(milestone)
        return None if reference is None or value is None else round(value - reference, 3)


def milestone_cell(comparison: Comparison, index: int, milestone: str, *, compact: bool = False) -> str:
    """What a table shows for a milestone in the run at `index`: its time (`mm:ss` from T0), for the later runs with
    the change against the first (the difference of the times as shown, to the second: `04:20` then `05:56
    (+01:36)`); `after its end (03:37)` when the run stopped before reaching it, a dash when it never did.

    `compact` (for a narrow table of many runs): `05:56+01:36` and `after end 03:37`.
    """
    run = comparison.runs[index]
    stopped = run.end_cell(milestone)
    if stopped is not None:
        return f"after end {minutes(run.end_t)}" if compact else stopped
    value = run.milestones.get(milestone)
    reference = comparison.runs[0].milestones.get(milestone)
    if index == 0 or value is None or reference is None:
        return minutes(value)
    change = signed(float(int(value) - int(reference)))  # whole seconds, as `minutes` shows them
    return f"{minutes(value)}{change}" if compact else f"{minutes(value)} ({change})"


def digest(log: RunLog, label: str) -> RunDigest:
    """Milestones, ratings and harm of a logged run (from its records, so interrupted runs compare too).

    The records are those `read_tabletop_log` checked: each has its kind's fields, with their types.
    """
    milestones = {r["milestone"]: float(r["t"]) for r in log.records if r["kind"] == "MilestoneReached"}
    ended = next((r for r in reversed(log.records) if r["kind"] == "RunEnded"), None)
    ratings = dict(ended["ratings"]) if ended else {}
    harm = float(ended["harm"]) if ended else None
    taken = [r for r in log.records if r["kind"] == "DecisionTaken"]
    fork = log.header.get("fork")
    forked = fork.get("decisions") if isinstance(fork, dict) else None
    changed = {str(d): str(o) for d, o in forked.items()} if isinstance(forked, dict) else {}
    decisions = {
        str(r["decision"]): (
            str(r["option"]),
            "fork" if changed.get(str(r["decision"])) == r["option"] else str(r["by"]),
        )
        for r in taken
    }
    decided_at = {str(r["decision"]): float(r["t"]) for r in taken}
    last = log.last_record if log.last_record is not None else (log.records[-1] if log.records else None)
    end_t = float(ended["t"]) if ended else (float(last["t"]) if last is not None else 0.0)
    duration_s = log.header.get("duration_s")
    duration = float(duration_s) if isinstance(duration_s, int | float) else None
    played_out = ended is not None and (duration is None or end_t >= duration)
    status: Literal["ended", "interrupted"] = "ended" if ended else "interrupted"
    start = str(log.header.get("start", ""))
    return RunDigest(
        label, milestones, ratings, harm, start, decisions, decided_at, end_t, status, played_out, duration
    )


def _outcome(record: dict[str, Any]) -> bool:
    return record["kind"] in ("MilestoneReached", "RunEnded", "DecisionTaken")


def labels_for(paths: list[Path], logs: list[RunLog]) -> list[str]:
    """A short label per run: the file's name, with variant and seed."""
    out = []
    for path, log in zip(paths, logs, strict=True):
        variant = log.header.get("variant") or "base"
        out.append(f"{path.stem} ({variant}, seed {log.header.get('seed')})")
    return out


def compare(paths: list[Path]) -> Comparison:
    """Read the logs and align their milestones, in time order: by the first run's times, then those only later
    runs reached (by the earliest of their times), then those no run reached (in the scenario's order).

    Raises:
        RunLogError: a file is not a run log of Tabletop, or was altered (`FILE:LINE: what`).
        CompareError: fewer than two logs, or logs of different scenarios (their milestones would not line up).
    """
    if len(paths) < 2:
        raise CompareError("compare needs two or more run logs", "tabletop compare FIRST.jsonl SECOND.jsonl ...")
    logs = [read_tabletop_log(path, keep=_outcome) for path in paths]  # each record checked, few kept
    scenario_ids = {str(log.header.get("scenario_id")) for log in logs}
    if len(scenario_ids) > 1:
        listed = ", ".join(
            f"{path.name}: {log.header.get('scenario_id')}" for path, log in zip(paths, logs, strict=True)
        )
        raise CompareError(
            "these logs are of different scenarios, whose milestones do not line up",
            f"compare runs of one scenario and its variants ({listed})",
        )
    runs = [digest(log, label) for log, label in zip(logs, labels_for(paths, logs), strict=True)]
    names = _names(logs[0], "milestones")
    ids = list(names)
    for run in runs:
        ids += [m for m in sorted(run.milestones, key=run.milestones.__getitem__) if m not in ids]
    ids = in_time_order(ids, runs)
    objective_names = _names(logs[0], "objectives")
    notes = [note for log in logs if (note := log.unsealed_note()) is not None]
    notes += [
        f"{run.label} {run.end_text()}: a milestone it had not reached by then shows 'after its end', not never"
        for run in runs
        if not run.played_out
    ]
    prompts, labels = decision_names(logs[0].header)
    return Comparison(runs, ids, names, list(objective_names), notes, list(paths), prompts, labels, objective_names)


def decision_names(header: dict[str, Any]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The prompts of the decisions of the scenario copied in a log's header, and each one's option labels."""
    items = header["scenario"].get("decisions")
    prompts: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict) or "id" not in item:
            continue
        decision = str(item["id"])
        prompts[decision] = str(item.get("prompt", decision))
        options = item.get("options")
        labels[decision] = {
            str(o["id"]): str(o.get("label", o["id"]))
            for o in (options if isinstance(options, list) else ())
            if isinstance(o, dict) and "id" in o
        }
    return prompts, labels


def in_time_order(milestones: list[str], runs: list[RunDigest]) -> list[str]:
    """`milestones` in time order: by the first run's times, then those only later runs reached (by the earliest of
    their times), then those no run reached (each group keeping the given order for ties)."""
    return sorted(milestones, key=lambda milestone: _when(milestone, runs))


def _when(milestone: str, runs: list[RunDigest]) -> tuple[int, float]:
    """Where a milestone goes in time order: the first run's time, else the earliest of the others, else last."""
    first = runs[0].milestones.get(milestone)
    if first is not None:
        return (0, first)
    later = [run.milestones[milestone] for run in runs[1:] if milestone in run.milestones]
    return (1, min(later)) if later else (2, 0.0)


def _names(log: RunLog, section: str) -> dict[str, str]:
    """The ids and names of a section of the scenario copied in the log's header (in its order)."""
    items = log.header["scenario"].get(section)
    if not isinstance(items, list):
        return {}
    return {
        str(item["id"]): str(item.get("name", item["id"])) for item in items if isinstance(item, dict) and "id" in item
    }


def plot(comparison: Comparison, output: Path, *, replace: bool = False) -> None:
    """Draw each run's milestones on a timeline (minutes from T0), one row per run, into the new file `output`
    (PNG or SVG by its suffix; over an existing one with `replace`, see `write_file`)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    runs = comparison.runs
    figure, axes = plt.subplots(figsize=(11, 1.2 + 0.9 * len(runs)))
    colours = plt.get_cmap("tab20")
    for row, run in enumerate(reversed(runs)):
        y = row
        times = sorted(run.milestones.items(), key=lambda item: item[1])
        axes.hlines(y, 0, max((t for _, t in times), default=0) / 60, color="lightgrey", zorder=1)
        for milestone, t in times:
            index = comparison.milestone_ids.index(milestone) if milestone in comparison.milestone_ids else 0
            axes.scatter(t / 60, y, color=colours(index % 20), zorder=2, s=30)
    handles = [
        Line2D([], [], marker="o", linestyle="", color=colours(i % 20), label=comparison.milestone_names.get(m, m))
        for i, m in enumerate(comparison.milestone_ids)
    ]
    axes.set_yticks(range(len(runs)), [run.label for run in reversed(runs)])
    axes.set_xlabel("minutes from T0")
    axes.set_title("Milestones by run")
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    figure.tight_layout()
    image = io.BytesIO()
    figure.savefig(image, format=output.suffix.lstrip(".").lower() or "png")
    plt.close(figure)
    write_file(output, image.getvalue(), replace=replace)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """A run log found beside another, with what a facilitator picks it by."""

    path: Path
    variant: str | None
    seed: object
    modified: float
    """The file's modification time (seconds since the epoch)."""
    sealed: bool = True
    """Whether the file ends with a seal (a run that ended); False for a run interrupted before it ended. Only the
    last line is looked at: reading the log checks the seal itself."""


def comparable_logs(log: Path) -> list[LogEntry]:
    """The other run logs in `log`'s folder that are runs of the same scenario, newest first (by modification time,
    then by name). Files that are not run logs, or cannot be read, are left out; only the headers are read."""
    try:
        scenario_id = read_header(log).get("scenario_id")
        candidates = sorted(log.parent.glob("*.jsonl"))
    except (RunLogError, OSError):
        return []
    found = []
    for path in candidates:
        if path.name == log.name:
            continue
        try:
            header = read_header(path)
            modified = path.stat().st_mtime
            sealed = _ends_with_seal(path)
        except (RunLogError, OSError):
            continue
        if header.get("scenario_id") == scenario_id:
            variant = None if header.get("variant") is None else str(header.get("variant"))
            found.append(LogEntry(path, variant, header.get("seed"), modified, sealed))
    return sorted(found, key=lambda entry: (-entry.modified, entry.path.name))


_SEAL_TAIL_BYTES = 1 << 16
"""How much of a log's end is read to see whether its last line is a seal (a seal is much shorter)."""


def _ends_with_seal(path: Path) -> bool:
    """Whether the file's last line is a seal (`"type":"seal"`, which no record has)."""
    with path.open("rb") as file:
        size = file.seek(0, 2)
        file.seek(max(size - _SEAL_TAIL_BYTES, 0))
        tail = file.read()
    last = tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    return b'"type":"seal"' in last
