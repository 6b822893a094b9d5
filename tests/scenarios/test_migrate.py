"""Version 1 scenarios read as version 2: the migration of the data, of the text, and how the loader applies it."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any, NoReturn

import orjson
import pytest

from scenarios import SCHEMA_VERSION, _libyaml, bundled_names, bundled_path, check_scenario
from scenarios._yaml import parse_document
from scenarios.loader import validate_document
from scenarios.migrate import Change, migrate_data, migrate_text
from simulator import Exercise
from tests.simulator.scenario_factory import (
    Data,
    decision,
    escalate,
    facts,
    inject,
    milestone,
    option,
    phase,
    rule,
    site,
    stakeholder,
    threat,
)

ARREST = {"event": "threat_neutralised"}


def v1(**sections: Any) -> Data:
    """A complete version 1 scenario's data with these top-level sections (one site, `hq`, one stakeholder)."""
    return {
        "schema_version": 1,
        "id": "old",
        "title": "An old scenario",
        "summary": "Written for version 1.",
        "learning_objectives": ["Old files still load."],
        "clock": {"start": "2026-01-01T10:00:00", "time_zone": "Europe/Berlin", "duration": "2h"},
        "facts": facts("attack"),
        "sites": [site("hq")],
        "stakeholders": [stakeholder("guard", rule("guard-sees", {"event": "start"}, escalate("attack")))],
        **sections,
    }


def written(tmp_path: Path, data: Data, name: str = "old.yaml") -> Path:
    """`data` as a scenario file (JSON is YAML, one value per line)."""
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


ARRESTED_AT_THE_END = v1(
    threat=threat(
        phase("attack", "attack", "4m", site="hq"), phase("flight", "flight", "10m", ends_with="neutralised")
    ),
    milestones=[milestone("arrest", when=ARREST)],
)


# The data


def test_a_version_1_arrest_and_the_triggers_on_it_become_version_2_with_each_change_listed() -> None:
    data = v1(
        threat=threat(phase("attack", "attack", "4m", site="hq", ends_with="neutralised")),
        milestones=[milestone("arrest", when=ARREST)],
        injects=[inject("inj-01", "guard", trigger=ARREST, text="The police report an arrest.")],
        decisions=[
            decision("stand-down", "guard", option("yes"), option("no"), deadline="1m", default="yes", trigger=ARREST)
        ],
    )
    data["stakeholders"][0]["playbook"].append(rule("guard-stands-down", ARREST, escalate("attack")))

    migration = migrate_data(data)

    assert migration.from_version == 1
    assert migration.changes == (
        Change(("schema_version",), 1, 2),
        Change(("stakeholders", 0, "playbook", 1, "on", "event"), "threat_neutralised", "threat_ended"),
        Change(("threat", "phases", 0, "ends_with"), "neutralised", "arrested"),
        Change(("milestones", 0, "when", "event"), "threat_neutralised", "threat_ended"),
        Change(("injects", 0, "trigger", "event"), "threat_neutralised", "threat_ended"),
        Change(("decisions", 0, "trigger", "event"), "threat_neutralised", "threat_ended"),
    )
    assert migration.notes == ()
    migrated = migration.data
    assert migrated["schema_version"] == 2
    assert migrated["threat"]["phases"][0]["ends_with"] == "arrested"
    assert migrated["milestones"][0]["when"] == {"event": "threat_ended"}
    assert migrated["stakeholders"][0]["playbook"][1]["on"] == {"event": "threat_ended"}


def test_the_migration_never_changes_the_data_it_is_given() -> None:
    data = copy.deepcopy(ARRESTED_AT_THE_END)

    migrate_data(data)

    assert data == ARRESTED_AT_THE_END


def test_a_variants_phases_and_triggers_are_migrated_too() -> None:
    data = v1(
        threat=threat(phase("flight", "flight", "10m", ends_with="neutralised")),
        variants=[
            {
                "id": "quicker-arrest",
                "description": "The arrest comes sooner.",
                "change": {"phases": {"flight": {"duration": "5m", "ends_with": "neutralised"}}},
                "add": {"milestones": [milestone("arrest", when=ARREST)]},
            },
            {
                "id": "other-timeline",
                "description": "Another timeline.",
                "patch": {"threat": {"phases": [phase("attack", "attack", "2m", site="hq", ends_with="neutralised")]}},
            },
        ],
    )

    migration = migrate_data(data)

    assert [change.describe() for change in migration.changes] == [
        "schema_version: 1 -> 2",
        "threat.phases[0].ends_with: neutralised -> arrested",
        "variants[0].change.phases.flight.ends_with: neutralised -> arrested",
        "variants[0].add.milestones[0].when.event: threat_neutralised -> threat_ended",
        "variants[1].patch.threat.phases[0].ends_with: neutralised -> arrested",
    ]


def test_a_trigger_is_kept_and_noted_where_the_threat_can_also_end_without_an_arrest() -> None:
    data = v1(
        threat=threat(phase("attack", "attack", "4m", site="hq", ends_with="neutralised")),
        milestones=[milestone("arrest", when=ARREST)],
        variants=[
            {
                "id": "gives-up",
                "description": "The attacker gives up.",
                "change": {"phases": {"attack": {"ends_with": "ended"}}},
            }
        ],
    )

    migration = migrate_data(data)

    assert [change.describe() for change in migration.changes] == [
        "schema_version: 1 -> 2",
        "threat.phases[0].ends_with: neutralised -> arrested",
    ]
    assert [note.path for note in migration.notes] == [("milestones", 0, "when", "event")]
    assert "kept threat_neutralised" in migration.notes[0].message
    assert "{event: threat_ended, outcome: arrested}" in migration.notes[0].message
    assert migration.data["milestones"][0]["when"] == ARREST


def test_a_trigger_in_a_file_without_an_arrest_already_meant_a_units_stop_and_is_kept() -> None:
    data = v1(
        threat=threat(phase("attack", "attack", "4m", site="hq")),
        milestones=[milestone("stopped", when=ARREST)],
    )

    migration = migrate_data(data)

    assert migration.changes == (Change(("schema_version",), 1, 2),)
    assert migration.notes == ()
    assert migration.data["milestones"][0]["when"] == ARREST


@pytest.mark.parametrize("version", [2, 3, True, "1", None])
def test_data_of_another_version_is_returned_as_it_is(version: object) -> None:
    data = {**ARRESTED_AT_THE_END, "schema_version": version}

    migration = migrate_data(data)

    assert migration.data is data
    assert migration.changes == ()
    assert migration.from_version == (version if type(version) is int else None)


# The text


OLD_TEXT = """\
# yaml-language-server: $schema=../schema/scenario.schema.json
schema_version: 1   # written for an older Tabletop
threat:
  description: A single armed attacker.
  phases:
    - id: flight
      kind: flight
      duration: 45m
      ends_with: 'neutralised'     # the arrest, 13:35 [LVZ]
milestones:
  - {id: arrest, name: Arrest, when: {event: "threat_neutralised"}}   # 1h41m
  - id: other
    name: Other
    when:
      event:   threat_neutralised
"""


def test_the_text_keeps_its_comments_quotes_and_layout_and_changes_only_the_values() -> None:
    text, migration = migrate_text(OLD_TEXT)

    assert text == (
        OLD_TEXT.replace("schema_version: 1", "schema_version: 2")
        .replace("'neutralised'", "'arrested'")
        .replace('"threat_neutralised"', '"threat_ended"')
        .replace("event:   threat_neutralised", "event:   threat_ended")
    )
    assert len(migration.changes) == 4


def test_the_text_keeps_windows_line_endings() -> None:
    text, _ = migrate_text(OLD_TEXT.replace("\n", "\r\n"))

    assert text.count("\r\n") == OLD_TEXT.count("\n")
    assert "ends_with: 'arrested'     # the arrest, 13:35 [LVZ]\r\n" in text


@pytest.mark.parametrize(
    ("written_as", "migrated"),
    [
        ('"neutr\\x61lised"', "arrested"),  # escapes: written plainly
        ("\n        neutralised", "\n        arrested"),  # the value on the next line
        ("neutralised\n", "arrested\n"),
    ],
    ids=["escaped", "next line", "plain"],
)
def test_a_value_is_rewritten_however_it_is_written(written_as: str, migrated: str) -> None:
    old = OLD_TEXT.replace("'neutralised'", written_as, 1)

    text, _ = migrate_text(old)

    assert migrated in text
    assert parse_document(text, "new").data == migrate_data(parse_document(old, "old").data).data


def test_a_byte_order_mark_is_kept() -> None:
    text, migration = migrate_text("\ufeff" + OLD_TEXT)

    assert text.startswith("\ufeff# yaml-language-server")
    assert len(migration.changes) == 4
    assert "ends_with: 'arrested'" in text


def test_the_migrated_text_reads_as_the_migrated_data() -> None:
    text, migration = migrate_text(OLD_TEXT)

    assert parse_document(text, "new").data == migration.data


def test_text_of_the_current_version_is_returned_unchanged() -> None:
    current = OLD_TEXT.replace("schema_version: 1", "schema_version: 2")

    text, migration = migrate_text(current)

    assert (text, migration.changes, migration.from_version) == (current, (), 2)


@pytest.mark.parametrize("name", bundled_names())
def test_every_bundled_scenario_migrated_is_valid_version_2_with_nothing_else_changed(name: str) -> None:
    original = bundled_path(name).read_text(encoding="utf-8")

    text, migration = migrate_text(original)

    changed = [(a, b) for a, b in zip(original.splitlines(), text.splitlines(), strict=True) if a != b]
    assert len(changed) == len(migration.changes)
    assert [d.format() for d in validate_document(parse_document(text, name))[1]] == []


# The loader


def test_a_version_1_file_loads_as_version_2_with_one_warning_naming_the_command(tmp_path: Path) -> None:
    path = written(tmp_path, ARRESTED_AT_THE_END, "old drill.yaml")

    result = check_scenario(path)

    assert result.ok and result.scenario is not None
    assert [d.format() for d in result.diagnostics] == [
        f"{path}:2:3: warning: schema_version: the file is in schema version 1, read as version 2 with 3 changes; "
        f"tabletop migrate '{path}' lists them; add --force to make them in the file"
    ]
    assert result.scenario.schema_version == SCHEMA_VERSION
    assert result.scenario.threat is not None and result.scenario.threat.phases[1].ends_with == "arrested"
    assert result.scenario.milestones[0].when is not None
    assert result.scenario.milestones[0].when.event == "threat_ended"


def test_a_version_1_arrest_ends_the_threat_and_reaches_the_milestone_when_the_phase_runs_its_course(
    tmp_path: Path,
) -> None:
    result = check_scenario(written(tmp_path, ARRESTED_AT_THE_END))
    assert result.scenario is not None
    played = Exercise(result.scenario, seed=1)
    played.run()

    kinds = {"ThreatPhaseStarted", "ThreatPhaseEnded", "ThreatNeutralised", "ThreatEnded", "MilestoneReached"}
    assert [(r["t"], r["kind"]) for r in played.records if r["kind"] in kinds] == [
        (0.0, "ThreatPhaseStarted"),
        (240.0, "ThreatPhaseEnded"),
        (240.0, "ThreatPhaseStarted"),
        (840.0, "ThreatPhaseEnded"),  # 4m of attack, then 10m of flight ending in the arrest
        (840.0, "ThreatEnded"),
        (840.0, "MilestoneReached"),
    ]


def _slow_path_only(text: str, depth_limit: int) -> NoReturn:
    raise _libyaml.Declined


@pytest.mark.parametrize("reader", ["libyaml", "ruamel"])
def test_an_error_in_a_version_1_file_is_located_where_it_is_written(
    reader: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if reader == "ruamel":
        monkeypatch.setattr(_libyaml, "compose", _slow_path_only)
    old = copy.deepcopy(ARRESTED_AT_THE_END)
    old["milestones"].append(milestone("late", when={"event": "threat_neutralised", "site": "hq"}))
    current = migrate_data(old).data

    errors = {}
    for version, data in (("v1", old), ("v2", current)):
        result = check_scenario(written(tmp_path, data, f"{version}.yaml"))
        errors[version] = [(d.line, d.column, d.path, d.message) for d in result.diagnostics if d.severity == "error"]

    assert errors["v1"] == errors["v2"]
    lines = (tmp_path / "v1.yaml").read_text(encoding="utf-8").splitlines()
    site_line = max(number for number, line in enumerate(lines, 1) if '"site": "hq"' in line)
    assert [(line, path) for line, _, path, _ in errors["v1"]] == [(site_line, "milestones[1].when.site")]


def test_a_version_2_file_that_says_neutralised_for_an_arrest_is_told_to_write_arrested(tmp_path: Path) -> None:
    data = migrate_data(ARRESTED_AT_THE_END).data
    data["threat"]["phases"][1]["ends_with"] = "neutralised"

    path = written(tmp_path, data)

    result = check_scenario(path)

    (error,) = [d for d in result.diagnostics if d.severity == "error"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert (error.line, error.path) == (
        lines.index('        "ends_with": "neutralised"') + 1,
        "threat.phases[1].ends_with",
    )
    assert error.message == "a phase cannot end with 'neutralised': only units of the scenario neutralise the threat"
    assert error.hint is not None and error.hint.startswith("write ends_with: arrested")
    assert "tabletop migrate" in error.hint


@pytest.mark.parametrize(("version", "shown"), [(3, "3"), (0, "0"), ("2", "'2'")])
def test_an_unknown_version_is_a_located_error_with_a_hint(version: object, shown: str, tmp_path: Path) -> None:
    result = check_scenario(written(tmp_path, {**migrate_data(ARRESTED_AT_THE_END).data, "schema_version": version}))

    assert not result.ok
    assert [d.format() for d in result.diagnostics] == [
        f"{tmp_path / 'old.yaml'}:2:3: schema_version: {shown} is not supported: this Tabletop reads schema "
        "versions 1 and 2; write schema_version: 2 (a file written for a newer Tabletop needs that Tabletop)"
    ]


def test_a_file_without_a_version_is_told_to_start_with_one(tmp_path: Path) -> None:
    data = {key: value for key, value in migrate_data(ARRESTED_AT_THE_END).data.items() if key != "schema_version"}

    result = check_scenario(written(tmp_path, data))

    assert [(d.message, d.hint) for d in result.diagnostics] == [
        ("missing required key 'schema_version'", "write schema_version: 2 first")
    ]


# Run logs written before version 2


def _old_header(tmp_path: Path) -> dict[str, Any]:
    """A run-log header as a run of ARRESTED_AT_THE_END wrote it before version 2: its copy of the scenario in
    version 1, and that copy's digest."""
    from simulator.setup import scenario_data

    scenario = check_scenario(written(tmp_path, ARRESTED_AT_THE_END)).scenario
    assert scenario is not None
    dumped = scenario_data(scenario)
    dumped["schema_version"] = 1
    dumped["threat"]["phases"][1]["ends_with"] = "neutralised"
    dumped["milestones"][0]["when"]["event"] = "threat_neutralised"
    digest = hashlib.sha256(orjson.dumps(dumped, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return {"seed": 0, "decisions": {}, "scenario": dumped, "scenario_sha256": digest, "scenario_id": "old"}


def test_the_version_1_scenario_copy_of_an_old_run_log_is_read_as_version_2(tmp_path: Path) -> None:
    from simulator.logfile import RunLog
    from simulator.resume import scenario_of

    log = RunLog(_old_header(tmp_path), [], None, False, tmp_path / "old.jsonl")

    stored, notes = scenario_of(log, embedded=True)

    assert notes == ["used the scenario embedded in the log"]
    assert stored.threat is not None and stored.threat.phases[1].ends_with == "arrested"
    assert stored.milestones[0].when is not None and stored.milestones[0].when.event == "threat_ended"


def test_an_altered_version_1_copy_in_an_old_run_log_is_still_noticed(tmp_path: Path) -> None:
    from simulator.logfile import RunLog
    from simulator.resume import ReplayError, scenario_of

    header = _old_header(tmp_path)
    header["scenario"]["title"] = "Another title"

    with pytest.raises(ReplayError, match="the log was altered"):
        scenario_of(RunLog(header, [], None, False, tmp_path / "old.jsonl"), embedded=True)
