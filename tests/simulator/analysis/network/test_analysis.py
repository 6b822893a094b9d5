"""`analyse_network` on small networks whose expected times and paths are worked out by hand."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from benchmarks.network import generate
from scenarios import Scenario, load_scenario
from simulator.analysis.network.analysis import analyse_network
from simulator.analysis.network.errors import NetworkError
from simulator.analysis.network.model import Alert, Reach, Removed
from tests.simulator.scenario_factory import channel, site, stakeholder
from tests.simulator.scenario_factory import scenario as build

Data = dict[str, Any]


def _scenario(stakeholders: list[Data], channels: list[Data], sites: tuple[str, ...] = ("hq",)) -> Scenario:
    return build(sites=[site(s) for s in sites], stakeholders=stakeholders, channels=channels)


def _reach(alert: Alert) -> dict[str, Reach]:
    return {r.stakeholder: r for r in alert.reach}


def _chain() -> Scenario:
    # a (at hq) -> b: 10 s, fails 1 in 5 and gives up; b takes 5 s to take a call; b -> c: 20 s.
    return _scenario(
        [stakeholder("a", site="hq"), stakeholder("b", intake_time="5s"), stakeholder("c")],
        [channel("a-b", "a", "b", latency="10s", failure_probability=0.2), channel("b-c", "b", "c", latency="20s")],
    )


def test_a_chain_adds_up_latencies_and_intake_and_multiplies_the_chances() -> None:
    # b: 10 + 5 = 15 s with 0.8; c: 15 + 20 = 35 s with 0.8 * 1
    [alert] = analyse_network(_chain()).alerts
    assert alert.site == "hq"
    assert alert.origins == ("a",)
    assert [(r.stakeholder, r.expected_s) for r in alert.reach] == [("a", 0.0), ("b", 15.0), ("c", 35.0)]
    reach = _reach(alert)
    assert reach["a"].probability == 1.0
    assert reach["a"].path == ()
    assert reach["c"].probability == pytest.approx(0.8)
    assert [(h.sender, h.receiver, h.channels, h.expected_s) for h in reach["c"].path] == [
        ("a", "b", ("a-b",), 15.0),
        ("b", "c", ("b-c",), 20.0),
    ]


def test_a_diamond_takes_the_faster_side() -> None:
    # a -> b 10 s, b -> d 30 s: 40 s; a -> c 20 s, c -> d 5 s: 25 s. d is reached through c.
    scenario = _scenario(
        [stakeholder("a", site="hq"), stakeholder("b"), stakeholder("c"), stakeholder("d")],
        [
            channel("a-b", "a", "b", latency="10s"),
            channel("a-c", "a", "c", latency="20s"),
            channel("b-d", "b", "d", latency="30s"),
            channel("c-d", "c", "d", latency="5s"),
        ],
    )
    reach = _reach(analyse_network(scenario).alerts[0])
    assert reach["d"].expected_s == 25.0
    assert [h.sender for h in reach["d"].path] == ["a", "c"]


def test_equal_paths_are_broken_by_stakeholder_id() -> None:
    # both sides take 20 s; b is settled before c, so d's path goes through b whatever the channels are called.
    scenario = _scenario(
        [stakeholder("a", site="hq"), stakeholder("c"), stakeholder("b"), stakeholder("d")],
        [
            channel("z1", "a", "c", latency="10s"),
            channel("z2", "c", "d", latency="10s"),
            channel("z3", "a", "b", latency="10s"),
            channel("z4", "b", "d", latency="10s"),
        ],
    )
    alert = analyse_network(scenario).alerts[0]
    assert [r.stakeholder for r in alert.reach] == ["a", "b", "c", "d"]
    assert [h.sender for h in _reach(alert)["d"].path] == ["a", "b"]


def test_the_alert_takes_the_fastest_channel_between_two_organisations_not_the_first_by_id() -> None:
    # a-b-1: 1 min. a-b-2: 1 s but fails half the time, retried after 4 s: (0.5*1 + 0.25*(2+4)) / 0.75 = 2.67 s.
    # a-b-3: 1 s too but retried after 9 s (slower). At best, a-b-2.
    retry = {"then": "retry", "max_attempts": 2, "retry_after": "4s"}
    scenario = _scenario(
        [stakeholder("a", site="hq"), stakeholder("b")],
        [
            channel("a-b-1", "a", "b", latency="1m"),
            channel("a-b-2", "a", "b", latency="1s", failure_probability=0.5, on_failure=retry),
            channel(
                "a-b-3", "a", "b", latency="1s", failure_probability=0.5, on_failure={**retry, "retry_after": "9s"}
            ),
        ],
    )
    reach = _reach(analyse_network(scenario).alerts[0])
    assert reach["b"].expected_s == pytest.approx(8 / 3)
    assert reach["b"].path[0].channels == ("a-b-2",)


def test_of_two_equally_fast_channels_the_alert_takes_the_first_by_id() -> None:
    scenario = _scenario(
        [stakeholder("a", site="hq"), stakeholder("b")],
        [channel("a-b-2", "a", "b", latency="1s"), channel("a-b-1", "a", "b", latency="1s")],
    )
    assert _reach(analyse_network(scenario).alerts[0])["b"].path[0].channels == ("a-b-1",)


def test_a_fallback_to_another_receiver_is_never_faster_than_taking_that_channel_at_once() -> None:
    # a -> b (10 s) fails half the time and falls back at once on a-c-fast (5 s) to c: c that way at 10 + 5 = 15 s
    # with 0.5. A fallback is another channel of the same sender, so a takes a-c-fast to c itself: 5 s, certain.
    scenario = _scenario(
        [stakeholder("a", site="hq"), stakeholder("b"), stakeholder("c")],
        [
            channel(
                "a-b",
                "a",
                "b",
                latency="10s",
                failure_probability=0.5,
                on_failure={"then": "fallback", "fallback": "a-c-fast"},
            ),
            channel("a-c-fast", "a", "c", latency="5s"),
            channel("a-c-0-slow", "a", "c", latency="100s"),
        ],
    )
    reach = _reach(analyse_network(scenario).alerts[0])
    assert (reach["b"].expected_s, reach["b"].probability) == (10.0, 0.5)
    assert (reach["c"].expected_s, reach["c"].probability) == (5.0, 1.0)
    assert reach["c"].path[0].channels == ("a-c-fast",)


def test_a_retrying_channel_counts_its_retries() -> None:
    # 2 attempts, f = 0.5, 10 s latency, 20 s between: 0.75 delivered, E = (0.5*10 + 0.25*40) / 0.75 = 20 s
    scenario = _scenario(
        [stakeholder("a", site="hq"), stakeholder("b")],
        [
            channel(
                "a-b",
                "a",
                "b",
                latency="10s",
                failure_probability=0.5,
                on_failure={"then": "retry", "max_attempts": 2, "retry_after": "20s"},
            )
        ],
    )
    reach = _reach(analyse_network(scenario).alerts[0])
    assert reach["b"].expected_s == pytest.approx(20.0)
    assert reach["b"].probability == pytest.approx(0.75)


def test_a_busy_desk_adds_its_erlang_c_wait() -> None:
    # desk: 2 call takers, 60 jobs an hour of 90 s: Wq = (9/14) / (1/180) = 1620/14 s (see test_expected);
    # b: 10 s latency + 20 s intake + 115.714 s wait
    scenario = _scenario(
        [
            stakeholder("a", site="hq"),
            stakeholder(
                "desk", units=2, intake_time="20s", background={"arrivals_per_hour": 60, "service_time": "1m30s"}
            ),
        ],
        [channel("a-desk", "a", "desk", latency="10s")],
    )
    desk = _reach(analyse_network(scenario).alerts[0])["desk"]
    assert desk.expected_s == pytest.approx(30 + 1620 / 14)
    assert desk.wait_s == pytest.approx(1620 / 14)
    assert not desk.saturated


def test_a_saturated_desk_is_flagged_and_counts_only_its_intake() -> None:
    scenario = _scenario(
        [
            stakeholder("a", site="hq"),
            stakeholder("desk", intake_time="20s", background={"arrivals_per_hour": 60, "service_time": "1m"}),
        ],
        [channel("a-desk", "a", "desk", latency="10s")],
    )
    desk = _reach(analyse_network(scenario).alerts[0])["desk"]
    assert (desk.expected_s, desk.wait_s, desk.saturated) == (30.0, 0.0, True)


def test_the_never_reached_say_why() -> None:
    # d has no channel into it; c's only channel comes from d, who never knows; e's channel is disabled.
    scenario = _scenario(
        [stakeholder("a", site="hq"), stakeholder("c"), stakeholder("d"), stakeholder("e")],
        [channel("d-c", "d", "c"), channel("a-e", "a", "e", enabled=False)],
    )
    alert = analyse_network(scenario).alerts[0]
    assert [(r.stakeholder, r.expected_s, r.probability, r.why_not) for r in alert.reach] == [
        ("a", 0.0, 1.0, None),
        ("c", None, 0.0, "no path from the alert's origins"),
        ("d", None, 0.0, "no enabled channel leads to it"),
        ("e", None, 0.0, "no enabled channel leads to it"),
    ]


def test_leaving_out_a_stakeholder_cuts_its_channels_and_reports_it() -> None:
    analysis = analyse_network(_chain(), without=["b"])
    assert analysis.removed == (Removed("stakeholder", "b"),)
    assert (analysis.stakeholders, analysis.channels) == (2, 0)
    reach = _reach(analysis.alerts[0])
    assert reach["b"].why_not == "left out (--without)"
    # c's only channel came from b
    assert reach["c"].why_not == "every channel to it was left out (--without)"


def test_one_never_reached_because_the_what_if_took_every_channel_to_it_is_told_so() -> None:
    # b: one channel left out by id, the other from d, left out; c: its only enabled channel left out, a disabled
    # one not counted; d: left out; e: never had an enabled channel (disabled from the start); f: still has one,
    # from e, who never knows.
    scenario = _scenario(
        [stakeholder(i, site="hq" if i == "a" else None) for i in "abcdef"],
        [
            channel("a-b", "a", "b"),
            channel("d-b", "d", "b"),
            channel("a-c", "a", "c"),
            channel("a-c-off", "a", "c", enabled=False),
            channel("a-d", "a", "d"),
            channel("a-e", "a", "e", enabled=False),
            channel("a-f", "a", "f"),
            channel("e-f", "e", "f"),
        ],
    )
    alert = analyse_network(scenario, without=["a-b", "d", "a-c", "a-f"]).alerts[0]
    assert [(r.stakeholder, r.why_not) for r in alert.reach] == [
        ("a", None),
        ("b", "every channel to it was left out (--without)"),
        ("c", "every channel to it was left out (--without)"),
        ("d", "left out (--without)"),
        ("e", "no enabled channel leads to it"),
        ("f", "no path from the alert's origins"),
    ]


def test_from_to_leaves_out_every_channel_between_them() -> None:
    scenario = _scenario(
        [stakeholder("a", site="hq"), stakeholder("b"), stakeholder("c")],
        [
            channel("a-b-1", "a", "b", latency="10s"),
            channel("a-b-2", "a", "b", latency="20s"),
            channel("a-c", "a", "c", latency="5s"),
            channel("c-b", "c", "b", latency="30s"),
        ],
    )
    analysis = analyse_network(scenario, without=["a -> b"])
    assert analysis.removed == (Removed("channel", "a-b-1"), Removed("channel", "a-b-2"))
    assert _reach(analysis.alerts[0])["b"].expected_s == 35.0
    # leaving out one channel makes notify take the next one
    assert _reach(analyse_network(scenario, without=["a-b-1"]).alerts[0])["b"].expected_s == 20.0


def test_an_alert_per_site_with_stakeholders_and_the_empty_sites_listed() -> None:
    scenario = _scenario(
        [stakeholder("a", site="north"), stakeholder("b", site="south"), stakeholder("b2", site="south")],
        [channel("a-b", "a", "b")],
        sites=("north", "empty", "south"),
    )
    analysis = analyse_network(scenario, variant="v")
    assert [(a.site, a.origins) for a in analysis.alerts] == [("north", ("a",)), ("south", ("b", "b2"))]
    assert analysis.sites_without_stakeholders == ("empty",)
    assert analysis.variant == "v"
    assert analysis.names["north"] == "North"
    assert [a.site for a in analyse_network(scenario, sites=["south"]).alerts] == ["south"]
    [named] = analyse_network(scenario, origins=["b"]).alerts
    assert (named.site, named.origins) == (None, ("b",))
    [at_site] = analyse_network(scenario, origins=["b"], sites=["empty"]).alerts
    assert (at_site.site, at_site.origins) == ("empty", ("b",))


@pytest.mark.parametrize(
    ("options", "message", "hint"),
    [
        ({"without": ["brav"]}, "no stakeholder or channel 'brav'", "did you mean 'bravo'?"),
        ({"without": ["alpha-bravoo"]}, "no stakeholder or channel 'alpha-bravoo'", "did you mean 'alpha-bravo'?"),
        ({"without": ["alpha->xray"]}, "no stakeholder 'xray'", None),
        ({"without": ["charlie->alpha"]}, "no channel leads from 'charlie' to 'alpha'", "list a channel id"),
        ({"without": ["bravo->alpha"]}, "no channel leads from 'bravo' to 'alpha'", "the other way: alpha->bravo"),
        ({"sites": ["hqq"]}, "no site 'hqq'", "did you mean 'hq'?"),
        ({"origins": ["charly"]}, "no stakeholder 'charly'", "did you mean 'charlie'?"),
        ({"sites": ["lonely"]}, "no stakeholder is at site 'lonely'", "--from"),
        ({"origins": ["alpha"], "sites": ["hq", "lonely"]}, "at most one --site", None),
    ],
)
def test_unknown_names_are_errors_with_a_hint(options: dict[str, Any], message: str, hint: str | None) -> None:
    scenario = _scenario(
        [stakeholder("alpha", site="hq"), stakeholder("bravo"), stakeholder("charlie")],
        [channel("alpha-bravo", "alpha", "bravo")],
        sites=("hq", "lonely"),
    )
    with pytest.raises(NetworkError) as raised:
        analyse_network(scenario, **options)
    assert message in raised.value.message
    if hint is not None:
        assert raised.value.hint is not None
        assert hint in raised.value.hint


def large_network(sites: int = 10) -> Scenario:
    """The benchmarks' generated network (500 stakeholders, 2,000 channels) with its guards at `sites` sites only.

    The control rooms take calls (20 s, under background work) and the reports to them fail one time in ten and
    are retried, so that every part of the analysis is at work.
    """
    data = generate().scenario_data()
    data["sites"] = data["sites"][:sites]
    kept = {s["id"] for s in data["sites"]}
    for person in data["stakeholders"]:
        person["playbook"] = []
        if person.get("site") not in kept:
            person.pop("site", None)
        if person["kind"] == "police_control":
            person["intake_time"] = "20s"
            person["background"] = {"arrivals_per_hour": 60, "service_time": "2m"}
    for link in data["channels"]:
        if link["id"].startswith("rep-"):
            link["failure_probability"] = 0.1
            link["on_failure"] = {"then": "retry", "max_attempts": 3, "retry_after": "30s"}
    return Scenario.model_validate_json(orjson.dumps(data), strict=True)


def test_a_generated_network_of_500_stakeholders_is_analysed_for_an_alert_at_each_of_its_ten_sites() -> None:
    scenario = large_network()
    analysis = analyse_network(scenario)
    assert (analysis.stakeholders, analysis.channels) == (500, 2000)
    assert [a.site for a in analysis.alerts] == [f"site-{i:04d}" for i in range(10)]
    for alert in analysis.alerts:
        # every guard is on the ring of guard links and reports to a control room: everyone is reached
        times = [r.expected_s for r in alert.reach if r.expected_s is not None]
        assert len(times) == 500
        assert alert.reach[0].stakeholder == alert.origins[0]
        assert times == sorted(times)


def test_the_order_of_the_scenarios_lists_changes_nothing() -> None:
    people = [stakeholder("a", site="hq"), stakeholder("b"), stakeholder("c"), stakeholder("d")]
    links = [
        channel("a-b", "a", "b", latency="10s"),
        channel("a-c", "a", "c", latency="10s"),
        channel("b-d", "b", "d", latency="10s"),
        channel("c-d", "c", "d", latency="10s"),
    ]
    forward = analyse_network(_scenario(people, links))
    backward = analyse_network(_scenario(people[::-1], links[::-1]))
    assert forward.alerts == backward.alerts


def test_leaving_out_the_only_stakeholder_at_a_site_keeps_its_alert_with_no_origin() -> None:
    # so that a what-if lines up alert by alert with the full network
    [alert] = analyse_network(_chain(), without=["a"]).alerts
    assert (alert.site, alert.origins) == ("hq", ())
    assert [(r.stakeholder, r.why_not) for r in alert.reach] == [
        ("a", "left out (--without)"),
        ("b", "every channel to it was left out (--without)"),
        ("c", "no path from the alert's origins"),
    ]
    assert (alert.cut_offs, alert.betweenness) == ((), ())


def test_an_error_quotes_the_argument_as_typed() -> None:
    scenario = load_scenario("synagogue-holiday-attack")
    for typed, word in (("site-staff->nobody", "'nobody'"), ("community-security->", "''")):
        with pytest.raises(NetworkError) as error:
            analyse_network(scenario, without=[typed])
        assert error.value.message.startswith(f"--without {typed!r}: "), error.value.message
        assert f"no stakeholder {word}" in error.value.message


def test_organisations_and_sites_are_named_by_id_or_by_name_in_any_case() -> None:
    scenario = load_scenario("synagogue-holiday-attack")
    by_name = analyse_network(scenario, without=["police control room (110)"], sites=["Synagogue, Humboldtstrasse"])
    by_id = analyse_network(scenario, without=["police-control-110"], sites=["synagogue"])
    assert by_name == by_id
    assert analyse_network(scenario, origins=["UMBRELLA COMMUNITY ORGANISATION"]).alerts[0].origins == (
        "umbrella-organisation",
    )


def test_the_first_word_of_an_id_gets_a_did_you_mean() -> None:
    scenario = load_scenario("synagogue-holiday-attack")
    with pytest.raises(NetworkError) as error:
        analyse_network(scenario, origins=["umbrella"])
    assert error.value.hint == "did you mean 'umbrella-organisation'?"
    with pytest.raises(NetworkError) as error:
        analyse_network(scenario, without=["umbrella"])
    assert error.value.hint == "did you mean 'umbrella-organisation'?"
