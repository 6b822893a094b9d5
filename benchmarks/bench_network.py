"""`tabletop network` on a generated 500-stakeholder, 2,000-channel network with ten sites, next to `tabletop validate`.

The network is `benchmarks.network.generate()` (guards warning each other around a ring and at random, reporting to
four control rooms), its 496 guards grouped onto ten sites (guard i at site i mod 10), so that the command analyses
ten alerts of about fifty origins each. Written once as a scenario file into a temporary folder.

Measured in one run, each next to its baseline (medians of `REPEAT` tries):

- **In process**: the command as the CLI runs it (`CliRunner`, its tables rendered into a string), next to
  `tabletop validate` of the same file in the same way; and `analyse_network` alone on the loaded scenario.
- **As a new process**: `python -m tabletop_cli.main network FILE`, start-up included, as a facilitator waits for
  it, next to `python -m tabletop_cli.main validate FILE`. Target: under 2 s.
- **One site per guard**: the same network with 496 sites (496 alerts, one line each), the tables and `--json`, once
  each in process, next to `tabletop validate` of that file.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from benchmarks.network import generate

STAKEHOLDERS = 500
CHANNELS = 2000
SITES = 10
REPEAT = 5
TARGET_S = 2.0
"""The issue's target for the command as a new process."""


def network_file(folder: Path, stakeholders: int = STAKEHOLDERS, channels: int = CHANNELS, sites: int = SITES) -> Path:
    """Write the generated network, its guards on `sites` sites, as a scenario file (JSON is YAML) in `folder`."""
    data = generate(stakeholders, channels).scenario_data()
    kept = {site["id"] for site in data["sites"][:sites]}
    order = [site["id"] for site in data["sites"][:sites]]
    moved: dict[str, str] = {}
    for index, site in enumerate(site["id"] for site in data["sites"]):
        moved[site] = site if site in kept else order[index % sites]
    data["sites"] = data["sites"][:sites]
    for stakeholder in data["stakeholders"]:
        if stakeholder.get("site") is not None:
            stakeholder["site"] = moved[stakeholder["site"]]
        for rule in stakeholder["playbook"]:
            for action in rule["do"]:
                if "site" in action:
                    action["site"] = moved[action["site"]]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "network.yaml"
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    return path


def median_s(job: Callable[[], object], repeat: int) -> float:
    """The median of the seconds `job` takes over `repeat` tries, each after a garbage collection."""
    tries = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        job()
        tries.append(time.perf_counter() - start)
    return statistics.median(tries)


def in_process(path: Path, repeat: int = REPEAT) -> dict[str, Any]:
    """The command and its baseline run in this process (after one untimed run of each, which loads the modules)."""
    from typer.testing import CliRunner

    from scenarios import load_scenario
    from simulator.analysis.network.analysis import analyse_network
    from tabletop_cli.main import app

    runner = CliRunner()

    def command(*args: str) -> Callable[[], str]:
        def job() -> str:
            result = runner.invoke(app, list(args), env={"COLUMNS": "100"})
            assert result.exit_code == 0, result.output
            return result.output

        return job

    network, validate = command("network", str(path)), command("validate", str(path))
    output = network()
    validate()
    scenario = load_scenario(str(path))
    analysis = analyse_network(scenario)
    return {
        "network_s": median_s(network, repeat),
        "validate_s": median_s(validate, repeat),
        "analyse_s": median_s(lambda: analyse_network(scenario), repeat),
        "alerts": len(analysis.alerts),
        "stakeholders": analysis.stakeholders,
        "channels": analysis.channels,
        "output_lines": output.count("\n"),
    }


def many_sites(folder: Path, stakeholders: int = STAKEHOLDERS, channels: int = CHANNELS) -> dict[str, Any]:
    """The command on the same network with one site per guard (496 alerts): the one-line-per-site tables and the
    complete JSON, each once in process, next to `tabletop validate` of that file."""
    from typer.testing import CliRunner

    from tabletop_cli.main import app

    path = network_file(folder, stakeholders, channels, sites=stakeholders - 4)
    runner = CliRunner()

    def timed(*args: str) -> tuple[float, str]:
        start = time.perf_counter()
        result = runner.invoke(app, list(args), env={"COLUMNS": "100"})
        assert result.exit_code == 0, result.output
        return time.perf_counter() - start, result.output

    validate_s, _ = timed("validate", str(path))
    text_s, text = timed("network", str(path))
    json_s, data = timed("network", str(path), "--json")
    return {
        "many_sites": stakeholders - 4,
        "many_text_s": text_s,
        "many_json_s": json_s,
        "many_validate_s": validate_s,
        "many_text_lines": text.count("\n"),
        "many_json_bytes": len(data.encode("utf-8")),
    }


def as_processes(path: Path, repeat: int = REPEAT) -> dict[str, float]:
    """The command and its baseline as new Python processes, start-up included."""

    def process(*args: str) -> Callable[[], None]:
        def job() -> None:
            subprocess.run(
                [sys.executable, "-m", "tabletop_cli.main", *args],
                capture_output=True,
                check=True,
                env={**os.environ, "COLUMNS": "100"},
            )

        return job

    return {
        "network_process_s": median_s(process("network", str(path)), repeat),
        "validate_process_s": median_s(process("validate", str(path)), repeat),
    }


def main() -> dict[str, Any]:
    """Write the network, measure, print a markdown table."""
    with tempfile.TemporaryDirectory() as tmp:
        path = network_file(Path(tmp))
        figures = {**in_process(path), **as_processes(path), **many_sites(Path(tmp) / "many")}
    print(
        f"a generated network: {figures['stakeholders']} stakeholders, {figures['channels']} channels, "
        f"{figures['alerts']} alerts (sites); {figures['output_lines']:,} lines printed\n"
    )
    print("| `tabletop network` | time | baseline | ratio | target |")
    print("|---|---:|---:|---:|---|")
    rows = (
        ("in process", figures["network_s"], figures["validate_s"], ""),
        ("`analyse_network` alone", figures["analyse_s"], figures["validate_s"], ""),
        ("as a new process", figures["network_process_s"], figures["validate_process_s"], f"< {TARGET_S:g} s"),
    )
    for label, seconds, baseline, target in rows:
        print(f"| {label} | {seconds:.2f} s | {baseline:.2f} s (`validate`) | {seconds / baseline:.1f} | {target} |")
    base = figures["many_validate_s"]
    many = (
        (f"one site per guard ({figures['many_sites']} alerts), tables", figures["many_text_s"]),
        (f"one site per guard, `--json` ({figures['many_json_bytes'] / 1e6:.0f} MB)", figures["many_json_s"]),
    )
    for label, seconds in many:
        print(f"| {label} | {seconds:.2f} s | {base:.2f} s (`validate`) | {seconds / base:.1f} | |")
    met = figures["network_process_s"] < TARGET_S
    print(f"\nthe new process takes {figures['network_process_s']:.2f} s: target {'met' if met else 'NOT met'}")
    ratios = {label: seconds / baseline for label, seconds, baseline, _target in rows}
    ratios.update({label: seconds / base for label, seconds in many})
    return {**figures, "ratios": ratios, "target_process_s": TARGET_S, "meets_target": met}


if __name__ == "__main__":
    main()
