"""Batch results: streaming rows to CSV and Parquet, and summarising them (quantiles, probabilities, differences)."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pyarrow as pa
import pyarrow.parquet as pq

from scenarios import Scenario
from simulator.analysis.batch import BASE, MET, Row, column_name, columns_of

Z95 = 1.959963984540054


def arrow_schema(scenario: Scenario) -> pa.Schema:
    """The Parquet schema of a scenario's results."""
    fields = [
        pa.field("variant", pa.string()),
        pa.field("replication", pa.int64()),
        pa.field("seed", pa.int64()),
        pa.field("harm", pa.float64()),
    ]
    fields += [pa.field(column_name("ms", m.id), pa.float64()) for m in scenario.milestones]
    fields += [pa.field(column_name("obj", o.id), pa.string()) for o in scenario.objectives]
    return pa.schema(fields)


class ResultsWriter:
    """Appends rows to `results.csv` and `results.parquet` as they come (one Parquet row group per chunk)."""

    def __init__(self, folder: Path, scenario: Scenario) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.csv_path = folder / "results.csv"
        self.parquet_path = folder / "results.parquet"
        self.columns = columns_of(scenario)
        self.schema = arrow_schema(scenario)
        self._csv_file = self.csv_path.open("w", newline="", encoding="utf-8")
        self._csv = csv.DictWriter(self._csv_file, fieldnames=self.columns, lineterminator="\n")
        self._csv.writeheader()
        self._parquet = pq.ParquetWriter(self.parquet_path, self.schema)
        self.rows = 0

    def write(self, rows: list[Row]) -> None:
        """Append rows."""
        self._csv.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
        table = pa.Table.from_pylist(rows, schema=self.schema)
        self._parquet.write_table(table)
        self.rows += len(rows)

    def close(self) -> None:
        """Finish both files."""
        self._csv_file.close()
        self._parquet.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class Interval:
    """An estimate with its 95% confidence interval."""

    estimate: float
    low: float
    high: float

    @property
    def width(self) -> float:
        """High minus low."""
        return self.high - self.low

    def to_dict(self) -> dict[str, float]:
        """A JSON-ready form."""
        return {"estimate": self.estimate, "low": self.low, "high": self.high}


def wilson(successes: int, n: int) -> Interval:
    """The Wilson score interval of a proportion (good also near 0 and 1)."""
    if n == 0:
        return Interval(math.nan, math.nan, math.nan)
    p = successes / n
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denominator
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(values: list[float]) -> Interval:
    """The mean with a normal-approximation 95% interval."""
    n = len(values)
    if n == 0:
        return Interval(math.nan, math.nan, math.nan)
    mean = sum(values) / n
    if n == 1:
        return Interval(mean, mean, mean)
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = Z95 * math.sqrt(variance / n)
    return Interval(mean, mean - half, mean + half)


def quantiles(values: list[float]) -> dict[str, float | None]:
    """P10, P50 and P90 (linear interpolation), or None when there are no values."""
    if not values:
        return {"p10": None, "p50": None, "p90": None}
    ordered = sorted(values)

    def at(q: float) -> float:
        position = q * (len(ordered) - 1)
        low = math.floor(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    return {"p10": at(0.1), "p50": at(0.5), "p90": at(0.9)}


def summarise(parquet: Path, scenario: Scenario) -> dict[str, Any]:
    """Summarise a results file: per variant, milestones, objectives and harm; and each variant against the base.

    Differences are paired replication by replication (with common random numbers, the same draws).
    """
    table = pq.read_table(parquet).to_pylist()
    by_variant: dict[str, dict[int, Row]] = {}
    for row in table:
        by_variant.setdefault(row["variant"], {})[row["replication"]] = row
    summary: dict[str, Any] = {"replications": {v: len(rows) for v, rows in by_variant.items()}, "variants": {}}
    for variant, rows in by_variant.items():
        summary["variants"][variant] = _summarise_variant(list(rows.values()), scenario)
    reference = BASE if BASE in by_variant else next(iter(by_variant), None)
    summary["reference"] = reference
    summary["differences"] = {}
    if reference is not None:
        for variant, rows in by_variant.items():
            if variant != reference:
                summary["differences"][variant] = _differences(by_variant[reference], rows, scenario)
    return summary


def _summarise_variant(rows: list[Row], scenario: Scenario) -> dict[str, Any]:
    n = len(rows)
    milestones = {}
    for milestone in scenario.milestones:
        times = [r[column_name("ms", milestone.id)] for r in rows if r[column_name("ms", milestone.id)] is not None]
        milestones[milestone.id] = {"reached": len(times) / n if n else math.nan, **quantiles(times)}
    objectives = {}
    for objective in scenario.objectives:
        ratings = [r[column_name("obj", objective.id)] for r in rows]
        counts = {letter: ratings.count(letter) for letter in ("P", "S", "M", "U")}
        met = wilson(sum(counts[letter] for letter in MET), n)
        objectives[objective.id] = {"met": met.to_dict(), "ratings": counts}
    harms = [float(r["harm"]) for r in rows]
    return {
        "milestones": milestones,
        "objectives": objectives,
        "harm": {"mean": mean_interval(harms).to_dict(), **quantiles(harms)},
    }


def _differences(reference: dict[int, Row], rows: dict[int, Row], scenario: Scenario) -> dict[str, Any]:
    paired = [(reference[i], rows[i]) for i in sorted(rows) if i in reference]
    harm = mean_interval([float(b["harm"]) - float(a["harm"]) for a, b in paired])
    milestones = {}
    for milestone in scenario.milestones:
        key = column_name("ms", milestone.id)
        deltas = [b[key] - a[key] for a, b in paired if a[key] is not None and b[key] is not None]
        milestones[milestone.id] = {"pairs": len(deltas), "mean": mean_interval(deltas).to_dict()}
    objectives = {}
    for objective in scenario.objectives:
        key = column_name("obj", objective.id)
        deltas = [float(b[key] in MET) - float(a[key] in MET) for a, b in paired]
        objectives[objective.id] = {"met_difference": mean_interval(deltas).to_dict()}
    return {"pairs": len(paired), "harm": harm.to_dict(), "milestones": milestones, "objectives": objectives}
