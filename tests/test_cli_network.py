"""`tabletop network`: the tables a facilitator reads, the what-if side by side, --simulate, --json, --plot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tabletop_cli.main import app
from tests.cli import invoke
from tests.markup_scenario import GUARD, TITLE, scenario_text


def tabletop(*args: str) -> tuple[int, str]:
    """Run the CLI in this process on a 100-column terminal; (exit code, output)."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "100"})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def rows(output: str) -> dict[str, list[str]]:
    """The cells of each table row, by its first cell (rows whose names fit one line)."""
    found: dict[str, list[str]] = {}
    for line in output.splitlines():
        if line.count("│") >= 2:
            cells = [cell.strip() for cell in line.split("│")]
            found.setdefault(cells[0], cells[1:])
    return found


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    path = tmp_path / "literal.yaml"
    path.write_text(scenario_text(), encoding="utf-8")
    return path


def test_each_organisation_has_its_expected_time_chance_and_path_by_name(tricky: Path) -> None:
    code, out = tabletop("network", str(tricky))
    assert code == 0, out
    assert out.splitlines()[0].startswith(TITLE)
    table = rows(out)
    # The guard knows at T+0; the phone line's 10 s latency brings it to the police (no intake: no wait).
    assert table[GUARD][:2] == ["T+00:00", "100%"]
    assert table["Police"][:3] == ["T+00:10", "100%", GUARD]
    assert all(len(line) <= 100 for line in out.splitlines())


def test_the_simulated_mean_and_how_often_reached_stand_beside_the_expected(tricky: Path) -> None:
    code, out = tabletop("network", str(tricky), "--simulate", "3")
    assert code == 0, out
    assert rows(out)["Police"][:4] == ["T+00:10", "100%", "T+00:10", "100%"]


def test_a_what_if_shows_before_after_and_the_change(tricky: Path) -> None:
    code, out = tabletop("network", str(tricky), "--without", "phone")
    assert code == 0, out
    assert "What if these failed: channel phone (" in out
    assert rows(out)["Police"][:3] == ["T+00:10", "never", "cut off"]
    assert rows(out)["Police"][3] == "every channel to it was left out"  # (--without) wraps onto the next line
    assert "of the changed network" in out


def test_json_holds_the_analysis_the_what_if_and_the_simulation(tricky: Path) -> None:
    code, out = invoke("network", str(tricky), "--json", "--without", "guard->police", "--simulate", "2")
    assert code == 0, out
    data = json.loads(out)
    assert data["removed"] == [{"kind": "channel", "id": "phone"}]
    alert = data["alerts"][0]
    assert alert["origins"] == ["guard"]
    police = next(reach for reach in alert["reach"] if reach["stakeholder"] == "police")
    assert police["expected_s"] is None
    assert alert["simulated"]["police"] == {"mean_s": None, "reached": 0, "replications": 2}
    before = next(reach for reach in data["before"]["alerts"][0]["reach"] if reach["stakeholder"] == "police")
    assert before["expected_s"] == 10.0
    assert data["names"]["guard"] == GUARD


def test_the_plot_is_written_once_and_an_existing_file_needs_force(tricky: Path, tmp_path: Path) -> None:
    plot = tmp_path / "net.svg"
    code, out = tabletop("network", str(tricky), "--plot", str(plot))
    assert code == 0, out
    assert plot.read_bytes().startswith(b"<?xml")
    assert "Wrote the drawing of the alert at Hall to" in out
    plot.write_text("mine")
    code, out = tabletop("network", str(tricky), "--plot", str(plot))
    assert code == 2 and plot.read_text() == "mine"
    code, out = tabletop("network", str(tricky), "--plot", str(plot), "--force")
    assert code == 0 and plot.read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plot", "x.pdf"], ".svg or .png"),
        (["--plot", "x.svg", "--site", "hall", "--site", "hall"], "at most one --site"),
        (["--simulate", "-1"], "--simulate -1"),
        (["--without", "polise"], "did you mean"),
        (["--variant", "nope"], "--variant"),
    ],
)
def test_a_mistake_on_the_command_line_is_an_error_without_a_traceback(
    tricky: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    code, out = invoke("network", str(tricky), *[str(tmp_path / a) if a.startswith("x.") else a for a in args])
    assert code == 2
    assert message in out
    assert not list(tmp_path.glob("x.*"))


def test_a_bundled_scenario_lists_every_site_with_people_at_it() -> None:
    code, out = tabletop("network", "synagogue-holiday-attack")
    assert code == 0, out
    assert out.count("An alert at ") == 3
    assert "Police control room (110)" in out


def test_the_plot_suffixes_the_command_accepts_are_the_ones_the_plot_writes() -> None:
    from simulator.analysis.network.plot import FORMATS
    from tabletop_cli._network import PLOT_FORMATS

    assert PLOT_FORMATS == FORMATS


def test_a_long_list_of_single_points_of_failure_shows_those_that_cut_off_the_most(tmp_path: Path) -> None:
    # A chain s00 -> s01 -> ... -> s29: each of its 29 channels and 28 relays is a single point of failure (57).
    # The list is cut to 25: c00 (29 cut off), then s01 and c01 (28 each), ... s12 and c12 (17 each); the 32 left
    # out start with s13 (16).
    people = [{"id": f"s{i:02d}", "name": f"S{i:02d}", "kind": "other", "playbook": []} for i in range(30)]
    people[0]["site"] = "hq"
    links = [{"id": f"c{i:02d}", "from": f"s{i:02d}", "to": f"s{i + 1:02d}"} for i in range(29)]
    data = {
        "schema_version": 2,
        "id": "chain",
        "title": "Chain",
        "summary": "A chain.",
        "learning_objectives": ["Each link is a single point of failure."],
        "clock": {"start": "2026-01-01T10:00:00", "time_zone": "Europe/Berlin", "duration": "1h"},
        "sites": [{"id": "hq", "name": "Hq", "kind": "other", "occupancy": 10}],
        "stakeholders": people,
        "channels": links,
    }
    path = tmp_path / "chain.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out = tabletop("network", str(path))
    assert code == 0, out
    table = rows(out.split("Single points of failure")[1])
    assert table["S12"][0] == "17"
    assert "S13" not in table
    assert table["… 32 more (--json lists every one)"][1] == "each cuts off 16 or fewer"
    code, out = invoke("network", str(path), "--json")
    assert len(json.loads(out)["alerts"][0]["cut_offs"]) == 57


def test_the_path_names_the_channel_when_two_organisations_have_more_than_one() -> None:
    # The police control room has two channels to the city crisis cell: pcr-liaison-cell (10 min, first by id) and
    # pcr-phone-cell (a phone line, a few minutes): the alert takes the phone, and the path says so.
    code, output = tabletop("network", "synagogue-holiday-attack", "--from", "police-control-110")
    assert code == 0
    assert "via pcr-phone-cell" in output
    assert "via pcr-liaison-cell" not in output
    assert "T+10:00" not in rows(output)["City crisis cell"]


def test_with_more_than_twelve_sites_the_tables_give_one_line_per_site(tmp_path: Path) -> None:
    from benchmarks.bench_network import network_file

    # 20 guards on 20 sites, 4 control rooms: 20 alerts, each in one line.
    path = network_file(tmp_path, stakeholders=24, channels=60, sites=20)
    code, output = tabletop("network", str(path))
    assert code == 0, output
    assert "An alert at each of 20 sites, in short (--site SITE shows one in full)" in output
    assert "passed on by" not in output and "Relays" not in output
    code, output = tabletop("network", str(path), "--simulate", "5")
    assert code == 2 and "--site" in output
    code, output = tabletop("network", str(path), "--json")
    alert = json.loads(output)["alerts"][0]
    assert len(json.loads(output)["alerts"]) == 20
    # Each reach gives who passed it on and how, not its path; following the senders back leads to an origin.
    reach = {r["stakeholder"]: r for r in alert["reach"]}
    last = max((r for r in alert["reach"] if r["expected_s"] is not None), key=lambda r: r["expected_s"])
    steps = 0
    while last["via"] is not None:
        last, steps = reach[last["via"]["sender"]], steps + 1
    assert last["stakeholder"] in alert["origins"] and steps >= 1
    assert "path" not in alert["reach"][0]


def test_with_one_site_named_the_sites_nobody_is_at_are_not_listed(tmp_path: Path) -> None:
    code, output = tabletop("network", "synagogue-holiday-attack", "--site", "synagogue")
    assert code == 0 and "No organisation is at" not in output
    code, output = tabletop("network", "synagogue-holiday-attack", "--from", "umbrella-organisation")
    assert code == 0 and "No organisation is at" not in output
    code, output = tabletop("network", "synagogue-holiday-attack")
    assert "No organisation is at Cafe" in output


def test_a_what_if_lists_those_cut_off_in_the_order_they_were_reached_before() -> None:
    # Without the police control room (1:48 before): patrols (1:58), armed response (2:18) and national CT (3:48)
    # are cut off with it (by name, armed response would come first).
    code, output = tabletop(
        "network", "synagogue-holiday-attack", "--site", "synagogue", "--without", "police-control-110"
    )
    assert code == 0
    cut = [name for name, cells in rows(output).items() if "cut off" in cells]
    assert cut == [
        "Police control room (110)",
        "Patrol cars on duty in the city",
        "Armed response team",
        "National counter-terrorism",
    ], cut


def test_at_80_columns_a_what_if_with_the_simulation_leaves_the_path_out_rather_than_cut_names_up() -> None:
    result = CliRunner().invoke(
        app,
        [
            "network",
            "synagogue-holiday-attack",
            "--site",
            "synagogue",
            "--without",
            "police-control-110",
            "--simulate",
            "3",
        ],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    assert "Community security team" in result.output and "Commun\n" not in result.output
    assert "(after)" in result.output  # the simulated column is of the changed network
    assert "The paths are left out at this width" in result.output


def test_a_simulated_mean_that_differs_is_marked_and_its_likely_reason_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tabletop_cli._network import run_network

    # The police control room: expected 1:48 with 38 s of wait for a call taker; the simulation starts its desk
    # idle, so its simulated mean is about 1:06 (the test_agreement rule: a desk's wait).
    options: dict[str, Any] = {"sites": ["synagogue"], "origins": [], "plot": None, "seed": 0, "force": False}
    run_network("synagogue-holiday-attack", None, [], simulate=100, json_output=False, **options)
    cold = capsys.readouterr().out
    police = " ".join(cold.split("Police control room (110): ", 1)[1].split()[:4])
    assert police == "a desk's wait on", cold
    assert "* The simulated mean differs" in cold
    # Raised an hour into the run, the desk is as busy as the analysis assumes: the police row agrees.
    run_network("synagogue-holiday-attack", None, [], simulate=100, json_output=False, warm_up="1h", **options)
    warm = capsys.readouterr().out
    assert "Police control room (110): " not in warm


def test_warm_up_needs_a_duration_and_the_simulation() -> None:
    from tabletop_cli import BadOption
    from tabletop_cli._network import run_network

    options: dict[str, Any] = {"sites": [], "origins": [], "plot": None, "seed": 0, "force": False}
    with pytest.raises(BadOption, match="--warm-up 60: "):
        run_network("synagogue-holiday-attack", None, [], simulate=5, json_output=False, warm_up="60", **options)
    with pytest.raises(BadOption, match="give --simulate N"):
        run_network("synagogue-holiday-attack", None, [], simulate=0, json_output=False, warm_up="1h", **options)
