"""The compare screen against `tabletop compare --json` for the same logs: a run, its fork and a variant run; the
chains of messages, the ways to open it (command line, debrief, palette) and its snapshots at 80x24 and 160x48."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, SelectionList, Static, TabbedContent

from simulator.analysis.fork import fork
from simulator.formatting import minutes, signed
from simulator.logcheck import read_tabletop_log
from simulator.narrative import t_plus
from tests.cli import RUNNER, invoke
from tests.tui.console import LARGE, SMALL, session_in, static_text
from tui.app import TabletopApp
from tui.dialogs.pick_logs import PickLogsDialog
from tui.screens.compare import CompareScreen
from tui.screens.debrief import DebriefScreen
from tui.widgets.timeline import TimelinePlot

Compare = Callable[..., bool]
SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])
SCENARIO = "synagogue-holiday-attack"


def run_log(path: Path, *options: str) -> Path:
    result = RUNNER.invoke(app_cli(), ["run", SCENARIO, "--seed", "1", "--log", str(path), "--json", *options])
    assert result.exit_code == 0, result.output
    return path


def app_cli() -> Any:
    from tabletop_cli.main import app

    return app


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A run, a fork of it that evacuates instead of locking down, and a run of a variant (same seed)."""
    folder = tmp_path_factory.mktemp("rounds")
    first = run_log(folder / "round-1.jsonl")
    fork(
        first,
        at_decision="lockdown-or-evacuate",
        decisions={"lockdown-or-evacuate": "evacuate"},
        new_log=folder / "round-1-evacuate.jsonl",
    )
    variant = run_log(folder / "round-2-radio.jsonl", "--variant", "direct-radio")
    return [first, folder / "round-1-evacuate.jsonl", variant]


def compare_json(paths: list[Path]) -> dict[str, Any]:
    code, output = invoke("compare", *map(str, paths), "--json")
    assert code == 0, output
    report: dict[str, Any] = json.loads(output)
    return report


Flow = Callable[[TabletopApp, Pilot[None]], Awaitable[None]]


def on_compare(paths: list[Path], flow: Flow, size: tuple[int, int] = SMALL) -> None:
    """Open the console on the compare screen of `paths`, as `tabletop compare --tui` does, and drive it."""

    async def main() -> None:
        app = TabletopApp(opening=lambda: CompareScreen.open(paths))
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await flow(app, pilot)

    asyncio.run(main())


def plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def test_the_table_aligns_the_milestones_of_three_runs_with_the_deltas_of_compare_json(three: list[Path]) -> None:
    report = compare_json(three)
    rows: list[list[str]] = []
    headings: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        table = app.screen.query_one("#milestones", DataTable)
        headings.extend(plain(column.label) for column in table.ordered_columns)
        rows.extend([plain(cell) for cell in table.get_row_at(i)] for i in range(table.row_count))
        assert [str(key.value) for key in table.rows] == list(report["milestones"])  # the CLI's time order

    on_compare(three, flow)

    names = read_tabletop_log(three[0]).header["scenario"]["milestones"]
    name_of = {m["id"]: m["name"] for m in names}
    expected = []
    for milestone, times in report["milestones"].items():
        cells = [minutes(times[0])]
        for t in times[1:]:
            # The change of the times as shown (each cut to the whole second), so that the reader's sum adds up.
            change = None if t is None or times[0] is None else float(int(t) - int(times[0]))
            cells.append(minutes(t) + (f" ({signed(change)})" if change is not None else ""))
        expected.append([name_of[milestone], *cells])
    assert headings == ["milestone", "A", "B (vs A)", "C (vs A)"]
    assert rows == expected
    # The fork evacuates: the lockdown never comes, and the congregation is protected later than in the first run.
    assert report["milestones"]["lockdown-complete"][1] is None
    assert any(row[2] == "—" for row in rows) and any("(+" in row[2] for row in rows)


def test_the_decisions_that_differed_and_the_ratings_and_harm_are_those_of_compare_json(three: list[Path]) -> None:
    report = compare_json(three)
    shown: dict[str, str] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        for tab in ("d", "r", "t"):
            await pilot.press(tab)
            await pilot.pause()
        shown["tab"] = app.screen.query_one(TabbedContent).active
        shown["decisions"] = static_text(app.screen.query_one("#decisions", Static))
        shown["ratings"] = static_text(app.screen.query_one("#ratings", Static))

    on_compare(three, flow)

    header = read_tabletop_log(three[0]).header["scenario"]
    assert report["differing_decisions"] == ["lockdown-or-evacuate"]
    for decision in header["decisions"]:
        line = next((line for line in shown["decisions"].splitlines() if decision["prompt"][:30] in line), None)
        assert (line is not None) == (decision["id"] in report["differing_decisions"]), decision["id"]
    labels = {o["id"]: o["label"] for o in header["decisions"][0]["options"]}
    for option in report["decisions"]["lockdown-or-evacuate"]:
        assert labels[option][:15] in shown["decisions"]
    assert "2 other decisions were taken alike in every run" in shown["decisions"]
    # The fork's option was the fork's doing (its log's header says so), not a preset of the run's.
    fork_header = read_tabletop_log(three[1]).header["fork"]
    assert fork_header["decisions"] == {"lockdown-or-evacuate": "evacuate"}
    assert "(fork, at" in shown["decisions"] and "(preset" not in shown["decisions"]
    names = {o["id"]: o["name"] for o in header["objectives"]}
    for objective, ratings in report["ratings"].items():
        row = next(line for line in shown["ratings"].splitlines() if names[objective][:30] in line)
        assert [cell.strip() for cell in row.split("│")[2:-1]] == ratings
    harm_row = next(line for line in shown["ratings"].splitlines() if "│ harm" in line)
    assert [cell.strip() for cell in harm_row.split("│")[2:-1]] == [f"{h:.1f}" for h in report["harm"]]
    assert shown["tab"] == "tab-timeline"


def test_the_timeline_has_a_row_per_milestone_and_each_run_s_mark_on_it(three: list[Path]) -> None:
    report = compare_json(three)
    lines: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("t")
        await pilot.pause()
        lines.extend(static_text(app.screen.query_one(TimelinePlot)).splitlines())

    on_compare(three, flow)

    assert lines[0].startswith("A round-1 (base, seed 1)   B round-1-evacuate (base, seed 1)   C round-2-radio")
    assert lines[1] == "· a tick of the axis   ABC: runs side by side reached it at the same moment"  # the key
    assert "minutes from T0" in lines[2] and "minutes from T0" in lines[-1]
    rows = lines[3:-1]
    axis_starts = lines[2].index("minutes from T0") + len("minutes from T0 ")  # the names' column ends there
    assert len(rows) == len(report["milestones"])
    for row, times in zip(rows, report["milestones"].values(), strict=True):
        marks = row[axis_starts:].split("  not ")[0]
        reached = [letter for letter, t in zip("ABC", times, strict=True) if t is not None]
        assert sorted(c for c in marks if c in "ABC") == reached, row
        if 0 < len(reached) < 3:
            assert row.rstrip().endswith("not " + ",".join(c for c in "ABC" if c not in reached)), row


def test_a_run_interrupted_before_a_milestone_is_told_apart_from_one_that_never_reached_it(
    three: list[Path], tmp_path: Path
) -> None:
    # The variant round cut short: its first half of records, without the seal, as a crash leaves it.
    lines = three[2].read_bytes().splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(lines[: len(lines) // 2]))
    stopped_t = json.loads(lines[len(lines) // 2 - 1])["t"]
    paths = [three[0], cut]
    result = RUNNER.invoke(app_cli(), ["compare", *map(str, paths), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)  # the notes go to the standard error
    shown: dict[str, Any] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        table = app.screen.query_one("#milestones", DataTable)
        shown["rows"] = {str(key.value): [plain(c) for c in table.get_row(key)] for key in table.rows}
        shown["legend"] = static_text(app.screen.query_one("#compare-runs", Static))
        await pilot.press("l")
        await pilot.pause()
        shown["runs"] = static_text(app.screen.query_one("#runs", Static))
        await pilot.press("t")
        await pilot.pause()
        shown["timeline"] = static_text(app.screen.query_one(TimelinePlot))

    on_compare(paths, flow)

    # Independently: the CLI's JSON says which milestones each run reached; the cut log's last record when it stopped.
    assert report["ends"] == [
        {"t": report["ends"][0]["t"], "status": "ended", "played_out": True},
        {"t": stopped_t, "status": "interrupted", "played_out": False},
    ]
    after = f"after its end ({minutes(stopped_t)})"
    for milestone, (first, second) in report["milestones"].items():
        cells = shown["rows"][milestone][1:]
        if second is None:
            assert cells[1] == after, milestone
        if first is None:
            assert cells[0] == "—", milestone  # the full run never reached it: a dash, as before
    assert any(second is None for _first, second in report["milestones"].values())
    ended = f"interrupted after {t_plus(stopped_t)} (unsealed; its last record)"
    assert ended in shown["runs"] and "played to the end" in shown["runs"]
    assert ended in shown["legend"].replace("\n", " ") or "cut (base, seed 1) interrupted" in shown["legend"]
    stopped_rows = [row for row in shown["timeline"].splitlines() if "B stopped before" in row]
    assert len(stopped_rows) == sum(1 for _a, b in report["milestones"].values() if b is None)
    assert "not B" not in shown["timeline"]


def test_selecting_a_milestone_shows_each_run_s_chain_of_messages(three: list[Path]) -> None:
    texts: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        table = app.screen.query_one("#milestones", DataTable)
        table.move_cursor(row=table.get_row_index("sighting-police"))
        await pilot.press("enter")
        await pilot.pause()
        texts.append(static_text(app.screen.query_one("#chain", Static)))

    on_compare(three, flow)

    # Independently of the chains' code: how the police control room learned of the armed person in the first run.
    log = read_tabletop_log(three[0])
    scenario = log.header["scenario"]
    when = next(m for m in scenario["milestones"] if m["id"] == "sighting-police")["when"]
    learned = next(
        r
        for r in log.records
        if r["kind"] == "FactLearned" and r["fact"] == when["fact"] and r["stakeholder"] == when["stakeholder"]
    )
    arrived = [
        r
        for r in log.records
        if r["kind"] == "MessageArrived" and r["receiver"] == learned["stakeholder"] and r["seq"] < learned["seq"]
    ][-1]
    names = {s["id"]: s["name"] for s in scenario["stakeholders"]}
    text = texts[0]
    assert text.count(" reached T+") == 3  # one chain per run
    medium = next(c["medium"] for c in scenario["channels"] if c["id"] == arrived["channel"])
    fact = next(f["description"] for f in scenario["facts"] if f["id"] == when["fact"])
    step = f"{names[arrived['sender']]} → {names[arrived['receiver']]} by {medium}: {fact}"
    assert text.count(step) == 3, text
    assert f"T+00:0{int(learned['t'] // 60)}" in text
    # Where the minutes went: the call's arrival, when a call taker took it, when it was learned (mm:ss).
    taken = [r for r in log.records if r["kind"] == "MessageTaken" and r["seq"] < learned["seq"]][-1]

    def mmss(t: float) -> str:
        return f"{int(t) // 60:02d}:{int(t) % 60:02d}"

    assert f"arrived {mmss(arrived['t'])}, " in text
    assert f"taken {mmss(taken['t'])}, learned {mmss(learned['t'])})" in text
    assert "observation of the threat's approach phase" in text and "observation of approach" not in text


def test_escape_goes_back_to_the_screen_below_and_q_quits(three: list[Path]) -> None:
    seen: list[object] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        from textual.widgets._footer import FooterKey

        # Nothing to go back to: the footer does not offer it; and it offers quitting once (the app's ^q).
        seen.append([(key.key_display, key.description) for key in app.screen.query(FooterKey)])
        await pilot.press("escape")  # nothing below but the app's own screen: it stays
        await pilot.pause()
        seen.append(type(app.screen))
        await pilot.press("q")
        await pilot.pause()
        seen.append(app.return_code)

    on_compare(three, flow)

    footer, *rest = seen
    assert isinstance(footer, list)
    assert not [d for _k, d in footer if d == "Back"]
    assert [d for _k, d in footer if d == "Quit"] == ["Quit"]
    assert rest == [CompareScreen, 0]


def test_open_refuses_logs_of_different_scenarios_before_anything_is_shown(three: list[Path], tmp_path: Path) -> None:
    from simulator import Exercise
    from simulator.analysis.compare import CompareError
    from tests.simulator.analysis.conftest import phoned_alarm

    other = tmp_path / "other.jsonl"
    Exercise(phoned_alarm(), 0, log=other).run()
    with pytest.raises(CompareError, match="different scenarios"):
        CompareScreen.open([three[0], other])


# --- from the debrief and the palette ---------------------------------------------------------------------------


@pytest.fixture
def folder_with_rounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A facilitator's folder: two earlier rounds of the default scenario and an interrupted one, a log of another
    scenario, a note."""
    from simulator import Exercise
    from tests.simulator.analysis.conftest import phoned_alarm

    monkeypatch.chdir(tmp_path)
    run_log(tmp_path / "older.jsonl")
    run_log(tmp_path / "newer.jsonl", "--variant", "direct-radio")
    os.utime(tmp_path / "older.jsonl", (1_000_000, 1_000_000))
    os.utime(tmp_path / "newer.jsonl", (2_000_000, 2_000_000))
    # A round interrupted before it ended: the older one's records without its seal (the oldest file).
    lines = (tmp_path / "older.jsonl").read_bytes().splitlines(keepends=True)
    (tmp_path / "interrupted.jsonl").write_bytes(b"".join(lines[: len(lines) // 2]))
    os.utime(tmp_path / "interrupted.jsonl", (500_000, 500_000))
    Exercise(phoned_alarm(), 0, log=tmp_path / "other-scenario.jsonl").run()
    (tmp_path / "notes.jsonl").write_text("not a log\n", encoding="utf-8")
    yield tmp_path


def test_from_the_debrief_c_lists_the_other_rounds_newest_first_and_compares_this_run_with_those_picked(
    folder_with_rounds: Path,
) -> None:
    listed: list[str] = []
    compared: list[Path] = []
    palette: list[str] = []

    async def main() -> None:
        session = session_in(folder_with_rounds)
        app = TabletopApp(session=session)
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
            palette.extend(c.title for c in app.screen.palette_commands())
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, PickLogsDialog)
            choices = app.screen.query_one(SelectionList)
            listed.extend(plain(choices.get_option_at_index(i).prompt) for i in range(choices.option_count))
            await pilot.press("c")  # nothing picked yet: the dialog says so and stays
            await pilot.pause()
            assert "pick one log or more" in static_text(app.screen.query_one("#pick-error", Static))
            await pilot.press("down", "space", "c")  # the second: older.jsonl
            await pilot.pause()
            assert isinstance(app.screen, CompareScreen)
            compared.extend(app.screen.comparison.paths)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
        session.host.abandon()

    asyncio.run(main())

    assert [line.split("  ")[0] for line in listed] == ["newer.jsonl", "older.jsonl", "interrupted.jsonl"]
    assert "direct-radio, seed 1" in listed[0]
    assert [line.endswith("interrupted (unsealed)") for line in listed] == [False, False, True]
    assert compared[0].name.startswith("2026-12-01") and compared[1:] == [folder_with_rounds / "older.jsonl"]
    assert "Compare this run with other runs" in palette


def test_the_ended_exercise_s_palette_offers_the_comparison_and_the_running_one_s_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the console started in the log's folder: it is still named by its path
    titles: list[list[str]] = []

    async def main() -> None:
        session = session_in(tmp_path)
        app = TabletopApp(session=session)
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            titles.append([c.title for c in app.get_system_commands(app.screen)])
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("escape")  # back to the ended exercise
            await pilot.pause()
            titles.append([c.title for c in app.get_system_commands(app.screen)])
            next(c for c in app.get_system_commands(app.screen) if c.title.startswith("Compare")).callback()
            await pilot.pause()
            titles.append([n.message for n in app._notifications])
        session.host.abandon()

    asyncio.run(main())

    assert "Compare this run with other runs" not in titles[0]
    assert "Compare this run with other runs" in titles[1]
    # The folder by its real path (not `.`, the current folder the console was started in).
    assert any(
        f"There is no other run log of this scenario in {tmp_path.resolve()}:" in message for message in titles[2]
    )


# --- snapshots ------------------------------------------------------------------------------------------------


@pytest.fixture
def snapshot_logs(three: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.chdir(three[0].parent)
    return [Path(path.name) for path in three]


def chain_selected(pilot: Pilot[None]) -> Awaitable[None]:
    async def run() -> None:
        table = pilot.app.screen.query_one("#milestones", DataTable)
        table.move_cursor(row=table.get_row_index("congregation-protected"))
        await pilot.press("enter")
        await pilot.pause()

    return run()


@SIZES
def test_the_compare_screen_with_a_chain(
    snap_compare: Compare, snapshot_logs: list[Path], size: tuple[int, int]
) -> None:
    app = TabletopApp(opening=lambda: CompareScreen.open(snapshot_logs))
    assert snap_compare(app, terminal_size=size, run_before=chain_selected)


@SIZES
def test_the_compare_screen_s_timeline(snap_compare: Compare, snapshot_logs: list[Path], size: tuple[int, int]) -> None:
    app = TabletopApp(opening=lambda: CompareScreen.open(snapshot_logs))
    assert snap_compare(app, terminal_size=size, press=["t"])


@SIZES
def test_the_compare_screen_s_decisions(
    snap_compare: Compare, snapshot_logs: list[Path], size: tuple[int, int]
) -> None:
    app = TabletopApp(opening=lambda: CompareScreen.open(snapshot_logs))
    assert snap_compare(app, terminal_size=size, press=["d"])


def test_past_four_runs_the_letters_are_in_the_runs_tab_only(three: list[Path]) -> None:
    five = [*three, three[0], three[1]]
    shown: dict[str, str] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        await pilot.press("l")
        await pilot.pause()
        shown["tab"] = app.screen.query_one(TabbedContent).active
        shown["heading"] = static_text(app.screen.query_one("#compare-runs", Static))
        shown["runs"] = static_text(app.screen.query_one("#runs", Static))

    on_compare(five, flow)

    assert shown["tab"] == "tab-runs"
    assert "round-1 (base" not in shown["heading"] and "l lists the runs, A to E" in shown["heading"]
    rows = [line for line in shown["runs"].splitlines() if line.startswith("│")]
    assert [row.split("│")[1].strip() for row in rows] == ["A", "B", "C", "D", "E"]
    assert [row.split("│")[4].strip().endswith(path.name) for row, path in zip(rows, five, strict=True)] == [True] * 5
    assert [row.split("│")[3].strip() for row in rows] == [
        "played to the end (T+02:00:00)"
    ] * 5  # the scenario runs 2 hours


def test_an_interrupted_log_is_compared_with_a_note_that_its_outcome_is_not_verified(tmp_path: Path) -> None:
    from simulator import Exercise
    from tests.simulator.analysis.conftest import phoned_alarm

    whole, cut = tmp_path / "whole.jsonl", tmp_path / "cut.jsonl"
    Exercise(phoned_alarm(), 0, log=whole).run()
    exercise = Exercise(phoned_alarm(), 0, log=cut)
    exercise.advance_to(10.0)
    exercise.abandon()
    shown: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        shown.append(static_text(app.screen.query_one("#compare-runs", Static)))
        shown.append(static_text(app.screen.query_one("#ratings", Static)))

    on_compare([whole, cut], flow)

    assert "note: cut.jsonl is unsealed (interrupted)" in shown[0]
    harm = next(line for line in shown[1].splitlines() if "│ harm" in line)
    assert [cell.strip() for cell in harm.split("│")[2:-1]] == ["0.0", "—"]  # the cut run has no outcome yet


def test_every_run_s_column_fits_and_the_names_take_the_rest_of_the_width_again_after_a_resize(
    three: list[Path],
) -> None:
    six = [*three, *three]
    widths: list[list[int]] = []
    cells: list[str] = []

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        table = app.screen.query_one("#milestones", DataTable)
        widths.append([column.get_render_width(table) for column in table.ordered_columns])
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        widths.append([column.get_render_width(table) for column in table.ordered_columns])
        cells.extend(plain(cell) for cell in table.get_row_at(0)[1:])

    on_compare(six, flow, size=(100, 30))

    narrow, wide = widths
    names = read_tabletop_log(three[0]).header["scenario"]["milestones"]
    longest = max(len(m["name"]) for m in names)
    # At 100 columns, all seven columns fit beside the scrollbar, the names keep 16 columns or more.
    assert len(narrow) == 7 and sum(narrow) <= 100 - 2 and narrow[0] >= 16
    # At 160, the names take what the six runs leave (past the old cap of 60), up to the longest name.
    assert wide[0] == min(longest, 160 - sum(wide[1:]) - 6) + 2 and wide[0] > 62
    assert cells[1] == "02:34 (±0)"  # and the full cells come back
