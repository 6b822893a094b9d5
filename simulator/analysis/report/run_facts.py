"""`run_facts`: everything the after-action report of one run says, from its log, re-simulated exactly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from simulator.analysis.replay import ended_with, header_divergence, replay_against
from simulator.analysis.report._run_alternatives import with_alternatives
from simulator.analysis.report._run_awareness import FactInfo, awareness, false_reports, key_facts
from simulator.analysis.report._run_flow_findings import needs
from simulator.analysis.report._run_handovers import handovers
from simulator.analysis.report._run_rows import decisions, organisations, threat_text, unit_waits
from simulator.analysis.report.errors import ReportError
from simulator.analysis.report.findings import run_findings
from simulator.analysis.report.model import RunFacts, RunStatus
from simulator.debrief import debrief
from simulator.evaluation import rate
from simulator.exercise import Exercise, RunSummary
from simulator.logcheck import read_tabletop_log
from simulator.narrative import t_plus
from simulator.resume import scenario_of
from simulator.runlog import RunLog

Record = Mapping[str, Any]

__all__ = ["run_facts"]


@dataclass(frozen=True, slots=True)
class Played:
    """A log re-simulated: the exercise in the state the log ends in, and its outcome."""

    log: RunLog
    exercise: Exercise
    summary: RunSummary
    ended: bool
    """Whether the log holds the run's end (`RunEnded`)."""


def run_facts(path: Path) -> RunFacts:
    """The facts of the run logged in `path`: re-simulated from the scenario copied in the log, checked record by
    record against it, then analysed (hand-overs, decisions, awareness, false reports, units that waited, findings).

    Raises:
        RunLogError: the file is not a run log of Tabletop, or was altered (`FILE:LINE: what`).
        ReplayError: its scenario copy is not a valid scenario, or a logged command cannot be applied again.
        ReportError: the log does not re-simulate exactly.
    """
    played = replay(path)
    log, exercise, summary = played.log, played.exercise, played.summary
    records: Sequence[Record] = log.records
    scenario = exercise.scenario
    world_facts = exercise.world.facts
    facts = {
        fact_id: FactInfo(fact.description, not fact.false_report, tuple(fact.corrects))
        for fact_id, fact in world_facts.items()
    }
    # Stakeholders and sites are named apart: an organisation and a site may share an id (a school and its security).
    names = {s.id: s.name for s in scenario.stakeholders}
    sites = {site.id: site.name for site in scenario.sites}
    media = {channel.id: channel.medium for channel in scenario.channels}
    status, status_text = _status(played)
    keys = key_facts(scenario, facts, records)
    stakeholders = [s.id for s in scenario.stakeholders]
    facts_text = {fact: (info.description, info.true) for fact, info in facts.items()}
    debriefed = debrief(exercise, summary, path)
    taken = decisions(scenario, records, names)
    if status == "ended":
        # Only a run played to its end compares with forks played to the end (an early end or a ceiling would not).
        taken = with_alternatives(log, taken, debriefed, scenario)
    wanted = needs(scenario)
    facts_so_far = RunFacts(
        debrief=debriefed,
        log_name=path.name,
        verdict=log.verdict(),
        status=status,
        status_text=status_text,
        summary=scenario.summary.strip(),  # a YAML folded block ends with a line break
        learning_objectives=tuple(scenario.learning_objectives),
        threat=threat_text(scenario, records, summary.end_t, "log" if status == "interrupted" else "run"),
        organisations=organisations(scenario, records, {f for f, info in facts.items() if info.true}),
        handovers=handovers(records, names, facts_text, media),
        decisions=taken,
        awareness=tuple(
            replace(row, needed=(row.stakeholder, row.fact) in wanted)
            for row in awareness(stakeholders, keys, facts, records, names)
        ),
        false_reports=false_reports(facts, records, names),
        unit_waits=unit_waits(records, names, sites),
        strengths=(),
        improvements=(),
        core_capabilities=tuple((o.id, o.core_capability) for o in scenario.objectives),
        variant_description=next((v.description for v in exercise.base.variants if v.id == exercise.variant), None),
    )
    return run_findings(facts_so_far, scenario, records, log.header)


def replay(path: Path) -> Played:
    """Re-simulate the log at `path` as `tabletop replay --verify` does, keeping the records: to the point its
    `RunEnded` names and closed, or, for an interrupted log, until its last complete record has been made again.

    Raises:
        RunLogError: the file is not a run log of Tabletop, or was altered.
        ReplayError: its scenario copy is not a valid scenario.
        ReportError: the re-simulation differs from the log.
    """
    log = read_tabletop_log(path)
    scenario, _notes = scenario_of(log, embedded=True)
    replayed = replay_against(log, scenario, keep_records=True)
    exercise, summary = replayed.exercise, replayed.summary
    divergence = replayed.divergence.index if replayed.divergence is not None else None
    if divergence is None and replayed.checked < log.record_count:
        divergence = replayed.checked
    if divergence is None and exercise is not None and header_divergence(log, exercise.header) is not None:
        divergence = -1
    if exercise is None or divergence is not None:
        if exercise is not None and not exercise.finished:
            exercise.abandon()
        what = "its header" if divergence == -1 else f"record {divergence}"
        raise ReportError(
            f"{path}: the log does not re-simulate exactly ({what} differs)",
            f"check it with: tabletop replay {path} --verify",
        )
    if summary is None:
        exercise.abandon()  # an interrupted run stays as it was: nothing is written, no file is left open
        # The event of the log's last record may have made more records than the log holds: the report is of the
        # log, so the debrief (its timeline, decisions, notes) and the outcome so far stop at its last record.
        del exercise.records[log.record_count :]
        milestones = {str(r["milestone"]): float(r["t"]) for r in log.records if r["kind"] == "MilestoneReached"}
        summary = RunSummary(
            scenario.id,
            exercise.variant,
            exercise.seed,
            exercise.now,
            milestones,
            [rate(o, milestones, exercise.now, final=False) for o in exercise.scenario.objectives],
            round(exercise.world.harm_now(), 3),
            log.record_count,
            {str(r["decision"]): str(r["option"]) for r in log.records if r["kind"] == "DecisionTaken"},
        )
    return Played(log, exercise, summary, ended_with(log) is not None)


def _status(played: Played) -> tuple[RunStatus, str]:
    """How the run's log ends, and that in words."""
    log, exercise = played.log, played.exercise
    duration = float(log.header.get("duration_s", exercise.end_t))
    if not played.ended:
        last = log.last_record
        at = 0.0 if last is None else float(last["t"])
        return "interrupted", (
            f"interrupted at {t_plus(at)} (of {t_plus(duration)}): the log holds {log.record_count} records and no "
            "end of the run; what it holds is reported, and ratings not decided by then are pending"
        )
    stopped = next((r for r in log.records if r["kind"] == "RunStopped"), None)
    end = played.summary.end_t
    if stopped is not None:
        return "stopped", f"stopped by the engine's ceiling at {t_plus(float(stopped['t']))}: {stopped['reason']}"
    if end < duration:
        return "ended early", f"ended early by the facilitator at {t_plus(end)} (of {t_plus(duration)})"
    return "ended", f"played to its end at {t_plus(end)}"
