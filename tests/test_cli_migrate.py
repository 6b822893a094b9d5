"""`tabletop migrate`: lists each change with its place in the file, writes only when asked, never over a file
without --force, and refuses what is not a scenario of a known version."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from scenarios import bundled_path, check_scenario
from scenarios.migrate import migrate_text
from tests.cli import invoke

OLD = """\
# yaml-language-server: $schema=scenario.schema.json
schema_version: 1
id: old-drill
title: An old drill
summary: Written for an older Tabletop.
learning_objectives:
  - Old files still load.
clock: {start: "2026-01-01T10:00:00", time_zone: Europe/Berlin, duration: 2h}
facts:
  - {id: attack, description: Shots at the door.}
sites:
  - {id: hq, name: HQ, kind: other, occupancy: 10}
stakeholders:
  - id: guard
    name: Guard
    kind: community_security
    playbook:
      - id: guard-sees
        on: {event: start}
        do:
          - {action: escalate, fact: attack}
threat:
  description: A single armed attacker.
  phases:
    - id: attack
      kind: attack
      site: hq
      duration: 4m
      ends_with: neutralised  # the arrest
milestones:
  - id: arrest
    name: Arrest
    when: {event: threat_neutralised}  # 4m
"""
CHANGES = [
    "2:1: schema_version: 1 -> 2",
    "29:7: threat.phases[0].ends_with: neutralised -> arrested",
    "33:12: milestones[0].when.event: threat_neutralised -> threat_ended",
]
USER_DATA = "USER DATA\n"


def old_file(folder: Path, name: str = "old.yaml") -> Path:
    path = folder / name
    path.write_text(OLD, encoding="utf-8")
    return path


def test_without_force_it_lists_each_change_at_its_line_and_writes_nothing(tmp_path: Path) -> None:
    path = old_file(tmp_path)

    code, output = invoke("migrate", str(path))

    assert code == 0, output
    assert output.splitlines() == [
        *(f"{path}:{change}" for change in CHANGES),
        f"Nothing written (3 changes): add --force to make them in {path}, or --out NEW.yaml to write a new file.",
    ]
    assert path.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.yaml"]


def test_force_updates_the_file_changing_only_the_three_values(tmp_path: Path) -> None:
    path = old_file(tmp_path)
    path.chmod(0o640)

    code, output = invoke("migrate", str(path), "--force")

    assert code == 0, output
    assert output.splitlines() == [
        *(f"{path}:{change}" for change in CHANGES),
        f"Updated {path} to schema version 2 (3 changes).",
        f"Check it with: tabletop validate {path}",
    ]
    assert path.read_text(encoding="utf-8") == (
        OLD.replace("schema_version: 1", "schema_version: 2")
        .replace("ends_with: neutralised  # the arrest", "ends_with: arrested  # the arrest")
        .replace("{event: threat_neutralised}  # 4m", "{event: threat_ended}  # 4m")
    )
    assert path.stat().st_mode & 0o777 == 0o640
    result = check_scenario(path)
    assert result.ok and result.diagnostics == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.yaml"]  # no temporary file left


def test_out_writes_a_new_file_and_leaves_the_old_one_as_it_was(tmp_path: Path) -> None:
    path = old_file(tmp_path)
    new = tmp_path / "new drill.yaml"

    code, output = invoke("migrate", str(path), "--out", str(new))

    assert code == 0, output
    assert output.splitlines()[-2:] == [
        f"Wrote {new}: {path} in schema version 2 (3 changes).",
        f"Check it with: tabletop validate {shlex.quote(str(new))}",
    ]
    assert path.read_text(encoding="utf-8") == OLD
    assert new.read_text(encoding="utf-8") == migrate_text(OLD)[0]


def test_out_never_replaces_an_existing_file_without_force(tmp_path: Path) -> None:
    path = old_file(tmp_path)
    existing = tmp_path / "notes.yaml"
    existing.write_text(USER_DATA, encoding="utf-8")

    code, output = invoke("migrate", str(path), "--out", str(existing))
    assert code == 2, output
    assert "already exists" in output and "--force" in output
    assert existing.read_text(encoding="utf-8") == USER_DATA

    code, output = invoke("migrate", str(path), "--out", str(existing), "--force")
    assert code == 0, output
    assert existing.read_text(encoding="utf-8") == migrate_text(OLD)[0]
    assert path.read_text(encoding="utf-8") == OLD


@pytest.mark.parametrize("through", ["FILE", "--out"])
def test_a_symbolic_link_is_never_written_through(through: str, tmp_path: Path) -> None:
    target = old_file(tmp_path, "target.yaml")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    arguments = [str(link), "--force"] if through == "FILE" else [str(old_file(tmp_path)), "--out", str(link)]

    code, output = invoke("migrate", *arguments, "--force")

    assert code == 2, output
    assert "symbolic link" in output
    assert target.read_text(encoding="utf-8") == OLD


def test_a_file_already_of_version_2_is_a_friendly_no_op(tmp_path: Path) -> None:
    path = tmp_path / "current.yaml"
    path.write_text(migrate_text(OLD)[0], encoding="utf-8")
    new = tmp_path / "new.yaml"

    code, output = invoke("migrate", str(path), "--out", str(new), "--force")

    assert (code, output) == (0, f"{path} is already in schema version 2: nothing to change.\n")
    assert not new.exists()


def test_a_kept_trigger_is_printed_as_a_note_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "both.yaml"
    path.write_text(
        OLD.replace(
            "threat:\n",
            "variants:\n  - id: arrest\n    description: An arrest.\n"
            "    change: {phases: {attack: {ends_with: neutralised}}}\nthreat:\n",
        ).replace("ends_with: neutralised  # the arrest", "ends_with: ended"),
        encoding="utf-8",
    )

    code, output = invoke("migrate", str(path))

    assert code == 0, output
    lines = output.splitlines()
    assert lines[:2] == [
        f"{path}:2:1: schema_version: 1 -> 2",
        f"{path}:25:32: variants[0].change.phases.attack.ends_with: neutralised -> arrested",
    ]
    assert lines[2].startswith(f"{path}:37:12: note: milestones[0].when.event: kept threat_neutralised: ")
    assert lines[3].startswith("Nothing written (2 changes)")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("- schema_version: 1\n", "not a scenario: it has no schema_version"),
        ("title: My notes\n", "not a scenario: it has no schema_version"),
        ("schema_version: 1\ntitle: [unclosed\n", "YAML syntax error"),
        ("", "the file is empty"),
    ],
    ids=["a list", "no version", "not YAML", "empty"],
)
def test_a_file_that_is_not_a_scenario_is_refused_with_exit_code_2(text: str, shown: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text(text, encoding="utf-8")

    code, output = invoke("migrate", str(path), "--force")

    assert code == 2, output
    assert f"{path}:" in output and shown in output
    assert path.read_text(encoding="utf-8") == text


def test_a_missing_file_is_refused_with_exit_code_2(tmp_path: Path) -> None:
    code, output = invoke("migrate", str(tmp_path / "nowhere.yaml"))

    assert code == 2
    assert "cannot read the file" in output


def test_a_bundled_name_is_refused_with_the_command_that_copies_it() -> None:
    code, output = invoke("migrate", "halle-2019-reconstruction")

    assert code == 2
    assert "tabletop new FILE --from halle-2019-reconstruction" in output


def test_an_unknown_version_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "future.yaml"
    path.write_text(OLD.replace("schema_version: 1", "schema_version: 3"), encoding="utf-8")

    code, output = invoke("migrate", str(path), "--force")

    assert code == 2
    assert f"{path}:2:1: schema_version: 3 is not a schema version this Tabletop reads (1 and 2)" in output
    assert path.read_text(encoding="utf-8") == OLD.replace("schema_version: 1", "schema_version: 3")


def test_the_command_the_loaders_warning_names_updates_the_file_so_that_the_warning_goes(tmp_path: Path) -> None:
    path = old_file(tmp_path, "Old Drill.yaml")
    (warning,) = check_scenario(path).diagnostics
    assert warning.severity == "warning" and warning.hint is not None
    command = shlex.split(warning.hint.split(" lists them")[0])

    code, output = invoke(*command[1:], "--force")

    assert code == 0, output
    assert check_scenario(path).diagnostics == []


@pytest.mark.parametrize("name", ["halle-2019-reconstruction", "christchurch-2019-reconstruction"])
def test_a_copy_of_a_reconstruction_migrates_to_a_valid_file_without_warnings(name: str, tmp_path: Path) -> None:
    copy = tmp_path / f"{name}.yaml"
    copy.write_bytes(bundled_path(name).read_bytes())

    code, output = invoke("migrate", str(copy), "--force")

    assert code == 0, output
    result = check_scenario(copy)
    assert result.ok and result.diagnostics == []
    assert "neutralised" not in [
        phase.ends_with
        for phase in (result.scenario.threat.phases if result.scenario and result.scenario.threat else [])
    ]
