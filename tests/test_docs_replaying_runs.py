"""docs/replaying-runs.md is true: its commands run as written (the fork it describes made on the replay screen, by
its keys), its table lists every key of the replay screen, its picture is the approved snapshot."""

from __future__ import annotations

import asyncio
import re
import shlex
import shutil
from pathlib import Path

import pytest
from textual.screen import Screen

from simulator.analysis.replay import verify
from tests.cli import invoke, quoted_commands, run_as_written
from tests.test_cli_replay_tui import capture_console
from tui.app import TabletopApp
from tui.screens.compare import CompareScreen
from tui.screens.replay import ReplayScreen

ROOT = Path(__file__).parents[1]
DOC = ROOT / "docs" / "replaying-runs.md"
SNAPSHOTS = ROOT / "tests" / "tui" / "__snapshots__" / "test_replay_snapshots"
PICTURES = {"replay.svg": "test_the_replay_screen_at_an_open_decision[80x24].svg"}
"""Each picture of the page and the approved snapshot it is a copy of (`python -m tests.test_docs_replaying_runs`)."""
KEY_NAMES = {
    "left": "←",
    "right": "→",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "shift+left": "Shift+←",
    "shift+right": "Shift+→",
    "home": "Home",
    "end": "End",
    "escape": "Esc",
}
FORK = "round-1-fork-lockdown-or-evacuate-evacuate.jsonl"


def console_commands() -> list[list[str]]:
    """Every `$ tabletop ...` line of the page's console blocks, in order, without `tabletop`."""
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines()]
    return [shlex.split(line.removeprefix("$ "))[1:] for line in lines if line.startswith("$ tabletop ")]


def fork_as_described(screen: Screen[None]) -> Screen[object]:
    """On the replay screen: `]` until a decision is open, `f`, Enter (the option the box starts on); the screen then
    shown."""
    assert isinstance(screen, ReplayScreen)
    shown: list[Screen[object]] = []

    async def main() -> None:
        app = TabletopApp(opening=lambda: screen)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            while not screen.frame.decisions:
                await pilot.press("right_square_bracket")
            await pilot.press("f", "enter")
            await pilot.pause()
            shown.append(app.screen)

    asyncio.run(main())
    return shown[0]


def test_the_page_s_commands_run_as_written_and_the_fork_it_describes_is_made_by_its_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    opened = capture_console(monkeypatch)
    commands = console_commands()
    assert [c[0] for c in commands] == ["run", "replay", "replay", "compare"]
    for arguments in commands:
        if "--tui" in arguments:
            code, output = invoke(*arguments)
            assert code == 0, output
        else:
            run_as_written(tmp_path, arguments)
        if arguments[:2] == ["replay", "round-1.jsonl"]:
            assert isinstance(fork_as_described(opened[-1]), CompareScreen)
            assert verify(tmp_path / FORK).ok
    assert isinstance(opened[-1], CompareScreen)


def test_the_page_s_inline_console_commands_open_the_replay_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run_as_written(tmp_path, console_commands()[0])
    opened = capture_console(monkeypatch)
    inline = [arguments for arguments in quoted_commands(DOC) if "--tui" in arguments]
    assert inline
    for arguments in inline:
        code, output = invoke(*arguments)
        assert code == 0, output
        assert isinstance(opened[-1], ReplayScreen)


def test_the_page_lists_every_key_of_the_replay_screen() -> None:
    table = DOC.read_text(encoding="utf-8").split("## Moving in time", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| ")]
    missing = []
    for binding in ReplayScreen.BINDINGS:
        for key in str(getattr(binding, "key", "")).split(","):
            shown = KEY_NAMES.get(key, key)
            if not any(re.search(rf"(^|[\s/]){re.escape(shown)}($|[\s/])", row) for row in rows):
                missing.append(key)
    assert not missing, f"keys of the replay screen not in the page's table: {missing}"


def test_the_page_s_pictures_are_the_approved_snapshots() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert set(re.findall(r"\]\(images/([a-z-]+\.svg)\)", text)) == set(PICTURES)
    for picture, snapshot in PICTURES.items():
        assert (ROOT / "docs" / "images" / picture).read_bytes() == (SNAPSHOTS / snapshot).read_bytes(), (
            f"docs/images/{picture} is not the approved snapshot: run python -m tests.test_docs_replaying_runs"
        )


if __name__ == "__main__":
    for picture, snapshot in PICTURES.items():
        shutil.copyfile(SNAPSHOTS / snapshot, ROOT / "docs" / "images" / picture)
        print(f"docs/images/{picture} <- {snapshot}")
