"""Comparing runs: their milestones aligned in one table with deltas, and a timeline plot."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.errors import SimulationError
from simulator.files import write_file
from simulator.logcheck import read_tabletop_log
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
    """The decisions taken, in time order: decision id -> (option id, by whom: a seat, `preset` or `default`)."""
    decided_at: dict[str, float] = field(default_factory=dict)
    """When each decision was taken (simulation seconds from T0)."""


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


def digest(log: RunLog, label: str) -> RunDigest:
    """Milestones, ratings and harm of a logged run (from its records, so interrupted runs compare too).

    The records are those `read_tabletop_log` checked: each has its kind's fields, with their types.
    """
    milestones = {r["milestone"]: float(r["t"]) for r in log.records if r["kind"] == "MilestoneReached"}
    ended = next((r for r in reversed(log.records) if r["kind"] == "RunEnded"), None)
    ratings = dict(ended["ratings"]) if ended else {}
    harm = float(ended["harm"]) if ended else None
    taken = [r for r in log.records if r["kind"] == "DecisionTaken"]
    decisions = {str(r["decision"]): (str(r["option"]), str(r["by"])) for r in taken}
    decided_at = {str(r["decision"]): float(r["t"]) for r in taken}
    return RunDigest(label, milestones, ratings, harm, str(log.header.get("start", "")), decisions, decided_at)


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
        except (RunLogError, OSError):
            continue
        if header.get("scenario_id") == scenario_id:
            variant = header.get("variant")
            found.append(LogEntry(path, None if variant is None else str(variant), header.get("seed"), modified))
    return sorted(found, key=lambda entry: (-entry.modified, entry.path.name))
