"""An inject's data as a scenario file holds it: its keys in the language's order, its defaults left out."""

from __future__ import annotations

from collections.abc import Mapping

FIELD_ORDER = (
    "id",
    "at",
    "trigger",
    "after",
    "to",
    "from",
    "text",
    "fact",
    "inject_type",
    "delivery_method",
    "expected_action",
    "objective",
    "core_capability",
    "critical_task",
    "controller",
    "move",
    "contingency",
    "notes",
    "source",
)
"""An inject's keys in the order the scenario language documents them (and the bundled scenarios write them)."""
DEFAULTS: Mapping[str, object] = {
    "after": 0.0,
    "inject_type": "event",
    "delivery_method": "verbal",
    "contingency": False,
}


def has_lines(notes: str, line: str) -> bool:
    """Whether `line` (one or more lines) is in `notes` as whole lines."""
    return f"\n{line}\n" in f"\n{notes}\n"


def ordered(data: Mapping[str, object], *, keep: frozenset[str] = frozenset()) -> dict[str, object]:
    """The inject's keys in the language's order, without the ones at their defaults (unless the scenario's own
    inject wrote them: `inject_type: event` stays)."""
    keys = {key: data[key] for key in FIELD_ORDER if key in data}
    keys.update({key: value for key, value in data.items() if key not in keys})
    return {
        key: value
        for key, value in keys.items()
        if value is not None
        and (key in keep or not (key in DEFAULTS and value == DEFAULTS[key] and type(value) is type(DEFAULTS[key])))
    }
