"""`--decide` on `run`, `fork` and `batch`: every bad form exits 2 with a message, never a traceback or a silence."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.runlog import read_run_log
from tests.cli import invoke

SCENARIO = """\
schema_version: 2
id: decide
title: Decide
summary: A guard decides whether to call the police; a variant adds a radio.
learning_objectives: [Call the police.]
clock: {start: "2026-01-01T10:00:00", time_zone: Europe/Berlin, duration: 1h}
facts:
  - {id: attack, description: An attack.}
sites:
  - {id: hall, name: Hall, kind: other, occupancy: 10}
stakeholders:
  - id: guard
    name: Guard
    kind: site_staff
    site: hall
    playbook:
      - {id: ask, on: {fact: attack}, do: [{action: request_decision, decision: call-police}]}
  - {id: police, name: Police, kind: police_control}
channels:
  - {id: phone, from: guard, to: police, latency: 10s}
decisions:
  - id: call-police
    stakeholder: guard
    role: Guard
    prompt: Call the police now?
    deadline: 1m
    default: now
    options:
      - {id: now, label: Call now, consequences: [{action: notify, to: police, fact: attack}]}
      - {id: later, label: Call later}
variants:
  - id: radio
    description: The guard also has a radio.
    add:
      decisions:
        - id: radio-first
          stakeholder: guard
          role: Guard
          prompt: Radio first?
          deadline: 1m
          default: radio
          options:
            - {id: radio, label: Radio}
            - {id: phone, label: Phone}
threat:
  description: Abstract.
  phases:
    - id: attack
      kind: attack
      site: hall
      duration: 10m
      observed_by: [{stakeholder: guard, fact: attack, after: 5m}]
"""

SYNTAX = "write DECISION=OPTION"
BAD_DECIDES = {
    "an empty string": ([""], SYNTAX),
    "only spaces": (["  "], SYNTAX),
    "no =": (["call-police"], SYNTAX),
    "no decision": (["=now"], SYNTAX),
    "no option": (["call-police="], SYNTAX),
    "an option of spaces": (["call-police=  "], SYNTAX),
    "two =": (["call-police=now=later"], SYNTAX),
    "a decision the scenario lacks": (["no-such-decision=now"], "no decision 'no-such-decision'"),
    "a decision of a variant not played": (["radio-first=radio"], "no decision 'radio-first'"),
    "an option of another decision": (["call-police=radio"], "decision 'call-police' has no option 'radio'"),
    "one decision twice with different options": (
        ["call-police=now", "call-police=later"],
        "decision 'call-police' is already given option 'now'",
    ),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The scenario file and a run log of it (the parent of the forks)."""
    folder = tmp_path_factory.mktemp("decide")
    scenario = folder / "decide.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    code, output = invoke("run", str(scenario), "--log", str(folder / "parent.jsonl"))
    assert code == 0, output
    return scenario, folder / "parent.jsonl"


def command(name: str, files: tuple[Path, Path], out: Path, decides: list[str]) -> list[str]:
    scenario, parent = files
    flags = [part for decide in decides for part in ("--decide", decide)]
    if name == "run":
        return ["run", str(scenario), *flags]
    if name == "fork":
        return ["fork", str(parent), "--at", "1m", *flags, "--log", str(out / "fork.jsonl")]
    return ["batch", str(scenario), "-n", "1", "--workers", "1", *flags, "--out", str(out / "results")]


@pytest.mark.parametrize("name", ["run", "fork", "batch"])
@pytest.mark.parametrize("case", BAD_DECIDES)
def test_a_bad_decide_exits_2_with_a_message_and_writes_nothing(
    name: str, case: str, files: tuple[Path, Path], tmp_path: Path
) -> None:
    decides, message = BAD_DECIDES[case]

    code, output = invoke(*command(name, files, tmp_path, decides))

    assert code == 2, output
    assert message in " ".join(output.split()), output
    assert not (tmp_path / "fork.jsonl").exists() and not (tmp_path / "results").exists()


@pytest.mark.parametrize("name", ["run", "fork", "batch"])
def test_the_same_choice_given_twice_is_one_choice(name: str, files: tuple[Path, Path], tmp_path: Path) -> None:
    code, output = invoke(*command(name, files, tmp_path, ["call-police=later", " call-police = later "]))

    assert code == 0, output


def test_a_decision_of_the_variant_played_can_be_chosen(files: tuple[Path, Path], tmp_path: Path) -> None:
    log = tmp_path / "radio.jsonl"

    code, output = invoke(
        "run", str(files[0]), "--variant", "radio", "--decide", "radio-first=phone", "--log", str(log)
    )

    assert code == 0, output
    assert read_run_log(log).header["decisions"] == {"radio-first": "phone"}
