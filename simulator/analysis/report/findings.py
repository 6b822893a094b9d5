"""The strengths and areas for improvement of one run, derived from its facts, each with its root cause in words.

The rules (a facilitator reads them as the report's "derived from the run"):

- An objective rated P is a strength (its margin under the P limit is its weight). One rated S is a strength with
  challenges when it took at most half of the band between the P and S limits, and an improvement when it only just
  made S (more than half); M, U, or never reached is an improvement. An improvement names the slowest step of the
  chain of messages to the objective's `until` milestone (`simulator.analysis.chains`) and the organisation it was
  spent at, which is its `responsible`.
- A decision whose alternative (the run forked where it opened) reaches an objective's milestone 60 s or more
  earlier, or rates it better, is an improvement of that objective (the first it improves). In a live run (some
  command in the log), a decision taken by `default` (nobody answered by its deadline) is an improvement too, folded
  into the decision's own when it has one; a headless run decides everything by default, so that is no finding.
- An organisation that never learned a key true fact it has a rule for (or a milestone is about), or learned it
  more than 10 minutes after the first organisation did, is an improvement. An organisation knows a fact from when
  it learned it or first sent it (its own rule or decision may write it). Responsible is an organisation with a
  channel to it that knew the fact before it learned it: the one it finally learned it from if that one did, else
  the first; none when nobody could have told it sooner.
- A false report that reached two organisations or more, or was never corrected somewhere, is an improvement.
- Units that waited 60 s or more for free units are an improvement of their organisation.
- The hand-overs of true facts that went through in under a minute, first time, to an organisation a milestone is
  about, are one strength.

Weights are seconds (lost for an improvement, of margin for a strength): the executive summary takes the first few.
Where no time was lost as such, a weight is a count in minutes: an organisation that never learned a fact it had to
know counts as 10 minutes late; a false report, a minute for each organisation it reached and 10 for each still
holding it uncorrected at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from scenarios import Scenario
from scenarios.exercise import Objective
from simulator.analysis.chains import message_chain
from simulator.analysis.report._run_flow_findings import (
    false_report_findings,
    fast_handovers,
    late_organisations,
    unit_wait_findings,
)
from simulator.analysis.report._run_steps import Decided, one_line, slowest, steps, trigger_text
from simulator.analysis.report.model import DecisionFacts, Finding, RunFacts
from simulator.debrief import ObjectiveRow
from simulator.formatting import minutes

Record = Mapping[str, Any]

COSTLY_S = 60.0
"""An alternative that reaches an objective's milestone this much earlier is worth an improvement."""


def run_findings(facts: RunFacts, scenario: Scenario, records: Sequence[Record], header: Mapping[str, Any]) -> RunFacts:
    """`facts` with its strengths and improvements derived (largest weight first, ties in the order found).

    Args:
        facts: the run's facts (their findings are replaced).
        scenario: the scenario played (its variant applied).
        records: the run's records, in log order.
        header: the run log's header (its scenario copy names the milestones the chains follow).
    """
    found: list[Finding] = []
    found += _objectives(facts, scenario, records, header)
    found += _decisions(facts, scenario, records)
    found += late_organisations(facts, scenario)
    found += false_report_findings(facts)
    found += unit_wait_findings(facts, scenario)
    found += fast_handovers(facts, scenario)
    strengths = tuple(sorted((f for f in found if f.kind == "strength"), key=lambda f: -f.weight))
    improvements = tuple(sorted((f for f in found if f.kind == "improvement"), key=lambda f: -f.weight))
    return replace(facts, strengths=strengths, improvements=improvements)


# --- objectives -------------------------------------------------------------------------------------------------------


def _objectives(
    facts: RunFacts, scenario: Scenario, records: Sequence[Record], header: Mapping[str, Any]
) -> list[Finding]:
    by_id = {o.id: o for o in scenario.objectives}
    reached = {row.milestone: row.t for row in facts.debrief.milestones if row.t is not None}
    names = {m.id: m.name for m in scenario.milestones}
    found = []
    for row in facts.debrief.objectives:
        objective = by_id.get(row.objective)
        if objective is None or row.rating in (None, "N/A"):
            continue  # pending (an interrupted run) or not applicable: nothing to say of it yet
        since_t = 0.0 if objective.since is None else reached.get(objective.since)
        title = f"{row.name}: {row.rating} ({_short(row, objective)})"
        limits = objective.thresholds
        # An S that only just made it is an improvement: the next run may well miss it.
        strength = row.rating == "P" or (row.rating == "S" and limits is not None and _comfortable(row, objective))
        cause, responsible = ("", None)
        if row.rating != "P":
            cause, responsible = _root_cause(scenario, objective, since_t, reached, names, facts, records, header)
        if strength:
            how = "without challenges" if row.rating == "P" else "with some challenges"
            found.append(
                Finding(
                    "strength",
                    title,
                    f"Performed {how}: {_measured(row)} against {row.thresholds}. {cause}".strip(),
                    objective.id,
                    objective.core_capability,
                    None,
                    _margin(row, objective),
                )
            )
            continue
        lost = _lost(row, objective, since_t, facts.debrief.end_t)
        found.append(
            Finding(
                "improvement",
                title,
                f"{_what_happened(row, objective, since_t, reached, names)} {cause}".strip(),
                objective.id,
                objective.core_capability,
                responsible,
                lost,
            )
        )
    return found


def _measured(row: ObjectiveRow) -> str:
    if row.measured_s is None:
        return f"never reached ({row.note})" if row.note else "never reached"
    return minutes(row.measured_s)


def _short(row: ObjectiveRow, objective: Objective) -> str:
    """The measured time against the P limit (`25:12, P ≤ 10:00`)."""
    limits = objective.thresholds
    return _measured(row) if limits is None else f"{_measured(row)}, P ≤ {minutes(limits.performed)}"


def _comfortable(row: ObjectiveRow, objective: Objective) -> bool:
    """Whether an S took at most half of the band between the P and S limits (else it only just made S)."""
    limits = objective.thresholds
    if limits is None or row.measured_s is None:
        return True
    return row.measured_s <= limits.performed + (limits.some_challenges - limits.performed) / 2


def _margin(row: ObjectiveRow, objective: Objective) -> float:
    limits = objective.thresholds
    if limits is None or row.measured_s is None:
        return 0.0
    limit = limits.performed if row.rating == "P" else limits.some_challenges
    return round(max(limit - row.measured_s, 0.0), 3)


def _lost(row: ObjectiveRow, objective: Objective, since_t: float | None, end_t: float) -> float:
    """Seconds over the P limit (for one never reached: from its start to the end of the run, over the limit)."""
    limit = 0.0 if objective.thresholds is None else objective.thresholds.performed
    if row.measured_s is not None:
        return round(max(row.measured_s - limit, 0.0), 3)
    if since_t is None:
        return 0.0
    return round(max(end_t - since_t - limit, 0.0), 3)


def _what_happened(
    row: ObjectiveRow,
    objective: Objective,
    since_t: float | None,
    reached: Mapping[str, float],
    names: Mapping[str, str],
) -> str:
    until = names.get(objective.until, objective.until)
    since = "T0" if objective.since is None else f"'{names.get(objective.since, objective.since)}'"
    until_t = reached.get(objective.until)
    if since_t is None:
        return f"{since} was never reached, so the objective could not be measured."
    if until_t is None:
        return f"'{until}' was never reached after {since} ({minutes(since_t)})."
    if row.note:
        return f"'{until}' came at {minutes(until_t)}: {row.note}."
    after = "" if objective.since is None else f" ({minutes(since_t)})"
    return f"'{until}' came at {minutes(until_t)}, {minutes(until_t - since_t)} after {since}{after}."


def _decided(facts: RunFacts, scenario: Scenario) -> list[Decided]:
    """The decisions taken, with the facts their option sends (a chain may start with one)."""
    options = {(d.id, o.id): o for d in scenario.decisions for o in d.options}
    found = []
    for d in facts.decisions:
        option = options.get((d.decision, d.option or ""))
        if option is None or d.taken_t is None:
            continue
        sends = frozenset(str(fact) for a in option.consequences if (fact := getattr(a, "fact", None)) is not None)
        found.append(Decided(d.stakeholder, d.prompt, d.option_label or "", d.by or "", d.opened_t, d.taken_t, sends))
    return found


def _acted_on(
    scenario: Scenario, records: Sequence[Record], fact_texts: Mapping[str, str]
) -> Callable[[str, str, float], tuple[str, float] | None]:
    """What made a stakeholder send a fact by a time: the last firing of one of its rules that sends it (the event
    that fired it, in words, and when), or else the last fact it learned before."""
    sending = {
        (s.id, getattr(action, "fact", None)): rule
        for s in scenario.stakeholders
        for rule in s.playbook
        for action in rule.do
    }
    rules = {(s.id, rule.id): rule for s in scenario.stakeholders for rule in s.playbook}

    def acted_on(stakeholder: str, fact: str, before_t: float) -> tuple[str, float] | None:
        fired = None
        learned = None
        for r in records:
            if float(r["t"]) > before_t:
                break
            if r["kind"] == "RuleFired" and r["stakeholder"] == stakeholder:
                rule = rules.get((stakeholder, str(r["rule"])))
                if rule is not None and any(getattr(a, "fact", None) == fact for a in rule.do):
                    fired = (rule, float(r["t"]))
            elif r["kind"] == "FactLearned" and r["stakeholder"] == stakeholder and float(r["t"]) < before_t:
                learned = (str(r["fact"]), float(r["t"]))
        if fired is not None:
            on = fired[0].on
            if on.event == "fact_learned" and on.fact is not None:
                return f"learning '{fact_texts.get(on.fact, on.fact)}'", fired[1]
            return trigger_text(on, scenario), fired[1]
        if learned is not None and (stakeholder, fact) not in sending:
            return f"learning '{fact_texts.get(learned[0], learned[0])}'", learned[1]
        return None

    return acted_on


def _root_cause(
    scenario: Scenario,
    objective: Objective,
    since_t: float | None,
    reached: Mapping[str, float],
    milestone_names: Mapping[str, str],
    facts: RunFacts,
    records: Sequence[Record],
    header: Mapping[str, Any],
) -> tuple[str, str | None]:
    """The slowest step on the way to the objective's `until` milestone in words, and who it was spent at."""
    until_t = reached.get(objective.until)
    if until_t is None or since_t is None or until_t < since_t:
        return "", None  # nothing was measured: there is no time to explain
    names = {o.id: o.name for o in facts.organisations}
    fact_texts = {h.fact: h.fact_text for h in facts.handovers} | {a.fact: a.fact_text for a in facts.awareness}
    chain = message_chain(records, objective.until, header)
    until = milestone_names.get(objective.until, objective.until)

    acted_on = _acted_on(scenario, records, fact_texts)
    found = steps(chain, until_t, until, names, fact_texts, _decided(facts, scenario), acted_on)
    step = slowest(found, since_t)
    if step is None:
        reason = f" ({chain.reason})" if chain.reason else ""
        return f"No message or action after {minutes(since_t)} explains the time{reason}.", None
    text = f"The slowest step: {step.text}."
    measured = until_t - since_t
    start = min(s.start_t for s in found)
    if step.counted_s(since_t) < measured / 2 and start - since_t > step.counted_s(since_t):
        # Most of the time passed before the first message of the chain: say so, or the slowest step misleads.
        origin = chain.links[0] if chain.links else None
        began = (
            f" ({names.get(origin.receiver, origin.receiver)} learning it from {origin.origin})"
            if origin is not None and origin.origin is not None
            else ""
        )
        text += (
            f" The chain of messages to it starts only at {minutes(start)}{began}: "
            f"{minutes(start - since_t)} of the {minutes(measured)} passed before it."
        )
    return text, names.get(step.responsible, step.responsible)


# --- decisions --------------------------------------------------------------------------------------------------------


def _decisions(facts: RunFacts, scenario: Scenario, records: Sequence[Record]) -> list[Finding]:
    # A headless run (nobody played a seat: no command in the log) decides everything by default: that is how it
    # plays, not time lost waiting for someone, so only what the options themselves changed is a finding.
    live = any(r["kind"] == "CommandApplied" for r in records)
    objectives = {o.until: o for o in scenario.objectives}
    found: list[Finding] = []
    for decision in facts.decisions:
        defaulted = live and decision.by == "default" and decision.taken_t is not None
        costly = _costly(decision, objectives, scenario, facts.debrief.end_t)
        if defaulted and costly:
            # One cause, one improvement: the unanswered wait goes into the option's finding.
            costly = [
                replace(
                    f,
                    analysis=f"{f.analysis} {_unanswered(decision)}.",
                    weight=round(f.weight + decision.deadline_s, 3),
                )
                for f in costly
            ]
        elif defaulted:
            found.append(
                Finding(
                    "improvement",
                    f"Nobody at {decision.stakeholder_name} answered '{one_line(decision.prompt)}' in time",
                    f"{_unanswered(decision)}, and the time waiting for an answer was lost.",
                    responsible=decision.stakeholder_name,
                    weight=decision.deadline_s,
                )
            )
        found += costly
    return found


def _unanswered(decision: DecisionFacts) -> str:
    return (
        f"The decision opened at {minutes(decision.opened_t)} and nobody answered within its "
        f"{minutes(decision.deadline_s)}: the default '{decision.option_label}' was applied at "
        f"{minutes(decision.taken_t)}"
    )


def _costly(
    decision: DecisionFacts, objectives: Mapping[str, Objective], scenario: Scenario, end_t: float
) -> list[Finding]:
    """An improvement for each other option that reaches an objective's milestone a minute or more earlier.

    The fork takes the other option at once when the decision opened, while the run took its option when it was
    answered: the time the answer took is left out of the gain (it is the default's finding, when nobody answered),
    so that only what the option itself changed counts; a better rating counts alone only when it was answered at
    once.
    """
    waited = decision.waited_s or 0.0
    found = []
    for alternative in decision.alternatives:
        gains = []
        for shift in alternative.milestones:
            if shift.milestone not in objectives or shift.alternative_t is None:
                continue
            gain = round((end_t if shift.taken_t is None else shift.taken_t) - shift.alternative_t - waited, 3)
            if gain >= COSTLY_S:
                gains.append((shift, gain))
        better = [r for r in alternative.ratings if _better(r.alternative, r.taken)]
        if not gains and not (better and waited == 0):
            continue
        label, chosen, prompt = alternative.label, decision.option_label, one_line(decision.prompt)
        parts = [
            f"'{shift.name}' at {minutes(shift.alternative_t)} instead of "
            + ("never" if shift.taken_t is None else minutes(shift.taken_t))
            for shift, _ in gains
        ] + [f"'{r.name}' rated {r.alternative} instead of {r.taken}" for r in better]
        wait = (
            f" Leaving out the {minutes(waited)} the answer took, the option itself cost "
            + ", ".join(f"{minutes(gain)} for '{shift.name}'" for shift, gain in gains)
            + "."
            if waited and gains
            else ""
        )
        # The objective it changes most: the first (in the scenario's order) whose milestone or rating it improves.
        sooner = {shift.milestone for shift, _ in gains}
        rated = {r.objective for r in better}
        concerned = next((o for o in scenario.objectives if o.until in sooner or o.id in rated), None)
        if gains:
            shift, gain = gains[0]
            title = f"Choosing '{chosen}' over '{label}' delayed '{shift.name}' by {minutes(gain)}"
        else:
            title = f"Choosing '{chosen}' over '{label}' cost a better rating"
        found.append(
            Finding(
                "improvement",
                title,
                f"{decision.stakeholder_name} chose '{chosen}' ({decision.by}, {minutes(decision.taken_t)}) for "
                f"'{prompt}'. The same run with '{label}' chosen when it opened ({minutes(decision.opened_t)}) gives "
                + "; ".join(parts)
                + f".{wait}",
                None if concerned is None else concerned.id,
                None if concerned is None else concerned.core_capability,
                responsible=decision.stakeholder_name,
                weight=max((gain for _, gain in gains), default=0.0),
            )
        )
    return found


_ORDER = {"P": 0, "S": 1, "M": 2, "U": 3}


def _better(alternative: str | None, taken: str | None) -> bool:
    return alternative in _ORDER and taken in _ORDER and _ORDER[str(alternative)] < _ORDER[str(taken)]
