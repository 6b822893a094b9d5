"""What a batch summary shows: its tables as frozen rows of text, chosen once for the terminal and the console.

The tables are, in order: each milestone's P10 / P50 / P90 per variant; each objective's probability of being met
per variant, with the harm; then one table per variant of its paired differences from the reference, which leaves
out what did not differ in any pair (an interval of exactly zero).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from scenarios import Scenario
from simulator.evaluation import limits_text
from simulator.formatting import DASH, minutes

Item = Literal["milestone", "objective", "harm", "reference", "observation"]
"""What a row is about."""


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One row of a summary table: what it is about, its label and its cells as text."""

    kind: Item
    item: str
    """The milestone's or objective's id (`harm` for the harm)."""
    label: str
    """The first cell: the item's name."""
    cells: tuple[str, ...]
    """The other cells, one per column after the first."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"kind": self.kind, "item": self.item, "label": self.label, "cells": list(self.cells)}


@dataclass(frozen=True, slots=True)
class SummaryTable:
    """A table of a batch summary."""

    title: str
    columns: tuple[str, ...]
    """The headings, the first column's included."""
    rows: tuple[SummaryRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"title": self.title, "columns": list(self.columns), "rows": [row.to_dict() for row in self.rows]}


def item_names(scenario: Scenario) -> dict[str, str]:
    """The names of a scenario's milestones, objectives and references, by id (the labels of the summary's rows)."""
    return {
        **{m.id: m.name for m in scenario.milestones},
        **{o.id: o.name for o in scenario.objectives},
        **{reference_key(r.id): r.name for r in scenario.references},
    }


def reference_key(reference_id: str) -> str:
    """A reference's key in `item_names` (a reference may share its id with a milestone)."""
    return f"references/{reference_id}"


def summary_tables(summary: Mapping[str, Any], names: Mapping[str, str]) -> tuple[SummaryTable, ...]:
    """The tables that show a batch summary (`simulator.analysis.results.summarise`), labelled with `names`.

    A variant without some milestone or objective shows `—` there; an item without a name shows its id.
    """
    per_variant: Mapping[str, Any] = summary["variants"]

    def milestone_cell(m: Mapping[str, Any]) -> str:
        spread = " / ".join(minutes(m[q]) for q in ("p10", "p50", "p90"))
        return f"{spread}  ({m['reached']:.0%})"

    def objective_cell(o: Mapping[str, Any]) -> str:
        met = o["met"]
        shown = "n/a" if math.isnan(met["estimate"]) else f"{met['estimate']:.0%} {_interval(met, '.0%')}"
        apart = o.get("not_applicable", 0)
        return shown + (f"  ({apart} N/A)" if apart else "")

    milestones = _per_variant(
        "Milestones: P10 / P50 / P90 (mm:ss), share of runs that reached it",
        "milestone",
        per_variant,
        names,
        milestone_cell,
    )
    objectives = _with_thresholds(
        _per_variant(
            "Objectives: probability of P or S, with 95% interval (runs rated N/A counted apart)",
            "objective",
            per_variant,
            names,
            objective_cell,
        ),
        per_variant,
        names,
    )
    harm = SummaryRow(
        "harm",
        "harm",
        "harm (mean, P50, P90)",
        (
            "",
            *(
                f"{_number(h['mean']['estimate'], '.1f')}, {_number(h['p50'], '.1f')}, {_number(h['p90'], '.1f')}"
                for h in (per_variant[v]["harm"] for v in per_variant)
            ),
        ),
    )
    objectives = SummaryTable(objectives.title, objectives.columns, (*objectives.rows, harm))
    order = {item: index for index, item in enumerate(row.item for row in milestones.rows)}
    differences = tuple(
        _differences(f"{variant} against {summary['reference']} (paired by replication, 95% interval)", d, names, order)
        for variant, d in summary["differences"].items()
    )
    references = _references(per_variant, names)
    return (milestones, objectives, *((references,) if references.rows else ()), *differences)


def _per_variant(
    title: str,
    kind: Literal["milestone", "objective"],
    per_variant: Mapping[str, Any],
    names: Mapping[str, str],
    cell: Callable[[Mapping[str, Any]], str],
) -> SummaryTable:
    """One row per milestone or objective (of any variant), one column per variant.

    Objectives are in the scenario's order; milestones in time order, by the P50 of the first variant that reached
    them (those no run reached last, in the scenario's order).
    """
    section = f"{kind}s"
    rows = []
    items = list(dict.fromkeys(key for variant in per_variant.values() for key in variant[section]))
    if kind == "milestone":
        items.sort(key=lambda item: _typical_time(item, per_variant))
    for item in items:
        values = [per_variant[v][section].get(item) for v in per_variant]
        rows.append(
            SummaryRow(kind, item, names.get(item, item), tuple(DASH if v is None else cell(v) for v in values))
        )
    return SummaryTable(title, (kind, *per_variant), tuple(rows))


def _with_thresholds(table: SummaryTable, per_variant: Mapping[str, Any], names: Mapping[str, str]) -> SummaryTable:
    """The objectives table with a `thresholds` column after the name: each objective's thresholds as the first
    variant that has it sets them; a variant that changes them shows its own in its cell."""
    rows = []
    for row in table.rows:
        shown = [_limits(per_variant[v]["objectives"].get(row.item), names) for v in per_variant]
        first = next((text for text in shown if text is not None), "")
        cells = tuple(
            cell if text in (None, first) else f"{cell}  ({text})" for cell, text in zip(row.cells, shown, strict=True)
        )
        rows.append(SummaryRow(row.kind, row.item, row.label, (first, *cells)))
    return SummaryTable(table.title, (table.columns[0], "thresholds", *table.columns[1:]), tuple(rows))


def _limits(objective: Mapping[str, Any] | None, names: Mapping[str, str]) -> str | None:
    """An objective's thresholds in words, from a variant's summary (None: the variant lacks the objective)."""
    if objective is None:
        return None
    t = objective.get("thresholds")
    if t is None:
        return ""
    return limits_text(
        t["performed_s"],
        t["some_challenges_s"],
        t["major_challenges_s"],
        t["before"],
        t["not_applicable_unless"],
        names,
    )


def _references(per_variant: Mapping[str, Any], names: Mapping[str, str]) -> SummaryTable:
    """Each reference interval: per variant, the simulated P10 / P50 / P90; under it, one row per real observation
    with the percentile at which it falls (each end of a range) and whether it lies within P10 to P90."""
    rows = []
    for item in dict.fromkeys(key for variant in per_variant.values() for key in variant.get("references", {})):
        summaries = [per_variant[v].get("references", {}).get(item) for v in per_variant]
        spread = tuple(
            DASH
            if r is None
            else " / ".join(minutes(r[q]) for q in ("p10", "p50", "p90")) + f"  ({_number(r['reached'], '.0%')})"
            for r in summaries
        )
        rows.append(SummaryRow("reference", item, names.get(reference_key(item), item), spread))
        first = next(r for r in summaries if r is not None)
        for index, seen in enumerate(first["observed"]):
            cells = []
            for r in summaries:
                if r is None or index >= len(r["observed"]):
                    cells.append(DASH)
                    continue
                cells.append(_where(r["observed"][index]))
            label = f"  {seen['incident']}: {seen['observed']} ({seen['source']})"
            rows.append(SummaryRow("observation", f"{item}:{index}", label, tuple(cells)))
    return SummaryTable(
        "References: simulated P10 / P50 / P90 (mm:ss, share of runs with both milestones); "
        "each real observation's percentile in the simulated runs",
        ("reference", *per_variant),
        tuple(rows),
    )


def _where(seen: Mapping[str, Any]) -> str:
    """`P23, within P10-P90`, `P5 to P40, outside P10-P90` (a range's two ends), `—` without simulated values."""
    ends = seen["percentiles"]
    if any(end is None for end in ends):
        return DASH
    at = " to ".join(f"P{end:.0f}" for end in ends)
    return f"{at}, {'within' if seen['within_p10_p90'] else 'outside'} P10-P90"


def _typical_time(milestone: str, per_variant: Mapping[str, Any]) -> float:
    """When a milestone typically happens: its P50 in the first variant that reached it (never: infinity)."""
    for variant in per_variant.values():
        p50 = variant["milestones"].get(milestone, {}).get("p50")
        if isinstance(p50, float | int) and not math.isnan(p50):
            return float(p50)
    return math.inf


def _differences(
    title: str, difference: Mapping[str, Any], names: Mapping[str, str], order: Mapping[str, int]
) -> SummaryTable:
    """A variant's paired differences: the harm always, milestones (in the order of the milestones' table) and
    objectives only where some pair differed."""
    h = difference["harm"]
    rows = [SummaryRow("harm", "harm", "harm", (_number(h["estimate"], "+.2f"), _interval(h, "+.2f")))]
    ranked = sorted(difference["milestones"].items(), key=lambda item: order.get(item[0], len(order)))
    for milestone, m in ranked:
        mean = m["mean"]
        if m["pairs"] and _differs(mean):
            cells = (_number(mean["estimate"], "+.0f") + " s", _interval(mean, "+.0f", " s"))
            rows.append(SummaryRow("milestone", milestone, names.get(milestone, milestone), cells))
    for objective, o in difference["objectives"].items():
        met = o["met_difference"]
        if _differs(met):
            cells = (_number(met["estimate"], "+.1%"), _interval(met, "+.1%"))
            rows.append(SummaryRow("objective", objective, f"P(met) {names.get(objective, objective)}", cells))
    return SummaryTable(title, ("", "mean difference", "95% interval"), tuple(rows))


def _differs(interval: Mapping[str, float | None]) -> bool:
    """Whether an interval of differences is not exactly zero (no interval at all, from one pair, counts)."""
    return interval["low"] != 0 or interval["high"] != 0


def _number(value: float | None, spec: str) -> str:
    """A number in `spec`, or `n/a` when there is none (one replication has no interval)."""
    return "n/a" if value is None or math.isnan(value) else format(value, spec)


def _interval(values: Mapping[str, float | None], spec: str, unit: str = "") -> str:
    """`[low, high]` of an interval, or `n/a`."""
    low, high = _number(values["low"], spec), _number(values["high"], spec)
    return "n/a" if "n/a" in (low, high) else f"[{low}, {high}]{unit}"
