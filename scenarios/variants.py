"""Variants: named overlays of a scenario (add, change, remove items by id)."""

from __future__ import annotations

from typing import Any, Literal, get_args

from scenarios._base import Id, StrictModel

Section = Literal[
    "facts",
    "sites",
    "stakeholders",
    "channels",
    "injects",
    "decisions",
    "milestones",
    "objectives",
    "references",
    "rules",
    "phases",
]
"""The scenario's items with ids, which a variant can change: `rules` are playbook rules of any stakeholder,
`phases` the threat's phases."""
SECTIONS: tuple[str, ...] = get_args(Section)
TOP_LEVEL_SECTIONS: tuple[str, ...] = SECTIONS[:-2]
"""The sections that are top-level lists of the scenario."""
_KINDS = frozenset({"dist", "action"})


class Variant(StrictModel):
    """A what-if: the scenario with some items added, changed or removed."""

    id: Id
    """The variant's id."""
    description: str
    """What changes and why it is worth comparing."""
    add: dict[Section, list[dict[str, Any]]] = {}
    """New items per section (`channels: [{id: cs-radio, ...}]`); a new rule names its `stakeholder`."""
    change: dict[Section, dict[Id, dict[str, Any]]] = {}
    """Changed fields per section and id (`stakeholders: {patrols: {units: 8}}`); mappings merge, lists replace."""
    remove: dict[Section, list[Id]] = {}
    """Ids to remove per section."""
    patch: dict[Literal["clock", "threat"], dict[str, Any]] = {}
    """Changes to the clock or the threat (`threat: {neutralise_time: 1m}`); mappings merge, lists replace."""


def deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Merge `patch` into a copy of `base`: mappings merge key by key, anything else replaces.

    A mapping that names its own kind (`dist`, `action`) replaces the old one whole: a uniform distribution
    merged into a lognormal one would keep keys that mean nothing to it.
    """
    merged = dict(base)
    for key, value in patch.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict) and not _KINDS & value.keys():
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged
