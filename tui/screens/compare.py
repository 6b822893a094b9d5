"""The compare screen: the milestones of several runs aligned with deltas, a timeline, the decisions that differed,
ratings and harm side by side, and the chain of messages that led to a milestone in each run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from simulator.analysis.chains import Chain, RunChains
from simulator.analysis.compare import Comparison, compare, milestone_cell
from simulator.formatting import DASH, minutes
from simulator.narrative import t_plus
from tui.session import shown_path
from tui.widgets.scoreboard import RATING_STYLE
from tui.widgets.timeline import TimelinePlot, run_legend, run_mark, run_style

SHOWN_RUNS = 4
"""Up to this many runs, their letters and labels are listed above the tabs (more are in the Runs tab only)."""
CHAIN_HINT = "Select a milestone (Enter or click) to see, in each run, the chain of messages that led to it."


def milestone_cells(comparison: Comparison, milestone: str, *, compact: bool = False) -> list[str]:
    """A milestone's row: each run's time (mm:ss from T0), and for the later runs the change against the first."""
    return [milestone_cell(comparison, index, milestone, compact=compact) for index in range(len(comparison.runs))]


MIN_NAME_WIDTH = 16
"""The milestone names' column is never narrower (the table scrolls sideways first)."""


class CompareScreen(Screen[None]):
    """Two or more runs of one scenario side by side; the first is the reference for every delta."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="compare.back"),
        Binding("q", "app.quit", "Quit", show=False, id="compare.quit"),  # the footer shows the app's ^q
        Binding("m", "tab('tab-milestones')", "Milestones", id="compare.milestones"),
        Binding("t", "tab('tab-timeline')", "Timeline", id="compare.timeline"),
        Binding("d", "tab('tab-decisions')", "Decisions", id="compare.decisions"),
        Binding("r", "tab('tab-ratings')", "Ratings", id="compare.ratings"),
        Binding("l", "tab('tab-runs')", "Runs", id="compare.runs"),
    ]

    DEFAULT_CSS = """
    CompareScreen #compare-runs { height: auto; max-height: 5; padding: 0 1; }
    CompareScreen #milestones { height: 1fr; min-height: 5; }
    CompareScreen #chain-scroll { height: 1fr; border-top: solid $panel; }
    CompareScreen #chain { padding: 0 1; }
    CompareScreen.-wide #milestones { height: 1fr; }
    CompareScreen.-wide #chain-scroll { height: 1fr; }
    """

    def __init__(self, comparison: Comparison, *, title: str | None = None) -> None:
        """Show `comparison` (its `paths` give the logs the chains of messages are read from)."""
        super().__init__()
        self.comparison = comparison
        self.heading = title or "Comparing runs"
        self._chains: RunChains | None = None
        self.selected: str | None = None
        """The milestone whose chains are shown."""
        self._table_width = 0

    @classmethod
    def open(cls, paths: Sequence[Path]) -> CompareScreen:
        """Read the logs and make the screen (nothing is shown yet).

        Raises:
            RunLogError: a file is not a run log of Tabletop, or was altered.
            CompareError: fewer than two logs, or logs of different scenarios.
        """
        comparison = compare(list(paths))
        return cls(comparison, title=f"Comparing {len(paths)} runs")

    def compose(self) -> ComposeResult:
        yield Static(self._runs_legend(), id="compare-runs")
        with TabbedContent(initial="tab-milestones"):
            with TabPane("Milestones", id="tab-milestones"), Vertical():
                yield DataTable(id="milestones", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="chain-scroll"):
                    yield Static(Text(CHAIN_HINT, style="dim"), id="chain")
            with TabPane("Timeline", id="tab-timeline"), VerticalScroll():
                yield TimelinePlot(self.comparison, id="timeline")
            with TabPane("Decisions", id="tab-decisions"), VerticalScroll():
                yield Static(self._decisions(), id="decisions")
            with TabPane("Ratings and harm", id="tab-ratings"), VerticalScroll():
                yield Static(self._ratings(), id="ratings")
            with TabPane("Runs", id="tab-runs"), VerticalScroll():
                yield Static(self._runs(), id="runs")
        yield Footer()

    def on_mount(self) -> None:
        self._fill_table(self.app.size.width)
        self.query_one("#milestones", DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        """The names' column takes the width the runs' columns leave: laid out again for the new width."""
        if event.size.width != self._table_width:
            self._fill_table(event.size.width)

    def _fill_table(self, width: int) -> None:
        """The milestones' table for a screen `width` wide: every run's column at the width of its cells (compact
        ones when the full ones leave the names too little), the names taking the rest."""
        self._table_width = width
        table = self.query_one("#milestones", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        milestones = self.comparison.milestone_ids
        names = [self.comparison.milestone_names.get(m, m) for m in milestones]
        longest = max([len("milestone"), *(len(name) for name in names)])
        for compact in (False, True):
            rows = [milestone_cells(self.comparison, m, compact=compact) for m in milestones]
            widths = [
                max([len(run_mark(i)) + 7, *(len(row[i]) for row in rows)]) for i in range(len(self.comparison.runs))
            ]
            # What the times leave (each column has a cell padding of 1 on either side, and the scrollbar 2).
            free = width - sum(w + 2 for w in widths) - 6
            if free >= min(longest, 30):
                break
        table.add_column("milestone", key="milestone", width=max(MIN_NAME_WIDTH, min(free, longest)))
        for index, column_width in enumerate(widths):
            heading = run_mark(index) if index == 0 else f"{run_mark(index)} (vs A)"
            table.add_column(Text(heading, style=run_style(index)), key=f"run-{index}", width=column_width)
        for milestone, name, cells in zip(milestones, names, rows, strict=True):
            table.add_row(Text(name, no_wrap=True, overflow="ellipsis"), *cells, key=milestone)
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    # --- what the tabs show ------------------------------------------------------------------------------------------

    def _runs_legend(self) -> Text:
        text = Text()
        text.append(self.heading, style="bold")
        runs = self.comparison.runs
        if len(runs) > SHOWN_RUNS:  # their legend would take the screen: it is in the Runs tab
            text.append(f" (A is the reference for every change; l lists the runs, A to {run_mark(len(runs) - 1)})")
        else:
            text.append(" (the first is the reference for every change)", style="dim")
            text.append("\n")
            text.append(run_legend([run.label for run in runs], self.app.size.width - 2))
        for note in self.comparison.notes:
            text.append(f"\nnote: {note}", style="yellow")
        return text

    def _runs(self) -> Table:
        table = Table(title="The runs compared (the first is the reference)", title_justify="left", expand=True)
        for column in ("run", "label", "how it stopped", "log"):
            table.add_column(column)
        paths = self.comparison.paths
        for index, run in enumerate(self.comparison.runs):
            log = shown_path(paths[index]) if index < len(paths) else ""  # none for runs compared in memory
            stopped = Text(run.end_text(), style="" if run.played_out else "yellow")
            table.add_row(Text(run_mark(index), style=run_style(index)), Text(run.label), stopped, Text(log))
        return table

    def _decisions(self) -> RenderableType:
        comparison = self.comparison
        differing = comparison.differing_decisions()
        alike = len(comparison.decision_ids) - len(differing)
        if not differing:
            return Text(f"Every run took the same options ({alike} decisions taken alike).")
        table = Table(title="Decisions that differed", title_justify="left", expand=True)
        table.add_column("decision")
        for index, _run in enumerate(comparison.runs):
            table.add_column(Text(run_mark(index), style=run_style(index)))
        for decision in differing:
            cells = []
            for run in comparison.runs:
                taken = run.decisions.get(decision)
                if taken is None:
                    cells.append(Text("not taken", style="dim"))
                else:
                    option, by = taken
                    cell = Text(comparison.option_label(decision, option))
                    when = run.decided_at.get(decision)
                    cell.append(f" ({by}{'' if when is None else ', at ' + minutes(when)})", style="dim")
                    cells.append(cell)
            table.add_row(Text(comparison.decision_prompts.get(decision, decision)), *cells)
        note = Text(f"\n{alike} other decisions were taken alike in every run.", style="dim") if alike else Text()
        return Group(table, note)

    def _ratings(self) -> RenderableType:
        comparison = self.comparison
        table = Table(title="Objective ratings and harm", title_justify="left", expand=True)
        table.add_column("objective")
        for index, _run in enumerate(comparison.runs):
            table.add_column(Text(run_mark(index), style=run_style(index)))
        for objective in comparison.objective_ids:
            ratings = [run.ratings.get(objective) for run in comparison.runs]
            table.add_row(
                Text(comparison.objective_names.get(objective, objective)),
                *(Text(r or DASH, style=RATING_STYLE.get(r or "", "dim")) for r in ratings),
            )
        harm = [DASH if run.harm is None else f"{run.harm:.1f}" for run in comparison.runs]
        table.add_row(Text("harm", style="bold"), *harm)
        return table

    # --- the chains of messages ----------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Show each run's chain of messages to the selected milestone."""
        if event.row_key.value is not None:
            self.show_chains(event.row_key.value)

    def show_chains(self, milestone: str) -> None:
        """Show, for each run, the chain of messages that led to `milestone`."""
        if self._chains is None:
            self._chains = RunChains.read(self.comparison.paths)
        self.selected = milestone
        chains = self._chains.of(milestone)
        self.query_one("#chain", Static).update(self._chain_text(milestone, chains))

    def _chain_text(self, milestone: str, chains: Sequence[Chain]) -> Text:
        assert self._chains is not None
        name = self._chains.name
        text = Text()
        text.append(self.comparison.milestone_names.get(milestone, milestone), style="bold")
        text.append(": who told whom, when, over which channel", style="dim")
        for index, chain in enumerate(chains):
            text.append("\n")
            text.append(run_mark(index), style=run_style(index))
            reached = self.comparison.runs[index].milestones.get(milestone)
            run = self.comparison.runs[index]
            if reached is not None:
                text.append(f" reached {t_plus(reached)}", style="bold")
            elif run.stopped_before(milestone):
                text.append(f" not reached before the run stopped ({run.end_text()})", style="bold")
            else:
                text.append(" not reached", style="bold")
            if chain.reason is not None and reached is not None:
                text.append(f" ({chain.reason})", style="dim")
            if chain.actor is not None:
                text.append(f"\n   {name(chain.actor)} acted on:", style="dim")
            for link in chain.links:
                text.append(f"\n   {t_plus(link.t)}  ")
                text.append(self._chains.link_text(link))
                details = link.timing()
                if link.attempts:
                    details.append(f"{link.attempts} failed attempt{'s' if link.attempts > 1 else ''} first")
                if link.rerouted:
                    details.append("rerouted")
                if link.fell_back:
                    details.append("on the fallback channel")
                text.append(f"  ({', '.join(details)})" if details else "", style="dim")
        return text

    # --- actions -------------------------------------------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        """Show a tab, with the keys going to what it shows (else the focus left behind would bring its tab back)."""
        tabs = self.query_one(TabbedContent)
        tabs.active = tab
        focusable = [w for w in tabs.get_pane(tab).query("*") if w.can_focus]
        if focusable:
            focusable[0].focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Back is offered only when there is a screen to go back to (not when opened from the command line)."""
        if action == "back":
            return len(self.app.screen_stack) > 2
        return True

    def action_back(self) -> None:
        """Back to the screen below (the debrief, the replay); the compare screen alone stays open (q quits)."""
        if len(self.app.screen_stack) > 2:  # the app's default screen is always at the bottom
            self.app.pop_screen()
        else:
            self.notify("q quits", markup=False)
