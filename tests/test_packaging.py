"""A non-editable install carries the package data: the bundled scenarios, the JSON Schema, the console's styles."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from scenarios import bundled_names

ROOT = Path(__file__).parents[1]


def test_the_wheel_ships_every_bundled_scenario_and_the_schema(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("tabletop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"scenarios/library/{name}.yaml" for name in bundled_names()} <= names
    assert "scenarios/schema/scenario.schema.json" in names
    assert {"simulator/exercise.py", "tabletop_cli/main.py", "tui/__init__.py", "tui/app.py", "tui/app.tcss"} <= names
    assert "tabletop_cli/serve_page/app_index.html" in names  # the page `tabletop serve` gives browsers
    assert not any(name.startswith("tests/") for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "tabletop = tabletop_cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
