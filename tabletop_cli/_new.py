"""`tabletop new`: start a scenario of one's own from a bundled one, with editor completion set up."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console

from tabletop_cli import BadOption

SCHEMA_NAME = "scenario.schema.json"
_SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=.*$", re.MULTILINE)
_ID_LINE = re.compile(r"^id: .*$", re.MULTILINE)


def slug(text: str) -> str:
    """A scenario id from a file name: `My City Cascade` gives `my-city-cascade`, `Übung Straße` `ubung-strasse`."""
    from scenarios import slugify

    return slugify(text, "my-scenario")


def run_new(target: Path, source: str) -> None:
    """Copy bundled scenario `source` to `target` with a new id, and write the JSON Schema beside it.

    Raises:
        BadOption: the target is not a `.yaml` file name, or already exists.
        ScenarioError: no such bundled scenario.
    """
    from scenarios.library import bundled_path, resolve
    from scenarios.schema import schema_text

    if target.suffix not in (".yaml", ".yml"):
        raise BadOption(f"{target}: a scenario file name ends in .yaml", f"e.g. tabletop new {target.stem}.yaml")
    if target.exists():
        raise BadOption(f"{target} already exists: refusing to overwrite it", "choose a new file name")
    resolve(source)  # a "did you mean" for a misspelt name
    if not bundled_path(source).is_file():
        raise BadOption(f"--from {source!r} is a file, not a bundled scenario", "tabletop validate --list names them")
    text = bundled_path(source).read_text(encoding="utf-8")
    text = _SCHEMA_LINE.sub(f"# yaml-language-server: $schema={SCHEMA_NAME}", text, count=1)
    text = _ID_LINE.sub(f"id: {slug(target.stem)}", text, count=1)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    schema = target.parent / SCHEMA_NAME
    wrote_schema = not schema.exists()
    if wrote_schema:
        schema.write_text(schema_text(), encoding="utf-8")
    console = Console(highlight=False)
    console.print(f"Wrote {target} (a copy of {source}, id {slug(target.stem)}).", markup=False)
    if wrote_schema:
        console.print(f"Wrote {schema}: editors that read the first line of the scenario complete and check it.")
    console.print(f"Edit it, then check it with: tabletop validate {target}", markup=False)
