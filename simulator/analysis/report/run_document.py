"""The after-action report of one run as a document: the HSEEP sections, from the run's facts and plots."""

from __future__ import annotations

from collections.abc import Sequence

from simulator.analysis.report import plots
from simulator.analysis.report._sections import (
    MARKING,
    executive_summary,
    finding_text,
    handling_section,
    improvement_plan,
    organisations_appendix,
    overview_rows,
    slug,
    unbroken,
)
from simulator.analysis.report.model import (
    Block,
    Bullets,
    DecisionFacts,
    Figure,
    Paragraph,
    Report,
    RunFacts,
    Section,
    Table,
)
from simulator.exercise import tool_version
from simulator.formatting import DASH, minutes, signed

SLOWEST_HANDOVERS = 10
"""How many hand-overs the table of the slowest shows."""


def run_report(facts: RunFacts) -> Report:
    """The report of one run, in the HSEEP order of sections."""
    debrief = facts.debrief
    return Report(
        title=f"After-action report: {debrief.title}",
        subtitle=f"Run log {facts.log_name} (seed {debrief.seed}), {facts.verdict}",
        kind="run",
        marking=MARKING,
        sections=(
            handling_section(
                f"It reports one simulated run of the scenario {debrief.scenario}, not a real incident.",
                f"Made by Tabletop {tool_version()} from the run log {facts.log_name} ({facts.verdict}); the same "
                "log always gives the same report.",
            ),
            _overview(facts),
            executive_summary(_ratings_sentence(facts), facts.strengths, facts.improvements),
            _analysis(facts),
            _evidence(facts),
            _observations(facts),
            improvement_plan(facts.improvements),
            organisations_appendix(facts.organisations, first_learned=True),
        ),
        generator=f"Tabletop {tool_version()}",
    )


# --- the run's own sections ---------------------------------------------------------------------------------


def _overview(facts: RunFacts) -> Section:
    debrief = facts.debrief
    capabilities = _capabilities(facts)
    blocks: list[Block] = [
        overview_rows(
            (
                ("Exercise name", debrief.title),
                ("Scenario", debrief.scenario),
                ("Scenario date (T0)", f"{debrief.start.replace('T', ' ')} ({debrief.time_zone})"),
                (
                    "Variant",
                    "none (the base scenario)"
                    if debrief.variant is None
                    else f"{debrief.variant}: {facts.variant_description}"
                    if facts.variant_description
                    else debrief.variant,
                ),
                ("Seed", str(debrief.seed)),
                ("Run", facts.status_text),
                ("Participating organisations", f"{len(facts.organisations)} (Appendix B)"),
            )
        ),
        Paragraph(facts.summary),
        Paragraph("Learning objectives:"),
        Bullets(facts.learning_objectives),
        Paragraph("Threat or hazard:"),
        Bullets(facts.threat, "No threat: an information exercise."),
        Paragraph("Core capabilities:"),
        Bullets(tuple(capabilities)),
        Table(
            "Objectives",
            ("Objective", "Core capability", "Rated against"),
            tuple(
                (o.name, _capability_of(facts, o.objective), unbroken(o.thresholds) or DASH) for o in debrief.objectives
            ),
        ),
    ]
    return Section("overview", "Exercise overview", tuple(blocks))


def _analysis(facts: RunFacts) -> Section:
    debrief = facts.debrief
    findings = (*facts.strengths, *facts.improvements)
    subsections = []
    for capability in _capabilities(facts):
        blocks: list[Block] = []
        for objective in debrief.objectives:
            if _capability_of(facts, objective.objective) != capability:
                continue
            rating = objective.rating or "pending"
            if objective.measured_s is not None:
                shown = minutes(objective.measured_s)
            elif objective.rating is None:  # a run cut short: its milestones may still have come
                shown = f"not by the end of the log ({minutes(debrief.end_t)})"
            else:
                shown = objective.measured
            measured = shown if objective.note is None else f"{shown} ({objective.note})"
            blocks.append(
                Paragraph(
                    f"Objective: {objective.name}. Rating: {rating}. Measured: {measured}. "
                    f"Rated against: {unbroken(objective.thresholds) or DASH}."
                )
            )
            mine = [f for f in findings if f.objective == objective.objective]
            blocks.append(Paragraph("Strengths:"))
            blocks.append(Bullets(tuple(finding_text(f) for f in mine if f.kind == "strength")))
            blocks.append(Paragraph("Areas for improvement:"))
            blocks.append(Bullets(tuple(finding_text(f) for f in mine if f.kind == "improvement")))
        subsections.append(Section(slug("capability", capability), capability, tuple(blocks)))
    others = [f for f in findings if f.objective is None]
    subsections.append(
        Section(
            "other-findings",
            "Other findings",
            (
                Paragraph("Strengths:"),
                Bullets(tuple(finding_text(f) for f in others if f.kind == "strength")),
                Paragraph("Areas for improvement:"),
                Bullets(tuple(finding_text(f) for f in others if f.kind == "improvement")),
            ),
        )
    )
    intro = Paragraph(
        "Each objective with its rating (P: performed without challenges; S: with some challenges; M: with major "
        "challenges; U: unable to be performed; N/A: did not apply in this run) and the thresholds it was rated "
        "against, then the strengths and areas for improvement the run shows, with their root cause."
    )
    return Section("analysis", "Analysis of core capabilities", (intro,), tuple(subsections))


def _evidence(facts: RunFacts) -> Section:
    debrief = facts.debrief
    lanes = tuple((o.id, o.name) for o in facts.organisations)
    reached = tuple((m.name, m.t) for m in debrief.milestones if m.t is not None)
    timeline = Figure(
        "timeline",
        "Timeline of the run",
        "One row per organisation, minutes from T0 along the bottom: each arrow is a message from the sender's row "
        "to the receiver's, from when it was sent to when it was learned; the milestones are marked along the top.",
        plots.timeline_svg(reached, facts.handovers, lanes, debrief.end_t),
    )
    awareness = Figure(
        "awareness",
        "Who knew what, when",
        "One row per organisation: a mark at the moment it learned each key fact (hollow marks are false reports); "
        "an organisation that never learned a fact is marked at the right edge.",
        plots.awareness_svg(facts.awareness, debrief.end_t),
    )
    milestones = Table(
        "Milestones",
        ("Milestone", "Reached (T+)", "Local time"),
        tuple((m.name, m.t_plus or "not reached", m.clock) for m in debrief.milestones),
        (False, True, True),
    )
    slowest = sorted(
        (h for h in facts.handovers if h.delay_s is not None), key=lambda h: (-(h.delay_s or 0.0), h.sent_t)
    )[:SLOWEST_HANDOVERS]
    handovers = Table(
        "The slowest hand-overs between organisations",
        ("From", "To", "What", "Sent", "Learned", "Took", "Of which queued", "Failed attempts"),
        tuple(
            (
                h.sender_name,
                h.receiver_name,
                h.fact_text if h.true else f"{h.fact_text} (false report)",
                minutes(h.sent_t),
                minutes(h.learned_t),
                minutes(h.delay_s),
                minutes(h.queue_s) if h.queue_s else DASH,
                str(h.failed_attempts),
            )
            for h in slowest
        ),
        (False, False, False, True, True, True, True, True),
        "No message was learned from another organisation.",
    )
    undelivered = Bullets(
        tuple(
            f"{h.sender_name} → {h.receiver_name}: {h.fact_text} ({h.outcome}, sent {minutes(h.sent_t)})"
            for h in facts.handovers
            if h.outcome in ("lost", "undeliverable", "in transit")
        ),
        "Every message got through.",
    )
    return Section(
        "run",
        "What the run shows",
        (Paragraph(f"Times are minutes:seconds from T0 ({debrief.start.replace('T', ' ')}, {debrief.time_zone})."),),
        (
            Section("timeline", "Timeline", (timeline, milestones)),
            Section(
                "handovers",
                "Hand-overs between organisations",
                (handovers, Paragraph("Messages that did not get through:"), undelivered),
            ),
            Section("decisions", "Decisions", _decision_blocks(facts.decisions, facts.status)),
            Section("awareness", "Who knew what, when", (awareness, *_late_or_never(facts))),
            Section("false-reports", "False reports", (_false_reports(facts),)),
            Section("units", "Units that waited", (_unit_waits(facts),)),
        ),
    )


def _why_not_forked(status: str, any_taken: bool) -> str:
    if not any_taken:
        return "No decision was put to the participants."
    if status == "ended":
        return "No other option changed a milestone, a rating or the harm."
    return (
        f"The run {status.replace('interrupted', 'was interrupted').replace('stopped', 'was stopped')}: the other "
        + ("options are not played (they would play to the end, and would not compare).")
    )


def _decision_blocks(decisions: Sequence[DecisionFacts], status: str) -> tuple[Block, ...]:
    table = Table(
        "Decisions",
        ("Decision", "Put to", "Opened", "Taken", "Waited", "By", "Option"),
        tuple(
            (
                d.prompt,
                d.stakeholder_name,
                minutes(d.opened_t),
                minutes(d.taken_t) if d.taken_t is not None else "still open",
                minutes(d.waited_s),
                d.by or DASH,
                d.option_label or DASH,
            )
            for d in decisions
        ),
        (False, False, True, True, True, False, False),
        "No decision was put to the participants.",
    )
    lines = []
    for d in decisions:
        for alternative in d.alternatives:
            changes = [f"{m.name} {_shift(m.taken_t, m.alternative_t)}" for m in alternative.milestones] + [
                f"{r.name}: {r.taken or DASH} → {r.alternative or DASH}" for r in alternative.ratings
            ]
            if alternative.harm_delta:
                changes.append(f"harm {alternative.harm_delta:+.1f}")
            said = "; ".join(changes) if changes else "the same outcome"
            lines.append(f"{d.prompt} — '{alternative.label}' instead of '{d.option_label}': {said}.")
    return (
        table,
        Paragraph(
            "What the other options would have given (the run played again from the moment the decision opened, "
            "with the same seed):"
        ),
        Bullets(tuple(lines), _why_not_forked(status, bool(decisions))),
    )


def _late_or_never(facts: RunFacts) -> tuple[Block, ...]:
    first: dict[str, float] = {}
    for row in facts.awareness:
        if row.learned_t is not None:
            first[row.fact] = min(first.get(row.fact, row.learned_t), row.learned_t)
    rows = tuple(
        (
            _fact_text(row.fact_text, row.true),
            row.stakeholder_name,
            minutes(row.learned_t),
            signed(row.learned_t - first[row.fact]),
            row.source or DASH,
        )
        for row in facts.awareness
        if row.learned_t is not None
    )
    never: dict[str, list[str]] = {}
    for row in facts.awareness:
        if row.learned_t is None and row.needed:
            never.setdefault(_fact_text(row.fact_text, row.true), []).append(row.stakeholder_name)
    return (
        Table(
            "When each organisation learned each key fact",
            ("Fact", "Organisation", "Learned", "After the first", "From"),
            rows,
            (False, False, True, True, False),
            "No organisation learned a key fact.",
        ),
        Paragraph(
            f"Never learned, by the end of the {'log' if facts.status == 'interrupted' else 'run'}, by organisations "
            "that had to know it (a rule of theirs acts on it, or a milestone is about them learning it):"
        ),
        Bullets(
            tuple(f"{fact}: {', '.join(names)}" for fact, names in never.items()),
            "Every organisation learned what it had to know.",
        ),
    )


def _fact_text(text: str, true: bool) -> str:
    return text if true else f"{text} (false report)"


def _false_reports(facts: RunFacts) -> Bullets:
    lines = []
    for report in facts.false_reports:
        if not report.reached:
            lines.append(f"{report.fact_text}: reached nobody.")
            continue
        reached = ", ".join(f"{name} ({minutes(t)})" for name, t in report.reached)
        corrected = ", ".join(f"{name} ({minutes(t)})" for name, t in report.corrected) or "nobody"
        still = ", ".join(report.uncorrected) or "nobody"
        lines.append(
            f"{report.fact_text}: reached {len(report.reached)} organisations: {reached}. Corrected at: {corrected}. "
            f"Still held at the end by: {still}."
        )
    return Bullets(tuple(lines), "The scenario has no false reports.")


def _unit_waits(facts: RunFacts) -> Table:
    return Table(
        "Units that waited",
        ("Organisation", "Site", "Units", "From", "Waited", "Why"),
        tuple(
            (w.stakeholder_name, w.site_name, str(w.units), minutes(w.ordered_t), minutes(w.waited_s), w.why)
            for w in facts.unit_waits
        ),
        (False, False, True, True, True, False),
        "No unit waited: every dispatch left at once.",
    )


def _observations(facts: RunFacts) -> Section:
    objectives = {o.objective: o.name for o in facts.debrief.objectives}
    rows = tuple(
        (
            o.t_plus,
            o.seat,
            objectives.get(o.objective, o.objective) if o.objective else o.core_capability or DASH,
            o.text,
        )
        for o in facts.debrief.observations
    )
    return Section(
        "observations",
        "Evaluators' observations",
        (
            Table(
                "Observations noted during the run",
                ("When", "By", "Objective or capability", "Observation"),
                rows,
                empty="No observation was noted during the run.",
            ),
        ),
    )


# --- words --------------------------------------------------------------------------------------------------


def _ratings_sentence(facts: RunFacts) -> str:
    debrief = facts.debrief
    ratings = [o.rating or "pending" for o in debrief.objectives]
    counts = ", ".join(f"{ratings.count(r)} {r}" for r in ("P", "S", "M", "U", "N/A", "pending") if r in ratings)
    so_far = " so far (by the end of the log)" if facts.status == "interrupted" else ""
    harm = f"Harm{so_far}: {debrief.harm:.1f} {debrief.harm_unit}".replace(".)", ")") + "."
    # "played to its end", "ended early", "stopped" read after "The run"; "interrupted" needs its verb.
    run = (
        f"The run was {facts.status_text}"
        if facts.status in ("interrupted", "stopped")
        else f"The run {facts.status_text}"
    )
    return f"{run}. Of {len(ratings)} objectives: {counts or 'none'}. {harm}"


def _capabilities(facts: RunFacts) -> list[str]:
    return list(dict.fromkeys(_capability_of(facts, o.objective) for o in facts.debrief.objectives))


def _capability_of(facts: RunFacts, objective: str) -> str:
    return dict(facts.core_capabilities).get(objective, "Other")


def _shift(before: float | None, after: float | None) -> str:
    if before is None:
        return f"reached at {minutes(after)} (not reached in the run)"
    if after is None:
        return "not reached (it was in the run)"
    return f"{minutes(before)} → {minutes(after)} ({signed(after - before)})"
