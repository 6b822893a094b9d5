"""The bundled scenario library, shipped as package data and usable by name."""

from __future__ import annotations

from pathlib import Path

from scenarios.errors import ScenarioError, close_match

LIBRARY = Path(__file__).parent / "library"
"""The folder of bundled scenario files."""
SUFFIXES = (".yaml", ".yml")


def bundled_names() -> list[str]:
    """The names of the bundled scenarios, sorted."""
    return sorted(path.stem for path in LIBRARY.glob("*.yaml"))


def bundled_path(name: str) -> Path:
    """The file of a bundled scenario."""
    return LIBRARY / f"{name}.yaml"


def resolve(source: str | Path) -> tuple[Path, str]:
    """Turn a file path or a bundled scenario name into a file and the name to show in messages.

    Raises:
        ScenarioError: neither a file nor a bundled name (with a "did you mean").
    """
    path = Path(source)
    if path.exists() or path.suffix in SUFFIXES or "/" in str(source):
        return path, str(source)
    name = str(source)
    if bundled_path(name).is_file():
        return bundled_path(name), f"{name} (bundled)"
    names = bundled_names()
    close = close_match(name, names)
    hint = f"did you mean {close!r}?" if close else f"bundled scenarios: {', '.join(names)}"
    raise ScenarioError.simple(name, "no such file or bundled scenario", hint)


def expand(sources: list[str]) -> list[str | Path]:
    """Expand directories into the scenario files they hold (sorted); keep files and names as they are."""
    expanded: list[str | Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            expanded.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()))
        else:
            expanded.append(source)
    return expanded
