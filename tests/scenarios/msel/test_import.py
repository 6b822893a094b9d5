"""Importing an MSEL: field-style sheets with aliases, guesses and warnings, located errors, and the YAML splice."""

from __future__ import annotations

import io
from datetime import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios import load_scenario
from scenarios.errors import ScenarioError
from scenarios.library import bundled_path
from scenarios.msel.importer import import_msel
from scenarios.msel.read import Cell, Sheet, read_sheet

DATA = Path(__file__).parent / "data"
SCENARIO = "synagogue-holiday-attack"  # T0 is 2026-09-21 11:50


def csv_sheet(tmp_path: Path, text: str, name: str = "m.csv") -> Sheet:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_sheet(path, name)


def problems(sheet: Sheet, into: str | Path = SCENARIO) -> list[str]:
    with pytest.raises(ScenarioError) as raised:
        import_msel(sheet, into)
    assert raised.value.title == "MSEL not imported"
    return [d.format() for d in raised.value.diagnostics]


def test_the_field_style_csv_imports_with_its_aliases_guesses_and_warnings() -> None:
    imported = import_msel(read_sheet(DATA / "field-msel.csv", "field-msel.csv"), SCENARIO)
    assert [w.format() for w in imported.warnings] == [
        "field-msel.csv:3:9: warning: Owner (column I): not a column Tabletop knows: its cells are kept in each "
        "inject's notes "
        "as 'Owner: ...'; rename it to a known header to import it as that field",
        "field-msel.csv:3:10: warning: Status (column J): the status of a delivery is not part of a scenario: kept in "
        "the notes "
        "as 'Status: ...'",
        "field-msel.csv:6:4: warning: Event Synopsis (column D): a formula is imported as its text, not evaluated; "
        "type its "
        "value instead",
        # inj-02, which the sheet leaves out, was the only inject that told the crisis cell of the rumour
        "synagogue-holiday-attack (bundled):305:9: warning: stakeholders[8].playbook[3].on: rule 'cell-rumour' can "
        "never fire: no inject, observation or message carrying 'second-attack-rumour' can reach 'crisis-cell'",
    ]
    assert (imported.added, imported.changed, imported.removed) == (["inj-05"], ["inj-01"], ["inj-02"])
    assert imported.unchanged == ["inj-03", "inj-04"]
    original = {inject.id: inject for inject in load_scenario(SCENARIO).injects}
    injects = {inject.id: inject for inject in imported.scenario.injects}
    assert list(injects) == ["inj-01", "inj-03", "inj-05", "inj-04"]
    first = injects["inj-01"]
    assert (first.at, first.to, first.inject_type, first.delivery_method) == (
        0.0,
        "community-security",
        "informational",
        "verbal",
    )
    assert first.notes == "Status: delivered\nOwner: Anna"
    # the columns the sheet lacks keep the scenario's values
    assert (first.from_, first.controller, first.move) == ("Exercise control", "Lead controller", "Move 1 - approach")
    new = injects["inj-05"]
    assert (new.at, new.to, new.text) == (900.0, "crisis-cell", '=HYPERLINK("https://example.org/rumour")')
    assert (new.delivery_method, new.objective, new.notes, new.from_) == (
        "phone",
        "warn-other-sites",
        "Owner: Ben",
        None,
    )
    assert injects["inj-04"] == original["inj-04"]
    assert injects["inj-04"].contingency


def test_an_unchanged_inject_keeps_its_text_and_everything_outside_injects_stays_byte_for_byte() -> None:
    imported = import_msel(read_sheet(DATA / "field-msel.csv", "field-msel.csv"), SCENARIO)
    original = bundled_path(SCENARIO).read_text(encoding="utf-8")
    start, end = original.index("\ninjects:\n"), original.index("\ndecisions:\n")
    assert imported.text[:start] == original[:start]
    assert imported.text.endswith(original[end:])
    kept = original[original.index("  - id: inj-03\n") : original.index("  - id: inj-04\n")]
    assert kept in imported.text


def test_an_xlsx_with_a_title_row_a_formula_a_clock_time_and_a_numeric_id_imports(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Inject list"
    sheet.append(["Exercise MSEL"])
    sheet.append(["MSEL #", "Time", "Intended Player", "Message", "Remarks", "Control cell"])
    sheet.append([7, time(12, 5), "ambulance SERVICE", "Casualty update", "=1+1", "Room 2"])
    sheet.append([8, "12:20", "ems", "Second update", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "field.xlsx"
    path.write_bytes(buffer.getvalue())
    imported = import_msel(read_sheet(path, "field.xlsx"), SCENARIO)
    assert imported.sheet_name == "Inject list"
    assert [w.format() for w in imported.warnings if w.file == "field.xlsx"] == [
        "field.xlsx:2:2: warning: Time (column B): bare times are read as clock times on 2026-09-21 (T0 is 11:50; one "
        "before it is on the next day): they are at or after T0's time of day, or within the run in the sheet's "
        "order; --times elapsed reads them as time since T0",
        "field.xlsx:2:6: warning: Control cell (column F): not a column Tabletop knows: its cells are kept in each "
        "inject's "
        "notes as 'Control cell: ...'; rename it to a known header to import it as that field",
        "field.xlsx:3:5: warning: Remarks (column E): a formula is imported as its text, not evaluated; type its "
        "value instead",
    ]
    first, second = imported.scenario.injects
    assert (first.id, first.at, first.to, first.notes) == ("7", 15 * 60.0, "ems", "=1+1\nControl cell: Room 2")
    assert (second.id, second.at) == ("8", 30 * 60.0)
    assert imported.removed == ["inj-01", "inj-02", "inj-03", "inj-04"]


def test_times_elapsed_reads_bare_times_as_time_since_t0(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,Time,To,Inject\na,12:20,ems,x\n")
    assert import_msel(sheet, SCENARIO, times="elapsed").scenario.injects[0].at == 12 * 3600 + 20 * 60
    assert import_msel(sheet, SCENARIO, times="clock").scenario.injects[0].at == 30 * 60
    assert import_msel(sheet, SCENARIO).scenario.injects[0].at == 30 * 60


def test_every_error_of_a_malformed_sheet_is_reported_at_once_at_its_row_and_column(tmp_path: Path) -> None:
    sheet = csv_sheet(
        tmp_path,
        "Inject #,Time,To,Inject,Method,Type,Trigger,After,Contingency\n"
        "inj-01,25:99,Comunity security team,Text,pigeon,chat,,,\n"
        "inj-02,T+00:05,ems; patrols,Text,,,,,maybe\n"
        "inj-02,+5,ems,Text,,,,,\n"
        "inj-03,T-00:05,ems,,,,,,\n"
        "inj-04,,ems,Text,,,{event: bogus},soon,\n",
    )
    assert problems(sheet) == [
        "m.csv:2:2: Time (column B): '25:99' is not a time; write T+HH:MM, +MINUTES, H+2 or a clock time",
        "m.csv:2:3: To (column C): no stakeholder 'Comunity security team'; did you mean 'community-security'?",
        "m.csv:2:5: Method (column E): 'pigeon' is not a delivery method; write one of: verbal, phone, email, radio, "
        "message, "
        "handout, video, other",
        "m.csv:2:6: Type (column F): 'chat' is not an inject type; write one of: informational, event, media, "
        "contingency",
        "m.csv:3:3: To (column C): 'ems; patrols' names 2 recipients; one recipient per row: copy the row for each",
        "m.csv:3:9: Contingency (column I): 'maybe' is neither yes nor no; write yes (or x) for a contingency inject, "
        "else "
        "leave it empty",
        "m.csv:4:1: Inject # (column A): the id 'inj-02' is taken by row 3 too; give each inject its own id",
        "m.csv:5:2: Time (column B): 'T-00:05' is before T0; an inject is delivered at T0 or later: write T+00:00 or "
        "later",
        "m.csv:5:4: Inject (column D): an inject needs its text; write what the players read or hear",
        "m.csv:6:7: Trigger (column G): event: 'bogus' is not one of: start, fact_learned, fact_corrected, "
        "units_arrived, "
        "units_staged, lockdown_complete, evacuation_complete, threat_phase_started, threat_engaged, "
        "threat_neutralised, threat_ended, decision_taken, inject_delivered, milestone_reached",
        "m.csv:6:8: After (column H): 'soon' is not a duration; write a duration like 30s, or "
        "{dist: uniform, low: 30s, high: 2m}",
    ]


def test_the_loaders_errors_about_an_inject_are_put_at_its_row(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,Time,To,Inject,Trigger\na,,ems,x,\nb,+5,ems,y,\n")
    assert problems(sheet) == [
        "m.csv:2:2: Time (column B): the inject has neither a time nor a trigger; give a Scenario Time, a Trigger, or "
        "Contingency: yes",
    ]
    unknown_fact = csv_sheet(tmp_path, "Inject #,To,Inject,Trigger\na,ems,x,{fact: no-such-fact}\n", "f.csv")
    (found,) = problems(unknown_fact)
    assert found.startswith("f.csv:2:4: Trigger (column D): fact: no fact 'no-such-fact'")


def test_a_sheets_cell_errors_untimed_rows_and_trigger_references_come_out_in_one_run(tmp_path: Path) -> None:
    sheet = csv_sheet(
        tmp_path,
        "Inject #,Scenario Time,To,Inject,Trigger,After\n"
        "inj-08,,ems,a,{fact: attack-at-synagog},\n"
        "inj-09,,ems,a,,\n"
        "inj-10,25:99,ems,a,,\n"
        'inj-11,,ems,a,"{event: inject_delivered, inject: inj-8}",\n'
        'inj-12,,ems,a,"{event: units_arrived, site: synagoge}",\n',
    )
    assert problems(sheet) == [
        "m.csv:2:5: Trigger (column E): fact: no fact 'attack-at-synagog'; did you mean 'attack-at-synagogue'?",
        "m.csv:3:2: Scenario Time (column B): the inject has neither a time nor a trigger; give a Scenario Time, a "
        "Trigger, "
        "or Contingency: yes",
        "m.csv:4:2: Scenario Time (column B): '25:99' is not a time; write T+HH:MM, +MINUTES, H+2 or a clock time",
        "m.csv:5:5: Trigger (column E): inject: no inject 'inj-8' in the sheet; did you mean 'inj-08'?",
        "m.csv:6:5: Trigger (column E): site: no site 'synagoge'; did you mean 'synagogue'?",
    ]


def test_a_sheet_without_inject_numbers_makes_new_injects_that_take_nothing_from_the_scenario(
    tmp_path: Path,
) -> None:
    # inj-01 of the scenario has a controller, a move and an originator; row 1 of an id-less sheet is not it
    sheet = csv_sheet(tmp_path, "Scenario Time,To,Inject\n+1,ems,x\n")
    (inject,) = import_msel(sheet, SCENARIO).scenario.injects
    assert inject.id == "inj-01"
    assert (inject.controller, inject.move, inject.from_, inject.at) == (None, None, None, 60.0)


def test_a_new_row_in_a_sheet_without_a_to_column_is_an_error_at_its_row(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Title\n\nInject #,Time,Script\n1,+5,x\n")
    assert problems(sheet) == [
        "m.csv:4:1: the inject is not in the scenario, and the sheet has no To column to give its recipient; the "
        "headers read as it: To, Recipient, Intended Player, Player, Players, Receiver, Empfänger, Destinataire",
    ]
    assert problems(csv_sheet(tmp_path, "a,b\n1,2\n", "n.csv"))[0].startswith("n.csv:1:1: no header row")


def test_two_columns_for_the_same_field_are_an_error_at_the_second(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "To,Inject,Recipient\nems,x,ems\n")
    assert problems(sheet) == [
        "m.csv:1:3: Recipient (column C): a second column for To (the first is 'To'); delete or rename one of them"
    ]


def test_ids_are_made_from_the_cell_or_from_the_rows_position_with_a_warning(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,Time,To,Inject\nInject 1,+1,ems,x\n,+2,ems,y\n3.0,+3,ems,z\n")
    imported = import_msel(sheet, SCENARIO)
    assert [inject.id for inject in imported.scenario.injects] == ["inject-1", "inj-02", "3-0"]
    assert [w.format() for w in imported.warnings][:2] == [
        "m.csv:2:1: warning: Inject # (column A): 'Inject 1' is not an id: read as 'inject-1'; ids are lower-case "
        "letters, "
        "digits and hyphens",
        "m.csv:3:1: warning: Inject # (column A): no id: read as 'inj-02'; give each inject an id",
    ]


def test_a_contingency_type_without_time_or_trigger_is_a_contingency_inject(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,To,Inject,Inject Type\nspare,ems,x,Contingency\n")
    (inject,) = import_msel(sheet, SCENARIO).scenario.injects
    assert (inject.id, inject.contingency, inject.inject_type) == ("spare", True, "contingency")


def test_a_time_given_by_a_sheet_without_triggers_replaces_the_scenarios_trigger(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,Time,To,Inject\ninj-02,+20,crisis-cell,Rumour\n")
    (inject,) = import_msel(sheet, SCENARIO).scenario.injects
    assert (inject.at, inject.trigger, inject.after, inject.fact) == (1200.0, None, 0.0, "second-attack-rumour")


def test_triggers_after_and_contingency_cells_are_read_in_their_forms(tmp_path: Path) -> None:
    sheet = csv_sheet(
        tmp_path,
        "Inject #,To,Inject,Trigger,After,Contingency\n"
        "x,ems,x,shots-fired-no,,\n"
        "y,ems,y,attack-at-synagogue,1m30s,\n"
        'z,ems,z,"{event: units_arrived, site: synagogue}","{dist: uniform, low: 30s, high: 1m30s}",oui\n',
    )
    assert any("shots-fired-no" in p for p in problems(sheet))
    good = csv_sheet(
        tmp_path,
        "\n".join(
            sheet_line
            for sheet_line in (tmp_path / "m.csv").read_text().splitlines()
            if "shots-fired-no" not in sheet_line
        )
        + "\n",
        "g.csv",
    )
    first, second = import_msel(good, SCENARIO).scenario.injects
    assert first.trigger is not None and first.trigger.fact == "attack-at-synagogue"
    assert first.after == 90.0
    assert second.trigger is not None and (second.trigger.event, second.trigger.site) == ("units_arrived", "synagogue")
    assert second.contingency
    assert second.after.model_dump(mode="json") == {"dist": "uniform", "low": "30s", "high": "1m30s"}  # type: ignore[union-attr]


def test_comments_outside_injects_are_kept_and_a_scenario_without_injects_gets_them_before_decisions(
    tmp_path: Path,
) -> None:
    original = bundled_path(SCENARIO).read_text(encoding="utf-8")
    start, end = original.index("injects:\n"), original.index("decisions:\n")
    without = original[:start] + "# the decisions follow\n" + original[end:]
    scenario_file = tmp_path / "mine.yaml"
    scenario_file.write_text(without, encoding="utf-8")
    sheet = csv_sheet(tmp_path, "Inject #,Time,To,Inject\na,+5,ems,Ambulances: 3 on the way  \n")
    imported = import_msel(sheet, scenario_file)
    assert imported.text == (
        original[:start]
        + "# the decisions follow\n"
        + 'injects:\n  - id: a\n    at: 5m\n    to: ems\n    text: "Ambulances: 3 on the way  "\n'
        + original[end:]
    )
    assert imported.scenario.injects[0].text == "Ambulances: 3 on the way  "
    assert (imported.added, imported.removed) == (["a"], [])


def test_an_invalid_scenario_is_not_imported_into(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 2\nid: x\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        import_msel(csv_sheet(tmp_path, "To,Inject\nems,x\n"), broken)
    assert "fix it before importing" in raised.value.title


@pytest.mark.parametrize(
    "text",
    [
        "2026-09-21",
        "0b1",
        "0x1f",
        "1_000",
        "Yes",
        "null",
        "~",
        "a: b",
        "#x",
        "a #b",
        "- a",
        "*a",
        "1.0e3",
        ".inf",
        " x",
    ],
)
def test_a_cell_that_yaml_would_read_as_something_else_is_written_quoted(tmp_path: Path, text: str) -> None:
    sheet = csv_sheet(tmp_path, f'Inject #,Time,To,Inject,Notes\nnew,+5,ems,x,"{text}"\n')
    (inject,) = import_msel(sheet, SCENARIO).scenario.injects
    assert inject.notes == text


HEADERS = st.sampled_from(
    [
        "Inject #",
        "Time",
        "To",
        "Inject",
        "Type",
        "Method",
        "Trigger",
        "After",
        "Fact",
        "Objective",
        "Contingency",
        "Status",
        "Owner",
        "Notes",
        "",
    ]
)
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["ems", "Ambulance service", "T+00:05", "12:30", "H+1", "{fact: scene-safe}", "yes", "=A1", "x"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=st.lists(HEADERS, min_size=1, max_size=7), cells=st.lists(st.lists(CELLS, max_size=8), max_size=5))
def test_any_sheet_imports_or_says_why_never_anything_else(
    tmp_path: Path, headers: list[str], cells: list[list[str]]
) -> None:
    sheet = Sheet(
        "m.csv",
        None,
        [
            [Cell(value, row, column) for column, value in enumerate(values, 1)]
            for row, values in enumerate([headers, *cells], 1)
        ],
    )
    try:
        imported = import_msel(sheet, SCENARIO)
    except ScenarioError as exc:
        assert exc.diagnostics
        assert all(d.line >= 1 and d.column >= 1 for d in exc.diagnostics)
        return
    assert len(imported.scenario.injects) == len(imported.added) + len(imported.changed) + len(imported.unchanged)


def test_a_header_row_without_injects_is_refused_rather_than_emptying_the_scenario(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Title\nInject #,Scenario Time,To,Inject\n,,,\n")
    assert problems(sheet) == [
        "m.csv:2:1: the sheet has no injects under its header; add a row per inject; an MSEL with no injects would "
        "remove all 4 of the scenario's injects",
    ]


def test_cells_under_no_header_are_kept_in_notes_and_stray_rows_below_the_table_are_ignored(tmp_path: Path) -> None:
    # column E has no header; row 3 has a value there, row 6 only has one far to the right
    sheet = csv_sheet(
        tmp_path,
        "Inject #,Scenario Time,To,Inject,,\na,+1,ems,x,,\nb,+2,ems,y,more garbage,\n,,,,,\n,,,,,\n,,,,,garbage\n",
    )
    imported = import_msel(sheet, SCENARIO)
    assert [inject.id for inject in imported.scenario.injects] == ["a", "b"]
    assert imported.scenario.injects[1].notes == "Column E: more garbage"
    assert imported.scenario.injects[0].notes is None
    assert [w.format() for w in imported.warnings][:2] == [
        "m.csv:1:5: warning: column E has no header; its cells are kept in notes as 'Column E: ...'; give it a "
        "header, or delete its cells",
        "m.csv:6:6: warning: row 6 has values only under no header: ignored; move them into the table's columns to "
        "import them",
    ]


def test_a_sheet_without_a_header_row_echoes_its_first_row_and_names_the_other_worksheets(tmp_path: Path) -> None:
    path = tmp_path / "field.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["Exercise Harbour Light", None, "draft 3"])
    workbook.create_sheet("Injects").append(["Inject #", "To", "Inject"])
    workbook.save(path)
    assert problems(read_sheet(path, "field.xlsx")) == [
        "field.xlsx:1:1: no header row in the first 20 rows of the worksheet 'Cover'; the MSEL needs a row of "
        "headers such as Inject #, Scenario Time, To, Inject (tabletop msel export writes one); found: Exercise "
        "Harbour Light | draft 3; the workbook's other worksheets: 'Injects' (--sheet Injects)",
    ]


def test_german_and_french_headers_are_read(tmp_path: Path) -> None:
    german = csv_sheet(
        tmp_path, "Nr.;Zeit;Empfänger;Absender;Meldung;Bemerkungen\ninj-01;+5;ems;Leitstelle;Text;Notiz\n", "de.csv"
    )
    french = csv_sheet(
        tmp_path, "N°;Heure;Destinataire;Émetteur;Message;Remarques\ninj-01;+5;ems;PC;Texte;Note\n", "fr.csv"
    )
    (de,) = import_msel(german, SCENARIO).scenario.injects
    (fr,) = import_msel(french, SCENARIO).scenario.injects
    assert (de.id, de.at, de.to, de.from_, de.text, de.notes) == ("inj-01", 300.0, "ems", "Leitstelle", "Text", "Notiz")
    assert (fr.id, fr.at, fr.to, fr.from_, fr.text, fr.notes) == ("inj-01", 300.0, "ems", "PC", "Texte", "Note")


def test_an_edited_inject_keeps_its_explicit_defaults_its_line_comments_and_plain_text(tmp_path: Path) -> None:
    original = bundled_path(SCENARIO).read_text(encoding="utf-8")
    before = "    at: 0s\n    to: community-security\n"
    assert before in original
    mine = tmp_path / "mine.yaml"
    mine.write_text(original.replace(before, "    at: 0s  # 11:50:00\n    to: community-security\n"), encoding="utf-8")
    sheet = csv_sheet(
        tmp_path,
        "Inject #,Scenario Time,To,Inject\ninj-01,T+00:00:00,community-security,The service has begun! Is the door "
        "open?\n",
    )
    imported = import_msel(sheet, mine)
    assert imported.changed == ["inj-01"]
    assert (
        "  - id: inj-01\n"
        "    at: 0s  # 11:50:00\n"
        "    to: community-security\n"
        "    from: Exercise control\n"
        "    text: The service has begun! Is the door open?\n"
        "    inject_type: informational\n"
        "    delivery_method: verbal\n"  # the default, written in the scenario: kept
        "    controller: Lead controller\n"
        "    move: Move 1 - approach\n"
    ) in imported.text


def test_a_recipient_only_a_variant_adds_gets_a_hint_naming_the_variant(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,Scenario Time,To,Inject\ninj-01,+1,police-guard,x\n")
    assert problems(sheet, "halle-2019-reconstruction") == [
        "m.csv:2:3: To (column C): no stakeholder 'police-guard'; added by variant 'armed-post': an MSEL exported "
        "with --variant "
        "holds the variant's injects; add 'police-guard' to the scenario's stakeholders (as the variant's add: does), "
        "or leave out the variant's rows",
    ]


def test_the_trigger_hint_names_the_scenarios_own_first_fact(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, 'Inject #,To,Inject,Trigger\ninj-01,ems,x,"[a, b]"\n')
    # the synagogue scenario's first fact is suspicious-person
    assert problems(sheet) == [
        "m.csv:2:4: Trigger (column D): '[a, b]' is not a trigger; write a fact id like suspicious-person, or a "
        "mapping like "
        "{fact: suspicious-person}",
    ]


def test_the_sheets_warnings_come_before_its_errors_each_in_row_order(tmp_path: Path) -> None:
    sheet = csv_sheet(tmp_path, "Inject #,Scenario Time,To,Inject,Owner\nInject 1,25:99,ems,x,Anna\nb,+2,ems,=1+1,\n")
    assert problems(sheet) == [
        "m.csv:1:5: warning: Owner (column E): not a column Tabletop knows: its cells are kept in each inject's notes "
        "as "
        "'Owner: ...'; rename it to a known header to import it as that field",
        "m.csv:2:1: warning: Inject # (column A): 'Inject 1' is not an id: read as 'inject-1'; ids are lower-case "
        "letters, "
        "digits and hyphens",
        "m.csv:3:4: warning: Inject (column D): a formula is imported as its text, not evaluated; type its value "
        "instead",
        "m.csv:2:2: Scenario Time (column B): '25:99' is not a time; write T+HH:MM, +MINUTES, H+2 or a clock time",
    ]
