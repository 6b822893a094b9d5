"""Reading one MSEL cell as an inject's field: the spellings seen in the field, and what is wrong when it is none."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from scenarios._base import SLUG_PATTERN, slugify
from scenarios.distributions import Delay
from scenarios.errors import ScenarioError, close_match
from scenarios.msel.columns import DELIVERY_METHODS, INJECT_TYPES
from scenarios.names import find_named, suggestion

_TYPE_ALIASES = {"info": "informational", "information": "informational"}
_METHOD_ALIASES = {
    **dict.fromkeys(("telephone", "phone call", "call", "telefon", "téléphone"), "phone"),
    **dict.fromkeys(("e-mail", "mail", "courriel"), "email"),
    "funk": "radio",
    **dict.fromkeys(("sms", "text", "text message", "whatsapp", "chat", "messenger"), "message"),
    **dict.fromkeys(("in person", "face to face", "spoken", "persönlich", "en personne"), "verbal"),
    **dict.fromkeys(("paper", "printout", "handout", "papier"), "handout"),
    **dict.fromkeys(("tv", "footage"), "video"),
}
_YES = ("yes", "y", "true", "x", "1", "ja", "oui")
_NO = ("no", "n", "false", "0", "nein", "non", "")
_SLUG = re.compile(SLUG_PATTERN)
_SPACES = re.compile(r"\s+")
_SEVERAL = re.compile(r"\s*(?:;|,|/|\n|\s+and\s+)\s*", re.IGNORECASE)
_DELAY: TypeAdapter[Any] = TypeAdapter(Delay)


class CellProblem(Exception):
    """A cell that cannot be read as its column's field; carries a hint."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def cell_text(value: object) -> str:
    """A cell as the text it shows (a CSV's escaping is undone when it is read, an XLSX cell is taken literally)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def read_id(text: str) -> tuple[str, str | None]:
    """An inject id, and a warning when the cell had to be turned into one (`Inject 3` gives `inject-3`)."""
    if _SLUG.fullmatch(text):
        return text, None
    made = slugify(text, default="")
    if not made:
        raise CellProblem(f"{text!r} is not an id", "use letters, digits and hyphens, like inj-03")
    return made, f"{text!r} is not an id: read as {made!r}"


def read_inject_type(text: str) -> str:
    """An inject type (case-insensitive; `info` for informational); empty is `event`."""
    if not text:
        return "event"
    word = _SPACES.sub(" ", text.lower())
    word = _TYPE_ALIASES.get(word, word)
    if word in INJECT_TYPES:
        return word
    raise CellProblem(f"{text!r} is not an inject type", "write one of: " + ", ".join(INJECT_TYPES))


def read_delivery_method(text: str) -> str:
    """A delivery method (case-insensitive, with the aliases seen in the field); empty is `verbal`."""
    if not text:
        return "verbal"
    word = _SPACES.sub(" ", text.lower())
    word = _METHOD_ALIASES.get(word, word)
    if word in DELIVERY_METHODS:
        return word
    close = close_match(word, [*DELIVERY_METHODS, *_METHOD_ALIASES])
    hint = f"did you mean {_METHOD_ALIASES.get(close, close)!r}? " if close else ""
    raise CellProblem(f"{text!r} is not a delivery method", hint + "write one of: " + ", ".join(DELIVERY_METHODS))


def read_reference(text: str, what: str, known: Sequence[tuple[str, str]], *, recipient: bool = False) -> str:
    """The id of the stakeholder, objective or fact a cell names: by its id, its name (whatever the case and
    spacing), or a slug of the cell equal to an id.

    Args:
        text: the cell, stripped.
        what: what it names, for messages (`stakeholder`).
        known: each (id, name).
        recipient: whether several names in one cell get the "one recipient per row" error.

    Raises:
        CellProblem: it names nothing known (with a "did you mean"), or several recipients.
    """
    found = find_named(text, dict(known), slug=True)
    if found is not None:
        return found
    if recipient:
        parts = [part for part in _SEVERAL.split(text) if part]
        if len(parts) >= 2:
            unknown = [part for part in parts if find_named(part, dict(known), slug=True) is None]
            hint = "one recipient per row: copy the row for each"
            if unknown:
                hint += "; not a stakeholder: " + ", ".join(repr(part) for part in unknown)
            raise CellProblem(f"{text!r} names {len(parts)} recipients", hint)
    ids = [identifier for identifier, _ in known]
    close = suggestion(text, ids, dict(known))
    if close is not None:
        hint = f"did you mean {close!r}?"
    elif ids:
        hint = f"the scenario's {what} ids: " + ", ".join(ids[:12]) + (", ..." if len(ids) > 12 else "")
    else:
        hint = f"the scenario has no {what}"
    raise CellProblem(f"no {what} {text!r}", hint)


def read_trigger(text: str, fact: str = "shots-fired") -> dict[str, Any]:
    """A trigger written as a YAML flow mapping (`{event: units_arrived, site: synagogue}`), or a bare fact id;
    `fact` is the fact the hints' example names (the scenario's own first fact)."""
    from scenarios.loader import validate_model
    from scenarios.playbook import Trigger

    data = _flow_value(text, f"write a fact id like {fact}, or a mapping like {{fact: {fact}}}")
    if isinstance(data, str) and _SLUG.fullmatch(data):
        data = {"fact": data}
    if not isinstance(data, dict):
        raise CellProblem(
            f"{text!r} is not a trigger", f"write a fact id like {fact}, or a mapping like {{fact: {fact}}}"
        )
    _, problems = validate_model(Trigger, data, "trigger")
    if problems:
        first = problems[0]
        raise CellProblem(f"{first.path + ': ' if first.path else ''}{first.message}", first.hint)
    return data


def read_after(text: str) -> object:
    """A delay: a duration (`30s`, `1m30s`) or a distribution as a flow mapping (`{dist: uniform, low: 30s, ...}`)."""
    data = (
        _flow_value(text, "write a mapping like {dist: uniform, low: 30s, high: 2m}") if text.startswith("{") else text
    )
    try:
        _DELAY.validate_json(orjson.dumps(data), strict=True)
    except ValidationError as exc:
        error = exc.errors()[0]
        reason = str(error["msg"]).removeprefix("Value error, ")
        # The duration's own message already names the cell: one clause, not two.
        raise CellProblem(
            reason.split(":")[0] if reason.startswith(repr(text)) else f"{text!r} is not a delay: {reason}",
            "write a duration like 30s, or {dist: uniform, low: 30s, high: 2m}",
        ) from None
    return data


def read_contingency(text: str) -> bool:
    """Whether a Contingency cell says yes (`yes`, `x`, `ja`, `oui`...) or no (`no`, empty...)."""
    word = text.lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellProblem(
        f"{text!r} is neither yes nor no", "write yes (or x) for a contingency inject, else leave it empty"
    )


def _flow_value(text: str, hint: str) -> object:
    """A cell's YAML value, read as the scenario loader reads YAML (1.2, safe, limited)."""
    from scenarios._yaml import parse_document

    try:
        return parse_document(text, "cell").data
    except ScenarioError as exc:
        raise CellProblem(f"{text!r} is not readable: {exc.diagnostics[0].message}", hint) from None
