"""Ask which time of a replayed run to go to (`12m`, `1h5m`, `T+00:12:00`, or the local clock `12:04`)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from tui.dialogs.question import LineQuestion, Submit

HINT = Text(
    "From T0: 0, 12m, 1h5m, T+00:12:00 (00:12:00 is read as T+ too). "
    "The local clock: 12:04, or @12:04:30 with seconds.",
    style="dim",
)


class GoToDialog(LineQuestion):
    """Go to a time of the run; dismissed with True once the replay is there (`submit` goes, or says why not)."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel", id="goto.cancel")]

    DEFAULT_CSS = """
    GoToDialog { align: center middle; }
    GoToDialog > Vertical { width: 64; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    GoToDialog #goto-error { color: $error; height: auto; }
    """

    FIELD = "goto-time"
    ERROR = "goto-error"
    ENTER = "go"

    def __init__(self, now: str, end: str, submit: Submit) -> None:
        """`now` is the time shown; `end` the run's end in words (`end T+02:00:00`, `interrupted at ...`)."""
        super().__init__(
            f"Go to which time? Now {now}; {end}.", "", "12m, 1h5m, T+00:12:00 or 12:04", submit, hint=HINT
        )
