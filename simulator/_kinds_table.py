"""The table of record kinds for analysts, generated from the kinds' TypedDicts and their audience rules."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import NoneType, UnionType
from typing import Any, Literal, get_args, get_origin, get_type_hints

from simulator._audience import HIDDEN_FROM_PARTICIPANTS, OBSERVABLE, RULES

COMMON_FIELDS = ("seq", "t", "kind")
"""The fields every record starts with, left out of the table's rows."""


def markdown_table(kinds: Mapping[str, type]) -> str:
    """One row per kind: its name, its own fields (name: type), who sees it, and what it means (its docstring)."""
    rows = ["| Kind | Fields | Who sees it | What it means |", "| --- | --- | --- | --- |"]
    for name, cls in kinds.items():
        hints = get_type_hints(cls)
        fields = ", ".join(f"`{key}: {_type_text(hints[key])}`" for key in hints if key not in COMMON_FIELDS)
        who = str(RULES[name].__doc__)
        hidden = sorted(HIDDEN_FROM_PARTICIPANTS.get(name, ()))
        if hidden:
            who += f" (without {', '.join(f'`{key}`' for key in hidden)})"
        if name in OBSERVABLE:
            who += "; a participant reads an observation's source as `observation`"
        rows.append(f"| `{name}` | {fields or 'none'} | {who} | {cls.__doc__} |")
    return "\n".join(rows) + "\n"


def _type_text(annotation: object) -> str:
    """A field's type as annotated, a literal's values listed; the `|` of unions escaped for the table."""
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation is NoneType or annotation is Any:
        return "None" if annotation is NoneType else "Any"
    if origin is Literal:
        return r" \| ".join(json.dumps(value) for value in args)
    if origin is UnionType:
        return r" \| ".join(_type_text(arg) for arg in args)
    if origin is dict:
        return f"dict[{', '.join(_type_text(arg) for arg in args)}]"
    assert isinstance(annotation, type), f"the table has no text for the type {annotation!r}"
    return annotation.__name__
