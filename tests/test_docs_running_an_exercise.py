"""The facilitators' guide is true: its commands parse as written, its keys are the console's, its pictures current."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

from tests.cli import capture_play, invoke
from tui.app import TabletopApp
from tui.dialogs.inject import AdHocInjectDialog
from tui.screens.debrief import DebriefScreen
from tui.screens.exercise import ExerciseScreen
from tui.screens.start import StartScreen
from tui.widgets.msel import MselTable

ROOT = Path(__file__).parents[1]
DOC = ROOT / "docs" / "running-an-exercise.md"
SNAPSHOTS = ROOT / "tests" / "tui" / "__snapshots__" / "test_snapshots"
PICTURES = {
    "start.svg": "test_the_start_screen[80x24].svg",
    "exercise.svg": "test_the_exercise_screen_s_feed[80x24].svg",
    "msel.svg": "test_the_msel_panel[160x48].svg",
    "objectives.svg": "test_the_objectives_panel[160x48].svg",
    "adhoc.svg": "test_the_ad_hoc_inject_form[80x24].svg",
    "decision.svg": "test_the_decision_prompt[80x24].svg",
    "participant.svg": "test_a_participant_s_console[160x48].svg",
    "debrief.svg": "test_the_debrief_screen[160x48].svg",
}
"""Each picture of the guide and the approved snapshot it is a copy of (`python -m tests.tui.pictures` copies)."""

KEY_NAMES = {
    "escape": "Esc",
    "home": "Home",
    "end": "End",
    "space": "Space",
    "ctrl+e": "Ctrl+E",
    "ctrl+s": "Ctrl+S",
    "ctrl+q": "Ctrl+Q",
    "f1": "F1",
}


def play_lines() -> list[str]:
    """The `tabletop play ...` lines of the guide's console blocks."""
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.startswith("tabletop play")]


@pytest.mark.parametrize("line", play_lines())
def test_every_play_command_of_the_guide_is_accepted_as_written(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    launched = capture_play(monkeypatch)

    code, output = invoke(*shlex.split(line)[1:])

    assert code == 0, output
    (launch, start_screen), *_ = launched
    arguments = shlex.split(line)[2:]
    assert start_screen == (not arguments)
    if "--seat" in arguments:
        assert launch.seat == arguments[arguments.index("--seat") + 1]
    if "--run-on-decisions" in arguments:
        assert launch.pause_on_decision is False
    if "--resume" in arguments:
        assert launch.resume == Path(arguments[arguments.index("--resume") + 1])


def keys_table() -> str:
    return DOC.read_text(encoding="utf-8").split("## Every key", 1)[1]


def documented(binding: Binding) -> bool:
    shown = KEY_NAMES.get(binding.key, binding.key)
    table = keys_table()
    return bool(re.search(rf"^\| [^|]*\b{re.escape(shown)}\b[^|]*\|", table, flags=re.MULTILINE))


@pytest.mark.parametrize(
    "owner", [TabletopApp, ExerciseScreen, MselTable, DebriefScreen, StartScreen, AdHocInjectDialog]
)
def test_the_guide_lists_every_key_of_the_console(owner: type[DOMNode]) -> None:
    bindings = [b for b in owner.BINDINGS if isinstance(b, Binding)]

    assert bindings
    missing = [b.key for b in bindings if not documented(b)]
    assert not missing, f"{owner.__name__}: keys not in the guide's table: {missing}"


def test_the_guide_s_pictures_are_the_approved_snapshots() -> None:
    text = DOC.read_text(encoding="utf-8")
    referenced = set(re.findall(r"\]\(images/([a-z-]+\.svg)\)", text))

    assert referenced == set(PICTURES)
    for picture, snapshot in PICTURES.items():
        assert (ROOT / "docs" / "images" / picture).read_bytes() == (SNAPSHOTS / snapshot).read_bytes(), (
            f"docs/images/{picture} is not the approved snapshot: run python -m tests.tui.pictures"
        )
