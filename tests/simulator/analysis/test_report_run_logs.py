"""The facts of a run from logs that did not simply play to their end: ended early by the facilitator, stopped by
the engine's ceiling, cut short by a crash (even in the middle of an event), altered; and the same facts under any
hash seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator import Exercise
from simulator.analysis.report.errors import ReportError
from simulator.analysis.report.run_facts import run_facts
from simulator.limits import RunLimits
from tests.simulator.analysis.test_report_run_facts import drill


@pytest.fixture(scope="module")
def drill_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "drill.jsonl"
    Exercise(drill(), 0, log=path).run()
    return path


def test_a_run_the_facilitator_ended_early_is_ended_early(tmp_path: Path) -> None:
    path = tmp_path / "early.jsonl"
    exercise = Exercise(drill(), 0, log=path)
    exercise.advance_to(400.0)
    exercise.close()

    facts = run_facts(path)

    assert (facts.status, facts.status_text) == (
        "ended early",
        "ended early by the facilitator at T+00:06:40 (of T+00:15:00)",
    )


def test_a_run_the_engine_s_ceiling_stopped_is_stopped(tmp_path: Path) -> None:
    path = tmp_path / "stopped.jsonl"
    Exercise(drill(), 0, log=path, limits=RunLimits(records=20)).run()

    facts = run_facts(path)

    assert facts.status == "stopped"
    assert facts.status_text.startswith("stopped by the engine's ceiling at T+00:01:55: ")


def cut(source: Path, target: Path, records: int) -> Path:
    """The header and the first `records` records of a log, and half of the next line (as a crash leaves it)."""
    lines = source.read_bytes().splitlines(keepends=True)
    target.write_bytes(b"".join(lines[: records + 1]) + lines[records + 1][:20])
    return target


def test_a_log_cut_short_is_interrupted_and_reports_the_milestones_it_holds(drill_log: Path, tmp_path: Path) -> None:
    # Records 0 to 24 end with police-know (02:05); the lockdown is decided later.
    facts = run_facts(cut(drill_log, tmp_path / "cut.jsonl", 25))

    assert facts.status == "interrupted"
    assert facts.status_text.startswith("interrupted at T+00:02:05 (of T+00:15:00): the log holds 25 records")
    assert "pending" in facts.status_text
    assert facts.verdict == "interrupted (unsealed): 25 complete records; a torn last line was dropped"
    assert facts.debrief.reached == ("control-knows", "police-know")
    assert [(o.objective, o.rating) for o in facts.debrief.objectives] == [
        ("warn-police", "M"),
        ("lock-fast", None),
        ("patrols-fast", None),
    ]
    assert facts.decisions[0].taken_t is None and facts.decisions[0].alternatives == ()
    patrols = next(h for h in facts.handovers if h.receiver == "patrols")
    assert (patrols.outcome, patrols.learned_t) == ("in transit", None)  # the patrols' call taker was still at it


def test_a_log_cut_in_the_middle_of_an_event_reports_only_what_it_holds(drill_log: Path, tmp_path: Path) -> None:
    # Record 21 is the police learning the alarm (02:05); the same event then opens the decision and reaches
    # police-know (records 22 to 24), which the log no longer holds.
    facts = run_facts(cut(drill_log, tmp_path / "mid.jsonl", 22))

    assert facts.debrief.reached == ("control-knows",)
    assert facts.debrief.records == 22
    assert [row.seq for row in facts.debrief.timeline][-1] == 21
    assert facts.decisions == ()
    assert [(o.objective, o.rating) for o in facts.debrief.objectives] == [
        ("warn-police", None),
        ("lock-fast", None),
        ("patrols-fast", None),
    ]


def test_a_log_whose_record_was_changed_does_not_re_simulate_and_says_how_to_check_it(
    drill_log: Path, tmp_path: Path
) -> None:
    path = cut(drill_log, tmp_path / "altered.jsonl", 25)
    path.write_bytes(path.read_bytes().replace(b'"latency_s":30.0', b'"latency_s":31.0', 1))

    with pytest.raises(ReportError) as raised:
        run_facts(path)

    assert raised.value.message == f"{path}: the log does not re-simulate exactly (record 5 differs)"
    assert raised.value.hint == f"check it with: tabletop replay {path} --verify"


def test_a_run_that_did_not_play_to_its_end_has_no_alternatives(tmp_path: Path) -> None:
    path = tmp_path / "early.jsonl"
    exercise = Exercise(drill(), 0, log=path)
    exercise.advance_to(400.0)
    exercise.close()

    assert run_facts(path).decisions[0].alternatives == ()


def test_the_facts_are_the_same_under_any_hash_seed() -> None:
    golden = Path(__file__).parents[2] / "golden" / "synagogue-holiday-attack.seed0.jsonl"
    program = (
        "import sys; from pathlib import Path; from simulator.analysis.report.run_facts import run_facts; "
        "sys.stdout.write(repr(run_facts(Path(sys.argv[1]))))"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", program, str(golden)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]

    assert outputs[0] == outputs[1]
    assert b"Police on scene within 10 minutes" in outputs[0]


def test_a_false_report_still_held_when_the_log_was_cut_short_is_held_by_the_end_of_the_log(
    drill_log: Path, tmp_path: Path
) -> None:
    # Record 49 is the police learning the rumour (06:00); the guard learns the all-clear only at 08:00.
    facts = run_facts(cut(drill_log, tmp_path / "rumour.jsonl", 50))

    spread = next(f for f in facts.improvements if f.title.startswith("False report"))
    assert spread.analysis.endswith(
        "Nobody corrected it at Guard, Caller, Control, Police: they held it by the end of the log (06:00)."
    )


def test_a_false_report_still_held_when_the_run_ended_is_held_to_the_end_of_the_run(drill_log: Path) -> None:
    spread = next(f for f in run_facts(drill_log).improvements if f.title.startswith("False report"))

    assert spread.analysis.endswith(
        "Nobody corrected it at Caller, Control, Police: they held it to the end of the run."
    )
