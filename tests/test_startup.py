"""Start-up: each command imports only what it uses, and a scenario file is parsed once (counted, never timed)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import ruamel.yaml.parser

from benchmarks.bench_startup import summarise
from scenarios import _libyaml, bundled_path, check_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "synagogue-holiday-attack"

HEAVY_FOR_HELP = (
    "scenarios",
    "simulator",
    "tui",
    "pydantic",
    "pydantic_core",
    "simpy",
    "networkx",
    "rich",
    "ruamel",
    "yaml",
    "orjson",
    "textual",
)
"""What `--help` has no use for: "heavy" is the scenario language, the engine and the console, and every library
beyond the CLI framework (typer) that they bring (the help page is typer's own text)."""
UNUSED_BY_VALIDATE_AND_RUN = (
    "networkx",
    "matplotlib",
    "polars",
    "pyarrow",
    "dask",
    "textual",
    "openpyxl",
    "jinja2",
    "tui",
)
"""Libraries of the analysis, the reports, the spreadsheets, batches and the console, which a check or a headless
run never calls."""

_COMMAND = """
import json, sys
out = sys.argv.pop(1)
counts = {"libyaml": 0, "ruamel": 0}
if sys.argv[1] != "--help":
    # Count the passes over a YAML text: a libyaml parser made, or ruamel's parser starting on a stream.
    import ruamel.yaml.parser, yaml._yaml
    real = yaml._yaml.CParser
    def counting_cparser(text):
        counts["libyaml"] += 1
        return real(text)
    yaml._yaml.CParser = counting_cparser
    start = ruamel.yaml.parser.Parser.parse_stream_start
    def counting_start(self):
        counts["ruamel"] += 1
        return start(self)
    ruamel.yaml.parser.Parser.parse_stream_start = counting_start
from tabletop_cli.main import main
sys.argv[0] = "tabletop"
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
with open(out, "w") as file:
    json.dump({"code": code, "modules": sorted(sys.modules), "parses": counts}, file)
"""
"""Runs `tabletop ARGUMENTS` as the installed script does and writes what it imported and parsed to a file."""


def _started(tmp_path: Path, *arguments: str) -> dict[str, Any]:
    out = tmp_path / "started.json"
    subprocess.run(
        [sys.executable, "-c", _COMMAND, str(out), *arguments],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert result["code"] == 0, result["code"]
    return result


def _imported(result: dict[str, Any], packages: tuple[str, ...]) -> list[str]:
    modules = set(result["modules"])
    return [package for package in packages if package in modules]


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("startup")
    return {
        "help": _started(folder, "--help"),
        "validate": _started(folder, "validate", SCENARIO),
        "run": _started(folder, "run", SCENARIO),
    }


def test_the_help_page_imports_nothing_heavy(started: dict[str, dict[str, Any]]) -> None:
    assert _imported(started["help"], HEAVY_FOR_HELP) == []


def test_validate_imports_no_analysis_report_or_console_library(started: dict[str, dict[str, Any]]) -> None:
    assert _imported(started["validate"], UNUSED_BY_VALIDATE_AND_RUN) == []


def test_validate_imports_neither_the_engine_nor_simpy(started: dict[str, dict[str, Any]]) -> None:
    assert _imported(started["validate"], ("simulator", "simpy")) == []


def test_run_imports_no_analysis_report_or_console_library(started: dict[str, dict[str, Any]]) -> None:
    assert _imported(started["run"], UNUSED_BY_VALIDATE_AND_RUN) == []


@pytest.mark.parametrize("command", ["validate", "run"])
def test_the_scenario_file_is_parsed_once(started: dict[str, dict[str, Any]], command: str) -> None:
    assert started[command]["parses"] == {"libyaml": 1, "ruamel": 0}


def test_without_libyaml_the_pure_python_reader_parses_the_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    passes = 0
    start = ruamel.yaml.parser.Parser.parse_stream_start

    def counting_start(self: ruamel.yaml.parser.Parser) -> Any:
        nonlocal passes
        passes += 1
        return start(self)

    monkeypatch.setattr(_libyaml, "_parser", None)
    monkeypatch.setattr(ruamel.yaml.parser.Parser, "parse_stream_start", counting_start)

    result = check_scenario(bundled_path(SCENARIO))

    assert result.ok
    assert passes == 1


def test_the_benchmark_gives_each_median_over_the_baselines() -> None:
    samples = {
        "baseline": [(0.10, 0.20), (0.30, 0.40), (0.20, 0.30)],
        "run": [(0.50, 0.60), (0.40, 0.90), (0.90, 1.20)],
    }

    figures = summarise(samples)

    assert figures["baseline"]["cpu_ratio"] == pytest.approx(1.0)
    assert figures["run"]["cpu_s"] == {"min": 0.40, "median": 0.50, "max": 0.90}
    assert figures["run"]["cpu_ratio"] == pytest.approx(0.50 / 0.20)
    assert figures["run"]["wall_ratio"] == pytest.approx(0.90 / 0.30)
    assert json.loads(json.dumps(figures)) == figures


def test_ascii_text_is_found_unusual_exactly_where_the_full_pattern_finds_it() -> None:
    full = re.compile(_libyaml._UNUSUAL)
    texts = [f"key: a{chr(code)}b\n" for code in range(128)]

    assert [_libyaml._is_unusual(text) for text in texts] == [full.search(text) is not None for text in texts]
    assert sum(map(_libyaml._is_unusual, texts)) == 128 - 95 - 2  # all but the 95 printable, newline and return


def test_other_text_is_checked_with_the_full_pattern() -> None:
    assert not _libyaml._is_unusual("name: Übung Straße — 1\n")
    assert _libyaml._is_unusual("name: Übung\tStraße\n")
    assert _libyaml._is_unusual("name: Übung\u2028Straße\n")
