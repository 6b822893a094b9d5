"""Analyst commands on the edges a review found: variants that change the milestones, worker counts, overwrites,
mixed scenarios, kept logs, failed batches, look-alike fork points, damaged headers, single replications."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pyarrow.parquet as pq

from scenarios import bundled_path
from tests.cli import invoke


def variant_scenario(tmp_path: Path) -> Path:
    """The synagogue scenario with a variant that adds a milestone and one that removes an objective."""
    text = bundled_path("synagogue-holiday-attack").read_text(encoding="utf-8")
    text += """  - id: patrol-milestone
    description: Adds a milestone for the patrols learning of the attack.
    add:
      milestones:
        - {id: patrols-informed, name: Patrols informed, when: {fact: enter-order, stakeholder: patrols}}
  - id: fewer-objectives
    description: Drops the national-level objective.
    remove:
      objectives: [inform-national-level]
"""
    path = tmp_path / "my synagogue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_batch_over_variants_that_add_and_remove_items_keeps_each_in_its_place(tmp_path: Path) -> None:
    source = variant_scenario(tmp_path)
    code, output = invoke(
        "batch",
        str(source),
        "-n",
        "4",
        "--variants",
        "base,patrol-milestone,fewer-objectives",
        "--workers",
        "1",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0, output
    rows = pq.read_table(tmp_path / "out" / "results.parquet").to_pylist()
    assert {r["ms_patrols_informed"] is None for r in rows if r["variant"] != "patrol-milestone"} == {True}
    assert all(r["ms_patrols_informed"] is not None for r in rows if r["variant"] == "patrol-milestone")
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert "inform-national-level" not in summary["variants"]["fewer-objectives"]["objectives"]
    assert "inform-national-level" not in summary["differences"]["fewer-objectives"]["objectives"]
    assert "patrols-informed" in summary["variants"]["patrol-milestone"]["milestones"]


def test_parquet_results_are_byte_identical_whatever_the_number_of_workers(tmp_path: Path) -> None:
    for workers in ("1", "2"):
        code, output = invoke(
            "batch",
            "synagogue-holiday-attack",
            "-n",
            "30",
            "--variants",
            "all",
            "--workers",
            workers,
            "--out",
            str(tmp_path / workers),
        )
        assert code == 0, output
    assert (tmp_path / "1" / "results.parquet").read_bytes() == (tmp_path / "2" / "results.parquet").read_bytes()


def test_bad_worker_counts_and_empty_variant_lists_are_refused(tmp_path: Path) -> None:
    code, output = invoke(
        "batch", "synagogue-holiday-attack", "-n", "2", "--workers", "0", "--out", str(tmp_path / "a")
    )
    assert code == 2
    code, output = invoke(
        "batch", "synagogue-holiday-attack", "-n", "2", "--variants", ",", "--out", str(tmp_path / "b")
    )
    assert code == 2
    assert "no variant" in output


def test_a_batch_refused_for_a_bad_decision_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = invoke("batch", "synagogue-holiday-attack", "-n", "2", "--decide", "nosuch=x", "--out", str(out))
    assert code == 2
    assert "no decision 'nosuch'" in output
    assert not out.exists() or not any(out.iterdir())


def test_kept_logs_of_a_scenario_file_replay_from_that_file(tmp_path: Path) -> None:
    source = variant_scenario(tmp_path)
    code, output = invoke("batch", str(source), "-n", "1", "--keep-logs", "--out", str(tmp_path / "out"))
    assert code == 0, output
    (log,) = (tmp_path / "out" / "logs" / "base").glob("*.jsonl")
    code, output = invoke("replay", str(log), "--verify")
    assert code == 0, output
    assert "unchanged since the run" in output


def test_export_never_overwrites_a_file(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    assert invoke("run", "synagogue-holiday-attack", "--log", str(log), "--json")[0] == 0
    (tmp_path / "run.csv").write_text("precious\n", encoding="utf-8")
    code, output = invoke("export", str(log))
    assert code == 2
    assert "already exists" in output
    assert (tmp_path / "run.csv").read_text(encoding="utf-8") == "precious\n"


def test_compare_needs_two_logs_of_one_scenario(tmp_path: Path) -> None:
    first, other = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert invoke("run", "synagogue-holiday-attack", "--log", str(first), "--json")[0] == 0
    assert invoke("run", "multi-site-cascade", "--log", str(other), "--json")[0] == 0
    code, output = invoke("compare", str(first), str(other))
    assert code == 2
    assert "different scenarios" in output
    code, output = invoke("compare", str(first))
    assert code == 2
    assert "two or more" in output


def test_fork_points_that_look_like_times_but_are_not_are_refused(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    assert invoke("run", "synagogue-holiday-attack", "--log", str(log), "--json")[0] == 0
    for point in ("-5m", "T+00:60:00", "0"):
        code, output = invoke(
            "fork", str(log), "--at", point, "--decide", "warn-other-sites=warn-now", "--log", str(tmp_path / "f.jsonl")
        )
        assert code == 2, point
        assert "is not a time" in output


def test_a_header_without_its_seed_is_refused(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    assert invoke("run", "synagogue-holiday-attack", "--log", str(log), "--json")[0] == 0
    lines = log.read_bytes().splitlines(keepends=True)
    header = orjson.loads(lines[0])
    del header["seed"]
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_bytes(orjson.dumps(header, option=orjson.OPT_SORT_KEYS) + b"\n" + b"".join(lines[1:-1]))
    code, output = invoke("replay", str(damaged), "--verify")
    assert code == 2
    assert f"{damaged}:1: the run-log header's 'seed' is missing" in output


def test_one_replication_gives_no_interval(tmp_path: Path) -> None:
    code, output = invoke(
        "batch",
        "synagogue-holiday-attack",
        "-n",
        "1",
        "--variants",
        "base,direct-radio",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0, output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    harm = summary["differences"]["direct-radio"]["harm"]
    assert harm["low"] is None and harm["high"] is None
    assert "n/a" in output
