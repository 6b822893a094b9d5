"""`tabletop new`: start a scenario of one's own from a bundled one, with editor completion set up."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tabletop_cli import BadOption
from tabletop_cli._console import console

SCHEMA_NAME = "scenario.schema.json"
_SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=.*$", re.MULTILINE)
_ID_LINE = re.compile(r"^id: .*$", re.MULTILINE)


def slug(text: str) -> str:
    """A scenario id from a file name: `My City Cascade` gives `my-city-cascade`, `Übung Straße` `ubung-strasse`."""
    from scenarios import slugify

    return slugify(text, "my-scenario")


def run_new(target: Path, source: str, *, force: bool = False) -> None:
    """Copy bundled scenario `source` to `target` with a new id, and write the JSON Schema beside it.

    An existing schema file is kept unless `force` is given and it is a regular file; a symbolic link there is
    never written through.

    Raises:
        BadOption: the target is not a `.yaml` file name.
        FileRefusedError: the target exists (without `force`) or is a symbolic link.
        ScenarioError: no such bundled scenario.
    """
    from scenarios.library import bundled_path, resolve
    from scenarios.migrate import migrate_text
    from scenarios.schema import schema_text
    from simulator.files import refuse_existing, write_file

    if target.suffix not in (".yaml", ".yml"):
        raise BadOption(
            f"{target}: a scenario file name ends in .yaml", f"e.g. tabletop new {shlex.quote(target.stem + '.yaml')}"
        )
    refuse_existing(target, replace=force)
    resolve(source)  # a "did you mean" for a misspelt name
    if not bundled_path(source).is_file():
        raise BadOption(f"--from {source!r} is a file, not a bundled scenario", "tabletop validate --list names them")
    text, _ = migrate_text(bundled_path(source).read_text(encoding="utf-8"))  # a new file is in today's language
    text = _SCHEMA_LINE.sub(f"# yaml-language-server: $schema={SCHEMA_NAME}", text, count=1)
    scenario_id = slug(target.stem)
    text = _ID_LINE.sub(f"id: {scenario_id}", text, count=1)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_file(target, text.encode("utf-8"), replace=force)
    out = console(soft_wrap=True)  # whole lines: the last one is a command to paste
    out.print(f"Wrote {target} (a copy of {source}, id {scenario_id}).")
    schema = target.parent / SCHEMA_NAME
    out.print(_write_schema(schema, schema_text().encode("utf-8"), force=force))
    out.print(f"Edit it, then check it with: tabletop validate {shlex.quote(str(target))}")


def _write_schema(schema: Path, text: bytes, *, force: bool) -> str:
    """Write the schema beside a new scenario unless one is there; what was done, in a sentence."""
    from simulator.files import FileRefusedError, write_file

    if schema.is_symlink() or (schema.exists() and not schema.is_file()):
        return f"Left {schema} as it is: it is not a regular file (a symbolic link is never written through)."
    if schema.is_file() and schema.read_bytes() == text:
        return f"{schema} is up to date: editors that read the first line of the scenario complete and check it."
    try:
        write_file(schema, text, replace=force)
    except FileRefusedError:
        return f"Kept {schema}: it is not this version's schema (--force replaces it)."
    return f"Wrote {schema}: editors that read the first line of the scenario complete and check it."
