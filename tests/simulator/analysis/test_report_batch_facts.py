"""The facts of a batch's report: read from its folder, checked against its rows read apart, and its findings."""

from __future__ import annotations

import csv
import math
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from scenarios import Scenario
from simulator.analysis.batch import BatchOutcome, BatchPlan, run_batch
from simulator.analysis.report._batch_findings import Measured, batch_findings, batch_notes
from simulator.analysis.report.batch_facts import batch_facts, threat_text
from simulator.analysis.report.errors import ReportError
from simulator.analysis.report.model import (
    Estimate,
    Finding,
    MilestoneSpread,
    ObjectiveOdds,
    PairedDifference,
    VariantDifference,
    VariantFacts,
)
from simulator.analysis.summary_view import item_names, summary_tables
from simulator.formatting import delay_text
from tests.simulator.analysis.conftest import phoned_alarm
from tests.simulator.scenario_factory import (
    channel,
    facts,
    inject,
    milestone,
    objective,
    phase,
    rule,
    scenario,
    stakeholder,
    threat,
)
from tests.simulator.scenario_factory import notify as notify_action

Z95 = 1.959963984540054


@pytest.fixture(scope="module")
def alarm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 replications of the phoned alarm (nothing random in it), the guard's call preset to `now`.

    The guard learns of the alarm at 4.1 s and phones at once: the police know at 4.1 s (rated P: ≤ 30 s). With
    slow-phone the call takes 2 minutes: 124.1 s, rated U (> 2 m). decision-milestone adds `call-decided` (4.1 s).
    Nothing ever reports `shots`. The title is hostile markup, which the facts keep as it is.
    """
    hostile = phoned_alarm().model_copy(update={"title": "<script>alert(1)</script>"})
    out = tmp_path_factory.mktemp("alarm") / "batch"
    plan = BatchPlan(hostile, (None, "slow-phone", "decision-milestone"), 20, seed=3, decisions={"call": "now"})
    run_batch(plan, out)
    return out


@pytest.fixture(scope="module")
def synagogue_batch(tmp_path_factory: pytest.TempPathFactory, synagogue: Scenario) -> tuple[Path, BatchOutcome]:
    """Every variant of the bundled synagogue scenario, 6 replications each."""
    out = tmp_path_factory.mktemp("synagogue") / "batch"
    variants = (None, *(v.id for v in synagogue.variants))
    return out, run_batch(BatchPlan(synagogue, variants, 6, seed=40), out, workers=1)


def rows_of(folder: Path) -> list[dict[str, str]]:
    """results.csv, read apart from the code under test."""
    with (folder / "results.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between the closest ranks (statistics' inclusive method)."""
    if len(values) == 1:
        return values[0]
    cut = statistics.quantiles(values, n=100, method="inclusive")
    return cut[round(q * 100) - 1]


def wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


# --- a batch computed by hand -----------------------------------------------------------------------------------------


def test_a_batch_of_identical_replications_gives_exact_spreads_odds_and_differences(alarm: Path) -> None:
    facts_ = batch_facts(alarm)

    assert [v.label for v in facts_.variants] == ["base", "slow-phone", "decision-milestone"]
    assert facts_.reference_label == "base"
    base, slow, added = facts_.variants
    assert base.variant is None and base.description is None
    assert slow.description == "The phone takes two minutes to get through."
    assert base.replications == slow.replications == 20 == facts_.replications
    police = next(m for m in slow.milestones if m.milestone == "police-know")
    assert (police.reached, police.p10, police.p50, police.p90) == (1.0, 4.1 + 120, 4.1 + 120, 4.1 + 120)
    assert police.times == (4.1 + 120,) * 20
    never = next(m for m in base.milestones if m.milestone == "shots-heard")
    assert (never.reached, never.p50, never.times) == (0.0, None, ())
    # Time order (ties in the scenario's order), the never-reached last; the added milestone takes its place.
    assert [m.milestone for m in added.milestones] == ["guard-knows", "police-know", "call-decided", "shots-heard"]

    (odds,) = base.objectives
    low, _ = wilson(20, 20)
    assert odds.met == Estimate(1.0, pytest.approx(low), pytest.approx(1.0))  # type: ignore[arg-type]
    assert odds.ratings == (("P", 20), ("S", 0), ("M", 0), ("U", 0), ("N/A", 0))
    assert (odds.applicable, odds.thresholds) == (20, "P ≤ 00:30, S ≤ 01:00, M ≤ 02:00")
    assert slow.objectives[0].met.estimate == 0.0
    assert base.harm == Estimate(0.0, 0.0, 0.0)


def test_a_variant_difference_keeps_only_what_differed_in_some_pair(alarm: Path) -> None:
    slow, added = batch_facts(alarm).differences

    assert (slow.variant, slow.reference_label, slow.pairs) == ("slow-phone", "base", 20)
    assert [(d.item, d.pairs, d.mean) for d in slow.milestones] == [("police-know", 20, Estimate(120.0, 120.0, 120.0))]
    assert [(d.item, d.mean) for d in slow.objectives] == [("alert-police", Estimate(-1.0, -1.0, -1.0))]
    assert slow.harm == PairedDifference("harm", "harm", 20, Estimate(0.0, 0.0, 0.0))
    assert (added.milestones, added.objectives) == ((), ())


def test_the_batchs_plan_scenario_and_organisations_come_from_its_folder_and_keep_markup_as_text(alarm: Path) -> None:
    facts_ = batch_facts(alarm)

    assert facts_.title == "<script>alert(1)</script>"
    assert (facts_.folder_name, facts_.scenario_id, facts_.seed) == ("batch", "test", 3)
    assert (facts_.decisions, facts_.common_random_numbers) == ((("call", "now"),), True)
    assert (facts_.start, facts_.time_zone, facts_.threat) == ("2026-01-01T10:00:00", "Europe/Berlin", ())
    assert [(o.id, o.name, o.decisions, o.first_learned_t) for o in facts_.organisations] == [
        ("guard", "Guard", ("call",), None),
        ("police", "Police", (), None),
    ]


def test_an_objective_always_met_is_a_strength_and_a_variant_that_loses_it_shows_what_to_keep(alarm: Path) -> None:
    facts_ = batch_facts(alarm)

    met, kept = facts_.strengths
    assert met.title == "Alert-Police: met (rated P or S) in 100% of runs (95% interval 84% to 100%); rated P in 100%"
    assert "rated P in 20 of 20 runs where it applied, against P ≤ 00:30, S ≤ 01:00, M ≤ 02:00" in met.analysis
    assert "It measured from T0 to 'Police-Know': P10 00:04, P50 00:04, P90 00:04." in met.analysis
    assert kept.title == (
        "Worth keeping, as variant slow-phone shows: 'Alert-Police' is met (rated P or S) less often: 100% → 0% of "
        "runs, -100.0 points (95% interval -100.0 to -100.0 points)"
    )
    assert "'Police-Know' comes 02:00 later" in kept.analysis
    assert (kept.objective, kept.responsible) == ("alert-police", None)
    assert facts_.improvements == ()


def test_few_replications_and_decisions_are_told_in_the_notes(alarm: Path) -> None:
    notes = batch_facts(alarm).notes

    assert notes[0].startswith("Only 20 replications per variant: the intervals are wide")
    assert (
        notes[1] == "Nobody answers decisions in a batch: the preset ones (call = now) are taken as soon as they open."
    )


def test_a_batch_without_the_base_scenario_is_compared_with_its_first_variant(tmp_path: Path) -> None:
    plan = BatchPlan(phoned_alarm(), ("slow-phone", "decision-milestone"), 2, common_random_numbers=False)
    run_batch(plan, tmp_path / "out")

    facts_ = batch_facts(tmp_path / "out")

    assert facts_.reference_label == "slow-phone"
    assert [d.variant for d in facts_.differences] == ["decision-milestone"]
    assert "The base scenario was not played: the differences are against variant slow-phone." in facts_.notes
    assert any("independent seeds" in note for note in facts_.notes)
    assert any("every decision takes its default option at its deadline" in note for note in facts_.notes)


# --- the bundled scenario, checked against its rows -------------------------------------------------------------------


def test_every_variant_of_the_synagogue_gives_one_difference_per_variant_besides_the_base(
    synagogue_batch: tuple[Path, BatchOutcome], synagogue: Scenario
) -> None:
    folder, _ = synagogue_batch
    facts_ = batch_facts(folder)

    others = [v.id for v in synagogue.variants]
    assert len(others) >= 3
    assert [d.variant for d in facts_.differences] == others
    assert [v.label for v in facts_.variants] == ["base", *others]
    assert facts_.threat[0].startswith("approach at ")


def test_milestone_times_quantiles_and_odds_match_the_rows_of_results_csv(
    synagogue_batch: tuple[Path, BatchOutcome], synagogue: Scenario
) -> None:
    folder, _ = synagogue_batch
    rows = rows_of(folder)
    facts_ = batch_facts(folder)

    for variant in facts_.variants:
        mine = [r for r in rows if r["variant"] == variant.label]
        for spread in variant.milestones:
            cells = [r[f"ms_{spread.milestone.replace('-', '_')}"] for r in mine]
            times = [float(c) for c in cells if c]
            assert spread.times == tuple(times)
            assert spread.reached == len(times) / len(mine)
            if times:
                assert spread.p10 == pytest.approx(percentile(times, 0.1))
                assert spread.p50 == pytest.approx(statistics.median(times))
                assert spread.p90 == pytest.approx(percentile(times, 0.9))
        for odds in variant.objectives:
            ratings = [r[f"obj_{odds.objective.replace('-', '_')}"] for r in mine]
            applicable = [r for r in ratings if r != "N/A"]
            met = sum(r in ("P", "S") for r in applicable)
            assert odds.met.estimate == pytest.approx(met / len(applicable))
            assert (odds.met.low, odds.met.high) == pytest.approx(wilson(met, len(applicable)))
            assert dict(odds.ratings) == {letter: ratings.count(letter) for letter in ("P", "S", "M", "U", "N/A")}
        harms = [float(r["harm"]) for r in mine]
        assert variant.harm.estimate == pytest.approx(statistics.fmean(harms))
        assert variant.harm_p50 == pytest.approx(statistics.median(harms))


def test_paired_differences_match_the_rows_paired_by_replication(synagogue_batch: tuple[Path, BatchOutcome]) -> None:
    folder, _ = synagogue_batch
    rows = rows_of(folder)
    base = {r["replication"]: r for r in rows if r["variant"] == "base"}

    for difference in batch_facts(folder).differences:
        mine = {r["replication"]: r for r in rows if r["variant"] == difference.variant}
        deltas = [float(mine[k]["harm"]) - float(base[k]["harm"]) for k in base]
        half = Z95 * statistics.stdev(deltas) / math.sqrt(len(deltas))
        mean = statistics.fmean(deltas)
        assert difference.harm.mean.estimate == pytest.approx(mean)
        assert (difference.harm.mean.low, difference.harm.mean.high) == pytest.approx((mean - half, mean + half))
        differed = []
        for column in (c for c in rows[0] if c.startswith("ms_")):
            pairs = [(base[k][column], mine[k][column]) for k in base if base[k][column] and mine[k][column]]
            # One pair gives no interval, which the terminal shows too (it cannot say there was no difference).
            if len(pairs) == 1 or any(float(a) != float(b) for a, b in pairs):
                differed.append(column)
        assert sorted(f"ms_{d.item.replace('-', '_')}" for d in difference.milestones) == sorted(differed)


def test_how_often_each_milestone_is_reached_is_compared_pair_by_pair(
    synagogue_batch: tuple[Path, BatchOutcome], synagogue: Scenario
) -> None:
    folder, _ = synagogue_batch
    rows = rows_of(folder)
    base = {r["replication"]: r for r in rows if r["variant"] == "base"}
    order = [f"ms_{m.id.replace('-', '_')}" for m in synagogue.milestones]

    found = 0
    for difference in batch_facts(folder).differences:
        mine = {r["replication"]: r for r in rows if r["variant"] == difference.variant}
        expected = {}
        for column in order:
            # An empty cell of results.csv is a milestone never reached in that replication.
            deltas = [float(mine[k][column] != "") - float(base[k][column] != "") for k in base]
            if any(deltas):
                expected[column] = statistics.fmean(deltas)
        shown = {f"ms_{d.item.replace('-', '_')}": d for d in difference.reached}
        assert list(shown) == list(expected)  # in the scenario's order of milestones
        for column, mean in expected.items():
            assert shown[column].mean.estimate == pytest.approx(mean)
            assert shown[column].pairs == len(base)
        found += len(shown)
    assert found > 0  # 6 replications of 3 variants: some milestone is reached more or less often somewhere


def test_the_report_shows_the_rows_and_order_of_the_terminals_summary(
    synagogue_batch: tuple[Path, BatchOutcome], synagogue: Scenario
) -> None:
    folder, outcome = synagogue_batch
    facts_ = batch_facts(folder)
    milestones, _, *rest = summary_tables(outcome.summary, item_names(synagogue))
    differences = [table for table in rest if " against " in table.title]

    assert [m.milestone for m in facts_.variants[0].milestones] == [row.item for row in milestones.rows]
    for table, difference in zip(differences, facts_.differences, strict=True):
        shown = [(row.kind, row.item) for row in table.rows]
        mine = [("harm", "harm")]
        mine += [("milestone", d.item) for d in difference.milestones]
        mine += [("objective", d.item) for d in difference.objectives]
        assert shown == mine


def test_the_same_folder_gives_the_same_facts_under_any_hash_seed(synagogue_batch: tuple[Path, BatchOutcome]) -> None:
    folder, _ = synagogue_batch
    script = (
        "import sys; from pathlib import Path; from simulator.analysis.report.batch_facts import batch_facts; "
        "print(repr(batch_facts(Path(sys.argv[1]))))"
    )

    def facts_in(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(folder)], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert facts_in("1") == facts_in("2") == repr(batch_facts(folder)) + "\n"


# --- folders that are not finished batches ----------------------------------------------------------------------------


@pytest.fixture
def copy_of(alarm: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "copy"
    shutil.copytree(alarm, copy)
    yield copy


def test_a_folder_without_a_manifest_is_not_a_batch_folder(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as caught:
        batch_facts(tmp_path)
    assert caught.value.message == f"{tmp_path} is not a batch folder (no batch.json)"
    assert caught.value.hint == "give a run log (.jsonl) or the --out folder of tabletop batch"


def test_a_batch_without_its_summary_is_unfinished_and_told_how_to_finish(copy_of: Path) -> None:
    (copy_of / "summary.json").unlink()
    with pytest.raises(ReportError) as caught:
        batch_facts(copy_of)
    assert caught.value.message == f"{copy_of}: the batch is not finished (no summary.json)"
    assert caught.value.hint == f"finish it with: tabletop batch --resume {copy_of}"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("batch.json", b'{"format": "tabletop-batch"'),
        ("batch.json", b'{"format": "something-else"}'),
        ("summary.json", b"not json"),
        ("summary.json", b'{"variants": {}, "replications": {}, "differences": {}}'),
        (
            "summary.json",
            b'{"variants": {"base": {}, "slow-phone": {}, "decision-milestone": {}}, '
            b'"replications": {}, "differences": {}}',
        ),
        ("results.parquet", b"PAR1 torn"),
        ("summary.json", None),
    ],
)
def test_a_damaged_file_is_named_in_the_error(copy_of: Path, name: str, content: bytes | None) -> None:
    if content is None:  # a summary whose reference is no variant of the batch
        summary = orjson.loads((copy_of / name).read_bytes())
        content = orjson.dumps({**summary, "reference": "elsewhere"})
    (copy_of / name).write_bytes(content)
    with pytest.raises(ReportError) as caught:
        batch_facts(copy_of)
    assert caught.value.message.startswith(f"{copy_of / name}: ")


def test_a_finished_batch_without_its_parquet_table_is_named_in_the_error(copy_of: Path) -> None:
    (copy_of / "results.parquet").unlink()
    with pytest.raises(ReportError, match=r"results\.parquet: missing from a finished batch"):
        batch_facts(copy_of)


# --- findings from facts built by hand --------------------------------------------------------------------------------


def responding() -> Scenario:
    """A guard tells the police; the police's units arrive; the attacker escapes (the threat's own timeline)."""
    return scenario(
        facts=facts("alarm"),
        stakeholders=[
            stakeholder("guard", rule("tell", "alarm", notify_action("police", "alarm"))),
            stakeholder("police"),
        ],
        channels=[channel("phone", "guard", "police")],
        injects=[inject("inj-01", "guard", at="10s", fact="alarm")],
        threat=threat(phase("run", "flight", "5m", ends_with="escaped")),
        milestones=[
            milestone("police-know", when={"fact": "alarm", "stakeholder": "police"}),
            milestone("escaped", when={"event": "threat_ended", "outcome": "escaped"}),
        ],
        objectives=[objective("alert", "police-know", "1m", "2m", "5m")],
    )


def odds(p: float, low: float, high: float) -> ObjectiveOdds:
    return ObjectiveOdds("alert", "Alert", "Operational Communications", Estimate(p, low, high), (), 100, "P ≤ 01:00")


def variant(name: str, met: ObjectiveOdds) -> VariantFacts:
    spread = MilestoneSpread("police-know", "Police-Know", 1.0, 1.0, 2.0, 3.0, ())
    return VariantFacts(
        None if name == "base" else name, name, "A radio.", 100, (spread,), (met,), Estimate(0, 0, 0), 0, 0, 0
    )


def difference(
    name: str, milestones: tuple[PairedDifference, ...], objectives: tuple[PairedDifference, ...] = ()
) -> VariantDifference:
    harm = PairedDifference("harm", "harm", 100, Estimate(0.0, -1.0, 1.0))
    return VariantDifference(name, name, "base", 100, milestones, objectives, harm)


def findings(base_met: ObjectiveOdds, *differences: VariantDifference, crn: bool = True) -> tuple[Any, Any]:
    played = {"base": responding(), **{d.variant: responding() for d in differences}}
    variants = [variant("base", base_met), *(variant(d.variant, base_met) for d in differences)]
    measured = {label: {"alert": Measured((30.0, 40.0, 200.0), 1, 4)} for label in played}
    return batch_findings(variants, differences, "base", played, measured, crn)


@pytest.mark.parametrize(
    ("met", "kind"),
    [
        ((0.95, 0.85, 0.98), "strength"),
        ((0.95, 0.7, 0.99), None),
        ((0.7, 0.6, 0.8), None),
        ((0.4, 0.3, 0.5), "improvement"),
    ],
)
def test_an_objective_of_the_reference_is_a_strength_only_with_a_narrow_high_interval(
    met: tuple[float, float, float], kind: str | None
) -> None:
    strengths, improvements = findings(odds(*met))
    found = [*strengths, *improvements]
    assert [f.kind for f in found] == ([] if kind is None else [kind])


def test_an_objective_rarely_met_says_what_it_measured_and_how_far_from_the_s_limit() -> None:
    _, (weak,) = findings(odds(0.4, 0.3, 0.5))
    assert weak.title == "Alert: met (rated P or S) in only 40% of runs (95% interval 30% to 50%)"
    # Measured 30, 40 and 200 s: P50 40 s; 1 run of 4 never reached it. The S limit is 2 minutes: P50 within it.
    assert "It measured from T0 to 'Police-Know': P10 00:32, P50 00:40, P90 02:48." in weak.analysis
    assert "In 1 of 4 runs it was never measured (rated U)." in weak.analysis
    assert "over the S limit" not in weak.analysis


def test_a_variant_bringing_a_response_milestone_a_minute_earlier_is_an_improvement_titled_with_its_effect() -> None:
    radio = difference(
        "radio", (PairedDifference("police-know", "Police-Know", 100, Estimate(-250.4, -300.2, -199.6)),)
    )
    _, improvements = findings(odds(0.7, 0.6, 0.8), radio)
    (found,) = improvements
    assert found.title == "With variant radio, 'Police-Know' comes 04:10 earlier (95% interval 03:20 to 05:00)"
    assert found.analysis.startswith("Variant radio: A radio. Against the base scenario, over 100 replications")
    assert found.responsible is None


@pytest.mark.parametrize(
    ("item", "mean"),
    [
        ("police-know", Estimate(-50.0, -70.0, -30.0)),  # under a minute
        ("police-know", Estimate(-90.0, -200.0, 20.0)),  # its interval reaches zero
        ("escaped", Estimate(-300.0, -400.0, -200.0)),  # the threat's own timeline: earlier is not better
    ],
)
def test_a_milestone_barely_earlier_uncertain_or_not_the_responses_is_no_finding(item: str, mean: Estimate) -> None:
    moved = difference("radio", (PairedDifference(item, item, 100, mean),))
    assert findings(odds(0.7, 0.6, 0.8), moved) == ((), ())


def test_a_variant_raising_the_odds_of_an_objective_ranks_before_one_moving_a_milestone() -> None:
    faster = difference(
        "faster", (PairedDifference("police-know", "Police-Know", 100, Estimate(-600.0, -700.0, -500.0)),)
    )
    surer = difference("surer", (), (PairedDifference("alert", "Alert", 100, Estimate(0.1, 0.05, 0.15)),))
    _, improvements = findings(odds(0.7, 0.6, 0.8), faster, surer)
    assert [f.title.split(",")[0] for f in improvements] == ["With variant surer", "With variant faster"]
    assert (
        "'Alert' is met (rated P or S) more often: 70% → 70% of runs, +10.0 points (95% interval +5.0 to +15.0 points)"
    ) in improvements[0].title


def test_delays_read_in_the_scenarios_notation() -> None:
    from scenarios.distributions import Lognormal, Triangular

    assert delay_text(300.0) == "5m"
    triangular = Triangular.model_validate({"dist": "triangular", "low": "1m", "mode": "90s", "high": "5m"})
    assert delay_text(triangular) == "1m to 5m, most often 1m30s"
    lognormal = Lognormal.model_validate({"dist": "lognormal", "median": "1m", "p90": "10m"})
    assert delay_text(lognormal) == "median 1m, 9 in 10 under 10m"
    assert threat_text(responding()) == ("flight, 5m, then escaped",)


def test_rows_out_of_the_order_a_batch_writes_are_refused_rather_than_paired_wrongly(copy_of: Path) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(copy_of / "results.parquet")
    pq.write_table(table.take(list(reversed(range(table.num_rows)))), copy_of / "results.parquet")
    with pytest.raises(ReportError, match=r"results\.parquet: its rows are not in the order a batch writes them"):
        batch_facts(copy_of)


def test_a_variant_is_titled_with_its_harm_before_its_milestones_and_says_what_it_makes_worse() -> None:
    mixed = VariantDifference(
        "mixed",
        "mixed",
        "base",
        100,
        (PairedDifference("police-know", "Police-Know", 80, Estimate(-90.0, -120.0, -60.0)),),
        (PairedDifference("alert", "Alert", 100, Estimate(-0.2, -0.3, -0.1)),),
        PairedDifference("harm", "harm", 100, Estimate(-2.5, -3.0, -2.0)),
    )
    strengths, improvements = findings(odds(0.7, 0.6, 0.8), mixed)
    (better,) = improvements
    assert better.title == "With variant mixed, harm falls by 2.50 exposure-minutes (95% interval 2.00 to 3.00)"
    assert (
        "It also: 'Police-Know' comes 01:30 earlier (95% interval 01:00 to 02:00, in the 80 replications where both "
        "reached it)."
    ) in better.analysis
    assert (
        "But: 'Alert' is met (rated P or S) less often: 70% → 70% of runs, -20.0 points (95% interval -30.0 to "
        "-10.0 points)."
    ) in better.analysis
    (kept,) = strengths
    assert kept.title.startswith("Worth keeping, as variant mixed shows: 'Alert' is met (rated P or S) less often")
    assert (kept.weight, better.weight) == (pytest.approx(2.2), pytest.approx(1 + 90 / 3690))


def test_a_strength_met_mostly_with_some_challenges_says_how_often_it_was_rated_p() -> None:
    rated = ObjectiveOdds(
        "alert", "Alert", "Operational Communications", Estimate(1.0, 0.96, 1.0), (("P", 22), ("S", 78)), 100, ""
    )
    (strength,), _ = findings(rated)
    assert strength.title == "Alert: met (rated P or S) in 100% of runs (95% interval 96% to 100%); rated P in 22%"


@pytest.mark.parametrize(
    ("met", "shown"),
    [
        ((0.95, 0.85, 0.996), "95% of runs (95% interval 85% to 99.6%)"),
        ((0.3, 0.004, 0.6), "30% of runs (95% interval 0.4% to 60%)"),
        ((0.3, 0.0, 0.6), "30% of runs (95% interval 0% to 60%)"),
    ],
)
def test_an_interval_end_near_but_not_at_0_or_100_percent_keeps_a_decimal(
    met: tuple[float, float, float], shown: str
) -> None:
    strengths, improvements = findings(odds(*met))
    found: list[Finding] = [*strengths, *improvements]
    assert [f.title.endswith(shown) for f in found] == [True]


def test_with_independent_seeds_no_finding_or_note_speaks_of_the_same_seeds_or_of_pairs() -> None:
    mixed = VariantDifference(
        "mixed",
        "mixed",
        "base",
        100,
        (PairedDifference("police-know", "Police-Know", 80, Estimate(-90.0, -120.0, -60.0)),),
        (PairedDifference("alert", "Alert", 100, Estimate(-0.2, -0.3, -0.1)),),
        PairedDifference("harm", "harm", 100, Estimate(-2.5, -3.0, -2.0)),
    )
    strengths, improvements = findings(odds(0.95, 0.85, 0.98), mixed, crn=False)
    notes = batch_notes([variant("base", odds(0.95, 0.85, 0.98))], "base", responding(), False, {})
    texts = [*notes, *(text for f in (*strengths, *improvements) for text in (f.title, f.analysis))]
    assert len(texts) == 7  # the note on seeds, and a strength and an improvement of the variant and the base's
    assert "independent seeds" in notes[0]
    assert [t for t in texts if "same seed" in t or "pair" in t] == []
    paired_strengths, _ = findings(odds(0.95, 0.85, 0.98), mixed)
    assert "(the same seeds, paired)" in paired_strengths[1].analysis
