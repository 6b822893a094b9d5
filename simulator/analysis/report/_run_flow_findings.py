"""Findings about how information and units flowed in a run: late or uninformed organisations, false reports that
spread, units that waited, and the fast hand-overs (the rules are in `findings`)."""

from __future__ import annotations

from scenarios import Scenario
from scenarios.playbook import Dispatch
from simulator.analysis.report._run_steps import by_medium, one_line, trigger_text
from simulator.analysis.report.model import Awareness, Finding, RunFacts, UnitWait
from simulator.formatting import minutes

LATE_S = 600.0
"""An organisation that learned a key fact this long after the first one did learned it late."""
FAST_S = 60.0
"""A hand-over quicker than this, first time, is fast."""
WAITED_S = 60.0
"""A wait for free units this long is worth an improvement."""
STAGED_S = 300.0
"""A wait at a rendezvous this long is worth an improvement (crews staged near a site while casualties wait)."""
FAST_LISTED = 5
"""How many fast hand-overs the strength names (the fastest first)."""


def needs(scenario: Scenario) -> set[tuple[str, str]]:
    """The (organisation, fact) pairs where the organisation has to know the fact: it has a rule on learning it, or a
    milestone is about it learning it."""
    pairs = {
        (s.id, rule.on.fact)
        for s in scenario.stakeholders
        for rule in s.playbook
        if rule.on.event == "fact_learned" and rule.on.fact is not None
    }
    pairs |= {
        (m.when.stakeholder, m.when.fact)
        for m in scenario.milestones
        if m.when is not None and m.when.event == "fact_learned" and m.when.fact and m.when.stakeholder
    }
    return pairs


def milestone_organisations(scenario: Scenario) -> set[str]:
    """The organisations some milestone is about (it learns a fact, or its units or actions reach it)."""
    return {m.when.stakeholder for m in scenario.milestones if m.when is not None and m.when.stakeholder is not None}


def knew_from(facts: RunFacts) -> dict[tuple[str, str], float]:
    """When each (organisation, fact) was first known: learned, or sent by the organisation itself (a rule or a
    decision of its own may send a fact it never "learned": it wrote it, so it knew it from then)."""
    knew: dict[tuple[str, str], float] = {}
    for row in facts.awareness:
        if row.learned_t is not None:
            knew[(row.stakeholder, row.fact)] = row.learned_t
    for h in facts.handovers:
        pair = (h.sender, h.fact)
        if h.sent_t < knew.get(pair, float("inf")):
            knew[pair] = h.sent_t
    return knew


def late_organisations(facts: RunFacts, scenario: Scenario) -> list[Finding]:
    """An improvement per organisation that never learned a true fact it has to know, or learned it late."""
    wanted = needs(scenario)
    by_fact: dict[str, list[Awareness]] = {}
    for row in facts.awareness:
        by_fact.setdefault(row.fact, []).append(row)
    channels = {(c.from_, c.to) for c in scenario.channels if c.enabled}
    names = {o.id: o.name for o in facts.organisations}
    knew = knew_from(facts)
    found = []
    for fact, rows in by_fact.items():
        knowers = sorted(
            ((t, who) for (who, f), t in knew.items() if f == fact), key=lambda k: (k[0], _order(facts, k[1]))
        )
        if not rows[0].true or not knowers:
            continue
        first_t, first = knowers[0]
        for row in rows:
            if (row.stakeholder, fact) not in wanted or row.stakeholder == first:
                continue
            late = None if row.learned_t is None else row.learned_t - first_t
            if late is not None and late <= LATE_S:
                continue
            # Only one that knew it before the late one learned it could have told it sooner.
            before = [
                (t, who)
                for t, who in knowers
                if who != row.stakeholder and (row.learned_t is None or t < row.learned_t)
            ]
            tellers = [(t, who) for t, who in before if (who, row.stakeholder) in channels]
            source = next(((t, who) for t, who in tellers if names.get(who) == row.source), None)
            teller = source or (tellers[0] if tellers else None)
            of = "log" if facts.status == "interrupted" else "run"
            # Never learning it counts as learning it LATE_S late: the time it would have mattered is not known.
            lost = LATE_S if late is None else late
            when = (
                f"never learned it by the end of the {of} ({minutes(facts.debrief.end_t)})"
                if late is None
                else f"learned it only at {minutes(row.learned_t)} (from {row.source}), {minutes(late)} after"
            )
            told = _who_should_have_told(facts, teller, first, bool(before), row, names)
            title = (
                f"{row.stakeholder_name} never learned '{row.fact_text}'"
                if late is None
                else f"{row.stakeholder_name} learned '{row.fact_text}' {minutes(late)} late"
            )
            found.append(
                Finding(
                    "improvement",
                    title,
                    f"{names.get(first, first)} knew it first, at {minutes(first_t)}; "
                    + f"{row.stakeholder_name} {when}."
                    + told,
                    responsible=None if teller is None else names.get(teller[1], teller[1]),
                    weight=round(lost, 3),
                )
            )
    return found


def _order(facts: RunFacts, stakeholder: str) -> int:
    """An organisation's place in the scenario (ties of time in a stable order)."""
    ids = [o.id for o in facts.organisations]
    return ids.index(stakeholder) if stakeholder in ids else len(ids)


def _who_should_have_told(
    facts: RunFacts,
    teller: tuple[float, str] | None,
    first: str,
    anyone_before: bool,
    row: Awareness,
    names: dict[str, str],
) -> str:
    """Who could have told the late organisation, and what became of its message, in words."""
    if teller is None:
        if not anyone_before:
            return " No other organisation knew it before then."
        earlier = "" if row.learned_t is None else " before then"
        return f" No organisation that knew it{earlier} has a channel to it."
    knew_t, who = teller
    name = names.get(who, who)
    knew = "" if who == first else f" knew it from {minutes(knew_t)} and"
    said = f" {name}{knew} has a channel to it"
    sent = next(
        (h for h in facts.handovers if h.sender == who and h.receiver == row.stakeholder and h.fact == row.fact),
        None,
    )
    if sent is None:
        return f"{said}, but sent it nothing."
    how = by_medium(sent.medium or sent.channel or "no channel")
    failed = f", after {sent.failed_attempts} failed attempt(s)" if sent.failed_attempts else ""
    if sent.learned_t is None:
        if sent.outcome == "already known":
            ended = f"arrived when {row.stakeholder_name} knew it already"
        else:
            ended = {
                "lost": "was lost",
                "undeliverable": "could not be sent",
                "in transit": "was still on its way",
            }.get(sent.outcome, f"ended {sent.outcome}")
        return f"{said}: its message of {minutes(sent.sent_t)} {how} {ended}{failed}."
    through = minutes(sent.learned_t)
    return f"{said}: its message went at {minutes(sent.sent_t)} {how} and got through at {through}{failed}."


def false_report_findings(facts: RunFacts) -> list[Finding]:
    """An improvement per false report that reached two organisations or more, or was never corrected somewhere."""
    found = []
    for report in facts.false_reports:
        if len(report.reached) < 2 and not report.uncorrected:
            continue
        spread = [h for h in facts.handovers if h.fact == report.fact and h.learned_t is not None]
        first_passer = spread[0].sender_name if spread else None
        reached = ", ".join(f"{name} ({minutes(t)})" for name, t in report.reached)
        passed = (
            " Passed on by " + ", ".join(f"{h.sender_name} to {h.receiver_name}" for h in spread) + "."
            if spread
            else ""
        )
        if report.uncorrected:
            end = (
                f"by the end of the log ({minutes(facts.debrief.end_t)})"
                if facts.status == "interrupted"
                else "to the end of the run"
            )
            held = f" Nobody corrected it at {', '.join(report.uncorrected)}: they held it {end}."
        else:
            held = " Every organisation that held it learned its correction."
        corrected = (
            " Corrected at " + ", ".join(f"{name} ({minutes(t)})" for name, t in report.corrected) + "."
            if report.corrected
            else ""
        )
        how_far = f"reached {len(report.reached)} organisation(s)"
        title = f"False report '{report.fact_text}' {how_far}" + (
            " and was never corrected" if report.uncorrected and not report.corrected else ""
        )
        # A minute for each organisation it reached, and LATE_S for each that held it uncorrected.
        held_s = 60.0 * len(report.reached) + LATE_S * len(report.uncorrected)
        found.append(
            Finding(
                "improvement",
                title,
                f"It reached {reached}.{passed}{corrected}{held}",
                responsible=first_passer,
                weight=round(held_s, 3),
            )
        )
    return found


def unit_wait_findings(facts: RunFacts, scenario: Scenario) -> list[Finding]:
    """An improvement per dispatch whose units waited a minute or more for free units, and per group of units that
    waited five minutes or more at a rendezvous before being cleared to go in (with what they waited for)."""
    return [
        Finding(
            "improvement",
            f"{wait.stakeholder_name} had no free units for {wait.site_name} for {minutes(wait.waited_s)}",
            f"{wait.units} unit(s) were ordered to {wait.site_name} at {minutes(wait.ordered_t)} but left only at "
            f"{minutes(wait.ordered_t + wait.waited_s)}: {wait.stakeholder_name} did not have that many units free "
            "(the others were taking calls, on other work or already sent) until then.",
            responsible=wait.stakeholder_name,
            weight=wait.waited_s,
        )
        for wait in facts.unit_waits
        if wait.why == "no free units" and wait.waited_s >= WAITED_S
    ] + [
        Finding(
            "improvement",
            f"{wait.stakeholder_name} waited {minutes(wait.waited_s)} at the rendezvous near {wait.site_name}",
            f"{wait.units} unit(s) reached the rendezvous near {wait.site_name} at {minutes(wait.ordered_t)} and were "
            f"cleared to go in only at {minutes(wait.ordered_t + wait.waited_s)}, "
            f"{_staged_until(facts, scenario, wait)}. "
            "Check who decides that, and how fast it reaches the crews waiting.",
            responsible=wait.stakeholder_name,
            weight=wait.waited_s,
        )
        for wait in facts.unit_waits
        if wait.why == "staged" and wait.waited_s >= STAGED_S
    ]


def _staged_until(facts: RunFacts, scenario: Scenario, wait: UnitWait) -> str:
    """What staged units waited for, in words that follow their clearing time: `when 'The police declare the
    synagogue safe.' reached Ambulance service (from Police control room)`."""
    stages = {
        stage_of.until
        for stakeholder, action in _actions(scenario)
        if isinstance(action, Dispatch)
        and (stage_of := action.stage) is not None
        and (action.stakeholder or stakeholder) == wait.stakeholder
        and action.site in (None, wait.site)
    }
    if len(stages) != 1:
        return "when the condition of their stage came"  # none or several dispatches could be theirs: say no more
    [until] = stages
    if until.event != "fact_learned" or until.fact is None:
        whose = f"{wait.stakeholder_name}'s"
        return f"when {trigger_text(until, scenario, whose)}"
    who = until.stakeholder or wait.stakeholder
    cleared_t = wait.ordered_t + wait.waited_s
    row = next((a for a in facts.awareness if a.stakeholder == who and a.fact == until.fact), None)
    text = one_line(
        row.fact_text
        if row is not None
        else next((f.description for f in scenario.facts if f.id == until.fact), until.fact)
    )
    name = next((o.name for o in facts.organisations if o.id == who), who)
    if row is None or row.learned_t is None or row.learned_t > cleared_t:
        return f"when their stage's condition came (waiting for '{text}' to reach {name})"
    source = f" (from {row.source})" if row.source else ""
    return f"when '{text}' reached {name}{source} at {minutes(row.learned_t)}"


def _actions(scenario: Scenario) -> list[tuple[str, object]]:
    """Every action of the scenario with the stakeholder it belongs to (a rule's, or a decision's)."""
    found: list[tuple[str, object]] = [(s.id, a) for s in scenario.stakeholders for rule in s.playbook for a in rule.do]
    found += [(d.stakeholder, a) for d in scenario.decisions for o in d.options for a in o.consequences]
    return found


def fast_handovers(facts: RunFacts, scenario: Scenario) -> list[Finding]:
    """One strength naming the hand-overs of true facts that went through in under a minute, first time, to an
    organisation a milestone is about (none when there is none)."""
    about = milestone_organisations(scenario)
    fast = [
        h
        for h in facts.handovers
        if h.true
        and h.delay_s is not None
        and h.delay_s < FAST_S
        and h.failed_attempts == 0
        and h.receiver in about
        and h.outcome == "learned"
    ]
    if not fast:
        return []
    fastest = sorted(fast, key=lambda h: (h.delay_s or 0.0, h.sent_t))[:FAST_LISTED]
    listed = "; ".join(
        f"{h.sender_name} → {h.receiver_name} {by_medium(h.medium or h.channel or '')}: '{h.fact_text}' in "
        f"{minutes(h.delay_s)} ({minutes(h.sent_t)} to {minutes(h.learned_t)})"
        for h in fastest
    )
    more = f" ({len(fast) - len(fastest)} more)" if len(fast) > len(fastest) else ""
    return [
        Finding(
            "strength",
            f"Fast hand-overs: {len(fast)} message(s) got through first time in under a minute",
            f"{listed}{more}.",
            weight=round(sum(FAST_S - (h.delay_s or 0.0) for h in fast) / len(fast), 3),
        )
    ]
