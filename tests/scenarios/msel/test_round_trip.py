"""The MSEL round trip: every bundled scenario exported as CSV and as XLSX and imported back is the same scenario."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios import load_scenario
from scenarios.library import bundled_names, bundled_path
from scenarios.msel.export import csv_bytes, msel_rows, xlsx_bytes
from scenarios.msel.importer import import_msel
from scenarios.msel.read import read_sheet


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("name", bundled_names())
def test_an_exported_msel_imports_back_as_the_same_scenario(tmp_path: Path, name: str, kind: str) -> None:
    scenario = load_scenario(name)
    rows = msel_rows(scenario)
    path = tmp_path / f"{name}.{kind}"
    path.write_bytes(csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows, title=scenario.title))
    imported = import_msel(read_sheet(path, path.name), name)
    assert imported.scenario == scenario
    assert (imported.added, imported.changed, imported.removed) == ([], [], [])
    assert imported.unchanged == [inject.id for inject in scenario.injects]
    assert imported.warnings == []
    # nothing changed, so the file's text is the file's own, comments and layout included
    assert imported.text == bundled_path(name).read_text(encoding="utf-8")
    assert imported.sheet_name == (None if kind == "csv" else "MSEL")


def test_the_round_trip_covers_triggers_delays_contingencies_and_escaped_cells() -> None:
    injects = [inject for name in bundled_names() for inject in load_scenario(name).injects]
    assert any(inject.trigger is not None and inject.after for inject in injects)
    assert any(inject.contingency for inject in injects)
    assert any(inject.at is not None for inject in injects)


TRICKY: list[dict[str, object]] = [
    {
        "id": "tricky-1",
        "at": "1h2m3.456789s",
        "to": "crisis-cell",
        "from": "-the caller",
        "text": "=1+1 is not a formula \n and a second line  ",
        "inject_type": "media",
        "delivery_method": "other",
        "expected_action": "+ agree a statement",
        "objective": "warn-other-sites",
        "core_capability": "@Public Information",
        "critical_task": "\ttabbed",
        "controller": "'quoted",
        "move": "Zwölf \u2013 déjà vu",
        "notes": "line one\nline two",
        "source": "yes",
        "fact": "press-request",
    },
    {
        "id": "tricky-2",
        "trigger": {"event": "decision_taken", "decision": "lockdown", "option": "no"},
        "after": {"dist": "uniform", "low": "30s", "high": "1m30s"},
        "to": "ems",
        "text": "no",
    },
    {"id": "tricky-3", "contingency": True, "to": "patrols", "text": "true", "inject_type": "contingency"},
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_cells_that_look_like_formulas_numbers_or_yes_and_distributions_come_back_unchanged(
    tmp_path: Path, kind: str
) -> None:
    from scenarios.exercise import Inject

    base = load_scenario("synagogue-holiday-attack")
    decision = next(d for d in base.decisions)
    data = [dict(inject) for inject in TRICKY]
    data[1]["trigger"] = {"event": "decision_taken", "decision": decision.id, "option": decision.options[-1].id}
    injects = [Inject.model_validate(inject) for inject in data]
    assert injects[1].after != 0 and injects[0].at == 3723.456789
    scenario = base.model_copy(update={"injects": injects})
    rows = msel_rows(scenario)
    path = tmp_path / f"tricky.{kind}"
    path.write_bytes(csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows, title=scenario.title))
    imported = import_msel(read_sheet(path, path.name), "synagogue-holiday-attack")
    assert imported.scenario.injects == injects
    assert imported.added == ["tricky-1", "tricky-2", "tricky-3"]
    assert [w for w in imported.warnings if w.file == path.name] == []  # the loader's about removed injects only


TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r=+-@' \"#:{}"), min_size=1, max_size=30
).filter(lambda text: text.strip() != "")
"""Any text a scenario file holds: no control characters but tab and line breaks (the loader refuses them)."""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT, kind=st.sampled_from(["csv", "xlsx"]))
def test_any_inject_text_comes_back_exactly(tmp_path: Path, text: str, kind: str) -> None:
    from scenarios.exercise import Inject
    from scenarios.msel.export import CellError

    base = load_scenario("synagogue-holiday-attack")
    inject = Inject.model_validate({"id": "any", "at": "5m", "to": "ems", "text": text, "notes": text})
    scenario = base.model_copy(update={"injects": [inject]})
    rows = msel_rows(scenario)
    path = tmp_path / f"any.{kind}"
    try:
        path.write_bytes(csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows, title="t"))
    except CellError:
        return  # a character a workbook cannot hold: refused on export
    imported = import_msel(read_sheet(path, path.name), "synagogue-holiday-attack")
    assert imported.scenario.injects == [inject]
