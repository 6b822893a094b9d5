"""A whole short exercise played in a real terminal: `tabletop play` in tmux, driven by keys, read off the pane.

`play_short_exercise` starts the console in a detached tmux window of a fixed size, presses the keys a facilitator
would (step, run at max speed, decide, end, scroll the debrief, quit) and waits after each for what the person at
the keyboard should then see, polling `tmux capture-pane`; it returns every screen it waited for.

`python -m tests.tui.tmux_exercise` plays it in a temporary folder and prints those screens.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import partial
from operator import ne
from pathlib import Path

from scenarios import load_scenario
from simulator import Exercise, ExerciseHost
from simulator.narrative import t_plus
from simulator.records import sentence

SCENARIO = "synagogue-holiday-attack"
SEED = 1
LOG = "ex.jsonl"
"""The run log's name, in the folder the console runs in."""
SIZE = (120, 32)
"""The terminal's columns and rows."""
TIMEOUT_S = 20.0
"""How long to wait for each screen (the console starts in about a second; the rest takes less)."""
POLL_S = 0.05

_CONFIG = """\
set -g status off
set -g remain-on-exit on
set -g default-shell /bin/sh
set -g default-terminal xterm-256color
set -sg escape-time 0
"""
"""No status line (the pane is the whole window); the pane stays once its command has ended."""
_EXITED = re.compile(r"\[exit status (\d+)\]")
"""What the shell prints in the pane after the command: its exit status.

The shell waits for the command: tmux itself sometimes misses the SIGCHLD of a pane's process (seen with tmux 3.3a),
and then never knows its status.
"""
_OUTER_ONLY = ("TMUX", "TMUX_PANE", "COLUMNS", "LINES")
"""Variables of the calling terminal that must not reach the console (it takes its size from the pane)."""


@dataclass(frozen=True, slots=True)
class Expected:
    """What the person at the console should read at each step, taken from the scenario and a bare run of it."""

    title: str
    """The scenario's title, at the top of the debrief."""
    inject_text: str
    """The text of the first inject, inj-01."""
    inject_line: str
    """The feed's line for inj-01's delivery: time, sentence, then the inject's text in quotes."""
    decision_opened_at: str
    """`T+HH:MM:SS` of the moment the first decision opens (and the clock pauses by itself)."""
    decision_prompt: str
    """The first decision's organisation and question, as the decision bar shows them."""
    option_label: str
    """The label of the first decision's first option (Enter in the prompt takes it)."""
    decision_line: str
    """The feed's line for that answer, taken by the facilitator."""


def expected_sights(scenario_name: str = SCENARIO, seed: int = SEED) -> Expected:
    """What `play_short_exercise` should see; the first decision is the one a bare run of `seed` opens first."""
    scenario = load_scenario(scenario_name)
    names = ExerciseHost(Exercise(scenario, seed)).catalogue().names
    inject = next(i for i in scenario.injects if i.id == "inj-01")
    bare = Exercise(scenario, seed)
    bare.run()
    delivered = next(r for r in bare.records if r["kind"] == "InjectDelivered" and r["inject"] == inject.id)
    opened = next(r for r in bare.records if r["kind"] == "DecisionOpened")
    decision = next(d for d in scenario.decisions if d.id == opened["decision"])
    option = decision.options[0]
    taken = {
        "kind": "DecisionTaken",
        "stakeholder": decision.stakeholder,
        "decision": decision.id,
        "option": option.id,
        "by": "facilitator",
    }
    return Expected(
        title=scenario.title,
        inject_text=inject.text,
        inject_line=f"{t_plus(delivered['t'])}  {sentence(delivered, names)}: “{inject.text}”",
        decision_opened_at=t_plus(opened["t"]),
        decision_prompt=f"{names.get(decision.stakeholder, decision.stakeholder)}: {decision.prompt}",
        option_label=option.label,
        decision_line=f"{t_plus(opened['t'])}  {sentence(taken, names)}",
    )


def shows_line(screen: str, line: str, at_least: int = 50) -> bool:
    """Whether a row of `screen` shows `line`, or at least its first `at_least` characters (the feed cuts lines)."""
    return len(visible_part(screen, line)) >= min(len(line), at_least)


def visible_part(screen: str, text: str) -> str:
    """The longest beginning of `text` that one row of `screen` shows (a line cut at a panel's edge shows less)."""
    rows = screen.splitlines()
    for length in range(len(text), 0, -1):
        if any(text[:length] in row for row in rows):
            return text[:length]
    return ""


def taken_row(screen: str, sights: Expected) -> str:
    """The first row of the debrief's decisions table: when the decision was taken, by whom, its answer."""
    return next((row for row in screen.splitlines() if row.startswith(f"│ {sights.decision_opened_at} ")), "")


@dataclass(frozen=True, slots=True)
class Pane:
    """The one pane of a tmux server of our own (its socket in a folder of ours, so no other server is touched)."""

    socket_name: str
    environment: Mapping[str, str]

    def tmux(self, *arguments: str) -> str:
        """Run a tmux command against this server; its output."""
        done = subprocess.run(
            ["tmux", "-L", self.socket_name, *arguments],
            env=dict(self.environment),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"tmux {shlex.join(arguments)} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    def press(self, *keys: str) -> None:
        """Send keys in tmux's names (`n`, `Space`, `Enter`, `PageDown`, `C-q`), one after the other."""
        for key in keys:
            self.tmux("send-keys", "-t", "console", key)

    def screen(self, *, history: bool = False) -> str:
        """What the pane shows now, as plain text (rows without their trailing blanks), after its history if asked.

        The console draws on the terminal's alternate screen, which has no history: what is printed once it has
        ended may scroll into the history (tmux adds a line when the command ends).
        """
        return self.tmux("capture-pane", "-p", "-t", "console", *(("-S", "-") if history else ()))

    def wait_for(
        self, step: str, shows: Callable[[str], bool], timeout_s: float = TIMEOUT_S, *, history: bool = False
    ) -> str:
        """Poll the pane until `shows(screen)`; that screen (after the pane's history if asked).

        Raises:
            AssertionError: the command ended, or `timeout_s` passed, first (the message has the step and the last
                screen).
        """
        deadline = time.monotonic() + timeout_s
        while True:
            screen = self.screen(history=history)
            if shows(screen):
                return screen
            if _EXITED.search(screen):
                raise AssertionError(f"{step}: never seen, the command ended; the pane shows:\n{screen}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{step}: not seen within {timeout_s:.0f} s; the pane shows:\n{screen}")
            time.sleep(POLL_S)

    def scroll_until(self, step: str, shows: Callable[[str], bool], key: str = "Down") -> str:
        """Press `key` (waiting each time for the pane to change) until `shows(screen)`; that screen.

        Raises:
            AssertionError: the pane stopped changing first (the message has the step and the last screen).
        """
        screen = self.screen()
        while not shows(screen):
            self.press(key)
            screen = self.wait_for(f"{step} ({key} moves nothing more)", partial(ne, screen))  # a new screen
        return screen


@contextmanager
def tmux_pane(command: list[str], cwd: Path, size: tuple[int, int] = SIZE) -> Iterator[Pane]:
    """Run `command` in `cwd` in a detached tmux window of `size`, then print its exit status there.

    The tmux server is killed on leaving.
    """
    with tempfile.TemporaryDirectory(prefix="tt-tmux-") as sockets:  # short: a socket's path is at most ~100 bytes
        config = Path(sockets) / "tmux.conf"
        config.write_text(_CONFIG, encoding="utf-8")
        environment = {k: v for k, v in os.environ.items() if k not in _OUTER_ONLY and not k.startswith("TEXTUAL")}
        environment["TMUX_TMPDIR"] = sockets
        pane = Pane(f"tabletop-{os.getpid()}", environment)
        columns, rows = size
        try:
            pane.tmux(
                "-f", str(config), "new-session", "-d", "-s", "console", "-x", str(columns), "-y", str(rows),
                "-c", str(cwd), "-e", "TERM=xterm-256color", f'{shlex.join(command)}; echo "[exit status $?]"',
            )  # fmt: skip
            yield pane
        finally:
            subprocess.run(
                ["tmux", "-L", pane.socket_name, "kill-server"], env=environment, capture_output=True, check=False
            )


@dataclass(frozen=True, slots=True)
class Screens:
    """What the pane showed at each step of the short exercise, and how the console ended."""

    first: str
    """The first frame: the exercise screen, its clock paused at T0."""
    stepped: str
    """After `n`: the first inject delivered, in the feed."""
    decision: str
    """After `4` and space: the clock ran at max speed until the first decision opened and paused it."""
    prompt: str
    """After `d`: the decision prompt."""
    decided: str
    """After Enter: the first option taken, in the feed."""
    debrief: str
    """After `e`: the debrief's top."""
    debrief_decisions: str
    """After Down, Down...: the debrief's decisions."""
    left: str
    """After Ctrl+Q: what the command printed as it ended (the pane's history and screen)."""
    exit_status: int


def play_short_exercise(folder: Path, tabletop: Path, expected: Expected | None = None) -> Screens:
    """Play the bundled default scenario (seed 1) in tmux in `folder` with the `tabletop` executable, end to end.

    Its run log is `folder / LOG`.

    Raises:
        AssertionError: a step's screen did not come (the message has the last screen).
    """
    sights = expected_sights() if expected is None else expected
    command = [str(tabletop), "play", SCENARIO, "--seed", str(SEED), "--log", LOG]
    with tmux_pane(command, folder) as pane:
        first = pane.wait_for("the exercise screen", lambda s: "PAUSED" in s and "T+" in s)
        pane.press("n")
        stepped = pane.wait_for("inj-01 in the feed", lambda s: "“" in visible_part(s, sights.inject_line))
        pane.press("4", "Space")
        decision = pane.wait_for("the decision bar", lambda s: "DECISION" in s)
        pane.press("d")
        prompt = pane.wait_for("the decision prompt", lambda s: sights.option_label in s)
        pane.press("Enter")
        decided = pane.wait_for(
            "the answer in the feed",
            lambda s: "DECISION" not in s and shows_line(s, sights.decision_line),
        )
        pane.press("e")
        debrief = pane.wait_for("the debrief", lambda s: sights.title in s and "Objectives" in s)
        debrief_decisions = pane.scroll_until(
            "the debrief's decisions", lambda s: "Decisions taken" in s and "facilitator" in taken_row(s, sights)
        )
        pane.press("C-q")
        left = pane.wait_for("the console's exit", lambda s: _EXITED.search(s) is not None, history=True)
        exited = _EXITED.search(left)
        assert exited is not None
        return Screens(first, stepped, decision, prompt, decided, debrief, debrief_decisions, left, int(exited[1]))


def main() -> None:
    """Play the short exercise in a temporary folder and print each screen."""
    tabletop = Path(sys.executable).with_name("tabletop")
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    with tempfile.TemporaryDirectory() as folder:
        screens = play_short_exercise(Path(folder), tabletop)
    for step in fields(Screens):
        print(f"--- {step.name}\n{getattr(screens, step.name)}")


if __name__ == "__main__":
    main()
