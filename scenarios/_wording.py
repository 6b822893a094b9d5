"""How values and failed range and length checks read in messages: the project's words, not pydantic's."""

from __future__ import annotations

import math
from typing import Any

from scenarios.limits import reason_for

CONSTRAINTS = frozenset(
    {
        "greater_than_equal",
        "greater_than",
        "less_than_equal",
        "less_than",
        "too_short",
        "too_long",
        "string_too_short",
        "string_too_long",
    }
)
"""Pydantic's range and length checks, reworded by `constraint`."""


def constraint(kind: str, ctx: dict[str, Any], given: Any, key: str | int | None) -> tuple[str, str | None]:
    """A range or length check that failed, in the project's words, with a hint."""
    shown = yaml_text(given) if isinstance(given, int | float) else None
    match kind:
        case "greater_than_equal":
            return f"{shown} is less than {_limit_text(ctx['ge'])}", f"write {_limit_text(ctx['ge'])} or more"
        case "greater_than":
            return f"{shown} is not more than {_limit_text(ctx['gt'])}", f"write more than {_limit_text(ctx['gt'])}"
        case "less_than_equal":
            return f"{shown} is more than {_limit_text(ctx['le'])}", over_limit_hint(key, ctx["le"])
        case "less_than":
            return f"{shown} is not less than {_limit_text(ctx['lt'])}", f"write less than {_limit_text(ctx['lt'])}"
    if kind.startswith("string_"):
        size, actual = "characters", len(given) if isinstance(given, str) else "none"
        short, long = "write more text", "shorten it"
    else:
        size, actual = "items", ctx.get("actual_length", 0) or "none"
        under = f"`{key}:`" if isinstance(key, str) else "it"
        short, long = f"add them under {under}, each on its own line starting with '- '", "remove some"
    if kind.endswith("too_short"):
        least = ctx["min_length"]
        return f"needs at least {least} {size.removesuffix('s') if least == 1 else size}, got {actual}", short
    return f"holds {actual} {size}, more than the {ctx['max_length']} allowed", long


def over_limit_hint(key: str | int | None, limit: Any) -> str | None:
    """The hint for a value over its limit (None: too large to read at all), with the limit's reason if known."""
    reason = reason_for(key) if isinstance(key, str) else None
    if limit is None:
        return (
            f"a scenario needs no number that large ({reason})" if reason else "a scenario needs no number that large"
        )
    return f"write {_limit_text(limit)} or less" + (f" ({reason})" if reason else "")


def describe(value: Any) -> str:
    """How a value read from YAML looks to the author."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool | int | float):
        return f"the {'boolean' if isinstance(value, bool) else 'number'} {yaml_text(value)}"
    if is_number_text(value):
        # A number too large for a float (1e400) stays text when read: it is still a number to its author.
        return value if len(value) <= 24 else f"a number of {len(value)} characters"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def is_number_text(value: Any) -> bool:
    """Whether `value` is the text of a number that YAML could not read as one (too large for a float)."""
    if not isinstance(value, str) or not value.lstrip("+-")[:1].isdigit():
        return False
    try:
        return not math.isfinite(float(value.replace("_", "")))
    except ValueError:
        return False


def yaml_text(value: Any) -> str:
    """A value as its author wrote it in YAML."""
    if isinstance(value, float):
        return str(value).replace("e+", "e")  # as written in YAML: 1e308, not 1e+308
    return str(value).lower() if isinstance(value, bool) else str(value)


def _limit_text(value: Any) -> str:
    """A limit as the author would write it: 1, not 1.0."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else yaml_text(value)
