"""`tabletop new`: a scenario of one's own from a bundled one, valid at once, with the schema beside it."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from scenarios import SCHEMA_VERSION, bundled_path, check_scenario
from scenarios.migrate import migrate_text
from scenarios.schema import schema_text
from tests.cli import invoke


def test_a_new_scenario_is_a_valid_copy_with_its_own_id_and_the_schema_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "drills" / "My City Cascade.yaml"
    code, output = invoke("new", str(target), "--from", "multi-site-cascade")
    assert code == 0, output
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# yaml-language-server: $schema=scenario.schema.json"
    original, _ = migrate_text(bundled_path("multi-site-cascade").read_text(encoding="utf-8"))
    assert [line for line in lines if line.startswith("id: ")] == ["id: my-city-cascade"]
    assert len(lines) == len(original.splitlines())
    assert sum(a != b for a, b in zip(lines, original.splitlines(), strict=True)) == 2  # the schema line and the id
    assert f"schema_version: {SCHEMA_VERSION}" in lines
    result = check_scenario(target)
    assert result.diagnostics == []
    assert result.ok and result.scenario is not None and result.scenario.id == "my-city-cascade"
    schema = target.parent / "scenario.schema.json"
    assert schema.read_text(encoding="utf-8") == schema_text()
    assert json.loads(schema.read_text(encoding="utf-8"))["$schema"].startswith("http://json-schema.org/draft-07")


def test_new_never_overwrites_and_names_what_went_wrong(tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("precious\n", encoding="utf-8")
    code, output = invoke("new", str(target))
    assert code == 2 and "already exists" in output
    assert target.read_text(encoding="utf-8") == "precious\n"
    code, output = invoke("new", str(tmp_path / "notes.txt"))
    assert code == 2 and "ends in .yaml" in output
    code, output = invoke("new", str(tmp_path / "x.yaml"), "--from", "multi-site-cascad")
    assert code == 2 and "did you mean 'multi-site-cascade'?" in output
    assert not (tmp_path / "x.yaml").exists()


def test_a_new_scenario_named_in_another_script_gets_a_transliterated_id(tmp_path: Path) -> None:
    target = tmp_path / "Übung Straße 1.yaml"
    code, output = invoke("new", str(target))

    assert code == 0, output
    assert [line for line in target.read_text(encoding="utf-8").splitlines() if line.startswith("id: ")] == [
        "id: ubung-strasse-1"
    ]


def test_the_next_step_quotes_a_path_with_spaces_so_that_it_can_be_pasted(tmp_path: Path) -> None:
    target = tmp_path / "Lyon School.yaml"

    code, output = invoke("new", str(target))

    assert code == 0, output
    assert output.splitlines()[-1] == f"Edit it, then check it with: tabletop validate '{target}'"
    assert shlex.split(output.splitlines()[-1].partition(": ")[2]) == ["tabletop", "validate", str(target)]
