"""The run-log vocabulary: every kind the engine writes is declared, with exact fields, a sentence and an audience."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Literal, get_args, get_origin, get_type_hints

import pytest

import simulator
from scenarios import bundled_names, load_scenario
from scenarios.threat import ThreatPhase
from simulator import SPEEDS, Exercise, Record, _sites
from simulator._audience import RULES
from simulator._sentences import LINES
from simulator.evaluation import RATINGS
from simulator.limits import RunLimits
from simulator.narrative import TIMELINE_KINDS, describe
from simulator.records import CONTROL_ONLY, EVERYONE, KINDS, Audience, audience, sentence
from tests.simulator.scenario_factory import (
    channel,
    dispatch,
    facts,
    notify,
    phase,
    rule,
    scenario,
    site,
    stakeholder,
    threat,
)

SIMULATOR = Path(simulator.__file__).parent
COMMON = {"seq", "t", "kind"}
HINTS = {kind: get_type_hints(cls) for kind, cls in KINDS.items()}
"""Each kind's fields and their types, the common ones included."""


# --- every kind has its parts -----------------------------------------------------------------------------------------


def test_every_kind_has_a_sentence_and_every_sentence_a_kind() -> None:
    assert set(LINES) == set(KINDS), f"kinds without a sentence, or sentences of no kind: {set(LINES) ^ set(KINDS)}"


def test_every_kind_has_an_audience_rule_and_every_rule_a_kind() -> None:
    assert set(RULES) == set(KINDS), f"kinds without an audience rule, or rules of no kind: {set(RULES) ^ set(KINDS)}"


def test_every_kind_is_a_typed_dict_of_its_own_name_whose_docstring_says_what_it_means() -> None:
    assert list(KINDS) == sorted(KINDS)
    for name, cls in KINDS.items():
        assert cls.__name__ == name
        assert HINTS[name]["kind"] == Literal[name], name
        assert {"seq": int, "t": float}.items() <= HINTS[name].items(), name
        assert cls.__doc__ and cls.__doc__.endswith("."), f"{name} needs a one-sentence docstring"


def test_the_literal_fields_list_exactly_the_values_the_engine_may_write() -> None:
    assert get_args(HINTS["ThreatPhaseStarted"]["phase_kind"]) == get_args(ThreatPhase.model_fields["kind"].annotation)
    assert get_args(HINTS["SpeedChanged"]["speed"]) == SPEEDS
    assert get_args(get_args(HINTS["RunEnded"]["ratings"])[1]) == RATINGS


# --- every kind the engine writes is declared -------------------------------------------------------------------------


def as_record_call(call: ast.Call) -> ast.Call:
    """A `record_fields({"seq": 0, "t": 0.0, "kind": KIND, NAME: VALUE...})` call as `record(KIND, NAME=VALUE...)`."""
    literal = call.args[0]
    assert isinstance(literal, ast.Dict), f"line {call.lineno}: record_fields takes a dict literal"
    keys = [key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None for key in literal.keys]
    assert keys[:3] == ["seq", "t", "kind"], f"line {call.lineno}: a record literal starts with seq, t and kind"
    keywords = [ast.keyword(arg=key, value=value) for key, value in zip(keys[3:], literal.values[3:], strict=True)]
    return ast.Call(func=ast.Name(id="record"), args=[literal.values[2]], keywords=keywords, lineno=call.lineno)


@cache
def record_calls() -> list[tuple[str, ast.Call]]:
    """Every call named `record` or `_record` in the engine's modules (and `record_fields`), with its module's path."""
    calls = []
    for path in sorted(SIMULATOR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Call) and node.args:
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if called in ("record", "_record"):
                    calls.append((path.relative_to(SIMULATOR).as_posix(), node))
                elif called == "record_fields":
                    calls.append((path.relative_to(SIMULATOR).as_posix(), as_record_call(node)))
    return calls


def written_by_name() -> list[tuple[str, str, ast.Call]]:
    """(where, kind, call) of every call whose first argument is the kind written out."""
    return [
        (f"simulator/{path}:{call.lineno}", call.args[0].value, call)
        for path, call in record_calls()
        if isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)
    ]


def test_every_kind_the_engine_writes_by_name_is_in_the_vocabulary() -> None:
    written = {kind for _, kind, _ in written_by_name()}

    assert len(written) > 30, "the scan no longer finds the engine's record calls"
    assert written <= set(KINDS), f"kinds without a TypedDict in simulator/records.py: {sorted(written - set(KINDS))}"


def test_the_fields_the_engine_writes_by_name_are_exactly_its_kinds_fields() -> None:
    problems = []
    for where, kind, call in written_by_name():
        named = {keyword.arg for keyword in call.keywords if keyword.arg is not None}
        splat = any(keyword.arg is None for keyword in call.keywords)  # `**fields`: the runs check the rest
        declared = set(HINTS.get(kind, {})) - COMMON
        if not named <= declared or (not splat and named != declared):
            problems.append(f"{where}: {kind} writes {sorted(named)}, its TypedDict has {sorted(declared)}")

    assert not problems, "\n".join(problems)


def test_the_only_kinds_written_through_a_variable_are_the_site_measures() -> None:
    through_variables = {
        (path, ast.unparse(call.args[0])) for path, call in record_calls() if not isinstance(call.args[0], ast.Constant)
    }

    # The run-log encoder's `record(record)` takes a whole record, not a kind. A new kind written through a
    # variable needs a test here that its values are in the vocabulary, as the measures have below.
    assert through_variables == {
        ("_sites.py", "measure.started"),
        ("_sites.py", "measure.completed"),
        ("runlog.py", "record"),
    }


def test_every_protective_measure_records_kinds_of_the_vocabulary() -> None:
    measures = [value for value in vars(_sites).values() if isinstance(value, _sites._Measure)]

    assert {measure.name for measure in measures} == {"lockdown", "evacuation"}
    assert {kind for measure in measures for kind in (measure.started, measure.completed)} <= set(KINDS)


# --- what whole runs write --------------------------------------------------------------------------------------------


def conforms(value: object, annotation: object) -> bool:
    """Whether `value` has the annotated type.

    Exact, as the engine writes them: an int is no float (durations and times are always written as floats), a bool
    is no int. The forms the vocabulary uses: str, int, float, bool, None, unions, literals, dict[K, V] and Any.
    """
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation is Any:
        return True
    if annotation is NoneType:
        return value is None
    if origin is Literal:
        return any(type(value) is type(allowed) and value == allowed for allowed in args)
    if origin is UnionType:
        return any(conforms(value, arg) for arg in args)
    if origin is dict:
        return isinstance(value, dict) and all(conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
    if annotation in (str, int, float, bool):
        return type(value) is annotation
    raise TypeError(f"conforms() does not know the annotation {annotation!r}: teach it")


def _text(annotation: object) -> str:
    return annotation.__name__ if isinstance(annotation, type) else str(annotation)


def mismatches(record: Mapping[str, Any]) -> list[str]:
    """How `record` differs from its kind's TypedDict (nothing when it matches)."""
    where = f"seq {record.get('seq')} {record.get('kind')}"
    hints = HINTS.get(str(record.get("kind")))
    if hints is None:
        return [f"{where}: no such kind"]
    if set(record) != set(hints):
        return [f"{where}: has {sorted(record)}, its TypedDict {sorted(hints)}"]
    return [f"{where}: {k} = {v!r} is not {_text(hints[k])}" for k, v in record.items() if not conforms(v, hints[k])]


def commanded_run() -> Exercise:
    """The synagogue scenario with every command the consoles have, each writing its records."""
    exercise = Exercise(load_scenario("synagogue-holiday-attack"), 0)
    for command in (
        {"command": "delay_inject", "inject": "inj-03", "by_s": 60},
        {"command": "hold_inject", "inject": "inj-03"},  # then withheld when due, at 41 minutes
        {"command": "skip_inject", "inject": "inj-02"},
        {"command": "preset_decision", "decision": "warn-other-sites", "option": "warn-now"},
        {"command": "add_inject", "to": "crisis-cell", "text": "A journalist calls."},
        {"command": "fire_inject", "inject": "inj-04"},
        {"command": "pause", "note": "Who calls the police?"},
        {"command": "resume"},
        {"command": "set_speed", "speed": "10x"},
        {"command": "observe", "seat": "evaluator", "text": "The call came late.", "objective": "alert-police-fast"},
    ):
        exercise.apply(command)
    decision = "patrols-in-or-wait"
    while not any(r["kind"] == "DecisionOpened" and r["decision"] == decision for r in exercise.records):
        exercise.step_once()
    exercise.apply({"command": "decide", "seat": "police-control-110", "decision": decision, "option": "send-in"})
    exercise.advance_to(2500)
    exercise.apply({"command": "release_inject", "inject": "inj-03"})
    exercise.run()
    return exercise


def misrouted_run() -> Exercise:
    """A guard's two calls: one fails on the phone and falls back to the radio, one reaches the wrong receiver.

    No bundled scenario has a fallback, and none reroutes a message with seed 0.
    """
    failing = {"failure_probability": 1.0, "on_failure": {"then": "fallback", "fallback": "radio"}}
    to_control = [{"to": "control", "probability": 1.0}]
    calls = rule(
        "call", {"event": "start"}, notify("police", "alarm"), notify("police", "alarm", alternatives=to_control)
    )
    exercise = Exercise(
        scenario(
            facts=facts("alarm"),
            stakeholders=[stakeholder("guard", calls), stakeholder("police"), stakeholder("control")],
            channels=[channel("phone", "guard", "police", **failing), channel("radio", "guard", "control")],
        ),
        seed=1,
    )
    exercise.run()
    return exercise


def units_on_the_move_run() -> Exercise:
    """Units that follow the threat (once in vain), stage until told to go in, are redirected and recalled.

    No bundled scenario has all of these.
    """
    start = {"event": "start"}
    police = stakeholder(
        "police",
        rule("chase", start, {"action": "dispatch", "follow": "threat", "after": "1s"}),
        rule("early", start, {"action": "dispatch", "follow": "threat"}),
        rule(
            "stage",
            start,
            dispatch("hq", stage={"until": {"fact": "safe"}, "access": "1m"}),
            {"action": "escalate", "fact": "safe", "after": "5m"},
            {"action": "redirect", "from": "hq", "to": "cafe", "after": "30m"},
            {"action": "recall", "site": "cafe", "after": "40m"},
        ),
        units=3,
        travel={"hq": "2m", "cafe": "3m"},
    )
    exercise = Exercise(
        scenario(
            facts=facts("safe"),
            sites=[site("hq"), site("cafe"), site("park")],
            stakeholders=[police],
            threat=threat(
                phase("at-hq", "attack", "10m", site="hq", interdictable=False),
                phase("at-cafe", "attack", "10m", site="cafe", interdictable=False),
                phase("at-park", "attack", "10m", site="park", interdictable=False),
            ),
        ),
        seed=1,
    )
    exercise.run()
    return exercise


def stopped_run() -> Exercise:
    """A control room's other work, stopped by a ceiling of ten events (no run of ours reaches the real one)."""
    busy = stakeholder("police", background={"arrivals_per_hour": 3600, "service_time": "1s"})
    exercise = Exercise(scenario(stakeholders=[busy]), limits=RunLimits(events=10))
    exercise.run()
    return exercise


def corrected_run() -> Exercise:
    """A false report corrected, then heard again and disregarded; a control room's calls surge for a minute.

    No bundled scenario corrects a fact or surges.
    """
    sources = [
        {"id": "six", "description": "Six shooting locations."},
        {"id": "one", "description": "One attacker.", "corrects": ["six"]},
    ]
    surge = {"action": "surge", "factor": 3, "for": "1m"}
    exercise = Exercise(
        scenario(
            facts=sources,
            stakeholders=[
                stakeholder(
                    "police",
                    rule("surge", {"event": "start"}, surge),
                    background={"arrivals_per_hour": 10, "service_time": "1s"},
                )
            ],
            injects=[
                {"id": f"inj-0{i}", "to": "police", "text": "A call.", "at": f"{i}m", "fact": fact}
                for i, fact in ((1, "six"), (2, "one"), (3, "six"))
            ],
        ),
        seed=1,
    )
    exercise.run()
    return exercise


@pytest.fixture(scope="module")
def records() -> list[Record]:
    """The records of every bundled scenario in every variant (seed 0), of the commanded run and the misrouted one."""
    runs = []
    for name in bundled_names():
        base = load_scenario(name)
        for variant in (None, *(v.id for v in base.variants)):
            runs.append(Exercise(base, 0, variant))
            runs[-1].run()
    return [
        record
        for run in (*runs, commanded_run(), misrouted_run(), units_on_the_move_run(), stopped_run(), corrected_run())
        for record in run.records
    ]


def test_every_record_of_whole_runs_has_exactly_its_kinds_fields_with_their_types(records: list[Record]) -> None:
    problems = [problem for record in records for problem in mismatches(record)]

    assert not problems, f"{len(problems)} records differ from their TypedDict, e.g.:\n" + "\n".join(problems[:10])


def test_those_runs_write_every_kind_of_the_vocabulary(records: list[Record]) -> None:
    unwritten = set(KINDS) - {record["kind"] for record in records}

    assert not unwritten, f"no run here writes {sorted(unwritten)}: add a run or a command that does"


# --- who sees what ----------------------------------------------------------------------------------------------------


def sample(kind: str, **fields: Any) -> dict[str, Any]:
    """A record of `kind` with these fields."""
    return {"seq": 0, "t": 1.5, "kind": kind, **fields}


def seen_by(*stakeholders: str) -> Audience:
    return Audience(frozenset(stakeholders))


def attempt(kind: str, **fields: Any) -> dict[str, Any]:
    return sample(kind, channel="phone", sender="guard", receiver="police", fact="alarm", **fields)


def command(seat: str | None) -> dict[str, Any]:
    given = {"command": "decide", "decision": "go", "option": "yes"} | ({"seat": seat} if seat else {})
    return sample("CommandApplied", step=3, exact_t=12.0, command=given)


CASES: dict[str, list[tuple[dict[str, Any], Audience]]] = {
    "RunStarted": [(sample("RunStarted", scenario="drill", variant=None, seed=7), EVERYONE)],
    "RunEnded": [
        (
            sample("RunEnded", step=9, exact_t=1.5, harm=2.0, milestones={"call": 60.0}, ratings={"fast": "P"}),
            EVERYONE,
        )
    ],
    "RunStopped": [
        (sample("RunStopped", limit="records", reason="record limit reached (9 records)", step=4), EVERYONE)
    ],
    "PauseMarked": [(sample("PauseMarked", note="Discuss"), EVERYONE)],
    "ClockResumed": [(sample("ClockResumed"), EVERYONE)],
    "SpeedChanged": [(sample("SpeedChanged", speed="60x"), EVERYONE)],
    "CommandApplied": [
        (command("police"), seen_by("police")),
        (command("facilitator"), CONTROL_ONLY),
        (command("evaluator"), CONTROL_ONLY),
        (command(None), CONTROL_ONLY),  # logged before commands carried their seat
    ],
    "ObservationNoted": [
        (
            sample("ObservationNoted", seat="evaluator", text="Late", objective="fast", core_capability=None),
            CONTROL_ONLY,
        )
    ],
    "ThreatPhaseStarted": [
        (sample("ThreatPhaseStarted", phase="attack", phase_kind="attack", site="hq", duration_s=60.0), CONTROL_ONLY)
    ],
    "ThreatPhaseEnded": [(sample("ThreatPhaseEnded", phase="attack"), CONTROL_ONLY)],
    "EngagementStarted": [(sample("EngagementStarted", site="hq", phase="attack", by="patrols"), seen_by("patrols"))],
    "EngagementPaused": [(sample("EngagementPaused", site="hq", phase="attack", engaged_s=90.0), CONTROL_ONLY)],
    "ThreatNeutralised": [(sample("ThreatNeutralised", by="patrols", site="hq"), seen_by("patrols"))],
    "ThreatEnded": [
        (sample("ThreatEnded", harm=3.25, outcome="neutralised", by="patrols"), CONTROL_ONLY),
        (sample("ThreatEnded", harm=3.25, outcome="escaped", by=None), CONTROL_ONLY),
    ],
    "HarmRateChanged": [(sample("HarmRateChanged", rate_per_min=1.5, harm=3.25), CONTROL_ONLY)],
    "FactLearned": [
        (sample("FactLearned", stakeholder="police", fact="alarm", source="guard", true=True), seen_by("police"))
    ],
    "FactRepeated": [(sample("FactRepeated", stakeholder="police", fact="alarm", source="guard"), seen_by("police"))],
    "FactCorrected": [
        (
            sample("FactCorrected", stakeholder="police", fact="six-sites", by_fact="one-site", source="guard"),
            seen_by("police"),
        )
    ],
    "FactDisregarded": [
        (
            sample("FactDisregarded", stakeholder="police", fact="six-sites", source="guard", corrected_by="one-site"),
            seen_by("police"),
        )
    ],
    "LoadSurged": [(sample("LoadSurged", stakeholder="police", factor=3.0, until_t=600.0), seen_by("police"))],
    "LoadSurgeEnded": [(sample("LoadSurgeEnded", stakeholder="police"), seen_by("police"))],
    "RuleFired": [(sample("RuleFired", stakeholder="guard", rule="call"), seen_by("guard"))],
    "Escalated": [(sample("Escalated", stakeholder="police", fact="major-incident"), seen_by("police"))],
    "BackgroundJobStarted": [
        (sample("BackgroundJobStarted", stakeholder="police", waited_s=0.0, service_s=90.0), seen_by("police"))
    ],
    "DispatchOrdered": [(sample("DispatchOrdered", stakeholder="police", site="hq", units=2), seen_by("police"))],
    "UnitsLeft": [
        (
            sample("UnitsLeft", stakeholder="police", site="hq", units=2, waited_s=5.0, travel_s=120.0),
            seen_by("police"),
        )
    ],
    "UnitsArrived": [(sample("UnitsArrived", stakeholder="police", site="hq", units=2), seen_by("police"))],
    "DispatchUnfollowable": [
        (sample("DispatchUnfollowable", stakeholder="police", units=2, site=None), seen_by("police")),
        (sample("DispatchUnfollowable", stakeholder="police", units=2, site="hq"), seen_by("police")),
    ],
    "UnitsStaged": [(sample("UnitsStaged", stakeholder="ems", site="hq", units=2), seen_by("ems"))],
    "UnitsCleared": [(sample("UnitsCleared", stakeholder="ems", site="hq", units=2, staged_s=60.0), seen_by("ems"))],
    "UnitsRecalled": [
        (sample("UnitsRecalled", stakeholder="police", site="hq", units=2, was="on_scene"), seen_by("police"))
    ],
    "UnitsRedirected": [
        (
            sample(
                "UnitsRedirected",
                stakeholder="police",
                units=2,
                from_site="hq",
                site="cafe",
                reason="pursuit",
                travel_s=60.0,
            ),
            seen_by("police"),
        )
    ],
    "PursuitBlocked": [
        (sample("PursuitBlocked", stakeholder="police", units=2, site="hq", threat_site="cafe"), seen_by("police"))
    ],
    "LockdownStarted": [(sample("LockdownStarted", site="hq", by="guard", duration_s=60.0), seen_by("guard"))],
    "LockdownCompleted": [(sample("LockdownCompleted", site="hq", by="guard"), seen_by("guard"))],
    "EvacuationStarted": [(sample("EvacuationStarted", site="hq", by="guard", duration_s=180.0), seen_by("guard"))],
    "EvacuationCompleted": [(sample("EvacuationCompleted", site="hq", by="guard"), seen_by("guard"))],
    "MessageRerouted": [
        (
            sample("MessageRerouted", sender="guard", intended="police", receiver="ambulance", fact="alarm"),
            seen_by("guard"),
        )
    ],
    "MessageUndeliverable": [
        (sample("MessageUndeliverable", sender="guard", receiver="police", fact="alarm"), seen_by("guard"))
    ],
    "MessageSent": [(attempt("MessageSent", attempt=1, latency_s=5.0), seen_by("guard"))],
    "MessageArrived": [(attempt("MessageArrived"), seen_by("guard", "police"))],
    "MessageFailed": [(attempt("MessageFailed", attempt=2), seen_by("guard"))],
    "MessageFellBack": [
        (
            sample("MessageFellBack", channel="phone", fallback="radio", fact="alarm", sender="guard", receiver="hq"),
            seen_by("guard", "hq"),
        )
    ],
    "MessageLost": [(attempt("MessageLost"), seen_by("guard"))],
    "MessageTaken": [
        (
            sample("MessageTaken", stakeholder="police", fact="alarm", sender="guard", waited_s=2.0, intake_s=30.0),
            seen_by("police"),
        )
    ],
    "DecisionOpened": [
        (sample("DecisionOpened", decision="go", stakeholder="police", deadline_s=60.0), seen_by("police"))
    ],
    "DecisionTaken": [
        (sample("DecisionTaken", decision="go", option="yes", stakeholder="police", by="default"), seen_by("police"))
    ],
    "InjectDelivered": [
        (sample("InjectDelivered", inject="inj-01", to="police", fact=None, by="schedule"), seen_by("police"))
    ],
    "InjectAdded": [
        # Its receiver gets it as InjectDelivered, like any other inject: not that it was written on the spot.
        (sample("InjectAdded", inject="adhoc-1", to="police", text="A call.", fact="alarm"), CONTROL_ONLY)
    ],
    "InjectHeld": [(sample("InjectHeld", inject="inj-01"), CONTROL_ONLY)],
    "InjectWithheld": [(sample("InjectWithheld", inject="inj-01"), CONTROL_ONLY)],
    "InjectReleased": [(sample("InjectReleased", inject="inj-01"), CONTROL_ONLY)],
    "InjectDelayed": [(sample("InjectDelayed", inject="inj-01", due_t=600.0), CONTROL_ONLY)],
    "InjectSkipped": [(sample("InjectSkipped", inject="inj-01"), CONTROL_ONLY)],
    "MilestoneReached": [(sample("MilestoneReached", milestone="first-call"), CONTROL_ONLY)],
}
"""For each kind, sample records and the exact audience of each."""


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_kind_is_seen_by_exactly_its_audience(kind: str) -> None:
    if kind not in CASES:
        pytest.fail(f"{kind} has no sample record in CASES: write one, with the audience it must have")

    records, expected = zip(*CASES[kind], strict=True)

    assert [audience(record) for record in records] == list(expected)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_each_sample_is_a_well_formed_record_of_its_kind(kind: str) -> None:
    assert [problem for record, _ in CASES[kind] for problem in mismatches(record)] == []
    assert all(record["kind"] == kind for record, _ in CASES[kind])


@pytest.mark.parametrize(
    ("seen", "seat", "admitted"),
    [
        (CONTROL_ONLY, "facilitator", True),
        (CONTROL_ONLY, "evaluator", True),
        (CONTROL_ONLY, "police", False),
        (EVERYONE, "police", True),
        (seen_by("guard", "police"), "police", True),
        (seen_by("guard", "police"), "evaluator", True),
        (seen_by("guard"), "police", False),
    ],
)
def test_an_audience_admits_control_always_then_everyone_or_its_stakeholders(
    seen: Audience, seat: str, admitted: bool
) -> None:
    assert seen.admits(seat) is admitted


def test_a_kind_without_a_rule_stays_with_control() -> None:
    assert audience(sample("SomethingNew", stakeholder="police")) == CONTROL_ONLY


# --- sentences --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (
            sample("RunStarted", scenario="drill", variant="direct-radio", seed=7),
            "Run started (seed 7, variant direct-radio)",
        ),
        (sample("RunStarted", scenario="drill", variant=None, seed=0), "Run started (seed 0)"),
        (
            sample("FactLearned", stakeholder="police", fact="attack", source="inject:inj-01", true=False),
            "police learns attack (false report) from inject:inj-01",
        ),
        (
            sample("ThreatPhaseStarted", phase="attack", phase_kind="attack", site="hq", duration_s=60.0),
            "Threat: attack begins at hq",
        ),
        (sample("ThreatNeutralised", by="patrols", site="hq"), "Threat neutralised by patrols"),
        (sample("ThreatEnded", harm=3.25, outcome="ended", by=None), "Threat over (harm 3.2)"),
        (
            sample("ThreatEnded", harm=3.25, outcome="contained", by="patrols"),
            "Threat over: contained by patrols (harm 3.2)",
        ),
        (
            sample("ThreatEnded", harm=0.0, outcome="surrendered", by="patrols"),
            "Threat over: the attacker surrendered to patrols (harm 0.0)",
        ),
        (
            sample("ThreatEnded", harm=0.0, outcome="escaped", by=None),
            "Threat over: the attacker escaped (harm 0.0)",
        ),
        (sample("EngagementStarted", site="hq", phase="attack", by="patrols"), "patrols engages the threat at hq"),
        (sample("EngagementPaused", site="hq", phase="attack", engaged_s=90.5), "Engagement at hq stops after 90.5 s"),
        (
            sample("DecisionTaken", decision="go", option="yes", stakeholder="police", by="default"),
            "police decides go = yes (default)",
        ),
        (attempt("MessageFailed", attempt=2), "guard cannot get through to police on phone (attempt 2)"),
        (CASES["MessageFellBack"][0][0], "phone failed; trying radio"),
        (sample("RunEnded", harm=12.345, milestones={}, ratings={}), "Run ended (harm 12.3)"),
        (sample("PauseMarked", note=""), "Pause"),
    ],
)
def test_a_sentence_without_names_reads_as_the_timeline_always_has(record: dict[str, Any], expected: str) -> None:
    assert sentence(record) == expected
    assert describe(record) == expected


def test_a_sentence_with_names_shows_each_id_it_names_by_its_name() -> None:
    names = {"police": "State police", "attack": "Shots fired", "inj-01": "First call", "guard": "Guard desk"}

    learned = sample("FactLearned", stakeholder="police", fact="attack", source="inject:inj-01", true=True)
    rerouted = sample("MessageRerouted", sender="guard", intended="police", receiver="ambulance", fact="attack")

    assert sentence(learned, names) == "State police learns Shots fired from inject:First call"
    assert sentence(rerouted, names) == "Guard desk's call for State police reaches ambulance instead"


def test_a_command_reads_as_its_name_its_seat_and_what_it_was_given() -> None:
    assert sentence(command("police"), {"go": "Go in?"}) == "Command decide by police (decision=Go in?, option=yes)"
    assert sentence(command(None)) == "Command decide (decision=go, option=yes)"


@pytest.mark.parametrize("kind", sorted(CASES))
def test_every_kind_reads_as_a_sentence_of_its_own(kind: str) -> None:
    for record, _ in CASES[kind]:
        assert sentence(record) != kind
        assert sentence(record, {}) == sentence(record)


def test_a_kind_without_a_sentence_is_shown_by_its_kind() -> None:
    assert sentence(sample("SomethingNew")) == "SomethingNew"


def test_the_timeline_shows_kinds_of_the_vocabulary_but_no_message_in_transit_nor_bookkeeping() -> None:
    left_out = {
        "RunStarted",
        "ThreatPhaseEnded",
        "EngagementPaused",
        "MessageSent",
        "MessageArrived",
        "MessageTaken",
        "BackgroundJobStarted",
        "CommandApplied",
    }

    assert set(KINDS) >= TIMELINE_KINDS
    assert not TIMELINE_KINDS & left_out


def test_a_participant_gets_a_record_without_the_truth_the_phase_or_the_future() -> None:
    from simulator.records import participant_view

    observed = sample("FactLearned", stakeholder="guard", fact="shots", source="observation:attack-hall", true=False)
    ended = sample("RunEnded", step=9, exact_t=1.5, harm=12.5, milestones={"call": 60.0}, ratings={"fast": "P"})
    plain = sample("DispatchOrdered", stakeholder="police", site="hall", units=2)

    assert participant_view(observed) == sample("FactLearned", stakeholder="guard", fact="shots", source="observation")
    assert sentence(participant_view(observed)) == "guard learns shots from observation"
    assert sentence(observed) == "guard learns shots (false report) from observation:attack-hall"
    assert participant_view(ended) == sample("RunEnded")
    assert sentence(participant_view(ended)) == "Run ended"
    assert participant_view(plain) is plain
