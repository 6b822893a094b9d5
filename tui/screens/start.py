"""The start screen: choose a scenario (bundled, or a file in the current folder), its variant, seed and seat."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from scenarios import Scenario, ScenarioError, bundled_names, load_scenario
from scenarios.library import SUFFIXES
from simulator import SimulationError
from simulator.runlog import unused_log_path
from simulator.seats import EVALUATOR, FACILITATOR
from tui.session import Launch


@dataclass(frozen=True, slots=True)
class Choice:
    """A scenario the start screen offers."""

    source: str
    """What `load_scenario` takes: a bundled name or a file path."""
    label: str


def choices(folder: Path) -> list[Choice]:
    """The bundled scenarios, then the scenario files of `folder` (sorted)."""
    found = [Choice(name, f"{name} (bundled)") for name in bundled_names()]
    files = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file()) if folder.is_dir() else []
    found.extend(Choice(str(p), p.name) for p in files)
    return found


def describe(scenario: Scenario) -> Group:
    """What a facilitator reads before choosing: summary, learning objectives, variants, decisions."""
    head = Text()
    head.append(scenario.title, style="bold")
    head.append(f"\n{scenario.summary.strip()}\n")
    parts = [head, Text("Learning objectives", style="bold underline")]
    parts.extend(Text(f"• {objective}") for objective in scenario.learning_objectives)
    parts.append(Text("\nVariants", style="bold underline"))
    if not scenario.variants:
        parts.append(Text("none", style="dim"))
    parts.extend(Text(f"• {v.id}: {v.description}") for v in scenario.variants)
    parts.append(Text("\nDecisions", style="bold underline"))
    names = {s.id: s.name for s in scenario.stakeholders}
    for d in scenario.decisions:
        line = Text(f"• {names.get(d.stakeholder, d.stakeholder)}: {d.prompt}  ")
        line.append(" / ".join(o.label for o in d.options), style="dim")
        parts.append(line)
    if not scenario.decisions:
        parts.append(Text("none", style="dim"))
    return Group(*parts)


class StartScreen(Screen[None]):
    """Pick a scenario, variant, seed and seat, then start."""

    BINDINGS = [Binding("ctrl+s", "start", "Start", id="start.start")]

    DEFAULT_CSS = """
    StartScreen #start-body { height: 1fr; }
    StartScreen #start-list { width: 40; }
    StartScreen #start-form { height: auto; padding: 0 1; }
    StartScreen #start-form Horizontal { height: auto; }
    StartScreen #start-form Input, StartScreen #start-form Select { width: 1fr; margin: 0 1; }
    StartScreen #start-error { color: $error; height: auto; padding: 0 1; }
    StartScreen .start-label { width: 1fr; padding: 0 1; text-style: bold; }
    """

    def __init__(
        self, launch: Launch, folder: Path, now: Callable[[], datetime], start: Callable[[Launch], None]
    ) -> None:
        super().__init__()
        self._launch = launch
        self._folder = folder
        self._now = now
        self._start = start
        self._choices = choices(folder)
        self._loaded: dict[str, Scenario | ScenarioError] = {}
        self._initial = next((i for i, c in enumerate(self._choices) if c.source == launch.scenario), 0)

    def compose(self) -> ComposeResult:
        with Horizontal(id="start-body"):
            yield OptionList(*(Option(Text(c.label), id=c.source) for c in self._choices), id="start-list")
            with VerticalScroll(id="start-details"):
                yield Static(id="start-description")
        with Vertical(id="start-form"):
            with Horizontal(id="start-labels"):
                yield Label("Variant", classes="start-label")
                yield Label("Seed", classes="start-label")
                yield Label("Seat", classes="start-label")
            with Horizontal():
                yield Select([], prompt="None (the base)", id="start-variant", compact=True)
                yield Input(str(self._launch.seed), placeholder="seed", type="integer", id="start-seed", compact=True)
                yield Select(
                    [("Facilitator", FACILITATOR)], prompt="Seat", id="start-seat", allow_blank=False, compact=True
                )
            with Horizontal():
                yield Label("Run log: ", id="start-log-label")
                yield Input(placeholder="run log file", id="start-log", compact=True)
                yield Button("Start (Ctrl+S)", id="start-button", variant="primary", compact=True)
            yield Static(id="start-error")
        yield Footer()

    def on_mount(self) -> None:
        """Select the scenario asked for (the bundled default otherwise)."""
        options = self.query_one(OptionList)
        options.highlighted = self._initial
        options.focus()
        self._show(self._choices[self._initial].source)

    def _scenario(self, source: str) -> Scenario | ScenarioError:
        if source not in self._loaded:
            try:
                self._loaded[source] = load_scenario(source)
            except ScenarioError as exc:
                self._loaded[source] = exc
        return self._loaded[source]

    def _show(self, source: str) -> None:
        scenario = self._scenario(source)
        description = self.query_one("#start-description", Static)
        variant = self.query_one("#start-variant", Select)
        seat = self.query_one("#start-seat", Select)
        if isinstance(scenario, ScenarioError):
            description.update(Text("\n".join([scenario.title, *(d.format() for d in scenario.diagnostics)])))
            variant.set_options([])
            seat.set_options([("Facilitator", FACILITATOR)])
            return
        description.update(describe(scenario))
        variant.set_options([(Text(f"{v.id}: {v.description}"), v.id) for v in scenario.variants])
        seats: list[tuple[str | Text, str]] = [("Facilitator", FACILITATOR), ("Evaluator", EVALUATOR)]
        seats.extend((Text(f"Participant: {s.name}"), s.id) for s in scenario.stakeholders)
        seat.set_options(seats)
        seat.value = self._launch.seat if self._launch.seat in {s for _, s in seats} else FACILITATOR
        self.query_one("#start-log", Input).value = str(
            self._launch.log or unused_log_path(self._folder, scenario.id, self._now()).name
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the highlighted scenario."""
        self.query_one("#start-error", Static).update("")
        if event.option.id is not None:
            self._show(event.option.id)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Start."""
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        """Start the exercise chosen; show what is wrong otherwise."""
        error = self.query_one("#start-error", Static)
        highlighted = self.query_one(OptionList).highlighted
        source = self._choices[highlighted or 0].source
        scenario = self._scenario(source)
        if isinstance(scenario, ScenarioError):
            error.update(Text(f"{scenario.title}: fix the file first (its errors are shown above)"))
            return
        seed_text = self.query_one("#start-seed", Input).value.strip() or "0"
        try:
            seed = int(seed_text)
        except ValueError:
            error.update(Text(f"seed: {seed_text!r} is not a whole number"))
            return
        variant = self.query_one("#start-variant", Select).value
        seat = self.query_one("#start-seat", Select).value
        log = self.query_one("#start-log", Input).value.strip()
        launch = Launch(
            scenario=source,
            seed=seed,
            variant=variant if isinstance(variant, str) else None,
            seat=seat if isinstance(seat, str) else FACILITATOR,
            log=(self._folder / log) if log else None,
            pause_on_decision=self._launch.pause_on_decision,
        )
        try:
            self._start(launch)
        except ScenarioError as exc:
            error.update(Text("\n".join([exc.title, *(d.format() for d in exc.diagnostics)])))
        except (SimulationError, OSError) as exc:
            error.update(Text(str(exc)))
