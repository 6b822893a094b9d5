"""The overview of a scenario: each inject's time or trigger in words, each decision's opening, options and
default, each objective's milestones and limits, the variants; worked out by hand on a tiny scenario."""

from __future__ import annotations

import pytest

from scenarios import Scenario
from scenarios.distributions import Empirical, Exponential, Fixed, Lognormal, Triangular, Uniform
from scenarios.errors import UnknownVariantError
from simulator.analysis.overview import overview
from simulator.formatting import delay_text
from tests.simulator.scenario_factory import (
    decision,
    facts,
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


@pytest.fixture(scope="module")
def drill() -> Scenario:
    """A guard who asks for a decision, the police who take one when the alarm is known, five injects."""
    return scenario(
        sites=[site("hq", lockdown={"duration": "1m"})],
        facts=facts("alarm", "all-clear"),
        stakeholders=[
            stakeholder("guard", rule("ask", "alarm", request_decision("call-police", after="10s")), site="hq"),
            stakeholder("police"),
        ],
        injects=[
            inject("inj-01", "guard", at="1m30s", fact="alarm", **{"from": "Caller"}),
            inject("inj-02", "police", trigger={"fact": "alarm"}, after="2m", inject_type="media"),
            inject(
                "inj-03",
                "police",
                trigger={"fact": "alarm", "stakeholder": "guard"},
                after={"dist": "triangular", "low": "30s", "mode": "1m", "high": "1m30s"},
            ),
            inject("inj-04", "guard", contingency=True, delivery_method="phone"),
            inject("inj-05", "guard", contingency=True, at="1h"),
        ],
        decisions=[
            decision(
                "call-police",
                "guard",
                option("call", notify("police", "alarm")),
                option("wait"),
                deadline="1m",
                default="wait",
            ),
            decision(
                "lock-or-not",
                "police",
                option("lock", lock_down("hq", after="5m")),
                option("open", notify("guard", "all-clear")),
                deadline="2m",
                default="lock",
                trigger={"fact": "alarm"},
            ),
        ],
        milestones=[
            milestone("guard-knows", when={"fact": "alarm", "stakeholder": "guard"}),
            milestone("police-know", when={"fact": "alarm", "stakeholder": "police"}),
        ],
        objectives=[
            objective("alert", "police-know", "3m", "5m", "10m", since="guard-knows"),
            objective("know", "guard-knows", "1m", "2m", "1h", not_applicable_unless=["police-know"]),
        ],
        variants=[
            {
                "id": "extra-call",
                "description": "One more call.",
                "add": {"injects": [inject("inj-06", "police", at="5m")]},
            },
            {"id": "quiet", "description": "Nothing changes.", "change": {"stakeholders": {"police": {"units": 2}}}},
        ],
    )


def test_the_scenario_s_clock_is_given_in_words_with_its_zone(drill: Scenario) -> None:
    shown = overview(drill, None)
    assert shown.start_text == "Thursday 1 January 2026, 10:00:00 (Europe/Berlin, UTC+01:00)"
    summer = drill.model_copy(update={"clock": drill.clock.model_copy(update={"start": "2026-07-01T23:30:00"})})
    assert overview(summer, None).start_text == "Wednesday 1 July 2026, 23:30:00 (Europe/Berlin, UTC+02:00)"
    assert (shown.duration, shown.duration_s) == ("2h", 7200.0)


def test_each_inject_is_shown_at_its_time_or_on_its_trigger_with_its_delay(drill: Scenario) -> None:
    injects = overview(drill, None).injects
    assert [line.when for line in injects] == [
        "T+00:01:30",
        "2m after learning 'The fact alarm.'",
        "30s to 1m30s, most often 1m, after learning 'The fact alarm.' (at Guard)",
        "contingency",
        "T+01:00:00 (contingency)",
    ]
    assert [line.clock for line in injects] == ["10:01:30", None, None, None, "11:00:00"]
    first = injects[0]
    assert (first.to, first.to_name, first.originator) == ("guard", "Guard", "Caller")
    assert (first.fact, first.fact_text, first.text) == ("alarm", "The fact alarm.", "Inject inj-01.")
    assert (injects[1].inject_type, injects[3].delivery_method) == ("media", "phone")


def test_a_decision_shows_who_decides_what_opens_it_and_what_each_option_does(drill: Scenario) -> None:
    call, lock = overview(drill, None).decisions
    assert (call.stakeholder, call.stakeholder_name, call.role) == ("guard", "Guard", "Duty officer")
    assert call.opens == "when Guard asks for it (rule ask), 10s after learning 'The fact alarm.'"
    assert lock.opens == "after learning 'The fact alarm.'"
    assert (call.deadline, lock.deadline_s) == ("1m", 120.0)
    assert [(o.id, o.default, o.does) for o in call.options] == [
        ("call", False, ("tell Police “The fact alarm.”",)),
        ("wait", True, ()),
    ]
    assert [(o.id, o.default, o.does) for o in lock.options] == [
        ("lock", True, ("after 5m, lock down Hq",)),
        ("open", False, ("tell Guard “The fact all-clear.”",)),
    ]


def test_an_objective_shows_its_milestones_by_name_and_its_limits(drill: Scenario) -> None:
    alert, know = overview(drill, None).objectives
    assert (alert.since_name, alert.until_name) == ("Guard-Knows", "Police-Know")
    assert (alert.performed_s, alert.some_challenges_s, alert.major_challenges_s) == (180.0, 300.0, 600.0)
    assert alert.measured == "P ≤ 03:00, S ≤ 05:00, M ≤ 10:00"
    assert (know.since, know.since_name) == (None, "T0")
    assert know.measured == "P ≤ 01:00, S ≤ 02:00, M ≤ 01:00:00; N/A unless Police-Know"
    assert know.not_applicable_unless == ("police-know",)


def test_a_variant_is_applied_and_marked_among_the_variants(drill: Scenario) -> None:
    plain = overview(drill, None)
    extra = overview(drill, "extra-call")
    assert [line.id for line in extra.injects] == [line.id for line in plain.injects] + ["inj-06"]
    assert (extra.variant, extra.variant_description) == ("extra-call", "One more call.")
    assert [(v.id, v.shown) for v in extra.variants] == [("extra-call", True), ("quiet", False)]
    assert not any(v.shown for v in plain.variants)


def test_an_unknown_variant_is_refused_with_a_suggestion(drill: Scenario) -> None:
    with pytest.raises(UnknownVariantError) as raised:
        overview(drill, "extra-cal")
    assert "extra-call" in str(raised.value.diagnostics[0].hint)


def test_every_kind_of_delay_is_put_in_words() -> None:
    assert delay_text(90.0) == "1m30s"
    assert delay_text(Fixed.model_validate({"dist": "fixed", "value": "20s"})) == "20s"
    assert delay_text(Uniform.model_validate({"dist": "uniform", "low": "30s", "high": "90s"})) == "30s to 1m30s"
    triangular = Triangular.model_validate({"dist": "triangular", "low": "1m", "mode": "2m", "high": "10m"})
    assert delay_text(triangular) == "1m to 10m, most often 2m"
    lognormal = Lognormal.model_validate({"dist": "lognormal", "median": "30s", "p90": "2m"})
    assert delay_text(lognormal) == "median 30s, 9 in 10 under 2m"
    assert delay_text(Exponential.model_validate({"dist": "exponential", "mean": "5m"})) == "5m on average"
    assert delay_text(Empirical.model_validate({"dist": "empirical", "values": ["10s", "70s"]})) == "one of 10s, 1m10s"


def test_the_overview_s_json_form_holds_every_id_a_run_can_be_given(drill: Scenario) -> None:
    data = overview(drill, None).to_dict()
    assert [d["id"] for d in data["decisions"]] == ["call-police", "lock-or-not"]
    assert [[o["id"] for o in d["options"]] for d in data["decisions"]] == [["call", "wait"], ["lock", "open"]]
    assert [d["default"] for d in data["decisions"]] == ["wait", "lock"]
    assert data["injects"][0]["at_s"] == 90.0
