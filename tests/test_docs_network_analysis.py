"""The examples of docs/network-analysis.md run as written, and print and write what the document says."""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import pytest

from tests.cli import invoke, run_as_written

DOC = Path(__file__).parents[1] / "docs" / "network-analysis.md"


def commands() -> list[list[str]]:
    """Every `$ tabletop ...` line of the console blocks, in document order."""
    blocks = re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    lines = [line for block in blocks for line in block.splitlines()]
    return [shlex.split(line.removeprefix("$ "))[1:] for line in lines if line.startswith("$ tabletop ")]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A folder where every documented command has run, and what each printed."""
    folder = tmp_path_factory.mktemp("network")
    # The first as a user's shell runs it; the others in this process (a process each costs a second or two).
    printed = [run_as_written(folder, commands()[0])]
    here = Path.cwd()
    os.chdir(folder)
    try:
        for arguments in commands()[1:]:
            code, output = invoke(*arguments)
            assert code == 0, f"tabletop {shlex.join(arguments)}:\n{output}"
            printed.append(output)
    finally:
        os.chdir(here)
    return folder, printed


def test_the_document_shows_every_option_of_the_command() -> None:
    used = {word for arguments in commands() for word in arguments if word.startswith("--")}
    assert used == {"--site", "--from", "--without", "--plot", "--json", "--simulate", "--warm-up"}


def test_the_columns_the_document_describes_are_the_ones_printed(outputs: tuple[Path, list[str]]) -> None:
    _, printed = outputs
    described = re.findall(r"^- \*\*([a-z].+?)\*\*:", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert described == ["organisation", "expected", "chance", "passed on by (fastest path)"]
    for column in described:
        assert column in printed[0]
    assert "wait 00:38" in printed[0]  # the police control room's, as the document says


def test_the_single_point_of_failure_the_document_names_cuts_off_whom_it_says(outputs: tuple[Path, list[str]]) -> None:
    _, printed = outputs
    flat = " ".join(printed[0].split())
    for name in ("Patrol cars on duty in the city", "Armed response team", "National counter-terrorism centre"):
        assert name in DOC.read_text(encoding="utf-8").replace("\n", " ")
        assert name in flat
    assert "Police control room (110)" in flat and "if this fails" in flat


def test_the_what_ifs_show_before_after_and_the_change(outputs: tuple[Path, list[str]]) -> None:
    _, printed = outputs
    what_ifs = [text for text, arguments in zip(printed, commands(), strict=True) if "--without" in arguments]
    assert len(what_ifs) == 2
    for text in what_ifs:
        assert "before" in text and "after" in text and "change" in text
    assert "cut off" in what_ifs[0]


def test_the_drawing_and_the_json_are_what_the_document_says(outputs: tuple[Path, list[str]]) -> None:
    folder, printed = outputs
    assert (folder / "network.svg").read_text(encoding="utf-8").startswith("<?xml")
    at = [arguments[0:] for arguments in commands()].index(next(a for a in commands() if "--json" in a))
    data = json.loads(printed[at])
    assert data["before"] is None and data["alerts"][0]["reach"][0]["expected_s"] == 0.0
    simulated = printed[commands().index(next(a for a in commands() if "--simulate" in a))]
    assert "simulated" in simulated and "reached" in simulated
    # The police control room's simulated mean is marked, and its footnote names the desk's wait.
    assert "* The simulated mean differs" in simulated
    assert "Police control room (110): a desk's wait" in " ".join(simulated.split())


def test_raised_an_hour_into_the_run_the_police_control_room_s_simulated_time_agrees(
    outputs: tuple[Path, list[str]],
) -> None:
    _, printed = outputs
    warmed = printed[
        commands().index(
            ["network", "synagogue-holiday-attack", "--site", "synagogue", "--simulate", "200", "--warm-up", "1h"]
        )
    ]
    police = next(line for line in warmed.splitlines() if line.startswith("Police control"))
    expected, simulated = re.findall(r"T\+(\d\d):(\d\d)", police)[:2]
    expected_s = int(expected[0]) * 60 + int(expected[1])
    simulated_s = int(simulated[0]) * 60 + int(simulated[1])
    assert abs(simulated_s - expected_s) <= 0.1 * expected_s, police
