"""The facts of one run for its report: a drill whose every time is computed by hand, messages given up, rerouted
or fallen back, names with markup, and the bundled synagogue attack end to end."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from scenarios import Scenario, load_scenario
from simulator import Exercise
from simulator.analysis.report.model import (
    Alternative,
    DecisionFacts,
    FalseReport,
    Handover,
    MilestoneShift,
    RatingShift,
    UnitWait,
)
from simulator.analysis.report.run_facts import run_facts
from tests.simulator.scenario_factory import (
    channel,
    decision,
    dispatch,
    inject,
    lock_down,
    milestone,
    notify,
    objective,
    option,
    request_decision,
    rule,
    scenario,
    site,
    stakeholder,
)


def drill(name: str = "Guard") -> Scenario:
    """An alarm relayed to the police, a rumour that spreads, units that wait; every time fixed.

    - 01:00 inject: the guard learns the alarm. It radios control (30 s: arrives 01:30, control's one call taker takes
      it at once, 20 s: control knows at 01:50), cannot reach the police (no channel: undeliverable), and radios the
      patrols (no latency: arrives 01:00; their call taker, one of their two units, takes 2 min: they know at 03:00).
    - 01:50 control phones the police: the phone always fails (01:55) and falls back to the mobile (10 s): the police
      know at 02:05 and are asked whether to lock down (deadline 1 min): nobody answers, the default locks down at
      03:05, done at 04:05 (1 min).
    - 01:30 the patrols are ordered to the site with both units, but one is taking the guard's call until 03:00:
      they leave at 03:00 (waited 01:30) and arrive at 04:00 (1 min).
    - 05:00 injects: the guard and a caller hear a rumour (a false report). The guard radios control (arrives 05:30,
      known 05:50); the caller phones control (35 s: arrives 05:35, waits 15 s for the call taker, taken 05:50, and at
      06:10 control knows it already). Control passes it to the police by mobile (05:50, known 06:00).
    - 08:00 inject: the guard learns the all-clear, which corrects the rumour; nobody else ever does (the police have a
      rule for it, and no channel from the guard).
    """
    return scenario(
        duration="15m",
        facts=[
            {"id": "alarm", "description": "An alarm at the headquarters."},
            {"id": "rumour", "description": "A second alarm downtown.", "false_report": True},
            {"id": "all-clear", "description": "Only one alarm.", "corrects": ["rumour"]},
        ],
        sites=[site("hq", lockdown={"duration": "1m"})],
        stakeholders=[
            stakeholder(
                "guard",
                rule(
                    "relay",
                    "alarm",
                    notify("control", "alarm", via="radio"),
                    notify("police", "alarm"),
                    notify("patrols", "alarm", via="patrol-radio"),
                ),
                rule("gossip", "rumour", notify("control", "rumour", via="radio")),
                name=name,
            ),
            stakeholder("caller", rule("ring", "rumour", notify("control", "rumour", via="caller-phone"))),
            stakeholder(
                "control",
                rule("call", "alarm", notify("police", "alarm", via="phone")),
                rule("pass", "rumour", notify("police", "rumour", via="mobile")),
                intake_time="20s",
            ),
            stakeholder(
                "police",
                rule("decide", "alarm", request_decision("lock")),
                rule("stand-down", "all-clear", lock_down("hq")),
            ),
            stakeholder(
                "patrols",
                rule("go", {"event": "start"}, dispatch("hq", 2, after="1m30s")),
                units=2,
                intake_time="2m",
                travel={"hq": "1m"},
            ),
        ],
        channels=[
            channel("radio", "guard", "control", medium="radio", latency="30s"),
            channel("patrol-radio", "guard", "patrols", medium="radio"),
            channel("caller-phone", "caller", "control", latency="35s"),
            channel(
                "phone",
                "control",
                "police",
                latency="5s",
                failure_probability=1.0,
                on_failure={"then": "fallback", "fallback": "mobile"},
            ),
            channel("mobile", "control", "police", medium="messaging", latency="10s"),
        ],
        injects=[
            inject("inj-01", "guard", at="1m", fact="alarm"),
            inject("inj-02", "guard", at="5m", fact="rumour"),
            inject("inj-03", "caller", at="5m", fact="rumour"),
            inject("inj-04", "guard", at="8m", fact="all-clear"),
        ],
        decisions=[
            decision(
                "lock", "police", option("lock-now", lock_down("hq")), option("wait"), deadline="1m", default="lock-now"
            )
        ],
        milestones=[
            milestone("control-knows", when={"fact": "alarm", "stakeholder": "control"}),
            milestone("police-know", when={"fact": "alarm", "stakeholder": "police"}),
            milestone("locked", when={"event": "lockdown_complete", "site": "hq"}),
            milestone("patrols-there", when={"event": "units_arrived", "stakeholder": "patrols", "site": "hq"}),
        ],
        objectives=[
            objective("warn-police", "police-know", "1m", "2m", "3m"),
            objective("lock-fast", "locked", "2m", "3m", "5m"),
            objective("patrols-fast", "patrols-there", "5m", "6m", "7m"),
        ],
    )


@pytest.fixture(scope="module")
def drill_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "drill.jsonl"
    Exercise(drill(), 0, log=path).run()
    return path


def test_each_hand_over_is_one_line_from_its_first_attempt_to_the_receiver_learning_it(drill_log: Path) -> None:
    def handover(sender: str, receiver: str, fact: str, **fields: object) -> Handover:
        text, true = {"alarm": ("An alarm at the headquarters.", True), "rumour": ("A second alarm downtown.", False)}[
            fact
        ]
        values: dict[str, object] = {
            "sender_name": sender.title(),
            "receiver_name": receiver.title(),
            "fact_text": text,
            "true": true,
            "failed_attempts": 0,
            "queue_s": 0.0,
            "outcome": "learned",
        }
        values.update(fields)
        return Handover(sender=sender, receiver=receiver, fact=fact, **values)  # type: ignore[arg-type]

    assert run_facts(drill_log).handovers == (
        handover("guard", "control", "alarm", channel="radio", medium="radio", sent_t=60.0, learned_t=110.0),
        handover(
            "guard", "police", "alarm", channel=None, medium=None, sent_t=60.0, learned_t=None, outcome="undeliverable"
        ),
        handover("guard", "patrols", "alarm", channel="patrol-radio", medium="radio", sent_t=60.0, learned_t=180.0),
        # The phone failed at 01:55 and the mobile it fell back to got through: from the first attempt, 01:50.
        handover(
            "control",
            "police",
            "alarm",
            channel="mobile",
            medium="messaging",
            sent_t=110.0,
            learned_t=125.0,
            failed_attempts=1,
            fell_back=True,
        ),
        handover("guard", "control", "rumour", channel="radio", medium="radio", sent_t=300.0, learned_t=350.0),
        # The caller's call waited 15 s for control's one call taker, and control knew the rumour by then.
        handover(
            "caller",
            "control",
            "rumour",
            channel="caller-phone",
            medium="phone",
            sent_t=300.0,
            learned_t=None,
            queue_s=15.0,
            outcome="already known",
        ),
        handover("control", "police", "rumour", channel="mobile", medium="messaging", sent_t=350.0, learned_t=360.0),
    )


def test_the_decision_nobody_answered_is_taken_by_default_at_its_deadline(drill_log: Path) -> None:
    facts = run_facts(drill_log)

    assert [replace(d, alternatives=()) for d in facts.decisions] == [
        DecisionFacts(
            "lock", "Decide lock.", "police", "Police", 125.0, 60.0, 185.0, "lock-now", "Lock-Now", "default"
        ),
    ]
    assert facts.decisions[0].waited_s == 60.0


def test_units_that_waited_for_a_busy_call_taker_are_listed_from_their_order(drill_log: Path) -> None:
    assert run_facts(drill_log).unit_waits == (
        UnitWait("patrols", "Patrols", "hq", "Hq", 2, 90.0, 90.0, "no free units"),
    )


def test_a_false_report_lists_whom_it_reached_who_learned_its_correction_and_who_still_holds_it(
    drill_log: Path,
) -> None:
    assert run_facts(drill_log).false_reports == (
        FalseReport(
            "rumour",
            "A second alarm downtown.",
            300.0,
            (("Guard", 300.0), ("Caller", 300.0), ("Control", 350.0), ("Police", 360.0)),
            (("Guard", 480.0),),
            ("Caller", "Control", "Police"),
        ),
    )


def test_awareness_has_a_row_per_organisation_and_key_fact_in_the_order_first_learned(drill_log: Path) -> None:
    facts = run_facts(drill_log)

    assert [(a.stakeholder, a.fact) for a in facts.awareness] == [
        (who, fact)
        for who in ("guard", "caller", "control", "police", "patrols")
        for fact in ("alarm", "rumour", "all-clear")
    ]
    police = {a.fact: a for a in facts.awareness if a.stakeholder == "police"}
    assert (police["alarm"].learned_t, police["alarm"].source, police["alarm"].true) == (125.0, "Control", True)
    assert (police["rumour"].learned_t, police["rumour"].true, police["rumour"].corrected_t) == (360.0, False, None)
    assert police["all-clear"].learned_t is None and police["all-clear"].source is None
    guard = {a.fact: a for a in facts.awareness if a.stakeholder == "guard"}
    assert (guard["rumour"].source, guard["rumour"].corrected_t) == ("inject inj-02", 480.0)


def test_organisations_are_the_scenario_s_with_when_each_first_learned_a_true_fact(drill_log: Path) -> None:
    facts = run_facts(drill_log)

    assert [(o.id, o.first_learned_t, o.decisions) for o in facts.organisations] == [
        ("guard", 60.0, ()),
        ("caller", None, ()),  # it only ever heard the rumour
        ("control", 110.0, ()),
        ("police", 125.0, ("lock",)),
        ("patrols", 180.0, ()),
    ]


def test_a_run_played_to_its_end_says_so_and_carries_its_debrief(drill_log: Path) -> None:
    facts = run_facts(drill_log)

    assert (facts.status, facts.status_text) == ("ended", "played to its end at T+00:15:00")
    assert facts.verdict == "sealed and intact: 55 records"
    assert facts.log_name == "drill.jsonl"
    assert facts.threat == ()
    assert [(o.objective, o.rating) for o in facts.debrief.objectives] == [
        ("warn-police", "M"),
        ("lock-fast", "M"),
        ("patrols-fast", "P"),
    ]


def test_names_with_markup_are_kept_as_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "markup.jsonl"
    Exercise(drill(name="<script>alert(1)</script>"), 0, log=path).run()

    facts = run_facts(path)

    assert facts.handovers[0].sender_name == "<script>alert(1)</script>"
    assert facts.organisations[0].name == "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def synagogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "synagogue.jsonl"
    Exercise(load_scenario("synagogue-holiday-attack"), 0, log=path).run()
    return path


def test_the_bundled_synagogue_attack_gives_its_facts_end_to_end(synagogue: Path) -> None:
    facts = run_facts(synagogue)

    assert facts.status == "ended"
    assert facts.organisations[0].name == "Community security team"
    assert len(facts.organisations) == 14
    # The police told the crisis cell of the major incident by liaison officer: ten minutes on the way.
    liaison = next(h for h in facts.handovers if h.channel == "pcr-liaison-cell")
    assert (liaison.sent_t, liaison.learned_t, liaison.medium) == (817.871, 1417.871, "liaison")
    assert [(d.decision, d.by) for d in facts.decisions] == [
        ("lockdown-or-evacuate", "default"),
        ("patrols-in-or-wait", "default"),
        ("warn-other-sites", "default"),
    ]
    assert facts.false_reports[0].uncorrected == ("City crisis cell", "Police control room (110)")
    # The log: the approach ends at 286.366 s, the flight runs 1286.651 to 2865.062 s, then ThreatEnded "escaped".
    assert facts.threat[0] == "approach at Synagogue, Humboldtstrasse: 4m to 7m (00:00 to 04:46 in this run)"
    assert (
        facts.threat[4] == "flight: median 45m, 9 in 10 under 1h30m (21:26 to 47:45 in this run); the attacker escapes"
    )
    # The exchange of fire never came: what it would lead to is not said, only that it was not reached.
    assert facts.threat[5] == (
        "exchange-of-fire (exchange of fire) at Cafe on Ludwig-Wucherer-Strasse: 1m to 5m (not reached in this run)"
    )
    assert facts.threat[6] == "Outcome: the attacker escaped at 47:45 (harm 106.1)"
    declared = next(a for a in facts.awareness if a.stakeholder == "police-control-110" and a.fact == "major-incident")
    assert (declared.learned_t, declared.source) == (697.871, "its own declaration")


def test_a_threat_stopped_during_a_phase_gives_its_actual_start_and_end_and_who_stopped_it(tmp_path: Path) -> None:
    path = tmp_path / "stopped.jsonl"
    Exercise(load_scenario("synagogue-holiday-attack"), 2, log=path).run()

    facts = run_facts(path)

    # Seed 2's log: the attack at the synagogue starts at 283.874 s and the armed response team neutralises the
    # threat at 679.227 s (no ThreatPhaseEnded for it); no later phase starts.
    assert facts.threat[1] == (
        "attack-synagogue (attack) at Synagogue, Humboldtstrasse: 4m to 10m, most often 6m "
        "(04:43 to 11:19 in this run, when the threat was stopped)"
    )
    assert facts.threat[4] == "flight: median 45m, 9 in 10 under 1h30m (not reached in this run)"
    assert facts.threat[-1] == "Outcome: neutralised by Armed response team at 11:19 (harm 33.6)"


def test_each_other_option_of_a_decision_is_played_in_memory_from_where_it_opened(drill_log: Path) -> None:
    before = sorted(drill_log.parent.iterdir())

    facts = run_facts(drill_log)

    # Waiting instead of locking down: the site is never locked, so lock-fast is U instead of M; no harm either way.
    assert facts.decisions[0].alternatives == (
        Alternative(
            "wait",
            "Wait",
            0.0,
            (MilestoneShift("locked", "Locked", 245.0, None),),
            (RatingShift("lock-fast", "Lock-Fast", "M", "U"),),
        ),
    )
    assert sorted(drill_log.parent.iterdir()) == before  # the forks wrote nothing


def test_messages_given_up_rerouted_or_fallen_back_to_another_receiver_are_one_hand_over_each(tmp_path: Path) -> None:
    # At 01:00 the guard calls control, but the call always goes to the wrong desk (rerouted: 10 s); control's phone
    # to the police always fails (01:05) and falls back to the backup desk (20 s: known 01:25); the guard's pager to
    # the police fails and is given up at 01:05.
    played = scenario(
        duration="10m",
        facts=[{"id": "alarm", "description": "An alarm."}],
        stakeholders=[
            stakeholder(
                "guard",
                rule(
                    "relay",
                    "alarm",
                    notify("control", "alarm", alternatives=[{"to": "desk", "probability": 1.0}]),
                    notify("police", "alarm", via="pager"),
                ),
            ),
            stakeholder("desk"),
            stakeholder("control", rule("call", {"event": "start"}, notify("police", "alarm", after="1m"))),
            stakeholder("police"),
            stakeholder("backup"),
        ],
        channels=[
            channel("desk-line", "guard", "desk", latency="10s"),
            channel("guard-control", "guard", "control", latency="10s"),
            channel("pager", "guard", "police", latency="5s", failure_probability=1.0),
            channel(
                "phone",
                "control",
                "police",
                latency="5s",
                failure_probability=1.0,
                on_failure={"then": "fallback", "fallback": "relay"},
            ),
            channel("relay", "control", "backup", latency="20s"),
        ],
        injects=[inject("inj-01", "guard", at="1m", fact="alarm")],
    )
    path = tmp_path / "routes.jsonl"
    Exercise(played, 0, log=path).run()

    found = {(h.sender, h.receiver): h for h in run_facts(path).handovers}

    assert sorted(found) == [("control", "backup"), ("guard", "desk"), ("guard", "police")]
    assert (found["guard", "desk"].rerouted, found["guard", "desk"].learned_t) == (True, 70.0)
    assert (found["guard", "police"].outcome, found["guard", "police"].failed_attempts) == ("lost", 1)
    backup = found["control", "backup"]
    assert (backup.sent_t, backup.learned_t, backup.failed_attempts, backup.fell_back, backup.channel) == (
        60.0,
        85.0,
        1,
        True,
        "relay",
    )


def test_an_organisation_and_a_site_sharing_an_id_keep_each_its_own_name(tmp_path: Path) -> None:
    # "school" is both the school building (a site) and the school's security (a stakeholder), as in the library.
    shared = scenario(
        duration="10m",
        facts=[{"id": "alarm", "description": "An alarm."}],
        sites=[site("school", name="Jewish community school")],
        stakeholders=[
            stakeholder("school", rule("tell", "alarm", notify("police", "alarm")), name="Community school security"),
            stakeholder("police"),
        ],
        channels=[channel("school-police", "school", "police", medium="phone")],
        injects=[inject("inj-01", "school", at="1m", fact="alarm")],
    )
    path = tmp_path / "shared.jsonl"
    Exercise(shared, 0, log=path).run()

    facts = run_facts(path)

    assert [(h.sender_name, h.receiver_name) for h in facts.handovers] == [("Community school security", "Police")]
    assert {a.stakeholder_name for a in facts.awareness} == {"Community school security", "Police"}
    police = next(a for a in facts.awareness if a.stakeholder == "police")
    assert police.source == "Community school security"
