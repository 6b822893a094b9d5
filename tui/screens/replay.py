"""The replay screen: scrub through a logged run and see its state at any moment; fork it from an open decision.

Everything shown is a frame of `simulator.analysis.scrub.LogReplay` (the state the run had at that moment, as the
seat sees it); nothing is sent to any run. A fork is `simulator.analysis.fork.fork`, written next to the log.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent

from simulator import PendingDecision, Record, SimulationError
from simulator.analysis.fork import fork
from simulator.analysis.scrub import Frame, LogReplay
from simulator.narrative import t_plus
from simulator.seats import EVALUATOR, FACILITATOR, is_participant
from tui.dialogs.fork import ForkDialog
from tui.dialogs.goto import GoToDialog
from tui.dialogs.seat import SeatDialog
from tui.session import shown_path
from tui.widgets.decisions import DecisionBar
from tui.widgets.feed import FeedLine, feed_line
from tui.widgets.feed_panel import FeedPanel
from tui.widgets.msel import MselTable, inject_details
from tui.widgets.network import NetworkPanel
from tui.widgets.panels import compose_panels, panels_css
from tui.widgets.scoreboard import ScoreboardPanel
from tui.widgets.scrubber import Scrubber


def fork_log_path(parent: Path, decision: str, option: str) -> Path:
    """A new file next to `parent` for its fork: `<stem>-fork-<decision>-<option>.jsonl`, then `-2`, `-3`..."""
    base = f"{parent.stem}-fork-{decision}-{option}"
    candidate, number = parent.with_name(f"{base}.jsonl"), 2
    while candidate.exists():
        candidate, number = parent.with_name(f"{base}-{number}.jsonl"), number + 1
    return candidate


class ReplayMsel(MselTable, inherit_bindings=False):
    """The MSEL as it stood at the frame's moment: read-only (a replay changes nothing)."""

    BINDINGS = DataTable.BINDINGS


class ReplayScreen(Screen[None]):
    """A logged run at one moment: scrubber, open decisions, feed, MSEL, network and objectives."""

    BINDINGS = [
        Binding("left", "step(-1)", "Earlier", priority=True, id="replay.previous"),
        Binding("right", "step(1)", "Later", priority=True, id="replay.next"),
        Binding("left_square_bracket,shift+left", "jump(-1)", "Prev mark", priority=True, id="replay.previous-mark"),
        Binding("right_square_bracket,shift+right", "jump(1)", "Next mark", priority=True, id="replay.next-mark"),
        Binding("home", "seek_start", "T0", show=False, priority=True, id="replay.start"),
        Binding("end", "seek_end", "End of the run", show=False, priority=True, id="replay.end"),
        Binding("g", "goto", "Go to", id="replay.goto"),
        Binding("s", "seat", "Seat", id="replay.seat"),
        Binding("f", "fork", "Fork", id="replay.fork"),
        Binding("escape", "back", "Back", show=False, id="replay.back"),
        Binding("q", "app.quit", "Quit", show=False, system=True, id="replay.quit"),  # F1 lists ^q Quit once
    ]

    DEFAULT_CSS = panels_css("ReplayScreen")

    def __init__(self, replay: LogReplay, *, embedded: bool = False, seat: str = FACILITATOR) -> None:
        """Show `replay` from T0 to `seat` (`embedded`: a fork uses the scenario copy in the log, as the replay)."""
        super().__init__()
        self.replay = replay
        self.embedded = embedded
        self.seat = seat
        self.frame: Frame = replay.frame(0.0, seat)
        self._follow_seat()

    @classmethod
    def open(cls, path: Path, *, embedded: bool = False) -> ReplayScreen:
        """The replay screen on the run log at `path`, at T0.

        Raises:
            RunLogError, ReplayError: not a run log of Tabletop, altered, or its scenario cannot be had.
        """
        return cls(LogReplay.open(path, embedded=embedded), embedded=embedded)

    def _follow_seat(self) -> None:
        """What depends on the seat alone: the names it may know, its marks, the records it may see."""
        replay = self.replay
        self._catalogue = replay.catalogue(self.seat)
        self._marks = replay.marks(self.seat)
        self._visible = replay.records(len(replay.log.records), self.seat)
        self._visible_seqs = [int(r["seq"]) for r in self._visible]
        self._lines: list[FeedLine] = []
        """Feed lines of `_visible`, made as far as a frame has needed them."""
        self._points = replay.points_for(self.seat)
        """Where the arrows step: each moment something happened; for a participant, something it saw."""
        self._shown: dict[str, object] = {}
        """What each panel shows (its data), to leave alone a panel whose data has not changed."""

    def seat_name(self, seat: str) -> str:
        """A seat as shown: an organisation's name and its id (`Police Control 110 (police-control-110)`)."""
        name = next((s.name for s in self.replay.catalogue().stakeholders if s.id == seat), None)
        return seat if name is None or name == seat else f"{name} ({seat})"

    def _point_index(self, t: float) -> int:
        """The index in `_points` of the last moment at or before `t`."""
        return max(bisect_right(self._points, t) - 1, 0)

    @property
    def control(self) -> bool:
        """Whether the seat is a control seat (facilitator or evaluator)."""
        return not is_participant(self.seat)

    # --- layout ---------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Scrubber(id="scrubber")
        yield DecisionBar(id="decisions")
        yield from compose_panels(((s.id, s.name) for s in self._catalogue.stakeholders), ReplayMsel(id="msel"))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Show T0; say which scenario the replay uses."""
        self._show_tabs()
        self.refresh_views()
        kept = self.replay.warnings  # shown under the slider for as long as the replay is open
        for note in self.replay.notes:
            if not any(warning.startswith(note) for warning in kept):
                self.notify(note, markup=False)

    def on_resize(self) -> None:
        """Draw the side network when the terminal becomes wide enough for it."""
        self.call_after_refresh(self.refresh_views)

    def _show_tabs(self) -> None:
        tabs = self.query_one(TabbedContent)
        for pane in ("tab-msel", "tab-objectives"):
            if self.control:
                tabs.show_tab(pane)
            else:
                tabs.hide_tab(pane)

    # --- showing a frame ------------------------------------------------------------------------------------

    def seek(self, t: float) -> None:
        """Show the run at simulation time `t` (clamped to the run: T0 to its end)."""
        self.frame = self.replay.frame(t, self.seat)
        self.refresh_views()

    def refresh_views(self) -> None:
        """Render every panel from the current frame."""
        frame, names = self.frame, self._catalogue.names
        replay = self.replay
        self.query_one(Scrubber).show(
            frame.clock,
            self._marks,
            seat=self.seat_name(self.seat),
            log=str(shown_path(replay.path)),
            end=replay.end,
            end_text=replay.end_text(),
            point=(self._point_index(frame.t), len(self._points)),
            notes=replay.warnings,
        )
        # A panel is drawn again only when what it shows changed (a step often changes one or two of them).
        wide = self.has_class("-wide")
        if self._changed("decisions", frame.decisions):
            self.query_one(DecisionBar).show(frame.decisions, names, hint="f: fork")
        if self._changed("network", (frame.network, frame.decisions, wide)):
            self.query_one("#network", NetworkPanel).show(frame.network, frame.decisions, names, self.seat)
            if wide:
                self.query_one("#side-network", NetworkPanel).show(
                    frame.network, frame.decisions, names, self.seat, links=True
                )
        if self.control:
            if self._changed("msel", frame.msel):
                self.query_one(MselTable).show(frame.msel, names)
                self._show_inject_details()
            if frame.scoreboard is not None and self._changed("scoreboard", frame.scoreboard):
                self.query_one(ScoreboardPanel).show(frame.scoreboard, names)
        self._show_feed()

    def _changed(self, panel: str, shown: object) -> bool:
        """Whether `panel` is to show something else than it shows (and note what it will show)."""
        if self._shown.get(panel) == shown:
            return False
        self._shown[panel] = shown
        return True

    def _show_feed(self) -> None:
        """The feed up to the frame's moment: lines are added going forward, cut going back."""
        count = bisect_left(self._visible_seqs, self.frame.records)
        if count > len(self._lines):
            texts = {i.id: i.text for i in self.frame.inbox}
            names = self._catalogue.names
            self._lines.extend(feed_line(r, names, texts) for r in self._visible[len(self._lines) : count])
        feed = self.query_one(FeedPanel).feed
        shown = feed.line_count
        if count > shown:
            feed.add(self._lines[shown:count])
        elif count < shown:
            feed.truncate(count)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the whole of the inject under the MSEL's cursor."""
        self._show_inject_details()

    def _show_inject_details(self) -> None:
        inject = self.query_one(MselTable).current
        details = self.query_one("#msel-details", Static)
        details.update(Text("") if inject is None else inject_details(inject, self._catalogue.names, actions=False))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Put the keyboard in the tab just opened."""
        targets = {"tab-msel": "#msel", "tab-feed": "#feed", "tab-network": "#network", "tab-objectives": "#scoreboard"}
        target = targets.get(event.pane.id or "")
        if target is not None:
            self.query_one(target).focus()

    # --- moving in time -------------------------------------------------------------------------------------

    def on_scrubber_seek(self, event: Scrubber.Seek) -> None:
        """A click on the slider."""
        self.seek(event.t)

    def action_step(self, direction: int) -> None:
        """Show the next (1) or previous (-1) moment something happened."""
        points, t = self._points, self.frame.t
        index = self._point_index(t)
        if direction > 0:
            target = (
                points[index + 1] if index + 1 < len(points) else (self.replay.end if t < self.replay.end else None)
            )
        elif t > points[index]:
            target = points[index]
        else:
            target = points[index - 1] if index > 0 else None
        if target is None:
            self.notify("This is the end of the run." if direction > 0 else "This is T0.", markup=False)
            return
        self.seek(target)

    def action_jump(self, direction: int) -> None:
        """Show the next (1) or previous (-1) milestone or decision."""
        t = self.frame.t
        if direction > 0:
            mark = next((m for m in self._marks if m.t > t), None)
        else:
            mark = next((m for m in reversed(self._marks) if m.t < t), None)
        if mark is None:
            self.notify(f"No milestone or decision {'after' if direction > 0 else 'before'} this.", markup=False)
            return
        self.seek(mark.t)

    def action_seek_start(self) -> None:
        """Show T0."""
        self.seek(0.0)

    def action_seek_end(self) -> None:
        """Show the end of the run."""
        self.seek(self.replay.end)

    def action_goto(self) -> None:
        """Ask for a time and show it."""
        self.app.push_screen(GoToDialog(t_plus(self.frame.t), self.replay.end_text(), self.go_to))

    def go_to(self, text: str) -> str | None:
        """Show the time `text` says (`LogReplay.time_of`); returns what is wrong with it, if anything."""
        try:
            t = self.replay.time_of(text)
        except ValueError as exc:
            return str(exc)
        self.seek(t)
        return None

    # --- the role view --------------------------------------------------------------------------------------

    def action_seat(self) -> None:
        """Show the replay to another seat (the role view)."""

        def chosen(seat: str | None) -> None:
            if seat is not None and seat != self.seat:
                self.switch_seat(seat)

        self.app.push_screen(SeatDialog(self.replay.catalogue().stakeholders, self.seat), chosen)

    def switch_seat(self, seat: str) -> None:
        """Show the same moment to `seat`: its frame, its marks, its feed."""
        self.seat = seat
        self._follow_seat()
        self.query_one(FeedPanel).feed.clear()
        self.frame = self.replay.frame(self.frame.t, seat)
        self._show_tabs()
        self.refresh_views()
        self.notify(f"The replay now shows the seat {self.seat_name(seat)}.", markup=False)

    # --- forking --------------------------------------------------------------------------------------------

    def action_fork(self, decision_id: str | None = None) -> None:
        """Fork the run from a decision open, opened or taken now (the oldest, unless one is named): pick an option."""
        forkable = self.replay.forkable(self.frame.t, self.seat)
        chosen = next((d for d in forkable if decision_id in (None, d.decision)), None)
        if chosen is None:
            self.notify(
                "No decision is open, opened or taken at this moment: press ] until the slider's block is on a"
                " decision's ? or ✓ (or Ctrl+P and choose one), then f.",
                markup=False,
            )
            return

        def answered(option: str | None) -> None:
            if option is not None:
                # Said first, and drawn before the run is played again (which takes a while on a long run).
                self.notify(f"Forking at {t_plus(chosen.opened_t)} with {option}...", markup=False)
                self.call_after_refresh(self.fork_from, chosen, option)

        self.app.push_screen(ForkDialog(chosen, self._taken(chosen.decision), self._catalogue.names), answered)

    def _taken(self, decision: str) -> str | None:
        """The option the replayed run took for `decision` (None if it never did)."""
        taken = (r for r in self.replay.log.records if r["kind"] == "DecisionTaken" and r["decision"] == decision)
        record: Record | None = next(taken, None)
        return None if record is None else str(record["option"])

    def fork_from(self, decision: PendingDecision, option: str) -> None:
        """Re-simulate the run from where `decision` opened with `option`, write it next to the log, compare them."""
        from tui.screens.compare import CompareScreen

        parent = self.replay.path
        new_log = fork_log_path(parent, decision.decision, option)
        try:
            fork(
                self.replay.log,
                at_decision=decision.decision,
                decisions={decision.decision: option},
                new_log=new_log,
                embedded=self.embedded,
            )
        except SimulationError as exc:
            self.notify(str(exc), title="Cannot fork", severity="error", markup=False)
            return
        self.notify(f"The fork was written to {shown_path(new_log)}", title="Forked", markup=False)
        try:
            screen = CompareScreen.open([parent, new_log])
        except SimulationError as exc:
            self.notify(str(exc), title="Cannot compare", severity="error", markup=False)
            return
        self.app.push_screen(screen)

    # --- leaving, and the command palette -------------------------------------------------------------------

    def _has_below(self) -> bool:
        """Whether the replay was opened from another screen (one to go back to)."""
        stack = self.app.screen_stack
        below = stack[: stack.index(self)] if self in stack else []
        return bool(below) and below[-1].id != "_default"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc (back) is offered only when there is a screen to go back to."""
        return self._has_below() if action == "back" else True

    def action_back(self) -> None:
        """Back to the screen below, if the replay was opened from one."""
        if self._has_below():
            self.app.pop_screen()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The palette's entries for this screen: go to, forks from the open decisions, marks, seats."""
        yield SystemCommand("Replay: go to a time", "g", self.action_goto)
        for d in self.replay.forkable(self.frame.t, self.seat):
            fork_from = partial(self.action_fork, d.decision)
            yield SystemCommand(f"Fork from: {d.prompt}", "f: choose another option", fork_from)
        for mark in self._marks:
            title = f"Go to {t_plus(mark.t)}: {mark.label}"
            yield SystemCommand(title, mark.kind.replace("_", " "), partial(self.seek, mark.t))
        for other in (FACILITATOR, EVALUATOR, *(s.id for s in self.replay.catalogue().stakeholders)):
            yield SystemCommand(f"Seat: {other}", "Show the replay to this seat", partial(self.switch_seat, other))
