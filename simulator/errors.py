"""The one error base of the simulator package: a user mistake, with a message and a hint, rendered at the edge."""

from __future__ import annotations


class SimulationError(Exception):
    """A request the engine cannot honour (an unknown inject, a decision that is not open, a bad log)."""

    title = "Cannot do that"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message if hint is None else f"{message}; {hint}")
        self.message = message
        self.hint = hint


class CommandError(SimulationError):
    """A command that does not fit the run's current state."""

    title = "Command refused"


class ListenerError(RuntimeError):
    """A record listener (a console's widget) raised: a bug of the listener, reported once the event is whole.

    The engine finishes the event it was processing before raising this, so the run and its log stay exact; the
    listener's own exception is the `__cause__`.
    """
