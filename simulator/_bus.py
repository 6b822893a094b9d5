"""Matching events against the triggers of rules, injects, decisions and milestones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from scenarios.playbook import Trigger

Handler = Callable[[], Any]
_FILTERS = ("fact", "stakeholder", "site", "phase", "decision", "option", "inject", "milestone", "outcome")
_Key = tuple[str, str | None, str | None]


class EventBus:
    """Listeners indexed by event kind, fact and stakeholder, called in the order they were registered.

    The index keeps an emit cheap in large networks, where hundreds of rules wait for the same fact, each at its
    own stakeholder: only the listeners of the stakeholder the event happens at are looked at.
    """

    def __init__(self) -> None:
        self._listeners: dict[_Key, list[tuple[int, dict[str, str], Handler]]] = defaultdict(list)
        self._count = 0

    def listen(self, trigger: Trigger, handler: Handler, *, stakeholder: str | None = None) -> None:
        """Call `handler()` whenever an event matches `trigger` (and happens at `stakeholder`, if given)."""
        wanted = {name: value for name in _FILTERS if (value := getattr(trigger, name)) is not None}
        if stakeholder is not None:
            wanted["stakeholder"] = stakeholder
        fact = wanted.pop("fact", None)
        at = wanted.pop("stakeholder", None)
        self._listeners[(trigger.event, fact, at)].append((self._count, wanted, handler))
        self._count += 1

    def emit(self, kind: str, event: Mapping[str, Any]) -> None:
        """Call every listener whose trigger matches the event, in registration order."""
        fact = event.get("fact")
        at = event.get("stakeholder")
        found: list[tuple[int, dict[str, str], Handler]] = []
        for key in {(kind, fact, at), (kind, fact, None), (kind, None, at), (kind, None, None)}:
            found.extend(self._listeners.get(key, ()))
        if len(found) > 1:
            found.sort(key=lambda listener: listener[0])
        for _order, wanted, handler in found:
            if all(event.get(name) == value for name, value in wanted.items()):
                handler()
