"""An inject's data as a scenario file holds it: its keys in the language's order, its defaults left out."""

from __future__ import annotations

from collections.abc import Mapping

from scenarios.exercise import Inject

FIELD_ORDER: tuple[str, ...] = tuple(field.alias or name for name, field in Inject.model_fields.items())
"""An inject's keys in the order the scenario language documents them (and the bundled scenarios write them)."""
DEFAULTS: Mapping[str, object] = {
    field.alias or name: field.default
    for name, field in Inject.model_fields.items()
    if field.default is not None and not field.is_required()
}
"""The defaults an inject leaves out (`after: 0`, `inject_type: event`, ...): the model's own, other than None."""


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
