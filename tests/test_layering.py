"""The layers `tui → simulator → scenarios` hold: no lower layer imports a higher one, and the CLI stays light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]

FORBIDDEN: dict[str, frozenset[str]] = {
    "scenarios": frozenset({"simulator", "tui", "tabletop_cli", "textual", "rich", "typer"}),
    "simulator": frozenset({"tui", "tabletop_cli", "textual", "rich", "typer"}),
    "tui": frozenset({"tabletop_cli"}),
}
"""For each package, the top-level modules it must never import (at module level or inside a function)."""

_REPORT = "import json, sys; json.dump(sorted(sys.modules), sys.stdout)"
_IMPORT_ALL = """
import importlib, pkgutil
for _package in PACKAGES:
    _module = importlib.import_module(_package)
    for _info in pkgutil.walk_packages(_module.__path__, _package + "."):
        importlib.import_module(_info.name)
"""
_RUN_CLI = """
import contextlib, io
from tabletop_cli.main import app
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        app(ARGS, prog_name="tabletop")
    except SystemExit:
        pass
"""


def _modules_after(code: str) -> set[str]:
    """The top-level names of every module loaded after running `code` in a fresh interpreter."""
    run = subprocess.run(
        [sys.executable, "-c", f"{code}\n{_REPORT}"], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    return {name.split(".")[0] for name in json.loads(run.stdout)}


def _modules_after_importing_all_of(*packages: str) -> set[str]:
    return _modules_after(f"PACKAGES = {list(packages)!r}\n{_IMPORT_ALL}")


def _modules_after_running(*args: str) -> set[str]:
    return _modules_after(f"ARGS = {list(args)!r}\n{_RUN_CLI}")


def _imported_names(path: Path, package: str) -> set[str]:
    """The top-level modules that a file imports anywhere in it (relative imports stay in `package`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(package if node.level else (node.module or "").split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_of_a_layer_imports_a_layer_above_it(package: str) -> None:
    violations = sorted(
        f"{path.relative_to(PROJECT)} imports {name}"
        for path in sorted((PROJECT / package).rglob("*.py"))
        for name in _imported_names(path, package) & FORBIDDEN[package]
    )

    assert violations == []


def test_the_import_scanner_sees_imports_inside_functions_and_by_name(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "import os.path\n"
        "from . import sibling\n"
        "def later():\n"
        "    from tui.app import App\n"
        "    importlib.import_module('textual.widgets')\n",
        encoding="utf-8",
    )

    assert _imported_names(module, "scenarios") == {"os", "scenarios", "tui", "textual"}


def test_importing_scenarios_and_simulator_loads_no_textual_module() -> None:
    loaded = _modules_after("import scenarios, scenarios.loader, simulator")

    assert {"scenarios", "simulator"} <= loaded
    assert "textual" not in loaded


def test_every_module_of_scenarios_loads_no_higher_layer() -> None:
    loaded = _modules_after_importing_all_of("scenarios")

    assert loaded & FORBIDDEN["scenarios"] == set()


def test_every_module_of_simulator_loads_no_higher_layer() -> None:
    loaded = _modules_after_importing_all_of("simulator")

    assert loaded & FORBIDDEN["simulator"] == set()


def test_tabletop_help_loads_neither_the_engine_nor_the_console_nor_plotting_nor_pydantic() -> None:
    loaded = _modules_after_running("--help")

    assert "typer" in loaded
    heavy = {"textual", "textual_serve", "aiohttp", "simpy", "matplotlib", "pydantic", "scenarios", "simulator", "tui"}
    assert loaded & heavy == set()


def test_tabletop_validate_loads_neither_the_engine_nor_the_console() -> None:
    loaded = _modules_after_running("validate", "synagogue-holiday-attack")

    assert "scenarios" in loaded
    assert loaded & {"textual", "simpy", "matplotlib", "simulator", "tui"} == set()
