"""The role view: a participant's console shows only what reached its organisation (the host's audience rule)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static, TabbedContent

from simulator.records import audience
from simulator.runlog import read_run_log
from tests.tui.console import exercise_screen, host_of, run_app, session_in, static_text
from tui.app import TabletopApp
from tui.dialogs.seat import SeatDialog
from tui.screens.exercise import ExerciseScreen
from tui.widgets.feed import EventFeed
from tui.widgets.network import NetworkPanel

POLICE = "police-control-110"


async def play_to_the_end(app: TabletopApp, pilot: Pilot[None]) -> None:
    """Run the clock as fast as it goes until the scenario's time is over (the participant cannot: the host can)."""
    host = host_of(app)
    host.set_speed("max")
    host.run_clock()
    for _ in range(400):
        await pilot.pause(0.05)
        clock = host.clock()
        if clock.now >= clock.end:
            break


def test_a_participant_s_feed_holds_exactly_the_records_the_audience_rule_gives_its_seat(tmp_path: Path) -> None:
    shown: list[int] = []
    tabs: dict[str, bool] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await play_to_the_end(app, pilot)
        screen = exercise_screen(app)
        screen.flush()
        shown.extend(line.seq for line in screen.query_one(EventFeed).shown)
        content = screen.query_one(TabbedContent)
        for pane in ("tab-feed", "tab-msel", "tab-network", "tab-objectives"):
            tabs[pane] = content.get_tab(pane).display

    session = session_in(tmp_path, seat=POLICE, pause_on_decision=False)
    run_app(TabletopApp(session=session), flow)

    records = read_run_log(session.log).records
    assert len(records) > 100  # a whole run
    assert shown == [int(r["seq"]) for r in records if audience(r).admits(POLICE)]
    assert 0 < len(shown) < len(records)
    assert tabs == {"tab-feed": True, "tab-msel": False, "tab-network": True, "tab-objectives": False}


def test_a_participant_s_network_shows_what_its_own_organisation_knows_without_the_truth(tmp_path: Path) -> None:
    texts: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await play_to_the_end(app, pilot)
        screen = exercise_screen(app)
        screen.flush()
        texts.append(static_text(screen.query_one("#network", NetworkPanel).query_one("#network-text", Static)))
        knows = host_of(app).awareness(POLICE, POLICE)
        texts.extend(f.description for f in knows)

    run_app(TabletopApp(session=session_in(tmp_path, seat=POLICE, pause_on_decision=False)), flow)

    network, *facts = texts
    assert facts and all(fact in network for fact in facts)
    assert "✓" not in network and "false" not in network  # a participant cannot tell a rumour from the truth


def test_switching_the_seat_rebuilds_the_feed_for_it_and_back(tmp_path: Path) -> None:
    counts: list[int] = []
    seats: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        host = host_of(app)
        for _ in range(8):
            host.step()
        screen = exercise_screen(app)
        screen.flush()
        counts.append(len(screen.query_one(EventFeed).shown))
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SeatDialog)
        options = app.screen.query_one(OptionList)
        options.highlighted = next(
            i for i in range(options.option_count) if options.get_option_at_index(i).id == POLICE
        )
        await pilot.press("enter")
        await pilot.pause()
        seats.append(screen.seat)
        counts.append(len(screen.query_one(EventFeed).shown))
        counts.append(len(host.records_since(0, POLICE)))
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")  # the first seat offered: the facilitator's
        await pilot.pause()
        seats.append(screen.seat)
        counts.append(len(screen.query_one(EventFeed).shown))

    run_app(TabletopApp(session=session_in(tmp_path)), flow)

    everything, police, police_expected, back = counts
    assert seats == [POLICE, "facilitator"]
    assert police == police_expected < everything == back


def test_a_participant_s_console_offers_neither_the_clock_nor_injects(tmp_path: Path) -> None:
    footers: list[set[str]] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("space", "n", "a", "e")
        await pilot.pause()
        assert host_of(app).paused and host_of(app).clock().step == 0 and not host_of(app).clock().finished
        assert isinstance(app.screen, ExerciseScreen)  # no dialog opened
        footers.append({b.binding.action for b in app.screen.active_bindings.values() if b.enabled})

    run_app(TabletopApp(session=session_in(tmp_path, seat=POLICE)), flow)

    (enabled,) = footers
    assert {"decide", "seat"} <= enabled
    assert not enabled & {"toggle_clock", "step", "adhoc", "end", "observe"}
