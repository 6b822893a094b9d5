"""Ask by how much to delay an inject (`5m`, `90s`, `1h30m`: the scenario language's durations)."""

from __future__ import annotations

from textual.binding import Binding

from tui.dialogs.question import LineQuestion, Submit


class DelayDialog(LineQuestion):
    """Delay one inject; dismissed with True once the host accepted the delay (`submit` sends it, or says why not)."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel", id="delay.cancel")]

    DEFAULT_CSS = """
    DelayDialog { align: center middle; }
    DelayDialog > Vertical { width: 64; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    DelayDialog #delay-error { color: $error; height: auto; }
    """

    FIELD = "delay-by"
    ERROR = "delay-error"
    ENTER = "delay"

    def __init__(self, inject: str, submit: Submit) -> None:
        super().__init__(f"Delay inject {inject} by", "5m", "5m, 90s, 1h30m", submit)
