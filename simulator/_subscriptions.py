"""Who listens to a run's records: every record, some kinds, or what a participant's seat may see."""

from __future__ import annotations

from collections.abc import Callable, Collection
from difflib import get_close_matches
from typing import Any

from simulator.records import CONTROL_ONLY, KINDS, audience, participant_view
from simulator.seats import Seat, is_participant

Record = dict[str, Any]
Listener = Callable[[Record], object]
"""Called with each record as it is made (a read-only dict)."""
Unsubscribe = Callable[[], None]
"""Call it to stop a subscription."""
_Entry = tuple[Listener, Seat | None, frozenset[str] | None]


class Subscriptions:
    """The listeners of one run, indexed so that handing out a record costs little (it happens for every record).

    Each record goes first to the listeners of every record, then to those of its kind, then to participants'
    seats, each group in the order it subscribed; a participant's seat gets `records.participant_view(record)`. A
    listener that raises does not stop the others: its exception is kept for the run to report between events.
    """

    __slots__ = ("_by_kind", "_entries", "_everything", "_participants", "active", "failures")

    def __init__(self) -> None:
        self._entries: tuple[_Entry, ...] = ()
        self._everything: tuple[Listener, ...] = ()
        self._by_kind: dict[str, tuple[Listener, ...]] = {}
        self._participants: tuple[tuple[Listener, Seat, frozenset[str] | None], ...] = ()
        self.active = False
        """Whether anyone listens."""
        self.failures: list[Exception] = []
        """What listeners raised since the run last looked."""

    def add(self, listener: Listener, seat: Seat | None = None, kinds: Collection[str] | None = None) -> Unsubscribe:
        """Subscribe `listener` (see `Exercise.subscribe`); returns the function that ends it.

        Raises:
            ValueError: `kinds` is not a collection of record kinds.
        """
        if kinds is not None:
            if isinstance(kinds, str) or not all(isinstance(kind, str) for kind in kinds):
                raise ValueError(f"kinds is a collection of record kinds, e.g. ['PauseMarked'], not {kinds!r}")
            unknown = sorted(set(kinds) - set(KINDS))
            if unknown:
                close = get_close_matches(unknown[0], list(KINDS), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "see simulator.records.KINDS"
                raise ValueError(f"no record kind {unknown[0]!r}; {hint}")
        # Control seats see everything: only participants' subscriptions need a record's audience.
        entry: _Entry = (
            listener,
            None if seat is None or not is_participant(seat) else seat,
            None if kinds is None else frozenset(kinds),
        )
        self._entries = (*self._entries, entry)
        self._index()

        def unsubscribe() -> None:
            self._entries = tuple(e for e in self._entries if e is not entry)
            self._index()

        return unsubscribe

    def publish(self, record: Record) -> bool:
        """Hand `record` to its listeners; True when one of them raised (see `failures`)."""
        failed = False
        for listener in self._everything:
            try:
                listener(record)
            except Exception as exc:
                self.failures.append(exc)
                failed = True
        kind = record["kind"]
        if self._by_kind:
            for listener in self._by_kind.get(kind, ()):
                try:
                    listener(record)
                except Exception as exc:
                    self.failures.append(exc)
                    failed = True
        if self._participants:
            seen = audience(record)
            if seen is CONTROL_ONLY:
                return failed
            shown = None
            for listener, seat, kinds in self._participants:
                if (kinds is None or kind in kinds) and (seen.everyone or seat in seen.stakeholders):
                    if shown is None:
                        shown = participant_view(record)
                    try:
                        listener(shown)
                    except Exception as exc:
                        self.failures.append(exc)
                        failed = True
        return failed

    def _index(self) -> None:
        by_kind: dict[str, list[Listener]] = {}
        for listener, seat, kinds in self._entries:
            if seat is None and kinds is not None:
                for kind in kinds:
                    by_kind.setdefault(kind, []).append(listener)
        self._everything = tuple(lr for lr, seat, kinds in self._entries if seat is None and kinds is None)
        self._by_kind = {kind: tuple(listeners) for kind, listeners in by_kind.items()}
        self._participants = tuple((lr, seat, kinds) for lr, seat, kinds in self._entries if seat is not None)
        self.active = bool(self._entries)
