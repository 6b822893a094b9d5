"""Comparing runs: their milestones aligned in one table with deltas, and a timeline plot."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from simulator.files import write_file
from simulator.runlog import RunLog


@dataclass(frozen=True, slots=True)
class RunDigest:
    """What a comparison needs of one run."""

    label: str
    milestones: dict[str, float]
    ratings: dict[str, str | None]
    harm: float | None
    start: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """Several runs of the same scenario side by side; the first run is the reference for deltas."""

    runs: list[RunDigest]
    milestone_ids: list[str]
    milestone_names: dict[str, str]
    objective_ids: list[str]

    def delta(self, run: RunDigest, milestone: str) -> float | None:
        """The milestone's time in `run` minus its time in the first run (None when either never reached it)."""
        reference = self.runs[0].milestones.get(milestone)
        value = run.milestones.get(milestone)
        return None if reference is None or value is None else round(value - reference, 3)


def digest(log: RunLog, label: str) -> RunDigest:
    """Milestones, ratings and harm of a logged run (from its records, so interrupted runs compare too)."""
    milestones = {r["milestone"]: float(r["t"]) for r in log.records if r["kind"] == "MilestoneReached"}
    ended = next((r for r in reversed(log.records) if r["kind"] == "RunEnded"), None)
    ratings = dict(ended["ratings"]) if ended else {}
    harm = float(ended["harm"]) if ended else None
    return RunDigest(label, milestones, ratings, harm, str(log.header.get("start", "")))


def labels_for(paths: list[Path], logs: list[RunLog]) -> list[str]:
    """A short label per run: the file's name, with variant and seed."""
    out = []
    for path, log in zip(paths, logs, strict=True):
        variant = log.header.get("variant") or "base"
        out.append(f"{path.stem} ({variant}, seed {log.header.get('seed')})")
    return out


def compare(paths: list[Path]) -> Comparison:
    """Read the logs and align their milestones (in the first scenario's order, then any others by time).

    Raises:
        RunLogError: a file is not a run log.
        ReplayError: fewer than two logs, or logs of different scenarios (their milestones would not line up).
    """
    from simulator.analysis.replay import ReplayError, read_tabletop_log

    if len(paths) < 2:
        raise ReplayError("compare needs two or more run logs", "tabletop compare FIRST.jsonl SECOND.jsonl ...")
    logs = [read_tabletop_log(path) for path in paths]
    scenario_ids = {str(log.header.get("scenario_id")) for log in logs}
    if len(scenario_ids) > 1:
        listed = ", ".join(
            f"{path.name}: {log.header.get('scenario_id')}" for path, log in zip(paths, logs, strict=True)
        )
        raise ReplayError(
            "these logs are of different scenarios, whose milestones do not line up",
            f"compare runs of one scenario and its variants ({listed})",
        )
    runs = [digest(log, label) for log, label in zip(logs, labels_for(paths, logs), strict=True)]
    scenario = logs[0].header.get("scenario") or {}
    names = {m["id"]: m["name"] for m in scenario.get("milestones", [])}
    ids = list(names)
    for run in runs:
        ids += [m for m in sorted(run.milestones, key=run.milestones.__getitem__) if m not in ids]
    objectives = [o["id"] for o in scenario.get("objectives", [])]
    return Comparison(runs, ids, names, objectives)


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
