"""Who knew what when in a run: the key facts, each organisation's awareness of them, and the false reports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scenarios import Scenario
from simulator.analysis.report.model import Awareness, FalseReport

Record = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class FactInfo:
    """A fact of the run (the scenario's, or one added during it): its description and whether it is true."""

    description: str
    true: bool
    corrects: tuple[str, ...] = ()


def key_facts(scenario: Scenario, facts: Mapping[str, FactInfo], records: Sequence[Record]) -> list[str]:
    """The facts the report follows: named by a milestone, false reports, corrections, or learned by anyone.

    In the order they were first learned; those never learned after them, in the scenario's order.
    """
    named = {m.when.fact for m in scenario.milestones if m.when is not None and m.when.fact is not None}
    wanted = {
        fact
        for fact, info in facts.items()
        if fact in named or not info.true or info.corrects  # a milestone's, a false report, or a correction
    }
    first: dict[str, int] = {}
    for index, record in enumerate(records):
        if record["kind"] == "FactLearned" and record["fact"] not in first:
            first[str(record["fact"])] = index
    learned = sorted(first, key=first.__getitem__)
    order = list(facts)
    never = sorted((fact for fact in wanted if fact not in first), key=lambda f: order.index(f) if f in order else 0)
    return learned + never


def source_text(source: str, names: Mapping[str, str]) -> str:
    """Where a fact came from, in words: an organisation's name, `inject inj-02`, `observation of the threat's
    approach phase`, `its own declaration`."""
    if source.startswith("inject:"):
        return f"inject {source.removeprefix('inject:')}"
    if source.startswith("observation:"):
        return f"observation of the threat's {source.removeprefix('observation:')} phase"
    if source == "self":
        return "its own declaration"
    return names.get(source, source)


def awareness(
    organisations: Sequence[str],
    keys: Sequence[str],
    facts: Mapping[str, FactInfo],
    records: Sequence[Record],
    names: Mapping[str, str],
) -> tuple[Awareness, ...]:
    """One row per (organisation, key fact): organisations in the given order, facts in `keys`' order."""
    learned: dict[tuple[str, str], Record] = {}
    corrected: dict[tuple[str, str], float] = {}
    for record in records:
        kind = record["kind"]
        pair = (str(record.get("stakeholder")), str(record.get("fact")))
        if kind == "FactLearned":
            learned.setdefault(pair, record)
        elif kind == "FactCorrected":
            corrected.setdefault(pair, float(record["t"]))
    rows = []
    for organisation in organisations:
        for fact in keys:
            info = facts.get(fact, FactInfo(fact, True))
            got = learned.get((organisation, fact))
            rows.append(
                Awareness(
                    stakeholder=organisation,
                    stakeholder_name=names.get(organisation, organisation),
                    fact=fact,
                    fact_text=info.description,
                    true=info.true,
                    learned_t=None if got is None else float(got["t"]),
                    source=None if got is None else source_text(str(got["source"]), names),
                    corrected_t=corrected.get((organisation, fact)),
                )
            )
    return tuple(rows)


def false_reports(
    facts: Mapping[str, FactInfo], records: Sequence[Record], names: Mapping[str, str]
) -> tuple[FalseReport, ...]:
    """Each false report of the run (in the scenario's order): whom it reached, who learned its correction."""
    reports = []
    for fact, info in facts.items():
        if info.true:
            continue
        reached = [
            (str(r["stakeholder"]), float(r["t"])) for r in records if r["kind"] == "FactLearned" and r["fact"] == fact
        ]
        corrected = [
            (str(r["stakeholder"]), float(r["t"]))
            for r in records
            if r["kind"] == "FactCorrected" and r["fact"] == fact
        ]
        fixed = {who for who, _ in corrected}
        reports.append(
            FalseReport(
                fact=fact,
                fact_text=info.description,
                first_t=reached[0][1] if reached else None,
                reached=tuple((names.get(who, who), t) for who, t in reached),
                corrected=tuple((names.get(who, who), t) for who, t in corrected),
                uncorrected=tuple(names.get(who, who) for who, _ in reached if who not in fixed),
            )
        )
    return tuple(reports)
