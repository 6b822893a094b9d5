"""The console shows what a scenario's author wrote as written: names that look like markup neither crash a
widget nor turn into styles (Textual parses a plain string in a Select, an OptionList or a DataTable as markup)."""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import OptionList, Select, Static, TabbedContent

from tests.markup_scenario import GUARD, OBJECTIVE, scenario_text
from tests.tui.console import LARGE, NOW, run_app, static_text
from tui.app import TabletopApp
from tui.dialogs.inject import AdHocInjectDialog
from tui.dialogs.observe import ObserveDialog
from tui.session import Launch, open_session
from tui.widgets.msel import MselTable


def shown_lines(widget: Widget) -> str:
    """The text a line-drawn widget (a table, an option list) shows on screen, line by line."""
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


def label_of(select: Select[str]) -> str:
    """The text a Select shows for its current value."""
    return static_text(select.query_one("SelectCurrent #label", Static))


def test_the_exercise_screen_and_its_dialogs_show_markup_like_names_as_written(tmp_path: Path) -> None:
    path = tmp_path / "literal.yaml"
    path.write_text(scenario_text(), encoding="utf-8")
    session = open_session(Launch(scenario=str(path)), tmp_path, NOW)
    seen: dict[str, str] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        feed_filter = app.screen.query_one("#feed-stakeholder", Select)
        feed_filter.value = "guard"
        await pilot.pause()
        seen["feed filter"] = label_of(feed_filter)
        app.screen.query_one(TabbedContent).active = "tab-msel"
        await pilot.pause()
        seen["msel"] = shown_lines(app.screen.query_one(MselTable))
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AdHocInjectDialog)
        to = app.screen.query_one("#inject-to", Select)
        to.value = "guard"
        await pilot.pause()
        seen["inject to"] = label_of(to)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, ObserveDialog)
        objective = app.screen.query_one("#observe-objective", Select)
        objective.value = "alert"
        await pilot.pause()
        seen["objective"] = label_of(objective)
        await pilot.press("escape")
        await pilot.pause()
        # The palette reads its entries' titles and help as markup; the inject's text is the help of its entries.
        entries = list(app.get_system_commands(app.screen))
        seen["palette"] = "\n".join(
            f"{Content.from_markup(c.title).plain} | {Content.from_markup(c.help).plain}" for c in entries
        )
        await pilot.press("ctrl+p")
        await pilot.press(*"Inject inj-01")
        await pilot.pause(0.3)  # searching runs the titles through the fuzzy matcher's markup parser

    run_app(TabletopApp(session=session), flow, size=LARGE)

    assert seen["feed filter"] == GUARD
    assert GUARD in seen["msel"]
    assert seen["inject to"] == GUARD
    assert seen["objective"] == OBJECTIVE
    assert "Inject inj-01: fire | Doors [/] :100:" in seen["palette"].splitlines()


def test_the_start_screen_shows_file_names_variants_and_seats_as_written(tmp_path: Path) -> None:
    name = "x [b] :100:.yaml"
    (tmp_path / name).write_text(scenario_text(), encoding="utf-8")
    seen: dict[str, str] = {}

    async def flow(app: TabletopApp, pilot: Pilot[None]) -> None:
        options = app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        options.highlighted = labels.index(name)
        await pilot.pause()
        seen["list"] = shown_lines(options)
        variant = app.screen.query_one("#start-variant", Select)
        variant.value = "slow"
        seat = app.screen.query_one("#start-seat", Select)
        seat.value = "guard"
        await pilot.pause()
        seen["variant"], seen["seat"] = label_of(variant), label_of(seat)

    run_app(TabletopApp(folder=tmp_path, now=lambda: NOW), flow, size=LARGE)

    assert name in seen["list"]
    assert seen["variant"] == "slow: A slow [/] line :100:"
    assert seen["seat"] == f"Participant: {GUARD}"
