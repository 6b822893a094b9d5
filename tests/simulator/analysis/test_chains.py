"""The chain of messages to a milestone: computed by hand on a tiny scenario, link by link."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import Scenario
from simulator import Exercise
from simulator.analysis.chains import Chain, Link, RunChains, message_chain
from simulator.logcheck import read_tabletop_log
from tests.simulator.scenario_factory import (
    channel,
    facts,
    inject,
    lock_down,
    milestone,
    notify,
    rule,
    scenario,
    site,
    stakeholder,
)


def relay() -> Scenario:
    """An alarm relayed guard -> control -> police, and the police lock the site down.

    The inject tells the guard at 60 s. The guard radios control (30 s): control knows at 90 s. Control phones the
    police, but the phone always fails (after 5 s, at 95 s) and control falls back to the mobile (10 s): the police
    know at 105 s and order the lockdown, which takes a minute (done at 165 s). Nobody ever learns of a fire.
    """
    return scenario(
        duration="10m",
        facts=facts("alarm", "fire"),
        sites=[site("hq", lockdown={"duration": "1m"})],
        stakeholders=[
            stakeholder("guard", rule("relay", "alarm", notify("control", "alarm", via="radio"))),
            stakeholder("control", rule("call", "alarm", notify("police", "alarm", via="phone"))),
            stakeholder("police", rule("shut", "alarm", lock_down("hq"))),
        ],
        channels=[
            channel("radio", "guard", "control", medium="radio", latency="30s"),
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
        injects=[inject("inj-01", "guard", at="1m", fact="alarm")],
        milestones=[
            milestone("control-knows", when={"fact": "alarm", "stakeholder": "control"}),
            milestone("police-know", when={"fact": "alarm", "stakeholder": "police"}),
            milestone("both-know", all_of=["police-know", "control-knows"]),
            milestone("locked", when={"event": "lockdown_complete", "site": "hq"}),
            milestone("fire-known", when={"fact": "fire"}),
        ],
    )


ORIGIN = Link(60.0, None, None, "guard", "alarm", None, None, origin="inject inj-01")
RADIO = Link(90.0, 60.0, "guard", "control", "alarm", "radio", "radio", arrived_t=90.0)  # no call takers
MOBILE = Link(
    105.0, 95.0, "control", "police", "alarm", "mobile", "messaging", attempts=1, fell_back=True, arrived_t=105.0
)


@pytest.fixture(scope="module")
def relay_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("chains") / "relay.jsonl"
    Exercise(relay(), 0, log=path).run()
    return path


def chain_of(path: Path, milestone_id: str) -> Chain:
    log = read_tabletop_log(path)
    return message_chain(log.records, milestone_id, log.header)


def test_a_fact_milestone_s_chain_goes_from_the_inject_through_each_sender_to_the_stakeholder(relay_log: Path) -> None:
    assert chain_of(relay_log, "control-knows") == Chain((ORIGIN, RADIO))
    # The phone's failed attempt is counted, and the mobile it fell back to is the channel that got through.
    assert chain_of(relay_log, "police-know") == Chain((ORIGIN, RADIO, MOBILE))


def test_an_all_of_milestone_has_the_chain_of_the_component_that_completed_it(relay_log: Path) -> None:
    # The police knew last (105 s, after control at 90 s): their chain completed both-know.
    assert chain_of(relay_log, "both-know") == Chain((ORIGIN, RADIO, MOBILE), reason="completed by Police-Know")


def test_an_event_milestone_names_who_acted_and_the_chain_of_what_it_acted_on(relay_log: Path) -> None:
    # The police ordered the lockdown at 105 s (done at 165 s), on the alarm they had just learned.
    assert chain_of(relay_log, "locked") == Chain((ORIGIN, RADIO, MOBILE), actor="police")


def test_a_milestone_never_reached_has_no_chain_and_says_why(relay_log: Path) -> None:
    assert chain_of(relay_log, "fire-known") == Chain((), reason="not reached in this run")
    assert chain_of(relay_log, "no-such-milestone").links == ()


def test_run_chains_read_only_the_records_chains_need_and_give_one_chain_per_run(relay_log: Path) -> None:
    chains = RunChains.read([relay_log, relay_log])

    assert chains.of("police-know") == [Chain((ORIGIN, RADIO, MOBILE))] * 2
    assert chains.name("police") == "Police"
    assert {r["kind"] for r in chains.records[0]} <= {
        "FactLearned",
        "MessageSent",
        "MessageArrived",
        "MessageFailed",
        "MessageFellBack",
        "MilestoneReached",
        "LockdownStarted",
        "LockdownCompleted",
        "InjectDelivered",
    }


def test_a_call_that_reached_another_control_room_is_marked_rerouted(tmp_path: Path) -> None:
    # The guard means to call control, but the call always reaches the neighbours (probability 1), by phone, at once.
    rerouted = scenario(
        duration="10m",
        facts=facts("alarm"),
        stakeholders=[
            stakeholder(
                "guard",
                rule(
                    "relay", "alarm", notify("control", "alarm", alternatives=[{"to": "neighbours", "probability": 1}])
                ),
            ),
            stakeholder("control"),
            stakeholder("neighbours"),
        ],
        channels=[channel("line", "guard", "control"), channel("wrong-line", "guard", "neighbours")],
        injects=[inject("inj-01", "guard", at="1m", fact="alarm")],
        milestones=[milestone("neighbours-know", when={"fact": "alarm", "stakeholder": "neighbours"})],
    )
    path = tmp_path / "rerouted.jsonl"
    Exercise(rerouted, 0, log=path).run()

    assert chain_of(path, "neighbours-know") == Chain(
        (
            Link(60.0, None, None, "guard", "alarm", None, None, origin="inject inj-01"),
            Link(60.0, 60.0, "guard", "neighbours", "alarm", "wrong-line", "phone", rerouted=True, arrived_t=60.0),
        )
    )


def test_a_failed_call_to_another_receiver_is_not_counted_against_this_one(tmp_path: Path) -> None:
    # The guard tells the ambulance service and the police at once; only the ambulance line fails (and gives up),
    # before the police's call arrives.
    both = scenario(
        duration="10m",
        facts=facts("alarm"),
        stakeholders=[
            stakeholder(
                "guard",
                rule("tell", "alarm", notify("ambulance", "alarm", via="a1"), notify("police", "alarm", via="p1")),
            ),
            stakeholder("police"),
            stakeholder("ambulance"),
        ],
        channels=[channel("p1", "guard", "police"), channel("a1", "guard", "ambulance", failure_probability=1.0)],
        injects=[inject("inj-01", "guard", at="1m", fact="alarm")],
        milestones=[milestone("police-know", when={"fact": "alarm", "stakeholder": "police"})],
    )
    path = tmp_path / "both.jsonl"
    Exercise(both, 0, log=path).run()
    kinds = [(r["kind"], r.get("receiver")) for r in read_tabletop_log(path).records if "receiver" in r]
    assert kinds.index(("MessageFailed", "ambulance")) < kinds.index(("MessageArrived", "police"))

    assert chain_of(path, "police-know").links[-1] == Link(
        60.0, 60.0, "guard", "police", "alarm", "p1", "phone", arrived_t=60.0
    )


def test_a_correction_milestone_has_the_chain_of_the_fact_that_corrected_it(tmp_path: Path) -> None:
    # Control hears the rumour from the guard at 60 s, then the truth from an inject at 120 s, which corrects it.
    corrected = scenario(
        duration="10m",
        facts=[*facts("rumour"), {"id": "truth", "description": "The truth.", "corrects": ["rumour"]}],
        stakeholders=[
            stakeholder("guard", rule("tell", "rumour", notify("control", "rumour"))),
            stakeholder("control"),
        ],
        channels=[channel("line", "guard", "control")],
        injects=[
            inject("inj-01", "guard", at="1m", fact="rumour"),
            inject("inj-02", "control", at="2m", fact="truth"),
        ],
        milestones=[
            milestone("set-right", when={"event": "fact_corrected", "fact": "rumour", "stakeholder": "control"})
        ],
    )
    path = tmp_path / "corrected.jsonl"
    Exercise(corrected, 0, log=path).run()

    assert chain_of(path, "set-right") == Chain(
        (Link(120.0, None, None, "control", "truth", None, None, origin="inject inj-02"),), reason="corrected by truth"
    )


def test_a_link_says_when_the_call_arrived_how_long_it_waited_for_a_call_taker_and_when_it_was_learned(
    tmp_path: Path,
) -> None:
    # Control has one call taker, 30 s a call. At 60 s the guard phones it about the alarm (10 s: arrives at 70 s,
    # taken at once, known at 100 s) and the neighbour about the fire (20 s: arrives at 80 s, waits 20 s for the
    # call taker to finish the guard's call, taken at 100 s, known at 130 s).
    queued = scenario(
        duration="10m",
        facts=facts("alarm", "fire"),
        stakeholders=[
            stakeholder("guard", rule("tell", "alarm", notify("control", "alarm", via="g1"))),
            stakeholder("neighbour", rule("call", "fire", notify("control", "fire", via="n1"))),
            stakeholder("control", intake_time="30s"),
        ],
        channels=[
            channel("g1", "guard", "control", latency="10s"),
            channel("n1", "neighbour", "control", latency="20s"),
        ],
        injects=[inject("inj-01", "guard", at="1m", fact="alarm"), inject("inj-02", "neighbour", at="1m", fact="fire")],
        milestones=[milestone("fire-known", when={"fact": "fire", "stakeholder": "control"})],
    )
    path = tmp_path / "queued.jsonl"
    Exercise(queued, 0, log=path).run()

    link = chain_of(path, "fire-known").links[-1]
    assert link == Link(130.0, 60.0, "neighbour", "control", "fire", "n1", "phone", arrived_t=80.0, taken_t=100.0)
    assert link.timing() == [
        "sent 01:00",
        "arrived 01:20",
        "waited 00:20 for a call taker",
        "taken 01:40",
        "learned 02:10",
    ]
    chains = RunChains.read([path])
    # By names: the stakeholders' names, the channel's medium, the fact's description.
    assert chains.link_text(link) == "Neighbour → Control by phone: The fact fire."
    origin = chains.of("fire-known")[0].links[0]
    assert chains.link_text(origin) == "Neighbour learns, from inject inj-02: The fact fire."
