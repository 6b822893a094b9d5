"""`tabletop run` and `tabletop batch` with reference observations: each real incident's figure beside the run's
interval (signed seconds) and beside the batch's distribution (its percentile), checked against hand-computed values."""

from __future__ import annotations

import csv
import json
import statistics
from pathlib import Path

from typer.testing import CliRunner

from simulator.debrief import published_difference
from simulator.formatting import minutes
from tabletop_cli.main import app

SCENARIO = """\
schema_version: 1
id: refs
title: References
summary: A call, then the police on scene.
learning_objectives: [Compare the response with real incidents.]
clock: {start: "2019-10-09T12:00:00", time_zone: Europe/Berlin, duration: 1h}
facts:
  - {id: attack, description: An attack at the synagogue.}
  - {id: second-attack, description: A second site is attacked.}
sites:
  - {id: synagogue, name: Synagogue, kind: synagogue, occupancy: 51}
stakeholders:
  - id: police
    name: Police
    kind: police_control
    travel: {synagogue: TRAVEL}
    playbook:
      - id: send
        on: {fact: attack}
        do: [{action: dispatch, site: synagogue}]
      - id: second
        description: Units on scene by 10 minutes past are told of a second site (the objective applies then only).
        on: {event: units_arrived}
        when: {not_after: 10m}
        do: [{action: escalate, fact: second-attack}]
injects:
  - {id: inj-01, at: 3m, to: police, text: A call., fact: attack}
milestones:
  - id: first-call
    name: First call
    when: {fact: attack, stakeholder: police}
    reference: {time: "12:03", source: LVZ}
  - id: on-scene
    name: Police on scene
    when: {event: units_arrived, stakeholder: police}
    reference: {time: "12:11", source: LVZ}
  - id: second-site
    name: Second site attacked
    when: {fact: second-attack}
objectives:
  - id: police-fast
    name: Police on scene within 8 minutes of the call
    core_capability: On-scene Security, Protection, and Law Enforcement
    since: first-call
    until: on-scene
    thresholds: {performed: 6m, some_challenges: 8m, major_challenges: 10m}
    not_applicable_unless: [second-site]
references:
  - id: call-to-police
    name: First call to police on scene
    since: first-call
    until: on-scene
    observed:
      - {incident: Halle 2019, source: LVZ, from: 2019-10-09T12:03, to: 2019-10-09T12:11, confidence: high}
      - {incident: Christchurch 2019, source: NZ Police timeline, value: 6m}
      - {incident: Manchester 2017, source: Arena Inquiry vol. 2, range: {low: 19m, high: 27m}}
"""


def tabletop(*args: str) -> str:
    """Run the CLI on a wide terminal; its output (it must succeed)."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    return result.stdout


def written(tmp_path: Path, travel: str) -> Path:
    path = tmp_path / "refs.yaml"
    path.write_text(SCENARIO.replace("TRAVEL", travel), encoding="utf-8")
    return path


def cells(line: str) -> list[str]:
    """The cells of a table row as Rich draws it (`│ a │ b │`)."""
    return [cell.strip() for cell in line.strip().strip("│┃").split("│")]


def row_with(text: str, output: str) -> list[str]:
    lines = [line for line in output.splitlines() if text in line]
    assert len(lines) == 1, f"expected one line with {text!r}:\n{output}"
    return cells(lines[0])


def test_run_shows_each_observation_beside_this_runs_interval_with_the_signed_difference(tmp_path: Path) -> None:
    output = tabletop("run", str(written(tmp_path, "7m")))
    # The call at 3m, 7m of travel: on scene at 10m (12:10:00), an interval of 7m = 420 s.
    # Halle 12:03 to 12:11 is 480 s: -60 s; Christchurch 6m = 360 s: +60 s; Manchester 19m-27m: 420 - 1140 = -720 s.
    assert row_with("Halle 2019", output) == [
        "First call to police on scene",
        "00:07:00",
        "Halle 2019",
        "8m (12:03 to 12:11)",
        "-60 s",
        "LVZ (high confidence)",
    ]
    assert row_with("Christchurch 2019", output) == ["", "", "Christchurch 2019", "6m", "+60 s", "NZ Police timeline"]
    assert row_with("Manchester 2017", output) == [
        "",
        "",
        "Manchester 2017",
        "19m to 27m",
        "-720 s",
        "Arena Inquiry vol. 2",
    ]
    # Published milestone times: the call at 12:03:00 as published, on scene at 12:10:00 against 12:11.
    assert row_with("First call  ", output)[:5] == ["First call", "12:03:00", "T+00:03:00", "12:03", "±0 s"]
    assert row_with("Police on scene  ", output)[:5] == ["Police on scene", "12:10:00", "T+00:10:00", "12:11", "-60 s"]
    # 7m is over the 6m of a P, within the 8m of an S; the thresholds are shown beside the rating.
    assert row_with("within 8 minutes", output) == [
        "S",
        "Police on scene within 8 minutes of the call",
        "00:07:00",
        "P ≤ 06:00, S ≤ 08:00, M ≤ 10:00; N/A unless Second site attacked",
    ]


def test_run_json_holds_the_references_and_the_differences(tmp_path: Path) -> None:
    report = json.loads(tabletop("run", str(written(tmp_path, "7m")), "--json"))
    (reference,) = report["references"]
    assert reference["simulated_s"] == 420.0
    assert [o["difference_s"] for o in reference["observed"]] == [-60.0, 60.0, -720.0]
    assert [o["observed_s"] for o in reference["observed"]] == [[480.0], [360.0], [1140.0, 1620.0]]


def percentile_of(values: list[float], value: float) -> float:
    """The share of `values` below `value`, those equal counted half, in percent."""
    return 100 * (sum(v < value for v in values) + sum(v == value for v in values) / 2) / len(values)


def test_batch_shows_the_simulated_spread_and_the_percentile_of_each_observation(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = written(tmp_path, "{dist: lognormal, median: 7m, p90: 12m}")
    output = tabletop("batch", str(source), "-n", "30", "--workers", "1", "--out", str(out))

    with (out / "results.csv").open(encoding="utf-8") as rows:
        results = list(csv.DictReader(rows))
    intervals = [float(r["ms_on_scene"]) - float(r["ms_first_call"]) for r in results]
    deciles = statistics.quantiles(intervals, n=10, method="inclusive")
    p10, p50, p90 = deciles[0], deciles[4], deciles[8]
    assert min(intervals) < p10 < p90 < max(intervals)  # the draws differ: a real spread
    assert row_with("First call to police on scene", output) == [
        "First call to police on scene",
        f"{minutes(p10)} / {minutes(p50)} / {minutes(p90)}  (100%)",
    ]
    for incident, value in (("Halle 2019", 480.0), ("Christchurch 2019", 360.0)):
        where = "within" if p10 <= value <= p90 else "outside"
        assert row_with(incident, output)[1] == f"P{percentile_of(intervals, value):.0f}, {where} P10-P90"
    low, high = percentile_of(intervals, 1140.0), percentile_of(intervals, 1620.0)
    inside = p10 <= 1140.0 and p90 >= 1620.0
    assert row_with("Manchester 2017", output)[1] == (
        f"P{low:.0f} to P{high:.0f}, {'within' if inside else 'outside'} P10-P90"
    )

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    reference = summary["variants"]["base"]["references"]["call-to-police"]
    assert [round(reference[q], 6) for q in ("p10", "p50", "p90")] == [round(q, 6) for q in (p10, p50, p90)]
    assert [o["percentiles"] for o in reference["observed"]] == [
        [percentile_of(intervals, 480.0)],
        [percentile_of(intervals, 360.0)],
        [low, high],
    ]

    # The call is at 3m: units on scene by 10m (within 7m) learn of the second site, so the objective applies; in the
    # other runs it is N/A, counted apart from the probability.
    ratings = [r["obj_police_fast"] for r in results]
    expected = ["P" if i <= 360 else "S" if i <= 420 else "N/A" for i in intervals]
    assert ratings == expected
    apart = ratings.count("N/A")
    assert 0 < apart < len(ratings)
    met = sum(r in ("P", "S") for r in ratings) / (len(ratings) - apart)
    objective = summary["variants"]["base"]["objectives"]["police-fast"]
    assert (objective["not_applicable"], objective["applicable"]) == (apart, len(ratings) - apart)
    assert objective["met"]["estimate"] == met
    shown = row_with("within 8 minutes", output)
    assert shown[1] == "P ≤ 06:00, S ≤ 08:00, M ≤ 10:00; N/A unless Second site attacked"
    assert shown[2].startswith(f"{met:.0%} [") and shown[2].endswith(f"]  ({apart} N/A)")


def test_a_published_time_past_midnight_is_compared_on_the_next_day() -> None:
    # T0 23:50, reached at T+8m = 23:58; published 00:05 is 7 minutes later, on the next day; 23:59 one minute later.
    assert published_difference("2019-10-09T23:50:00", "Europe/Berlin", 480.0, "00:05") == -420.0
    assert published_difference("2019-10-09T23:50:00", "Europe/Berlin", 480.0, "23:59") == -60.0
    # Reached at 00:02 (T+12m), published 23:58 the day before: 4 minutes later than published.
    assert published_difference("2019-10-09T23:50:00", "Europe/Berlin", 720.0, "23:58") == 240.0
