"""Scrubbing a logged run: each frame is what an independent re-simulation to that moment gives, field by field."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from scenarios import Scenario, load_scenario
from simulator import CommandError, Exercise, ExerciseHost
from simulator._logformat import RunLogError
from simulator.analysis import scrub
from simulator.analysis.scrub import LogReplay, Mark
from simulator.commands import Decide, FireInject, HoldInject, ReleaseInject
from simulator.logcheck import read_tabletop_log
from simulator.records import audience, participant_view
from simulator.resume import ReplayError, resimulate, scenario_of
from simulator.scoreboard import scoreboard
from simulator.views import catalogue, inbox, msel, network, pending_decisions
from tests.simulator.analysis.conftest import phoned_alarm

SYNAGOGUE = "synagogue-holiday-attack"
HALLE = "halle-2019-reconstruction"
PARTICIPANT = {SYNAGOGUE: "community-security", HALLE: "police-control-110"}
"""The participant's seat checked in each scenario (one that takes a decision)."""
PRESETS = {SYNAGOGUE: {"patrols-in-or-wait": "wait-for-armed"}, HALLE: {}}
"""Decisions chosen in advance, as `tabletop play --decide` does."""


# --- logs to replay -------------------------------------------------------------------------------------------


def take_open_decisions(host: ExerciseHost) -> None:
    """While the clock is paused: take each open decision with its last option (a logged `decide` command)."""
    for pending in host.pending_decisions():
        host.submit(Decide(decision=pending.decision, option=pending.options[-1].id))


def play(host: ExerciseHost, until: float, on_pause: Callable[[ExerciseHost], None] = take_open_decisions) -> None:
    """Let the clock run at 60x to `until`, acting (`on_pause`) and resuming whenever the host paused."""
    while host.exercise.now < until and host.clock().next_event_t is not None:
        if host.paused:
            on_pause(host)
            host.run_clock()
        host.tick(min(1.0, (until - host.exercise.now) / 60))


def write_log(path: Path, name: str, *, interrupt_at: float | None = None) -> Path:
    """A run of a bundled scenario hosted as in a room: presets, injects held, fired and released, decisions taken
    while paused; sealed at the end, or abandoned at `interrupt_at` (an interrupted log)."""
    scenario = load_scenario(name)
    host = ExerciseHost.open(scenario, seed=3, log=path, source=name, decisions=PRESETS[name])
    contingency = next(i.id for i in scenario.injects if i.contingency)
    _at, later = max((i.at, i.id) for i in scenario.injects if isinstance(i.at, float) and i.at > 0)
    host.submit(HoldInject(inject=later))  # a command at T0
    host.set_speed("60x")
    host.run_clock()
    play(host, 600.0)
    if not host.paused:
        host.pause("the room discusses")
    host.submit(FireInject(inject=contingency))  # a command while paused
    host.run_clock()
    play(host, 1500.0)
    if interrupt_at is not None:
        play(host, interrupt_at)
        host.abandon()
        return path
    if not host.paused:
        host.pause()
    host.submit(ReleaseInject(inject=later))
    play(host, host.exercise.end_t)
    host.finish()
    return path


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A sealed log of each of the two bundled scenarios, and an interrupted one of the synagogue."""
    folder = tmp_path_factory.mktemp("scrub")
    made = {name: write_log(folder / f"{name}.jsonl", name) for name in (SYNAGOGUE, HALLE)}
    made["interrupted"] = write_log(folder / "cut.jsonl", SYNAGOGUE, interrupt_at=2000.0)
    return made


# --- the independent re-simulation ----------------------------------------------------------------------------


def reference(path: Path, t: float, seat: str) -> dict[str, Any]:
    """The frame at `t` (ms, within the run) as re-simulating the log to `t` gives it, in its JSON form."""
    log = read_tabletop_log(path)
    scenario, _notes = scenario_of(log)
    last = log.records[-1]
    if last["kind"] == "RunEnded" and t >= round(last["exact_t"], 3):  # the end of a run that ended: as it ended
        exercise = resimulate(log, scenario)
        exercise.advance_to_point(last["exact_t"], last["step"])
        exercise.close()
        t = last["exact_t"]
    else:
        after = next(
            (r["seq"] for r in log.records if r["kind"] == "CommandApplied" and r["exact_t"] > t),
            None,
        )
        exercise = resimulate(log, scenario, until_record=after)
        exercise.advance_to(t)
    world = exercise.world
    participant = seat == PARTICIPANT[scenario.id]
    clock = scenario.clock
    local = (
        datetime.fromisoformat(clock.start).replace(tzinfo=ZoneInfo(clock.time_zone)).astimezone(UTC)
        + timedelta(seconds=exercise.now)
    ).astimezone(ZoneInfo(clock.time_zone))
    offset = local.strftime("%z")
    upcoming = exercise.next_event_t()
    return {
        "t": t,
        "seat": seat,
        "records": len(exercise.records),
        "clock": {
            "now": round(exercise.now, 3),
            "end": clock.duration,
            "next_event_t": None if participant or upcoming is None else round(upcoming, 3),
            "step": exercise.step,
            "wall_clock": local.strftime("%H:%M:%S"),
            "utc_offset": f"{offset[:3]}:{offset[3:]}",
            "time_zone": clock.time_zone,
            "paused": True,
            "speed": "1x",
            "finished": exercise.finished,
        },
        "decisions": [d.to_dict() for d in pending_decisions(world, seat)],
        "network": network(world, seat).to_dict(),
        "msel": [] if participant else [row.to_dict() for row in msel(world)],
        "scoreboard": None if participant else scoreboard(exercise).to_dict(),
        "inbox": [row.to_dict() for row in inbox(world, seat if participant else None)],
    }


def assert_same_frame(replay: LogReplay, t: float, seat: str) -> None:
    got = replay.frame(t, seat).to_dict()
    expected = reference(replay.path, t, seat)
    assert list(got) == list(expected)
    for field, value in expected.items():
        assert got[field] == value, f"{field} differs at t={t} for {seat}"


def random_times(replay: LogReplay, rng: random.Random) -> list[float]:
    """Ten times: five anywhere in the run, five at moments something was logged (commands among them)."""
    anywhere = [round(rng.uniform(0.0, replay.end), 3) for _ in range(5)]
    commands = [r["t"] for r in replay.log.records if r["kind"] == "CommandApplied"]
    logged = rng.sample(commands, 2) + rng.sample(list(replay.points), 3)
    times = anywhere + logged
    rng.shuffle(times)
    return times


# --- frames ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SYNAGOGUE, HALLE])
def test_a_frame_is_what_re_simulating_to_its_moment_gives_at_ten_random_times(
    logs: dict[str, Path], name: str
) -> None:
    rng = random.Random(f"scrub-{name}")
    with LogReplay.open(logs[name]) as replay:
        times = random_times(replay, rng)
        visits = [(t, seat) for t in times for seat in ("facilitator", PARTICIPANT[name])]
        rng.shuffle(visits)  # backwards as often as forwards
        assert any(later[0] < earlier[0] for earlier, later in pairwise(visits))
        for t, seat in visits:
            assert_same_frame(replay, t, seat)


def test_stepping_back_past_the_window_and_forward_again_gives_the_same_frames(
    logs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scrub, "WINDOW", 3)
    with LogReplay.open(logs[SYNAGOGUE]) as replay:
        points = replay.points
        walk = [*reversed(points[-12:-1]), *points[-10:-6]]
        for t in walk:
            assert_same_frame(replay, t, "facilitator")


def test_a_sealed_log_ends_as_its_run_ended(logs: dict[str, Path]) -> None:
    log = read_tabletop_log(logs[SYNAGOGUE])
    ended = log.records[-1]
    with LogReplay.open(logs[SYNAGOGUE]) as replay:
        assert replay.end == ended["exact_t"]
        assert replay.points[0] == 0.0 and replay.points[-1] == replay.end
        assert list(replay.points) == sorted(set(replay.points))
        last = replay.frame(replay.end + 600)  # clamped to the end
        before = replay.frame(replay.points[-2])
    assert last.clock.finished and not before.clock.finished
    assert last.records == log.record_count
    assert last.scoreboard is not None
    assert {o.id: o.rating for o in last.scoreboard.objectives} == ended["ratings"]
    assert_same_frame(LogReplay.open(logs[SYNAGOGUE]), replay.end, "facilitator")


def test_an_interrupted_log_replays_up_to_its_last_record(logs: dict[str, Path]) -> None:
    path = logs["interrupted"]
    log = read_tabletop_log(path)
    assert log.seal is None and log.records[-1]["kind"] != "RunEnded"
    with LogReplay.open(path) as replay:
        assert replay.end == log.records[-1]["t"]
        assert replay.points[-1] == replay.end
        assert not replay.frame(replay.end).clock.finished
        rng = random.Random("interrupted")
        for t in random_times(replay, rng):
            assert_same_frame(replay, t, "facilitator")
        assert_same_frame(replay, replay.end, PARTICIPANT[SYNAGOGUE])


def test_commands_applied_while_paused_are_in_the_frame_of_their_moment(logs: dict[str, Path]) -> None:
    records = read_tabletop_log(logs[SYNAGOGUE]).records
    pauses = [r for r in records if r["kind"] == "PauseMarked"]
    fired = next(r for r in records if r["kind"] == "CommandApplied" and r["command"]["command"] == "fire_inject")
    decide = next(r for r in records if r["kind"] == "CommandApplied" and r["command"]["command"] == "decide")
    taken = next(r for r in records if r["kind"] == "DecisionTaken" and r["seq"] > decide["seq"])
    for command in (fired, decide):  # each was applied while the clock stood paused
        assert any(p["seq"] < command["seq"] and p["t"] == command["t"] for p in pauses)
    inject = fired["command"]["inject"]
    with LogReplay.open(logs[SYNAGOGUE]) as replay:
        for command in (fired, decide):
            assert_same_frame(replay, command["t"], "facilitator")
            assert_same_frame(replay, round(command["t"] - 0.001, 3), "facilitator")
        at_fire = replay.frame(fired["t"])
        before_fire = replay.frame(round(fired["t"] - 0.001, 3))
        at_decide = replay.frame(decide["t"])
    assert inject in {row.id for row in at_fire.inbox}
    assert inject not in {row.id for row in before_fire.inbox}
    assert at_decide.records > taken["seq"]
    assert decide["command"]["decision"] not in {d.decision for d in at_decide.decisions}


def test_times_are_clamped_to_the_run_and_taken_to_the_millisecond(logs: dict[str, Path]) -> None:
    with LogReplay.open(logs[HALLE]) as replay:
        assert replay.frame(-50).t == 0.0
        assert replay.frame(12.3456).t == 12.346
        assert replay.frame(12.3456).clock.now == 12.346
        with pytest.raises(ValueError, match="simulation time"):
            replay.frame(float("nan"))


def test_point_index_finds_the_last_point_at_or_before_a_time(logs: dict[str, Path]) -> None:
    with LogReplay.open(logs[HALLE]) as replay:
        points = replay.points
        assert replay.point_index(0.0) == 0
        assert replay.point_index(-1.0) == 0
        assert replay.point_index(points[5]) == 5
        assert replay.point_index((points[5] + points[6]) / 2) == 5
        assert replay.point_index(replay.end + 1) == len(points) - 1


# --- marks, names and records ---------------------------------------------------------------------------------


def test_marks_are_the_milestones_and_decisions_in_time_order_and_a_participant_gets_only_its_own(
    logs: dict[str, Path],
) -> None:
    log = read_tabletop_log(logs[SYNAGOGUE])
    scenario = load_scenario(SYNAGOGUE)
    milestone_names = {m.id: m.name for m in scenario.milestones}
    prompts = {d.id: d.prompt for d in scenario.decisions}
    labels = {(d.id, o.id): o.label for d in scenario.decisions for o in d.options}
    expected = []
    for r in log.records:
        if r["kind"] == "MilestoneReached":
            expected.append(Mark(r["t"], "milestone", r["milestone"], milestone_names[r["milestone"]]))
        elif r["kind"] == "DecisionOpened":
            expected.append(Mark(r["t"], "decision_opened", r["decision"], prompts[r["decision"]]))
        elif r["kind"] == "DecisionTaken":
            label = f"{prompts[r['decision']]}: {labels[r['decision'], r['option']]}"
            expected.append(Mark(r["t"], "decision_taken", r["decision"], label))
    seat = PARTICIPANT[SYNAGOGUE]
    own = {d.id for d in scenario.decisions if d.stakeholder == seat}
    with LogReplay.open(logs[SYNAGOGUE]) as replay:
        marks = replay.marks()
        theirs = replay.marks(seat)
    assert marks == tuple(expected)
    assert {m.kind for m in marks} == {"milestone", "decision_opened", "decision_taken"}
    assert [m.t for m in marks] == sorted(m.t for m in marks)
    assert theirs == tuple(m for m in expected if m.kind != "milestone" and m.id in own)
    assert theirs


def test_records_are_the_first_ones_a_seat_may_see(logs: dict[str, Path]) -> None:
    log = read_tabletop_log(logs[SYNAGOGUE])
    seat = PARTICIPANT[SYNAGOGUE]
    upto = len(log.records) // 2
    seen = [participant_view(r) for r in log.records[:upto] if audience(r).admits(seat)]
    with LogReplay.open(logs[SYNAGOGUE]) as replay:
        assert replay.records(upto) == log.records[:upto]
        assert replay.records(upto, seat) == seen
        assert replay.records(10**9) == log.records
        assert replay.records(-3, seat) == []
    assert 0 < len(seen) < upto
    assert all("true" not in r for r in seen if r["kind"] == "FactLearned")


def test_a_participant_steps_only_through_the_moments_something_reached_it(logs: dict[str, Path]) -> None:
    log = read_tabletop_log(logs[SYNAGOGUE])
    seat = PARTICIPANT[SYNAGOGUE]
    with LogReplay.open(logs[SYNAGOGUE]) as replay:
        ended = float(log.records[-1]["exact_t"])  # the sealed run's RunEnded: its exact end is the last point
        reached = {float(r["t"]) for r in log.records[:-1] if audience(r).admits(seat)}
        assert replay.points_for(seat) == tuple(sorted({0.0, *reached, ended}))
        assert replay.points_for("facilitator") == replay.points
        assert set(replay.points_for(seat)) < set(replay.points)
        with pytest.raises(CommandError):
            replay.points_for("nobody")


def test_the_catalogue_names_the_facts_ad_hoc_injects_brought(tmp_path: Path) -> None:
    path = tmp_path / "adhoc.jsonl"
    exercise = Exercise(load_scenario(SYNAGOGUE), 2, log=path, source=SYNAGOGUE)
    exercise.advance_to(300.0)
    exercise.add_inject("crisis-cell", "A caller says a second site is hit.", "second-site", fact_description="2nd")
    exercise.run()
    with LogReplay.open(path) as replay:
        assert replay.catalogue() == catalogue(exercise.world)
        assert replay.catalogue("crisis-cell") == catalogue(exercise.world, "crisis-cell")
        assert ("second-site", "2nd") in {(f.id, f.name) for f in replay.catalogue().facts}


def test_an_unknown_seat_is_refused_with_a_suggestion(logs: dict[str, Path]) -> None:
    with LogReplay.open(logs[HALLE]) as replay, pytest.raises(CommandError, match="did you mean 'patrols'"):
        replay.frame(10.0, "patrol")


# --- bad logs -------------------------------------------------------------------------------------------------


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_a_file_that_is_not_a_run_log_is_refused_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(RunLogError, match=r"notes\.jsonl: not a Tabletop run log"):
        LogReplay.open(path)


def test_an_altered_record_is_refused_with_its_line(logs: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "altered.jsonl"
    text = lines(logs["interrupted"])
    record = orjson.loads(text[5])
    record["kind"] = "NoSuchThing"
    text[5] = orjson.dumps(record) + b"\n"
    path.write_bytes(b"".join(text))
    with pytest.raises(RunLogError, match=r"altered\.jsonl:6: an unknown record kind 'NoSuchThing'"):
        LogReplay.open(path)


def test_a_logged_command_that_no_longer_applies_is_refused_with_its_line(
    logs: dict[str, Path], tmp_path: Path
) -> None:
    path = tmp_path / "command.jsonl"
    text = lines(logs["interrupted"])
    index, record = next(
        (i, r) for i, r in ((i, orjson.loads(line)) for i, line in enumerate(text)) if r.get("kind") == "CommandApplied"
    )
    record["command"] = {"command": "fire_inject", "seat": "facilitator", "inject": "inj-99"}
    text[index] = orjson.dumps(record) + b"\n"
    path.write_bytes(b"".join(text))
    with LogReplay.open(path) as replay, pytest.raises(ReplayError) as caught:
        replay.frame(replay.end)
    assert caught.value.message.startswith(f"{path}:{index + 1}: the logged command cannot be applied again")


def changed_scenario_run(tmp_path: Path) -> Path:
    """A run of a scenario file that was changed afterwards (its phone to 112 much slower)."""
    data = load_scenario(SYNAGOGUE).model_dump(mode="json", by_alias=True)
    data["id"] = "changed-later"
    source = tmp_path / "changed-later.yaml"
    yaml = YAML(typ="safe", pure=True)
    with source.open("w", encoding="utf-8") as file:
        yaml.dump(data, file)
    path = tmp_path / "changed.jsonl"
    Exercise(Scenario.model_validate(data), 4, log=path, source=str(source)).run()
    for channel in data["channels"]:
        channel["latency"] = "20m"
    with source.open("w", encoding="utf-8") as file:
        yaml.dump(data, file)
    return path


def test_a_run_whose_scenario_changed_is_refused_where_it_parts_from_its_log(tmp_path: Path) -> None:
    path = changed_scenario_run(tmp_path)
    with LogReplay.open(path) as replay:
        assert any("has changed since the run" in note for note in replay.notes)
        with pytest.raises(ReplayError, match=r"changed\.jsonl:\d+: the run played again parts from its log") as e:
            replay.frame(replay.end)
    assert e.value.hint is not None and "embedded" in e.value.hint
    with LogReplay.open(path, embedded=True) as replay:
        assert replay.frame(replay.end).clock.finished


def test_a_replay_can_be_used_again_after_a_refusal_and_after_close(logs: dict[str, Path], tmp_path: Path) -> None:
    replay = LogReplay.open(logs[HALLE])
    first = replay.frame(900.0)
    replay.close()
    assert replay.frame(900.0) == first
    with pytest.raises(CommandError):
        replay.frame(900.0, "nobody")
    assert replay.frame(901.0).t == 901.0


def test_frames_are_kept_so_that_stepping_back_in_the_window_does_not_replay(logs: dict[str, Path]) -> None:
    with LogReplay.open(logs[SYNAGOGUE]) as replay:
        points = replay.points
        replay.frame(points[-1])
        replay.frame(points[40])  # backwards: played again from T0, the frames before it kept on the way
        live = replay._exercise
        for t in reversed(points[30:40]):
            replay.frame(t)
        assert replay._exercise is live  # no new re-simulation
        assert replay.frame(points[35]) is replay.frame(points[35])


def test_the_marks_of_a_variant_run_name_the_variant_s_own_milestones(tmp_path: Path) -> None:
    path = tmp_path / "variant.jsonl"
    Exercise(phoned_alarm(), 1, "decision-milestone", log=path, source="phoned-alarm.yaml").run()
    reached = next(r for r in read_tabletop_log(path).records if r["kind"] == "MilestoneReached" and r["t"] > 100)
    with LogReplay.open(path) as replay:
        assert Mark(reached["t"], "milestone", "call-decided", "Call decided") in replay.marks()
        assert replay.frame(replay.end).clock.finished


def test_a_run_whose_variant_is_gone_from_its_scenario_file_is_refused(tmp_path: Path) -> None:
    data = phoned_alarm().model_dump(mode="json", by_alias=True)
    source = tmp_path / "alarm.yaml"
    yaml = YAML(typ="safe", pure=True)
    with source.open("w", encoding="utf-8") as file:
        yaml.dump(data, file)
    path = tmp_path / "variant.jsonl"
    Exercise(Scenario.model_validate(data), 1, "slow-phone", log=path, source=str(source)).run()
    data["variants"] = []
    with source.open("w", encoding="utf-8") as file:
        yaml.dump(data, file)
    with pytest.raises(ReplayError, match=r"variant\.jsonl:1: the run cannot be played again with this scenario"):
        LogReplay.open(path)
    with LogReplay.open(path, embedded=True) as replay:
        assert replay.frame(replay.end).clock.finished


@pytest.fixture(scope="module")
def alarm_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run of the tiny alarm scenario with a pause and a decision taken by a command."""
    path = tmp_path_factory.mktemp("alarm") / "alarm.jsonl"
    exercise = Exercise(phoned_alarm(), 1, log=path, source="phoned-alarm.yaml")
    exercise.advance_to(3.0)
    exercise.mark_pause("before the alarm")
    exercise.advance_to(20.0)
    exercise.decide("call", "later")
    exercise.run()
    return path


@settings(max_examples=40, deadline=None)
@given(times=st.lists(st.floats(min_value=-10.0, max_value=700.0), min_size=1, max_size=12))
def test_any_order_of_seeks_gives_the_frames_of_a_replay_seeking_once(alarm_log: Path, times: list[float]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scrub, "WINDOW", 2)  # windows used up and frames forgotten within a few seeks
        patch.setattr(scrub, "CACHED_FRAMES", 3)
        with LogReplay.open(alarm_log) as replay:
            for t in times:
                with LogReplay.open(alarm_log) as fresh:
                    assert replay.frame(t) == fresh.frame(t)


def test_forkable_holds_a_preset_decision_at_the_moment_it_opened_and_only_then(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    host = ExerciseHost.open(
        load_scenario("synagogue-holiday-attack"),
        3,
        log=path,
        source="synagogue-holiday-attack",
        decisions={"patrols-in-or-wait": "wait-for-armed"},
        pause_on_decision=False,
    )
    host.advance_to(host.clock().end)
    host.finish()
    records = [orjson.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    opened = next(r for r in records if r["kind"] == "DecisionOpened" and r["decision"] == "patrols-in-or-wait")
    with LogReplay.open(path) as replay:
        at = replay.forkable(opened["t"])
        assert [d.decision for d in at] == ["patrols-in-or-wait"]
        assert at[0].opened_t == opened["t"] and at[0].deadline_t == round(opened["t"] + opened["deadline_s"], 3)
        assert replay.frame(opened["t"]).decisions == ()  # taken in the same instant: open in no frame
        assert replay.forkable(opened["t"] + 1) == ()
        assert replay.forkable(opened["t"], "police-control-110")[0].decision == "patrols-in-or-wait"
        assert replay.forkable(opened["t"], "community-security") == ()


@pytest.mark.parametrize(
    ("start", "zone", "clock"),
    [
        ("2026-01-04T10:00", "Europe/Berlin", (12, 4, 0)),
        ("2026-01-04T23:30", "Europe/Berlin", (0, 15, 30)),  # across midnight: the next day's 00:15
        ("2026-01-04T23:30", "Europe/Berlin", (23, 0, 0)),  # before T0's time: the next evening
        ("2026-03-29T01:50", "Europe/Paris", (3, 12, 0)),  # the night the clocks move forward
        ("2026-10-25T01:50", "Europe/Paris", (2, 30, 0)),  # shown twice that night: the first
    ],
)
def test_a_wall_clock_time_is_the_first_moment_from_t0_the_local_clock_reads_so(
    start: str, zone: str, clock: tuple[int, int, int]
) -> None:
    from simulator.narrative import t_at_wall_clock
    from simulator.views import wall_time

    t = t_at_wall_clock(start, zone, *clock)
    local = wall_time(start, zone, t)
    assert (local.hour, local.minute, local.second) == clock and local.fold == 0
    t0 = datetime.fromisoformat(start).replace(tzinfo=ZoneInfo(zone))
    for earlier in range(0, int(t), 60):  # no moment before reads so
        seen = wall_time(start, zone, earlier)
        assert (seen.hour, seen.minute, seen.second) != clock, t0


def test_the_go_to_times_of_a_replay(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    host = ExerciseHost.open(
        load_scenario("bomb-threat-misinformation"), 3, log=path, source="bomb-threat-misinformation"
    )
    host.advance_to(1800.0)
    host.abandon()
    with LogReplay.open(path) as replay:
        start = datetime.fromisoformat(replay.played.clock.start).replace(
            tzinfo=ZoneInfo(replay.played.clock.time_zone)
        )
        at = (start + timedelta(minutes=12, seconds=30)).strftime("%H:%M:%S")
        assert replay.time_of("0") == 0.0
        assert replay.time_of(" 12m ") == replay.time_of("00:12:00") == replay.time_of("T+00:12:00") == 720.0
        assert replay.time_of(f"@{at}") == 750.0
        assert replay.time_of(at[:5]) == 720.0
        with pytest.raises(ValueError, match="is not a time"):
            replay.time_of("soon")
        with pytest.raises(ValueError, match=r"after the end of the log \(interrupted at"):
            replay.time_of("1h")


def test_forkable_holds_a_decision_taken_at_the_moment_shown_with_the_time_it_had_left(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    host = ExerciseHost.open(
        load_scenario("synagogue-holiday-attack"),
        3,
        log=path,
        source="synagogue-holiday-attack",
        pause_on_decision=False,
    )
    host.advance_to(host.clock().end)  # nobody answers: every decision is taken by its default at its deadline
    host.finish()
    records = [orjson.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[1:]]
    opened = next(r for r in records if r["kind"] == "DecisionOpened")
    taken = next(r for r in records if r["kind"] == "DecisionTaken" and r["decision"] == opened["decision"])
    assert taken["by"] == "default" and taken["t"] > opened["t"]
    with LogReplay.open(path) as replay:
        assert all(d.decision != opened["decision"] for d in replay.frame(taken["t"]).decisions)  # no longer open
        at = [d for d in replay.forkable(taken["t"]) if d.decision == opened["decision"]]
        assert len(at) == 1
        assert at[0].opened_t == opened["t"]
        assert at[0].time_left_s == round(opened["t"] + opened["deadline_s"] - taken["t"], 3)
        later = replay.points[replay.point_index(taken["t"]) + 1]
        assert all(d.decision != opened["decision"] for d in replay.forkable(later))
