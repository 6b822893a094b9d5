"""The exercise screen: the facilitator's (or a seat's) console while the exercise runs.

Everything shown is a view of the host, everything done is a command to it; a Textual timer lets the wall time
that passed reach the host (`tick`), which advances the run in virtual time.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent

from scenarios import parse_duration
from simulator import CommandError, PendingDecision, Record, SimulationError
from simulator.commands import SPEEDS, Speed
from simulator.narrative import t_plus
from simulator.seats import EVALUATOR, FACILITATOR, is_participant
from tui.dialogs.decide import DecisionDialog
from tui.dialogs.delay import DelayDialog
from tui.dialogs.export import ExportDialog, copy_log
from tui.dialogs.inject import AdHocInjectDialog
from tui.dialogs.observe import ObserveDialog
from tui.dialogs.seat import SeatDialog
from tui.session import Session
from tui.widgets.clock import ClockBar
from tui.widgets.decisions import DecisionBar
from tui.widgets.feed import FeedLine, feed_line
from tui.widgets.feed_panel import FeedPanel
from tui.widgets.msel import MselTable, inject_details
from tui.widgets.network import NetworkPanel
from tui.widgets.panels import compose_panels, panels_css
from tui.widgets.scoreboard import ScoreboardPanel

TICK_S = 0.1
"""How often the timer lets the wall time reach the host."""


class ExerciseScreen(Screen[None]):
    """The live exercise: clock, decisions, feed, MSEL, network and objectives."""

    BINDINGS = [
        Binding("space", "toggle_clock", "Pause/Run", id="clock.toggle"),
        Binding("n", "step", "Step", id="clock.step"),
        Binding("1", "speed('1x')", "Speed 1x", show=False, id="clock.1x"),
        Binding("2", "speed('10x')", "Speed 10x", show=False, id="clock.10x"),
        Binding("3", "speed('60x')", "Speed 60x", show=False, id="clock.60x"),
        Binding("4", "speed('max')", "Speed: as fast as possible", show=False, id="clock.max"),
        Binding("d", "decide", "Decide", id="decision.decide"),
        Binding("a", "adhoc", "Inject", id="inject.adhoc"),
        Binding("o", "observe", "Note", id="observe.note"),
        Binding("s", "seat", "Seat", id="seat.switch"),
        Binding("p", "toggle_pause_on_decision", "Pause on decision", show=False, id="decision.pause-policy"),
        Binding("ctrl+e", "export", "Export log", show=False, id="log.export"),
        Binding("e", "end", "End", id="exercise.end"),
    ]

    DEFAULT_CSS = panels_css("ExerciseScreen")

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.host = session.host
        self._incoming: list[Record] = []
        self._unsubscribe: Any = None
        self._last_tick = time.monotonic()
        self._shown_state: tuple[object, ...] = ()
        self._told_end = False
        self._seen = 0
        """Records received so far (for knowing when the views changed)."""
        self._commands = 0
        """Commands the console sent (a command a seat may not see the record of still changes the views)."""
        self._catalogue = self.host.catalogue(session.seat)
        self._inject_texts: dict[str, str] = {}

    # --- layout ---------------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ClockBar(id="clock")
        yield DecisionBar(id="decisions")
        yield from compose_panels(((s.id, s.name) for s in self._catalogue.stakeholders), MselTable(id="msel"))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Follow the host: subscribe for the seat, catch up, start the timer."""
        self._seat_changed()
        self.set_interval(TICK_S, self._tick, name="exercise-clock")
        for note in self.session.notes:
            self.notify(note, markup=False)
        self.session.notes.clear()

    def on_resize(self) -> None:
        """Draw the side network when the terminal becomes wide enough for it."""
        self._shown_state = ()
        self.call_after_refresh(self.refresh_views)

    def on_unmount(self) -> None:
        """Stop following the host."""
        if self._unsubscribe is not None:
            self._unsubscribe()

    @property
    def seat(self) -> str:
        """The seat the console is shown to."""
        return self.session.seat

    @property
    def control(self) -> bool:
        """Whether the seat is a control seat (facilitator or evaluator)."""
        return not is_participant(self.seat)

    # --- following the host ---------------------------------------------------------------------------------

    def _seat_changed(self) -> None:
        """Show everything again for the current seat (the host's audience rule decides what it sees)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._catalogue = self.host.catalogue(self.seat)
        self._inject_texts = {i.id: i.text for i in self.host.inbox(self.seat)}
        feed = self.query_one(FeedPanel).feed
        feed.clear()
        self._incoming = []
        self._unsubscribe = self.host.subscribe(self._incoming.append, seat=self.seat)
        feed.add(self._lines(self.host.records_since(0, self.seat)))
        tabs = self.query_one(TabbedContent)
        for pane in ("tab-msel", "tab-objectives"):
            if self.control:
                tabs.show_tab(pane)
            else:
                tabs.hide_tab(pane)
        self._shown_state = ()
        self.refresh_views()

    def _lines(self, records: Iterable[Record]) -> list[FeedLine]:
        names = self._catalogue.names
        lines = []
        for record in records:
            if record["kind"] in ("InjectDelivered", "InjectAdded") and record["inject"] not in self._inject_texts:
                self._inject_texts.update((i.id, i.text) for i in self.host.inbox(self.seat))
            lines.append(feed_line(record, names, self._inject_texts))
        return lines

    def _tick(self) -> None:
        now = time.monotonic()
        dt, self._last_tick = now - self._last_tick, now
        try:
            self.host.tick(max(dt, 0.0))
        except SimulationError as exc:  # a console's listener failed: the run itself is intact
            self.notify(str(exc), title="Console problem", severity="error", markup=False)
        self.flush()

    def flush(self) -> None:
        """Show the records that arrived since the last call, tell what needs telling, refresh the views."""
        incoming, self._incoming[:] = list(self._incoming), []
        self._seen += len(incoming)
        if incoming:
            self.query_one(FeedPanel).add(self._lines(incoming))
            self._announce(incoming)
        for command, error in self.host.take_refusals():
            self.notify(f"{command.name}: {error}", title="Refused", severity="warning", markup=False)
        self.refresh_views()

    def _announce(self, records: list[Record]) -> None:
        names = self._catalogue.names
        for record in records:
            kind = record["kind"]
            if kind == "DecisionTaken" and record["by"] == "default":
                decision = next((d for d in self._catalogue.decisions if d.id == record["decision"]), None)
                label = (
                    next((o.name for o in decision.options if o.id == record["option"]), record["option"])
                    if decision
                    else record["option"]
                )
                self.notify(
                    f"{decision.prompt if decision else record['decision']} No answer by the deadline: "
                    f"the default applies ({label}).",
                    title="Deadline passed",
                    severity="warning",
                    markup=False,
                )
            elif kind == "DecisionOpened":
                self.notify(
                    f"{names.get(record['stakeholder'], record['stakeholder'])} must decide (d)",
                    title="Decision open",
                    markup=False,
                )
                if not self.control and record["stakeholder"] == self.seat and self.app.screen is self:
                    self.action_decide()
            elif kind == "RunEnded":
                self.notify("The exercise has ended.", title="Ended", markup=False)

    def refresh_views(self) -> None:
        """Render every panel from the host's views (panels whose data has not changed are left alone)."""
        host, seat = self.host, self.seat
        clock = host.clock(seat)
        self.query_one(ClockBar).show(clock, seat, self.session.log.name, host.pause_on_decision)
        decisions = host.pending_decisions(seat)
        self.query_one(DecisionBar).show(decisions, self._catalogue.names)
        for dialog in self.app.screen_stack:
            if isinstance(dialog, DecisionDialog):
                left = next((d.time_left_s for d in decisions if d.decision == dialog.decision.decision), None)
                if left is None:
                    dialog.dismiss(None)  # taken or timed out meanwhile: the feed and a notification say so
                else:
                    dialog.show_time_left(left)
        # Commands applied while paused make records but no events: the records seen count them too.
        state = (clock.step, clock.finished, seat, len(decisions), self._seen, self._commands)
        if state == self._shown_state:
            return
        self._shown_state = state
        names = self._catalogue.names
        network = host.network(seat)
        self.query_one("#network", NetworkPanel).show(network, decisions, names, seat)
        if self.has_class("-wide"):
            self.query_one("#side-network", NetworkPanel).show(network, decisions, names, seat, links=True)
        if self.control:
            self.query_one(MselTable).show(host.msel(seat), names)
            self._show_inject_details()
            self.query_one(ScoreboardPanel).show(host.scoreboard(seat), names)
        if clock.now >= clock.end and not clock.finished and not self._told_end:
            self._told_end = True
            self.notify("The scenario's time is over: press e to end the exercise and debrief.", markup=False)

    # --- commands -------------------------------------------------------------------------------------------

    WHILE_RUNNING = frozenset(
        {"toggle_clock", "step", "speed", "decide", "adhoc", "observe", "toggle_pause_on_decision"}
    )
    """Actions that mean nothing once the exercise has ended (the footer stops offering them)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer in the footer only what can be done now."""
        return not (action in self.WHILE_RUNNING and self.host.clock().finished)

    def sender(self, command: str) -> str:
        """The seat a command is sent from: the console is the facilitator's, whichever seat it shows.

        A decision is taken as the seat shown (so that, in an organisation's view, only its own decisions can be
        taken); an evaluator's view notes observations as the evaluator; the rest is the facilitator's.
        """
        if command == "decide" or (command == "observe" and self.seat == EVALUATOR):
            return self.seat
        return FACILITATOR

    def send(self, command: dict[str, Any]) -> str | None:
        """Send a command; returns the host's message if refused (and shows it), else None."""
        error = self._send_quietly(command)
        if error is not None:
            self.notify(error, title="Refused", severity="warning", markup=False)
        return error

    def action_toggle_clock(self) -> None:
        """Pause or run the clock."""
        if self.host.clock(self.seat).paused:
            self.send({"command": "resume"})
        else:
            self.send({"command": "pause", "note": "paused by the facilitator"})
        self._last_tick = time.monotonic()

    def action_step(self) -> None:
        """Jump to the next moment something happens."""
        try:
            if not self.host.step():
                self.notify("Nothing is left to happen before the end.", markup=False)
        except SimulationError as exc:
            self.notify(str(exc), title="Console problem", severity="error", markup=False)
        self.flush()

    def action_speed(self, speed: str) -> None:
        """Run the clock at `speed`."""
        if speed in SPEEDS:
            chosen: Speed = next(s for s in SPEEDS if s == speed)
            self.send({"command": "set_speed", "speed": chosen})

    def action_toggle_pause_on_decision(self) -> None:
        """Choose whether the clock pauses while a decision is open."""
        self.host.pause_on_decision = not self.host.pause_on_decision
        self.notify(
            "The clock pauses when a decision opens."
            if self.host.pause_on_decision
            else "The clock runs on while decisions are open.",
            markup=False,
        )
        self.refresh_views()

    def action_decide(self, decision_id: str | None = None) -> None:
        """Open the prompt of an open decision (the oldest, unless one is named)."""
        decisions = self.host.pending_decisions(self.seat)
        chosen = next((d for d in decisions if decision_id in (None, d.decision)), None)
        if chosen is None:
            self.notify("No decision is open for this seat.", markup=False)
            return
        self._open_decision(chosen)

    def _open_decision(self, decision: PendingDecision) -> None:
        # As the organisation itself knows it, whoever looks: no ground truth, no threat phases.
        knows = self.host.awareness(decision.stakeholder, decision.stakeholder)

        def answered(option: str | None) -> None:
            if option is not None:
                self.send({"command": "decide", "decision": decision.decision, "option": option})

        self.app.push_screen(DecisionDialog(decision, knows, self._catalogue.names), answered)

    def action_adhoc(self) -> None:
        """Write an inject and deliver it now."""
        catalogue = self.host.catalogue()  # every organisation and fact, whichever seat the console shows
        self.app.push_screen(AdHocInjectDialog(catalogue.stakeholders, catalogue.facts, self._send_quietly))

    def action_observe(self) -> None:
        """Note an observation (as the evaluator in an evaluator's view, else as the facilitator)."""
        catalogue = self.host.catalogue()
        self.app.push_screen(ObserveDialog(catalogue.objectives, catalogue.core_capabilities, self._send_quietly))

    def _send_quietly(self, command: dict[str, Any]) -> str | None:
        """Send a command from a form, which shows the message itself."""
        try:
            self.host.submit({**command, "seat": self.sender(command["command"])})
        except CommandError as exc:
            return str(exc)
        self._commands += 1
        self._catalogue = self.host.catalogue(self.seat)  # an ad-hoc inject may bring a new fact
        self.flush()
        return None

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Put the keyboard in the tab just opened (the MSEL's arrows and keys work at once)."""
        targets = {"tab-msel": "#msel", "tab-feed": "#feed", "tab-network": "#network", "tab-objectives": "#scoreboard"}
        target = targets.get(event.pane.id or "")
        if target is not None:
            self.query_one(target).focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Show the whole of the inject under the MSEL's cursor."""
        self._show_inject_details()

    def _show_inject_details(self) -> None:
        inject = self.query_one(MselTable).current
        details = self.query_one("#msel-details", Static)
        details.update(Text("") if inject is None else inject_details(inject, self._catalogue.names))

    def on_msel_table_act(self, event: MselTable.Act) -> None:
        """Fire, hold, release, delay or skip the inject under the MSEL's cursor."""
        self.inject_action(event.action, event.inject.id)

    def _delay(self, inject: str, by: str) -> str | None:
        try:
            by_s = parse_duration(by.strip())
        except ValueError as exc:
            return str(exc)
        error = self._send_quietly({"command": "delay_inject", "inject": inject, "by_s": by_s})
        if error is None:
            due = next((i.due_t for i in self.host.msel() if i.id == inject), None)
            end = self.host.clock().end
            if due is not None and due > end:
                self.notify(
                    f"Inject {inject} is now due at {t_plus(due)}, after the scenario ends ({t_plus(end)}): "
                    "it will not be delivered.",
                    severity="warning",
                    markup=False,
                )
            elif due is not None:
                self.notify(f"Inject {inject} is now due at {t_plus(due)}.", markup=False)
        return error

    def action_seat(self) -> None:
        """Show the console to another seat (the role view)."""

        def chosen(seat: str | None) -> None:
            if seat is not None and seat != self.seat:
                self.switch_seat(seat)

        self.app.push_screen(SeatDialog(self.host.catalogue().stakeholders, self.seat), chosen)

    def action_export(self) -> None:
        """Copy the run log to a file of the facilitator's choosing."""
        log = self.session.log
        self.app.push_screen(ExportDialog(str(log.with_name(log.stem + "-copy.jsonl")), self._export))

    def _export(self, target: str) -> str | None:
        error = copy_log(self.session.log, target)
        if error is None:
            self.notify(f"The run log was copied to {target.strip()}", markup=False)
        return error

    def action_end(self) -> None:
        """End the exercise (its log is sealed) and open the debrief."""
        from tui.screens.debrief import DebriefScreen

        if not self.host.clock().finished:
            self.host.finish()
            self.flush()
            self.refresh_bindings()
        self.app.push_screen(DebriefScreen(self.session))

    # --- the command palette --------------------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The palette's entries for this screen: clock, decisions, every inject, notes, seats, export, end."""
        from tui.screens._palette import exercise_commands

        return exercise_commands(self)

    def inject_action(self, action: str, inject: str) -> None:
        """Fire, hold, release, delay (asking by how much) or skip `inject`, and say what was done."""
        if action == "delay":
            self.app.push_screen(DelayDialog(inject, lambda by: self._delay(inject, by)))
        elif self.send({"command": f"{action}_inject", "inject": inject}) is None:
            done = {"fire": "fired", "hold": "held", "release": "released", "skip": "skipped"}[action]
            self.notify(f"Inject {inject} {done}.", markup=False)

    def switch_seat(self, seat: str) -> None:
        """Show the console to `seat` (the role view)."""
        self.session.seat = seat
        self._seat_changed()
        self.refresh_bindings()
        self.notify(f"The console now shows the seat {seat}.", markup=False)
