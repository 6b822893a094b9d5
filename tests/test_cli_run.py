"""`tabletop run`: the report a facilitator reads, the JSON summary, preset decisions, and user mistakes (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scenarios import Scenario, load_scenario
from scenarios.limits import MAX_ATTEMPTS
from simulator import Exercise, RunSummary
from simulator.debrief import Debrief, debrief
from simulator.limits import RunLimits
from simulator.runlog import read_run_log
from tabletop_cli._run import TIMELINE_ENDS, print_run, summary_json
from tabletop_cli.main import app
from tests.simulator import scenario_factory as factory

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "synagogue-holiday-attack"
DECISION, DEFAULT, OTHER = "patrols-in-or-wait", "send-in", "wait-for-armed"
"""A decision that opens in the seed-0 run, its default option and another option."""
USER_ERROR = 2


@cache
def scenario() -> Scenario:
    return load_scenario(SCENARIO)


@cache
def seed_0() -> RunSummary:
    """The run the CLI plays by default, played in this process."""
    return Exercise(scenario(), 0, source=SCENARIO).run()


def clock_at(t: float) -> str:
    """The wall clock (HH:MM:SS) at simulation time `t` of the scenario."""
    return (datetime.fromisoformat(scenario().clock.start) + timedelta(seconds=t)).strftime("%H:%M:%S")


def tabletop(*args: str) -> tuple[int, str, str]:
    """Run the CLI in this process on a wide terminal; return (exit code, stdout, stderr)."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "240"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def line_with(text: str, output: str) -> str:
    """The one line of `output` that holds `text`."""
    lines = [line for line in output.splitlines() if text in line]
    assert len(lines) == 1, f"expected one line with {text!r}, found {len(lines)}:\n{output}"
    return lines[0]


def row_of(first_cell: str, output: str, column: int = 1) -> list[str]:
    """The cells of the one table row whose `column`-th cell is `first_cell`."""
    rows = [cells for line in output.splitlines() if len(cells := [c.strip() for c in line.split("│")]) > column]
    matching = [cells[1:-1] for cells in rows if cells[column] == first_cell]
    assert len(matching) == 1, f"expected one row with {first_cell!r}, found {len(matching)}:\n{output}"
    return matching[0]


# --- the readable report --------------------------------------------------------------------------------------


def test_a_run_prints_its_title_seed_and_t0() -> None:
    code, out, _ = tabletop("run", SCENARIO)

    assert code == 0
    clock = scenario().clock
    assert line_with(scenario().title, out).endswith(f"seed 0, T0 = {clock.start} {clock.time_zone}")


def test_the_timeline_starts_at_the_wall_clock_of_t0() -> None:
    _, out, _ = tabletop("run", SCENARIO)

    rows = [line for line in out.splitlines() if "T+" in line and "│" in line]
    assert rows, out
    assert rows[0].split("│")[1].strip() == clock_at(0.0)
    assert rows[0].split("│")[2].strip() == "T+00:00:00"


def test_every_milestone_is_listed_with_the_wall_clock_it_was_reached_at() -> None:
    _, out, _ = tabletop("run", SCENARIO)

    reached = seed_0().milestones
    for milestone in scenario().milestones:
        row = row_of(milestone.name, out)
        assert row[1] == (clock_at(reached[milestone.id]) if milestone.id in reached else "not reached"), row


def test_every_objective_is_listed_with_its_rating() -> None:
    _, out, _ = tabletop("run", SCENARIO)

    ratings = seed_0().objectives
    assert len(ratings) == len(scenario().objectives)
    for rating in ratings:
        row = row_of(rating.name, out, column=2)
        assert row[0] == rating.rating, row


def test_the_harm_is_printed_last_with_its_unit() -> None:
    _, out, _ = tabletop("run", SCENARIO)

    assert f"Harm: {seed_0().harm:.1f} exposure-minutes" in out


# --- the JSON summary -----------------------------------------------------------------------------------------


def test_json_gives_milestones_objectives_and_harm() -> None:
    code, out, _ = tabletop("run", SCENARIO, "--json")

    assert code == 0
    summary = json.loads(out)
    expected = seed_0()
    assert summary["harm"] == expected.harm
    assert summary["seed"] == 0
    assert summary["milestones"] == {
        milestone: {"t": t, "wall_clock": clock_at(t)} for milestone, t in expected.milestones.items()
    }
    assert [(o["objective"], o["rating"]) for o in summary["objectives"]] == [
        (o.objective, o.rating) for o in expected.objectives
    ]
    assert {o["rating"] for o in summary["objectives"]} <= {"P", "S", "M", "U"}


# --- preset decisions -----------------------------------------------------------------------------------------


def test_without_decide_the_default_is_taken_at_the_deadline(tmp_path: Path) -> None:
    tabletop("run", SCENARIO, "--log", str(tmp_path / "run.jsonl"), "--json")

    taken = [r for r in read_run_log(tmp_path / "run.jsonl").records if r["kind"] == "DecisionTaken"]

    assert [(r["option"], r["by"]) for r in taken if r["decision"] == DECISION] == [(DEFAULT, "default")]


def test_decide_takes_the_given_option_as_soon_as_the_decision_opens(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"

    code, out, _ = tabletop("run", SCENARIO, "--decide", f"{DECISION}={OTHER}", "--log", str(log), "--json")

    assert code == 0
    assert json.loads(out)["decisions"][DECISION] == OTHER
    run = read_run_log(log)
    assert run.header["decisions"] == {DECISION: OTHER}
    opened = next(r for r in run.records if r["kind"] == "DecisionOpened" and r["decision"] == DECISION)
    taken = [r for r in run.records if r["kind"] == "DecisionTaken" and r["decision"] == DECISION]
    assert [(r["option"], r["by"], r["t"]) for r in taken] == [(OTHER, "preset", opened["t"])]


# --- user mistakes: exit 2, a message, no traceback -------------------------------------------------------------

MISTAKES: dict[str, tuple[list[str], str]] = {
    "unknown scenario": (["run", "no-such-scenario"], "no-such-scenario"),
    "unknown variant": (["run", SCENARIO, "--variant", "no-such-variant"], "no-such-variant"),
    "--decide without =": (["run", SCENARIO, "--decide", DECISION], "DECISION=OPTION"),
    "unknown decision": (["run", SCENARIO, "--decide", f"no-such-decision={DEFAULT}"], "no-such-decision"),
    "unknown option of a decision": (["run", SCENARIO, "--decide", f"{DECISION}=no-such-option"], "no-such-option"),
    "unknown command-line option": (["run", SCENARIO, "--no-such-flag"], "--no-such-flag"),
}
"""For each mistake: the arguments, and a text the message must hold."""


def mistake(*args: str) -> tuple[int, str]:
    """Run the CLI in this process, expecting a user mistake; return (exit code, stderr).

    In process, a traceback would show as an exception other than SystemExit: it is raised with its own.
    """
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "240"})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"a traceback instead of a message: {result.exception!r}") from result.exception
    assert not result.stdout, "a mistake prints nothing on stdout"
    return result.exit_code, result.stderr


@pytest.mark.parametrize("case", MISTAKES)
def test_a_user_mistake_exits_2_with_a_message(case: str) -> None:
    args, message = MISTAKES[case]

    code, err = mistake(*args)

    assert code == USER_ERROR, err
    assert message in err


def test_a_log_is_never_written_over_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "run.jsonl"
    existing.write_text("not to be touched\n")

    code, err = mistake("run", SCENARIO, "--log", str(existing))

    assert code == USER_ERROR
    assert "already exists" in err
    assert existing.read_text() == "not to be touched\n"


def test_a_seed_too_large_for_the_run_log_is_a_user_mistake(tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"

    # Canonical JSON holds 64-bit integers only: before seeds were bounded, orjson's TypeError ("Integer exceeds
    # 64-bit range") escaped from RunLogWriter as a traceback.
    code, err = mistake("run", SCENARIO, "--seed", str(2**64), "--log", str(log))

    assert code == USER_ERROR
    assert "seed" in err
    assert not log.exists()


def tabletop_command() -> list[str]:
    """The command that runs the `tabletop` CLI installed next to this Python."""
    script = Path(sys.executable).parent / "tabletop"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from tabletop_cli.main import main; main()"]


def test_the_installed_command_reports_a_mistake_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [*tabletop_command(), "run", "no-such-scenario", "--seed", "3"],
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "240"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == USER_ERROR
    assert "Traceback" not in result.stderr
    assert "no-such-scenario" in result.stderr
    assert result.stdout == ""


def test_a_reconstruction_shows_each_milestones_published_time_beside_the_simulated_one() -> None:
    from typer.testing import CliRunner

    from tabletop_cli.main import app

    result = CliRunner().invoke(app, ["run", "halle-2019-reconstruction"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    table = result.output[result.output.index("Milestones") :]
    assert "published" in table
    police = next(line for line in table.splitlines() if "Police on scene at" in line)
    assert police.count("12:11") == 2  # simulated 12:11:00, published 12:11


# --- a run stopped by the engine's ceiling --------------------------------------------------------------------


def stopped_report(records: int) -> Debrief:
    """The report of twenty lines that fail and are retried at once, as often as the language allows (over 4,000
    records, all at T0), stopped by a ceiling of `records` records."""
    failing = {
        "failure_probability": 1.0,
        "on_failure": {"then": "retry", "retry_after": "0s", "max_attempts": MAX_ATTEMPTS},
    }
    guards = [f"guard-{number}" for number in range(20)]
    built = factory.scenario(
        facts=factory.facts("alarm"),
        stakeholders=[
            *(
                factory.stakeholder(g, factory.rule(f"call-{g}", {"event": "start"}, factory.notify("police", "alarm")))
                for g in guards
            ),
            factory.stakeholder("police"),
        ],
        channels=[factory.channel(f"phone-{g}", g, "police", **failing) for g in guards],
    )
    exercise = Exercise(built, limits=RunLimits(records=records))
    return debrief(exercise, exercise.run())


def test_the_report_of_a_stopped_run_says_why_it_stopped(capsys: pytest.CaptureFixture[str]) -> None:
    print_run(stopped_report(40))

    out = " ".join(capsys.readouterr().out.split())
    assert "The run was stopped: record limit reached (40 records) at T+00:00:00" in out
    assert summary_json(stopped_report(40))["stopped"] == "record limit reached (40 records)"


def test_a_timeline_of_thousands_of_lines_prints_its_first_and_last_lines(capsys: pytest.CaptureFixture[str]) -> None:
    report = stopped_report(3_000)

    print_run(report)

    out = " ".join(capsys.readouterr().out.split())
    hidden = len(report.timeline) - 2 * TIMELINE_ENDS
    assert hidden > 0
    assert f"{hidden:,} more lines (the run log has every record)" in out
    assert out.count("│ T+00:00:00 │") == 2 * TIMELINE_ENDS


def test_the_report_shows_t0_as_the_clocks_show_it_when_the_start_is_in_the_skipped_hour(
    capsys: pytest.CaptureFixture[str],
) -> None:
    built = factory.scenario(stakeholders=[factory.stakeholder("police")])
    clock = built.clock.model_copy(update={"start": "2026-03-29T02:30:00", "time_zone": "Europe/Berlin"})
    exercise = Exercise(built.model_copy(update={"clock": clock}))

    print_run(debrief(exercise, exercise.run()))

    assert "T0 = 2026-03-29T03:30:00 Europe/Berlin" in " ".join(capsys.readouterr().out.split())
