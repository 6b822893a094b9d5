"""docs/comparing-rounds.md is true: its commands run as written, in order; its keys are the screen's; its picture
is the approved snapshot."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable

from tests.cli import invoke, quoted_commands, run_as_written
from tui.app import TabletopApp
from tui.dialogs.pick_logs import PickLogsDialog
from tui.screens.compare import CompareScreen
from tui.screens.debrief import DebriefScreen

ROOT = Path(__file__).parents[1]
DOC = ROOT / "docs" / "comparing-rounds.md"
SNAPSHOTS = ROOT / "tests" / "tui" / "__snapshots__" / "test_compare_screen"
PICTURES = {"compare.svg": "test_the_compare_screen_with_a_chain[80x24].svg"}
"""Each picture of the page and the approved snapshot it is a copy of (copy it again after approving a change)."""
KEY_NAMES = {"escape": "Esc", "space": "Space"}


def commands() -> list[list[str]]:
    """Every `$ tabletop ...` line of the page's console blocks, in order, without `tabletop`."""
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines()]
    return [shlex.split(line.removeprefix("$ "))[1:] for line in lines if line.startswith("$ tabletop ")]


def drawn_compare_screen(folder: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str]) -> int:
    """Run a `--tui` command in-process, with the console drawn headless instead of in a terminal; the number of
    rows of the milestones' table it showed."""
    shown: list[int] = []

    def headless(opening: Callable[[], Screen[None]]) -> int:
        async def main() -> None:
            app = TabletopApp(opening=opening)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                assert isinstance(app.screen, CompareScreen)
                shown.append(app.screen.query_one(DataTable).row_count)

        asyncio.run(main())
        return 0

    monkeypatch.chdir(folder)
    monkeypatch.setattr("tabletop_cli._play.run_analysis_console", headless)
    code, output = invoke(*arguments)
    assert code == 0, output
    return shown[0]


def test_every_command_of_the_page_runs_as_written_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = []
    screens = []
    for arguments in commands():
        if "--tui" in arguments:
            screens.append(drawn_compare_screen(tmp_path, monkeypatch, arguments))
        else:
            outputs.append(run_as_written(tmp_path, arguments))

    assert {arguments[0] for arguments in commands()} == {"run", "fork", "compare"}
    report = json.loads(outputs[-1])
    assert report["differing_decisions"] == ["lockdown-or-evacuate"]  # what the page says the fork changed
    assert report["decisions"]["lockdown-or-evacuate"] == ["lock-down", "evacuate", "lock-down"]
    assert screens == [len(report["milestones"])]
    assert not quoted_commands(DOC)  # every command is in a console block, run above


@pytest.mark.parametrize("owner", [CompareScreen, PickLogsDialog])
def test_the_page_names_every_key_of_the_compare_screen_and_the_pick_dialog(owner: type[Screen[object]]) -> None:
    text = DOC.read_text(encoding="utf-8")
    keys = [KEY_NAMES.get(b.key, b.key) for b in owner.BINDINGS if isinstance(b, Binding)]

    assert keys
    missing = [key for key in keys if f"**{key}**" not in text]
    assert not missing, f"{owner.__name__}: keys the page does not name: {missing}"
    assert "**c**" in text and any(b.key == "c" for b in DebriefScreen.BINDINGS if isinstance(b, Binding))


def test_the_page_s_picture_is_the_approved_snapshot() -> None:
    text = DOC.read_text(encoding="utf-8")

    assert set(re.findall(r"\]\(images/([a-z-]+\.svg)\)", text)) == set(PICTURES)
    for picture, snapshot in PICTURES.items():
        assert (ROOT / "docs" / "images" / picture).read_bytes() == (SNAPSHOTS / snapshot).read_bytes(), (
            f"docs/images/{picture} is not the approved snapshot: copy tests/tui/__snapshots__/test_compare_screen/"
            f"{snapshot} over it"
        )
