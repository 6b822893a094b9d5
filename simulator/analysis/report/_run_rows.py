"""The plain rows of a run's report: its organisations, decisions, units that waited and the threat's phases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scenarios import Scenario
from scenarios.threat import ThreatPhase
from simulator._sentences import OUTCOMES, threat_helped
from simulator.analysis.report.model import DecisionFacts, Organisation, UnitWait
from simulator.formatting import delay_text, minutes

Record = Mapping[str, Any]


def organisations(scenario: Scenario, records: Sequence[Record], true_facts: set[str]) -> tuple[Organisation, ...]:
    """The stakeholders of the scenario played, in its order, with when each first learned a true fact and the
    decisions put to it (those that opened in the run, in the order they opened)."""
    first: dict[str, float] = {}
    opened: dict[str, list[str]] = {}
    for record in records:
        if record["kind"] == "FactLearned" and record["fact"] in true_facts:
            first.setdefault(str(record["stakeholder"]), float(record["t"]))
        elif record["kind"] == "DecisionOpened":
            mine = opened.setdefault(str(record["stakeholder"]), [])
            if record["decision"] not in mine:
                mine.append(str(record["decision"]))
    return tuple(
        Organisation(s.id, s.name, s.kind, s.units, s.description, first.get(s.id), tuple(opened.get(s.id, ())))
        for s in scenario.stakeholders
    )


def decisions(scenario: Scenario, records: Sequence[Record], names: Mapping[str, str]) -> tuple[DecisionFacts, ...]:
    """Each decision that opened in the run, in the order they opened (without their alternatives)."""
    by_id = {d.id: d for d in scenario.decisions}
    taken = {str(r["decision"]): r for r in records if r["kind"] == "DecisionTaken"}
    rows = []
    seen: set[str] = set()
    for record in records:
        if record["kind"] != "DecisionOpened" or record["decision"] in seen:
            continue
        decision_id = str(record["decision"])
        seen.add(decision_id)
        decision = by_id.get(decision_id)
        done = taken.get(decision_id)
        option = None if done is None else str(done["option"])
        labels = {} if decision is None else {o.id: o.label for o in decision.options}
        stakeholder = str(record["stakeholder"])
        rows.append(
            DecisionFacts(
                decision=decision_id,
                prompt=decision_id if decision is None else decision.prompt,
                stakeholder=stakeholder,
                stakeholder_name=names.get(stakeholder, stakeholder),
                opened_t=float(record["t"]),
                deadline_s=float(record["deadline_s"]),
                taken_t=None if done is None else float(done["t"]),
                option=option,
                option_label=None if option is None else labels.get(option, option),
                by=None if done is None else str(done["by"]),
            )
        )
    return tuple(rows)


def unit_waits(records: Sequence[Record], names: Mapping[str, str], sites: Mapping[str, str]) -> tuple[UnitWait, ...]:
    """Units that waited for free units before leaving, or staged before going in, in the order they stopped
    waiting (`names`: the stakeholders' names by id; `sites`: the sites')."""
    rows = []
    for record in records:
        kind = record["kind"]
        if kind == "UnitsLeft" and record["waited_s"] > 0:
            waited, why = float(record["waited_s"]), "no free units"
        elif kind == "UnitsCleared" and record["staged_s"] > 0:
            waited, why = float(record["staged_s"]), "staged"
        else:
            continue
        stakeholder, site = str(record["stakeholder"]), str(record["site"])
        rows.append(
            UnitWait(
                stakeholder=stakeholder,
                stakeholder_name=names.get(stakeholder, stakeholder),
                site=site,
                site_name=sites.get(site, site),
                units=int(record["units"]),
                # The dispatch order (or the staging) came exactly `waited` before: the engine records both so.
                ordered_t=round(float(record["t"]) - waited, 3),
                waited_s=waited,
                why=why,  # type: ignore[arg-type]
            )
        )
    return tuple(rows)


def threat_text(scenario: Scenario, records: Sequence[Record], end_t: float, of: str = "run") -> tuple[str, ...]:
    """The threat's phases in words, in the scenario's order, each with when it ran in this run (from the log's
    `ThreatPhaseStarted` / `ThreatPhaseEnded`, or the `ThreatNeutralised` / `ThreatEnded` that cut it short), then
    the threat's outcome: `attack at Synagogue: 4m to 7m (05:30 to 10:48 in this run, when the threat was stopped)`.

    Args:
        scenario: the scenario played.
        records: the run's records, in log order.
        end_t: when the run (or the log) ends.
        of: `run`, or `log` for a log cut short (what "the end" is the end of).
    """
    if scenario.threat is None:
        return ()
    sites = {site.id: site.name for site in scenario.sites}
    stakeholders = {s.id: s.name for s in scenario.stakeholders}
    started: dict[str, float] = {}
    ended: dict[str, float] = {}
    current: str | None = None
    over: Record | None = None
    cut: set[str] = set()
    for r in records:
        kind = r["kind"]
        if kind == "ThreatPhaseStarted":
            current = str(r["phase"])
            started.setdefault(current, float(r["t"]))
        elif kind == "ThreatPhaseEnded":
            ended.setdefault(str(r["phase"]), float(r["t"]))
            current = None
        elif kind in ("ThreatNeutralised", "ThreatEnded"):
            if current is not None:  # stopped before its end: no ThreatPhaseEnded comes
                ended.setdefault(current, float(r["t"]))
                cut.add(current)
                current = None
            if kind == "ThreatEnded":
                over = r
    lines = [
        _phase_text(phase, sites, started.get(phase.id), ended.get(phase.id), end_t, of, phase.id in cut)
        for phase in scenario.threat.phases
    ]
    lines.append(_outcome_text(over, stakeholders, end_t, of))
    return tuple(lines)


def _outcome_text(over: Record | None, stakeholders: Mapping[str, str], end_t: float, of: str) -> str:
    """How the threat ended in this run: `Outcome: neutralised by Patrol cars on duty at 10:48 (harm 12.3)`."""
    if over is None:
        return f"Outcome: the threat was still active at the end of the {of} ({minutes(end_t)})"
    outcome = str(over.get("outcome") or "ended")
    words = OUTCOMES.get(outcome) or ("it ended" if outcome == "ended" else outcome)
    helped = threat_helped(over, lambda item: stakeholders.get(item, item))
    harm = f" (harm {float(over['harm']):.1f})" if over.get("harm") is not None else ""
    return f"Outcome: {words}{helped} at {minutes(float(over['t']))}{harm}"


def _phase_text(
    phase: ThreatPhase,
    sites: Mapping[str, str],
    start_t: float | None,
    end_t: float | None,
    run_end_t: float,
    of: str,
    cut: bool,
) -> str:
    what = phase.id if phase.id == phase.kind else f"{phase.id} ({phase.kind.replace('_', ' ')})"
    where = f" at {sites.get(phase.site, phase.site)}" if phase.site is not None else ""
    drawn = delay_text(phase.duration)
    if start_t is None:
        # What the phase would lead to reads like this run's outcome: a phase never reached says only that.
        return f"{what}{where}: {drawn} (not reached in this run)"
    ends = {"next": "", "escaped": "; the attacker escapes"}.get(phase.ends_with, f"; ends {phase.ends_with}")
    if end_t is None:
        run, ends = f"from {minutes(start_t)}, still under way at the end of the {of} at {minutes(run_end_t)}", ""
    elif cut:
        run, ends = f"{minutes(start_t)} to {minutes(end_t)} in this run, when the threat was stopped", ""
    else:
        run = f"{minutes(start_t)} to {minutes(end_t)} in this run"
    return f"{what}{where}: {drawn} ({run}){ends}"
