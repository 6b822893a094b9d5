"""The network benchmark runs: its figures measured on a small generated network (it stands in for 500 and 2,000)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_network import as_processes, in_process, many_sites, network_file
from scenarios import load_scenario


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return network_file(tmp_path_factory.mktemp("network-benchmark"), stakeholders=40, channels=120, sites=10)


def test_the_generated_network_keeps_its_stakeholders_and_channels_on_ten_sites(small: Path) -> None:
    scenario = load_scenario(str(small))
    assert len(scenario.stakeholders) == 40 and len(scenario.channels) == 120
    assert [site.id for site in scenario.sites] == [f"site-{i:04d}" for i in range(10)]
    guards = [s for s in scenario.stakeholders if s.kind == "community_site"]
    # 36 guards: guard i at site i mod 10, so the first six sites have four guards, the others three.
    assert sorted({s.site or "" for s in guards}) == [f"site-{i:04d}" for i in range(10)]
    assert sum(s.site == "site-0000" for s in guards) == 4 and sum(s.site == "site-0009" for s in guards) == 3


def test_the_network_benchmark_times_the_command_its_analysis_and_its_baseline_in_process(small: Path) -> None:
    figures = in_process(small, repeat=1)
    assert figures["network_s"] > 0 and figures["validate_s"] > 0 and figures["analyse_s"] > 0
    assert figures["alerts"] == 10 and figures["stakeholders"] == 40 and figures["channels"] == 120
    assert figures["output_lines"] > 40


@pytest.mark.slow
def test_the_network_benchmark_times_the_command_and_its_baseline_as_new_processes(small: Path) -> None:
    figures = as_processes(small, repeat=1)
    assert figures["network_process_s"] > 0 and figures["validate_process_s"] > 0


def test_the_network_benchmark_times_one_site_per_guard_in_short_and_as_json(tmp_path: Path) -> None:
    figures = many_sites(tmp_path / "many", stakeholders=24, channels=60)  # a folder of its own, made for it
    assert figures["many_sites"] == 20 and figures["many_text_s"] > 0 and figures["many_json_s"] > 0
    # 20 sites: a line or two each, under the title and the table's head (a table per alert would be hundreds).
    assert 20 < figures["many_text_lines"] < 100 and figures["many_json_bytes"] > 1000
