"""Version 1 of the scenario language read as version 2: the data in memory, and the file's text for `migrate`.

Version 2 changed what "neutralised" means: only a unit of the scenario stops the threat. What changes, and only
that (every other version 1 file is valid version 2):

1. A threat phase's `ends_with: neutralised` (the arrest, in version 1) becomes `ends_with: arrested`.
2. A trigger `{event: threat_neutralised}` becomes `{event: threat_ended}` where, in version 1, the two events
   always fired together: the file has a phase that ends with `neutralised` and none that ends with `ended`. In a
   file with both, it is kept and noted (version 2 fires it only when a unit stops the threat, not at the arrest);
   in a file without an arrest, it meant a unit's stop already, and is kept as it is.
3. `schema_version: 1` becomes `2`.

Only scalar values change, never a key or the shape of the data: every value keeps its line and column, so errors
in a migrated file are located in the file as written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from scenarios._yaml import Path_, format_path, parse_document

FIRST_VERSION = 1
"""The oldest version of the language this Tabletop reads (and migrates)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One value the migration rewrites."""

    path: Path_
    """Where it is, like `('threat', 'phases', 2, 'ends_with')`."""
    old: str | int
    """The value in version 1."""
    new: str | int
    """The value in version 2."""

    def describe(self) -> str:
        """`threat.phases[2].ends_with: neutralised -> arrested`."""
        return f"{format_path(self.path)}: {self.old} -> {self.new}"


@dataclass(frozen=True, slots=True)
class Note:
    """Something the migration kept as it was, though its meaning changed: for the author to check."""

    path: Path_
    """Where it is."""
    message: str
    """What changed in its meaning, and what to write instead if that is what was meant."""

    def describe(self) -> str:
        """`milestones[3].when.event: kept threat_neutralised: ...`."""
        return f"{format_path(self.path)}: {self.message}"


@dataclass(frozen=True, slots=True)
class Migration:
    """Data of the current version, and what the migration changed to get it."""

    data: Any
    """The data in the current version (the data given, unchanged, when there was nothing to migrate)."""
    from_version: int | None
    """The version the data was written in (None: it names none, or not as a whole number)."""
    changes: tuple[Change, ...] = ()
    """Every value rewritten, in file order."""
    notes: tuple[Note, ...] = ()
    """Every value kept whose meaning changed, in file order."""


def schema_version_of(data: Any) -> int | None:
    """The version a scenario's data says it is written in; None when it names none or not as a whole number."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    # `schema_version: true` is no version 1, although True == 1 in Python.
    return version if type(version) is int else None


def migrate_data(data: Any) -> Migration:
    """Version 1 data as version 2 data; any other data is returned as it is, with no changes.

    A pure function: `data` is never changed (the result shares what the migration leaves alone).
    """
    version = schema_version_of(data)
    if version != FIRST_VERSION:
        return Migration(data, version)
    found = _Found()
    _scan(data, (), found)
    changes = [Change(("schema_version",), 1, 2)]
    changes += [Change(path, "neutralised", "arrested") for path in found.arrests]
    notes: list[Note] = []
    if found.arrests and not found.endings:
        changes += [Change(path, "threat_neutralised", "threat_ended") for path in found.triggers]
    elif found.arrests:
        arrest = format_path(found.arrests[0][:-1])
        notes = [
            Note(
                path,
                "kept threat_neutralised: in version 2 it happens only when a unit stops the threat, no longer when "
                f"the arrest of {arrest} (now ends_with: arrested) runs its course; for that, write "
                "{event: threat_ended, outcome: arrested}",
            )
            for path in found.triggers
        ]
    changes.sort(key=lambda change: _order(data, change.path))
    migrated = data
    for change in changes:
        migrated = _replaced(migrated, change.path, change.new)
    return Migration(migrated, version, tuple(changes), tuple(notes))


def migrate_text(text: str) -> tuple[str, Migration]:
    """A version 1 file's text as version 2: only the values the migration changes are rewritten, in place.

    Comments, quotes, layout and line endings are kept byte for byte, which a YAML round trip does not promise (it
    re-indents lists and re-wraps long lines); every change stays on its line. Text of another version is returned
    as it is. The text must be a scenario file `scenarios._yaml.parse_document` accepts (no anchors, no tags).
    """
    root = YAML(typ="safe", pure=True).compose(io.StringIO(text))
    migration = migrate_data(parse_document(text, "").data)
    spans = sorted(((_node_at(root, change.path), change) for change in migration.changes), key=_start)
    parts: list[str] = []
    done = 0
    for node, change in spans:
        start, end = node.start_mark.index, node.end_mark.index
        written = text[start:end]
        old, new = str(change.old), str(change.new)
        # A quoted value keeps its quotes; one written with escapes (`"neutr\x61lised"`) is written plainly.
        parts += [text[done:start], written.replace(old, new, 1) if old in written else new]
        done = end
    parts.append(text[done:])
    return "".join(parts), migration


@dataclass(slots=True)
class _Found:
    """The paths of the values the migration looks at."""

    arrests: list[Path_] = field(default_factory=list)
    """`ends_with: neutralised`."""
    endings: list[Path_] = field(default_factory=list)
    """`ends_with: ended`."""
    triggers: list[Path_] = field(default_factory=list)
    """`event: threat_neutralised`."""


def _scan(data: Any, path: Path_, found: _Found) -> None:
    """Find, anywhere in the file (a variant's phases and triggers too), the values the migration looks at.

    In version 1 only threat phases have an `ends_with`, and only triggers an `event`.
    """
    if isinstance(data, dict):
        ends_with = data.get("ends_with")
        if ends_with == "neutralised":
            found.arrests.append((*path, "ends_with"))
        elif ends_with == "ended":
            found.endings.append((*path, "ends_with"))
        if data.get("event") == "threat_neutralised":
            found.triggers.append((*path, "event"))
        for key, value in data.items():
            if isinstance(value, dict | list):
                _scan(value, (*path, key), found)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            if isinstance(item, dict | list):
                _scan(item, (*path, index), found)


def _order(data: Any, path: Path_) -> tuple[int, ...]:
    """A path's place in file order: the position of each of its keys in its mapping, or its index."""
    order: list[int] = []
    for part in path:
        order.append(list(data).index(part) if isinstance(data, dict) else int(part))
        data = data[part]
    return tuple(order)


def _replaced(data: Any, path: Path_, value: Any) -> Any:
    """A copy of `data` with `value` at `path`: the containers on the path are copied, everything else shared."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replaced(data[head], rest, value)}
    copied = list(data)
    copied[int(head)] = _replaced(data[int(head)], rest, value)
    return copied


def _node_at(node: Node, path: Path_) -> ScalarNode:
    for part in path:
        if isinstance(node, MappingNode):
            node = next(value for key, value in node.value if key.value == part)
        else:
            assert isinstance(node, SequenceNode)
            node = node.value[int(part)]
    assert isinstance(node, ScalarNode)
    return node


def _start(span: tuple[ScalarNode, Change]) -> int:
    return int(span[0].start_mark.index)
