"""Export the run log: a copy to a file the facilitator names (an existing file is never overwritten)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from simulator.files import FileRefusedError, refuse_existing, write_file

Submit = Callable[[str], str | None]
"""Writes the copy to the path typed; returns the error message to show, or None when it was written."""


def copy_log(log: Path, target: str) -> str | None:
    """Copy `log` to `target` (never over an existing file); returns what went wrong, or None."""
    if not target.strip():
        return "give a file name"
    path = Path(target.strip()).expanduser()
    try:
        refuse_existing(path)  # even a copy that would be the same: the facilitator asked for a new file
        write_file(path, log.read_bytes())  # whole or not at all: a full disk leaves no cut copy
    except FileRefusedError:
        if path.is_symlink():
            return f"{path} is a symbolic link; give another name (a link is never written through)"
        return f"{path}: the file exists; give another name (a file is never overwritten)"
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    return None


class ExportDialog(ModalScreen[str | None]):
    """Ask where to copy the run log; dismissed with the path written (None: cancelled)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel")]

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical { width: 80; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    ExportDialog #export-error { color: $error; height: auto; }
    """

    def __init__(self, suggestion: str, submit: Submit) -> None:
        super().__init__()
        self._suggestion = suggestion
        self._submit = submit

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Copy the run log to", style="bold"))
            yield Input(value=self._suggestion, id="export-path")
            yield Static(id="export-error")
            yield Label(Text("Enter: copy   Esc: cancel", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Write the copy; show the message if it cannot be written."""
        event.stop()
        error = self._submit(event.value)
        if error is None:
            self.dismiss(event.value)
        else:
            self.query_one("#export-error", Static).update(Text(error))
