"""Matching events against the triggers of rules, injects, decisions and milestones."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scenarios.playbook import Trigger
from simulator._compiled import BusKey, TriggerIndex, Wanted, trigger_key

Handler = Callable[[], Any]


class EventBus:
    """Listeners indexed by event kind, fact and stakeholder, called in the order they were registered.

    The index keeps an emit cheap in large networks, where hundreds of rules wait for the same fact, each at its
    own stakeholder: only the listeners of the stakeholder the event happens at are looked at. The listeners every
    run registers at start come compiled with the scenario (`TriggerIndex`): a run only binds their handlers.
    Listeners added while the run plays (units waiting for a release) come after all of them, in their own index.
    """

    __slots__ = ("_added", "_dynamic", "_handlers", "_index")

    def __init__(self, index: TriggerIndex, handlers: list[Handler]) -> None:
        self._index = index
        self._handlers = handlers
        """The handler of each of the index's listeners, by registration number."""
        self._dynamic: dict[BusKey, list[tuple[int, Wanted, Handler]]] = {}
        self._added = 0

    def listen(self, trigger: Trigger, handler: Handler, *, stakeholder: str | None = None) -> None:
        """Call `handler()` whenever an event matches `trigger` (and happens at `stakeholder`, if given)."""
        key, wanted = trigger_key(trigger, stakeholder)
        self._dynamic.setdefault(key, []).append((len(self._handlers) + self._added, wanted, handler))
        self._added += 1

    def clear(self) -> None:
        """Drop every listener (a closed run calls none, and its handlers point back at its world)."""
        self._handlers.clear()
        self._dynamic.clear()

    def emit(self, kind: str, event: Mapping[str, Any]) -> None:
        """Call every listener whose trigger matches the event, in registration order."""
        fact = event.get("fact")
        at = event.get("stakeholder")
        handlers = self._handlers
        index = self._index
        listeners = index.merged.get((kind, fact, at))
        if listeners is None:
            listeners = index.matching(kind, fact, at)
        # The handlers are chosen before any runs: a listener added by one is not called for this event.
        called = [handlers[order] for order, wanted in listeners if not wanted or _matches(event, wanted)]
        dynamic = self._dynamic
        if dynamic:
            found: list[tuple[int, Wanted, Handler]] = []
            for key in {(kind, fact, at), (kind, fact, None), (kind, None, at), (kind, None, None)}:
                found.extend(dynamic.get(key, ()))
            if len(found) > 1:
                found.sort(key=lambda listener: listener[0])
            called.extend(handler for _order, wanted, handler in found if not wanted or _matches(event, wanted))
        for handler in called:
            handler()

    def emit_at(self, kind: str, fact: str | None, stakeholder: str | None) -> None:
        """`emit(kind, {"fact": fact, "stakeholder": stakeholder})`, the event built only if a listener filters more."""
        index = self._index
        key = (kind, fact, stakeholder)
        orders = index.plain.get(key)
        if orders is None or self._dynamic:  # a key never seen (`emit` indexes it), filters, or added listeners
            self.emit(kind, {"fact": fact, "stakeholder": stakeholder})
            return
        handlers = self._handlers
        if len(orders) == 1:
            handlers[orders[0]]()
            return
        # The handlers are chosen before any runs: a listener added by one is not called for this event.
        for handler in [handlers[order] for order in orders]:
            handler()


def _matches(event: Mapping[str, Any], wanted: Wanted) -> bool:
    """Whether the event has every field value a listener wants."""
    # A loop, not `all()` over a generator: this runs for most listeners of most events.
    for name, value in wanted:  # noqa: SIM110
        if event.get(name) != value:
            return False
    return True
