"""The facts of a finished batch, read from its folder: the plan, the summary and each milestone's times.

Everything comes from the folder itself (`batch.json` holds the scenario played), so a report needs no scenario file.
`summary.json` gives the numbers the terminal's batch summary shows (`simulator.analysis.summary_view`), so the two
agree; `results.parquet` gives what the summary does not hold: each milestone's time in each replication, and the
interval each objective measured. It is read as the columns it needs (Arrow, never row by row as dicts): the facts
of a batch of 1,000 replications of four variants take about a tenth of a second.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from scenarios import Scenario, apply_variant
from scenarios.errors import ScenarioError
from simulator.analysis.batch import column_name, label
from simulator.analysis.batch_folder import MANIFEST, RESULTS_PARQUET, SUMMARY, BatchManifest
from simulator.analysis.report._batch_findings import Measured, batch_findings, batch_notes
from simulator.analysis.report.errors import ReportError
from simulator.analysis.report.model import (
    BatchFacts,
    Estimate,
    MilestoneSpread,
    ObjectiveOdds,
    Organisation,
    PairedDifference,
    VariantDifference,
    VariantFacts,
)
from simulator.analysis.results import mean_interval
from simulator.evaluation import NOT_APPLICABLE, RATINGS, thresholds_text
from simulator.formatting import delay_text

_DAMAGED = "it was damaged or changed by hand: run the batch again into a new --out folder"


REPLICATION = "replication"
"""The column numbering a variant's replications (pairs are made by it)."""


def batch_facts(folder: Path) -> BatchFacts:
    """Read what the report of a finished batch says from its folder (see `simulator.analysis.batch_folder`).

    Milestones are in time order (by their P50 in the first variant that reached them, as the terminal's summary
    shows them); a variant's paired differences keep, as the terminal's tables do, the harm always and only the
    milestones and objectives that differed in some pair.

    Args:
        folder: the `--out` folder of `tabletop batch`.

    Raises:
        ReportError: the folder holds no batch, an unfinished one, or a file that cannot be read (named).
    """
    if not (folder / MANIFEST).is_file():
        raise ReportError(
            f"{folder} is not a batch folder (no {MANIFEST})",
            "give a run log (.jsonl) or the --out folder of tabletop batch",
        )
    if not (folder / SUMMARY).is_file():
        raise ReportError(
            f"{folder}: the batch is not finished (no {SUMMARY})", f"finish it with: tabletop batch --resume {folder}"
        )
    manifest, scenario = _read_manifest(folder / MANIFEST)
    played = _played(folder / MANIFEST, scenario, manifest.variants)
    summary = _read_summary(folder / SUMMARY, played)
    columns = _read_columns(folder / RESULTS_PARQUET, played, summary)
    try:
        order = _milestone_order(summary["variants"], played)
        variants = tuple(
            _variant_facts(summary, variant, scenario, played[label(variant)], columns[label(variant)], order)
            for variant in manifest.variants
        )
        reference = summary["reference"]
        if reference not in played:
            raise ValueError(f"its reference {reference!r} is not a variant of the batch")
        differences = tuple(
            replace(
                _difference(variant_label, summary["differences"][variant_label], reference, played, order),
                reached=_reached(columns[reference], columns[variant_label], played[reference], played[variant_label]),
            )
            for variant_label in played
            if variant_label in summary["differences"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReportError(f"{folder / SUMMARY}: not a batch summary ({_what(exc)})", _DAMAGED) from exc
    measured = {variant_label: _measured(played[variant_label], columns[variant_label]) for variant_label in played}
    strengths, improvements = batch_findings(
        variants, differences, reference, played, measured, manifest.common_random_numbers
    )
    return BatchFacts(
        folder_name=folder.resolve().name or str(folder),
        title=scenario.title,
        scenario_id=scenario.id,
        summary=scenario.summary.strip(),
        learning_objectives=tuple(scenario.learning_objectives),
        threat=threat_text(scenario),
        start=scenario.clock.start,
        time_zone=scenario.clock.time_zone,
        seed=manifest.seed,
        replications=manifest.replications,
        common_random_numbers=manifest.common_random_numbers,
        decisions=tuple(sorted(manifest.decisions.items())),
        organisations=_organisations(scenario),
        variants=variants,
        reference_label=reference,
        differences=differences,
        strengths=strengths,
        improvements=improvements,
        notes=batch_notes(variants, reference, scenario, manifest.common_random_numbers, manifest.decisions),
    )


def threat_text(scenario: Scenario) -> tuple[str, ...]:
    """The threat's phases in words (`approach at Synagogue, 5m`; `flight, 2m to 10m, then escaped`), in order."""
    if scenario.threat is None:
        return ()
    sites = {site.id: site.name for site in scenario.sites}
    lines = []
    for phase in scenario.threat.phases:
        where = "" if phase.site is None else f" at {sites.get(phase.site, phase.site)}"
        end = "" if phase.ends_with == "next" else f", then {phase.ends_with}"
        lines.append(f"{phase.kind.replace('_', ' ')}{where}, {delay_text(phase.duration)}{end}")
    return tuple(lines)


def _read_manifest(path: Path) -> tuple[BatchManifest, Scenario]:
    try:
        manifest = BatchManifest.model_validate_json(path.read_bytes())
        # As `BatchManifest.plan` reads it, but always the copy kept here: a report is of what was played.
        scenario = Scenario.model_validate_json(orjson.dumps(manifest.scenario), strict=True)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"]) or "the file"
        raise ReportError(f"{path}: not a batch manifest ({where}: {error['msg']})", _DAMAGED) from exc
    except OSError as exc:
        raise ReportError(f"{path}: cannot be read ({exc.strerror})") from exc
    return manifest, scenario


def _played(path: Path, scenario: Scenario, variants: Sequence[str | None]) -> dict[str, Scenario]:
    """The scenario each variant played, by label, in the batch's order."""
    try:
        return {label(variant): apply_variant(scenario, variant) for variant in variants}
    except ScenarioError as exc:
        raise ReportError(f"{path}: a variant of its scenario does not apply ({exc})", _DAMAGED) from exc


def _read_summary(path: Path, played: Mapping[str, Scenario]) -> dict[str, Any]:
    try:
        summary = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise ReportError(f"{path}: not JSON ({exc})", _DAMAGED) from exc
    except OSError as exc:
        raise ReportError(f"{path}: cannot be read ({exc.strerror})") from exc
    if not isinstance(summary, dict) or not all(
        isinstance(summary.get(key), dict) for key in ("variants", "replications", "differences")
    ):
        raise ReportError(f"{path}: not a batch summary (no variants, replications or differences)", _DAMAGED)
    if set(summary["variants"]) != set(played) or set(summary["replications"]) != set(played):
        raise ReportError(f"{path}: its variants are not those of {MANIFEST} ({', '.join(played)})", _DAMAGED)
    if not all(isinstance(count, int) for count in summary["replications"].values()):
        raise ReportError(f"{path}: not a batch summary (a count of replications is not a number)", _DAMAGED)
    return summary


def _read_columns(
    path: Path, played: Mapping[str, Scenario], summary: Mapping[str, Any]
) -> dict[str, dict[str, list[Any]]]:
    """Per variant label, each milestone (`ms_`) and objective (`obj_`) column, in replication order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    wanted = dict.fromkeys(
        column
        for scenario in played.values()
        for column in (
            *(column_name("ms", m.id) for m in scenario.milestones),
            *(column_name("obj", o.id) for o in scenario.objectives),
        )
    )
    try:
        # ParquetFile, not read_table: that goes through pyarrow.dataset, whose import (pandas) alone takes longer
        # than reading a million rows' columns.
        with pq.ParquetFile(path) as parquet:
            present = set(parquet.schema_arrow.names)
            missing = [c for c in ("variant", "replication", *wanted) if c not in present]
            if missing:
                raise ReportError(f"{path}: not this batch's results (no column {missing[0]})", _DAMAGED)
            table = parquet.read(columns=["variant", "replication", *wanted])
    except FileNotFoundError as exc:
        raise ReportError(f"{path}: missing from a finished batch", _DAMAGED) from exc
    except (pa.ArrowException, OSError) as exc:
        raise ReportError(f"{path}: not a Parquet table ({exc})", _DAMAGED) from exc
    spans = _spans(path, table.column("variant").to_pylist(), table.column("replication").to_pylist())
    out: dict[str, dict[str, list[Any]]] = {}
    for variant_label, scenario in played.items():
        start, end = spans.get(variant_label, (0, 0))
        if end - start != summary["replications"][variant_label]:
            raise ReportError(
                f"{path}: {end - start} rows of {variant_label}, but {SUMMARY} counts "
                f"{summary['replications'][variant_label]}",
                _DAMAGED,
            )
        part = table.slice(start, end - start)
        names = [column_name("ms", m.id) for m in scenario.milestones]
        names += [column_name("obj", o.id) for o in scenario.objectives]
        out[variant_label] = {name: part.column(name).to_pylist() for name in names}
        out[variant_label][REPLICATION] = part.column(REPLICATION).to_pylist()
    return out


def _spans(path: Path, variants: list[str], replications: list[int]) -> dict[str, tuple[int, int]]:
    """Each variant's rows (start, end): a batch writes them one variant after another, in replication order.

    Slices of the table, not filters: `pyarrow.compute` imports pandas, which alone takes longer than the rest.
    """
    spans: dict[str, tuple[int, int]] = {}
    start = 0
    for variant_label, rows in itertools.groupby(variants):
        end = start + sum(1 for _ in rows)
        if variant_label in spans or replications[start:end] != list(range(end - start)):
            raise ReportError(f"{path}: its rows are not in the order a batch writes them", _DAMAGED)
        spans[variant_label] = (start, end)
        start = end
    return spans


# --- the facts --------------------------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    """A number of summary.json, or None where it holds none (`null`, written for NaN: cannot be estimated)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _estimate(values: Mapping[str, Any]) -> Estimate:
    return Estimate(_number(values["estimate"]), _number(values["low"]), _number(values["high"]))


def _milestone_order(per_variant: Mapping[str, Any], played: Mapping[str, Scenario]) -> dict[str, int]:
    """Each milestone's place: by its P50 in the first variant (in the batch's order) that reached it; those no run
    reached last, in the scenarios' order (`summary_view` orders its milestones table so)."""
    items = list(dict.fromkeys(m.id for scenario in played.values() for m in scenario.milestones))

    def typical(milestone: str) -> float:
        for variant_label in played:
            p50 = _number(per_variant[variant_label]["milestones"].get(milestone, {}).get("p50"))
            if p50 is not None:
                return p50
        return math.inf

    return {item: index for index, item in enumerate(sorted(items, key=typical))}


def _variant_facts(
    summary: Mapping[str, Any],
    variant: str | None,
    base: Scenario,
    scenario: Scenario,
    columns: Mapping[str, list[Any]],
    order: Mapping[str, int],
) -> VariantFacts:
    variant_label = label(variant)
    part = summary["variants"][variant_label]
    milestones = []
    for milestone in sorted(scenario.milestones, key=lambda m: order[m.id]):
        spread = part["milestones"][milestone.id]
        times = tuple(float(t) for t in columns[column_name("ms", milestone.id)] if t is not None)
        milestones.append(
            MilestoneSpread(
                milestone.id,
                milestone.name,
                _number(spread["reached"]) or 0.0,
                _number(spread["p10"]),
                _number(spread["p50"]),
                _number(spread["p90"]),
                times,
            )
        )
    names = {m.id: m.name for m in scenario.milestones}
    objectives = []
    for objective in scenario.objectives:
        odds = part["objectives"][objective.id]
        objectives.append(
            ObjectiveOdds(
                objective.id,
                objective.name,
                objective.core_capability,
                _estimate(odds["met"]),
                tuple((rating, int(odds["ratings"][rating])) for rating in RATINGS),
                int(odds["applicable"]),
                thresholds_text(objective, names),
            )
        )
    harm = part["harm"]
    description = next((v.description for v in base.variants if v.id == variant), None)
    return VariantFacts(
        variant,
        variant_label,
        None if description is None else description.strip(),
        int(summary["replications"][variant_label]),
        tuple(milestones),
        tuple(objectives),
        _estimate(harm["mean"]),
        _number(harm["p10"]),
        _number(harm["p50"]),
        _number(harm["p90"]),
    )


def _difference(
    variant_label: str,
    difference: Mapping[str, Any],
    reference: str,
    played: Mapping[str, Scenario],
    order: Mapping[str, int],
) -> VariantDifference:
    """A variant against the reference, with the rows the terminal's table of it shows (`summary_view`)."""
    base = played[reference]
    milestone_names = {m.id: m.name for m in base.milestones}
    milestones = []
    for milestone, values in sorted(difference["milestones"].items(), key=lambda item: order.get(item[0], len(order))):
        mean = _estimate(values["mean"])
        if values["pairs"] and _differs(mean):
            milestones.append(
                PairedDifference(milestone, milestone_names.get(milestone, milestone), values["pairs"], mean)
            )
    objectives = []
    for objective in base.objectives:
        values = difference["objectives"].get(objective.id)
        if values is not None and _differs(met := _estimate(values["met_difference"])):
            objectives.append(PairedDifference(objective.id, objective.name, values["pairs"], met))
    pairs = int(difference["pairs"])
    harm = PairedDifference("harm", "harm", pairs, _estimate(difference["harm"]))
    return VariantDifference(variant_label, variant_label, reference, pairs, tuple(milestones), tuple(objectives), harm)


def _reached(
    reference: Mapping[str, list[Any]], other: Mapping[str, list[Any]], base: Scenario, variant: Scenario
) -> tuple[PairedDifference, ...]:
    """How much more often (or less) the variant reaches each milestone than the reference, replication by
    replication: the mean of `reached in the variant's run - reached in the reference's` (1, 0 or -1) with its
    interval, for the milestones where some pair differs; in the reference's order of milestones."""
    theirs = {milestone.id for milestone in variant.milestones}
    rows = dict(zip(other[REPLICATION], range(len(other[REPLICATION])), strict=True))
    pairs = [(i, rows[r]) for i, r in enumerate(reference[REPLICATION]) if r in rows]
    out = []
    for milestone in (m for m in base.milestones if m.id in theirs):
        column = column_name("ms", milestone.id)
        deltas = [float(other[column][j] is not None) - float(reference[column][i] is not None) for i, j in pairs]
        if any(deltas):
            mean = mean_interval(deltas)
            estimate = Estimate(*(None if math.isnan(v) else v for v in (mean.estimate, mean.low, mean.high)))
            out.append(PairedDifference(milestone.id, milestone.name, len(deltas), estimate))
    return tuple(out)


def _differs(mean: Estimate) -> bool:
    """Whether some pair differed: an interval not exactly zero (none at all, from one pair, counts)."""
    return mean.low != 0 or mean.high != 0


def _measured(scenario: Scenario, columns: Mapping[str, list[Any]]) -> dict[str, Measured]:
    """What each objective measured (from `since`, or T0, to `until`) in the runs where it applied."""
    out = {}
    for objective in scenario.objectives:
        ends = columns[column_name("ms", objective.until)]
        starts = [0.0] * len(ends) if objective.since is None else columns[column_name("ms", objective.since)]
        ratings = columns[column_name("obj", objective.id)]
        values, never, runs = [], 0, 0
        for start, end, rating in zip(starts, ends, ratings, strict=True):
            if rating == NOT_APPLICABLE:
                continue
            runs += 1
            if start is None or end is None:
                never += 1
            elif end >= start:
                values.append(round(end - start, 3))  # as `simulator.evaluation` measures it
        out[objective.id] = Measured(tuple(values), never, runs)
    return out


def _organisations(scenario: Scenario) -> tuple[Organisation, ...]:
    return tuple(
        Organisation(
            s.id,
            s.name,
            s.kind,
            s.units,
            s.description,
            None,
            tuple(d.id for d in scenario.decisions if d.stakeholder == s.id),
        )
        for s in scenario.stakeholders
    )


def _what(exc: BaseException) -> str:
    """What was wrong in summary.json, in a few words."""
    if isinstance(exc, KeyError):
        return f"no {exc.args[0]!r}"
    return str(exc) or type(exc).__name__
