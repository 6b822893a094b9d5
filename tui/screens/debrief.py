"""The debrief screen: milestones against objectives with ratings, the decisions taken, the timeline and harm."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from simulator import SimulationError
from simulator.analysis.compare import comparable_logs
from simulator.debrief import Debrief
from tui.dialogs.export import ExportDialog, copy_log
from tui.dialogs.pick_logs import PickLogsDialog
from tui.session import Session, shown_path
from tui.widgets.scoreboard import RATING_STYLE


def debrief_renderable(report: Debrief, names: dict[str, str]) -> Group:
    """The debrief as Rich tables (objectives, milestones, decisions, observations, timeline)."""
    head = Text()
    head.append(report.title, style="bold")
    head.append(f"   seed {report.seed}, T0 {report.start} {report.time_zone}")
    head.append(f"\nHarm {report.harm:.1f} {report.harm_unit}", style="bold")
    if report.stopped is not None:
        head.append(f"\nThe run was stopped: {report.stopped}", style="bold yellow")
    if report.log:
        head.append(f"\nRun log: {shown_path(report.log)}  (tabletop replay LOG --verify checks it)", style="dim")

    objectives = Table(title="Objectives", title_justify="left", expand=True)
    for column in ("rating", "objective", "took", "thresholds"):
        objectives.add_column(column)
    for row in report.objectives:
        rating = row.rating or "…"
        took = row.measured if row.note is None else f"{row.measured} ({row.note})"
        objectives.add_row(
            Text(rating, style=RATING_STYLE.get(rating, "")), Text(row.name), Text(took), Text(row.thresholds)
        )

    milestones = Table(title="Milestones", title_justify="left", expand=True)
    for column in ("reached", "clock", "milestone", *(("published",) if report.references else ())):
        milestones.add_column(column)
    for m in report.milestones:
        cells: list[str | Text] = [m.t_plus or "—", m.clock, Text(m.name)]
        if report.references:
            cells.append(m.published or "")
        milestones.add_row(*cells)

    decisions = Table(title="Decisions taken", title_justify="left", expand=True)
    for column in ("when", "organisation", "decision", "answer", "by", "what it did"):
        decisions.add_column(column)
    for d in report.taken:
        by = Text("default (deadline passed)", style="yellow") if d.by == "default" else Text(d.by)
        decisions.add_row(
            d.t_plus,
            Text(names.get(d.stakeholder, d.stakeholder)),
            Text(d.prompt),
            Text(d.label),
            by,
            Text("; ".join(d.consequences) or "no action"),
        )
    parts: list[RenderableType] = [head, objectives, milestones, decisions]
    if report.observations:
        notes = Table(title="Observations", title_justify="left", expand=True)
        for column in ("when", "seat", "note"):
            notes.add_column(column)
        for o in report.observations:
            notes.add_row(o.t_plus, o.seat, Text(o.text))
        parts.append(notes)
    timeline = Table(title="Timeline", title_justify="left", expand=True)
    for column in ("T+", "clock", "what happened"):
        timeline.add_column(column)
    for line in report.timeline:
        timeline.add_row(line.t_plus, line.clock, Text(line.text, style="bold green" if line.milestone else ""))
    parts.append(timeline)
    return Group(*parts)


class DebriefScreen(Screen[None]):
    """The debrief of the ended exercise."""

    BINDINGS = [
        Binding("escape", "back", "Back to the exercise", id="debrief.back"),
        Binding("ctrl+e", "export", "Export log", id="debrief.export"),
        Binding("c", "compare", "Compare with other runs", id="debrief.compare"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.report = session.host.debrief()

    def compose(self) -> ComposeResult:
        names = dict(self.session.host.catalogue().names)
        with VerticalScroll(id="debrief"):
            yield Static(debrief_renderable(self.report, names), id="debrief-body")
        yield Footer()

    def action_back(self) -> None:
        """Back to the exercise screen (its feed can still be read and filtered)."""
        self.app.pop_screen()

    def action_compare(self) -> None:
        """Pick other runs of this scenario from the run log's folder and compare this run with them."""
        compare_with_other_runs(self.app, self.session.log)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The palette's entries for this screen."""
        yield SystemCommand("Compare this run with other runs", "c", self.action_compare)
        yield SystemCommand("Export the run log", "Ctrl+E", self.action_export)
        yield SystemCommand("Back to the exercise", "Esc", self.action_back)

    def action_export(self) -> None:
        """Copy the run log to another file."""
        log = self.session.log

        def export(target: str) -> str | None:
            error = copy_log(log, target)
            if error is None:
                self.notify(f"The run log was copied to {target.strip()}", markup=False)
            return error

        self.app.push_screen(ExportDialog(str(log.with_name(log.stem + "-copy.jsonl")), export))


def compare_with_other_runs(app: App[None], log: Path) -> None:
    """Ask which other runs of `log`'s scenario (in its folder) to compare it with, then open the compare screen on
    this run first and the picked ones after it (newest first); say so when there are none, or they cannot be read."""
    from tui.screens.compare import CompareScreen

    entries = comparable_logs(log)
    if not entries:
        app.notify(
            f"There is no other run log of this scenario in {log.parent.resolve()}: play another round, or "
            "run: tabletop compare LOG LOG ...",
            title="Nothing to compare with",
            severity="warning",
            markup=False,
        )
        return

    def picked(paths: list[Path] | None) -> None:
        if not paths:
            return
        try:
            screen = CompareScreen.open([log, *paths])
        except SimulationError as exc:
            app.notify(str(exc), title=exc.title, severity="error", markup=False)
            return
        app.push_screen(screen)

    app.push_screen(PickLogsDialog(log, entries), picked)
