"""The MSEL's columns: the doctrine's fields in the doctrine's order, then the ones Tabletop needs to play an inject.

Each column has the header Tabletop writes and the headers seen in the field for the same field
(`../shared/reference/msel-and-aar.md`); an importer matches headers after `normalise_header`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import get_args

from scenarios.exercise import Inject


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the MSEL."""

    field: str
    """The inject's field it holds (`at`, `to`, `text`...; `from` for the originator), or `status`."""
    header: str
    """The header Tabletop writes."""
    aliases: tuple[str, ...] = ()
    """Other headers accepted for it on import, already normalised (German and French ones among them)."""
    doctrine: bool = True
    """Whether HSEEP's MSEL has it; the others carry what Tabletop needs to play the inject (trigger, fact...)."""


COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "Inject #",
        (
            "seq no",
            "seq",
            "seq #",
            "event #",
            "event no",
            "inject no",
            "msel #",
            "msel no",
            "id",
            "no",
            "#",
            "number",
            "inject id",
            "nr",
            "n°",
        ),
    ),
    Column("move", "Move", ("module", "phase", "move/phase")),
    Column(
        "at",
        "Scenario Time",
        ("designated scenario time", "time", "t+", "date/time delivered", "delivery time", "when", "zeit", "heure"),
    ),
    Column("inject_type", "Inject Type", ("type", "event type")),
    Column("delivery_method", "Delivery Method", ("method", "mode", "delivery")),
    Column("from", "From", ("originator", "simulated originator", "sender", "absender", "émetteur")),
    Column("to", "To", ("recipient", "intended player", "player", "players", "receiver", "empfänger", "destinataire")),
    Column(
        "text",
        "Inject",
        (
            "message",
            "description",
            "event synopsis",
            "script",
            "inject text",
            "text",
            "event description",
            "meldung",
            "einspielung",
        ),
    ),
    Column(
        "expected_action",
        "Expected Action",
        ("expected player action", "expected response", "expected outcome", "expected actions"),
    ),
    Column("objective", "Objective", ("objectives",)),
    Column("core_capability", "Core Capability", ("capability", "core capabilities")),
    Column("critical_task", "Critical Task", ("critical tasks", "task")),
    Column("controller", "Responsible Controller", ("controller",)),
    Column(
        "notes", "Notes", ("evaluator notes", "special instructions", "remarks", "comments", "bemerkungen", "remarques")
    ),
    Column("status", "Status", ()),
    Column("trigger", "Trigger", ("on", "trigger event"), doctrine=False),
    Column("after", "After", ("delay", "after trigger"), doctrine=False),
    Column("fact", "Fact", ("fact learned",), doctrine=False),
    Column("contingency", "Contingency", (), doctrine=False),
    Column("source", "Source", ("time source",), doctrine=False),
)
"""Every column, in the order Tabletop writes them."""

_SPACES = re.compile(r"\s+")


def normalise_header(header: str) -> str:
    """A header as it is matched: lower case, spaces collapsed, without a trailing colon or full stop
    (`  Seq. No: ` gives `seq no`); `#`, `+` and `/` are kept (`Inject #`, `T+`, `Date/Time Delivered`)."""
    text = _SPACES.sub(" ", header.replace(".", " ")).strip().rstrip(":").strip().lower()
    return _SPACES.sub(" ", text)


_SHOWN = {"id": "ID", "msel": "MSEL", "n°": "N°"}


def shown_header(name: str) -> str:
    """A normalised header as a spreadsheet would write it (`intended player` gives `Intended Player`)."""
    return re.sub(r"[^ /]+", lambda word: _SHOWN.get(word[0], word[0][:1].upper() + word[0][1:]), name)


BY_HEADER: dict[str, Column] = {}
"""Each accepted header (normalised), and its column."""
for _column in COLUMNS:
    for _name in (normalise_header(_column.header), *_column.aliases):
        if _name in BY_HEADER:
            raise AssertionError(f"the header {_name!r} is given to two columns")
        BY_HEADER[_name] = _column


INJECT_TYPES: tuple[str, ...] = get_args(Inject.model_fields["inject_type"].annotation)
"""The inject types the scenario language knows (`informational`, `event`, `media`, `contingency`)."""
DELIVERY_METHODS: tuple[str, ...] = get_args(Inject.model_fields["delivery_method"].annotation)
"""The delivery methods the scenario language knows (`verbal`, `phone`, ...)."""
