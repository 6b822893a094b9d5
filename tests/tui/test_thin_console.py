"""The console is thin: it reaches the engine only through the host and its public views, never its insides."""

from __future__ import annotations

import ast
from pathlib import Path

TUI = Path(__file__).parents[2] / "tui"
OPENS_THE_HOST = {"session.py"}
"""The one module that opens an exercise (it names the concrete `ExerciseHost`; everything else sees `Host`)."""


def simulator_imports(path: Path) -> set[str]:
    """The `simulator` modules and names a file imports, as `module` or `module:name`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("simulator"):
            found.add(node.module or "")
            found.update(f"{node.module}:{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("simulator"))
    return found


def test_no_console_module_imports_a_private_module_of_the_engine_or_the_engine_itself() -> None:
    offending = {}
    for path in sorted(TUI.rglob("*.py")):
        imports = simulator_imports(path)
        private = {name for name in imports if any(part.startswith("_") for part in name.replace(":", ".").split("."))}
        engine = {n for n in imports if n.startswith("simulator.exercise") or n == "simulator:Exercise"}
        if path.name not in OPENS_THE_HOST:
            engine |= {name for name in imports if name.endswith(("ExerciseHost", "simulator.host"))}
        if private | engine:
            offending[str(path.relative_to(TUI))] = sorted(private | engine)

    assert offending == {}


def test_the_scanner_sees_private_and_engine_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("from simulator._world import World\nimport simulator.exercise\n", encoding="utf-8")

    assert simulator_imports(probe) >= {"simulator._world:World", "simulator.exercise"}
