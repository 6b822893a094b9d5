"""Matching events against the triggers of rules, injects, decisions and milestones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from scenarios.playbook import Trigger

Handler = Callable[[], Any]
_FILTERS = ("fact", "stakeholder", "site", "phase", "decision", "option", "inject", "milestone")


class EventBus:
    """Listeners indexed by event kind (and by fact, for `fact_learned`), called in registration order."""

    def __init__(self) -> None:
        self._listeners: dict[tuple[str, str | None], list[tuple[dict[str, str], Handler]]] = defaultdict(list)

    def listen(self, trigger: Trigger, handler: Handler, *, stakeholder: str | None = None) -> None:
        """Call `handler()` whenever an event matches `trigger` (and happens at `stakeholder`, if given)."""
        wanted = {name: value for name in _FILTERS if (value := getattr(trigger, name)) is not None}
        if stakeholder is not None:
            wanted["stakeholder"] = stakeholder
        self._listeners[self._key(trigger.event, wanted.get("fact"))].append((wanted, handler))

    def emit(self, kind: str, event: Mapping[str, Any]) -> None:
        """Call every listener whose trigger matches the event."""
        listeners = self._listeners.get(self._key(kind, event.get("fact")))
        if not listeners:
            return
        for wanted, handler in list(listeners):
            if all(event.get(name) == value for name, value in wanted.items()):
                handler()

    @staticmethod
    def _key(kind: str, fact: str | None) -> tuple[str, str | None]:
        return (kind, fact if kind == "fact_learned" else None)
