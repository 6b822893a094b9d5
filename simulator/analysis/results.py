"""Batch results: rows streamed to CSV, the Parquet table made from them, and their summary (quantiles, intervals)."""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from scenarios import Scenario
from scenarios.exercise import Objective
from simulator.analysis.batch import BASE, MET, Row, column_name, columns_of
from simulator.evaluation import NOT_APPLICABLE, RATINGS

Z95 = 1.959963984540054
ROW_GROUP = 1000
"""Rows per Parquet row group."""


def arrow_schema(*played: Scenario) -> pa.Schema:
    """The Parquet schema of a scenario's results: milestone times are numbers, ratings and names text."""
    known = {"variant": pa.string(), "replication": pa.int64(), "seed": pa.int64(), "harm": pa.float64()}

    def kind(column: str) -> pa.DataType:
        return known.get(column, pa.float64() if column.startswith("ms_") else pa.string())

    return pa.schema([pa.field(column, kind(column)) for column in columns_of(*played)])


class ResultsWriter:
    """Appends rows to `results.csv`, each chunk flushed to the operating system before `write` returns.

    What `write` has returned for survives a kill of any process of the batch: that is what the progress bar counts.
    Rows are not fsync'd one chunk at a time (a disk round trip per chunk, only against a crash of the machine,
    after which `--resume` recomputes whatever did not reach the disk); `close` fsyncs the file once at the end.

    Args:
        path: the CSV file.
        played: the scenarios the variants play (they give the columns).
        append: add to the rows already there (resuming), instead of creating the file with its header.
    """

    def __init__(self, path: Path, *played: Scenario, append: bool = False) -> None:
        self.path = path
        self.columns = columns_of(*played)
        self._file = path.open("a" if append else "x", newline="", encoding="utf-8")
        self._csv = csv.DictWriter(self._file, fieldnames=self.columns, lineterminator="\n")
        if not append:
            self._csv.writeheader()
            self._file.flush()
        self.rows = 0

    def write(self, rows: list[Row]) -> None:
        """Append rows, and hand them to the operating system."""
        self._csv.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
        self._file.flush()
        self.rows += len(rows)

    def close(self) -> None:
        """Flush, fsync and close the file."""
        if self._file.closed:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def csv_header(*played: Scenario) -> bytes:
    """The first line of results.csv, as `ResultsWriter` writes it."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerow(columns_of(*played))
    return text.getvalue().encode("utf-8")


def parse_row(schema: pa.Schema, fields: list[str]) -> Row:
    """A row of results.csv back as the values it was written from (an empty cell is None).

    Raises:
        ValueError: the fields do not fit the schema (a damaged line).
    """
    if len(fields) != len(schema):
        raise ValueError(f"{len(fields)} cells, not {len(schema)}")
    row: Row = {}
    for field, text in zip(schema, fields, strict=True):
        if field.type == pa.string():
            row[field.name] = text or None
        elif field.type == pa.int64():
            row[field.name] = int(text)
        else:
            row[field.name] = float(text) if text else None
    return row


def write_parquet(csv_path: Path, parquet: Path, schema: pa.Schema) -> None:
    """Write the rows of a results CSV as a Parquet file at `parquet` (a new file: give a temporary name).

    Row groups hold `ROW_GROUP` rows, so the file's bytes depend only on the rows, not on the chunks or workers they
    came from. The CSV is read by Arrow's streaming reader (an empty cell is null), so memory stays bounded.
    """
    options = pcsv.ConvertOptions(column_types=schema, null_values=[""], strings_can_be_null=True)
    with pq.ParquetWriter(parquet, schema) as writer:
        pending = pa.Table.from_batches([], schema)
        for batch in pcsv.open_csv(csv_path, convert_options=options):
            pending = pa.concat_tables([pending, pa.Table.from_batches([batch], schema)])
            while pending.num_rows >= ROW_GROUP:
                writer.write_table(pending.slice(0, ROW_GROUP))
                pending = pending.slice(ROW_GROUP)
        if pending.num_rows:
            writer.write_table(pending)


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
        return Interval(mean, math.nan, math.nan)  # one value says nothing of its uncertainty
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


def summarise(parquet: Path, played: dict[str, Scenario]) -> dict[str, Any]:
    """Summarise a results file: per variant, milestones, objectives and harm; and each variant against the base.

    Differences are paired replication by replication (with common random numbers, the same draws). The file is
    read as columns, and only one column of one variant at a time becomes Python values, so the memory needed grows
    with the number of replications, not with replications times columns. A milestone or objective a variant does
    not have is left out of its summary and of its differences (it is not a zero).
    """
    # Nothing here turns Python values into Arrow ones (pa.array, pa.scalar, a compute function given a Python value):
    # pyarrow then imports pandas, which costs a third of a second of CPU, more than summarising 10,000 rows. For the
    # same reason the file is read by ParquetFile, not pq.read_table (which goes through pyarrow.dataset).
    with pq.ParquetFile(parquet) as file:
        table = file.read()
    labels = table.column("variant").to_pylist()
    parts = {v: _rows_of(table, labels, v) for v in dict.fromkeys(labels)}
    summary: dict[str, Any] = {
        "replications": {v: part.num_rows for v, part in parts.items()},
        "variants": {v: _summarise_variant(part, played[v]) for v, part in parts.items()},
    }
    reference = BASE if BASE in parts else next(iter(parts), None)
    summary["reference"] = reference
    summary["differences"] = {}
    if reference is not None:
        for variant, part in parts.items():
            if variant != reference:
                summary["differences"][variant] = _differences(
                    parts[reference], part, played[reference], played[variant]
                )
    return summary


def _rows_of(table: pa.Table, labels: list[str], variant: str) -> pa.Table:
    """The rows of one variant, by replication (`labels`: the variant of each row of `table`)."""
    first, count = labels.index(variant), labels.count(variant)
    if labels[first : first + count].count(variant) == count:  # a batch writes its rows variant by variant
        part = table.slice(first, count)
    else:
        part = table.filter(pc.equal(table.column("variant"), variant))
    return part.sort_by("replication")


def _column(part: pa.Table, name: str) -> list[Any]:
    values: list[Any] = part.column(name).to_pylist()
    return values


def _summarise_variant(part: pa.Table, scenario: Scenario) -> dict[str, Any]:
    n = part.num_rows
    milestones = {}
    for milestone in scenario.milestones:
        times = [t for t in _column(part, column_name("ms", milestone.id)) if t is not None]
        milestones[milestone.id] = {"reached": len(times) / n if n else math.nan, **quantiles(times)}
    objectives = {}
    for objective in scenario.objectives:
        ratings = _column(part, column_name("obj", objective.id))
        counts = {letter: ratings.count(letter) for letter in RATINGS}
        # N/A runs are counted apart: the objective did not apply there, so it was neither met nor missed.
        applicable = n - counts[NOT_APPLICABLE]
        met = wilson(sum(counts[letter] for letter in MET), applicable)
        objectives[objective.id] = {
            "met": met.to_dict(),
            "ratings": counts,
            "applicable": applicable,
            "not_applicable": counts[NOT_APPLICABLE],
            "thresholds": _thresholds(objective),
        }
    harms = [float(h) for h in _column(part, "harm")]
    return {
        "milestones": milestones,
        "objectives": objectives,
        "references": _references(part, scenario),
        "harm": {"mean": mean_interval(harms).to_dict(), **quantiles(harms)},
    }


def _differences(reference: pa.Table, part: pa.Table, base: Scenario, variant: Scenario) -> dict[str, Any]:
    # Both are sorted by replication, each replication once: the rows of the shared ones pair up in order.
    before_replications, after_replications = _column(reference, "replication"), _column(part, "replication")
    shared = set(before_replications) & set(after_replications)
    before = [row for row, replication in enumerate(before_replications) if replication in shared]
    after = [row for row, replication in enumerate(after_replications) if replication in shared]
    variant_milestones = {m.id for m in variant.milestones}
    variant_objectives = {o.id for o in variant.objectives}

    def pairs(name: str) -> list[tuple[Any, Any]]:
        first, second = _column(reference, name), _column(part, name)
        return [(first[a], second[b]) for a, b in zip(before, after, strict=True)]

    harm = mean_interval([float(b) - float(a) for a, b in pairs("harm")])
    milestones = {}
    for milestone in (m for m in base.milestones if m.id in variant_milestones):
        deltas = [b - a for a, b in pairs(column_name("ms", milestone.id)) if a is not None and b is not None]
        milestones[milestone.id] = {"pairs": len(deltas), "mean": mean_interval(deltas).to_dict()}
    objectives = {}
    for objective in (o for o in base.objectives if o.id in variant_objectives):
        # Pairs where the objective did not apply in either run are left out, as in the probabilities.
        deltas = [
            float(b in MET) - float(a in MET)
            for a, b in pairs(column_name("obj", objective.id))
            if NOT_APPLICABLE not in (a, b)
        ]
        objectives[objective.id] = {"pairs": len(deltas), "met_difference": mean_interval(deltas).to_dict()}
    return {"pairs": len(shared), "harm": harm.to_dict(), "milestones": milestones, "objectives": objectives}


def _thresholds(objective: Objective) -> dict[str, Any]:
    """What an objective is rated against, as summary.json holds it (seconds; None without thresholds)."""
    limits = objective.thresholds
    return {
        "performed_s": None if limits is None else limits.performed,
        "some_challenges_s": None if limits is None else limits.some_challenges,
        "major_challenges_s": None if limits is None else limits.major_challenges,
        "before": objective.before,
        "not_applicable_unless": list(objective.not_applicable_unless),
    }


def _references(part: pa.Table, scenario: Scenario) -> dict[str, Any]:
    """Each reference interval: the simulated P10 / P50 / P90, and where each real observation falls among them."""
    n = part.num_rows
    zone = scenario.clock.time_zone
    out = {}
    for reference in scenario.references:
        since = _column(part, column_name("ms", reference.since))
        until = _column(part, column_name("ms", reference.until))
        simulated = [u - s for s, u in zip(since, until, strict=True) if s is not None and u is not None]
        spread = quantiles(simulated)
        observed = []
        for seen in reference.observed:
            values = seen.values_s(zone)
            ends = [percentile_of(simulated, value) for value in values]
            observed.append(
                {
                    "incident": seen.incident,
                    "source": seen.source,
                    "confidence": seen.confidence,
                    "note": seen.note,
                    "observed": seen.shown(zone),
                    "observed_s": list(values),
                    "percentiles": ends,
                    "within_p10_p90": None
                    if spread["p10"] is None or spread["p90"] is None
                    else all(spread["p10"] <= value <= spread["p90"] for value in values),
                }
            )
        out[reference.id] = {
            "since": reference.since,
            "until": reference.until,
            "reached": len(simulated) / n if n else math.nan,
            **spread,
            "observed": observed,
        }
    return out


def percentile_of(values: list[float], value: float) -> float | None:
    """The percentile (0 to 100) at which `value` falls among `values`: the share below it, with values equal to it
    counted half (the mid-rank), so a value equal to every simulated one is at 50; None without values."""
    if not values:
        return None
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return 100 * (below + equal / 2) / len(values)
