"""The role view: a participant's console shows only what reached its organisation (the host's audience rule)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static, TabbedContent

from simulator.records import audience
from simulator.runlog import read_run_log
from tests.tui.console import exercise_screen, host_of, run_app, session_in, static_text
from tui.app import TabletopApp
from tui.dialogs.decide import DecisionDialog
from tui.dialogs.seat import SeatDialog
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


def test_in_an_organisation_s_view_the_facilitator_still_runs_the_clock_and_its_own_prompt_opens_by_itself(
    tmp_path: Path,
) -> None:
    seen: dict[str, object] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        host = host_of(app)
        await pilot.press("4", "space")  # the console is the facilitator's, whichever seat it shows
        for _ in range(300):
            await pilot.pause(0.05)
            if isinstance(app.screen, DecisionDialog):
                break
            if host.paused:  # paused for another organisation's decision: the room goes on
                await pilot.press("space")
        seen["dialog"] = app.screen.decision.stakeholder if isinstance(app.screen, DecisionDialog) else None
        seen["paused"] = host.paused
        others = [d for d in host.pending_decisions() if d.stakeholder != POLICE]
        if others:  # another organisation's decision cannot be taken from the police's view
            seen["refused"] = exercise_screen(app).send(
                {"command": "decide", "decision": others[0].decision, "option": others[0].default}
            )

    run_app(TabletopApp(session=session_in(tmp_path, seat=POLICE)), flow)

    assert seen["dialog"] == POLICE
    assert seen["paused"] is True
    refused = seen.get("refused")
    assert refused is None or "cannot take decision" in str(refused)
