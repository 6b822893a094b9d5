"""`tabletop migrate`: a scenario file of an older version of the language, rewritten in the current one."""

from __future__ import annotations

import shlex
from pathlib import Path

from tabletop_cli._console import console


def run_migrate(file: Path, out: Path | None, *, force: bool) -> None:
    """List what migrating `file` to the current version changes, one line each with its place in the file.

    Nothing is written unless asked: `out` writes a new file (an existing one only with `force`); `force` alone
    updates `file` itself. Only the changed values are rewritten: comments and layout stay as they are.

    Raises:
        ScenarioError: `file` cannot be read, is not YAML, is not a scenario, or names a version this Tabletop does
            not know.
        FileRefusedError: the file to write exists (without `force`) or is a symbolic link.
    """
    from scenarios import SCHEMA_VERSION, ScenarioError, bundled_names
    from scenarios._yaml import read_document
    from scenarios.migrate import FIRST_VERSION, migrate_text, schema_version_of
    from simulator.files import refuse_existing, write_file

    name = str(file)
    if not file.exists() and name in bundled_names():
        raise ScenarioError.simple(
            name,
            "a bundled scenario is not a file to migrate",
            f"tabletop new FILE --from {name} writes a copy of it in schema version {SCHEMA_VERSION}",
            title="Not migrated",
        )
    document = read_document(file, name)
    data = document.data
    if not isinstance(data, dict) or "schema_version" not in data:
        raise ScenarioError.simple(
            name,
            "not a scenario: it has no schema_version",
            "a scenario file is a mapping that starts with schema_version (tabletop new starts one)",
            title="Not a scenario",
        )
    version = schema_version_of(data)
    out_console = console(soft_wrap=True)  # whole lines: each is a place in the file, and the last a command
    if version == SCHEMA_VERSION:
        out_console.print(f"{name} is already in schema version {SCHEMA_VERSION}: nothing to change.")
        return
    if version != FIRST_VERSION:
        known = " and ".join(str(v) for v in range(FIRST_VERSION, SCHEMA_VERSION + 1))
        problem = document.diagnostic(
            ("schema_version",),
            f"{data['schema_version']!r} is not a schema version this Tabletop reads ({known})",
            "a file written for a newer Tabletop needs that Tabletop",
        )
        raise ScenarioError([problem], title="Not migrated")
    target = out if out is not None else (file if force else None)
    if target is not None:
        refuse_existing(target, replace=force)
    text, migration = migrate_text(file.read_bytes().decode("utf-8"))
    for change in migration.changes:
        line, column = document.position(change.path)
        out_console.print(f"{name}:{line}:{column}: {change.describe()}")
    for note in migration.notes:
        line, column = document.position(note.path)
        out_console.print(f"{name}:{line}:{column}: note: {note.describe()}")
    count = f"{len(migration.changes)} change{'s' * (len(migration.changes) != 1)}"
    if target is None:
        out_console.print(
            f"Nothing written ({count}): add --force to make them in {name}, or --out NEW.yaml to write a new file."
        )
        return
    write_file(target, text.encode("utf-8"), replace=force)
    if target == file:
        out_console.print(f"Updated {name} to schema version {SCHEMA_VERSION} ({count}).")
    else:
        out_console.print(f"Wrote {target}: {name} in schema version {SCHEMA_VERSION} ({count}).")
    out_console.print(f"Check it with: tabletop validate {shlex.quote(str(target))}")
