"""The replay screen: what it shows at any moment is the run re-simulated to that moment; the role view; forking."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent

from scenarios import load_scenario
from simulator.analysis.replay import verify
from simulator.exercise import Exercise
from simulator.narrative import t_plus
from simulator.records import audience
from simulator.runlog import read_run_log
from simulator.scoreboard import scoreboard
from simulator.seats import FACILITATOR, is_participant
from simulator.views import catalogue, msel, network, pending_decisions, wall_time
from tests.cli import invoke
from tests.tui.console import LARGE, SMALL, static_text
from tests.tui.replays import BOMB_THREAT, SYNAGOGUE, plain, played, replay_app, resimulated
from tui.app import TabletopApp
from tui.dialogs.fork import ForkDialog
from tui.dialogs.goto import GoToDialog
from tui.dialogs.seat import SeatDialog
from tui.screens.replay import ReplayScreen, fork_log_path
from tui.widgets.decisions import DecisionBar
from tui.widgets.feed import EventFeed
from tui.widgets.network import NetworkPanel, network_text
from tui.widgets.scoreboard import ScoreboardPanel, scoreboard_text
from tui.widgets.scrubber import Scrubber

POLICE = "police-control-110"
LOCKDOWN = "lockdown-or-evacuate"
CENTRE_STAFF = "centre-staff"
Flow = Callable[[TabletopApp, Pilot[None]], Awaitable[None]]


def drive(app: TabletopApp, flow: Flow, size: tuple[int, int] = LARGE) -> None:
    """Run `app` headless and drive it with `flow`."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await flow(app, pilot)

    asyncio.run(main())


def replay_screen(app: TabletopApp) -> ReplayScreen:
    """The replay screen, wherever it is in the stack."""
    return next(s for s in app.screen_stack if isinstance(s, ReplayScreen))


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A whole run of each of two bundled scenarios, with preset decisions and commands logged along the way."""
    folder = tmp_path_factory.mktemp("replays")
    return {
        SYNAGOGUE: played(folder, SYNAGOGUE, decide_first="evacuate", name="synagogue.jsonl"),
        BOMB_THREAT: played(folder, BOMB_THREAT, name="bomb.jsonl"),
    }


# --- what is shown at a moment is the re-simulated state at that moment ---------------------------------------


def msel_rows(screen: ReplayScreen) -> dict[str, tuple[str, str]]:
    """The MSEL table as shown: inject -> (time shown, status)."""
    table = screen.query_one("#msel", DataTable)
    rows = (table.get_row_at(index) for index in range(table.row_count))
    return {str(row[1]): (str(row[0]), str(row[3])) for row in rows}


def expected_msel(exercise: Exercise) -> dict[str, tuple[str, str]]:
    """The MSEL of the re-simulation as the table shows it: delivered time, else due time, else why none."""
    rows = {}
    for inject in msel(exercise.world):
        if inject.delivered_t is not None:
            due = t_plus(inject.delivered_t)
        elif inject.due_t is not None:
            due = t_plus(inject.due_t)
        else:
            due = "contingency" if inject.contingency else "on trigger"
        rows[inject.id] = (due, inject.status)
    return rows


def scrubber_lines(screen: ReplayScreen) -> tuple[str, str]:
    """The scrubber's clock lines (joined as on one line) and its slider, as plain text."""
    scrubber = screen.query_one(Scrubber)
    lines = plain(scrubber.text).splitlines()
    return "  ".join(lines[: scrubber.bar_row]), lines[scrubber.bar_row]


def check_shows(screen: ReplayScreen, exercise: Exercise, seat: str) -> None:
    """The screen shows the re-simulated `exercise` as `seat` sees it: clock, decisions, network, MSEL, scores, feed."""
    world = exercise.world
    names = catalogue(world, seat if is_participant(seat) else None).names
    decisions = pending_decisions(world, seat)
    where = f"at {t_plus(exercise.now)} for {seat}"

    clock = wall_time(exercise.scenario.clock.start, exercise.scenario.clock.time_zone, exercise.now)
    head, _bar = scrubber_lines(screen)
    assert f"{t_plus(exercise.now)}  {clock:%H:%M:%S}" in head, where
    shown_seat = catalogue(world).names.get(seat)
    assert f"seat: {seat}" in head if shown_seat is None else f"seat: {shown_seat} ({seat})" in head, where

    bar = screen.query_one(DecisionBar)
    assert bar.has_class("-open") == bool(decisions), where
    shown = static_text(bar)
    for d in decisions:
        assert f"{names.get(d.stakeholder, d.stakeholder)}: {d.prompt}  {d.time_left_s:.0f} s left" in shown, where

    panel = screen.query_one("#network", NetworkPanel)
    expected_network = plain(network_text(network(world, seat), decisions, names, seat))
    assert static_text(panel.query_one(Static)) == expected_network, where

    tabs = screen.query_one(TabbedContent)
    if is_participant(seat):
        assert not tabs.get_tab("tab-msel").display and not tabs.get_tab("tab-objectives").display
    else:
        assert msel_rows(screen) == expected_msel(exercise), where
        board = screen.query_one(ScoreboardPanel).query_one(Static)
        assert static_text(board) == plain(scoreboard_text(scoreboard(exercise), names)), where

    seqs = [int(r["seq"]) for r in exercise.records_since(0, seat)]
    assert [line.seq for line in screen.query_one(EventFeed).shown] == seqs, where


@pytest.mark.parametrize("scenario", [SYNAGOGUE, BOMB_THREAT])
@pytest.mark.parametrize("seat", [FACILITATOR, "participant"])
def test_scrubbing_shows_at_each_time_exactly_the_state_re_simulating_to_that_time_gives(
    logs: dict[str, Path], scenario: str, seat: str
) -> None:
    path = logs[scenario]
    if seat == "participant":
        seat = POLICE if scenario == SYNAGOGUE else CENTRE_STAFF
    end = float(read_run_log(path).records[-1]["exact_t"])
    rng = random.Random(f"{scenario}/{seat}")
    times = [round(rng.uniform(0.0, end - 1.0), 3) for _ in range(10)]  # in random order: back and forth
    checked: list[float] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        if seat != FACILITATOR:
            screen.switch_seat(seat)
        for t in times:
            screen.seek(t)
            await pilot.pause()
            exercise = resimulated(path, t)
            try:
                check_shows(screen, exercise, seat)
            finally:
                exercise.abandon()
            checked.append(t)

    drive(replay_app(path), flow)

    assert checked == times
    assert sorted(times) != times  # some seeks went back in time


def test_the_keys_step_by_event_jump_by_mark_and_go_to_either_end(logs: dict[str, Path]) -> None:
    path = logs[SYNAGOGUE]
    records = read_run_log(path).records
    times = sorted({0.0, *(float(r["t"]) for r in records[:-1])})
    first_mark = min(float(r["t"]) for r in records if r["kind"] in ("MilestoneReached", "DecisionOpened"))
    seen: dict[str, float] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        for key, label in [
            ("right", "right"),
            ("right", "right twice"),
            ("left", "back"),
            ("right_square_bracket", "next mark"),
            ("end", "end"),
            ("left", "before the end"),
            ("home", "home"),
        ]:
            await pilot.press(key)
            seen[label] = screen.frame.t

    drive(replay_app(path), flow)

    assert seen["right"] == times[1]
    assert seen["right twice"] == times[2]
    assert seen["back"] == times[1]
    assert seen["next mark"] == first_mark
    assert seen["end"] == float(records[-1]["exact_t"])
    assert seen["before the end"] == times[-1]
    assert seen["home"] == 0.0


def test_a_click_on_the_slider_seeks_to_the_time_under_it(logs: dict[str, Path]) -> None:
    path = logs[SYNAGOGUE]
    end = float(read_run_log(path).records[-1]["exact_t"])
    result: list[float] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        scrubber = screen.query_one(Scrubber)
        width = scrubber.content_region.width
        row = scrubber.bar_row
        await pilot.click(Scrubber, offset=(1 + (width - 1) // 2, row))  # the slider's middle (after the padding)
        result.append(screen.frame.t)
        result.append(width)

    drive(replay_app(path), flow)

    t, width = result
    assert t == pytest.approx(end * ((width - 1) // 2) / (width - 1), abs=0.001)


def test_go_to_takes_the_times_the_fork_command_takes_and_explains_the_rest(logs: dict[str, Path]) -> None:
    errors: list[str] = []
    times: list[float] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        for text in ("12m", "T+00:30:05", "1h5m", "0", "00:12:00", "10:30", "@10:30:30", "soon", "1x", "9h", "@09:00"):
            await pilot.press("g")
            assert isinstance(app.screen, GoToDialog)
            app.screen.query_one(Input).value = text
            await pilot.press("enter")
            if isinstance(app.screen, GoToDialog):
                errors.append(static_text(app.screen.query_one("#goto-error", Static)))
                await pilot.press("escape")
            else:
                times.append(screen.frame.t)

    drive(replay_app(logs[BOMB_THREAT]), flow, SMALL)

    clock = load_scenario(BOMB_THREAT).clock  # T0 is 10:00 local time
    local = [f"{wall_time(clock.start, clock.time_zone, t):%H:%M:%S}" for t in times[5:]]
    assert times[:5] == [720.0, 1805.0, 3900.0, 0.0, 720.0], errors
    assert local == ["10:30:00", "10:30:30"] and 0 < times[5] < times[6] < 7200
    assert errors[0].startswith("'soon' is not a time") and "12:04" in errors[0]
    assert "'1x' is not a time" in errors[1]
    assert errors[2] == "T+09:00:00 is after the end of the log (end T+02:00:00)"
    assert errors[3].startswith("09:00 local time is T+23:00:00, which is after the end of the log")


# --- the role view ---------------------------------------------------------------------------------------------


def test_the_role_view_shows_a_participant_its_own_records_and_decisions_and_no_milestones(
    logs: dict[str, Path],
) -> None:
    path = logs[SYNAGOGUE]
    found: dict[str, object] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        await pilot.press("end")
        await pilot.press("s")
        dialog = app.screen
        assert isinstance(dialog, SeatDialog)
        options = dialog.query_one(OptionList)
        options.highlighted = options.get_option_index(POLICE)
        await pilot.press("enter")
        await pilot.pause()
        found["seat"] = screen.seat
        found["feed"] = [line.seq for line in screen.query_one(EventFeed).shown]
        found["head"], found["bar"] = scrubber_lines(screen)
        found["notes"] = [str(n.message) for n in app._notifications]
        found["marks"] = {m.kind for m in screen.replay.marks(POLICE)}
        content = screen.query_one(TabbedContent)
        found["tabs"] = {p: content.get_tab(p).display for p in ("tab-feed", "tab-msel", "tab-network")}

    drive(replay_app(path), flow)

    records = read_run_log(path).records
    assert found["seat"] == POLICE
    police = next(s.name for s in catalogue(resimulated(path, 0.0).world).stakeholders if s.id == POLICE)
    assert f"seat: {police} ({POLICE})" in str(found["head"])  # the organisation's name, and its id
    assert f"The replay now shows the seat {police} ({POLICE})." in found["notes"]  # type: ignore[operator]
    assert found["feed"] == [int(r["seq"]) for r in records if audience(r).admits(POLICE)]
    assert 0 < len(found["feed"]) < len(records)
    assert "◆" not in str(found["bar"])  # no milestones on a participant's slider...
    assert "?" in str(found["bar"])  # ...but its own decision
    assert found["marks"] == {"decision_opened", "decision_taken"}
    assert found["tabs"] == {"tab-feed": True, "tab-msel": False, "tab-network": True}


# --- forking -------------------------------------------------------------------------------------------------


def test_a_fork_log_gets_a_new_name_next_to_its_parent_and_never_overwrites(tmp_path: Path) -> None:
    parent = tmp_path / "round-1.jsonl"
    first = fork_log_path(parent, "lockdown-or-evacuate", "evacuate")
    assert first == tmp_path / "round-1-fork-lockdown-or-evacuate-evacuate.jsonl"
    first.write_text("taken")
    second = fork_log_path(parent, "lockdown-or-evacuate", "evacuate")
    assert second == tmp_path / "round-1-fork-lockdown-or-evacuate-evacuate-2.jsonl"
    second.write_text("taken too")
    assert fork_log_path(parent, "lockdown-or-evacuate", "evacuate").name.endswith("-evacuate-3.jsonl")


def test_forking_from_an_open_decision_writes_a_log_that_verifies_and_opens_the_compare_screen(
    tmp_path: Path,
) -> None:
    from tui.screens.compare import CompareScreen

    parent = played(tmp_path, SYNAGOGUE)  # the decision stays open until its deadline
    opened = next(
        r for r in read_run_log(parent).records if r["kind"] == "DecisionOpened" and r["decision"] == LOCKDOWN
    )
    found: dict[str, object] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        screen.seek(float(opened["t"]) + 5.0)  # the fork point is where it opened, whatever the time shown
        await pilot.press("f")
        dialog = app.screen
        assert isinstance(dialog, ForkDialog)
        found["dialog"] = [str(o.prompt) for o in dialog.query_one(OptionList).options]
        options = dialog.query_one(OptionList)
        options.highlighted = options.get_option_index("lock-down")
        await pilot.press("enter")
        await pilot.pause()
        found["screen"] = app.screen
        found["notes"] = [n.message for n in app._notifications]
        await pilot.press("escape")  # back from the comparison to the replay, where it was
        found["back"] = app.screen
        found["back_at"] = screen.frame.t

    drive(replay_app(parent), flow)

    new = tmp_path / f"run-fork-{opened['decision']}-lock-down.jsonl"
    assert new.is_file()
    assert verify(new).ok
    assert isinstance(found["screen"], CompareScreen)
    assert isinstance(found["back"], ReplayScreen)
    assert found["back_at"] == float(opened["t"]) + 5.0
    assert any(str(new.name) in str(note) for note in found["notes"])  # type: ignore[attr-defined]
    assert any("(taken in this run)" in text for text in found["dialog"])  # type: ignore[attr-defined]
    forked = read_run_log(new)
    taken = next(r for r in forked.records if r["kind"] == "DecisionTaken" and r["decision"] == opened["decision"])
    assert taken["option"] == "lock-down"
    assert forked.header["fork"]["at_t"] == opened["t"]
    parent_records = read_run_log(parent).records
    shared = parent_records.index(opened) + 1
    assert forked.records[:shared] == parent_records[:shared]


def test_fork_says_so_when_no_decision_is_open(logs: dict[str, Path]) -> None:
    notes: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("f")
        notes.extend(str(n.message) for n in app._notifications)
        assert isinstance(app.screen, ReplayScreen)

    drive(replay_app(logs[SYNAGOGUE]), flow, SMALL)

    assert any("No decision is open, opened or taken at this moment: press ] until" in note for note in notes)


def test_a_preset_decision_is_forked_from_the_moment_it_opened_as_the_replay_docs_do(tmp_path: Path) -> None:
    from tui.screens.compare import CompareScreen

    # The docs' example: the police's decision is preset, so it opens and is taken in one instant.
    code, output = invoke(
        "run",
        SYNAGOGUE,
        "--seed",
        "3",
        "--decide",
        "patrols-in-or-wait=wait-for-armed",
        "--log",
        str(tmp_path / "round-1.jsonl"),
    )
    assert code == 0, output
    parent = tmp_path / "round-1.jsonl"
    records = read_run_log(parent).records
    opened = next(r for r in records if r["kind"] == "DecisionOpened" and r["decision"] == "patrols-in-or-wait")
    taken = next(r for r in records if r["kind"] == "DecisionTaken" and r["decision"] == "patrols-in-or-wait")
    assert (taken["by"], taken["t"]) == ("preset", opened["t"])  # closed at once: never open in any frame
    found: dict[str, object] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        while screen.frame.t < opened["t"]:  # ] to the decision's mark, as the docs say
            await pilot.press("right_square_bracket")
        found["t"] = screen.frame.t
        found["open"] = screen.frame.decisions
        found["palette"] = [c.title for c in screen.palette_commands() if c.title.startswith("Fork from: ")]
        await pilot.press("f")
        dialog = app.screen
        assert isinstance(dialog, ForkDialog)
        options = dialog.query_one(OptionList)
        found["options"] = [str(o.prompt) for o in options.options]
        options.highlighted = options.get_option_index("send-in")
        await pilot.press("enter")
        await pilot.pause()
        found["screen"] = app.screen

    drive(replay_app(parent), flow)

    assert found["t"] == opened["t"]
    assert not any(d.decision == "patrols-in-or-wait" for d in found["open"])  # type: ignore[attr-defined]
    assert len(found["palette"]) == 1  # type: ignore[arg-type]
    assert any("(taken in this run)" in o and "wait" in o.lower() for o in found["options"])  # type: ignore[attr-defined]
    assert isinstance(found["screen"], CompareScreen)
    new = tmp_path / "round-1-fork-patrols-in-or-wait-send-in.jsonl"
    assert verify(new).ok
    forked = read_run_log(new)
    assert forked.header["fork"]["at_t"] == opened["t"]
    again = next(r for r in forked.records if r["kind"] == "DecisionTaken" and r["decision"] == "patrols-in-or-wait")
    assert again["option"] == "send-in"
    shared = records.index(opened) + 1
    assert forked.records[:shared] == records[:shared]


def test_the_palette_offers_go_to_the_forks_of_the_open_decisions_every_mark_and_every_seat(
    logs: dict[str, Path],
) -> None:
    path = logs[BOMB_THREAT]
    records = read_run_log(path).records
    opened = next(r for r in records if r["kind"] == "DecisionOpened" and r["decision"] == "evacuate-or-not")
    found: dict[str, object] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        screen.seek(float(opened["t"]))
        commands = {c.title: c for c in screen.palette_commands()}
        found["titles"] = list(commands)
        commands[f"Seat: {CENTRE_STAFF}"].callback()
        found["seat"] = screen.seat
        mark = screen.replay.marks(CENTRE_STAFF)[-1]
        found["marks"] = [c.title for c in screen.palette_commands() if c.title.startswith("Go to T+")]
        next(c for c in screen.palette_commands() if c.title.startswith(f"Go to {t_plus(mark.t)}")).callback()
        found["t"], found["mark_t"] = screen.frame.t, mark.t

    drive(replay_app(path), flow, SMALL)

    titles = found["titles"]
    assert isinstance(titles, list)
    assert "Replay: go to a time" in titles
    assert any(t.startswith("Fork from: ") for t in titles)
    assert {f"Seat: {FACILITATOR}", f"Seat: {CENTRE_STAFF}", "Seat: evaluator"} <= set(titles)
    assert found["seat"] == CENTRE_STAFF
    marks = found["marks"]
    assert isinstance(marks, list)
    assert len(marks) == len(
        [
            r
            for r in read_run_log(path).records
            if r["kind"] in ("DecisionOpened", "DecisionTaken") and r["stakeholder"] == CENTRE_STAFF
        ]
    )
    assert found["t"] == found["mark_t"]


def test_an_interrupted_log_replays_to_its_last_record_and_a_sealed_one_to_its_end(tmp_path: Path) -> None:
    from scenarios import load_scenario
    from simulator import ExerciseHost

    cut = tmp_path / "cut.jsonl"
    host = ExerciseHost.open(load_scenario(BOMB_THREAT), 3, log=cut, source=BOMB_THREAT, pause_on_decision=False)
    host.advance_to(1200.0)
    host.abandon()  # the console was killed: no RunEnded, no seal
    sealed = played(tmp_path, BOMB_THREAT, name="sealed.jsonl")
    early = tmp_path / "early.jsonl"
    host = ExerciseHost.open(load_scenario(BOMB_THREAT), 3, log=early, source=BOMB_THREAT, pause_on_decision=False)
    host.advance_to(1800.0)
    host.finish()  # the facilitator ended the run
    heads: dict[str, tuple[float, str, str, str, str]] = {}

    for name, path in (("cut", cut), ("sealed", sealed), ("early", early)):

        async def flow(app: TabletopApp, pilot: Pilot[None], name: str = name) -> None:
            screen = replay_screen(app)
            await pilot.press("end")
            head, bar = scrubber_lines(screen)
            notes = plain(screen.query_one(Scrubber).text).splitlines()[screen.query_one(Scrubber).bar_row + 2 :]
            await pilot.press("g")
            asked = static_text(app.screen.query(Static).first())
            await pilot.press("escape")
            heads[name] = (screen.frame.t, head, bar, " ".join(notes), asked)

        drive(replay_app(path), flow, SMALL)

    last = float(read_run_log(cut).records[-1]["t"])
    t, head, bar, notes, asked = heads["cut"]
    assert t == last <= 1200.0
    assert "ENDED" not in head
    said = f"interrupted at {t_plus(last)} (the log is not sealed)"
    assert said in head and said in asked  # the header and the go-to box agree
    assert bar.endswith("█")  # the slider ends where the log does
    t, head, bar, notes, asked = heads["sealed"]
    assert t == float(read_run_log(sealed).records[-1]["exact_t"]) == 7200.0
    assert "ENDED" in head and "end T+02:00:00" in head and "end T+02:00:00" in asked and notes == ""
    t, head, bar, notes, asked = heads["early"]
    ended = float(read_run_log(early).records[-1]["exact_t"])
    assert t == ended < 7200.0
    assert f"ended at {t_plus(ended)}" in head and f"ended at {t_plus(ended)}" in asked and bar.endswith("█")


def test_f1_lists_the_replay_screen_s_keys(logs: dict[str, Path]) -> None:
    from tui.dialogs.help import HelpScreen

    shown: list[object] = []
    texts: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("f1")
        shown.append(app.screen)
        texts.extend(static_text(s) for s in app.screen.query(Static))

    drive(replay_app(logs[BOMB_THREAT]), flow, SMALL)

    assert isinstance(shown[0], HelpScreen)
    keys = "\n".join(texts)
    for description in ("Earlier", "Later", "Next mark", "Prev mark", "Go to", "Seat", "Fork"):
        assert description in keys
    assert "Back" not in keys  # opened on its own: nothing to go back to
    assert keys.count("Quit") == 1  # q and Ctrl+Q quit alike: listed once


def test_a_participant_steps_through_the_moments_it_saw_something(logs: dict[str, Path]) -> None:
    path = logs[SYNAGOGUE]
    records = read_run_log(path).records
    seen = sorted({float(r["t"]) for r in records if audience(r).admits(POLICE)} - {0.0})
    moments: list[float] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        screen.switch_seat(POLICE)
        for _ in range(3):
            await pilot.press("right")
            moments.append(screen.frame.t)

    drive(replay_app(path), flow, SMALL)

    assert moments == seen[:3]
    assert len(seen) < len({float(r["t"]) for r in records})  # fewer moments than the facilitator steps through


def test_the_replay_shows_markup_like_names_as_written(tmp_path: Path) -> None:
    from scenarios import load_scenario
    from simulator import Exercise
    from tests.markup_scenario import MILESTONE, scenario_text

    source = tmp_path / "literal.yaml"
    source.write_text(scenario_text(), encoding="utf-8")
    log = tmp_path / "literal.jsonl"
    Exercise(load_scenario(str(source)), 1, log=log, source=str(source)).run()
    records = read_run_log(log).records
    opened = next(r for r in records if r["kind"] == "DecisionOpened")
    known = next(r for r in records if r["kind"] == "MilestoneReached" and r["milestone"] == "police-know")
    seen: dict[str, str] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        screen.seek(float(opened["t"]))
        await pilot.pause()
        scrubber = screen.query_one(Scrubber)
        seen["scrubber"] = "\n".join(scrubber.render_line(y).text for y in range(scrubber.size.height))
        seen["bar"] = static_text(screen.query_one(DecisionBar))
        await pilot.press("f")
        dialog = app.screen
        assert isinstance(dialog, ForkDialog)
        options = dialog.query_one(OptionList)
        seen["options"] = "\n".join(options.render_line(y).text for y in range(options.size.height))
        await pilot.press("escape")
        # The palette reads its titles as markup: they must read as written, and searching them must not fail.
        seen["palette"] = "\n".join(Content.from_markup(c.title).plain for c in app.get_system_commands(screen))
        await pilot.press("ctrl+p")
        await pilot.press(*"Go to")
        await pilot.pause(0.3)

    drive(replay_app(log), flow)

    assert "Go in? [/] :100:" in seen["scrubber"]
    assert "Go in? [/] :100:" in seen["bar"]
    assert "Wait [/]" in seen["options"] and "Now [/]" in seen["options"]
    assert f"last ◆ {t_plus(float(known['t']))} {MILESTONE}" in seen["scrubber"]
    assert f"Go to {t_plus(float(known['t']))}: {MILESTONE}" in seen["palette"].splitlines()
    assert "Fork from: Go in? [/] :100:" in seen["palette"].splitlines()


def test_a_scenario_changed_since_the_run_stays_noted_under_the_slider_with_the_copy_used(tmp_path: Path) -> None:
    from scenarios import load_scenario
    from simulator import ExerciseHost

    source = Path("scenarios/library/bomb-threat-misinformation.yaml")
    scenario_file = tmp_path / "bomb.yaml"
    scenario_file.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "run.jsonl"
    host = ExerciseHost.open(
        load_scenario(scenario_file), 3, log=path, source=str(scenario_file), pause_on_decision=False
    )
    host.advance_to(600.0)
    host.finish()
    edited = source.read_text(encoding="utf-8").replace("title: Hoax bomb threat", "title: Edited bomb threat")
    scenario_file.write_text(edited, encoding="utf-8")
    notes: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        screen = replay_screen(app)
        for key in ("right", "end"):  # still there after moving, not a passing message
            await pilot.press(key)
        scrubber = screen.query_one(Scrubber)
        notes.append(" ".join(plain(scrubber.text).splitlines()[scrubber.bar_row + 2 :]))
        notes.extend(str(n.message) for n in app._notifications)

    drive(replay_app(path), flow, SMALL)

    assert "has changed since the run" in notes[0]
    assert "the replay plays the file as it is now" in notes[0] and "--embedded" in notes[0]
    assert not any("has changed since the run" in toast for toast in notes[1:])  # said once, where it stays
