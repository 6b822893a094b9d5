"""The `Host` protocol: what a console needs of a live exercise, in-process (`ExerciseHost`) or over a socket."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol

from simulator._subscriptions import Listener, Unsubscribe
from simulator.commands import Command, Speed
from simulator.debrief import Debrief
from simulator.errors import CommandError
from simulator.evaluation import ObjectiveRating
from simulator.exercise import Record, RunSummary
from simulator.scoreboard import Scoreboard
from simulator.seats import FACILITATOR, Seat
from simulator.views import Catalogue, ClockView, FactHeld, InjectView, NetworkView, PendingDecision, ReceivedInject


class Host(Protocol):
    """What a console needs of a live exercise; an in-process `ExerciseHost` or, later, a socket client.

    Every view takes the seat it is shown to (the facilitator's, by default) and is filtered for it; views a
    participant may not see (the MSEL, the milestones, the ratings, the harm) refuse a participant's seat with a
    `CommandError`, as does a seat that does not exist.
    """

    def clock(self, seat: Seat = FACILITATOR) -> ClockView:
        """The exercise clock (a participant's seat is not told when the next event is due)."""
        ...

    def tick(self, dt_s: float) -> None:
        """Let `dt_s` seconds of wall time pass (measured by the caller): the run advances unless paused."""
        ...

    def step(self) -> bool:
        """Process the events of the next moment something happens; False when nothing is left."""
        ...

    def advance_to(self, t: float) -> None:
        """Jump the clock to simulation time `t`, processing everything due before."""
        ...

    @property
    def pause_on_decision(self) -> bool:
        """Whether the clock pauses (a logged `pause`) when a decision opens while it runs."""
        ...

    @pause_on_decision.setter
    def pause_on_decision(self, value: bool) -> None: ...

    def pause(self, note: str = "", seat: Seat = FACILITATOR) -> None:
        """Stop the clock (logged)."""
        ...

    def run_clock(self, seat: Seat = FACILITATOR) -> None:
        """Let the clock run (logged)."""
        ...

    def set_speed(self, speed: Speed, seat: Seat = FACILITATOR) -> None:
        """Change the clock's speed (logged)."""
        ...

    def submit(self, command: Command | Mapping[str, Any]) -> bool:
        """Send a command (its seat inside); True when applied now, False when queued for the next safe point."""
        ...

    def take_refusals(self) -> list[tuple[Command, CommandError]]:
        """Queued commands that no longer fitted when their turn came."""
        ...

    def subscribe(
        self, listener: Listener, seat: Seat | None = None, kinds: Collection[str] | None = None
    ) -> Unsubscribe:
        """Receive each new record (those `seat` may see, of `kinds`, if given); returns the function that ends it."""
        ...

    def records_since(self, seq: int, seat: Seat = FACILITATOR) -> list[Record]:
        """The records from `seq` on that `seat` may see, to catch up after reconnecting."""
        ...

    def catalogue(self, seat: Seat = FACILITATOR) -> Catalogue:
        """The scenario's names and choices, for forms."""
        ...

    def msel(self, seat: Seat = FACILITATOR) -> list[InjectView]:
        """The MSEL with each inject's status and what can be done with it (control seats only)."""
        ...

    def inbox(self, seat: Seat = FACILITATOR) -> list[ReceivedInject]:
        """The injects delivered so far (to a participant's own organisation only), with their text."""
        ...

    def network(self, seat: Seat = FACILITATOR) -> NetworkView:
        """The stakeholders and channels as `seat` may see them."""
        ...

    def pending_decisions(self, seat: Seat = FACILITATOR) -> list[PendingDecision]:
        """Open decisions (a participant's own only)."""
        ...

    def awareness(self, stakeholder: str, seat: Seat = FACILITATOR) -> tuple[FactHeld, ...]:
        """What `stakeholder` knows now (a participant asks only of their own organisation)."""
        ...

    def milestones(self, seat: Seat = FACILITATOR) -> dict[str, float]:
        """Milestones reached so far (control seats only)."""
        ...

    def objectives(self, seat: Seat = FACILITATOR) -> list[ObjectiveRating]:
        """Objective ratings so far (control seats only)."""
        ...

    def scoreboard(self, seat: Seat = FACILITATOR) -> Scoreboard:
        """Milestones, objective ratings so far with their thresholds, and harm (control seats only)."""
        ...

    def harm(self, seat: Seat = FACILITATOR) -> float:
        """Harm so far (control seats only)."""
        ...

    def finish(self) -> RunSummary:
        """End the run now and seal its log."""
        ...

    def debrief(self) -> Debrief:
        """What the run did, for the debrief (once it has ended)."""
        ...

    def abandon(self) -> None:
        """Leave the run unfinished (its log can be resumed)."""
        ...
