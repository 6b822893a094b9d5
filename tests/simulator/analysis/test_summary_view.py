"""The tables of a batch summary: what each shows, chosen once for the terminal and the console."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from simulator.analysis.batch import BatchPlan, run_batch
from simulator.analysis.summary_view import SummaryRow, SummaryTable, item_names, summary_tables
from tests.simulator.analysis.conftest import phoned_alarm

MILESTONES_TITLE = "Milestones: P10 / P50 / P90 (mm:ss), share of runs that reached it"
OBJECTIVES_TITLE = "Objectives: probability of P or S, with 95% interval (runs rated N/A counted apart)"
DIFFERENCE_COLUMNS = ("", "mean difference", "95% interval")


def test_a_batch_of_identical_replications_shows_exact_quantiles_and_only_what_the_variant_changed(
    tmp_path: Path,
) -> None:
    scenario = phoned_alarm()
    # Nothing is random in this scenario: both replications of a variant are the same run. The call is left to its
    # 2-minute deadline, so the police know at 124.1 s (U), or 2 minutes later on the slow phone (244.1 s, U).
    outcome = run_batch(BatchPlan(scenario, (None, "slow-phone"), 2), tmp_path / "out")

    tables = summary_tables(outcome.summary, item_names(scenario))

    assert tables == (
        SummaryTable(
            MILESTONES_TITLE,
            ("milestone", "base", "slow-phone"),
            (
                SummaryRow("milestone", "guard-knows", "Guard-Knows", ("00:04 / 00:04 / 00:04  (100%)",) * 2),
                SummaryRow(
                    "milestone",
                    "police-know",
                    "Police-Know",
                    ("02:04 / 02:04 / 02:04  (100%)", "04:04 / 04:04 / 04:04  (100%)"),
                ),
                SummaryRow("milestone", "shots-heard", "Shots-Heard", ("— / — / —  (0%)",) * 2),
            ),
        ),
        SummaryTable(
            OBJECTIVES_TITLE,
            ("objective", "thresholds", "base", "slow-phone"),
            (
                # Wilson's interval for 0 of 2 runs from 0 to (z²/2) / (1 + z²/2) = 0.658.
                SummaryRow(
                    "objective",
                    "alert-police",
                    "Alert-Police",
                    ("P ≤ 00:30, S ≤ 01:00, M ≤ 02:00", *("0% [0%, 66%]",) * 2),
                ),
                SummaryRow("harm", "harm", "harm (mean, P50, P90)", ("", *("0.0, 0.0, 0.0",) * 2)),
            ),
        ),
        SummaryTable(
            "slow-phone against base (paired by replication, 95% interval)",
            DIFFERENCE_COLUMNS,
            (
                SummaryRow("harm", "harm", "harm", ("+0.00", "[+0.00, +0.00]")),
                SummaryRow("milestone", "police-know", "Police-Know", ("+120 s", "[+120, +120] s")),
            ),
        ),
    )


def variant_summary(milestones: dict[str, Any], objectives: dict[str, Any]) -> dict[str, Any]:
    """One variant's part of a summary, with no harm."""
    nothing = {"estimate": 0.0, "low": 0.0, "high": 0.0}
    return {"milestones": milestones, "objectives": objectives, "harm": {"mean": nothing, "p50": 0.0, "p90": 0.0}}


def test_a_variant_without_an_item_shows_a_dash_and_an_item_without_a_name_shows_its_id() -> None:
    reached = {"reached": 1.0, "p10": 60.0, "p50": 90.0, "p90": 3720.0}
    met = {"met": {"estimate": 0.5, "low": 0.1, "high": 0.9}, "ratings": {"P": 1, "S": 0, "M": 0, "U": 1}}
    summary = {
        "variants": {
            "base": variant_summary({"police-know": reached}, {"alert-police": met}),
            "more": variant_summary({"police-know": reached, "patrols-told": reached}, {}),
        },
        "reference": "base",
        "differences": {},
    }

    milestones, objectives = summary_tables(summary, {"police-know": "Police know", "alert-police": "Alert them"})

    assert milestones.rows == (
        SummaryRow("milestone", "police-know", "Police know", ("01:00 / 01:30 / 01:02:00  (100%)",) * 2),
        SummaryRow("milestone", "patrols-told", "patrols-told", ("—", "01:00 / 01:30 / 01:02:00  (100%)")),
    )
    assert objectives.rows[0] == SummaryRow("objective", "alert-police", "Alert them", ("", "50% [10%, 90%]", "—"))


def test_a_difference_from_one_pair_has_no_interval_and_is_shown_while_one_of_exactly_zero_is_not() -> None:
    none = {"estimate": 5.0, "low": math.nan, "high": math.nan}
    zero = {"estimate": 0.0, "low": 0.0, "high": 0.0}
    summary = {
        "variants": {"base": variant_summary({}, {}), "radio": variant_summary({}, {})},
        "reference": "base",
        "differences": {
            "radio": {
                "pairs": 1,
                "harm": none,
                "milestones": {"police-know": {"pairs": 1, "mean": none}, "guard-knows": {"pairs": 1, "mean": zero}},
                "objectives": {"alert-police": {"met_difference": zero}, "warn": {"met_difference": none}},
            }
        },
    }

    *_, difference = summary_tables(summary, {})

    assert difference == SummaryTable(
        "radio against base (paired by replication, 95% interval)",
        DIFFERENCE_COLUMNS,
        (
            SummaryRow("harm", "harm", "harm", ("+5.00", "n/a")),
            SummaryRow("milestone", "police-know", "police-know", ("+5 s", "n/a")),
            SummaryRow("objective", "warn", "P(met) warn", ("+500.0%", "n/a")),
        ),
    )


def test_summary_tables_are_plain_json_data() -> None:
    table = SummaryTable("T", ("milestone", "base"), (SummaryRow("milestone", "m", "M", ("01:00",)),))

    data = table.to_dict()

    assert (
        json.loads(json.dumps(data))
        == data
        == {
            "title": "T",
            "columns": ["milestone", "base"],
            "rows": [{"kind": "milestone", "item": "m", "label": "M", "cells": ["01:00"]}],
        }
    )


def test_milestones_are_shown_in_time_order_by_the_first_variant_that_reached_them() -> None:
    def at(p50: float, reached: float = 1.0) -> dict[str, float]:
        return {"reached": reached, "p10": p50, "p50": p50, "p90": p50}

    never = {"reached": 0.0, "p10": None, "p50": None, "p90": None}
    summary = {
        "variants": {
            # The base never reaches `late`; the variant does, at 10 min, after the base's 2 and 5 min.
            "base": variant_summary({"late": never, "second": at(300.0), "first": at(120.0), "none": never}, {}),
            "radio": variant_summary({"late": at(600.0), "second": at(30.0), "first": at(60.0), "none": never}, {}),
        },
        "reference": "base",
        "differences": {
            "radio": {
                "pairs": 2,
                "harm": {"estimate": 0.0, "low": 0.0, "high": 0.0},
                "milestones": {
                    name: {"pairs": 2, "mean": {"estimate": -1.0, "low": -2.0, "high": -0.5}}
                    for name in ("late", "second", "first")
                },
                "objectives": {},
            }
        },
    }

    milestones, _, difference = summary_tables(summary, {})

    assert [row.item for row in milestones.rows] == ["first", "second", "late", "none"]
    assert [row.item for row in difference.rows] == ["harm", "first", "second", "late"]
