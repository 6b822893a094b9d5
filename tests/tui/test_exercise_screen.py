"""The exercise screen driven as a facilitator would: the clock, the MSEL, ad-hoc injects, decisions, seats."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, Select, Static, TabbedContent

from simulator import FactHeld
from simulator.analysis.replay import verify
from tests.tui.console import exercise_screen, host_of, run_app, session_in, static_text
from tui.app import TabletopApp
from tui.dialogs.decide import DecisionDialog
from tui.dialogs.inject import NEW_FACT, AdHocInjectDialog
from tui.session import Session
from tui.widgets.clock import ClockBar
from tui.widgets.feed import EventFeed
from tui.widgets.msel import MselTable


def clock_text(app: TabletopApp) -> str:
    return str(exercise_screen(app).query_one(ClockBar).render())


def feed_texts(app: TabletopApp) -> list[str]:
    return [line.text for line in exercise_screen(app).query_one(EventFeed).shown]


def test_the_clock_starts_paused_and_space_runs_and_pauses_it(tmp_path: Path) -> None:
    texts: list[str] = []
    paused: list[bool] = []
    times: list[float] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        host = host_of(app)
        paused.append(host.paused)
        texts.append(clock_text(app))
        await pilot.press("3", "space")  # 60x, run
        await pilot.pause(0.5)
        paused.append(host.paused)
        times.append(host.clock().now)
        texts.append(clock_text(app))
        await pilot.press("space")
        await pilot.pause()
        times.append(host.clock().now)
        await pilot.pause(0.3)
        paused.append(host.paused)
        times.append(host.clock().now)
        texts.append(clock_text(app))

    session = session_in(tmp_path)
    run_app(TabletopApp(session=session), flow)

    assert paused == [True, False, True]
    assert "PAUSED" in texts[0] and "T+00:00:00" in texts[0]
    assert "RUNNING 60x" in texts[1] and times[0] > 0
    assert "PAUSED" in texts[2] and times[1] == times[2]  # paused: the clock stands still
    kinds = [r["kind"] for r in records_of(session.log)]
    assert kinds.count("ClockResumed") == 1 and "PauseMarked" in kinds and "SpeedChanged" in kinds


def host_of_app_awareness(session: Session) -> tuple[FactHeld, ...]:
    return session.host.awareness("crisis-cell")


def records_of(log: Path) -> list[dict[str, object]]:
    from simulator.runlog import read_run_log

    return list(read_run_log(log).records)


def test_each_speed_key_sets_the_clock_s_speed(tmp_path: Path) -> None:
    speeds: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        for key in ("2", "3", "4", "1"):
            await pilot.press(key)
            await pilot.pause()
            speeds.append(host_of(app).speed)
            assert f"RUNNING {host_of(app).speed}" not in clock_text(app)  # still paused: the speed is for later

    run_app(TabletopApp(session=session_in(tmp_path)), flow)

    assert speeds == ["10x", "60x", "max", "1x"]


def test_n_steps_to_the_next_event_and_its_records_appear_in_the_feed(tmp_path: Path) -> None:
    seen: dict[str, object] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        host = host_of(app)
        due = host.clock().next_event_t
        before = len(feed_texts(app))
        await pilot.press("n")
        await pilot.pause()
        seen["due"], seen["now"] = due, host.clock().now
        seen["added"] = feed_texts(app)[before:]
        seen["records"] = [r for r in host.records_since(0) if r["seq"] >= before]

    run_app(TabletopApp(session=session_in(tmp_path)), flow)

    assert seen["now"] == seen["due"]
    added, records = seen["added"], seen["records"]
    assert isinstance(added, list) and isinstance(records, list)
    assert len(added) == len(records) > 0  # one line per record the step made


def test_a_delivered_inject_shows_its_text_in_the_feed(tmp_path: Path) -> None:
    texts: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")  # inj-01 is due at T0
        await pilot.pause()
        texts.extend(feed_texts(app))

    session = session_in(tmp_path)
    first = next(i for i in session.scenario.injects if i.id == "inj-01")
    run_app(TabletopApp(session=session), flow)

    assert any(first.text in line for line in texts)


def test_the_msel_keys_fire_hold_release_delay_and_skip_injects(tmp_path: Path) -> None:
    statuses: dict[str, str] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        host = host_of(app)
        screen = exercise_screen(app)
        await pilot.press("tab")  # leave the feed: show the MSEL tab and focus its table
        screen.query_one("#tabs", TabbedContent).active = "tab-msel"
        await pilot.pause()
        table = screen.query_one(MselTable)
        table.focus()

        async def on(inject: str, *keys: str) -> None:
            table.move_cursor(row=table.get_row_index(inject))
            await pilot.press(*keys)
            await pilot.pause()

        await on("inj-03", "h")
        statuses["held"] = next(i.status for i in host.msel() if i.id == "inj-03")
        # The clock is paused: the table shows the change all the same (it once waited for the next event).
        statuses["shown"] = str(table.get_cell("inj-03", table.ordered_columns[3].key))
        await on("inj-03", "r")
        statuses["released"] = next(i.status for i in host.msel() if i.id == "inj-03")
        await on("inj-03", "t")
        assert app.screen.query_one("#delay-by", Input).value == "5m"
        await pilot.press("enter")
        await pilot.pause()
        statuses["delayed_due"] = str(next(i.due_t for i in host.msel() if i.id == "inj-03"))
        await on("inj-04", "f")  # a contingency inject, fired
        statuses["fired"] = next(i.status for i in host.msel() if i.id == "inj-04")
        await on("inj-02", "x")
        statuses["skipped"] = next(i.status for i in host.msel() if i.id == "inj-02")

    session = session_in(tmp_path)
    run_app(TabletopApp(session=session), flow)

    assert statuses == {
        "held": "held",
        "shown": "held",
        "released": "pending",
        "delayed_due": str(2400.0 + 300.0),
        "fired": "delivered",
        "skipped": "skipped",
    }
    assert verify(session.log).ok


def test_a_delay_that_is_not_a_duration_is_refused_in_the_dialog(tmp_path: Path) -> None:
    shown: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = exercise_screen(app)
        screen.query_one("#tabs", TabbedContent).active = "tab-msel"
        await pilot.pause()
        table = screen.query_one(MselTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("inj-03"))
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#delay-by", Input).value = "soon"
        await pilot.press("enter")
        await pilot.pause()
        shown.append(static_text(app.screen.query_one("#delay-error", Static)))

    run_app(TabletopApp(session=session_in(tmp_path)), flow)

    assert "'soon' is not a duration" in shown[0]


def test_an_ad_hoc_inject_is_delivered_and_a_bad_one_shows_the_loader_s_message(tmp_path: Path) -> None:
    seen: dict[str, object] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AdHocInjectDialog)
        dialog.query_one("#inject-to", Select).value = "crisis-cell"
        dialog.query_one("#inject-text", Input).value = ""  # no text: refused
        await pilot.press("ctrl+s")
        await pilot.pause()
        seen["error"] = static_text(dialog.query_one("#inject-error", Static))
        dialog.query_one("#inject-text", Input).value = "A caller says a second attacker is at the school."
        dialog.query_one("#inject-fact", Select).value = NEW_FACT
        dialog.query_one("#inject-fact-id", Input).value = "Second Attacker"
        dialog.query_one("#inject-fact-description", Input).value = "A second attacker is at the school"
        dialog.query_one("#inject-false", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        seen["bad id"] = static_text(dialog.query_one("#inject-error", Static))
        dialog.query_one("#inject-fact-id", Input).value = "second-attacker-school"
        await pilot.press("ctrl+s")
        await pilot.pause()
        seen["closed"] = not isinstance(app.screen, AdHocInjectDialog)
        seen["feed"] = feed_texts(app)

    session = session_in(tmp_path)
    run_app(TabletopApp(session=session), flow)

    assert seen["error"] == "an inject needs a text"
    # The scenario loader's own message for a bad id, with its hint.
    assert seen["bad id"] == (
        "add_inject: fact: 'Second Attacker' is not a valid id: use lower-case letters, digits and single hyphens, "
        "e.g. 'second-attacker'"
    )
    assert seen["closed"] is True
    feed = seen["feed"]
    assert isinstance(feed, list)
    assert any("A caller says a second attacker is at the school." in line for line in feed)
    held = {f.fact: f for f in host_of_app_awareness(session)}
    assert held["second-attacker-school"].true is False  # a false report, as the form said
    assert verify(session.log).ok


def test_a_decision_is_prompted_paused_on_and_its_answer_lands(tmp_path: Path) -> None:
    seen: dict[str, object] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        host = host_of(app)
        await pilot.press("4", "space")  # as fast as possible: to the first decision
        for _ in range(100):
            await pilot.pause(0.05)
            if host.pending_decisions():
                break
        await pilot.pause(0.2)
        decision = host.pending_decisions()[0]
        seen["paused"] = host.paused
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DecisionDialog)
        seen["knows"] = static_text(dialog.query_one("#decision-knows").query_one(Static))
        seen["decision"] = decision.decision
        other = next(o for o in decision.options if o.id != decision.default)
        seen["option"] = other.id
        options = dialog.query_one("#decision-options", OptionList)
        options.highlighted = [o.id for o in decision.options].index(other.id)
        await pilot.press("enter")
        await pilot.pause()
        seen["taken"] = [
            (r["decision"], r["option"], r["by"]) for r in host.records_since(0) if r["kind"] == "DecisionTaken"
        ]

    session = session_in(tmp_path)
    run_app(TabletopApp(session=session), flow)

    assert seen["paused"] is True
    # What the organisation knows, as it knows it, even on the facilitator's console: no threat phases, no truth.
    knows = str(seen["knows"])
    assert "from " in knows and "observation:" not in knows and "✓" not in knows
    taken = seen["taken"]
    assert isinstance(taken, list) and (seen["decision"], seen["option"], "facilitator") in taken
    assert verify(session.log).ok


def test_with_the_clock_running_on_a_decision_times_out_to_its_default_and_the_screen_says_so(
    tmp_path: Path,
) -> None:
    seen: dict[str, object] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        host = host_of(app)
        await pilot.press("4", "space")
        for _ in range(200):
            await pilot.pause(0.05)
            if any(r["kind"] == "DecisionTaken" for r in host.records_since(0)):
                break
        await pilot.press("space")
        await pilot.pause()
        seen["taken"] = [(r["decision"], r["by"]) for r in host.records_since(0) if r["kind"] == "DecisionTaken"]
        seen["notes"] = [n.message for n in app._notifications]

    session = session_in(tmp_path, pause_on_decision=False)
    run_app(TabletopApp(session=session), flow)

    taken = seen["taken"]
    assert isinstance(taken, list) and taken and taken[0][1] == "default"
    notes = seen["notes"]
    assert isinstance(notes, list) and any("No answer by the deadline: the default applies" in n for n in notes)
    assert verify(session.log).ok


def test_p_switches_pausing_on_decisions_off_and_on(tmp_path: Path) -> None:
    states: list[bool] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        states.append(host_of(app).pause_on_decision)
        await pilot.press("p")
        states.append(host_of(app).pause_on_decision)
        assert "clock runs on" in clock_text(app)
        await pilot.press("p")
        states.append(host_of(app).pause_on_decision)

    run_app(TabletopApp(session=session_in(tmp_path)), flow)

    assert states == [True, False, True]


def test_the_palette_offers_every_inject_action_every_seat_the_clock_and_the_export(tmp_path: Path) -> None:
    titles: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        titles.extend(command.title for command in app.get_system_commands(app.screen))

    session = session_in(tmp_path)
    run_app(TabletopApp(session=session), flow)

    for inject in session.scenario.injects:
        assert f"Inject {inject.id}: fire" in titles and f"Inject {inject.id}: skip" in titles
    for stakeholder in session.scenario.stakeholders:
        assert f"Seat: {stakeholder.id}" in titles
    assert {"Clock: pause or run", "Clock: speed 60x", "Export the run log", "Theme", "Quit"} <= set(titles)


def test_export_copies_the_log_and_never_overwrites_a_file(tmp_path: Path) -> None:
    errors: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("n", "ctrl+e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "kept.jsonl")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "kept.jsonl")
        await pilot.press("enter")
        await pilot.pause()
        errors.append(static_text(app.screen.query_one("#export-error", Static)))

    (tmp_path / "kept.jsonl").unlink(missing_ok=True)
    session = session_in(tmp_path)
    run_app(TabletopApp(session=session), flow)

    assert "the file exists" in errors[0]
    copy = (tmp_path / "kept.jsonl").read_bytes()
    assert copy and session.log.read_bytes().startswith(copy)
